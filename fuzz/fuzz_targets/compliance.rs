//! The inputs of issue 9's registers — a compliance check, its findings and corrective actions, the
//! acts, procurement proposals and decisions, records of processing — validate or refuse cleanly,
//! and what validates is within its limits.
#![no_main]
use libfuzzer_sys::fuzz_target;
use upravnik_core::compliance::{ActInput, ActionInput, CheckInput, CompleteInput, FindingInput, finding_problems, validate_findings};
use upravnik_core::measures::Law;
use upravnik_core::processing::RecordInput;
use upravnik_core::procurement::{DecisionInput, ProposalInput, validate_reference};

fuzz_target!(|f: (&str, &str, &str, &str, i64)| {
    let (a, b, c, d, n) = f;
    let today = jiff::civil::date(2026, 11, 30);
    let check = CheckInput { year: a.into(), kind: b.into(), law: c.into(), checked_by: d.into(), started_on: a.into() }.validate(today);
    if let Ok(c) = &check {
        assert!((2017..=2026).contains(&c.year));
    }
    let findings = [
        FindingInput { no: n, result: b.into(), finding: c.into() },
        FindingInput { no: n.wrapping_add(1), result: a.into(), finding: d.into() },
    ];
    let _ = finding_problems(&findings);
    if let Ok(v) = validate_findings(Law::Zib2025, &findings) {
        assert!(v.iter().all(|f| (1..=37).contains(&f.no)));
    }
    if let Ok(c) = check {
        let _ = CompleteInput { completed_on: b.into(), conclusion: c.checked_by.clone() }.validate(&c, today);
        let _ = ActionInput { no: Some(n), action: a.into(), owner: b.into(), due_on: d.into() }.validate(&c);
    }
    let _ = ActInput { kind: a.into(), number: b.into(), act_date: c.into(), note: d.into() }.validate(today);
    if let Ok((_, _, estimate)) = (ProposalInput { title: a.into(), reason: b.into(), estimate: c.into() }).validate() {
        assert!(estimate > 0);
    }
    let _ = DecisionInput { decision: a.into(), act_number: b.into(), act_date: c.into(), note: d.into() }.validate(today);
    let _ = validate_reference(d);
    let r = RecordInput {
        name: a.into(),
        system: b.into(),
        controller: c.into(),
        purpose: d.into(),
        subjects: a.into(),
        data_kinds: b.into(),
        recipients: c.into(),
        retention: d.into(),
        safeguards: a.into(),
        ended_on: b.into(),
        ..Default::default()
    };
    if let Ok(v) = r.validate(today, true) {
        assert!(v.name.chars().count() <= 4000 && !v.name.is_empty());
    }
});
