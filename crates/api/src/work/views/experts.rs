//! Temporary experts (Art. 8 ¶3).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use guwen_domain::{time::to_cst, work};
use guwen_persistence::store::work::TemporaryExpert;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::prelude::*;

/// A temporary expert.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TemporaryExpertView {
    pub id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub field: Option<String>,
    /// The one matter the expert is engaged for.
    pub scope: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub engaged_by: String,
    pub created_at: DateTime<FixedOffset>,
}

impl From<TemporaryExpert> for TemporaryExpertView {
    fn from(e: TemporaryExpert) -> Self {
        Self {
            id: e.id,
            name: e.name,
            employer: e.employer,
            title: e.title,
            field: e.field_code,
            scope: e.scope,
            starts_on: e.starts_on,
            ends_on: e.ends_on,
            engaged_by: e.engaged_by,
            created_at: to_cst(e.created_at),
        }
    }
}

/// A new engagement.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct EngageRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub employer: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    /// Field code, if any.
    #[validate(length(max = 60))]
    #[schema(max_length = 60)]
    pub field: Option<String>,
    /// The matter the expert handles.
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    pub scope: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl EngageRequest {
    /// The engagement to insert, made by `engaged_by` at `created_at`: the period is checked
    /// first (Art. 8 ¶3), then the texts (422).
    pub fn into_expert(
        &self,
        id: String,
        engaged_by: &str,
        created_at: DateTime<Utc>,
    ) -> Result<TemporaryExpert, ApiError> {
        work::check_engagement_dates(self.starts_on, self.ends_on)?;
        Ok(TemporaryExpert {
            id,
            name: required_line("name", &self.name, 100)?,
            employer: required_line("employer", &self.employer, 200)?,
            title: required_line("title", &self.title, 200)?,
            scope: required_text("scope", &self.scope, 5000)?,
            field_code: optional_line("field", self.field.as_deref(), 60)?,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            engaged_by: engaged_by.to_owned(),
            created_at,
        })
    }
}

/// Filters of temporary experts.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExpertFilter {
    /// Only engagements running on this date.
    pub active_on: Option<NaiveDate>,
}
