//! The partner's sign page. `GET /sign/{token}` checks the emailed link, exchanges it for a
//! short-lived cookie bound to that invitation and link, and redirects to `/sign`, so the token
//! never reaches a Referer header, the browser history or a log. The page shows the exact text
//! and takes the decision in a plain form.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::session::{
    cookie, csrf_token, html_page, redirect, redirect_with_notice, removal, take_notice,
    verify_csrf,
};
use super::{PageError, WebError};
use crate::app::letters::DiffSegment;
use crate::app::rate_limits::RateLimits;
use crate::app::signing::{self, Origin, SIGN_SESSION, SignPage};
use crate::app::{AppError, Context};
use crate::crypto::{constant_time_eq, random_token};
use crate::db::responses::Response;
use crate::domain::markdown::to_safe_html;
use crate::domain::{Decision, EmailAddress, InvalidInput, PersonName, Signer, optional_text};

const SIGN_COOKIE: &str = "us_sign";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(sign_page)
        .service(decide)
        .service(forward)
        .service(follow_link);
}

/// The one answer for every link that does not work, whatever the reason.
fn link_does_not_work() -> PageError {
    PageError(WebError::new(
        StatusCode::NOT_FOUND,
        "This sign link does not work. It may have been replaced by a newer one (check your most \
         recent email from the coordinators), or the invitation was withdrawn. Reply to the \
         invitation email and the coordinators will help.",
    ))
}

fn origin(request: &HttpRequest) -> Origin {
    let (ip, user_agent) = super::client::client_info(request);
    Origin { ip, user_agent }
}

#[get("/sign/{token}")]
async fn follow_link(
    request: HttpRequest,
    ctx: web::Data<Context>,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let origin = origin(&request);
    let ip = origin.ip.clone().unwrap_or_default();
    let limit = RateLimits::from_settings(&ctx.settings.security).sign_link_per_address;
    let (clock, address) = (ctx.clock.clone(), ip.clone());
    if ctx
        .db
        .run(move |conn| limit.is_reached(conn, &clock, &address))
        .await?
    {
        return Err(PageError(WebError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many links that do not work came from your address. Please wait a minute.",
        )));
    }
    let (context, token) = (ctx.clone(), token.into_inner());
    let opened = ctx
        .db
        .run(move |conn| signing::open_link(conn, &context.clock, &token, &origin))
        .await?;
    let Some(opened) = opened else {
        let clock = ctx.clock.clone();
        ctx.db
            .run(move |conn| limit.record_failure(conn, &clock, &ip))
            .await?;
        return Err(link_does_not_work());
    };
    let expires = (ctx.clock.now_utc() + SIGN_SESSION).timestamp();
    let proof = ctx
        .secrets
        .sign_session_proof(&opened.invitation_id, &opened.token_hash, expires);
    let mut sign_cookie = cookie(
        &ctx,
        SIGN_COOKIE,
        format!("{}.{expires}.{proof}", opened.invitation_id),
    );
    sign_cookie.set_path("/sign");
    sign_cookie.set_max_age(CookieDuration::seconds(SIGN_SESSION.num_seconds()));
    let mut response = redirect("/sign");
    response
        .add_cookie(&sign_cookie)
        .map_err(WebError::internal)?;
    Ok(response)
}

/// The invitation of this browser's sign cookie, if the cookie is genuine, unexpired, and bound
/// to the invitation's current link.
async fn cookie_invitation(
    request: &HttpRequest,
    ctx: &Context,
) -> Result<crate::db::invitations::Invitation, PageError> {
    let value = request
        .cookie(SIGN_COOKIE)
        .map(|c| c.value().to_string())
        .ok_or_else(link_does_not_work)?;
    let mut parts = value.splitn(3, '.');
    let (Some(id), Some(expires), Some(proof)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(link_does_not_work());
    };
    let expires: i64 = expires.parse().map_err(|_| link_does_not_work())?;
    if expires < ctx.clock.now_utc().timestamp() {
        return Err(link_does_not_work());
    }
    let id = id.to_string();
    let invitation = ctx
        .db
        .run(move |conn| crate::app::invitations::get(conn, &id))
        .await
        .map_err(|_| link_does_not_work())?;
    let expected = ctx
        .secrets
        .sign_session_proof(&invitation.id, &invitation.token_hash, expires);
    if !constant_time_eq(&expected, proof) || !invitation.status.link_works() {
        return Err(link_does_not_work());
    }
    Ok(invitation)
}

#[derive(Template)]
#[template(path = "sign.html")]
struct SignTemplate {
    page: SignPage,
    csrf: String,
    submission_key: String,
    body_html: String,
    deadline: Option<String>,
    notice: Option<String>,
    error: Option<String>,
    signer_name: String,
    signer_title: String,
}

impl SignTemplate {
    fn latest(&self) -> Option<&Response> {
        self.page.history.first()
    }

    fn when(&self, response: &Response) -> String {
        response
            .created_at
            .format("%-d %B %Y, %H:%M UTC")
            .to_string()
    }

    /// A minor correction carried the approval over to the current text.
    fn carried_over(&self) -> bool {
        self.page.invitation.approved_version == Some(self.page.view.current.version)
    }

    /// Whether the form offers this answer now.
    fn offers(&self, decision: &str) -> bool {
        self.page.choices.iter().any(|c| c.as_str() == decision)
    }
}

async fn render_page(
    request: &HttpRequest,
    ctx: &Context,
    error: Option<String>,
) -> Result<HttpResponse, PageError> {
    let invitation = cookie_invitation(request, ctx).await?;
    let context = ctx.clone();
    let page = ctx
        .db
        .run(move |conn| signing::sign_page(conn, &context.clock, invitation))
        .await?;
    let now = ctx.clock.now_utc();
    let deadline = page.view.deadline().map(|d| {
        let left = d.at - now;
        let relative = match left.num_hours() {
            h if h < 0 => "passed".to_string(),
            h if h < 48 => format!("in {h} hours"),
            _ => format!("in {} days", left.num_days()),
        };
        format!(
            "{} — {}, {relative}",
            d.display(),
            d.at.format("%-d %B %Y, %H:%M UTC")
        )
    });
    let latest = page.history.first();
    let template = SignTemplate {
        csrf: csrf_token(request),
        submission_key: random_token(),
        body_html: to_safe_html(&page.view.current.body_markdown),
        deadline,
        notice: take_notice(request),
        error,
        signer_name: latest.map(|r| r.signer_name.clone()).unwrap_or_default(),
        signer_title: latest.map(|r| r.signer_title.clone()).unwrap_or_default(),
        page,
    };
    let html = template.render().map_err(WebError::internal)?;
    let mut response = html_page(request, html);
    response.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("x-robots-tag"),
        actix_web::http::header::HeaderValue::from_static("noindex"),
    );
    Ok(response)
}

#[get("/sign")]
async fn sign_page(
    request: HttpRequest,
    ctx: web::Data<Context>,
) -> Result<HttpResponse, PageError> {
    render_page(&request, &ctx, None).await
}

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    submission_key: String,
    /// The SHA-256 of the text the page showed.
    #[serde(default)]
    content_sha256: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    signer_name: String,
    #[serde(default)]
    signer_title: String,
    #[serde(default)]
    organization_display_name: String,
    #[serde(default)]
    comment: String,
}

#[post("/sign")]
async fn decide(
    request: HttpRequest,
    ctx: web::Data<Context>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let invitation = cookie_invitation(&request, &ctx).await?;
    let form = form.into_inner();
    let parsed = Decision::parse(&form.decision).and_then(|decision| {
        Ok((
            decision,
            Signer::parse(
                &form.signer_name,
                &form.signer_title,
                &form.organization_display_name,
                &form.comment,
            )?,
        ))
    });
    let (decision, signer) = match parsed {
        Ok(parsed) => parsed,
        Err(problem) => return answer_with_problem(&request, &ctx, problem.0).await,
    };
    if form.submission_key.len() != 43 || form.content_sha256.len() != 64 {
        return Err(PageError(WebError::bad_request(
            "The form is incomplete; reload the page.",
        )));
    }
    let (context, origin) = (ctx.clone(), origin(&request));
    let result = ctx
        .db
        .run(move |conn| {
            signing::decide(
                conn,
                &context.clock,
                &context.links(),
                signing::LinkHolder {
                    invitation_id: &invitation.id,
                    token_hash: &invitation.token_hash,
                },
                signing::Answer {
                    decision,
                    signer: &signer,
                    submission_key: &form.submission_key,
                    read_sha256: &form.content_sha256,
                },
                &origin,
            )
        })
        .await;
    match result {
        Ok(_) => {
            ctx.mail_queued();
            let notice = match decision {
                Decision::Sign => {
                    "Thank you: your organization's signature is recorded. A confirmation is on its way by email."
                }
                Decision::Decline => {
                    "Thank you: your organization's decision not to sign is recorded."
                }
                Decision::Withdraw => "Your organization's signature is withdrawn.",
            };
            Ok(redirect_with_notice(&ctx, "/sign", notice))
        }
        Err(AppError::Invalid(problem)) => answer_with_problem(&request, &ctx, problem.0).await,
        // The state changed under the partner (a new text, a release, a closed letter): the
        // page as it now stands, with the reason beside the form and nothing recorded.
        Err(AppError::Conflict(reason)) => {
            let mut response = render_page(&request, &ctx, Some(reason)).await?;
            *response.status_mut() = StatusCode::CONFLICT;
            Ok(response)
        }
        Err(AppError::NotFound(_)) => Err(link_does_not_work()),
        Err(other) => Err(other.into()),
    }
}

/// The page again, with what was wrong and nothing recorded.
async fn answer_with_problem(
    request: &HttpRequest,
    ctx: &Context,
    problem: String,
) -> Result<HttpResponse, PageError> {
    let mut response = render_page(request, ctx, Some(problem)).await?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

#[derive(Deserialize)]
struct ForwardForm {
    csrf_token: String,
    colleague_email: String,
    #[serde(default)]
    colleague_name: String,
}

#[post("/sign/forward")]
async fn forward(
    request: HttpRequest,
    ctx: web::Data<Context>,
    form: web::Form<ForwardForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let invitation = cookie_invitation(&request, &ctx).await?;
    let parsed = (|| -> Result<(EmailAddress, Option<PersonName>), InvalidInput> {
        let name = optional_text(Some(&form.colleague_name), "your colleague's name", 200)?;
        Ok((
            EmailAddress::parse(&form.colleague_email)?,
            name.map(|n| PersonName::parse(&n)).transpose()?,
        ))
    })();
    let (email, name) = match parsed {
        Ok(parsed) => parsed,
        Err(problem) => return answer_with_problem(&request, &ctx, problem.0).await,
    };
    let (context, origin, shown) = (ctx.clone(), origin(&request), email.to_string());
    let result = ctx
        .db
        .run(move |conn| {
            signing::forward(
                conn,
                &context.clock,
                &context.links(),
                signing::LinkHolder {
                    invitation_id: &invitation.id,
                    token_hash: &invitation.token_hash,
                },
                &email,
                name.as_ref(),
                &origin,
            )
        })
        .await;
    match result {
        Ok(_) => {
            ctx.mail_queued();
            let page = ForwardedTemplate { colleague: shown };
            let mut response = html_page(&request, page.render().map_err(WebError::internal)?);
            let mut gone = removal(&ctx, SIGN_COOKIE);
            gone.set_path("/sign");
            response
                .add_removal_cookie(&gone)
                .map_err(WebError::internal)?;
            Ok(response)
        }
        Err(AppError::Invalid(problem)) => answer_with_problem(&request, &ctx, problem.0).await,
        // The state changed under the partner (a new text, a release, a closed letter): the
        // page as it now stands, with the reason beside the form and nothing recorded.
        Err(AppError::Conflict(reason)) => {
            let mut response = render_page(&request, &ctx, Some(reason)).await?;
            *response.status_mut() = StatusCode::CONFLICT;
            Ok(response)
        }
        Err(AppError::NotFound(_)) => Err(link_does_not_work()),
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "sign_forwarded.html")]
struct ForwardedTemplate {
    colleague: String,
}
