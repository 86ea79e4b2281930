//! Who may do what: every coordinator page refuses anonymous visitors (and changes nothing), and
//! the admin pages refuse coordinators.

use reqwest::{Method, StatusCode};
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::forms::location;
use crate::support::letters::{NewLetter, contact};
use crate::support::{Backend, TestApp};

storage_test!(
    anonymous_visitors_are_sent_to_login_and_change_nothing,
    coordinators_cannot_manage_accounts,
);

/// Every route under /app, with ids that exist.
async fn app_routes(app: &TestApp) -> Vec<(Method, String)> {
    let token = app.admin_token().await;
    let letter = NewLetter::new()
        .invitee(contact("Org", "o@example.org"))
        .create(app, &token)
        .await;
    let invitation = letter.invitation_id("Org");
    let organization = letter.invitations[0]["organization_id"]
        .as_str()
        .expect("the invitation's organization")
        .to_string();
    let l = format!("/app/letters/{}", letter.id);
    let i = format!("/app/invitations/{invitation}");
    let o = format!("/app/organizations/{organization}");
    let get = |p: &str| (Method::GET, p.to_string());
    let post = |p: &str| (Method::POST, p.to_string());
    vec![
        get("/app"),
        get("/app/letters/new"),
        post("/app/letters/new"),
        get(&l),
        get(&format!("{l}/edit")),
        post(&format!("{l}/edit")),
        get(&format!("{l}/history")),
        get(&format!("{l}/diff?from=1&to=1")),
        post(&format!("{l}/status")),
        post(&format!("{l}/bulk")),
        get(&format!("{l}/invite")),
        post(&format!("{l}/invite/address-book")),
        post(&format!("{l}/invite/paste")),
        post(&format!("{l}/invite/csv")),
        get(&format!("{l}/audit")),
        get(&format!("{l}/audit.csv")),
        get(&format!("{l}/audit.xlsx")),
        get(&format!("{l}/responses.csv")),
        get(&format!("{l}/responses.xlsx")),
        get(&i),
        post(&format!("{i}/edit")),
        post(&format!("{i}/reinvite")),
        post(&format!("{i}/revoke")),
        get("/app/organizations"),
        get("/app/organizations/new"),
        post("/app/organizations/new"),
        get("/app/organizations/import"),
        post("/app/organizations/import/preview"),
        post("/app/organizations/import"),
        get(&o),
        post(&o),
        post(&format!("{o}/contacts")),
        post(&format!("{o}/contacts/x/remove")),
        get("/app/accounts"),
        post("/app/accounts"),
        post("/app/accounts/x/disabled"),
        get("/app/mail"),
        post("/app/mail/x/retry"),
        get("/app/mail/files/x.eml"),
        get("/app/account"),
        post("/app/account/password"),
        post("/app/account/tokens"),
        post("/app/account/tokens/x/revoke"),
    ]
}

async fn anonymous_visitors_are_sent_to_login_and_change_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let routes = app_routes(&app).await;
    let token = app.admin_token_of("admin@example.org");
    let before = app
        .api_expecting(StatusCode::OK, Method::GET, "/letters", &token, None)
        .await;
    for (method, path) in &routes {
        let response = app
            .client
            .request(method.clone(), app.url(path))
            .form(&[
                ("title", "x"),
                ("action", "delete"),
                ("list", "X, x@example.org"),
                ("name", "X"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{method} {path}");
        assert!(location(&response).starts_with("/login"), "{method} {path}");
    }
    assert_eq!(
        app.api_expecting(StatusCode::OK, Method::GET, "/letters", &token, None)
            .await,
        before,
        "nothing changed"
    );
}

async fn coordinators_cannot_manage_accounts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    assert_eq!(
        app.get("/app/accounts").await.status(),
        StatusCode::FORBIDDEN
    );
    let create = app
        .post_form(
            "/app/accounts",
            &[
                ("name", "Mallory"),
                ("email", "mallory@example.org"),
                ("password", "a long enough password"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(create.status(), StatusCode::FORBIDDEN);
    let disable = app
        .post_form("/app/accounts/x/disabled", &[("disabled", "true")])
        .await;
    assert_eq!(disable.status(), StatusCode::FORBIDDEN);
    let login = app
        .new_browser()
        .post(app.url("/login"))
        .form(&[("email", "mallory@example.org")])
        .send()
        .await
        .unwrap();
    assert!(login.status().is_client_error(), "no account was created");
    assert!(
        !app.get("/app")
            .await
            .text()
            .await
            .unwrap()
            .contains("Accounts</a>"),
        "the menu offers no account management"
    );

    // An admin can (inviting a colleague), and a disabled account's sessions end at once.
    let admin = TestApp::spawn(backend).await;
    admin.login_as("admin@example.org", Role::Admin).await;
    let invited = admin
        .post_form(
            "/app/accounts",
            &[
                ("name", "Colleague"),
                ("email", "invited@example.org"),
                ("role", "coordinator"),
            ],
        )
        .await;
    assert_eq!(invited.status(), StatusCode::SEE_OTHER);
    admin
        .api_token("colleague@example.org", Role::Coordinator)
        .await;
    let colleague = admin.new_browser();
    let logged_in = admin
        .log_in(
            &colleague,
            "colleague@example.org",
            crate::support::PASSWORD,
        )
        .await;
    assert_eq!(logged_in, StatusCode::SEE_OTHER);
    assert_eq!(
        colleague
            .get(admin.url("/app"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let id = admin
        .in_database(|conn| {
            let email = undersigned::domain::EmailAddress::parse("colleague@example.org").unwrap();
            undersigned::app::accounts::account_by_email(conn, &email)
                .unwrap()
                .id
        })
        .await;
    let disabled = admin
        .post_form(
            &format!("/app/accounts/{id}/disabled"),
            &[("disabled", "true")],
        )
        .await;
    assert_eq!(disabled.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        colleague
            .get(admin.url("/app"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::SEE_OTHER,
        "the session ended"
    );
    let actions = admin.audit_actions().await;
    for action in [
        "session.login",
        "account.invited",
        "account.created",
        "account.disabled",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} is audited: {actions:?}"
        );
    }
}
