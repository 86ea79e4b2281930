//! A blocked release names each blocker with what clears it — remind a lead that has not
//! answered, make it a supporting organization, record its answer — and offers no active
//! Release button until none is left. On both databases, through the release page's forms.

use reqwest::StatusCode;
use undersigned::domain::Role;

use crate::storage_test;
use crate::support::forms::location;
use crate::support::letters::NewLetter;
use crate::support::partners::answer;
use crate::support::workers::after_a_full_pass;
use crate::support::{Backend, TestApp};

storage_test!(each_blocker_comes_with_the_action_that_clears_it);

async fn each_blocker_comes_with_the_action_that_clears_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[
            ("Amnesty International", "lead"),
            ("FIDH", "lead"),
            ("Article 19", "supporting"),
        ])
        .create(&app, &admin)
        .await;
    let worker = app.start_worker();
    after_a_full_pass(&worker).await;
    answer(&app, "Article 19", "sign").await;
    answer(&app, "FIDH", "decline").await;
    app.login_as("release-admin@example.org", Role::Admin).await;
    let release = format!("/app/letters/{}/release", letter.id);
    let amnesty = letter.invitation_id("Amnesty International");
    let fidh = letter.invitation_id("FIDH");

    let page = app.get(&release).await.text().await.unwrap();
    let blockers = &page[page.find(r#"<ul class="blockers">"#).expect("the blockers")..];
    let blockers = &blockers[..blockers.find("</ul>").unwrap()];
    let item_of = |name: &str| {
        let start = blockers
            .find(&format!("<li><p>{name} is a lead organization"))
            .unwrap_or_else(|| panic!("{name}: {blockers}"));
        let end = start + blockers[start..].find("</li>").unwrap();
        blockers[start..end].to_string()
    };
    let silent = item_of("Amnesty International");
    assert!(
        silent.contains(&format!(r#"name="ids" value="{amnesty}""#))
            && silent.contains("Remind this lead")
            && silent.contains(&format!(r#"action="/app/invitations/{amnesty}/edit""#))
            && silent.contains("Make it supporting"),
        "{silent}"
    );
    let declined = item_of("FIDH");
    assert!(
        !declined.contains("Remind this lead"),
        "an organization that answered is not reminded: {declined}"
    );
    assert!(declined.contains("Make it supporting"), "{declined}");
    assert!(
        page.contains(r#"<button type="button" disabled aria-describedby="blockers-heading">Release now</button>"#)
            && !page.contains(r#"value="now""#),
        "no active Release button: {page}"
    );

    // Remind this lead: one reminder, back on the release page.
    let reminded = app
        .post_form(
            &format!("/app/letters/{}/bulk", letter.id),
            &[
                ("action", "remind"),
                ("ids", amnesty.as_str()),
                ("back", "release"),
            ],
        )
        .await;
    assert_eq!(reminded.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&reminded), release);
    let page = app.get(&release).await.text().await.unwrap();
    assert!(page.contains("1 reminder queued"), "{page}");

    // Make both supporting: nothing blocks, and Release now is a real button again.
    for id in [&amnesty, &fidh] {
        let made = app
            .post_form(
                &format!("/app/invitations/{id}/edit"),
                &[("tier", "supporting"), ("back", "release")],
            )
            .await;
        assert_eq!(made.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&made), release);
    }
    let page = app.get(&release).await.text().await.unwrap();
    assert!(
        page.contains("is now a supporting organization.") && page.contains("Ready to release"),
        "{page}"
    );
    assert!(
        page.contains(r#"<button name="action" value="now">Release now</button>"#),
        "{page}"
    );
}
