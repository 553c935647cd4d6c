use sea_orm::entity::prelude::*;

/// A webhook subscription and its delivery state: the last delivered audit sequence number
/// (`cursor`), the retry state of the next event and the lease of the replica delivering it.
/// Instants used for leases and retries are epoch milliseconds.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub url: String,
    /// Event type codes separated by commas; empty for every type.
    pub event_types: String,
    /// The role whose view of each event is delivered.
    pub view_as: String,
    /// `whsec_…`: the signing secret.
    pub secret: String,
    /// `active`, `failed` or `disabled`.
    pub state: String,
    pub cursor: i64,
    pub attempts: i32,
    pub next_attempt_ms: i64,
    pub failing_since_ms: Option<i64>,
    pub last_error: Option<String>,
    pub last_attempt_ms: Option<i64>,
    pub last_delivered_ms: Option<i64>,
    pub delivered: i64,
    pub lease_owner: Option<String>,
    pub lease_until_ms: i64,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
