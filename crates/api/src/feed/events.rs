//! `GET /api/v1/events`: the gap-free, commit-ordered change feed, with long polling.

use std::time::Duration;

use actix_web::{HttpResponse, get, web};
use guwen_persistence::store::feed as store;

use super::{
    policy::Reader,
    read::{FeedRequest, read},
    views::{FeedPage, FeedQuery, parse_types},
};
use crate::http::pagination::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::prelude::*;

/// The longest a request may wait for a commit.
pub const MAX_WAIT_SECS: u32 = 30;
/// How often a waiting request reads the head of the audit sequence: a commit on any replica
/// is seen within this long.
const HEAD_POLL: Duration = Duration::from_millis(200);

/// Follow every change
///
/// The change feed: every change the caller may see, in commit order, after the sequence
/// number `after`.
///
/// Sequence numbers are those of the audit trail: commit-ordered and without gaps, so a client
/// that resumes with `after` = the previous `next_after` never misses an event and never sees
/// one twice. Each event is shown as the caller may see it: `integration` reads public-level
/// events (the roster, notices) and learns that `internal` tasks and meetings exist;
/// `advisor` reads only events about themselves; `hrss` and `auditor` read everything.
/// With `wait`, a request that finds nothing waits up to that many seconds for a commit (on any
/// replica) and answers as soon as there is something, or with no items at the end.
#[utoipa::path(
    tag = "events",
    operation_id = "listEvents",
    security(("bearer" = ["integration", "auditor", "hrss", "advisor"])),
    params(FeedQuery),
    responses(
        (status = 200, description = "The events after `after` and where to continue", body = FeedPage),
    )
)]
#[get("/events")]
async fn list_events(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<FeedQuery>,
) -> Result<HttpResponse, ApiError> {
    let (mut request, wait) = parse(&query)?;
    let reader = Reader::of(&caller);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(u64::from(wait));
    loop {
        let page = read(&state.db, &reader, &request).await?;
        if !page.items.is_empty() || tokio::time::Instant::now() >= deadline {
            return Ok(HttpResponse::Ok().json(page));
        }
        // Nothing for this caller up to `next_after`: wait until a later event commits.
        request.after = page.next_after;
        loop {
            if tokio::time::Instant::now() + HEAD_POLL > deadline {
                tokio::time::sleep_until(deadline).await;
                return Ok(HttpResponse::Ok().json(FeedPage {
                    items: Vec::new(),
                    next_after: request.after,
                }));
            }
            tokio::time::sleep(HEAD_POLL).await;
            if store::head_seq(&state.db).await? > request.after {
                break;
            }
        }
    }
}

/// The largest sequence number a client may name (the largest integer a JSON number carries
/// exactly).
const MAX_SEQUENCE: i64 = 9_007_199_254_740_991;

/// The validated query: 422 for values out of range or unknown types.
fn parse(q: &FeedQuery) -> Result<(FeedRequest, u32), ApiError> {
    let after = q.after.unwrap_or(0);
    if !(0..=MAX_SEQUENCE).contains(&after) {
        return Err(ApiError::invalid_field(
            "after",
            format!("must be between 0 and {MAX_SEQUENCE}"),
        ));
    }
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid_field(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let wait = q.wait.unwrap_or(0);
    if wait > MAX_WAIT_SECS {
        return Err(ApiError::invalid_field(
            "wait",
            format!("must be between 0 and {MAX_WAIT_SECS} seconds"),
        ));
    }
    let types = parse_types("types", q.types.as_deref())?;
    Ok((
        FeedRequest {
            after,
            types,
            limit: limit as usize,
        },
        wait,
    ))
}
