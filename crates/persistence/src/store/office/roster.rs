//! The roster feed (DOMAIN.md §6): the advisors on record on a day, page by page, each with the
//! history that tells where they stood that day (Art. 3, 12, 13): every term, and every step of
//! a dismissal or resignation, dated.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use guwen_domain::{
    office::{self, AdvisorStatus, ProposalState, ResignationState, StatusChange},
    time::{cst_date, cst_day_end},
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};

use super::{Advisor, Term, advisors::term_running_on, stored_in_office};
use crate::{
    entity::{advisor, advisor_term, dismissal_proposal, resignation},
    store::{PageOf, PageRequest, page_of},
};

/// Which advisors the roster lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterFilter {
    /// The day the roster is for (China Standard Time): every advisor appointed by its end.
    pub day: NaiveDate,
    /// Only those in office that day (`true`), or only the others (`false`).
    pub in_office: Option<bool>,
    /// Only those changed at or after this instant, and those whose term ended since (their
    /// shown status changed without a write).
    pub updated_since: Option<DateTime<Utc>>,
}

/// One advisor of the roster with the history its standing on the day is computed from.
#[derive(Debug, Clone)]
pub struct RosterEntry {
    pub advisor: Advisor,
    /// Every term, oldest first.
    pub terms: Vec<Term>,
    /// Every dated step that moved the stored status, oldest first.
    pub changes: Vec<StatusChange>,
}

/// Art. 3, 12, 13: in office on `day`, from the record ([`office::standing_on`] in SQL): a term
/// of the history runs that day, and no dismissal or resignation was approved by its end.
fn in_office_as_of(day: NaiveDate) -> Condition {
    let end = cst_day_end(day);
    let dismissed = dismissal_proposal::Entity::find()
        .select_only()
        .column(dismissal_proposal::Column::AdvisorId)
        .filter(dismissal_proposal::Column::State.eq(ProposalState::Approved))
        .filter(dismissal_proposal::Column::DecidedAt.lt(end))
        .into_query();
    let resigned = resignation::Entity::find()
        .select_only()
        .column(resignation::Column::AdvisorId)
        .filter(resignation::Column::State.eq(ResignationState::Approved))
        .filter(resignation::Column::DecidedAt.lt(end))
        .into_query();
    Condition::all()
        .add(term_running_on(day))
        .add(advisor::Column::Id.not_in_subquery(dismissed))
        .add(advisor::Column::Id.not_in_subquery(resigned))
}

/// The condition of the filter.
fn condition(filter: &RosterFilter) -> Condition {
    let mut all = Condition::all().add(advisor::Column::AppointedAt.lt(cst_day_end(filter.day)));
    match filter.in_office {
        Some(true) => all = all.add(in_office_as_of(filter.day)),
        Some(false) => all = all.add(in_office_as_of(filter.day).not()),
        None => {}
    }
    if let Some(since) = filter.updated_since {
        let since_day = cst_date(since);
        all = all.add(
            Condition::any()
                .add(advisor::Column::UpdatedAt.gte(since))
                .add(
                    Condition::all()
                        .add(stored_in_office())
                        .add(advisor::Column::OfficeEndsOn.gte(since_day - Days::new(1)))
                        .add(advisor::Column::OfficeEndsOn.lt(filter.day)),
                ),
        );
    }
    all
}

/// One page of the roster, by advisor id (appointment order), each advisor with its history:
/// three queries besides the page's, whatever its size.
pub async fn roster_page<C: ConnectionTrait>(
    db: &C,
    filter: &RosterFilter,
    page: PageRequest<String>,
) -> Result<PageOf<RosterEntry, String>, DbErr> {
    let query = advisor::Entity::find().filter(condition(filter));
    let advisors = page_of(db, query, advisor::Column::Id, page, |a| a.id.clone()).await?;
    let ids: Vec<String> = advisors.rows.iter().map(|a| a.id.clone()).collect();
    let mut histories = histories(db, ids).await?;
    Ok(PageOf {
        rows: advisors
            .rows
            .into_iter()
            .map(|advisor| {
                let (terms, changes) = histories.remove(&advisor.id).unwrap_or_default();
                RosterEntry {
                    advisor,
                    terms,
                    changes,
                }
            })
            .collect(),
        next: advisors.next,
    })
}

/// The terms and dated status changes of these advisors.
async fn histories<C: ConnectionTrait>(
    db: &C,
    ids: Vec<String>,
) -> Result<HashMap<String, (Vec<Term>, Vec<StatusChange>)>, DbErr> {
    let mut out: HashMap<String, (Vec<Term>, Vec<StatusChange>)> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for term in advisor_term::Entity::find()
        .filter(advisor_term::Column::AdvisorId.is_in(ids.clone()))
        .order_by_asc(advisor_term::Column::AdvisorId)
        .order_by_asc(advisor_term::Column::Number)
        .all(db)
        .await?
    {
        out.entry(term.advisor_id.clone()).or_default().0.push(term);
    }
    let mut steps: HashMap<String, Vec<(DateTime<Utc>, AdvisorStatus)>> = HashMap::new();
    for d in dismissal_proposal::Entity::find()
        .filter(dismissal_proposal::Column::AdvisorId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        let list = steps.entry(d.advisor_id).or_default();
        list.push((d.proposed_at, AdvisorStatus::DismissalProposed));
        if let Some(at) = d.decided_at {
            let approved = d.state == ProposalState::Approved;
            list.push((at, office::after_dismissal_decision(approved)));
        }
    }
    for r in resignation::Entity::find()
        .filter(resignation::Column::AdvisorId.is_in(ids))
        .all(db)
        .await?
    {
        let list = steps.entry(r.advisor_id).or_default();
        list.push((r.requested_at, AdvisorStatus::ResignationRequested));
        if let Some(at) = r.proposed_at {
            list.push((at, AdvisorStatus::ResignationProposed));
        }
        if let Some(at) = r.decided_at {
            let approved = r.state == ResignationState::Approved;
            list.push((at, office::after_resignation_decision(approved)));
        }
    }
    for (id, mut list) in steps {
        list.sort_by_key(|(at, _)| *at);
        out.entry(id).or_default().1 = list
            .into_iter()
            .map(|(at, to)| StatusChange {
                on: cst_date(at),
                to,
            })
            .collect();
    }
    Ok(out)
}
