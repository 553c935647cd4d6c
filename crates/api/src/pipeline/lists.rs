//! Recommendation lists (Art. 4.3), the executive meeting's decision (Art. 4.4) and the report
//! to the party committee (Art. 4.4, 上报市委).

use std::collections::HashSet;

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use guwen_domain::{
    audit::AuditAction,
    nomination::{self, CandidateAction, ListState},
};
use guwen_persistence::store::Connection;
use guwen_persistence::store::{
    Direction, Event, PageOf, new_id,
    pipeline::{self as store, CandidateStep, Move, NewList, PartyCommitteeReport},
};

use super::{
    render,
    views::{CreateListRequest, ListFilter, ListView, PartyCommitteeReportRequest},
};
use crate::prelude::*;

/// 404 on a list.
pub fn not_found() -> ApiError {
    ApiError::not_found("recommendation list")
}

/// The list `id` with its candidates, rendered for the caller (404 when there is none).
pub async fn list_view<C: Connection>(
    state: &AppState,
    db: &C,
    caller: &Caller,
    id: &str,
    today: NaiveDate,
) -> Result<ListView, ApiError> {
    let l = store::list(db, id).await?.ok_or_else(not_found)?;
    let read = store::read_list(db, l).await?;
    Ok(render::list(&state.access, caller, &read, today))
}

/// Submit a recommendation list
///
/// Gathers background-checked candidates into a recommendation list submitted to the
/// government (Art. 4.3); each becomes `submitted`.
#[utoipa::path(
    operation_id = "createRecommendationList",
    tag = "recommendation lists",
    security(("bearer" = ["hrss"])),
    request_body = CreateListRequest,
    params(IdempotencyKey),
    responses((status = 201, description = "The submitted list", body = ListView, headers(("Location" = String, description = "The list's URL"))))
)]
#[post("/recommendation-lists")]
pub(super) async fn create_list(
    call: Creating,
    body: ApiJson<CreateListRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = call.audit();
    let today = call.state.clock.today();
    let title = required_line("title", &body.title, 200)?;
    identifiers("candidate_ids", &body.candidate_ids, ID_MAX)?;
    let mut seen = HashSet::new();
    if let Some(dup) = body
        .candidate_ids
        .iter()
        .find(|id| !seen.insert(id.as_str()))
    {
        return Err(ApiError::invalid_field(
            "candidate_ids",
            format!("lists {dup} twice"),
        ));
    }
    write_as(&call, &body, async |tx| {
        let list_id = new_id();
        let mut members = Vec::with_capacity(body.candidate_ids.len());
        for id in &body.candidate_ids {
            let c = store::candidate(tx, id).await?.ok_or_else(|| {
                ApiError::invalid_field("candidate_ids", format!("no candidate {id}"))
            })?;
            let to = nomination::transition(c.state, CandidateAction::Submit, true)
                .map_err(|v| ApiError::from(v).with_detail_prefix(&format!("candidate {id}: ")))?;
            members.push(Move {
                candidate_id: id.clone(),
                from: c.state,
                to,
                step: CandidateStep::Submit {
                    list_id: list_id.clone(),
                },
                event: Event::new(AuditAction::CandidateSubmitted, "candidate", id)
                    .details(serde_json::json!({ "list_id": list_id })),
            });
        }
        let event = Event::new(
            AuditAction::RecommendationListSubmitted,
            "recommendation_list",
            &list_id,
        )
        .after(ListState::Submitted)
        .details(serde_json::json!({ "title": title, "candidate_ids": body.candidate_ids }));
        let list = NewList {
            id: list_id.clone(),
            title: title.clone(),
            created_by: call.caller.sub().to_owned(),
        };
        store::submit_list(tx, &ctx, list, members, event).await?;
        let view = list_view(&call.state, tx, &call.caller, &list_id, today).await?;
        Ok(Created::at(
            format!("/api/v1/recommendation-lists/{list_id}"),
            view,
        ))
    })
    .await
}

/// List recommendation lists
///
/// Recommendation lists, newest first.
#[utoipa::path(
    operation_id = "listRecommendationLists",
    tag = "recommendation lists",
    security(("bearer" = ["hrss", "government", "auditor"])),
    params(ListFilter, PageParams),
    responses((status = 200, description = "A page of lists", body = Page<ListView>))
)]
#[get("/recommendation-lists")]
pub(super) async fn list_lists(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<ListFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "lists";
    let request = page.request(KIND, Direction::NewestFirst)?;
    let rows = store::lists_page(&state.db, filter.state, request).await?;
    let today = state.clock.today();
    let reads = store::read_lists(&state.db, rows.rows).await?;
    let rows = PageOf {
        rows: reads,
        next: rows.next,
    };
    let page = Page::of(KIND, rows, |read| {
        Ok(render::list(&state.access, &caller, &read, today))
    })?;
    Ok(HttpResponse::Ok().json(page))
}

/// Get a recommendation list
///
/// One recommendation list with its candidates.
#[utoipa::path(
    operation_id = "getRecommendationList",
    tag = "recommendation lists",
    security(("bearer" = ["hrss", "government", "auditor"])),
    params(("id" = String, Path, description = "List id")),
    responses((status = 200, description = "The list", body = ListView))
)]
#[get("/recommendation-lists/{id}")]
pub(super) async fn get_list(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let view = list_view(&state, &state.db, &caller, &id, state.clock.today()).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Record the report to the party committee
///
/// Records that the decided list was reported to the party committee (Art. 4.4): required
/// before any of its candidates can go on public notice.
#[utoipa::path(
    operation_id = "reportRecommendationList",
    tag = "recommendation lists",
    security(("bearer" = ["government", "hrss"])),
    params(("id" = String, Path, description = "List id")),
    request_body = PartyCommitteeReportRequest,
    responses((status = 200, description = "The list with the report on record", body = ListView))
)]
#[post("/recommendation-lists/{id}/party-committee-report")]
pub(super) async fn report(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<PartyCommitteeReportRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let today = call.state.clock.today();
    let reference = required_line("reference", &body.reference, 200)?;
    let note = optional_text("note", body.note.as_deref(), 2000)?;
    if body.reported_on > today {
        return Err(ApiError::invalid_field(
            "reported_on",
            "must not be in the future",
        ));
    }
    write_as(&call, &body.0, async |tx| {
        let l = store::list(tx, &id).await?.ok_or_else(not_found)?;
        // Only a decided list has a meeting date (so this 422 never hides the 409 below).
        if l.meeting_date.is_some_and(|d| body.reported_on < d) {
            return Err(ApiError::invalid_field(
                "reported_on",
                "must not be before the meeting date",
            ));
        }
        nomination::check_party_committee_report(l.state, l.party_committee_reported_on.is_some())?;
        let mut event = Event::new(
            AuditAction::PartyCommitteeReported,
            "recommendation_list",
            &l.id,
        )
        .before(ListState::Decided)
        .reason(note.clone())
        .details(serde_json::json!({ "reported_on": body.reported_on, "reference": reference }));
        event.after = Some("reported".to_owned());
        let report = PartyCommitteeReport {
            reported_on: body.reported_on,
            reference: reference.clone(),
            note: note.clone(),
        };
        store::report_list(tx, &ctx, &l.id, report, event).await?;
        Ok(Created::ok(
            list_view(&call.state, tx, &call.caller, &l.id, today).await?,
        ))
    })
    .await
}
