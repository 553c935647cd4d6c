//! Temporary experts (Art. 8 ¶3, 临时聘请): engaged by the government for one matter, outside
//! the appointment pipeline.

use actix_web::{HttpResponse, get, post, web};
use guwen_domain::audit::AuditAction;
use guwen_persistence::store::{self, Direction, Event, work as work_store};

use super::views::{EngageRequest, ExpertFilter, TemporaryExpertView};
use crate::fields::find_field;
use crate::prelude::*;

/// Engage a temporary expert
///
/// Engages a temporary expert for one matter (Art. 8 ¶3).
///
/// Refused with `invalid_engagement_period`.
#[utoipa::path(
    operation_id = "engageTemporaryExpert",
    tag = "temporary experts",
    security(("bearer" = ["government", "hrss"])),
    request_body = EngageRequest,
    params(IdempotencyKey),
    responses((status = 201, description = "The engagement", body = TemporaryExpertView))
)]
#[post("/temporary-experts")]
pub async fn engage(
    call: Creating,
    body: ApiJson<EngageRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = call.audit();
    let id = store::new_id();
    let new = body.into_expert(id.clone(), call.caller.sub(), ctx.stamp())?;
    write_as(&call, &body, async |tx| {
        if let Some(f) = &new.field_code {
            find_field(tx, f).await?;
        }
        let event = Event::new(AuditAction::TemporaryExpertEngaged, "temporary_expert", &id)
            .details(serde_json::json!({ "starts_on": new.starts_on, "ends_on": new.ends_on }));
        let saved = store::insert_row(tx, &ctx, new, event).await?;
        Ok(Created::at(
            format!("/api/v1/temporary-experts?id={id}"),
            TemporaryExpertView::from(saved),
        ))
    })
    .await
}

/// List temporary experts
///
/// Temporary experts, newest first.
#[utoipa::path(
    operation_id = "listTemporaryExperts",
    tag = "temporary experts",
    security(("bearer" = ["government", "hrss"])),
    params(ExpertFilter, PageParams),
    responses((status = 200, description = "A page of temporary experts", body = Page<TemporaryExpertView>))
)]
#[get("/temporary-experts")]
pub async fn list_experts(
    state: web::Data<AppState>,
    filter: web::Query<ExpertFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "experts";
    let request = page.request(KIND, Direction::NewestFirst)?;
    let got = work_store::list_experts(&state.db, filter.active_on, request).await?;
    Ok(HttpResponse::Ok().json(Page::of(KIND, got, |e| Ok(TemporaryExpertView::from(e)))?))
}
