//! The inventory services: take a report, answer which office an agent belongs to, keep the
//! settings, and the reads, confirmation and merge of the pages.

use std::collections::HashMap;
use std::sync::Mutex;

use sha2::{Digest, Sha256};
use upravnik_inventory::{Inventory, Section};

use super::card::{self, COMPONENT_SECTIONS, Identity, carries};
use super::diff::{PartPlan, changes_word, diff, digest, format_fingerprint, parse_fingerprint};
use super::matching::{Candidate, KeyKind, choose};
use super::settings::{AgentSettings, AgentSettingsInput, rules_text};
use super::{AgentRecord, AgentSeen, InventoryTx, InventoryView, MachineRow, MergePlan, StateRow, StateWrite, bad_report};
use crate::access::{Actor, Permission};
use crate::asset::{Asset, AssetFields, AssetKind, AssetQuery, AssetStatus, FieldChange, format_label, parse_label};
use crate::clock::Micros;
use crate::org::Page;
use crate::parts::{ComponentKind, Part, PartFields, PartKind};
use crate::password;
use crate::service::{Services, draft};
use crate::software::Installed;
use crate::worklog::{Category, Draft, ObjectRef};
use crate::{Error, Result};

/// A decoded report as the HTTP endpoint hands it over.
#[derive(Debug, Clone, Copy)]
pub struct AgentReport<'a> {
    pub inventory: &'a Inventory,
    /// The decoded document (XML or JSON) as received, kept as the asset's last report.
    pub raw: &'a [u8],
    /// The request body when the agent sent the document zlib-compressed: stored as it came,
    /// so an unchanged re-inventory spends nothing on compressing it again.
    pub raw_zlib: Option<&'a [u8]>,
    /// `xml` or `json`.
    pub format: &'a str,
    pub remote_ip: Option<&'a str>,
}

/// What a report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Received {
    pub asset_id: i64,
    pub created: bool,
    /// History rows written (0 for an unchanged re-inventory).
    pub changes: usize,
}

/// How long a verified agent password is trusted without running argon2 again.
const AUTH_CACHE_US: Micros = 5 * 60 * 1_000_000;

/// Verified agent credentials: SHA-256 of `user:password` → (stored hash, office, until).
/// argon2id is slow by design, and agents post often.
#[derive(Default)]
pub struct AgentAuthCache(Mutex<HashMap<String, (String, i64, Micros)>>);

impl std::fmt::Debug for AgentAuthCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AgentAuthCache")
    }
}

/// The report reduced to what the card and the matching need, computed once before the
/// transaction (and reused if it is retried).
struct Prepared {
    identity: Identity,
    components: Vec<(ComponentKind, Vec<PartFields>)>,
    software: Option<Vec<PartFields>>,
    os: Option<String>,
    antivirus: Option<String>,
    hardware: bool,
    bios: bool,
    networks: bool,
    hostname: Option<String>,
    manufacturer: String,
    model: String,
    serial: String,
    mac: Option<String>,
    ip: Option<String>,
    kind: AssetKind,
    digests: HashMap<String, String>,
}

fn valid_hostname(h: &str) -> Option<String> {
    let h = h.trim();
    (!h.is_empty() && h.len() <= 63 && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')).then(|| h.to_string())
}

/// The first address that identifies the machine on the network: IPv4, not loopback,
/// link-local or unspecified.
fn first_ip(inv: &Inventory) -> Option<String> {
    inv.networks
        .iter()
        .filter(|n| n.kind != "loopback")
        .filter_map(|n| n.ipv4.split([',', ' ', '/']).find_map(|a| a.trim().parse::<std::net::Ipv4Addr>().ok()))
        .find(|ip| !ip.is_loopback() && !ip.is_link_local() && !ip.is_unspecified() && !ip.is_broadcast())
        .map(|ip| ip.to_string())
}

/// Laptops and servers by their chassis or operating system; a workstation otherwise.
fn guess_kind(inv: &Inventory) -> AssetKind {
    let chassis = inv.hardware.chassis_type.to_lowercase();
    let os = format!("{} {}", inv.os.name, inv.os.full_name).to_lowercase();
    if ["laptop", "notebook", "portable", "sub notebook", "tablet", "convertible", "detachable", "hand held"]
        .iter()
        .any(|c| chassis.contains(c))
    {
        AssetKind::Laptop
    } else if os.contains("server") || ["rack mount", "blade", "main server", "multi-system"].iter().any(|c| chassis.contains(c)) {
        AssetKind::Server
    } else {
        AssetKind::Workstation
    }
}

/// Every field of every row, in order, for a section's digest (no string is built: a report
/// with a thousand programs is digested on every run).
fn part_fields(rows: &[PartFields]) -> impl Iterator<Item = &str> {
    rows.iter().flat_map(|f| match f {
        PartFields::Component { kind, manufacturer, model, serial, capacity, note } => {
            [kind.as_str(), manufacturer.as_str(), model.as_str(), serial.as_str(), capacity.as_str(), note.as_str()]
        }
        PartFields::Software { name, version, publisher, installed_on } => {
            [name.as_str(), version.as_str(), publisher.as_str(), installed_on.as_deref().unwrap_or(""), "", ""]
        }
    })
}

fn section_key(s: Section) -> &'static str {
    match s {
        Section::Hardware => "hardware",
        Section::Bios => "bios",
        Section::OperatingSystem => "os",
        Section::Cpus => "cpus",
        Section::Memories => "memories",
        Section::Storages => "storages",
        Section::Networks => "networks",
        Section::Videos => "videos",
        Section::Softwares => "softwares",
        Section::Monitors => "monitors",
        Section::Antivirus => "antivirus",
    }
}

impl Prepared {
    fn new(inv: &Inventory, settings: &AgentSettings) -> Prepared {
        let bl = settings.blacklist();
        let identity = card::identity(inv, &bl);
        let mut digests = HashMap::new();
        let mut components = vec![];
        for (section, kind) in COMPONENT_SECTIONS {
            if carries(inv, section) {
                let rows = card::components(inv, kind);
                let mut strings: Vec<String> = part_fields(&rows).map(String::from).collect();
                if section == Section::Networks {
                    strings.push(first_ip(inv).unwrap_or_default());
                    strings.extend(identity.macs.iter().cloned());
                }
                digests.insert(section_key(section).to_string(), digest(strings.iter().map(String::as_str)));
                components.push((kind, rows));
            }
        }
        let software = carries(inv, Section::Softwares).then(|| card::software(inv));
        if let Some(rows) = &software {
            digests.insert("softwares".into(), digest(part_fields(rows)));
        }
        let os = carries(inv, Section::OperatingSystem).then(|| card::os_line(inv));
        if let Some(os) = &os {
            digests.insert("os".into(), digest([os.as_str()]));
        }
        let antivirus = card::antivirus(inv);
        if let Some(av) = &antivirus {
            digests.insert("antivirus".into(), digest([av.as_str()]));
        }
        let hardware = carries(inv, Section::Hardware);
        let bios = carries(inv, Section::Bios);
        let h = &inv.hardware;
        if hardware {
            let (uuid, host) = (identity.uuid.clone().unwrap_or_default(), identity.hostname.clone().unwrap_or_default());
            digests.insert("hardware".into(), digest([h.name.as_str(), uuid.as_str(), host.as_str(), h.chassis_type.as_str()]));
        }
        let b = &inv.bios;
        if bios {
            let serial = identity.serial.clone().unwrap_or_default();
            digests.insert("bios".into(), digest([serial.as_str(), b.serial.as_str(), b.manufacturer.as_str(), b.model.as_str()]));
        }
        let agent = [inv.deviceid.as_str(), inv.agent_id.as_deref().unwrap_or(""), inv.old_deviceid.as_deref().unwrap_or("")];
        digests.insert("agent".into(), digest(agent));
        let networks = carries(inv, Section::Networks);
        let serial = [&b.serial, &b.board_serial, &b.enclosure_serial]
            .into_iter()
            .map(|s| s.trim())
            .find(|s| !bl.is_junk_serial(s))
            .unwrap_or("")
            .chars()
            .take(100)
            .collect();
        let mac = identity.macs.first().and_then(|m| crate::asset::parse_mac(m).ok());
        Prepared {
            components,
            software,
            os,
            antivirus,
            hardware,
            bios,
            networks,
            hostname: valid_hostname(&h.name),
            manufacturer: if bl.is_junk_manufacturer(&b.manufacturer) {
                String::new()
            } else {
                b.manufacturer.trim().chars().take(100).collect()
            },
            model: if bl.is_junk_model(&b.model) { String::new() } else { b.model.trim().chars().take(100).collect() },
            serial,
            mac,
            ip: first_ip(inv),
            kind: guess_kind(inv),
            identity,
            digests,
        }
    }

    /// Every section the report carries has the digest stored at the last report, and a full
    /// report does not complete an incomplete card.
    fn unchanged(&self, partial: bool, st: &StateRow) -> bool {
        if st.fingerprint.is_empty() || (!partial && st.incomplete) {
            return false;
        }
        let stored = parse_fingerprint(&st.fingerprint);
        self.digests.iter().all(|(k, d)| stored.get(k) == Some(d))
    }

    /// The kinds of values this report tells the whole truth about.
    fn replaced_kinds(&self) -> Vec<KeyKind> {
        let mut v = vec![];
        if self.hardware {
            v.extend([KeyKind::Uuid, KeyKind::Hostname]);
        }
        if self.bios {
            v.push(KeyKind::Serial);
        }
        if self.networks {
            v.push(KeyKind::Mac);
        }
        v
    }
}

/// "уграђено: меморија …", "Firefox: 120 → 121".
fn describe_change(c: &FieldChange) -> String {
    let software = c.field == "software";
    match (c.old.is_empty(), c.new.is_empty()) {
        (true, _) => format!("{}: {}", if software { "инсталирано" } else { "уграђено" }, c.new),
        (_, true) => format!("{}: {}", if software { "деинсталирано" } else { "уклоњено" }, c.old),
        _ => format!("{}: {} → {}", crate::asset::field_log_name(c.field), c.old, c.new),
    }
}

fn summary(changes: &[FieldChange]) -> String {
    const SHOWN: usize = 20;
    let mut s: Vec<String> = changes.iter().take(SHOWN).map(describe_change).collect();
    if changes.len() > SHOWN {
        s.push(format!("и још {}", changes.len() - SHOWN));
    }
    s.join("; ")
}

fn asset_label(f: &AssetFields) -> String {
    let label = f.label.map(|l| format!(" ({})", format_label(l))).unwrap_or_default();
    format!("инв. бр. {}{label}", f.inventory_number)
}

impl Services {
    fn agent_draft(&self, office_id: i64, deviceid: &str, object: ObjectRef, text: String) -> Draft {
        Draft {
            office_id,
            actor_user_id: None,
            actor_name: format!("агент {}", deviceid.chars().take(120).collect::<String>()),
            category: Category::ConfigurationChange,
            object: Some(object),
            confidential: false,
            text,
        }
    }

    /// The office's settings, or the defaults it has before anyone saves them.
    pub(crate) async fn settings_of(&self, office_id: i64) -> Result<AgentSettings> {
        if let Some(s) = self.store.agent_settings(office_id).await? {
            return Ok(s);
        }
        let first = self.store.offices().await?.iter().map(|o| o.id).min() == Some(office_id);
        Ok(AgentSettings::defaults(office_id, first))
    }

    /// Takes one report (issue 4, R.11): one transaction for the agent, the matching, the card
    /// and the work log. Retried once when a concurrent report took a unique value first.
    pub async fn receive(&self, office_id: i64, call: AgentReport<'_>) -> Result<Received> {
        let settings = self.settings_of(office_id).await?;
        self.receive_with(&settings, call).await
    }

    /// [`Self::receive`] with the office's settings already read (by [`Self::agent_gate`]). A
    /// workstation whose programs changed has its software compliance recomputed (R.29–R.30).
    pub async fn receive_with(&self, settings: &AgentSettings, call: AgentReport<'_>) -> Result<Received> {
        let (r, programs) = self.store_inventory_report(settings, call).await?;
        if r.created || r.changes > 0 {
            // The inventory is stored whatever happens here; a failed recompute is redone by the
            // next inventory or the office-wide recompute.
            let _ = self.recompute_software_from(settings.office_id, Some(r.asset_id), programs).await;
        }
        Ok(r)
    }

    /// Stores the report; for a machine it created, also what it installed, as the compliance
    /// recompute reads it (all of a new card's programs are the agent's: reading ~1,000 rows
    /// back was a third of a first inventory's time).
    async fn store_inventory_report(&self, settings: &AgentSettings, call: AgentReport<'_>) -> Result<(Received, Option<Vec<Installed>>)> {
        let office_id = settings.office_id;
        let inv = call.inventory;
        if inv.deviceid.trim().is_empty() || inv.deviceid.chars().count() > 255 {
            return Err(bad_report("err-inventory-deviceid"));
        }
        if !matches!(call.format, "xml" | "json") {
            return Err(bad_report("err-inventory-format"));
        }
        let p = Prepared::new(inv, settings);
        let r = match self.receive_once(office_id, &call, &p, settings).await {
            Err(Error::Conflict { code: "duplicate" | "asset_identifier_taken", .. }) => {
                self.receive_once(office_id, &call, &p, settings).await
            }
            r => r,
        }?;
        let programs = match (&p.software, r.created) {
            (Some(list), true) => Some(
                list.iter()
                    .filter_map(|f| match f {
                        PartFields::Software { name, version, .. } => {
                            Some(Installed { asset_id: r.asset_id, name: name.clone(), version: version.clone() })
                        }
                        PartFields::Component { .. } => None,
                    })
                    .collect(),
            ),
            _ => None,
        };
        Ok((r, programs))
    }

    async fn receive_once(&self, office_id: i64, call: &AgentReport<'_>, p: &Prepared, settings: &AgentSettings) -> Result<Received> {
        let inv = call.inventory;
        let now = self.now();
        let mut tx = self.store.begin_inventory(office_id).await?;
        let seen = AgentSeen {
            deviceid: inv.deviceid.trim().to_string(),
            agent_id: inv.agent_id.clone().filter(|a| !a.trim().is_empty()),
            old_deviceid: inv.old_deviceid.clone().filter(|a| !a.trim().is_empty()),
            client: inv.client.chars().take(200).collect(),
            tag: inv.tag.clone().filter(|t| !t.trim().is_empty()),
            remote_ip: call.remote_ip.map(str::to_string),
            inventory: true,
        };
        let agent = tx.upsert_agent(&seen, now).await?;
        let keys = p.identity.keys();
        let bl = settings.blacklist();
        let clean = |mut cands: Vec<Candidate>| {
            // Values an administrator typed on a card are matched too; junk ones identify nothing.
            for c in &mut cands {
                c.keys.retain(|k| match k.kind {
                    KeyKind::Serial => !bl.is_junk_serial(&k.value),
                    KeyKind::Uuid => !bl.is_junk_uuid(&k.value),
                    KeyKind::Mac => !bl.is_junk_mac(&k.value),
                    _ => !k.value.is_empty(),
                });
            }
            cands
        };
        let mut found = choose(&settings.rules, &p.identity, &clean(tx.candidates(&keys).await?));
        if found.is_none() {
            tx.lock_creation(&keys).await?;
            found = choose(&settings.rules, &p.identity, &clean(tx.candidates(&keys).await?));
        }
        let received = match found {
            Some((asset_id, _)) => self.update_from_report(&mut *tx, asset_id, call, p, &seen, now).await?,
            None => self.create_from_report(&mut *tx, office_id, call, p, &seen, now).await?,
        };
        if agent.asset_id != Some(received.asset_id) {
            tx.link_agent(agent.id, received.asset_id).await?;
        }
        tx.commit().await?;
        Ok(received)
    }

    async fn create_from_report(
        &self,
        tx: &mut dyn InventoryTx,
        office_id: i64,
        call: &AgentReport<'_>,
        p: &Prepared,
        seen: &AgentSeen,
        now: Micros,
    ) -> Result<Received> {
        let mut note = String::new();
        let ip = match &p.ip {
            Some(ip) => match tx.ip_holder(ip, 0).await? {
                Some(other) => {
                    note = format!("IP адреса {ip} није уписана: држи је средство инв. бр. {}", other.fields.inventory_number);
                    None
                }
                None => Some(ip.clone()),
            },
            None => None,
        };
        let mut f = AssetFields {
            kind: p.kind,
            // Until `number_discovered`: unique, as an agent's reports take turns (its row).
            inventory_number: format!("AG-~{}", seen.deviceid),
            label: None,
            manufacturer: p.manufacturer.clone(),
            model: p.model.clone(),
            serial: p.serial.clone(),
            hostname: p.hostname.clone().unwrap_or_default(),
            mac: p.mac.clone(),
            ip,
            building: String::new(),
            room: String::new(),
            roles: vec![],
            in_server_room: false,
            procurement_ref: String::new(),
            supplier: String::new(),
            purchase_date: None,
            price_para: None,
            warranty_end: None,
            note: String::new(),
        };
        let id = tx.create_asset(&f, AssetStatus::Discovered, now).await?;
        let mut rows: Vec<PartFields> = p.components.iter().flat_map(|(_, r)| r.iter().cloned()).collect();
        let n_components = rows.len();
        let n_software = p.software.as_ref().map_or(0, Vec::len);
        rows.extend(p.software.iter().flatten().cloned());
        tx.add_parts(id, &rows, now).await?;
        tx.set_keys(id, &[], &p.identity.keys()).await?;
        let mut digests = p.digests.clone();
        if !note.is_empty() {
            // Not settled: the next report tries the address again.
            digests.insert("networks".into(), String::new());
        }
        let fp = format_fingerprint(&digests);
        let os = p.os.clone().unwrap_or_default();
        let st = StateWrite {
            asset_id: id,
            fingerprint: &fp,
            incomplete: call.inventory.partial,
            os: &os,
            antivirus: p.antivirus.as_deref(),
            raw: call.raw,
            raw_zlib: call.raw_zlib,
            format: call.format,
            full: !call.inventory.partial,
            note: &note,
        };
        tx.save_state(&st, now).await?;
        f.inventory_number = tx.number_discovered(id).await?;
        let what = [f.manufacturer.as_str(), f.model.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ");
        let mut text =
            format!("Откривен рачунар {}: инв. бр. {}", if f.hostname.is_empty() { "без имена" } else { &f.hostname }, f.inventory_number);
        if !what.is_empty() {
            text.push_str(&format!(", {what}"));
        }
        if !f.serial.is_empty() {
            text.push_str(&format!(", SN {}", f.serial));
        }
        if !os.is_empty() {
            text.push_str(&format!(", {os}"));
        }
        text.push_str(&format!("; компоненте: {n_components}, програми: {n_software}"));
        if call.inventory.partial {
            text.push_str(" (делимичан инвентар)");
        }
        if !note.is_empty() {
            text.push_str(&format!("; {note}"));
        }
        tx.append(self.agent_draft(office_id, &seen.deviceid, ObjectRef::new("asset", id, &f.inventory_number), text), now).await?;
        Ok(Received { asset_id: id, created: true, changes: 0 })
    }

    async fn update_from_report(
        &self,
        tx: &mut dyn InventoryTx,
        asset_id: i64,
        call: &AgentReport<'_>,
        p: &Prepared,
        seen: &AgentSeen,
        now: Micros,
    ) -> Result<Received> {
        let inv = call.inventory;
        let state = tx.touch_state(asset_id, now).await?;
        if let Some(st) = &state
            && p.unchanged(inv.partial, st)
        {
            // The cheap path: nothing on the card moved, only the time and the report.
            tx.save_raw(asset_id, call.raw, call.raw_zlib, call.format, !inv.partial, now).await?;
            return Ok(Received { asset_id, created: false, changes: 0 });
        }
        // The first report for a card (registered by hand, or merged) fills it without a
        // history row per program: those are the card's starting point, not changes.
        let baseline = state.as_ref().is_none_or(|s| s.fingerprint.is_empty());
        let asset = tx.asset(asset_id).await?;
        let old_parts = tx.agent_parts(asset_id).await?;
        let mut plan = PartPlan::default();
        for (kind, rows) in &p.components {
            let old: Vec<&Part> =
                old_parts.iter().filter(|x| matches!(&x.fields, PartFields::Component { kind: k, .. } if k == kind)).collect();
            plan.merge(diff(&old, rows));
        }
        if let Some(rows) = &p.software {
            let old: Vec<&Part> = old_parts.iter().filter(|x| x.fields.kind() == PartKind::Software).collect();
            plan.merge(diff(&old, rows));
        }
        let mut f = asset.fields.clone();
        let mut note = String::new();
        if p.hardware
            && let Some(h) = &p.hostname
        {
            f.hostname = h.clone();
        }
        if p.bios {
            for (field, new) in [(&mut f.manufacturer, &p.manufacturer), (&mut f.model, &p.model), (&mut f.serial, &p.serial)] {
                if field.is_empty() {
                    *field = new.clone();
                }
            }
        }
        if p.networks {
            if p.mac.is_some() {
                f.mac = p.mac.clone();
            }
            if let Some(ip) = &p.ip
                && f.ip.as_ref() != Some(ip)
            {
                match tx.ip_holder(ip, asset_id).await? {
                    Some(other) => {
                        note = format!("IP адреса {ip} није уписана: држи је средство инв. бр. {}", other.fields.inventory_number)
                    }
                    None => f.ip = Some(ip.clone()),
                }
            }
        }
        let mut field_changes = f.changes_from(&asset.fields);
        let old_os = state.as_ref().map(|s| s.os.clone()).unwrap_or_default();
        let os = p.os.clone().unwrap_or_else(|| old_os.clone());
        if os != old_os && !old_os.is_empty() {
            field_changes.push(FieldChange { field: "os", old: old_os, new: os.clone() });
        }
        // R.60: antivirus that appears, goes or stops working is a change of the workstation.
        let old_av = state.as_ref().and_then(|s| s.antivirus.clone());
        let antivirus = p.antivirus.clone().or_else(|| old_av.clone());
        if old_av.is_some() && antivirus != old_av {
            let (old, new) = (crate::antivirus::describe(old_av.as_deref()), crate::antivirus::describe(antivirus.as_deref()));
            field_changes.push(FieldChange { field: "antivirus", old, new });
        }
        if !field_changes.is_empty() {
            tx.update_asset(asset_id, &f, now).await?;
        }
        tx.add_parts(asset_id, &plan.add, now).await?;
        tx.remove_parts(asset_id, &plan.remove, now).await?;
        tx.update_parts(asset_id, &plan.update).await?;
        let mut changes = field_changes;
        if !baseline {
            changes.extend(plan.changes.iter().cloned());
        }
        let actor_name = format!("агент {}", seen.deviceid.chars().take(120).collect::<String>());
        tx.history(asset_id, &changes, &actor_name, now).await?;
        tx.set_keys(asset_id, &p.replaced_kinds(), &p.identity.keys()).await?;
        let mut digests = state.as_ref().map(|s| parse_fingerprint(&s.fingerprint)).unwrap_or_default();
        digests.extend(p.digests.iter().map(|(k, v)| (k.clone(), v.clone())));
        if !note.is_empty() {
            digests.insert("networks".into(), String::new());
        }
        let fp = format_fingerprint(&digests);
        let incomplete = inv.partial && state.as_ref().is_none_or(|s| s.incomplete);
        let st = StateWrite {
            asset_id,
            fingerprint: &fp,
            incomplete,
            os: &os,
            antivirus: antivirus.as_deref(),
            raw: call.raw,
            raw_zlib: call.raw_zlib,
            format: call.format,
            full: !inv.partial,
            note: &note,
        };
        tx.save_state(&st, now).await?;
        let object = ObjectRef::new("asset", asset_id, &f.inventory_number);
        let text = if baseline {
            let comps = p.components.iter().map(|(_, r)| r.len()).sum::<usize>();
            let progs = p.software.as_ref().map_or(0, Vec::len);
            let mut t = format!("Средство {} — први инвентар агента: компоненте: {comps}, програми: {progs}", asset_label(&f));
            if !changes.is_empty() {
                t.push_str(&format!("; {}", summary(&changes)));
            }
            Some(t)
        } else if changes.is_empty() {
            None
        } else {
            Some(format!("Средство {} — инвентар: {}: {}", asset_label(&f), changes_word(changes.len()), summary(&changes)))
        };
        if let Some(mut text) = text {
            if !note.is_empty() {
                text.push_str(&format!("; {note}"));
            }
            tx.append(self.agent_draft(asset.office_id, &seen.deviceid, object, text), now).await?;
        }
        Ok(Received { asset_id, created: false, changes: changes.len() })
    }

    /// PROLOG / CONTACT: the agent is alive. Not a change of the registry, so no work-log entry.
    pub async fn record_contact(
        &self,
        office_id: i64,
        deviceid: &str,
        agent_id: Option<&str>,
        client: &str,
        tag: Option<&str>,
    ) -> Result<()> {
        if deviceid.trim().is_empty() || deviceid.chars().count() > 255 {
            return Err(bad_report("err-inventory-deviceid"));
        }
        let seen = AgentSeen {
            deviceid: deviceid.trim().to_string(),
            agent_id: agent_id.map(str::to_string).filter(|a| !a.trim().is_empty()),
            old_deviceid: None,
            client: client.chars().take(200).collect(),
            tag: tag.map(str::to_string).filter(|t| !t.trim().is_empty()),
            remote_ip: None,
            inventory: false,
        };
        self.store.record_agent_contact(office_id, &seen, self.now()).await
    }

    /// The office an agent reports to: with credentials, the office whose agent user they are
    /// (checked against its argon2id hash, remembered for a few minutes); without, the one office
    /// that takes anonymous agents. Then its allowed networks. `None`: refuse the agent.
    pub async fn agent_office(&self, username: Option<&str>, password: Option<&str>, remote_ip: Option<&str>) -> Result<Option<i64>> {
        Ok(self.agent_gate(username, password, remote_ip).await?.map(|s| s.office_id))
    }

    /// [`Self::agent_office`] with the office's settings, so the report that follows does not
    /// read them again.
    pub async fn agent_gate(
        &self,
        username: Option<&str>,
        password: Option<&str>,
        remote_ip: Option<&str>,
    ) -> Result<Option<AgentSettings>> {
        let settings = match (username.map(str::trim).filter(|u| !u.is_empty()), password) {
            (Some(user), Some(pw)) => {
                let Some(s) = self.store.agent_settings_by_username(user).await?.filter(AgentSettings::has_credentials) else {
                    // The same cost for unknown names, so timing does not tell which exist.
                    password::verify_password(pw, password::dummy_hash());
                    return Ok(None);
                };
                let key = password::hex(&Sha256::digest(format!("{user}:{pw}").as_bytes()));
                let now = self.now();
                let cached = self
                    .agent_auth
                    .0
                    .lock()
                    .map(|m| {
                        m.get(&key).is_some_and(|(hash, office, until)| *hash == s.password_hash && *office == s.office_id && *until > now)
                    })
                    .unwrap_or(false);
                if !cached {
                    if !password::verify_password(pw, &s.password_hash) {
                        return Ok(None);
                    }
                    if let Ok(mut m) = self.agent_auth.0.lock() {
                        if m.len() > 1000 {
                            m.retain(|_, (_, _, until)| *until > now);
                        }
                        m.insert(key, (s.password_hash.clone(), s.office_id, now + AUTH_CACHE_US));
                    }
                }
                s
            }
            (Some(_), None) => return Ok(None),
            (None, _) => {
                let offices = self.store.offices().await?;
                let stored = self.store.all_agent_settings().await?;
                let first = offices.iter().map(|o| o.id).min();
                let open: Vec<AgentSettings> = offices
                    .iter()
                    .map(|o| {
                        stored
                            .iter()
                            .find(|s| s.office_id == o.id)
                            .cloned()
                            .unwrap_or_else(|| AgentSettings::defaults(o.id, Some(o.id) == first))
                    })
                    .filter(|s| s.anonymous)
                    .collect();
                match <[AgentSettings; 1]>::try_from(open) {
                    Ok([s]) => s,
                    Err(_) => return Ok(None),
                }
            }
        };
        Ok(settings.allows(remote_ip).then_some(settings))
    }

    // --- settings ------------------------------------------------------------------------------

    pub async fn agent_settings(&self, actor: &Actor) -> Result<AgentSettings> {
        actor.require(Permission::AssetsRead)?;
        self.settings_of(actor.office_id).await
    }

    /// Saves the settings; the work log says what changed, never the password.
    pub async fn save_agent_settings(&self, actor: &Actor, input: &AgentSettingsInput) -> Result<AgentSettings> {
        actor.require(Permission::AssetsWrite)?;
        let v = input.validate()?;
        let old = self.settings_of(actor.office_id).await?;
        let (username, password_hash) = if v.clear_credentials {
            (String::new(), String::new())
        } else if let Some(pw) = &v.password {
            (v.username.clone(), password::hash_password(pw)?)
        } else if v.username.is_empty() {
            (String::new(), String::new())
        } else if old.password_hash.is_empty() {
            return Err(Error::invalid("password", "err-required"));
        } else {
            (v.username.clone(), old.password_hash.clone())
        };
        if !username.is_empty()
            && let Some(other) = self.store.agent_settings_by_username(&username).await?
            && other.office_id != actor.office_id
        {
            return Err(Error::Conflict { code: "agent_username_taken", field: Some("username") });
        }
        let new = AgentSettings {
            office_id: actor.office_id,
            rules: v.rules,
            blacklist_serials: v.blacklist_serials,
            blacklist_uuids: v.blacklist_uuids,
            blacklist_macs: v.blacklist_macs,
            username,
            password_hash,
            networks: v.networks,
            anonymous: v.anonymous,
        };
        let mut what = vec![];
        if new.rules != old.rules {
            what.push(format!("правила препознавања: {}", rules_text(&new.rules).join(", ")));
        }
        for (name, a, b) in [
            ("серијски бројеви", &old.blacklist_serials, &new.blacklist_serials),
            ("UUID", &old.blacklist_uuids, &new.blacklist_uuids),
            ("MAC адресе", &old.blacklist_macs, &new.blacklist_macs),
        ] {
            if a != b {
                what.push(format!("црна листа ({name}): {}", if b.is_empty() { "—".into() } else { b.join(", ") }));
            }
        }
        if new.username != old.username {
            what.push(format!("корисничко име агената: {}", if new.username.is_empty() { "—" } else { &new.username }));
        }
        if new.password_hash != old.password_hash && !new.password_hash.is_empty() {
            what.push("промењена лозинка агената".into());
        }
        if new.networks != old.networks {
            what.push(format!("дозвољене мреже: {}", if new.networks.is_empty() { "све".into() } else { new.networks.join(", ") }));
        }
        if new.anonymous != old.anonymous {
            what.push(format!("агенти без лозинке: {}", if new.anonymous { "примају се" } else { "одбијају се" }));
        }
        if what.is_empty() && self.store.agent_settings(actor.office_id).await?.is_some() {
            return Ok(old);
        }
        if what.is_empty() {
            what.push("потврђене подразумеване вредности".into());
        }
        let log = draft(actor, Category::SecurityMeasure, None, format!("Подешавања агената за инвентар: {}", what.join("; ")));
        self.store.save_agent_settings(&new, self.now(), log).await?;
        self.agent_auth.0.lock().map(|mut m| m.clear()).ok();
        Ok(new)
    }

    // --- reads ---------------------------------------------------------------------------------

    /// The inventory box of an asset's page; `None` if no agent ever reported it.
    pub async fn asset_inventory(&self, actor: &Actor, asset_id: i64) -> Result<Option<InventoryView>> {
        actor.require(Permission::AssetsRead)?;
        self.store.get_asset(actor.office_id, asset_id).await?;
        self.store.inventory_view(actor.office_id, asset_id).await
    }

    /// The last report as received (decompressed) and its format, `xml` or `json`.
    pub async fn asset_inventory_raw(&self, actor: &Actor, asset_id: i64) -> Result<(Vec<u8>, String)> {
        actor.require(Permission::AssetsRead)?;
        self.store.inventory_raw(actor.office_id, asset_id).await?.ok_or(Error::NotFound { what: "inventory" })
    }

    /// Machines by their last report, oldest first; with `silent_days`, only those that have not
    /// reported for that many days.
    pub async fn agent_machines(&self, actor: &Actor, silent_days: Option<u32>, page: u32, per_page: u32) -> Result<Page<MachineRow>> {
        actor.require(Permission::AssetsRead)?;
        let before = silent_days.map(|d| self.now() - i64::from(d.min(36_500)) * 86_400_000_000);
        self.store.agent_machines(actor.office_id, before, page.max(1), per_page.clamp(1, 500)).await
    }

    pub async fn agents(&self, actor: &Actor, page: u32, per_page: u32) -> Result<Page<AgentRecord>> {
        actor.require(Permission::AssetsRead)?;
        self.store.agents(actor.office_id, page.max(1), per_page.clamp(1, 500)).await
    }

    /// Discovered machines waiting for an administrator to confirm them.
    pub async fn discovered_assets(&self, actor: &Actor, page: u32) -> Result<Page<Asset>> {
        let q = AssetQuery { status: Some(AssetStatus::Discovered), page: page.max(1), per_page: 100, ..Default::default() };
        self.assets(actor, &q).await
    }

    // --- confirmation and merge -----------------------------------------------------------------

    /// The asset with this inventory number, for the merge form.
    pub async fn asset_by_inventory_number(&self, actor: &Actor, number: &str) -> Result<Option<Asset>> {
        actor.require(Permission::AssetsRead)?;
        self.store.asset_holding(actor.office_id, crate::asset::Identifier::InventoryNumber, number.trim(), None).await
    }

    /// Takes a discovered machine into the registry: its real inventory number, an `ST nn` label
    /// for a workstation (R.12) and its kind; it is then in stock and assigned as any other.
    pub async fn confirm_discovered(&self, actor: &Actor, asset_id: i64, inventory_number: &str, label: &str, kind: &str) -> Result<Asset> {
        actor.require(Permission::AssetsWrite)?;
        let a = self.store.get_asset(actor.office_id, asset_id).await?;
        if a.status != AssetStatus::Discovered {
            return Err(Error::invalid("status", "err-not-discovered"));
        }
        let mut e = crate::error::Errors::default();
        let mut f = a.fields.clone();
        f.inventory_number = inventory_number.trim().to_string();
        if f.inventory_number.is_empty() {
            e.add("inventory_number", "err-required");
        } else if f.inventory_number.chars().count() > 40 {
            e.add("inventory_number", "err-too-long");
        }
        match AssetKind::parse(kind.trim()) {
            Some(k) => f.kind = k,
            None => e.add("kind", "err-required"),
        }
        f.label = if label.trim().is_empty() { None } else { e.take(parse_label(label)) };
        if f.label.is_some() && !f.kind.is_workstation() {
            e.add("label", "err-label-not-workstation");
        }
        if f.kind != AssetKind::Server {
            f.roles.clear();
        }
        e.finish()?;
        self.check_identifiers(actor, &f, Some(asset_id)).await?;
        let mut changes = f.changes_from(&a.fields);
        changes.push(FieldChange { field: "status", old: a.status.as_str().into(), new: AssetStatus::InStock.as_str().into() });
        let log = draft(
            actor,
            Category::ConfigurationChange,
            Some(ObjectRef::new("asset", asset_id, &f.inventory_number)),
            format!(
                "Потврђен откривени рачунар {} ({}): {}, {}",
                a.fields.inventory_number,
                a.fields.hostname,
                asset_label(&f),
                AssetStatus::InStock.log_name()
            ),
        );
        self.store.confirm_discovered(actor.office_id, asset_id, &f, &changes, self.now(), log).await
    }

    /// Joins a discovered duplicate to the asset it really is, for the cases the rules cannot
    /// decide: its agents, identifying values and inventory go to `into`, its agent rows are
    /// marked removed, and it leaves service as disposed ("спојено са …").
    pub async fn merge_assets(&self, actor: &Actor, from: i64, into: i64) -> Result<()> {
        actor.require(Permission::AssetsWrite)?;
        if from == into {
            return Err(Error::invalid("into", "err-merge-self"));
        }
        let a = self.store.get_asset(actor.office_id, from).await?;
        let b = self.store.get_asset(actor.office_id, into).await.map_err(|_| Error::invalid("into", "err-merge-target"))?;
        if a.status != AssetStatus::Discovered {
            return Err(Error::invalid("status", "err-not-discovered"));
        }
        if !b.status.is_active() {
            return Err(Error::invalid("into", "err-merge-target"));
        }
        let joined = format!("спојено са {}", asset_label(&b.fields));
        let from_note = if a.fields.note.is_empty() { joined.clone() } else { format!("{}; {joined}", a.fields.note) };
        let plan = MergePlan {
            from,
            into,
            from_changes: vec![
                FieldChange {
                    field: "status",
                    old: a.status.as_str().into(),
                    new: format!("{} ({joined})", AssetStatus::Disposed.as_str()),
                },
                FieldChange { field: "note", old: a.fields.note.clone(), new: from_note.clone() },
            ],
            into_changes: vec![FieldChange {
                field: "merge",
                old: String::new(),
                new: format!("{} {}", a.fields.inventory_number, a.fields.hostname).trim().to_string(),
            }],
            from_note,
            logs: vec![
                draft(
                    actor,
                    Category::ConfigurationChange,
                    Some(ObjectRef::new("asset", from, &a.fields.inventory_number)),
                    format!("Откривени рачунар {} ({}) {joined}: дупликат, расходован", a.fields.inventory_number, a.fields.hostname),
                ),
                draft(
                    actor,
                    Category::ConfigurationChange,
                    Some(ObjectRef::new("asset", into, &b.fields.inventory_number)),
                    format!(
                        "Средство {}: спојен откривени рачунар {} ({}) — агенти и инвентар прелазе на ово средство",
                        asset_label(&b.fields),
                        a.fields.inventory_number,
                        a.fields.hostname
                    ),
                ),
            ],
        };
        self.store.merge_assets(actor.office_id, &plan, self.now()).await
    }
}
