use sea_orm::entity::prelude::*;

/// A full re-verification of the audit chain, run in the background, with its progress.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_verification_jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// `running`, `succeeded` (the chain verifies) or `failed` (a broken link was found).
    pub state: String,
    pub started_by: String,
    pub started_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    /// Until when the replica running it holds it; a job whose lease ran out is taken over.
    pub lease_until: Option<DateTimeUtc>,
    /// The chain's length when the job started.
    pub total: i64,
    /// Events verified so far.
    pub verified: i64,
    /// The last verified event (where a taken-over job resumes).
    pub last_seq: i64,
    pub last_hash: String,
    pub broken_seq: Option<i64>,
    pub broken_event_id: Option<String>,
    pub problem: Option<String>,
    /// How many times another run took it over after its replica stopped.
    pub resumed: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
