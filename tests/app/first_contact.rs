//! A newcomer's first minutes: the home page leads to logging in and to the published letters,
//! the app's navigation says where you are, and `/favicon.ico` answers. On both databases.

use reqwest::StatusCode;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::{Backend, TestApp};

storage_test!(the_home_page_and_the_navigation_show_the_way);

async fn the_home_page_and_the_navigation_show_the_way(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let home = app.get("/").await.text().await.unwrap();
    assert!(
        home.contains(r#"<a href="/login">Log in</a>"#)
            && home.contains(r#"<a href="/letters">Published letters</a>"#),
        "{home}"
    );

    let icon = app.get("/favicon.ico").await;
    assert_eq!(icon.status(), StatusCode::OK);
    assert_eq!(icon.headers()["content-type"], "image/vnd.microsoft.icon");
    let bytes = icon.bytes().await.unwrap();
    assert_eq!(&bytes[..4], &[0, 0, 1, 0], "an ICO file");

    app.login_as("admin@example.org", Role::Admin).await;
    for (path, current) in [
        ("/app", r#"<a href="/app" aria-current="page">Letters</a>"#),
        (
            "/app/organizations/new",
            r#"<a href="/app/organizations" aria-current="page">Address book</a>"#,
        ),
        (
            "/app/accounts",
            r#"<a href="/app/accounts" aria-current="page">Accounts</a>"#,
        ),
        (
            "/app/mail",
            r#"<a href="/app/mail" aria-current="page">Email</a>"#,
        ),
    ] {
        let page = app.get(path).await.text().await.unwrap();
        assert!(page.contains(current), "{path}: {page}");
        assert_eq!(
            page.matches(r#"aria-current="page""#).count(),
            1,
            "{path} marks one link"
        );
    }
}
