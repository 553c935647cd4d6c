//! Opinions (Art. 8, 9): an advisor may always give an independent opinion, by letter, phone,
//! e-mail, research report or written opinion; on a major issue it must be written. An opinion
//! on an assignment delivers it, on time or overdue against the task's deadline.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset};
use guwen_domain::{
    Labelled,
    audit::AuditAction,
    role::Role,
    time::to_cst,
    work::{self, AssignmentState, Confidentiality, OpinionChannel, Timeliness},
};
use guwen_persistence::{
    audit::truncate_to_micros,
    entity::{assignment, opinion, task},
    sea_orm::{
        ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    },
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::{
    common::{Transition, new_id, parse_stored, record, required_text},
    tasks::{parse_confidentiality, refresh_task_state, set_assignment_state},
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

/// An opinion.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpinionView {
    pub id: String,
    pub advisor_id: String,
    /// The task it answers, if any.
    pub task_id: Option<String>,
    /// The assignment it delivers, if any.
    pub assignment_id: Option<String>,
    pub channel: OpinionChannel,
    pub major_issue: bool,
    pub subject: String,
    pub content: String,
    pub confidentiality: Confidentiality,
    /// For a delivery: on time or overdue against the task's deadline.
    pub timeliness: Option<Timeliness>,
    pub submitted_at: DateTime<FixedOffset>,
}

fn view(o: opinion::Model) -> Result<OpinionView, ApiError> {
    Ok(OpinionView {
        channel: parse_stored("channel", &o.channel)?,
        confidentiality: parse_stored("confidentiality", &o.confidentiality)?,
        timeliness: o
            .timeliness
            .as_deref()
            .map(|t| parse_stored("timeliness", t))
            .transpose()?,
        id: o.id,
        advisor_id: o.advisor_id,
        task_id: o.task_id,
        assignment_id: o.assignment_id,
        major_issue: o.major_issue,
        subject: o.subject,
        content: o.content,
        submitted_at: to_cst(o.submitted_at),
    })
}

/// Task ids requested by the caller's department.
async fn requested_task_ids<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
) -> Result<Vec<String>, ApiError> {
    let Some(org) = caller.org_id().filter(|_| caller.has(Role::Department)) else {
        return Ok(Vec::new());
    };
    Ok(task::Entity::find()
        .filter(task::Column::RequesterRole.eq("department"))
        .filter(task::Column::RequesterOrgId.eq(org))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect())
}

/// Whether the caller may read an opinion (others get 404).
async fn can_read<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    o: &opinion::Model,
) -> Result<bool, ApiError> {
    if caller.has(Role::Hrss) || caller.has(Role::Government) || caller.has(Role::Auditor) {
        return Ok(true);
    }
    if caller.has(Role::Advisor) && caller.advisor_id() == Some(o.advisor_id.as_str()) {
        return Ok(true);
    }
    match &o.task_id {
        Some(t) => Ok(requested_task_ids(db, caller).await?.contains(t)),
        None => Ok(false),
    }
}

/// A new opinion.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct CreateOpinionRequest {
    pub channel: OpinionChannel,
    /// A major issue for the city's development (重大问题): must be `written_opinion` or
    /// `research_report` (Art. 9). Opinions delivering a major-issue task are major too.
    #[serde(default)]
    pub major_issue: bool,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub subject: String,
    /// The opinion itself (for a phone call, its record).
    #[validate(length(min = 1, max = 50000))]
    #[schema(min_length = 1, max_length = 50000, pattern = r"\S")]
    pub content: String,
    /// The assignment this opinion delivers (omit for an unsolicited opinion).
    pub assignment_id: Option<String>,
    /// `internal` (default), `work_secret` or `commercial_secret`; never a state secret (Art. 7.1).
    pub confidentiality: Option<String>,
}

/// Submits the advisor's own opinion (Art. 8, 9); with `assignment_id` it delivers that
/// assignment. A recused advisor can no longer deliver (`recused`, Art. 10).
#[utoipa::path(
    tag = "opinions",
    security(("bearer" = ["advisor"])),
    request_body = CreateOpinionRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key", pattern = "^[!-~]{1,200}$")),
    responses((status = 201, description = "The opinion", body = OpinionView, headers(("Location" = String, description = "The opinion's URL"))))
)]
#[post("/opinions")]
async fn create_opinion(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    key: IdempotencyKey,
    body: ApiJson<CreateOpinionRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let me = caller
        .advisor_id()
        .ok_or_else(|| ApiError::forbidden("an advisor token needs an advisor_id claim"))?
        .to_owned();
    let confidentiality = match body.confidentiality.as_deref() {
        Some(raw) => parse_confidentiality(raw)?,
        None => Confidentiality::Internal,
    };
    let subject = required_text("subject", &body.subject, 200)?;
    let content = required_text("content", &body.content, 50000)?;
    crate::write::write(&state, &req, &caller.idempotency_scope(), &key, &body, async |tx| {
        let mut major = body.major_issue;
        let mut delivery = None;
        if let Some(aid) = &body.assignment_id {
            let a = assignment::Entity::find_by_id(aid.clone())
                .one(tx)
                .await?
                .filter(|a| a.advisor_id == me)
                .ok_or_else(|| ApiError::not_found("assignment"))?;
            let t = task::Entity::find_by_id(a.task_id.clone())
                .one(tx)
                .await?
                .ok_or_else(|| ApiError::internal("assignment without task"))?;
            let current: AssignmentState = parse_stored("assignment state", &a.state)?;
            work::check_can_deliver(current)?;
            major = major || t.major_issue;
            delivery = Some((a, t, current));
        }
        work::check_opinion_channel(body.channel, major)?;
        let id = new_id();
        let now = truncate_to_micros(ctx.now);
        let timeliness = delivery.as_ref().map(|(_, t, _)| work::delivery_timeliness(t.deadline, today));
        opinion::Entity::insert(opinion::ActiveModel {
            id: Set(id.clone()),
            advisor_id: Set(me.clone()),
            task_id: Set(delivery.as_ref().map(|(_, t, _)| t.id.clone())),
            assignment_id: Set(delivery.as_ref().map(|(a, _, _)| a.id.clone())),
            channel: Set(body.channel.code().to_owned()),
            major_issue: Set(major),
            subject: Set(subject.clone()),
            content: Set(content.clone()),
            confidentiality: Set(confidentiality.code().to_owned()),
            timeliness: Set(timeliness.map(|t| t.code().to_owned())),
            submitted_at: Set(now),
        })
        .exec_without_returning(tx)
        .await?;
        record(
            tx,
            &ctx,
            Transition {
                action: AuditAction::OpinionSubmitted,
                object_type: "opinion",
                object_id: &id,
                before: None,
                after: None,
                reason: None,
                details: Some(serde_json::json!({ "channel": body.channel.code(), "major_issue": major, "assignment_id": body.assignment_id })),
            },
        )
        .await?;
        if let (Some((a, t, current)), Some(timeliness)) = (delivery, timeliness) {
            let changes = assignment::ActiveModel {
                opinion_id: Set(Some(id.clone())),
                delivered_at: Set(Some(now)),
                timeliness: Set(Some(timeliness.code().to_owned())),
                ..Default::default()
            };
            set_assignment_state(tx, &a.id, current, changes, AssignmentState::Delivered).await?;
            record(
                tx,
                &ctx,
                Transition {
                    action: AuditAction::AssignmentDelivered,
                    object_type: "assignment",
                    object_id: &a.id,
                    before: Some(current.code()),
                    after: Some(AssignmentState::Delivered.code()),
                    reason: None,
                    details: Some(serde_json::json!({ "opinion_id": id, "timeliness": timeliness.code(), "deadline": t.deadline })),
                },
            )
            .await?;
            refresh_task_state(tx, &t.id, &ctx).await?;
        }
        let saved = opinion::Entity::find_by_id(id.clone()).one(tx).await?.ok_or_else(|| ApiError::internal("opinion vanished"))?;
        Ok(Created::at(format!("/api/v1/opinions/{id}"), view(saved)?))
    })
    .await
}

/// Filters of the opinion list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpinionFilter {
    pub advisor_id: Option<String>,
    pub task_id: Option<String>,
    pub channel: Option<OpinionChannel>,
}

/// Opinions the caller may read, newest first: an advisor their own; a department those on
/// tasks it requested; hrss, government and auditor all.
#[utoipa::path(
    tag = "opinions",
    security(("bearer" = ["advisor", "hrss", "government", "auditor", "department"])),
    params(OpinionFilter, PageParams),
    responses((status = 200, description = "A page of opinions", body = Page<OpinionView>))
)]
#[get("/opinions")]
async fn list_opinions(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<OpinionFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "opinions";
    let mut query = opinion::Entity::find();
    if !(caller.has(Role::Hrss) || caller.has(Role::Government) || caller.has(Role::Auditor)) {
        let mut scope = Condition::any();
        if caller.has(Role::Advisor)
            && let Some(me) = caller.advisor_id()
        {
            scope = scope.add(opinion::Column::AdvisorId.eq(me));
        }
        let tasks = requested_task_ids(&state.db, &caller).await?;
        if !tasks.is_empty() {
            scope = scope.add(opinion::Column::TaskId.is_in(tasks));
        }
        // An empty `any` would match everything: this member makes it match nothing instead.
        scope = scope.add(opinion::Column::Id.eq("-"));
        query = query.filter(scope);
    }
    if let Some(a) = &filter.advisor_id {
        query = query.filter(opinion::Column::AdvisorId.eq(a.clone()));
    }
    if let Some(t) = &filter.task_id {
        query = query.filter(opinion::Column::TaskId.eq(t.clone()));
    }
    if let Some(c) = filter.channel {
        query = query.filter(opinion::Column::Channel.eq(c.code()));
    }
    let (rows, next_cursor) = page_of(
        &state.db,
        query,
        opinion::Column::Id,
        &page,
        KIND,
        Direction::NewestFirst,
        |r| r.id.clone(),
    )
    .await?;
    let items = rows.into_iter().map(view).collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// One opinion.
#[utoipa::path(
    tag = "opinions",
    security(("bearer" = ["advisor", "hrss", "government", "auditor", "department"])),
    params(("id" = String, Path, description = "Opinion id")),
    responses((status = 200, description = "The opinion", body = OpinionView))
)]
#[get("/opinions/{id}")]
async fn get_opinion(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let o = opinion::Entity::find_by_id(id.into_inner())
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("opinion"))?;
    if !can_read(&state.db, &caller, &o).await? {
        return Err(ApiError::not_found("opinion"));
    }
    Ok(HttpResponse::Ok().json(view(o)?))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_opinion)
        .service(list_opinions)
        .service(get_opinion);
}
