//! Generates work-log entries for benchmarks (`upravnik worklog generate`), through the same
//! append path as the product, in large transactions so a million entries take minutes.

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
    store.analyze().await?;
    Ok(done)
}
