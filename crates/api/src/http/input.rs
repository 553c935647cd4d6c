//! The text policy at the door for what no body extractor sees: every path parameter is an
//! identifier and every query parameter a one-line value, both bounded (422 naming the
//! parameter otherwise). It runs after authentication and authorisation (401 → 403 → 422) and
//! before any handler, so no route can forget it.

use std::borrow::Cow;

use actix_web::dev::ServiceRequest;
use guwen_domain::text::{self, TextKind};
use percent_encoding::percent_decode_str;

use crate::http::{
    error::{ApiError, FieldError},
    route::route_of,
};

/// The longest path parameter: object ids have 36 characters, field codes at most 60.
pub const PATH_PARAM_MAX: usize = 64;
/// The longest query value: filters name ids, codes, dates and subjects (at most 200
/// characters in their columns) and cursors stay far below it.
pub const QUERY_VALUE_MAX: usize = 512;

/// 422 `validation_failed` for a path or query parameter the policy refuses.
pub fn check_path_and_query(req: &ServiceRequest) -> Result<(), ApiError> {
    let errors = invalid_parameters(req);
    if errors.is_empty() {
        return Ok(());
    }
    Err(ApiError::validation(errors))
}

/// The path parameters of a route pattern whose every `{name}` is one whole segment, paired
/// with their (percent-decoded) values in `path`. Catch-all parameters (`{_:.*}`) are not ids.
fn path_params<'a>(
    pattern: &'a str,
    path: &'a str,
) -> impl Iterator<Item = (&'a str, Cow<'a, str>)> {
    pattern
        .split('/')
        .zip(path.split('/'))
        .filter_map(|(p, v)| {
            let name = p.strip_prefix('{')?.strip_suffix('}')?;
            if name.contains(':') {
                return None;
            }
            Some((name, percent_decode_str(v).decode_utf8_lossy()))
        })
}

fn invalid_parameters(req: &ServiceRequest) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(pattern) = route_of(req.request()) {
        for (name, value) in path_params(pattern, req.path()) {
            if let Err(e) = text::check_identifier(&value, PATH_PARAM_MAX) {
                errors.push(FieldError {
                    field: name.to_owned(),
                    message: e.to_string(),
                });
            }
        }
    }
    for (name, value) in url::form_urlencoded::parse(req.query_string().as_bytes()) {
        let problem = if let Some(c) = text::first_forbidden(&name, TextKind::Line) {
            Some(text::TextError::Forbidden(c))
        } else if let Some(c) = text::first_forbidden(&value, TextKind::Line) {
            Some(text::TextError::Forbidden(c))
        } else if value.chars().count() > QUERY_VALUE_MAX {
            Some(text::TextError::TooLong {
                max: QUERY_VALUE_MAX,
            })
        } else {
            None
        };
        if let Some(e) = problem {
            errors.push(FieldError {
                field: name.into_owned(),
                message: e.to_string(),
            });
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_params_pair_pattern_names_with_decoded_segments() {
        assert_eq!(
            path_params(
                "/api/v1/candidates/{id}/appointment",
                "/api/v1/candidates/a%00b/appointment"
            )
            .collect::<Vec<_>>(),
            vec![("id", Cow::from("a\0b"))]
        );
        assert_eq!(path_params("/docs/{_:.*}", "/docs/index.html").count(), 0);
        assert_eq!(path_params("/healthz", "/healthz").count(), 0);
    }
}
