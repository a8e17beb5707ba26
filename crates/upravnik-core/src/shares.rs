//! Documents on the network (R.38–R.46): the naming rule of R.42, the folder layout of R.39–R.41,
//! private files on the servers (R.22, R.40, R.61.7) and related documents that spell their
//! leading word differently (R.42). Pure: the scanner feeds it names and paths, it answers with
//! violations and a compliant name for each bad one.

use std::collections::BTreeMap;

use crate::text::cyr_to_lat;

/// What the rules check; the defaults are the rulebook's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// R.42: the whole path from the share root, in characters.
    pub max_path: usize,
    /// R.40: the two folders under each employee's folder.
    pub public_dir: String,
    pub private_dir: String,
    /// R.22, R.40, R.61.7: extensions of private files (music, films, disk images, games).
    pub private_exts: Vec<String>,
    /// Check the layout of R.39–R.41 (unit / employee / JAVNO|PRIVATNO).
    pub layout: bool,
}

impl Default for Rules {
    fn default() -> Self {
        let exts = [
            "mp3", "wav", "flac", "aac", "m4a", "ogg", "wma", "opus", "mp4", "avi", "mkv", "mov", "wmv", "flv", "mpg", "mpeg", "m4v",
            "webm", "vob", "iso", "nrg", "bin", "cue", "torrent",
        ];
        Rules {
            max_path: 220,
            public_dir: "JAVNO".into(),
            private_dir: "PRIVATNO".into(),
            private_exts: exts.iter().map(|e| e.to_string()).collect(),
            layout: true,
        }
    }
}

impl Rules {
    /// The rulebook's rules with what an office changed: the path limit, the layout check, the
    /// private files' extensions (replacing the list) and the names of the two folders.
    pub fn custom(
        max_path: Option<usize>,
        layout: Option<bool>,
        private_exts: Option<Vec<String>>,
        public_dir: Option<String>,
        private_dir: Option<String>,
    ) -> Rules {
        let d = Rules::default();
        let clean = |v: Vec<String>| {
            v.into_iter().map(|e| e.trim().trim_start_matches('.').to_ascii_lowercase()).filter(|e| !e.is_empty()).collect()
        };
        Rules {
            max_path: max_path.unwrap_or(d.max_path),
            layout: layout.unwrap_or(d.layout),
            private_exts: private_exts.map(clean).unwrap_or(d.private_exts),
            public_dir: public_dir.filter(|s| !s.trim().is_empty()).unwrap_or(d.public_dir),
            private_dir: private_dir.filter(|s| !s.trim().is_empty()).unwrap_or(d.private_dir),
        }
    }
}

/// A broken rule, with the article it comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Violation {
    /// Cyrillic letters in a name (R.42: "nisu dozvoljena imena fajlova na ćirilici").
    Cyrillic,
    /// č ć š đ ž (R.42).
    Diacritics,
    /// Characters other than Latin letters, digits, space and `. - _` (R.42).
    Forbidden { chars: String },
    /// The path from the share root is longer than allowed (R.42).
    PathTooLong { len: usize, max: usize },
    /// A name that is only a number, or too short to recognise (R.42: "prepoznatljiv").
    NotRecognisable,
    /// Music, films, disk images on the server (R.22, R.40, R.61.7).
    PrivateFile { ext: String, size: u64 },
    /// An official document outside unit / employee / JAVNO|PRIVATNO (R.39–R.41).
    OutsideLayout,
    /// Related documents spell their leading word differently: an abbreviation of `word` (R.42).
    LeadingWord { word: String, used: String },
}

impl Violation {
    pub fn code(&self) -> &'static str {
        match self {
            Violation::Cyrillic => "cyrillic",
            Violation::Diacritics => "diacritics",
            Violation::Forbidden { .. } => "forbidden",
            Violation::PathTooLong { .. } => "path_too_long",
            Violation::NotRecognisable => "not_recognisable",
            Violation::PrivateFile { .. } => "private_file",
            Violation::OutsideLayout => "outside_layout",
            Violation::LeadingWord { .. } => "leading_word",
        }
    }

    /// The article of the rulebook the rule comes from.
    pub fn article(&self) -> &'static str {
        match self {
            Violation::PrivateFile { .. } => "R.40, R.61.7",
            Violation::OutsideLayout => "R.39–R.41",
            _ => "R.42",
        }
    }

    /// Whether renaming fixes it (the others need a person: move or delete the file).
    pub fn renamable(&self) -> bool {
        matches!(self, Violation::Cyrillic | Violation::Diacritics | Violation::Forbidden { .. } | Violation::PathTooLong { .. })
    }
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

fn is_diacritic(c: char) -> bool {
    matches!(c, 'č' | 'ć' | 'š' | 'đ' | 'ž' | 'Č' | 'Ć' | 'Š' | 'Đ' | 'Ž')
}

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_')
}

/// Splits `name.ext`; a leading dot or no dot means no extension.
pub fn split_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) if i > 0 && i + 1 < name.len() => (&name[..i], &name[i + 1..]),
        _ => (name, ""),
    }
}

/// The name's own violations (not the layout's): characters, recognisability, and the length of
/// the path it ends (`path_chars`, counted from the share root).
pub fn check_name(name: &str, path_chars: usize, rules: &Rules) -> Vec<Violation> {
    // Most names on a share are plain ASCII the rule allows: one pass over the bytes.
    if path_chars <= rules.max_path && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'.' | b'-' | b'_')) {
        return if recognisable(split_ext(name).0) { vec![] } else { vec![Violation::NotRecognisable] };
    }
    let mut v = vec![];
    if name.chars().any(is_cyrillic) {
        v.push(Violation::Cyrillic);
    }
    if name.chars().any(is_diacritic) {
        v.push(Violation::Diacritics);
    }
    let mut bad: Vec<char> = name.chars().filter(|c| !allowed(*c) && !is_cyrillic(*c) && !is_diacritic(*c)).collect();
    bad.sort_unstable();
    bad.dedup();
    if !bad.is_empty() {
        v.push(Violation::Forbidden { chars: bad.into_iter().collect() });
    }
    if path_chars > rules.max_path {
        v.push(Violation::PathTooLong { len: path_chars, max: rules.max_path });
    }
    if !recognisable(split_ext(name).0) {
        v.push(Violation::NotRecognisable);
    }
    v
}

/// R.42 "prepoznatljiv": at least two letters, and not one short abbreviation ("UGV", "R.").
fn recognisable(stem: &str) -> bool {
    // Four letters are never an abbreviation: the common case, decided on the bytes.
    if stem.bytes().filter(u8::is_ascii_alphabetic).take(4).count() == 4 {
        return true;
    }
    let letters = stem.chars().filter(|c| c.is_alphabetic()).count();
    let one_word = !stem.trim().contains([' ', '_', '-']);
    let abbreviation =
        one_word && letters <= 3 && (stem.trim_end().ends_with('.') || stem.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase));
    letters >= 2 && !abbreviation
}

/// A private file by its extension.
pub fn private_ext(name: &str, rules: &Rules) -> Option<String> {
    let (_, ext) = split_ext(name);
    rules.private_exts.iter().any(|e| e.eq_ignore_ascii_case(ext)).then(|| ext.to_ascii_lowercase())
}

/// R.39–R.41: a file belongs under unit / employee / JAVNO|PRIVATNO (the components of its path
/// from the share root, the file's own name last).
pub fn outside_layout(components: &[&str], rules: &Rules) -> bool {
    if !rules.layout {
        return false;
    }
    match components {
        [_, _, top, _, ..] => !top.eq_ignore_ascii_case(&rules.public_dir) && !top.eq_ignore_ascii_case(&rules.private_dir),
        _ => true,
    }
}

/// The ASCII the rule wants: Cyrillic read as Latin, then š→s, č→c, ć→c, đ→dj, ž→z (dž→dz
/// follows), forbidden characters dropped (a separator becomes a space), spaces squeezed.
pub fn ascii_name(s: &str) -> String {
    let lat = if s.chars().any(is_cyrillic) { std::borrow::Cow::Owned(cyr_to_lat(s)) } else { std::borrow::Cow::Borrowed(s) };
    let mut out = String::with_capacity(lat.len());
    // Spaces squeezed as they come: one between words, none at the ends.
    let mut gap = false;
    let mut emit = |out: &mut String, c: char| {
        if c == ' ' {
            gap = true;
            return;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        out.push(c);
    };
    for c in lat.chars() {
        match c {
            'č' | 'ć' => emit(&mut out, 'c'),
            'Č' | 'Ć' => emit(&mut out, 'C'),
            'š' => emit(&mut out, 's'),
            'Š' => emit(&mut out, 'S'),
            'ž' => emit(&mut out, 'z'),
            'Ž' => emit(&mut out, 'Z'),
            'đ' => {
                emit(&mut out, 'd');
                emit(&mut out, 'j');
            }
            'Đ' => {
                emit(&mut out, 'D');
                emit(&mut out, 'j');
            }
            c if allowed(c) => emit(&mut out, c),
            // Separators people use instead of a space keep the words apart.
            ',' | ';' | '+' | '&' | '(' | ')' | '[' | ']' | '{' | '}' | '\'' | '"' | '!' | '?' | '#' | '@' | '=' | '~' => {
                emit(&mut out, ' ')
            }
            c if c.is_whitespace() => emit(&mut out, ' '),
            // Other letters with marks lose them where ASCII has the base letter; the rest go.
            c => {
                if let Some(b) = base_letter(c) {
                    emit(&mut out, b)
                }
            }
        }
    }
    let trimmed = out.trim_matches(|c: char| c == '.' || c == ' ');
    if trimmed.len() == out.len() { out } else { trimmed.to_string() }
}

fn base_letter(c: char) -> Option<char> {
    let b = match c.to_lowercase().next()? {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ñ' | 'ń' => 'n',
        'ý' | 'ÿ' => 'y',
        'ç' => 'c',
        'ł' => 'l',
        'ß' => 's',
        _ => return None,
    };
    Some(if c.is_uppercase() { b.to_ascii_uppercase() } else { b })
}

/// A compliant name for `name`: ASCII (see [`ascii_name`]), the extension kept, the stem cut so
/// the path fits `room` characters (the room the parent path leaves), and made unique against
/// `taken` (names already in the folder, compared without case, as Windows shares do) with
/// ` 2`, ` 3`, …. `None` when nothing recognisable is left.
pub fn propose_name(name: &str, room: usize, taken: &dyn Fn(&str) -> bool) -> Option<String> {
    let (stem, ext) = split_ext(name);
    let stem = ascii_name(stem);
    let ext = ascii_name(ext).replace([' ', '.'], "");
    if stem.chars().filter(|c| c.is_ascii_alphabetic()).count() < 2 {
        return None;
    }
    let with_ext = |s: &str| if ext.is_empty() { s.to_string() } else { format!("{s}.{ext}") };
    let suffix_room = |suffix: &str| room.saturating_sub(suffix.len() + if ext.is_empty() { 0 } else { ext.len() + 1 });
    for n in 1..10_000 {
        let suffix = if n == 1 { String::new() } else { format!(" {n}") };
        let keep = suffix_room(&suffix);
        if keep < 2 {
            return None;
        }
        let cut: String = stem.chars().take(keep).collect();
        let candidate = with_ext(&format!("{}{suffix}", cut.trim_end_matches([' ', '.', '-', '_'])));
        if !taken(&candidate) {
            return Some(candidate);
        }
    }
    None
}

/// The first word of a file's name, as R.42 compares related documents: letters only, lower case.
pub fn leading_word(name: &str) -> Option<(String, bool)> {
    leading_word_as_written(name).map(|(w, abbr)| (w.to_ascii_lowercase(), abbr))
}

/// The leading word's ASCII letters as written (borrowed when the word is ASCII already).
fn leading_word_as_written(name: &str) -> Option<(std::borrow::Cow<'_, str>, bool)> {
    let (stem, _) = split_ext(name);
    // Only the first word is read as ASCII (the rest of the name does not matter here).
    let first = stem.trim_start().split([' ', '_', '-']).next()?;
    let abbreviated = first.ends_with('.');
    let letters = |s: &str| s.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = if first.is_ascii() {
        std::borrow::Cow::Borrowed(&first[..letters(first)])
    } else {
        let mut a = ascii_name(first);
        a.truncate(letters(&a));
        std::borrow::Cow::Owned(a)
    };
    (!word.is_empty()).then_some((word, abbreviated))
}

/// In one folder: names whose leading word is an abbreviation (a shorter prefix, or a word written
/// with a dot) of a longer leading word used by other names there. Returns (name, full word, used).
pub fn inconsistent_leading_words<'a>(names: &[&'a str]) -> Vec<(&'a str, String, String)> {
    // Only a word with a dot or of at most three letters can abbreviate another; most folders
    // have none, and are done without a copy of any word.
    let suspect = |w: &str, abbr: bool| abbr || w.len() <= 3;
    let written: Vec<_> = names.iter().map(|n| leading_word_as_written(n)).collect();
    if !written.iter().flatten().any(|(w, abbr)| suspect(w, *abbr)) {
        return vec![];
    }
    let words: Vec<Option<(String, bool)>> = written.into_iter().map(|w| w.map(|(w, abbr)| (w.to_ascii_lowercase(), abbr))).collect();
    let mut full: BTreeMap<&str, usize> = BTreeMap::new();
    for (w, abbr) in words.iter().flatten() {
        if !abbr && w.len() >= 4 {
            *full.entry(w.as_str()).or_default() += 1;
        }
    }
    let mut out = vec![];
    for (name, w) in names.iter().zip(&words) {
        let Some((w, abbr)) = w else { continue };
        if !suspect(w, *abbr) {
            continue;
        }
        let longer = full.keys().filter(|f| f.len() > w.len() && f.starts_with(w.as_str())).max_by_key(|f| full[*f]);
        // A dot marks an abbreviation; an undotted short word counts only against a word the
        // folder uses more than once ("Res" beside two "Resenje…").
        if let Some(f) = longer
            && (*abbr || full[f] >= 2)
        {
            out.push((*name, f.to_string(), w.clone()));
        }
    }
    out
}

// What a scan found, as the CLI prints it and sends it to the server.

/// One finding: where, what, and the name that would fix it (when a rename fixes it).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    /// The path from the share root, `/`-separated.
    pub path: String,
    pub dir: bool,
    pub violation: Violation,
    pub article: String,
    pub proposal: Option<String>,
    /// The path's bytes in hex when a name in it is not valid Unicode (`path` shows it lossily).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_hex: Option<String>,
}

/// Files and violations of a unit or a person (`bytes`: of its private files).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    pub files: u64,
    pub bytes: u64,
    pub violations: u64,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    pub root: String,
    pub files: u64,
    pub folders: u64,
    /// Of the private files found (only those are measured).
    pub bytes: u64,
    pub seconds: f64,
    /// Every violation, and those a rename fixes (`findings` may hold only the first ones).
    #[serde(default)]
    pub violations: u64,
    #[serde(default)]
    pub renamable: u64,
    /// Folders that could not be read (permissions), with the error.
    pub unreadable: Vec<(String, String)>,
    pub by_unit: BTreeMap<String, Tally>,
    /// `unit/person`.
    pub by_person: BTreeMap<String, Tally>,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn files_per_second(&self) -> f64 {
        if self.seconds > 0.0 { self.files as f64 / self.seconds } else { self.files as f64 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules::default()
    }

    #[test]
    fn r42_names_are_latin_ascii_with_only_dot_dash_underscore_and_space() {
        assert!(check_name("Resenje o godisnjem odmoru 2026.docx", 40, &rules()).is_empty());
        assert_eq!(check_name("Решење о одмору.docx", 40, &rules()), [Violation::Cyrillic]);
        assert_eq!(check_name("Rešenje o odmoru.docx", 40, &rules()), [Violation::Diacritics]);
        assert_eq!(
            check_name("Zapisnik (konačni), v2!.doc", 40, &rules()),
            [Violation::Diacritics, Violation::Forbidden { chars: "!(),".into() }]
        );
        assert_eq!(check_name("2026.xlsx", 40, &rules()), [Violation::NotRecognisable]);
        for abbr in ["UGV.docx", "R..docx", "Res..pdf"] {
            assert_eq!(check_name(abbr, 40, &rules()), [Violation::NotRecognisable], "{abbr}");
        }
        for fine in ["Plan.pdf", "Ugovor UGV 12.docx", "Rad.txt"] {
            assert!(check_name(fine, 40, &rules()).is_empty(), "{fine}");
        }
        assert_eq!(check_name("Izvestaj.pdf", 221, &rules()), [Violation::PathTooLong { len: 221, max: 220 }]);
        assert_eq!(check_name("Izvestaj.pdf", 220, &rules()), []);
    }

    #[test]
    fn r42_proposals_transliterate_drop_what_is_forbidden_and_never_clash() {
        let none = |_: &str| false;
        assert_eq!(propose_name("Решење о годишњем одмору.docx", 200, &none).as_deref(), Some("Resenje o godisnjem odmoru.docx"));
        assert_eq!(propose_name("Đorđe Džajić — ugovor (konačni).PDF", 200, &none).as_deref(), Some("Djordje Dzajic ugovor konacni.PDF"));
        assert_eq!(propose_name("Љиљана, Њива; Ћуприја.txt", 200, &none).as_deref(), Some("Ljiljana Njiva Cuprija.txt"));
        assert_eq!(propose_name("2026.xlsx", 200, &none), None, "nothing recognisable to keep");
        let taken = |n: &str| n.eq_ignore_ascii_case("Resenje.docx") || n == "Resenje 2.docx";
        assert_eq!(propose_name("Решење.docx", 200, &taken).as_deref(), Some("Resenje 3.docx"));
        let long = format!("{}.docx", "Ugovor o nabavci racunarske opreme ".repeat(5));
        let p = propose_name(&long, 60, &none).unwrap_or_default();
        assert!(p.len() <= 60 && p.ends_with(".docx") && p.starts_with("Ugovor o nabavci"), "{p}");
        assert!(check_name(&p, p.len(), &rules()).is_empty());
    }

    #[test]
    fn r39_r41_documents_live_under_unit_employee_and_javno_or_privatno() {
        let r = rules();
        assert!(!outside_layout(&["Finansije", "Petar Petrovic", "JAVNO", "Budzet.xlsx"], &r));
        assert!(!outside_layout(&["Finansije", "Petar Petrovic", "privatno", "nacrt", "Budzet.xlsx"], &r));
        assert!(outside_layout(&["Finansije", "Petar Petrovic", "Budzet.xlsx"], &r));
        assert!(outside_layout(&["Finansije", "Petar Petrovic", "Stari", "Budzet.xlsx"], &r));
        assert!(outside_layout(&["Budzet.xlsx"], &r));
        assert_eq!(private_ext("Ceca - Kukavica.MP3", &r).as_deref(), Some("mp3"));
        assert_eq!(private_ext("Zapisnik.docx", &r), None);
        let office = Rules::custom(Some(200), None, Some(vec![".EXE".into(), " iso ".into()]), Some("Javno".into()), None);
        assert_eq!(
            (office.max_path, office.private_exts.clone(), office.private_dir.as_str()),
            (200, vec!["exe".to_string(), "iso".into()], "PRIVATNO")
        );
        assert_eq!(private_ext("Igra.exe", &office).as_deref(), Some("exe"));
        assert_eq!(private_ext("Pesma.mp3", &office), None);
    }

    #[test]
    fn r42_related_documents_share_the_same_unabbreviated_leading_word() {
        let names = [
            "Resenje o odmoru Petrovic.docx",
            "Resenje o prekovremenom.docx",
            "Res. o odmoru Jovanovic.docx",
            "R. Markovic.docx",
            "Zapisnik.docx",
            "Rad sa strankama.docx",
        ];
        let found = inconsistent_leading_words(&names);
        let odd: Vec<&str> = found.iter().map(|(n, _, _)| *n).collect();
        assert_eq!(odd, ["Res. o odmoru Jovanovic.docx", "R. Markovic.docx"], "{found:?}");
        assert!(found.iter().all(|(_, full, _)| full == "resenje"));
        assert_eq!(leading_word("Решење бр. 5.docx"), Some(("resenje".into(), false)));
    }
}
