//! The knowledge base (база знања): short self-help articles written by administrators, so that
//! small problems are solved without a fault report (R.47–R.51: switching on and off, freezes,
//! storms, cleaning, printers). Every signed-in person reads published articles; drafts are seen
//! by those who write them and by the inspector.
//!
//! Bodies are plain text: blank lines separate paragraphs, lines starting with `- ` are a list,
//! `1. ` a numbered list, `## ` a heading and `! ` a warning. They are parsed into [`Block`]s and
//! rendered as escaped text, never as markup.

pub mod rulebook;
pub mod service;

use crate::clock::Micros;
use crate::error::Errors;
use crate::text::search_key;
use crate::{Error, Result};

pub const TITLE_MAX: usize = 200;
pub const BODY_MAX: usize = 20_000;
pub const CATEGORY_MAX: usize = 60;
pub const TAG_MAX: usize = 40;
pub const TAGS_MAX: usize = 12;
/// Terms of a query taken into account; the rest is ignored, so the SQL stays small.
pub const TERMS_MAX: usize = 8;
/// How many articles the fault-report form is offered.
pub const SUGGEST_LIMIT: u32 = 5;
/// Words are matched by their first letters, so "штампача" finds "штампач" and "zaglavio"
/// finds "заглављен": Serbian inflects the ending, and a prefix of five letters is the stem
/// for most words the articles use.
const STEM: usize = 5;

/// An article as a form or the API sends it.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, PartialEq)]
pub struct ArticleInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub category: String,
    /// A list, or one string separated by commas.
    #[serde(default, deserialize_with = "tags_list")]
    pub tags: Vec<String>,
    #[serde(default)]
    pub published: bool,
}

fn tags_list<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum V {
        S(String),
        L(Vec<String>),
        Null,
    }
    Ok(match <V as serde::Deserialize>::deserialize(d)? {
        V::S(s) => split_tags(&s),
        V::L(l) => l,
        V::Null => vec![],
    })
}

/// Splits the tag field of a form: commas or semicolons.
pub fn split_tags(s: &str) -> Vec<String> {
    s.split([',', ';']).map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect()
}

/// A validated article.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleFields {
    pub title: String,
    pub body: String,
    pub category: String,
    pub tags: Vec<String>,
    pub published: bool,
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl ArticleInput {
    pub fn validate(&self) -> Result<ArticleFields> {
        let mut e = Errors::default();
        let title = one_line(&self.title);
        if title.is_empty() {
            e.add("title", "err-required");
        } else if title.chars().count() > TITLE_MAX {
            e.add("title", "err-too-long");
        }
        // Line ends as typed on any system; trailing spaces carry nothing.
        let body = self.body.replace("\r\n", "\n").replace('\r', "\n").lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
        let body = body.trim_matches('\n').to_string();
        if body.trim().is_empty() {
            e.add("body", "err-required");
        } else if body.chars().count() > BODY_MAX {
            e.add("body", "err-too-long");
        }
        let category = one_line(&self.category);
        if category.chars().count() > CATEGORY_MAX {
            e.add("category", "err-too-long");
        }
        let mut tags: Vec<String> = vec![];
        for t in self.tags.iter().map(|t| one_line(t)).filter(|t| !t.is_empty()) {
            if t.chars().count() > TAG_MAX {
                e.add("tags", "err-kb-tag-long");
                break;
            }
            if !tags.iter().any(|have| search_key(have) == search_key(&t)) {
                tags.push(t);
            }
        }
        if tags.len() > TAGS_MAX {
            e.add("tags", "err-kb-tags-many");
        }
        e.finish()?;
        Ok(ArticleFields { title, body, category, tags, published: self.published })
    }
}

impl ArticleFields {
    pub fn title_key(&self) -> String {
        search_key(&self.title)
    }

    /// Each tag and the category between bars, `|stampac|toner|`, so one tag can be matched whole.
    pub fn tags_key(&self) -> String {
        let mut k = String::from("|");
        for t in self.tags.iter().chain(std::iter::once(&self.category).filter(|c| !c.is_empty())) {
            k.push_str(&search_key(t).replace('|', " "));
            k.push('|');
        }
        k
    }

    /// Everything searchable: title, category, tags and body.
    pub fn search_key(&self) -> String {
        search_key(&format!("{}\n{}\n{}\n{}", self.title, self.category, self.tags.join(" "), self.body))
    }
}

/// A stored article.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Article {
    pub id: i64,
    pub office_id: i64,
    pub title: String,
    pub body: String,
    pub category: String,
    pub tags: Vec<String>,
    pub published: bool,
    /// Where the text comes from, e.g. `R.48` for the rulebook's articles; `None` for one of
    /// the office's own.
    pub source: Option<String>,
    pub author_user_id: Option<i64>,
    pub author_name: String,
    pub created_us: Micros,
    pub updated_us: Micros,
}

impl Article {
    pub fn input(&self) -> ArticleInput {
        ArticleInput {
            title: self.title.clone(),
            body: self.body.clone(),
            category: self.category.clone(),
            tags: self.tags.clone(),
            published: self.published,
        }
    }

    /// The first lines of the body as one line, for lists and suggestions.
    pub fn excerpt(&self, max_chars: usize) -> String {
        excerpt(&self.body, max_chars)
    }
}

/// The body's first paragraph or list, as one line of at most `max_chars` characters.
pub fn excerpt(body: &str, max_chars: usize) -> String {
    let text: String = blocks(body)
        .iter()
        .find_map(|b| match b {
            Block::Paragraph(lines) | Block::Warning(lines) | Block::Bullets(lines) | Block::Numbered(lines) => Some(lines.join(" ")),
            Block::Heading(_) => None,
        })
        .unwrap_or_default();
    if text.chars().count() <= max_chars {
        return text;
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max_chars / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':', ' ']))
}

/// A new article with its author and origin.
#[derive(Debug, Clone)]
pub struct NewArticle {
    pub fields: ArticleFields,
    pub author_user_id: Option<i64>,
    pub author_name: String,
    pub source: Option<String>,
}

/// A part of an article's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    /// Lines kept as typed (a line break inside a paragraph is kept).
    Paragraph(Vec<String>),
    Bullets(Vec<String>),
    Numbered(Vec<String>),
    /// `! ` lines: what must not be done (the rulebook's "ПАЖЊА!").
    Warning(Vec<String>),
}

#[derive(PartialEq)]
enum LineKind {
    Blank,
    Heading,
    Bullet,
    Number,
    Warning,
    Text,
}

fn classify(line: &str) -> (LineKind, &str) {
    let t = line.trim();
    if t.is_empty() {
        return (LineKind::Blank, "");
    }
    for p in ["## ", "# "] {
        if let Some(rest) = t.strip_prefix(p) {
            return (LineKind::Heading, rest.trim());
        }
    }
    for p in ["- ", "* ", "• ", "– "] {
        if let Some(rest) = t.strip_prefix(p) {
            return (LineKind::Bullet, rest.trim());
        }
    }
    if let Some(rest) = t.strip_prefix("! ") {
        return (LineKind::Warning, rest.trim());
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &t[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return (LineKind::Number, rest.trim());
        }
    }
    (LineKind::Text, t)
}

/// Parses a body into blocks. Never fails: whatever does not look like a list is a paragraph.
pub fn blocks(body: &str) -> Vec<Block> {
    let mut out: Vec<Block> = vec![];
    let mut prev = LineKind::Blank;
    for line in body.lines() {
        let (kind, text) = classify(line);
        let text = text.to_string();
        let joined = prev == kind;
        match (kind, out.last_mut()) {
            (LineKind::Blank, _) => {
                prev = LineKind::Blank;
                continue;
            }
            (LineKind::Heading, _) => out.push(Block::Heading(text)),
            (LineKind::Bullet, Some(Block::Bullets(v))) if joined => v.push(text),
            (LineKind::Bullet, _) => out.push(Block::Bullets(vec![text])),
            (LineKind::Number, Some(Block::Numbered(v))) if joined => v.push(text),
            (LineKind::Number, _) => out.push(Block::Numbered(vec![text])),
            (LineKind::Warning, Some(Block::Warning(v))) if joined => v.push(text),
            (LineKind::Warning, _) => out.push(Block::Warning(vec![text])),
            (LineKind::Text, Some(Block::Paragraph(v))) if joined => v.push(text),
            // A line right under a list item continues that item.
            (LineKind::Text, Some(Block::Bullets(v) | Block::Numbered(v) | Block::Warning(v)))
                if prev != LineKind::Blank && prev != LineKind::Heading =>
            {
                if let Some(last) = v.last_mut() {
                    last.push(' ');
                    last.push_str(&text);
                }
                continue;
            }
            (LineKind::Text, _) => out.push(Block::Paragraph(vec![text])),
        }
        prev = classify(line).0;
    }
    out
}

/// Short words that say nothing about the problem; left out of suggestions, which come from
/// whole sentences ("када штампам, папир се заглави").
const STOP_WORDS: &[&str] = &[
    "ali", "ako", "bez", "bio", "bila", "bilo", "biti", "dok", "ima", "ili", "iz", "jer", "jos", "kad", "kada", "kako", "kao", "koja",
    "koje", "koji", "kod", "mene", "meni", "moj", "moja", "moje", "moji", "mog", "moga", "molim", "nam", "nas", "nece", "neki", "nema",
    "nije", "ovaj", "ova", "ovo", "posle", "pre", "preko", "sam", "samo", "sta", "smo", "ste", "sve", "svi", "taj", "tako", "vam", "vec",
    "vas", "zbog", "zato", "uvek", "opet", "stalno", "danas", "jutros", "juce", "hvala", "pozdrav", "problem", "ne", "da", "na", "za",
    "se", "je", "su", "od", "do", "sa", "to", "mi", "me", "pa", "li", "ide", "radi", "rade", "hoce", "moze", "mogu", "treba", "uopste",
];

/// The terms of a query in search-key form, cut to their stems. `suggest` leaves out short and
/// common words, since the text is a sentence being typed rather than chosen keywords.
pub fn search_terms(q: &str, suggest: bool) -> Vec<String> {
    let key = search_key(q);
    let mut out: Vec<String> = vec![];
    for w in key.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let len = w.chars().count();
        if suggest && (len < 3 || STOP_WORDS.contains(&w)) {
            continue;
        }
        let stem: String = w.chars().take(STEM).collect();
        if !out.contains(&stem) {
            out.push(stem);
        }
        if out.len() == TERMS_MAX {
            break;
        }
    }
    out
}

/// What the list asks the store for.
#[derive(Debug, Clone, Default)]
pub struct KbQuery {
    pub office_id: i64,
    /// Stems from [`search_terms`]; empty for every article.
    pub terms: Vec<String>,
    /// Any term suffices (suggestions); otherwise every term must match (the list's search).
    pub any_term: bool,
    /// A tag or the category, matched whole.
    pub tag: Option<String>,
    pub include_drafts: bool,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

/// A suggestion for the fault-report form.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Suggestion {
    pub id: i64,
    pub title: String,
    pub category: String,
    pub excerpt: String,
    pub url: String,
}

/// A positive id from outside.
pub fn article_id(id: i64) -> Result<i64> {
    if id > 0 { Ok(id) } else { Err(Error::NotFound { what: "article" }) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(title: &str, body: &str) -> ArticleInput {
        ArticleInput { title: title.into(), body: body.into(), ..Default::default() }
    }

    #[test]
    fn validation_names_each_field() {
        let Err(Error::Invalid(e)) = input("  ", "\n \n").validate() else { panic!("expected invalid") };
        assert_eq!(e.iter().map(|f| f.field).collect::<Vec<_>>(), ["title", "body"]);
        let long = ArticleInput { tags: vec!["x".repeat(41)], ..input("Наслов", "Текст") };
        assert!(matches!(long.validate(), Err(Error::Invalid(ref e)) if e[0].message == "err-kb-tag-long"));
        let many = ArticleInput { tags: (0..13).map(|i| format!("t{i}")).collect(), ..input("Наслов", "Текст") };
        assert!(matches!(many.validate(), Err(Error::Invalid(ref e)) if e[0].message == "err-kb-tags-many"));
        assert!(matches!(input(&"а".repeat(201), "x").validate(), Err(Error::Invalid(ref e)) if e[0].field == "title"));
        assert!(matches!(input("x", &"а".repeat(20_001)).validate(), Err(Error::Invalid(ref e)) if e[0].field == "body"));
    }

    #[test]
    fn validation_tidies_text_and_tags() {
        let f = ArticleInput {
            title: "  Штампач   не  штампа ".into(),
            body: "\r\nПрви ред   \r\nдруги\r\n\r\n".into(),
            category: " Штампачи ".into(),
            tags: vec!["тонер".into(), "toner".into(), " ".into(), "Štampač".into()],
            published: true,
        }
        .validate()
        .unwrap();
        assert_eq!(f.title, "Штампач не штампа");
        assert_eq!(f.body, "Први ред\nдруги");
        assert_eq!(f.tags, ["тонер", "Štampač"], "the same tag in the other script is one tag");
        assert_eq!(f.tags_key(), "|toner|stampac|stampaci|");
        assert!(f.search_key().starts_with("stampac ne stampa stampaci toner stampac prvi red"));
    }

    #[test]
    fn tags_come_as_a_list_or_a_string() {
        let a: ArticleInput = serde_json::from_str(r#"{"title":"a","body":"b","tags":"тонер, папир;  ласер"}"#).unwrap();
        assert_eq!(a.tags, ["тонер", "папир", "ласер"]);
        let b: ArticleInput = serde_json::from_str(r#"{"title":"a","body":"b","tags":["x","y"],"published":true}"#).unwrap();
        assert_eq!((b.tags.len(), b.published), (2, true));
        let c: ArticleInput = serde_json::from_str(r#"{"title":"a","body":"b","tags":null}"#).unwrap();
        assert!(c.tags.is_empty());
    }

    #[test]
    fn body_becomes_blocks_never_markup() {
        let body = "## Пре свега\nИскључите рачунар.\nСачекајте.\n\n- први\n- други\n  наставак\n\n1. корак\n2) корак\n\n! Не отварајте кућиште.\n<b>ништа</b>";
        assert_eq!(
            blocks(body),
            vec![
                Block::Heading("Пре свега".into()),
                Block::Paragraph(vec!["Искључите рачунар.".into(), "Сачекајте.".into()]),
                Block::Bullets(vec!["први".into(), "други наставак".into()]),
                Block::Numbered(vec!["корак".into(), "корак".into()]),
                Block::Warning(vec!["Не отварајте кућиште. <b>ништа</b>".into()]),
            ]
        );
        // A year at the start of a line is not a list.
        assert_eq!(blocks("2017. године донет је Правилник."), vec![Block::Paragraph(vec!["2017. године донет је Правилник.".into()])]);
        assert!(blocks("").is_empty());
    }

    #[test]
    fn excerpts_are_short_single_lines() {
        assert_eq!(excerpt("## Наслов\nПрви ред\nдруги ред.\n\nДруги пасус.", 100), "Први ред други ред.");
        let long = excerpt(&"реч ".repeat(100), 30);
        assert!(long.ends_with('…') && long.chars().count() <= 31, "{long}");
    }

    #[test]
    fn terms_are_stems_in_search_key_form() {
        assert_eq!(search_terms("Штампача HP", false), ["stamp", "hp"]);
        assert_eq!(search_terms("Računar se zamrznuo", false), ["racun", "se", "zamrz"]);
        // A sentence typed into the fault form: short and common words drop out.
        assert_eq!(search_terms("Када штампам, папир се заглави у штампачу и не иде", true), ["stamp", "papir", "zagla"]);
        assert!(search_terms("  ,. ", false).is_empty());
        assert_eq!(search_terms("a b c d e f g h i j k", false).len(), TERMS_MAX);
    }
}
