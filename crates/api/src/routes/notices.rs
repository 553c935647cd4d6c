//! Public notices (Art. 4.5) as HRSS publishes them, and the objections HRSS resolves.

use std::collections::HashSet;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use guwen_domain::{
    Labelled,
    appointment::{self, NoticeWindow, ObjectionResolution, ObjectionStatus},
    audit::AuditAction,
    nomination::CandidateState,
    time::to_cst,
};
use guwen_persistence::{
    audit::truncate_to_micros,
    entity::{candidate, notice, objection},
    sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::{
    candidates::{effective_state, load_visible, stored_state, transition},
    common::{Transition, new_id, record, required_text},
    public::{PublicNotice, public_notice},
};
use crate::{
    access::Caller,
    error::ApiError,
    extract::ApiJson,
    idempotency::{Created, IdempotencyKey},
    pagination::{Direction, Page, PageParams, page_of},
    state::AppState,
    write::audit_context,
};

/// How far ahead a notice may be scheduled.
const MAX_DAYS_AHEAD: u64 = 90;

/// One candidate to put on notice.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct NoticeCandidate {
    pub candidate_id: String,
    /// The proposed term, 1 to 3 years (Art. 3), published with the notice.
    #[validate(range(min = 1, max = 3))]
    pub proposed_term_years: u32,
}

/// A new public notice.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CreateNoticeRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "二连浩特市人民政府顾问拟聘人选公示",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub title: String,
    /// First day of the 7-day window (China Standard Time). A notice already posted on the
    /// government portal may be recorded with its real start date, but not one before the
    /// report to the party committee; at most 90 days ahead.
    pub starts_on: NaiveDate,
    #[validate(length(min = 1, max = 50), nested)]
    pub candidates: Vec<NoticeCandidate>,
}

/// Publish a public notice
///
/// Publishes approved candidates, whose list was reported to the party committee, on a public
/// notice of 7 calendar days (Art. 4.4, 4.5). Each becomes `in_notice`; objections are
/// accepted while the window is open and the appointment is possible once it is over.
#[utoipa::path(
    tag = "notices",
    security(("bearer" = ["hrss"])),
    request_body = CreateNoticeRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key", pattern = "^[!-~]{1,200}$")),
    responses((status = 201, description = "The published notice (public fields)", body = PublicNotice, headers(("Location" = String, description = "The public notice's URL"))))
)]
#[post("/notices")]
async fn create_notice(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    key: IdempotencyKey,
    body: ApiJson<CreateNoticeRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let title = required_text("title", &body.title, 200)?;
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
    crate::write::write(
        &state,
        &req,
        &caller.idempotency_scope(),
        &key,
        &body,
        async |tx| {
            let window = NoticeWindow::from_start(body.starts_on);
            let notice_id = new_id();
            let now = truncate_to_micros(ctx.now);
            notice::Entity::insert(notice::ActiveModel {
                id: Set(notice_id.clone()),
                title: Set(title.clone()),
                starts_on: Set(window.starts_on),
                ends_on: Set(window.ends_on),
                closes_at: Set(window.closes_at().with_timezone(&Utc)),
                published_by: Set(caller.sub().to_owned()),
                published_at: Set(now),
            })
            .exec_without_returning(tx)
            .await?;
            for item in &body.candidates {
                let (c, s) = load_visible(tx, &caller, &item.candidate_id)
                    .await
                    .map_err(|e| {
                        e.with_detail_prefix(&format!("candidate {}: ", item.candidate_id))
                    })?;
                let from = effective_state(&c, &s, today)?;
                let reported = s
                    .list
                    .as_ref()
                    .is_some_and(|l| l.party_committee_reported_on.is_some());
                appointment::check_publish_notice(from, reported).map_err(|v| {
                    ApiError::from(v).with_detail_prefix(&format!("candidate {}: ", c.id))
                })?;
                // A notice already posted on the government portal may be recorded late, but
                // it cannot have started before the list was reported (Art. 4.4 before 4.5).
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
                let changes = candidate::ActiveModel {
                    notice_id: Set(Some(notice_id.clone())),
                    proposed_term_years: Set(Some(
                        i32::try_from(item.proposed_term_years).unwrap_or(3),
                    )),
                    ..Default::default()
                };
                transition(
                    tx,
                    &c.id,
                    stored_state(&c)?,
                    CandidateState::InNotice,
                    changes,
                    &ctx,
                )
                .await?;
                record(
                    tx,
                    &ctx,
                    Transition {
                        action: AuditAction::NoticePublished,
                        object_type: "candidate",
                        object_id: &c.id,
                        before: Some(from.code()),
                        after: Some(CandidateState::InNotice.code()),
                        reason: None,
                        details: Some(serde_json::json!({
                            "notice_id": notice_id,
                            "starts_on": window.starts_on,
                            "ends_on": window.ends_on,
                            "proposed_term_years": item.proposed_term_years,
                        })),
                    },
                )
                .await?;
            }
            let n = notice::Entity::find_by_id(notice_id.clone())
                .one(tx)
                .await?
                .ok_or_else(|| ApiError::internal("notice vanished"))?;
            let view = public_notice(tx, &n, today).await?;
            Ok(Created::at(
                format!("/api/v1/public/notices/{notice_id}"),
                view,
            ))
        },
    )
    .await
}

/// An objection as HRSS sees it (with the filer's contact, if given).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ObjectionView {
    pub id: String,
    pub notice_id: String,
    pub candidate_id: String,
    pub candidate_name: String,
    pub status: ObjectionStatus,
    pub content: String,
    pub contact_name: Option<String>,
    pub contact: Option<String>,
    pub filed_at: DateTime<FixedOffset>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<DateTime<FixedOffset>>,
    pub resolution_reason: Option<String>,
}

fn objection_view(o: objection::Model, candidate_name: String) -> Result<ObjectionView, ApiError> {
    Ok(ObjectionView {
        status: o.status.parse().map_err(|_| {
            ApiError::internal(format!("objection {} has status {}", o.id, o.status))
        })?,
        id: o.id,
        notice_id: o.notice_id,
        candidate_id: o.candidate_id,
        candidate_name,
        content: o.content,
        contact_name: o.contact_name,
        contact: o.contact,
        filed_at: to_cst(o.filed_at),
        resolved_by: o.resolved_by,
        resolved_at: o.resolved_at.map(to_cst),
        resolution_reason: o.resolution_reason,
    })
}

/// Filters of the objection list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ObjectionFilter {
    pub status: Option<ObjectionStatus>,
    pub notice_id: Option<String>,
    pub candidate_id: Option<String>,
}

/// List objections
///
/// Objections filed against public notices, newest first.
#[utoipa::path(
    tag = "notices",
    security(("bearer" = ["hrss"])),
    params(ObjectionFilter, PageParams),
    responses((status = 200, description = "A page of objections", body = Page<ObjectionView>))
)]
#[get("/objections")]
async fn list_objections(
    state: web::Data<AppState>,
    filter: web::Query<ObjectionFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "objections";
    let mut query = objection::Entity::find();
    if let Some(s) = filter.status {
        query = query.filter(objection::Column::Status.eq(s.code()));
    }
    if let Some(n) = &filter.notice_id {
        query = query.filter(objection::Column::NoticeId.eq(n.clone()));
    }
    if let Some(c) = &filter.candidate_id {
        query = query.filter(objection::Column::CandidateId.eq(c.clone()));
    }
    let (rows, next_cursor) = page_of(
        &state.db,
        query,
        objection::Column::Id,
        &page,
        KIND,
        Direction::NewestFirst,
        |r| r.id.clone(),
    )
    .await?;
    let ids: Vec<String> = rows.iter().map(|o| o.candidate_id.clone()).collect();
    let names: std::collections::HashMap<String, String> = candidate::Entity::find()
        .filter(candidate::Column::Id.is_in(ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let items = rows
        .into_iter()
        .map(|o| {
            let name = names.get(&o.candidate_id).cloned().unwrap_or_default();
            objection_view(o, name)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// HRSS's resolution of an objection.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct ResolutionRequest {
    /// `upheld` rejects the candidate; `dismissed` leaves the notice running.
    pub resolution: ObjectionResolution,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub reason: String,
}

/// Resolve an objection
///
/// Resolves an objection (Art. 4.5): upheld — the candidate is rejected; dismissed — the
/// candidate stays on notice and can be appointed once the window is over and no objection
/// is open.
#[utoipa::path(
    tag = "notices",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Objection id")),
    request_body = ResolutionRequest,
    responses((status = 200, description = "The resolved objection", body = ObjectionView))
)]
#[post("/objections/{id}/resolution")]
async fn resolve_objection(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<ResolutionRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let reason = required_text("reason", &body.reason, 2000)?;
    let tx = guwen_persistence::audit::begin_write(&state.db).await?;
    let o = objection::Entity::find_by_id(id.into_inner())
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::not_found("objection"))?;
    let c = candidate::Entity::find_by_id(o.candidate_id.clone())
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::internal("objection without candidate"))?;
    let current: ObjectionStatus = o
        .status
        .parse()
        .map_err(|_| ApiError::internal("objection status"))?;
    let stored = stored_state(&c)?;
    // An objection still open when its candidate left the notice (withdrawn, or rejected on
    // another objection) can still be closed; it no longer changes the candidate.
    let next = if stored == CandidateState::InNotice {
        appointment::resolve_objection(stored, current, body.resolution)?
    } else if current != ObjectionStatus::Open {
        return Err(ApiError::conflict(
            "objection_already_resolved",
            format!("the objection is already `{current}`"),
        )
        .with_article("Art. 4.5"));
    } else {
        stored
    };
    let status = body.resolution.status();
    let now = truncate_to_micros(ctx.now);
    let updated = objection::Entity::update_many()
        .set(objection::ActiveModel {
            status: Set(status.code().to_owned()),
            resolved_by: Set(Some(caller.sub().to_owned())),
            resolved_at: Set(Some(now)),
            resolution_reason: Set(Some(reason.clone())),
            ..Default::default()
        })
        .filter(objection::Column::Id.eq(o.id.clone()))
        .filter(objection::Column::Status.eq(ObjectionStatus::Open.code()))
        .exec(&tx)
        .await?;
    if updated.rows_affected != 1 {
        return Err(ApiError::conflict(
            "objection_already_resolved",
            "the objection was resolved by another request",
        )
        .with_article("Art. 4.5"));
    }
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::ObjectionResolved,
            object_type: "objection",
            object_id: &o.id,
            before: Some(ObjectionStatus::Open.code()),
            after: Some(status.code()),
            reason: Some(&reason),
            details: Some(serde_json::json!({ "candidate_id": c.id, "notice_id": o.notice_id })),
        },
    )
    .await?;
    if next != stored {
        let changes = candidate::ActiveModel {
            closing_reason: Set(Some(format!("objection upheld: {reason}"))),
            ..Default::default()
        };
        transition(&tx, &c.id, stored, next, changes, &ctx).await?;
        record(
            &tx,
            &ctx,
            Transition {
                action: AuditAction::CandidateRejected,
                object_type: "candidate",
                object_id: &c.id,
                before: Some(stored.code()),
                after: Some(next.code()),
                reason: Some(&reason),
                details: Some(
                    serde_json::json!({ "step": "objection_upheld", "objection_id": o.id }),
                ),
            },
        )
        .await?;
    }
    let o = objection::Entity::find_by_id(o.id.clone())
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::internal("objection vanished"))?;
    let view = objection_view(o, c.name.clone())?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(view))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_notice)
        .service(list_objections)
        .service(resolve_objection);
}
