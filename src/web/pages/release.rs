//! The release page of a letter: the release check (who will be listed, who is left out and
//! why, what blocks), and for admins the buttons to release now, schedule the release at an
//! embargo time, or cancel a schedule. Once released: the public list's revisions, and whether
//! organizations may still join.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::confirm::{Confirmation, confirmation_page, confirmed};
use super::{Chrome, render};
use crate::app::letters::{self, LetterView};
use crate::app::release::{self, ReleaseCheck, ReleaseError};
use crate::app::{AppError, Context, signing};
use crate::db::releases::Release;
use crate::domain::{Deadline, InvalidInput, LetterId};
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
    /// The schedule form as typed, kept when it comes back with an error.
    typed_at: String,
    typed_zone: String,
    zones: &'static [chrono_tz::Tz],
}

/// Why the release page is shown again: a refused action, its status, and the schedule form
/// as typed (embargo time, zone) when that form was the one refused.
struct Problem {
    status: StatusCode,
    message: String,
    typed: Option<(String, String)>,
}

impl Problem {
    fn conflict(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::CONFLICT,
            message: message.into(),
            typed: None,
        }
    }
}

async fn page(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &Context,
    letter_id: LetterId,
    problem: Option<Problem>,
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
    let now = ctx.clock.now_utc();
    let scheduled_for = view.letter.release_at.map(|at| {
        Deadline::from_stored(at, view.letter.release_tz.as_deref()).display_with_utc(now)
    });
    let status = problem.as_ref().map(|p| p.status);
    let (error, typed) = match problem {
        Some(problem) => (Some(problem.message), problem.typed),
        None => (None, None),
    };
    let (typed_at, typed_zone) = typed.unwrap_or_else(|| (String::new(), "UTC".into()));
    let template = ReleasePage {
        chrome: Chrome::new(request, user),
        view,
        check,
        revisions,
        scheduled_for,
        recorded,
        error,
        typed_at,
        typed_zone,
        zones: &chrono_tz::TZ_VARIANTS,
    };
    let mut response = html_page(request, render(template)?);
    if let Some(status) = status {
        *response.status_mut() = status;
    }
    Ok(response)
}

impl ReleasePage {
    /// How the answer of an organization arrived, when a coordinator recorded it.
    fn recorded_note(&self, organization: &str) -> Option<&str> {
        self.recorded.get(organization).map(String::as_str)
    }

    /// The translation an organization approved, when not the authoritative text.
    fn approved_in(&self, organization: &str) -> Option<&str> {
        self.check.approved_in.get(organization).map(String::as_str)
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
    freeze_answers: Option<String>,
    confirm: Option<String>,
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
    let embargo = match form.action.as_str() {
        "schedule" => match embargo_of(&form) {
            Ok(embargo) => Some(embargo),
            Err(invalid) => {
                let problem = Problem {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    message: invalid.0,
                    typed: Some((form.at.clone(), form.time_zone.clone())),
                };
                return page(&request, &user, &ctx, letter_id, Some(problem)).await;
            }
        },
        _ => None,
    };
    if matches!(form.action.as_str(), "now" | "schedule") && !confirmed(form.confirm.as_deref()) {
        return confirm_release(&request, &user, &ctx, letter_id, &form, embargo).await;
    }
    let (form_at, form_zone) = (form.at.clone(), form.time_zone.clone());
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
            let embargo = embargo.expect("read above");
            ctx.db
                .run(move |conn| release::schedule(conn, &context.clock, &actor, &lookup, embargo))
                .await
                .map(|view| {
                    if view.letter.answers_frozen {
                        "The release is scheduled. The text and the list of signatories are final."
                    } else {
                        "The release is scheduled. The text is final; partners may still answer \
                         until then, and the release check runs again at that time."
                    }
                })
        }
        "cancel" => ctx
            .db
            .run(move |conn| {
                release::cancel_schedule(conn, &context.clock, &actor, &lookup)
                    .map_err(ReleaseError::from)
            })
            .await
            .map(|view| {
                if view.status() == crate::domain::LetterStatus::Open {
                    "The scheduled release is cancelled; the letter is open."
                } else {
                    "The scheduled release is cancelled; the letter is closed until you reopen it."
                }
            }),
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
            let blocked = Problem::conflict("The release check fails: see what blocks it below.");
            page(&request, &user, &ctx, letter_id, Some(blocked)).await
        }
        Err(ReleaseError::App(AppError::Conflict(message))) => {
            page(
                &request,
                &user,
                &ctx,
                letter_id,
                Some(Problem::conflict(message)),
            )
            .await
        }
        Err(ReleaseError::App(AppError::Invalid(InvalidInput(message)))) => {
            let problem = Problem {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                message,
                typed: Some((form_at, form_zone)),
            };
            page(&request, &user, &ctx, letter_id, Some(problem)).await
        }
        Err(ReleaseError::App(other)) => Err(other.into()),
    }
}

/// The embargo a schedule form asks for; a time or zone that does not read is an error shown on
/// the release page, beside the form.
fn embargo_of(form: &ReleaseForm) -> Result<release::Embargo, InvalidInput> {
    let zone = match form.time_zone.trim() {
        "" => "UTC",
        zone => zone,
    };
    let when = Deadline::parse_local(&form.at, zone)
        .map_err(|e| InvalidInput::new(e.0.replace("the deadline", "the release time")))?;
    Ok(release::Embargo {
        at: when.at,
        zone: when.zone,
        freeze_answers: form.freeze_answers.is_some(),
    })
}

/// What releasing now (or at the embargo) will do, to be confirmed: who is listed, how many
/// are left out, that it cannot be undone. A release the check blocks shows the release page
/// with its blockers instead.
async fn confirm_release(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &Context,
    letter_id: LetterId,
    form: &ReleaseForm,
    embargo: Option<release::Embargo>,
) -> Result<HttpResponse, PageError> {
    let lookup = letter_id.clone();
    let (view, check) = ctx
        .db
        .run(move |conn| {
            Ok::<_, AppError>((
                letters::get_letter(conn, &lookup)?,
                release::check(conn, &lookup)?,
            ))
        })
        .await?;
    if !check.blockers.is_empty() {
        let blocked = Problem::conflict("The release check fails: see what blocks it below.");
        return page(request, user, ctx, letter_id, Some(blocked)).await;
    }
    let title = &view.current.title;
    let listed = format!(
        "{} organizations will be listed, in this order; {} are left out (see the release page).",
        check.listed.len(),
        check.left_out.len()
    );
    let (question, consequences, button) = match embargo {
        None => (
            format!("Release “{title}” now?"),
            vec![
                format!(
                    "The letter becomes public at once at /letters/{} and cannot be unpublished.",
                    view.letter.slug
                ),
                listed,
                "Every signatory is emailed the link.".to_string(),
            ],
            "Release now",
        ),
        Some(embargo) => {
            let when = Deadline {
                at: embargo.at,
                zone: embargo.zone,
            };
            let answers = if embargo.freeze_answers {
                "The list of signatories is frozen now: no answer can change until then."
            } else {
                "Partners may still sign or decline until then; the check runs again at that time."
            };
            (
                format!("Schedule the release of “{title}”?"),
                vec![
                    format!(
                        "It will be published on {}. The text cannot change until then.",
                        when.display_with_utc(ctx.clock.now_utc())
                    ),
                    answers.to_string(),
                    listed,
                ],
                "Schedule the release",
            )
        }
    };
    let mut fields = vec![("action".to_string(), form.action.clone())];
    if embargo.is_some() {
        fields.push(("at".into(), form.at.clone()));
        fields.push(("time_zone".into(), form.time_zone.clone()));
        if form.freeze_answers.is_some() {
            fields.push(("freeze_answers".into(), "on".into()));
        }
    }
    confirmation_page(
        request,
        user,
        Confirmation {
            question,
            consequences,
            names: check
                .listed
                .iter()
                .map(|s| s.organization.clone())
                .collect(),
            action: format!("/app/letters/{letter_id}/release"),
            fields,
            button: button.to_string(),
            back: format!("/app/letters/{letter_id}/release"),
        },
    )
}
