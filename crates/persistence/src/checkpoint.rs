//! Signed checkpoints of the audit chain, published outside the database, and what
//! verifications remember (DOMAIN.md §6).
//!
//! A checkpoint is the chain's head (sequence number and hash) at a moment, signed by the audit
//! key over `guwen-audit-checkpoint\n{seq}\n{hash}\n{time}`. It is appended to a sink outside
//! the database (a JSON-lines file, fsynced): whoever can rewrite the database cannot take a
//! published checkpoint back, so removing the newest events and rolling the head back to an
//! older signed state — which the chain alone cannot tell from a shorter history — no longer
//! matches a later checkpoint. The replicas share one row (`audit_checkpoint_state`) naming the
//! last one published: the replica that locks it first publishes, the others find it done.
//!
//! What verifications remember, and the re-verification jobs, are in [`crate::verification`].

use std::{
    future::Future,
    io::{Read, Seek, SeekFrom, Write},
    path::PathBuf,
    pin::Pin,
};

use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::{Signature, Signer, Verifier, VerifyingKey};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
    sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{
    audit::{AuditSigner, truncate_to_micros},
    entity::{audit_checkpoint_state, audit_event, audit_head},
};

/// One published checkpoint, as one line of the checkpoint file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The sequence number of the chain's last event.
    pub seq: i64,
    /// That event's hash.
    pub hash: String,
    /// When it was taken (RFC 3339, UTC, microseconds), as signed.
    pub time: String,
    /// The first 16 hex digits of the SHA-256 of the public key.
    pub key_id: String,
    /// The public key (hex) that verifies `signature`.
    pub public_key: String,
    /// Ed25519 signature (hex) of `guwen-audit-checkpoint\n{seq}\n{hash}\n{time}`.
    pub signature: String,
}

/// What a checkpoint's signature covers.
fn checkpoint_message(seq: i64, hash: &str, time: &str) -> String {
    format!("guwen-audit-checkpoint\n{seq}\n{hash}\n{time}")
}

/// The key id of a public key: the first 16 hex digits of its SHA-256.
pub fn key_id(key: &VerifyingKey) -> String {
    let digest = Sha256::digest(key.as_bytes());
    hex::encode(digest)[..16].to_owned()
}

pub(crate) fn signature_holds(key: &VerifyingKey, message: &str, signature: &str) -> bool {
    let Ok(bytes) = hex::decode(signature) else {
        return false;
    };
    let Ok(bytes) = <[u8; 64]>::try_from(bytes.as_slice()) else {
        return false;
    };
    key.verify(message.as_bytes(), &Signature::from_bytes(&bytes))
        .is_ok()
}

impl AuditSigner {
    /// The checkpoint of the head `seq`/`hash` at `now`, signed.
    pub fn checkpoint(&self, seq: i64, hash: &str, now: DateTime<Utc>) -> Checkpoint {
        let time = truncate_to_micros(now).to_rfc3339_opts(SecondsFormat::Micros, true);
        let signature = self.sign(&checkpoint_message(seq, hash, &time));
        Checkpoint {
            seq,
            hash: hash.to_owned(),
            time,
            key_id: key_id(&self.verifying_key()),
            public_key: self.public_key_hex(),
            signature,
        }
    }

    pub(crate) fn sign(&self, message: &str) -> String {
        hex::encode(self.signing_key().sign(message.as_bytes()).to_bytes())
    }
}

impl Checkpoint {
    /// Whether `key` signed this checkpoint (the public key it names is not trusted).
    pub fn holds(&self, key: &VerifyingKey) -> bool {
        signature_holds(
            key,
            &checkpoint_message(self.seq, &self.hash, &self.time),
            &self.signature,
        )
    }
}

/// The checkpoints read back from a sink, and the lines that were not checkpoints (a torn last
/// line after a crash, or garbage), by line number.
#[derive(Debug, Clone, Default)]
pub struct CheckpointLog {
    pub checkpoints: Vec<Checkpoint>,
    pub unreadable_lines: Vec<usize>,
}

/// An error of the sink (the file system, later an object store).
pub type SinkError = std::io::Error;

/// A boxed future of a sink (the trait stays object-safe).
pub type SinkFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, SinkError>> + Send + 'a>>;

/// Where checkpoints are published, outside the database: append-only.
pub trait CheckpointSink: Send + Sync {
    /// Appends one checkpoint durably (returns once it is on stable storage).
    fn publish<'a>(&'a self, checkpoint: &'a Checkpoint) -> SinkFuture<'a, ()>;
    /// Every checkpoint published so far, oldest first.
    fn read_all(&self) -> SinkFuture<'_, CheckpointLog>;
    /// Where it is, for messages.
    fn describe(&self) -> String;
}

/// Checkpoints appended as JSON lines to a file, each write followed by `fsync`.
#[derive(Debug, Clone)]
pub struct FileSink {
    pub path: PathBuf,
}

impl FileSink {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    fn append(&self, line: &str) -> Result<(), SinkError> {
        if let Some(dir) = self.path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(&self.path)?;
        // A write torn by a crash leaves a last line without its newline: start on a new line
        // so the torn one stays alone (and is skipped by readers).
        let len = file.metadata()?.len();
        let mut text = String::with_capacity(line.len() + 2);
        if len > 0 {
            let mut last = [0u8; 1];
            file.seek(SeekFrom::Start(len - 1))?;
            file.read_exact(&mut last)?;
            if last[0] != b'\n' {
                text.push('\n');
            }
        }
        text.push_str(line);
        text.push('\n');
        file.write_all(text.as_bytes())?;
        file.sync_data()
    }

    /// Reads a checkpoint file: every line that parses, and the numbers of those that do not.
    pub fn read_path(path: &std::path::Path) -> Result<CheckpointLog, SinkError> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(CheckpointLog::default());
            }
            Err(e) => return Err(e),
        };
        Ok(parse_log(&bytes))
    }
}

/// Parses JSON lines of checkpoints, skipping (and numbering) the lines that are not one.
pub fn parse_log(bytes: &[u8]) -> CheckpointLog {
    let mut log = CheckpointLog::default();
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Checkpoint>(line) {
            Ok(c) => log.checkpoints.push(c),
            Err(_) => log.unreadable_lines.push(i + 1),
        }
    }
    log
}

impl CheckpointSink for FileSink {
    fn publish<'a>(&'a self, checkpoint: &'a Checkpoint) -> SinkFuture<'a, ()> {
        Box::pin(async move {
            let line = serde_json::to_string(checkpoint).map_err(std::io::Error::other)?;
            let sink = self.clone();
            tokio::task::spawn_blocking(move || sink.append(&line))
                .await
                .map_err(std::io::Error::other)?
        })
    }

    fn read_all(&self) -> SinkFuture<'_, CheckpointLog> {
        Box::pin(async move {
            let path = self.path.clone();
            tokio::task::spawn_blocking(move || FileSink::read_path(&path))
                .await
                .map_err(std::io::Error::other)?
        })
    }

    fn describe(&self) -> String {
        self.path.display().to_string()
    }
}

/// Why a checkpoint could not be published.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("cannot publish the audit checkpoint to {0}: {1}")]
    Sink(String, SinkError),
}

/// When a checkpoint is due: after `every_events` new events, or `every_secs` after the last
/// one while the chain has grown.
#[derive(Debug, Clone, Copy)]
pub struct Cadence {
    pub every_events: u64,
    pub every_secs: u64,
}

/// Publishes a checkpoint of the chain's committed head if one is due, and records it as the
/// last published. Replicas queue on the state row's lock, so one publishes each.
///
/// The sink is written (and synced) before the state row commits: a crash in between leaves a
/// checkpoint the row does not name, and the next one is published again — never a row naming
/// a checkpoint that is not out. Writers of audit events are not held up: only the state row
/// is locked.
pub async fn publish_due(
    db: &sea_orm::DatabaseConnection,
    signer: &AuditSigner,
    sink: &dyn CheckpointSink,
    cadence: Cadence,
    now: DateTime<Utc>,
) -> Result<Option<Checkpoint>, PublishError> {
    let tx = db.begin().await?;
    audit_checkpoint_state::Entity::update_many()
        .col_expr(
            audit_checkpoint_state::Column::LastSeq,
            Expr::col(audit_checkpoint_state::Column::LastSeq),
        )
        .filter(audit_checkpoint_state::Column::Id.eq(1))
        .exec(&tx)
        .await?;
    let state = audit_checkpoint_state::Entity::find_by_id(1)
        .one(&tx)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_checkpoint_state".into()))?;
    let head = audit_head::Entity::find_by_id(1)
        .one(&tx)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_head".into()))?;
    let grown = head.seq - state.last_seq;
    let due = grown > 0
        && (grown as u64 >= cadence.every_events
            || state.published_at.is_none_or(|at| {
                (now - at).num_milliseconds() >= (cadence.every_secs as i64) * 1000
            }));
    if !due {
        tx.rollback().await?;
        return Ok(None);
    }
    let checkpoint = signer.checkpoint(head.seq, &head.last_hash, now);
    if let Err(e) = sink.publish(&checkpoint).await {
        tx.rollback().await?;
        return Err(PublishError::Sink(sink.describe(), e));
    }
    audit_checkpoint_state::Entity::update_many()
        .col_expr(
            audit_checkpoint_state::Column::LastSeq,
            Expr::value(head.seq),
        )
        .col_expr(
            audit_checkpoint_state::Column::LastHash,
            Expr::value(head.last_hash.clone()),
        )
        .col_expr(
            audit_checkpoint_state::Column::PublishedAt,
            Expr::value(truncate_to_micros(now)),
        )
        .filter(audit_checkpoint_state::Column::Id.eq(1))
        .exec(&tx)
        .await?;
    tx.commit().await?;
    Ok(Some(checkpoint))
}

/// What a checkpoint says that the database does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckpointBreak {
    /// The chain ends before the checkpoint: its tail was removed, or the head rolled back.
    BehindCheckpoint,
    /// The event at the checkpoint's sequence number has another hash: the chain was rewritten.
    CheckpointMismatch,
    /// The checkpoint is not signed by the audit key (forged, or another key's).
    CheckpointSignatureInvalid,
}

impl CheckpointBreak {
    pub fn code(self) -> &'static str {
        match self {
            CheckpointBreak::BehindCheckpoint => "behind_checkpoint",
            CheckpointBreak::CheckpointMismatch => "checkpoint_mismatch",
            CheckpointBreak::CheckpointSignatureInvalid => "checkpoint_signature_invalid",
        }
    }
}

/// The comparison of the database with a list of checkpoints.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckpointCheck {
    /// How many checkpoints were compared.
    pub checked: u64,
    /// The newest checkpoint's sequence number.
    pub latest_seq: Option<i64>,
    /// The first checkpoint (in sequence order) that does not match, and why.
    pub first_mismatch: Option<(i64, CheckpointBreak)>,
}

/// Compares the stored events with every checkpoint in `checkpoints` whose sequence number is
/// above `after` (all with `0`) and with the newest one: each must be signed by `key`, and the
/// event at its sequence number must exist with its hash.
pub async fn check_checkpoints<C: ConnectionTrait>(
    db: &C,
    key: &VerifyingKey,
    checkpoints: &[Checkpoint],
    after: i64,
) -> Result<CheckpointCheck, DbErr> {
    let latest_seq = checkpoints.iter().map(|c| c.seq).max();
    let mut chosen: Vec<&Checkpoint> = checkpoints
        .iter()
        .filter(|c| c.seq > after || Some(c.seq) == latest_seq)
        .collect();
    chosen.sort_by_key(|c| c.seq);
    let mut check = CheckpointCheck {
        checked: 0,
        latest_seq,
        first_mismatch: None,
    };
    for batch in chosen.chunks(500) {
        let seqs: Vec<i64> = batch.iter().map(|c| c.seq).collect();
        let stored: std::collections::HashMap<i64, String> = audit_event::Entity::find()
            .select_only()
            .column(audit_event::Column::Seq)
            .column(audit_event::Column::Hash)
            .filter(audit_event::Column::Seq.is_in(seqs))
            .into_tuple::<(i64, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        for c in batch {
            check.checked += 1;
            let problem = if !c.holds(key) {
                Some(CheckpointBreak::CheckpointSignatureInvalid)
            } else {
                match stored.get(&c.seq) {
                    None => Some(CheckpointBreak::BehindCheckpoint),
                    Some(hash) if *hash != c.hash => Some(CheckpointBreak::CheckpointMismatch),
                    Some(_) => None,
                }
            };
            if let Some(problem) = problem
                && check.first_mismatch.is_none()
            {
                check.first_mismatch = Some((c.seq, problem));
            }
        }
    }
    Ok(check)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_holds_for_its_fields_and_key_only() {
        let signer = AuditSigner::from_seed(&[7; 32]);
        let other = AuditSigner::from_seed(&[8; 32]);
        let c = signer.checkpoint(12, &"ab".repeat(32), Utc::now());
        assert!(c.holds(&signer.verifying_key()));
        assert!(!c.holds(&other.verifying_key()));
        let mut moved = c.clone();
        moved.seq = 11;
        assert!(!moved.holds(&signer.verifying_key()));
        assert_eq!(c.key_id.len(), 16);
    }

    #[test]
    fn a_torn_last_line_is_skipped_and_the_next_checkpoint_starts_a_new_line() {
        let dir = std::env::temp_dir().join(format!("guwen-cp-{}", uuid::Uuid::now_v7()));
        let sink = FileSink::new(dir.join("checkpoints.jsonl"));
        let signer = AuditSigner::from_seed(&[7; 32]);
        let first = signer.checkpoint(1, &"ab".repeat(32), Utc::now());
        sink.append(&serde_json::to_string(&first).unwrap())
            .unwrap();
        // A crash in the middle of the second write.
        let second =
            serde_json::to_string(&signer.checkpoint(2, &"cd".repeat(32), Utc::now())).unwrap();
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&sink.path)
            .unwrap();
        file.write_all(&second.as_bytes()[..40]).unwrap();
        drop(file);
        let log = FileSink::read_path(&sink.path).unwrap();
        assert_eq!(log.checkpoints, vec![first.clone()]);
        assert_eq!(log.unreadable_lines, vec![2]);
        let third = signer.checkpoint(3, &"ef".repeat(32), Utc::now());
        sink.append(&serde_json::to_string(&third).unwrap())
            .unwrap();
        let log = FileSink::read_path(&sink.path).unwrap();
        assert_eq!(log.checkpoints, vec![first, third]);
        assert_eq!(log.unreadable_lines, vec![2]);
        std::fs::remove_dir_all(dir).ok();
    }
}
