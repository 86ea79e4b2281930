//! Lists as spreadsheet programs open them: one `Sheet` (a header row and rows of cells)
//! written as CSV (UTF-8 without a byte-order mark, for programs) or as an Excel workbook
//! (XLSX, by `rust_xlsxwriter`, so that accented, Cyrillic and Arabic names open correctly in
//! Excel). The public signatory list and the coordinator's exports (audit trail, answers) are
//! all written here. Pure rendering: no storage, no HTTP.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The media type of a CSV export.
pub const CSV_TYPE: &str = "text/csv; charset=utf-8";
/// The media type of an XLSX export.
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Excel keeps at most this many UTF-16 code units in a cell.
const CELL_LIMIT: usize = 32_767;
/// The widest an automatically fitted column gets, in pixels: long names wrap to the next
/// columns' view rather than push them off the screen.
const COLUMN_PIXELS: u32 = 320;

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, written as text in every format: never run as a formula.
    Text(String),
    /// A whole number (a version), a number in the workbook.
    Number(i64),
    /// Nothing.
    Empty,
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_string())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

impl From<Option<String>> for Cell {
    fn from(text: Option<String>) -> Self {
        text.map_or(Cell::Empty, Cell::Text)
    }
}

impl From<Option<&str>> for Cell {
    fn from(text: Option<&str>) -> Self {
        text.map_or(Cell::Empty, Cell::from)
    }
}

impl From<i32> for Cell {
    fn from(number: i32) -> Self {
        Cell::Number(number.into())
    }
}

impl From<Option<i32>> for Cell {
    fn from(number: Option<i32>) -> Self {
        number.map_or(Cell::Empty, Cell::from)
    }
}

/// A list with a header row: the one source of a CSV and an XLSX export, so both have the same
/// columns in the same order.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The worksheet's name in the workbook (at most 31 characters, none of `[]:*?/\`).
    name: &'static str,
    columns: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
}

/// Why a sheet could not be written (an internal error: its input is always writable).
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing XLSX: {0}")]
    Xlsx(#[from] XlsxError),
}

impl Sheet {
    /// An empty sheet with these column names, in this order.
    pub fn new(name: &'static str, columns: &[&'static str]) -> Self {
        Self {
            name,
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; cells past the last column are dropped, missing ones are empty.
    pub fn push(&mut self, cells: impl IntoIterator<Item = Cell>) {
        let mut row: Vec<Cell> = cells.into_iter().take(self.columns.len()).collect();
        row.resize(self.columns.len(), Cell::Empty);
        self.rows.push(row);
    }

    /// The column names.
    pub fn columns(&self) -> &[&'static str] {
        &self.columns
    }

    /// The rows, without the header.
    pub fn rows(&self) -> &[Vec<Cell>] {
        &self.rows
    }

    /// The sheet as CSV: UTF-8 without a byte-order mark, the header first, every text that a
    /// spreadsheet would run as a formula guarded by a leading quote.
    pub fn to_csv(&self) -> Result<Vec<u8>, SheetError> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&self.columns)?;
        for row in &self.rows {
            writer.write_record(row.iter().map(|cell| match cell {
                Cell::Text(text) => neutralize_formula(text),
                Cell::Number(n) => n.to_string(),
                Cell::Empty => String::new(),
            }))?;
        }
        writer
            .into_inner()
            .map_err(|e| SheetError::Csv(e.into_error().into()))
    }

    /// The sheet as an Excel workbook of one worksheet: the header row bold and frozen, texts
    /// as text cells exactly as typed (a cell type, not a quote, keeps them from running), and
    /// numbers as numbers.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, SheetError> {
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = workbook.add_worksheet();
        sheet.set_name(self.name)?;
        for (col, name) in (0..).zip(&self.columns) {
            sheet.write_string_with_format(0, col, *name, &bold)?;
        }
        for (row, cells) in (1..).zip(&self.rows) {
            for (col, cell) in (0..).zip(cells) {
                match cell {
                    Cell::Text(text) => {
                        sheet.write_string(row, col, fit_in_cell(text))?;
                    }
                    Cell::Number(n) => {
                        sheet.write_number(row, col, *n as f64)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.set_autofit_max_width(COLUMN_PIXELS).autofit();
        Ok(workbook.save_to_buffer()?)
    }
}

/// Text cut to what one Excel cell holds (a limit no name reaches; a pasted essay might).
fn fit_in_cell(text: &str) -> &str {
    let mut units = 0;
    for (at, c) in text.char_indices() {
        units += c.len_utf16();
        if units > CELL_LIMIT {
            return &text[..at];
        }
    }
    text
}

/// Spreadsheets run a CSV cell that starts with = + - @ (or a tab or carriage return) as a
/// formula; a leading quote keeps such text inert when a coordinator opens an export.
pub fn neutralize_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Sheet {
        let mut sheet = Sheet::new("Signatories", &["organization", "version", "country"]);
        sheet.push([Cell::from("=HYPERLINK(\"x\")"), 2.into(), Cell::Empty]);
        sheet.push([Cell::from("Église et Société"), Cell::Empty]);
        sheet
    }

    #[test]
    fn csv_has_no_byte_order_mark_and_guards_formulas() {
        let csv = String::from_utf8(sample().to_csv().unwrap()).unwrap();
        assert_eq!(
            csv,
            "organization,version,country\n\"'=HYPERLINK(\"\"x\"\")\",2,\nÉglise et Société,,\n"
        );
    }

    #[test]
    fn rows_have_exactly_the_columns() {
        let mut sheet = Sheet::new("S", &["a", "b"]);
        sheet.push([Cell::from("1"), "2".into(), "3".into()]);
        assert_eq!(sheet.rows()[0].len(), 2);
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let xlsx = sample().to_xlsx().unwrap();
        assert!(xlsx.starts_with(b"PK"));
    }

    #[test]
    fn overlong_text_is_cut_to_what_a_cell_holds() {
        let long = "é".repeat(40_000);
        assert_eq!(fit_in_cell(&long).chars().count(), CELL_LIMIT);
        assert_eq!(fit_in_cell("short"), "short");
        let mut sheet = Sheet::new("S", &["a"]);
        sheet.push([Cell::from(long)]);
        assert!(sheet.to_xlsx().is_ok());
    }

    #[test]
    fn formula_characters_at_the_start_are_quoted() {
        for text in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralize_formula(text), format!("'{text}"));
        }
        assert_eq!(neutralize_formula("Amnesty"), "Amnesty");
    }
}
