//! `undersigned demo`: a demo letter written from the press release of a real joint letter (to
//! the UN Secretary-General on Xinjiang, 2019), its five organizations as lead invitees and a
//! dozen supporting ones with names in several scripts, some answers already in — so a newcomer
//! sees every screen at once. Everything goes through the ordinary use cases.

use chrono::TimeDelta;

use super::accounts::{self, NewAccount};
use super::invitations::{self, Invitee, Links};
use super::letters::{self, LetterView, NewLetterInput};
use super::signing::{self, Answer, LinkHolder, Origin};
use super::{Actor, AppError};
use crate::clock::Clock;
use crate::crypto::random_token;
use crate::db::DbConnection;
use crate::domain::{
    Addressee, CountryCode, Deadline, Decision, EmailAddress, LetterBody, LetterTitle,
    OrganizationName, Password, PersonName, Role, Signer, Tier,
};

const BODY: &str = include_str!("demo/letter.md");
const DEMO_EMAIL: &str = "demo-coordinator@example.org";

const LEADS: [(&str, &str); 5] = [
    ("Human Rights Watch", "US"),
    ("Amnesty International", "GB"),
    ("FIDH – International Federation for Human Rights", "FR"),
    ("International Commission of Jurists", "CH"),
    ("World Uyghur Congress", "DE"),
];

/// Supporting organizations of the demo (invented names, in several scripts).
const SUPPORTING: [(&str, &str); 12] = [
    ("Association des Juristes pour les Droits Humains", "FR"),
    ("Ärztinnen für Menschenrechte", "DE"),
    ("Fundación Derechos Ahora", "ES"),
    ("Правозащитная сеть «Пример»", "LT"),
    ("مركز الحقوق المدنية", "JO"),
    ("香港人權示例聯盟", "HK"),
    ("Ελληνική Ένωση για τα Δικαιώματα", "GR"),
    ("Türk İnsan Hakları Örnek Derneği", "TR"),
    ("人権ネットワーク・サンプル", "JP"),
    ("Østlandet Menneskerettsforum", "NO"),
    ("Ligue africaine des droits (exemple)", "SN"),
    ("Ỷ Lan Human Rights Network", "VN"),
];

/// Who has answered already, and how.
const ANSWERS: [(&str, Decision); 9] = [
    ("Human Rights Watch", Decision::Sign),
    ("Amnesty International", Decision::Sign),
    ("World Uyghur Congress", Decision::Sign),
    (
        "Association des Juristes pour les Droits Humains",
        Decision::Sign,
    ),
    ("Ärztinnen für Menschenrechte", Decision::Sign),
    ("Правозащитная сеть «Пример»", Decision::Sign),
    ("香港人權示例聯盟", Decision::Sign),
    ("Fundación Derechos Ahora", Decision::Decline),
    ("Østlandet Menneskerettsforum", Decision::Decline),
];

/// The coordinator the demo acts as: an existing admin, or a demo account (its password is
/// random and never shown; log in with your own account).
fn demo_actor(conn: &mut DbConnection, clock: &Clock) -> Result<Actor, AppError> {
    let existing = accounts::list_accounts(conn)
        .map_err(|e| AppError::conflict(e.to_string()))?
        .into_iter()
        .find(|u| u.role == "admin" || u.email == DEMO_EMAIL);
    let user = match existing {
        Some(user) => user,
        None => {
            let account = NewAccount {
                email: EmailAddress::parse(DEMO_EMAIL)?,
                name: PersonName::parse("Demo Coordinator")?,
                password: Password::parse(&random_token())?,
                role: Role::Coordinator,
            };
            accounts::create_account(conn, clock, super::audit::Who::System("demo"), account)
                .map_err(|e| AppError::conflict(e.to_string()))?
        }
    };
    let role = Role::parse(&user.role)?;
    Ok(Actor {
        user_id: user.id,
        email: user.email,
        role,
        ip: None,
        user_agent: Some("undersigned demo".into()),
    })
}

/// Loads the demo letter and returns it.
pub fn load(conn: &mut DbConnection, clock: &Clock, links: &Links) -> Result<LetterView, AppError> {
    let actor = demo_actor(conn, clock)?;
    let deadline = Deadline::parse_rfc3339(
        &(clock.now_utc() + TimeDelta::days(10)).to_rfc3339(),
        Some("Europe/Zurich"),
    )?;
    let view = letters::create_letter(
        conn,
        clock,
        &actor,
        NewLetterInput {
            title: LetterTitle::parse("Joint Letter to the UN Secretary-General on Xinjiang")?,
            addressee: Addressee::parse(
                "António Guterres, Secretary-General of the United Nations",
            )?,
            body: LetterBody::parse(BODY)?,
            deadline: Some(deadline),
            slug: None,
            show_signatories: true,
            show_signers: false,
            allow_late_signatures: false,
        },
    )?;
    let letter_id = view.letter.id.clone();
    let tiers = LEADS
        .iter()
        .map(|o| (o, Tier::Lead))
        .chain(SUPPORTING.iter().map(|o| (o, Tier::Supporting)));
    let invitees = tiers
        .enumerate()
        .map(|(i, ((name, country), tier))| {
            let local = match slug::slugify(name) {
                s if s.is_empty() => format!("partner{i}"),
                s => s,
            };
            Ok(Invitee {
                organization: OrganizationName::parse(name)?,
                display_name: None,
                email: EmailAddress::parse(&format!("{local}@example.org"))?,
                contact_name: Some("Press desk".into()),
                tier,
                country: Some(CountryCode::parse(country)?),
            })
        })
        .collect();
    let batch = invitations::Batch {
        invitees,
        message: None,
        bad_rows: invitations::BadRows::SendNothing,
    };
    invitations::invite(conn, clock, links, &actor, &letter_id, batch)?;
    let all = invitations::list(conn, &letter_id)?;
    for (name, decision) in ANSWERS {
        let Some(invitation) = all.iter().find(|i| i.display_name == name) else {
            continue;
        };
        let signer = Signer::parse("Demo Signer", "Executive Director", name, "")?;
        let holder = LinkHolder {
            invitation_id: &invitation.id,
            token_hash: &invitation.token_hash,
        };
        let view = letters::get_letter(conn, &letter_id)?;
        let answer = Answer {
            decision,
            signer: &signer,
            submission_key: &random_token(),
            read_sha256: &view.current.content_sha256,
        };
        signing::decide(conn, clock, links, holder, answer, &Origin::default())?;
    }
    letters::get_letter(conn, &letter_id)
}
