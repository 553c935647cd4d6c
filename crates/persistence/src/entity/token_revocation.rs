use guwen_domain::token::RevocationKind;
use sea_orm::entity::prelude::*;

/// A revoked token (`jti`) or subject: tokens it names are refused from then on.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "token_revocations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub kind: RevocationKind,
    /// The revoked `jti`, or the revoked subject.
    pub value: String,
    pub reason: String,
    pub revoked_by: String,
    pub revoked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
