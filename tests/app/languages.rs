//! A letter in four languages, on both databases: drafted in English with French, Spanish and
//! Arabic translations, organizations invited each in its language, the emails that really
//! arrive written in it, the sign page and its thank-you in it, the release, and the published
//! letter at its own address in every language (lang and dir set, a switcher, hreflang, the
//! exports per language, the JSON naming every translation). The browser's `Accept-Language`
//! chooses when the invitation names no language; refused fields are explained in it. The
//! coordinators add and update translations on their own pages, and set the letter's language
//! on its form.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use undersigned::app::outbox::WorkerHandle;
use undersigned::domain::letter::content_sha256;
use undersigned::domain::{LanguageTag, Role};
use undersigned::i18n::Localizer;

use crate::storage_test;
use crate::support::browsers::browser_speaking;
use crate::support::forms::{csrf_of, location, unescape};
use crate::support::letters::{NewLetter, invite, release_now};
use crate::support::partners::{Partner, sign_link_in, sign_path_of};
use crate::support::pdf_tools::pdf_words;
use crate::support::smtp::{Received, SmtpServer, smtp_available};
use crate::support::{Backend, TestApp};

storage_test!(
    a_letter_in_four_languages_goes_from_draft_to_release_in_each,
    the_review_page_chooses_the_language_of_a_batch,
    the_browser_s_language_chooses_when_the_invitation_names_none,
    coordinators_add_and_update_translations_on_their_pages,
);

const WAIT: Duration = Duration::from_secs(20);

const FRENCH: (&str, &str, &str) = (
    "Lettre commune au Secrétaire général",
    "António Guterres, Secrétaire général des Nations unies",
    "Nous vous demandons d'agir.",
);
const SPANISH: (&str, &str, &str) = (
    "Carta conjunta al Secretario General",
    "António Guterres, Secretario General de las Naciones Unidas",
    "Le pedimos que actúe.",
);
const ARABIC: (&str, &str, &str) = (
    "رسالة مشتركة إلى الأمين العام",
    "أنطونيو غوتيريش، الأمين العام للأمم المتحدة",
    "نطلب منكم التحرك.",
);

/// The partner-facing words in `tag`, as the app writes them.
fn words(tag: &str) -> Localizer {
    Localizer::for_language(&LanguageTag::parse(tag).unwrap()).expect("a shipped language")
}

async fn translate(app: &TestApp, token: &str, letter: &str, tag: &str, text: (&str, &str, &str)) {
    app.api_expecting(
        StatusCode::CREATED,
        Method::POST,
        &format!("/letters/{letter}/translations"),
        token,
        Some(json!({
            "language": tag,
            "title": text.0,
            "addressee": text.1,
            "body_markdown": text.2,
            "matches_version": 1,
        })),
    )
    .await;
}

/// A page of the app as a reader without cookies sees it: status and body.
async fn read(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = app.get(path).await;
    (response.status(), response.text().await.unwrap())
}

/// Whether the page's root element has this language and direction.
fn root_is(page: &str, lang: &str, dir: &str) -> bool {
    page.contains(&format!(r#"<html lang="{lang}" dir="{dir}">"#))
}

struct Languages {
    app: TestApp,
    smtp: SmtpServer,
    token: String,
    _worker: WorkerHandle,
}

impl Languages {
    async fn start(backend: Backend) -> Self {
        let smtp = SmtpServer::start();
        let url = smtp.url();
        let app = TestApp::spawn_with(
            backend,
            &[
                ("UNDERSIGNED_MAIL__SMTP_URL", url.as_str()),
                ("UNDERSIGNED_MAIL__POLL_INTERVAL_MS", "100"),
                ("UNDERSIGNED_MAIL__RATE_PER_SECOND", "0"),
            ],
        )
        .await;
        let worker = app.start_worker();
        let token = app.admin_token().await;
        Self {
            app,
            smtp,
            token,
            _worker: worker,
        }
    }

    async fn mail_to(&self, email: &str, count: usize) -> Vec<Received> {
        self.smtp.wait_for_messages_to(email, count, WAIT).await
    }

    /// Once `count` messages reached this address, the one with this subject (compared with
    /// no-break spaces read as spaces, as mail programs may show them).
    async fn with_subject(&self, email: &str, count: usize, subject: &str) -> Received {
        let plain = |s: &str| s.replace(['\u{a0}', '\u{202f}'], " ");
        let messages = self.mail_to(email, count).await;
        let subjects: Vec<String> = messages
            .iter()
            .map(|m| m.header("Subject").to_string())
            .collect();
        messages
            .into_iter()
            .find(|m| plain(m.header("Subject")) == plain(subject))
            .unwrap_or_else(|| panic!("no “{subject}” to {email} among {subjects:?}"))
    }
}

async fn a_letter_in_four_languages_goes_from_draft_to_release_in_each(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let c = Languages::start(backend).await;
    let (app, token) = (&c.app, c.token.as_str());
    let letter = NewLetter::new()
        .with("show_signatories", true)
        .create(app, token)
        .await;
    for (tag, text) in [("fr", FRENCH), ("es", SPANISH), ("ar", ARABIC)] {
        translate(app, token, &letter.id, tag, text).await;
    }
    let partners = [
        ("Ligue des droits", "ligue@example.org", "fr", FRENCH),
        ("Derechos Ya", "derechos@example.org", "es", SPANISH),
        ("منظمة الحقوق", "huquq@example.org", "ar", ARABIC),
    ];
    let items = partners
        .iter()
        .map(|(organization, email, tag, _)| {
            json!({ "organization": organization, "email": email, "language": tag, "contact_name": "Desk" })
        })
        .collect();
    let invited = invite(app, token, &letter.id, items).await;
    assert!(
        invited.iter().any(|i| i["language"] == "ar"),
        "the invitation keeps its language: {invited:?}"
    );

    for (_, email, tag, text) in partners {
        let l = words(tag);
        let dir = if tag == "ar" { "rtl" } else { "ltr" };
        // The invitation, in the partner's language.
        let invitation = &c.mail_to(email, 1).await[0];
        let body = invitation.text.clone().unwrap();
        let html = invitation.html.clone().unwrap();
        assert!(body.contains(&l.t("invitation-personal")), "{tag}: {body}");
        assert!(body.contains(text.1), "the addressee in {tag}: {body}");
        assert!(
            body.contains(&l.t("invitation-answer-here")),
            "{tag}: {body}"
        );
        assert!(
            html.contains(&format!(r#"<html lang="{tag}" dir="{dir}">"#)),
            "{tag}: {html}"
        );
        assert!(html.contains(&l.t("invitation-action")), "{tag}: {html}");
        if tag == "fr" {
            assert!(body.contains("Lisez la lettre"), "real French: {body}");
        }

        // The sign page: its words and the translation in that language.
        let link = sign_link_in(&body, &app.address);
        let (mut partner, status) = Partner::follow(&app.address, &link).await;
        assert_eq!(status, StatusCode::OK, "{tag}");
        assert!(root_is(&partner.page, tag, dir), "{tag}: {}", partner.page);
        assert!(
            partner
                .page
                .contains(&format!(r#"<h1 lang="{tag}" dir="{dir}">{}</h1>"#, text.0)),
            "{tag}: {}",
            partner.page
        );
        assert!(
            partner.page.contains(&l.t("sign-answer-heading")),
            "{tag}: {}",
            partner.page
        );

        // A refused field is explained in the partner's language, beside the field.
        let (status, refused) = partner
            .send_answer(&partner.page, "sign", "", "Director", "")
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{tag}");
        assert!(
            unescape(&refused).contains(&format!(
                r#"id="signer_name-error" role="alert">{}</p>"#,
                l.t("error-signer_name")
            )),
            "{tag}: {refused}"
        );

        // Signed; the thank-you in the same language.
        let (status, _) = partner
            .send_answer(&partner.page, "sign", "Jo Example", "Director", "")
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{tag}");
        partner.reopen(&app.url("/sign")).await;
        assert!(
            unescape(&partner.page).contains(&l.t("answer-signed")),
            "{tag}: {}",
            partner.page
        );

        // The confirmation in that language.
        let subject = l
            .msg("confirmation-subject-signed")
            .arg("title", text.0)
            .to_string();
        c.with_subject(email, 2, &subject).await;
    }

    // What each approved in, and the release.
    let check = c
        .app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}/release-check", letter.id),
            token,
            None,
        )
        .await;
    assert_eq!(
        check["approved_in"]["Ligue des droits"], "French (fr)",
        "{check}"
    );
    assert_eq!(
        check["approved_in"]["منظمة الحقوق"], "Arabic (ar)",
        "{check}"
    );
    release_now(app, token, &letter.id).await;
    for (_, email, tag, text) in partners {
        // In the partner's language, with the title of its translation and a link to the
        // letter published in it.
        let subject = words(tag)
            .msg("release-subject")
            .arg("title", text.0)
            .to_string();
        let notice = c.with_subject(email, 3, &subject).await;
        let link = app.url(&format!("/letters/{}/{tag}", letter.slug));
        assert!(notice.text.as_deref().unwrap().contains(&link), "{tag}");
    }

    // The authoritative page links every language.
    let slug = &letter.slug;
    let (status, page) = read(app, &format!("/letters/{slug}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(root_is(&page, "en", "ltr"), "{page}");
    for tag in ["fr", "es", "ar"] {
        let alternate = format!(
            r#"<link rel="alternate" hreflang="{tag}" href="{}">"#,
            app.url(&format!("/letters/{slug}/{tag}"))
        );
        assert!(page.contains(&alternate), "{alternate}: {page}");
    }
    assert!(page.contains(r#"hreflang="x-default""#), "{page}");
    assert!(
        page.contains(r#"<strong aria-current="page" lang="en" dir="ltr">English</strong>"#),
        "{page}"
    );

    // Each translation at its own address, in its language's words and direction.
    for (_, _, tag, text) in partners {
        let l = words(tag);
        let dir = if tag == "ar" { "rtl" } else { "ltr" };
        let (status, page) = read(app, &format!("/letters/{slug}/{tag}")).await;
        assert_eq!(status, StatusCode::OK, "{tag}");
        assert!(root_is(&page, tag, dir), "{tag}: {page}");
        assert!(
            page.contains(&format!(r#"<h1 lang="{tag}" dir="{dir}">{}</h1>"#, text.0)),
            "{tag}: {page}"
        );
        assert!(
            page.contains(&format!(
                r#"<h2 id="signatories-heading">{}</h2>"#,
                l.t("public-signatories")
            )),
            "{tag}: {page}"
        );
        assert!(page.contains(r#"class="translation-note""#), "{tag}");
        assert!(
            page.contains(&format!(
                r#"<link rel="canonical" href="{}">"#,
                app.url(&format!("/letters/{slug}/{tag}"))
            )),
            "{tag}: {page}"
        );
        assert!(page.contains("Ligue des droits"), "the list: {page}");

        // Its exports: JSON (the translation, and the authoritative text it translates), text
        // and PDF.
        let (status, json) = read(app, &format!("/letters/{slug}/{tag}.json")).await;
        assert_eq!(status, StatusCode::OK, "{tag}");
        let json: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["title"], text.0, "{json}");
        assert_eq!(json["language"], tag, "{json}");
        assert_eq!(
            json["content_sha256"],
            content_sha256(text.0, text.1, text.2)
        );
        assert_eq!(json["authoritative"]["language"], "en", "{json}");
        assert_eq!(json["authoritative"]["version"], 1, "{json}");
        assert_eq!(json["translation_version"], 1, "{json}");
        assert_eq!(json["matches_version"], 1, "{json}");
        assert_eq!(
            json["authoritative"]["content_sha256"], letter.json["content_sha256"],
            "{json}"
        );
        let (status, plain) = read(app, &format!("/letters/{slug}/{tag}.txt")).await;
        assert_eq!(status, StatusCode::OK, "{tag}");
        assert!(plain.starts_with(text.0), "{tag}: {plain}");
        // The text as plain text (its apostrophes made typographic).
        let words_of_text = text.2.split('\'').next().unwrap();
        assert!(plain.contains(words_of_text), "{tag}: {plain}");
        assert!(
            plain.contains(&l.t("public-text-signatories")),
            "{tag}: {plain}"
        );
        let pdf = app.get(&format!("/letters/{slug}/{tag}.pdf")).await;
        assert_eq!(pdf.status(), StatusCode::OK, "{tag}");
        let pdf = pdf.bytes().await.unwrap();
        assert!(pdf.starts_with(b"%PDF"), "{tag}");
        // The year of the first line ("published 30 November 2026"): at the line's end, on the
        // right for Arabic, where the lines start, and on the left for the others.
        if let Some((width, words)) = pdf_words(&pdf) {
            let (_, right_edge) = words
                .iter()
                .find(|(word, _)| word.contains("2026"))
                .unwrap_or_else(|| panic!("{tag}: the date in {words:?}"));
            assert_eq!(
                *right_edge > width / 2.0,
                tag == "ar",
                "{tag}: {right_edge} of {width}"
            );
        }
    }

    // The letter's JSON names every translation with its address and hash.
    let (_, json) = read(app, &format!("/letters/{slug}.json")).await;
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["language"], "en", "{json}");
    let listed = json["translations"].as_array().expect("translations");
    assert_eq!(listed.len(), 3, "{json}");
    for (_, _, tag, text) in partners {
        let entry = listed
            .iter()
            .find(|t| t["language"] == tag)
            .unwrap_or_else(|| panic!("{tag} in {json}"));
        assert_eq!(entry["url"], app.url(&format!("/letters/{slug}/{tag}")));
        assert_eq!(
            entry["content_sha256"],
            content_sha256(text.0, text.1, text.2)
        );
    }

    // A language the letter is not published in, and the letter's other addresses, which
    // the languages' route never takes.
    assert_eq!(
        read(app, &format!("/letters/{slug}/de")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        read(app, &format!("/letters/{slug}/embed")).await.0,
        StatusCode::OK
    );
    assert_eq!(
        read(app, &format!("/letters/{slug}/signatories.csv"))
            .await
            .0,
        StatusCode::OK
    );
}

async fn the_browser_s_language_chooses_when_the_invitation_names_none(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Amnistía", "lead")])
        .create(&app, &token)
        .await;
    for (tag, text) in [("fr", FRENCH), ("es", SPANISH)] {
        translate(&app, &token, &letter.id, tag, text).await;
    }
    let link = app.url(&sign_path_of(&app, "Amnistía").await);

    // Mexican Spanish first: the Spanish translation, in Spanish words.
    let (partner, status) =
        Partner::follow_in(&app.address, &link, browser_speaking("es-MX, fr;q=0.5")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(root_is(&partner.page, "es", "ltr"), "{}", partner.page);
    assert!(partner.page.contains(SPANISH.0), "{}", partner.page);
    assert!(
        partner.page.contains(&words("es").t("sign-send")),
        "{}",
        partner.page
    );

    // German first, then English: no German interface or text; English it is.
    let (partner, _) =
        Partner::follow_in(&app.address, &link, browser_speaking("de-DE, en;q=0.5")).await;
    assert!(root_is(&partner.page, "en", "ltr"), "{}", partner.page);
    assert!(
        partner.page.contains("Joint Letter on Xinjiang"),
        "{}",
        partner.page
    );
    assert!(partner.page.contains("Send our answer"), "{}", partner.page);

    // A link that does not work says so in the browser's language.
    let french_reader = browser_speaking("fr-BE, en;q=0.5");
    let gone = french_reader
        .get(app.url("/sign/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        gone.headers()["cache-control"],
        "no-store",
        "one reader's words"
    );
    assert_eq!(gone.headers()["vary"], "Accept-Language");
    let gone = unescape(&gone.text().await.unwrap());
    assert!(root_is(&gone, "fr", "ltr"), "{gone}");
    assert!(
        gone.contains(&format!(
            "<h1>{}</h1>",
            words("fr").t("link-does-not-work-heading")
        )),
        "{gone}"
    );
    assert!(
        gone.contains(&words("fr").t("link-does-not-work")),
        "{gone}"
    );

    // "q=0" refuses a language.
    let (partner, _) =
        Partner::follow_in(&app.address, &link, browser_speaking("fr;q=0, es;q=0.1")).await;
    assert!(root_is(&partner.page, "es", "ltr"), "{}", partner.page);

    // An Arabic reader of a letter not translated into Arabic: the English text in Arabic
    // words, before and after answering.
    let (mut partner, _) = Partner::follow_in(&app.address, &link, browser_speaking("ar")).await;
    assert!(root_is(&partner.page, "ar", "rtl"), "{}", partner.page);
    assert!(
        partner.page.contains("Joint Letter on Xinjiang"),
        "{}",
        partner.page
    );
    let (status, _) = partner
        .send_answer(&partner.page, "decline", "Jo Example", "", "")
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    partner.reopen(&app.url("/sign?lang=en&ui=ar")).await;
    assert!(root_is(&partner.page, "ar", "rtl"), "{}", partner.page);
    assert!(
        unescape(&partner.page).contains(&words("ar").t("answer-declined")),
        "{}",
        partner.page
    );

    // Asking for a language on the page wins over the browser's.
    let mut partner = partner;
    assert_eq!(
        partner.reopen(&app.url("/sign?lang=fr")).await,
        StatusCode::OK
    );
    assert!(root_is(&partner.page, "fr", "ltr"), "{}", partner.page);
    assert!(partner.page.contains(FRENCH.0), "{}", partner.page);
}

async fn coordinators_add_and_update_translations_on_their_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let letter = NewLetter::new().create(&app, &token).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let path = format!("/app/letters/{}/translations", letter.id);
    let dashboard = app
        .get(&format!("/app/letters/{}", letter.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(dashboard.contains(&format!(r#"<a href="{path}">Translations</a>"#)));
    let page = app.get(&path).await.text().await.unwrap();
    assert!(
        page.contains("The letter has no translation yet."),
        "{page}"
    );

    // Refused: each reason beside its field, everything typed kept.
    let form = |language: &'static str, title: &'static str| {
        vec![
            ("language", language),
            ("title", title),
            ("addressee", FRENCH.1),
            ("body_markdown", FRENCH.2),
            ("matches_version", "1"),
            ("offered", "on"),
        ]
    };
    for (language, field, reason) in [
        ("fr_FR", "language", "is not a language tag"),
        ("en", "language", "is the language of the letter's own text"),
    ] {
        let response = app.post_form(&path, &form(language, FRENCH.0)).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{language}"
        );
        let page = response.text().await.unwrap();
        assert!(
            page.contains(&format!(r#"id="{field}-error" role="alert">"#)),
            "{language}: {page}"
        );
        assert!(unescape(&page).contains(reason), "{language}: {page}");
        assert!(
            unescape(&page).contains(FRENCH.2),
            "typed text kept: {page}"
        );
    }
    let response = app.post_form(&path, &form("fr", "")).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains(r#"id="title-error" role="alert">"#), "{page}");

    // Added, then listed as current and offered.
    let response = app.post_form(&path, &form("fr", FRENCH.0)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), path);
    let page = app.get(&path).await.text().await.unwrap();
    assert!(
        page.contains("The French (fr) translation is saved as its version 1."),
        "{page}"
    );
    assert!(
        page.contains(r#"<span class="badge signed">current</span>"#),
        "{page}"
    );
    assert!(
        page.contains(&content_sha256(FRENCH.0, FRENCH.1, FRENCH.2)),
        "{page}"
    );

    // A substantive change of the text puts it out of date; updating it (the form opens with
    // its text) makes version 2, matching the text as it stands.
    app.api_expecting(
        StatusCode::OK,
        Method::PUT,
        &format!("/letters/{}", letter.id),
        &token,
        Some(json!({ "body_markdown": "We urge you to act now.", "change": "substantive" })),
    )
    .await;
    let page = app.get(&path).await.text().await.unwrap();
    assert!(page.contains("out of date"), "{page}");
    let edit = app
        .get(&format!("{path}?language=fr"))
        .await
        .text()
        .await
        .unwrap();
    assert!(edit.contains("Update the translation (fr)"), "{edit}");
    assert!(
        edit.contains(FRENCH.0),
        "the form holds the translation: {edit}"
    );
    assert!(edit.contains(r#"<option value="2" selected>"#), "{edit}");
    let response = app
        .post_form(
            &path,
            &[
                ("language", "fr"),
                ("title", FRENCH.0),
                ("addressee", FRENCH.1),
                ("body_markdown", "Nous vous demandons d'agir maintenant."),
                ("matches_version", "2"),
                ("offered", "on"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let listed = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}/translations", letter.id),
            &token,
            None,
        )
        .await;
    assert_eq!(listed["translations"][0]["version"], 2, "{listed}");
    assert_eq!(listed["translations"][0]["out_of_date"], false, "{listed}");

    // The letter's own language is set on its form; French is taken by the translation.
    let edit_path = format!("/app/letters/{}/edit", letter.id);
    let edit_page = app.get(&edit_path).await.text().await.unwrap();
    assert!(
        edit_page.contains(r#"id="language" name="language" value="en""#),
        "{edit_page}"
    );
    let csrf = csrf_of(&edit_page);
    let fields = |language: &'static str| {
        vec![
            ("csrf_token", csrf.clone()),
            ("title", "Joint Letter on Xinjiang".to_string()),
            ("addressee", "António Guterres".to_string()),
            ("body_markdown", "We urge you to act now.".to_string()),
            ("language", language.to_string()),
            ("change", "minor".to_string()),
            ("deadline_tz", "UTC".to_string()),
        ]
    };
    let response = app
        .client
        .post(app.url(&edit_path))
        .form(&fields("en_GB"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(
        page.contains(r#"id="language-error" role="alert">"#),
        "{page}"
    );
    let response = app
        .client
        .post(app.url(&edit_path))
        .form(&fields("fr"))
        .send()
        .await
        .unwrap();
    let page = response.text().await.unwrap();
    assert!(page.contains("has a French (fr) translation"), "{page}");
    let response = app
        .client
        .post(app.url(&edit_path))
        .form(&fields("en-GB"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let shown = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}", letter.id),
            &token,
            None,
        )
        .await;
    assert_eq!(shown["language"], "en-GB", "{shown}");
}

async fn the_review_page_chooses_the_language_of_a_batch(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let letter = NewLetter::new().create(&app, &token).await;
    translate(&app, &token, &letter.id, "fr", FRENCH).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let review = app
        .post_form(
            &format!("/app/letters/{}/invite/paste", letter.id),
            &[
                ("list", "Ligue des droits, ligue@example.org"),
                ("tier", "lead"),
            ],
        )
        .await;
    assert_eq!(review.status(), StatusCode::OK);
    let review = review.text().await.unwrap();
    assert!(
        unescape(&review)
            .contains(r#"<option value="" selected>The letter's language, English (en)</option>"#),
        "{review}"
    );
    // Previewed in French: the email in French words, with the French title.
    let csrf = csrf_of(&review);
    let batch = unescape(&crate::support::forms::hidden_field(&review, "batch"));
    let press = |action: &'static str| {
        app.client
            .post(app.url(&format!("/app/letters/{}/invite/send", letter.id)))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("batch", batch.as_str()),
                ("message", ""),
                ("language", "fr"),
                ("action", action),
            ])
            .send()
    };
    let preview = press("preview").await.unwrap();
    assert_eq!(preview.status(), StatusCode::OK);
    let preview = unescape(&preview.text().await.unwrap());
    assert!(
        preview.contains(r#"<option value="fr" lang="fr" selected>Français</option>"#),
        "{preview}"
    );
    let french = words("fr");
    assert!(
        preview.contains(&french.t("invitation-personal")),
        "{preview}"
    );
    assert!(preview.contains(FRENCH.0), "the French title: {preview}");
    // Sent: the invitation keeps its language.
    let sent = press("send").await.unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let listed = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}/invitations", letter.id),
            &token,
            None,
        )
        .await;
    assert_eq!(listed["invitations"][0]["language"], "fr", "{listed}");
}
