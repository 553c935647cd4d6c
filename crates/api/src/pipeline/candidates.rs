//! Nominating and reading candidates (Art. 4.1, 5.2).

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::NaiveDate;
use guwen_domain::{
    Labelled,
    audit::AuditAction,
    nomination::{self, CandidateAction, CandidateState},
};
use guwen_persistence::{
    audit::Context,
    store::{
        Direction, Event, Tx, new_id,
        pipeline::{self as store, CandidateRead, Field},
    },
};

use super::{
    policy, render,
    views::{
        CandidateFilter, CandidateView, Nomination, NominationRequest, check_birth_date,
        shown_state,
    },
};
use crate::audit::{Sensitive, record_sensitive_read};
use crate::fields::find_field;
use crate::prelude::*;

/// Stores a nomination by any channel with its event (Art. 4.1; Art. 5.2 checked first) and
/// returns the new candidate's id. An anonymous nomination records the network it came from
/// (`client_network`, the address with its host part removed).
pub async fn nominate(
    tx: &Tx,
    ctx: &Context,
    n: Nomination,
    field: &Field,
    client_network: Option<String>,
) -> Result<String, ApiError> {
    nomination::check_experience(n.experience_years)?;
    let id = new_id();
    let mut details = serde_json::json!({
        "channel": n.channel.code(),
        "field": field.code,
        "lead_org_id": field.lead_org_id,
        "nominating_org_id": n.nominating_org_id,
    });
    if let Some(network) = client_network {
        details["client_network"] = serde_json::json!(network);
    }
    let event = Event::new(AuditAction::CandidateNominated, "candidate", &id)
        .after(CandidateState::Nominated)
        .details(details);
    store::insert_candidate(tx, ctx, n.into_new(id.clone(), field), event).await?;
    Ok(id)
}

/// The candidate `id` as the caller may see it, with what its view needs (404 otherwise).
pub async fn read_visible(tx: &Tx, caller: &Caller, id: &str) -> Result<CandidateRead, ApiError> {
    store::read_candidate(tx, &policy::candidate_scope(caller), id)
        .await?
        .ok_or_else(|| ApiError::not_found("candidate"))
}

/// The candidate `id` as the caller sees it, rendered (404 when it is not visible to them).
pub async fn visible_view(
    state: &AppState,
    tx: &Tx,
    caller: &Caller,
    id: &str,
    today: NaiveDate,
) -> Result<CandidateView, ApiError> {
    let read = read_visible(tx, caller, id).await?;
    render::candidate(&state.access, caller, &read, today)
}

/// [`write_as`] of one step `action` on the candidate `id`, which the caller must see and
/// may take (Art. 4, 5): `work` records the step from the state the candidate shows `today`,
/// and the answer is the candidate as the caller sees it afterwards.
pub async fn candidate_step<R: serde::Serialize>(
    call: &Signed,
    id: &str,
    request: &R,
    action: CandidateAction,
    work: impl AsyncFnOnce(&Tx, &CandidateRead, CandidateState, NaiveDate) -> Result<(), ApiError>,
) -> Result<HttpResponse, ApiError> {
    let today = call.state.clock.today();
    write_as(call, request, async |tx| {
        let read = read_visible(tx, &call.caller, id).await?;
        let (c, s) = (&read.candidate, &read.around);
        policy::require_may_act(&call.state.access, &call.caller, c, s, action)?;
        work(tx, &read, shown_state(c, s, today), today).await?;
        Ok(Created::ok(
            visible_view(&call.state, tx, &call.caller, &c.id, today).await?,
        ))
    })
    .await
}

/// Nominate a candidate
///
/// Nominates a candidate through a department, a think tank, a leader or (entered by HRSS) a
/// self-nomination (Art. 4.1). Art. 5.2 (5 years of professional work) is checked here.
///
/// Refused with `ineligible_experience`.
#[utoipa::path(
    operation_id = "createCandidate",
    tag = "candidates",
    security(("bearer" = ["department", "hrss"])),
    request_body = NominationRequest,
    params(IdempotencyKey),
    responses((status = 201, description = "Nominated", body = CandidateView, headers(("Location" = String, description = "The candidate's URL"))))
)]
#[post("/candidates")]
pub(super) async fn create_candidate(
    call: Creating,
    body: ApiJson<NominationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let today = call.state.clock.today();
    let ctx = call.audit();
    let nominating_org_id = policy::nominating_org(&call.caller, &body)?;
    let referrer = body.referrer()?;
    check_birth_date(body.birth_date, today)?;
    write_as(&call, &body, async |tx| {
        let field = find_field(tx, &body.field).await?;
        let n = body.nomination(nominating_org_id, referrer)?;
        let id = nominate(tx, &ctx, n, &field, None).await?;
        let view = visible_view(&call.state, tx, &call.caller, &id, today).await?;
        Ok(Created::at(format!("/api/v1/candidates/{id}"), view))
    })
    .await
}

/// List candidates
///
/// Candidates, newest first. A department sees those it nominated and those of the fields it
/// leads.
#[utoipa::path(
    operation_id = "listCandidates",
    tag = "candidates",
    security(("bearer" = ["hrss", "government", "auditor", "department"])),
    params(CandidateFilter, PageParams),
    responses((status = 200, description = "A page of candidates", body = Page<CandidateView>))
)]
#[get("/candidates")]
pub(super) async fn list_candidates(
    call: Signed,
    filter: web::Query<CandidateFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "candidates";
    let request = page.request(KIND, Direction::NewestFirst)?;
    let scope = policy::candidate_scope(&call.caller);
    let rows = store::candidates_page(&call.state.db, &scope, &filter.stored(), request).await?;
    let today = call.state.clock.today();
    let around = store::surroundings(&call.state.db, &rows.rows).await?;
    let fields = store::fields_by_code(&call.state.db).await?;
    let mut page = Page::of(KIND, rows, |c| {
        let s = around.get(&c.id).cloned().unwrap_or_default();
        render::candidate_among(&call.state.access, &call.caller, &c, &s, &fields, today)
    })?;
    // `in_notice` and `notice_passed` share a stored state: tell them apart here.
    page.items
        .retain(|v| filter.state.is_none_or(|wanted| wanted == v.state));
    record_background_reads(&call.state, &call.http, &page.items).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Get a candidate
///
/// One candidate. Background-check results are shown to hrss, government and auditor only.
#[utoipa::path(
    operation_id = "getCandidate",
    tag = "candidates",
    security(("bearer" = ["hrss", "government", "auditor", "department"])),
    params(("id" = String, Path, description = "Candidate id")),
    responses((status = 200, description = "The candidate", body = CandidateView))
)]
#[get("/candidates/{id}")]
pub(super) async fn get_candidate(
    call: Signed,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let read = store::read_candidate(&call.state.db, &policy::candidate_scope(&call.caller), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("candidate"))?;
    let view = render::candidate(
        &call.state.access,
        &call.caller,
        &read,
        call.state.clock.today(),
    )?;
    record_background_reads(&call.state, &call.http, std::slice::from_ref(&view)).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Records in the audit trail the reads of candidates shown with their background check
/// (Art. 4.2).
async fn record_background_reads(
    state: &AppState,
    req: &HttpRequest,
    shown: &[CandidateView],
) -> Result<(), ApiError> {
    let checked = shown
        .iter()
        .filter(|c| c.background_check.is_some())
        .map(|c| c.id.clone())
        .collect();
    record_sensitive_read(state, req, Sensitive::BackgroundCheck, "candidate", checked).await
}
