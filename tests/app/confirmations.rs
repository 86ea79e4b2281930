//! What cannot be undone asks first: revoking an organization that signed shows a page naming
//! it, and only the confirmed form revokes; revoking one that has not answered needs no
//! confirmation. On both databases, through the dashboard's real form.

use reqwest::StatusCode;
use undersigned::domain::{InvitationStatus, Role};

use crate::storage_test;
use crate::support::invitations::invitation_by_id;
use crate::support::letters::NewLetter;
use crate::support::partners::answer;
use crate::support::{Backend, TestApp};

storage_test!(
    revoking_an_organization_that_signed_asks_first,
    reminding_everyone_when_nobody_waits_says_so_on_the_dashboard,
);

async fn revoking_an_organization_that_signed_asks_first(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[
            ("Amnesty International", "lead"),
            ("Article 19", "supporting"),
        ])
        .create(&app, &admin)
        .await;
    answer(&app, "Amnesty International", "sign").await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let bulk = format!("/app/letters/{}/bulk", letter.id);
    let signed = letter.invitation_id("Amnesty International");
    let silent = letter.invitation_id("Article 19");

    let asked = app
        .post_form(&bulk, &[("action", "revoke"), ("ids", signed.as_str())])
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    let asked = asked.text().await.unwrap();
    assert!(
        asked.contains("Revoke 1 invitation?")
            && asked.contains("1 of them signed")
            && asked.contains("Amnesty International")
            && asked.contains(&format!(r#"name="ids" value="{signed}""#)),
        "{asked}"
    );
    assert_eq!(
        invitation_by_id(&app, &signed).await.status,
        InvitationStatus::Signed,
        "nothing happened before the confirmation"
    );

    let confirmed = app
        .post_form(
            &bulk,
            &[
                ("action", "revoke"),
                ("ids", signed.as_str()),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        invitation_by_id(&app, &signed).await.status,
        InvitationStatus::Revoked
    );

    let direct = app
        .post_form(&bulk, &[("action", "revoke"), ("ids", silent.as_str())])
        .await;
    assert_eq!(
        direct.status(),
        StatusCode::SEE_OTHER,
        "no signature, no question"
    );
    assert_eq!(
        invitation_by_id(&app, &silent).await.status,
        InvitationStatus::Revoked
    );
}

async fn reminding_everyone_when_nobody_waits_says_so_on_the_dashboard(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    // Invitations still in the queue (no mail worker runs) are not waiting for an answer yet.
    let letter = NewLetter::new()
        .organizations(&[("Amnesty International", "lead")])
        .create(&app, &admin)
        .await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let refused = app
        .post_form(
            &format!("/app/letters/{}/bulk", letter.id),
            &[("action", "remind_all")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("Nobody to remind: every organization has answered")
            && page.contains(r#"value="remind_all""#),
        "the dashboard with the reason: {page}"
    );
}
