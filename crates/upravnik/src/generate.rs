//! Generated data for benchmarks: work-log entries (`upravnik worklog generate`), through the
//! same append path as the product, in large transactions so a million entries take minutes;
//! and whole offices at a realistic size (`upravnik generate --scale city|large|national`, issue
//! 11), deterministic from the seed.

use upravnik_core::worklog::{Category, Draft, ObjectRef};
use upravnik_storage::SqlStore;

const TEXTS: &[&str] = &[
    "Ажуриране антивирусне дефиниције на серверу",
    "Замењен тонер на штампачу у канцеларији",
    "Обновљена копија у сефу писарнице",
    "Интервенција на радној станици: поново инсталиран управљачки програм",
    "Нестанак струје, сервери прешли на UPS",
    "Отворен кориснички налог по захтеву руководиоца",
    "Провера резервне копије базе ОПИС",
];

pub async fn worklog(store: &SqlStore, count: u64) -> anyhow::Result<u64> {
    let office = store.offices_for_generate().await?;
    worklog_in(store, office, count, true).await
}

async fn worklog_in(store: &SqlStore, office: i64, count: u64, analyze: bool) -> anyhow::Result<u64> {
    let start = jiff::Timestamp::now().as_microsecond() - i64::try_from(count).unwrap_or(i64::MAX / 2) * 60_000_000;
    let mut done = 0u64;
    while done < count {
        let n = (count - done).min(10_000);
        let drafts: Vec<(Draft, i64)> = (0..n)
            .map(|i| {
                let k = done + i;
                let cat = Category::ALL[(k % Category::ALL.len() as u64) as usize];
                let text = format!("{} (#{k})", TEXTS[(k % TEXTS.len() as u64) as usize]);
                let at = start + i64::try_from(k).unwrap_or(0) * 60_000_000;
                (
                    Draft {
                        office_id: office,
                        actor_user_id: None,
                        actor_name: "генератор".into(),
                        category: cat,
                        object: k.is_multiple_of(3).then(|| ObjectRef::new("person", k % 120 + 1, format!("Запослени {}", k % 120 + 1))),
                        confidential: k.is_multiple_of(97),
                        text,
                    },
                    at,
                )
            })
            .collect();
        store.append_batch(drafts).await?;
        done += n;
        if done.is_multiple_of(100_000) {
            tracing::info!(done, "generating");
        }
    }
    if analyze {
        store.analyze().await?;
    }
    Ok(done)
}

/// The sizes of `generate --scale` (issue 11).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    /// One city: 1,500 employees, 2,000 assets, a year of fault reports and of the work log.
    City,
    /// The largest office: 100,000 assets, 1,000,000 work-log entries, 100,000 reports.
    Large,
    /// The hosted service: 170 offices of city size in one PostgreSQL database.
    National,
}

/// What one office gets at a scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size {
    pub people: usize,
    pub assets: usize,
    pub history: usize,
    pub reports: usize,
    pub worklog: u64,
    /// Programs on each workstation.
    pub programs: usize,
}

impl Scale {
    pub fn size(self) -> Size {
        match self {
            // About ten fault reports per working day and twenty log entries an administrator.
            Scale::City | Scale::National => {
                Size { people: 1_500, assets: 2_000, history: 20_000, reports: 2_500, worklog: 25_000, programs: 80 }
            }
            Scale::Large => {
                Size { people: 10_000, assets: 100_000, history: 1_000_000, reports: 100_000, worklog: 1_000_000, programs: 40 }
            }
        }
    }

    pub fn offices(self) -> usize {
        if self == Scale::National { 170 } else { 1 }
    }
}

/// Local governments for the offices of the national scale (then numbered).
const OFFICES: &[&str] = &[
    "Градска управа Града Новог Сада",
    "Градска управа Града Ниша",
    "Градска управа Града Крагујевца",
    "Градска управа Града Суботице",
    "Градска управа Града Зрењанина",
    "Градска управа Града Панчева",
    "Градска управа Града Чачка",
    "Градска управа Града Краљева",
    "Градска управа Града Новог Пазара",
    "Градска управа Града Смедерева",
    "Градска управа Града Лесковца",
    "Градска управа Града Ваљева",
    "Градска управа Града Крушевца",
    "Градска управа Града Врања",
    "Градска управа Града Шапца",
    "Градска управа Града Ужица",
    "Градска управа Града Сомбора",
    "Градска управа Града Пожаревца",
    "Градска управа Града Пирота",
    "Градска управа Града Зајечара",
    "Градска управа Града Кикинде",
    "Градска управа Града Сремске Митровице",
    "Градска управа Града Јагодине",
    "Градска управа Града Вршца",
];

/// A row of the summary `generate --scale` prints.
pub struct Generated {
    pub office: i64,
    pub size: Size,
    pub workstations: usize,
    pub installations: usize,
    pub seconds: f64,
}

/// Fills the database at `scale`: the first office (made when there is none) for city and large,
/// `offices` new ones (170 by default) for national. Each office's data comes from its own seed
/// (the seed plus its position), so an office is the same whatever else is generated.
pub async fn scale(store: &SqlStore, scale: Scale, seed: u64, offices: Option<usize>) -> anyhow::Result<Vec<Generated>> {
    let size = scale.size();
    let count = offices.unwrap_or(scale.offices());
    if scale == Scale::National && store.backend() != upravnik_storage::Backend::Postgres {
        anyhow::bail!("the national scale is for PostgreSQL (--database-url postgres://…); SQLite holds one office");
    }
    let mut out = vec![];
    for i in 0..count {
        let started = std::time::Instant::now();
        let office = if scale == Scale::National {
            let name = match OFFICES.get(i) {
                Some(n) => (*n).to_string(),
                None => format!("Општинска управа {:03}", i + 1),
            };
            store.generate_office(&name).await?
        } else {
            store.offices_for_generate().await?
        };
        let seed = seed.wrapping_add(i as u64);
        store.generate_assets(Some(office), size.people, size.assets, size.history, seed).await?;
        let (workstations, installations) = store.generate_software(Some(office), size.programs, seed).await?;
        store.generate_reports(Some(office), size.reports, seed).await?;
        worklog_in(store, office, size.worklog, false).await?;
        // The planner's statistics after the first office and then now and then, not after
        // every generator of every office (510 ANALYZEs of a growing database at national scale).
        if i == 0 || i % 25 == 24 {
            store.analyze().await?;
        }
        tracing::info!(office, done = i + 1, of = count, "office generated");
        out.push(Generated { office, size, workstations, installations, seconds: started.elapsed().as_secs_f64() });
    }
    store.analyze().await?;
    Ok(out)
}
