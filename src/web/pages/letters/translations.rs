//! A letter's translations, for its coordinators: each language with its version, the version
//! of the authoritative text it matches, whether it is out of date and whether partners are
//! offered it; and the form that adds one or saves a new version of one, with each refused
//! field's reason beside it.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::app::letters::{self, LetterView, TranslationInput, TranslationView};
use crate::app::{AppError, Context};
use crate::domain::{
    Addressee, InvalidInput, LanguageTag, LetterBody, LetterId, LetterStatus, LetterTitle,
};
use crate::web::PageError;
use crate::web::pages::field_errors::FieldErrors;
use crate::web::pages::{Chrome, render};
use crate::web::session::{CurrentUser, html_page, redirect_with_notice, verify_csrf};

/// The translation form as typed.
#[derive(Deserialize, Default, Clone)]
pub(super) struct TranslationForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    addressee: String,
    #[serde(default)]
    body_markdown: String,
    #[serde(default)]
    matches_version: String,
    /// Ticked: partners are offered it to read and sign.
    offered: Option<String>,
}

#[derive(Template)]
#[template(path = "app/translations.html")]
struct TranslationsPage {
    chrome: Chrome,
    view: LetterView,
    translations: Vec<TranslationView>,
    /// The form: empty to add one, filled to save a new version of one.
    form: TranslationForm,
    /// The language being edited, when the form holds an existing translation.
    editing: Option<String>,
    errors: FieldErrors,
    /// Why the translation as a whole was refused (a scheduled letter…).
    error: Option<String>,
}

impl TranslationsPage {
    /// A released or scheduled letter's translations no longer change.
    fn locked(&self) -> bool {
        matches!(
            self.view.status(),
            LetterStatus::Released | LetterStatus::Scheduled
        )
    }

    fn own_language(&self) -> String {
        LanguageTag::from_stored(&self.view.letter.language).described()
    }

    fn versions(&self) -> Vec<i32> {
        (1..=self.view.current.version).rev().collect()
    }

    fn matches(&self, version: &i32) -> bool {
        self.form.matches_version == version.to_string()
    }
}

#[derive(Deserialize)]
pub(super) struct EditQuery {
    /// The translation to edit (BCP 47).
    language: Option<String>,
}

async fn page(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &Context,
    letter_id: LetterId,
    form: Option<TranslationForm>,
    editing: Option<String>,
) -> Result<TranslationsPage, PageError> {
    let (view, translations) = ctx
        .db
        .run(move |conn| {
            let view = letters::get_letter(conn, &letter_id)?;
            let translations = letters::translations(conn, &view)?;
            Ok::<_, AppError>((view, translations))
        })
        .await?;
    let form = form.unwrap_or_else(|| {
        let existing = editing
            .as_deref()
            .and_then(|l| translations.iter().find(|t| t.translation.language == l));
        match existing {
            Some(t) => TranslationForm {
                language: t.translation.language.clone(),
                title: t.translation.title.clone(),
                addressee: t.translation.addressee.clone(),
                body_markdown: t.translation.body_markdown.clone(),
                // Saving it again says it matches the text as it stands now.
                matches_version: view.current.version.to_string(),
                offered: t.translation.offered.then(|| "on".into()),
                ..Default::default()
            },
            None => TranslationForm {
                matches_version: view.current.version.to_string(),
                offered: Some("on".into()),
                ..Default::default()
            },
        }
    });
    let editing = editing.filter(|l| translations.iter().any(|t| &t.translation.language == l));
    Ok(TranslationsPage {
        chrome: Chrome::new(request, user),
        view,
        translations,
        form,
        editing,
        errors: FieldErrors::default(),
        error: None,
    })
}

#[get("/letters/{id}/translations")]
pub(super) async fn translations_page(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    query: web::Query<EditQuery>,
) -> Result<HttpResponse, PageError> {
    let editing = query
        .into_inner()
        .language
        .and_then(|l| LanguageTag::parse(&l).ok())
        .map(|l| l.to_string());
    let page = page(&request, &user, &ctx, id.into_inner(), None, editing).await?;
    Ok(html_page(&request, render(page)?))
}

/// Adds the translation, or saves a new version of the one in that language; the form again
/// with each refused field's reason beside it (422), or the reason above it (409).
#[post("/letters/{id}/translations")]
pub(super) async fn save_translation(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    form: web::Form<TranslationForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let (id, form) = (id.into_inner(), form.into_inner());
    let mut shown = page(&request, &user, &ctx, id.clone(), Some(form.clone()), None).await?;
    let errors = &mut shown.errors;
    let language = errors.check("language", LanguageTag::parse(&form.language));
    if let Some(language) = &language
        && language.as_str() == shown.view.letter.language
    {
        errors.add(
            "language",
            InvalidInput::new(format!(
                "{} is the language of the letter's own text: a translation is into another \
                 language",
                language.described()
            )),
        );
    }
    let title = errors.check("title", LetterTitle::parse(&form.title));
    let addressee = errors.check("addressee", Addressee::parse(&form.addressee));
    let body = errors.check("body_markdown", LetterBody::parse(&form.body_markdown));
    let current = shown.view.current.version;
    let matches_version = errors.check(
        "matches_version",
        form.matches_version
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|v| (1..=current).contains(v))
            .ok_or_else(|| {
                InvalidInput::new(format!("choose a version of the text, from 1 to {current}"))
            }),
    );
    let (Some(language), Some(title), Some(addressee), Some(body), Some(matches_version)) =
        (language, title, addressee, body, matches_version)
    else {
        return refused(&request, shown);
    };
    if !shown.errors.is_empty() {
        return refused(&request, shown);
    }
    let exists = shown
        .translations
        .iter()
        .any(|t| t.translation.language == language.as_str());
    let input = TranslationInput {
        language,
        title,
        addressee,
        body,
        matches_version,
        offered: form.offered.is_some(),
    };
    let (context, actor, letter_id) = (ctx.clone(), user.actor(&request), id.clone());
    let saved = ctx
        .db
        .run(move |conn| {
            let (clock, id) = (&context.clock, &letter_id);
            if exists {
                letters::update_translation(conn, clock, &actor, id, input)
            } else {
                letters::add_translation(conn, clock, &actor, id, input)
            }
        })
        .await;
    match saved {
        Ok(saved) => Ok(redirect_with_notice(
            &ctx,
            &format!("/app/letters/{id}/translations"),
            &format!(
                "The {} translation is saved as its version {}.",
                saved.language().described(),
                saved.translation.version
            ),
        )),
        Err(AppError::Conflict(reason)) => {
            shown.error = Some(crate::web::pages::field_errors::sentence(&reason));
            let mut response = html_page(&request, render(shown)?);
            *response.status_mut() = actix_web::http::StatusCode::CONFLICT;
            Ok(response)
        }
        Err(AppError::Invalid(problem)) => {
            shown.errors.add("language", problem);
            refused(&request, shown)
        }
        Err(other) => Err(other.into()),
    }
}

/// The form again with what was refused (422).
fn refused(request: &HttpRequest, page: TranslationsPage) -> Result<HttpResponse, PageError> {
    let mut response = html_page(request, render(page)?);
    *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}
