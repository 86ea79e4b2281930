//! The status buttons of a letter: open, close, reopen, archive.

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;

use crate::app::letters::{self, StatusChange};
use crate::app::{AppError, Context};
use crate::domain::{InvalidInput, LetterId};
use crate::web::PageError;
use crate::web::pages::confirm::{Confirmation, confirmation_page, confirmed};
use crate::web::session::{CurrentUser, redirect_with_notice, verify_csrf};

#[derive(Deserialize)]
struct StatusForm {
    csrf_token: String,
    action: String,
    /// Deleting needs the box ticked: a page without script cannot ask "are you sure?".
    confirm: Option<String>,
}

#[post("/letters/{id}/status")]
pub(super) async fn change_status(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, PageError> {
    verify_csrf(&request, &form.csrf_token)?;
    let (id, form) = (id.into_inner(), form.into_inner());
    let action = form.action;
    if action == "delete" && !confirmed(form.confirm.as_deref()) {
        return confirm_delete(&request, &user, &ctx, id).await;
    }
    let (context, actor, letter_id) = (ctx.clone(), user.actor(&request), id.clone());
    let notice = ctx
        .db
        .run(move |conn| -> Result<&'static str, AppError> {
            let (clock, id) = (&context.clock, &letter_id);
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

/// What deleting the letter removes, to be confirmed: its title and every invitation, named.
async fn confirm_delete(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &Context,
    letter_id: LetterId,
) -> Result<HttpResponse, PageError> {
    let lookup = letter_id.clone();
    let (view, invited) = ctx
        .db
        .run(move |conn| -> Result<_, AppError> {
            Ok((
                letters::get_letter(conn, &lookup)?,
                crate::app::invitations::list(conn, &lookup)?,
            ))
        })
        .await?;
    confirmation_page(
        request,
        user,
        Confirmation {
            question: format!("Delete “{}”?", view.current.title),
            consequences: vec![
                "The letter, every version of its text and its invitations are deleted; this \
                 cannot be undone. The audit log keeps a record."
                    .into(),
                format!(
                    "{} invitations are deleted, and their sign links stop working:",
                    invited.len()
                ),
            ],
            names: invited.into_iter().map(|i| i.display_name).collect(),
            action: format!("/app/letters/{letter_id}/status"),
            fields: vec![("action".into(), "delete".into())],
            button: "Delete the letter".into(),
            back: format!("/app/letters/{letter_id}"),
        },
    )
}
