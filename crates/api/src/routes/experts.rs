//! Temporary experts (Art. 8 ¶3, 临时聘请): engaged by the government for one matter, outside
//! the appointment pipeline.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use guwen_domain::{audit::AuditAction, time::to_cst, work};
use guwen_persistence::{
    audit::truncate_to_micros,
    entity::temporary_expert,
    sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::common::{Transition, new_id, optional_text, record, required_text};
use crate::{
    access::Caller,
    error::ApiError,
    extract::ApiJson,
    idempotency::{Created, IdempotencyKey},
    pagination::{Direction, Page, PageParams, page_of},
    state::AppState,
    write::audit_context,
};

/// A temporary expert.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TemporaryExpertView {
    pub id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub field: Option<String>,
    /// The one matter the expert is engaged for.
    pub scope: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub engaged_by: String,
    pub created_at: DateTime<FixedOffset>,
}

fn view(e: temporary_expert::Model) -> TemporaryExpertView {
    TemporaryExpertView {
        id: e.id,
        name: e.name,
        employer: e.employer,
        title: e.title,
        field: e.field_code,
        scope: e.scope,
        starts_on: e.starts_on,
        ends_on: e.ends_on,
        engaged_by: e.engaged_by,
        created_at: to_cst(e.created_at),
    }
}

/// A new engagement.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct EngageRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub employer: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    /// Field code, if any.
    #[validate(length(max = 60))]
    #[schema(max_length = 60)]
    pub field: Option<String>,
    /// The matter the expert handles.
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    pub scope: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// Engages a temporary expert for one matter (Art. 8 ¶3).
#[utoipa::path(
    tag = "temporary experts",
    security(("bearer" = ["government", "hrss"])),
    request_body = EngageRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key", pattern = "^[!-~]{1,200}$")),
    responses((status = 201, description = "The engagement", body = TemporaryExpertView))
)]
#[post("/temporary-experts")]
async fn engage(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    key: IdempotencyKey,
    body: ApiJson<EngageRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = audit_context(&req, &state);
    work::check_engagement_dates(body.starts_on, body.ends_on)?;
    let name = required_text("name", &body.name, 100)?;
    let employer = required_text("employer", &body.employer, 200)?;
    let title = required_text("title", &body.title, 200)?;
    let scope_text = required_text("scope", &body.scope, 5000)?;
    let field = optional_text("field", body.field.as_deref(), 60)?;
    crate::write::write(
        &state,
        &req,
        &caller.idempotency_scope(),
        &key,
        &body,
        async |tx| {
            if let Some(f) = &field {
                super::candidates::find_field(tx, f).await?;
            }
            let id = new_id();
            temporary_expert::Entity::insert(temporary_expert::ActiveModel {
                id: Set(id.clone()),
                name: Set(name.clone()),
                employer: Set(employer.clone()),
                title: Set(title.clone()),
                field_code: Set(field.clone()),
                scope: Set(scope_text.clone()),
                starts_on: Set(body.starts_on),
                ends_on: Set(body.ends_on),
                engaged_by: Set(caller.sub().to_owned()),
                created_at: Set(truncate_to_micros(ctx.now)),
            })
            .exec_without_returning(tx)
            .await?;
            record(
                tx,
                &ctx,
                Transition {
                    action: AuditAction::TemporaryExpertEngaged,
                    object_type: "temporary_expert",
                    object_id: &id,
                    before: None,
                    after: None,
                    reason: None,
                    details: Some(
                        serde_json::json!({ "starts_on": body.starts_on, "ends_on": body.ends_on }),
                    ),
                },
            )
            .await?;
            let saved = temporary_expert::Entity::find_by_id(id.clone())
                .one(tx)
                .await?
                .ok_or_else(|| ApiError::internal("expert vanished"))?;
            Ok(Created::at(
                format!("/api/v1/temporary-experts?id={id}"),
                view(saved),
            ))
        },
    )
    .await
}

/// Filters of temporary experts.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExpertFilter {
    /// Only engagements running on this date.
    pub active_on: Option<NaiveDate>,
}

/// Temporary experts, newest first.
#[utoipa::path(
    tag = "temporary experts",
    security(("bearer" = ["government", "hrss"])),
    params(ExpertFilter, PageParams),
    responses((status = 200, description = "A page of temporary experts", body = Page<TemporaryExpertView>))
)]
#[get("/temporary-experts")]
async fn list_experts(
    state: web::Data<AppState>,
    filter: web::Query<ExpertFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "experts";
    let mut query = temporary_expert::Entity::find();
    if let Some(d) = filter.active_on {
        query = query
            .filter(temporary_expert::Column::StartsOn.lte(d))
            .filter(temporary_expert::Column::EndsOn.gte(d));
    }
    let (rows, next_cursor) = page_of(
        &state.db,
        query,
        temporary_expert::Column::Id,
        &page,
        KIND,
        Direction::NewestFirst,
        |r| r.id.clone(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(view).collect::<Vec<_>>(),
        next_cursor,
    }))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(engage).service(list_experts);
}
