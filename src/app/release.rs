//! Releasing a letter: the check of who will be listed and what blocks, then the snapshot — the
//! rendered text, the ordered signatory list, the text's SHA-256 and a manifest over both,
//! signed with the installation's Ed25519 key — stored once and never changed. Every signatory
//! is then emailed the public link.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::Signer;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::audit::{self, Subject};
use super::invitations::Links;
use super::outbox::{self, EmailKind, Job};
use super::{Actor, AppError, hold_letter, letters};
use crate::clock::{Clock, long_date, rfc3339};
use crate::crypto::sha256_hex;
use crate::db::invitations::Invitation;
use crate::db::letters::LetterChanges;
use crate::db::releases::{self, NewRelease, Release};
use crate::db::{self, DbConnection, invitations, responses};
use crate::domain::markdown::to_safe_html;
use crate::domain::{InvitationStatus, LetterStatus, Role};

/// One organization as it is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signatory {
    pub organization: String,
    pub tier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The person who approved, published only when the letter says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// When the organization joined, if it signed after the letter was published (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub joined_at: Option<String>,
}

impl Signatory {
    /// The day a late signatory joined, as the public page prints it.
    pub fn joined_on(&self) -> Option<String> {
        let at = chrono::DateTime::parse_from_rfc3339(self.joined_at.as_deref()?).ok()?;
        Some(long_date(at.naive_utc()))
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
    pub left_out: Vec<LeftOut>,
    pub blockers: Vec<Blocker>,
}

/// What stops a release. Shown and serialized as its sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocker {
    /// A lead organization has not approved the final text, and why.
    LeadWithoutApproval {
        organization: String,
        reason: String,
    },
    NobodyApproved,
    AlreadyReleased,
    StillDraft,
}

impl std::fmt::Display for Blocker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::LeadWithoutApproval {
                organization,
                reason,
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
        }
    }
}

impl Serialize for Blocker {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// What blocks a release of a letter in `status` with `listed` organizations approving the
/// final text, given the lead organizations that did not (name and reason).
fn blockers(
    status: LetterStatus,
    listed: usize,
    unapproved_leads: Vec<(String, String)>,
) -> Vec<Blocker> {
    let mut blockers: Vec<Blocker> = unapproved_leads
        .into_iter()
        .map(|(organization, reason)| Blocker::LeadWithoutApproval {
            organization,
            reason,
        })
        .collect();
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
    let mut collator = feruca::Collator::default();
    let group = |s: &Signatory| match (&s.joined_at, s.tier == "lead") {
        (Some(_), _) => 2,
        (None, true) => 0,
        (None, false) => 1,
    };
    signatories.sort_by(|a, b| {
        group(a)
            .cmp(&group(b))
            .then_with(|| a.joined_at.cmp(&b.joined_at))
            .then_with(|| collator.collate(a.organization.as_str(), b.organization.as_str()))
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
/// A signed invitation's last answer is its signature, so `responded_at` is when it signed.
fn as_listed(
    conn: &mut DbConnection,
    view: &letters::LetterView,
    invitation: &Invitation,
    published_at: Option<chrono::NaiveDateTime>,
) -> Result<Signatory, AppError> {
    let approved_by = if view.letter.show_signers {
        responses::for_invitation(conn, &invitation.id)?
            .into_iter()
            .find(|r| r.decision == "sign")
            .map(|r| format!("{}, {}", r.signer_name, r.signer_title))
    } else {
        None
    };
    let joined_at = match (published_at, invitation.responded_at) {
        (Some(published), Some(signed)) if signed > published => Some(rfc3339(signed)),
        _ => None,
    };
    Ok(Signatory {
        organization: invitation.display_name.clone(),
        tier: invitation.tier.clone(),
        country: invitation.country.clone(),
        approved_by,
        joined_at,
    })
}

/// Who would be listed if the letter were released now, who would not and why, and what
/// blocks the release: a lead organization without an approval of the final text, or nobody.
pub fn check(conn: &mut DbConnection, letter_id: &str) -> Result<ReleaseCheck, AppError> {
    let view = letters::get_letter(conn, letter_id)?;
    let version = view.current.version;
    let mut listed = Vec::new();
    let mut left_out = Vec::new();
    let mut unapproved_leads = Vec::new();
    for invitation in invitations::for_letter(conn, letter_id)? {
        let approved = invitation.status == InvitationStatus::Signed
            && invitation.approved_version == Some(version);
        if approved {
            listed.push(as_listed(conn, &view, &invitation, None)?);
        } else if invitation.status != InvitationStatus::Revoked {
            let reason = reason_left_out(&invitation, version);
            if invitation.tier == "lead" {
                unapproved_leads.push((invitation.display_name.clone(), reason.clone()));
            }
            left_out.push(LeftOut {
                organization: invitation.display_name.clone(),
                tier: invitation.tier.clone(),
                reason,
            });
        }
    }
    let blockers = blockers(view.status(), listed.len(), unapproved_leads);
    published_order(&mut listed);
    Ok(ReleaseCheck {
        version,
        content_sha256: view.current.content_sha256,
        listed,
        left_out,
        blockers,
    })
}

/// What the signature covers, serialized once and stored as it was signed. A later revision
/// also names its date, the change, and the manifest it follows, so revisions form a chain.
#[derive(Serialize)]
struct Manifest<'a> {
    letter: &'a str,
    revision: i32,
    title: &'a str,
    addressee: &'a str,
    version: i32,
    content_sha256: &'a str,
    released_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    revised_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_manifest_sha256: Option<&'a str>,
    signatories: &'a [Signatory],
}

/// A manifest as stored: its exact bytes, their SHA-256, and the Ed25519 signature over them.
struct SignedManifest {
    text: String,
    sha256: String,
    signature: String,
}

impl Manifest<'_> {
    fn sign(&self, secrets: &crate::secrets::ServerSecrets) -> Result<SignedManifest, AppError> {
        let text = serde_json::to_string(self)
            .map_err(|e| AppError::Corrupt(format!("the manifest cannot be written: {e}")))?;
        let signature = STANDARD.encode(
            secrets
                .release_signing_key()
                .sign(text.as_bytes())
                .to_bytes(),
        );
        Ok(SignedManifest {
            sha256: sha256_hex(&text),
            text,
            signature,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error("the release is blocked")]
    Blocked(ReleaseCheck),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<crate::db::DbError> for ReleaseError {
    fn from(error: crate::db::DbError) -> Self {
        Self::App(error.into())
    }
}

impl From<crate::db::QueryError> for ReleaseError {
    fn from(error: crate::db::QueryError) -> Self {
        Self::App(error.into())
    }
}

/// Releases the letter now: freezes and signs the snapshot, closes the letter to answers, and
/// emails every signatory the public link. Only admins release.
pub fn release_now(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    letter_id: &str,
) -> Result<Release, ReleaseError> {
    if actor.role != Role::Admin {
        return Err(AppError::AdminOnly.into());
    }
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        publish(conn, clock, links, actor, letter_id)
    })
}

/// The release itself, with the letter held alone: the check, then the signed snapshot of
/// exactly the approvals it found, the letter's new status, the release notices and the audit
/// event.
fn publish(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    actor: &Actor,
    letter_id: &str,
) -> Result<Release, ReleaseError> {
    let check = check(conn, letter_id)?;
    if !check.blockers.is_empty() {
        return Err(ReleaseError::Blocked(check));
    }
    let view = letters::get_letter(conn, letter_id)?;
    let now = clock.now();
    let manifest = Manifest {
        letter: &view.letter.slug,
        revision: 1,
        title: &view.current.title,
        addressee: &view.current.addressee,
        version: check.version,
        content_sha256: &check.content_sha256,
        released_at: rfc3339(now),
        revised_at: None,
        change: None,
        previous_manifest_sha256: None,
        signatories: &check.listed,
    }
    .sign(links.secrets)?;
    let id = Uuid::new_v4().to_string();
    releases::insert(
        conn,
        &NewRelease {
            id: &id,
            letter_id,
            revision: 1,
            version: check.version,
            title: &view.current.title,
            addressee: &view.current.addressee,
            body_html: &to_safe_html(&view.current.body_markdown),
            content_sha256: &check.content_sha256,
            signatories: &list_json(&check.listed)?,
            manifest: &manifest.text,
            manifest_sha256: &manifest.sha256,
            signature: &manifest.signature,
            change_note: None,
            created_by: Some(&actor.user_id),
            released_at: now,
        },
    )?;
    crate::db::letters::update(
        conn,
        letter_id,
        &LetterChanges {
            status: Some(LetterStatus::Released.as_str()),
            released_at: Some(Some(now)),
            updated_at: Some(now),
            ..Default::default()
        },
    )?;
    for invitation in invitations::signed_for_version(conn, letter_id, check.version)? {
        outbox::queue(
            conn,
            clock,
            links.base_url,
            Job {
                kind: EmailKind::ReleaseNotice,
                letter_id,
                invitation_id: Some(&invitation.id),
                recipient: &invitation.contact_email,
                dedupe_key: Some(&format!("release:{}", invitation.id)),
            },
        )?;
    }
    audit::record(
        conn,
        clock,
        actor,
        Subject::letter(letter_id),
        "letter.released",
        json!({
            "version": check.version,
            "content_sha256": check.content_sha256,
            "signatories": check.listed.len(),
            "manifest_sha256": manifest.sha256,
        }),
    )?;
    Ok(releases::for_letter(conn, letter_id)?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound("release"))?)
}

/// Records a change of the public list after publication (an organization joined late or
/// withdrew) as a new dated revision with its own signed manifest, and returns its number. The
/// original release and every earlier revision stay as they are. Nothing is written when the
/// list is unchanged. Runs inside the caller's transaction, which holds the letter alone
/// (`db::LetterLock::Exclusive`): concurrent revisions queue up, and each reads the one before.
pub fn revise(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    letter_id: &str,
    change: &str,
) -> Result<Option<i32>, AppError> {
    hold_letter(conn, letter_id)?;
    let now = clock.now();
    crate::db::letters::update(
        conn,
        letter_id,
        &LetterChanges {
            updated_at: Some(now),
            ..Default::default()
        },
    )?;
    let revisions = releases::for_letter(conn, letter_id)?;
    let (Some(original), Some(latest)) = (revisions.first(), revisions.last()) else {
        return Err(AppError::NotFound("release"));
    };
    let view = letters::get_letter(conn, letter_id)?;
    let mut listed = Vec::new();
    for invitation in invitations::signed_for_version(conn, letter_id, original.version)? {
        listed.push(as_listed(
            conn,
            &view,
            &invitation,
            Some(original.released_at),
        )?);
    }
    published_order(&mut listed);
    if listed == latest.signatory_list()? {
        return Ok(None);
    }
    let revision = latest.revision + 1;
    let manifest = Manifest {
        letter: &view.letter.slug,
        revision,
        title: &original.title,
        addressee: &original.addressee,
        version: original.version,
        content_sha256: &original.content_sha256,
        released_at: rfc3339(original.released_at),
        revised_at: Some(rfc3339(now)),
        change: Some(change),
        previous_manifest_sha256: Some(&latest.manifest_sha256),
        signatories: &listed,
    }
    .sign(links.secrets)?;
    releases::insert(
        conn,
        &NewRelease {
            id: &Uuid::new_v4().to_string(),
            letter_id,
            revision,
            version: original.version,
            title: &original.title,
            addressee: &original.addressee,
            body_html: &original.body_html,
            content_sha256: &original.content_sha256,
            signatories: &list_json(&listed)?,
            manifest: &manifest.text,
            manifest_sha256: &manifest.sha256,
            signature: &manifest.signature,
            change_note: Some(change),
            created_by: None,
            released_at: now,
        },
    )?;
    audit::record_system(
        conn,
        clock,
        Subject::letter(letter_id),
        "letter.revised",
        json!({
            "revision": revision,
            "change": change,
            "signatories": listed.len(),
            "manifest_sha256": manifest.sha256,
        }),
    )?;
    Ok(Some(revision))
}

/// A released letter as the public sees it: every revision, oldest (the original) first.
pub struct Published {
    pub revisions: Vec<Release>,
}

impl Published {
    /// The original release: its date is the publication date, its manifest never changes.
    pub fn original(&self) -> &Release {
        &self.revisions[0]
    }

    /// The newest revision: the list as it stands.
    pub fn latest(&self) -> &Release {
        &self.revisions[self.revisions.len() - 1]
    }

    /// The changes after publication, oldest first.
    pub fn changes(&self) -> &[Release] {
        &self.revisions[1..]
    }
}

/// The published letter with this public slug, with all its revisions.
pub fn published(conn: &mut DbConnection, slug: &str) -> Result<Published, AppError> {
    let revisions = releases::for_slug(conn, slug)?;
    if revisions.is_empty() {
        return Err(AppError::NotFound("letter"));
    }
    Ok(Published { revisions })
}

/// Every revision of a letter's release, the original first (empty before release).
pub fn revisions(conn: &mut DbConnection, letter_id: &str) -> Result<Vec<Release>, AppError> {
    Ok(releases::for_letter(conn, letter_id)?)
}

/// The newest revision number of the letter with this slug, if it is published: a cheap check
/// of whether a copy rendered earlier is still current.
pub fn latest_revision(conn: &mut DbConnection, slug: &str) -> Result<Option<i32>, AppError> {
    Ok(releases::latest_revision(conn, slug)?)
}

/// Every released letter, newest first, with its slug.
pub fn published_letters(conn: &mut DbConnection) -> Result<Vec<(String, Release)>, AppError> {
    Ok(releases::all_originals(conn)?)
}

/// The list as it is stored with a release.
fn list_json(list: &[Signatory]) -> Result<String, AppError> {
    serde_json::to_string(list)
        .map_err(|e| AppError::Corrupt(format!("the signatory list cannot be written: {e}")))
}

impl Release {
    /// The signatory list as it was frozen. A list that does not parse is an error, never an
    /// empty list: a published letter must not lose its signatories silently.
    pub fn signatory_list(&self) -> Result<Vec<Signatory>, AppError> {
        serde_json::from_str(&self.signatories).map_err(|e| {
            AppError::Corrupt(format!(
                "the signatory list of release {} (revision {}) does not parse: {e}",
                self.id, self.revision
            ))
        })
    }
}

/// Schedules the release for an embargo time (in the future). The check must pass now; from
/// here until the release, answers and edits are frozen so that it still passes then.
pub fn schedule(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    letter_id: &str,
    at: chrono::DateTime<chrono::Utc>,
    zone: chrono_tz::Tz,
) -> Result<letters::LetterView, ReleaseError> {
    if actor.role != Role::Admin {
        return Err(AppError::AdminOnly.into());
    }
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        let now = clock.now();
        if at.naive_utc() <= now {
            return Err(AppError::Invalid(crate::domain::InvalidInput::new(
                "the release time must be in the future; to release now, send no time",
            ))
            .into());
        }
        let view = letters::get_letter(conn, letter_id)?;
        if !matches!(view.status(), LetterStatus::Open | LetterStatus::Closed) {
            return Err(AppError::conflict(format!(
                "a {} letter cannot be scheduled",
                view.status().as_str()
            ))
            .into());
        }
        let check = check(conn, letter_id)?;
        if !check.blockers.is_empty() {
            return Err(ReleaseError::Blocked(check));
        }
        crate::db::letters::update(
            conn,
            letter_id,
            &LetterChanges {
                status: Some(LetterStatus::Scheduled.as_str()),
                release_at: Some(Some(at.naive_utc())),
                release_tz: Some(Some(zone.name())),
                release_scheduled_by: Some(Some(&actor.user_id)),
                updated_at: Some(now),
                ..Default::default()
            },
        )?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::letter(letter_id),
            "letter.release_scheduled",
            json!({ "at": at.to_rfc3339(), "time_zone": zone.name() }),
        )?;
        Ok(letters::get_letter(conn, letter_id)?)
    })
}

/// Cancels a scheduled release; the letter stays closed to answers until reopened.
pub fn cancel_schedule(
    conn: &mut DbConnection,
    clock: &Clock,
    actor: &Actor,
    letter_id: &str,
) -> Result<letters::LetterView, AppError> {
    if actor.role != Role::Admin {
        return Err(AppError::AdminOnly);
    }
    db::write_transaction(conn, |conn| {
        hold_letter(conn, letter_id)?;
        let view = letters::get_letter(conn, letter_id)?;
        if view.status() != LetterStatus::Scheduled {
            return Err(AppError::conflict(
                "no release is scheduled for this letter",
            ));
        }
        crate::db::letters::update(
            conn,
            letter_id,
            &LetterChanges {
                status: Some(LetterStatus::Closed.as_str()),
                release_at: Some(None),
                release_tz: Some(None),
                release_scheduled_by: Some(None),
                updated_at: Some(clock.now()),
                ..Default::default()
            },
        )?;
        audit::record(
            conn,
            clock,
            actor,
            Subject::letter(letter_id),
            "letter.release_cancelled",
            json!({}),
        )?;
        letters::get_letter(conn, letter_id)
    })
}

/// Releases every letter whose embargo time has come, in the name of the admin who scheduled
/// it. Safe to run from several processes at once: each letter is held alone while its status
/// and time are checked again, so a letter is released once, and a schedule cancelled at the
/// last moment is not released.
pub fn fire_due(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
) -> Result<Vec<String>, AppError> {
    let mut released = Vec::new();
    for (letter_id, scheduled_by) in crate::db::letters::due_releases(conn, clock.now())? {
        let admin = match scheduled_by
            .as_deref()
            .map(|id| crate::db::users::find(conn, id))
        {
            Some(Ok(Some(user))) => user,
            Some(Err(error)) => return Err(error.into()),
            _ => {
                tracing::warn!(letter = %letter_id, "a scheduled release has no admin to act for it");
                continue;
            }
        };
        let actor = Actor {
            user_id: admin.id,
            email: admin.email,
            role: Role::Admin,
            ip: None,
            user_agent: Some("scheduled release".into()),
        };
        let fired = db::write_transaction(conn, |conn| {
            hold_letter(conn, &letter_id)?;
            let still_due = crate::db::letters::find(conn, &letter_id)?.is_some_and(|letter| {
                letter.status == LetterStatus::Scheduled.as_str()
                    && letter.release_at.is_some_and(|at| at <= clock.now())
            });
            if !still_due {
                return Ok(false);
            }
            publish(conn, clock, links, &actor, &letter_id).map(|_| true)
        });
        match fired {
            Ok(true) => released.push(letter_id),
            // Another worker released it first, or an admin cancelled it in the meantime.
            Ok(false) => {}
            Err(ReleaseError::Blocked(check)) => {
                tracing::warn!(letter = %letter_id, blockers = ?check.blockers, "a scheduled release was blocked");
            }
            Err(ReleaseError::App(AppError::Storage(e))) => return Err(AppError::Storage(e)),
            Err(ReleaseError::App(other)) => {
                tracing::warn!(letter = %letter_id, error = %other, "a scheduled release failed")
            }
        }
    }
    Ok(released)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(name: &str, tier: &str) -> Signatory {
        Signatory {
            organization: name.into(),
            tier: tier.into(),
            country: None,
            approved_by: None,
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
    fn a_stored_list_that_does_not_parse_is_an_error_not_an_empty_list() {
        let release = |signatories: &str| Release {
            id: "r".into(),
            letter_id: "l".into(),
            revision: 2,
            version: 1,
            title: String::new(),
            addressee: String::new(),
            body_html: String::new(),
            content_sha256: String::new(),
            signatories: signatories.into(),
            manifest: String::new(),
            manifest_sha256: String::new(),
            signature: String::new(),
            change_note: None,
            created_by: None,
            released_at: chrono::NaiveDateTime::default(),
        };
        let listed = release(r#"[{"organization":"FIDH","tier":"lead"}]"#).signatory_list();
        assert_eq!(listed.unwrap(), vec![org("FIDH", "lead")]);
        let broken = release("[{\"organization\":").signatory_list();
        assert!(
            matches!(&broken, Err(AppError::Corrupt(why)) if why.contains("revision 2")),
            "{broken:?}"
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
        let lead = blockers(
            LetterStatus::Open,
            2,
            vec![("FIDH".into(), "did not answer".into())],
        );
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
