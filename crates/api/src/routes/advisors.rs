//! Transitional: what other chapters still import from here while they move. The advisors
//! chapter lives in `crate::office`.

use chrono::NaiveDate;
use guwen_domain::office::AdvisorStatus;
use guwen_persistence::{
    sea_orm::ConnectionTrait,
    store::office::{self as store, Advisor},
};

pub use crate::office::views::AdvisorView;
use crate::{
    http::{access::Caller, error::ApiError},
    office::{advisors::present, policy},
    routes::common::{field_ref, fields_by_code},
    state::AppState,
};

/// The status shown on `today` ([`Advisor::status_on`]).
pub fn status_on(a: &Advisor, today: NaiveDate) -> Result<AdvisorStatus, ApiError> {
    Ok(a.status_on(today))
}

/// Loads one advisor the caller may see (404 otherwise), with its terms.
pub async fn load_view<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    caller: &Caller,
    id: &str,
    today: NaiveDate,
) -> Result<AdvisorView, ApiError> {
    let record = store::advisor_record(db, &policy::advisor_scope(caller), id)
        .await?
        .ok_or_else(|| ApiError::not_found("advisor"))?;
    let fields = fields_by_code(db).await?;
    let field = field_ref(&fields, &record.advisor.field_code);
    Ok(present(state, caller, record, field, today))
}
