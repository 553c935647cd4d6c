use sea_orm::entity::prelude::*;

/// A department taking part in a meeting (Art. 11).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_departments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub meeting_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub org_id: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
