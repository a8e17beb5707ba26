//! The signed-in person's own page: password change (R.18) and personal API tokens.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use upravnik_core::Error;

use super::accounts::role_name;
use super::layout::{Chrome, render_form};
use super::view::{Field, ListParams};
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;

#[derive(Template)]
#[template(path = "profile.html")]
pub struct ProfilePage<'a> {
    pub c: Chrome<'a>,
    pub username: String,
    pub roles: String,
    pub unit: String,
    pub password_fields: Vec<Field>,
    pub password_errors: bool,
    /// (id, name, created, last used)
    pub tokens: Vec<(i64, String, String, String)>,
    pub new_token: Option<String>,
    pub token_error: Option<String>,
    pub mfa: bool,
}

async fn page(
    st: &AppState,
    ctx: &Ctx,
    errs: &[upravnik_core::FieldError],
    new_token: Option<String>,
    token_error: Option<String>,
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let actor = ctx.actor()?;
    let person = st.services.person(actor, actor.person_id).await?;
    let mut fields = vec![
        Field::new("current_password", "password", tr.t("field-current-password"), String::new())
            .required()
            .autocomplete("current-password"),
        Field::new("new_password", "password", tr.t("field-new-password"), String::new())
            .required()
            .hint(tr.t("hint-password"))
            .autocomplete("new-password"),
        Field::new("repeat_password", "password", tr.t("field-repeat-password"), String::new()).required().autocomplete("new-password"),
    ];
    for e in errs {
        let name = if e.field == "password" { "new_password" } else { e.field };
        if let Some(f) = fields.iter_mut().find(|f| f.name == name) {
            f.error = Some(tr.t(e.message));
        }
    }
    let tokens = st
        .services
        .api_tokens(actor)
        .await?
        .into_iter()
        .map(|t| {
            (
                t.id,
                t.name,
                upravnik_core::clock::format_local(t.created_us),
                t.last_used_us.map(upravnik_core::clock::format_local).unwrap_or_else(|| tr.t("never")),
            )
        })
        .collect();
    let page = ProfilePage {
        c: Chrome::new(st, ctx, "/profile", tr.d(&actor.full_name)).flash(ok),
        username: actor.username.clone(),
        roles: actor.roles.iter().map(|r| role_name(&tr, *r)).collect::<Vec<_>>().join(", "),
        unit: tr.d(person.unit_name.as_deref().unwrap_or("")),
        password_fields: fields,
        password_errors: !errs.is_empty(),
        tokens,
        new_token,
        token_error,
        mfa: st.services.mfa_enabled(actor).await?,
    };
    Ok(render_form(&page, !errs.is_empty()))
}

pub async fn show(State(st): State<AppState>, ctx: Ctx, Query(p): Query<ListParams>) -> UiResult {
    page(&st, &ctx, &[], None, None, p.ok.as_deref()).await
}

pub async fn change_password(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let new = f.get("new_password");
    let result = if new != f.get("repeat_password") {
        Err(Error::invalid("repeat_password", "err-password-repeat"))
    } else {
        st.services.change_password(&actor, &f.get("current_password"), &new).await
    };
    match result {
        Ok(()) => Ok(done("/profile", "password")),
        Err(Error::Invalid(errs)) => page(&st, &ctx, &errs, None, None, None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn create_token(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    match st.services.create_api_token(&actor, &f.get("name")).await {
        Ok((_, token)) => page(&st, &ctx, &[], Some(token), None, None).await,
        Err(Error::Invalid(_)) => page(&st, &ctx, &[], None, Some(ctx.tr(&st).t("err-token-name")), None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke_token(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    st.services.revoke_api_token(&actor, id).await?;
    Ok(done("/profile", "revoked"))
}
