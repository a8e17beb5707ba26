//! IP subnets and the addresses active assets hold (R.3).

use crate::SqlStore;
use crate::rows::{Get, map_err};
use crate::worklog::append_tx;
use sqlx::any::AnyRow;
use upravnik_core::subnet::{AssetAddress, Subnet, SubnetFields};
use upravnik_core::worklog::{Draft, ObjectRef};
use upravnik_core::{Error, Result};

const COLS: &str = "id, office_id, cidr, name, vlan, gateway, note";

fn subnet(r: &AnyRow) -> Result<Subnet> {
    Ok(Subnet {
        id: r.i64("id")?,
        office_id: r.i64("office_id")?,
        cidr: r.text("cidr")?,
        name: r.text("name")?,
        vlan: r.opt_i64("vlan")?,
        gateway: r.opt_text("gateway")?,
        note: r.text("note")?,
    })
}

/// Two people defining the same network at once: the unique index answers as the overlap check would.
fn conflict(e: Error) -> Error {
    match e {
        Error::Conflict { code: "duplicate", .. } => Error::Conflict { code: "subnet_overlap", field: Some("cidr") },
        other => other,
    }
}

impl SqlStore {
    pub(crate) async fn list_subnets_impl(&self, office_id: i64) -> Result<Vec<Subnet>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM subnets WHERE office_id = $1 ORDER BY id")))
            .bind(office_id)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(subnet).collect()
    }

    pub(crate) async fn get_subnet_impl(&self, office_id: i64, id: i64) -> Result<Subnet> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM subnets WHERE office_id = $1 AND id = $2")))
            .bind(office_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        r.as_ref().map(subnet).transpose()?.ok_or(Error::NotFound { what: "subnet" })
    }

    /// Inserts (`id` empty) or updates a subnet, with its work-log entry, in one transaction.
    pub(crate) async fn save_subnet(&self, office_id: i64, id: Option<i64>, f: &SubnetFields, now: i64, mut log: Draft) -> Result<Subnet> {
        let mut tx = self.begin_write().await?;
        let cidr = f.cidr.to_string();
        let gateway = f.gateway.map(|g| g.to_string());
        let id = match id {
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO subnets (office_id, cidr, name, vlan, gateway, note, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                )
                .bind(office_id)
                .bind(&cidr)
                .bind(&f.name)
                .bind(f.vlan)
                .bind(&gateway)
                .bind(&f.note)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| conflict(map_err(e)))?;
                log.object.get_or_insert_with(|| ObjectRef::new("subnet", id, &cidr));
                id
            }
            Some(id) => {
                let n = sqlx::query(
                    "UPDATE subnets SET cidr = $1, name = $2, vlan = $3, gateway = $4, note = $5, updated_at = $6 \
                     WHERE id = $7 AND office_id = $8",
                )
                .bind(&cidr)
                .bind(&f.name)
                .bind(f.vlan)
                .bind(&gateway)
                .bind(&f.note)
                .bind(now)
                .bind(id)
                .bind(office_id)
                .execute(&mut *tx)
                .await
                .map_err(|e| conflict(map_err(e)))?;
                if n.rows_affected() == 0 {
                    return Err(Error::NotFound { what: "subnet" });
                }
                id
            }
        };
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.get_subnet_impl(office_id, id).await
    }

    pub(crate) async fn delete_subnet_impl(&self, office_id: i64, id: i64, now: i64, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM subnets WHERE id = $1 AND office_id = $2")
            .bind(id)
            .bind(office_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::NotFound { what: "subnet" });
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn active_addresses_impl(&self, office_id: i64) -> Result<Vec<AssetAddress>> {
        let rows = sqlx::query(
            "SELECT id, ip, inventory_number, hostname FROM assets WHERE office_id = $1 AND ip IS NOT NULL \
             AND status NOT IN ('written_off', 'disposed')",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(AssetAddress {
                    ip: r.text("ip")?,
                    asset_id: r.i64("id")?,
                    inventory_number: r.text("inventory_number")?,
                    hostname: r.text("hostname")?,
                })
            })
            .collect()
    }
}
