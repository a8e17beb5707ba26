//! The demo's security register (issue 9): most measures of the 2025 law assessed, some with
//! their acts, cloud computing not applicable with the reason; two incidents — a phishing
//! near-miss and a breach of personal data reported within the deadlines.

use upravnik_core::access::Actor;
use upravnik_core::clock::{ManualClock, format_local};
use upravnik_core::incident::{IncidentInput, SentInput};
use upravnik_core::measures::{AssessmentInput, Law, catalogue};
use upravnik_core::service::Services;

pub async fn register(services: &Services, admin: &Actor, clock: &ManualClock) -> anyhow::Result<()> {
    let today = upravnik_core::clock::local_date(services.clock.now_us()).map(upravnik_core::clock::format_date).unwrap_or_default();
    for m in catalogue(Law::Zib2025) {
        clock.advance_secs(1);
        let input = match m.no {
            18 => AssessmentInput {
                applicable: false,
                justification: "Градска управа не користи услуге рачунарства у облаку за податке ИКТ система".into(),
                ..Default::default()
            },
            n if m.new_in_2025 && n != 37 => {
                AssessmentInput {
                    status: "planned".into(), responsible: "Бојан Живковић, шеф Одсека за ИКТ".into(), ..Default::default()
                }
            }
            n => AssessmentInput {
                status: if n % 5 == 0 { "partial".into() } else { "implemented".into() },
                responsible: "Милан Стојановић, администратор ИКС".into(),
                documents: "Правилник о коришћењу ИКТ ресурса; Акт о безбедности ИКТ система бр. 404-12/2026".into(),
                implementation: "Према Правилнику и Акту о безбедности; докази у Управнику.".into(),
                checked_on: today.clone(),
                ..Default::default()
            },
        };
        services.save_assessment(admin, Law::Zib2025, m.no, &input).await?;
    }
    // A near-miss a week ago: a phishing message caught before anyone opened the link.
    clock.advance_secs(60);
    let week_ago = services.clock.now_us() - 7 * 86_400_000_000;
    let phishing = IncidentInput {
        title: "Фишинг порука у име Пореске управе".into(),
        description: "Порука са лажним линком стигла на 40 адреса; филтер поште зауставио, нико није отворио линк".into(),
        aware: format_local(week_ago),
        ended: format_local(week_ago + 3_600_000_000),
        near_miss: true,
        danger: "low".into(),
        indicators: "пошиљалац poreska-uprava@mail-rs.top; домен poreska-prijava.top".into(),
        measures: "Домен блокиран на Unbound-у, запослени обавештени".into(),
        ..Default::default()
    };
    services.record_incident(admin, &phishing, &[]).await?;
    // Two hours ago: personal data of taxpayers read from outside; the notice already sent.
    let two_hours_ago = services.clock.now_us() - 2 * 3_600_000_000;
    let breach = IncidentInput {
        title: "Неовлашћен приступ бази локалне пореске администрације".into(),
        description: "Са спољне адресе преко заборављеног тест налога прегледани подаци обвезника".into(),
        started: format_local(two_hours_ago - 3_600_000_000),
        aware: format_local(two_hours_ago),
        criteria: vec![5],
        danger: "high".into(),
        personal_data: true,
        high_risk_to_people: true,
        crime_suspected: true,
        indicators: "IP 185.220.101.7; налог test_lpa".into(),
        measures: "Тест налог угашен, лозинке администратора промењене, логови сачувани".into(),
        ..Default::default()
    };
    let id = services.record_incident(admin, &breach, &[]).await?;
    let sent = SentInput {
        kind: "initial".into(),
        sent: format_local(services.clock.now_us() - 3_600_000_000),
        recipient: "Јединствени систем за пријем обавештења (Канцеларија за ИБ)".into(),
        reference: "INC-2026-0042".into(),
    };
    services.record_incident_report(admin, id, &sent).await?;
    // A phishing awareness training last week for the first twenty employees (measure 4).
    let mut q = upravnik_core::org::ListQuery::new(admin.office_id);
    q.per_page = 20;
    let attendees: Vec<i64> = services.people(admin, &q).await?.items.iter().map(|p| p.id).collect();
    let training = upravnik_core::trainings::TrainingInput {
        topic: "Препознавање фишинг порука и безбедне лозинке".into(),
        kind: "basic".into(),
        held_on: upravnik_core::clock::local_date(week_ago).map(|d| d.to_string()).unwrap_or_default(),
        trainer: "Милан Стојановић".into(),
        hours: Some(2),
        note: String::new(),
        attendees,
    };
    services.record_training(admin, &training).await?;
    Ok(())
}
