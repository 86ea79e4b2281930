//! The release page of a letter: the release check (who will be listed, who is left out and
//! why, what blocks), and for admins the buttons to release now, schedule the release at an
//! embargo time, or cancel a schedule. Once released: the public list's revisions, and whether
//! organizations may still join.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{Chrome, render};
use crate::app::letters::{self, LetterView};
use crate::app::release::{self, ReleaseCheck, ReleaseError};
use crate::app::{AppError, Context, signing};
use crate::db::releases::Release;
use crate::domain::{Deadline, LetterId};
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};
use crate::web::{PageError, WebError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(release_page).service(release_action);
}

#[derive(Template)]
#[template(path = "app/release.html")]
struct ReleasePage {
    chrome: Chrome,
    view: LetterView,
    check: ReleaseCheck,
    /// The public list's revisions, the original first (empty before release), each with how
    /// many organizations it lists.
    revisions: Vec<(Release, usize)>,
    scheduled_for: Option<String>,
    /// "recorded by NAME from an email on DATE" by organization, for answers a coordinator
    /// recorded.
    recorded: HashMap<String, String>,
    error: Option<String>,
    zones: &'static [chrono_tz::Tz],
}

async fn page(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &Context,
    letter_id: LetterId,
    error: Option<String>,
) -> Result<HttpResponse, PageError> {
    let (view, check, revisions, recorded) = ctx
        .db
        .run(move |conn| {
            Ok::<_, AppError>((
                letters::get_letter(conn, &letter_id)?,
                release::check(conn, &letter_id)?,
                release::revisions(conn, &letter_id)?
                    .into_iter()
                    .map(|r| r.signatory_list().map(|list| (r, list.len())))
                    .collect::<Result<Vec<_>, _>>()?,
                signing::recorded_notes(conn, &letter_id)?,
            ))
        })
        .await?;
    let recorded = recorded
        .into_values()
        .map(|r| (r.organization, r.note))
        .collect();
    let scheduled_for = view
        .letter
        .release_at
        .map(|at| Deadline::from_stored(at, view.letter.release_tz.as_deref()).display());
    let failed = error.is_some();
    let template = ReleasePage {
        chrome: Chrome::new(request, user),
        view,
        check,
        revisions,
        scheduled_for,
        recorded,
        error,
        zones: &chrono_tz::TZ_VARIANTS,
    };
    let mut response = html_page(request, render(template)?);
    if failed {
        *response.status_mut() = StatusCode::CONFLICT;
    }
    Ok(response)
}

impl ReleasePage {
    /// How the answer of an organization arrived, when a coordinator recorded it.
    fn recorded_note(&self, organization: &str) -> Option<&str> {
        self.recorded.get(organization).map(String::as_str)
    }
}

#[get("/letters/{id}/release")]
async fn release_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
) -> Result<HttpResponse, PageError> {
    page(&request, &user, &ctx, id.into_inner(), None).await
}

#[derive(Deserialize)]
struct ReleaseForm {
    csrf_token: String,
    action: String,
    #[serde(default)]
    at: String,
    #[serde(default)]
    time_zone: String,
    allow_late_signatures: Option<String>,
}

#[post("/letters/{id}/release")]
async fn release_action(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    form: web::Form<ReleaseForm>,
) -> Result<HttpResponse, PageError> {
    user.require_admin()?;
    verify_csrf(&request, &form.csrf_token)?;
    let (letter_id, form) = (id.into_inner(), form.into_inner());
    let (context, actor, lookup) = (ctx.clone(), user.actor(&request), letter_id.clone());
    let result: Result<&'static str, ReleaseError> = match form.action.as_str() {
        "now" => ctx
            .db
            .run(move |conn| {
                release::release_now(conn, &context.clock, &context.links(), &actor, &lookup)
            })
            .await
            .map(
                |_| "The letter is released and public. Every signatory is being emailed the link.",
            ),
        "schedule" => {
            let zone = if form.time_zone.trim().is_empty() {
                "UTC"
            } else {
                form.time_zone.trim()
            };
            let when = Deadline::parse_local(&form.at, zone)?;
            ctx.db
                .run(move |conn| {
                    release::schedule(conn, &context.clock, &actor, &lookup, when.at, when.zone)
                })
                .await
                .map(|_| "The release is scheduled. Answers and edits are frozen until then.")
        }
        "cancel" => ctx
            .db
            .run(move |conn| {
                release::cancel_schedule(conn, &context.clock, &actor, &lookup)
                    .map_err(ReleaseError::from)
            })
            .await
            .map(
                |_| "The scheduled release is cancelled; the letter is closed until you reopen it.",
            ),
        "late_signatures" => {
            let allow = form.allow_late_signatures.is_some();
            ctx.db
                .run(move |conn| {
                    letters::edit_letter(
                        conn,
                        &context.clock,
                        &context.links(),
                        &actor,
                        &lookup,
                        letters::LetterEdit::late_signatures(allow),
                    )
                    .map_err(ReleaseError::from)
                })
                .await
                .map(|_| {
                    if allow {
                        "Organizations may now sign after publication."
                    } else {
                        "The list is closed to late signatures."
                    }
                })
        }
        _ => return Err(PageError(WebError::bad_request("unknown action"))),
    };
    match result {
        Ok(notice) => {
            ctx.mail_queued();
            Ok(redirect_with_notice(
                &ctx,
                &format!("/app/letters/{letter_id}/release"),
                notice,
            ))
        }
        Err(ReleaseError::Blocked(_)) => {
            page(
                &request,
                &user,
                &ctx,
                letter_id,
                Some("The release check fails: see what blocks it below.".into()),
            )
            .await
        }
        Err(ReleaseError::App(
            AppError::Conflict(message) | AppError::Invalid(crate::domain::InvalidInput(message)),
        )) => page(&request, &user, &ctx, letter_id, Some(message)).await,
        Err(ReleaseError::App(other)) => Err(other.into()),
    }
}
