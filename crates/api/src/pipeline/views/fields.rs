//! Fields of expertise as shown and as configured (Art. 4.1).

use chrono::{DateTime, FixedOffset};
use guwen_persistence::store::pipeline::{Field, FieldNames};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::prelude::*;

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

crate::view::from_record!(Field => FieldView {
    code, name_en, name_zh, lead_org_id;
    updated_at
});

/// The list of fields.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldList {
    pub items: Vec<FieldView>,
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

impl PutFieldRequest {
    /// The names and lead department, trimmed (422 when blank).
    pub fn names(&self) -> Result<FieldNames, ApiError> {
        Ok(FieldNames {
            name_en: required_line("name_en", &self.name_en, 200)?,
            name_zh: required_line("name_zh", &self.name_zh, 200)?,
            lead_org_id: identifier("lead_org_id", &self.lead_org_id, ORG_ID_MAX)?.to_owned(),
        })
    }
}

/// A field code from the path: 1 to 60 of `a-z`, `0-9` and `_` (400 otherwise).
pub fn field_code(code: String) -> Result<String, ApiError> {
    if code.is_empty()
        || code.len() > 60
        || !code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(ApiError::new(
            ProblemCode::InvalidPath,
            "a field code has 1 to 60 characters among a-z, 0-9 and _",
        ));
    }
    Ok(code)
}
