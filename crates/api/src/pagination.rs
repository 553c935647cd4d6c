//! Cursor pagination (API.md): `?limit=` (default 50, max 200) and an opaque `cursor`;
//! responses are `{items, next_cursor}`.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use guwen_persistence::sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select, Value,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;

/// Paging parameters shared by every list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// How many items to return, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200, example = 50)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageParams {
    /// The validated limit.
    pub fn limit(&self) -> Result<u64, ApiError> {
        match self.limit {
            None => Ok(u64::from(DEFAULT_LIMIT)),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(u64::from(n)),
            Some(_) => Err(ApiError::invalid_field(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            )),
        }
    }

    /// The decoded cursor, if any. A cursor that was not issued by this API is a 400.
    pub fn cursor<T: for<'de> Deserialize<'de>>(&self, kind: &str) -> Result<Option<T>, ApiError> {
        // An empty cursor is the first page, as if none were given.
        let Some(raw) = self.cursor.as_deref().filter(|c| !c.is_empty()) else {
            return Ok(None);
        };
        let invalid =
            || ApiError::bad_request("invalid_cursor", "the cursor is not one this list issued");
        let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| invalid())?;
        let (k, value): (String, T) = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        if k != kind {
            return Err(invalid());
        }
        Ok(Some(value))
    }
}

/// Encodes a cursor for a list of the given kind.
pub fn encode_cursor<T: Serialize>(kind: &str, value: &T) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&(kind, value)).unwrap_or_default())
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// Which way a list runs over its id (UUIDv7 ids sort by creation time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    NewestFirst,
    OldestFirst,
}

/// One page of `query` ordered by the unique key `column` (a text id, or a year), after the
/// page's cursor, with the cursor of the next page.
pub async fn page_of<E, C, K>(
    db: &C,
    mut query: Select<E>,
    column: E::Column,
    page: &PageParams,
    kind: &str,
    direction: Direction,
    id_of: impl Fn(&E::Model) -> K,
) -> Result<(Vec<E::Model>, Option<String>), ApiError>
where
    E: EntityTrait,
    C: ConnectionTrait,
    K: Serialize + for<'de> Deserialize<'de> + Into<Value>,
{
    let limit = page.limit()?;
    if let Some(cursor) = page.cursor::<K>(kind)? {
        query = match direction {
            Direction::NewestFirst => query.filter(column.lt(cursor)),
            Direction::OldestFirst => query.filter(column.gt(cursor)),
        };
    }
    query = match direction {
        Direction::NewestFirst => query.order_by_desc(column),
        Direction::OldestFirst => query.order_by_asc(column),
    };
    let mut rows = query.limit(limit + 1).all(db).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = if more {
        rows.last().map(|r| encode_cursor(kind, &id_of(r)))
    } else {
        None
    };
    Ok((rows, next_cursor))
}
