//! The machine-readable forms of a released letter: `/letters/{slug}.json` (the text, the list
//! as it stands, every revision and the newest signed manifest) and the signatory CSV.

use serde_json::{Value, json};

use super::manifests::public_key;
use crate::app::Context;
use crate::app::audit::neutralize_formula;
use crate::app::release::{Published, Signatory};
use crate::clock::rfc3339;
use crate::web::{PageError, WebError};

/// The JSON document of a released letter; field names are part of the public contract.
pub(super) fn json(ctx: &Context, slug: &str, published: &Published, list: &[Signatory]) -> Value {
    let (original, latest) = (published.original(), published.latest());
    let revisions: Vec<_> = published
        .revisions
        .iter()
        .map(|r| {
            json!({
                "revision": r.revision,
                "at": rfc3339(r.released_at),
                "change": r.change_note,
                "manifest_sha256": r.manifest_sha256,
                "url": ctx.base_url.join(&format!("/letters/{slug}/revisions/{}.json", r.revision)),
            })
        })
        .collect();
    json!({
        "title": original.title,
        "addressee": original.addressee,
        "body_html": original.body_html,
        "released_at": rfc3339(original.released_at),
        "version": original.version,
        "content_sha256": original.content_sha256,
        "signatories": list,
        "revision": latest.revision,
        "revised_at": (latest.revision > 1).then(|| rfc3339(latest.released_at)),
        "revisions": revisions,
        "manifest": latest.manifest,
        "manifest_sha256": latest.manifest_sha256,
        "signature": latest.signature,
        "signature_algorithm": "ed25519",
        "public_key": public_key(ctx),
    })
}

/// The signatory list as CSV (UTF-8): a header row `organization,tier,country`, then one row
/// per signatory in published order, names guarded against spreadsheet formulas.
pub(super) fn csv(list: &[Signatory]) -> Result<Vec<u8>, PageError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let rows = std::iter::once(["organization".to_string(), "tier".into(), "country".into()])
        .chain(list.iter().map(|s| {
            [
                neutralize_formula(&s.organization),
                s.tier.clone(),
                s.country.clone().unwrap_or_default(),
            ]
        }));
    for row in rows {
        writer.write_record(&row).map_err(WebError::internal)?;
    }
    Ok(writer
        .into_inner()
        .map_err(|e| WebError::internal(e.into_error()))?)
}
