//! Each replica's cache of `GET` answers, valid for one change sequence and one second.
//!
//! An answer of the API is determined by the data (which the change sequence versions), the
//! clock (views compute "today", deadlines and ages from it), the request's target, its
//! `Accept`, its caller and its `If-None-Match`. The cache keeps the bytes of `200` answers,
//! and of `304` answers to `If-None-Match`, under the target, `Accept`, `Authorization` (a
//! token is its caller) and `If-None-Match`, in a generation named by the change
//! sequence this replica has seen and the current second: when either moves, the generation
//! is dropped whole. So a cached answer is never older than one second or than the last
//! change this replica knows of (its own writes are known at once, another replica's within
//! `GUWEN_CHANGE_POLL_MS`), and an answer given to one token is never given to another.
//!
//! When a generation begins, every connection asking for one popular answer would miss at once
//! and ask the database the same thing; instead the first request for an answer computes it and
//! the others wait for it (one flight per answer), then take it from the cache.
//!
//! An answer is computed only after authentication, authorization, the public read limit and
//! the parameter policy have let its request through. An answer a token was given is given
//! again to that token only (the key holds the `Authorization` header as sent), and without
//! running those checks again ([`replay_admitted`]): they passed for these very bytes in this
//! generation, and nothing they read can change within it without moving the generation (a
//! role, a revocation or anything else the data holds is a change; the second is part of the
//! generation, so an expired token is refused at the next second at the latest, as a revoked
//! one is within the revocations' own poll). Answers that need no token still pass the public
//! read limit each time.
//!
//! Answers that are not data at rest are not cached: the audit trail and its verification
//! (which must see a database administrator's edit at once), answers during which a change
//! was seen (a read that records itself in the audit trail is one), answers marked
//! [`Uncacheable`], streamed answers and anything but `200` and `304`.

use std::{
    cell::RefCell,
    collections::HashMap,
    sync::{Arc, Mutex},
};

use actix_web::{
    HttpMessage, HttpResponse,
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
use crate::{
    clock::Clock,
    http::{access::Caller, error::ApiError},
};

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
    /// The caller the answer was computed for, on a route that needs a token.
    caller: Option<Caller>,
}

impl Stored {
    /// The answer as it was sent.
    fn answer(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status);
        for (name, value) in &self.headers {
            res.append_header((name.clone(), value.clone()));
        }
        res.body(self.body.clone())
    }
}

/// The change sequence and the second a generation of answers belongs to.
type Generation = (i64, i64);

#[derive(Debug, Default)]
struct Entries {
    generation: Generation,
    bytes: usize,
    answers: HashMap<Key, Arc<Stored>>,
    /// Answers of this generation being computed: a receiver wakes when its flight ends.
    flights: HashMap<Key, watch::Receiver<()>>,
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
    key: Key,
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
    fn lookup(self: &Arc<Self>, generation: Generation, key: &[u8]) -> Lookup {
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

    /// The answer under `key` in `generation`, if there is one (no flight is started).
    fn peek(&self, generation: Generation, key: &[u8]) -> Option<Arc<Stored>> {
        let entries = self.lock();
        (entries.generation == generation)
            .then(|| entries.answers.get(key).cloned())
            .flatten()
    }

    #[cfg(test)]
    fn get(self: &Arc<Self>, generation: Generation, key: &[u8]) -> Option<Arc<Stored>> {
        match self.lookup(generation, key) {
            Lookup::Hit(stored) => Some(stored),
            Lookup::Wait(_) | Lookup::Lead(_) => None,
        }
    }

    fn put(&self, generation: Generation, key: Key, stored: Stored) {
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

/// What selects an answer besides the generation: the target, `Accept`, the token and
/// `If-None-Match`, as the bytes the client sent (no two different requests share a key).
type Key = Vec<u8>;

thread_local! {
    /// The key of the request being looked up: built here, a hit allocates nothing.
    static KEY: RefCell<Key> = const { RefCell::new(Vec::new()) };
}

/// Writes the key of `req` into `key`.
fn fill_key(req: &ServiceRequest, key: &mut Key) {
    key.clear();
    let target = req
        .uri()
        .path_and_query()
        .map_or(req.path(), |pq| pq.as_str());
    key.extend_from_slice(target.as_bytes());
    for name in [header::ACCEPT, header::AUTHORIZATION, header::IF_NONE_MATCH] {
        // A newline cannot occur in a target or a header value: the parts cannot run together.
        key.push(b'\n');
        for (i, value) in req.headers().get_all(name).enumerate() {
            if i > 0 {
                key.push(b',');
            }
            key.extend_from_slice(value.as_bytes());
        }
    }
}

/// The answer the cache has for `req` in `generation`.
fn lookup(views: &Arc<ViewCache>, generation: Generation, req: &ServiceRequest) -> Lookup {
    KEY.with_borrow_mut(|key| {
        fill_key(req, key);
        views.lookup(generation, key)
    })
}

/// The answer this very request (target, `Accept`, token, `If-None-Match`) was given in the
/// current generation on a route that needs a token, with the caller it was computed for: the
/// door gives it before checking the token again (see the module's documentation).
pub fn replay_admitted(req: &ServiceRequest) -> Option<(HttpResponse, Caller)> {
    if !cacheable(req) || !req.headers().contains_key(header::AUTHORIZATION) {
        return None;
    }
    let views = req.app_data::<web::Data<ViewCache>>()?;
    let generation = views.generation();
    let stored = KEY.with_borrow_mut(|key| {
        fill_key(req, key);
        views.peek(generation, key)
    })?;
    let caller = stored.caller.clone()?;
    Some((stored.answer(), caller))
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
    let mut waited = false;
    let flight = loop {
        match lookup(&views, generation, &req) {
            Lookup::Hit(stored) => {
                let res = stored.answer();
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
    let key = match &flight {
        Some(flight) => flight.key.clone(),
        None => {
            let mut key = Key::new();
            fill_key(&req, &mut key);
            key
        }
    };
    let res = next.call(req).await?;
    // An answer during which this replica saw a change is not kept: it may be older or newer
    // than the generation, and a read that records itself (a change) is never answered twice
    // from memory.
    let keep = views.changes.current() == generation.0
        && (res.status() == StatusCode::OK
            || (res.status() == StatusCode::NOT_MODIFIED
                && res.request().headers().contains_key(header::IF_NONE_MATCH)))
        && res.response().extensions().get::<Uncacheable>().is_none()
        && res.request().extensions().get::<Uncacheable>().is_none()
        && match res.response().body().size() {
            BodySize::Sized(n) => n as usize <= MAX_ENTRY_BYTES,
            BodySize::None => true,
            BodySize::Stream => false,
        };
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
        caller: http_req.extensions().get::<Caller>().cloned(),
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
            caller: None,
        }
    }

    #[test]
    fn a_generation_keeps_its_answers_and_the_next_drops_them() {
        let cache = Arc::new(ViewCache::new(Arc::default(), Clock::default()));
        assert!(cache.get((1, 10), b"k").is_none());
        cache.put((1, 10), b"k".to_vec(), stored("one"));
        assert_eq!(cache.get((1, 10), b"k").unwrap().body, "one");
        assert!(cache.get((1, 10), b"other").is_none());
        // A later second or a later change: a new generation, empty.
        assert!(cache.get((1, 11), b"k").is_none());
        assert!(cache.get((2, 11), b"k").is_none());
        // An answer read in an older generation is not filed into the new one.
        cache.put((1, 11), b"k".to_vec(), stored("stale"));
        assert!(cache.get((2, 11), b"k").is_none());
    }

    #[test]
    fn the_cache_stays_within_its_budget() {
        let cache = Arc::new(ViewCache::new(Arc::default(), Clock::default()));
        assert!(cache.get((1, 1), b"k").is_none());
        let big: &'static str = Box::leak("x".repeat(MAX_BYTES / 2).into_boxed_str());
        cache.put((1, 1), b"a".to_vec(), stored(big));
        cache.put((1, 1), b"b".to_vec(), stored(big));
        assert_eq!(cache.len(), 1);
    }

    #[tokio::test]
    async fn one_request_computes_an_answer_while_the_others_wait_for_it() {
        let cache = Arc::new(ViewCache::new(Arc::default(), Clock::default()));
        let Lookup::Lead(flight) = cache.lookup((1, 1), b"k") else {
            panic!("the first asks, so it computes");
        };
        let Lookup::Wait(mut waiting) = cache.lookup((1, 1), b"k") else {
            panic!("the second waits for the first");
        };
        cache.put((1, 1), b"k".to_vec(), stored("one"));
        drop(flight);
        // The leader is done: the waiter wakes and finds the answer.
        assert!(waiting.changed().await.is_err());
        assert!(matches!(cache.lookup((1, 1), b"k"), Lookup::Hit(s) if s.body == "one"));
        // An abandoned flight ends too: the next request leads a new one.
        let Lookup::Lead(abandoned) = cache.lookup((1, 1), b"j") else {
            panic!("nobody computes j yet");
        };
        drop(abandoned);
        assert!(matches!(cache.lookup((1, 1), b"j"), Lookup::Lead(_)));
        // A new generation forgets the flights of the last.
        let Lookup::Lead(_old) = cache.lookup((1, 1), b"m") else {
            panic!("nobody computes m yet");
        };
        assert!(matches!(cache.lookup((1, 2), b"m"), Lookup::Lead(_)));
    }

    #[test]
    fn only_an_answer_computed_for_a_caller_is_given_again_before_the_checks_and_only_to_its_token()
    {
        let cache = web::Data::new(ViewCache::new(Arc::default(), Clock::default()));
        let request = |target: &str, token: Option<&'static str>| {
            let mut req = actix_web::test::TestRequest::get()
                .uri(target)
                .app_data(cache.clone());
            if let Some(token) = token {
                req = req.insert_header((header::AUTHORIZATION, token));
            }
            req.to_srv_request()
        };
        let file = |req: &ServiceRequest, caller: Option<Caller>| {
            let mut key = Key::new();
            fill_key(req, &mut key);
            // A lookup opens the current generation, as the first request of a second does.
            let _ = cache.clone().into_inner().get(cache.generation(), &key);
            cache.put(
                cache.generation(),
                key,
                Stored {
                    caller,
                    ..stored("kept")
                },
            );
        };
        let claims: crate::auth::Claims = serde_json::from_value(serde_json::json!({
            "sub": "nightly-sync", "roles": ["integration"], "iss": "guwen",
            "aud": "guwen-api", "exp": 0, "iat": 0
        }))
        .unwrap();
        let caller = Caller {
            claims: Arc::new(claims),
        };
        // Kept for a caller: given again to the same token, with that caller.
        let admitted = request("/api/v1/roster", Some("Bearer a"));
        file(&admitted, Some(caller));
        let (_, again) = replay_admitted(&admitted).unwrap();
        assert_eq!(again.sub(), "nightly-sync");
        // Never to another token, nor to a request without one.
        assert!(replay_admitted(&request("/api/v1/roster", Some("Bearer b"))).is_none());
        assert!(replay_admitted(&request("/api/v1/roster", None)).is_none());
        // An answer that needed no token (no caller) goes through the checks again: the public
        // read limit counts it.
        let public = request("/api/v1/public/roster", Some("Bearer a"));
        file(&public, None);
        assert!(replay_admitted(&public).is_none());
    }

    #[test]
    fn requests_differing_in_target_accept_token_or_if_none_match_have_different_keys() {
        let key = |target: &str, headers: &[(HeaderName, &'static [u8])]| {
            let mut req = actix_web::test::TestRequest::get().uri(target);
            for (name, value) in headers {
                req = req.insert_header((name.clone(), HeaderValue::from_bytes(value).unwrap()));
            }
            let mut key = Key::new();
            fill_key(&req.to_srv_request(), &mut key);
            key
        };
        let token = |t: &'static [u8]| (header::AUTHORIZATION, t);
        let plain = key("/api/v1/roster?limit=5", &[token(b"Bearer a")]);
        assert_eq!(plain, key("/api/v1/roster?limit=5", &[token(b"Bearer a")]));
        assert_ne!(plain, key("/api/v1/roster?limit=6", &[token(b"Bearer a")]));
        assert_ne!(plain, key("/api/v1/roster?limit=5", &[token(b"Bearer b")]));
        assert_ne!(plain, key("/api/v1/roster?limit=5", &[]));
        let csv = (header::ACCEPT, &b"text/csv"[..]);
        assert_ne!(
            plain,
            key("/api/v1/roster?limit=5", &[token(b"Bearer a"), csv])
        );
        let tag = (header::IF_NONE_MATCH, &b"W/\"abc\""[..]);
        assert_ne!(
            plain,
            key("/api/v1/roster?limit=5", &[token(b"Bearer a"), tag])
        );
        // Bytes that are not UTF-8 are kept as sent, not folded into one replacement character.
        assert_ne!(
            key("/x", &[token(b"Bearer \xff")]),
            key("/x", &[token(b"Bearer \xfe")])
        );
    }
}
