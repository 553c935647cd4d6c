//! The full re-verification of the audit chain, as a background job: started by an auditor,
//! its progress kept in the database so that any replica reports it, and taken over by another
//! replica when the one running it stops (its lease runs out).

use actix_web::{HttpResponse, get, http::header, post, web};
use chrono::Duration;
use guwen_domain::audit::AuditAction;
use guwen_persistence::{
    audit::{self, Anchor, Event},
    checkpoint,
    verification::{self, JobOutcome},
};

use super::{
    verify::{checkpoint_link, published},
    views::{VerificationJobRequest, VerificationJobView},
};
use crate::{http::idempotency::REPLAYED, prelude::*};

const KIND: &str = "verification job";

/// How long a replica holds a job between two progress records.
pub const LEASE_SECS: i64 = 30;

/// Events verified between two progress records.
const BATCH: u64 = 1000;

/// Start a full re-verification
///
/// Starts a background job that recomputes the whole chain from the first event (every hash,
/// link and signature), compares it with every published checkpoint, and checks the point
/// incremental verifications resume from. Follow it at the returned `Location`. When it finds a
/// broken link, later incremental verifications resume from before it and report it too.
#[utoipa::path(
    operation_id = "startAuditVerificationJob",
    tag = "audit",
    security(("bearer" = ["auditor"])),
    params(IdempotencyKey),
    request_body = VerificationJobRequest,
    responses((status = 201, description = "The job, running", body = VerificationJobView, headers(("Location" = String, description = "The job's URL"))))
)]
#[post("/audit-events/verification-jobs")]
async fn start_audit_verification_job(
    call: Creating,
    body: ApiJson<VerificationJobRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let response = write_as(&call, &body.0, async |tx| {
        let id = uuid::Uuid::now_v7().to_string();
        let lease = ctx.now + Duration::seconds(LEASE_SECS);
        let job = verification::create_job(tx, &id, call.caller.sub(), ctx.now, lease).await?;
        audit::append(
            tx,
            &ctx,
            Event::new(
                AuditAction::AuditVerificationStarted,
                "audit_verification_job",
                &id,
            )
            .details(serde_json::json!({ "total": job.total })),
        )
        .await?;
        Ok(Created::at(
            format!("/api/v1/audit-events/verification-jobs/{id}"),
            VerificationJobView::from(job),
        ))
    })
    .await?;
    // A retry answered from the first response started nothing new.
    let replayed = response.headers().contains_key(REPLAYED);
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .and_then(|l| l.rsplit('/').next())
        .map(str::to_owned);
    if response.status().is_success()
        && !replayed
        && let Some(id) = location
    {
        spawn_run(call.state.get_ref().clone(), id);
    }
    Ok(response)
}

/// Get a re-verification job
///
/// Its state and progress (verified events out of the total), and what it found.
#[utoipa::path(
    operation_id = "getAuditVerificationJob",
    tag = "audit",
    security(("bearer" = ["auditor", "hrss"])),
    params(("id" = String, Path, description = "Job id")),
    responses((status = 200, description = "The job", body = VerificationJobView))
)]
#[get("/audit-events/verification-jobs/{id}")]
async fn get_audit_verification_job(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let job = verification::job(&state.db, &id)
        .await?
        .ok_or_else(|| ApiError::not_found(KIND))?;
    Ok(HttpResponse::Ok().json(VerificationJobView::from(job)))
}

/// List re-verification jobs
///
/// The full re-verification jobs, newest first.
#[utoipa::path(
    operation_id = "listAuditVerificationJobs",
    tag = "audit",
    security(("bearer" = ["auditor", "hrss"])),
    params(PageParams),
    responses((status = 200, description = "A page of jobs", body = Page<VerificationJobView>))
)]
#[get("/audit-events/verification-jobs")]
async fn list_audit_verification_jobs(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const LIST: &str = "audit_verification_jobs";
    let before = page.cursor::<String>(LIST)?;
    let (rows, more) = verification::jobs(&state.db, before.as_deref(), page.limit()?).await?;
    let next_cursor = if more {
        rows.last()
            .map(|j| crate::http::pagination::encode_cursor(LIST, &j.id))
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(Page {
        items: rows
            .into_iter()
            .map(VerificationJobView::from)
            .collect::<Vec<_>>(),
        next_cursor,
    }))
}

/// Runs job `id` in the background (until it ends, or another run took it over).
pub fn spawn_run(state: AppState, id: String) {
    tokio::spawn(async move {
        if let Err(e) = run(&state, &id).await {
            tracing::warn!(job = %id, error = %e, "audit verification job stopped; another replica takes it over when its lease runs out");
        }
    });
}

/// Takes over the jobs whose replica stopped, and runs them here.
pub async fn resume_abandoned(state: &AppState) -> Result<usize, ApiError> {
    let now = state.clock.now();
    let taken =
        verification::claim_abandoned_jobs(&state.db, now, now + Duration::seconds(LEASE_SECS))
            .await?;
    let n = taken.len();
    for id in taken {
        tracing::info!(job = %id, "taking over an audit verification job whose replica stopped");
        spawn_run(state.clone(), id);
    }
    Ok(n)
}

/// Verifies from where the job got to, recording its progress every [`BATCH`] events.
pub async fn run(state: &AppState, id: &str) -> Result<(), ApiError> {
    let Some(job) = verification::job(&state.db, id).await? else {
        return Ok(());
    };
    if job.state != verification::JOB_RUNNING {
        return Ok(());
    }
    let key = state.audit_signer.verifying_key();
    let log = published(state).await?;
    let mut at = Anchor {
        seq: job.last_seq,
        hash: job.last_hash.clone(),
    };
    let mut verified = job.verified;
    let broken = loop {
        let stretch = audit::verify_stretch(&state.db, Some(&key), &at, BATCH).await?;
        verified += stretch.checked as i64;
        at = stretch.reached;
        if let Some((seq, event_id, b)) = stretch.broken {
            break Some((seq, event_id, b.code().to_owned()));
        }
        if stretch.done {
            if !audit::head_matches(&state.db, &at).await? {
                break Some((at.seq + 1, None, "head_mismatch".to_owned()));
            }
            break None;
        }
        let now = state.clock.now();
        let still_ours = verification::record_progress(
            &state.db,
            id,
            &at,
            verified,
            now,
            now + Duration::seconds(LEASE_SECS),
        )
        .await?;
        if !still_ours {
            return Ok(());
        }
        tokio::task::yield_now().await;
    };
    let now = state.clock.now();
    verification::record_progress(&state.db, id, &at, verified, now, now).await?;
    // Incremental verifications resume from the last sound point: before a broken link, so
    // that they report it too; the end of the chain when it holds (also replacing a remembered
    // point changed without the key, which the job reports). After a checkpoint mismatch the
    // remembered point stays: they compare the checkpoints after it, and report it too.
    let (broken, remember) = match broken {
        Some(b) => (Some(b), Some(false)),
        None => {
            let check = checkpoint::check_checkpoints(&state.db, &key, &log.checkpoints, 0).await?;
            let remembered = verification::verified(&state.db, &key).await?;
            match checkpoint_link(&check) {
                Some(l) => (Some((l.seq, l.event_id, l.problem)), None),
                None if !remembered.signature_holds => (
                    Some((
                        remembered.anchor.seq,
                        None,
                        "verified_state_invalid".to_owned(),
                    )),
                    Some(false),
                ),
                None => (None, Some(true)),
            }
        }
    };
    if let Some(only_forward) = remember {
        verification::remember_verified(&state.db, &state.audit_signer, &at, now, only_forward)
            .await?;
    }
    verification::finish_job(
        &state.db,
        id,
        JobOutcome {
            total: job.total.max(verified),
            broken,
        },
        now,
    )
    .await?;
    Ok(())
}
