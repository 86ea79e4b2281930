//! Pages for letters: the overview of all letters, drafting and editing (with a preview that
//! needs no JavaScript), the version history and the difference between two versions, and the
//! status buttons.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{Chrome, render, when};
use crate::app::letters::{
    self, DiffSegment, LetterEdit, LetterView, NewLetterInput, StatusChange,
};
use crate::app::{AppError, Context};
use crate::db::letters::LetterVersion;
use crate::domain::markdown::to_safe_html;
use crate::domain::{
    Addressee, ChangeKind, Deadline, InvalidInput, InvitationStatus, LetterBody, LetterTitle, Slug,
    optional_text,
};
use crate::web::PageError;
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(overview)
        .service(new_letter_page)
        .service(create_letter)
        .service(edit_page)
        .service(save_edit)
        .service(history)
        .service(diff_page)
        .service(change_status);
}

/// A row of the overview.
pub struct LetterRow {
    pub id: String,
    pub title: String,
    pub status: String,
    pub deadline: String,
    pub signed: i64,
    pub declined: i64,
    pub total: i64,
    pub archived: bool,
}

impl From<&LetterView> for LetterRow {
    fn from(view: &LetterView) -> Self {
        Self {
            id: view.letter.id.clone(),
            title: view.current.title.clone(),
            status: view.letter.status.clone(),
            deadline: view.deadline().map(|d| d.display()).unwrap_or_default(),
            signed: view.count(InvitationStatus::Signed),
            declined: view.count(InvitationStatus::Declined),
            total: view.invitation_total() - view.count(InvitationStatus::Revoked),
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
    };
    Ok(html_page(&request, render(page)?))
}

/// The values of the letter form, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct LetterForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    addressee: String,
    #[serde(default)]
    body_markdown: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    deadline_tz: String,
    #[serde(default)]
    slug: String,
    show_signatories: Option<String>,
    allow_late_signatures: Option<String>,
    change: Option<String>,
    #[serde(default)]
    note: String,
    /// "preview" shows the text without saving.
    action: Option<String>,
}

#[derive(Template)]
#[template(path = "app/letter_form.html")]
struct LetterFormPage {
    chrome: Chrome,
    heading: String,
    action: String,
    is_new: bool,
    form: LetterForm,
    preview: Option<String>,
    error: Option<String>,
    zones: &'static [chrono_tz::Tz],
}

impl LetterFormPage {
    fn new(
        request: &HttpRequest,
        user: &CurrentUser,
        letter_id: Option<&str>,
        form: LetterForm,
    ) -> Self {
        Self {
            chrome: Chrome::new(request, user),
            heading: if letter_id.is_some() {
                "Edit the letter".into()
            } else {
                "New letter".into()
            },
            action: letter_id.map_or("/app/letters/new".into(), |id| {
                format!("/app/letters/{id}/edit")
            }),
            is_new: letter_id.is_none(),
            form,
            preview: None,
            error: None,
            zones: &chrono_tz::TZ_VARIANTS,
        }
    }

    fn checked(&self) -> bool {
        self.form.show_signatories.is_some()
    }

    fn late_checked(&self) -> bool {
        self.form.allow_late_signatures.is_some()
    }

    fn change_is(&self, kind: &str) -> bool {
        self.form.change.as_deref().unwrap_or("minor") == kind
    }
}

fn form_deadline(form: &LetterForm) -> Result<Option<Deadline>, InvalidInput> {
    if form.deadline.trim().is_empty() {
        return Ok(None);
    }
    let zone = if form.deadline_tz.trim().is_empty() {
        "UTC"
    } else {
        form.deadline_tz.as_str()
    };
    Deadline::parse_local(&form.deadline, zone).map(Some)
}

/// Shows the form again with the problem, or the preview, and nothing saved.
fn form_again(
    request: &HttpRequest,
    mut page: LetterFormPage,
    error: Option<String>,
) -> Result<HttpResponse, PageError> {
    page.preview = Some(to_safe_html(&page.form.body_markdown));
    let failed = error.is_some();
    page.error = error;
    let mut response = html_page(request, render(page)?);
    if failed {
        *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

#[get("/letters/new")]
async fn new_letter_page(
    request: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, PageError> {
    let form = LetterForm {
        deadline_tz: "UTC".into(),
        ..Default::default()
    };
    Ok(html_page(
        &request,
        render(LetterFormPage::new(&request, &user, None, form))?,
    ))
}

#[post("/letters/new")]
async fn create_letter(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    form: web::Form<LetterForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let form = form.into_inner();
    let page = LetterFormPage::new(&request, &user, None, form.clone());
    if form.action.as_deref() == Some("preview") {
        return form_again(&request, page, None);
    }
    let parsed = (|| -> Result<NewLetterInput, InvalidInput> {
        Ok(NewLetterInput {
            title: LetterTitle::parse(&form.title)?,
            addressee: Addressee::parse(&form.addressee)?,
            body: LetterBody::parse(&form.body_markdown)?,
            deadline: form_deadline(&form)?,
            slug: optional_text(Some(&form.slug), "the slug", 80)?
                .map(|s| Slug::parse(&s))
                .transpose()?,
            show_signatories: form.show_signatories.is_some(),
            allow_late_signatures: form.allow_late_signatures.is_some(),
        })
    })();
    let input = match parsed {
        Ok(input) => input,
        Err(problem) => return form_again(&request, page, Some(problem.0)),
    };
    let (context, actor) = (ctx.clone(), user.actor(&request));
    match ctx
        .db
        .run(move |conn| letters::create_letter(conn, &context.clock, &actor, input))
        .await
    {
        Ok(view) => Ok(redirect_with_notice(
            &ctx,
            &format!("/app/letters/{}", view.letter.id),
            "The draft is saved as version 1.",
        )),
        Err(AppError::Conflict(message)) => form_again(&request, page, Some(message)),
        Err(other) => Err(other.into()),
    }
}

fn form_from_view(view: &LetterView) -> LetterForm {
    let deadline = view.deadline();
    LetterForm {
        title: view.current.title.clone(),
        addressee: view.current.addressee.clone(),
        body_markdown: view.current.body_markdown.clone(),
        deadline: deadline.map(|d| d.local_input()).unwrap_or_default(),
        deadline_tz: deadline.map_or("UTC".into(), |d| d.zone.name().to_string()),
        slug: view.letter.slug.clone(),
        show_signatories: view.letter.show_signatories.then(|| "on".into()),
        allow_late_signatures: view.letter.allow_late_signatures.then(|| "on".into()),
        ..Default::default()
    }
}

#[get("/letters/{id}/edit")]
async fn edit_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let letter_id = id.clone();
    let view = ctx
        .db
        .run(move |conn| letters::get_letter(conn, &letter_id))
        .await?;
    let page = LetterFormPage::new(&request, &user, Some(&id), form_from_view(&view));
    Ok(html_page(&request, render(page)?))
}

#[post("/letters/{id}/edit")]
async fn save_edit(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
    form: web::Form<LetterForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let (id, form) = (id.into_inner(), form.into_inner());
    let page = LetterFormPage::new(&request, &user, Some(&id), form.clone());
    if form.action.as_deref() == Some("preview") {
        return form_again(&request, page, None);
    }
    let parsed = (|| -> Result<LetterEdit, InvalidInput> {
        Ok(LetterEdit {
            title: Some(LetterTitle::parse(&form.title)?),
            addressee: Some(Addressee::parse(&form.addressee)?),
            body: Some(LetterBody::parse(&form.body_markdown)?),
            change: ChangeKind::parse(form.change.as_deref().unwrap_or(""))?,
            note: optional_text(Some(&form.note), "the note", 500)?,
            deadline: Some(form_deadline(&form)?),
            show_signatories: Some(form.show_signatories.is_some()),
            allow_late_signatures: Some(form.allow_late_signatures.is_some()),
        })
    })();
    let edit = match parsed {
        Ok(edit) => edit,
        Err(problem) => return form_again(&request, page, Some(problem.0)),
    };
    let (context, actor, letter_id) = (ctx.clone(), user.actor(&request), id.clone());
    match ctx
        .db
        .run(move |conn| {
            letters::edit_letter(
                conn,
                &context.clock,
                &context.links(),
                &actor,
                &letter_id,
                edit,
            )
        })
        .await
    {
        Ok(view) => {
            ctx.mail_queued();
            Ok(redirect_with_notice(
                &ctx,
                &format!("/app/letters/{id}"),
                &format!("Saved. The letter is at version {}.", view.current.version),
            ))
        }
        Err(AppError::Conflict(message)) => form_again(&request, page, Some(message)),
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "app/history.html")]
struct HistoryPage {
    chrome: Chrome,
    letter_id: String,
    title: String,
    versions: Vec<LetterVersion>,
}

impl HistoryPage {
    fn when(&self, version: &LetterVersion) -> String {
        when(&version.created_at)
    }
}

#[get("/letters/{id}/history")]
async fn history(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let letter_id = id.into_inner();
    let lookup = letter_id.clone();
    let (view, versions) = ctx
        .db
        .run(move |conn| {
            Ok::<_, AppError>((
                letters::get_letter(conn, &lookup)?,
                letters::versions(conn, &lookup)?,
            ))
        })
        .await?;
    let page = HistoryPage {
        chrome: Chrome::new(&request, &user),
        letter_id,
        title: view.current.title,
        versions,
    };
    Ok(html_page(&request, render(page)?))
}

#[derive(Template)]
#[template(path = "app/diff.html")]
struct DiffPage {
    chrome: Chrome,
    letter_id: String,
    from: LetterVersion,
    to: LetterVersion,
    segments: Vec<DiffSegment>,
}

#[derive(Deserialize)]
struct DiffQuery {
    from: i32,
    to: i32,
}

#[get("/letters/{id}/diff")]
async fn diff_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
    query: web::Query<DiffQuery>,
) -> Result<HttpResponse, PageError> {
    let letter_id = id.into_inner();
    let (lookup, from, to) = (letter_id.clone(), query.from, query.to);
    let (from, to, segments) = ctx
        .db
        .run(move |conn| letters::diff(conn, &lookup, from, to))
        .await?;
    let page = DiffPage {
        chrome: Chrome::new(&request, &user),
        letter_id,
        from,
        to,
        segments,
    };
    Ok(html_page(&request, render(page)?))
}

#[derive(Deserialize)]
struct StatusForm {
    csrf_token: String,
    action: String,
    /// Deleting needs the box ticked: a page without script cannot ask "are you sure?".
    confirm: Option<String>,
}

#[post("/letters/{id}/status")]
async fn change_status(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<String>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let (id, form) = (id.into_inner(), form.into_inner());
    let action = form.action;
    if action == "delete" && form.confirm.as_deref() != Some("yes") {
        return Err(InvalidInput::new(
            "Tick the box to confirm that the letter and its invitations should be deleted.",
        )
        .into());
    }
    let (context, actor, letter_id) = (ctx.clone(), user.actor(&request), id.clone());
    let notice = ctx
        .db
        .run(move |conn| -> Result<&'static str, AppError> {
            let (clock, id) = (&context.clock, letter_id.as_str());
            match action.as_str() {
                "open" => letters::set_status(conn, clock, &actor, id, StatusChange::Open)
                    .map(|_| "The letter is open."),
                "close" => letters::set_status(conn, clock, &actor, id, StatusChange::Close)
                    .map(|_| "The letter is closed."),
                "reopen" => letters::set_status(conn, clock, &actor, id, StatusChange::Reopen)
                    .map(|_| "The letter is open again."),
                "archive" => letters::set_archived(conn, clock, &actor, id, true)
                    .map(|_| "The letter is archived."),
                "unarchive" => letters::set_archived(conn, clock, &actor, id, false)
                    .map(|_| "The letter is back in the overview."),
                "delete" => letters::delete_letter(conn, clock, &actor, id)
                    .map(|_| "The letter is deleted."),
                _ => Err(AppError::Invalid(InvalidInput::new("unknown action"))),
            }
        })
        .await?;
    let location = if notice.ends_with("deleted.") {
        "/app".to_string()
    } else {
        format!("/app/letters/{id}")
    };
    Ok(redirect_with_notice(&ctx, &location, notice))
}
