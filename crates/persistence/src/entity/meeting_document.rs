use sea_orm::entity::prelude::*;

/// A document drafted from a meeting's finalised minutes and its submission to the
/// government (Art. 11).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_documents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub meeting_id: String,
    pub title: String,
    /// The document's reference (文号).
    pub reference: String,
    /// The day it was submitted to the government (China Standard Time).
    pub submitted_on: Date,
    pub recorded_by: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
