use guwen_domain::office::AdvisorStatus;
use sea_orm::entity::prelude::*;

/// An appointed advisor (Art. 3, 4.6) with the current term.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "advisors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub candidate_id: String,
    pub status: AdvisorStatus,
    pub version: i32,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub field_code: String,
    pub lead_org_id: String,
    #[sea_orm(unique)]
    pub certificate_no: String,
    pub agreement_ref: String,
    pub term_starts_on: Date,
    pub term_ends_on: Date,
    pub term_years: i32,
    /// Art. 3: the last day of the last approved term: the end of the advisor's continuous
    /// run of terms (later than `term_ends_on` once renewed ahead of expiry).
    pub office_ends_on: Date,
    pub appointed_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::store::stateful! { AdvisorStatus, "advisor", state = Status, version = Version, updated_at = UpdatedAt }
