//! What every handler shares: the pool, the token verifier and the revoked tokens, the access
//! table, metrics, configuration and the clock.

use std::sync::Arc;

use guwen_persistence::{Db, audit::AuditSigner, checkpoint::CheckpointSink};

use crate::{
    auth::{Revocations, Verifier},
    changes::{ChangeWatch, cache::ViewCache},
    clock::Clock,
    config::Config,
    http::{access::AccessTable, middleware::Metrics},
};

/// The shared application state (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub verifier: Verifier,
    pub revocations: Arc<Revocations>,
    /// The Ed25519 key that signs the audit chain's head (`GUWEN_AUDIT_KEY`).
    pub audit_signer: AuditSigner,
    /// Where the audit chain's signed checkpoints are published (`GUWEN_AUDIT_CHECKPOINTS`).
    pub checkpoint_sink: Arc<dyn CheckpointSink>,
    pub access: Arc<AccessTable>,
    pub metrics: Arc<Metrics>,
    /// The latest change sequence this replica has seen.
    pub changes: Arc<ChangeWatch>,
    /// This replica's cache of `GET` answers.
    pub views: Arc<ViewCache>,
    /// This replica's writers queue here, in arrival order, before they open their
    /// transaction: a waiting writer holds no database connection (readers keep the pool),
    /// and on SQLite the one writer never meets another of this process at the file lock.
    /// Those queued while a transaction is open commit with it ([`crate::turn`]).
    pub writers: Arc<crate::turn::Writers>,
    /// The statements this replica has sent to the database.
    pub statements: guwen_persistence::db::StatementCounter,
    /// The public reads counted here since the last sync with the shared count.
    pub public_reads: Arc<crate::pipeline::throttle::PublicReads>,
    pub config: Arc<Config>,
    pub clock: Clock,
    /// Where attachments' bytes live (`GUWEN_OBJECT_STORE_URL`).
    pub files: crate::documents::storage::FileStore,
}
