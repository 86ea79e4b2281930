//! Pages for letters: the overview of all letters, drafting and editing (with a preview that
//! needs no JavaScript), the version history and the difference between two versions, the
//! translations, and the status buttons.

mod form;
mod history;
mod status;
mod translations;

use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;
use serde::Deserialize;

use crate::app::Context;
use crate::app::letters::{self, LetterOverview};
use crate::domain::{InvitationStatus, LetterId, LetterStatus};
use crate::web::PageError;
use crate::web::pages::{Chrome, render};
use crate::web::session::{CurrentUser, html_page};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(overview)
        .service(form::new_letter_page)
        .service(form::create_letter)
        .service(form::edit_page)
        .service(form::save_edit)
        .service(history::history)
        .service(history::diff_page)
        .service(status::change_status)
        .service(translations::translations_page)
        .service(translations::save_translation);
}

/// A row of the overview.
pub struct LetterRow {
    pub id: LetterId,
    pub title: String,
    pub status: LetterStatus,
    pub deadline: String,
    pub signed: i64,
    pub declined: i64,
    pub total: i64,
    pub archived: bool,
}

impl From<&LetterOverview> for LetterRow {
    fn from(listed: &LetterOverview) -> Self {
        let view = &listed.view;
        Self {
            id: view.letter.id.clone(),
            title: view.current.title.clone(),
            status: view.letter.status,
            deadline: view.deadline().map(|d| d.display()).unwrap_or_default(),
            signed: listed.count(InvitationStatus::Signed),
            declined: listed.count(InvitationStatus::Declined),
            total: listed.invitation_total() - listed.count(InvitationStatus::Revoked),
            archived: view.letter.archived_at.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "app/overview.html")]
struct OverviewPage {
    chrome: Chrome,
    letters: Vec<LetterRow>,
    show_archived: bool,
    /// For admins: what to fix before real partners receive email.
    warnings: Vec<String>,
}

#[derive(Deserialize)]
struct OverviewQuery {
    archived: Option<String>,
}

#[get("")]
async fn overview(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    query: web::Query<OverviewQuery>,
) -> Result<HttpResponse, PageError> {
    let show_archived = query.archived.is_some();
    let views = ctx
        .db
        .run(move |conn| letters::list_letters(conn, show_archived))
        .await?;
    let page = OverviewPage {
        chrome: Chrome::new(&request, &user),
        letters: views.iter().map(LetterRow::from).collect(),
        show_archived,
        warnings: if user.is_admin() {
            ctx.settings.production_warnings()
        } else {
            Vec::new()
        },
    };
    Ok(html_page(&request, render(page)?))
}
