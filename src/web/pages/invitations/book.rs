//! What the address book's buttons on the invite page send to the review: the ticked
//! organizations, every one that can be invited, every one matching the search and tag, or a
//! whole group (a tag) — across every page of the list, not only the one shown. Each goes with
//! the tier and the contact chosen beside it (the first contact when none was chosen).

use actix_web::{HttpRequest, HttpResponse, post, web};

use super::super::dashboard::{field, form_pairs};
use super::{Refusal, Row, review, show_browsing};
use crate::app::Context;
use crate::app::invitations::{self, Candidate, Invitee};
use crate::domain::{CountryCode, InvalidInput, LetterId, OrganizationName, Tag, Tier};
use crate::web::PageError;
use crate::web::session::{CurrentUser, verify_csrf};

/// Which organizations of the address book a submit means.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Ticked,
    /// Every organization that can be invited, whatever the search.
    All,
    /// Every organization matching the search and the tag that can be invited.
    Filtered,
    /// Every organization of the tag that can be invited, whatever the search.
    Tag,
}

#[post("/letters/{id}/invite/address-book")]
pub async fn invite_from_address_book(
    request: HttpRequest,
    user: CurrentUser,
    ctx: web::Data<Context>,
    id: web::Path<LetterId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let pairs = form_pairs(&body);
    verify_csrf(&request, field(&pairs, "csrf_token"))?;
    let letter_id = id.into_inner();
    let q = field(&pairs, "q").to_string();
    let tag_text = field(&pairs, "tag").to_string();
    let tag = Tag::parse(&tag_text).ok();
    let scope = match field(&pairs, "scope") {
        "all" => Scope::All,
        "filtered" => Scope::Filtered,
        "tag" if tag.is_some() => Scope::Tag,
        _ => Scope::Ticked,
    };
    let ticked: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "organization_ids")
        .map(|(_, v)| v.as_str())
        .collect();
    let (search, tag) = match scope {
        Scope::Filtered => (q.clone(), tag),
        Scope::Tag => (String::new(), tag),
        Scope::Ticked | Scope::All => (String::new(), None),
    };
    let lookup = letter_id.clone();
    let (_, candidates) = ctx
        .db
        .run(move |conn| invitations::all_candidates(conn, &lookup, &search, tag.as_ref()))
        .await?;
    let chosen: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| match scope {
            Scope::Ticked => ticked.contains(&c.organization.organization.id.as_str()),
            Scope::All | Scope::Filtered | Scope::Tag => c.selectable(),
        })
        .collect();
    if chosen.is_empty() {
        let message = match scope {
            Scope::Ticked => "Tick at least one organization, or choose “Review all”.",
            _ => {
                "No organization here can be invited: each is invited already or has no \
                  contact email."
            }
        };
        let refusal = Refusal {
            book_error: Some(message.into()),
            ..Refusal::default()
        };
        let browse = super::Browse {
            q,
            tag: tag_text,
            ..super::Browse::default()
        };
        return show_browsing(&request, &user, &ctx, letter_id, browse, refusal).await;
    }
    let left_out = candidates
        .iter()
        .filter(|c| scope != Scope::Ticked && !c.invited && c.email().is_none())
        .map(|c| c.organization.organization.display_name.clone())
        .collect();
    let rows: Vec<Row> = chosen
        .iter()
        .map(|c| {
            let id = &c.organization.organization.id;
            let tier =
                Tier::parse(field(&pairs, &format!("tier_{id}"))).unwrap_or(Tier::Supporting);
            let contact = Some(field(&pairs, &format!("contact_{id}"))).filter(|v| !v.is_empty());
            Row {
                place: String::new(),
                text: c.organization.organization.display_name.clone(),
                parsed: invitee_from_address_book(&ctx, c, tier, contact),
            }
        })
        .collect();
    let source = review::Source::AddressBook { left_out };
    review::review_rows(&request, &user, &ctx, letter_id, rows, source).await
}

/// The invitee an organization of the address book makes: its names, country, tier as chosen,
/// and the contact chosen (its email and name), else its first contact.
fn invitee_from_address_book(
    ctx: &Context,
    candidate: &Candidate,
    tier: Tier,
    contact: Option<&str>,
) -> Result<Invitee, InvalidInput> {
    let organization = &candidate.organization.organization;
    let contact = candidate.contact(contact).ok_or_else(|| {
        InvalidInput::new(format!(
            "{} has no contact email in the address book",
            organization.name
        ))
    })?;
    Ok(Invitee {
        organization: OrganizationName::parse(&organization.name)?,
        display_name: Some(OrganizationName::parse(&organization.display_name)?),
        email: ctx.parse_email(&contact.email)?,
        contact_name: contact.name.clone(),
        tier,
        country: CountryCode::parse_optional(organization.country.as_deref())?,
        language: None,
    })
}
