//! Spreadsheets as a reader opens them: an XLSX workbook read back with calamine, cell by
//! cell, and whether a cell is bold; a CSV read back with the csv crate.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

/// The cells of one worksheet of an XLSX file, as text: strings as they are, whole numbers
/// without a decimal point, empty cells as "". Fails the test when the file or the worksheet
/// cannot be read.
pub fn xlsx_rows(bytes: &[u8], worksheet: &str) -> Vec<Vec<String>> {
    let mut workbook = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an XLSX workbook");
    let range = workbook
        .worksheet_range(worksheet)
        .unwrap_or_else(|e| panic!("no worksheet {worksheet}: {e}"));
    range
        .rows()
        .map(|row| row.iter().map(cell_text).collect())
        .collect()
}

/// The raw cells of one worksheet, to tell text cells from numbers and formulas.
pub fn xlsx_cells(bytes: &[u8], worksheet: &str) -> Vec<Vec<Data>> {
    let mut workbook = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an XLSX workbook");
    let range = workbook.worksheet_range(worksheet).expect("the worksheet");
    range.rows().map(<[Data]>::to_vec).collect()
}

/// Whether every formula of the worksheet is absent: no cell runs anything when opened.
pub fn xlsx_has_no_formulas(bytes: &[u8], worksheet: &str) -> bool {
    let mut workbook = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an XLSX workbook");
    let formulas = workbook
        .worksheet_formula(worksheet)
        .expect("the worksheet's formulas");
    formulas.used_cells().all(|(_, _, f)| f.is_empty())
}

/// Whether each cell of the first row of the worksheet is bold.
pub fn xlsx_header_is_bold(bytes: &[u8], worksheet: &str) -> bool {
    let mut workbook = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an XLSX workbook");
    let columns = workbook
        .worksheet_range(worksheet)
        .expect("the worksheet")
        .width() as u32;
    let styles = workbook.worksheet_style(worksheet).expect("the styles");
    (0..columns).all(|col| {
        styles
            .get((0, col))
            .and_then(|style| style.font.as_ref())
            .is_some_and(|font| font.is_bold())
    })
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::String(text) => text.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(n) => n.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The records of a CSV body (the header included), each field as text.
pub fn csv_rows(body: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| {
            r.expect("a CSV record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}
