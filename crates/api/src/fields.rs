//! Fields of expertise as every chapter shows them (Art. 4.1: each field has a lead
//! department), and the look-up of a field named in a request.

use std::collections::HashMap;

use guwen_persistence::store::pipeline::{self as store, Field};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::error::ApiError;

/// A field of expertise as shown in responses.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldRef {
    /// Field code (see `GET /api/v1/fields`).
    #[schema(example = "port_trade")]
    pub code: String,
    #[schema(example = "Port and cross-border trade")]
    pub name_en: String,
    #[schema(example = "口岸与跨境贸易")]
    pub name_zh: String,
}

impl From<&Field> for FieldRef {
    fn from(f: &Field) -> Self {
        Self {
            code: f.code.clone(),
            name_en: f.name_en.clone(),
            name_zh: f.name_zh.clone(),
        }
    }
}

/// The reference to a field, tolerating a code that was since removed.
pub fn field_ref(fields: &HashMap<String, Field>, code: &str) -> FieldRef {
    fields
        .get(code)
        .map(FieldRef::from)
        .unwrap_or_else(|| FieldRef {
            code: code.to_owned(),
            name_en: code.to_owned(),
            name_zh: code.to_owned(),
        })
}

/// Every field, by code.
pub async fn fields_by_code(
    db: &impl guwen_persistence::store::Connection,
) -> Result<HashMap<String, Field>, ApiError> {
    Ok(store::fields_by_code(db).await?)
}

/// The longest field code (the column holds 60 characters).
pub const FIELD_CODE_MAX: usize = 60;

/// Finds a field named in a request (422 on `field` if it is not an identifier or unknown).
pub async fn find_field(
    db: &impl guwen_persistence::store::Connection,
    code: &str,
) -> Result<Field, ApiError> {
    let code = crate::http::text::identifier("field", code.trim(), FIELD_CODE_MAX)?;
    store::field(db, code).await?.ok_or_else(unknown_field)
}

/// The 422 on an unknown field code.
pub fn unknown_field() -> ApiError {
    ApiError::invalid_field(
        "field",
        "is not a known field code (see GET /api/v1/fields)",
    )
}
