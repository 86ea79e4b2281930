//! Tidying the address book: duplicate suggestions (the same name however punctuated, the
//! same email domain), merging one organization into another after a confirmation page, its
//! contacts and invitations moving and the merge audited, and a merge racing a partner's
//! answer losing nothing. On both databases.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use undersigned::domain::{InvitationStatus, Role};

use crate::storage_test;
use crate::support::address_book::{between, create_organization};
use crate::support::invitations::invitation_by_id;
use crate::support::letters::NewLetter;
use crate::support::partners::answer;
use crate::support::{Backend, TestApp};

storage_test!(
    duplicates_are_suggested_and_a_merge_moves_contacts_and_invitations,
    a_merge_racing_a_partners_answer_loses_nothing,
);

fn id(organization: &Value) -> String {
    organization["id"].as_str().unwrap().to_string()
}

async fn duplicates_are_suggested_and_a_merge_moves_contacts_and_invitations(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let first = NewLetter::new()
        .contacts(&[("Amnesty International", "lead@amnesty.example")])
        .create(&app, &admin)
        .await;
    let second = NewLetter::new()
        .with("title", "Second letter")
        .contacts(&[("AMNESTY-International", "press@amnesty.example")])
        .create(&app, &admin)
        .await;
    let kept = invitation_by_id(&app, &first.invitation_id("Amnesty International")).await;
    let merged = invitation_by_id(&app, &second.invitation_id("AMNESTY-International")).await;
    assert_ne!(
        kept.organization_id, merged.organization_id,
        "two organizations so far"
    );
    let (kept_id, merged_id) = (
        kept.organization_id.to_string(),
        merged.organization_id.to_string(),
    );
    app.api_expecting(
        StatusCode::OK,
        Method::PUT,
        &format!("/organizations/{merged_id}"),
        &admin,
        Some(
            json!({ "name": "AMNESTY-International", "tags": ["Human rights"],
                     "email": "lead@amnesty.example" }),
        ),
    )
    .await;
    create_organization(
        &app,
        &admin,
        json!({ "name": "Solo", "email": "a@gmail.com" }),
    )
    .await;
    create_organization(
        &app,
        &admin,
        json!({ "name": "Alone", "email": "b@gmail.com" }),
    )
    .await;

    let suggestions = app
        .get("/app/organizations/duplicates")
        .await
        .text()
        .await
        .unwrap();
    let by_name = between(&suggestions, "<h2>the same name</h2>", "</section>");
    assert!(
        by_name.contains(">Amnesty International<") && by_name.contains(">AMNESTY-International<"),
        "{suggestions}"
    );
    assert!(suggestions.contains("<h2>the same email domain amnesty.example</h2>"));
    assert!(
        !suggestions.contains("gmail.com"),
        "a public mailbox domain says nothing"
    );

    // Merging asks first; nothing moves until the confirmed form.
    let path = format!("/app/organizations/{merged_id}/merge");
    let asked = app.post_form(&path, &[("into", kept_id.as_str())]).await;
    assert_eq!(asked.status(), StatusCode::OK);
    let asked = asked.text().await.unwrap();
    assert!(
        asked.contains("Merge AMNESTY-International into Amnesty International?"),
        "{asked}"
    );
    assert_eq!(
        invitation_by_id(&app, &merged.id.to_string())
            .await
            .organization_id
            .to_string(),
        merged_id
    );
    // A name the address book does not know: the organization's page again, the input kept.
    let unknown = app
        .post_form(&path, &[("into_name", "Amnesty Internacional")])
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = unknown.text().await.unwrap();
    assert!(
        between(&unknown, r#"id="into_name""#, "</div>").contains("No organization called"),
        "{unknown}"
    );
    assert!(unknown.contains(r#"value="Amnesty Internacional""#));

    let done = app
        .post_form(
            &path,
            &[("into_name", "amnesty international"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let (status, _) = app
        .api(
            Method::GET,
            &format!("/organizations/{merged_id}"),
            &admin,
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the merged organization is gone"
    );
    let now = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/organizations/{kept_id}"),
            &admin,
            None,
        )
        .await;
    let emails: Vec<&str> = now["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        emails,
        ["lead@amnesty.example", "press@amnesty.example"],
        "one mailbox kept once"
    );
    assert_eq!(now["tags"], json!(["Human rights"]));
    let moved = invitation_by_id(&app, &merged.id.to_string()).await;
    assert_eq!(
        moved.organization_id.to_string(),
        kept_id,
        "the invitation moved"
    );
    assert!(
        app.audit_actions()
            .await
            .contains(&"organization.merged".to_string())
    );

    // Both invited to one letter: the merge is refused and changes nothing.
    let twice = NewLetter::new()
        .with("title", "Third letter")
        .contacts(&[
            ("Amnesty International", "lead@amnesty.example"),
            ("Solo", "a@gmail.com"),
        ])
        .create(&app, &admin)
        .await;
    let solo = invitation_by_id(&app, &twice.invitation_id("Solo")).await;
    let (status, answer) = app
        .api(
            Method::POST,
            &format!("/organizations/{}/merge", solo.organization_id),
            &admin,
            Some(json!({ "into": kept_id })),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(
        invitation_by_id(&app, &solo.id.to_string())
            .await
            .organization_id,
        solo.organization_id
    );
}

async fn a_merge_racing_a_partners_answer_loses_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let rounds = 4;
    let names: Vec<String> = (0..rounds).map(|n| format!("Racer {n}")).collect();
    let contacts: Vec<(&str, String)> = names
        .iter()
        .enumerate()
        .map(|(n, name)| (name.as_str(), format!("racer{n}@example.org")))
        .collect();
    let pairs: Vec<(&str, &str)> = contacts.iter().map(|(n, e)| (*n, e.as_str())).collect();
    let letter = NewLetter::new().contacts(&pairs).create(&app, &admin).await;
    for name in &names {
        let invitation = invitation_by_id(&app, &letter.invitation_id(name)).await;
        let keeper = create_organization(
            &app,
            &admin,
            json!({ "name": format!("{name} (kept)"), "email": format!("kept.{name}@example.org").replace(' ', "") }),
        )
        .await;
        let merge_path = format!("/organizations/{}/merge", invitation.organization_id);
        let merge = app.api(
            Method::POST,
            &merge_path,
            &admin,
            Some(json!({ "into": id(&keeper) })),
        );
        let ((status, body), ()) = tokio::join!(merge, answer(&app, name, "sign"));
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["invitations_moved"], 1, "{body}");
        let after = invitation_by_id(&app, &invitation.id.to_string()).await;
        assert_eq!(after.status, InvitationStatus::Signed, "the answer is kept");
        assert_eq!(
            after.organization_id.to_string(),
            id(&keeper),
            "and it moved"
        );
    }
    let listed = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            &format!("/letters/{}/invitations", letter.id),
            &admin,
            None,
        )
        .await;
    let signed = listed["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "signed")
        .count();
    assert_eq!(signed, rounds);
}
