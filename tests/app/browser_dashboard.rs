//! The dashboard of 400 invitations and an address book of 1,000 organizations in a real
//! browser on a 375-pixel-wide phone: a coordinator pages to page 2, the page is no wider than
//! the screen and the status column is on it, and ticking "select all" then revoking reaches
//! the confirmation, which names the signatory; the address book and the invite picker page
//! through a thousand organizations the same way.

use fantoccini::Locator;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::address_book::import_organizations;
use crate::support::chromium::{browser, fully_on_screen, log_in, wait_for_text, widths};
use crate::support::crowded::{crowded_letter, member};
use crate::support::partners::answer;
use crate::support::{Backend, PASSWORD, TestApp};

storage_test!(
    the_crowded_dashboard_fits_a_phone,
    a_thousand_organizations_page_on_a_phone,
);

async fn a_thousand_organizations_page_on_a_phone(backend: Backend) {
    let Some(browser) = browser().await else {
        return;
    };
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    app.login_as("importer@example.org", Role::Admin).await;
    import_organizations(&app, 1000).await;
    let letter = crate::support::letters::NewLetter::new()
        .create(&app, &admin)
        .await;
    app.api_token("coordinator@example.org", Role::Coordinator)
        .await;
    let c = &browser.client;
    log_in(c, &app.address, "coordinator@example.org", PASSWORD).await;
    for (path, next_page) in [
        ("/app/organizations".to_string(), "Org 0050"),
        (format!("/app/letters/{}/invite", letter.id), "Org 0050"),
    ] {
        c.goto(&app.url(&path)).await.unwrap();
        wait_for_text(c, "of 1000").await;
        c.find(Locator::Css("nav.pager a[rel=next]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let page = wait_for_text(c, next_page).await;
        assert!(
            !page.contains("Org 0049<"),
            "{path}: page 2 starts after page 1"
        );
        let (width, screen) = widths(c).await;
        assert!(
            width <= screen,
            "{path} page 2 is {width} px wide on a {screen} px screen"
        );
    }
}

async fn the_crowded_dashboard_fits_a_phone(backend: Backend) {
    let Some(browser) = browser().await else {
        return;
    };
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = crowded_letter(&app, &admin, 15).await;
    // Member 050 is on page 2 (after the four named A–E organizations and members 000–045).
    answer(&app, &member(50), "sign").await;
    app.api_token("coordinator@example.org", Role::Coordinator)
        .await;
    let c = &browser.client;
    log_in(c, &app.address, "coordinator@example.org", PASSWORD).await;

    c.goto(&app.url(&format!("/app/letters/{}", letter.id)))
        .await
        .unwrap();
    wait_for_text(c, "Showing 1–50 of 400").await;
    c.find(Locator::Css("nav.pages a[href='?page=2']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "Showing 51–100 of 400").await;
    let (page, screen) = widths(c).await;
    assert!(
        page <= screen,
        "page 2 is {page} px wide on a {screen} px screen"
    );
    assert!(fully_on_screen(c, "table.invitations th.status").await);
    assert!(fully_on_screen(c, "table.invitations tbody tr:first-child td.status .badge").await);

    c.find(Locator::Css("input[data-select-all=ids]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let ticked = c
        .execute(
            "return document.querySelectorAll('input[name=ids]:checked').length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(ticked.as_u64(), Some(50), "select all ticks the page's 50");
    c.find(Locator::Css("button[value=revoke]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let confirmation = wait_for_text(c, "Revoke 50 invitations?").await;
    assert!(confirmation.contains("1 of them signed"), "{confirmation}");
    assert!(confirmation.contains(&member(50)));
    let (page, screen) = widths(c).await;
    assert!(
        page <= screen,
        "the confirmation is {page} px wide on {screen} px"
    );
}
