//! Cursor pagination (API.md): `?limit=` (default 50, max 200) and an opaque `cursor`;
//! responses are `{items, next_cursor}`.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use guwen_domain::ProblemCode;
pub use guwen_persistence::store::Direction;
use guwen_persistence::store::{PageOf, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::http::error::ApiError;

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
    #[param(max_length = 512)]
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
        let invalid = || {
            ApiError::new(
                ProblemCode::InvalidCursor,
                "the cursor is not one this list issued",
            )
        };
        let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| invalid())?;
        let decoded: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        // A cursor's values go back to the database as keys: they meet the text policy like
        // any other input (this list never issues one that does not).
        if !cursor_text_is_clean(&decoded) {
            return Err(invalid());
        }
        let (k, value): (String, T) = serde_json::from_value(decoded).map_err(|_| invalid())?;
        if k != kind {
            return Err(invalid());
        }
        Ok(Some(value))
    }
}

impl PageParams {
    /// The store's page request for the list `kind` (400 on a foreign cursor, 422 on a bad
    /// limit).
    pub fn request<K: for<'de> Deserialize<'de>>(
        &self,
        kind: &str,
        direction: Direction,
    ) -> Result<PageRequest<K>, ApiError> {
        Ok(PageRequest {
            limit: self.limit()?,
            after: self.cursor(kind)?,
            direction,
        })
    }
}

/// Whether every string in a decoded cursor is a clean identifier-like value: no control
/// characters, at most 200 characters.
fn cursor_text_is_clean(value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::String(s) => {
            guwen_domain::text::first_forbidden(s, guwen_domain::text::TextKind::Line).is_none()
                && s.chars().count() <= 200
        }
        Value::Array(items) => items.iter().all(cursor_text_is_clean),
        Value::Object(members) => members.values().all(cursor_text_is_clean),
        _ => true,
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

impl<T> Page<T> {
    /// A page of views from a page of rows of the list `kind`, with the cursor of the next.
    pub fn of<M, K: Serialize>(
        kind: &str,
        page: PageOf<M, K>,
        view: impl FnMut(M) -> Result<T, ApiError>,
    ) -> Result<Self, ApiError> {
        Ok(Self {
            items: page.rows.into_iter().map(view).collect::<Result<_, _>>()?,
            next_cursor: page.next.map(|k| encode_cursor(kind, &k)),
        })
    }
}
