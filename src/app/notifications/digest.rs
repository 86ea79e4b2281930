//! The daily digest: once a day (for the UTC day just ended), each letter that had answers
//! that day sends its audience one email listing them — organization, decision, who, when.
//! The worker's scheduler calls this every minute; a digest is queued once per letter, day and
//! account, whichever worker gets there first.

use chrono::{NaiveTime, TimeDelta};

use super::audience;
use crate::app::outbox::{self, DigestLine, Email, Job};
use crate::clock::Clock;
use crate::config::BaseUrl;
use crate::db::{self, DbConnection, QueryResult, responses};
use crate::domain::LetterId;

/// Queues the digests of the UTC day before `clock`'s today; returns how many were queued.
pub fn queue_daily_digests(
    conn: &mut DbConnection,
    clock: &Clock,
    base_url: &BaseUrl,
) -> QueryResult<usize> {
    let today = clock.now().date();
    let day = today - TimeDelta::days(1);
    let (from, to) = (day.and_time(NaiveTime::MIN), today.and_time(NaiveTime::MIN));
    let answers = responses::between(conn, from, to)?;
    let mut queued = 0;
    let mut by_letter: Vec<(LetterId, Vec<DigestLine>)> = Vec::new();
    for response in answers {
        let line = DigestLine {
            organization: response.organization_display_name.clone(),
            decision: response.decision.as_str().to_string(),
            signer: response.signer_name.clone(),
            at: response.created_at.format("%H:%M UTC").to_string(),
        };
        match by_letter.last_mut() {
            Some((letter, lines)) if *letter == response.letter_id => lines.push(line),
            _ => by_letter.push((response.letter_id.clone(), vec![line])),
        }
    }
    for (letter_id, lines) in by_letter {
        let Some(letter) = db::letters::find(conn, &letter_id)? else {
            continue;
        };
        for (user, preferences) in audience(conn, letter.created_by.as_deref())? {
            if !preferences.daily_digest {
                continue;
            }
            let key = format!("digest:{letter_id}:{day}:{}", user.id);
            if db::outbox::dedupe_key_used(conn, &key)? {
                continue;
            }
            outbox::queue(
                conn,
                clock,
                base_url,
                Job {
                    email: Email::Digest {
                        day: day.format("%-d %B %Y").to_string(),
                        answers: lines.clone(),
                    },
                    letter_id: &letter_id,
                    invitation_id: None,
                    recipient: &user.email,
                    dedupe_key: Some(&key),
                },
            )?;
            queued += 1;
        }
    }
    Ok(queued)
}
