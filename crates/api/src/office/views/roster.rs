//! The roster feed for other government systems (DOMAIN.md §6): its parameters, its records
//! and its JSON page. The spreadsheets (CSV, XLSX) are in [`super::roster_sheet`].

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use guwen_domain::{
    ProblemCode,
    office::{AdvisorStatus, TermDates, standing_on},
};
use guwen_persistence::store::office::{RosterEntry, RosterFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::prelude::*;

/// The kind of the roster's cursors.
pub const ROSTER_KIND: &str = "roster";

/// Roster parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RosterQuery {
    /// The day the roster is for (`YYYY-MM-DD`, China Standard Time): every advisor appointed
    /// by then, each with the status shown that day and the term then in force. Default
    /// today; not after today. A `cursor` continues the day it was issued for.
    #[param(example = "2026-03-01")]
    pub as_of: Option<NaiveDate>,
    /// Only the advisors in office that day (`true`), or only the others (`false`).
    pub in_office: Option<bool>,
    /// Only advisors changed at or after this instant, including those whose term ended since
    /// (RFC 3339; encode `+` as `%2B`).
    pub updated_since: Option<DateTime<FixedOffset>>,
}

/// Where a page of the roster continues: the day it is for and the last advisor given.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RosterCursor {
    pub day: NaiveDate,
    pub after: String,
}

impl RosterQuery {
    /// The day of the roster: the cursor's, else `as_of`, else today. A date after today is
    /// `422`; an `as_of` other than the cursor's day is `400 invalid_cursor`.
    pub fn day(
        &self,
        cursor: Option<&RosterCursor>,
        today: NaiveDate,
    ) -> Result<NaiveDate, ApiError> {
        if let Some(c) = cursor {
            if self.as_of.is_some_and(|d| d != c.day) {
                return Err(ApiError::new(
                    ProblemCode::InvalidCursor,
                    format!("this cursor continues the roster as of {}", c.day),
                ));
            }
            return Ok(c.day);
        }
        match self.as_of {
            Some(day) if day > today => Err(ApiError::invalid_field(
                "as_of",
                format!(
                    "is after today ({today}, China Standard Time): the roster answers for today or a past day"
                ),
            )),
            Some(day) => Ok(day),
            None => Ok(today),
        }
    }

    /// The store's filter for `day`.
    pub fn filter(&self, day: NaiveDate) -> RosterFilter {
        RosterFilter {
            day,
            in_office: self.in_office,
            updated_since: self.updated_since.map(|s| s.with_timezone(&Utc)),
        }
    }
}

/// One advisor on the roster as they stood on the roster's day: public fields, status and the
/// term then in force.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RosterRecord {
    pub id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    /// Field code.
    pub field: String,
    /// The status shown that day: `active`, `expired`, `dismissal_proposed`, …, `dismissed`,
    /// `resigned`.
    pub status: AdvisorStatus,
    /// Whether a term ran that day and the advisor had not left.
    pub in_office: bool,
    /// Which term (1 = the appointment, then one per renewal).
    pub term_number: i32,
    pub term_starts_on: NaiveDate,
    pub term_ends_on: NaiveDate,
    pub term_years: i32,
    /// The certificate (聘书) of that term.
    pub certificate_no: String,
    /// The last change of the advisor's record.
    pub updated_at: DateTime<FixedOffset>,
}

impl RosterRecord {
    /// The record of an advisor as they stood on `day`, from their history (Art. 3, 12, 13).
    pub fn of(entry: RosterEntry, day: NaiveDate) -> Self {
        let RosterEntry {
            advisor: a,
            terms,
            changes,
        } = entry;
        let dates: Vec<TermDates> = terms
            .iter()
            .map(|t| TermDates {
                starts_on: t.starts_on,
                ends_on: t.ends_on,
            })
            .collect();
        let standing = standing_on(&dates, &changes, day);
        let term = standing.term.and_then(|i| terms.into_iter().nth(i));
        let (term_number, term_starts_on, term_ends_on, term_years, certificate_no) = match term {
            Some(t) => (t.number, t.starts_on, t.ends_on, t.years, t.certificate_no),
            // No term in the history (never written so): the advisor's current one.
            None => (
                1,
                a.term_starts_on,
                a.term_ends_on,
                a.term_years,
                a.certificate_no,
            ),
        };
        Self {
            status: standing.status,
            in_office: standing.in_office,
            id: a.id,
            name: a.name,
            employer: a.employer,
            title: a.title,
            field: a.field_code,
            term_number,
            term_starts_on,
            term_ends_on,
            term_years,
            certificate_no,
            updated_at: guwen_domain::time::to_cst(a.updated_at),
        }
    }
}

/// One page of the roster.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RosterPage {
    /// The day the roster is for (China Standard Time).
    #[schema(example = "2026-03-01")]
    pub as_of: NaiveDate,
    /// When this answer was computed; pass it as `updated_since` to get only what changes
    /// from now on.
    pub generated_at: DateTime<FixedOffset>,
    pub items: Vec<RosterRecord>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}
