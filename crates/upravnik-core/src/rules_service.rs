//! Services of the rules of work and their acceptance (R.19, Prilog 3): publish a version,
//! accept it (online or on paper), see who has not.

use crate::access::{Actor, Permission};
use crate::rules::{AcceptanceList, AcceptanceQuery, AcceptedBy, PaperInput, RulesInput, RulesVersion};
use crate::service::{Services, draft};
use crate::worklog::{Category, ObjectRef};
use crate::{Error, Result};

impl Services {
    /// The version in force, if the office has published one.
    pub async fn current_rules(&self, actor: &Actor) -> Result<Option<RulesVersion>> {
        actor.require(Permission::SignedIn)?;
        self.store.current_rules(actor.office_id).await
    }

    /// The version the signed-in person still has to accept, if any (asked at sign-in).
    pub async fn rules_to_accept(&self, actor: &Actor) -> Result<Option<RulesVersion>> {
        let Some(v) = self.current_rules(actor).await? else { return Ok(None) };
        Ok(match self.store.rules_acceptance(v.id, actor.person_id).await? {
            Some(_) => None,
            None => Some(v),
        })
    }

    /// The person's acceptance of the version in force.
    pub async fn rules_acceptance(&self, actor: &Actor, person_id: i64) -> Result<Option<(RulesVersion, crate::rules::Acceptance)>> {
        if person_id != actor.person_id {
            actor.require(Permission::OrgRead)?;
        }
        let Some(v) = self.current_rules(actor).await? else { return Ok(None) };
        self.store.get_person(actor.office_id, person_id).await?;
        Ok(self.store.rules_acceptance(v.id, person_id).await?.map(|a| (v, a)))
    }

    /// A new version: everyone is asked again (R.19).
    pub async fn publish_rules(&self, actor: &Actor, input: &RulesInput) -> Result<RulesVersion> {
        actor.require(Permission::OrgWrite)?;
        let (title, body) = input.validate()?;
        let log = draft(actor, Category::SecurityMeasure, None, format!("Објављена нова верзија правила рада у ИКТ систему: „{title}“"));
        self.store.publish_rules(actor.office_id, &title, &body, &actor.full_name, self.now(), log).await
    }

    /// The signed-in person accepts the version in force. `version` is the one they read: a
    /// newer one published meanwhile is not accepted unseen.
    pub async fn accept_rules(&self, actor: &Actor, version: i64) -> Result<RulesVersion> {
        actor.require(Permission::SignedIn)?;
        let v = self.current_rules(actor).await?.ok_or(Error::NotFound { what: "rules" })?;
        if v.version != version {
            return Err(Error::invalid("version", "err-rules-version"));
        }
        let person = self.store.get_person(actor.office_id, actor.person_id).await?;
        let log = draft(
            actor,
            Category::SecurityMeasure,
            Some(ObjectRef::new("person", person.id, person.full_name())),
            format!("{} прихватио/ла правила рада у ИКТ систему, верзија {} (електронски)", person.full_name(), v.version),
        );
        let today = self.today();
        self.store.accept_rules(actor.office_id, v.id, person.id, AcceptedBy::Online, &today, &actor.full_name, self.now(), log).await?;
        Ok(v)
    }

    /// An administrator records a signed paper copy of the statement (Prilog 3).
    pub async fn record_paper_acceptance(&self, actor: &Actor, input: &PaperInput) -> Result<()> {
        actor.require(Permission::OrgWrite)?;
        let v = self.current_rules(actor).await?.ok_or(Error::NotFound { what: "rules" })?;
        let person = self.store.get_person(actor.office_id, input.person_id).await?;
        if !person.active {
            return Err(Error::invalid("person_id", "err-person-inactive"));
        }
        let signed_on = input.signed_on(&self.today())?;
        let log = draft(
            actor,
            Category::SecurityMeasure,
            Some(ObjectRef::new("person", person.id, person.full_name())),
            format!(
                "Уписана потписана изјава о прихватању правила рада (верзија {}) запосленог {}, од {}",
                v.version,
                person.full_name(),
                crate::clock::parse_date(&signed_on).map(crate::clock::format_date).unwrap_or_default()
            ),
        );
        self.store.accept_rules(actor.office_id, v.id, person.id, AcceptedBy::Paper, &signed_on, &actor.full_name, self.now(), log).await?;
        Ok(())
    }

    /// The office's active people and their acceptance of the version in force.
    pub async fn rules_acceptances(&self, actor: &Actor, q: &AcceptanceQuery) -> Result<Option<(RulesVersion, AcceptanceList)>> {
        actor.require(Permission::OrgRead)?;
        let Some(v) = self.current_rules(actor).await? else { return Ok(None) };
        let mut q = q.clone();
        q.office_id = actor.office_id;
        q.version_id = v.id;
        q.page = q.page.max(1);
        q.per_page = q.per_page.clamp(1, 500);
        q.q = q.q.as_deref().map(crate::text::search_key).filter(|k| !k.is_empty());
        let list = self.store.rules_acceptances(&q).await?;
        Ok(Some((v, list)))
    }

    /// The version in force and how many active people have not yet accepted it (the home page).
    pub async fn rules_missing(&self, actor: &Actor) -> Result<Option<(RulesVersion, i64)>> {
        actor.require(Permission::OrgRead)?;
        let Some(v) = self.current_rules(actor).await? else { return Ok(None) };
        let (people, accepted) = self.store.rules_acceptance_totals(actor.office_id, v.id).await?;
        Ok(Some((v, people - accepted)))
    }
}
