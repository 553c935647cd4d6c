//! Verifying the chain: incrementally from the last point found sound, and against the
//! published checkpoints.

use guwen_domain::time::to_cst;
use guwen_persistence::{
    audit::{self, Anchor},
    checkpoint::{self, CheckpointCheck, CheckpointLog},
    verification,
};

use super::views::{BrokenLink, CheckpointComparison, VerificationView};
use crate::{http::error::ApiError, state::AppState};

/// Every checkpoint published so far (read before the chain, so that every one names events
/// already committed).
pub async fn published(state: &AppState) -> Result<CheckpointLog, ApiError> {
    let log = state.checkpoint_sink.read_all().await.map_err(|e| {
        ApiError::internal(format!(
            "cannot read the audit checkpoints at {}: {e}",
            state.checkpoint_sink.describe()
        ))
    })?;
    if !log.unreadable_lines.is_empty() {
        tracing::warn!(
            lines = ?log.unreadable_lines,
            sink = %state.checkpoint_sink.describe(),
            "skipped audit checkpoint lines that are not a checkpoint (a write torn by a crash?)"
        );
    }
    Ok(log)
}

fn link(seq: i64, event_id: Option<String>, problem: &str) -> BrokenLink {
    BrokenLink {
        seq,
        event_id,
        problem: problem.to_owned(),
    }
}

/// The comparison's view.
pub fn comparison(log: &CheckpointLog, check: &CheckpointCheck) -> CheckpointComparison {
    CheckpointComparison {
        published: log.checkpoints.len() as u64,
        compared: check.checked,
        latest_seq: check.latest_seq,
        unreadable_lines: log.unreadable_lines.iter().map(|l| *l as u64).collect(),
    }
}

/// The checkpoint mismatch as a broken link.
pub fn checkpoint_link(check: &CheckpointCheck) -> Option<BrokenLink> {
    check
        .first_mismatch
        .map(|(seq, problem)| link(seq, None, problem.code()))
}

/// Verifies the events after the last point a verification found sound (all of them when
/// that point was changed or its event is gone), then compares the chain with the published
/// checkpoints after it; remembers the new end when everything holds.
pub async fn incremental(state: &AppState) -> Result<VerificationView, ApiError> {
    let key = state.audit_signer.verifying_key();
    let log = published(state).await?;
    let remembered = verification::verified(&state.db, &key).await?;
    let mut anchor_problem = None;
    let from = if !remembered.signature_holds {
        anchor_problem = Some(link(remembered.anchor.seq, None, "verified_state_invalid"));
        Anchor::genesis()
    } else if remembered.anchor.seq > 0
        && audit::hash_at(&state.db, remembered.anchor.seq)
            .await?
            .as_deref()
            != Some(remembered.anchor.hash.as_str())
    {
        anchor_problem = Some(link(remembered.anchor.seq, None, "verified_point_mismatch"));
        Anchor::genesis()
    } else {
        remembered.anchor
    };
    let v = audit::verify_from(&state.db, Some(&key), &from).await?;
    let check = checkpoint::check_checkpoints(&state.db, &key, &log.checkpoints, from.seq).await?;
    let chain_break = v
        .first_broken
        .clone()
        .map(|(seq, event_id, b)| link(seq, event_id, b.code()));
    // A broken link first, then the published checkpoints (outside the database: the stronger
    // evidence), then the remembered point.
    let first_broken = chain_break
        .or_else(|| checkpoint_link(&check))
        .or(anchor_problem);
    if first_broken.is_none() {
        verification::remember_verified(
            &state.db,
            &state.audit_signer,
            &Anchor {
                seq: v.last_seq,
                hash: v.last_hash.clone(),
            },
            state.clock.now(),
            true,
        )
        .await?;
    }
    Ok(VerificationView {
        valid: first_broken.is_none(),
        from_seq: from.seq,
        checked: v.checked,
        last_seq: v.last_seq,
        last_hash: v.last_hash,
        first_broken,
        signing_key: state.audit_signer.public_key_hex(),
        verified_at: to_cst(state.clock.now()),
        checkpoints: comparison(&log, &check),
    })
}
