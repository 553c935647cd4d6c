use guwen_domain::participation::InterestKind;
use sea_orm::entity::prelude::*;

/// One entry of an advisor's declaration of interests (Art. 7(2)–(3)).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "advisor_interests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub advisor_id: String,
    pub kind: InterestKind,
    pub organisation: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub note: Option<String>,
    pub declared_by: String,
    pub declared_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
