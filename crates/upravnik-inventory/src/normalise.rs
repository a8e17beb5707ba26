//! The value clean-ups of GLPI's `Converter.php` (PROTOCOLS.md §4.3) that the card needs:
//! sizes to MB, dates to `YYYY-MM-DD`, MACs to `aa:bb:cc:dd:ee:ff`, booleans.

/// Splits `" 8 GB"` into `(8.0, "gb")`; the number may use `.` or `,` as decimal separator.
fn number_and_unit(s: &str) -> Option<(f64, String)> {
    let s = s.trim();
    let end = s.char_indices().find(|&(_, c)| !(c.is_ascii_digit() || c == '.' || c == ',')).map_or(s.len(), |(i, _)| i);
    let (num, unit) = s.split_at(end);
    if num.is_empty() {
        return None;
    }
    let value: f64 = num.replace(',', ".").parse().ok()?;
    value.is_finite().then(|| (value, unit.trim().to_ascii_lowercase()))
}

fn to_i64(v: f64) -> Option<i64> {
    // Truncation is the point: "274877.906944" MB is 274877 MB.
    (0.0..9.0e15).contains(&v).then_some(v as i64)
}

/// A size in MB from `"8192"`, `"8192 MB"`, `"8 GB"`, `"1 TiB"`, `"524288 KB"`. Binary units,
/// as the agents compute them. Unknown units and negative sizes give `None`.
pub(crate) fn size_mb(s: &str) -> Option<i64> {
    let (v, unit) = number_and_unit(s)?;
    let factor = match unit.trim_end_matches("ytes").trim_end_matches('s') {
        "" | "m" | "mb" | "mib" | "mo" => 1.0,
        "k" | "kb" | "kib" | "ko" => 1.0 / 1024.0,
        "b" | "byte" => 1.0 / (1024.0 * 1024.0),
        "g" | "gb" | "gib" | "go" => 1024.0,
        "t" | "tb" | "tib" | "to" => 1024.0 * 1024.0,
        _ => return None,
    };
    to_i64(v * factor)
}

/// A plain count or number (`"2"`, `"2.0"`); anything else gives `None`.
pub(crate) fn int(s: &str) -> Option<i64> {
    let (v, unit) = number_and_unit(s)?;
    if unit.is_empty() { to_i64(v) } else { None }
}

/// A frequency in MHz from `"2400"`, `"2400 MHz"`, `"2.4 GHz"`.
pub(crate) fn speed_mhz(s: &str) -> Option<i64> {
    let (v, unit) = number_and_unit(s)?;
    match unit.as_str() {
        "" | "mhz" => to_i64(v),
        "ghz" => to_i64(v * 1000.0),
        _ => None,
    }
}

/// `"1"`, `"true"`, `"yes"`, `"on"` (any case) are true; everything else false.
pub(crate) fn boolean(s: &str) -> bool {
    matches!(s.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on" | "y")
}

/// Which field comes first in a `nn/nn/yyyy` date.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlashOrder {
    /// FusionInventory software install dates (`18/04/2017`).
    DayFirst,
    /// SMBIOS dates (`07/25/2014`).
    MonthFirst,
}

/// A date as `YYYY-MM-DD`, from `yyyy-mm-dd…`, `yyyy/mm/dd…` or `nn/nn/yyyy`, or `None` when it
/// does not describe a real day. Years before 1980 are dropped: agents use the epoch
/// (`1970-01-01`, OCS `1970-00-01`) for "unknown".
pub(crate) fn date(s: &str, order: SlashOrder) -> Option<String> {
    let s = s.trim();
    // Every program of every report has a date: read it without allocating.
    let end = s.find(|c: char| !(c.is_ascii_digit() || c == '-' || c == '/' || c == '.')).unwrap_or(s.len());
    let mut parts = s.get(..end)?.split(['-', '/', '.']);
    let (p0, p1, p2) = (parts.next()?, parts.next()?, parts.next()?);
    let (a, b, c): (u32, u32, u32) = (p0.parse().ok()?, p1.parse().ok()?, p2.parse().ok()?);
    let (y, m, d) = if p0.len() == 4 {
        (a, b, c)
    } else if p2.len() == 4 {
        let (mut m, mut d) = match order {
            SlashOrder::DayFirst => (b, a),
            SlashOrder::MonthFirst => (a, b),
        };
        // An impossible month with a possible day means the other order was meant.
        if m > 12 && d <= 12 {
            std::mem::swap(&mut m, &mut d);
        }
        (c, m, d)
    } else {
        return None;
    };
    if !(1980..=2200).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `aa:bb:cc:dd:ee:ff` from colon, dash, dotted (Cisco) or bare hex forms; `""` when the
/// value is not a MAC address.
pub(crate) fn mac(s: &str) -> String {
    let s = s.trim();
    let mut octets: Vec<u8> = Vec::with_capacity(6);
    let groups: Vec<&str> = s.split([':', '-']).collect();
    if groups.len() == 6 {
        for g in groups {
            if g.is_empty() || g.len() > 2 {
                return String::new();
            }
            match u8::from_str_radix(g, 16) {
                Ok(v) => octets.push(v),
                Err(_) => return String::new(),
            }
        }
    } else {
        let hex: String = s.chars().filter(|c| *c != '.').collect();
        if hex.len() != 12 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return String::new();
        }
        for i in 0..6 {
            match hex.get(i * 2..i * 2 + 2).map(|p| u8::from_str_radix(p, 16)) {
                Some(Ok(v)) => octets.push(v),
                _ => return String::new(),
            }
        }
    }
    octets.iter().map(|o| format!("{o:02x}")).collect::<Vec<_>>().join(":")
}

/// Network types as GLPI's schema names them (`local` → `loopback`).
pub(crate) fn net_kind(s: &str) -> String {
    let t = s.trim().to_ascii_lowercase();
    match t.as_str() {
        "local" => "loopback".into(),
        // OCS reports the link layer of `ip link`.
        "ether" => "ethernet".into(),
        "wireless" | "wlan" | "802.11" => "wifi".into(),
        _ => t,
    }
}

/// Linux interface names that are never a network card, for agents (OCS) that do not say.
pub(crate) fn looks_virtual(description: &str, kind: &str) -> bool {
    if kind == "loopback" {
        return true;
    }
    let d = description.trim();
    d == "lo"
        || ["ifb", "veth", "docker", "br-", "virbr", "vmnet", "vboxnet", "tun", "tap", "wg", "dummy", "vnet", "lxc", "cni", "flannel", "zt"]
            .iter()
            .any(|p| d.starts_with(p) && d.len() > p.len() && !d.contains(' '))
}

/// Storage interfaces as the schema spells them.
pub(crate) fn interface(s: &str) -> String {
    let t = s.trim();
    if t.eq_ignore_ascii_case("serial-ata") { "SATA".into() } else { t.to_string() }
}

/// Text as received, with invalid UTF-8 read as Windows-1252 (a superset of Latin-1), as GLPI
/// does with `utf8_encode`: old Windows agents send ISO-8859-1 while declaring UTF-8.
pub(crate) fn text<'a>(bytes: &'a [u8], declared: Option<&str>) -> std::borrow::Cow<'a, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => {
            let enc = declared
                .and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes()))
                .filter(|e| *e != encoding_rs::UTF_8)
                .unwrap_or(encoding_rs::WINDOWS_1252);
            let (s, _) = enc.decode_without_bom_handling(bytes);
            std::borrow::Cow::Owned(s.into_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(size_mb("8192"), Some(8192));
        assert_eq!(size_mb("8192 MB"), Some(8192));
        assert_eq!(size_mb("8 GB"), Some(8192));
        assert_eq!(size_mb("8GiB"), Some(8192));
        assert_eq!(size_mb("274877.906944"), Some(274877));
        assert_eq!(size_mb("1 TB"), Some(1_048_576));
        assert_eq!(size_mb("524288 kB"), Some(512));
        assert_eq!(size_mb("lots"), None);
        assert_eq!(size_mb("-5"), None);
        assert_eq!(size_mb("5 parsecs"), None);
        assert_eq!(speed_mhz("2.4 GHz"), Some(2400));
        assert_eq!(speed_mhz("1700"), Some(1700));
        assert_eq!(int("2"), Some(2));
        assert_eq!(int("2 cores"), None);
    }

    #[test]
    fn dates() {
        use SlashOrder::*;
        assert_eq!(date("18/04/2017", DayFirst).as_deref(), Some("2017-04-18"));
        assert_eq!(date("08/06/2017", DayFirst).as_deref(), Some("2017-06-08"));
        assert_eq!(date("07/25/2014", MonthFirst).as_deref(), Some("2014-07-25"));
        assert_eq!(date("25/07/2014", MonthFirst).as_deref(), Some("2014-07-25"));
        assert_eq!(date("2025/05/24 14:37:47", DayFirst).as_deref(), Some("2025-05-24"));
        assert_eq!(date("2015-04-17T03:02:45Z", DayFirst).as_deref(), Some("2015-04-17"));
        assert_eq!(date("1970-00-01", DayFirst), None);
        assert_eq!(date("1970-01-01 00:00:00", DayFirst), None);
        assert_eq!(date("2023-02-29", DayFirst), None);
        assert_eq!(date("2024-02-29", DayFirst).as_deref(), Some("2024-02-29"));
        assert_eq!(date("N/A", DayFirst), None);
        assert_eq!(date("", DayFirst), None);
        assert_eq!(date("99/99/9999", DayFirst), None);
    }

    #[test]
    fn macs() {
        assert_eq!(mac("68:B5:99:E6:84:EB"), "68:b5:99:e6:84:eb");
        assert_eq!(mac("68-B5-99-E6-84-EB"), "68:b5:99:e6:84:eb");
        assert_eq!(mac("68b5.99e6.84eb"), "68:b5:99:e6:84:eb");
        assert_eq!(mac("0:50:56:c0:0:1"), "00:50:56:c0:00:01");
        assert_eq!(mac("68B599E684EB"), "68:b5:99:e6:84:eb");
        assert_eq!(mac("not a mac"), "");
        assert_eq!(mac("00:11:22:33:44"), "");
        assert_eq!(mac("ää:11:22:33:44:55"), "");
    }

    #[test]
    fn latin1_fallback() {
        assert_eq!(text(b"Connexion r\xe9seau", None), "Connexion réseau");
        assert_eq!(text("Connexion réseau".as_bytes(), None), "Connexion réseau");
        assert_eq!(text(b"\xEF\xBB\xBF<a/>", None), "<a/>");
    }

    #[test]
    fn virtual_names() {
        assert!(looks_virtual("ifb0", ""));
        assert!(looks_virtual("lo", ""));
        assert!(looks_virtual("eth0", "loopback"));
        assert!(!looks_virtual("eth0", "ethernet"));
        assert!(!looks_virtual("tap", ""));
        assert!(!looks_virtual("tun Adapter For Windows", ""));
    }
}
