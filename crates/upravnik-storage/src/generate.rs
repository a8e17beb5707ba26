//! Bulk data for benchmarks (`upravnik generate assets`): an organisation with people at their
//! workplaces, an equipment park, and a long field history, written in large multi-row inserts.
//! Deterministic from the seed, so two runs measure the same data. Never used by the product.

use crate::SqlStore;
use crate::assets::{FIELD_COLS, bind_fields};
use crate::rows::map_err;
use crate::worklog::append_tx;
use sqlx::AssertSqlSafe;
use upravnik_core::asset::{AssetFields, AssetKind, AssetStatus};
use upravnik_core::text::search_key;
use upravnik_core::worklog::{Category, Draft};
use upravnik_core::{Error, Result};

/// A small deterministic generator (xorshift64*): no dependency, same data on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const GIVEN: &[&str] =
    &["Милан", "Јелена", "Марко", "Ана", "Драган", "Мирјана", "Никола", "Снежана", "Зоран", "Ивана", "Небојша", "Тијана"];
const FAMILY: &[&str] =
    &["Јовановић", "Петровић", "Николић", "Марковић", "Ђорђевић", "Стојановић", "Илић", "Станковић", "Павловић", "Живковић"];
const UNITS: &[&str] = &[
    "Одељење за финансије",
    "Одељење за урбанизам",
    "Одељење за општу управу",
    "Служба за скупштинске послове",
    "Одељење за инспекцијске послове",
];
const MAKES: &[(&str, &str)] = &[
    ("Dell", "OptiPlex 7010"),
    ("HP", "ProDesk 400 G7"),
    ("Lenovo", "ThinkCentre M70q"),
    ("HP", "LaserJet Pro M404dn"),
    ("Samsung", "S24R350"),
    ("APC", "Smart-UPS 1500"),
    ("Cisco", "Catalyst 2960-X"),
];
const FIELDS: &[&str] = &["room", "ip", "hostname", "status", "person", "workplace", "note", "component", "software"];

impl SqlStore {
    /// Adds `people` employees (with units and workplaces), `assets` assets (about two thirds of
    /// them assigned) and `history` history rows spread over them, to the first office.
    pub async fn generate_assets(&self, people: usize, assets: usize, history: usize, seed: u64) -> Result<(i64, usize)> {
        let office = self.offices_for_generate().await?;
        let mut rng = Rng(seed.max(1));
        let now = jiff::Timestamp::now().as_microsecond();
        let year = 365 * 86_400_000_000_i64;

        // Units, then one workplace per employee, then the employees.
        let mut units = vec![];
        {
            let mut tx = self.begin_write().await?;
            for (i, u) in UNITS.iter().cycle().take(20).enumerate() {
                let name = format!("{u} {}", i + 1);
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO org_units (office_id, name, search_key, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
                )
                .bind(office)
                .bind(&name)
                .bind(search_key(&name))
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?;
                units.push(id);
            }
            tx.commit().await.map_err(map_err)?;
        }
        let mut holders: Vec<(i64, i64)> = vec![];
        for chunk in (0..people).collect::<Vec<_>>().chunks(500) {
            let mut tx = self.begin_write().await?;
            let wp_rows: Vec<String> = (0..chunk.len())
                .map(|i| {
                    format!(
                        "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                        i * 6 + 1,
                        i * 6 + 2,
                        i * 6 + 3,
                        i * 6 + 4,
                        i * 6 + 5,
                        i * 6 + 6,
                        i * 6 + 6
                    )
                })
                .collect();
            let mut q = sqlx::query_scalar(AssertSqlSafe(format!(
                "INSERT INTO workplaces (office_id, unit_id, name, room, search_key, created_at, updated_at) VALUES {} RETURNING id",
                wp_rows.join(", ")
            )));
            let mut unit_of = vec![];
            for &k in chunk {
                let unit = units[k % units.len()];
                unit_of.push(unit);
                let name = format!("Референт {}", k + 1);
                q = q.bind(office).bind(unit).bind(name.clone()).bind(format!("канц. {}", 1 + k % 120)).bind(search_key(&name)).bind(now);
            }
            let wps: Vec<i64> = q.fetch_all(&mut *tx).await.map_err(map_err)?;
            let p_rows: Vec<String> = (0..chunk.len())
                .map(|i| {
                    format!(
                        "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                        i * 7 + 1,
                        i * 7 + 2,
                        i * 7 + 3,
                        i * 7 + 4,
                        i * 7 + 5,
                        i * 7 + 6,
                        i * 7 + 7,
                        i * 7 + 7
                    )
                })
                .collect();
            let mut q = sqlx::query_scalar(AssertSqlSafe(format!(
                "INSERT INTO people (office_id, given_name, family_name, unit_id, workplace_id, search_key, created_at, updated_at) VALUES {} RETURNING id",
                p_rows.join(", ")
            )));
            for i in 0..chunk.len() {
                let (g, f) = (rng.pick(GIVEN), rng.pick(FAMILY));
                q = q.bind(office).bind(g).bind(f).bind(unit_of[i]).bind(wps[i]).bind(search_key(&format!("{g} {f}"))).bind(now);
            }
            let ids: Vec<i64> = q.fetch_all(&mut *tx).await.map_err(map_err)?;
            holders.extend(ids.into_iter().zip(wps));
            tx.commit().await.map_err(map_err)?;
        }

        // The equipment park.
        let cols = FIELD_COLS.split(", ").count() + 6;
        let mut ids = vec![];
        for start in (0..assets).step_by(400) {
            let n = (assets - start).min(400);
            let rows: Vec<String> = (0..n).map(|i| format!("({})", crate::dialect::numbered(i * cols + 1, cols))).collect();
            let mut q = sqlx::query_scalar(AssertSqlSafe(format!(
                "INSERT INTO assets (office_id, status, created_at, updated_at, person_id, workplace_id, {FIELD_COLS}) VALUES {} RETURNING id",
                rows.join(", ")
            )));
            for k in start..start + n {
                let (make, model) = MAKES[k % MAKES.len()];
                let kind = match k % MAKES.len() {
                    0..=2 => AssetKind::Workstation,
                    3 => AssetKind::Printer,
                    4 => AssetKind::Monitor,
                    5 => AssetKind::Ups,
                    _ => AssetKind::Switch,
                };
                let holder = (k % 3 != 2 && !holders.is_empty()).then(|| holders[rng.below(holders.len())]);
                let status = match (holder, k % 50) {
                    (_, 7) => AssetStatus::InRepair,
                    (_, 11) => AssetStatus::WrittenOff,
                    (Some(_), _) => AssetStatus::InUse,
                    (None, _) => AssetStatus::InStock,
                };
                let active = status.is_active();
                let f = AssetFields {
                    kind,
                    inventory_number: format!("{:07}", 1_000_000 + k),
                    label: kind.is_workstation().then_some(i64::try_from(k).unwrap_or(0) + 1),
                    manufacturer: make.into(),
                    model: model.into(),
                    serial: format!("{}{:08}", &make[..2].to_uppercase(), k * 7 + 13),
                    hostname: if kind.is_workstation() { format!("st{k:06}") } else { String::new() },
                    mac: Some(format!("00:1A:{:02X}:{:02X}:{:02X}:{:02X}", (k >> 24) & 255, (k >> 16) & 255, (k >> 8) & 255, k & 255)),
                    ip: active.then(|| format!("10.{}.{}.{}", 1 + k / 64_000, (k % 64_000) / 250, 2 + k % 250)),
                    building: format!("Зграда {}", 1 + k % 5),
                    room: format!("канц. {}", 1 + rng.below(300)),
                    roles: vec![],
                    in_server_room: false,
                    procurement_ref: format!("ЈН {}/{}", 1 + k % 40, 2015 + k % 11),
                    supplier: "Комтрејд д.о.о.".into(),
                    purchase_date: Some(format!("{}-{:02}-{:02}", 2015 + k % 11, 1 + k % 12, 1 + k % 28)),
                    price_para: Some(i64::try_from(2_000_000 + (k % 90) * 100_000).unwrap_or(0)),
                    warranty_end: Some(format!("{}-{:02}-{:02}", 2020 + k % 10, 1 + k % 12, 1 + k % 28)),
                    note: String::new(),
                };
                q = q
                    .bind(office)
                    .bind(status.as_str())
                    .bind(now - year + i64::try_from(k).unwrap_or(0) * 1000)
                    .bind(now)
                    .bind(holder.map(|h| h.0))
                    .bind(holder.map(|h| h.1));
                q = bind_fields!(q, &f);
            }
            let mut tx = self.begin_write().await?;
            let got: Vec<i64> = q.fetch_all(&mut *tx).await.map_err(|e| Error::Storage(format!("generating assets: {e}")))?;
            tx.commit().await.map_err(map_err)?;
            ids.extend(got);
        }

        // The history: rows spread over the assets, older first.
        for start in (0..history).step_by(1000) {
            let n = (history - start).min(1000);
            let rows: Vec<String> = (0..n)
                .map(|i| format!("(${}, ${}, ${}, ${}, ${}, ${})", i * 6 + 1, i * 6 + 2, i * 6 + 3, i * 6 + 4, i * 6 + 5, i * 6 + 6))
                .collect();
            let mut q = sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO asset_history (asset_id, at, actor_name, field, old_value, new_value) VALUES {}",
                rows.join(", ")
            )));
            for k in start..start + n {
                let asset = if ids.is_empty() { 0 } else { ids[rng.below(ids.len())] };
                let field = FIELDS[k % FIELDS.len()];
                let at = now - year + i64::try_from(k).unwrap_or(0) * (year / i64::try_from(history.max(1)).unwrap_or(1));
                q = q
                    .bind(asset)
                    .bind(at)
                    .bind("генератор")
                    .bind(field)
                    .bind(format!("стара вредност {}", k % 97))
                    .bind(format!("нова вредност {k}"));
            }
            if ids.is_empty() {
                break;
            }
            let mut tx = self.begin_write().await?;
            q.execute(&mut *tx).await.map_err(|e| Error::Storage(format!("generating history: {e}")))?;
            tx.commit().await.map_err(map_err)?;
        }

        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO asset_label_high (office_id, highest) SELECT office_id, MAX(label) FROM assets WHERE office_id = $1 \
             AND label IS NOT NULL GROUP BY office_id ON CONFLICT (office_id) DO UPDATE SET highest = excluded.highest",
        )
        .bind(office)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let log = Draft {
            office_id: office,
            actor_user_id: None,
            actor_name: "генератор".into(),
            category: Category::ConfigurationChange,
            object: None,
            confidential: false,
            text: format!("Генерисани подаци за мерење: {people} запослених, {assets} средстава, {history} редова историје"),
        };
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.analyze().await?;
        Ok((office, ids.len()))
    }
}
