//! The limits of the parameters every operation shares, declared once for the whole spec: the
//! handlers' `params(..)` name them, this says how long they may be, as the server enforces.

use utoipa::openapi::{
    KnownFormat, OpenApi, RefOr, Schema, SchemaFormat,
    path::{Parameter, ParameterIn},
    schema::ArrayItems,
};

use crate::http::text::{FIELD_CODE_MAX, ID_MAX};

/// The longest `Idempotency-Key` (1 to 200 visible ASCII characters, see
/// [`crate::http::idempotency`]).
const IDEMPOTENCY_KEY_MAX: usize = 200;
/// `YYYY-MM-DD`.
const DATE_MAX: usize = 10;
/// RFC 3339 with offset: `2026-07-01T09:30:00.123456789+08:00` is 35 characters; the limit
/// leaves room for the longer fractions a client may send.
const DATE_TIME_MAX: usize = 64;

/// Declares `maxLength` on the shared parameters that have none:
/// - a path `id` (or `…_id`) is an object id ([`ID_MAX`]); a longer one names nothing (404);
/// - a path `code` is a field code ([`FIELD_CODE_MAX`], `a-z0-9_`; 400 otherwise);
/// - the `Idempotency-Key` header (400 beyond 200 characters);
///
/// and on every `date` ([`DATE_MAX`]) and `date-time` ([`DATE_TIME_MAX`]) string, in and out:
/// a longer one does not parse (422).
pub fn declare(mut spec: OpenApi) -> OpenApi {
    if let Some(components) = spec.components.as_mut() {
        for schema in components.schemas.values_mut() {
            limit_formats(schema);
        }
    }
    for item in spec.paths.paths.values_mut() {
        let ops = [
            item.get.as_mut(),
            item.put.as_mut(),
            item.post.as_mut(),
            item.delete.as_mut(),
            item.patch.as_mut(),
        ];
        for op in ops.into_iter().flatten() {
            for param in op.parameters.iter_mut().flatten() {
                let RefOr::T(param) = param else { continue };
                let (limit, pattern) = match (&param.parameter_in, param.name.as_str()) {
                    (ParameterIn::Path, name) if name == "id" || name.ends_with("_id") => {
                        (ID_MAX, None)
                    }
                    (ParameterIn::Path, "code") => {
                        (FIELD_CODE_MAX as usize, Some("^[a-z0-9_]{1,60}$"))
                    }
                    (ParameterIn::Header, "Idempotency-Key") => (IDEMPOTENCY_KEY_MAX, None),
                    _ => continue,
                };
                limit_string(param, limit, pattern);
            }
            for param in op.parameters.iter_mut().flatten() {
                if let RefOr::T(Parameter {
                    schema: Some(schema),
                    ..
                }) = param
                {
                    limit_formats(schema);
                }
            }
        }
    }
    spec
}

fn limit_string(param: &mut Parameter, limit: usize, pattern: Option<&str>) {
    if let Some(RefOr::T(Schema::Object(schema))) = param.schema.as_mut() {
        if schema.max_length.is_none() {
            schema.max_length = Some(limit);
        }
        if let (None, Some(p)) = (&schema.pattern, pattern) {
            schema.pattern = Some(p.to_owned());
        }
    }
}

/// Declares the length of dates and times, recursively through properties, items and
/// alternatives.
fn limit_formats(schema: &mut RefOr<Schema>) {
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(o) => {
            let limit = match &o.format {
                Some(SchemaFormat::KnownFormat(KnownFormat::Date)) => Some(DATE_MAX),
                Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)) => Some(DATE_TIME_MAX),
                _ => None,
            };
            if o.max_length.is_none() {
                o.max_length = limit;
            }
            o.properties.values_mut().for_each(limit_formats);
        }
        Schema::Array(a) => {
            if let ArrayItems::RefOrSchema(items) = &mut a.items {
                limit_formats(items);
            }
        }
        Schema::OneOf(x) => x.items.iter_mut().for_each(limit_formats),
        Schema::AllOf(x) => x.items.iter_mut().for_each(limit_formats),
        Schema::AnyOf(x) => x.items.iter_mut().for_each(limit_formats),
        _ => {}
    }
}
