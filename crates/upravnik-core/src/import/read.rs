//! Reading an uploaded equipment register into rows of text: CSV (`;` or `,`, UTF-8 with or
//! without BOM, Windows-1250 as written by older Serbian Excel) or a workbook (XLSX, XLS, ODS).
//! Every row keeps the spreadsheet's own number, so messages point at the row people see.

use std::io::Cursor;

use calamine::{Data, Reader};

use crate::{Error, Result};

/// Largest file accepted (the pages and the API refuse larger uploads before reading them).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Rows beyond this are refused: a register is not a database dump.
pub const MAX_ROWS: usize = 100_000;
/// Columns beyond this are ignored.
pub const MAX_COLUMNS: usize = 200;
/// What the parts of a workbook may unpack to: a 10 MB upload must not become gigabytes in
/// memory (a "zip bomb"). A real register of 100,000 rows unpacks to far less.
pub const MAX_UNPACKED: u128 = 400 * 1024 * 1024;

/// One row of the file: its number as the spreadsheet shows it (1-based) and its cells as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub number: u32,
    pub cells: Vec<String>,
}

impl SheetRow {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map(String::as_str).unwrap_or("")
    }
}

/// What kind of file it is, told by its content (the name may lie).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Workbook,
}

pub fn detect(bytes: &[u8]) -> Format {
    // ZIP (xlsx, ods) and OLE2 (xls) containers.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) { Format::Workbook } else { Format::Csv }
}

/// Reads the file's rows (the first sheet of a workbook). Blank rows are kept here; the header
/// search and the import skip them.
pub fn read(bytes: &[u8]) -> Result<Vec<SheetRow>> {
    if bytes.len() > MAX_BYTES {
        return Err(Error::invalid("file", "err-import-too-large"));
    }
    let rows = match detect(bytes) {
        Format::Workbook => read_workbook(bytes)?,
        Format::Csv => read_csv(bytes)?,
    };
    if rows.len() > MAX_ROWS {
        return Err(Error::invalid("file", "err-import-too-many-rows"));
    }
    Ok(rows)
}

fn unreadable() -> Error {
    Error::invalid("file", "err-import-unreadable")
}

/// UTF-8 (a BOM is dropped), else Windows-1250, the code page of Serbian Latin Excel exports.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1250.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// The separator used most in the first lines (outside quotes): `;` (Serbian Excel), `,` or tab.
fn delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(20) {
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                ';' if !quoted => counts[0] += 1,
                ',' if !quoted => counts[1] += 1,
                '\t' if !quoted => counts[2] += 1,
                _ => {}
            }
        }
    }
    let best = counts.iter().enumerate().max_by_key(|(i, n)| (**n, usize::MAX - i)).map(|(i, _)| i).unwrap_or(0);
    [b';', b',', b'\t'][best]
}

fn read_csv(bytes: &[u8]) -> Result<Vec<SheetRow>> {
    let text = decode(bytes);
    if text.contains('\0') {
        return Err(unreadable());
    }
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter(&text)).from_reader(text.as_bytes());
    let mut rows = vec![];
    let mut record = csv::StringRecord::new();
    // Line numbers are counted from the byte offsets (blank lines are skipped by the reader).
    let (mut counted_to, mut line) = (0usize, 1usize);
    loop {
        match r.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let mut at = record.position().map(|p| p.byte()).and_then(|b| usize::try_from(b).ok()).unwrap_or(counted_to);
                // A record's position is where the reader began, before the blank lines it skipped.
                while let Some(b'\r' | b'\n') = text.as_bytes().get(at) {
                    at += 1;
                }
                line += text.as_bytes().get(counted_to..at).map(line_breaks).unwrap_or(0);
                counted_to = at.max(counted_to);
                let number = u32::try_from(line).map_err(|_| unreadable())?;
                rows.push(SheetRow { number, cells: record.iter().take(MAX_COLUMNS).map(|c| c.trim().to_string()).collect() });
                if rows.len() > MAX_ROWS {
                    break;
                }
            }
            Err(_) => return Err(unreadable()),
        }
    }
    Ok(rows)
}

/// Line breaks as the CSV reader counts them: `\r\n`, `\n` or a lone `\r`.
fn line_breaks(s: &[u8]) -> usize {
    s.iter().enumerate().filter(|(i, b)| **b == b'\n' || (**b == b'\r' && s.get(i + 1) != Some(&b'\n'))).count()
}

fn read_workbook(bytes: &[u8]) -> Result<Vec<SheetRow>> {
    if bytes.starts_with(b"PK") {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
        if zip.decompressed_size().is_some_and(|n| n > MAX_UNPACKED) {
            return Err(Error::invalid("file", "err-import-too-large"));
        }
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(r)) => r,
        Some(Err(_)) => return Err(unreadable()),
        None => return Ok(vec![]),
    };
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::with_capacity(range.height().min(MAX_ROWS + 1));
    for (i, r) in range.rows().enumerate() {
        let number = first_row.saturating_add(u32::try_from(i).unwrap_or(u32::MAX)).saturating_add(1);
        // Cells left of the used range are empty, so columns keep their letters' positions.
        let mut cells: Vec<String> = vec![String::new(); (first_col as usize).min(MAX_COLUMNS)];
        cells.extend(r.iter().take(MAX_COLUMNS.saturating_sub(cells.len())).map(cell_text));
        rows.push(SheetRow { number, cells });
        if rows.len() > MAX_ROWS {
            break;
        }
    }
    Ok(rows)
}

/// A cell as the text a person would type: whole numbers without `.0`, dates as ISO dates.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "1" } else { "" }.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTime(dt) => number_text(dt.as_f64()),
        Data::DateTimeIso(s) => s.get(..10).filter(|d| crate::clock::parse_date(d).is_some()).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
    }
}

fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 { format!("{f:.0}") } else { f.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_semicolons_bom_and_quoted_separators() {
        let rows = read("\u{feff}Inv. br.;Naziv\r\n\r\n\"0001\";\"Dell; OptiPlex\"\r\n".as_bytes()).unwrap_or_default();
        // The blank line is skipped, and the rows keep the file's line numbers.
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].cells, ["Inv. br.", "Naziv"]);
        assert_eq!((rows[1].number, rows[1].cell(1)), (3, "Dell; OptiPlex"));
    }

    #[test]
    fn csv_with_commas_and_windows_1250() {
        // "Štampač" in Windows-1250: Š = 0x8A, č = 0xE8.
        let bytes = b"Vrsta,Inv\n\x8Atampa\xE8,12\n";
        let rows = read(bytes).unwrap_or_default();
        assert_eq!(rows[1].cells, ["Štampač", "12"]);
    }

    #[test]
    fn old_mac_line_ends_count_as_lines() {
        let rows = read(b"a;b\rc;d\r\re;f").unwrap_or_default();
        assert_eq!(rows.iter().map(|r| r.number).collect::<Vec<_>>(), [1, 2, 4]);
    }

    #[test]
    fn garbage_workbooks_are_refused_not_panicked_on() {
        assert!(matches!(read(b"PK\x03\x04 not really a zip"), Err(Error::Invalid(_))));
        assert!(read(&vec![b'a'; MAX_BYTES + 1]).is_err());
    }

    #[test]
    fn whole_numbers_lose_their_fraction() {
        assert_eq!(number_text(123.0), "123");
        assert_eq!(number_text(89990.5), "89990.5");
    }
}
