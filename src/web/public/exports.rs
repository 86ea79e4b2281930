//! The machine-readable forms of a released letter: `/letters/{slug}.json` (the text, who
//! coordinated it, the list as it stands with the individuals apart, every revision and the
//! newest signed manifest) and the signatory list as a sheet, served as CSV and as XLSX.

use serde_json::{Value, json};

use super::list::Individuals;
use super::manifests::public_key;
use super::shown::TextForm;
use crate::app::Context;
use crate::app::coordinating::CoordinatingOrganization;
use crate::app::release::{Individual, Published, Signatory};
use crate::clock::rfc3339;
use crate::sheets::{Cell, Sheet};

/// The JSON document of a released letter; field names are part of the public contract.
/// `coordinated_by` is the coordinating organization's name and each signatory carries its
/// `country`, both `null` when unknown. `individuals` is always there (empty when none), each
/// with `name`, `title`, `affiliation` and `country` (`null` when unknown) and `joined_at` only
/// when they joined after publication, under `individuals_heading`. `language` is the
/// authoritative text's; `translations` lists every translation the letter is published in,
/// each with its `language`, `url` and `content_sha256`.
#[allow(clippy::too_many_arguments)]
pub(super) fn json(
    ctx: &Context,
    slug: &str,
    published: &Published,
    list: &[Signatory],
    individuals: &Individuals,
    asking: &CoordinatingOrganization,
    own: &TextForm,
    translations: &[TextForm],
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
        "language": own.language.as_str(),
        "translations": translations
            .iter()
            .map(|t| json!({
                "language": t.language.as_str(),
                "url": ctx.base_url.join(&t.path),
                "json_url": ctx.base_url.join(&format!("{}.json", t.path)),
                "title": t.title,
                "content_sha256": t.content_sha256,
                "direction": t.language.direction().as_html(),
            }))
            .collect::<Vec<_>>(),
        "coordinated_by": asking.name,
        "signatories": list.iter().map(signatory_json).collect::<Vec<_>>(),
        "individuals_heading": individuals.heading,
        "individuals": individuals.list,
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

/// The JSON of a translation's page: the letter's document with the translation's `title`,
/// `addressee`, `body_html`, `language`, `content_sha256`, `translation_version` and
/// `matches_version`, and under `authoritative` the released text's `language`, `url`,
/// `content_sha256` and `version` (which the signed manifests name; `version` stays the
/// authoritative one, the version approvals are bound to).
pub(super) fn translation_json(letter: &Value, translation: &TextForm, ctx: &Context) -> Value {
    let mut value = letter.clone();
    if let Some(fields) = value.as_object_mut() {
        let authoritative = json!({
            "language": fields.get("language").cloned().unwrap_or(Value::Null),
            "url": ctx.base_url.join(translation.path.rsplit_once('/').map_or("", |(path, _)| path)),
            "content_sha256": fields.get("content_sha256").cloned().unwrap_or(Value::Null),
            "version": fields.get("version").cloned().unwrap_or(Value::Null),
        });
        if let Some((version, matches_version)) = translation.versions {
            fields.insert("translation_version".into(), json!(version));
            fields.insert("matches_version".into(), json!(matches_version));
        }
        fields.insert("authoritative".into(), authoritative);
        fields.insert("title".into(), json!(translation.title));
        fields.insert("addressee".into(), json!(translation.addressee));
        fields.insert("body_html".into(), json!(translation.body_html));
        fields.insert("language".into(), json!(translation.language.as_str()));
        fields.insert(
            "direction".into(),
            json!(translation.language.direction().as_html()),
        );
        fields.insert("content_sha256".into(), json!(translation.content_sha256));
    }
    value
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

/// The columns after `organization,tier,country` when the letter lists individuals: each row's
/// `kind`, and an individual's own title and affiliation.
const INDIVIDUAL_COLUMNS: [&str; 3] = ["kind", "title", "affiliation"];

/// The signatory list: columns `organization,tier,country`, then `signer_name,signer_title`
/// when the letter shows who approved, then `kind,title,affiliation` when it lists
/// individuals; one row per organization in published order, then one per individual (their
/// name in the first column, `kind` `individual`, no tier). Columns are only ever added at the
/// end, so that a reader of the first ones keeps working. The CSV guards names against
/// spreadsheet formulas; the workbook keeps them as text.
pub(super) fn signatories(list: &[Signatory], individuals: &[Individual]) -> Sheet {
    // Who approved is in the frozen list only when the letter shows it.
    let show_signers = list.iter().any(|s| s.approved_by.is_some());
    let with_individuals = !individuals.is_empty();
    let mut columns = vec!["organization", "tier", "country"];
    if show_signers {
        columns.extend(["signer_name", "signer_title"]);
    }
    if with_individuals {
        columns.extend(INDIVIDUAL_COLUMNS);
    }
    let mut sheet = Sheet::new("Signatories", &columns);
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
        if with_individuals {
            row.extend([Cell::from("organization"), Cell::Empty, Cell::Empty]);
        }
        sheet.push(row);
    }
    for i in individuals {
        let mut row = vec![
            Cell::from(i.name.as_str()),
            Cell::Empty,
            Cell::from(i.country.as_deref()),
        ];
        if show_signers {
            row.extend([Cell::Empty, Cell::Empty]);
        }
        row.extend([
            Cell::from("individual"),
            Cell::from(i.title.as_deref()),
            Cell::from(i.affiliation.as_deref()),
        ]);
        sheet.push(row);
    }
    sheet
}

#[cfg(test)]
mod tests {
    use super::*;

    fn organization(name: &str, tier: &str) -> Signatory {
        Signatory {
            organization: name.into(),
            tier: tier.into(),
            country: Some("FR".into()),
            approved_by: None,
            signer_name: None,
            signer_title: None,
            source: "sign_link".into(),
            joined_at: None,
        }
    }

    fn text(sheet: &Sheet) -> Vec<Vec<String>> {
        sheet
            .rows()
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| match cell {
                        Cell::Text(t) => t.clone(),
                        Cell::Number(n) => n.to_string(),
                        Cell::Empty => String::new(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_letter_without_individuals_keeps_its_columns() {
        let sheet = signatories(&[organization("FIDH", "lead")], &[]);
        assert_eq!(sheet.columns(), ["organization", "tier", "country"]);
        assert_eq!(text(&sheet), [["FIDH", "lead", "FR"]]);
    }

    #[test]
    fn individuals_follow_the_organizations_in_columns_added_at_the_end() {
        let mut shown = organization("FIDH", "lead");
        shown.approved_by = Some("Jo Example, Director".into());
        shown.signer_name = Some("Jo Example".into());
        shown.signer_title = Some("Director".into());
        let individuals = [Individual {
            name: "Amal Haddad".into(),
            title: Some("Professor of Law".into()),
            affiliation: Some("University of Examplestan".into()),
            country: Some("LB".into()),
            joined_at: None,
        }];
        let sheet = signatories(&[organization("CIVICUS", "supporting")], &individuals);
        assert_eq!(
            sheet.columns(),
            [
                "organization",
                "tier",
                "country",
                "kind",
                "title",
                "affiliation"
            ]
        );
        assert_eq!(
            text(&sheet),
            [
                ["CIVICUS", "supporting", "FR", "organization", "", ""],
                [
                    "Amal Haddad",
                    "",
                    "LB",
                    "individual",
                    "Professor of Law",
                    "University of Examplestan"
                ],
            ]
        );
        let sheet = signatories(&[shown], &individuals);
        assert_eq!(
            sheet.columns(),
            [
                "organization",
                "tier",
                "country",
                "signer_name",
                "signer_title",
                "kind",
                "title",
                "affiliation"
            ]
        );
        assert_eq!(text(&sheet)[1][3..6], ["", "", "individual"]);
    }
}
