//! Transitional: what other chapters still import from the old candidates module. The
//! appointment procedure itself lives in `crate::pipeline`.

use chrono::NaiveDate;
use guwen_persistence::{
    sea_orm::ConnectionTrait,
    store::pipeline::{self as store, Field},
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::error::ApiError;

/// An advisor's term.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TermView {
    /// 1 for the first term, then renewals.
    pub number: i32,
    pub starts_on: NaiveDate,
    /// Last day of the term.
    pub ends_on: NaiveDate,
    pub years: i32,
    pub agreement_ref: String,
    pub certificate_no: String,
}

/// Finds a field by code (422 on `field` if unknown).
pub async fn find_field<C: ConnectionTrait>(db: &C, code: &str) -> Result<Field, ApiError> {
    store::field(db, code.trim())
        .await?
        .ok_or_else(crate::pipeline::views::unknown_field)
}
