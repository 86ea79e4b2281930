//! `undersigned demo`: a demo letter to the UN Secretary-General about an invented country, five
//! invented lead organizations and a dozen supporting ones with names in several scripts, some
//! answers already in — so a newcomer sees every screen at once — and a login that works: a
//! demo admin whose fresh password is shown once. No real organization is named. Everything
//! goes through the ordinary use cases.

use chrono::TimeDelta;

use super::accounts::{self, NewAccount};
use super::invitations::{self, Invitee, Links};
use super::letters::{self, LetterOverview, NewLetterInput};
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
/// The demo admin's address (`example.org` never receives mail).
pub const DEMO_EMAIL: &str = "demo-admin@example.org";

/// Lead organizations of the demo (invented names).
const LEADS: [(&str, &str); 5] = [
    ("Horizon Rights Watch", "US"),
    ("Global Civic Space Alliance", "GB"),
    ("Fédération exemple – Droits humains sans frontières", "FR"),
    ("Commission of Jurists for Valdoria", "CH"),
    ("Valdorian Diaspora Congress", "DE"),
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
    ("Mạng lưới Nhân quyền Ví dụ", "VN"),
];

/// Who has answered already, and how.
const ANSWERS: [(&str, Decision); 9] = [
    ("Horizon Rights Watch", Decision::Sign),
    ("Global Civic Space Alliance", Decision::Sign),
    ("Valdorian Diaspora Congress", Decision::Sign),
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

/// How to log in to see the demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoLogin {
    /// An admin account existed already: the demo acts as it, and you log in as yourself.
    ExistingAdmin { email: String },
    /// The demo admin, with the password just set (shown once, never stored in clear).
    DemoAdmin { email: String, password: String },
}

/// The admin the demo acts as: the first admin of the installation, or the demo admin, whose
/// password is set afresh on every run so the login printed always works.
fn demo_actor(conn: &mut DbConnection, clock: &Clock) -> Result<(Actor, DemoLogin), AppError> {
    let conflict = |e: accounts::AccountError| AppError::conflict(e.to_string());
    let everyone = accounts::list_accounts(conn).map_err(conflict)?;
    let (user, login) = match everyone
        .iter()
        .find(|u| u.role == "admin" && u.email != DEMO_EMAIL)
    {
        Some(admin) => (
            admin.clone(),
            DemoLogin::ExistingAdmin {
                email: admin.email.clone(),
            },
        ),
        None => {
            let password = random_token();
            let user = match everyone.into_iter().find(|u| u.email == DEMO_EMAIL) {
                Some(user) => {
                    accounts::reset_password(
                        conn,
                        clock,
                        super::audit::Who::System("demo"),
                        &user.id,
                        Password::parse(&password)?,
                    )
                    .map_err(conflict)?;
                    user
                }
                None => {
                    let account = NewAccount {
                        email: EmailAddress::parse(DEMO_EMAIL)?,
                        name: PersonName::parse("Demo Admin")?,
                        password: Password::parse(&password)?,
                        role: Role::Admin,
                    };
                    accounts::create_account(
                        conn,
                        clock,
                        super::audit::Who::System("demo"),
                        account,
                    )
                    .map_err(conflict)?
                }
            };
            let login = DemoLogin::DemoAdmin {
                email: user.email.clone(),
                password,
            };
            (user, login)
        }
    };
    let role = Role::parse(&user.role)?;
    let actor = Actor {
        user_id: user.id,
        email: user.email,
        role,
        ip: None,
        user_agent: Some("undersigned demo".into()),
    };
    Ok((actor, login))
}

/// Loads the demo letter, inviting its organizations within `max_invitations`
/// (`letters.max_invitations`); returns it with how to log in to see it.
pub fn load(
    conn: &mut DbConnection,
    clock: &Clock,
    links: &Links,
    max_invitations: usize,
) -> Result<(LetterOverview, DemoLogin), AppError> {
    let (actor, login) = demo_actor(conn, clock)?;
    let deadline = Deadline::parse_rfc3339(
        &(clock.now_utc() + TimeDelta::days(10)).to_rfc3339(),
        Some("Europe/Zurich"),
    )?;
    let view = letters::create_letter(
        conn,
        clock,
        &actor,
        NewLetterInput {
            title: LetterTitle::parse(
                "Joint Letter to the UN Secretary-General on Detained Defenders in Valdoria",
            )?,
            addressee: Addressee::parse(
                "António Guterres, Secretary-General of the United Nations",
            )?,
            body: LetterBody::parse(BODY)?,
            deadline: Some(deadline),
            slug: None,
            show_signatories: true,
            show_signers: false,
            allow_late_signatures: false,
            language: crate::domain::LanguageTag::english(),
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
                language: None,
            })
        })
        .collect();
    let batch = invitations::Batch {
        invitees,
        message: None,
        bad_rows: invitations::BadRows::SendNothing,
        max_invitations,
    };
    invitations::invite(conn, clock, links, &actor, &letter_id, batch)?;
    let all = invitations::list(conn, &letter_id)?;
    for (name, decision) in ANSWERS {
        let Some(invitation) = all.iter().find(|i| i.display_name == name) else {
            continue;
        };
        let signer = Signer::parse("Demo Signer", "Executive Director", name, "")?;
        let holder = LinkHolder::of(invitation);
        let view = letters::get_letter(conn, &letter_id)?;
        let answer = Answer {
            decision,
            signer: &signer,
            submission_key: &random_token(),
            read_sha256: &view.current.content_sha256,
            read_language: None,
        };
        signing::decide(conn, clock, links, holder, answer, &Origin::default())?;
    }
    Ok((letters::get_overview(conn, &letter_id)?, login))
}
