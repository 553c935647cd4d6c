//! The advisor behind an advisor's own action (Art. 12, 13): read from the database inside the
//! action's transaction, so a dismissed, resigned or expired advisor cannot act on an old
//! token, and a token naming no advisor of record acts as no one.

use chrono::NaiveDate;
use guwen_domain::office;
use guwen_persistence::store::{Connection, work as work_store};

use crate::prelude::*;

/// The id of the advisor acting with this token, who must be in office on `today`: 403 without
/// an `advisor_id` claim or when it names no advisor, 409 `advisor_not_in_office` otherwise.
pub async fn acting_advisor(
    db: &impl Connection,
    caller: &Caller,
    today: NaiveDate,
) -> Result<String, ApiError> {
    let id = caller
        .advisor_id()
        .ok_or_else(|| ApiError::forbidden("an advisor token needs an advisor_id claim"))?;
    let a = work_store::advisor_standing(db, id)
        .await?
        .ok_or_else(|| ApiError::forbidden("the token's advisor_id names no advisor of record"))?;
    office::check_acting_advisor(a.status, a.term_starts_on, a.office_ends_on, today)?;
    Ok(a.id)
}
