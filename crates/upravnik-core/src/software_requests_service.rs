//! Services of software install requests (R.30, R.62.7): an employee asks for a program on a
//! workstation they hold (an administrator for any), the head of administration decides, an
//! administrator installs, and the workstation's next inventory confirms it by itself.

use crate::access::{Actor, Permission};
use crate::service::{Services, draft};
use crate::software_requests::{DecisionInput, InstallRequest, RequestInput, RequestState, check_step};
use crate::software_service::system;
use crate::worklog::{Category as LogCategory, Draft, ObjectRef};
use crate::{Error, Result};

impl Services {
    /// Files a request. An employee names a workstation they hold now; an administrator any.
    pub async fn request_install(&self, actor: &Actor, input: &RequestInput) -> Result<i64> {
        actor.require(Permission::HelpdeskReport)?;
        let catalogue = match input.product_id {
            Some(id) => {
                let p = self.store.software_catalogue(actor.office_id).await?.into_iter().find(|p| p.id == id && p.active);
                Some(p.ok_or(Error::invalid("product_id", "err-request-product"))?)
            }
            None => None,
        };
        let f = input.validate(catalogue.as_ref().map(|p| p.name.as_str()))?;
        let asset = self.store.get_asset(actor.office_id, f.asset_id).await.map_err(|_| Error::invalid("asset_id", "err-request-asset"))?;
        if !actor.can(Permission::AssetsWrite) && asset.person_id != Some(actor.person_id) {
            return Err(Error::invalid("asset_id", "err-request-asset"));
        }
        let number = asset.fields.inventory_number.clone();
        let text = format!("Захтев за инсталацију „{}“ на рачунару {number}: {} (члан 62.7)", f.name, f.reason);
        let log = draft(actor, LogCategory::ConfigurationChange, Some(ObjectRef::new("asset", asset.id, &number)), text);
        self.store.create_install_request(actor.office_id, &f, &actor.full_name, actor.user_id, self.now(), log).await
    }

    /// Requests the actor may see: all of them with `AssetsRead`, else their own.
    pub async fn install_requests(&self, actor: &Actor, open_only: bool) -> Result<Vec<InstallRequest>> {
        let mine = if actor.can(Permission::AssetsRead) {
            None
        } else {
            actor.require(Permission::HelpdeskReport)?;
            Some(actor.user_id)
        };
        self.store.install_requests(actor.office_id, open_only, mine).await
    }

    pub async fn install_request(&self, actor: &Actor, id: i64) -> Result<InstallRequest> {
        if !actor.can(Permission::AssetsRead) {
            actor.require(Permission::HelpdeskReport)?;
        }
        let r = self.store.install_request(actor.office_id, id).await?;
        if !actor.can(Permission::AssetsRead) && r.requested_user_id != actor.user_id {
            return Err(Error::NotFound { what: "install request" });
        }
        Ok(r)
    }

    /// Products of the catalogue in use, for the request form: (id, name).
    pub async fn requestable_software(&self, actor: &Actor) -> Result<Vec<(i64, String)>> {
        actor.require(Permission::HelpdeskReport)?;
        let list = self.store.software_catalogue(actor.office_id).await?;
        Ok(list.into_iter().filter(|p| p.active).map(|p| (p.id, p.name)).collect())
    }

    /// Requests waiting for the head of administration (home page).
    pub async fn install_requests_waiting(&self, actor: &Actor) -> Result<i64> {
        actor.require(Permission::ApproveInstalls)?;
        Ok(self.store.install_requests(actor.office_id, true, None).await?.iter().filter(|r| r.state == RequestState::Submitted).count()
            as i64)
    }

    /// The head of administration approves or refuses (R.62.7).
    pub async fn decide_install(&self, actor: &Actor, id: i64, input: &DecisionInput) -> Result<()> {
        actor.require(Permission::ApproveInstalls)?;
        let (approve, note) = input.validate()?;
        let r = self.install_request(actor, id).await?;
        let to = if approve { RequestState::Approved } else { RequestState::Rejected };
        check_step(r.state, to)?;
        let text = if approve {
            format!("Одобрена инсталација „{}“ на рачунару {} (члан 62.7){}", r.name, r.asset, suffix(&note))
        } else {
            format!("Одбијена инсталација „{}“ на рачунару {}: {note}", r.name, r.asset)
        };
        let log = self.request_log(actor, &r, text);
        self.store.set_install_request_state(actor.office_id, id, r.state, to, &actor.full_name, &note, r.product_id, self.now(), log).await
    }

    /// An administrator installed the approved program; the request names its catalogue product
    /// from now on, so that the next inventory can confirm it.
    pub async fn mark_installed(&self, actor: &Actor, id: i64, product_id: Option<i64>) -> Result<()> {
        actor.require(Permission::AssetsWrite)?;
        let r = self.install_request(actor, id).await?;
        check_step(r.state, RequestState::Installed)?;
        let product_id = product_id.or(r.product_id).ok_or(Error::invalid("product_id", "err-request-product"))?;
        let product = self
            .store
            .software_catalogue(actor.office_id)
            .await?
            .into_iter()
            .find(|p| p.id == product_id)
            .ok_or(Error::invalid("product_id", "err-request-product"))?;
        let text = format!("Инсталиран „{}“ на рачунару {} по одобреном захтеву бр. {}", product.name, r.asset, r.id);
        let mut log = self.request_log(actor, &r, text);
        log.category = LogCategory::Intervention;
        self.store
            .set_install_request_state(
                actor.office_id,
                id,
                r.state,
                RequestState::Installed,
                &actor.full_name,
                "",
                Some(product_id),
                self.now(),
                log,
            )
            .await?;
        // The inventory may already show it (the agent ran before the administrator got here).
        self.confirm_installs(actor.office_id, Some(r.asset_id)).await
    }

    /// Installed requests whose product the inventories now show on the workstation are
    /// confirmed, each with its work-log entry. Called after every recompute.
    pub(crate) async fn confirm_installs(&self, office_id: i64, asset_id: Option<i64>) -> Result<()> {
        for r in self.store.installs_to_confirm(office_id, asset_id).await? {
            let text = format!("Инвентар потврђује инсталацију „{}“ на рачунару {} (захтев бр. {})", r.product, r.asset, r.id);
            let log = system(office_id, LogCategory::Intervention, Some(ObjectRef::new("asset", r.asset_id, &r.asset)), text);
            let now = self.now();
            match self
                .store
                .set_install_request_state(
                    office_id,
                    r.id,
                    RequestState::Installed,
                    RequestState::Confirmed,
                    "",
                    "",
                    r.product_id,
                    now,
                    log,
                )
                .await
            {
                // Another instance confirmed it in between.
                Err(Error::Conflict { .. }) => {}
                other => other?,
            }
        }
        Ok(())
    }

    fn request_log(&self, actor: &Actor, r: &InstallRequest, text: String) -> Draft {
        draft(actor, LogCategory::ConfigurationChange, Some(ObjectRef::new("asset", r.asset_id, &r.asset)), text)
    }
}

fn suffix(note: &str) -> String {
    if note.is_empty() { String::new() } else { format!(": {note}") }
}
