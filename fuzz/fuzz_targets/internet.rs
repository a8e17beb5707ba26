//! Any text typed or pasted as a site, and any stored antivirus text: a site that is accepted
//! is a plain host name the filters read as one (normalising it again changes nothing), and the
//! exports built from accepted names never break a line; the antivirus decoder never panics.
#![no_main]
use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use upravnik_core::antivirus::{coverage, decode, describe, encode};
use upravnik_core::internet::{Access, Policy, PolicyHost, SiteCategory, normalise_domain};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut sites = vec![];
    for part in text.split(|c: char| c.is_whitespace() || c == ',') {
        if let Ok(d) = normalise_domain(part) {
            assert!(d.len() <= 253 && d.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'), "{d}");
            assert_eq!(normalise_domain(&d).ok().as_deref(), Some(d.as_str()));
            sites.push(d);
        }
    }
    let mut access = Access::default_for(1);
    access.allowed = true;
    let host = PolicyHost { asset_id: 1, label: text.chars().take(40).collect(), ip: Some("10.0.0.1".parse().unwrap()), access };
    let policy = Policy { office: text.chars().take(40).collect(), generated: String::new(), hosts: vec![host], sites: BTreeMap::from([(SiteCategory::Social, sites)]) };
    for out in [policy.squid(), policy.unbound()] {
        for line in out.lines() {
            let l = line.trim_start();
            assert!(l.is_empty() || l.starts_with('#') || !l.contains('\r'), "{line}");
        }
    }
    let products = decode(&text);
    assert!(decode(&encode(&products)).len() <= products.len());
    let _ = (coverage(Some(&text)), describe(Some(&text)));
});
