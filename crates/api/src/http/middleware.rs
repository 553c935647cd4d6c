//! Request ids and the access log, response headers every answer carries, `HEAD` on `GET`
//! routes, Prometheus metrics and the problem+json safety net.

use std::{collections::BTreeMap, sync::Mutex, time::Instant};

use actix_web::{
    HttpMessage, HttpResponse,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::{
        Method,
        header::{self, HeaderMap, HeaderName, HeaderValue},
    },
    middleware::Next,
    web,
};

use crate::http::{
    access::Caller,
    error::{ApiError, PROBLEM_JSON},
    route::route_of,
};
use crate::logs::{self, AccessLine};

/// The request id header, echoed on every response.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the current request: the caller's `X-Request-Id` if it is sane, else a UUIDv7.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

fn sane_request_id(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    (1..=64)
        .contains(&text.len())
        .then_some(())
        .filter(|_| {
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        })
        .map(|_| text.to_owned())
}

/// The record of every request, outermost, and what every request and answer goes through:
///
/// - assigns the request id, echoed in `X-Request-Id`;
/// - refuses, before anything else, a request head over the limits ([`head_refusal`]);
/// - routes `HEAD` as `GET`;
/// - runs the request in its tracing span (opened only if something is logged:
///   [`logs::in_request`]);
/// - on the way out, makes any error answer a problem document ([`as_problem`]) and adds the
///   headers every answer carries ([`add_headers`]);
/// - writes the request's one access-log line (target `guwen::access`: method, route
///   template, status, latency, request id and the caller's `sub`, never the token, never the
///   raw path's query) and counts it in the [`Metrics`] (by route template, never the raw path:
///   ids would explode the series; unmatched paths share the route `unmatched` and made-up
///   methods the method `other`, so the series stay bounded whatever clients send).
///
/// One layer: each layer of middleware costs every request a boxed future.
pub async fn request_id(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let started = Instant::now();
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(sane_request_id)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = metric_method(req.method());
    let route = route_of(req.request()).unwrap_or(UNMATCHED);
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let result = match head_refusal(&req) {
        Some(refusal) => {
            let response = actix_web::ResponseError::error_response(&refusal);
            Ok(req.into_response(response))
        }
        None => {
            // `HEAD` is answered on every `GET` route: the request is routed as a `GET` and
            // the connection sends the headers without the body (the HTTP layer remembers it
            // was a `HEAD`).
            if req.method() == Method::HEAD {
                req.head_mut().method = Method::GET;
            }
            logs::in_request(id.clone(), next.call(req))
                .await
                .map(as_problem)
        }
    };
    let elapsed = started.elapsed().as_secs_f64();
    let latency_ms = elapsed * 1000.0;
    let (status, caller) = match &result {
        Ok(res) => (
            res.status().as_u16(),
            res.request()
                .extensions()
                .get::<Caller>()
                .map(|c| c.claims.clone()),
        ),
        Err(err) => (err.as_response_error().status_code().as_u16(), None),
    };
    if let Some(metrics) = metrics {
        metrics.observe(method, route, status, elapsed);
    }
    logs::access(&AccessLine {
        method,
        route,
        status,
        latency_ms,
        request_id: &id,
        sub: caller.as_ref().map_or("-", |c| c.sub.as_str()),
    });
    let mut res = result?;
    add_headers(res.headers_mut());
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(res)
}

/// The longest request target (path and query) the application reads: 8 KiB.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The most header bytes (names, values and separators) the application reads: 32 KiB.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// Refuses, as problem documents and before anything else, a request target longer than
/// [`MAX_URI_BYTES`] (414 `uri_too_long`) and headers larger than [`MAX_HEADER_BYTES`]
/// (431 `headers_too_large`). Both limits lie well below the HTTP layer's own (a 128 KiB
/// request head), so every request that can be parsed at all is answered in the API's format.
fn head_refusal(req: &ServiceRequest) -> Option<ApiError> {
    let uri_bytes = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if uri_bytes > MAX_URI_BYTES {
        return Some(ApiError::new(
            guwen_domain::ProblemCode::UriTooLong,
            format!("the request target has {uri_bytes} bytes; at most {MAX_URI_BYTES} are read"),
        ));
    }
    let header_bytes: usize = req
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    (header_bytes > MAX_HEADER_BYTES).then(|| {
        ApiError::new(
            guwen_domain::ProblemCode::HeadersTooLarge,
            format!("the headers have {header_bytes} bytes; at most {MAX_HEADER_BYTES} are read"),
        )
    })
}

/// Headers on every response: `X-Content-Type-Options: nosniff`, and `charset=utf-8` on JSON
/// media types that do not name one.
fn add_headers(headers: &mut HeaderMap) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let json_without_charset = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            let essence = v.split(';').next().unwrap_or_default().trim();
            (essence == "application/json" || essence.ends_with("+json"))
                && !v
                    .as_bytes()
                    .windows(8)
                    .any(|w| w.eq_ignore_ascii_case(b"charset="))
        })
        .map(|v| format!("{v}; charset=utf-8"));
    if let Some(value) = json_without_charset.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
}

/// The route label of a request no route matched.
const UNMATCHED: &str = "unmatched";

/// The method as a metric label and in the access log: the methods of HTTP, every other
/// (made-up) one folded into `other` so that clients cannot grow the series.
fn metric_method(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        Method::TRACE => "TRACE",
        Method::CONNECT => "CONNECT",
        _ => "other",
    }
}

/// Turns any error response that is not already problem+json (the framework's own 404, 405,
/// 413, …) into one, so that clients only ever see one error format.
fn as_problem(res: ServiceResponse<impl MessageBody + 'static>) -> ServiceResponse<BoxBody> {
    let status = res.status();
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON));
    if (status.is_client_error() || status.is_server_error()) && !is_problem {
        let (req, old) = res.into_parts();
        let mut problem = ApiError::for_status(status);
        // What the error said besides its body, and the CORS headers that let a browser page
        // read it.
        for name in [
            header::ALLOW,
            header::RETRY_AFTER,
            header::WWW_AUTHENTICATE,
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            header::VARY,
        ] {
            if let Some(value) = old.headers().get(&name).and_then(|v| v.to_str().ok()) {
                problem = problem.with_header(name.clone(), value.to_owned());
            }
        }
        let response: HttpResponse = actix_web::ResponseError::error_response(&problem);
        return ServiceResponse::new(req, response);
    }
    res.map_into_boxed_body()
}

/// Latency buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Debug, Default, Clone)]
struct Series {
    count: u64,
    sum_seconds: f64,
    buckets: [u64; BUCKETS.len()],
}

/// Per-process request metrics. Each replica exposes its own; Prometheus sums them.
#[derive(Debug, Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<(&'static str, &'static str, u16), Series>>,
}

impl Metrics {
    /// Counts one request (method and route are interned: nothing is allocated here).
    fn observe(&self, method: &'static str, route: &'static str, status: u16, seconds: f64) {
        let Ok(mut map) = self.series.lock() else {
            return;
        };
        let s = map.entry((method, route, status)).or_default();
        s.count += 1;
        s.sum_seconds += seconds;
        for (i, le) in BUCKETS.iter().enumerate() {
            if seconds <= *le {
                s.buckets[i] += 1;
            }
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let Ok(map) = self.series.lock() else {
            return out;
        };
        out.push_str(
            "# HELP guwen_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE guwen_http_requests_total counter\n");
        for ((method, route, status), s) in map.iter() {
            let _ = writeln!(
                out,
                "guwen_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {}",
                s.count
            );
        }
        out.push_str("# HELP guwen_http_request_duration_seconds HTTP request latency by method and route.\n");
        out.push_str("# TYPE guwen_http_request_duration_seconds histogram\n");
        let mut by_route: BTreeMap<(&str, &str), Series> = BTreeMap::new();
        for ((method, route, _), s) in map.iter() {
            let agg = by_route.entry((method, route)).or_default();
            agg.count += s.count;
            agg.sum_seconds += s.sum_seconds;
            for (a, b) in agg.buckets.iter_mut().zip(s.buckets.iter()) {
                *a += b;
            }
        }
        for ((method, route), s) in by_route {
            let labels = format!("method=\"{method}\",route=\"{route}\"");
            for (le, count) in BUCKETS.iter().zip(s.buckets.iter()) {
                let _ = writeln!(
                    out,
                    "guwen_http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "guwen_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "guwen_http_request_duration_seconds_sum{{{labels}}} {}",
                s.sum_seconds
            );
            let _ = writeln!(
                out,
                "guwen_http_request_duration_seconds_count{{{labels}}} {}",
                s.count
            );
        }
        out
    }
}
