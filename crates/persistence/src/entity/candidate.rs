use guwen_domain::{
    appointment::AgeExceptionStatus,
    nomination::{CandidateState, NominationChannel},
};
use sea_orm::entity::prelude::*;

/// A candidate in the appointment procedure (Art. 4, 5).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "candidates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub state: CandidateState,
    pub version: i32,
    pub channel: NominationChannel,
    pub field_code: String,
    pub nominating_org_id: Option<String>,
    pub lead_org_id: String,
    pub created_by: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub birth_date: Date,
    pub experience_years: i32,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub achievements: String,
    pub referrer: Option<String>,
    /// The preliminary review as JSON: aspects, attestations, note.
    pub review: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub background_passed: Option<bool>,
    pub background_findings: Option<String>,
    pub background_checked_by: Option<String>,
    pub background_checked_at: Option<DateTimeUtc>,
    pub list_id: Option<String>,
    pub approved: Option<bool>,
    pub decision_note: Option<String>,
    pub age_exception_reason: Option<String>,
    pub age_exception_approved: bool,
    /// Art. 5.5: where the exception stands (requested after the executive meeting, approved, refused).
    pub age_exception_status: Option<AgeExceptionStatus>,
    pub notice_id: Option<String>,
    pub proposed_term_years: Option<i32>,
    pub advisor_id: Option<String>,
    /// Why the procedure ended without appointment (rejection or withdrawal).
    pub closing_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::store::stateful! { CandidateState, "candidate", state = State, version = Version, updated_at = UpdatedAt }
