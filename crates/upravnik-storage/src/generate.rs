//! Bulk data for benchmarks (`upravnik generate assets`): an organisation with people at their
//! workplaces, an equipment park, and a long field history, written in large multi-row inserts.
//! Deterministic from the seed, so two runs measure the same data. Never used by the product.

use crate::SqlStore;
use crate::assets::{FIELD_COLS, bind_fields};
use crate::rows::{Get, map_err};
use crate::worklog::append_tx;
use sqlx::AssertSqlSafe;
use upravnik_core::asset::{AssetFields, AssetKind, AssetStatus};
use upravnik_core::helpdesk::{Channel, Priority, ReportCategory, ReportState, format_number};
use upravnik_core::sla_service::SlaSettings;
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
    /// them assigned) and `history` history rows spread over them, to `office` (the first one
    /// when `None`). Like the other generators, leaves refreshing the planner's statistics
    /// ([`SqlStore::analyze`]) to the caller, who may generate more first.
    pub async fn generate_assets(
        &self,
        office: Option<i64>,
        people: usize,
        assets: usize,
        history: usize,
        seed: u64,
    ) -> Result<(i64, usize)> {
        let office = self.office_for_generate(office).await?;
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
            let mut q = sqlx::query_scalar(AssertSqlSafe(format!(
                "INSERT INTO workplaces (office_id, unit_id, name, room, search_key, created_at, updated_at) VALUES {} RETURNING id",
                self.backend.tuples(chunk.len(), 7)
            )));
            let mut unit_of = vec![];
            for &k in chunk {
                let unit = units[k % units.len()];
                unit_of.push(unit);
                let name = format!("Референт {}", k + 1);
                q = q
                    .bind(office)
                    .bind(unit)
                    .bind(name.clone())
                    .bind(format!("канц. {}", 1 + k % 120))
                    .bind(search_key(&name))
                    .bind(now)
                    .bind(now);
            }
            let wps: Vec<i64> = q.fetch_all(&mut *tx).await.map_err(map_err)?;
            let mut q = sqlx::query_scalar(AssertSqlSafe(format!(
                "INSERT INTO people (office_id, given_name, family_name, unit_id, workplace_id, search_key, created_at, updated_at) VALUES {} RETURNING id",
                self.backend.tuples(chunk.len(), 8)
            )));
            for i in 0..chunk.len() {
                let (g, f) = (rng.pick(GIVEN), rng.pick(FAMILY));
                q = q.bind(office).bind(g).bind(f).bind(unit_of[i]).bind(wps[i]).bind(search_key(&format!("{g} {f}"))).bind(now).bind(now);
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
            let mut q = sqlx::query_scalar(AssertSqlSafe(format!(
                "INSERT INTO assets (office_id, status, created_at, updated_at, person_id, workplace_id, {FIELD_COLS}) VALUES {} RETURNING id",
                self.backend.tuples(n, cols)
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
            let mut q = sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO asset_history (asset_id, at, actor_name, field, old_value, new_value) VALUES {}",
                self.backend.tuples(n, 6)
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
        Ok((office, ids.len()))
    }
}

/// Fault reports as the IT department hears them: (category, subject, description).
const FAULTS: &[(ReportCategory, &str, &str)] = &[
    (ReportCategory::Printer, "Штампач не штампа", "Штампач у канцеларији не реагује на налог за штампу, лампица трепери наранџасто."),
    (ReportCategory::Printer, "Заглављен папир у штампачу", "Папир се заглавио у задњем делу штампача, не може да се извади без алата."),
    (ReportCategory::Printer, "Тонер је при крају", "Отисци су бледи и пругасти, потребан је нов тонер."),
    (ReportCategory::Printer, "Скенер не шаље на е-пошту", "Скенирање на мултифункционалном уређају стаје са поруком о грешци SMTP."),
    (ReportCategory::Hardware, "Рачунар се не укључује", "После нестанка струје рачунар не реагује на дугме за укључивање."),
    (ReportCategory::Hardware, "Рачунар се често замрзава", "Рачунар се замрзне неколико пута дневно, помаже само гашење на дугме."),
    (ReportCategory::Hardware, "Монитор трепери", "Слика на монитору трепери и повремено нестаје, кабл је проверен."),
    (ReportCategory::Hardware, "Тастатура не ради", "Поједини тастери не реагују, проливена је кафа по тастатури."),
    (ReportCategory::Hardware, "Бучан вентилатор на рачунару", "Вентилатор у кућишту је веома гласан и рачунар се прегрева."),
    (ReportCategory::Hardware, "UPS пишти", "Уређај за непрекидно напајање стално пишти и показује грешку батерије."),
    (
        ReportCategory::Software,
        "Не покреће се програм за писарницу",
        "Програм за писарницу пријављује грешку при покретању после ажурирања.",
    ),
    (ReportCategory::Software, "Ажурирање система се не завршава", "Рачунар се заглави на поновном покретању током инсталације исправки."),
    (ReportCategory::Software, "Потребна инсталација програма", "Молим инсталацију програма за читање електронских личних карата."),
    (
        ReportCategory::Software,
        "Антивирус пријављује претњу",
        "Антивирусни програм је пријавио сумњиву датотеку у фасцикли са преузимањима.",
    ),
    (ReportCategory::Software, "Не ради електронски потпис", "Квалификовани електронски сертификат се не види у прегледачу."),
    (ReportCategory::Network, "Нема интернета", "У целој канцеларији нема приступа интернету од јутрос."),
    (ReportCategory::Network, "Не види се мрежни диск", "Заједничка фасцикла на серверу није доступна, тражи лозинку."),
    (ReportCategory::Network, "Споро ради мрежа", "Отварање докумената са сервера траје по неколико минута."),
    (ReportCategory::Network, "Бежична мрежа у сали за састанке", "У сали за састанке не ради бежична мрежа за госте."),
    (ReportCategory::Account, "Закључан кориснички налог", "После три погрешне лозинке налог је закључан, молим откључавање."),
    (ReportCategory::Account, "Нов налог за запосленог", "Запослени почиње са радом у понедељак, потребан је кориснички налог."),
    (ReportCategory::Account, "Промена лозинке не успева", "Систем одбија нову лозинку без објашњења."),
    (ReportCategory::Email, "Не стиже е-пошта", "Од јуче не стижу поруке са спољних адреса."),
    (ReportCategory::Email, "Пуно поштанско сандуче", "Поштанско сандуче је пуно, поруке се враћају пошиљаоцима."),
    (ReportCategory::Email, "Прилог се не отвара", "Прилог у поруци са .docx наставком се не отвара."),
    (
        ReportCategory::Other,
        "Премештање рачунара у другу канцеларију",
        "Потребно је преместити рачунар и штампач у канцеларију на другом спрату.",
    ),
    (ReportCategory::Other, "Пројектор у сали не приказује слику", "Пројектор се укључује али не приказује слику са лаптопа."),
    (ReportCategory::Other, "Телефонска централа", "Локал у канцеларији нема сигнал."),
];

/// A generated step: report, from, to, assignee, time.
type StepRow = (i64, Option<&'static str>, &'static str, Option<i64>, i64);

/// Where the fault was noticed, added to the description so that texts differ.
const PLACES: &[&str] = &["писарница", "шалтер сала", "кабинет начелника", "рачуноводство", "матична служба", "сала за састанке", "архива"];

impl SqlStore {
    /// Adds `count` fault reports (R.52) to the first office, spread over the past year, for the
    /// helpdesk benchmark (`upravnik generate reports`): reporters among the office's active
    /// employees (300 are generated first if it has fewer than 50), their devices, states and
    /// priorities mixed (older reports mostly closed), administrators as assignees, deadlines
    /// from the default service levels, and for each report the steps of its way. Numbers
    /// continue each year's counter (`П-YYYY-NNNNNN`), which is moved past them. One work-log
    /// entry records the generation, as for the asset generator. Deterministic from the seed and
    /// the current time.
    pub async fn generate_reports(&self, office: Option<i64>, count: usize, seed: u64) -> Result<(i64, usize)> {
        let mut office = self.office_for_generate(office).await?;
        let people_sql = "SELECT p.id, p.given_name, p.family_name FROM people p WHERE p.office_id = $1 AND p.active = 1 ORDER BY p.id";
        let mut people: Vec<(i64, String)> = sqlx::query(people_sql)
            .bind(office)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?
            .iter()
            .map(|r| Ok((r.i64("id")?, format!("{} {}", r.text("given_name")?, r.text("family_name")?))))
            .collect::<Result<_>>()?;
        if people.len() < 50 {
            office = self.generate_assets(Some(office), 300, 600, 0, seed).await?.0;
            people = sqlx::query(people_sql)
                .bind(office)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?
                .iter()
                .map(|r| Ok((r.i64("id")?, format!("{} {}", r.text("given_name")?, r.text("family_name")?))))
                .collect::<Result<_>>()?;
        }
        // Each person's first active device, named as the service names it.
        let mut device: std::collections::HashMap<i64, (i64, String)> = std::collections::HashMap::new();
        for r in sqlx::query(
            "SELECT id, person_id, inventory_number, manufacturer, model FROM assets WHERE office_id = $1 AND person_id IS NOT NULL \
             AND status IN ('in_use', 'in_repair', 'at_service') ORDER BY id",
        )
        .bind(office)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?
        {
            let label = format!("{} {} {}", r.text("inventory_number")?, r.text("manufacturer")?, r.text("model")?).trim().to_string();
            device.entry(r.i64("person_id")?).or_insert((r.i64("id")?, label));
        }
        let admins: Vec<i64> = sqlx::query_scalar(
            "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.office_id = $1 AND u.active = 1 \
             AND r.role = 'administrator' ORDER BY u.id",
        )
        .bind(office)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;

        let mut rng = Rng(seed.max(1) ^ 0x005E_ED0F_FA17);
        let now = jiff::Timestamp::now().as_microsecond();
        let day = 86_400_000_000_i64;
        let span = 365 * day;
        let sla = SlaSettings::defaults(office);
        let cal = sla.calendar();
        let tz = jiff::tz::TimeZone::get(upravnik_core::clock::BELGRADE).unwrap_or(jiff::tz::TimeZone::UTC);
        let mut counters: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
        for r in sqlx::query("SELECT year, last FROM fault_report_numbers WHERE office_id = $1")
            .bind(office)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?
        {
            counters.insert(r.i64("year")?, r.i64("last")?);
        }

        let cols = 22;
        let per_insert = self.backend.rows_per_insert();
        let mut done = 0;
        while done < count {
            let chunk = (count - done).min(5_000);
            let mut tx = self.begin_write().await?;
            let mut steps: Vec<StepRow> = vec![];
            for start in (done..done + chunk).step_by(per_insert) {
                let n = (done + chunk - start).min(per_insert);
                let rows: Vec<String> = (0..n).map(|i| format!("({})", self.backend.placeholders(i * cols + 1, cols))).collect();
                let mut q = sqlx::query(AssertSqlSafe(format!(
                    "INSERT INTO fault_reports (office_id, number, reporter_id, asset_id, channel, title, description, category, priority, \
                     state, assignee_user_id, minutes, recorded_by_user_id, recorded_by_name, search_key, created_at, updated_at, \
                     first_response_at, resolved_at, closed_at, response_due_at, resolution_due_at) VALUES {} RETURNING id, number",
                    rows.join(", ")
                )));
                let mut planned = std::collections::HashMap::new();
                for k in start..start + n {
                    // Evenly over the year, oldest first, with a few minutes of jitter.
                    let created = now - span
                        + i64::try_from(k).unwrap_or(0) * (span / i64::try_from(count).unwrap_or(1).max(1))
                        + i64::try_from(rng.below(600)).unwrap_or(0) * 1_000_000;
                    let year = jiff::Timestamp::from_microsecond(created)
                        .map(|t| i64::from(t.to_zoned_datetime(tz.clone()).year()))
                        .unwrap_or(2026);
                    let seq = counters.entry(year).or_insert(0);
                    *seq += 1;
                    let number = format_number(i16::try_from(year).unwrap_or(2026), *seq);
                    let (reporter, reporter_name) = people[rng.below(people.len())].clone();
                    let (category, title, text) = FAULTS[rng.below(FAULTS.len())];
                    let description = format!("{text} Место: {}, спрат {}.", rng.pick(PLACES), rng.below(5));
                    let dev = device.get(&reporter).filter(|_| rng.below(10) < 6 && category != ReportCategory::Account);
                    let priority = match rng.below(20) {
                        0..=1 => Priority::Urgent,
                        2..=6 => Priority::High,
                        7..=17 => Priority::Normal,
                        _ => Priority::Low,
                    };
                    let channel = [Channel::Web, Channel::Web, Channel::Phone, Channel::InPerson, Channel::Email][rng.below(5)];
                    // Older reports are mostly finished; the last month's are still being worked on.
                    let age_days = (now - created) / day;
                    let state = match (age_days, rng.below(100)) {
                        (0..=2, 0..=59) => ReportState::New,
                        (0..=2, 60..=84) => ReportState::Accepted,
                        (0..=2, _) => ReportState::OnSite,
                        (3..=30, 0..=9) => ReportState::New,
                        (3..=30, 10..=29) => ReportState::Accepted,
                        (3..=30, 30..=39) => ReportState::OnSite,
                        (3..=30, 40..=49) => ReportState::InIctOffice,
                        (3..=30, 50..=79) => ReportState::Resolved,
                        (3..=30, _) => ReportState::Closed,
                        (_, 0) => ReportState::Accepted,
                        (_, 1..=4) => ReportState::Resolved,
                        _ => ReportState::Closed,
                    };
                    let (response_due, res_due) = sla.deadlines(&cal, priority, created);
                    let assignee = (state != ReportState::New && !admins.is_empty()).then(|| admins[rng.below(admins.len())]);
                    let hours = i64::try_from(1 + rng.below(6)).unwrap_or(1);
                    let secs = i64::try_from(rng.below(3_600)).unwrap_or(0);
                    let first_response = (state != ReportState::New).then_some(created + hours * 3_600_000_000 + secs * 1_000_000);
                    let fix_hours = i64::try_from(1 + rng.below(72)).unwrap_or(1);
                    let resolved = matches!(state, ReportState::Resolved | ReportState::Closed)
                        .then(|| first_response.unwrap_or(created) + fix_hours * 3_600_000_000);
                    let closed = (state == ReportState::Closed).then(|| resolved.unwrap_or(created) + 3 * day);
                    let updated = closed.or(resolved).or(first_response).unwrap_or(created).min(now);
                    let minutes = if state == ReportState::New { 0 } else { 15 * (1 + i64::try_from(rng.below(8)).unwrap_or(0)) };
                    // The way it went: created, accepted, on site or in the office, resolved, closed.
                    let mut way = vec![(None, "new", None, created)];
                    if let Some(t) = first_response {
                        way.push((Some("new"), "accepted", assignee, t));
                        let mid = match state {
                            ReportState::OnSite => Some("on_site"),
                            ReportState::InIctOffice => Some("in_ict_office"),
                            ReportState::Resolved | ReportState::Closed if k % 3 == 0 => Some("on_site"),
                            _ => None,
                        };
                        let mut last = "accepted";
                        if let Some(m) = mid {
                            way.push((Some(last), m, assignee, t + 600_000_000));
                            last = m;
                        }
                        if let Some(r) = resolved {
                            way.push((Some(last), "resolved", assignee, r));
                            last = "resolved";
                        }
                        if let Some(c) = closed {
                            way.push((Some(last), "closed", assignee, c));
                        }
                    }
                    planned.insert(number.clone(), way);
                    let search = match dev {
                        Some((_, d)) => format!("{number} {title} {description} {reporter_name} {d}"),
                        None => format!("{number} {title} {description} {reporter_name} "),
                    };
                    q = q
                        .bind(office)
                        .bind(number.clone())
                        .bind(reporter)
                        .bind(dev.map(|d| d.0))
                        .bind(channel.as_str())
                        .bind(title)
                        .bind(description)
                        .bind(category.as_str())
                        .bind(priority.as_str())
                        .bind(state.as_str())
                        .bind(assignee)
                        .bind(minutes)
                        .bind(None::<i64>)
                        .bind("генератор")
                        .bind(search_key(&search))
                        .bind(created)
                        .bind(updated)
                        .bind(first_response)
                        .bind(resolved)
                        .bind(closed)
                        .bind(response_due)
                        .bind(res_due);
                }
                let got = q.fetch_all(&mut *tx).await.map_err(|e| Error::Storage(format!("generating reports: {e}")))?;
                for r in &got {
                    let (id, number) = (r.i64("id")?, r.text("number")?);
                    for (from, to, who, at) in planned.remove(&number).unwrap_or_default() {
                        steps.push((id, from, to, who, at));
                    }
                }
            }
            let step_cols = 7;
            for part in steps.chunks(per_insert * 2) {
                let rows: Vec<String> =
                    (0..part.len()).map(|i| format!("({})", self.backend.placeholders(i * step_cols + 1, step_cols))).collect();
                let mut q = sqlx::query(AssertSqlSafe(format!(
                    "INSERT INTO fault_report_steps (office_id, report_id, from_state, to_state, assignee_user_id, actor_name, created_at) \
                     VALUES {}",
                    rows.join(", ")
                )));
                for (id, from, to, who, at) in part {
                    q = q.bind(office).bind(*id).bind(*from).bind(*to).bind(*who).bind("генератор").bind(*at);
                }
                q.execute(&mut *tx).await.map_err(|e| Error::Storage(format!("generating report steps: {e}")))?;
            }
            tx.commit().await.map_err(map_err)?;
            done += chunk;
        }

        let mut tx = self.begin_write().await?;
        for (year, last) in &counters {
            sqlx::query(
                "INSERT INTO fault_report_numbers (office_id, year, last) VALUES ($1, $2, $3) \
                 ON CONFLICT (office_id, year) DO UPDATE SET last = excluded.last",
            )
            .bind(office)
            .bind(*year)
            .bind(*last)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        let log = Draft {
            office_id: office,
            actor_user_id: None,
            actor_name: "генератор".into(),
            category: Category::ConfigurationChange,
            object: None,
            confidential: false,
            text: format!("Генерисани подаци за мерење: {count} пријава кварова"),
        };
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok((office, count))
    }

    /// Programs on every workstation in use (`per` each, from a pool of 600 Windows names:
    /// 300 products with a rule each, 250 updates the standard rules ignore, 50 unknown), and the
    /// catalogue: a licence for every product but ten (issue 7's benchmark). Returns
    /// (workstations, installations).
    pub async fn generate_software(&self, office: Option<i64>, per: usize, seed: u64) -> Result<(usize, usize)> {
        let office = self.office_for_generate(office).await?;
        let mut rng = Rng(seed.max(1));
        let now = jiff::Timestamp::now().as_microsecond();
        const VENDORS: &[&str] =
            &["Microsoft", "Adobe", "Mozilla", "Google", "Oracle", "Autodesk", "Corel", "Piriform", "Foxit", "Kaspersky"];
        const WORDS: &[&str] = &["Office", "Reader", "Studio", "Viewer", "Suite", "Tools", "Runtime", "Designer", "Manager", "Client"];
        let pool: Vec<(String, String)> = (0..600)
            .map(|i| match i {
                0..300 => (
                    format!("{} {} {} {}", VENDORS[i % 10], WORDS[(i / 10) % 10], 2000 + i / 30, i),
                    format!("{}.{}.{}", 1 + i % 20, i % 7, 1000 + i),
                ),
                300..550 => (format!("Update for {} {} (KB{})", VENDORS[i % 10], WORDS[i % 10], 4_000_000 + i), String::new()),
                _ => (format!("Интерни алат {i}"), "1.0".into()),
            })
            .collect();
        let workstations: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM assets WHERE office_id = $1 AND kind = 'workstation' AND status NOT IN ('written_off', 'disposed') ORDER BY id",
        )
        .bind(office)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let mut rows = 0;
        for chunk in workstations.chunks(10) {
            let mut tx = self.begin_write().await?;
            for &asset in chunk {
                // The first 60 on every machine (the office's standard image), the rest at random.
                let mut picked: Vec<usize> = (0..60.min(per)).collect();
                while picked.len() < per.min(pool.len()) {
                    let k = rng.below(pool.len());
                    if !picked.contains(&k) {
                        picked.push(k);
                    }
                }
                for part in picked.chunks(100) {
                    let mut q = sqlx::query(AssertSqlSafe(format!(
                        "INSERT INTO asset_software (office_id, asset_id, name, version, publisher, source, added_at) VALUES {}",
                        self.backend.tuples(part.len(), 7)
                    )));
                    for &k in part {
                        q = q.bind(office).bind(asset).bind(pool[k].0.clone()).bind(pool[k].1.clone()).bind("").bind("agent").bind(now);
                    }
                    q.execute(&mut *tx).await.map_err(map_err)?;
                    rows += part.len();
                }
            }
            tx.commit().await.map_err(map_err)?;
        }
        let mut tx = self.begin_write().await?;
        for (i, (name, _)) in pool.iter().take(300).enumerate() {
            let category = if i % 9 == 0 { "free" } else { "system_application" };
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO software_products (office_id, name, name_key, vendor, category, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
            )
            .bind(office)
            .bind(name)
            .bind(search_key(name))
            .bind(VENDORS[i % 10])
            .bind(category)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
            sqlx::query("INSERT INTO software_rules (office_id, product_id, kind, pattern, created_at) VALUES ($1, $2, 'exact', $3, $4)")
                .bind(office)
                .bind(id)
                .bind(upravnik_core::software::normalise(name))
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            if i % 30 != 7 {
                sqlx::query(
                    "INSERT INTO software_licences (office_id, product_id, kind, seats, created_at) VALUES ($1, $2, 'per_device', $3, $4)",
                )
                .bind(office)
                .bind(id)
                .bind(i64::try_from(workstations.len()).unwrap_or(0))
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            }
        }
        for (kind, pattern) in upravnik_core::software::STANDARD_IGNORE {
            sqlx::query("INSERT INTO software_rules (office_id, product_id, kind, pattern, created_at) VALUES ($1, NULL, $2, $3, $4)")
                .bind(office)
                .bind(kind.as_str())
                .bind(*pattern)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        crate::software::bump_version(&mut tx, office).await?;
        tx.commit().await.map_err(map_err)?;
        Ok((workstations.len(), rows))
    }

    /// The office to generate into: the one given, or the first (made when there is none).
    async fn office_for_generate(&self, office: Option<i64>) -> Result<i64> {
        match office {
            Some(o) => Ok(o),
            None => self.offices_for_generate().await,
        }
    }

    /// Up to `n` workstations in use that have programs, spread over the office (benchmarks).
    pub async fn sample_workstations(&self, office_id: i64, n: i64) -> Result<Vec<i64>> {
        let all: Vec<i64> = sqlx::query_scalar(
            "SELECT a.id FROM assets a WHERE a.office_id = $1 AND a.status NOT IN ('written_off', 'disposed') \
             AND EXISTS (SELECT 1 FROM asset_software s WHERE s.asset_id = a.id AND s.removed_at IS NULL) ORDER BY a.id",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let step = (all.len() / usize::try_from(n.max(1)).unwrap_or(1)).max(1);
        Ok(all.into_iter().step_by(step).take(usize::try_from(n).unwrap_or(0)).collect())
    }
}
