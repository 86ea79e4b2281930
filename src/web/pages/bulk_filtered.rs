//! "Select all matching": a bulk action on every invitation that matches the dashboard's
//! filters, on every page. It always asks first, naming the organizations; the confirmation
//! carries their invitations one by one, so that what is done is exactly what was shown.

use super::confirm::Confirmation;
use crate::app::Context;
use crate::app::dashboard::{self, Filters};
use crate::app::invitations::answers::Overview;
use crate::domain::{InvitationStatus, LetterId};
use crate::web::PageError;

/// What a bulk action on all matching invitations asks, or why it cannot do anything.
pub(super) enum AskAll {
    Confirm(Box<Confirmation>),
    /// Nothing to do, and why (shown on the dashboard, 422).
    Refuse(String),
}

/// The confirmation of reminding (`remind`) or revoking (`revoke`) every invitation of the
/// letter that matches `filters`.
pub(super) async fn confirm_matching(
    ctx: &Context,
    letter_id: &LetterId,
    action: &str,
    filters: Filters,
) -> Result<AskAll, PageError> {
    let (lookup, wanted) = (letter_id.clone(), filters.clone());
    let rows = ctx
        .db
        .run(move |conn| dashboard::matching(conn, &lookup, &wanted))
        .await?;
    let matching = if filters.narrows() {
        format!("{} invitations that match the filters", rows.len())
    } else {
        format!("{} invitations", rows.len())
    };
    let back = back_to(letter_id, &filters);
    let action_url = format!("/app/letters/{letter_id}/bulk");
    if action == "remind" {
        let waiting: Vec<&Overview> = rows
            .iter()
            .filter(|r| r.invitation.status.awaits_answer())
            .collect();
        if waiting.is_empty() {
            return Ok(AskAll::Refuse(format!(
                "Nobody to remind among the {matching}: each has answered, or its invitation \
                 has not gone out yet."
            )));
        }
        let hours = ctx.settings.reminders.min_interval_hours;
        return Ok(AskAll::Confirm(Box::new(Confirmation {
            question: match waiting.len() {
                1 => format!("Remind 1 organization of the {matching}?"),
                n => format!("Remind {n} organizations of the {matching}?"),
            },
            consequences: vec![
                "Each is emailed a reminder with its personal sign link; those that answered or \
                 were not sent an invitation yet are left out."
                    .into(),
                format!("Organizations reminded less than {hours} hours ago are skipped."),
            ],
            names: names(&waiting),
            fields: fields("remind", &waiting),
            action: action_url,
            button: "Send the reminders".into(),
            back,
        })));
    }
    let live: Vec<&Overview> = rows
        .iter()
        .filter(|r| r.invitation.status != InvitationStatus::Revoked)
        .collect();
    if live.is_empty() {
        return Ok(AskAll::Refuse(format!(
            "Nothing to revoke among the {matching}: they are revoked already."
        )));
    }
    let signed = live
        .iter()
        .filter(|r| r.invitation.status == InvitationStatus::Signed)
        .count();
    let mut consequences = vec!["Their sign links stop working at once.".to_string()];
    if signed > 0 {
        consequences.push(format!(
            "{signed} of them signed; they will no longer count as signatories."
        ));
    }
    Ok(AskAll::Confirm(Box::new(Confirmation {
        question: match live.len() {
            1 => format!("Revoke 1 invitation of the {matching}?"),
            n => format!("Revoke {n} invitations of the {matching}?"),
        },
        consequences,
        names: names(&live),
        fields: fields("revoke", &live),
        action: action_url,
        button: "Revoke".into(),
        back,
    })))
}

fn names(rows: &[&Overview]) -> Vec<String> {
    rows.iter()
        .map(|r| r.invitation.display_name.clone())
        .collect()
}

/// The confirmed form: the action and each invitation it concerns.
fn fields(action: &str, rows: &[&Overview]) -> Vec<(String, String)> {
    let ids = rows
        .iter()
        .map(|r| ("ids".to_string(), r.invitation.id.to_string()));
    std::iter::once(("action".to_string(), action.to_string()))
        .chain(ids)
        .collect()
}

/// The dashboard with these filters.
fn back_to(letter_id: &LetterId, filters: &Filters) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in [
        ("status", filters.status()),
        ("tier", filters.tier()),
        ("q", filters.q()),
    ] {
        if !value.is_empty() {
            query.append_pair(name, value);
        }
    }
    let query = query.finish();
    if query.is_empty() {
        format!("/app/letters/{letter_id}")
    } else {
        format!("/app/letters/{letter_id}?{query}")
    }
}
