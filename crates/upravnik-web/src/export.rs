//! Export of any list as CSV (RFC 4180, UTF-8 with BOM so spreadsheet programs read Cyrillic),
//! XLSX, or a printable PDF (A4, Liberation Sans, R.38).

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A list ready for export: a header row and data rows.
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// What a printed list carries besides its rows.
pub struct Print {
    pub lang: &'static str,
    pub letterhead: Vec<String>,
    pub footer: String,
    /// Relative column widths; equal when empty.
    pub widths: Vec<f64>,
    pub signatures: Vec<upravnik_pdf::Signature>,
}

/// A PDF is laid out in at most this many rows; narrow the filter for more.
pub const PDF_MAX_ROWS: usize = 3000;
/// Layout is CPU-bound: at most two PDFs at a time, each on a blocking thread.
static PDF_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Pdf,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "pdf" => Some(Format::Pdf),
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

/// A workbook of several sheets (the monthly report: summary and one sheet per grouping).
pub fn xlsx_book(sheets: &[Sheet]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (i, sheet) in sheets.iter().enumerate() {
        let ws = wb.add_worksheet();
        let name: String = sheet.name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(28).collect();
        // Sheet names must be unique; the position keeps two equal names apart.
        ws.set_name(
            if name.is_empty() { format!("Upravnik {}", i + 1) } else { format!("{} {}", i + 1, name) }
                .chars()
                .take(31)
                .collect::<String>(),
        )?;
        for (col, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(0, col as u16, h, &bold)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            for (col, v) in row.iter().enumerate() {
                // Counts go in as numbers so the sheet can sum them.
                match v.parse::<f64>() {
                    Ok(n) if !v.is_empty() => ws.write_number(r as u32 + 1, col as u16, n)?,
                    _ => ws.write_string(r as u32 + 1, col as u16, v)?,
                };
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofit();
    }
    wb.save_to_buffer()
}

pub fn pdf_form(sheet: &Sheet, print: Print) -> upravnik_pdf::Form {
    let widths = if print.widths.len() == sheet.headers.len() { print.widths } else { vec![1.0; sheet.headers.len()] };
    let size = if sheet.headers.len() > 5 { 9.0 } else { 10.0 };
    upravnik_pdf::Form {
        lang: print.lang.to_string(),
        letterhead: print.letterhead,
        title: sheet.name.clone(),
        number: String::new(),
        sections: vec![upravnik_pdf::Section::Table {
            heading: String::new(),
            headers: sheet.headers.clone(),
            widths,
            rows: sheet.rows.iter().take(PDF_MAX_ROWS).cloned().collect(),
            size,
        }],
        signatures: print.signatures,
        footer: print.footer,
    }
}

/// Renders a PDF off the async threads.
pub async fn pdf(form: upravnik_pdf::Form, file_stem: &str) -> Response {
    pdf_with(move || upravnik_pdf::render(&form), file_stem).await
}

/// Runs any PDF layout off the async threads, within the same limit of two at a time.
pub async fn pdf_with(layout: impl FnOnce() -> Result<Vec<u8>, upravnik_pdf::PdfError> + Send + 'static, file_stem: &str) -> Response {
    let Ok(_slot) = PDF_SLOTS.acquire().await else { return axum::http::StatusCode::SERVICE_UNAVAILABLE.into_response() };
    match tokio::task::spawn_blocking(layout).await {
        Ok(Ok(bytes)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (header::CONTENT_DISPOSITION, format!("inline; filename=\"{file_stem}.pdf\"")),
            ],
            bytes,
        )
            .into_response(),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "PDF rendering failed");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "PDF task failed");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub async fn respond(sheet: &Sheet, fmt: Format, file_stem: &str, print: Print) -> Response {
    match fmt {
        Format::Pdf => pdf(pdf_form(sheet, print), file_stem).await,
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
