//! Drafting and editing a letter: the form (with a preview that needs no JavaScript), its
//! deadline in the coordinator's time zone, and the errors kept beside their fields.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::app::letters::{self, LetterEdit, LetterView, NewLetterInput};
use crate::app::{AppError, Context};
use crate::domain::markdown::to_safe_html;
use crate::domain::{
    Addressee, ChangeKind, Deadline, InvalidInput, LetterBody, LetterId, LetterTitle, Slug,
    optional_text,
};
use crate::web::PageError;
use crate::web::pages::{Chrome, render};
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};

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
    show_signers: Option<String>,
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

    fn signers_checked(&self) -> bool {
        self.form.show_signers.is_some()
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
pub(super) async fn new_letter_page(
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
pub(super) async fn create_letter(
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
            show_signers: form.show_signers.is_some(),
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
        show_signers: view.letter.show_signers.then(|| "on".into()),
        allow_late_signatures: view.letter.allow_late_signatures.then(|| "on".into()),
        ..Default::default()
    }
}

#[get("/letters/{id}/edit")]
pub(super) async fn edit_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
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
pub(super) async fn save_edit(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
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
            change: ChangeKind::from_input(form.change.as_deref().unwrap_or(""))?,
            note: optional_text(Some(&form.note), "the note", 500)?,
            deadline: Some(form_deadline(&form)?),
            show_signatories: Some(form.show_signatories.is_some()),
            show_signers: Some(form.show_signers.is_some()),
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
