//! The reminder email as the letter form previews it: the real reminder template, rendered
//! with the letter's title, addressee and deadline as typed, its coordinator, and a placeholder
//! organization, so a coordinator reads what silent partners will receive.

use super::AppError;
use crate::config::BaseUrl;
use crate::db::{self, DbConnection};
use crate::domain::{Deadline, LetterId};
use crate::mail::{EmailView, RenderedEmail, Template, render};

/// The organization a preview is addressed to.
pub const PLACEHOLDER_ORGANIZATION: &str = "Example Organization";

/// The letter as the form holds it.
pub struct DraftLetter<'a> {
    pub title: &'a str,
    pub addressee: &'a str,
    pub deadline: Option<Deadline>,
}

/// Renders the reminder of `draft` to the placeholder organization. The coordinator named is the
/// letter's author (or `author` for a letter not saved yet); the link stands for each
/// organization's own sign link, which is made only when an email is sent. A template that does
/// not render leaves the preview out (and is logged).
pub fn preview(
    conn: &mut DbConnection,
    base_url: &BaseUrl,
    letter_id: Option<&LetterId>,
    author: &str,
    draft: &DraftLetter,
) -> Result<Option<RenderedEmail>, AppError> {
    let mut coordinator = author.to_string();
    if let Some(id) = letter_id {
        let letter = db::letters::find(conn, id)?.ok_or(AppError::NotFound("letter"))?;
        if let Some(user_id) = letter.created_by.as_deref()
            && let Some(user) = db::users::find(conn, user_id)?
        {
            coordinator = user.name;
        }
    }
    let link = base_url.join("/sign/…");
    let view = EmailView {
        letter_title: draft.title,
        addressee: draft.addressee,
        organization: PLACEHOLDER_ORGANIZATION,
        contact_name: None,
        coordinator: Some(&coordinator),
        deadline: draft.deadline.as_ref().map(Deadline::display_with_city),
        link: &link,
        signed: false,
        minor_change: false,
        forwarded_by: None,
        message: None,
        asking: None,
        logo: None,
        headline: None,
        version: 1,
        released: false,
        withdrew: false,
        reasons: &[],
        recorded: None,
        l: crate::i18n::Localizer::english(),
    };
    match render(Template::Reminder, &view) {
        Ok(rendered) => Ok(Some(rendered)),
        Err(error) => {
            tracing::warn!(%error, "the reminder preview did not render");
            Ok(None)
        }
    }
}
