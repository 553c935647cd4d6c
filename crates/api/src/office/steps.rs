//! What the three proposal kinds' handlers share: the advisor a step concerns, one proposal by
//! id and the proposal lists.

use actix_web::HttpResponse;
use chrono::NaiveDate;
use guwen_domain::office::{self, AdvisorStatus, OfficeAction, ProposalState};
use guwen_persistence::{
    audit::Context,
    store::{
        AdvisorScope, Tx,
        office::{self as store, Advisor, Proposal},
    },
};
use serde::Serialize;

use super::views::ProposalFilter;
use crate::prelude::*;

/// The advisor `id` (404 otherwise) and their status on `today`, which must allow `action`.
pub async fn advisor_for(
    tx: &Tx,
    id: &str,
    today: NaiveDate,
    action: OfficeAction,
) -> Result<(Advisor, AdvisorStatus), ApiError> {
    let a = store::advisor(tx, &AdvisorScope::All, id)
        .await?
        .ok_or_else(|| ApiError::not_found("advisor"))?;
    let status = a.status_on(today);
    office::check_office_action(status, action)?;
    Ok((a, status))
}

/// Runs a step that starts from the advisor `id` (see `advisor_for`) in one write of the
/// caller's (under its `Idempotency-Key` when it is [`Creating`]), handing `step` the audit
/// context, the advisor and their status.
pub async fn on_advisor<T: Serialize>(
    call: &Signed,
    body: &impl Serialize,
    (id, today, action): (&str, NaiveDate, OfficeAction),
    step: impl AsyncFnOnce(&Tx, &Context, Advisor, AdvisorStatus) -> Result<Created<T>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    write_as(call, body, async |tx| {
        let (a, status) = advisor_for(tx, id, today, action).await?;
        step(tx, &ctx, a, status).await
    })
    .await
}

/// The proposal `id` of kind `E` (404 naming the kind otherwise).
pub async fn proposal<E: Proposal>(tx: &Tx, id: &str) -> Result<E::Model, ApiError> {
    store::find::<E, _>(tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found(E::OBJECT))
}

/// A dismissal or renewal proposal is decided once: `409 invalid_transition` naming the
/// decision already taken, before anything else is checked (Art. 3, 12).
pub fn require_pending(state: ProposalState) -> Result<(), ApiError> {
    if state == ProposalState::Pending {
        return Ok(());
    }
    Err(ApiError::new(
        ProblemCode::InvalidTransition,
        format!("the proposal is already `{state}`"),
    ))
}

/// A page of the list `kind` of proposals of kind `E` within `scope`, newest first.
pub async fn list<E: Proposal, V: Serialize>(
    state: &AppState,
    kind: &str,
    scope: &AdvisorScope,
    f: &ProposalFilter,
    page: &PageParams,
    view: impl FnMut(E::Model) -> Result<V, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let page = page.request(kind, Direction::NewestFirst)?;
    let rows = store::proposals::<E, _>(
        &state.db,
        scope,
        f.advisor_id.as_deref(),
        f.state.as_deref(),
        page,
    )
    .await?;
    Ok(HttpResponse::Ok().json(Page::of(kind, rows, view)?))
}
