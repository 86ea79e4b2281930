//! The released letter as plain text (`/letters/{slug}.txt`): title, addressee, date, the
//! text, the signatories as they stand, the changes since publication and the text's SHA-256.

use super::list::Change;
use crate::app::release::Signatory;
use crate::clock::long_date;
use crate::db::releases::Release;
use crate::domain::markdown::to_plain_text;

/// The letter as plain text, `markdown` the source of the released text (the release keeps
/// only its HTML). Lines end in `\n`; sections are separated by a blank line.
pub(super) fn plain_text(
    release: &Release,
    markdown: &str,
    list: &[Signatory],
    changes: &[Change],
) -> String {
    let mut out = format!(
        "{}\n\nTo {}\nPublished {}\n\n{}\n\nSignatories:\n",
        release.title,
        release.addressee,
        long_date(release.released_at),
        to_plain_text(markdown)
    );
    for s in list {
        match s.joined_on() {
            Some(on) => out.push_str(&format!(
                "- {} (joined after publication, {on})\n",
                s.organization
            )),
            None => out.push_str(&format!("- {}\n", s.organization)),
        }
    }
    if !changes.is_empty() {
        out.push_str("\nChanges since publication:\n");
        for change in changes {
            out.push_str(&format!("- {}: {}\n", change.on, change.note));
        }
    }
    out.push_str(&format!(
        "\nSHA-256 of the text: {}\n",
        release.content_sha256
    ));
    out
}
