//! Services of the equipment import: keep an upload between the pages' steps, choose the
//! mapping, preview, and commit all rows in one transaction (or nothing). The API and the
//! command line do the same in one call ([`Services::import_file`]).

use sha2::{Digest, Sha256};

use super::columns::{ImportField, find_header, guess_mapping};
use super::plan::{Preview, RowAction, preview};
use super::read::{SheetRow, read};
use super::{AssetUpdate, ImportBatch, ImportOutcome, ImportUpload};
use crate::access::{Actor, Permission, Role};
use crate::asset::{field_log_name, format_label};
use crate::service::{Services, draft};
use crate::worklog::{Category, Draft, ObjectRef};
use crate::{Error, Result};

/// Uploads not committed within a day are deleted (at the next upload).
pub const UPLOAD_TTL_US: i64 = 24 * 3600 * 1_000_000;

/// The result of [`Services::import_file`]: the preview, and what the commit did if it ran.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportReport {
    pub preview: Preview,
    pub outcome: Option<ImportOutcome>,
}

/// A mapping as JSON: an array with one entry per column, a field name or `null`/`""`/`"ignore"`.
pub fn parse_mapping(json: &str) -> Result<Vec<Option<ImportField>>> {
    let bad = || Error::invalid("mapping", "err-import-mapping");
    let v: Vec<Option<String>> = serde_json::from_str(json).map_err(|_| bad())?;
    v.into_iter()
        .map(|f| match f.as_deref().map(str::trim) {
            None | Some("") | Some("ignore") => Ok(None),
            Some(name) => ImportField::parse(name).map(Some).ok_or_else(bad),
        })
        .collect()
}

pub fn mapping_json(m: &[Option<ImportField>]) -> String {
    serde_json::to_string(&m.iter().map(|f| f.map(|f| f.as_str())).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

/// The command line's actor: no account, an administrator's rights in one office.
pub fn operator(office_id: i64) -> Actor {
    Actor {
        user_id: 0,
        person_id: 0,
        office_id,
        home_office_id: office_id,
        username: "upravnik".into(),
        full_name: "upravnik (командна линија)".into(),
        roles: vec![Role::Administrator],
        offices: vec![office_id],
        locale: "sr-Cyrl".into(),
    }
}

fn log(actor: &Actor, object: Option<ObjectRef>, text: String) -> Draft {
    let mut d = draft(actor, Category::ConfigurationChange, object, text);
    if actor.user_id == 0 {
        d.actor_user_id = None;
    }
    d
}

/// The file's rows, its header row and the mapping (the one given, else the guessed one).
fn analyse(bytes: &[u8], mapping: Option<Vec<Option<ImportField>>>) -> Result<(Vec<SheetRow>, usize, Vec<Option<ImportField>>)> {
    let rows = read(bytes)?;
    let header = find_header(&rows).ok_or(Error::invalid("file", "err-import-empty"))?;
    let mapping = match mapping {
        Some(m) => m,
        None => rows.get(header).map(guess_mapping).unwrap_or_default(),
    };
    Ok((rows, header, mapping))
}

fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    let base: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if base.is_empty() { "import".into() } else { base }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::password::hex(&Sha256::digest(bytes))
}

impl Services {
    /// Keeps an uploaded file for the next steps; refuses what cannot be read.
    pub async fn import_upload(&self, actor: &Actor, filename: &str, bytes: Vec<u8>) -> Result<i64> {
        actor.require(Permission::AssetsWrite)?;
        analyse(&bytes, None)?;
        let now = self.now();
        let upload = ImportUpload {
            id: 0,
            office_id: actor.office_id,
            user_id: actor.user_id,
            filename: clean_filename(filename),
            sha256: sha256_hex(&bytes),
            content: bytes,
            mapping: String::new(),
            created_us: now,
        };
        // The upload is a scratch copy, not a change of the register: the work log records the
        // import when it is committed, naming the file and its checksum.
        self.store.save_import_upload(&upload, now - UPLOAD_TTL_US).await
    }

    pub async fn import_set_mapping(&self, actor: &Actor, id: i64, mapping: &[Option<ImportField>]) -> Result<()> {
        actor.require(Permission::AssetsWrite)?;
        self.store.import_upload(actor.office_id, id).await?;
        self.store.set_import_mapping(actor.office_id, id, &mapping_json(mapping)).await
    }

    /// The upload with what importing it would do.
    pub async fn import_preview(&self, actor: &Actor, id: i64) -> Result<(ImportUpload, Preview)> {
        actor.require(Permission::AssetsWrite)?;
        let upload = self.store.import_upload(actor.office_id, id).await?;
        let mapping = if upload.mapping.is_empty() { None } else { Some(parse_mapping(&upload.mapping)?) };
        let (rows, header, mapping) = analyse(&upload.content, mapping)?;
        let existing = self.store.office_assets(actor.office_id).await?;
        let p = preview(&rows, header, &mapping, &existing);
        Ok((upload, p))
    }

    /// Imports the upload as previewed, all rows or none; refused while any row has an error.
    pub async fn import_commit(&self, actor: &Actor, id: i64) -> Result<ImportOutcome> {
        let (upload, p) = self.import_preview(actor, id).await?;
        self.commit(actor, &upload.filename, &upload.sha256, p, Some(upload.id)).await
    }

    /// Preview (and with `commit`, import) a file in one call: the API and the command line.
    pub async fn import_file(
        &self,
        actor: &Actor,
        filename: &str,
        bytes: &[u8],
        mapping: Option<Vec<Option<ImportField>>>,
        commit: bool,
    ) -> Result<ImportReport> {
        actor.require(Permission::AssetsWrite)?;
        let (rows, header, mapping) = analyse(bytes, mapping)?;
        let existing = self.store.office_assets(actor.office_id).await?;
        let p = preview(&rows, header, &mapping, &existing);
        drop(existing);
        if !commit || !p.can_commit() {
            return Ok(ImportReport { preview: p, outcome: None });
        }
        let outcome = self.commit(actor, &clean_filename(filename), &sha256_hex(bytes), p.clone(), None).await?;
        Ok(ImportReport { preview: p, outcome: Some(outcome) })
    }

    async fn commit(&self, actor: &Actor, filename: &str, sha256: &str, p: Preview, upload_id: Option<i64>) -> Result<ImportOutcome> {
        actor.require(Permission::AssetsWrite)?;
        if !p.can_commit() {
            return Err(Error::invalid("file", "err-import-has-errors"));
        }
        let from = format!("увоз из датотеке „{filename}“");
        let mut batch = ImportBatch {
            creates: vec![],
            updates: vec![],
            summary: log(
                actor,
                None,
                format!(
                    "Увоз евиденције опреме из датотеке „{filename}“ (SHA-256 {sha256}): нових {}, измењених {}, без промене {}.",
                    p.counts.new, p.counts.changed, p.counts.unchanged
                ),
            ),
            upload_id,
        };
        for r in p.rows {
            let Some(f) = r.fields else { continue };
            match (r.action, r.asset_id) {
                (RowAction::New, _) => {
                    let label = f.label.map(|l| format!(" {}", format_label(l))).unwrap_or_default();
                    let text =
                        format!("Уведено у евиденцију средство инв. бр. {}{label} {} {}", f.inventory_number, f.manufacturer, f.model);
                    let text = format!("{} ({from}, ред {})", text.split_whitespace().collect::<Vec<_>>().join(" "), r.row);
                    batch.creates.push((f, log(actor, None, text)));
                }
                (RowAction::Changed, Some(id)) => {
                    let what: Vec<String> =
                        r.changes.iter().map(|c| format!("{}: „{}“ → „{}“", field_log_name(c.field), c.old, c.new)).collect();
                    let text = format!("Измена средства инв. бр. {}: {} ({from}, ред {})", f.inventory_number, what.join("; "), r.row);
                    let object = ObjectRef::new("asset", id, &f.inventory_number);
                    batch.updates.push(AssetUpdate { id, log: log(actor, Some(object), text), fields: f, changes: r.changes });
                }
                _ => {}
            }
        }
        let mut outcome = self.store.import_assets(actor.office_id, batch, self.now()).await?;
        outcome.unchanged = p.counts.unchanged;
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mappings_round_trip_and_unknown_fields_are_refused() {
        let m = vec![Some(ImportField::InventoryNumber), None, Some(ImportField::PurchaseDate)];
        assert_eq!(parse_mapping(&mapping_json(&m)).ok(), Some(m));
        assert_eq!(parse_mapping(r#"["kind", "", "ignore", null]"#).ok(), Some(vec![Some(ImportField::Kind), None, None, None]));
        assert!(parse_mapping(r#"["colour"]"#).is_err());
        assert!(parse_mapping("not json").is_err());
    }

    #[test]
    fn file_names_lose_their_folders() {
        assert_eq!(clean_filename("C:\\Users\\x\\oprema.xlsx"), "oprema.xlsx");
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename(""), "import");
    }
}
