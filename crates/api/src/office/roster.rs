//! The roster feed for other government systems (DOMAIN.md §6): every advisor on record on a
//! day with the status shown that day and the term then in force, as JSON pages, CSV or XLSX,
//! with a validator that answers `If-None-Match` before any row is read.

use std::collections::HashMap;

use actix_web::{
    HttpRequest, HttpResponse, HttpResponseBuilder, get,
    http::header::{self, HeaderName},
    web,
};
use chrono::NaiveDate;
use futures_util::{
    TryStreamExt,
    stream::{self, Stream},
};
use guwen_domain::time::to_cst;
use guwen_persistence::store::{
    Direction, PageOf, PageRequest,
    office::{self as store, RosterEntry, RosterFilter},
    pipeline::Field,
};

use super::views::{
    ROSTER_KIND, RosterCursor, RosterPage, RosterQuery, RosterRecord,
    roster_sheet::{CSV, XLSX, XlsxFile, XlsxRoster, csv_chunk},
};
use crate::fields::fields_by_code;
use crate::http::{
    conditional::{Validator, negotiate},
    pagination::encode_cursor,
};
use crate::prelude::*;

/// The day the answer is for.
const AS_OF: HeaderName = HeaderName::from_static("guwen-as-of");
/// The cursor of the next page, for a page given as CSV or XLSX.
const NEXT_CURSOR: HeaderName = HeaderName::from_static("guwen-next-cursor");
const JSON: &str = "application/json";
/// Rows read at a time for a whole CSV or XLSX export.
const EXPORT_BATCH: u64 = 500;

/// Get the roster as of a day
///
/// Every advisor appointed by the day `as_of` (default today, China Standard Time) with the
/// status shown that day, whether they were in office, and the term then in force, computed
/// from the term history: renewals add terms, a dismissal or resignation ends office on the
/// day the government decides it. `in_office=true` gives who was in office that day;
/// `updated_since` only what changed since.
///
/// JSON comes in pages (`limit`, `cursor`). `Accept: text/csv` (UTF-8 with a byte order mark,
/// CRLF, Chinese headers: opens in Excel) or the XLSX type give the whole roster from the
/// `cursor` on, read and sent in batches, or one page with `limit` (the next cursor in
/// `Guwen-Next-Cursor`).
///
/// The `ETag` is computed from the change sequence (every committed change moves it), the
/// day, the query and the media type, so `If-None-Match` is answered `304` before any row
/// is read; the day is in `Guwen-As-Of`.
#[utoipa::path(
    operation_id = "getRoster",
    tag = "advisors",
    security(("bearer" = ["integration", "hrss", "government", "auditor"])),
    params(RosterQuery, PageParams),
    responses(
        (status = 200, description = "The roster as of the day", headers(
            ("ETag" = String, description = "Weak validator for `If-None-Match`: changes with every committed change, the day, the query and the media type"),
            ("Vary" = String, description = "`Accept`"),
            ("Guwen-As-Of" = String, description = "The day the roster is for (`YYYY-MM-DD`, China Standard Time)"),
            ("Guwen-Next-Cursor" = String, description = "The next page's cursor, when a page of more is given"),
        ), content(
            (RosterPage = "application/json"),
            (String = "text/csv"),
            (XlsxFile = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
        (status = 304, description = "Unchanged since the `ETag` given in `If-None-Match`", headers(
            ("ETag" = String, description = "The validator"),
            ("Guwen-As-Of" = String, description = "The day the roster is for"),
        )),
        (status = 406, description = "`Accept` names none of JSON, CSV or XLSX", body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/roster")]
async fn roster(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: web::Query<RosterQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let media = negotiate(&req, &[JSON, CSV, XLSX])?;
    let cursor: Option<RosterCursor> = page.cursor(ROSTER_KIND)?;
    let day = q.day(cursor.as_ref(), state.clock.today())?;
    // JSON is always paged; a spreadsheet only when asked (`limit`), else the whole roster.
    let limit = (media == JSON || page.limit.is_some())
        .then(|| page.limit())
        .transpose()?;
    let filter = q.filter(day);

    // The validator, before any row: read the sequence first, so that a change committed
    // while the rows are read can only make the answer look older than it is.
    let seq = state.changes.current();
    let validator = Validator::of(&(
        ROSTER_KIND,
        seq,
        day,
        filter.in_office,
        filter.updated_since.map(|t| t.timestamp_micros()),
        limit,
        page.cursor.as_deref().unwrap_or_default(),
        media,
    ));
    if validator.matches(&req) {
        let mut res = HttpResponse::NotModified();
        return Ok(headers(&mut res, &validator, day).finish());
    }

    let after = cursor.map(|c| c.after);
    let fields = fields_by_code(&state.db).await?;
    let mut res = HttpResponse::Ok();
    headers(&mut res, &validator, day);
    let Some(limit) = limit else {
        return export(&state, media, filter, after, fields, &mut res).await;
    };
    let rows = read_page(&state, &filter, after, limit).await?;
    let next_cursor = rows
        .next
        .map(|after| encode_cursor(ROSTER_KIND, &RosterCursor { day, after }));
    let items = records(rows.rows, day);
    if media == JSON {
        return Ok(res.json(RosterPage {
            as_of: day,
            generated_at: to_cst(state.clock.now()),
            items,
            next_cursor,
        }));
    }
    if let Some(next) = &next_cursor {
        res.insert_header((NEXT_CURSOR, next.as_str()));
    }
    let body = if media == CSV {
        csv_chunk(&items, &fields, true)?
    } else {
        let mut book = XlsxRoster::new()?;
        book.push(&items, &fields)?;
        book.finish()?
    };
    Ok(spreadsheet(&mut res, media, day).body(body))
}

/// The headers every answer carries.
fn headers<'a>(
    res: &'a mut HttpResponseBuilder,
    validator: &Validator,
    day: NaiveDate,
) -> &'a mut HttpResponseBuilder {
    res.insert_header((header::ETAG, validator.etag()))
        .insert_header((header::VARY, "Accept"))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .insert_header((AS_OF, day.to_string()))
}

/// The content type and file name of a spreadsheet.
fn spreadsheet<'a>(
    res: &'a mut HttpResponseBuilder,
    media: &str,
    day: NaiveDate,
) -> &'a mut HttpResponseBuilder {
    let (content_type, ext) = if media == CSV {
        ("text/csv; charset=utf-8", "csv")
    } else {
        (XLSX, "xlsx")
    };
    res.content_type(content_type).insert_header((
        header::CONTENT_DISPOSITION,
        format!("attachment; filename=\"guwen-roster-{day}.{ext}\""),
    ))
}

async fn read_page(
    state: &AppState,
    filter: &RosterFilter,
    after: Option<String>,
    limit: u64,
) -> Result<PageOf<RosterEntry, String>, ApiError> {
    let request = PageRequest {
        limit,
        after,
        direction: Direction::OldestFirst,
    };
    Ok(store::roster_page(&state.db, filter, request).await?)
}

fn records(rows: Vec<RosterEntry>, day: NaiveDate) -> Vec<RosterRecord> {
    rows.into_iter()
        .map(|entry| RosterRecord::of(entry, day))
        .collect()
}

/// The whole roster from `after` on as a spreadsheet, read [`EXPORT_BATCH`] rows at a time:
/// CSV is sent as each batch is read; XLSX is written to a temporary file batch by batch and
/// sent when complete.
async fn export(
    state: &AppState,
    media: &str,
    filter: RosterFilter,
    after: Option<String>,
    fields: HashMap<String, Field>,
    res: &mut HttpResponseBuilder,
) -> Result<HttpResponse, ApiError> {
    let day = filter.day;
    if media == CSV {
        let body = csv_stream(state.clone(), filter, after, fields);
        return Ok(spreadsheet(res, media, day).streaming(body));
    }
    let mut book = XlsxRoster::new()?;
    let mut after = after;
    loop {
        let rows = read_page(state, &filter, after, EXPORT_BATCH).await?;
        book.push(&records(rows.rows, day), &fields)?;
        match rows.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    Ok(spreadsheet(res, media, day).body(book.finish()?))
}

/// Where a CSV export stands between two batches.
struct CsvExport {
    state: AppState,
    filter: RosterFilter,
    fields: HashMap<String, Field>,
    after: Option<String>,
    first: bool,
    done: bool,
}

/// The CSV export as a stream of chunks, one per batch read (the first with the byte order
/// mark and the header). A failure after the first chunk ends the response early.
fn csv_stream(
    state: AppState,
    filter: RosterFilter,
    after: Option<String>,
    fields: HashMap<String, Field>,
) -> impl Stream<Item = Result<web::Bytes, std::io::Error>> {
    let start = CsvExport {
        state,
        filter,
        fields,
        after,
        first: true,
        done: false,
    };
    stream::try_unfold(start, |mut at| async move {
        if at.done {
            return Ok(None);
        }
        let rows = read_page(&at.state, &at.filter, at.after.take(), EXPORT_BATCH).await?;
        let chunk = csv_chunk(&records(rows.rows, at.filter.day), &at.fields, at.first)?;
        at.first = false;
        at.done = rows.next.is_none();
        at.after = rows.next;
        Ok(Some((web::Bytes::from(chunk), at)))
    })
    .map_err(|e: ApiError| {
        tracing::error!(error = %e, "the roster export stopped");
        std::io::Error::other(e.to_string())
    })
}
