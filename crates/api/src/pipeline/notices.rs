//! Public notices (Art. 4.5) as HRSS publishes them, and the objections HRSS resolves.

use std::collections::HashSet;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use guwen_domain::{
    appointment::{self, NoticeWindow},
    audit::AuditAction,
    nomination::CandidateState,
};
use guwen_persistence::store::{
    Direction, Event, StoreError, new_id,
    pipeline::{self as store, CandidateStep, Move, NewNotice, Resolution},
};

use super::{
    candidates::read_visible,
    views::{
        CreateNoticeRequest, ObjectionFilter, ObjectionView, PublicNotice, ResolutionRequest,
        public_notice, reported, shown_state,
    },
};
use crate::audit::{Sensitive, record_sensitive_read};
use crate::prelude::*;

/// How far ahead a notice may be scheduled.
const MAX_DAYS_AHEAD: u64 = 90;

/// Publish a public notice
///
/// Publishes approved candidates, whose list was reported to the party committee, on a public
/// notice of 7 calendar days (Art. 4.4, 4.5). Each becomes `in_notice`; objections are
/// accepted while the window is open and the appointment is possible once it is over.
///
/// Refused with `party_committee_report_missing`, `term_out_of_range`.
#[utoipa::path(
    operation_id = "createNotice",
    tag = "notices",
    security(("bearer" = ["hrss"])),
    request_body = CreateNoticeRequest,
    params(IdempotencyKey),
    responses(
        (status = 201, description = "The published notice (public fields)", body = PublicNotice, headers(("Location" = String, description = "The public notice's URL"))),
        (status = 404, description = "A listed candidate does not exist (problem+json)", body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/notices")]
pub(super) async fn create_notice(
    call: Creating,
    body: ApiJson<CreateNoticeRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = call.audit();
    let today = call.state.clock.today();
    let title = required_line("title", &body.title, 200)?;
    for (i, c) in body.candidates.iter().enumerate() {
        identifier(
            &format!("candidates[{i}].candidate_id"),
            &c.candidate_id,
            ID_MAX,
        )?;
    }
    if body.starts_on > today + chrono::Days::new(MAX_DAYS_AHEAD) {
        return Err(ApiError::invalid_field(
            "starts_on",
            format!("must be at most {MAX_DAYS_AHEAD} days ahead"),
        ));
    }
    let mut seen = HashSet::new();
    if let Some(dup) = body
        .candidates
        .iter()
        .find(|c| !seen.insert(c.candidate_id.as_str()))
    {
        return Err(ApiError::invalid_field(
            "candidates",
            format!("lists {} twice", dup.candidate_id),
        ));
    }
    write_as(&call, &body, async |tx| {
        let window = NoticeWindow::from_start(body.starts_on);
        let notice_id = new_id();
        let mut members = Vec::with_capacity(body.candidates.len());
        for item in &body.candidates {
            let prefix = format!("candidate {}: ", item.candidate_id);
            let read = read_visible(tx, &call.caller, &item.candidate_id)
                .await
                .map_err(|e| e.with_detail_prefix(&prefix))?;
            let (c, s) = (&read.candidate, &read.around);
            let from = shown_state(c, s, today);
            appointment::check_publish_notice(from, reported(s))
                .map_err(|v| ApiError::from(v).with_detail_prefix(&prefix))?;
            // A notice already posted on the government portal may be recorded late, but it
            // cannot have started before the list was reported (Art. 4.4 before 4.5).
            if let Some(reported_on) = s.list.as_ref().and_then(|l| l.party_committee_reported_on)
                && body.starts_on < reported_on
            {
                return Err(ApiError::invalid_field(
                    "starts_on",
                    format!(
                        "must not be before {reported_on}, when candidate {}'s list was reported to the party committee",
                        c.id
                    ),
                ));
            }
            let event = Event::new(AuditAction::NoticePublished, "candidate", &c.id)
                .before(from)
                .details(serde_json::json!({
                    "notice_id": notice_id,
                    "starts_on": window.starts_on,
                    "ends_on": window.ends_on,
                    "proposed_term_years": item.proposed_term_years,
                }));
            members.push(Move {
                candidate_id: c.id.clone(),
                from: c.state,
                to: CandidateState::InNotice,
                step: CandidateStep::PublishNotice {
                    notice_id: notice_id.clone(),
                    proposed_term_years: i32::try_from(item.proposed_term_years).unwrap_or(3),
                },
                event,
            });
        }
        let notice = NewNotice {
            id: notice_id.clone(),
            title: title.clone(),
            window,
            published_by: call.caller.sub().to_owned(),
        };
        store::publish_notice(tx, &ctx, notice, members).await?;
        let n = store::notice(tx, &notice_id)
            .await?
            .ok_or_else(|| ApiError::internal("notice vanished"))?;
        let read = store::read_notice(tx, n).await?;
        Ok(Created::at(
            format!("/api/v1/public/notices/{notice_id}"),
            public_notice(&read.notice, read.candidates, &read.fields, today),
        ))
    })
    .await
}

/// List objections
///
/// Objections filed against public notices, newest first.
#[utoipa::path(
    operation_id = "listObjections",
    tag = "notices",
    security(("bearer" = ["hrss"])),
    params(ObjectionFilter, PageParams),
    responses((status = 200, description = "A page of objections", body = Page<ObjectionView>))
)]
#[get("/objections")]
pub(super) async fn list_objections(
    state: web::Data<AppState>,
    req: HttpRequest,
    filter: web::Query<ObjectionFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "objections";
    let request = page.request(KIND, Direction::NewestFirst)?;
    let rows = store::objections_page(&state.db, &filter.stored(), request).await?;
    let ids = rows.rows.iter().map(|o| o.candidate_id.clone()).collect();
    let names = store::candidate_names(&state.db, ids).await?;
    let page = Page::of(KIND, rows, |o| {
        let name = names.get(&o.candidate_id).cloned().unwrap_or_default();
        Ok(ObjectionView::of(o, name))
    })?;
    // The filer's contact (Art. 4.5) is personal data: its reads are recorded.
    let with_contact = page
        .items
        .iter()
        .filter(|o| o.contact.is_some() || o.contact_name.is_some())
        .map(|o| o.id.clone())
        .collect();
    record_sensitive_read(
        &state,
        &req,
        Sensitive::ObjectorContact,
        "objection",
        with_contact,
    )
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Resolve an objection
///
/// Resolves an objection (Art. 4.5): upheld — the candidate is rejected; dismissed — the
/// candidate stays on notice and can be appointed once the window is over and no objection
/// is open.
///
/// Refused with `objection_already_resolved`.
#[utoipa::path(
    operation_id = "resolveObjection",
    tag = "notices",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Objection id")),
    request_body = ResolutionRequest,
    responses((status = 200, description = "The resolved objection", body = ObjectionView))
)]
#[post("/objections/{id}/resolution")]
pub(super) async fn resolve_objection(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<ResolutionRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let reason = required_text("reason", &body.reason, 2000)?;
    write_as(&call, &body.0, async |tx| {
        let o = store::objection(tx, &id)
            .await?
            .ok_or_else(|| ApiError::not_found("objection"))?;
        let c = store::candidate(tx, &o.candidate_id)
            .await?
            .ok_or_else(|| ApiError::internal("objection without candidate"))?;
        let next = appointment::objection_outcome(c.state, o.status, body.resolution)?;
        let status = body.resolution.status();
        let event = Event::new(AuditAction::ObjectionResolved, "objection", &o.id)
            .reason(Some(reason.clone()))
            .details(serde_json::json!({ "candidate_id": c.id, "notice_id": o.notice_id }));
        let resolution = Resolution {
            status,
            resolved_by: call.caller.sub().to_owned(),
            reason: reason.clone(),
        };
        store::resolve_objection(tx, &ctx, &o.id, resolution, event)
            .await
            .map_err(|e| match e {
                StoreError::Stale { .. } => ApiError::new(
                    ProblemCode::ObjectionAlreadyResolved,
                    "the objection was resolved by another request",
                )
                .with_article("Art. 4.5"),
                e => e.into(),
            })?;
        if next != c.state {
            let event = Event::new(AuditAction::CandidateRejected, "candidate", &c.id)
                .reason(Some(reason.clone()))
                .details(serde_json::json!({ "step": "objection_upheld", "objection_id": o.id }));
            let step = CandidateStep::Close {
                reason: format!("objection upheld: {reason}"),
            };
            store::move_candidate(tx, &ctx, &c.id, c.state, next, step, event).await?;
        }
        let o = store::objection(tx, &o.id)
            .await?
            .ok_or_else(|| ApiError::internal("objection vanished"))?;
        Ok(Created::ok(ObjectionView::of(o, c.name.clone())))
    })
    .await
}
