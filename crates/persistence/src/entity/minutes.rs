use std::collections::BTreeMap;

use sea_orm::entity::prelude::*;

/// The minutes of a meeting (Art. 11): every attending advisor's and participating department's opinion.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "minutes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub meeting_id: String,
    pub summary: String,
    /// JSON object: advisor id to opinion.
    pub advisor_opinions: String,
    /// JSON object: org id to opinion.
    pub department_opinions: String,
    pub version: i32,
    pub updated_by: String,
    pub updated_at: DateTimeUtc,
    pub finalized_at: Option<DateTimeUtc>,
    pub finalized_by: Option<String>,
    pub forwarded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The recorded opinions of advisors, by advisor id.
    pub fn opinions_of_advisors(&self) -> Result<BTreeMap<String, String>, serde_json::Error> {
        serde_json::from_str(&self.advisor_opinions)
    }

    /// The recorded opinions of departments, by org id.
    pub fn opinions_of_departments(&self) -> Result<BTreeMap<String, String>, serde_json::Error> {
        serde_json::from_str(&self.department_opinions)
    }
}
