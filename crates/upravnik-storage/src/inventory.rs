//! Inventory agents (issue 4): the report's transaction ([`SqlInventoryTx`]), agents, settings,
//! the per-asset inventory state with the last report (zlib), and the merge of a duplicate.

use std::io::{Read, Write};

use crate::SqlStore;
use crate::assets::{COLS, FIELD_COLS, asset, bind_fields, conflict, history_rows, record_label, update_fields_sql};
use crate::dialect::{Backend, json_param, numbered};
use crate::parts::{COMPONENT_COLS, SOFTWARE_COLS, part, table, value_refs, values};
use crate::rows::{Get, flag, map_err};
use crate::worklog::append_tx;
use sqlx::any::{Any, AnyRow};
use sqlx::{AssertSqlSafe, Row, Transaction};
use upravnik_core::asset::{Asset, AssetFields, AssetKind, AssetStatus, FieldChange};
use upravnik_core::clock::Micros;
use upravnik_core::inventory::settings::parse_rules;
use upravnik_core::inventory::{
    AgentRecord, AgentRow, AgentSeen, AgentSettings, Candidate, InventoryTx, InventoryView, Key, KeyKind, MachineRow, MergePlan, StateRow,
    StateWrite,
};
use upravnik_core::org::Page;
use upravnik_core::parts::{Part, PartFields, PartKind};
use upravnik_core::worklog::Draft;
use upravnik_core::{Error, Result};

/// Inactive assets neither match reports nor hold addresses.
const ACTIVE: &str = "status NOT IN ('written_off', 'disposed')";

/// The last report is kept compressed: agents' XML and JSON shrink about tenfold. The fastest
/// level, because an unchanged re-inventory must stay cheap and this is most of its work.
fn compress(raw: &[u8]) -> Result<Vec<u8>> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::with_capacity(raw.len() / 8 + 64), flate2::Compression::fast());
    e.write_all(raw).map_err(|e| Error::Storage(format!("compressing a report: {e}")))?;
    e.finish().map_err(|e| Error::Storage(format!("compressing a report: {e}")))
}

fn decompress(z: &[u8], size: i64) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(usize::try_from(size).unwrap_or(0).min(64 << 20));
    flate2::read::ZlibDecoder::new(z)
        .read_to_end(&mut out)
        .map_err(|e| Error::Storage(format!("a stored report does not inflate: {e}")))?;
    Ok(out)
}

async fn upsert_agent(tx: &mut Transaction<'static, Any>, office_id: i64, a: &AgentSeen, now: Micros) -> Result<AgentRow> {
    let r = sqlx::query(
        "INSERT INTO agents (office_id, deviceid, agent_id, old_deviceid, client, tag, remote_ip, first_at, last_contact_at, last_inventory_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) \
         ON CONFLICT (office_id, deviceid) DO UPDATE SET agent_id = COALESCE(excluded.agent_id, agents.agent_id), \
         old_deviceid = COALESCE(excluded.old_deviceid, agents.old_deviceid), \
         client = CASE WHEN excluded.client <> '' THEN excluded.client ELSE agents.client END, \
         tag = COALESCE(excluded.tag, agents.tag), remote_ip = COALESCE(excluded.remote_ip, agents.remote_ip), \
         last_contact_at = excluded.last_contact_at, last_inventory_at = COALESCE(excluded.last_inventory_at, agents.last_inventory_at) \
         RETURNING id, asset_id",
    )
    .bind(office_id)
    .bind(&a.deviceid)
    .bind(a.agent_id.clone())
    .bind(a.old_deviceid.clone())
    .bind(&a.client)
    .bind(a.tag.clone())
    .bind(a.remote_ip.clone())
    .bind(now)
    .bind(a.inventory.then_some(now))
    .fetch_one(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(AgentRow { id: r.i64("id")?, asset_id: r.opt_i64("asset_id")? })
}

/// One report's transaction.
pub(crate) struct SqlInventoryTx {
    tx: Transaction<'static, Any>,
    /// Held until the report commits or rolls back (SQLite only, see `SqlStore::agent_writer`).
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
    office_id: i64,
    backend: Backend,
}

#[async_trait::async_trait]
impl InventoryTx for SqlInventoryTx {
    async fn upsert_agent(&mut self, a: &AgentSeen, now: Micros) -> Result<AgentRow> {
        upsert_agent(&mut self.tx, self.office_id, a, now).await
    }

    async fn candidates(&mut self, keys: &[Key]) -> Result<Vec<Candidate>> {
        if keys.is_empty() {
            return Ok(vec![]);
        }
        let of = |k: KeyKind| keys.iter().filter(move |x| x.kind == k).map(|x| x.value.clone()).collect::<Vec<_>>();
        let all: Vec<String> = keys.iter().map(|k| k.value.clone()).collect();
        let serials = of(KeyKind::Serial);
        let hosts = of(KeyKind::Hostname);
        let macs: Vec<String> = of(KeyKind::Mac).iter().map(|m| m.to_uppercase()).collect();
        let mut args: Vec<String> = vec![];
        let mut parts =
            vec![format!("SELECT asset_id AS id FROM inventory_keys WHERE office_id = $1 AND value IN ({})", numbered(2, all.len()))];
        args.extend(all);
        if !serials.is_empty() {
            parts.push(format!(
                "SELECT id FROM assets WHERE office_id = $1 AND serial <> '' AND lower(serial) IN ({})",
                numbered(args.len() + 2, serials.len())
            ));
            args.extend(serials);
        }
        if !hosts.is_empty() {
            parts.push(format!(
                "SELECT id FROM assets WHERE office_id = $1 AND hostname <> '' AND lower(hostname) IN ({})",
                numbered(args.len() + 2, hosts.len())
            ));
            args.extend(hosts);
        }
        if !macs.is_empty() {
            parts.push(format!("SELECT id FROM assets WHERE office_id = $1 AND mac IN ({})", numbered(args.len() + 2, macs.len())));
            args.extend(macs);
        }
        let mut q = sqlx::query_scalar::<_, i64>(AssertSqlSafe(parts.join(" UNION "))).bind(self.office_id);
        for a in &args {
            q = q.bind(a.clone());
        }
        let mut ids: Vec<i64> = q.fetch_all(&mut *self.tx).await.map_err(map_err)?;
        ids.sort_unstable();
        ids.dedup();
        // A value shared by very many assets (a docking station's MAC) identifies nothing useful.
        ids.truncate(200);
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let sql = format!(
            "SELECT a.id, a.serial, a.hostname, a.mac, k.kind, k.value FROM assets a LEFT JOIN inventory_keys k ON k.asset_id = a.id \
             WHERE a.office_id = $1 AND a.{ACTIVE} AND a.id IN ({}) ORDER BY a.id",
            numbered(2, ids.len())
        );
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(self.office_id);
        for id in &ids {
            q = q.bind(*id);
        }
        let mut out: Vec<Candidate> = vec![];
        for r in q.fetch_all(&mut *self.tx).await.map_err(map_err)? {
            let id = r.i64("id")?;
            if out.last().is_none_or(|c| c.asset_id != id) {
                let mut c = Candidate { asset_id: id, keys: vec![] };
                let serial = r.text("serial")?.trim().to_lowercase();
                if !serial.is_empty() {
                    c.keys.push(Key::new(KeyKind::Serial, serial));
                }
                let host = r.text("hostname")?.trim().to_lowercase();
                if !host.is_empty() {
                    c.keys.push(Key::new(KeyKind::Hostname, host));
                }
                if let Some(m) = r.opt_text("mac")? {
                    c.keys.push(Key::new(KeyKind::Mac, m.to_lowercase()));
                }
                out.push(c);
            }
            if let (Some(kind), Some(value)) = (r.opt_text("kind")?, r.opt_text("value")?)
                && let (Some(kind), Some(c)) = (KeyKind::parse(&kind), out.last_mut())
            {
                let k = Key::new(kind, value);
                if !c.keys.contains(&k) {
                    c.keys.push(k);
                }
            }
        }
        Ok(out)
    }

    async fn lock_creation(&mut self, keys: &[Key]) -> Result<()> {
        if self.backend != Backend::Postgres {
            return Ok(());
        }
        // A transaction-scoped advisory lock per value, taken in one order (deadlock-free),
        // keyed by a hash of office, kind and value (PostgreSQL's own `hashtextextended`, the
        // same on every instance of the server).
        let mut texts: Vec<String> = keys.iter().map(|k| format!("{}\u{1f}{}", k.kind.as_str(), k.value)).collect();
        texts.sort();
        texts.dedup();
        for t in texts {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, $2))")
                .bind(t)
                .bind(self.office_id)
                .execute(&mut *self.tx)
                .await
                .map_err(map_err)?;
        }
        Ok(())
    }

    async fn number_discovered(&mut self, asset_id: i64) -> Result<String> {
        let n: i64 = sqlx::query_scalar(
            "INSERT INTO inventory_offices (office_id, discovered_seq) VALUES ($1, 1) \
             ON CONFLICT (office_id) DO UPDATE SET discovered_seq = inventory_offices.discovered_seq + 1 RETURNING discovered_seq",
        )
        .bind(self.office_id)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(map_err)?;
        let number = format!("AG-{n:06}");
        sqlx::query("UPDATE assets SET inventory_number = $1 WHERE id = $2 AND office_id = $3")
            .bind(&number)
            .bind(asset_id)
            .bind(self.office_id)
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
        Ok(number)
    }

    async fn touch_state(&mut self, asset_id: i64, now: Micros) -> Result<Option<StateRow>> {
        let r = sqlx::query(
            "UPDATE asset_inventory SET last_at = $1 WHERE asset_id = $2 AND office_id = $3 RETURNING fingerprint, incomplete, os, antivirus",
        )
        .bind(now)
        .bind(asset_id)
        .bind(self.office_id)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(map_err)?;
        r.map(|r| {
            Ok(StateRow {
                fingerprint: r.text("fingerprint")?,
                incomplete: r.flag("incomplete")?,
                os: r.text("os")?,
                antivirus: r.opt_text("antivirus")?,
            })
        })
        .transpose()
    }

    async fn asset(&mut self, asset_id: i64) -> Result<Asset> {
        let r = sqlx::query(AssertSqlSafe(format!("SELECT {COLS} FROM assets WHERE office_id = $1 AND id = $2")))
            .bind(self.office_id)
            .bind(asset_id)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(map_err)?;
        r.as_ref().map(asset).transpose()?.ok_or(Error::NotFound { what: "asset" })
    }

    async fn agent_parts(&mut self, asset_id: i64) -> Result<Vec<Part>> {
        let mut out = vec![];
        for (cols, table, software) in [(COMPONENT_COLS, "asset_components", false), (SOFTWARE_COLS, "asset_software", true)] {
            let rows = sqlx::query(AssertSqlSafe(format!(
                "SELECT {cols} FROM {table} WHERE asset_id = $1 AND office_id = $2 AND source = 'agent' AND removed_at IS NULL"
            )))
            .bind(asset_id)
            .bind(self.office_id)
            .fetch_all(&mut *self.tx)
            .await
            .map_err(map_err)?;
            for r in &rows {
                out.push(part(r, software)?);
            }
        }
        Ok(out)
    }

    async fn ip_holder(&mut self, ip: &str, except: i64) -> Result<Option<Asset>> {
        let r = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLS} FROM assets WHERE office_id = $1 AND ip = $2 AND {ACTIVE} AND id <> $3 LIMIT 1"
        )))
        .bind(self.office_id)
        .bind(ip)
        .bind(except)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(map_err)?;
        r.as_ref().map(asset).transpose()
    }

    async fn create_asset(&mut self, f: &AssetFields, status: AssetStatus, now: Micros) -> Result<i64> {
        let sql = format!(
            "INSERT INTO assets (office_id, status, created_at, updated_at, {FIELD_COLS}) \
             VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23) RETURNING id"
        );
        let q = sqlx::query_scalar(AssertSqlSafe(sql)).bind(self.office_id).bind(status.as_str()).bind(now);
        let id: i64 = bind_fields!(q, f).fetch_one(&mut *self.tx).await.map_err(map_err)?;
        record_label(&mut self.tx, self.office_id, f.label).await?;
        Ok(id)
    }

    async fn update_asset(&mut self, asset_id: i64, f: &AssetFields, now: Micros) -> Result<()> {
        let q = bind_fields!(sqlx::query(AssertSqlSafe(update_fields_sql(""))), f);
        let n = q.bind(now).bind(asset_id).bind(self.office_id).execute(&mut *self.tx).await.map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::NotFound { what: "asset" });
        }
        Ok(())
    }

    async fn add_parts(&mut self, asset_id: i64, parts: &[PartFields], now: Micros) -> Result<()> {
        for kind in [PartKind::Component, PartKind::Software] {
            let rows: Vec<Vec<Option<&str>>> = parts.iter().filter(|p| p.kind() == kind).map(|p| value_refs(p).1).collect();
            let Some(first) = parts.iter().find(|p| p.kind() == kind) else { continue };
            let cols = value_refs(first).0;
            let sql = format!(
                "INSERT INTO {} (office_id, asset_id, source, added_at, {}) SELECT $1, $2, $3, $4, {}",
                table(kind),
                cols.join(", "),
                self.backend.json_rows(5, &vec!["TEXT"; cols.len()])
            );
            sqlx::query(AssertSqlSafe(sql))
                .bind(self.office_id)
                .bind(asset_id)
                .bind("agent")
                .bind(now)
                .bind(json_param(&rows)?)
                .execute(&mut *self.tx)
                .await
                .map_err(map_err)?;
        }
        Ok(())
    }

    async fn remove_parts(&mut self, asset_id: i64, ids: &[(PartKind, i64)], now: Micros) -> Result<()> {
        for kind in [PartKind::Component, PartKind::Software] {
            let ids: Vec<i64> = ids.iter().filter(|(k, _)| *k == kind).map(|(_, id)| *id).collect();
            for chunk in ids.chunks(500) {
                let sql = format!(
                    "UPDATE {} SET removed_at = $1 WHERE asset_id = $2 AND source = 'agent' AND removed_at IS NULL AND id IN ({})",
                    table(kind),
                    numbered(3, chunk.len())
                );
                let mut q = sqlx::query(AssertSqlSafe(sql)).bind(now).bind(asset_id);
                for id in chunk {
                    q = q.bind(*id);
                }
                q.execute(&mut *self.tx).await.map_err(map_err)?;
            }
        }
        Ok(())
    }

    async fn update_parts(&mut self, asset_id: i64, rows: &[(i64, PartFields)]) -> Result<()> {
        for (id, f) in rows {
            let (cols, vals) = values(f);
            let n = cols.len();
            let set: Vec<String> = cols.iter().enumerate().map(|(i, c)| format!("{c} = ${}", i + 1)).collect();
            let sql = format!(
                "UPDATE {} SET {} WHERE id = ${} AND asset_id = ${} AND source = 'agent' AND removed_at IS NULL",
                table(f.kind()),
                set.join(", "),
                n + 1,
                n + 2
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for v in vals {
                q = q.bind(v);
            }
            q.bind(*id).bind(asset_id).execute(&mut *self.tx).await.map_err(map_err)?;
        }
        Ok(())
    }

    async fn history(&mut self, asset_id: i64, changes: &[FieldChange], actor_name: &str, now: Micros) -> Result<()> {
        for chunk in changes.chunks(self.backend.rows_per_insert()) {
            let tuples: Vec<String> = (0..chunk.len()).map(|i| format!("({})", self.backend.placeholders(i * 6 + 1, 6))).collect();
            let sql =
                format!("INSERT INTO asset_history (asset_id, at, actor_name, field, old_value, new_value) VALUES {}", tuples.join(", "));
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for c in chunk {
                q = q.bind(asset_id).bind(now).bind(actor_name).bind(c.field).bind(c.old.clone()).bind(c.new.clone());
            }
            q.execute(&mut *self.tx).await.map_err(map_err)?;
        }
        Ok(())
    }

    async fn set_keys(&mut self, asset_id: i64, replace: &[KeyKind], keys: &[Key]) -> Result<()> {
        if !replace.is_empty() {
            let sql = format!("DELETE FROM inventory_keys WHERE asset_id = $1 AND kind IN ({})", numbered(2, replace.len()));
            let mut q = sqlx::query(AssertSqlSafe(sql)).bind(asset_id);
            for k in replace {
                q = q.bind(k.as_str());
            }
            q.execute(&mut *self.tx).await.map_err(map_err)?;
        }
        let have = sqlx::query("SELECT kind, value FROM inventory_keys WHERE asset_id = $1")
            .bind(asset_id)
            .fetch_all(&mut *self.tx)
            .await
            .map_err(map_err)?
            .iter()
            .map(|r| Ok((r.text("kind")?, r.text("value")?)))
            .collect::<Result<Vec<(String, String)>>>()?;
        let mut new: Vec<&Key> = keys.iter().filter(|k| !have.iter().any(|(kind, v)| kind == k.kind.as_str() && *v == k.value)).collect();
        new.dedup();
        if new.is_empty() {
            return Ok(());
        }
        let tuples: Vec<String> = (0..new.len()).map(|i| format!("({})", numbered(i * 4 + 1, 4))).collect();
        let mut q = sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO inventory_keys (office_id, asset_id, kind, value) VALUES {}",
            tuples.join(", ")
        )));
        for k in new {
            q = q.bind(self.office_id).bind(asset_id).bind(k.kind.as_str()).bind(k.value.clone());
        }
        q.execute(&mut *self.tx).await.map_err(map_err)?;
        Ok(())
    }

    async fn save_state(&mut self, s: &StateWrite<'_>, now: Micros) -> Result<()> {
        let z = match s.raw_zlib {
            Some(z) => z.to_vec(),
            None => compress(s.raw)?,
        };
        sqlx::query(
            "INSERT INTO asset_inventory (asset_id, office_id, first_at, last_at, last_full_at, fingerprint, incomplete, os, note, raw_format, raw_size, raw, antivirus) \
             VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (asset_id) DO UPDATE SET last_at = excluded.last_at, \
             last_full_at = COALESCE(excluded.last_full_at, asset_inventory.last_full_at), fingerprint = excluded.fingerprint, \
             incomplete = excluded.incomplete, os = excluded.os, note = excluded.note, raw_format = excluded.raw_format, \
             raw_size = excluded.raw_size, raw = excluded.raw, antivirus = excluded.antivirus",
        )
        .bind(s.asset_id)
        .bind(self.office_id)
        .bind(now)
        .bind(s.full.then_some(now))
        .bind(s.fingerprint)
        .bind(flag(s.incomplete))
        .bind(s.os)
        .bind(s.note)
        .bind(s.format)
        .bind(i64::try_from(s.raw.len()).unwrap_or(i64::MAX))
        .bind(z)
        .bind(s.antivirus)
        .execute(&mut *self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn save_raw(&mut self, asset_id: i64, raw: &[u8], raw_zlib: Option<&[u8]>, format: &str, full: bool, now: Micros) -> Result<()> {
        let z = match raw_zlib {
            Some(z) => z.to_vec(),
            None => compress(raw)?,
        };
        sqlx::query(
            "UPDATE asset_inventory SET last_at = $1, raw_format = $2, raw_size = $3, raw = $4, \
             last_full_at = CASE WHEN $5 = 1 THEN $1 ELSE last_full_at END WHERE asset_id = $6",
        )
        .bind(now)
        .bind(format)
        .bind(i64::try_from(raw.len()).unwrap_or(i64::MAX))
        .bind(z)
        .bind(flag(full))
        .bind(asset_id)
        .execute(&mut *self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn link_agent(&mut self, agent: i64, asset_id: i64) -> Result<()> {
        sqlx::query("UPDATE agents SET asset_id = $1 WHERE id = $2")
            .bind(asset_id)
            .bind(agent)
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn append(&mut self, d: Draft, now: Micros) -> Result<()> {
        append_tx(&mut self.tx, d, now).await.map(|_| ())
    }

    async fn commit(self: Box<Self>) -> Result<()> {
        self.tx.commit().await.map_err(map_err)
    }
}

fn list(s: &str) -> Vec<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

const SETTINGS_COLS: &str =
    "office_id, rules, blacklist_serials, blacklist_uuids, blacklist_macs, username, password_hash, networks, anonymous";

fn settings(r: &AnyRow) -> Result<AgentSettings> {
    Ok(AgentSettings {
        office_id: r.i64("office_id")?,
        rules: parse_rules(&r.text("rules")?)?,
        blacklist_serials: list(&r.text("blacklist_serials")?),
        blacklist_uuids: list(&r.text("blacklist_uuids")?),
        blacklist_macs: list(&r.text("blacklist_macs")?),
        username: r.text("username")?,
        password_hash: r.text("password_hash")?,
        networks: list(&r.text("networks")?),
        anonymous: r.flag("anonymous")?,
    })
}

fn agent_record(r: &AnyRow) -> Result<AgentRecord> {
    Ok(AgentRecord {
        id: r.i64("id")?,
        deviceid: r.text("deviceid")?,
        agent_id: r.opt_text("agent_id")?,
        old_deviceid: r.opt_text("old_deviceid")?,
        client: r.text("client")?,
        tag: r.opt_text("tag")?,
        remote_ip: r.opt_text("remote_ip")?,
        asset_id: r.opt_i64("asset_id")?,
        inventory_number: r.opt_text("inventory_number")?,
        first_us: r.i64("first_at")?,
        last_contact_us: r.i64("last_contact_at")?,
        last_inventory_us: r.opt_i64("last_inventory_at")?,
    })
}

const AGENT_COLS: &str = "g.id, g.deviceid, g.agent_id, g.old_deviceid, g.client, g.tag, g.remote_ip, g.asset_id, a.inventory_number, \
     g.first_at, g.last_contact_at, g.last_inventory_at";

impl SqlStore {
    pub(crate) async fn begin_inventory_impl(&self, office_id: i64) -> Result<Box<dyn InventoryTx>> {
        let turn = self.agent_turn().await;
        Ok(Box::new(SqlInventoryTx { tx: self.begin_write().await?, _turn: turn, office_id, backend: self.backend }))
    }

    /// The in-process writer queue on SQLite (`SqlStore::agent_writer`): agent reports, and fault
    /// reports created many at once through the API.
    pub(crate) async fn agent_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match self.backend {
            Backend::Sqlite => Some(self.agent_writer.clone().lock_owned().await),
            Backend::Postgres => None,
        }
    }

    pub(crate) async fn record_agent_contact_impl(&self, office_id: i64, a: &AgentSeen, now: Micros) -> Result<()> {
        let _turn = self.agent_turn().await;
        let mut tx = self.begin_write().await?;
        upsert_agent(&mut tx, office_id, a, now).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn agent_settings_impl(&self, office_id: i64) -> Result<Option<AgentSettings>> {
        let r = sqlx::query(AssertSqlSafe(format!("SELECT {SETTINGS_COLS} FROM agent_settings WHERE office_id = $1")))
            .bind(office_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        r.as_ref().map(settings).transpose()
    }

    pub(crate) async fn agent_settings_by_username_impl(&self, username: &str) -> Result<Option<AgentSettings>> {
        let r = sqlx::query(AssertSqlSafe(format!("SELECT {SETTINGS_COLS} FROM agent_settings WHERE username = $1 AND username <> ''")))
            .bind(username)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        r.as_ref().map(settings).transpose()
    }

    pub(crate) async fn all_agent_settings_impl(&self) -> Result<Vec<AgentSettings>> {
        let rows = sqlx::query(AssertSqlSafe(format!("SELECT {SETTINGS_COLS} FROM agent_settings ORDER BY office_id")))
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(settings).collect()
    }

    pub(crate) async fn save_agent_settings_impl(&self, s: &AgentSettings, now: Micros, log: Draft) -> Result<()> {
        let rules = serde_json::to_string(&s.rules).map_err(|e| Error::Storage(e.to_string()))?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO agent_settings (office_id, rules, blacklist_serials, blacklist_uuids, blacklist_macs, username, password_hash, networks, anonymous, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (office_id) DO UPDATE SET rules = excluded.rules, \
             blacklist_serials = excluded.blacklist_serials, blacklist_uuids = excluded.blacklist_uuids, blacklist_macs = excluded.blacklist_macs, \
             username = excluded.username, password_hash = excluded.password_hash, networks = excluded.networks, \
             anonymous = excluded.anonymous, updated_at = excluded.updated_at",
        )
        .bind(s.office_id)
        .bind(rules)
        .bind(s.blacklist_serials.join("\n"))
        .bind(s.blacklist_uuids.join("\n"))
        .bind(s.blacklist_macs.join("\n"))
        .bind(&s.username)
        .bind(&s.password_hash)
        .bind(s.networks.join("\n"))
        .bind(flag(s.anonymous))
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| match map_err(e) {
            Error::Conflict { code: "duplicate", .. } => Error::Conflict { code: "agent_username_taken", field: Some("username") },
            other => other,
        })?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn inventory_view_impl(&self, office_id: i64, asset_id: i64) -> Result<Option<InventoryView>> {
        let Some(r) = sqlx::query(
            "SELECT first_at, last_at, last_full_at, incomplete, os, note, raw_format, raw_size FROM asset_inventory WHERE office_id = $1 AND asset_id = $2",
        )
        .bind(office_id)
        .bind(asset_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?
        else {
            return Ok(None);
        };
        let agents = sqlx::query(AssertSqlSafe(format!(
            "SELECT {AGENT_COLS} FROM agents g LEFT JOIN assets a ON a.id = g.asset_id WHERE g.office_id = $1 AND g.asset_id = $2 \
             ORDER BY g.last_contact_at DESC, g.id"
        )))
        .bind(office_id)
        .bind(asset_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?
        .iter()
        .map(agent_record)
        .collect::<Result<_>>()?;
        Ok(Some(InventoryView {
            asset_id,
            first_us: r.i64("first_at")?,
            last_us: r.i64("last_at")?,
            last_full_us: r.opt_i64("last_full_at")?,
            incomplete: r.flag("incomplete")?,
            os: r.text("os")?,
            raw_format: r.text("raw_format")?,
            raw_size: r.i64("raw_size")?,
            note: r.text("note")?,
            agents,
        }))
    }

    pub(crate) async fn inventory_raw_impl(&self, office_id: i64, asset_id: i64) -> Result<Option<(Vec<u8>, String)>> {
        let r = sqlx::query("SELECT raw, raw_size, raw_format FROM asset_inventory WHERE office_id = $1 AND asset_id = $2")
            .bind(office_id)
            .bind(asset_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        r.map(|r| {
            let z: Vec<u8> = r.try_get("raw").map_err(map_err)?;
            Ok((decompress(&z, r.i64("raw_size")?)?, r.text("raw_format")?))
        })
        .transpose()
    }

    pub(crate) async fn agent_machines_impl(
        &self,
        office_id: i64,
        before: Option<Micros>,
        page: u32,
        per_page: u32,
    ) -> Result<Page<MachineRow>> {
        let from =
            format!("FROM asset_inventory s JOIN assets a ON a.id = s.asset_id WHERE s.office_id = $1 AND s.last_at < $2 AND a.{ACTIVE}");
        let before = before.unwrap_or(i64::MAX);
        let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) {from}")))
            .bind(office_id)
            .bind(before)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT a.id, a.inventory_number, a.label, a.kind, a.status, a.hostname, a.ip, s.last_at, s.incomplete, s.os {from} \
             ORDER BY s.last_at, a.id LIMIT $3 OFFSET $4"
        )))
        .bind(office_id)
        .bind(before)
        .bind(i64::from(per_page))
        .bind(i64::from(page.saturating_sub(1)) * i64::from(per_page))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let bad = |what: &str| Error::Storage(format!("unknown asset {what} in the database"));
        let items = rows
            .iter()
            .map(|r| {
                Ok(MachineRow {
                    asset_id: r.i64("id")?,
                    inventory_number: r.text("inventory_number")?,
                    label: r.opt_i64("label")?,
                    kind: AssetKind::parse(&r.text("kind")?).ok_or_else(|| bad("kind"))?,
                    status: AssetStatus::parse(&r.text("status")?).ok_or_else(|| bad("status"))?,
                    hostname: r.text("hostname")?,
                    ip: r.opt_text("ip")?,
                    last_us: r.i64("last_at")?,
                    incomplete: r.flag("incomplete")?,
                    os: r.text("os")?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Page { items, total, page, per_page })
    }

    pub(crate) async fn agents_impl(&self, office_id: i64, page: u32, per_page: u32) -> Result<Page<AgentRecord>> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM agents WHERE office_id = $1")
            .bind(office_id)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {AGENT_COLS} FROM agents g LEFT JOIN assets a ON a.id = g.asset_id WHERE g.office_id = $1 \
             ORDER BY g.last_contact_at DESC, g.id LIMIT $2 OFFSET $3"
        )))
        .bind(office_id)
        .bind(i64::from(per_page))
        .bind(i64::from(page.saturating_sub(1)) * i64::from(per_page))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(Page { items: rows.iter().map(agent_record).collect::<Result<_>>()?, total, page, per_page })
    }

    pub(crate) async fn confirm_discovered_impl(
        &self,
        office_id: i64,
        id: i64,
        f: &AssetFields,
        changes: &[FieldChange],
        now: Micros,
        log: Draft,
    ) -> Result<Asset> {
        let mut tx = self.begin_write().await?;
        // The status goes with the fields, guarded by the status confirmed from.
        let sql =
            update_fields_sql(" AND status = 'discovered'").replacen(", updated_at = $21", ", status = 'in_stock', updated_at = $21", 1);
        let q = bind_fields!(sqlx::query(AssertSqlSafe(sql)), f);
        let n = q.bind(now).bind(id).bind(office_id).execute(&mut *tx).await.map_err(|e| conflict(map_err(e)))?;
        if n.rows_affected() == 0 {
            return Err(Error::Conflict { code: "asset_changed", field: None });
        }
        record_label(&mut tx, office_id, f.label).await?;
        history_rows(&mut tx, id, changes, &log, now).await?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.get_asset_impl(office_id, id).await
    }

    pub(crate) async fn merge_assets_impl(&self, office_id: i64, p: &MergePlan, now: Micros) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE assets SET status = 'disposed', note = $1, updated_at = $2 WHERE id = $3 AND office_id = $4 AND status = 'discovered'",
        )
        .bind(&p.from_note)
        .bind(now)
        .bind(p.from)
        .bind(office_id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::Conflict { code: "asset_changed", field: None });
        }
        sqlx::query("UPDATE agents SET asset_id = $1 WHERE asset_id = $2 AND office_id = $3")
            .bind(p.into)
            .bind(p.from)
            .bind(office_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query(
            "DELETE FROM inventory_keys WHERE asset_id = $1 AND EXISTS (SELECT 1 FROM inventory_keys t WHERE t.asset_id = $2 \
             AND t.kind = inventory_keys.kind AND t.value = inventory_keys.value)",
        )
        .bind(p.from)
        .bind(p.into)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query("UPDATE inventory_keys SET asset_id = $1 WHERE asset_id = $2")
            .bind(p.into)
            .bind(p.from)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let from_has_state: Option<i64> = sqlx::query_scalar("SELECT asset_id FROM asset_inventory WHERE asset_id = $1")
            .bind(p.from)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
        if from_has_state.is_some() {
            sqlx::query("DELETE FROM asset_inventory WHERE asset_id = $1").bind(p.into).execute(&mut *tx).await.map_err(map_err)?;
            sqlx::query("UPDATE asset_inventory SET asset_id = $1 WHERE asset_id = $2")
                .bind(p.into)
                .bind(p.from)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        // No fingerprint: the next report compares the target's own rows and fills them as a
        // first inventory, not as hundreds of changes.
        sqlx::query("UPDATE asset_inventory SET fingerprint = '' WHERE asset_id = $1")
            .bind(p.into)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        for kind in [PartKind::Component, PartKind::Software] {
            sqlx::query(AssertSqlSafe(format!(
                "UPDATE {} SET removed_at = $1 WHERE asset_id = $2 AND source = 'agent' AND removed_at IS NULL",
                table(kind)
            )))
            .bind(now)
            .bind(p.from)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        let mut logs = p.logs.clone().into_iter();
        let (Some(from_log), Some(into_log)) = (logs.next(), logs.next()) else {
            return Err(Error::Storage("a merge needs two work-log entries".into()));
        };
        history_rows(&mut tx, p.from, &p.from_changes, &from_log, now).await?;
        history_rows(&mut tx, p.into, &p.into_changes, &into_log, now).await?;
        append_tx(&mut tx, from_log, now).await?;
        append_tx(&mut tx, into_log, now).await?;
        tx.commit().await.map_err(map_err)
    }
}
