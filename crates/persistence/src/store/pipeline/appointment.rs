//! The appointment (Art. 3, 4.6, 5.5): the advisor and first term it creates, the count the
//! cap is checked against, and the public roster of advisors in office (Art. 4.6).

use chrono::NaiveDate;
use guwen_domain::{appointment::Term, nomination::CandidateState, office::AdvisorStatus};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
};

use super::{Advisor, Candidate, CandidateStep, move_candidate};
use crate::{
    audit::{Context, truncate_to_micros},
    entity::{advisor, advisor_term},
    guard,
    store::{
        Event, PageOf, PageRequest, StoreError, new_id,
        office::{in_office_on, stored_in_office, with_terms_in_force},
        page_of,
    },
};

/// Serialises appointments on every replica: the cap is counted under this lock.
pub async fn lock_appointments<C: ConnectionTrait>(tx: &C) -> Result<(), DbErr> {
    guard::lock(tx, "advisor_appointment").await
}

/// What the cap counts (Art. 4.1): every advisor in office whose office has not ended on
/// `today`, including terms that start later.
pub async fn advisors_counting_towards_cap<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
) -> Result<u64, DbErr> {
    advisor::Entity::find()
        .filter(stored_in_office())
        .filter(advisor::Column::OfficeEndsOn.gte(today))
        .count(db)
        .await
}

/// The advisor an appointment creates.
#[derive(Debug, Clone)]
pub struct NewAdvisor {
    pub id: String,
    pub certificate_no: String,
    pub agreement_ref: String,
    pub term: Term,
}

/// Moves the candidate from `from` to `appointed` with `event`, then creates the `active`
/// advisor from the candidate's public data and its first term. A certificate number already
/// issued is [`StoreError::Duplicate`].
pub async fn appoint<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    c: &Candidate,
    from: CandidateState,
    a: NewAdvisor,
    event: Event,
) -> Result<(), StoreError> {
    move_candidate(
        tx,
        ctx,
        &c.id,
        from,
        CandidateState::Appointed,
        CandidateStep::Appoint {
            advisor_id: a.id.clone(),
        },
        event,
    )
    .await?;
    let now = truncate_to_micros(ctx.now);
    let years = i32::try_from(a.term.years).unwrap_or(i32::MAX);
    advisor::Entity::insert(advisor::ActiveModel {
        id: Set(a.id.clone()),
        candidate_id: Set(c.id.clone()),
        status: Set(AdvisorStatus::Active),
        version: Set(1),
        name: Set(c.name.clone()),
        employer: Set(c.employer.clone()),
        title: Set(c.title.clone()),
        field_code: Set(c.field_code.clone()),
        lead_org_id: Set(c.lead_org_id.clone()),
        certificate_no: Set(a.certificate_no.clone()),
        agreement_ref: Set(a.agreement_ref.clone()),
        term_starts_on: Set(a.term.starts_on),
        term_ends_on: Set(a.term.ends_on),
        term_years: Set(years),
        office_ends_on: Set(a.term.ends_on),
        appointed_at: Set(now),
        updated_at: Set(now),
    })
    .exec_without_returning(tx)
    .await?;
    advisor_term::Entity::insert(advisor_term::ActiveModel {
        id: Set(new_id()),
        advisor_id: Set(a.id),
        number: Set(1),
        starts_on: Set(a.term.starts_on),
        ends_on: Set(a.term.ends_on),
        years: Set(years),
        agreement_ref: Set(a.agreement_ref),
        certificate_no: Set(a.certificate_no),
        recorded_at: Set(now),
    })
    .exec_without_returning(tx)
    .await?;
    Ok(())
}

/// One page of the public roster (Art. 4.6): advisors in office on `today`, oldest first.
pub async fn roster_page<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
    page: PageRequest<String>,
) -> Result<PageOf<Advisor, String>, DbErr> {
    let mut page = page_of(
        db,
        advisor::Entity::find().filter(in_office_on(today)),
        advisor::Column::Id,
        page,
        |a| a.id.clone(),
    )
    .await?;
    page.rows = with_terms_in_force(db, page.rows, today).await?;
    Ok(page)
}
