//! A year of fault reports for the demo (issue 5), so the lists, the late ones and the monthly
//! report on work and efficiency (P.5.1) have something to show.
//!
//! Each report lives through its steps as the demo clock walks the working days: taken, fixed on
//! site or in the ICT office (with a work order, R.52.3, R.53), now and then sent to the
//! authorised service with a hand-over record (R.52.4) and back with a service sheet (R.52.5),
//! resolved, closed. The steps of all reports wait in one queue ordered by time, so the clock
//! (and the work log) only ever moves forward; the newest reports are still open at the end.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use upravnik_core::access::Actor;
use upravnik_core::clock::Micros;
use upravnik_core::helpdesk::{CommentInput, ReportInput, TransitionInput};
use upravnik_core::report_forms::{HandoverInput, ItemInput, ServiceSheetInput, WorkOrderInput};

use super::Demo;

/// Category, title, description. Titles say what the employee would say on the phone.
#[rustfmt::skip]
const FAULTS: &[(&str, &str, &str)] = &[
    ("hardware", "Рачунар се не укључује", "Јутрос рачунар не реагује на дугме за укључивање, лампица не светли."),
    ("hardware", "Рачунар се сам гаси", "Рачунар се угаси после пола сата рада, вентилатор јако ради."),
    ("hardware", "Монитор трепери", "Слика на монитору трепери и повремено нестане."),
    ("hardware", "Не ради тастатура", "Поједини тастери не раде, посебно размак и слово Ш."),
    ("hardware", "Рачунар веома спор", "Отварање ОПИС-а траје неколико минута, диск стално ради."),
    ("hardware", "Пуца звук из рачунара", "Из кућишта се чује пуцкетање при покретању."),
    ("printer", "Штампач гужва папир", "Сваки други лист се заглави, штампач пријављује грешку."),
    ("printer", "Штампач не штампа", "Документи остају у реду за штампу, штампач се не јавља."),
    ("printer", "Бледа штампа", "Отисак је блед и прекидан, вероватно тонер."),
    ("printer", "Скенер не шаље у фолдер", "Скенирани документи не стижу у заједнички фолдер."),
    ("software", "ОПИС јавља грешку при пријави", "Приликом пријаве у ОПИС појављује се порука о грешци базе."),
    ("software", "Не отвара се Word", "Word се затвори одмах после покретања."),
    ("software", "Потребна нова верзија програма за зараде", "Испоручилац је објавио нову верзију, стара не рачуна нове коефицијенте."),
    ("software", "Не ради електронски потпис", "Картица са сертификатом се не препознаје у читачу."),
    ("network", "Нема интернета", "Не отварају се странице, мрежни диск ради."),
    ("network", "Не види се мрежни диск", "Диск Z: се не повезује после пријаве."),
    ("network", "Спора мрежа у канцеларији", "Копирање на мрежни диск траје предуго."),
    ("account", "Заборављена лозинка", "Запослени не може да се пријави, лозинка истекла."),
    ("account", "Потребан приступ фолдеру одељења", "Нови предмети су у фолдеру коме запослени нема приступ."),
    ("email", "Не стиже е-пошта", "Од јутрос не стижу поруке споља, слање ради."),
    ("email", "Пуно поштанско сандуче", "Outlook јавља да је сандуче пуно."),
    ("other", "Премештање рачунара у другу канцеларију", "Запослени прелази у другу канцеларију, треба пренети рачунар и штампач."),
];

const ON_SITE: &[&str] = &[
    "Очишћена прашина, проверени каблови",
    "Поново подешен управљачки програм",
    "Замењен мрежни кабл",
    "Рестартован сервис, проверено са корисником",
    "Очишћен ред за штампу, одштампана пробна страна",
    "Враћена подешавања профила",
];

const REMOTE: &[&str] = &[
    "Поново постављена лозинка, корисник обавештен телефоном",
    "Додата права приступа по одобрењу руководиоца",
    "Очишћено сандуче, старе поруке архивиране",
    "Ажуриран програм на даљину",
];

const SERVICES: &[(&str, &str)] = &[("Сервис Биро д.о.о.", "Зајечар, Пашићева 1"), ("Компјутер центар Тимок", "Зајечар, Николе Пашића 12")];

/// How a report's life goes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Plan {
    /// Fixed at the employee's desk.
    OnSite,
    /// Settled over the phone or remotely.
    Remote,
    /// Taken to the ICT office, with a work order.
    Office,
    /// Sent to the authorised service and back.
    Service,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Next {
    Accept,
    OnSite,
    ToOffice,
    WorkOrder,
    Handover,
    ServiceSheet,
    Comment,
    Resolve,
    Close,
}

/// Who reports with their own account (the web form), the rest call the ICT office.
pub(super) struct Reporters {
    /// (person, workstation) of everyone who holds one.
    pub desks: Vec<(i64, i64)>,
    /// Employees with an account of their own, by person id.
    pub own: HashMap<i64, Actor>,
}

pub(super) struct Desk {
    queue: BinaryHeap<Reverse<(Micros, u64, i64, Next)>>,
    seq: u64,
    plans: HashMap<i64, (Plan, usize)>,
    /// Devices in the ICT office or at the service: no second trip for them meanwhile.
    away: HashSet<i64>,
    asset_of: HashMap<i64, i64>,
    /// Assets other parts of the demo change at the end; left alone here.
    skip: HashSet<i64>,
    /// Nothing is done after this: the reports of the last two and a half days are still open.
    cutoff: Micros,
    pub created: usize,
}

impl Desk {
    pub fn new(skip: Vec<i64>, cutoff: Micros) -> Self {
        Self {
            queue: BinaryHeap::new(),
            seq: 0,
            plans: HashMap::new(),
            away: HashSet::new(),
            asset_of: HashMap::new(),
            skip: skip.into_iter().collect(),
            cutoff,
            created: 0,
        }
    }

    fn push(&mut self, at: Micros, id: i64, next: Next) {
        self.seq += 1;
        self.queue.push(Reverse((at, self.seq, id, next)));
    }

    /// The reports that come in on working day `day`: two on an average day, at random times.
    pub async fn open_day(&mut self, d: &mut Demo<'_>, day: usize, admins: &[Actor], who: &Reporters) -> anyhow::Result<()> {
        let count = [0, 1, 1, 2, 2, 2, 3, 3, 4, 2][d.rng.below(10)];
        let mut times: Vec<Micros> = vec![];
        for _ in 0..count {
            times.push(d.tl.stamp(day, 7 + d.rng.below(8), d.rng.below(60))?);
        }
        times.sort_unstable();
        for t in times {
            self.run_until(d, t, admins).await?;
            d.tl.set(t);
            self.open(d, admins, who).await?;
        }
        Ok(())
    }

    async fn open(&mut self, d: &mut Demo<'_>, admins: &[Actor], who: &Reporters) -> anyhow::Result<()> {
        let mut pick = who.desks.get(d.rng.below(who.desks.len()));
        // The employees with an account of their own are the demo's faces: they report more.
        if d.rng.below(5) == 0 {
            let own: Vec<&(i64, i64)> = who.desks.iter().filter(|(p, _)| who.own.contains_key(p)).collect();
            pick = own.get(d.rng.below(own.len())).copied().or(pick);
        }
        let Some(&(person, pc)) = pick else { return Ok(()) };
        // Someone who has left reports nothing any more.
        let working = d.staff.iter().any(|p| p.id == person) || who.own.contains_key(&person);
        if !working {
            return Ok(());
        }
        let (category, title, description) = FAULTS[d.rng.below(FAULTS.len())];
        let priority = ["low", "low", "normal", "normal", "normal", "normal", "normal", "high", "high", "urgent"][d.rng.below(10)];
        let device = matches!(category, "hardware" | "software") && !self.skip.contains(&pc);
        let admin = &admins[0];
        let (actor, channel) = match who.own.get(&person) {
            Some(own) if d.rng.below(3) > 0 => (own, "web"),
            _ => (admin, ["phone", "phone", "phone", "in_person", "email"][d.rng.below(5)]),
        };
        let input = ReportInput {
            reporter_id: Some(person),
            asset_id: device.then_some(pc),
            channel: if channel == "web" { String::new() } else { channel.into() },
            title: title.into(),
            description: description.into(),
            category: category.into(),
            priority: priority.into(),
        };
        let r = d.services.create_report(actor, &input).await?;
        self.created += 1;
        let mut plan = match (category, d.rng.below(20)) {
            ("account" | "email", _) => Plan::Remote,
            ("hardware", 0..=3) => Plan::Office,
            ("hardware", 4) => Plan::Service,
            ("software", 0..=9) => Plan::Remote,
            _ => Plan::OnSite,
        };
        if matches!(plan, Plan::Office | Plan::Service) && (!device || self.away.contains(&pc)) {
            plan = Plan::OnSite;
        }
        if device {
            self.asset_of.insert(r.id, pc);
        }
        let who = d.rng.below(admins.len());
        self.plans.insert(r.id, (plan, who));
        // Urgent ones are taken at once; others wait for a free hand, some too long.
        let wait = match priority {
            "urgent" => 5 + d.rng.below(20),
            _ if d.rng.below(12) == 0 => 240 + d.rng.below(600),
            _ => 10 + d.rng.below(110),
        };
        let at = d.tl.after(d.tl.now(), wait)?;
        self.push(at, r.id, Next::Accept);
        Ok(())
    }

    /// Carries out, in order of time, every step due by `until`.
    pub async fn run_until(&mut self, d: &mut Demo<'_>, until: Micros, admins: &[Actor]) -> anyhow::Result<()> {
        while let Some(&Reverse((at, _, id, next))) = self.queue.peek() {
            if at > until || at > self.cutoff {
                break;
            }
            self.queue.pop();
            d.tl.set(at);
            self.step(d, id, next, admins).await?;
        }
        Ok(())
    }

    async fn step(&mut self, d: &mut Demo<'_>, id: i64, next: Next, admins: &[Actor]) -> anyhow::Result<()> {
        let Some(&(plan, who)) = self.plans.get(&id) else { return Ok(()) };
        let admin = admins.get(who).unwrap_or(&admins[0]);
        let s = d.services;
        let minutes = |d: &mut Demo<'_>, lo: usize, span: usize| lo + d.rng.below(span);
        let then = match next {
            Next::Accept => {
                s.move_report(admin, id, &to("accepted", "", 0)).await?;
                let first = match plan {
                    Plan::OnSite => Next::OnSite,
                    Plan::Remote => Next::Comment,
                    Plan::Office | Plan::Service => Next::ToOffice,
                };
                Some((first, minutes(d, 5, 60)))
            }
            Next::OnSite => {
                s.move_report(admin, id, &to("on_site", "", 0)).await?;
                Some((Next::Resolve, minutes(d, 15, 150)))
            }
            Next::Comment => {
                let body = "Јавићу се чим проверим на серверу.";
                s.comment_report(admin, id, &CommentInput { body: body.into(), public: true, minutes: "5".into() }).await?;
                Some((Next::Resolve, minutes(d, 10, 120)))
            }
            Next::ToOffice => {
                if let Some(pc) = self.asset_of.get(&id) {
                    self.away.insert(*pc);
                }
                s.move_report(admin, id, &to("in_ict_office", "Уређај однет у канцеларију ИКТ", 15)).await?;
                let then = if plan == Plan::Service { Next::Handover } else { Next::WorkOrder };
                Some((then, minutes(d, 60, 240)))
            }
            Next::WorkOrder => {
                let (kind, work, item) = match d.rng.below(3) {
                    0 => ("part_replaced", "Замењено неисправно напајање", Some(("Напајање 500 W", "4.200,00"))),
                    1 => ("upgrade", "Уграђен SSD диск уместо механичког", Some(("SSD 500 GB", "6.990,00"))),
                    _ => ("repair", "Поново инсталиран оперативни систем, подаци враћени са мрежног диска", None),
                };
                let items = item
                    .map(|(name, cost)| vec![ItemInput { name: name.into(), cost: cost.into(), ..Default::default() }])
                    .unwrap_or_default();
                let order = WorkOrderInput { work: work.into(), kind: kind.into(), items, ..Default::default() };
                s.create_work_order(admin, id, &order).await?;
                Some((Next::Resolve, minutes(d, 120, 600)))
            }
            Next::Handover => {
                let (name, address) = SERVICES[d.rng.below(SERVICES.len())];
                let h = HandoverInput {
                    service_name: name.into(),
                    service_address: address.into(),
                    accessories: "кабл за напајање".into(),
                    ..Default::default()
                };
                s.create_handover(admin, id, &h).await?;
                Some((Next::ServiceSheet, minutes(d, 5 * 480, 10 * 480)))
            }
            Next::ServiceSheet => {
                let sheet = ServiceSheetInput {
                    fault_found: "Неисправна матична плоча".into(),
                    repair_done: "Замењена матична плоча".into(),
                    warranty_months: "12".into(),
                    servicer: "Зоран Илић".into(),
                    to: "resolved".into(),
                    ..Default::default()
                };
                s.create_service_sheet(admin, id, &sheet, None).await?;
                self.back(id);
                Some((Next::Close, minutes(d, 480, 5 * 480)))
            }
            Next::Resolve => {
                let note = if plan == Plan::Remote { REMOTE[d.rng.below(REMOTE.len())] } else { ON_SITE[d.rng.below(ON_SITE.len())] };
                let spent = minutes(d, 10, 80);
                s.move_report(admin, id, &to("resolved", note, spent)).await?;
                self.back(id);
                // Most are closed after the reporter had a few days to object; some stay resolved.
                (d.rng.below(10) < 8).then(|| (Next::Close, 3 * 480 + d.rng.below(4 * 480)))
            }
            Next::Close => {
                s.move_report(admin, id, &to("closed", "", 0)).await?;
                self.plans.remove(&id);
                None
            }
        };
        if let Some((next, wait)) = then {
            let at = d.tl.after(d.tl.now(), wait)?;
            self.push(at, id, next);
        }
        Ok(())
    }

    fn back(&mut self, id: i64) {
        if let Some(pc) = self.asset_of.get(&id) {
            self.away.remove(pc);
        }
    }
}

fn to(state: &str, note: &str, minutes: usize) -> TransitionInput {
    TransitionInput {
        to: state.into(),
        note: note.into(),
        minutes: if minutes > 0 { minutes.to_string().as_str().into() } else { Default::default() },
        ..Default::default()
    }
}
