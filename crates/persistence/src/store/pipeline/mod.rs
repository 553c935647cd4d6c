//! The appointment procedure (Art. 4–5): candidates and their steps, recommendation lists,
//! public notices and objections, fields of expertise, and the appointment that creates an
//! advisor. Reads take plain ids and domain values; every change appends its audit event in
//! the same transaction.

mod appointment;
mod candidates;
mod fields;
mod lists;
mod notices;

pub use appointment::{
    NewAdvisor, advisors_counting_towards_cap, appoint, lock_appointments, roster_page,
};
pub use candidates::{
    CandidateFilter, CandidateRead, CandidateScope, CandidateStep, NewCandidate, Surroundings,
    candidate, candidate_in_scope, candidate_names, candidates_page, insert_candidate,
    move_candidate, read_candidate, submitted_on_list, surroundings,
};
pub use fields::{FieldNames, field, fields, fields_by_code, put_field};
pub use lists::{
    ListDecision, ListRead, Move, NewList, PartyCommitteeReport, decide_list, list, lists_page,
    read_list, read_lists, report_list, submit_list,
};
pub use notices::{
    NewNotice, NoticeRead, ObjectionFilter, Resolution, notice, notices_page, objection,
    objections_page, publish_notice, read_notice, read_notices, resolve_objection,
};

pub use crate::entity::advisor::Model as Advisor;
pub use crate::entity::candidate::Model as Candidate;
pub use crate::entity::field::Model as Field;
pub use crate::entity::notice::Model as Notice;
pub use crate::entity::objection::Model as Objection;
pub use crate::entity::recommendation_list::Model as RecommendationList;
