//! The caller as `GET /me` shows them.

use chrono::NaiveDate;
use guwen_domain::{Labelled, awaiting::Awaiting, role::Role};
use serde::Serialize;
use utoipa::ToSchema;

use crate::office::views::AdvisorView;

/// Who the caller is and what awaits them: one call for a dashboard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeView {
    /// The token's subject.
    pub sub: String,
    pub roles: Vec<Role>,
    /// The organisation (a department's `org_id`).
    pub org_id: Option<String>,
    /// The advisor the token names (advisors only).
    pub advisor_id: Option<String>,
    /// An advisor's own record, when the token names one that exists.
    pub advisor: Option<AdvisorView>,
    /// Why an advisor token has no record to act with: `advisor_id_missing` (the token names
    /// none), `advisor_not_found` (it names one that does not exist) or
    /// `advisor_not_in_office` (the record shows why: expired, dismissed or resigned).
    pub advisor_problem: Option<AdvisorProblem>,
    /// Today in China Standard Time, the day the counts are for.
    pub today: NaiveDate,
    /// How many objects await a step the caller takes, one entry per kind the caller's roles
    /// work on (zero included), each with the list to open.
    pub awaiting: Vec<AwaitingCount>,
}

/// Why an advisor token cannot act as an advisor.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdvisorProblem {
    #[schema(example = "advisor_not_found")]
    pub code: String,
    pub detail: String,
}

/// How many objects of one kind await the caller.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AwaitingCount {
    pub key: Awaiting,
    pub label_en: String,
    pub label_zh: String,
    /// The article of the step they wait for.
    #[schema(example = "Art. 4.2")]
    pub article: String,
    pub count: u64,
    /// The list a front-end opens to act on them.
    #[schema(example = "/api/v1/candidates?state=pre_reviewed")]
    pub href: String,
}

impl AwaitingCount {
    pub fn new(key: Awaiting, count: u64, href: String) -> Self {
        Self {
            key,
            label_en: key.label_en().to_owned(),
            label_zh: key.label_zh().to_owned(),
            article: guwen_domain::awaiting::article_of(key).to_owned(),
            count,
            href,
        }
    }
}
