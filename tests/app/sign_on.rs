//! Open sign-on on both databases: an organization that was not invited asks to join, confirms
//! its address through the email really sent, and is approved into the published list as
//! `open_sign_on`; a rejection tells the requester why; a second request merges into the first;
//! the limits, the trap field and the least fill time stop floods and naive programs; an
//! individual is listed apart; and a substantive edit between request and approval asks the
//! organization to approve the new text.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::storage_test;
use crate::support::browsers::browser;
use crate::support::forms::{csrf_of, hidden_field};
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::answer;
use crate::support::sign_on::{
    ask_to_join, confirm_by_link, confirmation_link_in, open_sign_on, request_id, requests,
};
use crate::support::smtp::{SmtpServer, app_delivering_to, smtp_available};
use crate::support::{Backend, TestApp};

storage_test!(
    an_organization_asks_confirms_and_is_approved_into_the_release,
    a_rejection_tells_the_requester_why,
    asking_twice_is_one_request_and_the_limits_hold,
    an_individual_is_listed_apart,
    a_substantive_edit_between_request_and_approval_asks_again,
    the_join_page_exists_only_while_sign_on_is_open,
    an_individual_approved_after_release_joins_in_a_revision,
    the_same_organization_asking_at_once_is_one_request,
);

const ORG_FIELDS: [(&str, &str); 6] = [
    ("name", "Défenseurs Sans Frontières"),
    ("country", "Senegal"),
    ("website", "https://dsf.example.org"),
    ("contact_name", "Awa Ndiaye"),
    ("title", "Director"),
    ("email", "awa@dsf.example.org"),
];

async fn an_organization_asks_confirms_and_is_approved_into_the_release(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = app_delivering_to(backend, &smtp, &[]).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Amnesty International", "lead")])
        .create(&app, &admin)
        .await;
    open_sign_on(&app, &admin, &letter.id).await;
    let worker = app.start_worker();

    // Before release the letter's page is not public, but its join page is.
    assert_eq!(
        app.get(&format!("/letters/{}", letter.slug)).await.status(),
        StatusCode::NOT_FOUND
    );
    let sent = ask_to_join(&app, &letter.slug, "organization", &ORG_FIELDS).await;
    assert_eq!(sent.status(), StatusCode::OK);
    assert!(sent.text().await.unwrap().contains("Check your email"));
    let listed = requests(&app, &admin, &letter.id).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["status"], "unconfirmed");
    assert_eq!(listed[0]["kind"], "organization");
    assert_eq!(listed[0]["country"], "SN");

    let mail = smtp
        .wait_for_messages_to("awa@dsf.example.org", 1, Duration::from_secs(20))
        .await;
    assert!(mail[0].header("subject").contains("Confirm your request"));
    let text = mail[0].text.clone().unwrap();
    let link = confirmation_link_in(&text);
    // A scanner that opens the link confirms nothing.
    let scanned = browser().get(&link).send().await.unwrap();
    assert_eq!(scanned.status(), StatusCode::OK);
    assert_eq!(
        requests(&app, &admin, &letter.id).await[0]["status"],
        "unconfirmed"
    );
    let confirmed = confirm_by_link(&app, &link).await;
    assert!(
        confirmed.contains("Your request is confirmed"),
        "{confirmed}"
    );
    let pending = &requests(&app, &admin, &letter.id).await[0];
    assert_eq!(pending["status"], "pending");
    assert_eq!(pending["hints"]["email_matches_website"], true);
    assert_eq!(pending["hints"]["free_mail"], false);
    assert!(pending["hints"]["matching_organization"].is_null());

    // Nothing the requester typed is public before approval.
    answer(&app, "Amnesty International", "sign").await;
    let check = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}/release-check", letter.id),
            &admin,
            None,
        )
        .await;
    assert!(!check.to_string().contains("Défenseurs"), "{check}");

    let id = pending["id"].as_str().unwrap();
    let approved = app
        .api_expecting(
            StatusCode::OK,
            Method::POST,
            &format!("/requests/{id}/approve"),
            &admin,
            None,
        )
        .await;
    assert_eq!(approved["status"], "approved");
    let again = app
        .api(
            Method::POST,
            &format!("/requests/{id}/approve"),
            &admin,
            None,
        )
        .await;
    assert_eq!(again.0, StatusCode::CONFLICT, "decided once");

    // The organization's contact gets its own sign link, like any partner.
    let welcome = smtp
        .wait_for_messages_to("awa@dsf.example.org", 2, Duration::from_secs(20))
        .await;
    let confirmation = welcome
        .iter()
        .find(|m| !m.header("subject").contains("Confirm your request"))
        .and_then(|m| m.text.clone())
        .expect("the signature's confirmation");
    assert!(confirmation.contains("/sign/"), "{confirmation}");

    release_now(&app, &admin, &letter.id).await;
    let published = app
        .get(&format!("/letters/{}.json", letter.slug))
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let joined = published["signatories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["organization"] == "Défenseurs Sans Frontières")
        .expect("the approved organization is listed")
        .clone();
    assert_eq!(joined["source"], "open_sign_on");
    assert_eq!(joined["country"], "SN");
    worker.stop().await;
}

async fn a_rejection_tells_the_requester_why(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = app_delivering_to(backend, &smtp, &[]).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new().create(&app, &admin).await;
    open_sign_on(&app, &admin, &letter.id).await;
    let worker = app.start_worker();
    let fields = [
        ("name", "Totally Real NGO"),
        ("contact_name", "Someone"),
        ("email", "someone@gmail.com"),
        ("website", "https://real-ngo.example.org"),
    ];
    assert_eq!(
        ask_to_join(&app, &letter.slug, "organization", &fields)
            .await
            .status(),
        StatusCode::OK
    );
    let mail = smtp
        .wait_for_messages_to("someone@gmail.com", 1, Duration::from_secs(20))
        .await;
    let id = request_id(&app, &admin, &letter.id, "Totally Real NGO").await;
    // Not confirmed yet: nothing to decide.
    let early = app
        .api(
            Method::POST,
            &format!("/requests/{id}/reject"),
            &admin,
            Some(json!({ "reason": "x" })),
        )
        .await;
    assert_eq!(early.0, StatusCode::CONFLICT);
    confirm_by_link(
        &app,
        &confirmation_link_in(mail[0].text.as_deref().unwrap()),
    )
    .await;
    let pending = &requests(&app, &admin, &letter.id).await[0];
    assert_eq!(pending["hints"]["free_mail"], true);
    assert_eq!(pending["hints"]["email_matches_website"], false);
    let rejected = app
        .api_expecting(
            StatusCode::OK,
            Method::POST,
            &format!("/requests/{id}/reject"),
            &admin,
            Some(json!({ "reason": "We could not verify that this organization exists." })),
        )
        .await;
    assert_eq!(rejected["status"], "rejected");
    let told = smtp
        .wait_for_messages_to("someone@gmail.com", 2, Duration::from_secs(20))
        .await;
    let decision = told
        .iter()
        .find(|m| m.header("subject").contains("not accepted"))
        .expect("the decision's email");
    assert!(
        decision
            .text
            .as_deref()
            .unwrap()
            .contains("We could not verify that this organization exists."),
        "{:?}",
        decision.text
    );
    let invitations = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}/invitations", letter.id),
            &admin,
            None,
        )
        .await;
    assert!(!invitations.to_string().contains("Totally Real NGO"));
    worker.stop().await;
}

async fn asking_twice_is_one_request_and_the_limits_hold(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        &[("UNDERSIGNED_SECURITY__JOIN_REQUESTS_PER_IP", "4")],
    )
    .await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new().create(&app, &admin).await;
    open_sign_on(&app, &admin, &letter.id).await;

    // The same organization (its name's key ignores case and spacing) twice: one request, the
    // second one's details kept.
    let first = ask_to_join(&app, &letter.slug, "organization", &ORG_FIELDS).await;
    assert_eq!(first.status(), StatusCode::OK);
    let mut again = ORG_FIELDS.to_vec();
    again[0] = ("name", "DÉFENSEURS  sans FRONTIÈRES");
    again[4] = ("title", "Executive Director");
    let second = ask_to_join(&app, &letter.slug, "organization", &again).await;
    assert_eq!(second.status(), StatusCode::OK);
    let listed = requests(&app, &admin, &letter.id).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["title"], "Executive Director");

    // Once confirmed, nobody can take the request over from another address.
    let link =
        crate::support::sign_on::written_confirmation_link(&app, "awa@dsf.example.org").await;
    confirm_by_link(&app, &link).await;
    let mut intruder = ORG_FIELDS.to_vec();
    intruder[5] = ("email", "intruder@elsewhere.example");
    let taken = ask_to_join(&app, &letter.slug, "organization", &intruder).await;
    assert_eq!(taken.status(), StatusCode::OK, "the page says the same");
    let kept = &requests(&app, &admin, &letter.id).await[0];
    assert_eq!(kept["email"], "awa@dsf.example.org");
    assert_eq!(kept["status"], "pending");

    // The trap field filled: answered like a success, nothing stored.
    let client = browser();
    let page = client
        .get(app.url(&format!("/letters/{}/join", letter.slug)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    app.clock.advance(chrono::TimeDelta::seconds(5));
    let (csrf, shown_at, proof) = (
        csrf_of(&page),
        hidden_field(&page, "shown_at"),
        hidden_field(&page, "proof"),
    );
    let bot = client
        .post(app.url(&format!("/letters/{}/join", letter.slug)))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("kind", "organization"),
            ("shown_at", &shown_at),
            ("proof", &proof),
            ("homepage", "http://spam.example"),
            ("name", "Spam Org"),
            ("contact_name", "Bot"),
            ("email", "bot@spam.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bot.status(), StatusCode::OK);
    assert_eq!(requests(&app, &admin, &letter.id).await.len(), 1);

    // Sent back at once, or with a forged time: shown again, the input kept.
    let fast = client
        .post(app.url(&format!("/letters/{}/join", letter.slug)))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("kind", "organization"),
            ("shown_at", "0"),
            ("proof", "forged"),
            ("name", "Hasty Org"),
            ("contact_name", "Quick"),
            ("email", "quick@hasty.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(fast.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again_page = fast.text().await.unwrap();
    assert!(again_page.contains("faster than a person"), "{again_page}");
    assert!(again_page.contains(r#"value="Hasty Org""#));

    // A refused field stays in the form, its reason beside it.
    let refused = ask_to_join(
        &app,
        &letter.slug,
        "organization",
        &[
            ("name", "Careful Org"),
            ("contact_name", "Ana"),
            ("email", "not an address"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains(r#"id="email-error""#), "{refused}");
    assert!(refused.contains(r#"value="Careful Org""#));

    // Three requests were counted for this address (the trap and the refusals count none); the
    // fourth is the last the limit of 4 allows, the fifth is refused.
    let other = [
        ("name", "Fourth Org"),
        ("contact_name", "Four"),
        ("email", "four@fourth.example"),
    ];
    assert_eq!(
        ask_to_join(&app, &letter.slug, "organization", &other)
            .await
            .status(),
        StatusCode::OK
    );
    let _ = ask_to_join(
        &app,
        &letter.slug,
        "organization",
        &[
            ("name", "Fifth Org"),
            ("contact_name", "Five"),
            ("email", "five@fifth.example"),
        ],
    )
    .await;
    let limited = ask_to_join(
        &app,
        &letter.slug,
        "organization",
        &[
            ("name", "Sixth Org"),
            ("contact_name", "Six"),
            ("email", "six@sixth.example"),
        ],
    )
    .await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        !requests(&app, &admin, &letter.id)
            .await
            .iter()
            .any(|r| r["name"] == "Sixth Org")
    );
}

async fn an_individual_is_listed_apart(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Amnesty International", "lead")])
        .create(&app, &admin)
        .await;
    answer(&app, "Amnesty International", "sign").await;
    crate::support::sign_on::approved_individual(
        &app,
        &admin,
        &letter.id,
        "Amal Haddad",
        "Professor of International Law",
        "University of Examplestan",
        "LB",
    )
    .await;
    release_now(&app, &admin, &letter.id).await;
    let published = app
        .get(&format!("/letters/{}.json", letter.slug))
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let organizations: Vec<&str> = published["signatories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["organization"].as_str().unwrap())
        .collect();
    assert_eq!(
        organizations,
        ["Amnesty International"],
        "individuals apart"
    );
    let manifest = app
        .in_database({
            let id = letter.id.clone();
            move |conn| {
                undersigned::db::releases::for_letter(conn, &id.into()).unwrap()[0]
                    .manifest
                    .clone()
            }
        })
        .await;
    assert!(
        manifest.contains("Amal Haddad"),
        "the signed manifest lists her: {manifest}"
    );
}

async fn a_substantive_edit_between_request_and_approval_asks_again(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Amnesty International", "lead")])
        .create(&app, &admin)
        .await;
    open_sign_on(&app, &admin, &letter.id).await;
    assert_eq!(
        ask_to_join(&app, &letter.slug, "organization", &ORG_FIELDS)
            .await
            .status(),
        StatusCode::OK
    );
    let link =
        crate::support::sign_on::written_confirmation_link(&app, "awa@dsf.example.org").await;
    confirm_by_link(&app, &link).await;
    app.api_expecting(
        StatusCode::OK,
        Method::PUT,
        &format!("/letters/{}", letter.id),
        &admin,
        Some(json!({ "body_markdown": "We now demand much more.", "change": "substantive" })),
    )
    .await;
    let id = request_id(&app, &admin, &letter.id, "Défenseurs Sans Frontières").await;
    let approved = app
        .api_expecting(
            StatusCode::OK,
            Method::POST,
            &format!("/requests/{id}/approve"),
            &admin,
            None,
        )
        .await;
    let invitation_id = approved["invitation_id"].as_str().unwrap();
    let invitation = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/invitations/{invitation_id}"),
            &admin,
            None,
        )
        .await;
    assert_eq!(invitation["status"], "signed");
    assert_eq!(invitation["approved_version"], 1, "{invitation}");
    let check = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}/release-check", letter.id),
            &admin,
            None,
        )
        .await;
    let left_out = check["left_out"].to_string();
    assert!(
        left_out.contains("Défenseurs Sans Frontières") && left_out.contains("version 1"),
        "it approved the old text only: {check}"
    );
    let queued: Vec<String> = app
        .in_database(move |conn| {
            use diesel::prelude::*;
            use undersigned::db::schema::outbox;
            outbox::table
                .filter(outbox::recipient.eq("awa@dsf.example.org"))
                .select(outbox::kind)
                .load(conn)
                .unwrap()
        })
        .await;
    assert!(queued.contains(&"reapproval".to_string()), "{queued:?}");
}

async fn the_join_page_exists_only_while_sign_on_is_open(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Amnesty International", "lead")])
        .create(&app, &admin)
        .await;
    let join = format!("/letters/{}/join", letter.slug);
    assert_eq!(
        app.get(&join).await.status(),
        StatusCode::NOT_FOUND,
        "off by default"
    );
    open_sign_on(&app, &admin, &letter.id).await;
    // A partner opens the form before release and sends it after.
    let client = browser();
    let open = client.get(app.url(&join)).send().await.unwrap();
    assert_eq!(open.status(), StatusCode::OK);
    let open = open.text().await.unwrap();
    answer(&app, "Amnesty International", "sign").await;
    release_now(&app, &admin, &letter.id).await;
    let closed = app.get(&join).await.text().await.unwrap();
    assert!(closed.contains("no longer takes signatures"), "{closed}");
    assert!(!closed.contains("Send my request"));
    app.clock.advance(chrono::TimeDelta::seconds(5));
    let mut late = vec![
        ("csrf_token", csrf_of(&open)),
        ("kind", "organization".to_string()),
        ("shown_at", hidden_field(&open, "shown_at")),
        ("proof", hidden_field(&open, "proof")),
    ];
    late.extend(ORG_FIELDS.iter().map(|(k, v)| (*k, v.to_string())));
    let refused = client
        .post(app.url(&join))
        .form(&late)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    app.api_expecting(
        StatusCode::OK,
        Method::PUT,
        &format!("/letters/{}", letter.id),
        &admin,
        Some(json!({ "open_sign_on": false })),
    )
    .await;
    assert_eq!(app.get(&join).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/join/confirm/not-a-token").await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn an_individual_approved_after_release_joins_in_a_revision(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .with("allow_late_signatures", true)
        .organizations(&[("Amnesty International", "lead")])
        .create(&app, &admin)
        .await;
    answer(&app, "Amnesty International", "sign").await;
    release_now(&app, &admin, &letter.id).await;
    crate::support::sign_on::approved_individual(
        &app,
        &admin,
        &letter.id,
        "Zoé Martin",
        "Avocate",
        "Barreau de Genève",
        "CH",
    )
    .await;
    let published = app
        .get(&format!("/letters/{}.json", letter.slug))
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let late = &published["individuals"][0];
    assert_eq!(late["name"], "Zoé Martin");
    assert!(late["joined_at"].is_string(), "{published}");
    assert_eq!(published["revision"], 2, "a dated revision of the list");
    let page = app
        .get(&format!("/letters/{}", letter.slug))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Zoé Martin"), "{page}");
    // The heading is published with the letter: it no longer changes.
    let (status, _) = app
        .api(
            Method::PUT,
            &format!("/letters/{}", letter.id),
            &admin,
            Some(json!({ "individuals_heading": "Other heading" })),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

async fn the_same_organization_asking_at_once_is_one_request(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new().create(&app, &admin).await;
    open_sign_on(&app, &admin, &letter.id).await;
    // Eight colleagues of one organization send the form at the same moment.
    let emails: Vec<String> = (0..8)
        .map(|n| format!("staff{n}@dsf.example.org"))
        .collect();
    let asked = futures_util::future::join_all(emails.iter().map(|email| {
        let mut fields = ORG_FIELDS.to_vec();
        fields[5] = ("email", email.as_str());
        let (app, slug) = (&app, letter.slug.clone());
        async move {
            ask_to_join(app, &slug, "organization", &fields)
                .await
                .status()
        }
    }))
    .await;
    assert!(asked.iter().all(|s| *s == StatusCode::OK), "{asked:?}");
    let listed = requests(&app, &admin, &letter.id).await;
    assert_eq!(listed.len(), 1, "one request: {listed:?}");
    assert!(emails.contains(&listed[0]["email"].as_str().unwrap().to_string()));
}
