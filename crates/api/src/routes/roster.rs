//! The roster feed for other government systems (DOMAIN.md §6): every advisor with the status
//! shown today, incrementally (`updated_since`), with `ETag` / `If-None-Match` and CSV.

use actix_web::{HttpRequest, HttpResponse, get, http::header, web};
use chrono::{DateTime, Days, FixedOffset, NaiveDate, Utc};
use guwen_domain::{Labelled, office::AdvisorStatus, time::to_cst};
use guwen_persistence::{
    entity::advisor,
    sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder},
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::advisors::IN_OFFICE;
use crate::{error::ApiError, state::AppState};

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

/// The full roster, or the changes since a moment: appointments, dismissals, resignations,
/// renewals and expiries. Answers `304` to a matching `If-None-Match`; `Accept: text/csv` gives CSV.
#[utoipa::path(
    tag = "advisors",
    security(("bearer" = ["integration", "hrss", "government", "auditor"])),
    params(RosterQuery),
    responses(
        (status = 200, description = "The roster (JSON, or CSV with `Accept: text/csv`)", headers(("ETag" = String, description = "Validator for If-None-Match")), content(
            (RosterFeed = "application/json"),
            (String = "text/csv"),
        )),
        (status = 304, description = "Unchanged since the ETag"),
    )
)]
#[get("/roster")]
async fn roster(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: web::Query<RosterQuery>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let today = guwen_domain::time::cst_date(now);
    let mut query = advisor::Entity::find();
    if let Some(since) = q.updated_since {
        let since_utc = since.with_timezone(&Utc);
        let since_day = guwen_domain::time::cst_date(since_utc);
        // A term that ended since then changed the status without a write.
        query = query.filter(
            Condition::any()
                .add(advisor::Column::UpdatedAt.gte(since_utc))
                .add(
                    Condition::all()
                        .add(advisor::Column::Status.is_in(IN_OFFICE.map(|s| s.code())))
                        .add(advisor::Column::TermEndsOn.gte(since_day - Days::new(1)))
                        .add(advisor::Column::TermEndsOn.lt(today)),
                ),
        );
    }
    let rows = query
        .order_by_asc(advisor::Column::UpdatedAt)
        .order_by_asc(advisor::Column::Id)
        .all(&state.db)
        .await?;
    let items = rows
        .into_iter()
        .map(|a| {
            Ok(RosterRecord {
                status: super::advisors::status_on(&a, today)?,
                id: a.id,
                name: a.name,
                employer: a.employer,
                title: a.title,
                field: a.field_code,
                term_starts_on: a.term_starts_on,
                term_ends_on: a.term_ends_on,
                certificate_no: a.certificate_no,
                updated_at: to_cst(a.updated_at),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    // The validator covers the content and the day (statuses can change with the date alone).
    let etag = {
        let mut h = Sha256::new();
        h.update(today.to_string());
        h.update(serde_json::to_vec(&items).unwrap_or_default());
        format!("\"{}\"", hex::encode(&h.finalize()[..16]))
    };
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish());
    }
    let wants_csv = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/csv"));
    let mut res = HttpResponse::Ok();
    res.insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "no-cache"));
    if wants_csv {
        let mut csv = String::from(
            "id,name,employer,title,field,status,term_starts_on,term_ends_on,certificate_no,updated_at\n",
        );
        for r in &items {
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
        return Ok(res.content_type("text/csv; charset=utf-8").body(csv));
    }
    Ok(res.json(RosterFeed {
        as_of: to_cst(now),
        items,
    }))
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

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(roster);
}
