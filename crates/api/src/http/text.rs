//! Free-text inputs: trimmed, non-blank, bounded (422 on the field otherwise).

use crate::http::error::ApiError;

/// A non-blank trimmed text, or a 422 on that field.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ApiError::invalid_field(field, "must not be blank"));
    }
    if v.chars().count() > max {
        return Err(ApiError::invalid_field(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(v.to_owned())
}

/// An optional text, trimmed, blank meaning absent.
pub fn optional_text(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => required_text(field, v, max).map(Some),
    }
}

/// The longest object id: ids are UUIDs (36 characters), so a longer one names nothing.
pub const ID_MAX: u64 = 36;
/// The longest field code (`a-z`, `0-9`, `_`).
pub const FIELD_CODE_MAX: u64 = 60;
/// The longest organisation (department) id.
pub const ORG_ID_MAX: u64 = 100;
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
