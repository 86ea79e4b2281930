//! The exchange of an emailed sign link for a cookie (`GET /sign/{token}`), rate-limited per
//! address, and the check of that cookie on every later request.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};

use askama::Template;

use super::forwarded::ForwardedTemplate;
use super::languages::browser_languages;
use super::{SIGN_COOKIE, link_does_not_work, origin};
use crate::app::rate_limits::RateLimits;
use crate::app::signing::{self, OpenedLink, SIGN_SESSION};
use crate::app::{AppError, Context};
use crate::crypto::constant_time_eq;
use crate::db::DbConnection;
use crate::db::invitations::{self as db_invitations, Invitation};
use crate::domain::InvitationId;
use crate::i18n::Localizer;
use crate::secrets::ServerSecrets;
use crate::web::session::{cookie, html_page, redirect};
use crate::web::{PageError, WebError};

/// Opens the link: a working token sets the sign cookie and redirects to `/sign`; a link
/// handed to a colleague answers 410 Gone with a page saying when and to whom (masked); any
/// other answers the same 404 and counts against the address (429 past the limit).
#[get("/sign/{token}")]
pub(super) async fn follow_link(
    request: HttpRequest,
    ctx: web::Data<Context>,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let origin = origin(&request);
    let ip = origin.ip.clone().unwrap_or_default();
    let limit = RateLimits::from_settings(&ctx.settings.security).sign_link_per_address;
    let (context, token) = (ctx.clone(), token.into_inner());
    let (link, address) = (token.clone(), ip.clone());
    // The limit and the link in one trip to the database: this is every partner's first step.
    let followed = ctx
        .db
        .run(move |conn| -> Result<_, AppError> {
            if limit.is_reached(conn, &context.clock, &address)? {
                return Ok(Followed::TooManyFailures);
            }
            let opened = signing::open_link(conn, &context.clock, &link, &origin)?;
            Ok(opened.map_or(Followed::DoesNotWork, Followed::Opened))
        })
        .await?;
    let opened = match followed {
        Followed::Opened(opened) => opened,
        Followed::TooManyFailures => {
            return Err(PageError(WebError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many links that do not work came from your address. Please wait a minute.",
            )));
        }
        Followed::DoesNotWork => {
            if let Some(page) = handed_on_page(&request, &ctx, &token).await? {
                return Ok(page);
            }
            let clock = ctx.clock.clone();
            ctx.db
                .run(move |conn| limit.record_failure(conn, &clock, &ip))
                .await?;
            return Err(link_does_not_work(&request));
        }
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

/// What following a link came to.
enum Followed {
    Opened(OpenedLink),
    DoesNotWork,
    /// Too many links that did not work came from this address lately.
    TooManyFailures,
}

/// The page of a link retired by a hand-over (410 Gone), if this token was one.
async fn handed_on_page(
    request: &HttpRequest,
    ctx: &Context,
    token: &str,
) -> Result<Option<HttpResponse>, PageError> {
    let (context, token) = (ctx.clone(), token.to_string());
    let found = ctx
        .db
        .run(move |conn| {
            let handed = signing::handed_on(conn, &token)?;
            let asking = crate::app::coordinating::current(conn, &context.settings.organization)?;
            Ok::<_, crate::app::AppError>(handed.map(|h| (h, asking.contact_email)))
        })
        .await?;
    let Some((handed, contact)) = found else {
        return Ok(None);
    };
    let l = Localizer::choose(&browser_languages(request));
    let page = ForwardedTemplate {
        colleague: handed.to,
        on: Some(l.date(handed.on)),
        contact,
        l,
    };
    let mut response = html_page(request, page.render().map_err(WebError::internal)?);
    *response.status_mut() = StatusCode::GONE;
    Ok(Some(response))
}

/// The sign cookie of a request (`{invitation id}.{expiry}.{proof}`), read and checked for its
/// expiry; whether it is genuine shows only beside the invitation (`invitation`).
pub(super) struct SignCookie {
    invitation_id: InvitationId,
    /// Unix seconds.
    expires: i64,
    proof: String,
}

impl SignCookie {
    /// Errors: the one 404 of a link that does not work, for a missing, malformed or expired
    /// cookie.
    pub(super) fn of(request: &HttpRequest, ctx: &Context) -> Result<Self, PageError> {
        let value = request
            .cookie(SIGN_COOKIE)
            .ok_or_else(|| link_does_not_work(request))?;
        let mut parts = value.value().splitn(3, '.');
        let (Some(id), Some(expires), Some(proof)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(link_does_not_work(request));
        };
        let expires: i64 = expires.parse().map_err(|_| link_does_not_work(request))?;
        if expires < ctx.clock.now_utc().timestamp() {
            return Err(link_does_not_work(request));
        }
        Ok(Self {
            invitation_id: InvitationId::from(id),
            expires,
            proof: proof.to_string(),
        })
    }

    /// The invitation behind the cookie, if the cookie is genuine and bound to the invitation's
    /// current link, and that link still works. Runs inside the request's one database call.
    pub(super) fn invitation(
        &self,
        conn: &mut DbConnection,
        secrets: &ServerSecrets,
    ) -> Result<Option<Invitation>, AppError> {
        let Some(invitation) = db_invitations::find(conn, &self.invitation_id)? else {
            return Ok(None);
        };
        let expected =
            secrets.sign_session_proof(&invitation.id, &invitation.token_hash, self.expires);
        let genuine = constant_time_eq(&expected, &self.proof) && invitation.status.link_works();
        Ok(genuine.then_some(invitation))
    }
}

/// The invitation of this browser's sign cookie, if the cookie is genuine, unexpired, and bound
/// to the invitation's current link. Errors: the one 404 of a link that does not work.
pub(super) async fn cookie_invitation(
    request: &HttpRequest,
    ctx: &Context,
) -> Result<Invitation, PageError> {
    let cookie = SignCookie::of(request, ctx)?;
    let context = ctx.clone();
    ctx.db
        .run(move |conn| cookie.invitation(conn, &context.secrets))
        .await
        .map_err(|_| link_does_not_work(request))?
        .ok_or_else(|| link_does_not_work(request))
}
