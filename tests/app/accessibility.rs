//! Every page of the journey in a real browser (headless Chromium), checked by axe-core for WCAG
//! 2.1 A and AA and best practices: no serious or critical finding on any coordinator, partner
//! or public page, at a laptop's 1280 pixels and a phone's 375 (where no page scrolls sideways).
//! A screenshot of each is kept in `target/screenshots/{page}-{width}.png` for a person to look
//! at. A partner signs with the keyboard alone, and focused elements show that they are.

use chrono::TimeDelta;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::json;
use undersigned::domain::{InvitationStatus, Role};

use crate::storage_test;
use crate::support::accounts::{emailed_link_path, post_on_page, secret_on, totp_code};
use crate::support::axe::assert_accessible;
use crate::support::chromium::{browser, log_in, wait_for_text, widths};
use crate::support::invitations::invitation_named;
use crate::support::letters::{NewLetter, release_now};
use crate::support::partners::{answer, sign_path_of};
use crate::support::sized_browser::{browser_at, screenshot};
use crate::support::{Backend, PASSWORD, TestApp};

storage_test!(
    pages_before_login_are_accessible,
    coordinator_pages_are_accessible,
    partner_pages_are_accessible,
    public_pages_are_accessible,
    a_partner_signs_with_the_keyboard_alone,
    focused_elements_show_it,
);

/// A laptop's and a phone's screen width, in CSS pixels.
const WIDTHS: [u32; 2] = [1280, 375];
const ADMIN: &str = "admin@example.org";

/// One browser at one width walking the pages of one app.
struct Walk<'a> {
    c: &'a Client,
    app: &'a TestApp,
    width: u32,
}

impl Walk<'_> {
    /// Opens `path` and checks the page as `name`.
    async fn visit(&self, name: &str, path: &str) {
        self.c.goto(&self.app.url(path)).await.unwrap();
        self.check(name).await;
    }

    /// The page shown has no serious accessibility violation and does not scroll sideways on
    /// a phone; its screenshot is kept as `{name}-{width}`.
    async fn check(&self, name: &str) {
        assert_accessible(self.c, name).await;
        let (page, screen) = widths(self.c).await;
        assert!(
            page <= screen,
            "{name} is {page} pixels wide on a {screen}-pixel screen"
        );
        screenshot(self.c, &format!("{name}-{}", self.width)).await;
    }

    async fn click(&self, css: &str) {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|_| panic!("nothing matches {css}"))
            .click()
            .await
            .unwrap();
    }

    async fn fill(&self, id: &str, text: &str) {
        self.c
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|_| panic!("no field #{id}"))
            .send_keys(text)
            .await
            .unwrap();
    }

    /// Sends the login form with this account's email and the tests' password.
    async fn submit_login(&self, email: &str) {
        self.c.goto(&self.app.url("/login")).await.unwrap();
        self.fill("email", email).await;
        self.fill("password", PASSWORD).await;
        self.click("form button[type=submit]").await;
    }
}

async fn pages_before_login_are_accessible(backend: Backend) {
    for width in WIDTHS {
        let Some(browser) = browser_at(width).await else {
            return;
        };
        // The setup link works only while no account exists: an instance of its own.
        let fresh = TestApp::spawn(backend).await;
        let clock = fresh.clock.clone();
        let setup = fresh
            .context
            .db
            .run(move |conn| undersigned::app::sessions::create_setup_token(conn, &clock))
            .await
            .unwrap()
            .expect("a setup link");
        let walk = Walk {
            c: &browser.client,
            app: &fresh,
            width,
        };
        walk.visit("setup", &format!("/setup/{setup}")).await;

        let app = TestApp::spawn(backend).await;
        let walk = Walk { app: &app, ..walk };
        app.login_as(ADMIN, Role::Admin).await;
        app.post_form(
            "/app/accounts",
            &[
                ("name", "Colleague"),
                ("email", "colleague@example.org"),
                ("role", "coordinator"),
            ],
        )
        .await;
        let forgot = app.url("/password/forgot");
        post_on_page(&app.client, &forgot, &forgot, &[("email", ADMIN)]).await;
        walk.visit("login", "/login").await;
        walk.visit("password-forgot", "/password/forgot").await;
        let reset = emailed_link_path(&app, ADMIN, "password_reset").await;
        walk.visit("password-reset", &reset).await;
        let welcome = emailed_link_path(&app, "colleague@example.org", "invitation").await;
        walk.visit("welcome", &welcome).await;
        walk.visit("not-found", "/no/such/page").await;

        // The second step of a login, for an account with a second factor.
        let secret = enrol_second_factor(&app).await;
        walk.submit_login(ADMIN).await;
        wait_for_text(walk.c, "id=\"code\"").await;
        walk.check("login-code").await;
        walk.fill("code", &totp_code(&app, &secret, 1)).await;
        walk.click("main form button[type=submit]").await;
        wait_for_text(walk.c, "New letter").await;

        // An instance that requires a second factor sends an account without one to enrol.
        let strict =
            TestApp::spawn_with(backend, &[("UNDERSIGNED_SECURITY__REQUIRE_TOTP", "true")]).await;
        strict.api_token("new@example.org", Role::Coordinator).await;
        let walk = Walk {
            app: &strict,
            ..walk
        };
        walk.c.delete_all_cookies().await.unwrap();
        walk.submit_login("new@example.org").await;
        wait_for_text(walk.c, "totp-secret").await;
        walk.check("login-enrol").await;
    }
}

/// Turns on the second factor of the app's logged-in account; returns its secret.
async fn enrol_second_factor(app: &TestApp) -> String {
    app.post_form("/app/account/totp", &[]).await;
    let page = app.get("/app/account").await.text().await.unwrap();
    let secret = secret_on(&page);
    let code = totp_code(app, &secret, 0);
    let confirmed = app
        .post_form("/app/account/totp/confirm", &[("code", &code)])
        .await;
    assert!(confirmed.status().is_success(), "the second factor is on");
    secret
}

async fn coordinator_pages_are_accessible(backend: Backend) {
    for width in WIDTHS {
        let Some(browser) = browser_at(width).await else {
            return;
        };
        let app = TestApp::spawn_with(
            backend,
            &[("UNDERSIGNED_ORGANIZATION__NAME", "Coalition Secretariat")],
        )
        .await;
        let token = app.admin_token().await;
        let walk = Walk {
            c: &browser.client,
            app: &app,
            width,
        };
        let deadline = (app.clock.now_utc() + TimeDelta::days(10)).to_rfc3339();
        let letter = NewLetter::new()
            .with("deadline", deadline)
            .organizations(&[
                ("Amnesty International", "lead"),
                ("FIDH – International Federation for Human Rights", "lead"),
                ("Human Rights Watch", "supporting"),
                ("Global Witness", "supporting"),
                ("Front Line Defenders", "supporting"),
                ("Greenpeace", "supporting"),
            ])
            .create(&app, &token)
            .await;
        answer(&app, "Amnesty International", "sign").await;
        answer(&app, "Greenpeace", "sign").await;
        answer(&app, "Human Rights Watch", "decline").await;
        let id = &letter.id;
        log_in(walk.c, &app.address, ADMIN, PASSWORD).await;

        walk.visit("home", "/").await;
        walk.visit("letters", "/app").await;
        walk.visit("letter-new", "/app/letters/new").await;
        walk.fill("title", "Joint Letter on Defenders").await;
        walk.fill("addressee", "The Human Rights Council").await;
        walk.fill("body_markdown", "We **urge** you to act.").await;
        walk.click("button[value=preview]").await;
        wait_for_text(walk.c, "<h2>Preview</h2>").await;
        walk.check("letter-preview").await;
        walk.visit("letter-edit", &format!("/app/letters/{id}/edit"))
            .await;
        walk.fill("body_markdown", " Now.").await;
        walk.click("button[value=save]").await;
        wait_for_text(walk.c, "version 2").await;
        walk.visit("history", &format!("/app/letters/{id}/history"))
            .await;
        walk.click("main form button[type=submit]").await;
        wait_for_text(walk.c, "<ins>").await;
        walk.check("diff").await;

        // The dashboard with invitations signed, declined, queued, and (ticked here) revoked.
        walk.visit("dashboard", &format!("/app/letters/{id}")).await;
        let witness = letter.invitation_id("Global Witness");
        walk.click(&format!("input[name=ids][value='{witness}']"))
            .await;
        walk.click("button[value=revoke]").await;
        wait_for_text(walk.c, "revoked").await;
        walk.check("dashboard-revoked").await;
        // Revoking a signatory asks first, naming it.
        let greenpeace = letter.invitation_id("Greenpeace");
        walk.click(&format!("input[name=ids][value='{greenpeace}']"))
            .await;
        walk.click("button[value=revoke]").await;
        wait_for_text(walk.c, "Go back").await;
        walk.check("bulk-confirmation").await;
        let amnesty = letter.invitation_id("Amnesty International");
        walk.visit("invitation", &format!("/app/invitations/{amnesty}"))
            .await;
        walk.visit("audit", &format!("/app/letters/{id}/audit"))
            .await;
        walk.visit("webhooks", &format!("/app/letters/{id}/webhooks"))
            .await;

        walk.visit("invite", &format!("/app/letters/{id}/invite"))
            .await;
        walk.fill("list", "Article 19, a19@example.org, supporting, GB")
            .await;
        // Enter on the button: a tap on it right after typing in the list is lost in Chromium's
        // phone emulation (the button is the element at that point; the form is not sent).
        walk.c
            .find(Locator::Css("form[action$='/invite/paste'] button"))
            .await
            .unwrap()
            .send_keys(&char::from(Key::Enter).to_string())
            .await
            .unwrap();
        wait_for_text(walk.c, "Review: 1 invitation").await;
        walk.check("invite-review").await;

        // Releasing: blocked while a lead has not answered; then a letter ready, confirmed.
        walk.visit("release-blocked", &format!("/app/letters/{id}/release"))
            .await;
        let ready = NewLetter::new()
            .with("title", "Joint Letter on Water")
            .organizations(&[("Center for Justice", "lead")])
            .create(&app, &token)
            .await;
        answer(&app, "Center for Justice", "sign").await;
        walk.visit(
            "release-check",
            &format!("/app/letters/{}/release", ready.id),
        )
        .await;
        walk.click("button[value=now]").await;
        wait_for_text(walk.c, "Go back").await;
        walk.check("release-confirmation").await;
        walk.click("main form button[type=submit]").await;
        wait_for_text(walk.c, "late_signatures").await;
        walk.check("release-released").await;

        walk.visit("address-book", "/app/organizations").await;
        walk.c
            .find(Locator::LinkText("Amnesty International"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for_text(walk.c, "contact").await;
        walk.check("organization").await;
        walk.visit("organization-new", "/app/organizations/new")
            .await;
        walk.visit("organization-import", "/app/organizations/import")
            .await;
        walk.visit("organization-duplicates", "/app/organizations/duplicates")
            .await;
        walk.visit("accounts", "/app/accounts").await;
        walk.visit("mail", "/app/mail").await;
        walk.visit("settings", "/app/settings").await;
        walk.visit("settings-webhooks", "/app/settings/webhooks")
            .await;
        walk.visit("notifications", "/app/account/notifications")
            .await;

        walk.visit("account", "/app/account").await;
        walk.click("form[action='/app/account/totp'] button").await;
        let page = wait_for_text(walk.c, "totp-secret").await;
        walk.check("account-enrolment").await;
        walk.fill("totp-code", &totp_code(&app, &secret_on(&page), 0))
            .await;
        walk.click("form[action='/app/account/totp/confirm'] button")
            .await;
        wait_for_text(walk.c, "recovery-codes").await;
        walk.check("account-recovery-codes").await;
    }
}

async fn partner_pages_are_accessible(backend: Backend) {
    for width in WIDTHS {
        let Some(browser) = browser_at(width).await else {
            return;
        };
        let app = TestApp::spawn_with(
            backend,
            &[("UNDERSIGNED_ORGANIZATION__NAME", "Coalition Secretariat")],
        )
        .await;
        let token = app.admin_token().await;
        let walk = Walk {
            c: &browser.client,
            app: &app,
            width,
        };
        let deadline = (app.clock.now_utc() + TimeDelta::days(10)).to_rfc3339();
        NewLetter::new()
            .with("deadline", deadline)
            .with("deadline_time_zone", "Europe/Zurich")
            .organizations(&[
                ("FIDH – International Federation for Human Rights", "lead"),
                ("Amnesty International", "supporting"),
                ("Human Rights Watch", "supporting"),
            ])
            .create(&app, &token)
            .await;
        answer(&app, "Human Rights Watch", "sign").await;

        let fidh = sign_path_of(&app, "FIDH – International Federation for Human Rights").await;
        walk.visit("sign-open", &fidh).await;
        walk.click("input[value=sign]").await;
        walk.fill("signer_name", "Alice Mogwe").await;
        walk.click("form[action='/sign'] button[type=submit]").await;
        wait_for_text(walk.c, "signer_title-error").await;
        walk.check("sign-refused").await;
        walk.fill("signer_title", "President").await;
        walk.click("form[action='/sign'] button[type=submit]").await;
        wait_for_text(walk.c, "signature is recorded").await;
        walk.check("sign-signed").await;

        // Handing the request to a colleague: the address shown back, then the old link gone.
        let amnesty = sign_path_of(&app, "Amnesty International").await;
        walk.visit("sign-supporting", &amnesty).await;
        walk.click("#forward summary").await;
        walk.fill("colleague_email", "director@amnesty.example.org")
            .await;
        walk.click("#forward button[type=submit]").await;
        wait_for_text(walk.c, "Yes, send the link").await;
        walk.check("sign-forward-confirmation").await;
        walk.click("main form button[type=submit]").await;
        wait_for_text(walk.c, "director").await;
        walk.check("sign-forwarded").await;
        walk.visit("sign-handed-on", &amnesty).await;

        // After release a signatory may withdraw, asked again first.
        let released = NewLetter::new()
            .with("title", "Joint Letter on Water")
            .organizations(&[("Center for Justice", "lead")])
            .create(&app, &token)
            .await;
        answer(&app, "Center for Justice", "sign").await;
        release_now(&app, &token, &released.id).await;
        walk.visit(
            "sign-released",
            &sign_path_of(&app, "Center for Justice").await,
        )
        .await;
        walk.click("button[value=withdraw]").await;
        wait_for_text(walk.c, "Yes, withdraw").await;
        walk.check("sign-withdraw-confirmation").await;

        app.clock.advance(TimeDelta::days(11));
        walk.visit("sign-deadline-passed", &fidh).await;
    }
}

async fn public_pages_are_accessible(backend: Backend) {
    for width in WIDTHS {
        let Some(browser) = browser_at(width).await else {
            return;
        };
        let app = TestApp::spawn_with(
            backend,
            &[("UNDERSIGNED_ORGANIZATION__NAME", "Coalition Secretariat")],
        )
        .await;
        let token = app.admin_token().await;
        let letter = NewLetter::new()
            .with("show_signers", true)
            .invitee(json!({ "organization": "FIDH – International Federation for Human Rights", "tier": "lead", "email": "fidh@example.org", "country": "FR" }))
            .invitee(json!({ "organization": "Lawyers for Human Rights & Justice", "tier": "supporting", "email": "lhr@example.org", "country": "ZA" }))
            .create(&app, &token)
            .await;
        answer(
            &app,
            "FIDH – International Federation for Human Rights",
            "sign",
        )
        .await;
        answer(&app, "Lawyers for Human Rights & Justice", "sign").await;
        release_now(&app, &token, &letter.id).await;
        let walk = Walk {
            c: &browser.client,
            app: &app,
            width,
        };
        walk.visit("public-index", "/letters").await;
        walk.visit("public-letter", &format!("/letters/{}", letter.slug))
            .await;
        walk.visit("public-embed", &format!("/letters/{}/embed", letter.slug))
            .await;
        walk.visit("public-not-found", "/letters/no-such-letter")
            .await;
    }
}

/// A partner reaches the sign choice, picks it and sends the form with Tab, Space and Enter
/// (typing only their name and title), and sees the confirmation.
async fn a_partner_signs_with_the_keyboard_alone(backend: Backend) {
    let Some(browser) = browser().await else {
        return;
    };
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    NewLetter::new()
        .organizations(&[("Amnesty International", "lead")])
        .create(&app, &token)
        .await;
    let c = &browser.client;
    c.goto(&app.url(&sign_path_of(&app, "Amnesty International").await))
        .await
        .unwrap();
    wait_for_text(c, "Your answer").await;

    tab_to(c, "input[value=sign]").await;
    press(c, Key::Space).await;
    tab_to(c, "#signer_name").await;
    type_keys(c, "Jo Example").await;
    press(c, Key::Tab).await;
    type_keys(c, "Director").await;
    tab_to(c, "form[action='/sign'] button[type=submit]").await;
    press(c, Key::Enter).await;

    wait_for_text(c, "signature is recorded").await;
    assert_eq!(
        invitation_named(&app, "Amnesty International").await.status,
        InvitationStatus::Signed
    );
}

/// Presses one key in the element that has the focus (the page's body at first).
async fn press(c: &Client, key: Key) {
    type_keys(c, &char::from(key).to_string()).await;
}

async fn type_keys(c: &Client, keys: &str) {
    c.active_element()
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

/// Whether the focused element matches `css`.
async fn focused_is(c: &Client, css: &str) -> bool {
    c.execute(
        "return document.activeElement.matches(arguments[0]);",
        vec![json!(css)],
    )
    .await
    .unwrap()
    .as_bool()
    .unwrap_or(false)
}

/// Presses Tab until the element `css` finds has the focus (fails after 60 presses).
async fn tab_to(c: &Client, css: &str) {
    for _ in 0..60 {
        press(c, Key::Tab).await;
        if focused_is(c, css).await {
            return;
        }
    }
    panic!("Tab never reaches {css}");
}

/// The first dozen elements Tab reaches on the login, sign and dashboard pages each show a
/// focus outline.
async fn focused_elements_show_it(backend: Backend) {
    let Some(browser) = browser_at(1280).await else {
        return;
    };
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let letter = NewLetter::new()
        .organizations(&[("Amnesty International", "lead")])
        .create(&app, &token)
        .await;
    let c = &browser.client;
    let sign = sign_path_of(&app, "Amnesty International").await;
    assert_focus_shows(c, &app.url("/login")).await;
    assert_focus_shows(c, &app.url(&sign)).await;
    log_in(c, &app.address, ADMIN, PASSWORD).await;
    assert_focus_shows(c, &app.url(&format!("/app/letters/{}", letter.id))).await;
}

async fn assert_focus_shows(c: &Client, url: &str) {
    c.goto(url).await.unwrap();
    let outline = "const s = getComputedStyle(document.activeElement); \
                   return [document.activeElement.outerHTML.slice(0, 80), s.outlineStyle, s.outlineWidth];";
    for _ in 0..12 {
        press(c, Key::Tab).await;
        let value = c.execute(outline, vec![]).await.unwrap();
        let [element, style, width] =
            [0, 1, 2].map(|i| value[i].as_str().unwrap_or("").to_string());
        if element.starts_with("<body") {
            break;
        }
        assert!(
            style != "none" && width != "0px",
            "on {url}, the focused {element} shows no outline ({style} {width})"
        );
    }
}
