//! Reading organization lists from CSV as spreadsheets write them: any encoding `decode`
//! knows, commas, semicolons or tabs (told from the header row), a header row naming the
//! columns. Every row is kept with its spreadsheet row number and its problem, if any.

use std::collections::HashSet;

use super::columns::Columns;
use super::decode::{TextEncoding, decode};
use crate::app::invitations::Invitee;
use crate::domain::{
    CountryCode, EmailAddress, InvalidInput, OrganizationName, Tier, Website, optional_text,
};

/// The most data rows one file may hold.
pub const MAX_ROWS: usize = 5_000;

/// One data row of the file: its row number as a spreadsheet shows it (the header is row 1),
/// what it says, and what is wrong with it.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub row: usize,
    pub organization: String,
    pub email: String,
    pub parsed: Option<Invitee>,
    pub website: Option<Website>,
    pub problem: Option<String>,
    pub note: Option<String>,
}

impl ImportRow {
    /// A row is imported when nothing is wrong with it (then `parsed` is set).
    pub fn is_accepted(&self) -> bool {
        self.problem.is_none()
    }
}

/// The character between the cells of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    Comma,
    Semicolon,
    Tab,
}

impl Delimiter {
    const ALL: [Self; 3] = [Self::Comma, Self::Semicolon, Self::Tab];

    fn byte(self) -> u8 {
        match self {
            Self::Comma => b',',
            Self::Semicolon => b';',
            Self::Tab => b'\t',
        }
    }

    /// "commas", "semicolons" or "tabs".
    pub fn label(self) -> &'static str {
        match self {
            Self::Comma => "commas",
            Self::Semicolon => "semicolons",
            Self::Tab => "tabs",
        }
    }
}

/// A file read into rows: the text as decoded (posted back to confirm an import), how it was
/// read, and every data row.
#[derive(Debug, Clone)]
pub struct CsvFile {
    pub text: String,
    pub encoding: TextEncoding,
    pub delimiter: Delimiter,
    pub rows: Vec<ImportRow>,
}

impl CsvFile {
    /// "Read as Windows-1252, cells separated by semicolons."
    pub fn how_read(&self) -> String {
        format!(
            "Read as {}, cells separated by {}.",
            self.encoding.label(),
            self.delimiter.label()
        )
    }

    pub fn accepted(&self) -> usize {
        self.rows.iter().filter(|r| r.is_accepted()).count()
    }
}

/// Reads an uploaded file into rows.
///
/// Only a file that cannot be read as a whole is an error, with a sentence saying why: not
/// text, empty, no header row naming an organization and an email column, no data row, or
/// more than [`MAX_ROWS`] rows. A bad row is a row with a problem. Email addresses whose part
/// before the @ is not ASCII are accepted only when `smtputf8` (the mail server takes them).
pub fn parse_csv(bytes: &[u8], smtputf8: bool) -> Result<CsvFile, InvalidInput> {
    let decoded = decode(bytes)?;
    // One kind of line end, so that line numbers count what a spreadsheet counts as rows.
    let lines = decoded.text.replace("\r\n", "\n").replace('\r', "\n");
    let delimiter = choose_delimiter(&lines);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter.byte())
        .flexible(true)
        .has_headers(false)
        .from_reader(lines.as_bytes());
    let mut header = None;
    // Line breaks inside quoted cells: they add lines to the file but not rows to the sheet.
    let mut inner_breaks = 0;
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for record in reader.records() {
        let record = record
            .map_err(|e| InvalidInput::new(format!("The file is not readable as CSV: {e}.")))?;
        let row = row_number(&lines, &record, inner_breaks);
        inner_breaks += record
            .iter()
            .map(|c| c.matches('\n').count())
            .sum::<usize>();
        let Some(columns) = &header else {
            header = Some(Columns::from_header(&record)?);
            continue;
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(InvalidInput::new(format!(
                "The file has more than {MAX_ROWS} rows: split it into files of at most \
                 {MAX_ROWS} rows."
            )));
        }
        rows.push(read_row(columns, &record, row, &mut seen, smtputf8));
    }
    if header.is_none() {
        return Err(InvalidInput::new("The file is empty."));
    }
    if rows.is_empty() {
        return Err(InvalidInput::new(
            "The file has a header row but no organization below it.",
        ));
    }
    Ok(CsvFile {
        text: decoded.text,
        encoding: decoded.encoding,
        delimiter,
        rows,
    })
}

/// The spreadsheet row of a record: its line in the file, past the blank lines the reader
/// skipped before it (a spreadsheet shows them as empty rows), less the line breaks inside
/// quoted cells before it (a spreadsheet keeps those inside their cell).
fn row_number(text: &str, record: &csv::StringRecord, inner_breaks: usize) -> usize {
    let Some(position) = record.position() else {
        return 1;
    };
    let start = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let blank = text
        .as_bytes()
        .get(start..)
        .map_or(0, |rest| rest.iter().take_while(|b| **b == b'\n').count());
    let line = usize::try_from(position.line()).unwrap_or(usize::MAX);
    line.saturating_add(blank)
        .saturating_sub(inner_breaks)
        .max(1)
}

/// The delimiter that cuts the first non-blank line (the header) into the most cells, outside
/// quotes; commas when nothing cuts it.
fn choose_delimiter(text: &str) -> Delimiter {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let mut best = Delimiter::Comma;
    for (delimiter, count) in Delimiter::ALL.into_iter().zip(counts) {
        if count > counts[best as usize] {
            best = delimiter;
        }
    }
    best
}

fn read_row(
    columns: &Columns,
    record: &csv::StringRecord,
    row: usize,
    seen: &mut HashSet<(String, String)>,
    smtputf8: bool,
) -> ImportRow {
    let cell = |column: Option<usize>| {
        column
            .and_then(|i| record.get(i))
            .map_or_else(String::new, |c| c.trim().to_string())
    };
    let mut import = ImportRow {
        row,
        organization: cell(columns.organization),
        email: cell(columns.email),
        parsed: None,
        website: None,
        problem: None,
        note: None,
    };
    match parse_row(columns, record, smtputf8) {
        Ok((invitee, website)) => {
            let key = (invitee.organization.key(), invitee.email.lookup_key());
            if seen.insert(key) {
                import.parsed = Some(invitee);
                import.website = website;
            } else {
                import.problem = Some(
                    "duplicate: the same organization and email appear earlier in the file".into(),
                );
            }
        }
        Err(InvalidInput(problem)) if problem.trim().is_empty() => {
            import.problem = Some("this row could not be read".into());
        }
        Err(InvalidInput(problem)) => import.problem = Some(problem),
    }
    import
}

fn parse_row(
    columns: &Columns,
    record: &csv::StringRecord,
    smtputf8: bool,
) -> Result<(Invitee, Option<Website>), InvalidInput> {
    let cell = |column: Option<usize>| {
        column
            .and_then(|i| record.get(i))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let organization = cell(columns.organization)
        .ok_or_else(|| InvalidInput::new("missing name: the organization column is empty"))
        .and_then(OrganizationName::parse)?;
    let display_name = cell(columns.display_name)
        .map(OrganizationName::parse)
        .transpose()?;
    let email = EmailAddress::parse_with(cell(columns.email).unwrap_or(""), smtputf8)?;
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
            language: None,
        },
        website,
    ))
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
                    Article 19;info@article19.example;Atlantis;\n\
                    Human Rights in China;hric@example.org;Estados Unidos;supporting\n";
        let file = parse_csv(file.as_bytes(), false).unwrap();
        assert_eq!(file.encoding, TextEncoding::Utf8WithBom);
        assert_eq!(file.delimiter, Delimiter::Semicolon);
        let rows = file.rows;
        assert_eq!(rows.len(), 6);
        assert!(rows[0].is_accepted());
        assert_eq!(rows[0].parsed.as_ref().unwrap().tier, Tier::Lead);
        assert!(rows[1].problem.as_deref().unwrap().contains("missing name"));
        assert!(rows[2].problem.as_deref().unwrap().contains("valid email"));
        assert!(rows[3].problem.as_deref().unwrap().contains("duplicate"));
        assert!(
            rows[4]
                .problem
                .as_deref()
                .unwrap()
                .contains("not a country")
        );
        assert!(rows[5].is_accepted());
        let country = rows[5].parsed.as_ref().unwrap().country.clone().unwrap();
        assert_eq!(country.as_str(), "US");
        assert_eq!(rows[2].row, 4);
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_numbers_them() {
        let file = "organization\temail\r\n\
                    \r\n\
                    \"Two\nLines\"\ttwo@example.org\r\n\
                    Three\tthree@example.org\r\n\
                    \t\r\n\
                    Six\tsix@example.org\r\
                    \r\r\
                    Nine\tnine@example.org";
        let file = parse_csv(file.as_bytes(), false).unwrap();
        assert_eq!(file.delimiter, Delimiter::Tab);
        let numbers: Vec<usize> = file.rows.iter().map(|r| r.row).collect();
        assert_eq!(numbers, [3, 4, 6, 9]);
    }

    #[test]
    fn a_local_part_outside_ascii_needs_the_mail_servers_smtputf8() {
        let file = "organization,email\nJörg e.V.,jörg@bücher.example\n";
        let strict = parse_csv(file.as_bytes(), false).unwrap();
        let refused = strict.rows[0].problem.as_deref().unwrap_or_default();
        assert!(refused.contains("mail.smtputf8"), "{refused}");
        let international = parse_csv(file.as_bytes(), true).unwrap();
        let invitee = international.rows[0].parsed.as_ref().expect("accepted");
        assert_eq!(invitee.email.as_str(), "jörg@xn--bcher-kva.example");
    }

    #[test]
    fn a_file_that_cannot_be_read_is_refused_with_the_reason() {
        for (bytes, reason) in [
            (b"name,phone\nX,123\n".as_slice(), "“organization”"),
            (&[0xff, 0xfe, 0x00], "UTF-16"),
            (b"organization,email\n\n", "no organization below"),
            (b"", "empty"),
        ] {
            let problem = parse_csv(bytes, false).unwrap_err().0;
            assert!(problem.contains(reason), "{problem}");
        }
        let mut long = String::from("organization,email\n");
        for i in 0..=MAX_ROWS {
            long.push_str(&format!("Org {i},o{i}@example.org\n"));
        }
        assert!(
            parse_csv(long.as_bytes(), false)
                .unwrap_err()
                .0
                .contains("more than")
        );
    }
}
