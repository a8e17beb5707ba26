//! `upravnik assets import FILE [--office ID] [--commit]`: the import for operators and
//! benchmarks, with the same checks as the pages; prints the counts and every row's error.

use std::path::Path;

use anyhow::{Context, bail};
use upravnik_core::import::service::operator;
use upravnik_core::service::Services;

/// Messages of the row errors in Serbian, as the pages show them (the CLI has no translations).
fn message(key: &str) -> &str {
    match key {
        "err-required" => "обавезно поље",
        "err-too-long" => "предугачко",
        "err-date" => "датум није исправан (нпр. 25.11.2026.)",
        "err-label" => "ознака у облику ST 28",
        "err-label-not-workstation" => "ознаку ST имају само радне станице и лаптопови",
        "err-label-taken" => "ознака је већ дата другом средству",
        "err-ip-taken" => "IP адресу већ има друго активно средство",
        "err-hostname" => "име рачунара: само латинична слова, цифре, цртица и тачка",
        "err-mac" => "MAC адреса у облику AA:BB:CC:DD:EE:FF",
        "err-ip" => "IPv4 адреса у облику 10.0.0.25",
        "err-price" => "износ у облику 89.990,00",
        "err-import-kind" => "непозната врста опреме",
        "err-import-duplicate" => "иста вредност је већ у другом реду датотеке",
        "err-import-empty" => "у датотеци нема редова са подацима",
        "err-import-no-inventory-column" => "ниједна колона није инвентарски број",
        "err-import-mapping-duplicate" => "исто поље је изабрано за више колона",
        other => other,
    }
}

/// Returns whether the file is free of errors (and, with `commit`, imported).
pub async fn run(s: &Services, file: &Path, office: Option<i64>, commit: bool) -> anyhow::Result<bool> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let offices = s.store.offices().await?;
    let office = match office {
        Some(id) => offices.iter().find(|o| o.id == id).map(|o| o.id).with_context(|| format!("no office {id}"))?,
        None => offices.first().map(|o| o.id).context("no office yet: run `upravnik admin create` first")?,
    };
    let actor = operator(office);
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let started = std::time::Instant::now();
    let report = match s.import_file(&actor, &name, &bytes, None, commit).await {
        Ok(r) => r,
        Err(upravnik_core::Error::Invalid(errs)) => {
            bail!("{}: {}", file.display(), errs.iter().map(|e| message(e.message)).collect::<Vec<_>>().join(", "))
        }
        Err(e) => return Err(e.into()),
    };
    let p = &report.preview;
    println!("header row {}; columns:", p.header_row);
    for c in &p.columns {
        println!("  {:>3}  {:<30} → {}", c.index + 1, c.header, c.field.map(|f| f.as_str()).unwrap_or("(ignored)"));
    }
    for problem in &p.problems {
        println!("file: {}", message(problem));
    }
    for e in &p.errors {
        let other = e.other_row.map(|r| format!(" (као у реду {r})")).unwrap_or_default();
        let column = if e.column.is_empty() { e.field } else { e.column.as_str() };
        let value = if e.value.is_empty() { String::new() } else { format!(" „{}“", e.value) };
        println!("row {}, {}{value}: {}{other}", e.row, column, message(e.message));
    }
    println!("new {}, changed {}, unchanged {}, with errors {}", p.counts.new, p.counts.changed, p.counts.unchanged, p.counts.invalid);
    match &report.outcome {
        Some(o) => println!(
            "imported: {} created, {} updated, {} unchanged in {:.2} s (work-log entry {})",
            o.created.len(),
            o.updated.len(),
            o.unchanged,
            started.elapsed().as_secs_f64(),
            o.worklog_id
        ),
        None if commit && p.counts.new + p.counts.changed == 0 && p.errors.is_empty() && p.problems.is_empty() => {
            println!("nothing to import")
        }
        None if commit => println!("nothing imported: the file has errors"),
        None => println!("preview only (add --commit to import) in {:.2} s", started.elapsed().as_secs_f64()),
    }
    Ok(p.errors.is_empty() && p.problems.is_empty())
}
