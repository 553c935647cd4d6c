//! This replica's writers: they take turns, and the changes of the writers that queued while
//! one transaction was open commit together with it (group commit).
//!
//! Every write locks the audit chain's head first, so writes are serialised across the whole
//! database, and each commit waits for the disk (an `fdatasync` of 2–3 ms on the development
//! machines). One commit per write would cap every replica together at a few hundred writes a
//! second. Instead:
//!
//! - A writer takes its turn (in arrival order) and, when no transaction is open, begins one
//!   ([`begin_write`]), runs its work in it and, if the work keeps its changes, leaves the
//!   transaction open for the writers queued behind it: it gives up its turn and queues again.
//! - A writer whose turn comes while a transaction is open runs its work in it, inside a
//!   savepoint: work that fails (or discards its changes) rolls back to the savepoint and
//!   leaves the others' changes untouched.
//! - When the first writer's turn comes back, every writer that queued before it has run: it
//!   commits once for all of them and re-reads the change sequence once (so this replica's
//!   later reads and its cache see the group's changes), and each answers only after that. If
//!   the commit fails, none of their changes is written and each of them fails.
//!
//! So no answer reports a change that is not committed, a change and its audit event still
//! commit together or not at all, and a write that fails leaves nothing behind. A writer that
//! is abandoned half-way (its client went away) rolls back to its savepoint; a first writer
//! abandoned before it commits fails the whole group, which then writes nothing; once the
//! commit has begun, it finishes and the group learns its outcome either way.

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicBool, Ordering},
};

use guwen_persistence::{
    audit::{begin_nested, begin_write},
    store::Tx,
};
use tokio::sync::watch;

use crate::{changes::ChangeWatch, http::error::ApiError};

/// What a writer's work decided.
pub enum Outcome<T> {
    /// Keep the changes: the answer is given once they are committed.
    Keep(T),
    /// Leave nothing: the changes are rolled back and the answer is given at once.
    Discard(T),
}

/// The writers of this replica, the transaction they share (if one is open), and the change
/// sequence their commits move.
#[derive(Debug)]
pub struct Writers {
    turn: tokio::sync::Mutex<()>,
    open: Mutex<Option<Arc<Group>>>,
    changes: Arc<ChangeWatch>,
}

/// An open transaction and the news of its commit: `None` until it ends, then whether it
/// committed.
#[derive(Debug)]
struct Group {
    tx: Tx,
    ended: watch::Sender<Option<bool>>,
    /// A savepoint could not be released or rolled back: the transaction's state is unknown,
    /// so it must not be committed.
    broken: AtomicBool,
}

/// The first writer's hold on its group: dropped before the group is committed (the writer
/// was abandoned, or the commit could not start), it closes the group as failed, so nobody
/// joins it or waits for it any more; its transaction rolls back when the last holder lets go.
struct Lead<'a> {
    writers: &'a Writers,
    group: Option<Arc<Group>>,
}

impl Drop for Lead<'_> {
    fn drop(&mut self) {
        if let Some(group) = self.group.take() {
            self.writers.close(&group);
            group.ended.send_replace(Some(false));
        }
    }
}

impl Writers {
    pub fn new(changes: Arc<ChangeWatch>) -> Self {
        Self {
            turn: tokio::sync::Mutex::default(),
            open: Mutex::default(),
            changes,
        }
    }

    fn open_group(&self) -> Option<Arc<Group>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Stops writers from joining `group` (if it is still the open one).
    fn close(&self, group: &Arc<Group>) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if open.as_ref().is_some_and(|g| Arc::ptr_eq(g, group)) {
            *open = None;
        }
    }

    /// Runs `work` in a writing transaction, in this writer's turn: a new one, or the one
    /// open for the writers queued now (see the module's documentation).
    pub async fn run<T, F>(&self, db: &guwen_persistence::Db, work: F) -> Result<T, ApiError>
    where
        F: AsyncFnOnce(&Tx) -> Result<Outcome<T>, ApiError>,
    {
        let turn = self.turn.lock().await;
        if let Some(group) = self.open_group() {
            let mut ended = group.ended.subscribe();
            let broken = |e| {
                group.broken.store(true, Ordering::Release);
                ApiError::from(e)
            };
            let savepoint = begin_nested(&group.tx).await.map_err(broken)?;
            let value = match work(&savepoint).await {
                Ok(Outcome::Keep(value)) => {
                    savepoint.commit().await.map_err(broken)?;
                    value
                }
                Ok(Outcome::Discard(value)) => {
                    savepoint.rollback().await.map_err(broken)?;
                    return Ok(value);
                }
                Err(e) => {
                    savepoint.rollback().await.map_err(broken)?;
                    return Err(e);
                }
            };
            drop(group);
            drop(turn);
            // The first writer commits when its turn comes back; a dropped sender is a
            // group that ended without committing.
            let committed = match ended.wait_for(Option::is_some).await {
                Ok(ended) => ended.unwrap_or(false),
                Err(_) => false,
            };
            return if committed {
                Ok(value)
            } else {
                Err(ApiError::internal(
                    "the transaction this change was part of did not commit; nothing was written",
                ))
            };
        }
        let tx = begin_write(db).await?;
        let value = match work(&tx).await {
            Ok(Outcome::Keep(value)) => value,
            Ok(Outcome::Discard(value)) => {
                tx.rollback().await?;
                return Ok(value);
            }
            Err(e) => {
                tx.rollback().await?;
                return Err(e);
            }
        };
        let group = Arc::new(Group {
            tx,
            ended: watch::Sender::new(None),
            broken: AtomicBool::new(false),
        });
        *self.open.lock().unwrap_or_else(|p| p.into_inner()) = Some(group.clone());
        let mut lead = Lead {
            writers: self,
            group: Some(group),
        };
        drop(turn);
        // Everyone who queued meanwhile runs in the group before this turn comes back.
        let turn = self.turn.lock().await;
        let Some(group) = lead.group.take() else {
            return Err(ApiError::internal("the group of writers was lost"));
        };
        self.close(&group);
        // Nobody else holds the group now: writers hold it only during their turn.
        let group = match Arc::try_unwrap(group) {
            Ok(group) => group,
            Err(group) => {
                lead.group = Some(group);
                return Err(ApiError::internal("the group of writers is still in use"));
            }
        };
        if group.broken.load(Ordering::Acquire) {
            let rolled_back = group.tx.rollback().await;
            drop(turn);
            group.ended.send_replace(Some(false));
            rolled_back?;
            return Err(ApiError::internal(
                "a change of this group of writers failed half-way; nothing was written",
            ));
        }
        let Group { tx, ended, .. } = group;
        let (db, changes) = (db.clone(), self.changes.clone());
        // The commit runs as a task of its own, so the group learns its outcome even if this
        // writer's request is abandoned while the commit is under way. The change sequence is
        // re-read before anyone answers: this replica's next read sees the group's changes.
        let committed = tokio::spawn(async move {
            let committed = tx.commit().await;
            if committed.is_ok() {
                changes.refresh(&db).await;
            }
            ended.send_replace(Some(committed.is_ok()));
            committed
        })
        .await
        .map_err(ApiError::internal)?;
        drop(turn);
        committed?;
        Ok(value)
    }
}
