//! The JSON shapes of API v1, documented in the OpenAPI description.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::letters::LetterOverview;
use crate::config::BaseUrl;
use crate::db::invitations::Invitation;
use crate::domain::InvitationId;
use crate::domain::markdown::to_safe_html;

use crate::clock::rfc3339 as utc;

#[derive(Serialize, ToSchema)]
pub struct ErrorJson {
    pub error: String,
    pub details: Option<serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
pub struct LetterJson {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub addressee: String,
    pub body_markdown: String,
    /// The text as HTML, cleaned by an allow-list sanitizer.
    pub body_html: String,
    /// draft, open, closed, scheduled or released.
    pub status: String,
    /// The current version number; every change of text adds one.
    pub version: i32,
    /// SHA-256 of the canonical text of the current version.
    pub content_sha256: String,
    /// BCP 47 tag of the authoritative text ("en" unless set).
    pub language: String,
    /// The newest version of each translation, by language.
    pub translations: Vec<TranslationJson>,
    pub deadline: Option<String>,
    pub deadline_time_zone: Option<String>,
    pub show_signatories: bool,
    /// Whether the published list shows who approved for each organization ("approved by
    /// NAME, TITLE") on the public page, in the exports and in the PDF.
    pub show_signers: bool,
    /// Whether organizations may still sign after publication.
    pub allow_late_signatures: bool,
    /// Whether organizations that were not invited may ask to join at `join_url`.
    pub open_sign_on: bool,
    /// Whether individuals may sign in their personal capacity, listed apart.
    pub accept_individuals: bool,
    /// The heading of the individuals' list as published.
    pub individuals_heading: String,
    /// The public sign-on page (404 while open sign-on is off).
    pub join_url: String,
    pub archived: bool,
    /// Invitations per status.
    pub counts: BTreeMap<String, i64>,
    pub public_url: String,
    pub created_at: String,
    pub updated_at: String,
}

impl LetterJson {
    pub fn from_overview(overview: &LetterOverview, base_url: &BaseUrl) -> Self {
        let view = &overview.view;
        let letter = &view.letter;
        Self {
            id: letter.id.to_string(),
            slug: letter.slug.clone(),
            title: view.current.title.clone(),
            addressee: view.current.addressee.clone(),
            body_markdown: view.current.body_markdown.clone(),
            body_html: to_safe_html(&view.current.body_markdown),
            status: letter.status.to_string(),
            version: view.current.version,
            content_sha256: view.current.content_sha256.clone(),
            language: letter.language.clone(),
            translations: overview
                .translations
                .iter()
                .map(TranslationJson::from)
                .collect(),
            deadline: letter.deadline_at.map(utc),
            deadline_time_zone: letter.deadline_at.and(letter.deadline_tz.clone()),
            show_signatories: letter.show_signatories,
            show_signers: letter.show_signers,
            allow_late_signatures: letter.allow_late_signatures,
            open_sign_on: letter.open_sign_on,
            accept_individuals: letter.accept_individuals,
            individuals_heading: crate::app::release::individuals_heading(letter).to_string(),
            join_url: base_url.join(&format!("/letters/{}/join", letter.slug)),
            archived: letter.archived_at.is_some(),
            counts: overview.counts.clone(),
            public_url: base_url.join(&format!("/letters/{}", letter.slug)),
            created_at: utc(letter.created_at),
            updated_at: utc(letter.updated_at),
        }
    }
}

/// A translation of a letter, as its newest version stands.
#[derive(Serialize, ToSchema)]
pub struct TranslationJson {
    /// BCP 47 tag, canonical ("fr", "es-419", "zh-Hans").
    pub language: String,
    /// "ltr" or "rtl": the direction its text runs in.
    pub direction: String,
    /// This language's version, from 1.
    pub version: i32,
    pub title: String,
    pub addressee: String,
    pub body_markdown: String,
    /// SHA-256 of the translation's canonical text, computed like the letter's.
    pub content_sha256: String,
    /// The version of the authoritative text it matches.
    pub matches_version: i32,
    /// Whether partners are offered it to read and sign.
    pub offered: bool,
    /// True when the authoritative text changed substantively after `matches_version`; an
    /// offered translation that is out of date blocks the release.
    pub out_of_date: bool,
    pub updated_at: String,
}

impl From<&crate::app::letters::TranslationView> for TranslationJson {
    fn from(view: &crate::app::letters::TranslationView) -> Self {
        let t = &view.translation;
        Self {
            language: t.language.clone(),
            direction: view.language().direction().as_html().to_string(),
            version: t.version,
            title: t.title.clone(),
            addressee: t.addressee.clone(),
            body_markdown: t.body_markdown.clone(),
            content_sha256: t.content_sha256.clone(),
            matches_version: t.matches_version,
            offered: t.offered,
            out_of_date: view.out_of_date,
            updated_at: utc(t.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TranslationListJson {
    pub translations: Vec<TranslationJson>,
}

/// A translation to add (POST, `language` required) or a new version of one (PUT, `language`
/// optional and, when given, the one in the path).
#[derive(Deserialize, ToSchema)]
pub struct TranslationBody {
    pub language: Option<String>,
    pub title: String,
    pub addressee: String,
    pub body_markdown: String,
    /// The version of the authoritative text this translation matches.
    pub matches_version: i32,
    /// Whether partners are offered it (true when absent).
    pub offered: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct LetterListJson {
    pub letters: Vec<LetterJson>,
}

#[derive(Deserialize, ToSchema)]
pub struct CreateLetterBody {
    pub title: String,
    pub addressee: String,
    pub body_markdown: String,
    /// RFC 3339, such as 2026-12-01T17:00:00+01:00.
    pub deadline: Option<String>,
    /// IANA time zone the deadline is shown in, such as Europe/Geneva.
    pub deadline_time_zone: Option<String>,
    /// Lowercase letters and digits joined by hyphens; made from the title when absent.
    pub slug: Option<String>,
    /// Whether partners see which organizations have already signed.
    pub show_signatories: Option<bool>,
    /// Whether the published list shows who approved for each organization (off by default).
    pub show_signers: Option<bool>,
    /// Whether organizations may still sign after publication.
    pub allow_late_signatures: Option<bool>,
    /// BCP 47 tag of the letter's own, authoritative text ("en" when absent).
    pub language: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateLetterBody {
    pub title: Option<String>,
    pub addressee: Option<String>,
    pub body_markdown: Option<String>,
    /// Required when the text changes: "minor" keeps approvals, "substantive" asks signers again.
    pub change: Option<String>,
    pub note: Option<String>,
    /// RFC 3339 to set, null to remove, absent to keep.
    #[schema(value_type = Option<String>)]
    pub deadline: Option<serde_json::Value>,
    pub deadline_time_zone: Option<String>,
    pub show_signatories: Option<bool>,
    /// Whether the published list shows who approved for each organization.
    pub show_signers: Option<bool>,
    /// Whether organizations may still sign after publication; the one field a released
    /// letter accepts.
    pub allow_late_signatures: Option<bool>,
    /// The web address (lowercase letters and digits joined by hyphens); it can change until
    /// the letter is released or scheduled (409 after, or when another letter has it).
    pub slug: Option<String>,
    /// Whether organizations that were not invited may ask to join (off by default); like
    /// late signatures, it may change after release.
    pub open_sign_on: Option<bool>,
    /// Whether individuals may sign in their personal capacity (off by default).
    pub accept_individuals: Option<bool>,
    /// The heading of the individuals' list; null brings back the default.
    #[schema(value_type = Option<String>)]
    pub individuals_heading: Option<serde_json::Value>,
    /// BCP 47 tag of the authoritative text; until release, and not a translation's language.
    pub language: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct InviteBody {
    /// Each item: organization, email, and optionally contact_name, tier (lead or supporting),
    /// country (an ISO 3166-1 alpha-2 or alpha-3 code, or the English, French or Spanish name;
    /// answered as alpha-2), display_name (as printed).
    #[schema(value_type = Vec<InviteeBody>)]
    pub invitations: Vec<serde_json::Value>,
    /// The coordinator's personal message, placed into every invitation email of the batch
    /// above the standard text (at most 2,000 characters; blank lines separate paragraphs).
    pub message: Option<String>,
    /// Check the batch and render the first email without storing or queueing anything:
    /// answers 200 with `preview`, the invitations that would be made and `rejected`.
    #[serde(default)]
    pub dry_run: bool,
}

/// One organization to invite (documentation of an item of `invitations`).
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct InviteeBody {
    pub organization: String,
    pub email: String,
    pub contact_name: Option<String>,
    pub tier: Option<String>,
    pub country: Option<String>,
    pub display_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationJson {
    pub id: String,
    pub letter_id: String,
    pub organization_id: String,
    /// The organization's name as it will be printed.
    pub organization: String,
    pub email: String,
    pub contact_name: Option<String>,
    pub tier: String,
    pub country: Option<String>,
    /// The language chosen for the invitation's emails and sign page (BCP 47), if one was.
    pub language: Option<String>,
    pub status: String,
    /// The version of the letter this organization approved, if it signed.
    pub approved_version: Option<i32>,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub opened_at: Option<String>,
    pub responded_at: Option<String>,
    pub last_activity_at: String,
}

impl From<&Invitation> for InvitationJson {
    fn from(invitation: &Invitation) -> Self {
        Self {
            id: invitation.id.to_string(),
            letter_id: invitation.letter_id.to_string(),
            organization_id: invitation.organization_id.to_string(),
            organization: invitation.display_name.clone(),
            email: invitation.contact_email.clone(),
            contact_name: invitation.contact_name.clone(),
            tier: invitation.tier.clone(),
            country: invitation.country.clone(),
            language: invitation.language.clone(),
            status: invitation.status.as_str().to_string(),
            approved_version: invitation.approved_version,
            created_at: utc(invitation.created_at),
            sent_at: invitation.sent_at.map(utc),
            opened_at: invitation.opened_at.map(utc),
            responded_at: invitation.responded_at.map(utc),
            last_activity_at: utc(invitation.last_activity_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RejectedJson {
    /// Position of the item in the request's `invitations`.
    pub index: usize,
    pub error: String,
}

/// The first email of a batch, as its recipient will receive it (the sign link is made when
/// the batch is sent, so it shows as `…`).
#[derive(Serialize, ToSchema)]
pub struct EmailPreviewJson {
    pub from: String,
    pub reply_to: Option<String>,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// An invitation a dry run would make.
#[derive(Serialize, ToSchema)]
pub struct PlannedInvitationJson {
    /// Position of the item in the request's `invitations`.
    pub index: usize,
    /// The organization's name as it will be printed.
    pub organization: String,
    pub email: String,
    pub contact_name: Option<String>,
    pub tier: String,
    pub country: Option<String>,
    /// False when sending would add the organization to the address book.
    pub in_address_book: bool,
}

/// What `dry_run` answers: nothing was stored or queued.
#[derive(Serialize, ToSchema)]
pub struct DryRunJson {
    /// Null when no invitation would be made.
    pub preview: Option<EmailPreviewJson>,
    pub invitations: Vec<PlannedInvitationJson>,
    pub rejected: Vec<RejectedJson>,
}

#[derive(Serialize, ToSchema)]
pub struct InviteResultJson {
    pub invitations: Vec<InvitationJson>,
    pub rejected: Vec<RejectedJson>,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct RemindBody {
    /// Only these invitations (of those that have not answered); all of them when absent.
    #[schema(value_type = Option<Vec<String>>)]
    pub invitation_ids: Option<Vec<InvitationId>>,
}

#[derive(Serialize, ToSchema)]
pub struct RemindResultJson {
    /// Reminders queued.
    pub queued: usize,
    /// Organizations left out: reminded less than `reminders.min_interval_hours` ago, or with
    /// a reminder still waiting.
    pub skipped_recently_reminded: usize,
}

#[derive(Deserialize, ToSchema)]
pub struct EditInvitationBody {
    pub tier: Option<String>,
    pub display_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct VersionJson {
    pub version: i32,
    pub change: String,
    pub content_sha256: String,
    pub title: String,
    pub note: Option<String>,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct VersionListJson {
    pub versions: Vec<VersionJson>,
}

impl From<&crate::db::letters::LetterVersion> for VersionJson {
    fn from(v: &crate::db::letters::LetterVersion) -> Self {
        Self {
            version: v.version,
            change: v.change_kind.clone(),
            content_sha256: v.content_sha256.clone(),
            title: v.title.clone(),
            note: v.note.clone(),
            created_at: utc(v.created_at),
        }
    }
}
