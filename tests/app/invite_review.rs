//! Inviting goes through a review: the coordinator chooses recipients (ticked in the address
//! book, all of it, a pasted list, a file), reads the list and the first email exactly as it
//! will go out, may add a personal message, and only Send queues anything. A list with a bad
//! line sends nothing and comes back with each line's reason; a batch that stopped passing
//! between review and Send sends nothing either. The API's `dry_run` answers the same preview
//! with nothing stored. On both databases, through the real forms and a real SMTP server.

use std::time::Duration;

use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use undersigned::db::schema::{invitations, outbox};
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::forms::{location, textarea, unescape};
use crate::support::letters::{NewLetter, contact, invite, release_now};
use crate::support::partners::answer;
use crate::support::smtp::{SmtpServer, app_delivering_to, smtp_available};
use crate::support::workers::after_a_full_pass;
use crate::support::{Backend, TestApp};

storage_test!(
    a_pasted_list_is_reviewed_with_its_email_and_sent_only_on_send,
    a_bad_line_sends_nothing_and_comes_back_beside_the_list,
    the_address_book_marks_who_is_invited_and_reviews_all_with_their_tiers,
    a_batch_that_stopped_passing_sends_nothing,
    a_file_with_a_bad_row_sends_nothing,
    a_released_letter_says_why_it_takes_no_invitations_on_the_invite_page,
    the_api_dry_run_previews_and_stores_nothing,
);

/// How many invitations and queued emails exist, of every letter.
async fn stored(app: &TestApp) -> (i64, i64) {
    app.in_database(|conn| {
        let invited: i64 = invitations::table.count().get_result(conn).unwrap();
        let queued: i64 = outbox::table.count().get_result(conn).unwrap();
        (invited, queued)
    })
    .await
}

/// The text between `start` and the next `end` (exclusive), failing the test without it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {html}"))
        + start.len();
    let to = from + html[from..].find(end).expect("the end");
    &html[from..to]
}

async fn a_pasted_list_is_reviewed_with_its_email_and_sent_only_on_send(backend: Backend) {
    if !smtp_available() {
        return;
    }
    let smtp = SmtpServer::start();
    let app = app_delivering_to(backend, &smtp, &[]).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new().create(&app, &admin).await;
    let invite_path = format!("/app/letters/{}/invite", letter.id);

    let reviewed = app
        .post_form(
            &format!("{invite_path}/paste"),
            &[
                (
                    "list",
                    "Human Rights Watch, hrw@example.org, lead, US\n\nArticle 19; info@article19.example",
                ),
                ("tier", "supporting"),
            ],
        )
        .await;
    assert_eq!(reviewed.status(), StatusCode::OK);
    let policy = reviewed.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let review = reviewed.text().await.unwrap();
    for expected in [
        "Review: 2 invitations to “Joint Letter on Xinjiang”",
        "Nothing has been sent yet",
        "Human Rights Watch",
        "hrw@example.org",
        "<td>lead</td>",
        "Article 19",
        "<td>supporting</td>",
        "(new to the address book)",
        "Send 2 invitations",
    ] {
        assert!(review.contains(expected), "{expected}: {review}");
    }
    // The first email as its recipient will see it: headers, HTML in a sandboxed frame (its
    // inline styles allowed by their hashes only), and the text.
    let subject = unescape(between(&review, "<dt>Subject</dt><dd>", "</dd>"));
    assert!(subject.contains("Joint Letter on Xinjiang"), "{subject}");
    assert!(
        between(&review, "<dt>To</dt><dd>", "</dd>").contains("hrw@example.org"),
        "{review}"
    );
    let srcdoc = unescape(between(&review, r#"sandbox="" srcdoc=""#, "\""));
    assert!(
        srcdoc.contains("Human Rights Watch is invited to co-sign"),
        "{srcdoc}"
    );
    assert!(
        policy.contains("style-src 'self' 'unsafe-hashes' 'sha256-")
            && policy.contains("script-src 'self';"),
        "{policy}"
    );
    assert!(review.contains("Dear Human Rights Watch,"), "{review}");
    assert_eq!(stored(&app).await, (0, 0), "nothing stored before Send");

    // A personal message, previewed: it is in both parts, and still nothing is sent.
    let message =
        "Dear friends,\n\nThe Commission meets on 12 March; we would be proud to count you in.";
    let updated = app.submit_review(&review, "preview", message).await;
    assert_eq!(updated.status(), StatusCode::OK);
    let updated = updated.text().await.unwrap();
    assert_eq!(textarea(&updated, "message"), message);
    let text_part = unescape(between(&updated, r#"<pre class="email-text">"#, "</pre>"));
    assert!(
        text_part.contains("Dear friends,\n\nThe Commission meets on 12 March"),
        "{text_part}"
    );
    let srcdoc = unescape(between(&updated, r#"sandbox="" srcdoc=""#, "\""));
    assert!(
        srcdoc.contains("<p>Dear friends,</p>") && srcdoc.contains("we would be proud"),
        "{srcdoc}"
    );
    assert_eq!(stored(&app).await, (0, 0));

    // Send: two invitations and their emails, the message in each, the subject as previewed.
    let sent = app.submit_review(&updated, "send", message).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&sent), format!("/app/letters/{}", letter.id));
    let dashboard = app.get(&location(&sent)).await.text().await.unwrap();
    assert!(
        dashboard.contains("2 invitations are queued"),
        "{dashboard}"
    );
    assert_eq!(stored(&app).await.0, 2);
    let worker = app.start_worker();
    let emails = smtp.wait_for(2, Duration::from_secs(20)).await;
    after_a_full_pass(&worker).await;
    for email in &emails {
        assert_eq!(email.header("subject"), subject);
        let text = email.text.as_deref().expect("a text part");
        assert!(text.contains("The Commission meets on 12 March"), "{text}");
        let html = email.html.as_deref().expect("an HTML part");
        assert!(html.contains("<p>Dear friends,</p>"), "{html}");
    }
    let first = emails
        .iter()
        .find(|e| e.header("to").contains("hrw@example.org"))
        .expect("the email to Human Rights Watch");
    let html = first.html.as_deref().unwrap();
    let (sent_start, preview_start) = (html.find("<body").unwrap(), srcdoc.find("<body").unwrap());
    let link_of = |page: &str| {
        let at = page.find("/sign/").unwrap();
        page[at..]
            .split(['"', '<', ' '])
            .next()
            .unwrap()
            .to_string()
    };
    let preview_link = link_of(&srcdoc);
    let sent_link = link_of(html);
    assert_eq!(
        html[sent_start..].replace(&sent_link, "LINK"),
        srcdoc[preview_start..].replace(&preview_link, "LINK"),
        "the HTML sent is the HTML previewed, but for the sign link"
    );
    // Sending the same page again sends nothing twice.
    let again = app.submit_review(&updated, "send", message).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = again.text().await.unwrap();
    assert!(
        again.contains("Nothing was sent") && again.contains("already invited to this letter"),
        "{again}"
    );
    assert_eq!(stored(&app).await.0, 2);
}

async fn a_bad_line_sends_nothing_and_comes_back_beside_the_list(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new().create(&app, &admin).await;
    let list = "Human Rights Watch, hrw@example.org, lead, US\nBroken Org, not-an-email\nArticle 19, info@article19.example, gold\nHuman Rights Watch, other@example.org";
    let answer = app
        .post_form(
            &format!("/app/letters/{}/invite/paste", letter.id),
            &[("list", list), ("tier", "lead")],
        )
        .await;
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = answer.text().await.unwrap();
    assert_eq!(textarea(&page, "list"), list, "the list is kept as typed");
    assert!(
        page.contains(r#"<option value="lead" selected>"#),
        "the default tier is kept"
    );
    let beside = between(&page, r#"id="list-error""#, "</div>");
    for expected in [
        "Nothing was sent.",
        "<strong>line 2</strong> <q>Broken Org, not-an-email</q>",
        "not a valid email",
        "<strong>line 3</strong>",
        "The tier must be “lead” or “supporting”",
        "<strong>line 4</strong>",
        "Human Rights Watch appears twice in this list",
    ] {
        assert!(beside.contains(expected), "{expected}: {beside}");
    }
    assert!(!beside.contains("line 1"), "the good line is not blamed");
    assert!(page.contains(r#"aria-describedby="list-error""#));
    assert_eq!(stored(&app).await, (0, 0));

    let empty = app
        .post_form(
            &format!("/app/letters/{}/invite/paste", letter.id),
            &[("list", "  \n "), ("tier", "supporting")],
        )
        .await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().await.unwrap().contains("The list is empty"));
}

async fn the_address_book_marks_who_is_invited_and_reviews_all_with_their_tiers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .contacts(&[("Amnesty International", "amnesty@example.org")])
        .create(&app, &admin)
        .await;
    let mut ids = Vec::new();
    for (name, email) in [
        ("World Uyghur Congress", "wuc@example.org"),
        ("Ärztinnen für Frieden", "aerztinnen@example.org"),
    ] {
        let added = app
            .post_form(
                "/app/organizations/new",
                &[("name", name), ("country", "DE"), ("email", email)],
            )
            .await;
        assert_eq!(added.status(), StatusCode::SEE_OTHER);
        ids.push(location(&added).rsplit('/').next().unwrap().to_string());
    }
    let invite_path = format!("/app/letters/{}/invite", letter.id);
    let page = app.get(&invite_path).await.text().await.unwrap();
    let amnesty_row = between(&page, "Amnesty International</label>", "</tr>");
    assert!(amnesty_row.contains("already invited"), "{amnesty_row}");
    assert!(
        !page.contains(&format!(
            r#"value="{}""#,
            letter.invitation_id("Amnesty International")
        )),
        "an invited organization cannot be ticked"
    );
    assert!(page.contains("3 shown; 2 can be invited."), "{page}");
    assert!(page.contains("Review all 2"), "{page}");

    // Nothing ticked: the same page, the reason beside the list.
    let none = app
        .post_form(
            &format!("{invite_path}/address-book"),
            &[("scope", "ticked")],
        )
        .await;
    assert_eq!(none.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let none = none.text().await.unwrap();
    assert!(
        between(&none, r#"id="book-error""#, "</div>").contains("Tick at least one"),
        "{none}"
    );

    // "Review all", one of them a lead: every organization not yet invited, with its tier.
    let tier_field = format!("tier_{}", ids[1]);
    let reviewed = app
        .post_form(
            &format!("{invite_path}/address-book"),
            &[("scope", "all"), (tier_field.as_str(), "lead")],
        )
        .await;
    assert_eq!(reviewed.status(), StatusCode::OK);
    let review = reviewed.text().await.unwrap();
    assert!(review.contains("Review: 2 invitations"), "{review}");
    let row = between(
        &review,
        r#"<td class="name">Ärztinnen für Frieden"#,
        "</tr>",
    );
    assert!(row.contains("<td>lead</td>"), "{row}");
    let row = between(
        &review,
        r#"<td class="name">World Uyghur Congress"#,
        "</tr>",
    );
    assert!(row.contains("<td>supporting</td>"), "{row}");
    assert!(!review.contains("Amnesty International</td>"));

    // A search narrows "review all" to what matches.
    let filtered = app
        .post_form(
            &format!("{invite_path}/address-book"),
            &[("scope", "filtered"), ("q", "Uyghur")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(filtered.contains("Review: 1 invitation to"), "{filtered}");
    assert_eq!(stored(&app).await.0, 1, "only the first invitation exists");

    let sent = app.submit_review(&review, "send", "").await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let listed = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}/invitations", letter.id),
            &admin,
            None,
        )
        .await;
    let tier_of = |name: &str| {
        listed["invitations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["organization"] == name)
            .map(|i| i["tier"].clone())
    };
    assert_eq!(tier_of("Ärztinnen für Frieden"), Some(json!("lead")));
    assert_eq!(tier_of("World Uyghur Congress"), Some(json!("supporting")));
}

async fn a_batch_that_stopped_passing_sends_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new().create(&app, &admin).await;
    let review = app
        .post_form(
            &format!("/app/letters/{}/invite/paste", letter.id),
            &[
                (
                    "list",
                    "Amnesty International, a@example.org\nArticle 19, b@example.org",
                ),
                ("tier", "supporting"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    // Meanwhile a colleague invites Article 19 through the API.
    invite(
        &app,
        &admin,
        &letter.id,
        vec![contact("Article 19", "b@example.org")],
    )
    .await;
    let message = "Please sign by Friday.";
    let sent = app.submit_review(&review, "send", message).await;
    assert_eq!(sent.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = sent.text().await.unwrap();
    let refused = between(&page, r#"id="send-error""#, "</div>");
    assert!(
        refused.contains("Nothing was sent")
            && refused.contains("Article 19 is already invited to this letter"),
        "{refused}"
    );
    assert!(page.contains("Review: 1 invitation to"), "{page}");
    assert_eq!(textarea(&page, "message"), message);
    assert_eq!(stored(&app).await.0, 1, "only the colleague's invitation");

    // The rest is sent from the page that came back.
    let rest = app.submit_review(&page, "send", message).await;
    assert_eq!(rest.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored(&app).await.0, 2);

    // A personal message too long stays in its box with the reason beside it.
    let long = "x".repeat(2001);
    let refused = app.submit_review(&review, "send", &long).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    assert!(
        between(&refused, r#"id="message-error""#, "</p>").contains("keep it under 2000"),
        "{refused}"
    );
    assert_eq!(textarea(&refused, "message"), long);
    assert_eq!(stored(&app).await.0, 2);
}

async fn a_file_with_a_bad_row_sends_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new().create(&app, &admin).await;
    let path = format!("/app/letters/{}/invite/csv", letter.id);
    let bad = "organization;email;tier\nAmnesty International;amnesty@example.org;lead\nBroken Org;not-an-email;\n";
    let answer = app.upload(&path, bad.as_bytes().to_vec()).await;
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = answer.text().await.unwrap();
    let beside = between(&page, r#"id="file-error""#, "</div>");
    assert!(
        beside.contains("One row cannot be invited, so nothing was sent")
            && beside.contains("<strong>row 3</strong>")
            && beside.contains("not a valid email"),
        "{beside}"
    );
    assert_eq!(stored(&app).await, (0, 0));

    let good = "organization;email;tier\nAmnesty International;amnesty@example.org;lead\n";
    let review = app.upload(&path, good.as_bytes().to_vec()).await;
    assert_eq!(review.status(), StatusCode::OK);
    let review = review.text().await.unwrap();
    assert!(
        review.contains("Review: 1 invitation to") && review.contains("Read as UTF-8"),
        "{review}"
    );
    assert_eq!(stored(&app).await, (0, 0));
    let sent = app.submit_review(&review, "send", "").await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored(&app).await, (1, 1));
}

async fn a_released_letter_says_why_it_takes_no_invitations_on_the_invite_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Amnesty International", "lead")])
        .create(&app, &admin)
        .await;
    let review = app
        .post_form(
            &format!("/app/letters/{}/invite/paste", letter.id),
            &[
                ("list", "Article 19, b@example.org"),
                ("tier", "supporting"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    answer(&app, "Amnesty International", "sign").await;
    release_now(&app, &admin, &letter.id).await;

    let page = app
        .get(&format!("/app/letters/{}/invite", letter.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("This letter takes no new invitations.")
            && page.contains("This letter is released and takes no new invitations."),
        "{page}"
    );
    assert!(!page.contains("/invite/paste"), "no form is offered");

    for answer in [
        app.post_form(
            &format!("/app/letters/{}/invite/paste", letter.id),
            &[
                ("list", "Article 19, b@example.org"),
                ("tier", "supporting"),
            ],
        )
        .await,
        app.submit_review(&review, "send", "").await,
    ] {
        assert_eq!(answer.status(), StatusCode::CONFLICT);
        let page = answer.text().await.unwrap();
        assert!(
            page.contains(r#"id="closed-error""#) && page.contains("is released"),
            "{page}"
        );
        assert!(page.contains("Back to the letter"), "{page}");
    }
    assert_eq!(stored(&app).await.0, 1);
}

async fn the_api_dry_run_previews_and_stores_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .contacts(&[("Amnesty International", "amnesty@example.org")])
        .create(&app, &admin)
        .await;
    let before = stored(&app).await;
    let path = format!("/letters/{}/invitations", letter.id);
    let body = json!({
        "invitations": [
            { "organization": "Article 19", "email": "info@article19.example", "tier": "lead", "country": "United Kingdom" },
            { "organization": "Amnesty International", "email": "amnesty@example.org" },
            { "organization": "Broken", "email": "nope" },
        ],
        "message": "Dear friends,\r\n\r\nWe count on you.",
        "dry_run": true,
    });
    let previewed = app
        .api_expecting(StatusCode::OK, Method::POST, &path, &admin, Some(body))
        .await;
    assert_eq!(stored(&app).await, before, "a dry run stores nothing");
    let preview = &previewed["preview"];
    assert!(
        preview["subject"]
            .as_str()
            .unwrap()
            .contains("Joint Letter on Xinjiang"),
        "{previewed}"
    );
    assert!(
        preview["text"]
            .as_str()
            .unwrap()
            .contains("Dear friends,\n\nWe count on you."),
        "{previewed}"
    );
    assert!(
        preview["html"]
            .as_str()
            .unwrap()
            .contains("<p>We count on you.</p>"),
        "{previewed}"
    );
    assert!(
        preview["to"]
            .as_str()
            .unwrap()
            .contains("<info@article19.example>"),
        "{previewed}"
    );
    assert_eq!(
        previewed["invitations"],
        json!([{
            "index": 0, "organization": "Article 19", "email": "info@article19.example",
            "contact_name": null, "tier": "lead", "country": "GB", "in_address_book": false,
        }])
    );
    let rejected: Vec<(u64, String)> = previewed["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["index"].as_u64().unwrap(),
                r["error"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(rejected.len(), 2, "{previewed}");
    assert!(rejected[0].0 == 1 && rejected[0].1.contains("already invited"));
    assert!(rejected[1].0 == 2 && rejected[1].1.contains("not a valid email"));

    // Like the real request: 422 when nothing would be invited; unknown fields refused.
    let nothing = app
        .api_expecting(
            StatusCode::UNPROCESSABLE_ENTITY,
            Method::POST,
            &path,
            &admin,
            Some(json!({ "invitations": [contact("Broken", "nope")], "dry_run": true })),
        )
        .await;
    assert_eq!(nothing["details"]["rejected"][0]["index"], 0, "{nothing}");
    let unknown = app
        .api_expecting(
            StatusCode::UNPROCESSABLE_ENTITY,
            Method::POST,
            &path,
            &admin,
            Some(json!({ "invitations": [contact("A", "a@example.org")], "dryrun": true })),
        )
        .await;
    assert_eq!(unknown["details"]["unknown_fields"], json!(["dryrun"]));
    assert_eq!(stored(&app).await, before);

    // The real request with the message: the job carries it.
    let sent = app
        .api_expecting(
            StatusCode::CREATED,
            Method::POST,
            &path,
            &admin,
            Some(json!({
                "invitations": [contact("Article 19", "info@article19.example")],
                "message": "We count on you.",
            })),
        )
        .await;
    let id = sent["invitations"][0]["id"].as_str().unwrap().to_string();
    let payloads: Vec<String> = app
        .in_database(move |conn| {
            outbox::table
                .filter(outbox::invitation_id.eq(id))
                .select(outbox::payload)
                .load(conn)
                .unwrap()
        })
        .await;
    let payload: Value = serde_json::from_str(&payloads[0]).unwrap();
    assert_eq!(payload["message"], "We count on you.");
}
