//! Views for one caller: what the store read, shown with the caller's allowed actions.

use std::collections::HashMap;

use chrono::NaiveDate;
use guwen_persistence::store::pipeline::{Candidate, CandidateRead, Field, ListRead, Surroundings};

use super::{
    policy,
    views::{CandidateView, ListCandidate, ListView, candidate_view, list_view, shown_state},
};
use crate::http::access::AccessTable;
use crate::prelude::*;

/// One candidate as this caller sees it on `today`.
pub fn candidate(
    access: &AccessTable,
    caller: &Caller,
    read: &CandidateRead,
    today: NaiveDate,
) -> Result<CandidateView, ApiError> {
    candidate_among(
        access,
        caller,
        &read.candidate,
        &read.around,
        &read.fields,
        today,
    )
}

/// One candidate of a page as this caller sees it on `today`.
pub fn candidate_among(
    access: &AccessTable,
    caller: &Caller,
    c: &Candidate,
    s: &Surroundings,
    fields: &HashMap<String, Field>,
    today: NaiveDate,
) -> Result<CandidateView, ApiError> {
    let shown = shown_state(c, s, today);
    candidate_view(
        c,
        s,
        fields,
        (shown, today),
        policy::sees_everything(caller),
        policy::allowed_actions(access, caller, c, s, (shown, today)),
    )
}

/// One recommendation list as this caller sees it on `today`.
pub fn list(access: &AccessTable, caller: &Caller, read: &ListRead, today: NaiveDate) -> ListView {
    let candidates = read
        .members
        .iter()
        .map(|(c, s)| ListCandidate::of(c, shown_state(c, s, today), &read.fields))
        .collect();
    list_view(
        &read.list,
        candidates,
        policy::list_actions(access, caller, &read.list),
    )
}
