//! A task's state follows its assignments (Art. 7.6, 10, 11): after an assignment is
//! delivered, released or recused, the task's state is computed again.

use guwen_domain::{audit::AuditAction, work};
use guwen_persistence::{
    audit::Context,
    store::{Event, Tx, work as store},
};

use crate::prelude::*;

/// Recomputes and stores a task's state from its assignments, recording the change.
pub async fn refresh_task_state(tx: &Tx, ctx: &Context, task_id: &str) -> Result<(), ApiError> {
    let t = store::task_by_id(tx, task_id)
        .await?
        .ok_or_else(|| ApiError::internal("task vanished"))?;
    let counts = store::assignment_counts(tx, task_id).await?;
    let next = work::task_state_after_assignments(t.state, counts.active, counts.delivered);
    if next != t.state {
        let event = Event::new(AuditAction::TaskStateChanged, "task", &t.id);
        store::move_task(tx, ctx, &t.id, t.state, next, None, event).await?;
    }
    Ok(())
}

/// Art. 12, 13: an advisor who leaves office (dismissed or resigned) leaves their work: every
/// active assignment is released (its task needs an advisor again, which HRSS can assign) and
/// every invitation to a meeting not yet held is withdrawn, each with its event, in the
/// transaction that records the departure.
pub async fn release_on_leaving(
    tx: &Tx,
    ctx: &Context,
    advisor_id: &str,
    why: &str,
) -> Result<(), ApiError> {
    for a in store::active_assignments_of(tx, advisor_id).await? {
        let event = Event::new(AuditAction::AssignmentReleased, "assignment", &a.id)
            .before(a.state)
            .after(work::AssignmentState::Released)
            .reason(Some(why))
            .details(serde_json::json!({ "task_id": a.task_id, "advisor_id": advisor_id }));
        store::release_assignment(tx, ctx, &a.id, a.state, None, event).await?;
        refresh_task_state(tx, ctx, &a.task_id).await?;
    }
    for i in store::pending_invitations_of(tx, advisor_id, ctx.now).await? {
        let event = Event::new(AuditAction::InvitationWithdrawn, "meeting", &i.meeting_id)
            .reason(Some(why))
            .details(serde_json::json!({ "advisor_id": advisor_id }));
        store::withdraw_invitation(tx, ctx, &i.meeting_id, advisor_id, event).await?;
    }
    Ok(())
}
