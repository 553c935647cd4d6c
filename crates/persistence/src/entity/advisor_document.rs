use guwen_domain::documents::{AdvisorDocumentKind, AdvisorDocumentState};
use sea_orm::entity::prelude::*;

/// A certificate (聘书) or agreement (聘任协议) of one term of an advisor (Art. 4.6), revoked
/// (收回) when the advisor is dismissed or resigns (Art. 12, 13).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "advisor_documents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub advisor_id: String,
    pub term_id: String,
    pub term_number: i32,
    pub kind: AdvisorDocumentKind,
    /// The certificate number or the agreement reference of the term.
    pub reference: String,
    pub state: AdvisorDocumentState,
    pub issued_by: String,
    pub issued_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::store::stateful! { AdvisorDocumentState, "advisor document", state = State }
