//! An address book of a thousand organizations: listed page by page with the right total on
//! the page, in the API and in the invite picker, whose "Review all" covers every page. The
//! API creates (201; 422 naming the field; unknown fields refused), updates and deletes (409 for
//! an organization ever invited), and the delete page asks first. On both databases.

use reqwest::{Method, StatusCode};
use serde_json::json;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::address_book::{create_organization, import_organizations};
use crate::support::letters::NewLetter;
use crate::support::{Backend, TestApp};

storage_test!(
    a_thousand_organizations_are_listed_in_pages_with_their_total,
    the_api_creates_updates_and_deletes_organizations,
);

async fn a_thousand_organizations_are_listed_in_pages_with_their_total(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    import_organizations(&app, 1000).await;

    let first = app.get("/app/organizations").await.text().await.unwrap();
    assert!(
        first.contains("<strong>1000</strong> organizations"),
        "{first}"
    );
    assert!(
        first.contains("Showing 1–50 of 1000 · Page 1 of 20"),
        "{first}"
    );
    assert!(first.contains(">Org 0049<") && !first.contains(">Org 0050<"));
    let last = app
        .get("/app/organizations?page=20")
        .await
        .text()
        .await
        .unwrap();
    assert!(last.contains("Showing 951–1000 of 1000"), "{last}");
    assert!(last.contains(">Org 0999<") && last.contains("rel=\"prev\""));
    assert!(!last.contains("rel=\"next\""), "no page after the last");
    let searched = app
        .get("/app/organizations?q=org%2009")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        searched.contains("<strong>100</strong> organizations matching"),
        "{searched}"
    );
    assert!(searched.contains("q=org+09&amp;page=2") || searched.contains("q=org+09&page=2"));

    // The API: the same total on every page, the page asked for.
    let page = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            "/organizations?page=3&per_page=100",
            &admin,
            None,
        )
        .await;
    assert_eq!(page["total"], 1000);
    assert_eq!(page["page"], 3);
    assert_eq!(page["per_page"], 100);
    let listed = page["organizations"].as_array().unwrap();
    assert_eq!(listed.len(), 100);
    assert_eq!(listed[0]["name"], "Org 0200");
    assert_eq!(
        listed[0]["contacts"][0]["email"],
        "contact200@org200.example"
    );
    for (query, field) in [("per_page=501", "per_page"), ("page=0", "page")] {
        let (status, body) = app
            .api(
                Method::GET,
                &format!("/organizations?{query}"),
                &admin,
                None,
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(body["details"]["field"], field, "{body}");
    }

    // The picker: a page of 50, the total, and "Review all" covering all thousand.
    let letter = NewLetter::new().create(&app, &admin).await;
    let invite = format!("/app/letters/{}/invite", letter.id);
    let picker = app.get(&invite).await.text().await.unwrap();
    assert!(
        picker.contains("<strong>1000</strong> organizations"),
        "{picker}"
    );
    assert!(
        picker.contains("50 shown; 1000 can be invited."),
        "{picker}"
    );
    assert!(picker.contains("Review all 1000"), "{picker}");
    assert!(picker.contains("Page 1 of 20"), "{picker}");
    let second = app
        .get(&format!("{invite}?page=2"))
        .await
        .text()
        .await
        .unwrap();
    assert!(second.contains(">Org 0050</label>") && !second.contains(">Org 0049</label>"));
    let review = app
        .post_form(&format!("{invite}/address-book"), &[("scope", "all")])
        .await;
    assert_eq!(review.status(), StatusCode::OK);
    let review = review.text().await.unwrap();
    assert!(
        review.contains("Review: 1000 invitations"),
        "{}",
        &review[..2000.min(review.len())]
    );
    let matching = app
        .post_form(
            &format!("{invite}/address-book"),
            &[("scope", "filtered"), ("q", "Org 09")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        matching.contains("Review: 100 invitations"),
        "a search across pages"
    );
}

async fn the_api_creates_updates_and_deletes_organizations(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let created = create_organization(
        &app,
        &admin,
        json!({
            "name": "  Article   19 ",
            "display_name": "ARTICLE 19",
            "email": "Info@Article19.example",
            "contact_name": "Ana Díaz",
            "country": "gb",
            "website": "https://article19.example",
        }),
    )
    .await;
    assert_eq!(created["name"], "Article 19", "made canonical at the edge");
    assert_eq!(created["display_name"], "ARTICLE 19");
    assert_eq!(created["country"], "GB");
    assert_eq!(created["contacts"][0]["name"], "Ana Díaz");
    let id = created["id"].as_str().unwrap().to_string();

    for (body, field) in [
        (json!({ "name": "" }), "name"),
        (json!({ "email": "a@b.example" }), "name"),
        (json!({ "name": "X", "email": "not an email" }), "email"),
        (json!({ "name": "X", "country": "Atlantis" }), "country"),
        (
            json!({ "name": "X", "website": "javascript:alert(1)" }),
            "website",
        ),
    ] {
        let (status, answer) = app
            .api(Method::POST, "/organizations", &admin, Some(body.clone()))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert_eq!(answer["details"]["field"], field, "{body}: {answer}");
    }
    let (status, answer) = app
        .api(
            Method::POST,
            "/organizations",
            &admin,
            Some(json!({ "name": "X", "colour": "red" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer["details"]["unknown_fields"], json!(["colour"]));
    let (status, _) = app
        .api(
            Method::POST,
            "/organizations",
            &admin,
            Some(json!({ "name": "ARTICLE 19" })),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "the same name, however typed");
    let total = app
        .api_expecting(StatusCode::OK, Method::GET, "/organizations", &admin, None)
        .await;
    assert_eq!(total["total"], 1, "nothing refused was stored");

    let path = format!("/organizations/{id}");
    let updated = app
        .api_expecting(
            StatusCode::OK,
            Method::PUT,
            &path,
            &admin,
            Some(json!({ "name": "Article 19", "country": "CH", "tags": ["UN Geneva", "un  geneva"] })),
        )
        .await;
    assert_eq!(updated["country"], "CH");
    assert_eq!(updated["display_name"], "Article 19");
    assert_eq!(updated["tags"], json!(["UN Geneva"]));
    assert_eq!(updated["contacts"].as_array().unwrap().len(), 1);
    let tagged = app
        .api_expecting(
            StatusCode::OK,
            Method::GET,
            "/organizations?tag=UN%20GENEVA",
            &admin,
            None,
        )
        .await;
    assert_eq!(tagged["total"], 1);

    // Never invited: deleted after the page asks; through the API directly.
    let spare = create_organization(&app, &admin, json!({ "name": "Spare" })).await;
    let spare_id = spare["id"].as_str().unwrap();
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let delete_page = format!("/app/organizations/{spare_id}/delete");
    let asked = app.post_form(&delete_page, &[]).await;
    assert_eq!(asked.status(), StatusCode::OK);
    assert!(
        asked
            .text()
            .await
            .unwrap()
            .contains("Delete Spare from the address book?")
    );
    app.api_expecting(
        StatusCode::OK,
        Method::GET,
        &format!("/organizations/{spare_id}"),
        &admin,
        None,
    )
    .await;
    let deleted = app.post_form(&delete_page, &[("confirm", "yes")]).await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    let (status, _) = app
        .api(
            Method::GET,
            &format!("/organizations/{spare_id}"),
            &admin,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        app.audit_actions()
            .await
            .contains(&"organization.deleted".to_string())
    );

    // Invited once, even if revoked since: kept.
    let letter = NewLetter::new()
        .contacts(&[("Article 19", "info@article19.example")])
        .create(&app, &admin)
        .await;
    app.api_expecting(
        StatusCode::OK,
        Method::POST,
        &format!("/invitations/{}/revoke", letter.invitation_id("Article 19")),
        &admin,
        None,
    )
    .await;
    let (status, answer) = app.api(Method::DELETE, &path, &admin, None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(
        answer["error"].as_str().unwrap().contains("merge it"),
        "{answer}"
    );
    app.api_expecting(StatusCode::OK, Method::GET, &path, &admin, None)
        .await;
    let openapi = app
        .api_expecting(StatusCode::OK, Method::GET, "/openapi.json", &admin, None)
        .await;
    let paths = &openapi["paths"];
    assert!(paths["/api/v1/organizations"]["get"].is_object(), "{paths}");
    assert!(paths["/api/v1/organizations"]["post"].is_object());
    assert!(paths["/api/v1/organizations/{id}"]["put"].is_object());
    assert!(paths["/api/v1/organizations/{id}"]["delete"].is_object());

    let other = create_organization(&app, &admin, json!({ "name": "Other" })).await;
    app.api_expecting(
        StatusCode::NO_CONTENT,
        Method::DELETE,
        &format!("/organizations/{}", other["id"].as_str().unwrap()),
        &admin,
        None,
    )
    .await;
}
