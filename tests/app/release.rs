//! Releasing: the release check and its 409, admins only, the snapshot ordered lead first then
//! by collation (accents, non-Latin scripts), the public page, JSON and CSV, a manifest whose
//! signature verifies with nothing but the published key, and the emails to every signatory.

use diesel::prelude::*;
use ed25519_dalek::Verifier;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use undersigned::db::schema::outbox;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::letters::{NewLetter, release_now};
use crate::support::manifests::{release_key, signature_of};
use crate::support::partners::{Partner, answer};
use crate::support::workers::after_a_full_pass;
use crate::support::{Backend, TestApp};

storage_test!(
    the_release_check_blocks_and_explains,
    a_release_publishes_the_ordered_list_signed_by_the_installation,
    a_scheduled_release_fires_once_on_time_and_can_be_cancelled,
    admins_release_from_the_release_page,
);

async fn the_release_check_blocks_and_explains(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let coordinator = app
        .api_token("coordinator@example.org", Role::Coordinator)
        .await;
    let id = NewLetter::new()
        .organizations(&[
            ("Lead Signed", "lead"),
            ("Lead Silent", "lead"),
            ("Decliner", "supporting"),
            ("Stale Signer", "supporting"),
        ])
        .create(&app, &coordinator)
        .await
        .id;
    answer(&app, "Lead Signed", "sign").await;
    answer(&app, "Decliner", "decline").await;
    answer(&app, "Stale Signer", "sign").await;
    app.api_expecting(
        StatusCode::OK,
        Method::PUT,
        &format!("/letters/{id}"),
        &coordinator,
        Some(json!({ "body_markdown": "We ask you to act.", "change": "substantive" })),
    )
    .await;
    answer(&app, "Lead Signed", "sign").await;

    let (status, check) = app
        .api(
            Method::GET,
            &format!("/letters/{id}/release-check"),
            &coordinator,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{check}");
    assert_eq!(
        check["listed"],
        json!([{ "organization": "Lead Signed", "tier": "lead", "country": null, "source": "sign_link" }])
    );
    let reasons: Vec<(String, String)> = check["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["organization"].as_str().unwrap().into(),
                l["reason"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        reasons.contains(&("Lead Silent".into(), "did not answer".into())),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&("Decliner".into(), "declined".into())),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|(o, r)| o == "Stale Signer" && r.contains("version 1")),
        "{reasons:?}"
    );

    let (status, refused) = app
        .api(
            Method::POST,
            &format!("/letters/{id}/release"),
            &coordinator,
            Some(json!({})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only admins release: {refused}"
    );
    let (status, blocked) = app
        .api(
            Method::POST,
            &format!("/letters/{id}/release"),
            &admin,
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let blockers = blocked["details"]["blockers"].as_array().unwrap();
    assert_eq!(blockers.len(), 1, "{blockers:?}");
    assert!(blockers[0].as_str().unwrap().contains("Lead Silent"));
    let letter = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{id}"),
            &admin,
            None,
        )
        .await;
    assert_eq!(
        letter["status"], "open",
        "a blocked release changes nothing"
    );

    let empty = NewLetter::new()
        .organizations(&[("Nobody Yet", "supporting")])
        .create(&app, &admin)
        .await
        .id;
    let (status, blocked) = app
        .api(
            Method::POST,
            &format!("/letters/{empty}/release"),
            &admin,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        blocked["details"]["blockers"][0]
            .as_str()
            .unwrap()
            .contains("no organization")
    );

    answer(&app, "Lead Silent", "sign").await;
    let released = release_now(&app, &admin, &id).await;
    let names: Vec<&str> = released["signatories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["organization"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Lead Signed", "Lead Silent"],
        "the stale signer is left out"
    );
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/letters/{id}/release"),
            &admin,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "a letter is released once");
}

async fn a_release_publishes_the_ordered_list_signed_by_the_installation(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let orgs = [
        ("World Uyghur Congress", "lead"),
        ("Amnesty International", "lead"),
        ("Zimbabwe Lawyers", "supporting"),
        ("Уйгурский конгресс", "supporting"),
        ("Lawyers for Human Rights & Justice", "supporting"),
        ("Ärzte der Welt", "supporting"),
        ("article 19", "supporting"),
        ("Église et Société", "supporting"),
        ("منظمة العفو", "supporting"),
    ];
    let created = NewLetter::new()
        .organizations(&orgs)
        .create(&app, &admin)
        .await;
    let (id, slug) = (created.id, created.slug);
    for (name, _) in orgs {
        answer(&app, name, "sign").await;
    }
    let letter = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{id}"),
            &admin,
            None,
        )
        .await;
    assert_eq!(
        app.get(&format!("/letters/{slug}")).await.status(),
        StatusCode::NOT_FOUND,
        "unreleased letters are not public"
    );
    assert_eq!(
        app.get(&format!("/letters/{slug}.json")).await.status(),
        StatusCode::NOT_FOUND
    );

    release_now(&app, &admin, &id).await;
    let expected = [
        "Amnesty International",
        "World Uyghur Congress",
        "article 19",
        "Ärzte der Welt",
        "Église et Société",
        "Lawyers for Human Rights & Justice",
        "Zimbabwe Lawyers",
        "Уйгурский конгресс",
        "منظمة العفو",
    ];

    let published: Value = app
        .get(&format!("/letters/{slug}.json"))
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = published["signatories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["organization"].as_str().unwrap())
        .collect();
    assert_eq!(names, expected);
    assert_eq!(published["content_sha256"], letter["content_sha256"]);
    assert_eq!(published["title"], "Joint Letter on Xinjiang");

    let csv = app
        .get(&format!("/letters/{slug}/signatories.csv"))
        .await
        .text()
        .await
        .unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "organization,tier,country");
    assert_eq!(rows[1], "Amnesty International,lead,");
    assert_eq!(rows.len(), 10);
    assert!(rows[6].starts_with("Lawyers for Human Rights & Justice,supporting"));

    let page = app.get(&format!("/letters/{slug}")).await;
    let etag = page.headers()["etag"].clone();
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Lawyers for Human Rights &amp; Justice") && html.contains("منظمة العفو")
    );
    assert!(html.contains(r#"property="og:title""#));
    assert!(html.find("World Uyghur Congress").unwrap() < html.find("article 19").unwrap());
    let again = app
        .client
        .get(app.url(&format!("/letters/{slug}")))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(
        app.get("/letters")
            .await
            .text()
            .await
            .unwrap()
            .contains(&format!("/letters/{slug}"))
    );

    // Served from memory in the encoding the reader accepts, and revalidated by date too.
    for (accept, encoding) in [
        ("br, gzip", Some("br")),
        ("gzip", Some("gzip")),
        ("identity", None),
    ] {
        let response = app
            .client
            .get(app.url(&format!("/letters/{slug}")))
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap()),
            encoding,
            "{accept}"
        );
        assert_eq!(response.headers()["vary"], "Accept-Encoding");
        let bytes = response.bytes().await.unwrap();
        let html = match encoding {
            Some("gzip") => {
                use std::io::Read;
                let mut out = String::new();
                flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_string(&mut out)
                    .unwrap();
                out
            }
            Some(_) => {
                let mut out = Vec::new();
                brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap();
                String::from_utf8(out).unwrap()
            }
            None => String::from_utf8(bytes.to_vec()).unwrap(),
        };
        assert!(
            html.contains("Amnesty International") && html.trim_end().ends_with("</html>"),
            "{accept}"
        );
    }
    let dated = app.get(&format!("/letters/{slug}")).await.headers()["last-modified"].clone();
    let revalidated = app
        .client
        .get(app.url(&format!("/letters/{slug}.json")))
        .header("if-modified-since", dated)
        .send()
        .await
        .unwrap();
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);

    let feed = app.get("/letters.atom").await;
    assert!(
        feed.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let feed = feed.text().await.unwrap();
    assert!(
        feed.contains("<title>Joint Letter on Xinjiang</title>")
            && feed.contains(&format!("/letters/{slug}"))
    );
    assert!(
        feed.contains("Lawyers for Human Rights &amp; Justice"),
        "names are escaped in the feed"
    );
    let text = app
        .get(&format!("/letters/{slug}.txt"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        text.starts_with("Joint Letter on Xinjiang\n\nTo António Guterres"),
        "{text}"
    );
    assert!(
        text.contains("We urge you to act.")
            && text.contains("- Lawyers for Human Rights & Justice\n")
            && !text.contains("<p>")
    );

    // A journalist checks the list with nothing but the published key.
    let key = release_key(&app).await;
    let signature = signature_of(&published);
    let manifest = published["manifest"].as_str().unwrap();
    key.verify(manifest.as_bytes(), &signature)
        .expect("the manifest's signature verifies");
    let claimed: Value = serde_json::from_str(manifest).unwrap();
    assert_eq!(claimed["content_sha256"], published["content_sha256"]);
    assert_eq!(claimed["signatories"], published["signatories"]);
    let tampered = manifest.replace("Zimbabwe Lawyers", "Zimbabwe Lawyer");
    assert!(
        key.verify(tampered.as_bytes(), &signature).is_err(),
        "an altered list fails"
    );

    // Every signatory is emailed the public link.
    let notices: i64 = app
        .in_database(|conn| {
            outbox::table
                .filter(outbox::kind.eq("release_notice"))
                .count()
                .get_result(conn)
                .unwrap()
        })
        .await;
    assert_eq!(notices, 9);
    let page = Partner::open(&app, "Amnesty International").await.page;
    // A listed organization can now only withdraw (which would make a new revision).
    assert!(
        page.contains("The letter was published on")
            && page.contains(r#"action="/sign/withdraw""#)
            && !page.contains(r#"value="sign""#)
            && !page.contains(r#"value="decline""#),
        "{page}"
    );
}

async fn a_scheduled_release_fires_once_on_time_and_can_be_cancelled(backend: Backend) {
    use chrono::TimeDelta;

    let app = TestApp::spawn_with(backend, &[("UNDERSIGNED_MAIL__POLL_INTERVAL_MS", "100")]).await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let coordinator = app
        .api_token("coordinator@example.org", Role::Coordinator)
        .await;
    let letter = NewLetter::new()
        .organizations(&[
            ("Amnesty International", "lead"),
            ("Article 19", "supporting"),
        ])
        .create(&app, &admin)
        .await;
    let (id, slug) = (letter.id, letter.slug);
    answer(&app, "Amnesty International", "sign").await;
    let path = format!("/letters/{id}/release");
    let at = (chrono::Utc::now() + TimeDelta::hours(2)).to_rfc3339();

    let (status, _) = app
        .api(Method::POST, &path, &coordinator, Some(json!({ "at": at })))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let past = (chrono::Utc::now() - TimeDelta::hours(1)).to_rfc3339();
    let (status, _) = app
        .api(Method::POST, &path, &admin, Some(json!({ "at": past })))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Schedule, cancel, schedule again.
    let (status, scheduled) = app
        .api(
            Method::POST,
            &path,
            &admin,
            Some(json!({ "at": at, "time_zone": "Europe/Zurich" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{scheduled}");
    assert_eq!(
        (
            scheduled["status"].as_str(),
            scheduled["time_zone"].as_str()
        ),
        (Some("scheduled"), Some("Europe/Zurich"))
    );
    let (status, cancelled) = app
        .api(Method::POST, &format!("{path}/cancel"), &admin, None)
        .await;
    assert_eq!(
        (status, cancelled["status"].as_str()),
        (StatusCode::OK, Some("open")),
        "answers were not frozen, so the letter is open again"
    );
    let (status, answer) = app
        .api(Method::POST, &path, &admin, Some(json!({ "at": at })))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");

    // While scheduled, the text is frozen.
    let (status, _) = app
        .api(
            Method::PUT,
            &format!("/letters/{id}"),
            &admin,
            Some(json!({ "title": "Changed", "change": "minor" })),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Two workers (two instances) run; nothing happens before the time.
    let first = app.start_worker();
    let second = app.start_worker();
    after_a_full_pass(&first).await;
    after_a_full_pass(&second).await;
    let letter = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{id}"),
            &admin,
            None,
        )
        .await;
    assert_eq!(letter["status"], "scheduled");
    // One instance stops (a restart); the embargo time passes; the other fires it once.
    first.stop().await;
    app.clock
        .advance(TimeDelta::hours(2) + TimeDelta::seconds(1));
    let mut released = false;
    for _ in 0..50 {
        if app.get(&format!("/letters/{slug}.json")).await.status() == StatusCode::OK {
            released = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(released, "the release fired within seconds of its time");
    let restarted = app.start_worker();
    after_a_full_pass(&restarted).await;
    after_a_full_pass(&second).await;
    second.stop().await;
    restarted.stop().await;
    let releases: i64 = app
        .in_database(|conn| {
            undersigned::db::schema::releases::table
                .count()
                .get_result(conn)
                .unwrap()
        })
        .await;
    assert_eq!(releases, 1, "fired once");
    let actions = app.audit_actions().await;
    assert_eq!(
        actions.iter().filter(|a| *a == "letter.released").count(),
        1
    );
    assert!(
        actions.iter().any(|a| a == "letter.release_scheduled")
            && actions.iter().any(|a| a == "letter.release_cancelled")
    );
}

async fn admins_release_from_the_release_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let admin = app.api_token("admin@example.org", Role::Admin).await;
    let id = NewLetter::new()
        .organizations(&[
            ("Human Rights Watch", "lead"),
            ("Quiet Lead", "lead"),
            ("Article 19", "supporting"),
        ])
        .create(&app, &admin)
        .await
        .id;
    answer(&app, "Human Rights Watch", "sign").await;
    answer(&app, "Article 19", "sign").await;
    let path = format!("/app/letters/{id}/release");

    let page = app.get(&path).await.text().await.unwrap();
    assert!(
        page.contains("What blocks the release")
            && page.contains("Quiet Lead is a lead organization"),
        "{page}"
    );
    assert!(
        page.contains("Will be listed (2)") && !page.contains(r#"value="now""#),
        "coordinators see the check, not the button"
    );
    assert_eq!(
        app.post_form(&path, &[("action", "now")]).await.status(),
        StatusCode::FORBIDDEN
    );

    let logout = app.post_form("/logout", &[]).await;
    assert_eq!(
        logout.status(),
        StatusCode::SEE_OTHER,
        "the coordinator logs out"
    );
    let login = app
        .post_form(
            "/login",
            &[
                ("email", "admin@example.org"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let blocked = app.post_form(&path, &[("action", "now")]).await;
    assert_eq!(blocked.status(), StatusCode::CONFLICT);
    answer(&app, "Quiet Lead", "sign").await;

    // A time or zone that does not read keeps the admin in the form, with what was typed.
    let typo = app
        .post_form(
            &path,
            &[
                ("action", "schedule"),
                ("at", "2030-01-01T10:00"),
                ("time_zone", "Europe/Genva"),
            ],
        )
        .await;
    assert_eq!(typo.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let typo = typo.text().await.unwrap();
    assert!(
        typo.contains("“Europe/Genva” is not a known time zone"),
        "{typo}"
    );
    assert!(
        typo.contains(r#"value="2030-01-01T10:00""#) && typo.contains(r#"value="Europe/Genva""#),
        "the form keeps what was typed: {typo}"
    );

    // Releasing cannot be undone: the button asks first, naming who will be listed.
    let asked = app.post_form(&path, &[("action", "now")]).await;
    assert_eq!(asked.status(), StatusCode::OK);
    let asked = asked.text().await.unwrap();
    assert!(
        asked.contains("Release “") && asked.contains("cannot be unpublished"),
        "{asked}"
    );
    assert!(asked.contains("3 organizations will be listed") && asked.contains("Quiet Lead"));
    assert!(asked.contains(r#"name="confirm" value="yes""#));
    let not_yet = app.get(&path).await.text().await.unwrap();
    assert!(
        !not_yet.contains("This letter is public at"),
        "nothing happened yet"
    );
    let released = app
        .post_form(&path, &[("action", "now"), ("confirm", "yes")])
        .await;
    assert_eq!(released.status(), StatusCode::SEE_OTHER);
    let page = app.get(&path).await.text().await.unwrap();
    assert!(
        page.contains("This letter is public at") && page.contains("published with 3 signatories"),
        "{page}"
    );

    // Once published, the admin may open the list to late signatures from the same page.
    let opened = app
        .post_form(
            &path,
            &[
                ("action", "late_signatures"),
                ("allow_late_signatures", "on"),
            ],
        )
        .await;
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    let page = app.get(&path).await.text().await.unwrap();
    assert!(
        page.contains(r#"name="allow_late_signatures" checked"#),
        "{page}"
    );
    let actions = app.audit_actions().await;
    assert!(
        actions.iter().any(|a| a == "letter.late_signatures_set"),
        "{actions:?}"
    );
}
