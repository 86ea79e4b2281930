//! Checking a batch of invitees before anything is written: the letter still takes
//! invitations, each row parsed, no organization twice in the batch, none already invited, and
//! no more than the letter may hold (`letters.max_invitations`).
//! The review page, the API's dry run and sending itself all go through this one check.

use crate::app::AppError;
use crate::db::DbConnection;
use crate::db::invitations;
use crate::db::letters::{self, Letter};
use crate::db::organizations;
use crate::domain::{CountryCode, InvalidInput, LetterId, LetterStatus};

use super::Invitee;

/// An invitee that passed every check, with what its invitation will print.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Position in the batch, from 0.
    pub index: usize,
    pub invitee: Invitee,
    /// The organization's name as the invitation prints it: the batch's display name, else the
    /// address book's, else the name as given.
    pub printed_name: String,
    /// ISO 3166-1 alpha-2: the batch's, else the address book's.
    pub country: Option<String>,
    /// Whether the organization is already in the address book (else sending adds it).
    pub known: bool,
}

/// What sending a batch would do.
#[derive(Debug)]
pub struct Plan {
    pub letter: Letter,
    pub accepted: Vec<Planned>,
    /// Position in the batch and why that row would not be invited.
    pub rejected: Vec<(usize, String)>,
}

/// Checks `invitees` against `letter_id` without writing; rows that would take the letter past
/// `max_invitations` are refused, the first ones accepted. Errors: the letter does not exist
/// (`NotFound`), or it is closed or released (`Conflict`, saying what to do instead).
pub fn plan(
    conn: &mut DbConnection,
    letter_id: &LetterId,
    invitees: Vec<Result<Invitee, InvalidInput>>,
    max_invitations: usize,
) -> Result<Plan, AppError> {
    let letter = letters::find(conn, letter_id)?.ok_or(AppError::NotFound("letter"))?;
    refuse_unless_inviting(&letter)?;
    let mut accepted = Vec::new();
    let mut rejected = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (index, invitee) in invitees.into_iter().enumerate() {
        let invitee = match invitee {
            Ok(invitee) => invitee,
            Err(problem) => {
                rejected.push((index, problem.0));
                continue;
            }
        };
        let name = invitee.organization.as_str().to_string();
        if !seen.insert(invitee.organization.key()) {
            rejected.push((index, format!("{name} appears twice in this list")));
            continue;
        }
        let existing = organizations::find_by_key(conn, &invitee.organization.key())?;
        if let Some(organization) = &existing
            && invitations::find_open(conn, letter_id, &organization.id)?.is_some()
        {
            rejected.push((index, format!("{name} is already invited to this letter")));
            continue;
        }
        let printed_name = invitee
            .display_name
            .as_ref()
            .map(|d| d.as_str().to_string())
            .or_else(|| existing.as_ref().map(|o| o.display_name.clone()))
            .unwrap_or(name);
        let country = invitee
            .country
            .as_ref()
            .map(|c| CountryCode::as_str(c).to_string())
            .or_else(|| existing.as_ref().and_then(|o| o.country.clone()));
        accepted.push(Planned {
            index,
            invitee,
            printed_name,
            country,
            known: existing.is_some(),
        });
    }
    let held = invitations::count_for_letter(conn, letter_id)?;
    let room = max_invitations.saturating_sub(held);
    if accepted.len() > room {
        for over in accepted.split_off(room) {
            rejected.push((over.index, over_the_limit(max_invitations)));
        }
        rejected.sort_by_key(|(index, _)| *index);
    }
    Ok(Plan {
        letter,
        accepted,
        rejected,
    })
}

/// Why a row past `letters.max_invitations` is not invited.
pub fn over_the_limit(max_invitations: usize) -> String {
    format!(
        "this letter already has as many invitations as a letter may hold ({max_invitations}, \
         the setting letters.max_invitations)"
    )
}

/// Only a draft or open letter takes invitations.
pub fn refuse_unless_inviting(letter: &Letter) -> Result<(), AppError> {
    match letter.status {
        LetterStatus::Draft | LetterStatus::Open => Ok(()),
        LetterStatus::Released => Err(AppError::conflict(
            "this letter is released and takes no new invitations",
        )),
        status => Err(AppError::conflict(format!(
            "a {} letter takes no new invitations; reopen it first",
            status.as_str()
        ))),
    }
}
