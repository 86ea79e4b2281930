//! The second step of inviting: the review page. It shows how many organizations will be
//! invited, the list, and the first email exactly as its recipient will receive it (headers,
//! HTML and text), with a box for the coordinator's personal message. Its form carries the
//! checked batch to `send`, where "Update the preview" shows the email again with the message
//! and only "Send" queues anything.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde_json::Value;

use super::{LineProblem, Refusal, Row, show_invite_page};
use crate::app::invitations::{self, InvitationPreview, Invitee, Plan};
use crate::app::{AppError, Context};
use crate::domain::{InvalidInput, LetterId, MAX_MESSAGE_CHARS, PersonalMessage, Tier};
use crate::web::PageError;
use crate::web::invitee_json::invitee_json;
use crate::web::pages::{Chrome, render};
use crate::web::policy_allowing_email_styles;
use crate::web::session::{CurrentUser, html_page};

/// The most organizations one batch may hold.
pub(super) const MAX_BATCH: usize = 1000;

/// Where a batch came from, for what the pages say about it.
pub enum Source {
    /// `left_out`: organizations of a "review all" without a contact email.
    AddressBook {
        left_out: Vec<String>,
    },
    Pasted {
        list: String,
        tier: Tier,
    },
    /// `read_as`: how the file was decoded ("Read as Windows-1252, …").
    File {
        read_as: String,
    },
}

/// A row of the review list.
pub struct ReviewRow {
    pub organization: String,
    pub email: String,
    pub tier: Tier,
    pub country: Option<String>,
    /// Sending adds the organization to the address book.
    pub new_to_address_book: bool,
}

#[derive(Template)]
#[template(path = "app/invite_review.html")]
pub(super) struct ReviewPage {
    pub(super) chrome: Chrome,
    pub(super) letter_id: LetterId,
    pub(super) letter_title: String,
    pub(super) rows: Vec<ReviewRow>,
    /// The checked batch as JSON, carried by the form to Send.
    pub(super) batch: String,
    pub(super) message: String,
    pub(super) message_error: Option<String>,
    pub(super) max_message: usize,
    pub(super) preview: Option<InvitationPreview>,
    pub(super) left_out: Vec<String>,
    pub(super) read_as: Option<String>,
    /// Rows that stopped passing between review and Send.
    pub(super) send_problems: Vec<LineProblem>,
    /// The language chosen for every invitation of the batch (empty: the letter's own).
    pub(super) language: String,
    /// The letter's own language, named: "English (en)".
    pub(super) letter_language: String,
}

impl ReviewPage {
    /// The languages the emails and sign pages can be written in, each named in itself.
    fn languages(&self) -> Vec<(&'static str, String)> {
        crate::i18n::SHIPPED
            .iter()
            .map(|tag| {
                (
                    *tag,
                    crate::domain::LanguageTag::from_stored(tag).native_name(),
                )
            })
            .collect()
    }
}

/// Checks the chosen rows. Any bad row sends the coordinator back to the invite page with each
/// reason and the input kept (422); a letter that takes no invitations answers 409 there. A
/// clean batch shows the review page; nothing is stored.
pub async fn review_rows(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &web::Data<Context>,
    letter_id: LetterId,
    rows: Vec<Row>,
    source: Source,
) -> Result<HttpResponse, PageError> {
    if rows.len() > MAX_BATCH {
        let problem = LineProblem {
            place: String::new(),
            text: String::new(),
            problem: format!(
                "This list has {} organizations; send at most {MAX_BATCH} at a time.",
                rows.len()
            ),
        };
        let refusal = refusal_for(source, vec![problem]);
        return show_invite_page(request, user, ctx, letter_id, String::new(), refusal).await;
    }
    let (places, invitees): (Vec<(String, String)>, Vec<_>) = rows
        .into_iter()
        .map(|row| ((row.place, row.text), row.parsed))
        .unzip();
    let planned = plan_and_preview(ctx, letter_id.clone(), invitees, None).await;
    let (plan, preview) = match planned {
        Ok(planned) => planned,
        Err(AppError::Conflict(reason)) => {
            return closed(request, user, ctx, letter_id, reason).await;
        }
        Err(other) => return Err(other.into()),
    };
    if !plan.rejected.is_empty() {
        let problems = plan
            .rejected
            .into_iter()
            .map(|(index, problem)| {
                let (place, text) = places.get(index).cloned().unwrap_or_default();
                LineProblem {
                    place,
                    text,
                    problem: capitalized(&problem),
                }
            })
            .collect();
        let refusal = refusal_for(source, problems);
        return show_invite_page(request, user, ctx, letter_id, String::new(), refusal).await;
    }
    let (left_out, read_as) = match source {
        Source::AddressBook { left_out } => (left_out, None),
        Source::File { read_as } => (Vec::new(), Some(read_as)),
        Source::Pasted { .. } => (Vec::new(), None),
    };
    let page = ReviewPage {
        left_out,
        read_as,
        ..ReviewPage::new(request, user, plan, preview)
    };
    review_response(request, page, StatusCode::OK)
}

/// The invite page's refusal for a batch from `source`, the reasons beside its form.
fn refusal_for(source: Source, problems: Vec<LineProblem>) -> Refusal {
    match source {
        Source::AddressBook { .. } => Refusal {
            book_error: Some("Nothing was sent. Change the choice and review again.".into()),
            book_problems: problems,
            ..Refusal::default()
        },
        Source::Pasted { list, tier } => Refusal {
            list,
            list_tier_lead: tier == Tier::Lead,
            paste_problems: problems,
            ..Refusal::default()
        },
        Source::File { .. } => {
            let rows = problems.iter().filter(|p| !p.place.is_empty()).count();
            let headline = match rows {
                0 => "Nothing was sent.".to_string(),
                1 => "One row cannot be invited, so nothing was sent. Correct the file and \
                      upload it again."
                    .to_string(),
                n => format!(
                    "{n} rows cannot be invited, so nothing was sent. Correct the file and \
                     upload it again."
                ),
            };
            Refusal {
                file_error: Some(headline),
                file_problems: problems,
                ..Refusal::default()
            }
        }
    }
}

/// The invite page saying why this letter takes no invitations (409).
pub(super) async fn closed(
    request: &HttpRequest,
    user: &CurrentUser,
    ctx: &web::Data<Context>,
    letter_id: LetterId,
    reason: String,
) -> Result<HttpResponse, PageError> {
    let refusal = Refusal {
        closed: Some(sentence(&reason)),
        ..Refusal::default()
    };
    show_invite_page(request, user, ctx, letter_id, String::new(), refusal).await
}

pub(super) async fn plan_and_preview(
    ctx: &web::Data<Context>,
    letter_id: LetterId,
    invitees: Vec<Result<Invitee, InvalidInput>>,
    message: Option<PersonalMessage>,
) -> Result<(Plan, Option<InvitationPreview>), AppError> {
    let context = ctx.clone();
    ctx.db
        .run(move |conn| {
            let max_invitations = context.settings.letters.max_invitations;
            let plan = invitations::plan(conn, &letter_id, invitees, max_invitations)?;
            let preview = invitations::preview(
                conn,
                (
                    &context.base_url,
                    &context.sender(),
                    &context.settings.organization,
                ),
                &plan,
                message.as_ref(),
            )?;
            Ok((plan, preview))
        })
        .await
}

impl ReviewPage {
    pub(super) fn new(
        request: &HttpRequest,
        user: &CurrentUser,
        plan: Plan,
        preview: Option<InvitationPreview>,
    ) -> Self {
        let batch: Vec<Value> = plan
            .accepted
            .iter()
            .map(|p| invitee_json(&p.invitee))
            .collect();
        let language = plan
            .accepted
            .first()
            .and_then(|p| p.invitee.language.as_ref())
            .map(|l| l.to_string())
            .unwrap_or_default();
        let letter_language =
            crate::domain::LanguageTag::from_stored(&plan.letter.language).described();
        Self {
            language,
            letter_language,
            chrome: Chrome::new(request, user),
            letter_id: plan.letter.id.clone(),
            letter_title: plan.letter.title.clone(),
            rows: plan
                .accepted
                .into_iter()
                .map(|p| ReviewRow {
                    organization: p.printed_name,
                    email: p.invitee.email.as_str().to_string(),
                    tier: p.invitee.tier,
                    country: p.country,
                    new_to_address_book: !p.known,
                })
                .collect(),
            batch: serde_json::Value::from(batch).to_string(),
            message: String::new(),
            message_error: None,
            max_message: MAX_MESSAGE_CHARS,
            preview,
            left_out: Vec::new(),
            read_as: None,
            send_problems: Vec::new(),
        }
    }
}

/// The review page, with a policy that lets the email's own inline styles show in its frame.
pub(super) fn review_response(
    request: &HttpRequest,
    page: ReviewPage,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let policy = page
        .preview
        .as_ref()
        .map(|p| policy_allowing_email_styles(&p.html));
    let mut response = html_page(request, render(page)?);
    *response.status_mut() = status;
    if let Some(policy) = policy
        && let Ok(value) = header::HeaderValue::from_str(&policy)
    {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    Ok(response)
}

/// A reason as shown beside a field: its first letter a capital.
pub(super) fn capitalized(reason: &str) -> String {
    crate::web::pages::field_errors::sentence(reason)
}

/// A reason as a sentence of its own: a capital first, a full stop last.
pub(super) fn sentence(reason: &str) -> String {
    let text = capitalized(reason.trim());
    if text.ends_with(['.', '!', '?']) {
        text
    } else {
        format!("{text}.")
    }
}
