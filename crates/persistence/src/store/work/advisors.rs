//! The advisors as the work chapter reads them (read only): who is in office to be assigned
//! or invited, and their names. The office chapter owns the advisor records.

use std::collections::HashMap;

use chrono::NaiveDate;
use guwen_domain::office::AdvisorStatus;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, DerivePartialModel, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect,
};

use crate::{entity::advisor, store::office::in_office_on};

/// An advisor's standing: who they are, their field, and what decides whether they are in
/// office (the stored status and the current term).
#[derive(Debug, Clone, PartialEq, Eq, DerivePartialModel)]
#[sea_orm(entity = "advisor::Entity")]
pub struct AdvisorStanding {
    pub id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub field_code: String,
    pub status: AdvisorStatus,
    pub term_starts_on: NaiveDate,
    /// The last day of the last approved term (Art. 3).
    pub office_ends_on: NaiveDate,
}

/// One advisor's standing, if the advisor exists.
pub async fn advisor_standing<C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> Result<Option<AdvisorStanding>, DbErr> {
    advisor::Entity::find_by_id(id.to_owned())
        .into_partial_model::<AdvisorStanding>()
        .one(db)
        .await
}

/// Every advisor in office on `today`.
pub async fn advisors_in_office_on<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
) -> Result<Vec<AdvisorStanding>, DbErr> {
    advisor::Entity::find()
        .filter(in_office_on(today))
        .into_partial_model::<AdvisorStanding>()
        .all(db)
        .await
}

/// How many of these advisors are in office on `today`.
pub async fn count_in_office_on<C: ConnectionTrait>(
    db: &C,
    ids: &[String],
    today: NaiveDate,
) -> Result<u64, DbErr> {
    advisor::Entity::find()
        .filter(advisor::Column::Id.is_in(ids.iter().cloned()))
        .filter(in_office_on(today))
        .count(db)
        .await
}

/// The names of these advisors, by id.
pub async fn advisor_names<C: ConnectionTrait>(
    db: &C,
    ids: Vec<String>,
) -> Result<HashMap<String, String>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(advisor::Entity::find()
        .select_only()
        .column(advisor::Column::Id)
        .column(advisor::Column::Name)
        .filter(advisor::Column::Id.is_in(ids))
        .into_tuple::<(String, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}
