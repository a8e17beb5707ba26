//! Home (Почетна): what needs this person's attention now.

use askama::Template;
use axum::extract::{Query, State};
use upravnik_core::access::Permission;
use upravnik_core::clock::format_local;
use upravnik_core::software_requests::RequestState;
use upravnik_core::worklog::Filter;

use super::layout::{Chrome, render};
use super::view::{Cell, ListParams};
use super::worklog::{category_name, object_href};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage<'a> {
    pub c: Chrome<'a>,
    pub greeting: String,
    /// (text, link, link label)
    pub attention: Vec<(String, String, String)>,
    /// (label, number, link)
    pub counts: Vec<(String, i64, String)>,
    pub recent: Vec<Vec<Cell>>,
    pub my_unit: String,
    pub my_workplace: String,
    /// Consumables at or below their minimum (R.3), for those who keep the store; `None` hides it.
    pub low_stock: Option<Vec<Vec<Cell>>>,
    /// Fault reports: counts for administrators, the employee's open reports (R.52).
    pub reports: super::reports::HomeReports,
}

pub async fn home(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let me = st.services.person(&actor, actor.person_id).await?;
    let mut attention = vec![];
    if st.services.password_is_old(&actor).await? {
        attention.push((
            tr.t1("home-password-old", "days", st.services.policy.password_max_age_days),
            "/profile".into(),
            tr.t("profile-password"),
        ));
    }
    // The 2025 law lists multi-factor authentication for administrators among its measures.
    if st.services.mfa_blocks_administrator(&actor).await? {
        attention.push((tr.t("home-mfa-required"), "/profile/mfa".into(), tr.t("mfa-title")));
    } else if actor.roles.contains(&upravnik_core::access::Role::Administrator) && !st.services.mfa_enabled(&actor).await? {
        attention.push((tr.t("home-mfa-advised"), "/profile/mfa".into(), tr.t("mfa-title")));
    }
    // A version of the rules published during this session is asked for here (R.19).
    if let Some(v) = st.services.rules_to_accept(&actor).await? {
        attention.push((tr.t1("home-rules-to-accept", "version", v.version), "/rules".into(), tr.t("rules-title")));
    }
    if actor.can(Permission::OrgWrite)
        && let Some((v, missing)) = st.services.rules_missing(&actor).await?
        && missing > 0
    {
        attention.push((
            tr.ta("home-rules-missing", &[("count", missing.to_string()), ("version", v.version.to_string())]),
            "/rules/acceptances?missing=1".into(),
            tr.t("rules-acceptances"),
        ));
    }
    if actor.can(Permission::AssetsWrite) {
        let tasks = st.services.open_software_tasks(&actor).await?;
        if tasks > 0 {
            attention.push((tr.t1("home-software-tasks", "count", tasks), "/software/compliance".into(), tr.t("sw-compliance")));
        }
        let expiring = st.services.expiring_licences(&actor, 30).await?;
        if !expiring.is_empty() {
            let list: Vec<String> = expiring.iter().map(|(p, d)| format!("{} ({d})", tr.d(p))).collect();
            attention.push((tr.t1("home-licences-expiring", "list", list.join(", ")), "/software".into(), tr.t("sw-title")));
        }
    }
    if actor.can(Permission::AssetsWrite) {
        // R.60: every workstation on a working antivirus.
        let uncovered = st.services.antivirus_problems(&actor).await?;
        if uncovered > 0 {
            attention.push((tr.t1("home-antivirus", "count", uncovered), "/software/antivirus".into(), tr.t("av-title")));
        }
        let approved = st.services.install_requests(&actor, true).await?.iter().filter(|r| r.state == RequestState::Approved).count();
        if approved > 0 {
            attention.push((tr.t1("home-installs-approved", "count", approved), "/software/requests".into(), tr.t("swr-title")));
        }
    }
    // R.22, R.66: a missed or failed archive, and copy 2 in the safe too old, until dealt with.
    if actor.can(Permission::WorklogWrite) {
        let b = st.services.backup_status(&actor).await?;
        if let Some(due) = b.missed_due_us {
            attention.push((tr.t1("backup-missed", "due", format_local(due)), "/backups".into(), tr.t("backup-title")));
        } else if let Some(f) = &b.last_failed {
            attention.push((
                tr.ta("backup-failed", &[("at", format_local(f.finished_us)), ("detail", f.detail.clone())]),
                "/backups".into(),
                tr.t("backup-title"),
            ));
        }
        if b.scheduled && b.copy2_stale {
            attention.push((tr.t("home-copy2-stale"), "/backups/media".into(), tr.t("medium-title")));
        }
    }
    // Incident reports due within a day, or late (ZIB čl. 13, 24; ZZPL čl. 52; R.56).
    if actor.can(Permission::WorklogRead) {
        for (i, d) in st.services.incident_duties(&actor, 24).await?.into_iter().take(5) {
            let when = d.due_us.map(format_local).unwrap_or_else(|| tr.t("incident-without-delay"));
            let text = tr.ta(
                "home-incident-duty",
                &[("duty", tr.t(&format!("report-{}", d.kind.as_str()))), ("title", tr.d(&i.title)), ("when", when)],
            );
            attention.push((text, format!("/security/incidents/{}", i.id), tr.t("incident-one")));
        }
    }
    // The yearly compliance check and the acts' reviews (ZIB 91/2025 čl. 11, 12): the next check's
    // date always, the rest when due within a month or late.
    if actor.can(Permission::WorklogRead) {
        use upravnik_core::compliance::due_soon;
        let d = st.services.compliance_duties(&actor).await?;
        let today = upravnik_core::clock::local_date(st.services.clock.now_us()).unwrap_or_default();
        let when = |due: Option<jiff::civil::Date>| due.map(upravnik_core::clock::format_date).unwrap_or_default();
        let text = match d.next_check_due {
            _ if d.check_open => tr.t("home-check-open"),
            None => tr.t("home-check-never"),
            Some(due) if due < today => tr.t1("home-check-overdue", "date", when(Some(due))),
            Some(due) => tr.t1("home-check-due", "date", when(Some(due))),
        };
        attention.push((text, "/security/checks".into(), tr.t("check-title")));
        for (kind, due) in [("risk_assessment", d.risk_assessment_due), ("security_act", d.security_act_due)] {
            if due_soon(due, today, 30) {
                let text = match due {
                    None => tr.t(&format!("home-act-missing-{kind}")),
                    Some(_) => tr.t1(&format!("home-act-review-{kind}"), "date", when(due)),
                };
                attention.push((text, "/security/checks".into(), tr.t("act-list")));
            }
        }
        if d.overdue_actions > 0 {
            attention.push((tr.t1("home-actions-overdue", "count", d.overdue_actions), "/security/checks".into(), tr.t("check-title")));
        }
    }
    // R.46: each head of unit hears what the latest scan found in their unit's folder.
    if actor.has_role(upravnik_core::access::Role::HeadOfUnit) {
        for (id, share, unit, n) in st.services.unit_share_notices(&actor).await? {
            attention.push((
                tr.ta("home-share-unit", &[("share", tr.d(&share)), ("unit", tr.d(&unit)), ("count", n.to_string())]),
                format!("/shares/{id}/findings?unit={}", super::shares::urlencoding(&unit)),
                tr.t("share-findings"),
            ));
        }
    }
    if actor.can(Permission::ApproveProcurement) {
        let waiting = st.services.proposals_waiting(&actor).await?;
        if waiting > 0 {
            attention.push((tr.t1("home-proposals-waiting", "count", waiting), "/procurement".into(), tr.t("proposal-title")));
        }
    }
    // The head of administration approves installs (R.62.7) and social networks (R.32), and is
    // told of misuse (R.32, R.34).
    if actor.can(Permission::ApproveInstalls) {
        let waiting = st.services.install_requests_waiting(&actor).await?;
        if waiting > 0 {
            attention.push((tr.t1("home-installs-waiting", "count", waiting), "/software/requests".into(), tr.t("swr-title")));
        }
    }
    if actor.can(Permission::ApproveRemovals) {
        let waiting = st.services.removals_waiting(&actor).await?;
        if waiting > 0 {
            attention.push((tr.t1("home-removals-waiting", "count", waiting), "/security/removals".into(), tr.t("removal-title")));
        }
    }
    if actor.can(Permission::ApproveSocialNetworks) {
        let waiting = st.services.social_requests_waiting(&actor).await?.len();
        if waiting > 0 {
            attention.push((tr.t1("home-social-waiting", "count", waiting), "/internet?status=social".into(), tr.t("net-title")));
        }
    }
    if actor.can(Permission::AcknowledgeMisuse) {
        let unseen = st.services.misuse_reports(&actor, true).await?.len();
        if unseen > 0 {
            attention.push((tr.t1("home-misuse-unseen", "count", unseen), "/internet/misuse?status=unseen".into(), tr.t("misuse-title")));
        }
    }
    if actor.can(Permission::UsersWrite) {
        let waiting = st.services.waiting_account_requests(&actor).await?;
        if waiting > 0 {
            attention.push((
                tr.ta(
                    "home-requests-waiting",
                    &[("count", waiting.to_string()), ("days", upravnik_core::account_requests_service::WAITING_DAYS.to_string())],
                ),
                "/account-requests?status=submitted".into(),
                tr.t("nav-account-requests"),
            ));
        }
    }
    let reports = super::reports::home_section(&st, &actor, &tr).await?;
    let mut counts = reports.counts.clone();
    if actor.can(Permission::OrgRead) {
        let n = st.services.org_counts(&actor).await?;
        counts.push((tr.t("nav-units"), n.units, "/units".to_string()));
        counts.push((tr.t("nav-workplaces"), n.workplaces, "/workplaces".to_string()));
        counts.push((tr.t("nav-employees"), n.people, "/people".to_string()));
        if actor.can(Permission::OrgWrite) && n.units == 0 {
            attention.push((tr.t("home-no-units"), "/units/new".into(), tr.t("units-new")));
        }
        if actor.can(Permission::UsersRead) {
            counts.push((tr.t("nav-accounts"), n.accounts, "/accounts".to_string()));
        }
    }
    if actor.can(Permission::AssetsRead) {
        let today =
            jiff::Timestamp::from_microsecond(st.services.clock.now_us()).ok().map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date());
        if let Some(today) = today {
            let q = upravnik_core::asset::AssetQuery {
                warranty_from: Some(today.to_string()),
                warranty_until: today.checked_add(jiff::Span::new().days(30)).ok().map(|d| d.to_string()),
                page: 1,
                per_page: 1,
                ..Default::default()
            };
            let n = st.services.count_assets(&actor, &q).await?;
            if n > 0 {
                attention.push((tr.t1("home-warranty", "count", n), "/assets?warranty=30".into(), tr.t("home-warranty-link")));
            }
        }
    }
    let low_stock =
        if actor.can(Permission::AssetsWrite) { Some(super::consumables::low_stock_rows(&st, &actor, &tr).await?) } else { None };
    let recent = if actor.can(Permission::WorklogRead) {
        st.services
            .worklog(&actor, Filter { limit: 10, ..Default::default() })
            .await?
            .iter()
            .map(|e| {
                vec![
                    Cell::link(format_local(e.at_us), format!("/worklog/{}", e.id)),
                    Cell::text(category_name(&tr, e.category)),
                    Cell::text(tr.d(&e.actor_name)),
                    match e.object.as_ref() {
                        Some(o) => match object_href(o) {
                            Some(h) => Cell::link(tr.d(&o.label), h),
                            None => Cell::text(tr.d(&o.label)),
                        },
                        None => Cell::text(""),
                    },
                    Cell::text(if e.confidential && e.text.is_empty() { tr.t("worklog-confidential-hidden") } else { tr.d(&e.text) }),
                ]
            })
            .collect()
    } else {
        vec![]
    };
    let page = HomePage {
        c: Chrome::new(&st, &ctx, "/", tr.t("nav-home")).flash(p.ok.as_deref()),
        greeting: tr.t1("home-greeting", "name", tr.d(&me.given_name)),
        attention,
        counts,
        recent,
        my_unit: tr.d(me.unit_name.as_deref().unwrap_or("")),
        my_workplace: tr.d(me.workplace_name.as_deref().unwrap_or("")),
        low_stock,
        reports,
    };
    Ok(render(&page))
}
