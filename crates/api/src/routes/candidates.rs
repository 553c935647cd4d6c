//! Transitional: what other chapters still import from the old candidates module. The
//! appointment procedure itself lives in `crate::pipeline`.

use guwen_persistence::{
    sea_orm::ConnectionTrait,
    store::pipeline::{self as store, Field},
};

use crate::http::error::ApiError;

/// Finds a field by code (422 on `field` if unknown).
pub async fn find_field<C: ConnectionTrait>(db: &C, code: &str) -> Result<Field, ApiError> {
    store::field(db, code.trim())
        .await?
        .ok_or_else(crate::pipeline::views::unknown_field)
}
