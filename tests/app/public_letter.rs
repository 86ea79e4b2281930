//! The published letter as readers, partners' websites and integrators see it: the page with
//! its count, lead organizations first under their own heading (in the text colour, not the
//! greyed `.lead` style), countries, the release time and who approved when the letter shows
//! it; the web address made from the title and edited on the form until release; the index of
//! published letters as cards; the embed card any site may frame; and the JSON readable by any
//! site's scripts, with `coordinated_by` and each signatory's `country`.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::{Partner, answer};
use crate::support::{Backend, TestApp};

storage_test!(
    the_page_counts_groups_and_names_the_signatories,
    the_json_is_open_to_any_site_with_the_coordinator_and_countries,
    the_embed_card_may_be_framed_by_any_site_and_the_letter_not,
    the_index_shows_a_card_per_released_letter,
    the_address_is_cut_between_words_and_edited_until_release,
);

/// The organization's partner signs through the sign page as this person.
async fn sign_as(app: &TestApp, organization: &str, name: &str, title: &str) {
    let partner = Partner::open(app, organization).await;
    let (status, page) = partner
        .send_answer(&partner.page, "sign", name, title, "")
        .await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "{organization} signs: {page}"
    );
}

/// A released letter that shows who approved: two leads (GB, US) and a supporting organization
/// with no country. Returns its slug.
async fn released_coalition_letter(app: &TestApp, token: &str) -> String {
    let letter = NewLetter::new()
        .with("show_signers", true)
        .invitee(json!({ "organization": "Human Rights Watch", "tier": "lead", "email": "hrw@example.org", "country": "US" }))
        .invitee(json!({ "organization": "Amnesty International", "tier": "lead", "email": "ai@example.org", "country": "GB" }))
        .invitee(json!({ "organization": "Article 19", "tier": "supporting", "email": "a19@example.org" }))
        .create(app, token)
        .await;
    sign_as(app, "Human Rights Watch", "Hana Writer", "Director").await;
    sign_as(
        app,
        "Amnesty International",
        "Ama Example",
        "Secretary General",
    )
    .await;
    sign_as(app, "Article 19", "Art Nineteen", "Head of Policy").await;
    release_now(app, token, &letter.id).await;
    letter.slug
}

/// The class names of the first element whose opening tag holds `marker`.
fn classes_of<'a>(page: &'a str, marker: &str) -> Vec<&'a str> {
    let at = page
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {page}"));
    let start = page[..at].rfind('<').unwrap();
    let tag = &page[start..start + page[start..].find('>').unwrap()];
    tag.split("class=\"")
        .nth(1)
        .map(|rest| rest.split('"').next().unwrap().split(' ').collect())
        .unwrap_or_default()
}

fn position(page: &str, text: &str) -> usize {
    page.find(text)
        .unwrap_or_else(|| panic!("“{text}” is on the page: {page}"))
}

async fn the_page_counts_groups_and_names_the_signatories(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        &[("UNDERSIGNED_ORGANIZATION__NAME", "Coalition Secretariat")],
    )
    .await;
    let token = app.admin_token().await;
    let slug = released_coalition_letter(&app, &token).await;
    let page = app
        .get(&format!("/letters/{slug}"))
        .await
        .text()
        .await
        .unwrap();

    assert!(page.contains("Signed by 3 organizations"), "{page}");
    assert!(
        page.contains("Coordinated by Coalition Secretariat"),
        "{page}"
    );
    // Leads first, under their heading and in order; then the others under theirs.
    let leads = position(&page, ">Lead organizations</h3>");
    let amnesty = position(&page, "<strong>Amnesty International</strong>");
    let hrw = position(&page, "<strong>Human Rights Watch</strong>");
    let others = position(&page, ">Also signed by</h3>");
    let article = position(&page, "<li>Article 19");
    assert!(leads < amnesty && amnesty < hrw && hrw < others && others < article);
    // Marked as leads, and not with the stylesheet's greyed `.lead`.
    let list = classes_of(&page, "aria-labelledby=\"leads-heading\"");
    assert!(list.contains(&"signatories-leads"), "{list:?}");
    assert!(
        !list.contains(&"lead"),
        "the leads are not greyed: {list:?}"
    );
    let style = app.get("/static/style.css").await;
    assert_eq!(style.status(), StatusCode::OK);
    let css = style.text().await.unwrap();
    assert!(css.contains(".lead { font-size: 1.125rem; color: var(--muted); }"));
    let rule = css
        .split(".public-letter .signatories-leads {")
        .nth(1)
        .expect("a rule for the leads");
    assert!(
        !rule.split('}').next().unwrap().contains("--muted"),
        "{rule}"
    );
    // Countries by name; none where it is not known.
    assert!(
        page.contains(
            "<strong>Amnesty International</strong> <span class=\"country\">(United Kingdom)</span>"
        ),
        "{page}"
    );
    assert!(
        page.contains("<strong>Human Rights Watch</strong> <span class=\"country\">(United States"),
        "{page}"
    );
    let article_item = &page[article..article + page[article..].find("</li>").unwrap()];
    assert!(!article_item.contains("country"), "{article_item}");
    // Who approved, since the letter shows it.
    assert!(
        page.contains("approved by Ama Example, Secretary General"),
        "{page}"
    );
    assert!(
        article_item.contains("approved by Art Nineteen, Head of Policy"),
        "{article_item}"
    );
    // The release time, to the minute, with its machine-readable form.
    let json: Value = app
        .get(&format!("/letters/{slug}.json"))
        .await
        .json()
        .await
        .unwrap();
    let released_at = json["released_at"].as_str().unwrap();
    let stamp = position(&page, &format!("<time datetime=\"{released_at}\">"));
    let shown = &page[stamp..stamp + page[stamp..].find("</time>").unwrap()];
    assert!(
        shown.contains(&format!("{} UTC", &released_at[11..16])),
        "{shown}"
    );
}

async fn the_json_is_open_to_any_site_with_the_coordinator_and_countries(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        &[("UNDERSIGNED_ORGANIZATION__NAME", "Coalition Secretariat")],
    )
    .await;
    let token = app.admin_token().await;
    let slug = released_coalition_letter(&app, &token).await;
    let response = app.get(&format!("/letters/{slug}.json")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "*",
        "any site's scripts may read it"
    );
    let json: Value = response.json().await.unwrap();
    assert_eq!(json["coordinated_by"], "Coalition Secretariat");
    let countries: Vec<(&str, &Value)> = json["signatories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["organization"].as_str().unwrap(), &s["country"]))
        .collect();
    assert_eq!(
        countries,
        [
            ("Amnesty International", &json!("GB")),
            ("Human Rights Watch", &json!("US")),
            ("Article 19", &Value::Null),
        ]
    );
    assert!(
        json["signatories"][2]
            .as_object()
            .unwrap()
            .contains_key("country"),
        "an unknown country is null, not left out"
    );
    for field in [
        "title",
        "addressee",
        "body_html",
        "released_at",
        "version",
        "content_sha256",
        "signatories",
        "revision",
        "revised_at",
        "revisions",
        "manifest",
        "manifest_sha256",
        "signature",
        "signature_algorithm",
        "public_key",
    ] {
        assert!(
            json.as_object().unwrap().contains_key(field),
            "{field} is kept"
        );
    }
    assert_eq!(json["signatories"][0]["tier"], "lead");
    assert_eq!(
        json["signatories"][0]["approved_by"],
        "Ama Example, Secretary General"
    );
    // The page is not for other sites' scripts.
    let page = app.get(&format!("/letters/{slug}")).await;
    assert!(page.headers().get("access-control-allow-origin").is_none());
}

async fn the_embed_card_may_be_framed_by_any_site_and_the_letter_not(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Human Rights Watch", "lead"), ("Article 19", "supporting")])
        .create(&app, &token)
        .await;
    let unreleased = app.get(&format!("/letters/{}/embed", letter.slug)).await;
    assert_eq!(
        unreleased.status(),
        StatusCode::NOT_FOUND,
        "nothing before release"
    );
    answer(&app, "Human Rights Watch", "sign").await;
    answer(&app, "Article 19", "sign").await;
    release_now(&app, &token, &letter.id).await;

    let page = app.get(&format!("/letters/{}", letter.slug)).await;
    let page_policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        page_policy.contains("frame-ancestors 'none'"),
        "{page_policy}"
    );
    assert_eq!(page.headers()["x-frame-options"], "DENY");

    let embed = app.get(&format!("/letters/{}/embed", letter.slug)).await;
    assert_eq!(embed.status(), StatusCode::OK);
    let policy = embed.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(policy.contains("frame-ancestors *"), "{policy}");
    assert_eq!(
        policy,
        page_policy.replace("frame-ancestors 'none'", "frame-ancestors *"),
        "nothing else of the policy changes"
    );
    assert!(embed.headers().get("x-frame-options").is_none());
    assert_eq!(embed.headers()["x-content-type-options"], "nosniff");
    let card = embed.text().await.unwrap();
    assert!(card.contains("Joint Letter on Xinjiang"), "{card}");
    assert!(card.contains("Signed by 2 organizations"), "{card}");
    assert!(
        card.contains(&format!(
            "href=\"{}\"",
            app.url(&format!("/letters/{}", letter.slug))
        )),
        "{card}"
    );
    assert!(
        !card.contains("site-header"),
        "no page chrome in the card: {card}"
    );
    // The letter's page tells readers where the card is.
    let page = app
        .get(&format!("/letters/{}", letter.slug))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("href=\"/letters/{}/embed\"", letter.slug)));
}

async fn the_index_shows_a_card_per_released_letter(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let two = NewLetter::new()
        .with("title", "Letter Signed Twice")
        .organizations(&[("First Org", "lead"), ("Second Org", "supporting")])
        .create(&app, &token)
        .await;
    answer(&app, "First Org", "sign").await;
    answer(&app, "Second Org", "sign").await;
    let released = release_now(&app, &token, &two.id).await;
    let one = NewLetter::new()
        .with("title", "Letter Signed Once")
        .organizations(&[("Only Org", "lead")])
        .create(&app, &token)
        .await;
    answer(&app, "Only Org", "sign").await;
    release_now(&app, &token, &one.id).await;
    NewLetter::new()
        .with("title", "Draft Nobody Sees")
        .create(&app, &token)
        .await;

    let index = app.get("/letters").await.text().await.unwrap();
    assert_eq!(
        index.matches("class=\"card letter-card\"").count(),
        2,
        "{index}"
    );
    assert!(!index.contains("Draft Nobody Sees"));
    let card = |title: &str| {
        let at = position(&index, title);
        let start = index[..at].rfind("<li").unwrap();
        index[start..at + index[at..].find("</li>").unwrap()].to_string()
    };
    let twice = card("Letter Signed Twice");
    assert!(
        twice.contains(&format!("href=\"/letters/{}\"", two.slug)),
        "{twice}"
    );
    assert!(twice.contains("Signed by 2 organizations"), "{twice}");
    let json: Value = app
        .get(&format!("/letters/{}.json", two.slug))
        .await
        .json()
        .await
        .unwrap();
    let at = json["released_at"].as_str().unwrap();
    assert!(
        twice.contains(&format!("<time datetime=\"{at}\">")),
        "{twice} {released}"
    );
    let year = &at[..4];
    assert!(
        twice.contains(&format!("{year}</time>")),
        "a date for readers: {twice}"
    );
    let once = card("Letter Signed Once");
    assert!(once.contains("Signed by 1 organization<"), "{once}");
}

/// The edit form's fields for this letter, with `slug` as given.
fn edit_fields(slug: &str) -> Vec<(&'static str, String)> {
    vec![
        ("title", TITLE.into()),
        ("addressee", "António Guterres".into()),
        ("body_markdown", "We urge you to act.".into()),
        ("deadline_tz", "UTC".into()),
        ("change", "minor".into()),
        ("slug", slug.into()),
        ("action", "save".into()),
    ]
}

const TITLE: &str =
    "Joint letter on the protection of human rights defenders in the region of the Sahel";

async fn post_edit(app: &TestApp, id: &str, slug: &str) -> (StatusCode, String) {
    let fields = edit_fields(slug);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = app
        .post_form(&format!("/app/letters/{id}/edit"), &pairs)
        .await;
    (response.status(), response.text().await.unwrap())
}

/// The message shown beside the web address field, if any.
fn slug_error(page: &str) -> Option<&str> {
    let at = page.find("id=\"slug-error\"")?;
    let rest = &page[at..];
    Some(&rest[rest.find('>')? + 1..rest.find("</p>")?])
}

async fn the_address_is_cut_between_words_and_edited_until_release(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let token = app.admin_token().await;
    let letter = NewLetter::new()
        .with("title", TITLE)
        .organizations(&[("Sahel Defenders", "lead")])
        .create(&app, &token)
        .await;
    assert_eq!(
        letter.slug, "joint-letter-on-the-protection-of-human-rights-defenders-in",
        "at most 60 characters, cut between words"
    );
    NewLetter::new()
        .with("slug", "taken-address")
        .create(&app, &token)
        .await;

    // The form shows the address and changes it before release.
    let form = app
        .get(&format!("/app/letters/{}/edit", letter.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        form.contains(&format!("name=\"slug\" value=\"{}\"", letter.slug)),
        "{form}"
    );
    let (status, page) = post_edit(&app, &letter.id, "sahel-defenders").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let stored = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}", letter.id),
            &token,
            None,
        )
        .await;
    assert_eq!(stored["slug"], "sahel-defenders");

    // Taken or malformed: refused beside the field, with what was typed kept.
    let (status, page) = post_edit(&app, &letter.id, "taken-address").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        slug_error(&page).is_some_and(|e| e.contains("already used")),
        "{page}"
    );
    assert!(page.contains("name=\"slug\" value=\"taken-address\""));
    let (status, page) = post_edit(&app, &letter.id, "Not An Address").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(slug_error(&page).is_some(), "{page}");
    assert!(page.contains("value=\"Not An Address\""));
    let created = app
        .post_form(
            "/app/letters/new",
            &[
                ("title", "Another Letter"),
                ("addressee", "Someone"),
                ("body_markdown", "Text."),
                ("deadline_tz", "UTC"),
                ("slug", "sahel-defenders"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(created.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = created.text().await.unwrap();
    assert!(
        slug_error(&page).is_some_and(|e| e.contains("already used")),
        "{page}"
    );
    // The API changes it too.
    let via_api = app
        .api_expecting(
            StatusCode::OK,
            Method::PUT,
            &format!("/letters/{}", letter.id),
            &token,
            Some(json!({ "slug": "sahel-defenders-letter" })),
        )
        .await;
    assert_eq!(via_api["slug"], "sahel-defenders-letter");

    // Released: the address stays.
    answer(&app, "Sahel Defenders", "sign").await;
    release_now(&app, &token, &letter.id).await;
    let (status, page) = post_edit(&app, &letter.id, "another-address").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        slug_error(&page).is_some_and(|e| e.contains("cannot change")),
        "{page}"
    );
    app.api_expecting(
        StatusCode::CONFLICT,
        Method::PUT,
        &format!("/letters/{}", letter.id),
        &token,
        Some(json!({ "slug": "another-address" })),
    )
    .await;
    assert_eq!(
        app.get("/letters/sahel-defenders-letter").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get("/letters/another-address").await.status(),
        StatusCode::NOT_FOUND
    );
    let form = app
        .get(&format!("/app/letters/{}/edit", letter.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(form.contains("value=\"sahel-defenders-letter\" pattern=\"[a-z0-9]+(-[a-z0-9]+)*\" maxlength=\"80\" readonly"), "{form}");
}
