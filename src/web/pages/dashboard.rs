//! A letter's dashboard: counts per status, the invitations with filters and sorting, bulk
//! reminders and revocations, and a chart of responses over time drawn as SVG on the server.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;
use serde::Deserialize;

use super::{Chrome, render, when};
use crate::app::invitations::{self, answers::Overview};
use crate::app::letters::{self, LetterView};
use crate::app::progress::{self, DayCount};
use crate::app::signing::{self, RecordedNote};
use crate::app::{AppError, Context};
use crate::domain::abbreviate;
use crate::domain::{InvitationId, InvitationStatus, LetterId};
use crate::web::PageError;
use crate::web::session::{CurrentUser, html_page};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(dashboard);
}

#[derive(Deserialize, Default)]
pub(super) struct Filters {
    status: Option<String>,
    tier: Option<String>,
    q: Option<String>,
    sort: Option<String>,
}

/// The polylines of the response chart, in SVG user units.
pub struct Chart {
    pub width: u32,
    pub height: u32,
    pub signed_points: String,
    pub declined_points: String,
    pub max: usize,
    pub first_day: String,
    pub last_day: String,
    pub summary: String,
}

impl Chart {
    const WIDTH: u32 = 600;
    const HEIGHT: u32 = 160;

    fn from_days(days: &[DayCount]) -> Self {
        let max = days
            .iter()
            .map(|d| d.signed.max(d.declined))
            .max()
            .unwrap_or(0)
            .max(1);
        let step = if days.len() > 1 {
            f64::from(Self::WIDTH) / (days.len() - 1) as f64
        } else {
            0.0
        };
        let y = |n: usize| {
            f64::from(Self::HEIGHT) - (n as f64 / max as f64) * f64::from(Self::HEIGHT - 10)
        };
        let points = |pick: fn(&DayCount) -> usize| {
            days.iter()
                .enumerate()
                .map(|(i, d)| format!("{:.1},{:.1}", i as f64 * step, y(pick(d))))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let last = days.last();
        Self {
            width: Self::WIDTH,
            height: Self::HEIGHT,
            signed_points: points(|d| d.signed),
            declined_points: points(|d| d.declined),
            max,
            first_day: days.first().map(|d| d.day.to_string()).unwrap_or_default(),
            last_day: last.map(|d| d.day.to_string()).unwrap_or_default(),
            summary: last.map_or(String::new(), |d| {
                format!(
                    "{} signed and {} declined by {}",
                    d.signed, d.declined, d.day
                )
            }),
        }
    }
}

#[derive(Template)]
#[template(path = "app/dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    view: LetterView,
    deadline: String,
    rows: Vec<Overview>,
    counts: Vec<(&'static str, i64)>,
    chart: Chart,
    status: String,
    tier: String,
    q: String,
    sort: String,
    /// Every status an invitation can have, in the order a coordinator reads them.
    statuses: &'static [InvitationStatus],
    /// How answers a coordinator recorded arrived, by invitation.
    recorded: HashMap<InvitationId, RecordedNote>,
    /// Why the bulk action just sent was refused.
    error: Option<String>,
}

impl DashboardPage {
    fn last_activity(&self, row: &Overview) -> String {
        when(&row.invitation.last_activity_at)
    }

    /// The start of the partner's note or decline reason, for the row.
    fn note(&self, row: &Overview) -> Option<String> {
        let comment = row.current.as_ref()?.comment.as_deref()?;
        Some(abbreviate(comment, NOTE_CHARS))
    }

    /// "reminded 2×, last on 3 Dec 2026", when the organization was reminded.
    fn reminded(&self, row: &Overview) -> Option<String> {
        let last = row.reminded.last_at?;
        Some(format!(
            "reminded {}×, last on {}",
            row.reminded.count,
            last.format("%-d %b %Y")
        ))
    }

    /// "recorded by NAME from an email on DATE", for an answer a coordinator recorded.
    fn recorded_note(&self, invitation: &crate::db::invitations::Invitation) -> Option<&str> {
        self.recorded.get(&invitation.id).map(|r| r.note.as_str())
    }
}

/// Characters of a partner's note shown on its row; the invitation page shows it whole.
const NOTE_CHARS: usize = 80;

fn apply_filters(mut rows: Vec<Overview>, filters: &Filters) -> Vec<Overview> {
    let wanted = |value: &Option<String>| {
        value
            .as_deref()
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    if let Some(status) = wanted(&filters.status) {
        rows.retain(|r| r.invitation.status.as_str() == status);
    }
    if let Some(tier) = wanted(&filters.tier) {
        rows.retain(|r| r.invitation.tier == tier);
    }
    if let Some(q) = wanted(&filters.q) {
        let q = q.to_lowercase();
        rows.retain(|r| {
            r.invitation.display_name.to_lowercase().contains(&q)
                || r.invitation.contact_email.to_lowercase().contains(&q)
        });
    }
    match filters.sort.as_deref().unwrap_or("organization") {
        "status" => rows.sort_by(|a, b| {
            let (a, b) = (&a.invitation, &b.invitation);
            a.status
                .cmp(&b.status)
                .then(a.display_name.cmp(&b.display_name))
        }),
        "tier" => rows.sort_by(|a, b| {
            let (a, b) = (&a.invitation, &b.invitation);
            a.tier
                .cmp(&b.tier)
                .then(a.display_name.cmp(&b.display_name))
        }),
        "activity" => rows.sort_by_key(|r| std::cmp::Reverse(r.invitation.last_activity_at)),
        _ => rows.sort_by_key(|r| r.invitation.display_name.to_lowercase()),
    }
    rows
}

#[get("/letters/{id}")]
async fn dashboard(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    filters: web::Query<Filters>,
) -> Result<HttpResponse, PageError> {
    show_dashboard(
        &request,
        &user,
        &ctx,
        id.into_inner(),
        filters.into_inner(),
        None,
    )
    .await
}

/// The dashboard, unfiltered or filtered; with `error` (a bulk action sent without what it
/// needs) it answers 422 and shows the message above the actions.
pub(super) async fn show_dashboard(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &Context,
    letter_id: LetterId,
    filters: Filters,
    error: Option<String>,
) -> Result<HttpResponse, PageError> {
    let now = ctx.clock.now();
    let (view, rows, days, recorded) = ctx
        .db
        .run(move |conn| -> Result<_, AppError> {
            let view = letters::get_letter(conn, &letter_id)?;
            let rows = invitations::answers::overview(conn, &letter_id)?;
            let start = rows
                .iter()
                .map(|r| r.invitation.created_at)
                .min()
                .unwrap_or(now);
            let days = progress::daily_counts(conn, &letter_id, start, now)?;
            let recorded = signing::recorded_notes(conn, &letter_id)?;
            Ok((view, rows, days, recorded))
        })
        .await?;
    let counts = InvitationStatus::ALL
        .iter()
        .copied()
        .map(|s| (s.as_str(), view.count(s)))
        .filter(|(_, n)| *n > 0)
        .collect();
    let page = DashboardPage {
        chrome: Chrome::new(request, user),
        deadline: view
            .deadline()
            .map(|d| d.display())
            .unwrap_or_else(|| "none".into()),
        rows: apply_filters(rows, &filters),
        counts,
        chart: Chart::from_days(&days),
        status: filters.status.clone().unwrap_or_default(),
        tier: filters.tier.clone().unwrap_or_default(),
        q: filters.q.clone().unwrap_or_default(),
        sort: filters
            .sort
            .clone()
            .unwrap_or_else(|| "organization".into()),
        statuses: InvitationStatus::ALL,
        recorded,
        error: error.clone(),
        view,
    };
    let mut response = html_page(request, render(page)?);
    if error.is_some() {
        *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// Reads a form whose `ids` field repeats (one per ticked checkbox).
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}
