//! The roster feed for other government systems (DOMAIN.md §6): every advisor with the status
//! shown today, incrementally (`updated_since`), with `ETag` / `If-None-Match` and CSV.

use actix_web::{HttpRequest, HttpResponse, get, http::header, web};
use chrono::{NaiveDate, Utc};
use guwen_domain::time::{cst_date, to_cst};
use guwen_persistence::store::office as store;
use sha2::{Digest, Sha256};

use super::views::{RosterFeed, RosterQuery, RosterRecord, roster_csv};
use crate::prelude::*;

/// The validator: the content and the day (statuses can change with the date alone).
fn etag(today: NaiveDate, items: &[RosterRecord]) -> String {
    let mut h = Sha256::new();
    h.update(today.to_string());
    h.update(serde_json::to_vec(items).unwrap_or_default());
    format!("\"{}\"", hex::encode(&h.finalize()[..16]))
}

fn header_value(req: &HttpRequest, name: header::HeaderName) -> Option<&str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Get the roster
///
/// The full roster, or the changes since a moment: appointments, dismissals, resignations,
/// renewals and expiries. Answers `304` to a matching `If-None-Match`; `Accept: text/csv` gives CSV.
#[utoipa::path(
    operation_id = "getRoster",
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
    let today = cst_date(now);
    let since = q.updated_since.map(|s| s.with_timezone(&Utc));
    let rows = store::roster(&state.db, since, today).await?;
    let items: Vec<RosterRecord> = rows
        .into_iter()
        .map(|a| RosterRecord::of(a, today))
        .collect();
    let etag = etag(today, &items);
    let matches = header_value(&req, header::IF_NONE_MATCH)
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish());
    }
    let wants_csv = header_value(&req, header::ACCEPT).is_some_and(|v| v.contains("text/csv"));
    let mut res = HttpResponse::Ok();
    res.insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "no-cache"));
    if wants_csv {
        return Ok(res
            .content_type("text/csv; charset=utf-8")
            .body(roster_csv(&items)));
    }
    Ok(res.json(RosterFeed {
        as_of: to_cst(now),
        items,
    }))
}
