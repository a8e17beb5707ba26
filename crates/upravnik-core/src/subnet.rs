//! IP subnets of an office (R.3: IP addresses, one per active asset): IPv4 networks in CIDR
//! notation, their gateways, and which host addresses active assets use and which are free.

use std::net::Ipv4Addr;

use crate::error::Errors;
use crate::{Error, Result};

/// Narrowest and widest networks accepted: a /16 has 65,534 hosts, which the address grid can
/// still show; a /31 or /32 has no usable network/broadcast pair.
pub const MIN_PREFIX: u8 = 16;
pub const MAX_PREFIX: u8 = 30;

/// An IPv4 network, `10.10.1.0/24`, with its host bits zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    pub network: Ipv4Addr,
    pub prefix: u8,
}

impl Cidr {
    /// Parses `a.b.c.d/p`; refuses host bits set (`10.0.0.5/24`) and prefixes outside /16–/30.
    pub fn parse(s: &str) -> Result<Cidr> {
        let bad = || Error::invalid("cidr", "err-cidr");
        let (addr, prefix) = s.trim().split_once('/').ok_or_else(bad)?;
        let network: Ipv4Addr = addr.trim().parse().map_err(|_| bad())?;
        let prefix: u8 = prefix.trim().parse().map_err(|_| bad())?;
        if !(MIN_PREFIX..=MAX_PREFIX).contains(&prefix) {
            return Err(Error::invalid("cidr", "err-cidr-prefix"));
        }
        let c = Cidr { network, prefix };
        if u32::from(network) & !c.mask() != 0 {
            return Err(Error::invalid("cidr", "err-cidr-host-bits"));
        }
        Ok(c)
    }

    fn mask(self) -> u32 {
        u32::MAX << (32 - u32::from(self.prefix))
    }

    fn first(self) -> u32 {
        u32::from(self.network)
    }

    fn last(self) -> u32 {
        self.first() | !self.mask()
    }

    pub fn broadcast(self) -> Ipv4Addr {
        Ipv4Addr::from(self.last())
    }

    /// Whether `ip` lies anywhere in the network, its network and broadcast addresses included.
    pub fn contains(self, ip: Ipv4Addr) -> bool {
        u32::from(ip) & self.mask() == self.first()
    }

    /// Whether `ip` is a usable host address (not the network or broadcast address).
    pub fn is_host(self, ip: Ipv4Addr) -> bool {
        let v = u32::from(ip);
        self.contains(ip) && v != self.first() && v != self.last()
    }

    pub fn overlaps(self, other: Cidr) -> bool {
        self.first() <= other.last() && other.first() <= self.last()
    }

    /// Usable host addresses.
    pub fn host_count(self) -> u32 {
        self.last() - self.first() - 1
    }

    /// Every usable host address, in order.
    pub fn hosts(self) -> impl Iterator<Item = Ipv4Addr> {
        (self.first() + 1..self.last()).map(Ipv4Addr::from)
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// A subnet as entered in a form or the API.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, PartialEq)]
pub struct SubnetInput {
    #[serde(default)]
    pub cidr: String,
    #[serde(default)]
    pub name: String,
    /// 1–4094; empty for none. A number in JSON is accepted too.
    #[serde(default, deserialize_with = "string_or_number")]
    pub vlan: String,
    #[serde(default)]
    pub gateway: String,
    #[serde(default)]
    pub note: String,
}

fn string_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum V {
        S(String),
        N(i64),
        Null,
    }
    Ok(match <V as serde::Deserialize>::deserialize(d)? {
        V::S(s) => s,
        V::N(n) => n.to_string(),
        V::Null => String::new(),
    })
}

/// A validated subnet.
#[derive(Debug, Clone, PartialEq)]
pub struct SubnetFields {
    pub cidr: Cidr,
    pub name: String,
    pub vlan: Option<i64>,
    pub gateway: Option<Ipv4Addr>,
    pub note: String,
}

impl SubnetInput {
    /// Checks the network, the VLAN and that the gateway is a host address of the network.
    /// Overlap with the office's other subnets needs the store: see [`overlapping`].
    pub fn validate(&self) -> Result<SubnetFields> {
        let mut e = Errors::default();
        let cidr = e.take(Cidr::parse(&self.cidr));
        let name = self.name.trim().to_string();
        if name.is_empty() {
            e.add("name", "err-required");
        } else if name.chars().count() > 100 {
            e.add("name", "err-too-long");
        }
        let vlan = match self.vlan.trim() {
            "" => None,
            v => match v.parse::<i64>() {
                Ok(n) if (1..=4094).contains(&n) => Some(n),
                _ => {
                    e.add("vlan", "err-vlan");
                    None
                }
            },
        };
        let gateway = match self.gateway.trim() {
            "" => None,
            g => match g.parse::<Ipv4Addr>() {
                Ok(ip) if cidr.is_none_or(|c| c.is_host(ip)) => Some(ip),
                Ok(_) => {
                    e.add("gateway", "err-gateway-outside");
                    None
                }
                Err(_) => {
                    e.add("gateway", "err-ip");
                    None
                }
            },
        };
        let note = self.note.trim().to_string();
        if note.chars().count() > 2000 {
            e.add("note", "err-too-long");
        }
        e.finish()?;
        let cidr = cidr.ok_or(Error::invalid("cidr", "err-cidr"))?;
        Ok(SubnetFields { cidr, name, vlan, gateway, note })
    }
}

/// The first of `others` (id, network) that overlaps `cidr`, other than `except`.
pub fn overlapping(cidr: Cidr, others: &[(i64, Cidr)], except: Option<i64>) -> Option<i64> {
    others.iter().find(|(id, c)| Some(*id) != except && c.overlaps(cidr)).map(|(id, _)| *id)
}

/// A subnet as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Subnet {
    pub id: i64,
    pub office_id: i64,
    pub cidr: String,
    pub name: String,
    pub vlan: Option<i64>,
    pub gateway: Option<String>,
    pub note: String,
}

impl Subnet {
    /// The stored network; a row that does not parse is a storage fault.
    pub fn network(&self) -> Result<Cidr> {
        Cidr::parse(&self.cidr).map_err(|_| Error::Storage(format!("subnet {} has a bad network {:?}", self.id, self.cidr)))
    }
}

/// An address held by an active asset.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AssetAddress {
    pub ip: String,
    pub asset_id: i64,
    pub inventory_number: String,
    pub hostname: String,
}

/// A subnet with its addresses counted: `used` by active assets, `free` neither used nor the
/// gateway, `total` usable host addresses.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SubnetUsage {
    #[serde(flatten)]
    pub subnet: Subnet,
    pub total: u32,
    pub used: u32,
    pub free: u32,
    /// In address order.
    pub used_addresses: Vec<AssetAddress>,
}

/// Counts one subnet's addresses from the office's active assets' addresses. Addresses that do
/// not parse (none should: assets validate them) are ignored.
pub fn usage(subnet: Subnet, net: Cidr, active: &[AssetAddress]) -> SubnetUsage {
    let mut used: Vec<(Ipv4Addr, AssetAddress)> =
        active.iter().filter_map(|a| a.ip.parse::<Ipv4Addr>().ok().filter(|ip| net.is_host(*ip)).map(|ip| (ip, a.clone()))).collect();
    used.sort_by_key(|(ip, _)| *ip);
    // One asset per address is enforced by the database; dedupe anyway so counts cannot go negative.
    used.dedup_by_key(|(ip, _)| *ip);
    let gateway = subnet.gateway.as_deref().and_then(|g| g.parse::<Ipv4Addr>().ok()).filter(|g| net.is_host(*g));
    let gateway_reserved = gateway.is_some_and(|g| !used.iter().any(|(ip, _)| *ip == g));
    let total = net.host_count();
    let n = u32::try_from(used.len()).unwrap_or(u32::MAX).min(total);
    let free = total - n - u32::from(gateway_reserved).min(total - n);
    SubnetUsage { subnet, total, used: n, free, used_addresses: used.into_iter().map(|(_, a)| a).collect() }
}

/// Addresses of active assets that fall in none of the networks.
pub fn outside(nets: &[Cidr], active: &[AssetAddress]) -> Vec<AssetAddress> {
    let mut v: Vec<(Ipv4Addr, AssetAddress)> = active
        .iter()
        .filter_map(|a| a.ip.parse::<Ipv4Addr>().ok().map(|ip| (ip, a.clone())))
        .filter(|(ip, _)| !nets.iter().any(|n| n.contains(*ip)))
        .collect();
    v.sort_by_key(|(ip, _)| *ip);
    v.into_iter().map(|(_, a)| a).collect()
}

/// The first `n` free host addresses of a subnet (not used, not the gateway).
pub fn first_free(u: &SubnetUsage, net: Cidr, n: usize) -> Vec<Ipv4Addr> {
    let gateway = u.subnet.gateway.as_deref().and_then(|g| g.parse::<Ipv4Addr>().ok());
    let used: std::collections::HashSet<&str> = u.used_addresses.iter().map(|a| a.ip.as_str()).collect();
    net.hosts().filter(|ip| Some(*ip) != gateway && !used.contains(ip.to_string().as_str())).take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str) -> Cidr {
        Cidr::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    fn addr(ip: &str, id: i64) -> AssetAddress {
        AssetAddress { ip: ip.into(), asset_id: id, inventory_number: format!("{id:06}"), hostname: String::new() }
    }

    fn code(r: Result<Cidr>) -> &'static str {
        match r {
            Err(Error::Invalid(e)) => e[0].message,
            _ => "ok",
        }
    }

    #[test]
    fn cidr_needs_host_bits_zero_and_a_prefix_from_16_to_30() {
        assert_eq!(net(" 10.10.1.0/24 ").to_string(), "10.10.1.0/24");
        assert_eq!(net("192.168.0.0/16").host_count(), 65_534);
        assert_eq!(net("10.0.0.0/30").host_count(), 2);
        assert_eq!(code(Cidr::parse("10.10.1.5/24")), "err-cidr-host-bits");
        assert_eq!(code(Cidr::parse("10.0.0.0/8")), "err-cidr-prefix");
        assert_eq!(code(Cidr::parse("10.0.0.0/31")), "err-cidr-prefix");
        assert_eq!(code(Cidr::parse("10.0.0.0")), "err-cidr");
        assert_eq!(code(Cidr::parse("10.0.0.256/24")), "err-cidr");
        assert_eq!(code(Cidr::parse("10.0.0.0/x")), "err-cidr");
        assert_eq!(net("10.10.1.0/24").broadcast().to_string(), "10.10.1.255");
    }

    #[test]
    fn hosts_exclude_network_and_broadcast() {
        let n = net("10.0.0.0/29");
        let hosts: Vec<String> = n.hosts().map(|h| h.to_string()).collect();
        assert_eq!(hosts, ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"]);
        assert!(n.contains("10.0.0.0".parse().unwrap_or(Ipv4Addr::UNSPECIFIED)));
        assert!(!n.is_host("10.0.0.7".parse().unwrap_or(Ipv4Addr::UNSPECIFIED)));
    }

    #[test]
    fn overlap_in_either_direction() {
        let a = net("10.10.0.0/16");
        assert!(a.overlaps(net("10.10.5.0/24")) && net("10.10.5.0/24").overlaps(a));
        assert!(!net("10.10.1.0/24").overlaps(net("10.10.2.0/24")));
        assert!(net("10.10.1.0/25").overlaps(net("10.10.1.64/26")));
        assert!(!net("10.10.1.0/25").overlaps(net("10.10.1.128/25")));
        let others = [(1, net("10.10.1.0/24")), (2, net("10.10.2.0/24"))];
        assert_eq!(overlapping(net("10.10.2.128/25"), &others, None), Some(2));
        assert_eq!(overlapping(net("10.10.2.0/24"), &others, Some(2)), None, "a subnet does not overlap itself");
    }

    #[test]
    fn gateway_must_be_a_host_of_the_network() {
        let base = SubnetInput { cidr: "10.10.1.0/24".into(), name: "Корисници".into(), ..Default::default() };
        let ok = SubnetInput { gateway: "10.10.1.1".into(), vlan: "20".into(), ..base.clone() }.validate();
        assert_eq!(ok.map(|f| (f.vlan, f.gateway.map(|g| g.to_string()))).ok(), Some((Some(20), Some("10.10.1.1".into()))));
        for (gw, msg) in [("10.10.2.1", "err-gateway-outside"), ("10.10.1.255", "err-gateway-outside"), ("x", "err-ip")] {
            let Err(Error::Invalid(e)) = SubnetInput { gateway: gw.into(), ..base.clone() }.validate() else { panic!("{gw} refused") };
            assert_eq!((e[0].field, e[0].message), ("gateway", msg));
        }
        let Err(Error::Invalid(e)) = SubnetInput { vlan: "5000".into(), name: String::new(), ..base }.validate() else { panic!() };
        assert_eq!(e.iter().map(|e| e.field).collect::<Vec<_>>(), ["name", "vlan"]);
    }

    #[test]
    fn usage_counts_used_free_and_the_gateway() {
        let s = Subnet {
            id: 1,
            office_id: 1,
            cidr: "10.0.0.0/29".into(),
            name: "n".into(),
            vlan: None,
            gateway: Some("10.0.0.1".into()),
            note: String::new(),
        };
        let active = [addr("10.0.0.5", 1), addr("10.0.0.2", 2), addr("10.0.0.7", 3), addr("10.0.1.2", 4)];
        let u = usage(s.clone(), net("10.0.0.0/29"), &active);
        assert_eq!((u.total, u.used, u.free), (6, 2, 3), "broadcast .7 is not a host; the gateway is not free");
        assert_eq!(u.used_addresses.iter().map(|a| a.ip.as_str()).collect::<Vec<_>>(), ["10.0.0.2", "10.0.0.5"]);
        let free: Vec<String> = first_free(&u, net("10.0.0.0/29"), 2).iter().map(|i| i.to_string()).collect();
        assert_eq!(free, ["10.0.0.3", "10.0.0.4"]);
        // An asset on the gateway's address (the router itself) is counted once.
        let u = usage(s, net("10.0.0.0/29"), &[addr("10.0.0.1", 9)]);
        assert_eq!((u.used, u.free), (1, 5));
        let out = outside(&[net("10.0.0.0/29")], &active);
        assert_eq!(out.iter().map(|a| a.ip.as_str()).collect::<Vec<_>>(), ["10.0.1.2"]);
    }
}
