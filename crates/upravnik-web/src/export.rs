//! Export of any list as CSV (RFC 4180, UTF-8 with BOM so spreadsheet programs read Cyrillic)
//! or XLSX.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A list ready for export: a header row and data rows.
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

pub fn csv(sheet: &Sheet) -> String {
    let mut out = String::from("\u{feff}");
    for row in std::iter::once(&sheet.headers).chain(sheet.rows.iter()) {
        let line: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_cell(c: &str) -> String {
    // A leading = + - @ would run as a formula in spreadsheet programs (CSV injection).
    let c = if c.starts_with(['=', '+', '-', '@']) { format!("'{c}") } else { c.to_string() };
    if c.contains([',', '"', '\n', '\r']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c }
}

pub fn xlsx(sheet: &Sheet) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let name: String = sheet.name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    ws.set_name(if name.is_empty() { "Upravnik" } else { &name })?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (col, h) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, h, &bold)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        for (col, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, col as u16, v)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofit();
    wb.save_to_buffer()
}

pub fn respond(sheet: &Sheet, fmt: Format, file_stem: &str) -> Response {
    match fmt {
        Format::Csv => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_stem}.csv\"")),
            ],
            csv(sheet),
        )
            .into_response(),
        Format::Xlsx => match xlsx(sheet) {
            Ok(bytes) => (
                [
                    (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_stem}.xlsx\"")),
                ],
                bytes,
            )
                .into_response(),
            Err(e) => {
                tracing::error!(error = %e, "xlsx export failed");
                axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let s =
            Sheet {
                name: "x".into(), headers: vec!["Име".into(), "Текст".into()], rows: vec![vec!["Саша".into(), "=1+1, \"a\"".into()]]
            };
        assert_eq!(csv(&s), "\u{feff}Име,Текст\r\nСаша,\"'=1+1, \"\"a\"\"\"\r\n");
    }

    #[test]
    fn xlsx_is_a_zip() {
        let s = Sheet { name: "Дневник".into(), headers: vec!["a".into()], rows: vec![vec!["б".into()]] };
        let b = xlsx(&s).unwrap_or_default();
        assert_eq!(&b[..2], b"PK");
    }
}
