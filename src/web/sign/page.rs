//! The sign page (`GET /sign`): the exact text, the deadline, the partner's earlier answers and
//! the form; shown again when an answer is refused, with everything typed and each refused
//! field's reason beside it.

use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;

use super::languages::{browser_languages, sign_localizer};
use super::link::SignCookie;
use super::link_does_not_work;
use super::state_box::{StateBox, state_box};
use crate::app::coordinating::{self, CoordinatingOrganization};
use crate::app::letters::DiffSegment;
use crate::app::signing::{self, SignPage};
use crate::app::{AppError, Context};
use crate::crypto::random_token;
use crate::db::responses::Response;
use crate::domain::markdown::to_safe_html;
use crate::domain::{InvalidInput, LanguageTag};
use crate::i18n::Localizer;
use crate::web::pages::field_errors::{FieldErrors, sentence};
use crate::web::session::{csrf_token, html_page, take_notice};
use crate::web::{PageError, WebError};

/// What the partner typed into the page's forms, when it comes back refused; `None` leaves a
/// field as the page fills it.
#[derive(Default)]
pub(super) struct Typed {
    pub decision: Option<String>,
    pub signer_name: Option<String>,
    pub signer_title: Option<String>,
    pub organization_display_name: Option<String>,
    pub comment: Option<String>,
    pub colleague_email: Option<String>,
    pub colleague_name: Option<String>,
    /// The refused fields, each shown beside its input.
    pub errors: FieldErrors,
    /// The language of the words of the page the form was sent from (BCP 47), kept when the
    /// page is shown again.
    pub interface: Option<String>,
}

#[derive(Template)]
#[template(path = "sign.html")]
struct SignTemplate {
    /// The words of the page, in the partner's language.
    l: Localizer,
    page: SignPage,
    /// Who is asking: named at the top, with its logo.
    asking: CoordinatingOrganization,
    csrf: String,
    /// A fresh random key per form, so a repeated POST records one answer.
    submission_key: String,
    body_html: String,
    /// Where the letter stands, at the top of the page.
    state: StateBox,
    notice: Option<String>,
    error: Option<String>,
    signer_name: String,
    signer_title: String,
    decision: String,
    organization_display_name: String,
    comment: String,
    colleague_email: String,
    colleague_name: String,
    errors: FieldErrors,
}

impl SignTemplate {
    /// The title shown: the translation's when the partner reads one.
    fn title(&self) -> &str {
        self.page.shown_text().title
    }

    fn addressee(&self) -> &str {
        self.page.shown_text().addressee
    }

    /// The SHA-256 of the text shown, which the form sends back.
    fn text_sha256(&self) -> &str {
        self.page.shown_text().content_sha256
    }

    /// `lang` of the text shown (BCP 47).
    fn text_lang(&self) -> String {
        self.page.shown_text().language.to_string()
    }

    /// `dir` of the text shown: `rtl` for Arabic, Hebrew…
    fn text_dir(&self) -> &'static str {
        self.page.shown_text().language.direction().as_html()
    }

    /// The language switcher's entries, the letter's own language first: the language, its
    /// name in itself, and whether it is the one shown.
    fn languages(&self) -> Vec<(LanguageTag, String, bool)> {
        let own = LanguageTag::from_stored(&self.page.view.letter.language);
        let reading = self
            .page
            .reading
            .as_ref()
            .map(|t| t.translation.language.clone());
        let mut entries = vec![(own.clone(), own.native_name(), reading.is_none())];
        entries.extend(self.page.translations.iter().map(|t| {
            let tag = t.language();
            let shown = reading.as_deref() == Some(tag.as_str());
            (tag.clone(), tag.native_name(), shown)
        }));
        entries
    }

    fn latest(&self) -> Option<&Response> {
        self.page.history.first()
    }

    fn when(&self, response: &Response) -> String {
        self.l.date_time_utc(response.created_at)
    }

    /// The decision as the answers' list names it: "sign", "signer"…
    fn decision_word(&self, response: &Response) -> String {
        self.l
            .t(&format!("sign-decision-{}", response.decision.as_str()))
    }

    /// A minor correction carried the approval over to the current text.
    fn carried_over(&self) -> bool {
        self.page.invitation.approved_version == Some(self.page.view.current.version)
    }

    /// Whether the hand-on form is open: it was sent and refused.
    fn forwarding(&self) -> bool {
        self.errors.error("colleague_email").is_some()
            || self.errors.error("colleague_name").is_some()
            || !self.colleague_email.is_empty()
    }

    /// Whether the form offers this answer now.
    fn offers(&self, decision: &str) -> bool {
        self.page.choices.iter().any(|c| c.as_str() == decision)
    }

    /// Whether the answer form has a choice to offer: signing or declining (withdrawing has a
    /// button of its own, asked again on a page of its own).
    fn offers_answer(&self) -> bool {
        self.offers("sign") || self.offers("decline")
    }
}

/// The language asked for in the query (`?lang=fr`), if it is a language tag.
fn asked_language(request: &HttpRequest) -> Option<LanguageTag> {
    web::Query::<LanguageQuery>::from_query(request.query_string())
        .ok()
        .and_then(|q| q.lang.as_deref().map(LanguageTag::parse))
        .and_then(Result::ok)
}

#[derive(serde::Deserialize)]
struct LanguageQuery {
    lang: Option<String>,
    /// The language of the page's words, after an answer (`/sign?lang=fr&ui=fr`).
    ui: Option<String>,
}

/// The interface language the partner chose: `?ui=` after an answer, or the `interface` field
/// of the form the page is shown again for; only a shipped language counts.
pub(super) fn chosen_interface(request: &HttpRequest, typed: Option<&str>) -> Option<LanguageTag> {
    let asked = web::Query::<LanguageQuery>::from_query(request.query_string())
        .ok()
        .and_then(|q| q.ui.clone());
    asked
        .as_deref()
        .or(typed)
        .and_then(|raw| LanguageTag::parse(raw).ok())
        .filter(|tag| Localizer::for_language(tag).is_some())
}

/// The sign page of this browser's invitation, with `error` above the form when given and
/// the `typed` values and refused fields in the forms; in the language of `?lang=` when that
/// translation is offered.
pub(super) async fn render_page(
    request: &HttpRequest,
    ctx: &Context,
    error: Option<String>,
    typed: Typed,
) -> Result<HttpResponse, PageError> {
    let cookie = SignCookie::of(request, ctx)?;
    let language = asked_language(request);
    let browser = browser_languages(request);
    let (context, asked) = (ctx.clone(), language.clone());
    let (page, asking) = ctx
        .db
        .run(move |conn| {
            let Some(invitation) = cookie.invitation(conn, &context.secrets)? else {
                return Ok(None);
            };
            let page =
                signing::sign_page(conn, &context.clock, invitation, asked.as_ref(), &browser)?;
            let asking = coordinating::current(conn, &context.settings.organization)?;
            Ok::<_, AppError>(Some((page, asking)))
        })
        .await?
        .ok_or_else(|| link_does_not_work(request))?;
    let shown_language = page.shown_text().language;
    let chosen = chosen_interface(request, typed.interface.as_deref());
    let read = language.as_ref().map(|_| &shown_language);
    let l = sign_localizer(
        chosen.as_ref().or(read),
        page.invitation.language.as_deref(),
        &browser_languages(request),
        &page.view.letter.language,
    );
    let state = state_box(&l, &page.state, ctx.clock.now_utc());
    let latest = page.history.first();
    let errors = localized_errors(&l, typed.errors);
    let error = error.as_deref().map(|e| match l.is_english() {
        true => sentence(e),
        false => l.t("error-not-recorded"),
    });
    let template = SignTemplate {
        l,
        asking,
        csrf: csrf_token(request),
        submission_key: random_token(),
        body_html: to_safe_html(page.shown_text().body_markdown),
        state,
        notice: take_notice(request),
        error,
        signer_name: typed
            .signer_name
            .unwrap_or_else(|| latest.map(|r| r.signer_name.clone()).unwrap_or_default()),
        signer_title: typed
            .signer_title
            .unwrap_or_else(|| latest.map(|r| r.signer_title.clone()).unwrap_or_default()),
        decision: typed.decision.unwrap_or_default(),
        organization_display_name: typed
            .organization_display_name
            .unwrap_or_else(|| page.invitation.display_name.clone()),
        comment: typed.comment.unwrap_or_default(),
        colleague_email: typed.colleague_email.unwrap_or_default(),
        colleague_name: typed.colleague_name.unwrap_or_default(),
        errors,
        page,
    };
    let html = template.render().map_err(WebError::internal)?;
    let mut response = html_page(request, html);
    response.headers_mut().insert(
        HeaderName::from_static("x-robots-tag"),
        HeaderValue::from_static("noindex"),
    );
    Ok(response)
}

/// The refused fields with their reasons in the page's language: English keeps each precise
/// reason; the other languages say what the field needs.
pub(super) fn localized_errors(l: &Localizer, errors: FieldErrors) -> FieldErrors {
    if l.is_english() {
        return errors;
    }
    let mut localized = FieldErrors::default();
    for field in errors.fields() {
        localized.add(field, InvalidInput(l.t(&format!("error-{field}"))));
    }
    localized
}

#[get("/sign")]
pub(super) async fn sign_page(
    request: HttpRequest,
    ctx: web::Data<Context>,
) -> Result<HttpResponse, PageError> {
    render_page(&request, &ctx, None, Typed::default()).await
}

/// The page again, with what was wrong (above the form when `problem` is given, else beside
/// the fields `typed` names), everything typed, and nothing recorded (422).
pub(super) async fn answer_with_problem(
    request: &HttpRequest,
    ctx: &Context,
    problem: Option<String>,
    typed: Typed,
) -> Result<HttpResponse, PageError> {
    let mut response = render_page(request, ctx, problem, typed).await?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// The answer to a use-case error of a sign-page form: the problem beside the form (422), the
/// page as it now stands when the state changed under the partner (409), the 404 of a link
/// that no longer works, or the error page.
pub(super) async fn answer_refusal(
    request: &HttpRequest,
    ctx: &Context,
    error: AppError,
    typed: Typed,
) -> Result<HttpResponse, PageError> {
    match error {
        AppError::Invalid(problem) => {
            answer_with_problem(request, ctx, Some(problem.0), typed).await
        }
        // A new text, a release, a closed letter: the page as it now stands, with the reason
        // beside the form and nothing recorded.
        AppError::Conflict(reason) => {
            let mut response = render_page(request, ctx, Some(reason), typed).await?;
            *response.status_mut() = StatusCode::CONFLICT;
            Ok(response)
        }
        AppError::NotFound(_) => Err(link_does_not_work(request)),
        other => Err(other.into()),
    }
}
