//! Token revocation: HRSS revokes one token by its `jti`, or every token of a subject issued
//! until then; every replica refuses them within about a second (`401 token_revoked`).
//!
//! The list lives in the database; each process keeps a copy ([`crate::auth::Revocations`])
//! that the access check reads on every request, refreshed from the list's one-row version
//! every second ([`spawn_refresh`]) and at once after a change made through this process.

mod views;

use std::{sync::Weak, time::Duration};

use actix_web::{HttpResponse, delete, get, post, web};
use guwen_domain::audit::AuditAction;
use guwen_persistence::{
    Db, DbErr,
    store::{
        Direction, Event, new_id,
        tokens::{self as store, TokenRevocation},
    },
};
use utoipa_actix_web::service_config::ServiceConfig;

pub use views::{RevocationRequest, RevocationView};

use crate::auth::{RevocationSet, Revocations};
use crate::prelude::*;

/// How often each process polls the revocation version.
pub const REFRESH_EVERY: Duration = Duration::from_secs(1);

/// Revoke tokens
///
/// Revokes one token by its `jti`, or every token of a subject (`sub`) issued until now.
/// Every replica refuses them within about a second, with `token_revoked`.
#[utoipa::path(
    operation_id = "createTokenRevocation",
    tag = "tokens",
    security(("bearer" = ["hrss"])),
    params(IdempotencyKey),
    request_body = RevocationRequest,
    responses((status = 201, description = "The revocation, in force", body = RevocationView, headers(("Location" = String, description = "The revocation's URL"))))
)]
#[post("/token-revocations")]
async fn create_revocation(
    call: Creating,
    body: ApiJson<RevocationRequest>,
) -> Result<HttpResponse, ApiError> {
    let (kind, value) = body.target()?;
    let reason = required_text("reason", &body.reason, 2000)?;
    let ctx = call.audit();
    let response = write_as(&call, &body.0, async |tx| {
        let id = new_id();
        let event = Event::new(AuditAction::TokenRevoked, "token_revocation", &id)
            .reason(Some(reason.clone()))
            .details(serde_json::json!({ "kind": kind, "value": value }));
        let new = TokenRevocation {
            id: id.clone(),
            kind,
            value: value.clone(),
            reason: reason.clone(),
            revoked_by: call.caller.sub().to_owned(),
            revoked_at: ctx.stamp(),
        };
        let saved = store::insert_revocation(tx, &ctx, new, event).await?;
        Ok(Created::at(
            format!("/api/v1/token-revocations/{id}"),
            RevocationView::from(saved),
        ))
    })
    .await?;
    refresh_after_change(&call.state).await;
    Ok(response)
}

/// List token revocations
///
/// The revocations in force, newest first.
#[utoipa::path(
    operation_id = "listTokenRevocations",
    tag = "tokens",
    security(("bearer" = ["hrss", "auditor"])),
    params(PageParams),
    responses((status = 200, description = "A page of revocations", body = Page<RevocationView>))
)]
#[get("/token-revocations")]
async fn list_revocations(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "token-revocations";
    let request = page.request(KIND, Direction::NewestFirst)?;
    let rows = store::revocations_page(&state.db, request).await?;
    Ok(HttpResponse::Ok().json(Page::of(KIND, rows, |r| Ok(RevocationView::from(r)))?))
}

/// Get a token revocation
///
/// One revocation in force.
#[utoipa::path(
    operation_id = "getTokenRevocation",
    tag = "tokens",
    security(("bearer" = ["hrss", "auditor"])),
    params(("id" = String, Path, description = "Revocation id")),
    responses((status = 200, description = "The revocation", body = RevocationView))
)]
#[get("/token-revocations/{id}")]
async fn get_revocation(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let r = store::revocation(&state.db, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("token revocation"))?;
    Ok(HttpResponse::Ok().json(RevocationView::from(r)))
}

/// Lift a token revocation
///
/// Lifts a revocation: the tokens it named are accepted again (while they have not
/// expired). Answers with the revocation as it was.
#[utoipa::path(
    operation_id = "deleteTokenRevocation",
    tag = "tokens",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Revocation id")),
    responses((status = 200, description = "The lifted revocation", body = RevocationView))
)]
#[delete("/token-revocations/{id}")]
async fn delete_revocation(call: Signed, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let response = write_as(&call, &(), async |tx| {
        let r = store::revocation(tx, &id)
            .await?
            .ok_or_else(|| ApiError::not_found("token revocation"))?;
        let event = Event::new(
            AuditAction::TokenRevocationLifted,
            "token_revocation",
            &r.id,
        )
        .details(serde_json::json!({ "kind": r.kind, "value": r.value }));
        store::delete_revocation(tx, &ctx, &r.id, event).await?;
        Ok(Created::ok(RevocationView::from(r)))
    })
    .await?;
    refresh_after_change(&call.state).await;
    Ok(response)
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_revocation)
        .service(list_revocations)
        .service(get_revocation)
        .service(delete_revocation);
}

/// Reloads the process's copy of the revocations when the database's version moved.
pub async fn refresh(db: &Db, revocations: &Revocations) -> Result<(), DbErr> {
    let version = store::revocation_version(db).await?;
    if version == revocations.snapshot().version {
        return Ok(());
    }
    let rows = store::all_revocations(db).await?;
    revocations.replace(RevocationSet::new(
        version,
        rows.into_iter()
            .map(|r| (r.kind, r.value, r.revoked_at.timestamp())),
    ));
    Ok(())
}

/// After a change through this process: its own requests see it at once.
async fn refresh_after_change(state: &AppState) {
    if let Err(e) = refresh(&state.db, &state.revocations).await {
        tracing::warn!(error = %e, "could not reload the token revocations after a change");
    }
}

/// Polls the revocation version every `every` until the revocations are dropped (the app
/// stopped). A failed poll keeps the current copy and is retried at the next tick.
pub fn spawn_refresh(db: Db, revocations: Weak<Revocations>, every: Duration) {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            let Some(revocations) = revocations.upgrade() else {
                break;
            };
            if let Err(e) = refresh(&db, &revocations).await {
                tracing::warn!(error = %e, "could not refresh the token revocations; keeping the last copy");
            }
        }
    });
}
