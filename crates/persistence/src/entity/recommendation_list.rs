use guwen_domain::nomination::ListState;
use sea_orm::entity::prelude::*;

/// A recommendation list submitted to the government (Art. 4.3) and its decision (Art. 4.4).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recommendation_lists")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub state: ListState,
    pub title: String,
    pub created_by: String,
    pub submitted_at: DateTimeUtc,
    pub meeting_ref: Option<String>,
    pub meeting_date: Option<Date>,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<String>,
    pub party_committee_reported_on: Option<Date>,
    pub party_committee_ref: Option<String>,
    pub party_committee_note: Option<String>,
    pub party_committee_recorded_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::store::stateful! { ListState, "recommendation_list", state = State, version = Version }
