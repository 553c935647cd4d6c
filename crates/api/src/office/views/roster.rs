//! The roster feed for other government systems (DOMAIN.md §6).

use chrono::{DateTime, FixedOffset, NaiveDate};
use guwen_domain::{Labelled, office::AdvisorStatus, time::to_cst};
use guwen_persistence::store::office::Advisor;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One advisor in the feed: public fields, status and term.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RosterRecord {
    pub id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    /// Field code.
    pub field: String,
    /// The status shown today: `active`, `expired`, `dismissal_proposed`, …, `dismissed`, `resigned`.
    pub status: AdvisorStatus,
    pub term_starts_on: NaiveDate,
    pub term_ends_on: NaiveDate,
    pub certificate_no: String,
    pub updated_at: DateTime<FixedOffset>,
}

impl RosterRecord {
    /// The record of an advisor as shown on `today`.
    pub fn of(a: Advisor, today: NaiveDate) -> Self {
        Self {
            status: a.status_on(today),
            id: a.id,
            name: a.name,
            employer: a.employer,
            title: a.title,
            field: a.field_code,
            term_starts_on: a.term_starts_on,
            term_ends_on: a.term_ends_on,
            certificate_no: a.certificate_no,
            updated_at: to_cst(a.updated_at),
        }
    }
}

/// The feed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RosterFeed {
    /// When the feed was computed; pass it as `updated_since` next time.
    pub as_of: DateTime<FixedOffset>,
    pub items: Vec<RosterRecord>,
}

/// Feed parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RosterQuery {
    /// Only advisors changed at or after this instant, including those whose term ended since
    /// (RFC 3339; encode `+` as `%2B`).
    pub updated_since: Option<DateTime<FixedOffset>>,
}

/// The feed as CSV, one advisor a line after the header.
pub fn roster_csv(items: &[RosterRecord]) -> String {
    let mut csv = String::from(
        "id,name,employer,title,field,status,term_starts_on,term_ends_on,certificate_no,updated_at\n",
    );
    for r in items {
        let row = [
            r.id.clone(),
            r.name.clone(),
            r.employer.clone(),
            r.title.clone(),
            r.field.clone(),
            r.status.code().to_owned(),
            r.term_starts_on.to_string(),
            r.term_ends_on.to_string(),
            r.certificate_no.clone(),
            r.updated_at.to_rfc3339(),
        ];
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    csv
}

/// Quotes a CSV cell when needed (RFC 4180), and defuses spreadsheet formulas.
fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}
