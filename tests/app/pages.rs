//! The coordinator's pages, used like a browser without JavaScript: drafting with a preview,
//! versions and their difference, inviting in three ways, the dashboard with filters, bulk
//! actions and its chart, one invitation's page, the audit log and its CSV.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::forms::location;
use crate::support::markup::active_markup;
use crate::support::{Backend, TestApp};

storage_test!(
    a_coordinator_drafts_edits_and_compares_versions,
    a_coordinator_invites_three_ways_and_follows_the_dashboard,
    hostile_text_is_harmless_on_every_page,
);

/// Creates a letter through the form and returns its dashboard path.
async fn draft(app: &TestApp, title: &str, body: &str) -> String {
    let created = app
        .post_form(
            "/app/letters/new",
            &[
                ("title", title),
                ("addressee", "António Guterres"),
                ("body_markdown", body),
                ("deadline", "2026-12-24T18:00"),
                ("deadline_tz", "Europe/Paris"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(
        created.status(),
        StatusCode::SEE_OTHER,
        "{}",
        created.text().await.unwrap()
    );
    location(&created)
}

async fn a_coordinator_drafts_edits_and_compares_versions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;

    let preview = app
        .post_form(
            "/app/letters/new",
            &[
                ("title", "Preview only"),
                ("addressee", "A"),
                ("body_markdown", "We **urge** you."),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(preview.status(), StatusCode::OK);
    let html = preview.text().await.unwrap();
    assert!(
        html.contains("<strong>urge</strong>"),
        "the preview renders Markdown"
    );
    assert!(
        !app.get("/app")
            .await
            .text()
            .await
            .unwrap()
            .contains("Preview only"),
        "a preview saves nothing"
    );

    let invalid = app
        .post_form(
            "/app/letters/new",
            &[
                ("title", ""),
                ("addressee", "A"),
                ("body_markdown", "B"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        invalid
            .text()
            .await
            .unwrap()
            .contains("The title is required")
    );

    let dashboard = draft(&app, "Letter on Xinjiang", "We urge you to act.").await;
    let page = app.get(&dashboard).await.text().await.unwrap();
    assert!(
        page.contains("Letter on Xinjiang")
            && page.contains("24 December 2026, 18:00 (Europe/Paris)"),
        "{page}"
    );
    let edit_path = format!("{dashboard}/edit");
    let form = app.get(&edit_path).await.text().await.unwrap();
    assert!(
        form.contains(r#"value="2026-12-24T18:00""#),
        "the deadline comes back in its own zone"
    );

    let missing_kind = app
        .post_form(
            &edit_path,
            &[
                ("title", "Letter on Xinjiang"),
                ("addressee", "António Guterres"),
                ("body_markdown", "We urge you to act now."),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(
        missing_kind.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the kind of change is required"
    );
    for (body, change) in [
        ("We urge you to act now.", "minor"),
        ("We ask you to act today.", "substantive"),
    ] {
        let saved = app
            .post_form(
                &edit_path,
                &[
                    ("title", "Letter on Xinjiang"),
                    ("addressee", "António Guterres"),
                    ("body_markdown", body),
                    ("change", change),
                    ("deadline", "2026-12-24T18:00"),
                    ("deadline_tz", "Europe/Paris"),
                    ("action", "save"),
                ],
            )
            .await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    }
    let history = app
        .get(&format!("{dashboard}/history"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        history.contains("substantive") && history.contains("minor") && history.contains("initial")
    );
    assert_eq!(
        history.matches(r#"<td class="hash">"#).count(),
        3,
        "three versions, each with its hash"
    );

    let diff = app
        .get(&format!("{dashboard}/diff?from=1&to=3"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        diff.contains("<del>urge</del>") || diff.contains("<del>urge "),
        "{diff}"
    );
    assert!(
        diff.contains("<ins>ask</ins>") || diff.contains("<ins>ask "),
        "{diff}"
    );
    let unconfirmed = app
        .post_form(&format!("{dashboard}/status"), &[("action", "delete")])
        .await;
    assert_eq!(unconfirmed.status(), StatusCode::OK);
    let unconfirmed = unconfirmed.text().await.unwrap();
    assert!(
        unconfirmed.contains("Delete “") && unconfirmed.contains("cannot be undone"),
        "a confirmation page says what goes: {unconfirmed}"
    );
    assert_eq!(
        app.get(&dashboard).await.status(),
        StatusCode::OK,
        "not deleted before it is confirmed"
    );
    assert_eq!(
        app.get(&format!("{dashboard}/diff?from=1&to=9"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let deleted = app
        .post_form(
            &format!("{dashboard}/status"),
            &[("action", "delete"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(location(&deleted), "/app");
    assert_eq!(app.get(&dashboard).await.status(), StatusCode::NOT_FOUND);
}

async fn a_coordinator_invites_three_ways_and_follows_the_dashboard(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let dashboard = draft(&app, "Coalition letter", "Text").await;
    let letter_id = dashboard.rsplit('/').next().unwrap().to_string();

    // A pasted list, reviewed then sent.
    let pasted = app
        .post_form(
            &format!("{dashboard}/invite/paste"),
            &[("list", "Human Rights Watch, hrw@example.org, lead, US\nArticle 19; info@article19.example"), ("tier", "supporting")],
        )
        .await;
    assert_eq!(pasted.status(), StatusCode::OK);
    let review = pasted.text().await.unwrap();
    assert!(review.contains("Review: 2 invitations"), "{review}");
    let sent = app.submit_review(&review, "send", "").await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);

    // A CSV file with a BOM and semicolons.
    let csv = "\u{feff}organization;email;tier;country\nAmnesty International;amnesty@example.org;lead;GB\n";
    let csrf = app.csrf().await;
    let upload = Form::new().text("csrf_token", csrf).part(
        "file",
        Part::bytes(csv.as_bytes().to_vec())
            .file_name("partners.csv")
            .mime_str("text/csv")
            .unwrap(),
    );
    let uploaded = app
        .client
        .post(app.url(&format!("{dashboard}/invite/csv")))
        .multipart(upload)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), StatusCode::OK);
    let review = uploaded.text().await.unwrap();
    assert!(review.contains("Review: 1 invitation"), "{review}");
    assert_eq!(
        app.submit_review(&review, "send", "").await.status(),
        StatusCode::SEE_OTHER
    );

    // From the address book, where the organizations invited so far now live.
    let added = app
        .post_form(
            "/app/organizations/new",
            &[
                ("name", "World Uyghur Congress"),
                ("country", "DE"),
                ("email", "wuc@example.org"),
            ],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let organization_id = location(&added).rsplit('/').next().unwrap().to_string();
    let invite_page = app
        .get(&format!("{dashboard}/invite?q=uyghur"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        invite_page.contains("World Uyghur Congress")
            && !invite_page.contains("Human Rights Watch"),
        "search narrows the list"
    );
    let tier_field = format!("tier_{organization_id}");
    let from_book = app
        .post_form(
            &format!("{dashboard}/invite/address-book"),
            &[
                ("organization_ids", organization_id.as_str()),
                (tier_field.as_str(), "lead"),
                ("scope", "ticked"),
            ],
        )
        .await;
    let review = from_book.text().await.unwrap();
    assert!(review.contains("Review: 1 invitation"), "{review}");
    assert_eq!(
        app.submit_review(&review, "send", "").await.status(),
        StatusCode::SEE_OTHER
    );

    // The dashboard: counts, filters, sorting.
    let page = app.get(&dashboard).await.text().await.unwrap();
    assert!(
        page.contains("World Uyghur Congress")
            && page.contains("Human Rights Watch")
            && page.contains("Amnesty International")
    );
    assert!(
        page.contains("<svg") && page.contains("<polyline"),
        "the chart is drawn on the server"
    );
    assert!(
        page.contains(r#"<span class="badge queued">queued</span> 4"#),
        "{page}"
    );
    let leads = app
        .get(&format!("{dashboard}?tier=lead&sort=status"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        leads.contains("Human Rights Watch") && !leads.contains("Article 19"),
        "the tier filter works"
    );
    let searched = app
        .get(&format!("{dashboard}?q=amnesty"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        searched.contains("Amnesty International") && !searched.contains("World Uyghur Congress")
    );

    // Bulk revoke of two ticked rows; the form's repeated `ids` field.
    let (status, listed) = app
        .api(
            reqwest::Method::GET,
            &format!("/letters/{letter_id}/invitations"),
            &app.api_token("api@example.org", Role::Coordinator).await,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let ids: Vec<String> = listed["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["tier"] == "supporting")
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 1);
    let csrf = app.csrf().await;
    let bulk = app
        .client
        .post(app.url(&format!("{dashboard}/bulk")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("ids", ids[0].as_str()),
            ("action", "revoke"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bulk.status(), StatusCode::SEE_OTHER);
    let page = app.get(&dashboard).await.text().await.unwrap();
    assert!(
        page.contains("1 invitations revoked."),
        "the notice after the redirect"
    );
    assert!(page.contains(r#"<span class="badge revoked">revoked</span> 1"#));
    let none_ticked = app
        .post_form(&format!("{dashboard}/bulk"), &[("action", "remind")])
        .await;
    assert_eq!(none_ticked.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let none_ticked = none_ticked.text().await.unwrap();
    assert!(
        none_ticked.contains(r#"id="bulk-error""#)
            && none_ticked.contains("Tick at least one organization first")
            && none_ticked.contains("Remind the selected"),
        "the dashboard comes back with the reason beside its actions: {none_ticked}"
    );

    // One invitation: printed name and tier.
    let invitation = app
        .get(&format!("/app/invitations/{}", ids[0]))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        invitation.contains("Article 19") && !invitation.contains("/sign/"),
        "coordinators never see links"
    );
    let edited = app
        .post_form(
            &format!("/app/invitations/{}/edit", ids[0]),
            &[("tier", "lead"), ("display_name", "ARTICLE 19")],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    assert!(
        app.get(&format!("/app/invitations/{}", ids[0]))
            .await
            .text()
            .await
            .unwrap()
            .contains(r#"value="ARTICLE 19""#)
    );

    // Every action is in the audit log, also as CSV with who and from where.
    let audit = app
        .get(&format!("{dashboard}/audit"))
        .await
        .text()
        .await
        .unwrap();
    for action in [
        "letter.created",
        "invitation.created",
        "invitation.revoked",
        "invitation.edited",
        "letter.status_changed",
    ] {
        assert!(audit.contains(action), "{action} is in the audit log");
    }
    let csv = app.get(&format!("{dashboard}/audit.csv")).await;
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("time_utc,actor,action,invitation_id,detail,ip,user_agent"));
    assert!(csv.contains("coordinator@example.org,invitation.revoked"));
    assert!(csv.contains("127.0.0.1"));
}

async fn hostile_text_is_harmless_on_every_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let hostile_title = "<img src=x onerror=alert(1)>";
    let hostile_body = "<script>alert(1)</script>\n\n[x](javascript:alert(2))\n\n<a href=\"#\" onclick=\"alert(3)\">y</a>";
    let dashboard = draft(&app, hostile_title, hostile_body).await;
    let invited = app
        .post_form(
            &format!("{dashboard}/invite/paste"),
            &[
                ("list", "<b onmouseover=alert(4)>Org</b>, org@example.org"),
                ("tier", "supporting"),
            ],
        )
        .await;
    assert_eq!(invited.status(), StatusCode::OK);
    let review = invited.text().await.unwrap();
    assert!(
        !review.contains("<b onmouseover"),
        "the name is escaped on the review page"
    );
    assert_eq!(
        app.submit_review(&review, "send", "").await.status(),
        StatusCode::SEE_OTHER
    );
    let preview = app
        .post_form(
            &format!("{dashboard}/edit"),
            &[
                ("title", hostile_title),
                ("addressee", "A"),
                ("body_markdown", hostile_body),
                ("action", "preview"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    for page in [
        app.get("/app").await.text().await.unwrap(),
        app.get(&dashboard).await.text().await.unwrap(),
        preview,
        app.get(&format!("{dashboard}/history"))
            .await
            .text()
            .await
            .unwrap(),
    ] {
        // The app's own scripts (progressive enhancement, served from /static) are expected.
        let active: Vec<String> = active_markup(&page)
            .into_iter()
            .filter(|tag| !tag.starts_with(r#"<script src="/static/"#))
            .collect();
        assert_eq!(active, Vec::<String>::new());
        assert!(
            page.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "the title is shown as text: {page}"
        );
    }
}

#[test]
fn the_active_markup_detector_finds_what_runs_and_only_that() {
    assert_eq!(
        active_markup(r#"<p title="&#60;b onclick=x&#62;">&lt;script&gt;</p>"#).len(),
        0
    );
    assert_eq!(active_markup("<script>x</script>").len(), 1);
    assert_eq!(active_markup(r#"<img src=x onerror=alert(1)>"#).len(), 1);
    assert_eq!(
        active_markup(r#"<a href="https://example.org" rel="noopener">"#).len(),
        0
    );
    assert_eq!(active_markup(r#"<a href="	javascript:alert(1)">"#).len(), 1);
    assert_eq!(active_markup(r#"<div ONMOUSEOVER='x'>"#).len(), 1);
}
