//! Reading organization lists from CSV: UTF-8 with or without a byte-order mark, comma or
//! semicolon, a header row naming the columns. Every row is kept with its problem, if any.

use crate::app::invitations::Invitee;
use crate::domain::{
    CountryCode, EmailAddress, InvalidInput, OrganizationName, Tier, Website, optional_text,
};

/// The most rows one file may hold.
const MAX_ROWS: usize = 5_000;

/// One data row of the file: its line number, what it says, and what is wrong with it.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub line: usize,
    pub organization: String,
    pub email: String,
    pub parsed: Option<Invitee>,
    pub website: Option<Website>,
    pub problem: Option<String>,
    pub note: Option<String>,
}

#[derive(Default)]
struct Columns {
    organization: Option<usize>,
    display_name: Option<usize>,
    email: Option<usize>,
    contact_name: Option<usize>,
    country: Option<usize>,
    website: Option<usize>,
    tier: Option<usize>,
}

impl Columns {
    fn from_header(header: &csv::StringRecord) -> Result<Self, InvalidInput> {
        let mut columns = Columns::default();
        for (index, name) in header.iter().enumerate() {
            let name = name.trim().to_lowercase().replace([' ', '-'], "_");
            let slot = match name.as_str() {
                "organization" | "organisation" | "name" | "organization_name"
                | "organisation_name" => &mut columns.organization,
                "display_name" | "printed_name" => &mut columns.display_name,
                "email" | "contact_email" | "e_mail" => &mut columns.email,
                "contact_name" | "contact" => &mut columns.contact_name,
                "country" => &mut columns.country,
                "website" | "url" => &mut columns.website,
                "tier" => &mut columns.tier,
                _ => continue,
            };
            slot.get_or_insert(index);
        }
        if columns.organization.is_none() || columns.email.is_none() {
            return Err(InvalidInput::new(
                "the first row must name the columns, with at least “organization” and “email”",
            ));
        }
        Ok(columns)
    }
}

/// Reads the file into rows. Only an unreadable file as a whole is an error; a bad row is a row
/// with a problem.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<ImportRow>, InvalidInput> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text =
        std::str::from_utf8(bytes).map_err(|_| InvalidInput::new("the file must be UTF-8 text"))?;
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| InvalidInput::new(format!("the header row is unreadable: {e}")))?
        .clone();
    let columns = Columns::from_header(&header)?;
    let mut rows = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for record in reader.records() {
        let record = record
            .map_err(|e| InvalidInput::new(format!("the file is not readable as CSV: {e}")))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(InvalidInput::new(format!(
                "a file may hold at most {MAX_ROWS} rows"
            )));
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell =
            |column: Option<usize>| column.and_then(|i| record.get(i)).unwrap_or("").to_string();
        let organization = cell(columns.organization);
        let email = cell(columns.email);
        let parsed = parse_row(&columns, &record);
        let mut website = None;
        let (parsed, problem) = match parsed {
            Ok((invitee, site)) => {
                website = site;
                let key = (invitee.organization.key(), invitee.email.lookup_key());
                if seen.insert(key) {
                    (Some(invitee), None)
                } else {
                    (
                        None,
                        Some(
                            "duplicate: the same organization and email appear earlier in the file"
                                .to_string(),
                        ),
                    )
                }
            }
            Err(problem) => (None, Some(problem.0)),
        };
        rows.push(ImportRow {
            line,
            organization,
            email,
            parsed,
            website,
            problem,
            note: None,
        });
    }
    Ok(rows)
}

fn parse_row(
    columns: &Columns,
    record: &csv::StringRecord,
) -> Result<(Invitee, Option<Website>), InvalidInput> {
    let cell = |column: Option<usize>| column.and_then(|i| record.get(i)).filter(|v| !v.is_empty());
    let organization = OrganizationName::parse(cell(columns.organization).unwrap_or(""))
        .map_err(|_| InvalidInput::new("missing name: the organization column is empty"))?;
    let display_name = cell(columns.display_name)
        .map(OrganizationName::parse)
        .transpose()?;
    let email = EmailAddress::parse(cell(columns.email).unwrap_or(""))?;
    let contact_name = optional_text(cell(columns.contact_name), "the contact's name", 200)?;
    let country = CountryCode::parse_optional(cell(columns.country))?;
    let website = Website::parse_optional(cell(columns.website))?;
    let tier = Tier::parse(cell(columns.tier).unwrap_or(""))?;
    Ok((
        Invitee {
            organization,
            display_name,
            email,
            contact_name,
            tier,
            country,
        },
        website,
    ))
}

impl ImportRow {
    pub fn is_accepted(&self) -> bool {
        self.problem.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_semicolons_with_a_bom_and_reports_each_bad_row() {
        let file = "\u{feff}Organisation;Email;Country;Tier\n\
                    Amnesty International;press@amnesty.example;GB;lead\n\
                    ;nobody@example.org;;\n\
                    Broken Email Org;not-an-email;;\n\
                    Amnesty International;press@amnesty.example;GB;lead\n\
                    Article 19;info@article19.example;Britain;\n\
                    Human Rights in China;hric@example.org;US;supporting\n";
        let rows = parse_csv(file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 6);
        assert!(rows[0].is_accepted());
        assert_eq!(rows[0].parsed.as_ref().unwrap().tier, Tier::Lead);
        assert!(rows[1].problem.as_deref().unwrap().contains("missing name"));
        assert!(
            rows[2]
                .problem
                .as_deref()
                .unwrap()
                .contains("not a valid email")
        );
        assert!(rows[3].problem.as_deref().unwrap().contains("duplicate"));
        assert!(rows[4].problem.as_deref().unwrap().contains("country code"));
        assert!(rows[5].is_accepted());
        assert_eq!(rows[2].line, 4);
    }

    #[test]
    fn a_file_without_the_needed_columns_is_refused() {
        assert!(parse_csv(b"name,phone\nX,123\n").is_err());
        assert!(parse_csv(&[0xff, 0xfe, 0x00]).is_err());
    }
}
