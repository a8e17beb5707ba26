//! Understanding a register's columns: which row is the header, which asset field each column
//! holds (header names in Cyrillic, Latin with or without diacritics, or English), and cell
//! values as registers write them (kinds in Serbian, dates as `01.02.2019.` or Excel serials).

use super::read::SheetRow;
use crate::asset::AssetKind;
use crate::text::search_key;

/// An asset field a column can be imported into (the fields of [`crate::asset::AssetInput`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportField {
    Kind,
    InventoryNumber,
    Label,
    Manufacturer,
    Model,
    Serial,
    Hostname,
    Mac,
    Ip,
    Building,
    Room,
    ProcurementRef,
    Supplier,
    PurchaseDate,
    Price,
    WarrantyEnd,
    Note,
}

impl ImportField {
    pub const ALL: [ImportField; 17] = [
        ImportField::Kind,
        ImportField::InventoryNumber,
        ImportField::Label,
        ImportField::Manufacturer,
        ImportField::Model,
        ImportField::Serial,
        ImportField::Hostname,
        ImportField::Mac,
        ImportField::Ip,
        ImportField::Building,
        ImportField::Room,
        ImportField::ProcurementRef,
        ImportField::Supplier,
        ImportField::PurchaseDate,
        ImportField::Price,
        ImportField::WarrantyEnd,
        ImportField::Note,
    ];

    /// The name of the [`crate::asset::AssetInput`] field (and of validation errors).
    pub fn as_str(self) -> &'static str {
        match self {
            ImportField::Kind => "kind",
            ImportField::InventoryNumber => "inventory_number",
            ImportField::Label => "label",
            ImportField::Manufacturer => "manufacturer",
            ImportField::Model => "model",
            ImportField::Serial => "serial",
            ImportField::Hostname => "hostname",
            ImportField::Mac => "mac",
            ImportField::Ip => "ip",
            ImportField::Building => "building",
            ImportField::Room => "room",
            ImportField::ProcurementRef => "procurement_ref",
            ImportField::Supplier => "supplier",
            ImportField::PurchaseDate => "purchase_date",
            ImportField::Price => "price",
            ImportField::WarrantyEnd => "warranty_end",
            ImportField::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<ImportField> {
        ImportField::ALL.into_iter().find(|f| f.as_str() == s.trim())
    }
}

/// Lower case, Latin, no diacritics, punctuation as spaces: "Инв. бр." → "inv br".
pub fn normalize(s: &str) -> String {
    let key = search_key(s);
    let spaced: String = key.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The field a header names, if it names one. Checked in order: the first rule that matches wins,
/// so "датум набавке" is a date, not a procurement reference.
pub fn guess_field(header: &str) -> Option<ImportField> {
    use ImportField::*;
    let h = normalize(header);
    if h.is_empty() {
        return None;
    }
    let words: Vec<&str> = h.split(' ').collect();
    let word = |w: &str| words.contains(&w);
    let starts = |p: &str| words.iter().any(|x| x.starts_with(p));
    let rules: [(ImportField, bool); 17] = [
        (PurchaseDate, (starts("datum") && (starts("nabav") || starts("kupov"))) || h.contains("purchase date") || h == "purchased"),
        (WarrantyEnd, starts("garanc") || starts("warrant")),
        (InventoryNumber, starts("inv") || h == "inventar"),
        (Serial, starts("serij") || starts("serial") || word("sn") || h == "s n" || word("sb")),
        (Mac, word("mac")),
        (Ip, word("ip") || h.starts_with("ip adres") || h == "ipv4"),
        (
            Hostname,
            starts("hostname") || word("host") || (starts("ime") && starts("racunar")) || h == "computer name" || h == "naziv u mrezi",
        ),
        (Label, starts("oznak") || word("label") || word("tag") || h == "st"),
        (Price, starts("cena") || starts("cijena") || starts("vrednost") || starts("iznos") || starts("price") || starts("cost")),
        (ProcurementRef, starts("nabav") || starts("procurement") || starts("ugovor") || word("jn") || h.contains("javna nabavka")),
        (Supplier, starts("dobavlj") || starts("isporucil") || starts("supplier") || starts("vendor") || starts("prodavac")),
        (Manufacturer, starts("proizvodj") || word("marka") || starts("manufactur") || word("brand") || word("make") || word("proizvodac")),
        (Kind, starts("vrsta") || word("kind") || word("type") || starts("kategorij") || starts("category") || h == "tip opreme"),
        (Model, word("model") || word("tip")),
        (Building, starts("zgrad") || starts("objekat") || starts("building") || word("lokacija") || word("adresa")),
        (Room, starts("prostorij") || starts("kancelarij") || word("kanc") || word("soba") || word("room") || word("office")),
        (Note, starts("napomen") || starts("note") || starts("komentar") || starts("primedb") || starts("opis")),
    ];
    rules.into_iter().find(|(_, hit)| *hit).map(|(f, _)| f)
}

/// The first rows a header is looked for in (titles and merged cells come above it).
const HEADER_SEARCH: usize = 30;

/// The header row: the first non-blank row (among the first ones) in which at least two cells
/// name known fields; failing that, the first non-blank row. `None` for an empty file.
pub fn find_header(rows: &[SheetRow]) -> Option<usize> {
    let candidates = rows.iter().enumerate().filter(|(_, r)| !r.is_blank()).take(HEADER_SEARCH);
    for (i, r) in candidates {
        let mut seen = vec![];
        for f in r.cells.iter().filter_map(|c| guess_field(c)) {
            if !seen.contains(&f) {
                seen.push(f);
            }
        }
        if seen.len() >= 2 {
            return Some(i);
        }
    }
    rows.iter().position(|r| !r.is_blank())
}

/// One guess per column; a field goes to the first column naming it, later ones are ignored.
pub fn guess_mapping(header: &SheetRow) -> Vec<Option<ImportField>> {
    let mut used = vec![];
    header
        .cells
        .iter()
        .map(|c| {
            let f = guess_field(c).filter(|f| !used.contains(f));
            if let Some(f) = f {
                used.push(f);
            }
            f
        })
        .collect()
}

/// A kind as registers write it ("рачунар", "štampač", "UPS", "свич", "laptop" …).
pub fn parse_kind(s: &str) -> Option<AssetKind> {
    use AssetKind::*;
    let v = normalize(s);
    if let Some(k) = AssetKind::parse(&v.replace(' ', "_")) {
        return Some(k);
    }
    let table: &[(AssetKind, &[&str])] = &[
        (Laptop, &["laptop", "lap top", "prenosni racunar", "notebook", "prenosivi racunar"]),
        (
            Workstation,
            &["racunar", "racunari", "radna stanica", "pc", "desktop", "kompjuter", "personalni racunar", "stoni racunar", "workstation"],
        ),
        (Server, &["server", "serveri"]),
        (Printer, &["stampac", "stampaci", "printer", "multifunkcijski uredjaj", "mfp", "mfu"]),
        (Scanner, &["skener", "skeneri", "scanner"]),
        (Monitor, &["monitor", "monitori", "ekran"]),
        (Ups, &["ups", "neprekidno napajanje", "uredjaj za neprekidno napajanje"]),
        (Switch, &["svic", "svicevi", "switch", "mrezni svic", "svich"]),
        (Router, &["ruter", "router", "ruteri"]),
        (Firewall, &["firewall", "zastitni zid", "fajervol"]),
        (AccessPoint, &["access point", "ap", "pristupna tacka", "bezicna pristupna tacka", "wifi", "wi fi"]),
        (Phone, &["telefon", "phone", "ip telefon", "mobilni telefon", "fiksni telefon"]),
        (Peripheral, &["periferija", "periferni uredjaj", "tastatura", "mis", "peripheral", "ostalo", "ostala periferija"]),
    ];
    table.iter().find(|(_, names)| names.contains(&v.as_str())).map(|(k, _)| *k)
}

/// A date cell in a form [`crate::clock::parse_date`] reads: Excel serials (as plain numbers),
/// `1/2/2019`, and date-times lose their time; anything else is passed on to be judged there.
pub fn date_cell(s: &str) -> String {
    let t = s.trim();
    if !t.is_empty() && t.len() <= 6 && t.chars().all(|c| c.is_ascii_digit()) {
        // Excel's 1900 date system: serial 1 is 1900-01-01, counted from 1899-12-30 because
        // of Excel's fictitious 29.2.1900.
        if let Ok(n) = t.parse::<i32>()
            && (1..=2_958_465).contains(&n)
            && let Ok(base) = jiff::civil::Date::new(1899, 12, 30).and_then(|d| d.checked_add(jiff::Span::new().days(n)))
        {
            return base.to_string();
        }
    }
    let date_part = t.split([' ', 'T']).next().unwrap_or(t);
    if date_part != t && crate::clock::parse_date(date_part).is_some() {
        return date_part.to_string();
    }
    if t.contains('/') {
        return t.replace('/', ".");
    }
    t.to_string()
}

/// A price as a number with at most two decimals (Excel may hand `1234.5600000000002`); three
/// decimals are left alone, since `1.234` is a thousand and more in Serbian notation.
pub fn price_cell(s: &str) -> String {
    let t = s.trim();
    if !t.contains(',')
        && t.matches('.').count() == 1
        && t.split_once('.').is_some_and(|(_, f)| f.len() > 3)
        && let Ok(v) = t.parse::<f64>()
        && v.is_finite()
    {
        return format!("{v:.2}");
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: u32, cells: &[&str]) -> SheetRow {
        SheetRow { number: n, cells: cells.iter().map(|c| c.to_string()).collect() }
    }

    #[test]
    fn headers_in_every_script_and_spelling() {
        use ImportField::*;
        let cases = [
            ("Инвентарски број", InventoryNumber),
            ("Inv. br.", InventoryNumber),
            ("INVENTARSKI BROJ", InventoryNumber),
            ("Inventory number", InventoryNumber),
            ("Serijski broj", Serial),
            ("Серијски бр.", Serial),
            ("S/N", Serial),
            ("Просторија", Room),
            ("Kancelarija", Room),
            ("Датум набавке", PurchaseDate),
            ("Datum nabavke", PurchaseDate),
            ("Purchase date", PurchaseDate),
            ("Врста", Kind),
            ("Vrsta opreme", Kind),
            ("Type", Kind),
            ("Произвођач", Manufacturer),
            ("Proizvođač", Manufacturer),
            ("Proizvodjac", Manufacturer),
            ("Модел", Model),
            ("IP адреса", Ip),
            ("IP address", Ip),
            ("MAC", Mac),
            ("Гаранција до", WarrantyEnd),
            ("Warranty end", WarrantyEnd),
            ("Ознака", Label),
            ("Набавна вредност (дин.)", Price),
            ("Cena", Price),
            ("Број јавне набавке", ProcurementRef),
            ("Добављач", Supplier),
            ("Зграда", Building),
            ("Напомена", Note),
            ("Име рачунара", Hostname),
            ("Hostname", Hostname),
        ];
        for (h, f) in cases {
            assert_eq!(guess_field(h), Some(f), "{h}");
        }
        assert_eq!(guess_field("Р. бр."), None);
        assert_eq!(guess_field(""), None);
    }

    #[test]
    fn the_header_is_found_below_titles_and_blank_rows() {
        let rows = vec![
            row(1, &["ЕВИДЕНЦИЈА ОПРЕМЕ 2024", "", ""]),
            row(2, &["", "", ""]),
            row(3, &["Градска управа", "Инвентарски број", ""]),
            row(4, &["Р. бр.", "Инвентарски број", "Врста"]),
            row(5, &["1", "0001", "рачунар"]),
        ];
        assert_eq!(find_header(&rows), Some(3));
        let m = guess_mapping(&rows[3]);
        assert_eq!(m, vec![None, Some(ImportField::InventoryNumber), Some(ImportField::Kind)]);
        // Without recognisable names, the first non-blank row is the header.
        assert_eq!(find_header(&[row(1, &["", ""]), row(2, &["a", "b"])]), Some(1));
        assert_eq!(find_header(&[]), None);
    }

    #[test]
    fn a_field_is_guessed_for_one_column_only() {
        let m = guess_mapping(&row(1, &["Inv. br.", "Инвентарски број", "Model"]));
        assert_eq!(m, vec![Some(ImportField::InventoryNumber), None, Some(ImportField::Model)]);
    }

    #[test]
    fn kinds_in_serbian_and_english() {
        assert_eq!(parse_kind("рачунар"), Some(AssetKind::Workstation));
        assert_eq!(parse_kind("Štampač"), Some(AssetKind::Printer));
        assert_eq!(parse_kind("stampac"), Some(AssetKind::Printer));
        assert_eq!(parse_kind("МОНИТОР"), Some(AssetKind::Monitor));
        assert_eq!(parse_kind("UPS"), Some(AssetKind::Ups));
        assert_eq!(parse_kind("свич"), Some(AssetKind::Switch));
        assert_eq!(parse_kind("Лаптоп"), Some(AssetKind::Laptop));
        assert_eq!(parse_kind("access_point"), Some(AssetKind::AccessPoint));
        assert_eq!(parse_kind("радна станица"), Some(AssetKind::Workstation));
        assert_eq!(parse_kind("фрижидер"), None);
    }

    #[test]
    fn dates_as_registers_write_them() {
        let d = |s: &str| crate::clock::parse_date(&date_cell(s)).map(|d| d.to_string());
        assert_eq!(d("01.02.2019.").as_deref(), Some("2019-02-01"));
        assert_eq!(d("1.2.2019").as_deref(), Some("2019-02-01"));
        assert_eq!(d("2019-02-01").as_deref(), Some("2019-02-01"));
        assert_eq!(d("2019-02-01 00:00:00").as_deref(), Some("2019-02-01"));
        assert_eq!(d("43497").as_deref(), Some("2019-02-01"), "Excel serial");
        assert_eq!(d("1/2/2019").as_deref(), Some("2019-02-01"));
        assert_eq!(d("32.13.2019"), None);
    }

    #[test]
    fn prices_from_floating_cells() {
        assert_eq!(price_cell("1234.5600000000002"), "1234.56");
        assert_eq!(price_cell("89.990,00"), "89.990,00");
        assert_eq!(price_cell("1.234"), "1.234");
    }
}
