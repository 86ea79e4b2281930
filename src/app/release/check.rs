//! The release check: who would be listed if the letter were released now (lead organizations
//! first, then the reader's alphabetical order), who would not and why, and what blocks it.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::app::collation::ReaderOrder;
use crate::app::release::Individual;
use crate::app::{AppError, letters};
use crate::clock::rfc3339;
use crate::db::invitations::Invitation;
use crate::db::responses::Response;
use crate::db::{DbConnection, invitations, responses};
use crate::domain::{
    Channel, Decision, InvitationId, InvitationStatus, LanguageTag, LetterId, LetterStatus,
};

/// One organization as it is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signatory {
    pub organization: String,
    pub tier: String,
    /// The ISO 3166-1 alpha-2 code; written as `null` when unknown, so that the signed list
    /// and the published JSON name the same fields.
    #[serde(default)]
    pub country: Option<String>,
    /// The person who approved ("NAME, TITLE"), published only when the letter says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// The name and title of the person who approved, apart, for the exports; published only
    /// when the letter says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer_title: Option<String>,
    /// How the approval arrived: `sign_link` (the organization's own link) or `coordinator`
    /// (recorded by a coordinator from an email, a call, a paper or a meeting). Lists frozen
    /// before answers could be recorded read as `sign_link`.
    #[serde(default = "sign_link")]
    pub source: String,
    /// When the organization joined, if it signed after the letter was published (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub joined_at: Option<String>,
}

fn sign_link() -> String {
    Channel::SignLink.source().into()
}

impl Signatory {
    /// The day a late signatory joined, as the public page prints it.
    pub fn joined_on(&self) -> Option<String> {
        crate::clock::day_of(self.joined_at.as_deref())
    }
}

/// An organization that will not be listed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    pub organization: String,
    pub tier: String,
    pub reason: String,
}

/// What a release would publish now, and what stops it.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseCheck {
    pub version: i32,
    pub content_sha256: String,
    pub listed: Vec<Signatory>,
    /// Individuals signing in their personal capacity, listed apart after the organizations.
    pub individuals: Vec<Individual>,
    pub left_out: Vec<LeftOut>,
    pub blockers: Vec<Blocker>,
    /// The organizations listed that approved a translation rather than the authoritative
    /// text: organization as printed → "French (fr)".
    pub approved_in: BTreeMap<String, String>,
}

/// What stops a release. Shown and serialized as its sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocker {
    /// A lead organization has not approved the final text, and why. Cleared by its approval
    /// (a reminder helps while it `awaits_answer`) or by making it a supporting organization.
    LeadWithoutApproval {
        invitation_id: InvitationId,
        organization: String,
        reason: String,
        awaits_answer: bool,
    },
    NobodyApproved,
    AlreadyReleased,
    StillDraft,
    /// A translation offered to partners matches a version older than the authoritative text's
    /// last substantive change. Cleared by updating it to match, or by no longer offering it.
    TranslationOutOfDate {
        /// "French (fr)"
        language: String,
        matches_version: i32,
        changed_in: i32,
    },
}

impl std::fmt::Display for Blocker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::LeadWithoutApproval {
                organization,
                reason,
                ..
            } => write!(
                f,
                "{organization} is a lead organization without an approval of the final text \
                 ({reason})"
            ),
            Self::NobodyApproved => f.write_str("no organization has approved the final text"),
            Self::AlreadyReleased => f.write_str("the letter is already released"),
            Self::StillDraft => {
                f.write_str("the letter is still a draft: invite organizations first")
            }
            Self::TranslationOutOfDate {
                language,
                matches_version,
                changed_in,
            } => write!(
                f,
                "the {language} translation offered to partners matches version \
                 {matches_version}, but the text changed substantively in version {changed_in}: \
                 update the translation, or stop offering it"
            ),
        }
    }
}

impl Blocker {
    /// For a lead organization without an approval: its invitation, and whether it has not
    /// answered yet (so a reminder may help).
    pub fn unapproved_lead(&self) -> Option<(&InvitationId, bool)> {
        match self {
            Self::LeadWithoutApproval {
                invitation_id,
                awaits_answer,
                ..
            } => Some((invitation_id, *awaits_answer)),
            _ => None,
        }
    }

    /// The letter is still a draft: inviting organizations clears it.
    pub fn needs_invitations(&self) -> bool {
        matches!(self, Self::StillDraft)
    }

    /// Nobody approved the final text yet: answers (reminders help) clear it.
    pub fn needs_approvals(&self) -> bool {
        matches!(self, Self::NobodyApproved)
    }
}

impl Serialize for Blocker {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// What blocks a release of a letter in `status` with `listed` organizations approving the
/// final text, given the lead organizations that did not.
fn blockers(status: LetterStatus, listed: usize, unapproved_leads: Vec<Blocker>) -> Vec<Blocker> {
    let mut blockers = unapproved_leads;
    if listed == 0 {
        blockers.push(Blocker::NobodyApproved);
    }
    match status {
        LetterStatus::Released => blockers.push(Blocker::AlreadyReleased),
        LetterStatus::Draft => blockers.push(Blocker::StillDraft),
        _ => {}
    }
    blockers
}

/// Lead organizations first, then the others, each group in the reader's alphabetical order
/// (Unicode collation: accents sort with their letter, scripts in the standard order); those
/// that joined after publication last, in the order they joined.
pub fn published_order(signatories: &mut [Signatory]) {
    let mut order = ReaderOrder::default();
    let group = |s: &Signatory| match (&s.joined_at, s.tier == "lead") {
        (Some(_), _) => 2,
        (None, true) => 0,
        (None, false) => 1,
    };
    signatories.sort_by(|a, b| {
        group(a)
            .cmp(&group(b))
            .then_with(|| a.joined_at.cmp(&b.joined_at))
            .then_with(|| order.compare(&a.organization, &b.organization))
    });
}

fn reason_left_out(invitation: &Invitation, version: i32) -> String {
    match invitation.status {
        InvitationStatus::Signed => format!(
            "approved version {} of the text, not the final version {version}",
            invitation.approved_version.unwrap_or(0)
        ),
        InvitationStatus::Declined => "declined".into(),
        InvitationStatus::Withdrawn => "withdrew its signature".into(),
        InvitationStatus::Bounced => "the invitation email bounced".into(),
        InvitationStatus::Revoked => "the invitation was revoked".into(),
        InvitationStatus::Queued | InvitationStatus::Sent | InvitationStatus::Opened => {
            "did not answer".into()
        }
    }
}

/// An invitation that approved the final text, as it is published. `published_at` is the
/// first release, for a letter that is already out: signing after it makes a late signatory.
/// A signed invitation's last answer is its signature, so `responded_at` is when it signed,
/// and the signature is its entry in `newest`: the newest answer of each invitation, read once
/// for the whole list (`responses::current_for_letter`), the entry taken out. Only when that
/// entry is not a signature are the invitation's earlier answers read.
pub(super) fn as_listed(
    conn: &mut DbConnection,
    view: &letters::LetterView,
    invitation: &Invitation,
    published_at: Option<chrono::NaiveDateTime>,
    newest: &mut HashMap<InvitationId, Response>,
) -> Result<Signatory, AppError> {
    let signature = match newest.remove(&invitation.id) {
        Some(answer) if answer.decision == Decision::Sign => Some(answer),
        _ => responses::for_invitation(conn, &invitation.id)?
            .into_iter()
            .find(|r| r.decision == Decision::Sign),
    };
    let source = signature
        .as_ref()
        .map_or(Channel::SignLink, |r| r.channel)
        .source()
        .to_string();
    let signer = signature.filter(|_| view.letter.show_signers);
    let approved_by = signer.as_ref().map(|r| match r.signer_title.as_str() {
        "" => r.signer_name.clone(),
        title => format!("{}, {title}", r.signer_name),
    });
    let joined_at = match (published_at, invitation.responded_at) {
        (Some(published), Some(signed)) if signed > published => Some(rfc3339(signed)),
        _ => None,
    };
    Ok(Signatory {
        organization: invitation.display_name.clone(),
        tier: invitation.tier.clone(),
        country: invitation.country.clone(),
        approved_by,
        signer_name: signer.as_ref().map(|r| r.signer_name.clone()),
        signer_title: signer
            .as_ref()
            .map(|r| r.signer_title.clone())
            .filter(|t| !t.is_empty()),
        source,
        joined_at,
    })
}

/// Who would be listed if the letter were released now, who would not and why, and what
/// blocks the release: a lead organization without an approval of the final text, nobody, or a
/// translation offered to partners that is out of date.
pub fn check(conn: &mut DbConnection, letter_id: &LetterId) -> Result<ReleaseCheck, AppError> {
    let view = letters::get_letter(conn, letter_id)?;
    let version = view.current.version;
    let mut listed = Vec::new();
    let mut left_out = Vec::new();
    let mut unapproved_leads = Vec::new();
    let mut newest = responses::current_for_letter(conn, letter_id)?;
    let mut approved_in = BTreeMap::new();
    for invitation in invitations::for_letter(conn, letter_id)? {
        let approved = invitation.status == InvitationStatus::Signed
            && invitation.approved_version == Some(version);
        if approved {
            if let Some(language) = newest
                .get(&invitation.id)
                .filter(|r| r.decision == Decision::Sign)
                .and_then(|r| r.language.as_deref())
            {
                approved_in.insert(
                    invitation.display_name.clone(),
                    LanguageTag::from_stored(language).described(),
                );
            }
            listed.push(as_listed(conn, &view, &invitation, None, &mut newest)?);
        } else if invitation.status != InvitationStatus::Revoked {
            let reason = reason_left_out(&invitation, version);
            if invitation.tier == "lead" {
                unapproved_leads.push(Blocker::LeadWithoutApproval {
                    invitation_id: invitation.id.clone(),
                    organization: invitation.display_name.clone(),
                    reason: reason.clone(),
                    awaits_answer: invitation.status.awaits_answer(),
                });
            }
            left_out.push(LeftOut {
                organization: invitation.display_name.clone(),
                tier: invitation.tier.clone(),
                reason,
            });
        }
    }
    let mut blockers = blockers(view.status(), listed.len(), unapproved_leads);
    blockers.extend(
        letters::translations(conn, &view)?
            .into_iter()
            .filter(|t| t.blocks_release())
            .map(|t| Blocker::TranslationOutOfDate {
                language: t.language().described(),
                matches_version: t.translation.matches_version,
                changed_in: t.changed_in.unwrap_or(version),
            }),
    );
    published_order(&mut listed);
    let individuals = super::individuals::approved(conn, letter_id, None)?;
    Ok(ReleaseCheck {
        version,
        content_sha256: view.current.content_sha256,
        listed,
        individuals,
        left_out,
        blockers,
        approved_in,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn org(name: &str, tier: &str) -> Signatory {
        Signatory {
            organization: name.into(),
            tier: tier.into(),
            country: None,
            approved_by: None,
            signer_name: None,
            signer_title: None,
            source: sign_link(),
            joined_at: None,
        }
    }

    #[test]
    fn leads_first_then_the_readers_alphabet() {
        let mut list = vec![
            org("Уйгурский конгресс", "supporting"),
            org("Zimbabwe Lawyers", "supporting"),
            org("Église et Société", "supporting"),
            org("World Uyghur Congress", "lead"),
            org("Amnesty International", "lead"),
            org("Ärzte der Welt", "supporting"),
            org("منظمة العفو", "supporting"),
            org("article 19", "supporting"),
        ];
        published_order(&mut list);
        let names: Vec<&str> = list.iter().map(|s| s.organization.as_str()).collect();
        assert_eq!(
            names,
            [
                "Amnesty International",
                "World Uyghur Congress",
                "article 19",
                "Ärzte der Welt",
                "Église et Société",
                "Zimbabwe Lawyers",
                "Уйгурский конгресс",
                "منظمة العفو"
            ]
        );
    }

    #[test]
    fn a_release_is_blocked_by_unapproved_leads_nobody_a_draft_or_a_release() {
        assert_eq!(blockers(LetterStatus::Open, 3, Vec::new()), []);
        assert_eq!(blockers(LetterStatus::Closed, 1, Vec::new()), []);
        assert_eq!(
            blockers(LetterStatus::Draft, 0, Vec::new()),
            [Blocker::NobodyApproved, Blocker::StillDraft]
        );
        assert_eq!(
            blockers(LetterStatus::Released, 2, Vec::new()),
            [Blocker::AlreadyReleased]
        );
        let fidh = Blocker::LeadWithoutApproval {
            invitation_id: InvitationId::from("i-1"),
            organization: "FIDH".into(),
            reason: "did not answer".into(),
            awaits_answer: true,
        };
        assert_eq!(
            fidh.unapproved_lead(),
            Some((&InvitationId::from("i-1"), true))
        );
        assert_eq!(Blocker::NobodyApproved.unapproved_lead(), None);
        let lead = blockers(LetterStatus::Open, 2, vec![fidh]);
        assert_eq!(
            lead.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["FIDH is a lead organization without an approval of the final text (did not answer)"]
        );
        assert_eq!(
            serde_json::to_value(&lead).unwrap(),
            serde_json::json!([lead[0].to_string()])
        );
    }

    #[test]
    fn late_signatories_come_last_in_the_order_they_joined() {
        let late = |name: &str, tier: &str, at: &str| Signatory {
            joined_at: Some(at.into()),
            ..org(name, tier)
        };
        let mut list = vec![
            late("Aardvark Late", "supporting", "2026-12-03T10:00:00Z"),
            org("Zimbabwe Lawyers", "supporting"),
            late("Lead Came Late", "lead", "2026-12-02T09:00:00Z"),
            org("Amnesty International", "lead"),
        ];
        published_order(&mut list);
        let names: Vec<&str> = list.iter().map(|s| s.organization.as_str()).collect();
        assert_eq!(
            names,
            [
                "Amnesty International",
                "Zimbabwe Lawyers",
                "Lead Came Late",
                "Aardvark Late"
            ]
        );
        assert_eq!(list[3].joined_on().as_deref(), Some("3 December 2026"));
    }
}
