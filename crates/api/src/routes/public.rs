//! The public, without a token (Art. 4.5–4.6): notices, objections, the roster of advisors,
//! and self-nominations. Public responses carry name, employer, title, field and term only.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use guwen_domain::{
    Labelled,
    appointment::{self, NoticeWindow, ObjectionStatus},
    audit::AuditAction,
    nomination::{CandidateState, NominationChannel},
    time::to_cst,
};
use guwen_persistence::{
    audit::truncate_to_micros,
    entity::{advisor, candidate, notice, objection},
    sea_orm::{
        ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    },
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::{
    candidates::{Contact, NewCandidate, check_birth_date, find_field, insert_candidate},
    common::{
        FieldRef, Transition, field_ref, fields_by_code, new_id, optional_text, rate_limit, record,
        required_text,
    },
};
use crate::{
    error::ApiError,
    extract::ApiJson,
    idempotency::{Created, IdempotencyKey},
    pagination::{Direction, Page, PageParams, page_of},
    state::AppState,
    write::audit_context,
};

/// Where a notice stands today.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatus {
    /// Published, window not started.
    Scheduled,
    /// Objections accepted.
    Open,
    /// The 7 days are over.
    Closed,
}

/// A person on a public notice: public fields only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicNoticeCandidate {
    /// Quote it when filing an objection.
    pub candidate_id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub field: FieldRef,
    /// The proposed term in years.
    pub proposed_term_years: Option<i32>,
}

/// A public notice (Art. 4.5): 7 calendar days in China Standard Time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicNotice {
    pub id: String,
    pub title: String,
    pub status: NoticeStatus,
    /// First day of the window.
    pub starts_on: NaiveDate,
    /// Last day of the window (the 7th).
    pub ends_on: NaiveDate,
    /// The instant the window closes (00:00 +08:00 after `ends_on`).
    pub closes_at: DateTime<FixedOffset>,
    pub published_at: DateTime<FixedOffset>,
    pub candidates: Vec<PublicNoticeCandidate>,
}

/// Renders a notice for the public.
pub async fn public_notice<C: ConnectionTrait>(
    db: &C,
    n: &notice::Model,
    today: NaiveDate,
) -> Result<PublicNotice, ApiError> {
    let window = NoticeWindow::from_start(n.starts_on);
    let status = if today < window.starts_on {
        NoticeStatus::Scheduled
    } else if window.is_open_on(today) {
        NoticeStatus::Open
    } else {
        NoticeStatus::Closed
    };
    let fields = fields_by_code(db).await?;
    let candidates = candidate::Entity::find()
        .filter(candidate::Column::NoticeId.eq(n.id.clone()))
        .order_by_asc(candidate::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| PublicNoticeCandidate {
            field: field_ref(&fields, &c.field_code),
            candidate_id: c.id,
            name: c.name,
            employer: c.employer,
            title: c.title,
            proposed_term_years: c.proposed_term_years,
        })
        .collect();
    Ok(PublicNotice {
        id: n.id.clone(),
        title: n.title.clone(),
        status,
        starts_on: window.starts_on,
        ends_on: window.ends_on,
        closes_at: window.closes_at(),
        published_at: to_cst(n.published_at),
        candidates,
    })
}

/// List public notices
///
/// Public notices, newest first.
#[utoipa::path(
    tag = "public",
    security(()),
    params(PageParams),
    responses((status = 200, description = "A page of notices", body = Page<PublicNotice>))
)]
#[get("/public/notices")]
async fn list_notices(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "notices";
    let query = notice::Entity::find();
    let (rows, next_cursor) = page_of(
        &state.db,
        query,
        notice::Column::Id,
        &page,
        KIND,
        Direction::NewestFirst,
        |r| r.id.clone(),
    )
    .await?;
    let today = state.clock.today();
    let mut items = Vec::with_capacity(rows.len());
    for n in &rows {
        items.push(public_notice(&state.db, n, today).await?);
    }
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// Get a public notice
///
/// One public notice.
#[utoipa::path(
    tag = "public",
    security(()),
    params(("id" = String, Path, description = "Notice id")),
    responses((status = 200, description = "The notice", body = PublicNotice))
)]
#[get("/public/notices/{id}")]
async fn get_notice(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let n = notice::Entity::find_by_id(id.into_inner())
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("notice"))?;
    Ok(HttpResponse::Ok().json(public_notice(&state.db, &n, state.clock.today()).await?))
}

/// An objection from the public.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct ObjectionRequest {
    /// The candidate objected to (from the notice).
    pub candidate_id: String,
    /// The objection and its grounds.
    #[validate(length(min = 10, max = 5000))]
    #[schema(min_length = 10, max_length = 5000)]
    pub content: String,
    /// Optional: who objects (kept for HRSS only).
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub contact_name: Option<String>,
    /// Optional: how to reach them (kept for HRSS only).
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub contact: Option<String>,
}

/// The receipt of an objection.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ObjectionReceipt {
    pub id: String,
    pub notice_id: String,
    pub candidate_id: String,
    pub status: ObjectionStatus,
    pub filed_at: DateTime<FixedOffset>,
}

/// File an objection
///
/// Files an objection while the notice window is open (Art. 4.5). No token; limited per
/// client address.
#[utoipa::path(
    tag = "public",
    security(()),
    params(
        ("id" = String, Path, description = "Notice id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key", pattern = "^[!-~]{1,200}$"),
    ),
    request_body = ObjectionRequest,
    responses(
        (status = 201, description = "Filed", body = ObjectionReceipt),
        (status = 429, response = crate::openapi::TooManyRequests),
    )
)]
#[post("/public/notices/{id}/objections")]
async fn file_objection(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: ApiJson<ObjectionRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let notice_id = id.into_inner();
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let content = required_text("content", &body.content, 5000)?;
    let contact_name = optional_text("contact_name", body.contact_name.as_deref(), 100)?;
    let contact = optional_text("contact", body.contact.as_deref(), 200)?;
    let n = notice::Entity::find_by_id(notice_id.clone())
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("notice"))?;
    let client = rate_limit(&req, &state, "objection").await?;
    let scope = format!("addr:{client}");
    crate::write::write(&state, &req, &scope, &key, &body, async |tx| {
        let c = candidate::Entity::find_by_id(body.candidate_id.clone())
            .one(tx)
            .await?
            .filter(|c| c.notice_id.as_deref() == Some(n.id.as_str()))
            .ok_or_else(|| ApiError::invalid_field("candidate_id", "is not on this notice"))?;
        appointment::check_can_object(&NoticeWindow::from_start(n.starts_on), today)?;
        if c.state != CandidateState::InNotice.code() {
            return Err(ApiError::conflict(
                "invalid_transition",
                "the candidate is no longer on notice",
            )
            .with_article("Art. 4.5"));
        }
        let objection_id = new_id();
        let now = truncate_to_micros(ctx.now);
        objection::Entity::insert(objection::ActiveModel {
            id: Set(objection_id.clone()),
            notice_id: Set(n.id.clone()),
            candidate_id: Set(c.id.clone()),
            status: Set(ObjectionStatus::Open.code().to_owned()),
            content: Set(content.clone()),
            contact_name: Set(contact_name.clone()),
            contact: Set(contact.clone()),
            filed_at: Set(now),
            resolved_by: Set(None),
            resolved_at: Set(None),
            resolution_reason: Set(None),
        })
        .exec_without_returning(tx)
        .await?;
        record(
            tx,
            &ctx,
            Transition {
                action: AuditAction::ObjectionFiled,
                object_type: "objection",
                object_id: &objection_id,
                before: None,
                after: Some(ObjectionStatus::Open.code()),
                reason: None,
                details: Some(serde_json::json!({ "notice_id": n.id, "candidate_id": c.id })),
            },
        )
        .await?;
        Ok(Created::at(
            format!("/api/v1/public/notices/{}", n.id),
            ObjectionReceipt {
                id: objection_id,
                notice_id: n.id.clone(),
                candidate_id: c.id,
                status: ObjectionStatus::Open,
                filed_at: to_cst(now),
            },
        ))
    })
    .await
}

/// An advisor on the public roster: public fields only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RosterEntry {
    pub id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub field: FieldRef,
    pub term_starts_on: NaiveDate,
    pub term_ends_on: NaiveDate,
}

/// Get the public roster
///
/// The public roster: advisors in office today (Art. 4.6, 向社会公开).
#[utoipa::path(
    tag = "public",
    security(()),
    params(PageParams),
    responses((status = 200, description = "A page of advisors in office", body = Page<RosterEntry>))
)]
#[get("/public/roster")]
async fn roster(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "roster";
    let today = state.clock.today();
    let query = advisor::Entity::find().filter(super::advisors::in_office_on(today));
    let (rows, next_cursor) = page_of(
        &state.db,
        query,
        advisor::Column::Id,
        &page,
        KIND,
        Direction::OldestFirst,
        |r| r.id.clone(),
    )
    .await?;
    let fields = fields_by_code(&state.db).await?;
    let items = rows
        .into_iter()
        .map(|a| RosterEntry {
            field: field_ref(&fields, &a.field_code),
            id: a.id,
            name: a.name,
            employer: a.employer,
            title: a.title,
            term_starts_on: a.term_starts_on,
            term_ends_on: a.term_ends_on,
        })
        .collect::<Vec<_>>();
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// An expert's own nomination.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct SelfNominationRequest {
    /// Field code (see `GET /api/v1/fields`); the nomination goes to its lead department.
    #[schema(example = "logistics")]
    pub field: String,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub employer: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    pub birth_date: NaiveDate,
    /// Years of professional work or research (at least 5, Art. 5.2).
    #[validate(range(max = 80))]
    pub experience_years: u32,
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    pub achievements: String,
    /// A phone number or an e-mail address is required.
    #[validate(nested)]
    pub contact: Contact,
}

/// The receipt of a self-nomination.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SelfNominationReceipt {
    /// Reference of the nomination.
    pub id: String,
    pub channel: NominationChannel,
    pub field: FieldRef,
    /// The department that will review it.
    pub routed_to_org_id: String,
    pub received_at: DateTime<FixedOffset>,
}

/// Nominate oneself
///
/// An expert or scholar nominates themself (Art. 4.1, 专家学者自荐). No token; limited per
/// client address; routed to the lead department of the chosen field.
#[utoipa::path(
    tag = "public",
    security(()),
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key", pattern = "^[!-~]{1,200}$")),
    request_body = SelfNominationRequest,
    responses(
        (status = 201, description = "Received", body = SelfNominationReceipt),
        (status = 429, response = crate::openapi::TooManyRequests),
    )
)]
#[post("/public/self-nominations")]
async fn self_nominate(
    state: web::Data<AppState>,
    req: HttpRequest,
    key: IdempotencyKey,
    body: ApiJson<SelfNominationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    if body
        .contact
        .phone
        .as_deref()
        .is_none_or(|p| p.trim().is_empty())
        && body
            .contact
            .email
            .as_deref()
            .is_none_or(|e| e.trim().is_empty())
    {
        return Err(ApiError::invalid_field(
            "contact",
            "a phone number or an e-mail address is required",
        ));
    }
    check_birth_date(body.birth_date, today)?;
    let name = required_text("name", &body.name, 100)?;
    let employer = required_text("employer", &body.employer, 200)?;
    let title = required_text("title", &body.title, 200)?;
    let achievements = required_text("achievements", &body.achievements, 5000)?;
    let field = find_field(&state.db, &body.field).await?;
    let client = rate_limit(&req, &state, "self_nomination").await?;
    let scope = format!("addr:{client}");
    crate::write::write(&state, &req, &scope, &key, &body, async |tx| {
        let routed_to = field.lead_org_id.clone();
        let field_view = FieldRef::from(&field);
        let id = insert_candidate(
            tx,
            &ctx,
            NewCandidate {
                channel: NominationChannel::SelfNomination,
                field: field.clone(),
                nominating_org_id: None,
                name: name.clone(),
                employer: employer.clone(),
                title: title.clone(),
                birth_date: body.birth_date,
                experience_years: body.experience_years,
                achievements: achievements.clone(),
                referrer: None,
                contact: body.contact.clone(),
            },
        )
        .await?;
        Ok(Created {
            status: actix_web::http::StatusCode::CREATED,
            body: SelfNominationReceipt {
                id,
                channel: NominationChannel::SelfNomination,
                field: field_view,
                routed_to_org_id: routed_to,
                received_at: to_cst(ctx.now),
            },
            location: None,
        })
    })
    .await
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_notices)
        .service(get_notice)
        .service(file_objection)
        .service(roster)
        .service(self_nominate);
}
