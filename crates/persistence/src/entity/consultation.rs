use sea_orm::entity::prelude::*;

/// A consultation round on the advisor work (Art. 15 定期听取顾问的意见建议).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consultations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub title: String,
    /// The period heard, e.g. `2026-H1`.
    pub period: String,
    pub question: String,
    pub opened_on: Date,
    /// The last day answers are accepted (China Standard Time).
    pub closes_on: Date,
    pub opened_by: String,
    pub created_at: DateTimeUtc,
    pub follow_up: Option<String>,
    pub followed_up_by: Option<String>,
    pub followed_up_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
