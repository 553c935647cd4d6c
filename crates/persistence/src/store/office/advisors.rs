//! Reading advisors: by scope, by shown status, in office on a day, with their terms.

use std::collections::HashSet;

use chrono::NaiveDate;
use guwen_domain::office::{self, AdvisorStatus, IN_OFFICE, ProposalState};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, sea_query::SimpleExpr,
};

use crate::{
    entity::{advisor, advisor_term, renewal_proposal},
    store::{AdvisorScope, PageOf, PageRequest, page_of},
};

use super::{Advisor, Term};

impl Advisor {
    /// Art. 3: the status shown on `today` (China Standard Time): an ended office (the last
    /// approved term over) shows as expired on every replica at once, since it is computed
    /// from the date.
    pub fn status_on(&self, today: NaiveDate) -> AdvisorStatus {
        office::effective_status(self.status, self.office_ends_on, today)
    }
}

impl Advisor {
    /// Art. 3: shows `term` (from the history) as the term in force, when it is a later one
    /// than the stored row's: an advisor renewed ahead of expiry keeps the stored term until
    /// it ends, and the next one follows without a gap.
    pub fn with_term(mut self, term: &Term) -> Self {
        if term.starts_on > self.term_ends_on {
            self.term_starts_on = term.starts_on;
            self.term_ends_on = term.ends_on;
            self.term_years = term.years;
            self.certificate_no = term.certificate_no.clone();
            self.agreement_ref = term.agreement_ref.clone();
        }
        self
    }
}

/// Art. 3: the rows with the term in force on `today`: for advisors whose stored term has
/// ended while a following term runs (renewed ahead of expiry), that term from the history.
/// One query, and only when a row needs it.
pub async fn with_terms_in_force<C: ConnectionTrait>(
    db: &C,
    rows: Vec<Advisor>,
    today: NaiveDate,
) -> Result<Vec<Advisor>, DbErr> {
    let followed: Vec<String> = rows
        .iter()
        .filter(|a| a.term_ends_on < today && a.office_ends_on >= today)
        .map(|a| a.id.clone())
        .collect();
    if followed.is_empty() {
        return Ok(rows);
    }
    let terms = advisor_term::Entity::find()
        .filter(advisor_term::Column::AdvisorId.is_in(followed))
        .filter(advisor_term::Column::StartsOn.lte(today))
        .filter(advisor_term::Column::EndsOn.gte(today))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|a| match terms.iter().find(|t| t.advisor_id == a.id) {
            Some(t) => a.with_term(t),
            None => a,
        })
        .collect())
}

/// Art. 3, 4.6: a stored status of an advisor in office ([`IN_OFFICE`]). The one SQL form of
/// the domain's definition; every chapter's store asks this one.
pub fn stored_in_office() -> SimpleExpr {
    advisor::Column::Status.is_in(IN_OFFICE)
}

/// Art. 3: a term of the advisor's history runs on `day`. Renewals add terms, and a renewal
/// ahead of expiry starts the day after the current term ends, so the advisor's current term
/// columns (the newest term) are not enough: the history is asked.
pub(super) fn term_running_on(day: NaiveDate) -> SimpleExpr {
    advisor::Column::Id.in_subquery(
        advisor_term::Entity::find()
            .select_only()
            .column(advisor_term::Column::AdvisorId)
            .filter(advisor_term::Column::StartsOn.lte(day))
            .filter(advisor_term::Column::EndsOn.gte(day))
            .into_query(),
    )
}

/// Art. 3, 4.6: in office on `today`: a stored status in office and a term running that day
/// (the first term has started and the last approved one has not ended).
pub fn in_office_on(today: NaiveDate) -> Condition {
    Condition::all()
        .add(stored_in_office())
        .add(advisor::Column::TermStartsOn.lte(today))
        .add(advisor::Column::OfficeEndsOn.gte(today))
}

/// Art. 3: the condition "shown as `status` on `today`" ([`office::effective_status`] in SQL).
fn shown_as(status: AdvisorStatus, today: NaiveDate) -> Condition {
    match status {
        AdvisorStatus::Expired => Condition::all()
            .add(stored_in_office())
            .add(advisor::Column::OfficeEndsOn.lt(today)),
        AdvisorStatus::Dismissed | AdvisorStatus::Resigned => {
            Condition::all().add(advisor::Column::Status.eq(status))
        }
        _ => Condition::all()
            .add(advisor::Column::Status.eq(status))
            .add(advisor::Column::OfficeEndsOn.gte(today)),
    }
}

/// One advisor within the scope.
pub async fn advisor<C: ConnectionTrait>(
    db: &C,
    scope: &AdvisorScope,
    id: &str,
) -> Result<Option<Advisor>, DbErr> {
    advisor::Entity::find_by_id(id.to_owned())
        .filter(scope.condition(advisor::Column::Id))
        .one(db)
        .await
}

/// An advisor with every term (oldest first) and whether a renewal awaits the government.
#[derive(Debug, Clone)]
pub struct AdvisorRecord {
    pub advisor: Advisor,
    pub terms: Vec<Term>,
    pub pending_renewal: bool,
}

/// One advisor within the scope, with its terms.
pub async fn advisor_record<C: ConnectionTrait>(
    db: &C,
    scope: &AdvisorScope,
    id: &str,
) -> Result<Option<AdvisorRecord>, DbErr> {
    let Some(a) = advisor(db, scope, id).await? else {
        return Ok(None);
    };
    let terms = advisor_term::Entity::find()
        .filter(advisor_term::Column::AdvisorId.eq(a.id.clone()))
        .order_by_asc(advisor_term::Column::Number)
        .all(db)
        .await?;
    let pending_renewal = !pending_renewals(db, vec![a.id.clone()]).await?.is_empty();
    Ok(Some(AdvisorRecord {
        advisor: a,
        terms,
        pending_renewal,
    }))
}

/// A page of the advisors within the scope, optionally only those shown as `status` on
/// `today` or in one field.
pub async fn advisors<C: ConnectionTrait>(
    db: &C,
    scope: &AdvisorScope,
    status: Option<AdvisorStatus>,
    field: Option<&str>,
    today: NaiveDate,
    page: PageRequest<String>,
) -> Result<PageOf<Advisor, String>, DbErr> {
    let mut query = advisor::Entity::find().filter(scope.condition(advisor::Column::Id));
    if let Some(s) = status {
        query = query.filter(shown_as(s, today));
    }
    if let Some(f) = field {
        query = query.filter(advisor::Column::FieldCode.eq(f));
    }
    let mut page = page_of(db, query, advisor::Column::Id, page, |a| a.id.clone()).await?;
    page.rows = with_terms_in_force(db, page.rows, today).await?;
    Ok(page)
}

/// Advisors (of `ids`) with a renewal proposal awaiting the government.
pub async fn pending_renewals<C: ConnectionTrait>(
    db: &C,
    ids: Vec<String>,
) -> Result<HashSet<String>, DbErr> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(renewal_proposal::Entity::find()
        .filter(renewal_proposal::Column::AdvisorId.is_in(ids))
        .filter(renewal_proposal::Column::State.eq(ProposalState::Pending))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.advisor_id)
        .collect())
}
