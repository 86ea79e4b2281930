//! The second factor: enrolment on the account page with codes computed as an authenticator app
//! does, the login's second step (a wrong code refused, a recovery code working once), and
//! `security.require_totp` sending an account without one to enrol before anything else.

use chrono::TimeDelta;
use reqwest::StatusCode;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::accounts::{open, post_on_page, recovery_codes_on, secret_on, totp_code};
use crate::support::forms::location;
use crate::support::{Backend, PASSWORD, TestApp};

storage_test!(
    a_second_factor_is_enrolled_and_asked_for_at_login,
    required_second_factor_is_set_up_before_anything_else,
    codes_are_rate_limited_like_failed_logins_and_work_once,
    an_admin_turns_off_the_second_factor_of_a_colleague_who_lost_it,
);

async fn a_second_factor_is_enrolled_and_asked_for_at_login(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.login_as("someone@example.org", Role::Coordinator).await;
    assert_eq!(
        app.post_form("/app/account/totp", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let page = app.get("/app/account").await.text().await.unwrap();
    let secret = secret_on(&page);
    assert!(page.contains("otpauth://totp/"), "{page}");
    assert!(page.contains("<svg"), "a QR code");

    let wrong = app
        .post_form("/app/account/totp/confirm", &[("code", "000000")])
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains(r#"id="totp-code-error""#)
    );
    let right = app
        .post_form(
            "/app/account/totp/confirm",
            &[("code", &totp_code(&app, &secret, 0))],
        )
        .await;
    assert_eq!(right.status(), StatusCode::OK);
    let codes = recovery_codes_on(&right.text().await.unwrap());
    assert_eq!(codes.len(), 10);
    assert!(
        !app.get("/app/account")
            .await
            .text()
            .await
            .unwrap()
            .contains(&codes[0]),
        "shown once"
    );

    // Logging in now asks for the code before any session exists.
    let browser = app.new_browser();
    let login = post_on_page(
        &browser,
        &app.url("/login"),
        &app.url("/login"),
        &[("email", "someone@example.org"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    assert!(location(&login).starts_with("/login/code"));
    assert_eq!(
        open(&browser, &app.url("/app")).await.0,
        StatusCode::SEE_OTHER,
        "no session yet"
    );
    let code_page = app.url("/login/code");
    let refused = post_on_page(&browser, &code_page, &code_page, &[("code", "123456")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains(r#"id="code-error""#));
    // The code of the enrolment's time step was used: the next step's code logs in.
    app.clock.advance(TimeDelta::seconds(30));
    let code = totp_code(&app, &secret, 0);
    let done = post_on_page(&browser, &code_page, &code_page, &[("code", &code)]).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(open(&browser, &app.url("/app")).await.0, StatusCode::OK);

    // A recovery code works once.
    for (attempt, expected) in [
        (1, StatusCode::SEE_OTHER),
        (2, StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let other = app.new_browser();
        post_on_page(
            &other,
            &app.url("/login"),
            &app.url("/login"),
            &[("email", "someone@example.org"), ("password", PASSWORD)],
        )
        .await;
        let answer = post_on_page(&other, &code_page, &code_page, &[("code", &codes[3])]).await;
        assert_eq!(
            answer.status(),
            expected,
            "recovery code, attempt {attempt}"
        );
    }
    let actions = app.audit_actions().await;
    for action in ["totp.enabled", "totp.recovery_code_used", "login.failed"] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }

    // Turning it off asks for a code or the password.
    let off = app
        .post_form("/app/account/totp/disable", &[("proof", "not it")])
        .await;
    assert_eq!(off.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let off = app
        .post_form("/app/account/totp/disable", &[("proof", PASSWORD)])
        .await;
    assert_eq!(off.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.log_in(&app.new_browser(), "someone@example.org", PASSWORD)
            .await,
        StatusCode::SEE_OTHER
    );
}

async fn required_second_factor_is_set_up_before_anything_else(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("UNDERSIGNED_SECURITY__REQUIRE_TOTP", "true")]).await;
    app.api_token("someone@example.org", Role::Coordinator)
        .await;
    let browser = app.new_browser();
    let login = post_on_page(
        &browser,
        &app.url("/login"),
        &app.url("/login"),
        &[("email", "someone@example.org"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&login).starts_with("/login/enrol"),
        "{}",
        location(&login)
    );
    assert_eq!(
        open(&browser, &app.url("/app")).await.0,
        StatusCode::SEE_OTHER,
        "no session yet"
    );
    let enrol = app.url("/login/enrol");
    let (status, page) = open(&browser, &enrol).await;
    assert_eq!(status, StatusCode::OK);
    let secret = secret_on(&page);
    let wrong = post_on_page(&browser, &enrol, &enrol, &[("code", "999999")]).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let done = post_on_page(
        &browser,
        &enrol,
        &enrol,
        &[("code", &totp_code(&app, &secret, 0))],
    )
    .await;
    assert_eq!(done.status(), StatusCode::OK);
    assert_eq!(recovery_codes_on(&done.text().await.unwrap()).len(), 10);
    assert_eq!(open(&browser, &app.url("/app")).await.0, StatusCode::OK);
}

/// Logs a new browser in with the password; returns it, waiting at the code page.
async fn password_step(app: &TestApp) -> reqwest::Client {
    let browser = app.new_browser();
    let login = app.url("/login");
    let answer = post_on_page(
        &browser,
        &login,
        &login,
        &[("email", "someone@example.org"), ("password", PASSWORD)],
    )
    .await;
    assert!(location(&answer).starts_with("/login/code"));
    browser
}

async fn codes_are_rate_limited_like_failed_logins_and_work_once(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        &[("UNDERSIGNED_SECURITY__LOGIN_FAILURES_PER_ACCOUNT", "2")],
    )
    .await;
    app.login_as("someone@example.org", Role::Coordinator).await;
    app.post_form("/app/account/totp", &[]).await;
    let secret = secret_on(&app.get("/app/account").await.text().await.unwrap());
    let confirmed = app
        .post_form(
            "/app/account/totp/confirm",
            &[("code", &totp_code(&app, &secret, 0))],
        )
        .await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    let code_page = app.url("/login/code");

    // A code logs in once: the same code again is refused.
    app.clock.advance(TimeDelta::seconds(30));
    let code = totp_code(&app, &secret, 0);
    let first = password_step(&app).await;
    let answer = post_on_page(&first, &code_page, &code_page, &[("code", &code)]).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let replay = password_step(&app).await;
    let answer = post_on_page(&replay, &code_page, &code_page, &[("code", &code)]).await;
    assert_eq!(
        answer.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code works once"
    );

    // Wrong codes count like failed logins: past the limit even a right code is refused.
    let guesser = password_step(&app).await;
    let wrong = post_on_page(&guesser, &code_page, &code_page, &[("code", "000001")]).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    app.clock.advance(TimeDelta::seconds(30));
    let right = totp_code(&app, &secret, 0);
    let blocked = post_on_page(&guesser, &code_page, &code_page, &[("code", &right)]).await;
    assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        open(&guesser, &app.url("/app")).await.0,
        StatusCode::SEE_OTHER,
        "no session"
    );
}

async fn an_admin_turns_off_the_second_factor_of_a_colleague_who_lost_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.api_token("someone@example.org", Role::Coordinator)
        .await;
    let colleague = app.new_browser();
    app.log_in(&colleague, "someone@example.org", PASSWORD)
        .await;
    let account = app.url("/app/account");
    let started = post_on_page(&colleague, &account, &app.url("/app/account/totp"), &[]).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let secret = secret_on(&open(&colleague, &account).await.1);
    let code = totp_code(&app, &secret, 0);
    let confirm = app.url("/app/account/totp/confirm");
    let on = post_on_page(&colleague, &account, &confirm, &[("code", &code)]).await;
    assert_eq!(on.status(), StatusCode::OK);
    let _waiting = password_step(&app).await;

    app.login_as("admin@example.org", Role::Admin).await;
    let id = app
        .in_database(|conn| {
            let email = undersigned::domain::EmailAddress::parse("someone@example.org").unwrap();
            undersigned::app::accounts::account_by_email(conn, &email)
                .unwrap()
                .id
        })
        .await;
    let listed = app.get("/app/accounts").await.text().await.unwrap();
    assert!(listed.contains(&format!("/app/accounts/{id}/totp/reset")));
    let reset = app
        .post_form(&format!("/app/accounts/{id}/totp/reset"), &[])
        .await;
    assert_eq!(reset.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.log_in(&app.new_browser(), "someone@example.org", PASSWORD)
            .await,
        StatusCode::SEE_OTHER
    );
    let browser = app.new_browser();
    let login = app.url("/login");
    let answer = post_on_page(
        &browser,
        &login,
        &login,
        &[("email", "someone@example.org"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(location(&answer), "/app", "no second step any more");
    assert!(app.audit_actions().await.iter().any(|a| a == "totp.reset"));
}
