//! What the audit trail shows: events, their filters and the chain's verification.

use chrono::{DateTime, FixedOffset};
use guwen_domain::time::to_cst;
use guwen_persistence::audit::AuditEvent;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Who acted.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActorView {
    /// The token subject, or `anonymous` for the public.
    #[schema(example = "alice")]
    pub sub: String,
    /// The roles the caller held.
    pub roles: Vec<String>,
    /// The caller's organisation, for departments.
    pub org_id: Option<String>,
}

/// One audit event.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventView {
    /// Event id (UUIDv7).
    pub id: String,
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When it happened, in China Standard Time.
    pub occurred_at: DateTime<FixedOffset>,
    pub actor: ActorView,
    /// What happened (see `audit_action` in `/api/v1/meta/enums`).
    #[schema(example = "candidate_nominated")]
    pub action: String,
    /// The kind of object changed.
    #[schema(example = "candidate")]
    pub object_type: String,
    /// The id of the object changed.
    pub object_id: String,
    pub state_before: Option<String>,
    pub state_after: Option<String>,
    pub reason: Option<String>,
    /// Extra facts recorded with the event.
    pub details: Option<serde_json::Value>,
    /// The request that caused it (the `X-Request-Id` response header).
    pub request_id: Option<String>,
    /// SHA-256 of the previous event (hex).
    pub prev_hash: String,
    /// SHA-256 of this event over its canonical encoding and `prev_hash` (hex).
    pub hash: String,
    /// Ed25519 signature (hex) by the audit key of `guwen-audit-head\n{seq}\n{hash}`: check
    /// it with the `signing_key` of the verification.
    pub signature: Option<String>,
}

impl From<AuditEvent> for AuditEventView {
    fn from(e: AuditEvent) -> Self {
        Self {
            id: e.id,
            seq: e.seq,
            occurred_at: to_cst(e.occurred_at),
            actor: ActorView {
                sub: e.actor_sub,
                roles: e
                    .actor_roles
                    .split(',')
                    .filter(|r| !r.is_empty())
                    .map(str::to_owned)
                    .collect(),
                org_id: e.actor_org,
            },
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            state_before: e.state_before,
            state_after: e.state_after,
            reason: e.reason,
            details: e.details.and_then(|d| serde_json::from_str(&d).ok()),
            request_id: e.request_id,
            prev_hash: e.prev_hash,
            hash: e.hash,
            signature: e.signature,
        }
    }
}

/// Sort order of a list.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Oldest first.
    #[default]
    Asc,
    /// Newest first.
    Desc,
}

/// Filters of the audit trail.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Only this action.
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 200>")]
    #[param(max_length = 200)]
    pub action: Option<String>,
    /// Only this kind of object (`candidate`, `advisor`, …).
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 200>")]
    #[param(max_length = 200)]
    pub object_type: Option<String>,
    /// Only this object.
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 200>")]
    #[param(max_length = 200)]
    pub object_id: Option<String>,
    /// Only this actor (token subject).
    #[serde(default, deserialize_with = "crate::http::text::query_text::<_, 200>")]
    #[param(max_length = 200)]
    pub actor_sub: Option<String>,
    /// Only events at or after this instant (RFC 3339).
    pub from: Option<DateTime<FixedOffset>>,
    /// Only events before this instant (RFC 3339).
    pub to: Option<DateTime<FixedOffset>>,
    /// `asc` (default, chain order) or `desc`.
    pub order: Option<SortOrder>,
}

/// Where the chain breaks.
#[derive(Debug, Serialize, ToSchema)]
pub struct BrokenLink {
    /// Sequence number of the first event that does not verify.
    pub seq: i64,
    /// Its id, when the event exists.
    pub event_id: Option<String>,
    /// `hash_mismatch` (the event was changed), `prev_hash_mismatch` (it does not point at
    /// its predecessor), `sequence_gap` (an event was removed), `head_mismatch` (the newest
    /// events were removed or the head was rewritten), `unsigned` (the event was written
    /// without the audit key) or `signature_invalid` (the event was appended, or rewritten with
    /// every later hash recomputed, by someone without the audit key); against the published
    /// checkpoints: `behind_checkpoint` (the chain ends before a checkpoint: its newest events
    /// were removed or the head rolled back), `checkpoint_mismatch` (the event at a checkpoint
    /// has another hash: the chain was rewritten) or `checkpoint_signature_invalid` (a
    /// checkpoint not signed by the audit key); and against the point the last verification
    /// reached: `verified_point_mismatch` (that event is gone or has another hash) or
    /// `verified_state_invalid` (the remembered point was changed without the audit key).
    #[schema(example = "hash_mismatch")]
    pub problem: String,
}

/// The result of verifying the chain: from the point the last verification found sound (or
/// from the first event), and against the published checkpoints.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerificationView {
    /// True when every link holds and the chain matches every checkpoint compared.
    pub valid: bool,
    /// The sequence number verification resumed after (`0`: from the first event). Events up
    /// to it were verified before; a full re-verification job checks them again.
    pub from_seq: i64,
    /// How many events verified in this run before the first broken link (or in all).
    pub checked: u64,
    /// The last verified sequence number.
    pub last_seq: i64,
    /// The hash of the last verified event.
    pub last_hash: String,
    /// The first broken link, if any.
    pub first_broken: Option<BrokenLink>,
    /// The public Ed25519 key (hex) every event's signature is checked with: pin it, and
    /// compare.
    #[schema(example = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")]
    pub signing_key: String,
    /// When the verification ran.
    pub verified_at: DateTime<FixedOffset>,
    /// The comparison with the published checkpoints.
    pub checkpoints: CheckpointComparison,
}

/// One published checkpoint of the audit chain: its head at a moment, signed by the audit key.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckpointView {
    /// The sequence number of the chain's last event then.
    pub seq: i64,
    /// That event's hash (hex).
    pub hash: String,
    /// When it was taken (RFC 3339, UTC, microseconds), exactly as signed.
    #[schema(example = "2026-11-28T03:15:02.123456Z")]
    pub time: String,
    /// The first 16 hex digits of the SHA-256 of the public key.
    pub key_id: String,
    /// The public Ed25519 key (hex) the checkpoint names; trust only the one you pinned.
    pub public_key: String,
    /// Ed25519 signature (hex) of `guwen-audit-checkpoint\n{seq}\n{hash}\n{time}`.
    pub signature: String,
}

impl From<guwen_persistence::checkpoint::Checkpoint> for CheckpointView {
    fn from(c: guwen_persistence::checkpoint::Checkpoint) -> Self {
        Self {
            seq: c.seq,
            hash: c.hash,
            time: c.time,
            key_id: c.key_id,
            public_key: c.public_key,
            signature: c.signature,
        }
    }
}

/// How the chain compares with the published checkpoints.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckpointComparison {
    /// How many checkpoints are published.
    pub published: u64,
    /// How many were compared with the chain (those after the point verification resumed
    /// from, and the newest).
    pub compared: u64,
    /// The newest checkpoint's sequence number.
    pub latest_seq: Option<i64>,
    /// Lines of the checkpoint file that are not a checkpoint (a last line torn by a crash),
    /// by line number: skipped.
    pub unreadable_lines: Vec<u64>,
}

/// One full re-verification of the audit chain, run in the background.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerificationJobView {
    pub id: String,
    /// `running`, `succeeded` (every link and every checkpoint holds) or `failed` (see
    /// `first_broken`).
    #[schema(example = "running")]
    pub state: String,
    /// Who started it (token subject).
    pub started_by: String,
    pub started_at: DateTime<FixedOffset>,
    /// When its progress was last recorded.
    pub updated_at: DateTime<FixedOffset>,
    pub finished_at: Option<DateTime<FixedOffset>>,
    /// How many events the chain held when it started (more when it grew meanwhile).
    pub total: i64,
    /// How many events were verified so far.
    pub verified: i64,
    /// The last verified sequence number.
    pub last_seq: i64,
    /// How many times it was taken over after the replica running it stopped.
    pub resumed: i32,
    /// The first broken link, when it failed.
    pub first_broken: Option<BrokenLink>,
}

impl From<guwen_persistence::verification::VerificationJob> for VerificationJobView {
    fn from(j: guwen_persistence::verification::VerificationJob) -> Self {
        Self {
            first_broken: j.problem.map(|problem| BrokenLink {
                seq: j.broken_seq.unwrap_or_default(),
                event_id: j.broken_event_id,
                problem,
            }),
            id: j.id,
            state: j.state,
            started_by: j.started_by,
            started_at: to_cst(j.started_at),
            updated_at: to_cst(j.updated_at),
            finished_at: j.finished_at.map(to_cst),
            total: j.total,
            verified: j.verified,
            last_seq: j.last_seq,
            resumed: j.resumed,
        }
    }
}

/// The request starting a full re-verification (nothing to choose yet).
#[derive(Debug, Default, Deserialize, Serialize, ToSchema, validator::Validate)]
#[serde(deny_unknown_fields)]
pub struct VerificationJobRequest {}
