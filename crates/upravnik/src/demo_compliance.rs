//! The demo's yearly duties (issue 9): last year's compliance check, completed, with its findings
//! and corrective actions (one done, one open); the risk-assessment and security acts; two
//! procurement proposals (one approved by an act, its equipment already in the registry, one
//! waiting for the head of administration); and the records of processing activities for the
//! systems the office runs, one of them in its second version.

use jiff::civil::Date;
use upravnik_core::access::Actor;
use upravnik_core::clock::{ManualClock, format_date};
use upravnik_core::compliance::{ActInput, ActionInput, CheckInput, CompleteInput, FindingInput};
use upravnik_core::measures::{Law, MeasureStatus, catalogue};
use upravnik_core::processing::RecordInput;
use upravnik_core::procurement::{DecisionInput, ProposalInput};
use upravnik_core::service::Services;

const CONTROLLER: &str = "Градска управа Града Зајечара, Трг ослобођења 1, 19000 Зајечар, uprava@zajecar.rs; \
                          лице за заштиту података о личности: Ана Илић, zastita.podataka@zajecar.rs";

fn day(d: Date) -> String {
    format_date(d)
}

pub async fn fill(services: &Services, admin: &Actor, chief: Option<&Actor>, clock: &ManualClock) -> anyhow::Result<()> {
    let today = upravnik_core::clock::local_date(services.clock.now_us()).unwrap_or_default();
    let last_year = today.year() - 1;
    clock.advance_secs(60);
    // Last year's check, by the ICT section itself.
    let check = CheckInput {
        year: last_year.to_string(),
        kind: "self".into(),
        law: "zib2025".into(),
        checked_by: "Милан Стојановић, администратор ИКС; Бојан Живковић, шеф Одсека за ИКТ".into(),
        started_on: day(jiff::civil::date(last_year, 12, 1)),
    };
    let id = services.start_check(admin, &check).await?;
    let register = services.security_measures(admin, Law::Zib2025).await?;
    let findings: Vec<FindingInput> = catalogue(Law::Zib2025)
        .iter()
        .map(|m| {
            let status = register.iter().find(|v| v.measure.no == m.no).map(|v| v.assessment.status);
            let (result, finding) = match status {
                Some(MeasureStatus::NotApplicable) => ("not_applicable", "Не користе се услуге рачунарства у облаку".to_string()),
                Some(MeasureStatus::Partial) => ("partial", "Мера се спроводи, процедура није формално усвојена".to_string()),
                Some(MeasureStatus::Planned) => ("noncompliant", "Нова мера закона из 2025. године, још није уведена".to_string()),
                _ => ("compliant", String::new()),
            };
            FindingInput { no: m.no, result: result.into(), finding }
        })
        .collect();
    services.save_findings(admin, id, &findings).await?;
    let gaps: Vec<i64> = findings.iter().filter(|f| matches!(f.result.as_str(), "partial" | "noncompliant")).map(|f| f.no).collect();
    for (i, no) in gaps.iter().enumerate() {
        // The first gap was closed in spring; the rest are due before the next check.
        let due = if i == 0 { jiff::civil::date(today.year(), 3, 1) } else { jiff::civil::date(today.year(), 12, 31) };
        let action = ActionInput {
            no: Some(*no),
            action: format!("Увести и документовати меру {no} у Акту о безбедности"),
            owner: "Бојан Живковић, шеф Одсека за ИКТ".into(),
            due_on: day(due),
        };
        let a = services.add_corrective_action(admin, id, &action).await?;
        if i == 0 {
            services.close_corrective_action(admin, a, &day(jiff::civil::date(today.year(), 2, 20)), "Процедура усвојена").await?;
        }
    }
    let done = CompleteInput {
        completed_on: day(jiff::civil::date(last_year, 12, 15)),
        conclusion: format!(
            "Мере заштите су углавном усклађене са Актом о безбедности. Недостаци код мера {} отклањају се корективним мерама \
             у наведеним роковима.",
            gaps.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ")
        ),
    };
    services.complete_check(admin, id, &done).await?;
    for (kind, number, date) in [
        ("risk_assessment", format!("404-3/{last_year}"), jiff::civil::date(last_year, 12, 10)),
        ("security_act", format!("404-12/{}", today.year()), jiff::civil::date(today.year(), 1, 20)),
    ] {
        let act = ActInput { kind: kind.into(), number, act_date: day(date), note: String::new() };
        services.record_security_act(admin, &act).await?;
    }

    // R.21: the workstations of the registry office, approved and delivered under a procurement
    // the registry already holds; a server waits for the head of administration.
    clock.advance_secs(60);
    let p = ProposalInput {
        title: "Замена радних станица у писарници".into(),
        reason: "Истекла гаранција; оперативни систем без безбедносних исправки".into(),
        estimate: "1.250.000,00".into(),
    };
    let approved = services.propose_procurement(admin, &p).await?;
    if let Some(chief) = chief {
        let d = DecisionInput {
            decision: "approve".into(),
            act_number: "404-41/2024".into(),
            act_date: day(jiff::civil::date(2024, 3, 14)),
            note: String::new(),
        };
        services.decide_proposal(chief, approved, &d).await?;
        // The demo registry's equipment bought under this number (see `demo_equipment`).
        services.set_procurement_ref(admin, approved, "ЈН 6/2024").await?;
    }
    let p = ProposalInput {
        title: "Сервер за виртуелизацију и резервне копије".into(),
        reason: "Постојећи сервер ради шесту годину; простор за архиве при крају (члан 66)".into(),
        estimate: "2.400.000".into(),
    };
    services.propose_procurement(admin, &p).await?;

    // ZZPL čl. 47: what the office processes in the systems it runs.
    clock.advance_secs(60);
    let record = |name: &str, system: &str, purpose: &str, subjects: &str, data: &str, recipients: &str, retention: &str| RecordInput {
        name: name.into(),
        system: system.into(),
        controller: CONTROLLER.into(),
        purpose: purpose.into(),
        legal_basis: "Закон о локалној самоуправи; Закон о запосленима у АП и ЈЛС; Правилник о коришћењу ИКТ ресурса".into(),
        subjects: subjects.into(),
        data_kinds: data.into(),
        recipients: recipients.into(),
        transfers: String::new(),
        retention: retention.into(),
        safeguards: "Приступ по улогама, двофакторска пријава администратора, дневна архива у сефу, дневник рада са ланцем хешева".into(),
        ..Default::default()
    };
    let faults = record(
        "Пријаве кварова и захтеви за инсталацију",
        "Управник",
        "Отклањање кварова и одржавање опреме (члан 52 Правилника)",
        "Запослени у Градској управи",
        "Име и презиме, радно место, организациона јединица, телефон, опис квара",
        "Администратори ИКС; овлашћени сервис по уговору",
        "5 година од затварања пријаве",
    );
    let (no, _) = services.save_processing_record(admin, None, &faults).await?;
    services
        .save_processing_record(
            admin,
            Some(no),
            &RecordInput {
                retention: "3 године од затварања пријаве".into(),
                change_note: "Рок усклађен са листом категорија регистратурског материјала".into(),
                base_version: Some(1),
                ..faults
            },
        )
        .await?;
    let accounts = record(
        "Кориснички налози и приступ ИКТ систему",
        "Active Directory; Управник",
        "Додела и укидање налога и права приступа (члан 19 Правилника)",
        "Запослени и радно ангажована лица",
        "Име и презиме, корисничко име, радно место, права приступа, време пријаве",
        "Администратори ИКС",
        "1 година од престанка радног односа",
    );
    services.save_processing_record(admin, None, &accounts).await?;
    let cameras = record(
        "Видео-надзор серверске просторије",
        "Систем видео-надзора",
        "Заштита опреме и контрола приступа серверској просторији (члан 6 Правилника)",
        "Запослени, инспектори и посетиоци серверске просторије",
        "Видео-запис",
        "Администратори ИКС; полиција на захтев",
        "30 дана",
    );
    services.save_processing_record(admin, None, &cameras).await?;
    Ok(())
}
