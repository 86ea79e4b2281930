//! Properties of the CSV reader behind the address-book import and the invite-from-file form:
//! arbitrary bytes never make it panic; a well-formed file in any encoding a spreadsheet
//! writes comes back row for row, each row numbered as the spreadsheet numbers it, and every
//! refused row carries its reason. `UNDERSIGNED_PROPTEST_CASES` runs more cases.

use proptest::prelude::*;
use undersigned::app::organizations::{CsvFile, parse_csv};

use crate::support::proptest_cases;

/// What must hold of any file the reader accepts.
fn every_row_is_accounted_for(file: &CsvFile) {
    assert!(!file.rows.is_empty(), "an accepted file has rows");
    let mut previous = 1;
    for row in &file.rows {
        assert!(row.row > previous, "rows are numbered upwards from 2");
        previous = row.row;
        match (&row.parsed, &row.problem) {
            (Some(_), None) => assert!(row.is_accepted()),
            (None, Some(problem)) => {
                assert!(!row.is_accepted());
                assert!(!problem.trim().is_empty(), "row {} has a reason", row.row);
            }
            _ => panic!(
                "row {} is neither accepted nor refused with a reason",
                row.row
            ),
        }
    }
}

/// Cells a spreadsheet could hold: Latin letters with accents, punctuation, the delimiters,
/// quotes and line breaks, or (`wide`) any character but control ones.
fn cell(wide: bool) -> BoxedStrategy<String> {
    let narrow = proptest::collection::vec(
        prop_oneof![
            proptest::char::range(' ', '~'),
            proptest::char::range('À', 'ÿ'),
            Just('\n'),
            Just('\t'),
            Just('"'),
        ],
        0..16,
    );
    let any = proptest::collection::vec(
        any::<char>().prop_filter("no control characters", |c| {
            !c.is_control() && *c != '\u{FFFD}'
        }),
        0..16,
    );
    if wide { any.boxed() } else { narrow.boxed() }
        .prop_map(|chars| chars.into_iter().collect())
        .boxed()
}

#[derive(Debug, Clone, Copy)]
enum Saved {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

fn save(text: &str, saved: Saved) -> Vec<u8> {
    let utf16 = |big: bool| -> Vec<u8> {
        std::iter::once(0xFEFF_u16)
            .chain(text.encode_utf16())
            .flat_map(|u| {
                if big {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    };
    match saved {
        Saved::Utf8 => text.as_bytes().to_vec(),
        Saved::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Saved::Utf16Le => utf16(false),
        Saved::Utf16Be => utf16(true),
        Saved::Windows1252 => encoding_rs::WINDOWS_1252.encode(text).0.into_owned(),
    }
}

fn spreadsheet() -> impl Strategy<Value = (Saved, u8, Vec<[String; 3]>)> {
    prop_oneof![
        Just(Saved::Utf8),
        Just(Saved::Utf8Bom),
        Just(Saved::Utf16Le),
        Just(Saved::Utf16Be),
        Just(Saved::Windows1252),
    ]
    .prop_flat_map(|saved| {
        // Windows-1252 holds the narrow alphabet only.
        let wide = !matches!(saved, Saved::Windows1252);
        let row = [cell(wide), cell(wide), cell(wide)];
        (
            Just(saved),
            prop_oneof![Just(b','), Just(b';'), Just(b'\t')],
            proptest::collection::vec(row, 0..12),
        )
    })
}

proptest! {
    #![proptest_config(proptest_cases::config(256))]

    #[test]
    fn arbitrary_bytes_never_panic_and_every_refused_row_has_a_reason(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048)
    ) {
        if let Ok(file) = parse_csv(&bytes, false) {
            every_row_is_accounted_for(&file);
        }
    }

    #[test]
    fn a_saved_spreadsheet_reads_back_row_for_row((saved, delimiter, rows) in spreadsheet()) {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        writer.write_record(["organization", "email", "country"]).unwrap();
        for row in &rows {
            writer.write_record(row).unwrap();
        }
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        let filled: Vec<(usize, &[String; 3])> = rows
            .iter()
            .enumerate()
            .filter(|(_, row)| row.iter().any(|c| !c.trim().is_empty()))
            .collect();
        match parse_csv(&save(&text, saved), false) {
            Err(problem) => prop_assert!(filled.is_empty(), "{saved:?} refused: {problem}"),
            Ok(file) => {
                every_row_is_accounted_for(&file);
                prop_assert_eq!(&file.text, &text);
                prop_assert_eq!(file.rows.len(), filled.len());
                for (read, (index, written)) in file.rows.iter().zip(&filled) {
                    // The header is row 1; a cell over several lines stays one row.
                    prop_assert_eq!(read.row, index + 2);
                    prop_assert_eq!(read.organization.as_str(), written[0].trim());
                    prop_assert_eq!(read.email.as_str(), written[1].trim());
                }
            }
        }
    }
}
