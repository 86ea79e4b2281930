//! Every form that fails validation answers with the same form (422, or the status the form
//! documents), the message beside the field and everything typed still there: never the bare
//! error page. One table of bad input, one row per form, posted through the real forms of the
//! staff app, the login and setup pages and the partner's sign page, on both databases.

use reqwest::{Client, StatusCode};
use undersigned::app::sessions;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::accounts::emailed_link_path;
use crate::support::browsers::browser;
use crate::support::forms::{csrf_of, hidden_field, location};
use crate::support::letters::NewLetter;
use crate::support::partners::{Partner, answer};
use crate::support::{Backend, TestApp};

storage_test!(every_form_keeps_its_input_and_shows_the_problem_beside_the_field);

/// What a case sends: form fields, or a file as the CSV upload sends it.
enum Body {
    Fields(Vec<(&'static str, String)>),
    File(Vec<u8>),
}

/// One form sent with bad input, and what the answer must show.
struct Case<'a> {
    /// The form, as the failure message names it.
    form: &'static str,
    /// The browser that sends it, with its CSRF token.
    browser: &'a Client,
    csrf: String,
    url: String,
    body: Body,
    status: StatusCode,
    /// Marks the same form in the answer, such as `action="/login"`.
    action: String,
    /// The id of the element that holds the message beside its field; `None` when the
    /// refusal is about the form as a whole and shown above it.
    error_id: Option<&'static str>,
    /// A part of the message, as the page writes it.
    message: &'static str,
    /// Whether an input is marked `aria-invalid` and described by the message (not when the
    /// message belongs to a group of tick boxes).
    marked: bool,
    /// Markup that shows each typed value kept, such as `name="email" value="…"`.
    kept: Vec<String>,
}

impl Case<'_> {
    async fn send(&self) -> (StatusCode, String) {
        let request = self.browser.post(&self.url);
        let request = match &self.body {
            Body::Fields(fields) => {
                let mut all = vec![("csrf_token", self.csrf.clone())];
                all.extend(fields.iter().cloned());
                request.form(&all)
            }
            Body::File(bytes) => request.multipart(
                reqwest::multipart::Form::new()
                    .text("csrf_token", self.csrf.clone())
                    .part(
                        "file",
                        reqwest::multipart::Part::bytes(bytes.clone()).file_name("partners.csv"),
                    ),
            ),
        };
        let response = request.send().await.expect("the form is sent");
        let status = response.status();
        (status, response.text().await.expect("the answer's page"))
    }
}

/// `name="{field}" value="{value}"`: an input filled with what was typed.
fn input(field: &str, value: &str) -> String {
    format!(r#"name="{field}" value="{value}""#)
}

/// A text area holding what was typed.
fn text_area(value: &str) -> String {
    format!(">{value}</textarea>")
}

/// The markup of the element with this id, up to its closing tag.
fn element_with_id<'h>(html: &'h str, id: &str) -> Option<&'h str> {
    let at = html.find(&format!(r#"id="{id}""#))?;
    let open = html[..at].rfind('<')?;
    let tag: String = html[open + 1..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let end = at + html[at..].find(&format!("</{tag}>"))?;
    Some(&html[open..end])
}

/// Whether an element of the page is described by the element with this id.
fn described_by(html: &str, id: &str) -> bool {
    html.split(r#"aria-describedby=""#)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .any(|ids| ids.split_whitespace().any(|d| d == id))
}

async fn every_form_keeps_its_input_and_shows_the_problem_beside_the_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // The setup link works only while no account exists: its own instance.
    let fresh = TestApp::spawn(backend).await;
    let clock = fresh.clock.clone();
    let setup_token = fresh
        .context
        .db
        .run(move |conn| sessions::create_setup_token(conn, &clock))
        .await
        .unwrap()
        .expect("no account yet, so a setup link");
    let setup_path = format!("/setup/{setup_token}");
    let setup_csrf = csrf_of(&fresh.get(&setup_path).await.text().await.unwrap());

    app.login_as("admin@example.org", Role::Admin).await;
    let token = app.admin_token_of("admin@example.org");
    let letter = NewLetter::new()
        .organizations(&[("Lead Org", "lead"), ("Second Org", "supporting")])
        .create(&app, &token)
        .await;
    answer(&app, "Lead Org", "sign").await;
    let invitation = letter.invitation_id("Second Org");
    let added = app
        .post_form("/app/organizations/new", &[("name", "Edited Org")])
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let organization = location(&added);
    let partner = Partner::open(&app, "Second Org").await;
    let visitor = browser();
    let login_page = visitor.get(app.url("/login")).send().await.unwrap();
    let visitor_csrf = csrf_of(&login_page.text().await.unwrap());
    let staff_csrf = app.csrf().await;
    // The links of an invited colleague and of a forgotten password, as their emails carry them.
    let invited = app
        .post_form(
            "/app/accounts",
            &[
                ("name", "Invited"),
                ("email", "invited@example.org"),
                ("role", "coordinator"),
            ],
        )
        .await;
    assert_eq!(invited.status(), StatusCode::SEE_OTHER);
    let welcome_path = emailed_link_path(&app, "invited@example.org", "invitation").await;
    let forgot = app
        .post_form("/password/forgot", &[("email", "admin@example.org")])
        .await;
    assert_eq!(forgot.status(), StatusCode::OK);
    let reset_path = emailed_link_path(&app, "admin@example.org", "password_reset").await;
    // The second factor being set up: its confirmation form is on the account page.
    let enrolling = app.post_form("/app/account/totp", &[]).await;
    assert_eq!(enrolling.status(), StatusCode::SEE_OTHER);
    let staff = |form, path: &str, fields: Vec<(&'static str, &str)>| Case {
        form,
        browser: &app.client,
        csrf: staff_csrf.clone(),
        url: app.url(path),
        body: Body::Fields(
            fields
                .into_iter()
                .map(|(k, v)| (k, v.to_string()))
                .collect(),
        ),
        status: StatusCode::UNPROCESSABLE_ENTITY,
        action: format!(r#"action="{path}""#),
        error_id: None,
        message: "",
        marked: true,
        kept: Vec::new(),
    };
    // A visitor on the letter's join page, the least fill time passed.
    crate::support::sign_on::open_sign_on(&app, &token, &letter.id).await;
    let join_path = format!("/letters/{}/join", letter.slug);
    let joiner = browser();
    let join_page = joiner
        .get(app.url(&join_path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    app.clock.advance(chrono::TimeDelta::seconds(5));
    let long_label = "x".repeat(101);
    let letter_path = format!("/app/letters/{}", letter.id);
    let long_message = "m".repeat(2001);
    let long_name = "n".repeat(301);

    let cases = vec![
        Case {
            error_id: Some("password-error"),
            message: "The password must have at least 12 characters",
            ..staff(
                "choose a password (invitation link)",
                &welcome_path,
                vec![("password", "short")],
            )
        },
        Case {
            error_id: Some("password-error"),
            message: "The password must have at least 12 characters",
            ..staff(
                "choose a new password (reset link)",
                &reset_path,
                vec![("password", "short")],
            )
        },
        Case {
            error_id: Some("totp-code-error"),
            message: "This code is not right",
            ..staff(
                "turn the second factor on (wrong code)",
                "/app/account/totp/confirm",
                vec![("code", "000000")],
            )
        },
        Case {
            error_id: Some("title-error"),
            message: "The title is required",
            kept: vec![
                input("addressee", "Keep Addressee"),
                text_area("We keep this text."),
            ],
            ..staff(
                "new letter",
                "/app/letters/new",
                vec![
                    ("title", ""),
                    ("addressee", "Keep Addressee"),
                    ("body_markdown", "We keep this text."),
                    ("action", "save"),
                ],
            )
        },
        Case {
            error_id: Some("deadline_tz-error"),
            message: "“Mars/Olympus” is not a known time zone",
            kept: vec![
                input("title", "Edited Title"),
                input("deadline", "2030-01-01T10:00"),
                input("deadline_tz", "Mars/Olympus"),
            ],
            ..staff(
                "edit the letter",
                &format!("{letter_path}/edit"),
                vec![
                    ("title", "Edited Title"),
                    ("addressee", "António Guterres"),
                    ("body_markdown", "We urge you to act."),
                    ("deadline", "2030-01-01T10:00"),
                    ("deadline_tz", "Mars/Olympus"),
                    ("change", "minor"),
                    ("action", "save"),
                ],
            )
        },
        Case {
            error_id: Some("country-error"),
            message: "“Narnia” is not a country",
            kept: vec![
                input("name", "Keep Org"),
                input("country", "Narnia"),
                input("email", "desk@keep.example"),
            ],
            ..staff(
                "add an organization",
                "/app/organizations/new",
                vec![
                    ("name", "Keep Org"),
                    ("country", "Narnia"),
                    ("email", "desk@keep.example"),
                ],
            )
        },
        Case {
            error_id: Some("country-error"),
            message: "“Narnia” is not a country",
            kept: vec![input("name", "Renamed Org"), input("country", "Narnia")],
            ..staff(
                "edit an organization",
                &organization,
                vec![("name", "Renamed Org"), ("country", "Narnia")],
            )
        },
        Case {
            error_id: Some("contact_email-error"),
            message: "“not an email” is not a valid email address",
            kept: vec![
                input("email", "not an email"),
                input("contact_name", "Press desk"),
            ],
            ..staff(
                "add a contact",
                &format!("{organization}/contacts"),
                vec![("email", "not an email"), ("contact_name", "Press desk")],
            )
        },
        Case {
            error_id: Some("name-error"),
            message: "name is required",
            kept: vec![
                input("email", "colleague@example.org"),
                r#"value="admin" selected"#.into(),
            ],
            ..staff(
                "invite a colleague (no name)",
                "/app/accounts",
                vec![
                    ("name", ""),
                    ("email", "colleague@example.org"),
                    ("role", "admin"),
                ],
            )
        },
        Case {
            error_id: Some("new-error"),
            message: "The password must have at least 12 characters",
            ..staff(
                "change the password (too short)",
                "/app/account/password",
                vec![("current", "whatever it is"), ("new", "short")],
            )
        },
        Case {
            error_id: Some("current-error"),
            message: "The current password is not right; nothing was changed.",
            ..staff(
                "change the password (wrong current one)",
                "/app/account/password",
                vec![
                    ("current", "not it at all"),
                    ("new", "another long password"),
                ],
            )
        },
        Case {
            error_id: Some("label-error"),
            message: "The label is longer than 100 characters",
            kept: vec![input("label", &long_label)],
            ..staff(
                "create an API token",
                "/app/account/tokens",
                vec![("label", long_label.as_str())],
            )
        },
        Case {
            // Refused by the invitations' own parser, whose messages start in lower case.
            error_id: Some("signer_name-error"),
            message: "The name of the person who answered is required",
            action: format!(r#"action="/app/invitations/{invitation}/responses#record""#),
            kept: vec![
                input("signer_title", "Director"),
                text_area("Call on 3 May"),
            ],
            ..staff(
                "record an answer",
                &format!("/app/invitations/{invitation}/responses"),
                vec![
                    ("decision", "sign"),
                    ("signer_name", ""),
                    ("signer_title", "Director"),
                    ("channel", "phone"),
                    ("evidence", "Call on 3 May"),
                ],
            )
        },
        Case {
            error_id: Some("schedule-error"),
            message: "“Mars/Olympus” is not a known time zone",
            kept: vec![
                input("at", "2030-01-01T10:00"),
                input("time_zone", "Mars/Olympus"),
            ],
            ..staff(
                "schedule the release",
                &format!("{letter_path}/release"),
                vec![
                    ("action", "schedule"),
                    ("at", "2030-01-01T10:00"),
                    ("time_zone", "Mars/Olympus"),
                ],
            )
        },
        Case {
            error_id: Some("bulk-error"),
            message: "Tick at least one organization first",
            marked: false,
            ..staff(
                "act on the selected invitations",
                &format!("{letter_path}/bulk"),
                vec![("action", "remind")],
            )
        },
        Case {
            error_id: Some("list-error"),
            message: "not a valid email",
            action: format!(r#"action="{letter_path}/invite/paste""#),
            kept: vec![text_area("Good Org, good@example.org\nBroken Org, nope")],
            ..staff(
                "paste a list to invite",
                &format!("{letter_path}/invite/paste"),
                vec![
                    ("list", "Good Org, good@example.org\nBroken Org, nope"),
                    ("tier", "supporting"),
                ],
            )
        },
        Case {
            error_id: Some("book-error"),
            message: "Tick at least one organization",
            action: format!(r#"action="{letter_path}/invite/address-book""#),
            marked: false,
            ..staff(
                "invite from the address book",
                &format!("{letter_path}/invite/address-book"),
                vec![("scope", "ticked")],
            )
        },
        Case {
            body: Body::File(b"organization,email\nBroken Org,nope\n".to_vec()),
            error_id: Some("file-error"),
            message: "One row cannot be invited, so nothing was sent.",
            action: format!(r#"action="{letter_path}/invite/csv""#),
            ..staff(
                "invite from a file",
                &format!("{letter_path}/invite/csv"),
                Vec::new(),
            )
        },
        Case {
            error_id: Some("message-error"),
            message: "keep it under 2000",
            action: format!(r#"action="{letter_path}/invite/send""#),
            kept: vec![text_area(&long_message)],
            ..staff(
                "the personal message of the review page",
                &format!("{letter_path}/invite/send"),
                vec![
                    (
                        "batch",
                        r#"[{"organization":"New Org","email":"new@example.org","tier":"supporting"}]"#,
                    ),
                    ("message", long_message.as_str()),
                    ("action", "preview"),
                ],
            )
        },
        Case {
            error_id: Some("display-name-error"),
            message: "name is longer than 300 characters",
            action: format!(r#"action="/app/invitations/{invitation}/edit""#),
            kept: vec![input("display_name", &long_name)],
            ..staff(
                "the printed name of an invitation",
                &format!("/app/invitations/{invitation}/edit"),
                vec![("tier", "supporting"), ("display_name", long_name.as_str())],
            )
        },
        Case {
            body: Body::File(Vec::new()),
            error_id: Some("file-error"),
            message: "The file is empty.",
            ..staff(
                "upload organizations",
                "/app/organizations/import/preview",
                Vec::new(),
            )
        },
        Case {
            browser: &visitor,
            csrf: visitor_csrf,
            status: StatusCode::UNAUTHORIZED,
            message: "The email address or the password is not right.",
            marked: false,
            kept: vec![input("email", "admin@example.org")],
            ..staff(
                "log in",
                "/login",
                vec![
                    ("email", "admin@example.org"),
                    ("password", "wrong password"),
                ],
            )
        },
        Case {
            browser: &fresh.client,
            csrf: setup_csrf,
            url: fresh.url(&setup_path),
            error_id: Some("email-error"),
            message: "“not an email” is not a valid email address",
            kept: vec![input("name", "Ada"), input("email", "not an email")],
            ..staff(
                "create the first admin",
                &setup_path,
                vec![
                    ("name", "Ada"),
                    ("email", "not an email"),
                    ("password", "a long enough password"),
                ],
            )
        },
        Case {
            browser: &partner.browser,
            csrf: csrf_of(&partner.page),
            url: app.url("/sign"),
            error_id: Some("signer_name-error"),
            message: "Your name is required",
            kept: vec![
                input("signer_title", "Director"),
                input("organization_display_name", "Second Org"),
                text_area("We keep this note."),
                r#"value="sign" required checked"#.into(),
            ],
            ..staff(
                "the partner's answer",
                "/sign",
                vec![
                    (
                        "submission_key",
                        &hidden_field(&partner.page, "submission_key"),
                    ),
                    (
                        "content_sha256",
                        &hidden_field(&partner.page, "content_sha256"),
                    ),
                    ("decision", "sign"),
                    ("signer_name", ""),
                    ("signer_title", "Director"),
                    ("organization_display_name", "Second Org"),
                    ("comment", "We keep this note."),
                ],
            )
        },
        Case {
            browser: &partner.browser,
            csrf: csrf_of(&partner.page),
            url: app.url("/sign/forward"),
            error_id: Some("colleague_email-error"),
            message: "“nope” is not a valid email address",
            kept: vec![
                input("colleague_email", "nope"),
                input("colleague_name", "Sam Colleague"),
            ],
            ..staff(
                "hand the request to a colleague",
                "/sign/forward",
                vec![
                    ("colleague_email", "nope"),
                    ("colleague_name", "Sam Colleague"),
                ],
            )
        },
        Case {
            browser: &joiner,
            csrf: csrf_of(&join_page),
            error_id: Some("email-error"),
            message: "is not a valid email address",
            kept: vec![
                input("name", "Joining Org"),
                input("contact_name", "Ana Joiner"),
                text_area("Glad to join."),
            ],
            ..staff(
                "the join form",
                &join_path,
                vec![
                    ("kind", "organization"),
                    ("shown_at", &hidden_field(&join_page, "shown_at")),
                    ("proof", &hidden_field(&join_page, "proof")),
                    ("name", "Joining Org"),
                    ("contact_name", "Ana Joiner"),
                    ("email", "nope"),
                    ("note", "Glad to join."),
                ],
            )
        },
    ];

    for case in &cases {
        let form = case.form;
        let (status, html) = case.send().await;
        assert_eq!(status, case.status, "{form}: {html}");
        assert!(
            !html.contains("Go to the home page"),
            "{form}: the form, not the error page: {html}"
        );
        assert!(
            html.contains(&case.action),
            "{form}: the same form ({}) is shown again: {html}",
            case.action
        );
        match case.error_id {
            Some(id) => {
                let beside = element_with_id(&html, id)
                    .unwrap_or_else(|| panic!("{form}: no element {id} in {html}"));
                assert!(
                    beside.contains(case.message),
                    "{form}: “{}” beside the field, in {beside}",
                    case.message
                );
                if case.marked {
                    assert!(
                        described_by(&html, id) && html.contains(r#"aria-invalid="true""#),
                        "{form}: the field is marked and described by {id}: {html}"
                    );
                }
            }
            None => {
                let alert = html
                    .split(r#"role="alert">"#)
                    .nth(1)
                    .unwrap_or_else(|| panic!("{form}: no alert above the form in {html}"));
                assert!(
                    alert.starts_with(case.message),
                    "{form}: “{}” above the form, in {html}",
                    case.message
                );
            }
        }
        for kept in &case.kept {
            assert!(html.contains(kept), "{form}: {kept} is kept in {html}");
        }
    }
}
