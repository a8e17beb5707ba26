//! Printed forms and reports (Prilog 1–6 and lists): A4 portrait, Liberation Sans 12 pt embedded
//! (the metric twin of the Arial that R.38 asks for), Cyrillic by default. Built on typst; kept in
//! its own crate so its long build is done once.

use std::sync::OnceLock;

use typst::foundations::{Dict, IntoValue, Str};
use typst_as_lib::TypstEngine;

static TEMPLATE: &str = include_str!("form.typ");
static LABELS_TEMPLATE: &str = include_str!("labels.typ");
static REGULAR: &[u8] = include_bytes!("../fonts/LiberationSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/LiberationSans-Bold.ttf");

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("layout failed: {0}")]
    Layout(String),
    #[error("PDF export failed: {0}")]
    Export(String),
}

/// A signature line: the role under the line, then the name and the date.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Signature {
    pub role: String,
    pub name: String,
    pub date: String,
}

#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Section {
    /// Label–value pairs.
    Facts {
        heading: String,
        items: Vec<(String, String)>,
    },
    /// A table; `widths` are relative column widths, `size` the font size in points.
    Table {
        heading: String,
        headers: Vec<String>,
        widths: Vec<f64>,
        rows: Vec<Vec<String>>,
        size: f64,
    },
    Text {
        heading: String,
        text: String,
    },
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Form {
    /// `sr` (Cyrillic or Latin text) or `en`: hyphenation and shaping.
    pub lang: String,
    /// The office's letterhead block (R.43); empty on acts.
    pub letterhead: Vec<String>,
    pub title: String,
    /// The form's number, e.g. "Прилог 1".
    pub number: String,
    pub sections: Vec<Section>,
    pub signatures: Vec<Signature>,
    pub footer: String,
}

type Engine = TypstEngine<typst_as_lib::TypstTemplateMainFile>;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| TypstEngine::builder().main_file(TEMPLATE).fonts([REGULAR, BOLD]).build())
}

fn labels_engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| TypstEngine::builder().main_file(LABELS_TEMPLATE).fonts([REGULAR, BOLD]).build())
}

/// One asset label.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Label {
    pub office: String,
    /// `ST nn`, or empty.
    pub label: String,
    pub inventory: String,
    /// Kind and model, short.
    pub what: String,
    /// The QR code as an SVG document.
    pub qr: String,
}

/// A sheet (or several A4 pages) of labels, 3 × 8 to a page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Labels {
    pub lang: String,
    pub title: String,
    pub labels: Vec<Label>,
}

fn compile(engine: &Engine, data: &impl serde::Serialize) -> Result<Vec<u8>, PdfError> {
    let json = serde_json::to_string(data).map_err(|e| PdfError::Layout(e.to_string()))?;
    let mut inputs = Dict::new();
    inputs.insert("data".into(), Str::from(json).into_value());
    let doc: typst_layout::PagedDocument = engine.compile_with_input(inputs).output.map_err(|e| PdfError::Layout(format!("{e:?}")))?;
    typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|e| PdfError::Export(format!("{e:?}")))
}

/// Lays out and exports the form. CPU-bound (milliseconds per page in release builds): call it
/// from a blocking thread in async code.
pub fn render(form: &Form) -> Result<Vec<u8>, PdfError> {
    compile(engine(), form)
}

/// Lays out and exports a label sheet; CPU-bound like [`render`].
pub fn render_labels(sheet: &Labels) -> Result<Vec<u8>, PdfError> {
    compile(labels_engine(), sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Form {
        Form {
            lang: "sr".into(),
            letterhead: vec!["Република Србија".into(), "Град Зајечар — Градска управа".into()],
            title: "Картон радне станице".into(),
            number: "Прилог 1".into(),
            sections: vec![
                Section::Facts {
                    heading: String::new(),
                    items: vec![("Ознака".into(), "ST 28".into()), ("Корисник".into(), "Ђорђе Џајић, Љиљана Њежић".into())],
                },
                Section::Table {
                    heading: "Измене".into(),
                    headers: vec!["Датум".into(), "Опис".into()],
                    widths: vec![1.0, 4.0],
                    rows: vec![vec!["25.11.2026.".into(), "#set text(red) *не сме да се тумачи* [x]".into()]],
                    size: 10.0,
                },
            ],
            signatures: vec![Signature {
                role: "Администратор".into(), name: "Милан Стојановић".into(), date: "25.11.2026.".into()
            }],
            footer: "Управник".into(),
        }
    }

    #[test]
    fn a_label_sheet_places_the_qr_svg_and_prints_data_as_text() {
        let qr = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#000"/></svg>"##;
        let label = |n: usize| Label {
            office: "Градска управа".into(),
            label: format!("ST {n:02}"),
            inventory: format!("#set text(red) {n:06}"),
            what: "радна станица · Dell".into(),
            qr: qr.into(),
        };
        // 25 labels: a full page of 24 and one more on a second page.
        let sheet = Labels { lang: "sr".into(), title: "Налепнице".into(), labels: (1..=25).map(label).collect() };
        let pdf = render_labels(&sheet).unwrap_or_else(|e| panic!("{e}"));
        let raw = String::from_utf8_lossy(&pdf);
        assert!(raw.starts_with("%PDF-") && raw.contains("/MediaBox[0 0 595.27"), "an A4 PDF");
        let path = std::env::temp_dir().join(format!("upravnik-labels-{}.pdf", std::process::id()));
        std::fs::write(&path, &pdf).unwrap_or_else(|e| panic!("{e}"));
        let page = |n: &str| {
            std::process::Command::new("pdftotext")
                .args(["-f", n, "-l", n, path.to_str().unwrap_or(""), "-"])
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        };
        let (Some(first), Some(second)) = (page("1"), page("2")) else {
            assert!(std::env::var("CI").is_err(), "poppler-utils (pdftotext) must be installed in CI");
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "\n*** SKIPPED the label sheet text check: install poppler-utils (pdftotext). ***\n");
            return;
        };
        let _ = std::fs::remove_file(&path);
        assert!(first.contains("ST 01") && first.contains("ST 24") && !first.contains("ST 25"), "24 labels a page:\n{first}");
        assert!(second.contains("ST 25"), "{second}");
        assert!(first.contains("#set text(red) 000001") && first.contains("радна станица · Dell"), "data is text:\n{first}");
    }

    #[test]
    fn r38_renders_cyrillic_a4_with_embedded_liberation_sans() {
        let pdf = render(&sample()).unwrap_or_else(|e| panic!("{e}"));
        assert!(pdf.starts_with(b"%PDF-"), "a PDF");
        assert!(String::from_utf8_lossy(&pdf).contains("/MediaBox[0 0 595.27"), "A4 portrait");
        let path = std::env::temp_dir().join(format!("upravnik-sample-{}.pdf", std::process::id()));
        std::fs::write(&path, &pdf).unwrap_or_else(|e| panic!("{e}"));
        let run = |cmd: &str, args: &[&str]| std::process::Command::new(cmd).args(args).output().ok().filter(|o| o.status.success());
        let (Some(text), Some(fonts)) =
            (run("pdftotext", &[path.to_str().unwrap_or(""), "-"]), run("pdffonts", &[path.to_str().unwrap_or("")]))
        else {
            assert!(std::env::var("CI").is_err(), "poppler-utils (pdftotext, pdffonts) must be installed in CI");
            use std::io::Write;
            let _ =
                writeln!(std::io::stderr(), "\n*** SKIPPED the PDF text round trip: install poppler-utils (pdftotext, pdffonts). ***\n");
            return;
        };
        let text = String::from_utf8_lossy(&text.stdout);
        for s in ["Картон радне станице", "Прилог 1", "Ђорђе Џајић, Љиљана Њежић", "ST 28", "Администратор", "Милан Стојановић"]
        {
            assert!(text.contains(s), "{s:?} round-trips through the PDF:\n{text}");
        }
        // Data is text, never markup: the typst syntax in a cell is printed as it was typed.
        assert!(text.contains("#set text(red) *не сме да се тумачи* [x]"), "{text}");
        let fonts = String::from_utf8_lossy(&fonts.stdout);
        assert!(fonts.lines().filter(|l| l.contains("LiberationSans")).all(|l| l.contains(" yes yes yes")), "{fonts}");
        assert!(fonts.contains("LiberationSans-Bold") && fonts.contains("LiberationSans "), "{fonts}");
        if std::env::var("UPRAVNIK_KEEP_PDF").is_err() {
            let _ = std::fs::remove_file(path);
        }
    }
}
