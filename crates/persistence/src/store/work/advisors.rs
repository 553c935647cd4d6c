//! The advisors as the work chapter reads them (read only): who is in office to be assigned
//! or invited, and their names. The office chapter owns the advisor records.

use std::collections::HashMap;

use chrono::NaiveDate;
use guwen_domain::{
    Labelled,
    office::{self, AdvisorStatus},
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, DerivePartialModel, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect,
};

use crate::entity::advisor;

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
    pub term_ends_on: NaiveDate,
}

/// "In office on `today`" as SQL: a stored status the domain counts as in office
/// ([`office::is_in_office`]) and a term running on that day.
fn in_office_on(today: NaiveDate) -> Condition {
    let statuses = AdvisorStatus::all()
        .iter()
        .copied()
        .filter(|s| office::is_in_office(*s));
    Condition::all()
        .add(advisor::Column::Status.is_in(statuses))
        .add(advisor::Column::TermStartsOn.lte(today))
        .add(advisor::Column::TermEndsOn.gte(today))
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
