//! Webhooks, delivered to a receiver the test starts: a letter's events (opened, signed,
//! declined, bounced, reminder sent, released, withdrawn, revision published) each arrive once,
//! signed with the secret shown at registration (`X-Undersigned-Signature`, checked here with
//! an HMAC of our own) and stamped against replay; a failed delivery is tried again with the
//! same id and a delivery that keeps failing ends in the dead-letter list. Addresses outside
//! the public internet, plain http and unknown events are refused unless allowed.

use std::collections::BTreeSet;

use chrono::TimeDelta;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::Sha256;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::{Partner, answer};
use crate::support::smtp::{SmtpServer, smtp_available};
use crate::support::webhook_receiver::{Received, Receiver};
use crate::support::workers::after_a_full_pass;
use crate::support::{Backend, TestApp};

storage_test!(
    a_letters_events_reach_its_webhook_signed_and_retried,
    webhook_addresses_and_events_are_checked,
    the_webhooks_page_shows_the_secret_once_and_sends_a_test_event,
    a_recorded_answer_is_announced_and_webhooks_stay_with_their_letter,
    admins_keep_webhooks_of_every_letter_on_their_own_page,
);

const ALL_EVENTS: [&str; 8] = [
    "invitation.opened",
    "invitation.signed",
    "invitation.declined",
    "invitation.withdrawn",
    "invitation.bounced",
    "reminder.sent",
    "letter.released",
    "revision.published",
];

/// Checks a delivery as a receiver should: the signature is the HMAC-SHA256 of the body with
/// the secret, the timestamp header is the body's `sent_at`, the delivery header its id.
fn verify(delivery: &Received, secret: &str) -> Value {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(&delivery.body);
    let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    assert_eq!(
        delivery.headers["x-undersigned-signature"], expected,
        "signature of {delivery:?}"
    );
    let body = delivery.json();
    assert_eq!(
        delivery.headers["x-undersigned-timestamp"],
        body["sent_at"].as_i64().unwrap().to_string()
    );
    assert_eq!(
        delivery.headers["x-undersigned-delivery"],
        body["delivery_id"]
    );
    assert_eq!(delivery.headers["x-undersigned-event"], body["event"]);
    assert_eq!(delivery.headers["content-type"], "application/json");
    assert_eq!(delivery.method, "POST");
    assert_eq!(delivery.path, "/hooks/undersigned");
    body
}

/// The events received, each once, as (event, organization) pairs.
fn events(received: &[Received]) -> BTreeSet<(String, String)> {
    received
        .iter()
        .map(|r| {
            let body = r.json();
            (
                body["event"].as_str().unwrap().to_string(),
                body["invitation"]["organization"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect()
}

async fn a_letters_events_reach_its_webhook_signed_and_retried(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with(
        backend,
        &[
            ("UNDERSIGNED_WEBHOOKS__ALLOW_PRIVATE", "true"),
            ("UNDERSIGNED_MAIL__SMTP_URL", &smtp.url()),
            ("UNDERSIGNED_MAIL__RATE_PER_SECOND", "0"),
            ("UNDERSIGNED_MAIL__MAX_ATTEMPTS", "3"),
            ("UNDERSIGNED_REMINDERS__MIN_INTERVAL_HOURS", "0"),
        ],
    )
    .await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let letter = NewLetter::new()
        .contacts(&[
            ("Lead Rights Watch", "lead@example.org"),
            ("Press Freedom Now", "press@example.org"),
            ("Quiet Partner", "quiet@example.org"),
            ("Gone Partner", "bounce-gone@example.org"),
        ])
        .create(&app, &admin)
        .await;

    // The first delivery is answered 503: it comes again later, with the same id.
    let receiver = Receiver::start(&[503]).await;
    let registered = app
        .api_expecting(
            StatusCode::CREATED,
            Method::POST,
            &format!("/letters/{}/webhooks", letter.id),
            &admin,
            Some(json!({ "url": receiver.url, "events": ALL_EVENTS })),
        )
        .await;
    let secret = registered["secret"].as_str().unwrap().to_string();
    assert_eq!(secret.len(), 64);
    let webhook = registered["id"].as_str().unwrap().to_string();
    assert_eq!(registered["events"].as_array().unwrap().len(), 8);
    // The secret is shown once: never in the list, never stored.
    let listed = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}/webhooks", letter.id),
            &admin,
            None,
        )
        .await;
    assert_eq!(listed["webhooks"][0]["id"], webhook.as_str());
    assert!(listed["webhooks"][0].get("secret").is_none());
    let stored: Vec<String> = app
        .in_database(|conn| {
            use diesel::prelude::*;
            use undersigned::db::schema::webhooks;
            webhooks::table
                .select(webhooks::secret_nonce)
                .load(conn)
                .unwrap()
        })
        .await;
    assert!(!stored.iter().any(|nonce| nonce.contains(&secret)));

    let worker = app.start_worker();
    after_a_full_pass(&worker).await; // invitations sent; "Gone Partner" bounces
    answer(&app, "Lead Rights Watch", "sign").await;
    answer(&app, "Press Freedom Now", "decline").await;
    app.api_expecting(
        StatusCode::OK,
        Method::POST,
        &format!("/letters/{}/reminders", letter.id),
        &admin,
        Some(json!({})),
    )
    .await;
    after_a_full_pass(&worker).await;

    // The first attempt failed; the next one is due after the backoff.
    let first = receiver.wait_for(1).await;
    let retried_id = first[0].headers["x-undersigned-delivery"].clone();
    let waiting = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/webhooks/{webhook}/deliveries"),
            &admin,
            None,
        )
        .await;
    let failed = waiting["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == retried_id.as_str())
        .expect("the failed delivery is listed");
    assert_eq!(failed["status"], "pending", "{failed}");
    assert_eq!(failed["attempts"], 1);
    assert!(
        failed["last_error"].as_str().unwrap().contains("503"),
        "{failed}"
    );
    assert!(failed["next_attempt_at"].is_string());
    app.clock.advance(TimeDelta::hours(1));
    after_a_full_pass(&worker).await;

    release_now(&app, &admin, &letter.id).await;
    after_a_full_pass(&worker).await;
    answer(&app, "Lead Rights Watch", "withdraw").await;
    after_a_full_pass(&worker).await;

    let expected: BTreeSet<(String, String)> = [
        ("invitation.bounced", "Gone Partner"),
        ("invitation.opened", "Lead Rights Watch"),
        ("invitation.signed", "Lead Rights Watch"),
        ("invitation.opened", "Press Freedom Now"),
        ("invitation.declined", "Press Freedom Now"),
        ("reminder.sent", "Quiet Partner"),
        ("letter.released", ""),
        ("invitation.withdrawn", "Lead Rights Watch"),
        ("revision.published", ""),
    ]
    .iter()
    .map(|(e, o)| (e.to_string(), o.to_string()))
    .collect();
    // One more arrival than events: the delivery answered 503 came twice.
    let received = receiver.wait_for(expected.len() + 1).await;
    for delivery in &received {
        let body = verify(delivery, &secret);
        assert_eq!(body["letter"]["id"], letter.id.as_str());
        assert_eq!(body["letter"]["slug"], letter.slug.as_str());
    }
    let reminded: Vec<&Received> = received
        .iter()
        .filter(|r| r.json()["event"] == "reminder.sent")
        .collect();
    assert_eq!(reminded.len(), 1, "reminded once, to the one who is silent");
    assert_eq!(events(&received), expected);
    let twice: Vec<&Received> = received
        .iter()
        .filter(|r| r.headers["x-undersigned-delivery"] == retried_id)
        .collect();
    assert_eq!(twice.len(), 2, "the failed delivery came again with its id");
    assert_eq!(twice[0].json()["event"], twice[1].json()["event"]);

    // The deliveries, newest first, with their attempts.
    let deliveries = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/webhooks/{webhook}/deliveries"),
            &admin,
            None,
        )
        .await;
    let list = deliveries["deliveries"].as_array().unwrap();
    assert_eq!(list.len(), expected.len());
    assert!(list.iter().all(|d| d["status"] == "sent"), "{deliveries}");
    let retried = list
        .iter()
        .find(|d| d["id"] == retried_id.as_str())
        .unwrap();
    assert_eq!(retried["attempts"], 2);

    // A test event that the endpoint keeps refusing ends in the dead-letter list.
    receiver.answer_next(&[500, 500, 500]);
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/webhooks/{webhook}/test"),
            &admin,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    for _ in 0..3 {
        after_a_full_pass(&worker).await;
        app.clock.advance(TimeDelta::hours(8));
    }
    after_a_full_pass(&worker).await;
    let tests: Vec<Received> = receiver
        .received()
        .into_iter()
        .filter(|r| r.json()["event"] == "webhook.test")
        .collect();
    assert_eq!(tests.len(), 3, "three attempts, then it gave up");
    verify(&tests[0], &secret);
    let deliveries = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/webhooks/{webhook}/deliveries"),
            &admin,
            None,
        )
        .await;
    assert_eq!(deliveries["deliveries"][0]["event"], "webhook.test");
    assert_eq!(deliveries["deliveries"][0]["status"], "dead");
    assert!(
        deliveries["deliveries"][0]["last_error"]
            .as_str()
            .unwrap()
            .contains("gave up after 3 attempts")
    );

    // Removed, it hears nothing more.
    let before = receiver.received().len();
    let (status, _) = app
        .api(
            Method::DELETE,
            &format!("/webhooks/{webhook}"),
            &admin,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    Partner::open(&app, "Quiet Partner").await; // an "opened" nobody is told of
    after_a_full_pass(&worker).await;
    worker.stop().await;
    assert_eq!(receiver.received().len(), before);
    let actions = app.audit_actions().await;
    assert!(actions.contains(&"webhook.created".to_string()));
    assert!(actions.contains(&"webhook.removed".to_string()));
    drop(smtp);
}

async fn webhook_addresses_and_events_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let coordinator = app
        .api_token("coordinator@example.org", Role::Coordinator)
        .await;
    let letter = NewLetter::new()
        .organizations(&[("Lead Rights Watch", "lead")])
        .create(&app, &admin)
        .await;
    let path = format!("/letters/{}/webhooks", letter.id);
    for (url, events, reason) in [
        (
            "http://93.184.215.14/hook",
            json!(["letter.released"]),
            "https://",
        ),
        (
            "https://127.0.0.1/hook",
            json!(["letter.released"]),
            "public internet",
        ),
        (
            "https://10.0.0.7/hook",
            json!(["letter.released"]),
            "public internet",
        ),
        (
            "https://[::1]/hook",
            json!(["letter.released"]),
            "public internet",
        ),
        (
            "https://localhost/hook",
            json!(["letter.released"]),
            "public internet",
        ),
        (
            "https://user:pw@93.184.215.14/hook",
            json!(["letter.released"]),
            "password",
        ),
        (
            "https://93.184.215.14/hook",
            json!([]),
            "at least one event",
        ),
        (
            "https://93.184.215.14/hook",
            json!(["letter.exploded"]),
            "not a webhook event",
        ),
    ] {
        let (status, body) = app
            .api(
                Method::POST,
                &path,
                &coordinator,
                Some(json!({ "url": url, "events": events })),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {body}");
        assert!(body.to_string().contains(reason), "{url}: {body}");
    }
    let (status, body) = app.api(Method::GET, &path, &coordinator, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["webhooks"], json!([]), "nothing was stored");

    // A public address is taken from a coordinator for the letter; a webhook for every
    // letter only from an admin.
    let (status, body) = app
        .api(
            Method::POST,
            &path,
            &coordinator,
            Some(json!({ "url": "https://93.184.215.14/hook", "events": ["invitation.signed"] })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let everything = json!({ "url": "https://93.184.215.14/all", "events": ["letter.released"] });
    let (status, _) = app
        .api(
            Method::POST,
            "/webhooks",
            &coordinator,
            Some(everything.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .api(Method::POST, "/webhooks", &admin, Some(everything))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["letter_id"], Value::Null);
    let all = body["id"].as_str().unwrap().to_string();
    let (status, _) = app.api(Method::GET, "/webhooks", &coordinator, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .api(
            Method::DELETE,
            &format!("/webhooks/{all}"),
            &coordinator,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .api(Method::DELETE, &format!("/webhooks/{all}"), &admin, None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app
        .api(
            Method::POST,
            "/letters/no-such-letter/webhooks",
            &admin,
            Some(json!({ "url": "https://93.184.215.14/x", "events": ["letter.released"] })),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn the_webhooks_page_shows_the_secret_once_and_sends_a_test_event(backend: Backend) {
    let app =
        TestApp::spawn_with(backend, &[("UNDERSIGNED_WEBHOOKS__ALLOW_PRIVATE", "true")]).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Lead Rights Watch", "lead")])
        .create(&app, &admin)
        .await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let path = format!("/app/letters/{}/webhooks", letter.id);
    let dashboard = app
        .get(&format!("/app/letters/{}", letter.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(dashboard.contains(&format!(r#"<a href="{path}">Webhooks</a>"#)));
    let page = app.get(&path).await.text().await.unwrap();
    assert!(page.contains("The letter has no webhook."), "{page}");
    // Every event is ticked to begin with.
    assert_eq!(page.matches(r#"name="events""#).count(), 8);
    assert_eq!(page.matches(" checked>").count(), 8);

    // A refused address and no event: the form again, each reason beside its field.
    let refused = app
        .post_form(&path, &[("url", "ftp://example.org/hook")])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains(r#"id="url-error""#), "{refused}");
    assert!(refused.contains(r#"id="events-error""#), "{refused}");
    assert!(refused.contains(r#"value="ftp://example.org/hook""#));

    let receiver = Receiver::start(&[]).await;
    let registered = app
        .post_form(
            &path,
            &[
                ("url", receiver.url.as_str()),
                ("events", "invitation.signed"),
                ("events", "letter.released"),
            ],
        )
        .await;
    assert_eq!(registered.status(), StatusCode::OK);
    let registered = registered.text().await.unwrap();
    let secret = registered
        .split(r#"<code class="hash" id="webhook-secret">"#)
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the secret on the page")
        .to_string();
    assert_eq!(secret.len(), 64);
    assert!(registered.contains("<code>invitation.signed</code>, <code>letter.released</code>"));
    // Shown once: the page does not show it again.
    let again = app.get(&path).await.text().await.unwrap();
    assert!(!again.contains(&secret));
    assert!(again.contains("No delivery yet."));

    // "Send a test event": delivered, signed with that secret, and listed.
    let webhook = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}/webhooks", letter.id),
            &admin,
            None,
        )
        .await["webhooks"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let sent = app.post_form(&format!("{path}/{webhook}/test"), &[]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "back to the page");
    let notice = app.get(&path).await.text().await.unwrap();
    assert!(notice.contains("A test event is on its way"), "{notice}");
    let worker = app.start_worker();
    let delivered = receiver.wait_for(1).await;
    after_a_full_pass(&worker).await;
    worker.stop().await;
    let body = verify(&delivered[0], &secret);
    assert_eq!(body["event"], "webhook.test");
    let listed = app.get(&path).await.text().await.unwrap();
    assert!(listed.contains("<code>webhook.test</code>"), "{listed}");
    assert!(
        listed.contains(r#"<span class="badge signed">delivered</span>"#),
        "{listed}"
    );

    // Removing asks first, then removes.
    let asked = app
        .post_form(&format!("{path}/{webhook}/remove"), &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(asked.contains("Remove the webhook to"), "{asked}");
    assert!(
        app.get(&path)
            .await
            .text()
            .await
            .unwrap()
            .contains(&receiver.url)
    );
    let removed = app
        .post_form(&format!("{path}/{webhook}/remove"), &[("confirm", "yes")])
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let removed = app.get(&path).await.text().await.unwrap();
    assert!(removed.contains("The webhook is removed."), "{removed}");
    assert!(removed.contains("The letter has no webhook."));
}

async fn a_recorded_answer_is_announced_and_webhooks_stay_with_their_letter(backend: Backend) {
    let app =
        TestApp::spawn_with(backend, &[("UNDERSIGNED_WEBHOOKS__ALLOW_PRIVATE", "true")]).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Phoned In", "lead")])
        .create(&app, &admin)
        .await;
    let other = NewLetter::new()
        .with("title", "Another letter")
        .organizations(&[("Someone Else", "lead")])
        .create(&app, &admin)
        .await;
    let receiver = Receiver::start(&[]).await;
    let registered = app
        .api_expecting(
            StatusCode::CREATED,
            Method::POST,
            &format!("/letters/{}/webhooks", letter.id),
            &admin,
            Some(json!({ "url": receiver.url, "events": ["invitation.signed"] })),
        )
        .await;
    let (secret, webhook) = (
        registered["secret"].as_str().unwrap().to_string(),
        registered["id"].as_str().unwrap().to_string(),
    );

    // An answer a coordinator records (a phone call) is announced like a partner's.
    app.api_expecting(
        StatusCode::CREATED,
        Method::POST,
        &format!(
            "/invitations/{}/responses",
            letter.invitation_id("Phoned In")
        ),
        &admin,
        Some(json!({
            "decision": "sign",
            "signer_name": "Jo Example",
            "channel": "phone",
            "evidence": "Call with Jo on Monday",
        })),
    )
    .await;
    let worker = app.start_worker();
    let delivered = receiver.wait_for(1).await;
    let body = verify(&delivered[0], &secret);
    assert_eq!(body["event"], "invitation.signed");
    assert_eq!(body["invitation"]["organization"], "Phoned In");

    // A second test event within the minute is refused; the first goes.
    let test = format!("/webhooks/{webhook}/test");
    let (status, _) = app.api(Method::POST, &test, &admin, None).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let (status, body) = app.api(Method::POST, &test, &admin, None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    receiver.wait_for(2).await;
    after_a_full_pass(&worker).await;
    worker.stop().await;
    assert_eq!(receiver.received().len(), 2);

    // Another letter's page does not reach this letter's webhook.
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    for action in ["test", "remove"] {
        let answer = app
            .post_form(
                &format!("/app/letters/{}/webhooks/{webhook}/{action}", other.id),
                &[("confirm", "yes")],
            )
            .await;
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{action}");
    }
    let listed = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}/webhooks", letter.id),
            &admin,
            None,
        )
        .await;
    assert_eq!(listed["webhooks"].as_array().unwrap().len(), 1);
}

async fn admins_keep_webhooks_of_every_letter_on_their_own_page(backend: Backend) {
    let app =
        TestApp::spawn_with(backend, &[("UNDERSIGNED_WEBHOOKS__ALLOW_PRIVATE", "true")]).await;
    let coordinator_browser = crate::support::browsers::browser();
    app.api_token("coordinator@example.org", Role::Coordinator)
        .await;
    let status = app
        .log_in(
            &coordinator_browser,
            "coordinator@example.org",
            crate::support::PASSWORD,
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let refused = coordinator_browser
        .get(app.url("/app/settings/webhooks"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    app.login_as("admin@example.org", Role::Admin).await;
    let settings = app.get("/app/settings").await.text().await.unwrap();
    assert!(settings.contains(r#"<a href="/app/settings/webhooks">"#));
    let path = "/app/settings/webhooks";
    let page = app.get(path).await.text().await.unwrap();
    assert!(
        page.contains("No webhook listens to every letter."),
        "{page}"
    );
    let receiver = Receiver::start(&[]).await;
    let registered = app
        .post_form(
            path,
            &[
                ("url", receiver.url.as_str()),
                ("events", "letter.released"),
            ],
        )
        .await;
    assert_eq!(registered.status(), StatusCode::OK);
    let registered = registered.text().await.unwrap();
    let secret = registered
        .split(r#"<code class="hash" id="webhook-secret">"#)
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_string();

    // Told of a release of any letter.
    let admin = app.admin_token_of("admin@example.org");
    let letter = NewLetter::new()
        .organizations(&[("Lead Rights Watch", "lead")])
        .create(&app, &admin)
        .await;
    answer(&app, "Lead Rights Watch", "sign").await;
    release_now(&app, &admin, &letter.id).await;
    let worker = app.start_worker();
    let delivered = receiver.wait_for(1).await;
    worker.stop().await;
    let body = verify(&delivered[0], &secret);
    assert_eq!(body["event"], "letter.released");
    assert_eq!(body["letter"]["id"], letter.id.as_str());

    // Listed on its page, not on the letter's; removed from its page after a confirmation.
    let listed = app.get(path).await.text().await.unwrap();
    assert!(listed.contains(&receiver.url) && listed.contains("<code>letter.released</code>"));
    let letter_page = app
        .get(&format!("/app/letters/{}/webhooks", letter.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(!letter_page.contains(&receiver.url));
    let webhook = app
        .api_expecting(StatusCode::OK, Method::GET, "/webhooks", &admin, None)
        .await["webhooks"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let other_page = app
        .post_form(
            &format!("/app/letters/{}/webhooks/{webhook}/remove", letter.id),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(other_page.status(), StatusCode::NOT_FOUND);
    let asked = app
        .post_form(&format!("{path}/{webhook}/remove"), &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        asked.contains("It will hear of no more events of any letter."),
        "{asked}"
    );
    let removed = app
        .post_form(&format!("{path}/{webhook}/remove"), &[("confirm", "yes")])
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let page = app.get(path).await.text().await.unwrap();
    assert!(page.contains("The webhook is removed."), "{page}");
}
