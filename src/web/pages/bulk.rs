//! The dashboard's bulk actions: remind the ticked organizations (or all matching the filters)
//! or all who have not answered, revoke the ticked invitations (or all matching). Reminding everyone, and revoking an organization that signed,
//! ask first on a confirmation page; an action sent with nothing ticked comes back to the
//! dashboard with the reason (422).

use actix_web::{HttpRequest, HttpResponse, post, web};

use super::bulk_filtered::{AskAll, confirm_matching};
use super::confirm::{Confirmation, confirmation_page, confirmed};
use super::dashboard::{Filters, field, form_pairs, show_dashboard};
use crate::app::invitations::{self, RemindOutcome};
use crate::app::{AppError, Context};
use crate::domain::{InvalidInput, InvitationId, InvitationStatus, LetterId};
use crate::web::PageError;
use crate::web::session::{CurrentUser, redirect_with_notice, verify_csrf};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(bulk);
}

#[post("/letters/{id}/bulk")]
async fn bulk(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let pairs = form_pairs(&body);
    verify_csrf(&request, field(&pairs, "csrf_token"))?;
    let letter_id = id.into_inner();
    let ids: Vec<InvitationId> = pairs
        .iter()
        .filter(|(k, _)| k == "ids")
        .map(|(_, v)| InvitationId::from(v.as_str()))
        .collect();
    let action = field(&pairs, "action").to_string();
    let sure = confirmed(Some(field(&pairs, "confirm")));
    let filters = Filters {
        status: Some(field(&pairs, "status").to_string()),
        tier: Some(field(&pairs, "tier").to_string()),
        q: Some(field(&pairs, "q").to_string()),
        sort: None,
    };
    let all_matching = field(&pairs, "scope") == "filtered";
    match action.as_str() {
        "remind" | "revoke" if all_matching => {
            let asked = confirm_matching(&ctx, &letter_id, &action, filters.clone()).await?;
            return match asked {
                AskAll::Confirm(confirmation) => confirmation_page(&request, &user, *confirmation),
                AskAll::Refuse(error) => {
                    show_dashboard(&request, &user, &ctx, letter_id, (filters, 1), Some(error))
                        .await
                }
            };
        }
        "remind" | "revoke" if ids.is_empty() => {
            let error = "Tick at least one organization first, or select all, then choose the \
                         action.";
            return show_dashboard(
                &request,
                &user,
                &ctx,
                letter_id,
                (filters, 1),
                Some(error.into()),
            )
            .await;
        }
        "remind_all" | "revoke" if !sure => {
            match confirmation(&ctx, &letter_id, &action, &ids).await? {
                Ask::Confirm(confirmation) => {
                    return confirmation_page(&request, &user, *confirmation);
                }
                Ask::Refuse(error) => {
                    return show_dashboard(
                        &request,
                        &user,
                        &ctx,
                        letter_id,
                        (filters, 1),
                        Some(error),
                    )
                    .await;
                }
                Ask::Proceed => {}
            }
        }
        "remind" | "revoke" | "remind_all" => {}
        _ => return Err(InvalidInput::new("unknown action").into()),
    }
    let (context, actor, lookup) = (ctx.clone(), user.actor(&request), letter_id.clone());
    let min_interval = ctx.settings.reminders.min_interval();
    let hours = ctx.settings.reminders.min_interval_hours;
    let notice = ctx
        .db
        .run(move |conn| -> Result<String, AppError> {
            let (clock, links) = (&context.clock, context.links());
            match action.as_str() {
                "remind_all" => {
                    invitations::remind(conn, clock, &links, &actor, &lookup, None, min_interval)
                        .map(|outcome| remind_notice(outcome, hours, ""))
                }
                "remind" => invitations::remind(
                    conn,
                    clock,
                    &links,
                    &actor,
                    &lookup,
                    Some(&ids),
                    min_interval,
                )
                .map(|outcome| {
                    remind_notice(outcome, hours, " (only to those who have not answered)")
                }),
                _ => invitations::revoke_many(conn, clock, &actor, &lookup, &ids)
                    .map(|n| format!("{n} invitations revoked.")),
            }
        })
        .await?;
    ctx.mail_queued();
    // The release page's "Remind this lead" comes back to the release page.
    let location = match field(&pairs, "back") {
        "release" => format!("/app/letters/{letter_id}/release"),
        _ => format!("/app/letters/{letter_id}"),
    };
    Ok(redirect_with_notice(&ctx, &location, &notice))
}

/// Whether an action goes ahead at once, asks first, or cannot do anything.
enum Ask {
    Proceed,
    Confirm(Box<Confirmation>),
    /// Nothing to do, and why (shown on the dashboard, 422).
    Refuse(String),
}

/// The confirmation an action needs, if it needs one: reminding everyone who has not
/// answered (named; refused when nobody is waiting), or revoking invitations among which some
/// organizations signed (named).
async fn confirmation(
    ctx: &Context,
    letter_id: &LetterId,
    action: &str,
    ids: &[InvitationId],
) -> Result<Ask, PageError> {
    let lookup = letter_id.clone();
    let rows = ctx
        .db
        .run(move |conn| invitations::answers::overview(conn, &lookup))
        .await?;
    let name = |row: &invitations::answers::Overview| row.invitation.display_name.clone();
    let back = format!("/app/letters/{letter_id}");
    let mut fields = vec![("action".to_string(), action.to_string())];
    if action == "remind_all" {
        let waiting: Vec<String> = rows
            .iter()
            .filter(|r| r.invitation.status.awaits_answer())
            .map(name)
            .collect();
        if waiting.is_empty() {
            return Ok(Ask::Refuse(
                "Nobody to remind: every organization has answered, or its invitation has not \
                 gone out yet."
                    .into(),
            ));
        }
        let hours = ctx.settings.reminders.min_interval_hours;
        return Ok(Ask::Confirm(Box::new(Confirmation {
            question: match waiting.len() {
                1 => "Remind the organization that has not answered?".to_string(),
                n => format!("Remind the {n} organizations that have not answered?"),
            },
            consequences: vec![
                "Each is emailed a reminder with its personal sign link.".into(),
                format!("Organizations reminded less than {hours} hours ago are skipped."),
            ],
            names: waiting,
            action: format!("/app/letters/{letter_id}/bulk"),
            fields,
            button: "Send the reminders".into(),
            back,
        })));
    }
    let chosen = |row: &&invitations::answers::Overview| ids.contains(&row.invitation.id);
    let signed: Vec<String> = rows
        .iter()
        .filter(chosen)
        .filter(|r| r.invitation.status == InvitationStatus::Signed)
        .map(name)
        .collect();
    if signed.is_empty() {
        return Ok(Ask::Proceed);
    }
    fields.extend(ids.iter().map(|id| ("ids".to_string(), id.to_string())));
    Ok(Ask::Confirm(Box::new(Confirmation {
        question: match ids.len() {
            1 => "Revoke 1 invitation?".to_string(),
            n => format!("Revoke {n} invitations?"),
        },
        consequences: vec![
            "Their sign links stop working at once.".into(),
            format!(
                "{} of them signed; they will no longer count as signatories:",
                signed.len()
            ),
        ],
        names: signed,
        action: format!("/app/letters/{letter_id}/bulk"),
        fields,
        button: "Revoke".into(),
        back,
    })))
}

/// What a round of reminders did, in words: "3 reminders queued. 2 organizations were
/// skipped: reminded less than 24 hours ago."
fn remind_notice(outcome: RemindOutcome, hours: u32, queued_to: &str) -> String {
    let RemindOutcome {
        queued,
        skipped_recently_reminded: skipped,
    } = outcome;
    let mut notice = match queued {
        1 => format!("1 reminder queued{queued_to}."),
        n => format!("{n} reminders queued{queued_to}."),
    };
    if skipped > 0 {
        let who = if skipped == 1 {
            "1 organization was".to_string()
        } else {
            format!("{skipped} organizations were")
        };
        let unit = if hours == 1 { "hour" } else { "hours" };
        let within = format!("{hours} {unit}");
        notice.push_str(&format!(
            " {who} skipped: reminded less than {within} ago, or a reminder is still on its way."
        ));
    }
    notice
}
