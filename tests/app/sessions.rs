//! Accounts and access in the browser: the first-run setup link, login and logout, the same
//! answer for an unknown email and a wrong password, rate limits, idle and absolute expiry,
//! cookie flags, and CSRF.

use chrono::TimeDelta;
use reqwest::StatusCode;
use undersigned::app::sessions;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::forms::{csrf_of, location};
use crate::support::{Backend, TestApp};

storage_test!(
    the_setup_link_creates_the_first_admin_once,
    login_logout_and_the_same_answer_for_unknown_and_wrong,
    failed_logins_are_rate_limited_per_account,
    sessions_expire_when_idle_and_absolutely,
    forms_without_their_csrf_token_change_nothing,
    api_tokens_are_made_and_revoked_on_the_account_page,
);

async fn the_setup_link_creates_the_first_admin_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let clock = app.clock.clone();
    let token = app
        .context
        .db
        .run(move |conn| sessions::create_setup_token(conn, &clock))
        .await
        .unwrap()
        .expect("no account yet, so a setup link");
    let page = app.get(&format!("/setup/{token}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let csrf = csrf_of(&page.text().await.unwrap());

    let short = app
        .client
        .post(app.url(&format!("/setup/{token}")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", "Ada"),
            ("email", "ada@example.org"),
            ("password", "short"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        short
            .text()
            .await
            .unwrap()
            .contains("at least 12 characters")
    );

    let created = app
        .client
        .post(app.url(&format!("/setup/{token}")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", "Ada Admin"),
            ("email", "ada@example.org"),
            ("password", "a long enough password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&created), "/login");
    assert_eq!(
        app.get(&format!("/setup/{token}")).await.status(),
        StatusCode::NOT_FOUND,
        "the link works once"
    );

    let login = app
        .post_form(
            "/login",
            &[
                ("email", "ada@example.org"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let accounts = app.get("/app/accounts").await;
    assert_eq!(
        accounts.status(),
        StatusCode::OK,
        "the first account is an admin"
    );

    let clock = app.clock.clone();
    let again = app
        .context
        .db
        .run(move |conn| sessions::create_setup_token(conn, &clock))
        .await
        .unwrap();
    assert!(again.is_none(), "no setup link once an account exists");
}

async fn login_logout_and_the_same_answer_for_unknown_and_wrong(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.api_token("coordinator@example.org", Role::Coordinator)
        .await;

    let anonymous = app.get("/app").await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&anonymous), "/login?next=%2Fapp");

    let wrong = app
        .post_form(
            "/login",
            &[
                ("email", "coordinator@example.org"),
                ("password", "not the password"),
            ],
        )
        .await;
    let unknown = app
        .post_form(
            "/login",
            &[
                ("email", "nobody@example.org"),
                ("password", "not the password"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let error_of = |html: String| {
        let start = html.find(r#"role="alert">"#).unwrap();
        html[start..start + html[start..].find('<').unwrap()].to_string()
    };
    assert_eq!(
        error_of(wrong.text().await.unwrap()),
        error_of(unknown.text().await.unwrap())
    );

    let elsewhere = app
        .post_form(
            "/login",
            &[
                ("email", "coordinator@example.org"),
                ("password", "a long enough password"),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(
        location(&elsewhere),
        "/app",
        "never redirected to another site"
    );

    let ok = app
        .post_form(
            "/login",
            &[
                ("email", "Coordinator@Example.org"),
                ("password", "a long enough password"),
                ("next", "/app/organizations"),
            ],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&ok), "/app/organizations");
    let cookie = ok
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("us_session="))
        .expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "not Secure over plain http: {cookie}"
    );
    let session_value = cookie.split(';').next().unwrap().to_string();
    assert_eq!(app.get("/app").await.status(), StatusCode::OK);

    let logout = app.post_form("/logout", &[]).await;
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/app").await.status(), StatusCode::SEE_OTHER);
    let replayed = app
        .new_browser()
        .get(app.url("/app"))
        .header("cookie", session_value)
        .send()
        .await
        .unwrap();
    assert_eq!(
        replayed.status(),
        StatusCode::SEE_OTHER,
        "a logged-out session is dead everywhere"
    );

    let secure = TestApp::spawn_with(
        backend,
        &[(
            "UNDERSIGNED_SERVER__BASE_URL",
            "https://letters.example.org",
        )],
    )
    .await;
    let page = secure.get("/login").await;
    let csrf_cookie = page
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csrf_cookie.contains("Secure"),
        "cookies are Secure when the base URL is https: {csrf_cookie}"
    );
    assert!(page.headers().contains_key("strict-transport-security"));
}

async fn failed_logins_are_rate_limited_per_account(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.api_token("target@example.org", Role::Admin).await;
    app.api_token("other@example.org", Role::Coordinator).await;
    for _ in 0..5 {
        let response = app
            .post_form(
                "/login",
                &[
                    ("email", "target@example.org"),
                    ("password", "guess guess guess"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let blocked = app
        .post_form(
            "/login",
            &[
                ("email", "target@example.org"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(
        blocked.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    let other = app
        .post_form(
            "/login",
            &[
                ("email", "other@example.org"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(
        other.status(),
        StatusCode::SEE_OTHER,
        "other accounts are not locked out"
    );
}

async fn sessions_expire_when_idle_and_absolutely(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    app.clock.advance(TimeDelta::minutes(119));
    assert_eq!(
        app.get("/app").await.status(),
        StatusCode::OK,
        "used within the idle time"
    );
    app.clock.advance(TimeDelta::minutes(121));
    assert_eq!(
        app.get("/app").await.status(),
        StatusCode::SEE_OTHER,
        "idle for more than two hours"
    );

    let fresh = TestApp::spawn(backend).await;
    fresh
        .login_as("coordinator@example.org", Role::Coordinator)
        .await;
    for _ in 0..7 {
        fresh.clock.advance(TimeDelta::minutes(100));
        assert_eq!(fresh.get("/app").await.status(), StatusCode::OK);
    }
    fresh.clock.advance(TimeDelta::minutes(100));
    assert_eq!(
        fresh.get("/app").await.status(),
        StatusCode::SEE_OTHER,
        "twelve hours after login, even when active"
    );
}

async fn forms_without_their_csrf_token_change_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let fields = [
        ("title", "Forged"),
        ("addressee", "Nobody"),
        ("body_markdown", "Forged text"),
        ("action", "save"),
    ];
    let without = app
        .client
        .post(app.url("/app/letters/new"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(without.status(), StatusCode::FORBIDDEN);
    let mut forged = vec![("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")];
    forged.extend_from_slice(&fields);
    let wrong = app
        .client
        .post(app.url("/app/letters/new"))
        .form(&forged)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let overview = app.get("/app").await.text().await.unwrap();
    assert!(!overview.contains("Forged"), "no letter was created");

    let ok = app.post_form("/app/letters/new", &fields).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert!(
        app.get("/app")
            .await
            .text()
            .await
            .unwrap()
            .contains("Forged")
    );
}

async fn api_tokens_are_made_and_revoked_on_the_account_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("coordinator@example.org", Role::Coordinator)
        .await;
    let created = app
        .post_form("/app/account/tokens", &[("label", "newsroom script")])
        .await;
    assert_eq!(created.status(), StatusCode::OK);
    let page = created.text().await.unwrap();
    let start = page.find("<code>ust_").expect("the new token, shown once") + "<code>".len();
    let token = page[start..start + page[start..].find('<').unwrap()].to_string();
    assert_eq!(
        app.api(reqwest::Method::GET, "/letters", &token, None)
            .await
            .0,
        StatusCode::OK
    );
    let again = app.get("/app/account").await.text().await.unwrap();
    assert!(
        again.contains("newsroom script") && !again.contains(&token),
        "the token is never shown again"
    );

    let marker = "/app/account/tokens/";
    let revoke_start = again.find(marker).unwrap();
    let revoke = &again[revoke_start..revoke_start + again[revoke_start..].find('"').unwrap()];
    assert_eq!(
        app.post_form(revoke, &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.api(reqwest::Method::GET, "/letters", &token, None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );

    let wrong = app
        .post_form(
            "/app/account/password",
            &[
                ("current", "not it at all"),
                ("new", "another long password"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let changed = app
        .post_form(
            "/app/account/password",
            &[
                ("current", "a long enough password"),
                ("new", "another long password"),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/app").await.status(),
        StatusCode::OK,
        "this session stays"
    );
    let fresh = app.new_browser();
    let login = app
        .log_in(&fresh, "coordinator@example.org", "another long password")
        .await;
    assert_eq!(login, StatusCode::SEE_OTHER, "the new password works");
}
