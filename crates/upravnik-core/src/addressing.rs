//! Services for IP subnets (R.3: IP addresses of the equipment): define, change and remove the
//! office's networks, and count which host addresses its active assets use.

use crate::access::{Actor, Permission};
use crate::service::{Services, draft};
use crate::subnet::{AssetAddress, Cidr, Subnet, SubnetFields, SubnetInput, SubnetUsage, overlapping, usage};
use crate::worklog::{Category, ObjectRef};
use crate::{Error, Result};

fn describe(f: &SubnetFields) -> String {
    let mut s = format!("{} „{}“", f.cidr, f.name);
    if let Some(v) = f.vlan {
        s.push_str(&format!(", VLAN {v}"));
    }
    if let Some(g) = f.gateway {
        s.push_str(&format!(", мрежни пролаз {g}"));
    }
    s
}

impl Services {
    /// Every subnet of the office with its addresses counted, in address order.
    pub async fn subnets(&self, actor: &Actor) -> Result<Vec<SubnetUsage>> {
        actor.require(Permission::AssetsRead)?;
        let active = self.store.active_addresses(actor.office_id).await?;
        let mut v = vec![];
        for s in self.store.list_subnets(actor.office_id).await? {
            let net = s.network()?;
            v.push((u32::from(net.network), usage(s, net, &active)));
        }
        v.sort_by_key(|(k, _)| *k);
        Ok(v.into_iter().map(|(_, u)| u).collect())
    }

    pub async fn subnet(&self, actor: &Actor, id: i64) -> Result<SubnetUsage> {
        actor.require(Permission::AssetsRead)?;
        let s = self.store.get_subnet(actor.office_id, id).await?;
        let net = s.network()?;
        Ok(usage(s, net, &self.store.active_addresses(actor.office_id).await?))
    }

    /// Addresses of active assets that fall in no defined subnet.
    pub async fn addresses_outside_subnets(&self, actor: &Actor) -> Result<Vec<AssetAddress>> {
        actor.require(Permission::AssetsRead)?;
        let nets = self.store.list_subnets(actor.office_id).await?.iter().map(Subnet::network).collect::<Result<Vec<Cidr>>>()?;
        Ok(crate::subnet::outside(&nets, &self.store.active_addresses(actor.office_id).await?))
    }

    /// Refuses a network that overlaps another subnet of the office, naming the field.
    async fn check_overlap(&self, actor: &Actor, f: &SubnetFields, except: Option<i64>) -> Result<()> {
        let others = self
            .store
            .list_subnets(actor.office_id)
            .await?
            .iter()
            .map(|s| Ok((s.id, s.network()?)))
            .collect::<Result<Vec<(i64, Cidr)>>>()?;
        match overlapping(f.cidr, &others, except) {
            Some(_) => Err(Error::Conflict { code: "subnet_overlap", field: Some("cidr") }),
            None => Ok(()),
        }
    }

    pub async fn create_subnet(&self, actor: &Actor, input: &SubnetInput) -> Result<Subnet> {
        actor.require(Permission::AssetsWrite)?;
        let f = input.validate()?;
        self.check_overlap(actor, &f, None).await?;
        let log = draft(actor, Category::ConfigurationChange, None, format!("Дефинисана мрежа {}", describe(&f)));
        self.store.create_subnet(actor.office_id, &f, self.now(), log).await
    }

    pub async fn update_subnet(&self, actor: &Actor, id: i64, input: &SubnetInput) -> Result<Subnet> {
        actor.require(Permission::AssetsWrite)?;
        let f = input.validate()?;
        let old = self.store.get_subnet(actor.office_id, id).await?;
        self.check_overlap(actor, &f, Some(id)).await?;
        let log = draft(
            actor,
            Category::ConfigurationChange,
            Some(ObjectRef::new("subnet", id, f.cidr.to_string())),
            format!("Измена мреже {} „{}“: {}", old.cidr, old.name, describe(&f)),
        );
        self.store.update_subnet(actor.office_id, id, &f, self.now(), log).await
    }

    /// Removes the definition only; the assets keep their addresses.
    pub async fn delete_subnet(&self, actor: &Actor, id: i64) -> Result<()> {
        actor.require(Permission::AssetsWrite)?;
        let old = self.store.get_subnet(actor.office_id, id).await?;
        let log = draft(
            actor,
            Category::ConfigurationChange,
            Some(ObjectRef::new("subnet", id, &old.cidr)),
            format!("Обрисана мрежа {} „{}“", old.cidr, old.name),
        );
        self.store.delete_subnet(actor.office_id, id, self.now(), log).await
    }

    /// The first free address of the subnet holding `ip`, or of the first subnet with one free,
    /// for the hint on the asset form.
    pub async fn next_free_address(&self, actor: &Actor, near: Option<&str>) -> Result<Option<(String, String)>> {
        let all = self.subnets(actor).await?;
        let near = near.and_then(|ip| ip.trim().parse::<std::net::Ipv4Addr>().ok());
        let pick = all
            .iter()
            .find(|u| near.is_some_and(|ip| u.subnet.network().is_ok_and(|n| n.contains(ip))) && u.free > 0)
            .or_else(|| all.iter().find(|u| u.free > 0));
        Ok(pick.and_then(|u| {
            let net = u.subnet.network().ok()?;
            crate::subnet::first_free(u, net, 1).first().map(|ip| (ip.to_string(), format!("{} ({})", u.subnet.name, u.subnet.cidr)))
        }))
    }
}
