//! Units, workplaces and people.

use crate::SqlStore;
use crate::rows::{Get, flag, map_err, search};
use crate::worklog::append_tx;
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use upravnik_core::org::{ListQuery, Page, Person, PersonInput, SortKey, Unit, UnitInput, Workplace, WorkplaceInput};
use upravnik_core::text::search_key;
use upravnik_core::worklog::{Draft, ObjectRef};
use upravnik_core::{Error, Result};

pub(crate) fn direction(q: &ListQuery) -> &'static str {
    if q.desc { "DESC" } else { "ASC" }
}

impl SqlStore {
    /// One page of a list and the total, for queries whose filter uses the four standard
    /// parameters: `$1` office, `$2` include inactive, `$3` search pattern, `$4` unit (0 = any).
    pub(crate) async fn list_page(&self, select: String, count: String, q: &ListQuery) -> Result<(Vec<AnyRow>, i64)> {
        let pat = search(&q.q);
        let unit = q.unit_id.unwrap_or(0);
        let rows = sqlx::query(AssertSqlSafe(format!("{select} LIMIT $5 OFFSET $6")))
            .bind(q.office_id)
            .bind(flag(q.include_inactive))
            .bind(&pat)
            .bind(unit)
            .bind(i64::from(q.per_page))
            .bind(q.offset())
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        let total: i64 = sqlx::query_scalar(AssertSqlSafe(count))
            .bind(q.office_id)
            .bind(flag(q.include_inactive))
            .bind(&pat)
            .bind(unit)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        Ok((rows, total))
    }
}

impl SqlStore {
    pub(crate) async fn org_counts_impl(&self, office_id: i64) -> Result<upravnik_core::org::OrgCounts> {
        // The office is bound once per subquery: SQLite's `$n` parameters are named, not numbered.
        let (units, workplaces, people, accounts): (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM org_units WHERE office_id = $1 AND active = 1), \
             (SELECT COUNT(*) FROM workplaces WHERE office_id = $2 AND active = 1), \
             (SELECT COUNT(*) FROM people WHERE office_id = $3 AND active = 1), \
             (SELECT COUNT(*) FROM users WHERE office_id = $4 AND active = 1)",
        )
        .bind(office_id)
        .bind(office_id)
        .bind(office_id)
        .bind(office_id)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(upravnik_core::org::OrgCounts { units, workplaces, people, accounts })
    }
}

// --- units -----------------------------------------------------------------------------------

const UNIT_COLS: &str = "u.id, u.office_id, u.parent_id, p.name AS parent_name, u.name, u.code, u.active, \
     (SELECT COUNT(*) FROM people pe WHERE pe.unit_id = u.id AND pe.active = 1) AS people \
     FROM org_units u LEFT JOIN org_units p ON p.id = u.parent_id";
const UNIT_WHERE: &str = "WHERE u.office_id = $1 AND ($2 = 1 OR u.active = 1) AND ($3 = '' OR u.search_key LIKE $3 ESCAPE '\\') \
     AND ($4 = 0 OR u.parent_id = $4 OR u.id = $4)";

fn unit(r: &AnyRow) -> Result<Unit> {
    Ok(Unit {
        id: r.i64("id")?,
        office_id: r.i64("office_id")?,
        parent_id: r.opt_i64("parent_id")?,
        parent_name: r.opt_text("parent_name")?,
        name: r.text("name")?,
        code: r.text("code")?,
        active: r.flag("active")?,
        people: r.i64("people")?,
    })
}

impl SqlStore {
    pub(crate) async fn list_units_impl(&self, q: &ListQuery) -> Result<Page<Unit>> {
        // Basic units first, each followed by its internal units, unless another order is asked for.
        let order = match q.sort {
            SortKey::Name | SortKey::Unit => {
                format!("COALESCE(p.search_key, u.search_key) {0}, u.parent_id IS NOT NULL, u.search_key {0}", direction(q))
            }
            SortKey::Created => format!("u.id {}", direction(q)),
        };
        let (rows, total) = self
            .list_page(
                format!("SELECT {UNIT_COLS} {UNIT_WHERE} ORDER BY {order}"),
                format!("SELECT COUNT(*) FROM org_units u LEFT JOIN org_units p ON p.id = u.parent_id {UNIT_WHERE}"),
                q,
            )
            .await?;
        Ok(Page { items: rows.iter().map(unit).collect::<Result<_>>()?, total, page: q.page, per_page: q.per_page })
    }

    pub(crate) async fn get_unit_impl(&self, office_id: i64, id: i64) -> Result<Unit> {
        let sql = format!("SELECT {UNIT_COLS} WHERE u.office_id = $1 AND u.id = $2");
        let r = sqlx::query(AssertSqlSafe(sql)).bind(office_id).bind(id).fetch_optional(&self.pool).await.map_err(map_err)?;
        r.as_ref().map(unit).transpose()?.ok_or(Error::NotFound { what: "unit" })
    }

    pub(crate) async fn save_unit(&self, office_id: i64, id: Option<i64>, input: &UnitInput, now: i64, log: Draft) -> Result<Unit> {
        let mut tx = self.begin_write().await?;
        let key = search_key(&format!("{} {}", input.name, input.code));
        let (id, updated) = match id {
            None => (
                sqlx::query_scalar(
                    "INSERT INTO org_units (office_id, parent_id, name, code, search_key, active, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id",
                )
                .bind(office_id)
                .bind(input.parent_id)
                .bind(&input.name)
                .bind(&input.code)
                .bind(&key)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?,
                None,
            ),
            Some(id) => {
                let n = sqlx::query(
                    "UPDATE org_units SET parent_id = $1, name = $2, code = $3, search_key = $4, updated_at = $5 WHERE id = $6 AND office_id = $7",
                )
                .bind(input.parent_id)
                .bind(&input.name)
                .bind(&input.code)
                .bind(&key)
                .bind(now)
                .bind(id)
                .bind(office_id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
                (id, Some(n.rows_affected()))
            }
        };
        finish_save(tx, updated, log, now, ObjectRef::new("unit", id, &input.name), "unit").await?;
        self.get_unit_impl(office_id, id).await
    }

    // --- workplaces ------------------------------------------------------------------------------

    pub(crate) async fn list_workplaces_impl(&self, q: &ListQuery) -> Result<Page<Workplace>> {
        let order = match q.sort {
            SortKey::Name => format!("w.search_key {}", direction(q)),
            SortKey::Unit => format!("u.search_key {0}, w.search_key {0}", direction(q)),
            SortKey::Created => format!("w.id {}", direction(q)),
        };
        let filter = "WHERE w.office_id = $1 AND ($2 = 1 OR w.active = 1) AND ($3 = '' OR w.search_key LIKE $3 ESCAPE '\\') AND ($4 = 0 OR w.unit_id = $4)";
        let select = format!(
            "SELECT w.id, w.office_id, w.unit_id, u.name AS unit_name, w.name, w.room, w.active \
             FROM workplaces w JOIN org_units u ON u.id = w.unit_id {filter} ORDER BY {order}"
        );
        let (rows, total) = self.list_page(select, format!("SELECT COUNT(*) FROM workplaces w {filter}"), q).await?;
        Ok(Page { items: rows.iter().map(workplace).collect::<Result<_>>()?, total, page: q.page, per_page: q.per_page })
    }

    pub(crate) async fn get_workplace_impl(&self, office_id: i64, id: i64) -> Result<Workplace> {
        let r = sqlx::query(
            "SELECT w.id, w.office_id, w.unit_id, u.name AS unit_name, w.name, w.room, w.active \
             FROM workplaces w JOIN org_units u ON u.id = w.unit_id WHERE w.office_id = $1 AND w.id = $2",
        )
        .bind(office_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        r.as_ref().map(workplace).transpose()?.ok_or(Error::NotFound { what: "workplace" })
    }

    pub(crate) async fn save_workplace(
        &self,
        office_id: i64,
        id: Option<i64>,
        input: &WorkplaceInput,
        now: i64,
        log: Draft,
    ) -> Result<Workplace> {
        let mut tx = self.begin_write().await?;
        let key = search_key(&format!("{} {}", input.name, input.room));
        let (id, updated) = match id {
            None => (
                sqlx::query_scalar(
                    "INSERT INTO workplaces (office_id, unit_id, name, room, search_key, active, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id",
                )
                .bind(office_id)
                .bind(input.unit_id)
                .bind(&input.name)
                .bind(&input.room)
                .bind(&key)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?,
                None,
            ),
            Some(id) => {
                let n = sqlx::query("UPDATE workplaces SET unit_id = $1, name = $2, room = $3, search_key = $4, updated_at = $5 WHERE id = $6 AND office_id = $7")
                    .bind(input.unit_id)
                    .bind(&input.name)
                    .bind(&input.room)
                    .bind(&key)
                    .bind(now)
                    .bind(id)
                    .bind(office_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                (id, Some(n.rows_affected()))
            }
        };
        finish_save(tx, updated, log, now, ObjectRef::new("workplace", id, &input.name), "workplace").await?;
        self.get_workplace_impl(office_id, id).await
    }

    // --- people ----------------------------------------------------------------------------------

    pub(crate) async fn list_people_impl(&self, q: &ListQuery) -> Result<Page<Person>> {
        let order = match q.sort {
            SortKey::Name => format!("pe.family_name {0}, pe.given_name {0}", direction(q)),
            SortKey::Unit => format!("u.search_key {0}, pe.family_name {0}", direction(q)),
            SortKey::Created => format!("pe.id {}", direction(q)),
        };
        let filter = "WHERE pe.office_id = $1 AND ($2 = 1 OR pe.active = 1) AND ($3 = '' OR pe.search_key LIKE $3 ESCAPE '\\') AND ($4 = 0 OR pe.unit_id = $4)";
        let (rows, total) = self
            .list_page(format!("SELECT {PERSON_COLS} {filter} ORDER BY {order}"), format!("SELECT COUNT(*) FROM people pe {filter}"), q)
            .await?;
        Ok(Page { items: rows.iter().map(person).collect::<Result<_>>()?, total, page: q.page, per_page: q.per_page })
    }

    pub(crate) async fn get_person_impl(&self, office_id: i64, id: i64) -> Result<Person> {
        let sql = format!("SELECT {PERSON_COLS} WHERE pe.office_id = $1 AND pe.id = $2");
        let r = sqlx::query(AssertSqlSafe(sql)).bind(office_id).bind(id).fetch_optional(&self.pool).await.map_err(map_err)?;
        r.as_ref().map(person).transpose()?.ok_or(Error::NotFound { what: "person" })
    }

    pub(crate) async fn save_person(&self, office_id: i64, id: Option<i64>, p: &PersonInput, now: i64, log: Draft) -> Result<Person> {
        let mut tx = self.begin_write().await?;
        let key = person_key(&p.given_name, &p.family_name, &p.email, None);
        let bd = Some(p.birth_date.clone()).filter(|b| !b.is_empty());
        let (id, updated) = match id {
            None => (
            sqlx::query_scalar(
                "INSERT INTO people (office_id, given_name, family_name, birth_date, email, phone, unit_id, workplace_id, search_key, active, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10) RETURNING id",
            )
            .bind(office_id)
            .bind(&p.given_name)
            .bind(&p.family_name)
            .bind(bd)
            .bind(&p.email)
            .bind(&p.phone)
            .bind(p.unit_id)
            .bind(p.workplace_id)
            .bind(&key)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?,
            None,
            ),
            Some(id) => {
                let n = sqlx::query(
                    "UPDATE people SET given_name = $1, family_name = $2, birth_date = $3, email = $4, phone = $5, unit_id = $6, \
                     workplace_id = $7, search_key = $8 || COALESCE((SELECT ' ' || username FROM users WHERE person_id = $10), ''), updated_at = $9 \
                     WHERE id = $10 AND office_id = $11",
                )
                .bind(&p.given_name)
                .bind(&p.family_name)
                .bind(bd)
                .bind(&p.email)
                .bind(&p.phone)
                .bind(p.unit_id)
                .bind(p.workplace_id)
                .bind(&key)
                .bind(now)
                .bind(id)
                .bind(office_id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
                (id, Some(n.rows_affected()))
            }
        };
        finish_save(tx, updated, log, now, ObjectRef::new("person", id, format!("{} {}", p.given_name, p.family_name)), "person").await?;
        self.get_person_impl(office_id, id).await
    }

    /// Deactivating a person also closes their account and ends their sessions (R.55, measure 4).
    pub(crate) async fn set_active(&self, table: Table, office_id: i64, id: i64, active: bool, now: i64, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let sql = format!("UPDATE {} SET active = $1, updated_at = $2 WHERE id = $3 AND office_id = $4", table.name());
        let n = sqlx::query(AssertSqlSafe(sql))
            .bind(flag(active))
            .bind(now)
            .bind(id)
            .bind(office_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::NotFound { what: table.name() });
        }
        if table == Table::People && !active {
            sqlx::query("UPDATE users SET active = 0 WHERE person_id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
            sqlx::query("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE person_id = $1)")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }
}

/// The end of every save: the update must have found its row; the log entry names the object
/// (unless the service already did) and is appended in the same transaction.
async fn finish_save(
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    updated: Option<u64>,
    mut log: Draft,
    now: i64,
    object: ObjectRef,
    what: &'static str,
) -> Result<()> {
    if updated == Some(0) {
        return Err(Error::NotFound { what });
    }
    log.object.get_or_insert(object);
    append_tx(&mut tx, log, now).await?;
    tx.commit().await.map_err(map_err)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    Units,
    Workplaces,
    People,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Units => "org_units",
            Table::Workplaces => "workplaces",
            Table::People => "people",
        }
    }
}

const PERSON_COLS: &str = "pe.id, pe.office_id, pe.given_name, pe.family_name, pe.birth_date, pe.email, pe.phone, pe.unit_id, \
     u.name AS unit_name, pe.workplace_id, w.name AS workplace_name, pe.active, us.username \
     FROM people pe LEFT JOIN org_units u ON u.id = pe.unit_id LEFT JOIN workplaces w ON w.id = pe.workplace_id \
     LEFT JOIN users us ON us.person_id = pe.id";

pub(crate) fn person_key(given: &str, family: &str, email: &str, username: Option<&str>) -> String {
    search_key(&format!("{given} {family} {family} {given} {email} {}", username.unwrap_or("")))
}

fn workplace(r: &AnyRow) -> Result<Workplace> {
    Ok(Workplace {
        id: r.i64("id")?,
        office_id: r.i64("office_id")?,
        unit_id: r.i64("unit_id")?,
        unit_name: r.text("unit_name")?,
        name: r.text("name")?,
        room: r.text("room")?,
        active: r.flag("active")?,
    })
}

fn person(r: &AnyRow) -> Result<Person> {
    Ok(Person {
        id: r.i64("id")?,
        office_id: r.i64("office_id")?,
        given_name: r.text("given_name")?,
        family_name: r.text("family_name")?,
        birth_date: r.opt_text("birth_date")?,
        email: r.text("email")?,
        phone: r.text("phone")?,
        unit_id: r.opt_i64("unit_id")?,
        unit_name: r.opt_text("unit_name")?,
        workplace_id: r.opt_i64("workplace_id")?,
        workplace_name: r.opt_text("workplace_name")?,
        active: r.flag("active")?,
        username: r.opt_text("username")?,
    })
}
