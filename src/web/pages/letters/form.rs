//! Drafting and editing a letter: the form (with a preview that needs no JavaScript), its
//! deadline in the coordinator's time zone, its reminder schedule with a preview of the
//! reminder email, and the errors kept beside their fields (422) with everything typed.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::app::letters::{self, LetterEdit, LetterView, NewLetterInput};
use crate::app::reminder_preview::{self, DraftLetter};
use crate::app::{AppError, Context, reminders};
use crate::domain::markdown::to_safe_html;
use crate::domain::{
    Addressee, ChangeKind, Deadline, InvalidInput, LanguageTag, LetterBody, LetterId, LetterStatus,
    LetterTitle, ReminderSchedule, Slug, optional_text,
};
use crate::mail::RenderedEmail;
use crate::web::PageError;
use crate::web::pages::field_errors::{FieldErrors, sentence};
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
    /// The language of the text (BCP 47); a form without the field leaves it as it is.
    language: Option<String>,
    show_signatories: Option<String>,
    show_signers: Option<String>,
    allow_late_signatures: Option<String>,
    open_sign_on: Option<String>,
    accept_individuals: Option<String>,
    /// The heading of the individuals' list; a form without the field leaves it as it is.
    individuals_heading: Option<String>,
    change: Option<String>,
    #[serde(default)]
    note: String,
    /// Days before the deadline on which the silent are reminded, such as "7, 2". A form
    /// without the field leaves the schedule as it is.
    reminder_days: Option<String>,
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
    /// The reminder email as a silent partner would receive it.
    reminder: Option<RenderedEmail>,
    /// The refused fields, each shown beside its input.
    errors: FieldErrors,
    /// Why the letter as a whole was refused (a newer version, a released letter).
    error: Option<String>,
    /// The letter is released or scheduled: its web address is shown, no longer editable.
    slug_locked: bool,
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
            reminder: None,
            errors: FieldErrors::default(),
            error: None,
            slug_locked: false,
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

    fn sign_on_checked(&self) -> bool {
        self.form.open_sign_on.is_some()
    }

    fn individuals_checked(&self) -> bool {
        self.form.accept_individuals.is_some()
    }

    fn individuals_heading(&self) -> &str {
        self.form.individuals_heading.as_deref().unwrap_or_default()
    }

    fn change_is(&self, kind: &str) -> bool {
        self.form.change.as_deref().unwrap_or("minor") == kind
    }
}

/// The web address as typed: `None` when left empty (made from the title for a new letter,
/// kept as it is for an edit).
fn form_slug(form: &LetterForm) -> Result<Option<Slug>, InvalidInput> {
    optional_text(Some(&form.slug), "the web address", 80)?
        .map(|s| Slug::parse(&s))
        .transpose()
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

/// The field a refused deadline is shown beside: its time zone when that is unknown.
fn deadline_field(form: &LetterForm) -> &'static str {
    let zone = form.deadline_tz.trim();
    if zone.is_empty() || zone.parse::<chrono_tz::Tz>().is_ok() {
        "deadline"
    } else {
        "deadline_tz"
    }
}

/// The form's reminder schedule, for saving (none when the form has no such field).
fn form_schedule(form: &LetterForm) -> Result<Option<ReminderSchedule>, InvalidInput> {
    form.reminder_days
        .as_deref()
        .map(ReminderSchedule::parse)
        .transpose()
}

/// Saves the schedule the form held, if it held one.
fn save_schedule(
    conn: &mut crate::db::DbConnection,
    ctx: &Context,
    letter_id: &LetterId,
    schedule: Option<&ReminderSchedule>,
) -> Result<(), AppError> {
    match schedule {
        Some(schedule) => reminders::set_schedule(conn, &ctx.clock, letter_id, schedule),
        None => Ok(()),
    }
}

/// The reminder email of the letter as the form holds it, when its title is typed.
async fn reminder_of(
    ctx: &Context,
    user: &CurrentUser,
    letter_id: Option<&LetterId>,
    form: &LetterForm,
) -> Result<Option<RenderedEmail>, PageError> {
    if form.title.trim().is_empty() {
        return Ok(None);
    }
    let (title, addressee) = (form.title.clone(), form.addressee.clone());
    let deadline = form_deadline(form).ok().flatten();
    let (base_url, letter_id, author) = (
        ctx.base_url.clone(),
        letter_id.cloned(),
        user.0.name.clone(),
    );
    Ok(ctx
        .db
        .run(move |conn| {
            let draft = DraftLetter {
                title: &title,
                addressee: &addressee,
                deadline,
            };
            reminder_preview::preview(conn, &base_url, letter_id.as_ref(), &author, &draft)
        })
        .await?)
}

/// Shows the form again with the refused fields (`page.errors`) or the problem with the
/// letter as a whole, or the preview, and nothing saved.
async fn form_again(
    request: &HttpRequest,
    ctx: &Context,
    user: &CurrentUser,
    letter_id: Option<&LetterId>,
    mut page: LetterFormPage,
    error: Option<String>,
) -> Result<HttpResponse, PageError> {
    page.preview = Some(to_safe_html(&page.form.body_markdown));
    page.reminder = reminder_of(ctx, user, letter_id, &page.form).await?;
    let failed = error.is_some() || !page.errors.is_empty();
    page.error = error.as_deref().map(sentence);
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
        reminder_days: Some("7, 2".into()),
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
    let mut page = LetterFormPage::new(&request, &user, None, form.clone());
    if form.action.as_deref() == Some("preview") {
        return form_again(&request, &ctx, &user, None, page, None).await;
    }
    let errors = &mut page.errors;
    let title = errors.check("title", LetterTitle::parse(&form.title));
    let addressee = errors.check("addressee", Addressee::parse(&form.addressee));
    let body = errors.check("body_markdown", LetterBody::parse(&form.body_markdown));
    let deadline = errors.check(deadline_field(&form), form_deadline(&form));
    let slug = errors.check("slug", form_slug(&form));
    let schedule = errors.check("reminder_days", form_schedule(&form));
    let language = errors.check("language", form_language(&form));
    let (Some(title), Some(addressee), Some(body), Some(deadline), Some(slug), Some(schedule)) =
        (title, addressee, body, deadline, slug, schedule)
    else {
        return form_again(&request, &ctx, &user, None, page, None).await;
    };
    let Some(language) = language else {
        return form_again(&request, &ctx, &user, None, page, None).await;
    };
    let input = NewLetterInput {
        title,
        addressee,
        body,
        deadline,
        slug,
        show_signatories: form.show_signatories.is_some(),
        show_signers: form.show_signers.is_some(),
        allow_late_signatures: form.allow_late_signatures.is_some(),
        language: language.unwrap_or_else(LanguageTag::english),
    };
    let (context, actor) = (ctx.clone(), user.actor(&request));
    match ctx
        .db
        .run(move |conn| {
            if let Some(slug) = &input.slug
                && let Some(refusal) = letters::slug_refusal(conn, None, slug)?
            {
                return Ok(Err(refusal));
            }
            let view = letters::create_letter(conn, &context.clock, &actor, input)?;
            save_schedule(conn, &context, &view.letter.id, schedule.as_ref())?;
            Ok::<_, AppError>(Ok(view))
        })
        .await
    {
        Ok(Err(refusal)) => {
            page.errors.add("slug", InvalidInput::new(refusal));
            form_again(&request, &ctx, &user, None, page, None).await
        }
        Ok(Ok(view)) => Ok(redirect_with_notice(
            &ctx,
            &format!("/app/letters/{}", view.letter.id),
            "The draft is saved as version 1.",
        )),
        Err(AppError::Conflict(message)) => {
            form_again(&request, &ctx, &user, None, page, Some(message)).await
        }
        Err(other) => Err(other.into()),
    }
}

/// The language typed, `None` when the form has no such field (or left it empty).
fn form_language(form: &LetterForm) -> Result<Option<LanguageTag>, InvalidInput> {
    form.language
        .as_deref()
        .filter(|raw| !raw.trim().is_empty())
        .map(LanguageTag::parse)
        .transpose()
}

impl LetterForm {
    /// The language field's value: as typed, or English for a new letter.
    fn language_or_english(&self) -> &str {
        self.language.as_deref().unwrap_or("en")
    }
}

fn form_from_view(view: &LetterView, schedule: &ReminderSchedule) -> LetterForm {
    let deadline = view.deadline();
    LetterForm {
        title: view.current.title.clone(),
        addressee: view.current.addressee.clone(),
        body_markdown: view.current.body_markdown.clone(),
        deadline: deadline.map(|d| d.local_input()).unwrap_or_default(),
        deadline_tz: deadline.map_or("UTC".into(), |d| d.zone.name().to_string()),
        slug: view.letter.slug.clone(),
        language: Some(view.letter.language.clone()),
        show_signatories: view.letter.show_signatories.then(|| "on".into()),
        show_signers: view.letter.show_signers.then(|| "on".into()),
        allow_late_signatures: view.letter.allow_late_signatures.then(|| "on".into()),
        open_sign_on: view.letter.open_sign_on.then(|| "on".into()),
        accept_individuals: view.letter.accept_individuals.then(|| "on".into()),
        individuals_heading: Some(
            crate::app::release::individuals_heading(&view.letter).to_string(),
        ),
        reminder_days: Some(schedule.to_input()),
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
    let (view, schedule) = ctx
        .db
        .run(move |conn| -> Result<_, AppError> {
            let view = letters::get_letter(conn, &letter_id)?;
            let schedule = reminders::schedule(conn, &letter_id)?;
            Ok((view, schedule))
        })
        .await?;
    let mut page =
        LetterFormPage::new(&request, &user, Some(&id), form_from_view(&view, &schedule));
    page.slug_locked = matches!(
        view.status(),
        LetterStatus::Released | LetterStatus::Scheduled
    );
    page.reminder = reminder_of(&ctx, &user, Some(&id), &page.form).await?;
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
    let mut page = LetterFormPage::new(&request, &user, Some(&id), form.clone());
    if form.action.as_deref() == Some("preview") {
        return form_again(&request, &ctx, &user, Some(&id), page, None).await;
    }
    let errors = &mut page.errors;
    let title = errors.check("title", LetterTitle::parse(&form.title));
    let addressee = errors.check("addressee", Addressee::parse(&form.addressee));
    let body = errors.check("body_markdown", LetterBody::parse(&form.body_markdown));
    let change = errors.check(
        "change",
        ChangeKind::from_input(form.change.as_deref().unwrap_or("")),
    );
    let note = errors.check("note", optional_text(Some(&form.note), "the note", 500));
    let deadline = errors.check(deadline_field(&form), form_deadline(&form));
    let schedule = errors.check("reminder_days", form_schedule(&form));
    let slug = errors.check("slug", form_slug(&form));
    let language = errors.check("language", form_language(&form));
    let heading = errors.check(
        "individuals_heading",
        form.individuals_heading
            .as_deref()
            .map(|raw| crate::domain::optional_text(Some(raw), "the heading", 200))
            .transpose(),
    );
    let (Some(title), Some(addressee), Some(body), Some(change), Some(note), Some(deadline)) =
        (title, addressee, body, change, note, deadline)
    else {
        return form_again(&request, &ctx, &user, Some(&id), page, None).await;
    };
    let (Some(schedule), Some(slug), Some(heading), Some(language)) =
        (schedule, slug, heading, language)
    else {
        return form_again(&request, &ctx, &user, Some(&id), page, None).await;
    };
    let edit = LetterEdit {
        title: Some(title),
        addressee: Some(addressee),
        body: Some(body),
        change,
        note,
        deadline: Some(deadline),
        show_signatories: Some(form.show_signatories.is_some()),
        show_signers: Some(form.show_signers.is_some()),
        allow_late_signatures: Some(form.allow_late_signatures.is_some()),
        slug,
        language,
        sign_on: letters::SignOnEdit {
            open_sign_on: Some(form.open_sign_on.is_some()),
            accept_individuals: Some(form.accept_individuals.is_some()),
            individuals_heading: heading
                .map(|heading| heading.filter(|h| h != crate::app::release::DEFAULT_HEADING)),
        },
    };
    let (context, actor, letter_id) = (ctx.clone(), user.actor(&request), id.clone());
    match ctx
        .db
        .run(move |conn| {
            if let Some(slug) = &edit.slug {
                let current = letters::get_letter(conn, &letter_id)?;
                if let Some(refusal) = letters::slug_refusal(conn, Some(&current), slug)? {
                    return Ok(Err(refusal));
                }
            }
            let view = letters::edit_letter(
                conn,
                &context.clock,
                &context.links(),
                &actor,
                &letter_id,
                edit,
            )?;
            save_schedule(conn, &context, &letter_id, schedule.as_ref())?;
            Ok::<_, AppError>(Ok(view))
        })
        .await
    {
        Ok(Err(refusal)) => {
            page.errors.add("slug", InvalidInput::new(refusal));
            form_again(&request, &ctx, &user, Some(&id), page, None).await
        }
        Ok(Ok(view)) => {
            ctx.mail_queued();
            Ok(redirect_with_notice(
                &ctx,
                &format!("/app/letters/{id}"),
                &format!("Saved. The letter is at version {}.", view.current.version),
            ))
        }
        Err(AppError::Conflict(message)) => {
            form_again(&request, &ctx, &user, Some(&id), page, Some(message)).await
        }
        Err(other) => Err(other.into()),
    }
}
