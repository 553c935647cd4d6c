//! What verifications of the audit chain remember and run (DOMAIN.md §6).
//!
//! A verification remembers the last point it found sound (`audit_verified_state`), signed by
//! the audit key so that a rewritten row is noticed, and the next one resumes from there. A
//! full re-verification runs as a job (`audit_verification_jobs`) whose progress any replica
//! reads, held by the replica running it under a lease that another takes over when it runs out.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ExprTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};

use crate::{
    audit::{Anchor, AuditSigner, VerifyingKey, truncate_to_micros},
    checkpoint::signature_holds,
    entity::{audit_verification_job, audit_verified_state},
};

pub use audit_verification_job::Model as VerificationJob;

/// What the remembered verification point's signature covers.
fn verified_message(seq: i64, hash: &str) -> String {
    format!("guwen-audit-verified\n{seq}\n{hash}")
}

/// The remembered verification point, and whether its signature holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub anchor: Anchor,
    /// False when the row was changed by someone without the audit key.
    pub signature_holds: bool,
    pub verified_at: Option<DateTime<Utc>>,
}

/// The last point of the chain a verification found sound (the genesis before any).
pub async fn verified<C: ConnectionTrait>(db: &C, key: &VerifyingKey) -> Result<Verified, DbErr> {
    let row = audit_verified_state::Entity::find_by_id(1).one(db).await?;
    Ok(match row {
        None => Verified {
            anchor: Anchor::genesis(),
            signature_holds: true,
            verified_at: None,
        },
        Some(row) => {
            let genesis = Anchor::genesis();
            let holds = match &row.signature {
                None => row.seq == genesis.seq && row.hash == genesis.hash,
                Some(s) => signature_holds(key, &verified_message(row.seq, &row.hash), s),
            };
            Verified {
                anchor: Anchor {
                    seq: row.seq,
                    hash: row.hash,
                },
                signature_holds: holds,
                verified_at: row.verified_at,
            }
        }
    })
}

/// Remembers `anchor` as verified (signed). With `only_forward`, a point behind the remembered
/// one is not written (a concurrent verification got further); without, it replaces it (a
/// full verification found a break before it).
pub async fn remember_verified<C: ConnectionTrait>(
    db: &C,
    signer: &AuditSigner,
    anchor: &Anchor,
    now: DateTime<Utc>,
    only_forward: bool,
) -> Result<(), DbErr> {
    let mut update = audit_verified_state::Entity::update_many()
        .col_expr(audit_verified_state::Column::Seq, Expr::value(anchor.seq))
        .col_expr(
            audit_verified_state::Column::Hash,
            Expr::value(anchor.hash.clone()),
        )
        .col_expr(
            audit_verified_state::Column::Signature,
            Expr::value(signer.sign(&verified_message(anchor.seq, &anchor.hash))),
        )
        .col_expr(
            audit_verified_state::Column::VerifiedAt,
            Expr::value(truncate_to_micros(now)),
        )
        .filter(audit_verified_state::Column::Id.eq(1));
    if only_forward {
        update = update.filter(audit_verified_state::Column::Seq.lte(anchor.seq));
    }
    update.exec(db).await?;
    Ok(())
}

/// Job states.
pub const JOB_RUNNING: &str = "running";
pub const JOB_SUCCEEDED: &str = "succeeded";
pub const JOB_FAILED: &str = "failed";

/// Records a new full verification job (in the caller's writing transaction).
pub async fn create_job<C: ConnectionTrait>(
    tx: &C,
    id: &str,
    started_by: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<VerificationJob, DbErr> {
    let total = crate::audit::change_sequence(tx).await?;
    let genesis = Anchor::genesis();
    let now = truncate_to_micros(now);
    let job = VerificationJob {
        id: id.to_owned(),
        state: JOB_RUNNING.into(),
        started_by: started_by.to_owned(),
        started_at: now,
        updated_at: now,
        finished_at: None,
        lease_until: Some(truncate_to_micros(lease_until)),
        total,
        verified: 0,
        last_seq: genesis.seq,
        last_hash: genesis.hash,
        broken_seq: None,
        broken_event_id: None,
        problem: None,
        resumed: 0,
    };
    audit_verification_job::Entity::insert(job.clone().into_active_model().reset_all())
        .exec_without_returning(tx)
        .await?;
    Ok(job)
}

/// One job.
pub async fn job<C: ConnectionTrait>(db: &C, id: &str) -> Result<Option<VerificationJob>, DbErr> {
    audit_verification_job::Entity::find_by_id(id.to_owned())
        .one(db)
        .await
}

/// Jobs, newest first, after the cursor `before` (a job id), at most `limit` (+1 to tell more).
pub async fn jobs<C: ConnectionTrait>(
    db: &C,
    before: Option<&str>,
    limit: u64,
) -> Result<(Vec<VerificationJob>, bool), DbErr> {
    let mut query = audit_verification_job::Entity::find();
    if let Some(before) = before {
        query = query.filter(audit_verification_job::Column::Id.lt(before.to_owned()));
    }
    let mut rows = query
        .order_by_desc(audit_verification_job::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    Ok((rows, more))
}

/// Takes over running jobs whose lease ran out (their replica stopped): the ids taken, each
/// now leased until `lease_until`.
pub async fn claim_abandoned_jobs(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Vec<String>, DbErr> {
    let now = truncate_to_micros(now);
    let stale: Vec<String> = audit_verification_job::Entity::find()
        .select_only()
        .column(audit_verification_job::Column::Id)
        .filter(audit_verification_job::Column::State.eq(JOB_RUNNING))
        .filter(audit_verification_job::Column::LeaseUntil.lt(now))
        .into_tuple::<String>()
        .all(db)
        .await?;
    let mut taken = Vec::new();
    for id in stale {
        let claimed = audit_verification_job::Entity::update_many()
            .col_expr(
                audit_verification_job::Column::LeaseUntil,
                Expr::value(truncate_to_micros(lease_until)),
            )
            .col_expr(
                audit_verification_job::Column::Resumed,
                Expr::col(audit_verification_job::Column::Resumed).add(1),
            )
            .filter(audit_verification_job::Column::Id.eq(id.clone()))
            .filter(audit_verification_job::Column::State.eq(JOB_RUNNING))
            .filter(audit_verification_job::Column::LeaseUntil.lt(now))
            .exec(db)
            .await?;
        if claimed.rows_affected == 1 {
            taken.push(id);
        }
    }
    Ok(taken)
}

/// Records a job's progress (and renews its lease); false when the job is no longer running.
pub async fn record_progress<C: ConnectionTrait>(
    db: &C,
    id: &str,
    reached: &Anchor,
    verified: i64,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let done = audit_verification_job::Entity::update_many()
        .col_expr(
            audit_verification_job::Column::LastSeq,
            Expr::value(reached.seq),
        )
        .col_expr(
            audit_verification_job::Column::LastHash,
            Expr::value(reached.hash.clone()),
        )
        .col_expr(
            audit_verification_job::Column::Verified,
            Expr::value(verified),
        )
        .col_expr(
            audit_verification_job::Column::UpdatedAt,
            Expr::value(truncate_to_micros(now)),
        )
        .col_expr(
            audit_verification_job::Column::LeaseUntil,
            Expr::value(truncate_to_micros(lease_until)),
        )
        .filter(audit_verification_job::Column::Id.eq(id.to_owned()))
        .filter(audit_verification_job::Column::State.eq(JOB_RUNNING))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// How a job ended.
#[derive(Debug, Clone)]
pub struct JobOutcome {
    pub total: i64,
    pub broken: Option<(i64, Option<String>, String)>,
}

/// Records the end of a job.
pub async fn finish_job<C: ConnectionTrait>(
    db: &C,
    id: &str,
    outcome: JobOutcome,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let (broken_seq, broken_event_id, problem) = match outcome.broken {
        Some((seq, event, problem)) => (Some(seq), event, Some(problem)),
        None => (None, None, None),
    };
    let state = if problem.is_some() {
        JOB_FAILED
    } else {
        JOB_SUCCEEDED
    };
    let now = truncate_to_micros(now);
    audit_verification_job::Entity::update_many()
        .col_expr(audit_verification_job::Column::State, Expr::value(state))
        .col_expr(
            audit_verification_job::Column::Total,
            Expr::value(outcome.total),
        )
        .col_expr(
            audit_verification_job::Column::BrokenSeq,
            Expr::value(broken_seq),
        )
        .col_expr(
            audit_verification_job::Column::BrokenEventId,
            Expr::value(broken_event_id),
        )
        .col_expr(
            audit_verification_job::Column::Problem,
            Expr::value(problem),
        )
        .col_expr(audit_verification_job::Column::UpdatedAt, Expr::value(now))
        .col_expr(audit_verification_job::Column::FinishedAt, Expr::value(now))
        .col_expr(
            audit_verification_job::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(audit_verification_job::Column::Id.eq(id.to_owned()))
        .filter(audit_verification_job::Column::State.eq(JOB_RUNNING))
        .exec(db)
        .await?;
    Ok(())
}
