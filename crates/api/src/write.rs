//! The one write opener: every request that creates or changes something runs its work here,
//! in one transaction that first takes the audit chain's head (so every change and its audit
//! event commit together, or neither does), honouring the caller's `Idempotency-Key`.
//!
//! Per caller and key, a retry returns the first response and creates nothing; the same key
//! with a different request is `422 idempotency_key_reused`. The first response is stored in the
//! same transaction as the change it reports, so a crash cannot leave one without the other,
//! and two concurrent requests with one key cannot both create: the second's insert of the key
//! fails and it answers with the first's response.

use std::{
    future::{Ready, ready},
    ops::Deref,
};

use actix_web::{
    FromRequest, HttpMessage, HttpRequest, HttpResponse,
    dev::Payload,
    http::{StatusCode, header},
    web,
};
use guwen_persistence::{
    DbErr,
    audit::{Actor, Context},
    db::is_unique_violation,
    idempotency::{self, NewStoredResponse, StoredResponse},
    store::Tx,
};
use serde::Serialize;

use crate::{
    http::{
        access::Caller,
        error::ApiError,
        idempotency::{Created, IdempotencyKey, fingerprint, replay},
        middleware::RequestId,
    },
    state::AppState,
    turn::Outcome,
};

/// The audit context of a request: its caller (or the anonymous public), request id and time.
pub fn audit_context(req: &HttpRequest, state: &AppState) -> Context {
    let actor = req
        .extensions()
        .get::<Caller>()
        .map(Caller::actor)
        .unwrap_or_else(Actor::anonymous);
    Context {
        actor,
        request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
        now: state.clock.now(),
        signer: Some(state.audit_signer.clone()),
    }
}

/// A signed-in caller's request to a handler that writes: the state, the request and the
/// caller (as the access check put it in the request), extracted together; without an
/// `Idempotency-Key` (a change to an existing object).
pub struct Signed {
    pub state: web::Data<AppState>,
    pub http: HttpRequest,
    pub caller: Caller,
    key: IdempotencyKey,
}

impl Signed {
    /// The request's audit context (see [`audit_context`]).
    pub fn audit(&self) -> Context {
        audit_context(&self.http, &self.state)
    }
}

impl FromRequest for Signed {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let state = req
            .app_data::<web::Data<AppState>>()
            .cloned()
            .ok_or_else(|| ApiError::internal("the application state is not configured"));
        ready(state.and_then(|state| {
            Ok(Self {
                state,
                http: req.clone(),
                caller: Caller::from_request(req, payload).into_inner()?,
                key: IdempotencyKey::default(),
            })
        }))
    }
}

/// A signed-in caller's creating request: [`Signed`] with its `Idempotency-Key`, under which
/// [`write_as`] answers a retry with the first response.
pub struct Creating(Signed);

impl Deref for Creating {
    type Target = Signed;

    fn deref(&self) -> &Signed {
        &self.0
    }
}

impl FromRequest for Creating {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signed = Signed::from_request(req, payload).into_inner();
        let key = IdempotencyKey::from_request(req, payload).into_inner();
        ready(signed.and_then(|signed| {
            Ok(Self(Signed {
                key: key?,
                ..signed
            }))
        }))
    }
}

/// Who a write is for: the request, the caller's idempotency scope (token subject, or client
/// address for anonymous calls) and its `Idempotency-Key` (none for a change to an existing
/// object). A signed-in caller's request ([`Signed`], [`Creating`]) is one.
pub struct Writer<'a> {
    state: &'a AppState,
    http: &'a HttpRequest,
    scope: String,
    key: &'a IdempotencyKey,
}

impl<'a> Writer<'a> {
    /// The writer of a request that is not a signed-in caller's (an anonymous public request)
    /// or whose key the handler extracted itself (a streamed upload).
    pub fn new(
        state: &'a AppState,
        http: &'a HttpRequest,
        scope: String,
        key: &'a IdempotencyKey,
    ) -> Self {
        Self {
            state,
            http,
            scope,
            key,
        }
    }
}

/// Scoped to the caller, under the request's key when it creates something ([`Creating`]),
/// without one when it changes an existing object ([`Signed`]).
impl<'a> From<&'a Signed> for Writer<'a> {
    fn from(call: &'a Signed) -> Self {
        Self::new(
            &call.state,
            &call.http,
            call.caller.idempotency_scope(),
            &call.key,
        )
    }
}

impl<'a> From<&'a Creating> for Writer<'a> {
    fn from(call: &'a Creating) -> Self {
        Self::from(&call.0)
    }
}

/// Runs `work` in one writing transaction and answers with what it returns.
///
/// `request` is what makes two requests "the same" (normally the parsed body): with the
/// writer's scope and key, what a retry is recognised by.
pub async fn write_as<'a, T, R, F>(
    writer: impl Into<Writer<'a>>,
    request: &R,
    work: F,
) -> Result<HttpResponse, ApiError>
where
    T: Serialize,
    R: Serialize,
    F: AsyncFnOnce(&Tx) -> Result<Created<T>, ApiError>,
{
    let Writer {
        state,
        http,
        scope,
        key,
    } = writer.into();
    let scope = scope.as_str();
    let fingerprint = fingerprint(http, request);
    let answer = state
        .writers
        .run(&state.db, async |tx| {
            if let Some(k) = &key.0
                && let Some(stored) = idempotency::find(tx, scope, k).await?
            {
                // Kept, not discarded: the first response may belong to a writer of this same
                // group, so the replay waits for the commit that makes it true.
                return Ok(Outcome::Keep(Answer::Replay(stored)));
            }
            let created = work(tx).await?;
            let body = serde_json::to_string(&created.body).map_err(ApiError::internal)?;
            if let Some(k) = &key.0 {
                let saved = idempotency::save(
                    tx,
                    NewStoredResponse {
                        caller: scope,
                        key: k,
                        method: http.method().as_str(),
                        path: http.path(),
                        request_hash: &fingerprint,
                        status_code: created.status.as_u16(),
                        response_body: &body,
                        location: created.location.as_deref(),
                        now: state.clock.now(),
                    },
                )
                .await;
                match saved {
                    Ok(()) => {}
                    Err(e) if is_unique_violation(&e) => {
                        return Ok(Outcome::Discard(Answer::KeyTaken(e)));
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(Outcome::Keep(Answer::Fresh(
                created.status,
                created.location,
                body,
            )))
        })
        .await?;
    match answer {
        Answer::Replay(stored) => replay(stored, &fingerprint),
        Answer::KeyTaken(e) => {
            // A concurrent request with the same key committed first: answer as it did.
            if let Some(k) = &key.0
                && let Some(stored) = idempotency::find(&state.db, scope, k).await?
            {
                return replay(stored, &fingerprint);
            }
            Err(e.into())
        }
        Answer::Fresh(status, location, body) => {
            let mut response = HttpResponse::build(status);
            response.content_type("application/json");
            if let Some(location) = location {
                response.insert_header((header::LOCATION, location));
            }
            Ok(response.body(body))
        }
    }
}

/// What a write answers: its new response, the first response to its `Idempotency-Key`, or
/// (the key's row was taken by a concurrent request) the first response once that committed.
enum Answer {
    Fresh(StatusCode, Option<String>, String),
    Replay(StoredResponse),
    KeyTaken(DbErr),
}

/// [`write_as`] of a change to one existing object: `load` reads it (404 `kind` when there is
/// none), `work` changes it, and the answer is `view` of it as `load` reads it afterwards.
pub async fn write_step<M, T, R, E, L, W, V>(
    call: &Signed,
    request: &R,
    kind: &'static str,
    load: L,
    work: W,
    view: V,
) -> Result<HttpResponse, ApiError>
where
    T: Serialize,
    R: Serialize,
    ApiError: From<E>,
    L: AsyncFn(&Tx) -> Result<Option<M>, E>,
    W: AsyncFnOnce(&Tx, M) -> Result<(), ApiError>,
    V: AsyncFnOnce(&Tx, M) -> Result<T, ApiError>,
{
    write_as(call, request, async |tx| {
        let found = load(tx).await?.ok_or_else(|| ApiError::not_found(kind))?;
        work(tx, found).await?;
        let after = load(tx)
            .await?
            .ok_or_else(|| ApiError::internal(format!("the {kind} just moved is gone")))?;
        Ok(Created::ok(view(tx, after).await?))
    })
    .await
}

/// [`write_as`] for a change no request asked for (the daily calendar job): `work` runs in one
/// writing transaction, as `actor`, at the service clock's now; committed when it answers
/// `Ok(true)`, rolled back otherwise (nothing to record).
pub async fn write_scheduled<F>(state: &AppState, actor: &str, work: F) -> Result<bool, ApiError>
where
    F: AsyncFnOnce(&Tx, &Context) -> Result<bool, ApiError>,
{
    let ctx = Context {
        actor: Actor {
            sub: actor.to_owned(),
            roles: Vec::new(),
            org_id: None,
        },
        request_id: None,
        now: state.clock.now(),
        signer: Some(state.audit_signer.clone()),
    };
    state
        .writers
        .run(&state.db, async |tx| {
            Ok(if work(tx, &ctx).await? {
                Outcome::Keep(true)
            } else {
                Outcome::Discard(false)
            })
        })
        .await
}
