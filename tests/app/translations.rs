//! Translations of a letter through the API, on both databases: French, Spanish and Arabic added
//! with their own SHA-256 and listed on the letter; a minor edit of the authoritative text
//! leaves them current, a substantive one puts them out of date and the release check then
//! blocks until each offered one is updated (or no longer offered); refused input says why;
//! nothing changes once the letter is released. On the sign page: the languages offered, each
//! named in itself; Arabic right to left; an answer given in French recorded with the language
//! and version read; a translation out of date no longer offered, and its form refused.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use undersigned::domain::letter::content_sha256;
use undersigned::domain::{LanguageTag, Role};
use undersigned::i18n::Localizer;

use crate::storage_test;
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::{Partner, answer};
use crate::support::{Backend, TestApp};

storage_test!(
    french_spanish_and_arabic_are_listed_with_their_own_hashes,
    a_substantive_change_puts_translations_out_of_date_and_blocks_the_release,
    refused_translations_say_why,
    a_partner_reads_and_signs_in_french_and_the_answer_says_so,
);

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

fn body(language: &str, (title, addressee, text): (&str, &str, &str), matches: i64) -> Value {
    json!({
        "language": language,
        "title": title,
        "addressee": addressee,
        "body_markdown": text,
        "matches_version": matches,
    })
}

async fn translate(app: &TestApp, token: &str, letter: &str, body: Value) -> (StatusCode, Value) {
    app.api(
        Method::POST,
        &format!("/letters/{letter}/translations"),
        token,
        Some(body),
    )
    .await
}

/// Sends `PUT /letters/{letter}/translations/{language}`: the answer, whatever it is.
async fn retranslate(
    app: &TestApp,
    token: &str,
    letter: &str,
    language: &str,
    body: Value,
) -> (StatusCode, Value) {
    app.api(
        Method::PUT,
        &format!("/letters/{letter}/translations/{language}"),
        token,
        Some(body),
    )
    .await
}

async fn letter_json(app: &TestApp, token: &str, letter: &str) -> Value {
    app.api_expecting(
        StatusCode::OK,
        Method::GET,
        &format!("/letters/{letter}"),
        token,
        None,
    )
    .await
}

async fn edit(app: &TestApp, token: &str, letter: &str, text: &str, change: &str) {
    app.api_expecting(
        StatusCode::OK,
        Method::PUT,
        &format!("/letters/{letter}"),
        token,
        Some(json!({ "body_markdown": text, "change": change })),
    )
    .await;
}

async fn blockers(app: &TestApp, token: &str, letter: &str) -> Vec<String> {
    let check = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{letter}/release-check"),
            token,
            None,
        )
        .await;
    check["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap().to_string())
        .collect()
}

async fn french_spanish_and_arabic_are_listed_with_their_own_hashes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new().create(&app, &admin).await;
    for (tag, text) in [("fr", FRENCH), ("es", SPANISH), ("AR", ARABIC)] {
        let (status, saved) = translate(&app, &admin, &letter.id, body(tag, text, 1)).await;
        assert_eq!(status, StatusCode::CREATED, "{saved}");
        assert_eq!(saved["version"], 1);
        assert_eq!(
            saved["content_sha256"],
            content_sha256(text.0, text.1, text.2)
        );
        assert_eq!(saved["out_of_date"], false);
    }
    let listed = letter_json(&app, &admin, &letter.id).await;
    assert_eq!(listed["language"], "en");
    let translations = listed["translations"].as_array().unwrap();
    let summary: Vec<(&str, &str, &str)> = translations
        .iter()
        .map(|t| {
            (
                t["language"].as_str().unwrap(),
                t["direction"].as_str().unwrap(),
                t["title"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("ar", "rtl", ARABIC.0),
            ("es", "ltr", SPANISH.0),
            ("fr", "ltr", FRENCH.0),
        ],
        "by language, the tag in its canonical case"
    );
    let own = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}/translations", letter.id),
            &admin,
            None,
        )
        .await;
    assert_eq!(own["translations"], listed["translations"]);

    // A new version of the French text; the same text again changes nothing.
    let corrected = (
        "Lettre commune au Secrétaire général",
        FRENCH.1,
        "Nous vous prions d'agir.",
    );
    let (status, saved) =
        retranslate(&app, &admin, &letter.id, "fr", body("fr", corrected, 1)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 2);
    assert_eq!(
        saved["content_sha256"],
        content_sha256(corrected.0, corrected.1, corrected.2)
    );
    let (status, again) =
        retranslate(&app, &admin, &letter.id, "fr", body("fr", corrected, 1)).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["version"], 2, "the same text makes no new version");
    let audit: Vec<String> = app
        .in_database({
            let id = letter.id.clone();
            move |conn| {
                use diesel::prelude::*;
                use undersigned::db::schema::audit_events;
                audit_events::table
                    .filter(audit_events::letter_id.eq(id))
                    .filter(audit_events::action.like("letter.translation_%"))
                    .select(audit_events::action)
                    .load(conn)
                    .unwrap()
            }
        })
        .await;
    assert_eq!(
        audit
            .iter()
            .filter(|a| *a == "letter.translation_added")
            .count(),
        3
    );
    assert_eq!(
        audit
            .iter()
            .filter(|a| *a == "letter.translation_updated")
            .count(),
        1
    );
}

async fn a_substantive_change_puts_translations_out_of_date_and_blocks_the_release(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Amnesty International", "lead")])
        .create(&app, &admin)
        .await;
    for (tag, text) in [("fr", FRENCH), ("es", SPANISH), ("ar", ARABIC)] {
        let (status, saved) = translate(&app, &admin, &letter.id, body(tag, text, 1)).await;
        assert_eq!(status, StatusCode::CREATED, "{saved}");
    }
    // A minor edit (version 2) leaves every translation current.
    edit(
        &app,
        &admin,
        &letter.id,
        "We urge you, respectfully, to act.",
        "minor",
    )
    .await;
    let listed = letter_json(&app, &admin, &letter.id).await;
    assert!(
        listed["translations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["out_of_date"] == false),
        "{listed}"
    );
    // A substantive one (version 3) puts them all out of date.
    edit(
        &app,
        &admin,
        &letter.id,
        "We urge you to act now, before the session.",
        "substantive",
    )
    .await;
    let listed = letter_json(&app, &admin, &letter.id).await;
    assert_eq!(listed["version"], 3);
    assert!(
        listed["translations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["out_of_date"] == true),
        "{listed}"
    );
    answer(&app, "Amnesty International", "sign").await;
    let blocking = blockers(&app, &admin, &letter.id).await;
    assert_eq!(blocking.len(), 3, "{blocking:?}");
    assert!(
        blocking[0].contains("the Arabic (ar) translation offered to partners matches version 1, but the text changed substantively in version 3"),
        "{blocking:?}"
    );
    let (status, refused) = app
        .api(
            Method::POST,
            &format!("/letters/{}/release", letter.id),
            &admin,
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");

    // Updated to match version 3, French and Spanish no longer block; Arabic, no longer
    // offered, does not either.
    for (tag, text, offered) in [
        ("fr", FRENCH, true),
        ("es", SPANISH, true),
        ("ar", ARABIC, false),
    ] {
        let mut update = body(tag, text, if offered { 3 } else { 1 });
        update["offered"] = json!(offered);
        let (status, saved) = retranslate(&app, &admin, &letter.id, tag, update).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
    }
    assert_eq!(
        blockers(&app, &admin, &letter.id).await,
        Vec::<String>::new()
    );
    let listed = letter_json(&app, &admin, &letter.id).await;
    let arabic = &listed["translations"][0];
    assert_eq!(
        (arabic["out_of_date"].clone(), arabic["offered"].clone()),
        (json!(true), json!(false))
    );
    release_now(&app, &admin, &letter.id).await;

    // Released: the translations no longer change.
    let (status, refused) =
        retranslate(&app, &admin, &letter.id, "fr", body("fr", FRENCH, 3)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    let (status, _) = translate(&app, &admin, &letter.id, body("de", FRENCH, 3)).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

async fn refused_translations_say_why(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new().create(&app, &admin).await;
    let error_of = |answer: &Value| answer["error"].as_str().unwrap_or_default().to_string();

    for (language, matches, expected) in [
        ("french", 1, "not a language tag"),
        ("es_419", 1, "not a language tag"),
        ("en", 1, "the language of the letter's own text"),
        ("fr", 2, "from 1 to 1"),
        ("fr", 0, "from 1 to 1"),
    ] {
        let (status, answer) =
            translate(&app, &admin, &letter.id, body(language, FRENCH, matches)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{language}: {answer}"
        );
        assert!(error_of(&answer).contains(expected), "{language}: {answer}");
    }
    let (status, answer) = translate(
        &app,
        &admin,
        &letter.id,
        json!({ "title": FRENCH.0, "addressee": FRENCH.1, "body_markdown": FRENCH.2, "matches_version": 1 }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(
        error_of(&answer).contains("“language” is required"),
        "{answer}"
    );
    let (status, answer) = translate(
        &app,
        &admin,
        &letter.id,
        json!({ "language": "fr", "title": "", "addressee": FRENCH.1, "body_markdown": FRENCH.2, "matches_version": 1 }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");

    let (status, _) = translate(&app, &admin, &letter.id, body("fr", FRENCH, 1)).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, answer) = translate(&app, &admin, &letter.id, body("FR", FRENCH, 1)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(
        error_of(&answer).contains("already has a French (fr) translation"),
        "{answer}"
    );

    let (status, answer) =
        retranslate(&app, &admin, &letter.id, "es", body("es", SPANISH, 1)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
    let (status, answer) =
        retranslate(&app, &admin, &letter.id, "fr", body("es", SPANISH, 1)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    // The letter's own language cannot become one it has a translation in.
    let (status, answer) = app
        .api(
            Method::PUT,
            &format!("/letters/{}", letter.id),
            &admin,
            Some(json!({ "language": "fr" })),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    let (status, answer) = translate(&app, &admin, "no-such-letter", body("de", FRENCH, 1)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
}

async fn a_partner_reads_and_signs_in_french_and_the_answer_says_so(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[
            ("Amnesty International", "lead"),
            ("Second Org", "supporting"),
        ])
        .create(&app, &admin)
        .await;
    for (tag, text) in [("fr", FRENCH), ("ar", ARABIC)] {
        let (status, saved) = translate(&app, &admin, &letter.id, body(tag, text, 1)).await;
        assert_eq!(status, StatusCode::CREATED, "{saved}");
    }
    let mut spanish = body("es", SPANISH, 1);
    spanish["offered"] = json!(false);
    let (status, _) = translate(&app, &admin, &letter.id, spanish).await;
    assert_eq!(status, StatusCode::CREATED);

    // The languages offered, each named in itself; Spanish is not offered.
    let mut partner = Partner::open(&app, "Amnesty International").await;
    for link in [
        r#"<a href="/sign?lang=fr" hreflang="fr" lang="fr" dir="ltr">Français</a>"#,
        r#"<a href="/sign?lang=ar" hreflang="ar" lang="ar" dir="rtl">العربية</a>"#,
        r#"<strong aria-current="page" lang="en" dir="ltr">English</strong>"#,
    ] {
        assert!(partner.page.contains(link), "{link}: {}", partner.page);
    }
    assert!(!partner.page.contains("Español"), "{}", partner.page);

    // Arabic, right to left, with the hash of the Arabic text.
    assert_eq!(
        partner.reopen(&app.url("/sign?lang=ar")).await,
        StatusCode::OK
    );
    let arabic_sha = content_sha256(ARABIC.0, ARABIC.1, ARABIC.2);
    for expected in [
        format!(r#"<h1 lang="ar" dir="rtl">{}</h1>"#, ARABIC.0),
        // The page's own words in Arabic too.
        Localizer::for_language(&LanguageTag::parse("ar").unwrap())
            .unwrap()
            .msg("sign-text-sha256")
            .arg("sha256", &arabic_sha)
            .to_string(),
        format!(r#"name="content_sha256" value="{arabic_sha}""#),
    ] {
        assert!(
            partner.page.contains(&expected),
            "{expected}: {}",
            partner.page
        );
    }

    // Signed in French: bound to the letter's version 1, the French text's version recorded.
    assert_eq!(
        partner.reopen(&app.url("/sign?lang=fr")).await,
        StatusCode::OK
    );
    assert!(partner.page.contains(FRENCH.0), "{}", partner.page);
    let (status, page) = partner.send("sign").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let detail = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!(
                "/invitations/{}",
                letter.invitation_id("Amnesty International")
            ),
            &admin,
            None,
        )
        .await;
    let signed = &detail["responses"][0];
    assert_eq!(signed["decision"], "sign", "{detail}");
    assert_eq!(signed["language"], "fr", "{detail}");
    assert_eq!(signed["translation_version"], 1, "{detail}");
    assert_eq!(signed["version"], 1, "{detail}");
    let listed = letter_json(&app, &admin, &letter.id).await;
    assert_eq!(
        signed["content_sha256"], listed["content_sha256"],
        "bound to the original"
    );
    assert_eq!(detail["status"], "signed", "{detail}");

    // The release check and the dashboard say in which language it was approved.
    let check = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}/release-check", letter.id),
            &admin,
            None,
        )
        .await;
    assert_eq!(
        check["approved_in"],
        json!({ "Amnesty International": "French (fr)" }),
        "{check}"
    );
    app.login_as("lead-admin@example.org", Role::Admin).await;
    let dashboard = app
        .get(&format!("/app/letters/{}", letter.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        dashboard.contains(
            r#"<span class="badge signed">signed</span> <span class="hint">in French</span>"#
        ),
        "{dashboard}"
    );
    let release_page = app
        .get(&format!("/app/letters/{}/release", letter.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        release_page.contains("; approved in French (fr)"),
        "{release_page}"
    );

    // A substantive change: French is out of date, no longer offered, and a French form read
    // before it is refused.
    let mut second = Partner::open(&app, "Second Org").await;
    assert_eq!(
        second.reopen(&app.url("/sign?lang=fr")).await,
        StatusCode::OK
    );
    let read_before = second.page.clone();
    edit(
        &app,
        &admin,
        &letter.id,
        "We urge you to act now, before the session.",
        "substantive",
    )
    .await;
    let (status, page) = second.send_form_of(&read_before, "sign").await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    // Said in French, the language the form was read in, above the letter in its own.
    let french = Localizer::for_language(&LanguageTag::parse("fr").unwrap()).unwrap();
    assert!(
        crate::support::forms::unescape(&page).contains(&french.t("error-not-recorded")),
        "{page}"
    );
    assert!(page.contains(r#"<h1 lang="en" dir="ltr">"#), "{page}");
    assert_eq!(
        second.reopen(&app.url("/sign?lang=fr")).await,
        StatusCode::OK
    );
    assert!(
        second
            .page
            .contains("not offered in the language asked for"),
        "{}",
        second.page
    );
    assert!(!second.page.contains("Français"), "{}", second.page);
    assert!(
        second.page.contains(r#"<h1 lang="en" dir="ltr">"#),
        "{}",
        second.page
    );
}
