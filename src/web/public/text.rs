//! The released letter as plain text (`/letters/{slug}.txt`): title, addressee, date, the
//! text, the signatories as they stand, the changes since publication and the text's SHA-256.

use super::render::Change;
use crate::app::release::Signatory;
use crate::clock::long_date;
use crate::db::releases::Release;

/// The letter as plain text: title, addressee, the text (its Markdown source is not kept in
/// the snapshot, so the text is the rendered HTML with its tags removed), the signatories as
/// they stand, and the changes since publication.
pub(super) fn plain_text(release: &Release, list: &[Signatory], changes: &[Change]) -> String {
    let text = ammonia::Builder::empty()
        .clean(
            &release
                .body_html
                .replace("</p>", "</p>\n")
                .replace("<br>", "\n")
                .replace("</li>", "</li>\n"),
        )
        .to_string();
    let text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    let mut out = format!(
        "{}\n\nTo {}\nPublished {}\n\n{}\n\nSignatories:\n",
        release.title,
        release.addressee,
        long_date(release.released_at),
        text.trim()
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
