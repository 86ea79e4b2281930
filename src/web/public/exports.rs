//! The machine-readable forms of a released letter: `/letters/{slug}.json` (the text, who
//! coordinated it, the list as it stands, every revision and the newest signed manifest) and the signatory list as a
//! sheet, served as CSV and as XLSX.

use serde_json::{Value, json};

use super::manifests::public_key;
use crate::app::Context;
use crate::app::coordinating::CoordinatingOrganization;
use crate::app::release::{Published, Signatory};
use crate::clock::rfc3339;
use crate::sheets::{Cell, Sheet};

/// The JSON document of a released letter; field names are part of the public contract.
/// `coordinated_by` is the coordinating organization's name and each signatory carries its
/// `country`, both `null` when unknown.
pub(super) fn json(
    ctx: &Context,
    slug: &str,
    published: &Published,
    list: &[Signatory],
    asking: &CoordinatingOrganization,
) -> Value {
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
        "coordinated_by": asking.name,
        "signatories": list.iter().map(signatory_json).collect::<Vec<_>>(),
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

/// One signatory as the JSON shows it: as the signed manifest has it, with `country` always
/// present (`null` when unknown).
fn signatory_json(signatory: &Signatory) -> Value {
    let mut value = json!(signatory);
    if let Some(fields) = value.as_object_mut() {
        fields.entry("country").or_insert(Value::Null);
    }
    value
}

/// The signatory list: columns `organization,tier,country`, and `signer_name,signer_title`
/// when the letter shows who approved; one row per signatory in published order. The CSV guards
/// names against spreadsheet formulas; the workbook keeps them as text.
pub(super) fn signatories(list: &[Signatory]) -> Sheet {
    // Who approved is in the frozen list only when the letter shows it.
    let show_signers = list.iter().any(|s| s.approved_by.is_some());
    let columns: &'static [&'static str] = if show_signers {
        &[
            "organization",
            "tier",
            "country",
            "signer_name",
            "signer_title",
        ]
    } else {
        &["organization", "tier", "country"]
    };
    let mut sheet = Sheet::new("Signatories", columns);
    for s in list {
        let mut row = vec![
            Cell::from(s.organization.as_str()),
            Cell::from(s.tier.as_str()),
            Cell::from(s.country.as_deref()),
        ];
        if show_signers {
            row.push(Cell::from(
                s.signer_name.as_deref().or(s.approved_by.as_deref()),
            ));
            row.push(Cell::from(s.signer_title.as_deref()));
        }
        sheet.push(row);
    }
    sheet
}
