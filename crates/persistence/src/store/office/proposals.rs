//! The three proposals the government decides (Art. 3, 12, 13) and the advisor each moves.
//!
//! They share one shape: a row opened for one advisor (and, for dismissal and resignation, the
//! advisor's status moved with it), then moved step by step to the government's decision
//! (by, at, reason). Each step is one compare-and-set on the proposal, one on the advisor when
//! it moves, and the step's one audit event (recorded on the advisor, as the trail shows it).

use chrono::NaiveDate;
use guwen_domain::{
    appointment::Term as NewTerm,
    office::{AdvisorStatus, DismissalGround, InactivityEvidence, ProposalState, ResignationState},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
};

use super::{Dismissal, Renewal, Resignation};
use crate::store::AdvisorScope;
use crate::{
    audit::{Context, truncate_to_micros},
    entity::{advisor, advisor_term, dismissal_proposal, renewal_proposal, resignation},
    store::{
        Event, PageOf, PageRequest, Stateful, StoreError, append, new_id, page_of, set_if_state,
        update_if_state,
    },
};

/// What the three proposal kinds share: the advisor they concern and the government's
/// decision (who, when, why).
pub trait Proposal: Stateful {
    fn advisor_id_column() -> Self::Column;
    /// The decision's columns: by the context's actor, now, for `reason`.
    fn decision(ctx: &Context, reason: String) -> Self::ActiveModel;
}

macro_rules! proposal {
    ($entity:ident) => {
        impl Proposal for $entity::Entity {
            fn advisor_id_column() -> $entity::Column {
                $entity::Column::AdvisorId
            }
            fn decision(ctx: &Context, reason: String) -> $entity::ActiveModel {
                $entity::ActiveModel {
                    decided_by: Set(Some(ctx.actor.sub.clone())),
                    decided_at: Set(Some(truncate_to_micros(ctx.now))),
                    decision_reason: Set(Some(reason)),
                    ..Default::default()
                }
            }
        }
    };
}

proposal!(dismissal_proposal);
proposal!(resignation);
proposal!(renewal_proposal);

/// One proposal by id.
pub async fn find<E: Proposal, C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> Result<Option<E::Model>, DbErr> {
    E::find().filter(E::id_column().eq(id)).one(db).await
}

/// A page of proposals of one kind within the scope, newest first, optionally of one advisor
/// or in one state (given as its code: an unknown one matches nothing).
pub async fn proposals<E: Proposal, C: ConnectionTrait>(
    db: &C,
    scope: &AdvisorScope,
    advisor_id: Option<&str>,
    state: Option<&str>,
    page: PageRequest<String>,
) -> Result<PageOf<E::Model, String>, DbErr> {
    let mut query = E::find().filter(scope.condition(E::advisor_id_column()));
    if let Some(a) = advisor_id {
        query = query.filter(E::advisor_id_column().eq(a));
    }
    if let Some(s) = state {
        query = query.filter(E::state_column().eq(s));
    }
    page_of(db, query, E::id_column(), page, E::id_of).await
}

/// The advisor's move that goes with a step.
struct Move {
    advisor_id: String,
    from: AdvisorStatus,
    to: AdvisorStatus,
    changes: advisor::ActiveModel,
}

impl Move {
    fn status(advisor_id: &str, from: AdvisorStatus, to: AdvisorStatus) -> Self {
        Self {
            advisor_id: advisor_id.to_owned(),
            from,
            to,
            changes: advisor::ActiveModel::default(),
        }
    }
}

/// Records the step's one event: with the advisor's move when there is one.
async fn record<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    advisor: Option<Move>,
    event: Event,
) -> Result<(), StoreError> {
    match advisor {
        Some(m) => {
            update_if_state::<advisor::Entity, C>(
                tx,
                ctx,
                &m.advisor_id,
                &[m.from],
                m.to,
                m.changes,
                event,
            )
            .await
        }
        None => Ok(append(tx, ctx, event).await?),
    }
}

/// Opens a proposal and moves its advisor, with the step's event; returns the new row.
async fn open<E: Proposal, C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    id: &str,
    row: E::ActiveModel,
    advisor: Option<Move>,
    event: Event,
) -> Result<E::Model, StoreError> {
    E::insert(row).exec_without_returning(tx).await?;
    record(tx, ctx, advisor, event).await?;
    reload::<E, C>(tx, id).await
}

/// Moves a proposal `from` → `to` with `changes` and its advisor with it, with the step's
/// event; returns the row as it now is.
#[allow(clippy::too_many_arguments)]
async fn step<E: Proposal, C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    id: &str,
    from: E::State,
    to: E::State,
    changes: E::ActiveModel,
    advisor: Option<Move>,
    event: Event,
) -> Result<E::Model, StoreError> {
    set_if_state::<E, C>(tx, ctx, id, (&[from], to), changes).await?;
    record(tx, ctx, advisor, event).await?;
    reload::<E, C>(tx, id).await
}

/// The government's decision `pending` → `to` with its reason.
async fn decide<E: Proposal, C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    id: &str,
    (from, to): (E::State, E::State),
    reason: String,
    advisor: Option<Move>,
    event: Event,
) -> Result<E::Model, StoreError> {
    let changes = E::decision(ctx, reason);
    step::<E, C>(tx, ctx, id, from, to, changes, advisor, event).await
}

async fn reload<E: Proposal, C: ConnectionTrait>(tx: &C, id: &str) -> Result<E::Model, StoreError> {
    find::<E, C>(tx, id)
        .await?
        .ok_or_else(|| StoreError::Db(DbErr::RecordNotFound(format!("{} {id}", E::OBJECT))))
}

// ---------------------------------------------------------------------------------------------
// Dismissal (Art. 12)
// ---------------------------------------------------------------------------------------------

/// HRSS's dismissal proposal.
#[derive(Debug, Clone)]
pub struct NewDismissal {
    pub id: String,
    pub advisor_id: String,
    pub ground: DismissalGround,
    pub evidence: String,
    /// For `inactive` (Art. 12.3): the computed evidence, kept as proposed.
    pub inactivity_evidence: Option<InactivityEvidence>,
}

/// Opens a dismissal proposal; the advisor (stored as `advisor_from`) becomes
/// `dismissal_proposed`.
pub async fn propose_dismissal<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    new: NewDismissal,
    advisor_from: AdvisorStatus,
    event: Event,
) -> Result<Dismissal, StoreError> {
    let evidence = new
        .inactivity_evidence
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::Db(DbErr::Json(e.to_string())))?;
    let row = dismissal_proposal::ActiveModel {
        id: Set(new.id.clone()),
        advisor_id: Set(new.advisor_id.clone()),
        ground: Set(new.ground),
        evidence: Set(new.evidence),
        inactivity_evidence: Set(evidence),
        state: Set(ProposalState::Pending),
        proposed_by: Set(ctx.actor.sub.clone()),
        proposed_at: Set(truncate_to_micros(ctx.now)),
        // The decision's columns stay empty until the government decides.
        ..Default::default()
    };
    let advisor = Move::status(
        &new.advisor_id,
        advisor_from,
        AdvisorStatus::DismissalProposed,
    );
    open::<dismissal_proposal::Entity, C>(tx, ctx, &new.id, row, Some(advisor), event).await
}

/// The government decides a pending dismissal proposal (`to`); the advisor leaves
/// `dismissal_proposed` for `advisor_to`.
pub async fn decide_dismissal<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    proposal: &Dismissal,
    (to, reason): (ProposalState, String),
    advisor_to: AdvisorStatus,
    event: Event,
) -> Result<Dismissal, StoreError> {
    let advisor = Move::status(
        &proposal.advisor_id,
        AdvisorStatus::DismissalProposed,
        advisor_to,
    );
    decide::<dismissal_proposal::Entity, C>(
        tx,
        ctx,
        &proposal.id,
        (ProposalState::Pending, to),
        reason,
        Some(advisor),
        event,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Resignation (Art. 13)
// ---------------------------------------------------------------------------------------------

/// The advisor's written resignation request.
#[derive(Debug, Clone)]
pub struct NewResignation {
    pub id: String,
    pub advisor_id: String,
    pub letter: String,
}

/// Records a resignation request; the advisor (stored as `advisor_from`) becomes
/// `resignation_requested`.
pub async fn request_resignation<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    new: NewResignation,
    advisor_from: AdvisorStatus,
    event: Event,
) -> Result<Resignation, StoreError> {
    let row = resignation::ActiveModel {
        id: Set(new.id.clone()),
        advisor_id: Set(new.advisor_id.clone()),
        letter: Set(new.letter),
        state: Set(ResignationState::Requested),
        requested_at: Set(truncate_to_micros(ctx.now)),
        // The proposal's, the decision's and the certificate's columns stay empty until then.
        ..Default::default()
    };
    let advisor = Move::status(
        &new.advisor_id,
        advisor_from,
        AdvisorStatus::ResignationRequested,
    );
    open::<resignation::Entity, C>(tx, ctx, &new.id, row, Some(advisor), event).await
}

/// HRSS proposes a requested resignation with its note; the advisor becomes
/// `resignation_proposed`.
pub async fn propose_resignation<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    r: &Resignation,
    note: String,
    event: Event,
) -> Result<Resignation, StoreError> {
    let changes = resignation::ActiveModel {
        proposed_by: Set(Some(ctx.actor.sub.clone())),
        proposed_at: Set(Some(truncate_to_micros(ctx.now))),
        proposal_note: Set(Some(note)),
        ..Default::default()
    };
    let advisor = Move::status(
        &r.advisor_id,
        AdvisorStatus::ResignationRequested,
        AdvisorStatus::ResignationProposed,
    );
    step::<resignation::Entity, C>(
        tx,
        ctx,
        &r.id,
        ResignationState::Requested,
        ResignationState::Proposed,
        changes,
        Some(advisor),
        event,
    )
    .await
}

/// The government's decision on a proposed resignation.
#[derive(Debug, Clone)]
pub struct ResignationDecision {
    pub to: ResignationState,
    pub reason: String,
    pub certificate_recovered: Option<bool>,
    pub certificate_note: Option<String>,
}

/// The government decides a proposed resignation; the advisor leaves `resignation_proposed`
/// for `advisor_to`.
pub async fn decide_resignation<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    r: &Resignation,
    decision: ResignationDecision,
    advisor_to: AdvisorStatus,
    event: Event,
) -> Result<Resignation, StoreError> {
    let mut changes = resignation::Entity::decision(ctx, decision.reason);
    changes.certificate_recovered = Set(decision.certificate_recovered);
    changes.certificate_note = Set(decision.certificate_note);
    let advisor = Move::status(
        &r.advisor_id,
        AdvisorStatus::ResignationProposed,
        advisor_to,
    );
    step::<resignation::Entity, C>(
        tx,
        ctx,
        &r.id,
        ResignationState::Proposed,
        decision.to,
        changes,
        Some(advisor),
        event,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Renewal (Art. 3)
// ---------------------------------------------------------------------------------------------

/// HRSS's renewal proposal.
#[derive(Debug, Clone)]
pub struct NewRenewal {
    pub id: String,
    pub advisor_id: String,
    pub years: i32,
    pub agreement_ref: String,
    pub certificate_no: String,
}

/// Opens a renewal proposal (the advisor's status does not change).
pub async fn propose_renewal<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    new: NewRenewal,
    event: Event,
) -> Result<Renewal, StoreError> {
    let row = renewal_proposal::ActiveModel {
        id: Set(new.id.clone()),
        advisor_id: Set(new.advisor_id),
        years: Set(new.years),
        agreement_ref: Set(new.agreement_ref),
        certificate_no: Set(new.certificate_no),
        state: Set(ProposalState::Pending),
        proposed_by: Set(ctx.actor.sub.clone()),
        proposed_at: Set(truncate_to_micros(ctx.now)),
        // The decision's columns stay empty until the government decides.
        ..Default::default()
    };
    open::<renewal_proposal::Entity, C>(tx, ctx, &new.id, row, None, event).await
}

/// The government approves a pending renewal: the new `term` is added to the history (a
/// certificate number already issued is [`StoreError::Duplicate`]); it becomes the advisor's
/// current one after a gap, or extends the office (`office_ends_on`, the advisor's before) when
/// it follows the current term; the advisor (stored as `advisor_from`) is active again.
pub async fn approve_renewal<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    r: &Renewal,
    (reason, term): (String, NewTerm),
    (advisor_from, advisor_office_ends_on): (AdvisorStatus, NaiveDate),
    event: Event,
) -> Result<Renewal, StoreError> {
    let decision = renewal_proposal::Entity::decision(ctx, reason);
    set_if_state::<renewal_proposal::Entity, C>(
        tx,
        ctx,
        &r.id,
        (&[ProposalState::Pending], ProposalState::Approved),
        decision,
    )
    .await?;
    let number = advisor_term::Entity::find()
        .filter(advisor_term::Column::AdvisorId.eq(r.advisor_id.clone()))
        .count(tx)
        .await?;
    advisor_term::Entity::insert(advisor_term::ActiveModel {
        id: Set(new_id()),
        advisor_id: Set(r.advisor_id.clone()),
        number: Set(i32::try_from(number + 1).unwrap_or(i32::MAX)),
        starts_on: Set(term.starts_on),
        ends_on: Set(term.ends_on),
        years: Set(r.years),
        agreement_ref: Set(r.agreement_ref.clone()),
        certificate_no: Set(r.certificate_no.clone()),
        recorded_at: Set(truncate_to_micros(ctx.now)),
    })
    .exec_without_returning(tx)
    .await?;
    // Art. 3: a term that follows the current one without a gap leaves the current term in
    // force until it ends (the history holds the next); after a gap the new term is current.
    let follows = term.starts_on == advisor_office_ends_on.succ_opt().unwrap_or(term.starts_on);
    let changes = if follows {
        advisor::ActiveModel {
            office_ends_on: Set(term.ends_on),
            ..Default::default()
        }
    } else {
        advisor::ActiveModel {
            term_starts_on: Set(term.starts_on),
            term_ends_on: Set(term.ends_on),
            term_years: Set(r.years),
            agreement_ref: Set(r.agreement_ref.clone()),
            certificate_no: Set(r.certificate_no.clone()),
            office_ends_on: Set(term.ends_on),
            ..Default::default()
        }
    };
    let advisor = Move {
        advisor_id: r.advisor_id.clone(),
        from: advisor_from,
        to: AdvisorStatus::Active,
        changes,
    };
    record(tx, ctx, Some(advisor), event).await?;
    reload::<renewal_proposal::Entity, C>(tx, &r.id).await
}

/// The government rejects a pending renewal (the advisor does not change).
pub async fn reject_renewal<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    r: &Renewal,
    reason: String,
    event: Event,
) -> Result<Renewal, StoreError> {
    decide::<renewal_proposal::Entity, C>(
        tx,
        ctx,
        &r.id,
        (ProposalState::Pending, ProposalState::Rejected),
        reason,
        None,
        event,
    )
    .await
}
