//! The partner's sign page at its best: one state box above the letter that is always right
//! (open until a deadline shown in its zone and in UTC, release scheduled with answers open or
//! the list frozen, released with the public link and whether the organization is listed,
//! deadline passed); a decline that needs only a name; a withdrawal asked again on a page of its
//! own; a refused field shown beside itself with the chosen answer kept; a hand-over that shows
//! the address back before the link moves, after which the old link answers 410 Gone with a page
//! saying when and to whom (masked) it was handed on; the list of signatories when the letter
//! shows it; and the changes since a signature in the words of the letter, not its Markdown.

use chrono::TimeDelta;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::storage_test;
use crate::support::forms::{csrf_of, hidden_field};
use crate::support::invitations::invitation_named;
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::{Partner, answer, sign_path_of};
use crate::support::sign_pages::{confirm_forward, state_box};
use crate::support::{Backend, TestApp};

storage_test!(
    the_box_tells_an_open_letter_and_its_deadline_then_that_it_passed,
    the_box_tells_a_scheduled_release_with_answers_open_or_frozen,
    the_box_tells_a_release_and_whether_the_organization_is_listed,
    declining_needs_only_a_name,
    withdrawing_is_asked_again_before_anything_is_recorded,
    a_refused_field_is_beside_itself_and_the_answer_is_kept,
    the_address_is_shown_back_before_the_link_moves_and_the_old_link_says_so,
    the_signatories_are_listed_when_the_letter_shows_them,
    a_long_list_of_signatories_shows_its_first_two_hundred_and_says_there_are_more,
    the_changes_are_shown_in_the_words_of_the_letter,
);

async fn the_box_tells_an_open_letter_and_its_deadline_then_that_it_passed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let deadline = (app.clock.now_utc() + TimeDelta::days(3)).to_rfc3339();
    NewLetter::new()
        .with("deadline", deadline)
        .with("deadline_time_zone", "Europe/Zurich")
        .organizations(&[("Lead Org", "lead")])
        .create(&app, &admin)
        .await;
    let page = Partner::open(&app, "Lead Org").await.page;
    let open = state_box(&page);
    for expected in [
        "Open for answers",
        "Answers close on",
        "(Europe/Zurich)",
        " UTC",
        "in 3 days",
    ] {
        assert!(open.contains(expected), "{expected}: {open}");
    }
    assert!(
        page.find("state-box") < page.find("letter-text"),
        "the box is above the letter"
    );
    assert!(page.contains("Lead Org</strong> to co-sign") || page.contains("to co-sign"));

    app.clock.advance(TimeDelta::days(4));
    let page = Partner::open(&app, "Lead Org").await.page;
    let passed = state_box(&page);
    assert!(
        passed.contains("Deadline passed") && passed.contains("(Europe/Zurich)"),
        "{passed}"
    );
    assert!(
        !page.contains(r#"value="sign""#),
        "no answer offered: {page}"
    );
}

async fn the_box_tells_a_scheduled_release_with_answers_open_or_frozen(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let mut letters = Vec::new();
    for (title, organization) in [("Open until release", "Open Org"), ("Frozen", "Frozen Org")] {
        let letter = NewLetter::new()
            .with("title", title)
            .organizations(&[(organization, "lead")])
            .create(&app, &admin)
            .await;
        answer(&app, organization, "sign").await;
        letters.push(letter);
    }
    let at = (app.clock.now_utc() + TimeDelta::hours(5)).to_rfc3339();
    for (letter, frozen) in letters.iter().zip([false, true]) {
        app.api_expecting(
            StatusCode::OK,
            Method::POST,
            &format!("/letters/{}/release", letter.id),
            &admin,
            Some(json!({ "at": at, "time_zone": "Europe/Zurich", "freeze_answers": frozen })),
        )
        .await;
    }
    let page = Partner::open(&app, "Open Org").await.page;
    let open = state_box(&page);
    for expected in [
        "Release scheduled",
        "will be published on",
        "(Europe/Zurich)",
        "Answers are still open until the release",
    ] {
        assert!(open.contains(expected), "{expected}: {open}");
    }
    assert!(page.contains(r#"value="decline""#), "{page}");

    let page = Partner::open(&app, "Frozen Org").await.page;
    let frozen = state_box(&page);
    assert!(
        frozen.contains("will be published on") && frozen.contains("list of signatories is frozen"),
        "{frozen}"
    );
    assert!(!page.contains(r#"value="decline""#), "{page}");
}

async fn the_box_tells_a_release_and_whether_the_organization_is_listed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .with("body_markdown", "We urge you to act.")
        .organizations(&[("Listed Org", "lead"), ("Silent Org", "supporting")])
        .create(&app, &admin)
        .await;
    answer(&app, "Listed Org", "sign").await;
    app.api_expecting(
        StatusCode::OK,
        Method::PUT,
        &format!("/letters/{}", letter.id),
        &admin,
        Some(json!({ "body_markdown": "We urge you to act now.", "change": "substantive" })),
    )
    .await;
    answer(&app, "Listed Org", "sign").await;
    release_now(&app, &admin, &letter.id).await;
    let today = app.clock.now_utc().format("%-d %B %Y").to_string();
    let public_link = format!(r#"href="/letters/{}""#, letter.slug);

    let page = Partner::open(&app, "Listed Org").await.page;
    let listed = state_box(&page);
    for expected in [
        format!("Published on {today}"),
        public_link.clone(),
        "Read it here".into(),
        "Your organization is listed".into(),
    ] {
        assert!(listed.contains(&expected), "{expected}: {listed}");
    }
    assert!(
        !page.contains("/sign/forward") && !page.contains("Hand this request"),
        "a listed signatory is not offered a hand-over: {page}"
    );
    assert!(!page.contains("The text changed since"), "{page}");
    assert!(page.contains(r#"action="/sign/withdraw""#), "{page}");

    let page = Partner::open(&app, "Silent Org").await.page;
    let silent = state_box(&page);
    assert!(
        silent.contains("is not listed") && silent.contains(&public_link),
        "{silent}"
    );
    let public = app.get(&format!("/letters/{}", letter.slug)).await;
    assert_eq!(public.status(), StatusCode::OK);
}

async fn declining_needs_only_a_name(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    NewLetter::new()
        .organizations(&[("Lead Org", "lead")])
        .create(&app, &admin)
        .await;
    let partner = Partner::open(&app, "Lead Org").await;
    assert!(
        !partner
            .page
            .contains(r#"name="signer_title" value="" autocomplete="organization-title" required"#),
        "the title is not required in the browser: {}",
        partner.page
    );
    let (status, page) = partner
        .send_answer(&partner.page, "decline", "Jo Example", "", "")
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    assert_eq!(
        invitation_named(&app, "Lead Org").await.status.as_str(),
        "declined"
    );
    // Signing still needs the title.
    let partner = Partner::open(&app, "Lead Org").await;
    assert!(partner.page.contains("by Jo Example."), "{}", partner.page);
    let (status, _) = partner
        .send_answer(&partner.page, "sign", "Jo Example", "", "")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn withdrawing_is_asked_again_before_anything_is_recorded(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    NewLetter::new()
        .organizations(&[("Lead Org", "lead")])
        .create(&app, &admin)
        .await;
    answer(&app, "Lead Org", "sign").await;
    let partner = Partner::open(&app, "Lead Org").await;
    assert!(
        partner
            .page
            .contains(r#"<form method="post" action="/sign/withdraw">"#)
            && !partner
                .page
                .contains(r#"type="radio" name="decision" value="withdraw""#),
        "a plain button, not a radio: {}",
        partner.page
    );
    let asked = partner
        .browser
        .post(format!("{}/sign/withdraw", partner.base))
        .form(&[("csrf_token", csrf_of(&partner.page))])
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), StatusCode::OK);
    let asked = asked.text().await.unwrap();
    assert!(
        asked.contains("Withdraw the signature of Lead Org?")
            && asked.contains("Yes, withdraw our signature"),
        "{asked}"
    );
    assert_eq!(
        invitation_named(&app, "Lead Org").await.status.as_str(),
        "signed",
        "asking records nothing"
    );
    let confirmed = partner
        .browser
        .post(format!("{}/sign", partner.base))
        .form(&[
            ("csrf_token", csrf_of(&asked)),
            ("submission_key", hidden_field(&asked, "submission_key")),
            ("content_sha256", hidden_field(&asked, "content_sha256")),
            ("decision", hidden_field(&asked, "decision")),
            ("signer_name", hidden_field(&asked, "signer_name")),
            ("signer_title", hidden_field(&asked, "signer_title")),
            (
                "organization_display_name",
                hidden_field(&asked, "organization_display_name"),
            ),
            ("comment", String::new()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        invitation_named(&app, "Lead Org").await.status.as_str(),
        "withdrawn"
    );
}

async fn a_refused_field_is_beside_itself_and_the_answer_is_kept(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    NewLetter::new()
        .organizations(&[("Lead Org", "lead")])
        .create(&app, &admin)
        .await;
    let partner = Partner::open(&app, "Lead Org").await;
    let (status, page) = partner
        .send_answer(&partner.page, "sign", "Jo Example", "", "")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains(r#"value="sign" required checked"#),
        "the chosen answer is kept: {page}"
    );
    let input = page.find(r#"id="signer_title""#).expect("the title field");
    let error = page
        .find(r#"<p class="field-error" id="signer_title-error" role="alert">"#)
        .expect("the title's error");
    let next_field = page.find(r#"id="organization_display_name""#).unwrap();
    assert!(
        input < error && error < next_field,
        "beside its field: {page}"
    );
    let message = &page[error..];
    let message = &message[message.find('>').unwrap() + 1..];
    assert!(
        message.starts_with(char::is_uppercase),
        "starts with a capital: {message}"
    );
}

/// The old link answers 410 Gone (not 404): it did work, and was handed on; its page says so.
async fn the_address_is_shown_back_before_the_link_moves_and_the_old_link_says_so(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    NewLetter::new()
        .organizations(&[("Lead Org", "lead")])
        .create(&app, &admin)
        .await;
    let old_link = app.url(&sign_path_of(&app, "Lead Org").await);
    let partner = Partner::open(&app, "Lead Org").await;
    let shown = partner
        .forward("director@example.org", "Dana Director")
        .await;
    assert_eq!(shown.status(), StatusCode::OK);
    let shown = shown.text().await.unwrap();
    assert!(
        shown.contains("<strong>director@example.org</strong>")
            && shown.contains("Yes, send the link to director@example.org"),
        "{shown}"
    );
    let (_, status) = Partner::follow(&app.address, &old_link).await;
    assert_eq!(status, StatusCode::OK, "the link has not moved yet");

    let moved = confirm_forward(&partner, &shown).await;
    assert_eq!(moved.status(), StatusCode::OK);
    assert!(moved.text().await.unwrap().contains("Handed on"));
    let (old, status) = Partner::follow(&app.address, &old_link).await;
    assert_eq!(status, StatusCode::GONE, "{}", old.page);
    let today = app.clock.now_utc().format("%-d %B %Y").to_string();
    for expected in [
        "handed on to a colleague on",
        today.as_str(),
        "d…@example.org",
        "reach the coordinators",
    ] {
        assert!(old.page.contains(expected), "{expected}: {}", old.page);
    }
    assert!(!old.page.contains("director@example.org"), "{}", old.page);
}

async fn the_signatories_are_listed_when_the_letter_shows_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    NewLetter::new()
        .with("show_signatories", true)
        .organizations(&[("First Signer", "lead"), ("Second Org", "supporting")])
        .create(&app, &admin)
        .await;
    let before = Partner::open(&app, "Second Org").await.page;
    assert!(!before.contains("Already signed"), "{before}");
    answer(&app, "First Signer", "sign").await;
    let page = Partner::open(&app, "Second Org").await.page;
    let list = &page[page.find("Already signed").expect("the list")..];
    assert!(list.contains("<li>First Signer</li>"), "{page}");
}

async fn a_long_list_of_signatories_shows_its_first_two_hundred_and_says_there_are_more(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let names: Vec<String> = (0..202).map(|n| format!("Signer {n:03}")).collect();
    let mut letter = NewLetter::new().with("show_signatories", true);
    for name in names.iter().map(String::as_str).chain(["Reader Org"]) {
        letter = letter.invitee(json!({ "organization": name, "email": format!("{}@example.org", name.replace(' ', "-")) }));
    }
    let letter = letter.create(&app, &admin).await;
    let partner = Partner::open(&app, "Reader Org").await;
    assert!(!partner.page.contains("Already signed"), "{}", partner.page);
    for name in &names[..200] {
        app.api_expecting(
            StatusCode::CREATED,
            Method::POST,
            &format!("/invitations/{}/responses", letter.invitation_id(name)),
            &admin,
            Some(json!({
                "decision": "sign",
                "signer_name": "Jo Example",
                "channel": "email",
                "evidence": "Their director's email of Monday",
            })),
        )
        .await;
    }
    let listed = |page: &str| -> Vec<String> {
        let list = &page[page.find("Already signed").expect("the list")..];
        let list = &list[..list.find("</ul>").expect("its end")];
        list.split("<li>")
            .skip(1)
            .map(|item| item.trim_end_matches("</li>").to_string())
            .collect()
    };
    let page = Partner::open(&app, "Reader Org").await.page;
    assert_eq!(listed(&page), names[..200], "all two hundred, by name");
    assert!(!page.contains("more organizations have signed"), "{page}");

    for name in &names[200..] {
        answer(&app, name, "sign").await;
    }
    let page = Partner::open(&app, "Reader Org").await.page;
    assert_eq!(
        listed(&page),
        names[..200],
        "the first two hundred, by name"
    );
    assert!(
        page.contains(
            "These are the first 200 in alphabetical order; more organizations have signed."
        ),
        "{page}"
    );
}

async fn the_changes_are_shown_in_the_words_of_the_letter(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .with("body_markdown", "# Our ask\n\nWe **urge** you to act.")
        .organizations(&[("Lead Org", "lead")])
        .create(&app, &admin)
        .await;
    answer(&app, "Lead Org", "sign").await;
    app.api_expecting(
        StatusCode::OK,
        Method::PUT,
        &format!("/letters/{}", letter.id),
        &admin,
        Some(json!({
            "body_markdown": "# Our ask\n\nWe **strongly urge** you to act _today_.",
            "change": "substantive",
        })),
    )
    .await;
    let page = Partner::open(&app, "Lead Org").await.page;
    let start = page
        .find(r#"class="letter-text diff""#)
        .expect("the changes");
    let diff = &page[start..start + page[start..].find("</div>").unwrap()];
    assert!(diff.contains("<ins>strongly "), "{diff}");
    assert!(diff.contains("Our ask") && diff.contains("urge"), "{diff}");
    assert!(
        !diff.contains("**") && !diff.contains('#') && !diff.contains('_'),
        "no Markdown in the changes: {diff}"
    );
}
