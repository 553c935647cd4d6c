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
