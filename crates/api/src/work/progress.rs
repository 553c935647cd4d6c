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
