//! After release: a late signature (when the letter accepts them) and a withdrawal each make a
//! new dated revision of the public list with its own signed manifest, shown in the page's
//! change log; the original release and its hash stay exactly as they were published, and
//! every instance's copy in memory catches up within seconds.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};
use undersigned::db::schema::{audit_events, outbox, releases};
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::invitations::invitation_named;
use crate::support::letters::NewLetter;
use crate::support::manifests::verifies;
use crate::support::partners::{Partner, answer, try_answer};
use crate::support::pdf_tools::pdf_text;
use crate::support::{Backend, TestApp};

storage_test!(a_published_list_changes_only_by_signed_dated_revisions,);

/// The public JSON once it shows this revision (each copy in memory rechecks within a second).
async fn published_revision(app: &TestApp, slug: &str, revision: i64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let published: Value = app
            .get(&format!("/letters/{slug}.json"))
            .await
            .json()
            .await
            .unwrap();
        if published["revision"] == revision {
            return published;
        }
        assert!(
            Instant::now() < deadline,
            "revision {revision} never appeared: {published}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The organizations of a published list, in its order.
fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["organization"].as_str().unwrap())
        .collect()
}

async fn a_published_list_changes_only_by_signed_dated_revisions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let coordinator = app
        .api_token("coordinator@example.org", Role::Coordinator)
        .await;
    let letter = NewLetter::new()
        .organizations(&[
            ("Lead One", "lead"),
            ("Zeta Support", "supporting"),
            ("Élan Solidarité", "supporting"),
            ("Late Joiner", "supporting"),
        ])
        .create(&app, &admin)
        .await;
    let (id, slug) = (letter.id, letter.slug);
    for organization in ["Lead One", "Zeta Support", "Élan Solidarité"] {
        answer(&app, organization, "sign").await;
    }
    let (status, released) = app
        .api(
            Method::POST,
            &format!("/letters/{id}/release"),
            &admin,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{released}");
    let letter = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{id}"),
            &admin,
            None,
        )
        .await;
    assert_eq!(letter["allow_late_signatures"], false);
    let original = published_revision(&app, &slug, 1).await;
    assert_eq!(
        names(&original["signatories"]),
        ["Lead One", "Élan Solidarité", "Zeta Support"]
    );
    let first_page = app.get(&format!("/letters/{slug}")).await;
    let first_tag = first_page.headers()[header::ETAG].clone();
    assert!(
        first_page.headers().get(header::SET_COOKIE).is_none(),
        "a public page sets no cookie, so shared caches may keep it"
    );
    assert!(
        !first_page
            .text()
            .await
            .unwrap()
            .contains("Changes since publication")
    );

    // Late signatures are closed by default: the sign page says so and offers no form.
    let page = Partner::open(&app, "Late Joiner").await.page;
    assert!(
        page.contains("answers can no longer change") && !page.contains(r#"name="decision""#),
        "{page}"
    );
    // A listed organization can only withdraw: signing again or declining is refused.
    for decision in ["sign", "decline"] {
        let (status, page) = try_answer(&app, "Lead One", decision).await;
        assert_eq!(status, StatusCode::CONFLICT, "{decision}: {page}");
    }

    // Only the late-signature setting of a released letter can change, and only by an admin.
    let (status, body) = app
        .api(
            Method::PUT,
            &format!("/letters/{id}"),
            &coordinator,
            Some(json!({ "allow_late_signatures": true })),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = app
        .api(
            Method::PUT,
            &format!("/letters/{id}"),
            &admin,
            Some(
                json!({ "title": "A new title", "change": "minor", "allow_late_signatures": true }),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, body) = app
        .api(
            Method::PUT,
            &format!("/letters/{id}"),
            &admin,
            Some(json!({ "allow_late_signatures": true })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["allow_late_signatures"], true);
    assert_eq!(body["status"], "released");

    // A late signature: revision 2, listed last as joined after publication, with its date.
    let page = Partner::open(&app, "Late Joiner").await.page;
    assert!(page.contains("organizations may still join"), "{page}");
    answer(&app, "Late Joiner", "sign").await;
    let joined = published_revision(&app, &slug, 2).await;
    assert_eq!(
        names(&joined["signatories"]),
        ["Lead One", "Élan Solidarité", "Zeta Support", "Late Joiner"]
    );
    let late = &joined["signatories"][3];
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert!(
        late["joined_at"].as_str().unwrap().starts_with(&today),
        "{late}"
    );
    assert!(joined["signatories"][0].get("joined_at").is_none());
    assert_eq!(
        joined["revisions"][1]["change"],
        "Late Joiner joined the letter"
    );
    let page = app
        .client
        .get(app.url(&format!("/letters/{slug}")))
        .header(header::IF_NONE_MATCH, first_tag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK, "the old copy is stale");
    let page = page.text().await.unwrap();
    assert!(
        page.contains("Joined after publication")
            && page.contains("Changes since publication")
            && page.contains("Late Joiner joined the letter"),
        "{page}"
    );
    let notice_key = format!("release:{}", invitation_named(&app, "Late Joiner").await.id);
    let notices: i64 = app
        .in_database(move |conn| {
            outbox::table
                .filter(outbox::dedupe_key.eq(notice_key))
                .count()
                .get_result(conn)
                .unwrap()
        })
        .await;
    assert_eq!(notices, 1, "the late signatory is sent the public link");

    // A withdrawal after release: revision 3, gone from the list, dated in the change log.
    answer(&app, "Zeta Support", "withdraw").await;
    let withdrawn = published_revision(&app, &slug, 3).await;
    assert_eq!(
        names(&withdrawn["signatories"]),
        ["Lead One", "Élan Solidarité", "Late Joiner"]
    );
    assert_eq!(
        withdrawn["revisions"][2]["change"],
        "Zeta Support withdrew its signature"
    );
    let csv = app
        .get(&format!("/letters/{slug}/signatories.csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("Late Joiner") && !csv.contains("Zeta Support"),
        "{csv}"
    );
    let text = app
        .get(&format!("/letters/{slug}.txt"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("- Late Joiner (joined after publication, ")
            && text.contains("Zeta Support withdrew its signature"),
        "{text}"
    );

    let pdf = app
        .get(&format!("/letters/{slug}.pdf"))
        .await
        .bytes()
        .await
        .unwrap();
    if let Some(printed) = pdf_text(&pdf) {
        assert!(
            printed.contains("Joined after publication")
                && printed.contains("Late Joiner")
                && printed.contains("Zeta Support withdrew its signature"),
            "{printed}"
        );
    }

    // The text, its hash and the original release never change; every revision is signed and
    // names the one before it.
    assert_eq!(withdrawn["content_sha256"], original["content_sha256"]);
    assert_eq!(withdrawn["released_at"], original["released_at"]);
    let first: Value = app
        .get(&format!("/letters/{slug}/revisions/1.json"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["manifest"], original["manifest"]);
    assert_eq!(first["signature"], original["signature"]);
    assert!(verifies(&app, &first).await, "the original still verifies");
    assert!(
        verifies(&app, &withdrawn).await,
        "the newest revision verifies"
    );
    let newest: Value = serde_json::from_str(withdrawn["manifest"].as_str().unwrap()).unwrap();
    assert_eq!(newest["revision"], 3);
    assert_eq!(
        newest["previous_manifest_sha256"],
        joined["manifest_sha256"]
    );
    assert_eq!(newest["signatories"], withdrawn["signatories"]);
    assert_eq!(
        app.get(&format!("/letters/{slug}/revisions/4.json"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let (rows, revised_events): (i64, i64) = app
        .in_database(|conn| {
            (
                releases::table.count().get_result(conn).unwrap(),
                audit_events::table
                    .filter(audit_events::action.eq("letter.revised"))
                    .count()
                    .get_result(conn)
                    .unwrap(),
            )
        })
        .await;
    assert_eq!((rows, revised_events), (3, 2));

    // The mail worker delivers what was queued after publication (written as .eml files here):
    // the late signatory's confirmation and public link, the withdrawal's confirmation.
    let worker = app.start_worker();
    let mail_dir = app.database.data_dir().join("mail");
    let deadline = Instant::now() + Duration::from_secs(10);
    let mails = loop {
        let pending: i64 = app
            .in_database(|conn| {
                outbox::table
                    .count()
                    .filter(outbox::status.eq_any(["pending", "sending"]))
                    .get_result(conn)
                    .unwrap()
            })
            .await;
        if pending == 0 {
            break std::fs::read_dir(&mail_dir)
                .unwrap()
                .map(|f| {
                    // Quoted-printable soft line breaks out, so that phrases read whole.
                    std::fs::read_to_string(f.unwrap().path())
                        .unwrap()
                        .replace("=\r\n", "")
                })
                .collect::<Vec<_>>();
        }
        assert!(Instant::now() < deadline, "the outbox never drained");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    worker.stop().await;
    let mail_to = |address: &str, words: &str| {
        mails
            .iter()
            .any(|m| m.contains(&format!("<{address}>\r\n")) && m.contains(words))
    };
    // Invitations are numbered in the order given: Late Joiner is org3, Zeta Support org1.
    assert!(
        mail_to("org3@example.org", "joined after publication"),
        "{mails:#?}"
    );
    assert!(mail_to("org3@example.org", &format!("/letters/{slug}")));
    assert!(mail_to(
        "org1@example.org",
        "Subject: Your signature is withdrawn"
    ));
    assert!(mail_to("org1@example.org", "it is no longer listed"));
    // Signatures given before release are confirmed as such, even when sent after it.
    assert!(mail_to("org0@example.org", "is recorded as a signatory"));
    assert!(!mail_to("org0@example.org", "joined after publication"));

    // A late decline is recorded but changes nothing public: no revision is stored (a revision
    // is stored with the answer that makes it), so none can be served.
    answer(&app, "Zeta Support", "decline").await;
    let revisions: i64 = app
        .in_database(|conn| releases::table.count().get_result(conn).unwrap())
        .await;
    assert_eq!(revisions, 3, "a late decline makes no revision");
    let unchanged = published_revision(&app, &slug, 3).await;
    assert_eq!(unchanged["manifest"], withdrawn["manifest"]);
}
