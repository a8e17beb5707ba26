//! Equipment identifiers typed or imported from spreadsheets (labels, MAC and IP addresses,
//! prices, whole asset records, subnets): decided without panicking, and normalised forms are stable.
#![no_main]
use libfuzzer_sys::fuzz_target;
use upravnik_core::asset::{AssetInput, format_label, format_price, parse_label, parse_mac, parse_price};

fuzz_target!(|f: (&str, &str, &str, &str, &str)| {
    let (a, b, c, d, e) = f;
    if let Ok(n) = parse_label(a) {
        assert_eq!(parse_label(&format_label(n)).ok(), Some(n));
    }
    if let Ok(m) = parse_mac(b) {
        assert_eq!(parse_mac(&m).ok(), Some(m.clone()));
    }
    if let Ok(p) = parse_price(c) {
        assert_eq!(parse_price(&format_price(p)).ok(), Some(p));
    }
    let input = AssetInput { kind: d.into(), inventory_number: e.into(), label: a.into(), mac: b.into(), ip: c.into(), price: c.into(), warranty_end: d.into(), ..Default::default() };
    if let Ok(valid) = input.validate() {
        let _ = valid.changes_from(&valid);
    }
    if let Ok(net) = upravnik_core::subnet::Cidr::parse(d) {
        assert_eq!(upravnik_core::subnet::Cidr::parse(&net.to_string()).ok(), Some(net));
        assert!(net.host_count() >= 2 && net.hosts().count() == net.host_count() as usize);
    }
    let subnet = upravnik_core::subnet::SubnetInput { cidr: d.into(), name: e.into(), vlan: a.into(), gateway: c.into(), note: b.into() };
    let _ = subnet.validate();
});
