//! Serbian script handling: Cyrillic→Latin transliteration for display, and a search key that
//! makes "sasa", "саша" and "Saša" find each other on both databases (SQLite folds only ASCII).

/// Transliterates Serbian Latin to Cyrillic, for texts kept in Latin (the laws' measures) shown in a
/// Cyrillic interface or document (R.38). Words with letters Serbian does not use (q, w, x, y) are
/// foreign and stay as written; "lj", "nj" and "dž" are read as one letter.
pub fn lat_to_cyr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for word in s.split_inclusive(|c: char| !c.is_alphabetic()) {
        if word.chars().any(|c| matches!(c.to_ascii_lowercase(), 'q' | 'w' | 'x' | 'y')) {
            out.push_str(word);
            continue;
        }
        let chars: Vec<char> = word.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).map(|n| n.to_lowercase().next().unwrap_or(*n));
            let digraph = match (c.to_lowercase().next().unwrap_or(c), next) {
                ('l', Some('j')) => Some('љ'),
                ('n', Some('j')) => Some('њ'),
                ('d', Some('ž')) => Some('џ'),
                _ => None,
            };
            let (lower, step) = match digraph {
                Some(d) => (d, 2),
                None => {
                    let m = match c.to_lowercase().next().unwrap_or(c) {
                        'a' => 'а',
                        'b' => 'б',
                        'v' => 'в',
                        'g' => 'г',
                        'd' => 'д',
                        'đ' => 'ђ',
                        'e' => 'е',
                        'ž' => 'ж',
                        'z' => 'з',
                        'i' => 'и',
                        'j' => 'ј',
                        'k' => 'к',
                        'l' => 'л',
                        'm' => 'м',
                        'n' => 'н',
                        'o' => 'о',
                        'p' => 'п',
                        'r' => 'р',
                        's' => 'с',
                        't' => 'т',
                        'ć' => 'ћ',
                        'u' => 'у',
                        'f' => 'ф',
                        'h' => 'х',
                        'c' => 'ц',
                        'č' => 'ч',
                        'š' => 'ш',
                        _ => {
                            out.push(c);
                            i += 1;
                            continue;
                        }
                    };
                    (m, 1)
                }
            };
            if c.is_uppercase() {
                out.extend(lower.to_uppercase());
            } else {
                out.push(lower);
            }
            i += step;
        }
    }
    out
}

/// Transliterates Serbian Cyrillic to Serbian Latin (gajica). Other characters pass through.
/// Digraph capitals follow the next letter: "Љубав" → "Ljubav", "ЉУБАВ" → "LJUBAV".
pub fn cyr_to_lat(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for (i, &c) in chars.iter().enumerate() {
        let next_upper = chars.get(i + 1).is_some_and(|n| n.is_uppercase())
            || (i > 0 && chars[i - 1].is_uppercase() && chars.get(i + 1).is_none_or(|n| !n.is_alphabetic()));
        let digraph = |upper: &'static str, title: &'static str| if next_upper { upper } else { title };
        let mapped: &str = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'ђ' => "đ",
            'е' => "e",
            'ж' => "ž",
            'з' => "z",
            'и' => "i",
            'ј' => "j",
            'к' => "k",
            'л' => "l",
            'љ' => "lj",
            'м' => "m",
            'н' => "n",
            'њ' => "nj",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'ћ' => "ć",
            'у' => "u",
            'ф' => "f",
            'х' => "h",
            'ц' => "c",
            'ч' => "č",
            'џ' => "dž",
            'ш' => "š",
            'А' => "A",
            'Б' => "B",
            'В' => "V",
            'Г' => "G",
            'Д' => "D",
            'Ђ' => "Đ",
            'Е' => "E",
            'Ж' => "Ž",
            'З' => "Z",
            'И' => "I",
            'Ј' => "J",
            'К' => "K",
            'Л' => "L",
            'Љ' => digraph("LJ", "Lj"),
            'М' => "M",
            'Н' => "N",
            'Њ' => digraph("NJ", "Nj"),
            'О' => "O",
            'П' => "P",
            'Р' => "R",
            'С' => "S",
            'Т' => "T",
            'Ћ' => "Ć",
            'У' => "U",
            'Ф' => "F",
            'Х' => "H",
            'Ц' => "C",
            'Ч' => "Č",
            'Џ' => digraph("DŽ", "Dž"),
            'Ш' => "Š",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(mapped);
    }
    out
}

/// The normalised form stored in `search_key` columns and applied to queries: lower case,
/// Latin script, no diacritics (č ć → c, š → s, ž → z, đ → dj).
pub fn search_key(s: &str) -> String {
    let lat = cyr_to_lat(s);
    let mut out = String::with_capacity(lat.len());
    for c in lat.chars().flat_map(char::to_lowercase) {
        match c {
            'č' | 'ć' => out.push('c'),
            'š' => out.push('s'),
            'ž' => out.push('z'),
            'đ' => out.push_str("dj"),
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

/// Escapes a search term for a SQL `LIKE … ESCAPE '\'` pattern.
pub fn like_pattern(term: &str) -> String {
    let mut p = String::from("%");
    for c in search_key(term).chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_serbian_letters_and_digraphs() {
        assert_eq!(cyr_to_lat("ЉУБАВ Ђорђевић, Џеп, Њива, ЊЕГОШ"), "LJUBAV Đorđević, Džep, Njiva, NJEGOŠ");
        assert_eq!(cyr_to_lat("Одсек за ИКТ"), "Odsek za IKT");
        assert_eq!(cyr_to_lat("Љ"), "Lj");
    }

    #[test]
    fn search_matches_either_script_without_diacritics() {
        assert_eq!(search_key("Saša"), "sasa");
        assert_eq!(search_key("САША"), "sasa");
        assert_eq!(search_key("sasa"), "sasa");
        assert_eq!(search_key("Ђорђевић"), search_key("Đorđević"));
        assert_eq!(search_key("Đorđević"), "djordjevic");
    }

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_pattern("50%_x"), "%50\\%\\_x%");
    }

    #[test]
    fn latin_text_is_unchanged() {
        let s = "Printer HP LaserJet 1020, IP 10.0.0.5";
        assert_eq!(cyr_to_lat(s), s);
    }

    #[test]
    fn latin_reads_as_cyrillic_with_digraphs_and_foreign_words_kept() {
        assert_eq!(lat_to_cyr("Ljubav, NJEGOŠ i džep"), "Љубав, ЊЕГОШ и џеп");
        assert_eq!(lat_to_cyr("upravljanje IKT sistemom, proxy 3128"), "управљање ИКТ системом, proxy 3128");
        assert_eq!(cyr_to_lat(&lat_to_cyr("bezbednošću uređaja, čuvanje")), "bezbednošću uređaja, čuvanje");
    }
}
