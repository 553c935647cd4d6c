//! Fields of expertise and their lead departments (Art. 4.1: 市各领域牵头部门).

use actix_web::{HttpRequest, HttpResponse, get, put, web};
use chrono::{DateTime, FixedOffset};
use guwen_domain::{audit::AuditAction, time::to_cst};
use guwen_persistence::{
    audit::truncate_to_micros,
    entity::field,
    sea_orm::{ActiveValue::Set, EntityTrait, QueryOrder, sea_query::OnConflict},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::common::{Transition, record, required_text};
use crate::{
    access::Caller, error::ApiError, extract::ApiJson, state::AppState, write::audit_context,
};

/// A field of expertise.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldView {
    #[schema(example = "port_trade")]
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    /// The line department that leads the field and pre-reviews its candidates.
    pub lead_org_id: String,
    pub updated_at: DateTime<FixedOffset>,
}

impl From<field::Model> for FieldView {
    fn from(f: field::Model) -> Self {
        Self {
            code: f.code,
            name_en: f.name_en,
            name_zh: f.name_zh,
            lead_org_id: f.lead_org_id,
            updated_at: to_cst(f.updated_at),
        }
    }
}

/// The list of fields.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldList {
    pub items: Vec<FieldView>,
}

/// List fields of expertise
///
/// Every field of expertise with its lead department (for nomination forms).
#[utoipa::path(tag = "fields", security(()), responses((status = 200, description = "All fields", body = FieldList)))]
#[get("/fields")]
async fn list_fields(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let items = field::Entity::find()
        .order_by_asc(field::Column::Code)
        .all(&state.db)
        .await?
        .into_iter()
        .map(FieldView::from)
        .collect();
    Ok(HttpResponse::Ok().json(FieldList { items }))
}

/// A field's names and lead department.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct PutFieldRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name_en: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name_zh: String,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub lead_org_id: String,
}

/// Create or change a field
///
/// Creates or changes a field and its lead department. Candidates already nominated keep the
/// department they were routed to.
#[utoipa::path(
    tag = "fields",
    security(("bearer" = ["hrss"])),
    params(("code" = String, Path, description = "Field code: lowercase letters, digits and `_`")),
    request_body = PutFieldRequest,
    responses((status = 200, description = "The field", body = FieldView))
)]
#[put("/fields/{code}")]
async fn put_field(
    state: web::Data<AppState>,
    req: HttpRequest,
    _caller: Caller,
    code: web::Path<String>,
    body: ApiJson<PutFieldRequest>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    if code.is_empty()
        || code.len() > 60
        || !code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(ApiError::bad_request(
            "invalid_path",
            "a field code has 1 to 60 characters among a-z, 0-9 and _",
        ));
    }
    let ctx = audit_context(&req, &state);
    let model = field::ActiveModel {
        code: Set(code.clone()),
        name_en: Set(required_text("name_en", &body.name_en, 200)?),
        name_zh: Set(required_text("name_zh", &body.name_zh, 200)?),
        lead_org_id: Set(required_text("lead_org_id", &body.lead_org_id, 100)?),
        updated_at: Set(truncate_to_micros(ctx.now)),
    };
    let tx = guwen_persistence::audit::begin_write(&state.db).await?;
    let before = field::Entity::find_by_id(code.clone()).one(&tx).await?;
    field::Entity::insert(model)
        .on_conflict(
            OnConflict::column(field::Column::Code)
                .update_columns([
                    field::Column::NameEn,
                    field::Column::NameZh,
                    field::Column::LeadOrgId,
                    field::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&tx)
        .await?;
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::FieldConfigured,
            object_type: "field",
            object_id: &code,
            before: before.as_ref().map(|f| f.lead_org_id.as_str()),
            after: Some(body.lead_org_id.trim()),
            reason: None,
            details: Some(serde_json::json!({ "name_en": body.name_en, "name_zh": body.name_zh })),
        },
    )
    .await?;
    let saved = field::Entity::find_by_id(code)
        .one(&tx)
        .await?
        .ok_or_else(|| ApiError::internal("field vanished"))?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(FieldView::from(saved)))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_fields).service(put_field);
}
