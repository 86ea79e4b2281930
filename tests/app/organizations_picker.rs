//! The invite picker with groups: filtered by a tag, the whole group invited through the
//! review page, and for an organization with several contacts the one chosen is the one
//! invited (its email and name). On both databases.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::address_book::create_organization;
use crate::support::letters::NewLetter;
use crate::support::{Backend, TestApp};

storage_test!(a_whole_group_is_invited_each_by_the_contact_chosen);

async fn a_whole_group_is_invited_each_by_the_contact_chosen(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let one = create_organization(
        &app,
        &admin,
        json!({ "name": "Africa One", "email": "first@one.example", "tags": ["Africa network"] }),
    )
    .await;
    let one_id = one["id"].as_str().unwrap().to_string();
    let one = app
        .api_expecting(
            StatusCode::OK,
            Method::PUT,
            &format!("/organizations/{one_id}"),
            &admin,
            Some(json!({ "name": "Africa One", "email": "second@one.example",
                         "contact_name": "Second Person" })),
        )
        .await;
    assert_eq!(
        one["tags"],
        json!(["Africa network"]),
        "tags left as they were"
    );
    let second_contact = one["contacts"][1]["id"].as_str().unwrap().to_string();
    create_organization(
        &app,
        &admin,
        json!({ "name": "Africa Two", "email": "info@two.example", "tags": ["africa NETWORK"] }),
    )
    .await;
    create_organization(
        &app,
        &admin,
        json!({ "name": "Geneva Three", "email": "info@three.example", "tags": ["UN Geneva"] }),
    )
    .await;
    let letter = NewLetter::new().create(&app, &admin).await;
    let invite = format!("/app/letters/{}/invite", letter.id);

    let group = app
        .get(&format!("{invite}?tag=Africa+network"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        group.contains("<strong>2</strong> organizations"),
        "{group}"
    );
    assert!(group.contains(">Africa Two</label>") && !group.contains(">Geneva Three</label>"));
    assert!(
        group.contains("Invite the whole group “Africa network”"),
        "{group}"
    );
    assert!(
        group.contains(&format!(
            r#"<option value="{second_contact}">Second Person, second@one.example</option>"#
        )),
        "a choice of contact: {group}"
    );

    let contact_field = format!("contact_{one_id}");
    let review = app
        .post_form(
            &format!("{invite}/address-book"),
            &[
                ("scope", "tag"),
                ("tag", "Africa network"),
                ("q", "nothing matches this"),
                (contact_field.as_str(), second_contact.as_str()),
            ],
        )
        .await;
    assert_eq!(review.status(), StatusCode::OK);
    let review = review.text().await.unwrap();
    assert!(review.contains("Review: 2 invitations"), "{review}");
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
    let invitations = listed["invitations"].as_array().unwrap();
    let of =
        |name: &str| -> Option<&Value> { invitations.iter().find(|i| i["organization"] == name) };
    assert_eq!(invitations.len(), 2, "{listed}");
    assert_eq!(of("Africa One").unwrap()["email"], "second@one.example");
    assert_eq!(of("Africa One").unwrap()["contact_name"], "Second Person");
    assert_eq!(of("Africa Two").unwrap()["email"], "info@two.example");
    assert!(of("Geneva Three").is_none(), "not in the group");

    // Without a choice, the first contact; the group is now invited.
    let again = app
        .get(&format!("{invite}?tag=africa+network"))
        .await
        .text()
        .await
        .unwrap();
    assert!(again.contains("2 shown; 0 can be invited."), "{again}");
}
