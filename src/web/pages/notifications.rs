//! An account's notifications page: which emails it gets about the letters it coordinates (or
//! every letter, for an admin) — a lead declining, a withdrawal after publication, a scheduled
//! release firing or failing, a bounce, the daily digest. Everything is on until turned off.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;

use super::dashboard::{field, form_pairs};
use super::{Chrome, render};
use crate::app::Context;
use crate::app::notifications::{self, Preferences};
use crate::web::PageError;
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(notifications_page).service(save_notifications);
}

/// The choices, each with its field name and what it means.
const CHOICES: [(&str, &str); 5] = [
    (
        "lead_declined",
        "At once when a lead organization declines (the release is then blocked)",
    ),
    (
        "withdrawn_after_release",
        "At once when a signatory withdraws from a published letter",
    ),
    (
        "release_outcome",
        "At once when a scheduled release fires, or fails its check",
    ),
    ("bounced", "At once when an invitation bounces"),
    (
        "daily_digest",
        "Once a day, the answers of the day before (none when nobody answered)",
    ),
];

#[derive(Template)]
#[template(path = "app/notifications.html")]
struct NotificationsPage {
    chrome: Chrome,
    /// Each choice: field name, label, whether it is on.
    choices: Vec<(&'static str, &'static str, bool)>,
}

#[get("/account/notifications")]
async fn notifications_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
) -> Result<HttpResponse, PageError> {
    let user_id = user.0.user_id.clone();
    let preferences = ctx
        .db
        .run(move |conn| notifications::preferences_of(conn, &user_id))
        .await?;
    let on = |name: &str| match name {
        "lead_declined" => preferences.lead_declined,
        "withdrawn_after_release" => preferences.withdrawn_after_release,
        "release_outcome" => preferences.release_outcome,
        "bounced" => preferences.bounced,
        _ => preferences.daily_digest,
    };
    let page = NotificationsPage {
        chrome: Chrome::new(&request, &user),
        choices: CHOICES
            .iter()
            .map(|(name, label)| (*name, *label, on(name)))
            .collect(),
    };
    Ok(html_page(&request, render(page)?))
}

#[post("/account/notifications")]
async fn save_notifications(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let pairs = form_pairs(&body);
    verify_csrf(&request, field(&pairs, "csrf_token"))?;
    let ticked = |name: &str| field(&pairs, name) == "on";
    let preferences = Preferences {
        lead_declined: ticked("lead_declined"),
        withdrawn_after_release: ticked("withdrawn_after_release"),
        release_outcome: ticked("release_outcome"),
        bounced: ticked("bounced"),
        daily_digest: ticked("daily_digest"),
    };
    let (context, user_id) = (ctx.clone(), user.0.user_id.clone());
    ctx.db
        .run(move |conn| {
            notifications::set_preferences(conn, &context.clock, &user_id, &preferences)
        })
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        "/app/account/notifications",
        "Saved: you get the emails ticked below.",
    ))
}
