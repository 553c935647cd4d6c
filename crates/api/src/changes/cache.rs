//! Each replica's cache of `GET` answers, valid for one change sequence and one second.
//!
//! An answer of the API is determined by the data (which the change sequence versions), the
//! clock (views compute "today", deadlines and ages from it), the request's target, its
//! `Accept` and its caller. The cache keeps the bytes of `200` answers under the target,
//! `Accept` and `Authorization` (a token is its caller), in a generation named by the change
//! sequence this replica has seen and the current second: when either moves, the generation
//! is dropped whole. So a cached answer is never older than one second or than the last
//! change this replica knows of (its own writes are known at once, another replica's within
//! `GUWEN_CHANGE_POLL_MS`), and an answer given to one token is never given to another.
//!
//! When a generation begins, every connection asking for one popular answer would miss at once
//! and ask the database the same thing; instead the first request for an answer computes it and
//! the others wait for it (one flight per answer), then take it from the cache.
//!
//! Authentication, authorization and rate limits run before the cache on every request.
//! Answers that are not data at rest are not cached: the audit trail and its verification
//! (which must see a database administrator's edit at once), answers during which a change
//! was seen (a read that records itself in the audit trail is one), answers marked
//! [`Uncacheable`], streamed answers and anything but `200`.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use actix_web::{
    HttpMessage, HttpRequest, HttpResponse,
    body::{BodySize, BoxBody, MessageBody, to_bytes},
    dev::{ServiceRequest, ServiceResponse},
    http::{
        Method, StatusCode,
        header::{self, HeaderName, HeaderValue},
    },
    middleware::Next,
    web,
};

use tokio::sync::watch;

use super::ChangeWatch;
use crate::{clock::Clock, http::error::ApiError};

/// The most bytes of answers a replica keeps.
pub const MAX_BYTES: usize = 8 << 20;
/// The largest answer kept.
pub const MAX_ENTRY_BYTES: usize = 1 << 20;

/// Marks an answer that must not be served from the cache (set it in the request's or the
/// response's extensions): a read that records itself in the audit trail, for instance.
#[derive(Debug, Clone, Copy)]
pub struct Uncacheable;

/// One answer as sent.
#[derive(Debug)]
struct Stored {
    status: StatusCode,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: web::Bytes,
}

impl Stored {
    /// The answer to `req`: `304` when its `If-None-Match` names the answer's `ETag`.
    fn answer(&self, req: &HttpRequest) -> HttpResponse {
        let etag = self
            .headers
            .iter()
            .find(|(name, _)| name == header::ETAG)
            .and_then(|(_, value)| value.to_str().ok());
        if let Some(etag) = etag
            && if_none_match_names(req, etag)
        {
            let mut res = HttpResponse::NotModified();
            for (name, value) in &self.headers {
                if name != header::CONTENT_TYPE && name != header::CONTENT_DISPOSITION {
                    res.append_header((name.clone(), value.clone()));
                }
            }
            return res.finish();
        }
        let mut res = HttpResponse::build(self.status);
        for (name, value) in &self.headers {
            res.append_header((name.clone(), value.clone()));
        }
        res.body(self.body.clone())
    }
}

/// Whether the request's `If-None-Match` names `etag` (weak comparison) or is `*`.
fn if_none_match_names(req: &HttpRequest, etag: &str) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let ours = opaque(etag);
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == "*" || opaque(tag) == ours)
}

/// The change sequence and the second a generation of answers belongs to.
type Generation = (i64, i64);

#[derive(Debug, Default)]
struct Entries {
    generation: Generation,
    bytes: usize,
    answers: HashMap<String, Arc<Stored>>,
    /// Answers of this generation being computed: a receiver wakes when its flight ends.
    flights: HashMap<String, watch::Receiver<()>>,
}

/// What the cache has for a request.
enum Lookup {
    /// The answer.
    Hit(Arc<Stored>),
    /// Another request is computing it: wait for that flight to end, then look again.
    Wait(watch::Receiver<()>),
    /// Compute it; the flight ends (its waiters wake) when the guard is dropped.
    Lead(Flight),
}

/// The flight of one answer being computed. Dropping it (the answer was filed, refused, or
/// the request was abandoned) ends the flight and wakes its waiters.
struct Flight {
    cache: Arc<ViewCache>,
    generation: Generation,
    key: String,
    _done: watch::Sender<()>,
}

impl Drop for Flight {
    fn drop(&mut self) {
        let mut entries = self.cache.lock();
        if entries.generation == self.generation {
            entries.flights.remove(&self.key);
        }
    }
}

/// The cache (one per replica), with what names its generations: the change sequence this
/// replica has seen and the service's clock.
#[derive(Debug)]
pub struct ViewCache {
    entries: Mutex<Entries>,
    changes: Arc<ChangeWatch>,
    clock: Clock,
}

impl ViewCache {
    pub fn new(changes: Arc<ChangeWatch>, clock: Clock) -> Self {
        Self {
            entries: Mutex::default(),
            changes,
            clock,
        }
    }

    /// The generation an answer read now belongs to.
    fn generation(&self) -> Generation {
        (self.changes.current(), self.clock.now().timestamp())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The answer under `key` in `generation` (which replaces an older one), the flight to
    /// wait for, or, when no request computes it yet, the flight to lead.
    fn lookup(self: &Arc<Self>, generation: Generation, key: &str) -> Lookup {
        let mut entries = self.lock();
        if entries.generation != generation {
            *entries = Entries {
                generation,
                ..Entries::default()
            };
        }
        if let Some(stored) = entries.answers.get(key) {
            return Lookup::Hit(stored.clone());
        }
        if let Some(flight) = entries.flights.get(key) {
            return Lookup::Wait(flight.clone());
        }
        let (done, waiting) = watch::channel(());
        entries.flights.insert(key.to_owned(), waiting);
        Lookup::Lead(Flight {
            cache: self.clone(),
            generation,
            key: key.to_owned(),
            _done: done,
        })
    }

    #[cfg(test)]
    fn get(self: &Arc<Self>, generation: Generation, key: &str) -> Option<Arc<Stored>> {
        match self.lookup(generation, key) {
            Lookup::Hit(stored) => Some(stored),
            Lookup::Wait(_) | Lookup::Lead(_) => None,
        }
    }

    fn put(&self, generation: Generation, key: String, stored: Stored) {
        let mut entries = self.lock();
        let size = stored.body.len() + key.len();
        if entries.generation != generation || entries.bytes + size > MAX_BYTES {
            return;
        }
        entries.bytes += size;
        entries.answers.insert(key, Arc::new(stored));
    }

    /// How many answers the current generation holds.
    pub fn len(&self) -> usize {
        self.lock().answers.len()
    }

    /// Whether the current generation holds no answer.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Whether answers to this request may come from the cache.
fn cacheable(req: &ServiceRequest) -> bool {
    req.method() == Method::GET
        && req.path().starts_with("/api/")
        && !req.path().starts_with("/api/v1/audit-events")
}

/// What selects an answer besides the generation: the target, `Accept` and the token.
fn key_of(req: &ServiceRequest) -> String {
    let header = |name: HeaderName| {
        req.headers()
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .unwrap_or_default()
    };
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.path().to_owned(), |pq| pq.as_str().to_owned());
    format!(
        "{target}\n{}\n{}",
        header(header::ACCEPT),
        header(header::AUTHORIZATION)
    )
}

/// The middleware (innermost: after authentication, authorization and limits).
pub async fn serve(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let views = req
        .app_data::<web::Data<ViewCache>>()
        .cloned()
        .map(web::Data::into_inner)
        .filter(|_| cacheable(&req));
    let Some(views) = views else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    // The generation is read before the data: a change committed while the handler reads
    // lands in a later generation, so this answer can only be filed as older than it is.
    let generation = views.generation();
    let key = key_of(&req);
    let mut waited = false;
    let _flight = loop {
        match views.lookup(generation, &key) {
            Lookup::Hit(stored) => {
                let res = stored.answer(req.request());
                return Ok(req.into_response(res));
            }
            Lookup::Lead(flight) => break Some(flight),
            // The leader did not keep its answer (not a 200, say): this request computes its
            // own rather than wait in line again.
            Lookup::Wait(_) if waited => break None,
            Lookup::Wait(mut flight) => {
                // Ends when the leader is done (its sender is dropped), whatever it answered.
                let _ = flight.changed().await;
                waited = true;
            }
        }
    };
    let res = next.call(req).await?;
    // An answer during which this replica saw a change is not kept: it may be older or newer
    // than the generation, and a read that records itself (a change) is never answered twice
    // from memory.
    let keep = views.changes.current() == generation.0
        && res.status() == StatusCode::OK
        && res.response().extensions().get::<Uncacheable>().is_none()
        && res.request().extensions().get::<Uncacheable>().is_none()
        && matches!(res.response().body().size(), BodySize::Sized(n) if n as usize <= MAX_ENTRY_BYTES);
    if !keep {
        return Ok(res.map_into_boxed_body());
    }
    let (http_req, response) = res.into_parts();
    let (head, body) = response.into_parts();
    let bytes = to_bytes(body)
        .await
        .map_err(|_| ApiError::internal("could not read an answer to cache"))?;
    let stored = Stored {
        status: head.status(),
        headers: head
            .headers()
            .iter()
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect(),
        body: bytes.clone(),
    };
    views.put(generation, key, stored);
    Ok(ServiceResponse::new(
        http_req,
        head.set_body(BoxBody::new(bytes)),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn stored(body: &'static str) -> Stored {
        Stored {
            status: StatusCode::OK,
            headers: vec![(header::ETAG, HeaderValue::from_static("W/\"abc\""))],
            body: web::Bytes::from_static(body.as_bytes()),
        }
    }

    #[test]
    fn a_generation_keeps_its_answers_and_the_next_drops_them() {
        let cache = Arc::new(ViewCache::new(Arc::default(), Clock::default()));
        assert!(cache.get((1, 10), "k").is_none());
        cache.put((1, 10), "k".into(), stored("one"));
        assert_eq!(cache.get((1, 10), "k").unwrap().body, "one");
        assert!(cache.get((1, 10), "other").is_none());
        // A later second or a later change: a new generation, empty.
        assert!(cache.get((1, 11), "k").is_none());
        assert!(cache.get((2, 11), "k").is_none());
        // An answer read in an older generation is not filed into the new one.
        cache.put((1, 11), "k".into(), stored("stale"));
        assert!(cache.get((2, 11), "k").is_none());
    }

    #[test]
    fn the_cache_stays_within_its_budget() {
        let cache = Arc::new(ViewCache::new(Arc::default(), Clock::default()));
        assert!(cache.get((1, 1), "k").is_none());
        let big: &'static str = Box::leak("x".repeat(MAX_BYTES / 2).into_boxed_str());
        cache.put((1, 1), "a".into(), stored(big));
        cache.put((1, 1), "b".into(), stored(big));
        assert_eq!(cache.len(), 1);
    }

    #[tokio::test]
    async fn one_request_computes_an_answer_while_the_others_wait_for_it() {
        let cache = Arc::new(ViewCache::new(Arc::default(), Clock::default()));
        let Lookup::Lead(flight) = cache.lookup((1, 1), "k") else {
            panic!("the first asks, so it computes");
        };
        let Lookup::Wait(mut waiting) = cache.lookup((1, 1), "k") else {
            panic!("the second waits for the first");
        };
        cache.put((1, 1), "k".into(), stored("one"));
        drop(flight);
        // The leader is done: the waiter wakes and finds the answer.
        assert!(waiting.changed().await.is_err());
        assert!(matches!(cache.lookup((1, 1), "k"), Lookup::Hit(s) if s.body == "one"));
        // An abandoned flight ends too: the next request leads a new one.
        let Lookup::Lead(abandoned) = cache.lookup((1, 1), "j") else {
            panic!("nobody computes j yet");
        };
        drop(abandoned);
        assert!(matches!(cache.lookup((1, 1), "j"), Lookup::Lead(_)));
        // A new generation forgets the flights of the last.
        let Lookup::Lead(_old) = cache.lookup((1, 1), "m") else {
            panic!("nobody computes m yet");
        };
        assert!(matches!(cache.lookup((1, 2), "m"), Lookup::Lead(_)));
    }

    #[test]
    fn a_matching_if_none_match_is_answered_not_modified() {
        let req = actix_web::test::TestRequest::default()
            .insert_header((header::IF_NONE_MATCH, "W/\"abc\""))
            .to_http_request();
        assert_eq!(stored("x").answer(&req).status(), StatusCode::NOT_MODIFIED);
        let req = actix_web::test::TestRequest::default().to_http_request();
        assert_eq!(stored("x").answer(&req).status(), StatusCode::OK);
    }
}
