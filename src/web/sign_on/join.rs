//! The join page: the letter as it stands and the request form, with a trap field people do
//! not see and the moment the form was shown (proven by the server's MAC), so that a program
//! filling it in at once is asked again. An error keeps the form filled, the reason beside its
//! field; a request taken shows the same page whoever asked before.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::app::coordinating::{self, CoordinatingOrganization};
use crate::app::sign_on::{self, JoinRefusal};
use crate::app::{AppError, Context, letters};
use crate::crypto::constant_time_eq;
use crate::domain::markdown::to_safe_html;
use crate::domain::sign_on::{JoinForm, RequestKind};
use crate::web::client::client_address;
use crate::web::pages::field_errors::FieldErrors;
use crate::web::session::{csrf_token, verify_csrf};
use crate::web::{PageError, WebError};

#[derive(Template)]
#[template(path = "join.html")]
struct JoinTemplate {
    view: letters::LetterView,
    body_html: String,
    asking: CoordinatingOrganization,
    kind: RequestKind,
    /// Whether the letter takes individuals (the page then links the other form).
    individuals: bool,
    /// Why the letter takes no request now, if it does not.
    closed: Option<String>,
    form: JoinForm,
    errors: FieldErrors,
    /// A sentence above the form (the form came back too fast).
    problem: Option<String>,
    csrf: String,
    shown_at: i64,
    proof: String,
}

impl JoinTemplate {
    fn is_individual(&self) -> bool {
        self.kind == RequestKind::Individual
    }
}

#[derive(Template)]
#[template(path = "join_sent.html")]
struct SentTemplate {
    title: String,
    email: String,
    asking: CoordinatingOrganization,
}

#[derive(Deserialize)]
struct Which {
    #[serde(rename = "as")]
    kind: Option<String>,
}

fn kind_of(raw: Option<&str>) -> RequestKind {
    match raw {
        Some("individual") => RequestKind::Individual,
        _ => RequestKind::Organization,
    }
}

#[get("/letters/{slug}/join")]
pub(super) async fn join_page(
    request: HttpRequest,
    ctx: web::Data<Context>,
    slug: web::Path<String>,
    which: web::Query<Which>,
) -> Result<HttpResponse, PageError> {
    let kind = kind_of(which.kind.as_deref());
    render(
        &request,
        &ctx,
        slug.into_inner(),
        kind,
        JoinForm::default(),
        FieldErrors::default(),
        None,
        StatusCode::OK,
    )
    .await
}

/// The page with the form as typed. 404 when the letter has no open sign-on (or does not
/// exist, or the individuals' form of a letter that takes none).
#[allow(clippy::too_many_arguments)]
async fn render(
    request: &HttpRequest,
    ctx: &Context,
    slug: String,
    kind: RequestKind,
    form: JoinForm,
    errors: FieldErrors,
    problem: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let context = ctx.clone();
    let (view, asking) = ctx
        .db
        .run(move |conn| {
            let view = sign_on::join_page(conn, &slug)?;
            let asking = coordinating::current(conn, &context.settings.organization)?;
            Ok::<_, AppError>((view, asking))
        })
        .await?;
    if kind == RequestKind::Individual && !view.letter.accept_individuals {
        return Err(PageError(WebError::not_found()));
    }
    let now = ctx.clock.now();
    let shown_at = now.and_utc().timestamp();
    let template = JoinTemplate {
        body_html: to_safe_html(&view.current.body_markdown),
        closed: sign_on::window(&view.letter, kind, now).err(),
        individuals: view.letter.accept_individuals,
        view,
        asking,
        kind,
        form,
        errors,
        problem,
        csrf: csrf_token(request),
        shown_at,
        proof: ctx.secrets.join_form_proof(shown_at),
    };
    let html = template.render().map_err(WebError::internal)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(html))
}

#[derive(Deserialize)]
pub(super) struct SentForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    shown_at: String,
    #[serde(default)]
    proof: String,
    /// The trap: hidden from people, filled by naive programs.
    #[serde(default)]
    homepage: String,
    #[serde(flatten)]
    fields: JoinForm,
}

#[post("/letters/{slug}/join")]
pub(super) async fn send_request(
    request: HttpRequest,
    ctx: web::Data<Context>,
    slug: web::Path<String>,
    form: web::Form<SentForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let form = form.into_inner();
    let slug = slug.into_inner();
    let kind = kind_of(Some(&form.kind));
    // The moment the form was shown counts only with the server's proof of it.
    let shown_at = form
        .shown_at
        .parse::<i64>()
        .ok()
        .filter(|at| constant_time_eq(&ctx.secrets.join_form_proof(*at), &form.proof));
    let ip = client_address(&request).map(|a| a.to_string());
    let (context, fields, trap, at) = (
        ctx.clone(),
        form.fields.clone(),
        form.homepage,
        slug.clone(),
    );
    let outcome = ctx
        .db
        .run(move |conn| {
            Ok::<_, AppError>(sign_on::submit(
                conn,
                &context.clock,
                &context.links(),
                &context.settings.security,
                &at,
                kind,
                &fields,
                shown_at,
                &trap,
                ip.as_deref(),
            ))
        })
        .await?;
    match outcome {
        Ok(title) => {
            ctx.mail_queued();
            let context = ctx.clone();
            let asking = ctx
                .db
                .run(move |conn| coordinating::current(conn, &context.settings.organization))
                .await?;
            let html = SentTemplate {
                title,
                email: form.fields.email.trim().to_string(),
                asking,
            }
            .render()
            .map_err(WebError::internal)?;
            Ok(HttpResponse::Ok()
                .content_type("text/html; charset=utf-8")
                .insert_header(("Cache-Control", "no-store"))
                .body(html))
        }
        Err(JoinRefusal::Fields(errors)) => {
            render(
                &request,
                &ctx,
                slug,
                kind,
                form.fields,
                errors.into(),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(JoinRefusal::TooFast) => {
            render(
                &request,
                &ctx,
                slug,
                kind,
                form.fields,
                FieldErrors::default(),
                Some(
                    "Please check what you typed and send the form again: it came back faster \
                     than a person fills it in."
                        .into(),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(JoinRefusal::Closed(why)) => Err(PageError(WebError::new(StatusCode::CONFLICT, why))),
        Err(JoinRefusal::Limited) => Err(PageError(WebError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests to sign from this connection or for this email address. Please \
             wait an hour and try again.",
        ))),
        Err(JoinRefusal::App(error)) => Err(error.into()),
    }
}
