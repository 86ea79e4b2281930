//! A letter's dashboard: counts per status, the invitations with filters and sorting, bulk
//! reminders and revocations, and a chart of responses over time drawn as SVG on the server.

use std::borrow::Borrow;
use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::chart::Chart;
use super::{Chrome, render, when};
use crate::app::Context;
pub(super) use crate::app::dashboard::Filters;
use crate::app::dashboard::{Dashboard, Headline, Page, dashboard as read_dashboard};
use crate::app::invitations::answers::Overview;
use crate::app::letters::LetterView;
use crate::app::signing::RecordedNote;
use crate::domain::abbreviate;
use crate::domain::{InvitationId, InvitationStatus, LetterId};
use crate::web::PageError;
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(dashboard).service(acknowledge_withdrawals);
}

#[derive(Template)]
#[template(path = "app/dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    view: LetterView,
    deadline: String,
    headline: Headline,
    /// The page of invitations shown.
    page: Page,
    counts: Vec<(&'static str, i64)>,
    chart: Chart,
    status: String,
    tier: String,
    q: String,
    sort: String,
    /// Whether a filter narrows the list.
    narrowed: bool,
    /// Every status an invitation can have, in the order a coordinator reads them.
    statuses: &'static [InvitationStatus],
    /// How answers a coordinator recorded arrived, by invitation.
    recorded: HashMap<InvitationId, RecordedNote>,
    /// Why the bulk action just sent was refused.
    error: Option<String>,
    /// Withdrawals from the published letter not acknowledged yet: organization, when.
    withdrawals: Vec<(String, String)>,
    /// Confirmed requests to join waiting for a decision.
    requests_waiting: i64,
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

    /// "in French", for an answer given on a translation.
    fn read_in(&self, row: &Overview) -> Option<String> {
        let language = row.current.as_ref()?.language.as_deref()?;
        Some(format!(
            "in {}",
            crate::domain::LanguageTag::from_stored(language).english_name()
        ))
    }

    /// "recorded by NAME from an email on DATE", for an answer a coordinator recorded.
    fn recorded_note(&self, invitation: &crate::db::invitations::Invitation) -> Option<&str> {
        self.recorded.get(&invitation.id).map(|r| r.note.as_str())
    }
}

impl DashboardPage {
    /// The link to page `number` of the list, keeping the filters and the order.
    fn page_link(&self, number: impl Borrow<usize>) -> String {
        let number = *number.borrow();
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("status", &self.status),
            ("tier", &self.tier),
            ("q", &self.q),
        ] {
            if !value.is_empty() {
                query.append_pair(name, value);
            }
        }
        if self.sort != "organization" {
            query.append_pair("sort", &self.sort);
        }
        query.append_pair("page", &number.to_string());
        format!("?{}", query.finish())
    }

    /// The pages to link to: the first, the last, and two either side of this one, with gaps
    /// between.
    fn page_links(&self) -> Vec<PageLink> {
        let (here, last) = (self.page.number, self.page.pages);
        let mut links: Vec<PageLink> = Vec::new();
        for n in 1..=last {
            if n == 1 || n == last || n.abs_diff(here) <= 2 {
                links.push(PageLink {
                    number: n,
                    href: self.page_link(n),
                    current: n == here,
                    gap: false,
                });
            } else if links.last().is_some_and(|l| !l.gap) {
                links.push(PageLink {
                    number: n,
                    href: String::new(),
                    current: false,
                    gap: true,
                });
            }
        }
        links
    }
}

/// A link to one page of the list, or a gap ("…") between page numbers.
struct PageLink {
    number: usize,
    href: String,
    current: bool,
    gap: bool,
}

/// Characters of a partner's note shown on its row; the invitation page shows it whole.
const NOTE_CHARS: usize = 80;

/// `?page=N`: which page of the invitations; anything but a number reads the first.
#[derive(Deserialize, Default)]
pub(super) struct PageNumber {
    page: Option<String>,
}

impl PageNumber {
    fn number(&self) -> usize {
        self.page
            .as_deref()
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(1)
    }
}

/// The coordinators saw the withdrawals from the published letter: the dashboard stops
/// showing them.
#[post("/letters/{id}/withdrawals/seen")]
async fn acknowledge_withdrawals(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    form: web::Form<super::CsrfForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let (context, actor, letter_id) = (ctx.clone(), user.actor(&request), id.into_inner());
    let location = format!("/app/letters/{letter_id}");
    ctx.db
        .run(move |conn| {
            crate::app::dashboard::acknowledge_withdrawals(conn, &context.clock, &actor, &letter_id)
        })
        .await?;
    Ok(redirect_with_notice(&ctx, &location, "Noted."))
}

#[get("/letters/{id}")]
async fn dashboard(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    filters: web::Query<Filters>,
    page: web::Query<PageNumber>,
) -> Result<HttpResponse, PageError> {
    show_dashboard(
        &request,
        &user,
        &ctx,
        id.into_inner(),
        (filters.into_inner(), page.number()),
        None,
    )
    .await
}

/// The dashboard at a page of the invitations matching the filters; with `error` (a bulk
/// action sent without what it needs) it answers 422 and shows the message above the actions.
pub(super) async fn show_dashboard(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &Context,
    letter_id: LetterId,
    (filters, page): (Filters, usize),
    error: Option<String>,
) -> Result<HttpResponse, PageError> {
    let now = ctx.clock.now();
    let listing = filters.clone();
    let Dashboard {
        overview,
        headline,
        page,
        days,
        recorded,
        withdrawals,
        requests_waiting,
    } = ctx
        .db
        .run(move |conn| read_dashboard(conn, &letter_id, &listing, page, now))
        .await?;
    let counts = InvitationStatus::ALL
        .iter()
        .copied()
        .map(|s| (s.as_str(), overview.count(s)))
        .filter(|(_, n)| *n > 0)
        .collect();
    let view = overview.view;
    let page = DashboardPage {
        chrome: Chrome::new(request, user),
        deadline: view
            .deadline()
            .map(|d| d.display())
            .unwrap_or_else(|| "none".into()),
        headline,
        page,
        counts,
        chart: Chart::from_days(&days),
        status: filters.status().to_string(),
        tier: filters.tier().to_string(),
        q: filters.q().to_string(),
        sort: filters.sort().to_string(),
        narrowed: filters.narrows(),
        statuses: InvitationStatus::ALL,
        recorded,
        error: error.clone(),
        withdrawals: withdrawals
            .into_iter()
            .map(|(organization, at)| (organization, when(&at)))
            .collect(),
        requests_waiting,
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
