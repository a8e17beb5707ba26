//! Equipment (средства / опрема, R.3–R.13): kinds, identity (inventory number, `ST nn` label,
//! MAC and IP), the life cycle, server roles, and what a change of an asset changed.

use std::net::Ipv4Addr;

use crate::error::Errors;
use crate::{Error, Result};

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        // JSON carries the same strings as the database and the forms (`as_str`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $s)] $v),+ }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$v),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($s => Some($name::$v),)+ _ => None }
            }
        }
    };
}
pub(crate) use string_enum;

string_enum!(
    /// What an asset is (R.3, R.2).
    AssetKind {
        Workstation = "workstation",
        Laptop = "laptop",
        Server = "server",
        Printer = "printer",
        Scanner = "scanner",
        Monitor = "monitor",
        Ups = "ups",
        Switch = "switch",
        Router = "router",
        Firewall = "firewall",
        AccessPoint = "access_point",
        Phone = "phone",
        Peripheral = "peripheral",
    }
);

impl AssetKind {
    /// Workstations carry an `ST nn` label (R.12) and belong to a workplace (R.19).
    pub fn is_workstation(self) -> bool {
        matches!(self, AssetKind::Workstation | AssetKind::Laptop)
    }
}

string_enum!(
    /// The life cycle of an asset (R.3, R.4, R.52).
    AssetStatus {
        InStock = "in_stock",
        InUse = "in_use",
        InRepair = "in_repair",
        AtService = "at_service",
        WrittenOff = "written_off",
        Disposed = "disposed",
        /// Reported by an inventory agent, not yet confirmed by an administrator (issue 4).
        Discovered = "discovered",
    }
);

impl AssetStatus {
    /// Allowed moves: written-off equipment only leaves by disposal (donation, sale, write-off
    /// act, R.4), and nothing comes back from disposal.
    pub fn can_move_to(self, next: AssetStatus) -> bool {
        use AssetStatus::*;
        if self == next {
            return true;
        }
        match self {
            InStock => matches!(next, InUse | InRepair | AtService | WrittenOff),
            InUse => matches!(next, InStock | InRepair | AtService | WrittenOff),
            InRepair => matches!(next, InStock | InUse | AtService | WrittenOff),
            AtService => matches!(next, InStock | InUse | InRepair | WrittenOff),
            WrittenOff => matches!(next, Disposed),
            Disposed => false,
            // Confirmed into stock or straight into use; a duplicate leaves by a merge.
            Discovered => matches!(next, InStock | InUse),
        }
    }

    /// The name the work log uses (it is kept in Serbian, R.38).
    pub fn log_name(self) -> &'static str {
        match self {
            AssetStatus::InStock => "на стању",
            AssetStatus::InUse => "задужено",
            AssetStatus::InRepair => "на поправци",
            AssetStatus::AtService => "у овлашћеном сервису",
            AssetStatus::WrittenOff => "отписано",
            AssetStatus::Disposed => "расходовано",
            AssetStatus::Discovered => "откривено",
        }
    }

    /// Counted as active: holds its IP address and its label.
    pub fn is_active(self) -> bool {
        !matches!(self, AssetStatus::WrittenOff | AssetStatus::Disposed)
    }
}

string_enum!(
    /// Roles of a server (R.2, footnote 1).
    ServerRole {
        DomainController = "domain_controller",
        Web = "web",
        Mail = "mail",
        Application = "application",
        Gateway = "gateway",
        Database = "database",
    }
);

/// A workstation label `ST nn` (R.12), kept as its number.
pub fn parse_label(s: &str) -> Result<i64> {
    let t = s.trim().to_uppercase().replace(['С', 'Т'], "").replace("ST", "");
    let digits = t.trim_start_matches([' ', '-', '.']).trim();
    match digits.parse::<i64>() {
        Ok(n) if (1..=99_999).contains(&n) && !digits.starts_with('+') => Ok(n),
        _ => Err(Error::invalid("label", "err-label")),
    }
}

pub fn format_label(n: i64) -> String {
    format!("ST {n:02}")
}

/// The label offered for a new workstation: one past the highest ever given, so a retired label
/// is never handed out again without someone choosing it (R.12).
pub fn next_label(highest_ever: Option<i64>) -> i64 {
    highest_ever.unwrap_or(0) + 1
}

/// A MAC address in any usual spelling, as `AA:BB:CC:DD:EE:FF`.
pub fn parse_mac(s: &str) -> Result<String> {
    let hex: String = s.chars().filter(|c| !matches!(c, ':' | '-' | '.' | ' ')).collect();
    if hex.len() != 12 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::invalid("mac", "err-mac"));
    }
    let up = hex.to_ascii_uppercase();
    Ok(up.as_bytes().chunks(2).map(|p| String::from_utf8_lossy(p).into_owned()).collect::<Vec<_>>().join(":"))
}

pub fn parse_ip(s: &str) -> Result<Ipv4Addr> {
    s.trim().parse::<Ipv4Addr>().map_err(|_| Error::invalid("ip", "err-ip"))
}

/// Money typed as `1.234,56` or `1234.56`, in para (hundredths of a dinar).
pub fn parse_price(s: &str) -> Result<i64> {
    let t = s.trim().replace([' ', '\u{a0}'], "");
    // Serbian writing groups thousands with dots: `2.400.000` and `89.990` are whole dinars.
    let grouped = t.matches('.').count() > 1 || t.rsplit_once('.').is_some_and(|(_, f)| f.len() == 3);
    let whole_part = t.split_once(',').map_or(t.as_str(), |(w, _)| w);
    if (t.contains(',') || grouped) && !whole_part.split('.').skip(1).all(|g| g.len() == 3) {
        return Err(Error::invalid("price", "err-price"));
    }
    let normalized = if t.contains(',') || grouped { t.replace('.', "").replace(',', ".") } else { t };
    let (whole, frac) = normalized.split_once('.').unwrap_or((&normalized, ""));
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::invalid("price", "err-price"));
    }
    let w: i64 = whole.parse().map_err(|_| Error::invalid("price", "err-price"))?;
    let f: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
    w.checked_mul(100).and_then(|v| v.checked_add(f)).ok_or(Error::invalid("price", "err-price"))
}

/// `1.234,56` for para.
pub fn format_price(para: i64) -> String {
    let whole = (para / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("{grouped},{:02}", para % 100)
}

/// An asset as entered in a form or the API; [`AssetInput::validate`] normalises it.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, PartialEq)]
pub struct AssetInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub inventory_number: String,
    /// `ST nn`; empty for non-workstations.
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub manufacturer: String,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub serial: String,
    #[serde(default)]
    pub hostname: String,
    #[serde(default)]
    pub mac: String,
    #[serde(default)]
    pub ip: String,
    #[serde(default)]
    pub building: String,
    #[serde(default)]
    pub room: String,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub in_server_room: bool,
    #[serde(default)]
    pub procurement_ref: String,
    #[serde(default)]
    pub supplier: String,
    #[serde(default)]
    pub purchase_date: String,
    #[serde(default)]
    pub price: String,
    #[serde(default)]
    pub warranty_end: String,
    #[serde(default)]
    pub note: String,
}

/// A validated asset, every field in its stored form.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AssetFields {
    pub kind: AssetKind,
    pub inventory_number: String,
    pub label: Option<i64>,
    pub manufacturer: String,
    pub model: String,
    pub serial: String,
    pub hostname: String,
    pub mac: Option<String>,
    pub ip: Option<String>,
    pub building: String,
    pub room: String,
    pub roles: Vec<ServerRole>,
    pub in_server_room: bool,
    pub procurement_ref: String,
    pub supplier: String,
    pub purchase_date: Option<String>,
    pub price_para: Option<i64>,
    pub warranty_end: Option<String>,
    pub note: String,
}

fn text(e: &mut Errors, field: &'static str, v: &str, max: usize) -> String {
    let v = v.trim();
    if v.chars().count() > max {
        e.add(field, "err-too-long");
    }
    v.to_string()
}

fn date(e: &mut Errors, field: &'static str, v: &str) -> Option<String> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    match crate::clock::parse_date(v) {
        Some(d) => Some(d.to_string()),
        None => {
            e.add(field, "err-date");
            None
        }
    }
}

impl AssetInput {
    pub fn validate(&self) -> Result<AssetFields> {
        let mut e = Errors::default();
        let kind = AssetKind::parse(self.kind.trim());
        if kind.is_none() {
            e.add("kind", "err-required");
        }
        let inventory_number = text(&mut e, "inventory_number", &self.inventory_number, 40);
        if inventory_number.is_empty() {
            e.add("inventory_number", "err-required");
        }
        let label = if self.label.trim().is_empty() { None } else { e.take(parse_label(&self.label)) };
        if label.is_some() && !kind.is_some_and(AssetKind::is_workstation) {
            e.add("label", "err-label-not-workstation");
        }
        let hostname = text(&mut e, "hostname", &self.hostname, 63);
        if !hostname.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
            e.add("hostname", "err-hostname");
        }
        let mac = if self.mac.trim().is_empty() { None } else { e.take(parse_mac(&self.mac)) };
        let ip = if self.ip.trim().is_empty() { None } else { e.take(parse_ip(&self.ip)).map(|ip| ip.to_string()) };
        let mut roles = vec![];
        for r in &self.roles {
            match ServerRole::parse(r) {
                Some(r) if !roles.contains(&r) => roles.push(r),
                Some(_) => {}
                None => e.add("roles", "err-role-unknown"),
            }
        }
        if !roles.is_empty() && kind != Some(AssetKind::Server) {
            e.add("roles", "err-roles-server-only");
        }
        let price_para = if self.price.trim().is_empty() { None } else { e.take(parse_price(&self.price)) };
        let fields = AssetFields {
            kind: kind.unwrap_or(AssetKind::Peripheral),
            inventory_number,
            label,
            manufacturer: text(&mut e, "manufacturer", &self.manufacturer, 100),
            model: text(&mut e, "model", &self.model, 100),
            serial: text(&mut e, "serial", &self.serial, 100),
            hostname,
            mac,
            ip,
            building: text(&mut e, "building", &self.building, 100),
            room: text(&mut e, "room", &self.room, 60),
            roles,
            in_server_room: self.in_server_room,
            procurement_ref: text(&mut e, "procurement_ref", &self.procurement_ref, 100),
            supplier: text(&mut e, "supplier", &self.supplier, 200),
            purchase_date: date(&mut e, "purchase_date", &self.purchase_date),
            price_para,
            warranty_end: date(&mut e, "warranty_end", &self.warranty_end),
            note: text(&mut e, "note", &self.note, 2000),
        };
        e.finish()?;
        Ok(fields)
    }
}

/// A field's name as the work log writes it (in Serbian, R.38).
pub fn field_log_name(field: &str) -> &'static str {
    match field {
        "kind" => "врста",
        "inventory_number" => "инвентарски број",
        "label" => "ознака",
        "manufacturer" => "произвођач",
        "model" => "модел",
        "serial" => "серијски број",
        "hostname" => "име рачунара",
        "mac" => "MAC адреса",
        "ip" => "IP адреса",
        "building" => "зграда",
        "room" => "просторија",
        "roles" => "улоге сервера",
        "in_server_room" => "у серверској просторији",
        "procurement_ref" => "јавна набавка",
        "supplier" => "добављач",
        "purchase_date" => "датум набавке",
        "price" => "цена",
        "warranty_end" => "гаранција до",
        "note" => "напомена",
        "status" => "статус",
        "person" => "задужени запослени",
        "workplace" => "радно место",
        "component" => "компонента",
        "software" => "инсталирани програм",
        "os" => "оперативни систем",
        "antivirus" => "антивирус",
        "merge" => "спојено",
        _ => "поље",
    }
}

/// One field that a change altered, as the asset's history keeps it (R.11).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub old: String,
    pub new: String,
}

impl AssetFields {
    /// Every field as shown text, in a fixed order: the basis of the history and of exports.
    pub fn shown(&self) -> Vec<(&'static str, String)> {
        vec![
            ("kind", self.kind.as_str().to_string()),
            ("inventory_number", self.inventory_number.clone()),
            ("label", self.label.map(format_label).unwrap_or_default()),
            ("manufacturer", self.manufacturer.clone()),
            ("model", self.model.clone()),
            ("serial", self.serial.clone()),
            ("hostname", self.hostname.clone()),
            ("mac", self.mac.clone().unwrap_or_default()),
            ("ip", self.ip.clone().unwrap_or_default()),
            ("building", self.building.clone()),
            ("room", self.room.clone()),
            ("roles", self.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")),
            ("in_server_room", if self.in_server_room { "1".into() } else { String::new() }),
            ("procurement_ref", self.procurement_ref.clone()),
            ("supplier", self.supplier.clone()),
            ("purchase_date", self.purchase_date.clone().unwrap_or_default()),
            ("price", self.price_para.map(format_price).unwrap_or_default()),
            ("warranty_end", self.warranty_end.clone().unwrap_or_default()),
            ("note", self.note.clone()),
        ]
    }

    /// What changed from `old` to `self`.
    pub fn changes_from(&self, old: &AssetFields) -> Vec<FieldChange> {
        old.shown()
            .into_iter()
            .zip(self.shown())
            .filter(|((_, a), (_, b))| a != b)
            .map(|((field, old), (_, new))| FieldChange { field, old, new })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r12_labels_are_st_numbers_in_any_spelling() {
        assert_eq!(parse_label("ST 28").ok(), Some(28));
        assert_eq!(parse_label("st28").ok(), Some(28));
        assert_eq!(parse_label("СТ-7").ok(), Some(7));
        assert!(parse_label("ST").is_err());
        assert!(parse_label("ST 0").is_err());
        assert!(parse_label("PC 5").is_err());
        assert_eq!(format_label(7), "ST 07");
    }

    #[test]
    fn r12_the_next_label_never_reuses_a_retired_one() {
        assert_eq!(next_label(None), 1);
        assert_eq!(next_label(Some(28)), 29);
    }

    #[test]
    fn mac_and_ip_are_validated_and_normalised() {
        assert_eq!(parse_mac("aa-bb-cc-dd-ee-0f").ok().as_deref(), Some("AA:BB:CC:DD:EE:0F"));
        assert_eq!(parse_mac("aabb.ccdd.ee0f").ok().as_deref(), Some("AA:BB:CC:DD:EE:0F"));
        assert!(parse_mac("aa:bb:cc:dd:ee").is_err());
        assert!(parse_mac("gg:bb:cc:dd:ee:ff").is_err());
        assert!(parse_ip("10.0.0.256").is_err());
        assert_eq!(parse_ip(" 10.0.0.5 ").map(|i| i.to_string()).ok().as_deref(), Some("10.0.0.5"));
    }

    #[test]
    fn prices_in_serbian_or_plain_notation() {
        assert_eq!(parse_price("1.234,56").ok(), Some(123_456));
        assert_eq!(parse_price("1234.5").ok(), Some(123_450));
        assert_eq!(parse_price("89 990").ok(), Some(8_999_000));
        assert_eq!(parse_price("2.400.000").ok(), Some(240_000_000));
        assert_eq!(parse_price("89.990").ok(), Some(8_999_000));
        assert!(parse_price("1.2.3").is_err());
        assert!(parse_price("12,345").is_err());
        assert!(parse_price("-5").is_err());
        assert_eq!(format_price(123_456), "1.234,56");
        assert_eq!(format_price(5), "0,05");
    }

    #[test]
    fn r4_life_cycle_moves_that_are_not_allowed() {
        use AssetStatus::*;
        assert!(InStock.can_move_to(InUse) && InUse.can_move_to(InRepair) && InRepair.can_move_to(AtService));
        assert!(WrittenOff.can_move_to(Disposed));
        assert!(!WrittenOff.can_move_to(InUse), "written-off equipment is not used again");
        assert!(!Disposed.can_move_to(InStock), "nothing comes back from disposal");
        assert!(!InUse.can_move_to(Disposed), "disposal follows a write-off");
    }

    #[test]
    fn only_servers_have_roles_and_only_workstations_labels() {
        let base = AssetInput { kind: "printer".into(), inventory_number: "000123".into(), ..Default::default() };
        let bad = AssetInput { label: "ST 3".into(), roles: vec!["web".into()], ..base.clone() };
        let Err(Error::Invalid(errs)) = bad.validate() else { panic!("expected invalid") };
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["label", "roles"]);
        let server = AssetInput { kind: "server".into(), roles: vec!["domain_controller".into(), "web".into()], ..base };
        assert_eq!(server.validate().map(|a| a.roles.len()).ok(), Some(2));
    }

    #[test]
    fn changes_list_each_field_old_and_new() {
        let a = AssetInput { kind: "workstation".into(), inventory_number: "1".into(), room: "12".into(), ..Default::default() };
        let b = AssetInput { room: "14".into(), ip: "10.0.0.5".into(), ..a.clone() };
        let (Ok(a), Ok(b)) = (a.validate(), b.validate()) else { panic!("valid") };
        let c = b.changes_from(&a);
        assert_eq!(
            c,
            vec![
                FieldChange { field: "ip", old: String::new(), new: "10.0.0.5".into() },
                FieldChange { field: "room", old: "12".into(), new: "14".into() }
            ]
        );
    }
}

/// An asset as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Asset {
    pub id: i64,
    pub office_id: i64,
    pub status: AssetStatus,
    /// The employee who holds it now (zaduženje, R.3).
    pub person_id: Option<i64>,
    /// The workplace it stands at now; a workstation belongs to its workplace (R.19).
    pub workplace_id: Option<i64>,
    #[serde(flatten)]
    pub fields: AssetFields,
}

/// One assignment of an asset (zaduženje … razduženje, R.3, R.11).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Assignment {
    pub id: i64,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub workplace_id: Option<i64>,
    pub workplace_name: Option<String>,
    /// ISO dates.
    pub assigned_on: String,
    pub returned_on: Option<String>,
    pub assigned_by: String,
    pub returned_by: Option<String>,
}

/// One row of an asset's history.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HistoryRow {
    pub at_us: crate::clock::Micros,
    pub actor_name: String,
    pub field: String,
    pub old: String,
    pub new: String,
}

/// Filters of the asset list.
#[derive(Debug, Clone, Default)]
pub struct AssetQuery {
    pub office_id: i64,
    pub q: Option<String>,
    pub kind: Option<AssetKind>,
    pub status: Option<AssetStatus>,
    pub room: Option<String>,
    pub building: Option<String>,
    /// Held by an employee of this unit, or standing at one of its workplaces; an internal unit
    /// of it counts too (R.19: a workstation belongs to its workplace).
    pub unit_id: Option<i64>,
    /// Warranty ending on or before this ISO date (and not yet ended before `warranty_from`).
    pub warranty_until: Option<String>,
    pub warranty_from: Option<String>,
    /// Only what this employee holds.
    pub person_id: Option<i64>,
    pub sort: AssetSort,
    pub desc: bool,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AssetSort {
    #[default]
    InventoryNumber,
    Label,
    Kind,
    Room,
    Warranty,
}

impl AssetSort {
    pub fn parse(s: &str) -> AssetSort {
        match s {
            "label" => AssetSort::Label,
            "kind" => AssetSort::Kind,
            "room" => AssetSort::Room,
            "warranty" => AssetSort::Warranty,
            _ => AssetSort::InventoryNumber,
        }
    }
}

/// Which existing active asset already holds an identifier, for a clear conflict message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identifier {
    InventoryNumber,
    Label,
    Ip,
}
