//! Fields of expertise and their lead departments (Art. 4.1: 市各领域牵头部门).

use actix_web::{HttpResponse, get, put, web};
use guwen_domain::audit::AuditAction;
use guwen_persistence::store::{Event, pipeline as store};

use super::views::{FieldList, FieldView, PutFieldRequest, field_code};
use crate::prelude::*;

/// List fields of expertise
///
/// Every field of expertise with its lead department (for nomination forms).
#[utoipa::path(
    operation_id = "listFields",
    tag = "fields",
    security(()),
    responses(
        (status = 200, description = "All fields", body = FieldList),
        (status = 429, response = crate::http::error::TooManyRequests),
    )
)]
#[get("/fields")]
pub(super) async fn list_fields(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let items = store::fields(&state.db)
        .await?
        .into_iter()
        .map(FieldView::from)
        .collect();
    Ok(HttpResponse::Ok().json(FieldList { items }))
}

/// Create or change a field
///
/// Creates or changes a field and its lead department. Candidates already nominated keep the
/// department they were routed to.
#[utoipa::path(
    operation_id = "putField",
    tag = "fields",
    security(("bearer" = ["hrss"])),
    params(("code" = String, Path, description = "Field code: lowercase letters, digits and `_`")),
    request_body = PutFieldRequest,
    responses((status = 200, description = "The field", body = FieldView))
)]
#[put("/fields/{code}")]
pub(super) async fn put_field(
    call: Signed,
    code: web::Path<String>,
    body: ApiJson<PutFieldRequest>,
) -> Result<HttpResponse, ApiError> {
    let code = field_code(code.into_inner())?;
    let ctx = call.audit();
    let names = body.names()?;
    write_as(&call, &body.0, async |tx| {
        let before = store::field(tx, &code).await?;
        let mut event = Event::new(AuditAction::FieldConfigured, "field", &code)
            .details(serde_json::json!({ "name_en": names.name_en, "name_zh": names.name_zh }));
        event.before = before.map(|f| f.lead_org_id);
        event.after = Some(names.lead_org_id.clone());
        let saved = store::put_field(tx, &ctx, &code, names.clone(), event).await?;
        Ok(Created::ok(FieldView::from(saved)))
    })
    .await
}
