//! The append-only, hash-chained audit trail (DOMAIN.md §6).
//!
//! Every event carries the SHA-256 of the previous event; its own hash covers a canonical
//! encoding of all its fields plus that previous hash. Every event also carries the signature,
//! by the service's Ed25519 audit key, of the chain's head at that event (its sequence number
//! and hash). The key lives in the configuration, never in the database: an event appended, or
//! rewritten with every later hash recomputed, by someone without the key carries no valid
//! signature, and no later signed event can cover for it because each one is checked. Writers first update the single
//! `audit_head` row (on PostgreSQL after queueing on an advisory lock), which takes a row lock
//! held until commit: concurrent
//! transactions therefore append one after the other and the chain cannot fork. The unique
//! index on `prev_hash` would refuse a fork even if that ordering were bypassed.

use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
pub use ed25519_dalek::VerifyingKey;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier};
use guwen_domain::{Labelled, audit::AuditAction};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ExprTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};
use sha2::{Digest, Sha256};

use crate::entity::{audit_event, audit_head};

pub use audit_event::Model as AuditEvent;

/// Who did it: the authenticated caller, or `anonymous` for the public endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub sub: String,
    pub roles: Vec<String>,
    pub org_id: Option<String>,
}

impl Actor {
    /// The anonymous public (objections, self-nominations).
    pub fn anonymous() -> Self {
        Self {
            sub: "anonymous".into(),
            roles: Vec::new(),
            org_id: None,
        }
    }
}

/// What is being recorded: the audit event of one change, handed to the function that makes
/// it.
#[derive(Debug, Clone)]
pub struct Event {
    pub action: AuditAction,
    pub object_type: &'static str,
    pub object_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
    pub details: Option<serde_json::Value>,
}

impl Event {
    /// An event of `action` on one object.
    pub fn new(
        action: AuditAction,
        object_type: &'static str,
        object_id: impl Into<String>,
    ) -> Self {
        Self {
            action,
            object_type,
            object_id: object_id.into(),
            before: None,
            after: None,
            reason: None,
            details: None,
        }
    }

    /// The state the object leaves.
    pub fn before(mut self, state: impl Labelled) -> Self {
        self.before = Some(state.code().to_owned());
        self
    }

    /// The state the object enters.
    pub fn after(mut self, state: impl Labelled) -> Self {
        self.after = Some(state.code().to_owned());
        self
    }

    /// The recorded reason (a rejection, a dismissal ground, a note).
    pub fn reason(mut self, reason: Option<impl Into<String>>) -> Self {
        self.reason = reason.map(Into::into);
        self
    }

    /// Extra facts, stored and hashed verbatim.
    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }
}

/// The request the event belongs to.
#[derive(Debug, Clone)]
pub struct Context {
    pub actor: Actor,
    pub request_id: Option<String>,
    pub now: DateTime<Utc>,
    /// The key that signs the chain's head at each appended event; without one the event is
    /// left unsigned, which verification reports.
    pub signer: Option<AuditSigner>,
}

impl Context {
    /// The instant a row written in this request records: the request's time, at the
    /// precision both backends keep.
    pub fn stamp(&self) -> DateTime<Utc> {
        truncate_to_micros(self.now)
    }
}

/// The service's Ed25519 audit key, signing the chain's head (cheap to clone).
#[derive(Clone)]
pub struct AuditSigner {
    key: Arc<SigningKey>,
}

impl std::fmt::Debug for AuditSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditSigner")
            .field("public_key", &self.public_key_hex())
            .finish()
    }
}

impl AuditSigner {
    /// The signer of a 32-byte Ed25519 seed.
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self {
            key: Arc::new(SigningKey::from_bytes(seed)),
        }
    }

    /// The private key (for the signatures of this crate: heads, checkpoints, verified points).
    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// The public key that verifies this signer's heads.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// The public key, hex encoded (what an auditor pins).
    pub fn public_key_hex(&self) -> String {
        hex::encode(self.verifying_key().as_bytes())
    }

    /// The signature (hex) of the head at `seq` with hash `hash`.
    pub fn sign_head(&self, seq: i64, hash: &str) -> String {
        hex::encode(self.key.sign(head_message(seq, hash).as_bytes()).to_bytes())
    }
}

/// What a head's signature covers.
fn head_message(seq: i64, hash: &str) -> String {
    format!("guwen-audit-head\n{seq}\n{hash}")
}

/// Whether `signature` (hex) is `key`'s signature of the head at `seq` with hash `hash`.
pub fn head_signature_holds(key: &VerifyingKey, seq: i64, hash: &str, signature: &str) -> bool {
    let Ok(bytes) = hex::decode(signature) else {
        return false;
    };
    let Ok(bytes) = <[u8; 64]>::try_from(bytes.as_slice()) else {
        return false;
    };
    key.verify(
        head_message(seq, hash).as_bytes(),
        &Signature::from_bytes(&bytes),
    )
    .is_ok()
}

/// Timestamps are kept at microsecond precision so that both backends return what was hashed.
pub fn truncate_to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    let micros = at.timestamp_micros();
    DateTime::<Utc>::from_timestamp_micros(micros).unwrap_or(at)
}

/// The canonical encoding that the hash covers: a JSON array of every field in a fixed order.
pub fn canonical(event: &audit_event::Model) -> String {
    let fields = (
        event.seq,
        &event.id,
        event
            .occurred_at
            .to_rfc3339_opts(SecondsFormat::Micros, true),
        &event.actor_sub,
        &event.actor_roles,
        &event.actor_org,
        &event.action,
        &event.object_type,
        &event.object_id,
        &event.state_before,
        &event.state_after,
        &event.reason,
        &event.details,
        &event.request_id,
    );
    serde_json::to_string(&fields).unwrap_or_default()
}

/// SHA-256 over the previous hash and the canonical encoding, hex encoded.
pub fn chain_hash(prev_hash: &str, event: &audit_event::Model) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(canonical(event).as_bytes());
    hex::encode(hasher.finalize())
}

/// The PostgreSQL advisory lock that orders writing transactions (see [`begin_write`]): one
/// per schema, so deployments (or tests) in separate schemas of one database do not queue
/// behind each other. The head row's lock follows in the same round trip.
const WRITE_LOCK: &str = "SELECT pg_advisory_xact_lock(1735751525, hashtext(current_schema())); \
     UPDATE audit_head SET seq = seq WHERE id = 1";

/// Begins a transaction that will write audit events, taking the chain's head lock first.
///
/// Every writing transaction locks the head before any other row (on PostgreSQL after queueing
/// on [`WRITE_LOCK`]), so all of them lock in the same order and PostgreSQL cannot deadlock two
/// multi-object changes against each other.
pub async fn begin_write(
    db: &sea_orm::DatabaseConnection,
) -> Result<sea_orm::DatabaseTransaction, DbErr> {
    use sea_orm::TransactionTrait;
    let tx = db.begin().await?;
    if tx.get_database_backend() == sea_orm::DbBackend::Postgres {
        // Writers queue on a transaction-scoped advisory lock, granted in arrival order, before
        // touching the head row: under load they then wait in line instead of all waking at
        // every commit to fight over the row lock. Both locks cost one round trip.
        tx.execute_unprepared(WRITE_LOCK).await?;
    } else {
        audit_head::Entity::update_many()
            .col_expr(audit_head::Column::Seq, Expr::col(audit_head::Column::Seq))
            .filter(audit_head::Column::Id.eq(1))
            .exec(&tx)
            .await?;
    }
    Ok(tx)
}

/// Opens a savepoint in a writing transaction (see [`begin_write`]): its changes are kept by
/// `commit` and undone by `rollback` (or by dropping it) without touching the rest of the
/// transaction.
pub async fn begin_nested(
    tx: &sea_orm::DatabaseTransaction,
) -> Result<sea_orm::DatabaseTransaction, DbErr> {
    use sea_orm::TransactionTrait;
    tx.begin().await
}

/// Appends one event inside the caller's transaction. Pass the transaction, never the pool.
pub async fn append<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    event: Event,
) -> Result<AuditEvent, DbErr> {
    append_all(tx, ctx, vec![event])
        .await?
        .pop()
        .ok_or_else(|| DbErr::RecordNotFound("audit_event".into()))
}

/// Appends `events`, in order, inside the caller's transaction: three statements however many
/// there are (claim their sequence numbers, insert them, move the head's hash).
pub async fn append_all<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    events: Vec<Event>,
) -> Result<Vec<AuditEvent>, DbErr> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let count = i64::try_from(events.len()).unwrap_or(i64::MAX);
    // Take the head's row lock first (PostgreSQL) and claim the next sequence numbers.
    let head = audit_head::Entity::update_many()
        .col_expr(
            audit_head::Column::Seq,
            Expr::col(audit_head::Column::Seq).add(count),
        )
        .filter(audit_head::Column::Id.eq(1))
        .exec_with_returning(tx)
        .await?
        .pop()
        .ok_or_else(|| DbErr::RecordNotFound("audit_head".into()))?;
    let mut prev_hash = head.last_hash;
    let mut models = Vec::with_capacity(events.len());
    for (seq, event) in ((head.seq - count + 1)..=head.seq).zip(events) {
        let mut model = audit_event::Model {
            seq,
            id: uuid::Uuid::now_v7().to_string(),
            occurred_at: truncate_to_micros(ctx.now),
            actor_sub: ctx.actor.sub.clone(),
            actor_roles: ctx.actor.roles.join(","),
            actor_org: ctx.actor.org_id.clone(),
            action: event.action.code().to_owned(),
            object_type: event.object_type.to_owned(),
            object_id: event.object_id,
            state_before: event.before,
            state_after: event.after,
            reason: event.reason,
            details: event.details.map(|d| d.to_string()),
            request_id: ctx.request_id.clone(),
            prev_hash: prev_hash.clone(),
            hash: String::new(),
            signature: None,
        };
        model.hash = chain_hash(&prev_hash, &model);
        model.signature = ctx
            .signer
            .as_ref()
            .map(|signer| signer.sign_head(model.seq, &model.hash));
        prev_hash = model.hash.clone();
        models.push(model);
    }
    audit_event::Entity::insert_many(
        models
            .iter()
            .map(|m| m.clone().into_active_model().reset_all()),
    )
    .exec_without_returning(tx)
    .await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::LastHash, Expr::value(prev_hash))
        .filter(audit_head::Column::Id.eq(1))
        .exec(tx)
        .await?;
    Ok(models)
}

/// The change sequence: the number of the last event in the chain. Every change appends its
/// event in its own transaction, under the head's row lock, so this number grows with every
/// committed change and with nothing else: a reader that saw the same number saw the same data
/// (read it before the data it validates, and a change in between only makes it look older).
pub async fn change_sequence<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    Ok(audit_head::Entity::find_by_id(1)
        .one(db)
        .await?
        .map_or(0, |head| head.seq))
}

/// Filters for listing the trail.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub actor_sub: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Only events with a sequence number above this one (ascending) or below it (descending).
    pub cursor: Option<i64>,
    pub descending: bool,
    pub limit: u64,
}

/// One page of events, and whether more follow.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    filter: &Filter,
) -> Result<(Vec<AuditEvent>, bool), DbErr> {
    use audit_event::Column as C_;
    let mut query = audit_event::Entity::find();
    if let Some(v) = &filter.action {
        query = query.filter(C_::Action.eq(v.clone()));
    }
    if let Some(v) = &filter.object_type {
        query = query.filter(C_::ObjectType.eq(v.clone()));
    }
    if let Some(v) = &filter.object_id {
        query = query.filter(C_::ObjectId.eq(v.clone()));
    }
    if let Some(v) = &filter.actor_sub {
        query = query.filter(C_::ActorSub.eq(v.clone()));
    }
    if let Some(v) = filter.from {
        query = query.filter(C_::OccurredAt.gte(truncate_to_micros(v)));
    }
    if let Some(v) = filter.to {
        query = query.filter(C_::OccurredAt.lt(truncate_to_micros(v)));
    }
    if let Some(cursor) = filter.cursor {
        query = if filter.descending {
            query.filter(C_::Seq.lt(cursor))
        } else {
            query.filter(C_::Seq.gt(cursor))
        };
    }
    query = if filter.descending {
        query.order_by_desc(C_::Seq)
    } else {
        query.order_by_asc(C_::Seq)
    };
    let mut rows = query.limit(filter.limit + 1).all(db).await?;
    let more = rows.len() as u64 > filter.limit;
    rows.truncate(filter.limit as usize);
    Ok((rows, more))
}

/// Why a link of the chain does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Break {
    /// The event's fields no longer hash to its stored hash: it was changed.
    HashMismatch,
    /// The event does not point at the hash of the event before it.
    PrevHashMismatch,
    /// A sequence number is missing: an event was removed.
    SequenceGap,
    /// The head does not match the last event: the tail was removed or rewritten.
    HeadMismatch,
    /// The event carries no signature: it was written without the audit key.
    Unsigned,
    /// The event's signature is not the audit key's over its sequence number and hash: it was
    /// appended or rewritten (every later hash recomputed) without the key.
    SignatureInvalid,
}

impl Break {
    pub fn code(self) -> &'static str {
        match self {
            Break::HashMismatch => "hash_mismatch",
            Break::PrevHashMismatch => "prev_hash_mismatch",
            Break::SequenceGap => "sequence_gap",
            Break::HeadMismatch => "head_mismatch",
            Break::Unsigned => "unsigned",
            Break::SignatureInvalid => "signature_invalid",
        }
    }
}

/// The result of recomputing the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub checked: u64,
    pub last_seq: i64,
    pub last_hash: String,
    /// The first broken link: sequence number, event id (if any) and why.
    pub first_broken: Option<(i64, Option<String>, Break)>,
    /// Whether every event's signature was checked with a key (and held up to the first broken
    /// link).
    pub signatures_checked: bool,
}

/// A verified point of the chain: the event `seq` with hash `hash` (`0` and the genesis hash
/// before the first event). Verification resumes after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
}

impl Anchor {
    /// Before the first event.
    pub fn genesis() -> Self {
        Self {
            seq: 0,
            hash: guwen_migrations::GENESIS_HASH.to_owned(),
        }
    }
}

/// One stretch of a verification: how far it got and what it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stretch {
    /// Events verified in this stretch.
    pub checked: u64,
    /// The last verified event (the anchor to resume from).
    pub reached: Anchor,
    /// The first broken link, if one was found.
    pub broken: Option<(i64, Option<String>, Break)>,
    /// Whether the stretch reached the last stored event (or a broken link).
    pub done: bool,
}

/// Verifies at most `max` events after `from` (hash, link and, with `key`, signature of each).
pub async fn verify_stretch<C: ConnectionTrait>(
    db: &C,
    key: Option<&VerifyingKey>,
    from: &Anchor,
    max: u64,
) -> Result<Stretch, DbErr> {
    let mut expected_prev = from.hash.clone();
    let mut expected_seq = from.seq + 1;
    let mut checked = 0u64;
    let rows = audit_event::Entity::find()
        .filter(audit_event::Column::Seq.gte(expected_seq))
        .order_by_asc(audit_event::Column::Seq)
        .limit(max)
        .all(db)
        .await?;
    let done = (rows.len() as u64) < max;
    for row in rows {
        let broken = if row.seq != expected_seq {
            Some((expected_seq, None, Break::SequenceGap))
        } else if row.prev_hash != expected_prev {
            Some((row.seq, Some(row.id.clone()), Break::PrevHashMismatch))
        } else if chain_hash(&row.prev_hash, &row) != row.hash {
            Some((row.seq, Some(row.id.clone()), Break::HashMismatch))
        } else {
            match (key, row.signature.as_deref()) {
                (None, _) => None,
                (Some(_), None) => Some((row.seq, Some(row.id.clone()), Break::Unsigned)),
                (Some(key), Some(s)) if head_signature_holds(key, row.seq, &row.hash, s) => None,
                (Some(_), Some(_)) => {
                    Some((row.seq, Some(row.id.clone()), Break::SignatureInvalid))
                }
            }
        };
        if broken.is_some() {
            return Ok(Stretch {
                checked,
                reached: Anchor {
                    seq: expected_seq - 1,
                    hash: expected_prev,
                },
                broken,
                done: true,
            });
        }
        checked += 1;
        expected_prev = row.hash;
        expected_seq += 1;
    }
    Ok(Stretch {
        checked,
        reached: Anchor {
            seq: expected_seq - 1,
            hash: expected_prev,
        },
        broken: None,
        done,
    })
}

/// Whether the head row names `reached`, the last stored event (else the newest events were
/// removed, or the head rewritten).
pub async fn head_matches<C: ConnectionTrait>(db: &C, reached: &Anchor) -> Result<bool, DbErr> {
    let head = audit_head::Entity::find_by_id(1).one(db).await?;
    Ok(head.is_some_and(|h| h.seq == reached.seq && h.last_hash == reached.hash))
}

/// The hash of the stored event `seq`, if there is one.
pub async fn hash_at<C: ConnectionTrait>(db: &C, seq: i64) -> Result<Option<String>, DbErr> {
    Ok(audit_event::Entity::find_by_id(seq)
        .one(db)
        .await?
        .map(|e| e.hash))
}

/// Recomputes every hash from the first event on and names the first broken link; with `key`,
/// every event must also carry its signature of the head at that event.
pub async fn verify<C: ConnectionTrait>(
    db: &C,
    key: Option<&VerifyingKey>,
) -> Result<Verification, DbErr> {
    verify_from(db, key, &Anchor::genesis()).await
}

/// [`verify`] of the events after `from` only (an earlier verification found the chain sound
/// up to it).
pub async fn verify_from<C: ConnectionTrait>(
    db: &C,
    key: Option<&VerifyingKey>,
    from: &Anchor,
) -> Result<Verification, DbErr> {
    const BATCH: u64 = 1000;
    let mut at = from.clone();
    let mut checked = 0u64;
    loop {
        let stretch = verify_stretch(db, key, &at, BATCH).await?;
        checked += stretch.checked;
        at = stretch.reached;
        if let Some(first_broken) = stretch.broken {
            return Ok(Verification {
                checked,
                last_seq: at.seq,
                last_hash: at.hash,
                first_broken: Some(first_broken),
                signatures_checked: key.is_some(),
            });
        }
        if stretch.done {
            break;
        }
    }
    let head_ok = head_matches(db, &at).await?;
    Ok(Verification {
        checked,
        last_seq: at.seq,
        first_broken: (!head_ok).then_some((at.seq + 1, None, Break::HeadMismatch)),
        last_hash: at.hash,
        signatures_checked: key.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_signature_holds_for_its_head_and_key_only() {
        let signer = AuditSigner::from_seed(&[7; 32]);
        let other = AuditSigner::from_seed(&[8; 32]);
        let hash = "ab".repeat(32);
        let signature = signer.sign_head(5, &hash);
        let key = signer.verifying_key();
        assert!(head_signature_holds(&key, 5, &hash, &signature));
        assert!(!head_signature_holds(&key, 4, &hash, &signature));
        assert!(!head_signature_holds(&key, 5, &"cd".repeat(32), &signature));
        assert!(!head_signature_holds(
            &key,
            5,
            &hash,
            &other.sign_head(5, &hash)
        ));
        assert!(!head_signature_holds(&key, 5, &hash, "not hex"));
        assert_eq!(signer.public_key_hex().len(), 64);
    }
}
