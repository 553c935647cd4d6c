//! Text inputs under the domain's text policy (`guwen_domain::text`): one-line and free text
//! normalised, trimmed, non-blank and bounded; identifiers checked as they are. Each refusal is
//! a 422 naming the field.

use guwen_domain::text::{self, TextKind};

use crate::http::error::ApiError;

/// The longest object id a request may name (UUIDs have 36 characters; the column is 36).
pub const ID_MAX: usize = 36;
/// The longest organisation id (the `org_id` columns are 100 characters).
pub const ORG_ID_MAX: usize = 100;

/// A one-line text (name, title, reference): non-blank, at most `max` characters.
pub fn required_line(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    text::clean(value, TextKind::Line, max)
        .map_err(|e| ApiError::invalid_field(field, e.to_string()))
}

/// An optional one-line text; absent or blank means none.
pub fn optional_line(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, ApiError> {
    text::clean_optional(value, TextKind::Line, max)
        .map_err(|e| ApiError::invalid_field(field, e.to_string()))
}

/// A free text (note, reason, letter; newlines kept): non-blank, at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    text::clean(value, TextKind::Long, max)
        .map_err(|e| ApiError::invalid_field(field, e.to_string()))
}

/// An optional free text; absent or blank means none.
pub fn optional_text(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, ApiError> {
    text::clean_optional(value, TextKind::Long, max)
        .map_err(|e| ApiError::invalid_field(field, e.to_string()))
}

/// An identifier a request names (an object id, an organisation id): checked, not rewritten.
pub fn identifier<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, ApiError> {
    text::check_identifier(value, max)
        .map(|()| value)
        .map_err(|e| ApiError::invalid_field(field, e.to_string()))
}

/// An optional identifier.
pub fn optional_identifier<'a>(
    field: &str,
    value: Option<&'a str>,
    max: usize,
) -> Result<Option<&'a str>, ApiError> {
    value.map(|v| identifier(field, v, max)).transpose()
}

/// A list of identifiers, each checked (`field[i]` names the bad one).
pub fn identifiers(field: &str, values: &[String], max: usize) -> Result<(), ApiError> {
    for (i, v) in values.iter().enumerate() {
        identifier(&format!("{field}[{i}]"), v, max)?;
    }
    Ok(())
}

/// [`ID_MAX`] as the validators and the spec take it.
pub const ID_LEN: u64 = 36;
/// The longest field code (`a-z`, `0-9`, `_`).
pub const FIELD_CODE_MAX: u64 = 60;
/// [`ORG_ID_MAX`] as the validators and the spec take it.
pub const ORG_ID_LEN: u64 = 100;
/// The years a year parameter or field may name.
pub const YEAR_MIN: i32 = 2000;
/// See [`YEAR_MIN`].
pub const YEAR_MAX: i32 = 2100;

/// A query-string value of at most `N` characters; a longer one is refused as an unreadable
/// query (400 `invalid_query`), as the spec's `maxLength` on the parameter says.
pub fn query_text<'de, D, const N: usize>(d: D) -> Result<Option<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::{Deserialize, de::Error};
    let value = Option::<String>::deserialize(d)?;
    match value {
        Some(v) if v.chars().count() > N => Err(D::Error::custom(format!(
            "a value is longer than {N} characters"
        ))),
        v => Ok(v),
    }
}

/// A year query parameter from [`YEAR_MIN`] to [`YEAR_MAX`] (400 `invalid_query` otherwise).
pub fn query_year<'de, D>(d: D) -> Result<Option<i32>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::{Deserialize, de::Error};
    // The query string carries text: parse it here so a malformed number is the same 400.
    let Some(text) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    match text.trim().parse::<i32>() {
        Ok(y) if (YEAR_MIN..=YEAR_MAX).contains(&y) => Ok(Some(y)),
        _ => Err(D::Error::custom(format!(
            "a year is a whole number from {YEAR_MIN} to {YEAR_MAX}"
        ))),
    }
}

/// Every item of a list of ids or short texts is at most `N` characters (422 on the list).
pub fn items_at_most<const N: u64>(items: &[String]) -> Result<(), validator::ValidationError> {
    if items.iter().any(|i| i.chars().count() as u64 > N) {
        let mut e = validator::ValidationError::new("length");
        e.message = Some(format!("every item must be at most {N} characters").into());
        return Err(e);
    }
    Ok(())
}

/// The schema of a list of strings of at most `N` characters each, with `MIN` to `MAX` items
/// (the limits [`items_at_most`] and the list's `length` validator enforce).
pub fn string_list_schema<const MIN: usize, const MAX: usize, const N: usize>()
-> utoipa::openapi::Array {
    use utoipa::openapi::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(N)),
        )
        .min_items((MIN > 0).then_some(MIN))
        .max_items(Some(MAX))
        .build()
}
