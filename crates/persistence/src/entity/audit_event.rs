use sea_orm::entity::prelude::*;

/// One link of the tamper-evident audit chain.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    #[sea_orm(unique)]
    pub id: String,
    pub occurred_at: DateTimeUtc,
    pub actor_sub: String,
    pub actor_roles: String,
    pub actor_org: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub state_before: Option<String>,
    pub state_after: Option<String>,
    pub reason: Option<String>,
    pub details: Option<String>,
    pub request_id: Option<String>,
    pub prev_hash: String,
    pub hash: String,
    /// The Ed25519 signature (hex) of the chain's head at this event, `(seq, hash)`, by the
    /// service's audit key. Not part of the hash.
    pub signature: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
