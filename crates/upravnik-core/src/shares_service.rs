//! The scans of the network shares as the server keeps them (R.38–R.46): each scan's figures per
//! unit for the trend, the findings of the latest scans, and what each head of unit is told of
//! their unit's folder.

use crate::access::{Actor, Permission};
use crate::service::{Services, draft};
use crate::shares::Report;
use crate::text::search_key;
use crate::worklog::Category as LogCategory;
use crate::{Error, Result};

/// Findings kept per scan (the figures are exact whatever this cuts).
pub const FINDINGS_KEPT: usize = 100_000;
/// The largest report the API takes (100,000 findings of long paths fit).
pub const REPORT_MAX: usize = 64 << 20;
/// Scans of a share whose findings are kept; older scans keep their figures only.
pub const SCANS_WITH_FINDINGS: i64 = 3;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ScanSummary {
    pub id: i64,
    pub scanned_us: i64,
    pub millis: i64,
    pub files: i64,
    pub folders: i64,
    pub bytes: i64,
    pub violations: i64,
    pub renamable: i64,
    pub unreadable: i64,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnitRow {
    pub unit: String,
    pub files: i64,
    pub bytes: i64,
    pub violations: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredFinding {
    pub unit: String,
    pub path: String,
    pub rule: String,
    pub article: String,
    /// The violation as JSON (`shares::Violation`), for the page to word it.
    pub detail: String,
    pub proposal: Option<String>,
}

/// A scan to keep, as the store takes it.
#[derive(Debug, Clone)]
pub struct NewScan {
    pub share: String,
    pub root: String,
    pub millis: i64,
    pub files: i64,
    pub folders: i64,
    pub bytes: i64,
    pub violations: i64,
    pub renamable: i64,
    pub unreadable: i64,
    pub units: Vec<UnitRow>,
    pub findings: Vec<StoredFinding>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ShareView {
    pub id: i64,
    pub name: String,
    pub root: String,
    /// Newest first.
    pub scans: Vec<ScanSummary>,
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The unit a finding belongs to: the first folder of its path ("" for the share's root).
fn unit_of(path: &str) -> String {
    path.split_once('/').map(|(u, _)| u.to_string()).unwrap_or_default()
}

impl NewScan {
    pub fn from_report(share: &str, r: &Report) -> Result<NewScan> {
        let share = share.trim();
        if share.is_empty() || share.chars().count() > 200 {
            return Err(Error::invalid("share", "err-share-name"));
        }
        let findings = r
            .findings
            .iter()
            .take(FINDINGS_KEPT)
            .map(|f| StoredFinding {
                unit: if f.dir && !f.path.contains('/') { f.path.clone() } else { unit_of(&f.path) },
                path: f.path.chars().take(2000).collect(),
                rule: f.violation.code().to_string(),
                article: f.article.chars().take(40).collect(),
                detail: serde_json::to_string(&f.violation).unwrap_or_default(),
                proposal: f.proposal.as_ref().map(|p| p.chars().take(400).collect()),
            })
            .collect();
        Ok(NewScan {
            share: share.to_string(),
            root: r.root.chars().take(1000).collect(),
            millis: (r.seconds * 1000.0).round() as i64,
            files: count(r.files),
            folders: count(r.folders),
            bytes: count(r.bytes),
            // A report from an older CLI carries only its findings.
            violations: count(r.violations.max(r.findings.len() as u64)),
            renamable: count(r.renamable.max(r.findings.iter().filter(|f| f.proposal.is_some()).count() as u64)),
            unreadable: count(r.unreadable.len() as u64),
            units: r
                .by_unit
                .iter()
                .map(|(u, t)| UnitRow {
                    unit: u.chars().take(300).collect(),
                    files: count(t.files),
                    bytes: count(t.bytes),
                    violations: count(t.violations),
                })
                .collect(),
            findings,
        })
    }
}

impl Services {
    /// Keeps a scan of a share (the CLI's report, or the server's own scheduled scan).
    pub async fn record_share_scan(&self, actor: &Actor, share: &str, report: &Report) -> Result<i64> {
        actor.require(Permission::WorklogWrite)?;
        let scan = NewScan::from_report(share, report)?;
        let text = format!(
            "Преглед дељеног фолдера „{}“ (члан 38–46): {} датотека, {} прекршаја правила, {} се исправља преименовањем",
            scan.share, scan.files, scan.violations, scan.renamable
        );
        let log = draft(actor, LogCategory::Processing, None, text);
        self.store.record_share_scan(actor.office_id, &scan, SCANS_WITH_FINDINGS, self.now(), log).await
    }

    /// Every share with its scans (the latest 12), for the trend.
    pub async fn shares(&self, actor: &Actor) -> Result<Vec<ShareView>> {
        actor.require(Permission::OrgRead)?;
        let mut out = vec![];
        for (id, name, root) in self.store.shares(actor.office_id).await? {
            let scans = self.store.share_scans(actor.office_id, id, 12).await?;
            out.push(ShareView { id, name, root, scans });
        }
        Ok(out)
    }

    pub async fn share(&self, actor: &Actor, id: i64) -> Result<ShareView> {
        self.shares(actor).await?.into_iter().find(|s| s.id == id).ok_or(Error::NotFound { what: "share" })
    }

    /// The units of a scan.
    pub async fn share_scan_units(&self, actor: &Actor, share_id: i64, scan_id: i64) -> Result<Vec<UnitRow>> {
        let s = self.share(actor, share_id).await?;
        if !s.scans.iter().any(|x| x.id == scan_id) {
            return Err(Error::NotFound { what: "scan" });
        }
        self.store.share_scan_units(scan_id).await
    }

    /// A page of the findings of a share's latest scan, of one unit or all.
    pub async fn share_findings(
        &self,
        actor: &Actor,
        share_id: i64,
        unit: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<StoredFinding>, i64)> {
        let s = self.share(actor, share_id).await?;
        let Some(latest) = s.scans.first() else { return Ok((vec![], 0)) };
        self.store.share_findings(latest.id, unit, offset, limit.clamp(1, 500)).await
    }

    /// For a head of unit: (share id, share, violations) where the latest scan found something in
    /// the folder of their unit (its name or code, read without script or diacritics).
    pub async fn unit_share_notices(&self, actor: &Actor) -> Result<Vec<(i64, String, String, i64)>> {
        actor.require(Permission::OrgRead)?;
        let me = self.store.get_person(actor.office_id, actor.person_id).await?;
        let Some(unit_id) = me.unit_id else { return Ok(vec![]) };
        let unit = self.store.get_unit(actor.office_id, unit_id).await?;
        let keys = [search_key(&unit.name), search_key(&unit.code)];
        let mut out = vec![];
        for s in self.shares(actor).await? {
            let Some(latest) = s.scans.first() else { continue };
            for u in self.store.share_scan_units(latest.id).await? {
                let k = search_key(&u.unit);
                if u.violations > 0 && !k.is_empty() && keys.contains(&k) {
                    out.push((s.id, s.name.clone(), u.unit.clone(), u.violations));
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shares::{Finding, Tally, Violation};

    #[test]
    fn a_report_becomes_a_scan_with_units_and_findings_by_their_first_folder() {
        let mut r = Report { root: "/srv/dokumenti".into(), files: 3, folders: 2, seconds: 0.25, ..Default::default() };
        r.by_unit.insert("Finansije".into(), Tally { files: 3, bytes: 30, violations: 2 });
        for (path, dir, v, p) in [
            ("Finansije/Petar/JAVNO/Решење.docx", false, Violation::Cyrillic, Some("Resenje.docx")),
            ("Кабинет", true, Violation::Cyrillic, Some("Kabinet")),
            ("Budzet.xlsx", false, Violation::OutsideLayout, None),
        ] {
            r.findings.push(Finding {
                path: path.into(),
                dir,
                article: v.article().into(),
                violation: v,
                proposal: p.map(String::from),
                path_hex: None,
            });
        }
        let s = NewScan::from_report(" Z: Dokumenti ", &r).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((s.share.as_str(), s.millis, s.violations, s.renamable), ("Z: Dokumenti", 250, 3, 2));
        assert_eq!(s.findings.iter().map(|f| f.unit.as_str()).collect::<Vec<_>>(), ["Finansije", "Кабинет", ""]);
        assert_eq!(s.findings[0].detail, r#"{"rule":"cyrillic"}"#);
        assert!(NewScan::from_report(" ", &r).is_err());
    }
}
