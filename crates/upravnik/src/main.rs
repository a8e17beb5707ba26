//! `upravnik`: the whole product in one binary — the server and the administrator's commands.

/// Rust's allocations go to mimalloc rather than glibc's malloc: glibc keeps what a thread frees in
/// that thread's arena, and under a long mixed load the server's resident memory rose without
/// levelling off (+27 MB in an hour, all of it in the arenas; with mimalloc it holds still after
/// the warm-up — BENCHMARKS.md, fifth window). SQLite's own memory stays with the C library.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod backup;
mod config;
mod config_file;
mod demo;
mod demo_compliance;
mod demo_consumables;
mod demo_equipment;
mod demo_security;
mod demo_shares;
mod demo_software;
mod directory;
mod generate;
mod import;
mod mail;
mod shares;
mod shares_fix;

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use config::{DataOpts, Resolved};
use upravnik_core::clock::{Clock, ManualClock, SystemClock};
use upravnik_core::service::Services;
use upravnik_storage::{Backend, SqlStore};

#[derive(Parser)]
#[command(
    name = "upravnik",
    version,
    about = "Upravnik — the IT department of a local government (Управник — ИКТ служба локалне самоуправе)"
)]
struct Cli {
    #[command(flatten)]
    data: DataOpts,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web UI and the API
    Serve {
        /// Address to listen on [default: 127.0.0.1:8080]
        #[arg(long, env = "UPRAVNIK_LISTEN")]
        listen: Option<String>,
    },
    /// Apply database migrations (needed for PostgreSQL; SQLite migrates on start)
    Migrate,
    /// Administrator accounts
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Fill an empty database with a realistic city administration to try things out
    Demo,
    /// Local governments served by this installation (a city and its municipalities, or tenants)
    Office {
        #[command(subcommand)]
        command: OfficeCommand,
    },
    /// The equipment registry (R.3–R.13)
    Assets {
        #[command(subcommand)]
        command: AssetsCommand,
    },
    /// The work log (Dnevnik rada, R.20)
    Worklog {
        #[command(subcommand)]
        command: WorklogCommand,
    },
    /// The helpdesk's e-mail: read the mailbox, send the outbox (configured in `[mail]`)
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Licensed software (R.29–R.30): recompute compliance and say how long it took
    Software {
        #[command(subcommand)]
        command: SoftwareCommand,
    },
    /// The office's LDAP / Active Directory (configured in `[directory]`)
    Directory {
        #[command(subcommand)]
        command: DirectoryCommand,
    },
    /// Back up the whole product while it runs (R.22, R.66): one archive with a manifest of
    /// checksums; `backup verify ARCHIVE` restores it into a scratch place and checks it
    Backup {
        /// Directory for the archive [default: <data-dir>/backups]
        #[arg(long)]
        to: Option<PathBuf>,
        #[command(subcommand)]
        command: Option<BackupCommand>,
    },
    /// Restore an archive into an empty data directory (SQLite) or an empty PostgreSQL database
    Restore {
        /// The archive (`upravnik-….zip`)
        #[arg(long)]
        from: PathBuf,
    },
    /// Fill the database with generated data for benchmarks (deterministic from the seed):
    /// `--scale city|large|national` for a whole office (or 170), or one kind of data
    #[command(args_conflicts_with_subcommands = true)]
    Generate {
        /// A whole office at a realistic size: city (1,500 employees, 2,000 assets, a year of
        /// reports and work log), large (100,000 assets, 1,000,000 log entries, 100,000 reports),
        /// national (170 city-sized offices, PostgreSQL)
        #[arg(long, value_enum)]
        scale: Option<generate::Scale>,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// How many offices the national scale makes (170 by default)
        #[arg(long)]
        offices: Option<usize>,
        #[command(subcommand)]
        command: Option<GenerateCommand>,
    },
    /// Documents on the network shares (R.38–R.46)
    Shares {
        #[command(subcommand)]
        command: SharesCommand,
    },
}

/// The document rules an office may change (the rulebook's by default).
#[derive(clap::Args, Clone)]
struct RuleArgs {
    /// The longest path allowed from the root, in characters (R.42)
    #[arg(long, default_value_t = 220)]
    max_path: usize,
    /// Do not check the unit / employee / JAVNO|PRIVATNO layout (R.39–R.41)
    #[arg(long)]
    no_layout: bool,
    /// Extensions of private files, comma-separated, replacing the default list (music, films, disk images)
    #[arg(long, value_delimiter = ',')]
    private_ext: Option<Vec<String>>,
    /// The names of the public and private folders under each employee's [JAVNO, PRIVATNO]
    #[arg(long)]
    public_dir: Option<String>,
    #[arg(long)]
    private_dir: Option<String>,
}

impl RuleArgs {
    fn rules(&self) -> upravnik_core::shares::Rules {
        let r = self.clone();
        upravnik_core::shares::Rules::custom(Some(r.max_path), Some(!r.no_layout), r.private_ext, r.public_dir, r.private_dir)
    }
}

#[derive(Subcommand)]
enum SharesCommand {
    /// Check every file and folder of a share against the naming and storage rules (R.39–R.42,
    /// R.22, R.40, R.61.7) and propose compliant names
    Scan {
        /// The share's root (a mounted SMB share or any folder)
        path: PathBuf,
        #[command(flatten)]
        rules: RuleArgs,
        /// Write the report as JSON
        #[arg(long)]
        json: bool,
        /// Keep the scan in Upravnik under this share name (its pages, trend and notices)
        #[arg(long)]
        record: Option<String>,
        /// The account the scan is recorded as [default: the first active administrator]
        #[arg(long)]
        username: Option<String>,
    },
    /// Write the rename plan that brings names into line (R.46); with --apply, carry it out
    Fix {
        path: PathBuf,
        /// The plan file: written, or with --apply read
        #[arg(long)]
        plan: PathBuf,
        /// Carry the plan out, journalling every rename (resumes an interrupted run)
        #[arg(long)]
        apply: bool,
        /// The journal [default: the plan's name + .journal]
        #[arg(long)]
        journal: Option<PathBuf>,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Put back everything a journal renamed, newest first
    Undo { journal: PathBuf },
}

#[derive(Subcommand)]
enum BackupCommand {
    /// Another backup job of the office reports a run (R.20): it shows with the day's archiving
    Report {
        /// The job's name, e.g. "Фајл сервер"
        #[arg(long)]
        job: String,
        /// When it started and finished: RFC 3339 or Belgrade time ("30.11.2026. 15:02")
        #[arg(long)]
        start: String,
        #[arg(long)]
        end: String,
        /// ok or failed
        #[arg(long)]
        result: String,
        #[arg(long)]
        size: Option<i64>,
        #[arg(long, default_value = "")]
        detail: String,
        /// The account it is recorded for (an administrator) [default: the first administrator]
        #[arg(long)]
        username: Option<String>,
    },
    /// Restore an archive into a scratch place and check checksums, rows and work-log chains
    Verify {
        archive: PathBuf,
        /// PostgreSQL archives: a server where a scratch database may be created [default: --database-url]
        #[arg(long)]
        scratch_url: Option<String>,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an administrator (the first one on a new installation)
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        full_name: String,
        /// Read the password from standard input (never from the command line)
        #[arg(long, required = true)]
        password_stdin: bool,
        /// The office (see `upravnik office list`); the first one by default
        #[arg(long)]
        office: Option<i64>,
    },
    /// Let an account see and work in another office as well
    GrantOffice {
        #[arg(long)]
        username: String,
        #[arg(long)]
        office: i64,
    },
}

#[derive(Subcommand)]
enum MailCommand {
    /// One pass over the mailbox: each unread message becomes a report or a comment
    Fetch,
    /// Send the notices due in the outbox
    Send,
}

#[derive(Subcommand)]
enum SoftwareCommand {
    /// Recompute compliance for the whole office (or one workstation) and print the time taken
    Recompute {
        /// One workstation's asset id
        #[arg(long)]
        asset: Option<i64>,
        /// The office (see `upravnik office list`); the first one by default
        #[arg(long)]
        office: Option<i64>,
        /// Recompute this many workstations one after another in this process and print the
        /// median and 95th percentile (the benchmark of issue 7)
        #[arg(long)]
        sample: Option<i64>,
    },
}

#[derive(Subcommand)]
enum DirectoryCommand {
    /// Bind with the service account and count the people it reads
    Check,
    /// Bring people, units and roles in line with the directory now
    Sync,
}

#[derive(Subcommand)]
enum OfficeCommand {
    /// Add a local government; then `admin create --office ID` gives it its first administrator
    Create {
        #[arg(long)]
        name: String,
    },
    /// List the offices with their ids
    List,
}

#[derive(Subcommand)]
enum GenerateCommand {
    /// Employees at their workplaces, an equipment park and its history, for benchmarks (issue 3)
    Assets {
        #[arg(long, default_value_t = 3_000)]
        people: usize,
        #[arg(long, default_value_t = 100_000)]
        count: usize,
        #[arg(long, default_value_t = 2_000_000)]
        history: usize,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Programs on every workstation and a catalogue with licences, for the software compliance
    /// benchmark (issue 7); run `generate assets` first for the workstations
    Software {
        #[arg(long, default_value_t = 300)]
        programs: usize,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// A year of fault reports with their steps, for the helpdesk benchmark (issue 5); adds 300
    /// employees with devices first if the office has fewer than 50
    Reports {
        #[arg(long, default_value_t = 100_000)]
        count: usize,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum AssetsCommand {
    /// Check an existing register (CSV or XLSX) and print the preview; with --commit, import it
    /// (all rows or none; rows already in the register unchanged are left alone)
    Import {
        /// The file to import
        file: std::path::PathBuf,
        /// The office (see `upravnik office list`); the first one by default
        #[arg(long)]
        office: Option<i64>,
        /// Import when the file has no errors (otherwise only the preview is printed)
        #[arg(long)]
        commit: bool,
    },
}

#[derive(Subcommand)]
enum WorklogCommand {
    /// Walk every hash chain; exit 1 naming the first entry changed, deleted, inserted or reordered
    Verify,
    /// Append generated entries, for benchmarks (the chain stays valid)
    Generate {
        #[arg(long, default_value_t = 1_000_000)]
        count: u64,
    },
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("UPRAVNIK_LOG").unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let b = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        b.json().init();
    } else {
        b.init();
    }
}

/// Opens the database; SQLite is migrated on open, PostgreSQL must already be (`upravnik migrate`).
async fn open(cfg: &Resolved, migrate: bool) -> anyhow::Result<SqlStore> {
    let store = SqlStore::connect(&cfg.database_url).await?;
    if store.backend() == Backend::Sqlite || migrate {
        store.migrate().await?;
    } else if store.pending_migrations().await? > 0 {
        bail!("the PostgreSQL database is not migrated: run `upravnik migrate --database-url …` first");
    }
    Ok(store)
}

/// The services over the store, with the directory when `[directory]` names one.
async fn services(store: SqlStore, clock: Arc<dyn Clock>, cfg: &Resolved) -> anyhow::Result<Services> {
    let s = Services::new(Arc::new(store), clock, cfg.policy());
    let link = match directory::DirectorySetup::from_config(cfg.file.directory.as_ref())? {
        Some(setup) => setup.link(&s).await?,
        None => None,
    };
    Ok(s.with_directory(link))
}

/// The share commands that touch no database: they need no data directory either.
fn shares_offline(command: SharesCommand) -> anyhow::Result<()> {
    match command {
        SharesCommand::Scan { path, rules, json, .. } => {
            shares::run(&path, &rules.rules(), json)?;
        }
        SharesCommand::Fix { path, plan, apply: false, rules, .. } => {
            let report = shares::scan(&path, &rules.rules(), usize::MAX, &mut |_, _| {});
            let p = shares_fix::plan(&path, &report)?;
            std::fs::write(&plan, serde_json::to_vec_pretty(&p)?)?;
            println!("{} renames planned in {}; carry them out with --apply", p.renames.len(), plan.display());
        }
        SharesCommand::Fix { path, plan, apply: true, journal, .. } => {
            let p: shares_fix::Plan = serde_json::from_slice(&std::fs::read(&plan)?)?;
            let journal = journal.unwrap_or_else(|| PathBuf::from(format!("{}.journal", plan.display())));
            let out = shares_fix::apply(&path, &p, &journal)?;
            println!("{} renamed, {} done before; journal {}", out.done, out.skipped, journal.display());
        }
        SharesCommand::Undo { journal } => {
            let out = shares_fix::undo(&journal)?;
            println!("{} put back, {} already back", out.done, out.skipped);
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::Shares { command } = cli.command {
        if let SharesCommand::Scan { record: None, .. } | SharesCommand::Fix { .. } | SharesCommand::Undo { .. } = command {
            init_logging(false);
            return shares_offline(command);
        }
        return online(Cli { command: Command::Shares { command }, ..cli }).await;
    }
    online(cli).await
}

async fn online(cli: Cli) -> anyhow::Result<()> {
    let cfg = Resolved::from(&cli.data)?;
    init_logging(cfg.file.log_format.as_deref() == Some("json"));
    match cli.command {
        Command::Serve { listen } => serve(&cfg, listen).await,
        Command::Backup { to, command: None } => {
            let store = open(&cfg, false).await?;
            let to = to.unwrap_or_else(|| cfg.backup_dir());
            let started = std::time::Instant::now();
            let s = services(store.clone(), Arc::new(SystemClock), &cfg).await?;
            let made = backup::run_and_record(&s, &store, &cfg.database_url, &cfg.data_dir, &to, None).await?;
            println!(
                "{} ({} bytes, {}) in {} ms",
                made.path.display(),
                made.bytes,
                backup::summary(&made.manifest.tables),
                started.elapsed().as_millis()
            );
            Ok(())
        }
        Command::Backup { command: Some(BackupCommand::Verify { archive, scratch_url }), .. } => {
            let started = std::time::Instant::now();
            let scratch = scratch_url.or_else(|| cfg.database_url.starts_with("postgres").then(|| cfg.database_url.clone()));
            let (m, findings) = backup::verify(&archive, scratch.as_deref()).await?;
            if findings.ok() {
                println!(
                    "{}: sound — {} files checked, {}, work log verified ({} ms)",
                    archive.display(),
                    m.entries.len(),
                    backup::summary(&m.tables),
                    started.elapsed().as_millis()
                );
                Ok(())
            } else {
                for p in &findings.problems {
                    println!("{p}");
                }
                println!("{}: NOT sound ({} problem(s))", archive.display(), findings.problems.len());
                std::process::exit(1);
            }
        }
        Command::Backup { command: Some(BackupCommand::Report { job, start, end, result, size, detail, username }), .. } => {
            let s = services(open(&cfg, false).await?, Arc::new(SystemClock), &cfg).await?;
            let actor = s.automation_actor(username.as_deref()).await?;
            let input = upravnik_core::backup::ReportInput { job, started: start, finished: end, result, size_bytes: size, detail };
            match s.report_backup(&actor, &input).await {
                Ok(id) => {
                    println!("run {id} recorded for {}", actor.username);
                    Ok(())
                }
                Err(upravnik_core::Error::Invalid(errs)) => {
                    let list: Vec<String> = errs.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
                    bail!("not recorded: {}", list.join(", "))
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::Restore { from } => {
            let m = backup::restore(&from, &cfg.database_url, &cfg.data_dir).await?;
            println!("restored {} from {} ({}), checked against its manifest", m.backend, m.created, backup::summary(&m.tables));
            Ok(())
        }
        Command::Migrate => {
            let store = SqlStore::connect(&cfg.database_url).await?;
            let n = store.migrate().await?;
            println!("{n} migration(s) applied ({})", store.backend().name());
            Ok(())
        }
        Command::Admin { command: AdminCommand::Create { username, full_name, password_stdin: _, office } } => {
            let mut pw = String::new();
            std::io::stdin().read_to_string(&mut pw).context("cannot read the password from standard input")?;
            let pw = pw.trim_end_matches(['\n', '\r']);
            let s = services(open(&cfg, false).await?, Arc::new(SystemClock), &cfg).await?;
            match s.create_admin(office, &cfg.office_name(), &username, &full_name, pw).await {
                Ok(a) => {
                    println!("administrator {} created (user id {})", a.username, a.user_id);
                    Ok(())
                }
                Err(upravnik_core::Error::Invalid(errs)) => {
                    let list: Vec<String> = errs.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
                    bail!("not created: {}", list.join(", "))
                }
                Err(upravnik_core::Error::Conflict { code, .. }) => bail!("not created: {code}"),
                Err(e) => Err(e.into()),
            }
        }
        Command::Admin { command: AdminCommand::GrantOffice { username, office } } => {
            let s = services(open(&cfg, false).await?, Arc::new(SystemClock), &cfg).await?;
            s.grant_office(&username, office).await?;
            println!("{username} may now work in office {office}");
            Ok(())
        }
        Command::Office { command: OfficeCommand::Create { name } } => {
            let s = services(open(&cfg, false).await?, Arc::new(SystemClock), &cfg).await?;
            let o = s.create_office(&name).await?;
            println!("office {} created: {}", o.id, o.name);
            Ok(())
        }
        Command::Office { command: OfficeCommand::List } => {
            let store = open(&cfg, false).await?;
            for o in upravnik_core::ports::Store::offices(&store).await? {
                println!("{:>4}  {}", o.id, o.name);
            }
            Ok(())
        }
        Command::Demo => {
            let clock = Arc::new(ManualClock::new(jiff::Timestamp::now().as_microsecond()));
            let s = services(open(&cfg, false).await?, clock.clone(), &cfg).await?;
            let r = demo::fill(&s, &clock).await?;
            println!(
                "Demo data written: {} units, {} workplaces, {} employees, {} assets, {} knowledge-base articles, {} fault reports, {} work-log entries.\n\nSign in at http://127.0.0.1:8080/ as:",
                r.units, r.workplaces, r.people, r.assets, r.kb_articles, r.fault_reports, r.worklog_entries
            );
            for u in &r.users {
                println!("  {:<16} {:<14} {:<24} {}", u.username, u.password, u.role, u.full_name);
            }
            Ok(())
        }
        Command::Assets { command: AssetsCommand::Import { file, office, commit } } => {
            let s = services(open(&cfg, false).await?, Arc::new(SystemClock), &cfg).await?;
            if !import::run(&s, &file, office, commit).await? {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Worklog { command: WorklogCommand::Verify } => {
            let s = services(open(&cfg, false).await?, Arc::new(SystemClock), &cfg).await?;
            let report = s.verify_worklog().await?;
            if report.broken.is_empty() {
                println!("work log intact: {} entries checked", report.checked);
                Ok(())
            } else {
                for (office, b) in &report.broken {
                    eprintln!("office {office}: {b}");
                }
                std::process::exit(1);
            }
        }
        Command::Mail { command } => {
            let setup = mail::MailSetup::from_config(cfg.file.mail.as_ref())?;
            let s = services(open(&cfg, false).await?, Arc::new(SystemClock), &cfg).await?;
            match command {
                MailCommand::Fetch => mail::fetch_once(&s, &setup).await,
                MailCommand::Send => mail::send_once(&s, &setup, cfg.file.public_url.as_deref()).await,
            }
        }
        Command::Directory { command } => {
            let s = services(open(&cfg, false).await?, Arc::new(SystemClock), &cfg).await?;
            match command {
                DirectoryCommand::Check => directory::check(&s).await,
                DirectoryCommand::Sync => directory::sync(&s).await,
            }
        }
        Command::Generate { command: Some(GenerateCommand::Assets { people, count, history, seed }), .. } => {
            let store = open(&cfg, false).await?;
            let started = std::time::Instant::now();
            let (_, n) = store.generate_assets(None, people, count, history, seed).await?;
            store.analyze().await?;
            println!("{people} employees, {n} assets and {history} history rows generated in {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Shares { command: SharesCommand::Scan { path, rules, json, record: Some(name), username } } => {
            let report = shares::run(&path, &rules.rules(), json)?;
            let s = services(open(&cfg, false).await?, Arc::new(SystemClock), &cfg).await?;
            let actor = s.automation_actor(username.as_deref()).await?;
            let id = s.record_share_scan(&actor, &name, &report).await?;
            eprintln!("scan {id} of \"{name}\" recorded for {}", actor.username);
            Ok(())
        }
        Command::Shares { command } => shares_offline(command),
        Command::Generate { command: Some(GenerateCommand::Software { programs, seed }), .. } => {
            let store = open(&cfg, false).await?;
            let started = std::time::Instant::now();
            let (ws, n) = store.generate_software(None, programs, seed).await?;
            store.analyze().await?;
            println!("{n} installations on {ws} workstations generated in {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Software { command: SoftwareCommand::Recompute { asset, office, sample } } => {
            let store = open(&cfg, false).await?;
            let s = services(store.clone(), Arc::new(SystemClock), &cfg).await?;
            let office = match office {
                Some(o) => o,
                None => s.store.offices().await?.first().map(|o| o.id).context("no office yet")?,
            };
            if let Some(n) = sample {
                let ids = store.sample_workstations(office, n).await?;
                let mut ms = vec![];
                for id in &ids {
                    let t = std::time::Instant::now();
                    s.recompute_software(office, Some(*id)).await?;
                    ms.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                ms.sort_by(f64::total_cmp);
                let at = |q: f64| ms.get(((ms.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0.0);
                println!("{} workstations one by one: median {:.1} ms, p95 {:.1} ms, max {:.1} ms", ms.len(), at(0.5), at(0.95), at(1.0));
                return Ok(());
            }
            let started = std::time::Instant::now();
            let r = s.recompute_software(office, asset).await?;
            println!(
                "{} installations on {} workstations; {} tasks opened, {} closed; {:.1} ms",
                r.installations,
                r.workstations,
                r.opened,
                r.closed,
                started.elapsed().as_secs_f64() * 1000.0
            );
            Ok(())
        }
        Command::Generate { command: Some(GenerateCommand::Reports { count, seed }), .. } => {
            let store = open(&cfg, false).await?;
            let started = std::time::Instant::now();
            let (_, n) = store.generate_reports(None, count, seed).await?;
            store.analyze().await?;
            println!("{n} fault reports generated in {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Generate { scale: Some(scale), seed, offices, command: None } => {
            let store = open(&cfg, false).await?;
            let started = std::time::Instant::now();
            let done = generate::scale(&store, scale, seed, offices).await?;
            println!("office\temployees\tassets\thistory\tworkstations\tinstallations\treports\twork-log\tseconds");
            for g in &done {
                let z = g.size;
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.1}",
                    g.office, z.people, z.assets, z.history, g.workstations, g.installations, z.reports, z.worklog, g.seconds
                );
            }
            println!("{} office(s) generated at {scale:?} scale in {:.1} s", done.len(), started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Generate { scale: None, command: None, .. } => {
            anyhow::bail!("say what to generate: --scale city|large|national, or a kind (upravnik generate --help)")
        }
        Command::Worklog { command: WorklogCommand::Generate { count } } => {
            let store = open(&cfg, false).await?;
            let n = generate::worklog(&store, count).await?;
            println!("{n} work-log entries appended");
            Ok(())
        }
    }
}

async fn serve(cfg: &Resolved, listen: Option<String>) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let listen = listen.or_else(|| cfg.file.listen.clone()).unwrap_or_else(|| "127.0.0.1:8080".to_string());
    let mail = mail::MailSetup::from_config(cfg.file.mail.as_ref())?;
    let dir = directory::DirectorySetup::from_config(cfg.file.directory.as_ref())?;
    let store = open(cfg, false).await?;
    let s = services(store.clone(), Arc::new(SystemClock), cfg).await?;
    let defaults = upravnik_web::WebConfig::default();
    let web = upravnik_web::WebConfig {
        secure_cookies: cfg.file.secure_cookies.unwrap_or(false),
        body_limit: cfg.file.body_limit_bytes.unwrap_or(defaults.body_limit),
        public_url: cfg.file.public_url.clone().filter(|u| !u.trim().is_empty()),
    };
    let state = upravnik_web::AppState::new(s.clone(), web).map_err(anyhow::Error::msg)?;
    let app = upravnik_web::router(state);
    let listener = tokio::net::TcpListener::bind(&listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    tracing::info!(address = %listener.local_addr()?, database = s.store.backend_name(), data_dir = %cfg.data_dir.display(), ms = started.elapsed().as_millis() as u64, "Upravnik is serving");
    mail::spawn(&s, &mail, cfg.file.public_url.clone());
    directory::spawn(&s, dir.and_then(|d| d.sync_every));
    shares::spawn(&s, cfg.file.shares.clone().unwrap_or_default());
    if let Some(policy) = cfg.backup_policy()? {
        backup::spawn(s.clone(), store, cfg.database_url.clone(), cfg.data_dir.clone(), cfg.backup_dir(), policy);
    }
    tokio::spawn(sweep_sessions(s));
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).with_graceful_shutdown(shutdown()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Expired sessions are removed every ten minutes (any instance may do it; it is idempotent).
async fn sweep_sessions(s: Services) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        tick.tick().await;
        if let Err(e) = s.store.delete_expired_sessions(s.clock.now_us()).await {
            tracing::warn!(error = %e, "session sweep failed");
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
