//! Demo data: fills an empty database with the City Administration of Zaječar, its units,
//! workplaces and people, an account for every role, its equipment, and a year of work-log
//! history and fault reports.
//!
//! Deterministic: names come from a fixed-seed LCG, times from a manual clock walked through the
//! working days (Belgrade time) of the last year.

mod reports;

use std::collections::HashSet;

use anyhow::{Context, bail};
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use upravnik_core::access::{Actor, Role};
use upravnik_core::clock::{BELGRADE, Clock, ManualClock, Micros};
use upravnik_core::org::{Person, PersonInput, UnitInput, WorkplaceInput};
use upravnik_core::service::Services;
use upravnik_core::text::search_key;
use upravnik_core::worklog::{Category, ObjectRef};

/// An account the demo opened, with its password, to be printed for the tester.
#[derive(Debug, Clone)]
pub struct DemoUser {
    pub username: String,
    pub password: String,
    /// English name of the account's main role, e.g. `head_of_unit`.
    pub role: &'static str,
    pub full_name: String,
}

/// What the demo wrote.
#[derive(Debug, Clone)]
pub struct DemoReport {
    pub units: usize,
    pub workplaces: usize,
    pub people: usize,
    pub worklog_entries: usize,
    pub assets: usize,
    /// Knowledge-base articles: the Rulebook's instructions to users (R.47–R.51).
    pub kb_articles: usize,
    /// Fault reports of the year (issue 5).
    pub fault_reports: usize,
    pub users: Vec<DemoUser>,
}

const OFFICE: &str = "Градска управа града Зајечара";
const DOMAIN: &str = "zajecar.rs";
const HISTORY_DAYS: i64 = 365;
const DAY_US: Micros = 86_400_000_000;

/// Units: code, name, index (in this list) of the basic unit an internal unit belongs to.
const UNITS: &[(&str, &str, Option<usize>)] = &[
    ("КАБ", "Кабинет градоначелника", None),
    ("ФИН", "Одељење за финансије", None),
    ("БУЏ", "Одсек за буџет", Some(1)),
    ("РАЧ", "Одсек за рачуноводство и трезор", Some(1)),
    ("ОУ", "Одељење за општу управу и заједничке послове", None),
    ("ИКТ", "Одсек за ИКТ", Some(4)),
    ("УЦ", "Услужни центар", Some(4)),
    ("ПИС", "Писарница и архива", Some(4)),
    ("УРБ", "Одељење за урбанизам и имовинско-правне послове", None),
    ("ЛПА", "Одељење за локалну пореску администрацију", None),
    ("ДД", "Одељење за друштвене делатности", None),
    ("ИНС", "Одељење за инспекцијске послове", None),
    ("СКП", "Служба за скупштинске послове", None),
    ("ПРБ", "Градско правобранилаштво", None),
];

/// Workplaces: unit index, title, room, how many ordinary employees hold it (account holders
/// below come on top).
const WORKPLACES: &[(usize, &str, &str, usize)] = &[
    (0, "Шеф Кабинета градоначелника", "канц. 1", 1),
    (0, "Саветник градоначелника", "канц. 2", 2),
    (1, "Начелник Одељења за финансије", "канц. 30", 0),
    (2, "Шеф Одсека за буџет", "канц. 31", 1),
    (2, "Самостални саветник за припрему и извршење буџета", "канц. 32", 4),
    (2, "Саветник за праћење индиректних корисника буџета", "канц. 33", 2),
    (3, "Шеф Одсека за рачуноводство и трезор", "канц. 34", 1),
    (3, "Референт за обрачун зарада", "канц. 35", 3),
    (3, "Ликвидатор", "канц. 36", 5),
    (3, "Књиговођа основних средстава", "канц. 38", 2),
    (4, "Начелник Градске управе", "канц. 10", 0),
    (4, "Начелник Одељења за општу управу и заједничке послове", "канц. 11", 1),
    (4, "Референт за кадровске послове", "канц. 12", 2),
    (4, "Службеник за јавне набавке", "канц. 13", 2),
    (4, "Возач", "гаража", 5),
    (5, "Шеф Одсека за ИКТ", "канц. 14", 0),
    (5, "Систем администратор", "канц. 14", 0),
    (5, "Мрежни администратор", "канц. 15", 0),
    (5, "Администратор базе података", "канц. 15", 1),
    (5, "Веб администратор", "канц. 16", 1),
    (6, "Референт за пријем захтева странака", "шалтер сала", 8),
    (6, "Матичар", "канц. 5", 6),
    (7, "Шеф писарнице", "канц. 7", 1),
    (7, "Референт писарнице", "канц. 7", 5),
    (7, "Архивар", "архива, сутерен", 2),
    (8, "Начелник Одељења за урбанизам и имовинско-правне послове", "канц. 40", 1),
    (8, "Самостални саветник за урбанизам", "канц. 41", 5),
    (8, "Саветник за обједињену процедуру и грађевинске дозволе", "канц. 42", 3),
    (8, "Референт за имовинско-правне послове", "канц. 43", 4),
    (9, "Начелник Одељења за локалну пореску администрацију", "канц. 20", 1),
    (9, "Порески инспектор канцеларијске контроле", "канц. 21", 6),
    (9, "Порески инспектор теренске контроле", "канц. 22", 3),
    (9, "Референт за пореско рачуноводство и наплату", "канц. 23", 3),
    (10, "Начелник Одељења за друштвене делатности", "канц. 50", 1),
    (10, "Саветник за образовање, културу и спорт", "канц. 51", 2),
    (10, "Саветник за социјалну и дечју заштиту", "канц. 52", 3),
    (10, "Референт за борачко-инвалидску заштиту", "канц. 53", 2),
    (11, "Начелник Одељења за инспекцијске послове", "канц. 60", 1),
    (11, "Комунални инспектор", "канц. 61", 8),
    (11, "Грађевински инспектор", "канц. 62", 3),
    (11, "Инспектор за заштиту животне средине", "канц. 63", 2),
    (12, "Секретар Скупштине града", "канц. 70", 1),
    (12, "Самостални саветник за скупштинске послове", "канц. 71", 2),
    (13, "Градски правобранилац", "канц. 80", 1),
    (13, "Заменик градског правобраниоца", "канц. 81", 2),
];

/// A person who gets an account. Passwords avoid the holder's names and birth date (R.18).
struct Holder {
    given: &'static str,
    family: &'static str,
    birth: &'static str,
    /// Title from [`WORKPLACES`]; empty for someone outside the administration.
    workplace: &'static str,
    username: &'static str,
    password: &'static str,
    roles: &'static [Role],
}

/// The first one is the bootstrap administrator.
#[rustfmt::skip]
const HOLDERS: &[Holder] = &[
    Holder { given: "Милан", family: "Стојановић", birth: "1979-06-14", workplace: "Систем администратор", username: "admin", password: "zajecar2026", roles: &[Role::Administrator] },
    Holder { given: "Ненад", family: "Радосављевић", birth: "1986-02-03", workplace: "Мрежни администратор", username: "nradosavljevic", password: "mreza2026", roles: &[Role::Employee, Role::Administrator] },
    Holder { given: "Драгана", family: "Пауновић", birth: "1971-09-22", workplace: "Начелник Градске управе", username: "nacelnik", password: "uprava2026", roles: &[Role::Employee, Role::HeadOfAdministration] },
    Holder { given: "Бојан", family: "Живковић", birth: "1982-11-08", workplace: "Шеф Одсека за ИКТ", username: "sefikt", password: "server2026", roles: &[Role::Employee, Role::HeadOfUnit] },
    Holder { given: "Снежана", family: "Марковић", birth: "1975-03-30", workplace: "Начелник Одељења за финансије", username: "finansije", password: "budzet2026", roles: &[Role::Employee, Role::HeadOfUnit] },
    Holder { given: "Горан", family: "Илић", birth: "1969-12-05", workplace: "", username: "inspektor", password: "provera2026", roles: &[Role::Inspector] },
    Holder { given: "Јелена", family: "Петровић", birth: "1990-07-19", workplace: "Референт за пријем захтева странака", username: "zaposleni", password: "salter2026", roles: &[Role::Employee] },
    Holder { given: "Марија", family: "Николић", birth: "1988-04-12", workplace: "Референт за пореско рачуноводство и наплату", username: "mnikolic", password: "kancelarija7", roles: &[Role::Employee] },
];

/// Names, separated by spaces.
const MALE: &str = "Драган Ненад Бојан Горан Зоран Дејан Милош Иван Александар Небојша Саша Владимир Срђан Марко Душан \
    Бранислав Мирослав Никола Предраг Живојин";
const FEMALE: &str = "Јелена Снежана Ивана Марија Тијана Драгана Весна Биљана Славица Ана Милица Гордана Јасмина Светлана \
    Данијела Маја Наташа Љиљана Катарина Ружица";
const FAMILY: &str = "Петровић Јовановић Николић Ђорђевић Стојановић Илић Живковић Марковић Радосављевић Пауновић \
    Милосављевић Стаменковић Јоцић Миленковић Тодоровић Стефановић Ранђеловић Костић Митић Ђокић \
    Николајевић Пешић Алексић Јанковић Милојевић Симоновић Вељковић Првуловић Цветковић Живановић";

/// What happens on a working day of the history. In `Log` texts `{p}` becomes an employee,
/// who is also the entry's object. The first field picks the administrator (0 or 1).
#[derive(Clone, Copy)]
enum Step {
    Log(usize, Category, &'static str, bool),
    Hire,
    Move,
    Leave,
}

#[rustfmt::skip]
const STEPS: &[Step] = &[
    Step::Log(0, Category::Processing, "Ажурирана база ОПИС-а на нову верзију испоручиоца; проверене пријаве корисника у свим одељењима.", false),
    Step::Log(1, Category::SecurityMeasure, "Ажуриране антивирусне дефиниције на серверу; дистрибуција на радне станице прошла без грешке.", false),
    Step::Log(0, Category::Intervention, "Замењен тонер на штампачу у канц. 14.", false),
    Step::Hire,
    Step::Log(1, Category::Outage, "Нестанак струје 40 минута, сервери на UPS-у; по повратку напајања проверен рад свих сервиса.", false),
    Step::Log(0, Category::DataMedia, "Коришћен екстерни диск (инв. бр. 0457) за пренос пројектне документације Одељења за урбанизам; диск претходно скениран антивирусом.", false),
    Step::Log(0, Category::Intervention, "Радна станица не подиже систем (корисник: {p}); замењено напајање, сачињен радни налог.", false),
    Step::Log(1, Category::Misuse, "На радној станици затечен приватни 4G модем (корисник: {p}); приступ прекинут, обавештени руководилац и начелник Градске управе.", false),
    Step::Move,
    Step::Log(0, Category::Recovery, "На захтев шефа Одсека за буџет враћен обрисани фолдер из дневне архиве.", false),
    Step::Log(1, Category::SecurityMeasure, "Инсталиране безбедносне закрпе на контролеру домена и поштанском серверу; рестарт ван радног времена.", false),
    Step::Log(0, Category::Processing, "Покренут обрачун зарада у програму за зараде; пре обраде направљена резервна копија базе.", false),
    Step::Log(0, Category::PolicyBreach, "Службени документи чувани на локалном диску супротно правилнику (корисник: {p}); фајлови пребачени на мрежни диск, корисник упозорен.", false),
    Step::Log(1, Category::Intervention, "Подешен мрежни скенер у Услужном центру; пробно скенирање у заједнички фолдер успешно.", false),
    Step::Log(0, Category::CopyRenewal, "Обновљена трећа, засебно обезбеђена копија система са тајним подацима; медијум предат у касу Кабинета градоначелника.", true),
    Step::Leave,
    Step::Log(1, Category::Outage, "Отказ свича у канц. 21 (ЛПА); осам радних станица без мреже око два сата. Свич замењен резервним.", false),
    Step::Log(0, Category::Intervention, "Инсталиран Paragraf Lex на радној станици (корисник: {p}) по одобрењу начелника Градске управе.", false),
    Step::Log(1, Category::SecurityMeasure, "На прокси серверу блокиране категорије игара и друштвених мрежа за Одељење за локалну пореску администрацију.", false),
    Step::Log(0, Category::DataMedia, "Примљен USB уређај од Републичког геодетског завода са пропратним актом; скениран, подаци пребачени на мрежни диск.", false),
    Step::Log(0, Category::Recovery, "Поново подигнут апликативни сервер после отказа напајања; провера интегритета базе без грешака.", false),
    Step::Hire,
    Step::Log(1, Category::Outage, "Прекид интернет везе код провајдера од 10:05 до 11:20; квар пријављен, е-пошта из реда чекања испоручена.", false),
    Step::Log(0, Category::PolicyBreach, "Лозинка записана на папиру залепљеном на монитор (корисник: {p}); лозинка промењена, обавештен руководилац.", false),
    Step::Log(1, Category::SecurityMeasure, "Промењене лозинке приступа систему са тајним подацима; записник предат начелнику Градске управе.", true),
    Step::Log(0, Category::Processing, "Ажурирани шифарници буџетске класификације у програму за буџет за наредну фискалну годину.", false),
    Step::Move,
    Step::Log(0, Category::Intervention, "Замењени тастатура и миш из магацина потрошног материјала (корисник: {p}).", false),
    Step::Log(1, Category::Misuse, "Утврђено преузимање филмова преко интернета (корисник: {p}); приступ ограничен, обавештен руководилац.", false),
    Step::Log(0, Category::DataMedia, "Тонски запис седнице Скупштине града снимљен на два DVD диска за архиву Службе за скупштинске послове.", false),
    Step::Log(0, Category::Recovery, "Враћена поштанска сандучад Одељења за финансије из резервне копије после грешке на серверу е-поште.", false),
    Step::Log(1, Category::Intervention, "Постављен нови свич у серверској соби и преповезани каблови Одељења за инспекцијске послове.", false),
    Step::Hire,
    Step::Log(0, Category::SecurityMeasure, "Проверено да су све радне станице на централном антивирусу; две станице без агента поново прикључене.", false),
    Step::Log(0, Category::Processing, "Пренети подаци из апликације ЛПА у централни регистар; обрађено 1.240 решења.", false),
    Step::Log(1, Category::Intervention, "Радна станица ST 28 послата у овлашћени сервис (неисправна матична плоча); сачињен записник о примопредаји.", false),
    Step::Leave,
    Step::Log(0, Category::PolicyBreach, "Нелиценцирани програм затечен на радној станици (корисник: {p}); уклоњен без упозорења према правилнику.", false),
    Step::Log(1, Category::Recovery, "Радна станица ST 28 враћена из сервиса са новом матичном плочом, гаранција 12 месеци; подаци враћени са мрежног диска.", false),
    Step::Move,
    Step::Log(0, Category::Intervention, "Одржана обука запослених Услужног центра за рад у новој верзији ОПИС-а.", false),
    Step::Log(1, Category::SecurityMeasure, "Прегледани записи фајервола за протекли месец; значајних инцидената није било.", false),
    Step::Log(0, Category::Processing, "Израђен месечни извештај о раду и ефикасности службеника из ОПИС-а.", false),
    Step::Log(0, Category::Intervention, "Замењен тонер на штампачу у канц. 62.", false),
];

const ARCHIVE_CHECK: &str =
    "Проверени извештаји дневног архивирања за претходну недељу: све архиве урађене у последњих 30 минута радног времена.";
const ARCHIVE_CHECK_REPEATED: &str =
    "Проверени извештаји дневног архивирања за претходну недељу; архива од четвртка поновљена у 15:40 због заузетости мрежног диска.";

/// Fills a new database; fails if an administrator already exists.
pub async fn fill(services: &Services, clock: &ManualClock) -> anyhow::Result<DemoReport> {
    if !services.needs_setup().await? {
        bail!("the database is not empty: demo fills only a new database");
    }
    let mut d = Demo {
        services,
        tl: Timeline::new(clock, jiff::Timestamp::now().as_microsecond())?,
        rng: Lcg(0x5a41_4543_4152),
        used: HOLDERS.iter().map(|h| email(h.given, h.family)).collect(),
        staff: Vec::new(),
        places: Vec::new(),
        people: 1,
    };
    let boss = HOLDERS.first().context("no administrator in the demo data")?;
    d.tl.at(0, 8, 10)?;
    let account = services.bootstrap_admin(OFFICE, boss.username, &format!("{} {}", boss.given, boss.family), boss.password).await?;
    let admin = services.store.actor(account.user_id).await?;

    let mut unit_ids: Vec<i64> = Vec::new();
    for &(code, name, parent) in UNITS {
        d.tl.work(3 + d.rng.below(6))?;
        let input = UnitInput { parent_id: parent.and_then(|i| unit_ids.get(i).copied()), name: name.into(), code: code.into() };
        unit_ids.push(services.create_unit(&admin, input).await?.id);
    }
    for &(unit, name, room, _) in WORKPLACES {
        d.tl.work(2 + d.rng.below(5))?;
        let unit_id = *unit_ids.get(unit).context("workplace of an unknown unit")?;
        let input = WorkplaceInput { unit_id, name: name.into(), room: room.into() };
        d.places.push((unit_id, services.create_workplace(&admin, input).await?.id));
    }

    // The administrator places himself, then enters the account holders and everyone else.
    d.tl.work(10)?;
    let input = d.holder_input(boss);
    services.update_person(&admin, account.person_id, input).await?;
    let mut holders = Vec::new();
    for h in HOLDERS.iter().skip(1) {
        d.tl.work(5 + d.rng.below(8))?;
        let input = d.holder_input(h);
        holders.push((h, services.create_person(&admin, input).await?.id));
        d.people += 1;
    }
    for (i, &(_, _, _, count)) in WORKPLACES.iter().enumerate() {
        for _ in 0..count {
            d.tl.work(6 + d.rng.below(10))?;
            let place = d.places.get(i).copied();
            d.hire(&admin, place).await?;
        }
    }

    // Accounts on the next morning, as the signed requests (R.19) come back.
    let next = d.tl.day + 1;
    d.tl.at(next, 9, 5)?;
    let mut admins = vec![admin.clone()];
    let mut users = vec![demo_user(boss)];
    // Employees with an account of their own report their faults on the web form.
    let mut own = std::collections::HashMap::new();
    let mut heads: Vec<Actor> = vec![];
    let mut chief: Option<Actor> = None;
    for (h, person_id) in holders {
        d.tl.work(15 + d.rng.below(25))?;
        let acc = services.create_account(&admin, person_id, h.username, h.password, h.roles.to_vec()).await?;
        if h.roles.contains(&Role::Administrator) {
            admins.push(services.store.actor(acc.user_id).await?);
        }
        if h.roles == [Role::Employee] {
            own.insert(person_id, services.store.actor(acc.user_id).await?);
        }
        if h.roles.contains(&Role::HeadOfUnit) {
            heads.push(services.store.actor(acc.user_id).await?);
        }
        if h.roles.contains(&Role::HeadOfAdministration) {
            chief = Some(services.store.actor(acc.user_id).await?);
        }
        users.push(demo_user(h));
    }

    // The rules of work (R.19, Prilog 3): published, accepted online by the administrators,
    // the signed paper statements of most employees recorded; a few are still missing, and the
    // demo employee `zaposleni` is asked at her first sign-in.
    d.tl.work(20)?;
    let rules = upravnik_core::rules::RulesInput {
        title: upravnik_core::rules::DEFAULT_TITLE.into(),
        body: upravnik_core::rules::DEFAULT_BODY.into(),
    };
    let version = services.publish_rules(&admin, &rules).await?.version;
    for a in &admins {
        services.accept_rules(a, version).await?;
    }
    let signed: Vec<i64> = d.staff.iter().enumerate().filter(|(i, _)| i % 12 != 5).map(|(_, p)| p.id).collect();
    for person_id in signed {
        d.tl.work(1)?;
        services.record_paper_acceptance(&admin, &upravnik_core::rules::PaperInput { person_id, signed_on: String::new() }).await?;
    }

    // The catalogue of applications and their roles (R.17, P.5.1).
    d.tl.work(15)?;
    services.add_standard_applications(&admin).await?;
    d.account_requests(&admin, &heads).await?;

    // The registry is entered in the first days; the employees report faults from then on.
    let next = d.tl.day + 1;
    d.tl.at(next, 7, 45)?;
    let registered = crate::demo_equipment::register(services, &admin, clock).await?;
    crate::demo_software::catalogue(services, &admin, clock).await?;
    let requester = registered.assigned.iter().find_map(|(a, p)| own.get(p).map(|who| (who.clone(), *a)));
    crate::demo_software::internet(services, &admin, chief.as_ref(), requester, clock).await?;
    let who = reports::Reporters { desks: registered.assigned.iter().map(|&(a, p)| (p, a)).collect(), own };
    let cutoff = d.tl.stamp(d.tl.days.len().saturating_sub(3), 12, 0)?;
    let mut desk = reports::Desk::new(registered.changed_later(), cutoff);

    // The history: STEPS spread evenly, the weekly archive check on Mondays and the renewal of
    // the copy in the registry-office safe (R.66) on Fridays, and the fault reports.
    let first = d.tl.day + 1;
    let span = d.tl.days.len().saturating_sub(first).max(1);
    let mut steps = STEPS.iter().enumerate().peekable();
    let (mut week, mut renewal) = (0u32, 0u32);
    for day in first..first + span {
        let weekday = d.tl.weekday(day);
        desk.open_day(&mut d, day, &admins, &who).await?;
        let until = d.tl.stamp(day, 7, 40)?;
        desk.run_until(&mut d, until, &admins).await?;
        d.tl.at(day, 7, 40 + d.rng.below(15))?;
        if weekday == Some(Weekday::Monday) {
            week += 1;
            let text = if week % 4 == 3 { ARCHIVE_CHECK_REPEATED } else { ARCHIVE_CHECK };
            services.add_worklog_entry(&admin, Category::Processing, None, text, false).await?;
        }
        while let Some((_, &step)) = steps.next_if(|(j, _)| first + j * span / STEPS.len() <= day) {
            let until = d.tl.stamp(day, 8, 20)?;
            desk.run_until(&mut d, until, &admins).await?;
            d.tl.at(day, 8, 20 + d.rng.below(30))?;
            d.tl.later(10 + d.rng.below(90));
            d.step(&admins, step).await?;
        }
        let until = d.tl.stamp(day, 14, 40)?;
        desk.run_until(&mut d, until, &admins).await?;
        if weekday == Some(Weekday::Friday) {
            renewal += 1;
            d.tl.at(day, 14, 40 + d.rng.below(15))?;
            let second = admins.get(1).unwrap_or(&admin);
            let text =
                format!("Обновљена копија података и програма у сефу писарнице; предаја уписана у књигу чувања под ред. бр. {renewal}.");
            services.add_worklog_entry(second, Category::CopyRenewal, None, &text, false).await?;
        }
    }
    let end = d.tl.end;
    desk.run_until(&mut d, end, &admins).await?;
    clock.set(clock.now_us().max(d.tl.now()));
    crate::demo_equipment::recent(services, &admin, clock, &registered).await?;
    let assets = registered.count;
    crate::demo_consumables::fill(services, &admin, clock).await?;
    // The knowledge base the employees are pointed to before they report a fault.
    clock.advance_secs(15 * 60);
    let kb_articles = services.add_rulebook_articles(&admin).await?.len();
    clock.set(jiff::Timestamp::now().as_microsecond().max(clock.now_us()));
    // The security register and today's incident, at the demo's "now" (their deadlines are live).
    crate::demo_security::register(services, &admin, clock).await?;
    crate::demo_compliance::fill(services, &admin, chief.as_ref(), clock).await?;
    crate::demo_shares::fill(services, &admin, clock).await?;

    let entries: i64 = services.store.chain_heads().await?.iter().map(|h| h.seq).sum();
    Ok(DemoReport {
        units: UNITS.len(),
        workplaces: WORKPLACES.len(),
        people: d.people,
        worklog_entries: usize::try_from(entries)?,
        assets,
        kb_articles,
        fault_reports: desk.created,
        users,
    })
}

fn demo_user(h: &Holder) -> DemoUser {
    DemoUser {
        username: h.username.into(),
        password: h.password.into(),
        role: h.roles.iter().max().map_or("employee", |r| r.as_str()),
        full_name: format!("{} {}", h.given, h.family),
    }
}

fn email(given: &str, family: &str) -> String {
    format!("{}.{}@{DOMAIN}", search_key(given), search_key(family))
}

/// The person's data as they are, placed at another workplace.
fn moved_input(p: &Person, place: Option<(i64, i64)>) -> PersonInput {
    PersonInput {
        given_name: p.given_name.clone(),
        family_name: p.family_name.clone(),
        birth_date: p.birth_date.clone().unwrap_or_default(),
        email: p.email.clone(),
        phone: p.phone.clone(),
        unit_id: place.map(|w| w.0),
        workplace_id: place.map(|w| w.1),
    }
}

/// The state of one demo run.
struct Demo<'a> {
    services: &'a Services,
    tl: Timeline<'a>,
    rng: Lcg,
    /// E-mail addresses taken, so no two people share a name.
    used: HashSet<String>,
    /// Ordinary employees still working, for moves, departures and `{p}` in entries.
    staff: Vec<Person>,
    /// (unit id, workplace id) for each of [`WORKPLACES`].
    places: Vec<(i64, i64)>,
    people: usize,
}

impl Demo<'_> {
    fn place_of(&self, title: &str) -> Option<(i64, i64)> {
        WORKPLACES.iter().position(|w| w.1 == title).and_then(|i| self.places.get(i).copied())
    }

    fn holder_input(&mut self, h: &Holder) -> PersonInput {
        let place = self.place_of(h.workplace);
        let email = if place.is_some() { email(h.given, h.family) } else { String::new() };
        self.input(h.given, h.family, h.birth.into(), email, place)
    }

    /// A new person's data, with a Zaječar (019) office phone.
    fn input(&mut self, given: &str, family: &str, birth_date: String, email: String, place: Option<(i64, i64)>) -> PersonInput {
        let phone = format!("019/42{}-{:03}", self.rng.below(10), self.rng.below(1000));
        let (given_name, family_name) = (given.to_string(), family.to_string());
        let (unit_id, workplace_id) = (place.map(|w| w.0), place.map(|w| w.1));
        PersonInput { given_name, family_name, birth_date, email, phone, unit_id, workplace_id }
    }

    /// Enters a new ordinary employee with a name not used yet.
    async fn hire(&mut self, admin: &Actor, place: Option<(i64, i64)>) -> anyhow::Result<()> {
        let mut tries = 0;
        let (given, family, email) = loop {
            let names = if self.rng.below(2) == 0 { FEMALE } else { MALE };
            let given = self.rng.pick(names);
            let family = self.rng.pick(FAMILY);
            let mut email = email(given, family);
            if tries > 50 {
                email = email.replacen('@', &format!("{tries}@"), 1);
            }
            tries += 1;
            if self.used.insert(email.clone()) {
                break (given, family, email);
            }
        };
        let (year, month, day) = (1964 + self.rng.below(36), 1 + self.rng.below(12), 1 + self.rng.below(28));
        let input = self.input(given, family, format!("{year}-{month:02}-{day:02}"), email, place);
        self.staff.push(self.services.create_person(admin, input).await?);
        self.people += 1;
        Ok(())
    }

    /// Account requests in every state (R.19, Prilog 2): the heads of unit file them for their
    /// people; the administrator carries most out, refuses one, and leaves the newest waiting.
    async fn account_requests(&mut self, admin: &Actor, heads: &[Actor]) -> anyhow::Result<()> {
        use upravnik_core::account_requests::{CarryOutInput, ItemInput, RequestInput, suggest_username};
        let mut q = upravnik_core::org::ListQuery::new(admin.office_id);
        q.per_page = 100;
        let apps = self.services.applications(admin, &q).await?.items;
        let pick = |prefix: &str, role: &str| {
            apps.iter().find(|a| a.name.starts_with(prefix)).map(|a| ItemInput { application_id: a.id, role: role.to_string() })
        };
        let items: Vec<ItemInput> =
            [pick("Е-пошта", "корисник"), pick("ОПИС", "обрађивач предмета"), pick("Мрежни", "JAVNO")].into_iter().flatten().collect();
        let mut n = 0;
        for head in heads {
            let people = self.services.requestable_people(head).await?;
            for p in people.iter().filter(|p| p.active && p.id != head.person_id).take(3) {
                self.tl.work(10 + self.rng.below(20))?;
                let input = RequestInput {
                    person_id: p.id,
                    kind: "open".into(),
                    items: items.clone(),
                    internet: n % 2 == 0,
                    social: false,
                    note: String::new(),
                };
                let r = self.services.create_account_request(head, &input).await?;
                self.tl.work(30 + self.rng.below(60))?;
                match n % 5 {
                    3 => {
                        self.services.reject_account_request(admin, r.id, "Запослени је већ имао налог; поднети захтев за измену.").await?;
                    }
                    4 => {}
                    _ => {
                        let username = suggest_username(&p.given_name, &p.family_name);
                        let done =
                            CarryOutInput {
                                username, setup_note: "Налог у домену, ОПИС и пошта подешени.".into(), ..Default::default()
                            };
                        self.services.carry_out_account_request(admin, r.id, &done).await?;
                    }
                }
                n += 1;
            }
        }
        Ok(())
    }

    /// An ordinary workplace (one with staff), at random.
    fn random_place(&mut self) -> Option<(i64, i64)> {
        let open: Vec<usize> = WORKPLACES.iter().enumerate().filter(|(_, w)| w.3 > 0).map(|(i, _)| i).collect();
        let i = open.get(self.rng.below(open.len())).copied()?;
        self.places.get(i).copied()
    }

    async fn step(&mut self, admins: &[Actor], step: Step) -> anyhow::Result<()> {
        let admin = admins.first().context("no administrator")?;
        let i = self.rng.below(self.staff.len());
        let p = self.staff.get(i).cloned().context("no employees to pick from")?;
        match step {
            Step::Log(who, category, text, confidential) => {
                let actor = admins.get(who).unwrap_or(admin);
                let object = text.contains("{p}").then(|| ObjectRef::new("person", p.id, p.full_name()));
                let text = text.replace("{p}", &p.full_name());
                self.services.add_worklog_entry(actor, category, object, &text, confidential).await?;
            }
            Step::Hire => {
                let place = self.random_place();
                self.hire(admin, place).await?;
            }
            Step::Move => {
                let mut place = self.random_place();
                if place.map(|w| w.1) == p.workplace_id {
                    place = self.random_place();
                }
                let moved = self.services.update_person(admin, p.id, moved_input(&p, place)).await?;
                if let Some(slot) = self.staff.get_mut(i) {
                    *slot = moved;
                }
            }
            Step::Leave => {
                self.services.set_person_active(admin, p.id, false).await?;
                self.staff.swap_remove(i);
            }
        }
        Ok(())
    }
}

/// A linear congruential generator (Knuth's MMIX constants): the same demo on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }

    /// A word of a space-separated list.
    fn pick(&mut self, list: &'static str) -> &'static str {
        let n = list.split_whitespace().count();
        list.split_whitespace().nth(self.below(n)).unwrap_or("Ана")
    }
}

/// Walks the demo clock through the working days of the last [`HISTORY_DAYS`] days, Belgrade
/// time, never backwards and never past the real now.
struct Timeline<'a> {
    clock: &'a ManualClock,
    tz: TimeZone,
    /// Working days, oldest first; today is left out.
    days: Vec<Date>,
    /// Index of the current day in `days`.
    day: usize,
    now: Micros,
    end: Micros,
}

impl<'a> Timeline<'a> {
    fn new(clock: &'a ManualClock, end: Micros) -> anyhow::Result<Self> {
        let tz = TimeZone::get(BELGRADE)?;
        let start = end - HISTORY_DAYS * DAY_US;
        let date_of =
            |us: Micros| -> anyhow::Result<Date> { Ok(jiff::Timestamp::from_microsecond(us)?.to_zoned_datetime(tz.clone()).date()) };
        let (mut d, today) = (date_of(start)?, date_of(end)?);
        let mut days = Vec::new();
        while d < today {
            if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
                days.push(d);
            }
            d = d.tomorrow()?;
        }
        if days.is_empty() {
            days.push(today);
        }
        let mut tl = Self { clock, tz, days, day: 0, now: start, end };
        // Begin at midnight of the first working day, so its morning is still ahead.
        tl.now = tl.stamp(0, 0, 0)?.min(end);
        clock.set(tl.now);
        Ok(tl)
    }

    fn weekday(&self, day: usize) -> Option<Weekday> {
        self.days.get(day).map(|d| d.weekday())
    }

    fn stamp(&self, day: usize, hour: usize, minute: usize) -> anyhow::Result<Micros> {
        let date = *self.days.get(day).context("no working day")?;
        self.stamp_of(date, hour, minute)
    }

    fn stamp_of(&self, date: Date, hour: usize, minute: usize) -> anyhow::Result<Micros> {
        let time = Time::new(i8::try_from(hour)?, i8::try_from(minute)?, 0, 0)?;
        Ok(date.to_datetime(time).to_zoned_datetime(self.tz.clone())?.timestamp().as_microsecond())
    }

    /// Moves to `hour:minute` on working day `day` (the last one if beyond), unless that has passed.
    fn at(&mut self, day: usize, hour: usize, minute: usize) -> anyhow::Result<()> {
        self.day = day.min(self.days.len().saturating_sub(1));
        let us = self.stamp(self.day, hour, minute)?;
        self.set(us);
        Ok(())
    }

    fn later(&mut self, minutes: usize) {
        self.set(self.now + i64::try_from(minutes).unwrap_or(0) * 60_000_000);
    }

    /// A task of `minutes` in working hours: past 15:30 it continues the next working morning.
    fn work(&mut self, minutes: usize) -> anyhow::Result<()> {
        self.later(minutes);
        if self.now > self.stamp(self.day, 15, 30)? {
            self.at(self.day + 1, 7, 30 + minutes % 25)?;
        }
        Ok(())
    }

    /// Never before what the clock already shows: other parts of the demo move it too.
    fn set(&mut self, us: Micros) {
        self.now = us.max(self.now).max(self.clock.now_us()).min(self.end);
        self.clock.set(self.now);
    }

    fn now(&self) -> Micros {
        self.now.max(self.clock.now_us())
    }

    /// `minutes` of working time (07:30–15:30 on working days) after `from`; far in the future
    /// when that falls past the last day.
    fn after(&self, from: Micros, minutes: usize) -> anyhow::Result<Micros> {
        let never = Micros::MAX / 4;
        let mut left = i64::try_from(minutes)? * 60_000_000;
        let mut day = self.days.iter().position(|d| self.stamp_of(*d, 23, 59).is_ok_and(|t| t >= from)).unwrap_or(self.days.len());
        let mut cursor = from;
        while day < self.days.len() {
            let (open, close) = (self.stamp(day, 7, 30)?, self.stamp(day, 15, 30)?);
            cursor = cursor.max(open);
            let room = (close - cursor).max(0);
            if left <= room {
                return Ok(cursor + left);
            }
            left -= room;
            day += 1;
        }
        Ok(never)
    }
}
