//! UI strings: one Serbian Cyrillic source (`i18n/sr-Cyrl.ftl`), Serbian Latin made from it by
//! transliteration at start-up (translators keep one Serbian file), and English.

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use upravnik_core::text::cyr_to_lat;

pub const SR_CYRL: &str = include_str!("../i18n/sr-Cyrl.ftl");
pub const EN: &str = include_str!("../i18n/en.ftl");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Lang {
    SrCyrl,
    SrLatn,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::SrCyrl, Lang::SrLatn, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::SrCyrl => "sr-Cyrl",
            Lang::SrLatn => "sr-Latn",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(s))
    }

    /// The name of the language in itself, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::SrCyrl => "Ћирилица",
            Lang::SrLatn => "Latinica",
            Lang::En => "English",
        }
    }

    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::SrCyrl => "sr-Cyrl",
            Lang::SrLatn => "sr-Latn",
            Lang::En => "en",
        }
    }
}

type Bundle = FluentBundle<FluentResource>;

pub struct I18n {
    bundles: HashMap<Lang, Bundle>,
}

impl I18n {
    /// Builds the three bundles; fails if a translation file does not parse.
    pub fn load() -> Result<Self, String> {
        let mut bundles = HashMap::new();
        for lang in Lang::ALL {
            let (src, locale) = match lang {
                Lang::SrCyrl => (SR_CYRL.to_string(), "sr-Cyrl"),
                // Keys, variables and syntax are ASCII, so transliterating the whole file is safe.
                Lang::SrLatn => (cyr_to_lat(SR_CYRL), "sr-Latn"),
                Lang::En => (EN.to_string(), "en"),
            };
            let res = FluentResource::try_new(src).map_err(|(_, errs)| format!("{}: {errs:?}", lang.code()))?;
            let id: unic_langid::LanguageIdentifier = locale.parse().map_err(|e| format!("{e}"))?;
            let mut b = FluentBundle::new_concurrent(vec![id]);
            // Bidi isolation marks would end up inside HTML attributes and CSV cells.
            b.set_use_isolating(false);
            b.add_resource(res).map_err(|errs| format!("{}: {errs:?}", lang.code()))?;
            bundles.insert(lang, b);
        }
        Ok(Self { bundles })
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundles.get(&lang).is_some_and(|b| b.has_message(key))
    }

    pub fn text(&self, lang: Lang, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(b) = self.bundles.get(&lang) else { return key.to_string() };
        let Some(pattern) = b.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, lang = lang.code(), "missing translation");
            return key.to_string();
        };
        let mut errs = vec![];
        b.format_pattern(pattern, args, &mut errs).into_owned()
    }
}

/// The translator a page renders with: the language, plus the loaded bundles.
#[derive(Clone, Copy)]
pub struct Tr<'a> {
    pub lang: Lang,
    pub i18n: &'a I18n,
}

impl Tr<'_> {
    /// A UI string.
    pub fn t(&self, key: &str) -> String {
        self.i18n.text(self.lang, key, None)
    }

    /// A UI string with one named argument (e.g. a count for plurals).
    pub fn t1(&self, key: &str, name: &str, value: impl Into<FluentValue<'static>>) -> String {
        let mut a = FluentArgs::new();
        a.set(name.to_string(), value.into());
        self.i18n.text(self.lang, key, Some(&a))
    }

    /// A UI string with several named arguments.
    pub fn ta(&self, key: &str, args: &[(&str, String)]) -> String {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set(k.to_string(), FluentValue::from(v.clone()));
        }
        self.i18n.text(self.lang, key, Some(&a))
    }

    /// Data shown to the user (names, work-log text): Cyrillic data reads as Latin for sr-Latn
    /// and English (an English reader may not read Cyrillic).
    /// Never use on form `value=`s, or a Latin copy would be saved back over the Cyrillic.
    pub fn d(&self, s: &str) -> String {
        match self.lang {
            Lang::SrLatn | Lang::En => cyr_to_lat(s),
            Lang::SrCyrl => s.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(src: &str) -> Vec<&str> {
        let mut v: Vec<&str> = src
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k))
            .collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn english_is_kept_key_for_key_with_serbian() {
        assert_eq!(keys(SR_CYRL), keys(EN));
    }

    /// Every literal key the code and templates ask for exists in every language.
    #[test]
    fn every_key_used_is_translated() {
        let i18n = I18n::load().unwrap_or_else(|e| panic!("{e}"));
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut used = vec![];
        let mut stack = vec![root.join("src"), root.join("templates"), root.join("../upravnik-core/src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for pat in [".t(\"", ".t1(\"", ".ta(\"", "\"err-"] {
                    for part in text.split(pat).skip(1) {
                        let key: String = part.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
                        let key = if pat == "\"err-" { format!("err-{key}") } else { key };
                        if key.len() > 1 && !key.ends_with('-') {
                            used.push((key, path.display().to_string()));
                        }
                    }
                }
            }
        }
        assert!(used.len() > 100, "the scan found the keys");
        // Keys built at run time: roles, categories, flash messages, error pages.
        for r in upravnik_core::access::Role::ALL {
            used.push((format!("role-{}", r.as_str()), "Role".into()));
        }
        for c in upravnik_core::worklog::Category::ALL {
            used.push((format!("cat-{}", c.as_str()), "Category".into()));
        }
        for k in upravnik_core::asset::AssetKind::ALL {
            used.push((format!("kind-{}", k.as_str()), "AssetKind".into()));
        }
        for st in upravnik_core::asset::AssetStatus::ALL {
            used.push((format!("asset-status-{}", st.as_str()), "AssetStatus".into()));
        }
        for r in upravnik_core::asset::ServerRole::ALL {
            used.push((format!("server-role-{}", r.as_str()), "ServerRole".into()));
        }
        {
            use upravnik_core::helpdesk::{Channel, Priority, ReportCategory, ReportState};
            for st in ReportState::ALL {
                used.push((format!("report-state-{}", st.as_str()), "ReportState".into()));
                used.push((format!("report-move-{}", st.as_str()), "ReportState".into()));
            }
            for p in Priority::ALL {
                used.push((format!("report-priority-{}", p.as_str()), "Priority".into()));
            }
            for c in ReportCategory::ALL {
                used.push((format!("report-category-{}", c.as_str()), "ReportCategory".into()));
            }
            for c in Channel::ALL {
                used.push((format!("report-channel-{}", c.as_str()), "Channel".into()));
            }
        }
        let sample = upravnik_core::asset::AssetInput { kind: "server".into(), inventory_number: "1".into(), ..Default::default() };
        if let Ok(f) = sample.validate() {
            for (field, _) in f.shown() {
                used.push((format!("asset-field-{field}"), "AssetFields::shown".into()));
            }
        }
        used.push(("asset-field-status".into(), "status history".into()));
        for f in crate::ui::layout::FLASHES {
            used.push((format!("flash-{f}"), "flash".into()));
        }
        for code in [
            "inventory_taken",
            "label_taken",
            "ip_taken",
            "asset_identifier_taken",
            "method_not_allowed",
            "not_found",
            "forbidden",
            "unauthenticated",
            "invalid_input",
            "duplicate",
            "username_taken",
            "person_has_account",
            "locked",
            "internal",
        ] {
            used.push((format!("error-{code}"), "error".into()));
            used.push((format!("error-{code}-title"), "error".into()));
        }
        let missing: Vec<String> = used
            .iter()
            .flat_map(|(k, at)| Lang::ALL.iter().filter(|l| !i18n.has(**l, k)).map(move |l| format!("{k} ({}) used in {at}", l.code())))
            .collect();
        assert!(missing.is_empty(), "missing translations:\n{}", missing.join("\n"));
    }

    #[test]
    fn serbian_plurals() {
        let i18n = I18n::load().unwrap_or_else(|e| panic!("{e}"));
        let tr = Tr { lang: Lang::SrCyrl, i18n: &i18n };
        assert_eq!(tr.t1("list-total", "count", 1), "1 запис");
        assert_eq!(tr.t1("list-total", "count", 3), "3 записа");
        assert_eq!(tr.t1("list-total", "count", 21), "21 запис");
        let lat = Tr { lang: Lang::SrLatn, i18n: &i18n };
        assert_eq!(lat.t("nav-worklog"), "Dnevnik rada");
    }
}
