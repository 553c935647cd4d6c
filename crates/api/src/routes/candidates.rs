//! Candidates in the appointment procedure (Art. 4, 5): nomination, preliminary review,
//! background check, withdrawal and appointment, with the actions each caller may take now.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use guwen_domain::{
    Labelled,
    appointment::{self, AgeException, AppointmentFacts, NoticeWindow},
    audit::AuditAction,
    nomination::{
        self, AspectReview, Attestation, CandidateAction, CandidateState, NominationChannel,
        ReviewAspect, Verdict,
    },
    role::Role,
    time::to_cst,
};
use guwen_persistence::{
    audit::Context,
    db::is_unique_violation,
    entity::{advisor, advisor_term, candidate, field, notice, objection, recommendation_list},
    guard,
    sea_orm::{
        ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, ExprTrait,
        PaginatorTrait, QueryFilter, sea_query::Expr,
    },
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::common::{
    FieldRef, Transition, field_ref, fields_by_code, new_id, optional_text, parse_stored, record,
    required_text,
};
use crate::{
    access::Caller,
    error::ApiError,
    extract::ApiJson,
    idempotency::{Created, IdempotencyKey},
    pagination::{Direction, Page, PageParams, page_of},
    state::AppState,
    write::audit_context,
};

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

/// An action the caller may take now, with the article that grants it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct AllowedAction {
    pub action: CandidateAction,
    /// The article of the regulation that grants the step.
    #[schema(example = "Art. 4.1")]
    pub article: String,
    /// Where to send it (always a POST).
    #[schema(
        example = "/api/v1/candidates/0190f3c4-0000-7000-8000-000000000000/preliminary-review"
    )]
    pub href: String,
}

/// Contact and identity data of a candidate: personal data, never public.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
pub struct Contact {
    #[validate(length(max = 40))]
    #[schema(example = "13800000000", max_length = 40)]
    pub phone: Option<String>,
    #[validate(email, length(max = 200))]
    #[schema(example = "expert@example.org")]
    pub email: Option<String>,
    /// Resident identity card number.
    #[validate(length(max = 40))]
    #[schema(max_length = 40)]
    pub id_number: Option<String>,
    #[validate(length(max = 400))]
    #[schema(max_length = 400)]
    pub address: Option<String>,
}

/// One aspect of the preliminary review.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct AspectReviewBody {
    pub aspect: ReviewAspect,
    pub verdict: Verdict,
    /// The reviewer's note (required when the verdict is `fail`).
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    #[serde(default)]
    pub note: String,
}

/// The recorded preliminary review (Art. 4.1).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReviewRecord {
    pub passed: bool,
    pub aspects: Vec<AspectReviewBody>,
    pub attestations: Vec<Attestation>,
    pub note: Option<String>,
    pub reviewed_by: String,
    pub reviewed_at: DateTime<FixedOffset>,
}

/// The background check (Art. 4.2): visible to hrss, government and auditor only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BackgroundCheckRecord {
    pub passed: bool,
    pub findings: String,
    pub checked_by: String,
    pub checked_at: DateTime<FixedOffset>,
}

/// The executive meeting's decision on the candidate (Art. 4.4).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionRecord {
    pub approved: bool,
    pub meeting_ref: Option<String>,
    pub meeting_date: Option<NaiveDate>,
    pub note: Option<String>,
    /// The approved exception to the age limit (Art. 5.5), if any.
    pub age_exception: Option<AgeException>,
}

/// The candidate's public notice (Art. 4.5).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoticeRecord {
    pub notice_id: String,
    /// First day of the window (China Standard Time).
    pub starts_on: NaiveDate,
    /// Last day of the window (the 7th).
    pub ends_on: NaiveDate,
    /// When the window closes: 00:00 +08:00 the day after `ends_on`.
    pub closes_at: DateTime<FixedOffset>,
    pub proposed_term_years: Option<i32>,
    pub open_objections: u64,
}

/// A candidate as hrss, government, auditor and the departments concerned see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CandidateView {
    pub id: String,
    /// The state now: an `in_notice` candidate whose window is over with no open objection
    /// shows as `notice_passed`.
    pub state: CandidateState,
    pub channel: NominationChannel,
    pub field: FieldRef,
    /// The nominating department (none for self-nominations and HRSS entries).
    pub nominating_org_id: Option<String>,
    /// The field's lead department, which does the preliminary review.
    pub lead_org_id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub birth_date: NaiveDate,
    pub experience_years: i32,
    pub contact: Contact,
    pub achievements: String,
    /// The think tank or leader who referred the candidate.
    pub referrer: Option<String>,
    pub preliminary_review: Option<ReviewRecord>,
    /// Present only for hrss, government and auditor.
    pub background_check: Option<BackgroundCheckRecord>,
    pub recommendation_list_id: Option<String>,
    pub decision: Option<DecisionRecord>,
    pub notice: Option<NoticeRecord>,
    /// The advisor record, once appointed.
    pub advisor_id: Option<String>,
    /// Why the procedure ended (rejection or withdrawal).
    pub closing_reason: Option<String>,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    /// What this caller may do now.
    pub allowed_actions: Vec<AllowedAction>,
}

/// Facts about a candidate beyond its row: notice window, open objections, its list.
#[derive(Debug, Clone, Default)]
pub struct Surroundings {
    pub notice: Option<notice::Model>,
    pub open_objections: u64,
    pub list: Option<recommendation_list::Model>,
}

/// Loads the surroundings of several candidates in three queries.
pub async fn surroundings<C: ConnectionTrait>(
    db: &C,
    rows: &[candidate::Model],
) -> Result<HashMap<String, Surroundings>, ApiError> {
    let notice_ids: Vec<String> = rows.iter().filter_map(|c| c.notice_id.clone()).collect();
    let list_ids: Vec<String> = rows.iter().filter_map(|c| c.list_id.clone()).collect();
    let ids: Vec<String> = rows.iter().map(|c| c.id.clone()).collect();
    let notices: HashMap<String, notice::Model> = if notice_ids.is_empty() {
        HashMap::new()
    } else {
        notice::Entity::find()
            .filter(notice::Column::Id.is_in(notice_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|n| (n.id.clone(), n))
            .collect()
    };
    let lists: HashMap<String, recommendation_list::Model> = if list_ids.is_empty() {
        HashMap::new()
    } else {
        recommendation_list::Entity::find()
            .filter(recommendation_list::Column::Id.is_in(list_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.id.clone(), l))
            .collect()
    };
    let mut open: HashMap<String, u64> = HashMap::new();
    if !ids.is_empty() {
        for o in objection::Entity::find()
            .filter(objection::Column::CandidateId.is_in(ids))
            .filter(objection::Column::Status.eq("open"))
            .all(db)
            .await?
        {
            *open.entry(o.candidate_id).or_default() += 1;
        }
    }
    Ok(rows
        .iter()
        .map(|c| {
            let s = Surroundings {
                notice: c.notice_id.as_ref().and_then(|id| notices.get(id).cloned()),
                open_objections: open.get(&c.id).copied().unwrap_or(0),
                list: c.list_id.as_ref().and_then(|id| lists.get(id).cloned()),
            };
            (c.id.clone(), s)
        })
        .collect())
}

/// The stored state, parsed.
pub fn stored_state(c: &candidate::Model) -> Result<CandidateState, ApiError> {
    c.state.parse().map_err(|_| {
        ApiError::internal(format!("candidate {} has unknown state {}", c.id, c.state))
    })
}

/// The state to show and act on (Art. 4.5–4.6).
pub fn effective_state(
    c: &candidate::Model,
    s: &Surroundings,
    today: NaiveDate,
) -> Result<CandidateState, ApiError> {
    Ok(nomination::effective_state(
        stored_state(c)?,
        s.notice
            .as_ref()
            .map(|n| NoticeWindow::from_start(n.starts_on).closes_on()),
        u32::try_from(s.open_objections).unwrap_or(u32::MAX),
        today,
    ))
}

/// Whether the caller may see this candidate at all (others get 404).
pub fn can_see(caller: &Caller, c: &candidate::Model) -> bool {
    if caller.has(Role::Hrss) || caller.has(Role::Government) || caller.has(Role::Auditor) {
        return true;
    }
    caller.has(Role::Department)
        && caller
            .org_id()
            .is_some_and(|org| c.nominating_org_id.as_deref() == Some(org) || c.lead_org_id == org)
}

fn is_department_of(caller: &Caller, org: Option<&str>) -> bool {
    caller.has(Role::Department) && org.is_some() && caller.org_id() == org
}

/// Whether this caller may take this action on this candidate now (roles and scope; the
/// state is checked by the domain table).
pub fn may_act(
    caller: &Caller,
    c: &candidate::Model,
    s: &Surroundings,
    action: CandidateAction,
) -> bool {
    let hrss = caller.has(Role::Hrss);
    let reported = s
        .list
        .as_ref()
        .is_some_and(|l| l.party_committee_reported_on.is_some());
    match action {
        CandidateAction::PreliminaryReview => {
            hrss || is_department_of(caller, Some(&c.lead_org_id))
        }
        CandidateAction::BackgroundCheck | CandidateAction::Submit | CandidateAction::Appoint => {
            hrss
        }
        CandidateAction::Decide => caller.has(Role::Government),
        CandidateAction::ReportToPartyCommittee => {
            (hrss || caller.has(Role::Government)) && s.list.is_some() && !reported
        }
        CandidateAction::PublishNotice => hrss && reported,
        CandidateAction::ResolveObjection => hrss && s.open_objections > 0,
        CandidateAction::Withdraw => {
            hrss || is_department_of(caller, c.nominating_org_id.as_deref())
        }
    }
}

fn href(c: &candidate::Model, s: &Surroundings, action: CandidateAction) -> String {
    let list = s.list.as_ref().map(|l| l.id.as_str()).unwrap_or_default();
    match action {
        CandidateAction::PreliminaryReview => {
            format!("/api/v1/candidates/{}/preliminary-review", c.id)
        }
        CandidateAction::BackgroundCheck => format!("/api/v1/candidates/{}/background-check", c.id),
        CandidateAction::Submit => "/api/v1/recommendation-lists".into(),
        CandidateAction::Decide => format!("/api/v1/recommendation-lists/{list}/decision"),
        CandidateAction::ReportToPartyCommittee => {
            format!("/api/v1/recommendation-lists/{list}/party-committee-report")
        }
        CandidateAction::PublishNotice => "/api/v1/notices".into(),
        CandidateAction::ResolveObjection => {
            format!("/api/v1/objections?candidate_id={}&status=open", c.id)
        }
        CandidateAction::Appoint => format!("/api/v1/candidates/{}/appointment", c.id),
        CandidateAction::Withdraw => format!("/api/v1/candidates/{}/withdrawal", c.id),
    }
}

/// The actions this caller may take now, each with its article.
pub fn allowed_actions(
    caller: &Caller,
    c: &candidate::Model,
    s: &Surroundings,
    state: CandidateState,
) -> Vec<AllowedAction> {
    nomination::allowed_from(state)
        .iter()
        .copied()
        .filter(|a| may_act(caller, c, s, *a))
        .map(|action| AllowedAction {
            action,
            article: nomination::article_of(action).to_owned(),
            href: href(c, s, action),
        })
        .collect()
}

/// Builds the view of one candidate for one caller.
pub fn view(
    caller: &Caller,
    c: &candidate::Model,
    s: &Surroundings,
    fields: &HashMap<String, field::Model>,
    today: NaiveDate,
) -> Result<CandidateView, ApiError> {
    let state = effective_state(c, s, today)?;
    let sees_background =
        caller.has(Role::Hrss) || caller.has(Role::Government) || caller.has(Role::Auditor);
    let preliminary_review = match (&c.review, &c.reviewed_by, c.reviewed_at) {
        (Some(json), Some(by), Some(at)) => {
            let stored: StoredReview = serde_json::from_str(json).map_err(ApiError::internal)?;
            Some(ReviewRecord {
                passed: stored.passed,
                aspects: stored.aspects,
                attestations: stored.attestations,
                note: stored.note,
                reviewed_by: by.clone(),
                reviewed_at: to_cst(at),
            })
        }
        _ => None,
    };
    let background_check = match (
        sees_background,
        c.background_passed,
        &c.background_checked_by,
        c.background_checked_at,
    ) {
        (true, Some(passed), Some(by), Some(at)) => Some(BackgroundCheckRecord {
            passed,
            findings: c.background_findings.clone().unwrap_or_default(),
            checked_by: by.clone(),
            checked_at: to_cst(at),
        }),
        _ => None,
    };
    let decision = c.approved.map(|approved| DecisionRecord {
        approved,
        meeting_ref: s.list.as_ref().and_then(|l| l.meeting_ref.clone()),
        meeting_date: s.list.as_ref().and_then(|l| l.meeting_date),
        note: c.decision_note.clone(),
        age_exception: c.age_exception_reason.clone().map(|reason| AgeException {
            reason,
            approved_by_government: c.age_exception_approved,
        }),
    });
    let notice = s.notice.as_ref().map(|n| NoticeRecord {
        notice_id: n.id.clone(),
        starts_on: n.starts_on,
        ends_on: n.ends_on,
        closes_at: to_cst(n.closes_at),
        proposed_term_years: c.proposed_term_years,
        open_objections: s.open_objections,
    });
    Ok(CandidateView {
        id: c.id.clone(),
        state,
        channel: parse_stored("channel", &c.channel)?,
        field: field_ref(fields, &c.field_code),
        nominating_org_id: c.nominating_org_id.clone(),
        lead_org_id: c.lead_org_id.clone(),
        name: c.name.clone(),
        employer: c.employer.clone(),
        title: c.title.clone(),
        birth_date: c.birth_date,
        experience_years: c.experience_years,
        contact: Contact {
            phone: c.phone.clone(),
            email: c.email.clone(),
            id_number: c.id_number.clone(),
            address: c.address.clone(),
        },
        achievements: c.achievements.clone(),
        referrer: c.referrer.clone(),
        preliminary_review,
        background_check,
        recommendation_list_id: c.list_id.clone(),
        decision,
        notice,
        advisor_id: c.advisor_id.clone(),
        closing_reason: c.closing_reason.clone(),
        created_at: to_cst(c.created_at),
        updated_at: to_cst(c.updated_at),
        allowed_actions: allowed_actions(caller, c, s, state),
    })
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredReview {
    passed: bool,
    aspects: Vec<AspectReviewBody>,
    attestations: Vec<Attestation>,
    note: Option<String>,
}

/// Loads a candidate the caller may see (404 otherwise), with its surroundings.
pub async fn load_visible<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: &str,
) -> Result<(candidate::Model, Surroundings), ApiError> {
    let c = candidate::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .filter(|c| can_see(caller, c))
        .ok_or_else(|| ApiError::not_found("candidate"))?;
    let mut s = surroundings(db, std::slice::from_ref(&c)).await?;
    let s = s.remove(&c.id).unwrap_or_default();
    Ok((c, s))
}

/// Renders one candidate after a change, read inside the same transaction.
pub async fn reload_view<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: &str,
    today: NaiveDate,
) -> Result<CandidateView, ApiError> {
    let (c, s) = load_visible(db, caller, id).await?;
    let fields = fields_by_code(db).await?;
    view(caller, &c, &s, &fields, today)
}

/// Moves a candidate from `from` to `to` with the given changes, only if it is still in
/// `from`: of two racing requests exactly one wins, the other gets `409 invalid_transition`.
pub async fn transition<C: ConnectionTrait>(
    tx: &C,
    id: &str,
    from: CandidateState,
    to: CandidateState,
    mut changes: candidate::ActiveModel,
    ctx: &Context,
) -> Result<(), ApiError> {
    changes.state = Set(to.code().to_owned());
    changes.updated_at = Set(guwen_persistence::audit::truncate_to_micros(ctx.now));
    let result = candidate::Entity::update_many()
        .set(changes)
        .col_expr(
            candidate::Column::Version,
            Expr::col(candidate::Column::Version).add(1),
        )
        .filter(candidate::Column::Id.eq(id))
        .filter(candidate::Column::State.eq(from.code()))
        .exec(tx)
        .await?;
    if result.rows_affected == 1 {
        Ok(())
    } else {
        Err(ApiError::conflict(
            "invalid_transition",
            format!("the candidate is no longer `{from}`: another change came first"),
        ))
    }
}

/// Refuses a caller who may see the candidate but not take this action (403).
fn require_may_act(
    caller: &Caller,
    c: &candidate::Model,
    s: &Surroundings,
    action: CandidateAction,
) -> Result<(), ApiError> {
    if may_act(caller, c, s, action) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "this caller may not `{action}` this candidate"
        )))
    }
}

// ---------------------------------------------------------------------------------------------
// Nomination (Art. 4.1, 5.2)
// ---------------------------------------------------------------------------------------------

/// A nomination by a department or HRSS.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct NominationRequest {
    /// How the candidate was proposed. Departments may not use `self_nomination` (that comes
    /// through `POST /api/v1/public/self-nominations`).
    pub channel: NominationChannel,
    /// Field code (see `GET /api/v1/fields`); its lead department does the preliminary review.
    #[schema(example = "port_trade")]
    pub field: String,
    #[validate(length(min = 1, max = 100))]
    #[schema(example = "王建国", min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "内蒙古大学",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub employer: String,
    /// Position or professional title.
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "教授", min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    pub birth_date: NaiveDate,
    /// Years of professional work or research (Art. 5.2 requires at least 5).
    #[validate(range(max = 80))]
    pub experience_years: u32,
    /// Achievements, influence and expertise (Art. 5.2, 5.3).
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    pub achievements: String,
    /// The think tank or leader who referred the candidate: required for
    /// `think_tank_referral` and `leadership_recommendation`.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub referrer: Option<String>,
    #[serde(default)]
    #[validate(nested)]
    pub contact: Contact,
    /// HRSS only: the department on whose behalf the nomination is entered.
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub nominating_org_id: Option<String>,
}

/// What a nomination will store, after checks common to every channel.
pub struct NewCandidate {
    pub channel: NominationChannel,
    pub field: field::Model,
    pub nominating_org_id: Option<String>,
    pub name: String,
    pub employer: String,
    pub title: String,
    pub birth_date: NaiveDate,
    pub experience_years: u32,
    pub achievements: String,
    pub referrer: Option<String>,
    pub contact: Contact,
}

/// Finds a field by code (422 on `field` if unknown).
pub async fn find_field<C: ConnectionTrait>(db: &C, code: &str) -> Result<field::Model, ApiError> {
    field::Entity::find_by_id(code.trim().to_owned())
        .one(db)
        .await?
        .ok_or_else(|| {
            ApiError::invalid_field(
                "field",
                "is not a known field code (see GET /api/v1/fields)",
            )
        })
}

/// Checks a birth date is plausible for an expert (422 otherwise).
pub fn check_birth_date(birth_date: NaiveDate, today: NaiveDate) -> Result<(), ApiError> {
    let age = appointment::age_on(birth_date, today);
    if birth_date >= today || !(18..=110).contains(&age) {
        return Err(ApiError::invalid_field(
            "birth_date",
            "must be a past date giving an age between 18 and 110",
        ));
    }
    Ok(())
}

/// Inserts a nominated candidate and its audit event (Art. 4.1; Art. 5.2 checked first).
pub async fn insert_candidate<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    n: NewCandidate,
) -> Result<String, ApiError> {
    nomination::check_experience(n.experience_years)?;
    let id = new_id();
    let now = guwen_persistence::audit::truncate_to_micros(ctx.now);
    candidate::Entity::insert(candidate::ActiveModel {
        id: Set(id.clone()),
        state: Set(CandidateState::Nominated.code().to_owned()),
        version: Set(1),
        channel: Set(n.channel.code().to_owned()),
        field_code: Set(n.field.code.clone()),
        nominating_org_id: Set(n.nominating_org_id.clone()),
        lead_org_id: Set(n.field.lead_org_id.clone()),
        created_by: Set(ctx.actor.sub.clone()),
        name: Set(n.name),
        employer: Set(n.employer),
        title: Set(n.title),
        birth_date: Set(n.birth_date),
        experience_years: Set(i32::try_from(n.experience_years).unwrap_or(i32::MAX)),
        id_number: Set(n.contact.id_number),
        phone: Set(n.contact.phone),
        email: Set(n.contact.email),
        address: Set(n.contact.address),
        achievements: Set(n.achievements),
        referrer: Set(n.referrer),
        review: Set(None),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        background_passed: Set(None),
        background_findings: Set(None),
        background_checked_by: Set(None),
        background_checked_at: Set(None),
        list_id: Set(None),
        approved: Set(None),
        decision_note: Set(None),
        age_exception_reason: Set(None),
        age_exception_approved: Set(false),
        notice_id: Set(None),
        proposed_term_years: Set(None),
        advisor_id: Set(None),
        closing_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_without_returning(tx)
    .await?;
    record(
        tx,
        ctx,
        Transition {
            action: AuditAction::CandidateNominated,
            object_type: "candidate",
            object_id: &id,
            before: None,
            after: Some(CandidateState::Nominated.code()),
            reason: None,
            details: Some(serde_json::json!({
                "channel": n.channel.code(),
                "field": n.field.code,
                "lead_org_id": n.field.lead_org_id,
                "nominating_org_id": n.nominating_org_id,
            })),
        },
    )
    .await?;
    Ok(id)
}

/// Nominate a candidate
///
/// Nominates a candidate through a department, a think tank, a leader or (entered by HRSS) a
/// self-nomination (Art. 4.1). Art. 5.2 (5 years of professional work) is checked here.
#[utoipa::path(
    tag = "candidates",
    security(("bearer" = ["department", "hrss"])),
    request_body = NominationRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key: a retry with the same key returns the first response", pattern = "^[!-~]{1,200}$")),
    responses((status = 201, description = "Nominated", body = CandidateView, headers(("Location" = String, description = "The candidate's URL"))))
)]
#[post("/candidates")]
async fn create_candidate(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    key: IdempotencyKey,
    body: ApiJson<NominationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let today = state.clock.today();
    let ctx = audit_context(&req, &state);
    let nominating_org_id = if caller.has(Role::Hrss) {
        optional_text("nominating_org_id", body.nominating_org_id.as_deref(), 100)?
    } else {
        if body.channel == NominationChannel::SelfNomination {
            return Err(ApiError::invalid_field(
                "channel",
                "self-nominations come through POST /api/v1/public/self-nominations",
            ));
        }
        let org = caller
            .org_id()
            .ok_or_else(|| ApiError::forbidden("a department token needs an org_id claim"))?;
        if body.nominating_org_id.as_deref().is_some_and(|o| o != org) {
            return Err(ApiError::forbidden(
                "a department nominates only for its own organisation",
            ));
        }
        Some(org.to_owned())
    };
    let referrer = optional_text("referrer", body.referrer.as_deref(), 200)?;
    if matches!(
        body.channel,
        NominationChannel::ThinkTankReferral | NominationChannel::LeadershipRecommendation
    ) && referrer.is_none()
    {
        return Err(ApiError::invalid_field(
            "referrer",
            "is required for this channel",
        ));
    }
    check_birth_date(body.birth_date, today)?;
    let scope = caller.idempotency_scope();
    crate::write::write(&state, &req, &scope, &key, &body, async |tx| {
        let field = find_field(tx, &body.field).await?;
        let id = insert_candidate(
            tx,
            &ctx,
            NewCandidate {
                channel: body.channel,
                field,
                nominating_org_id,
                name: required_text("name", &body.name, 100)?,
                employer: required_text("employer", &body.employer, 200)?,
                title: required_text("title", &body.title, 200)?,
                birth_date: body.birth_date,
                experience_years: body.experience_years,
                achievements: required_text("achievements", &body.achievements, 5000)?,
                referrer,
                contact: body.contact.clone(),
            },
        )
        .await?;
        let view = reload_view(tx, &caller, &id, today).await?;
        Ok(Created::at(format!("/api/v1/candidates/{id}"), view))
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/// Filters of the candidate list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CandidateFilter {
    /// Only candidates stored in this state (`notice_passed` finds `in_notice` candidates
    /// whose window is over).
    pub state: Option<CandidateState>,
    /// Only this field.
    pub field: Option<String>,
    /// Only this channel.
    pub channel: Option<NominationChannel>,
    /// Only candidates on this recommendation list.
    pub list_id: Option<String>,
    /// Only candidates on this notice.
    pub notice_id: Option<String>,
}

/// List candidates
///
/// Candidates, newest first. A department sees those it nominated and those of the fields it
/// leads.
#[utoipa::path(
    tag = "candidates",
    security(("bearer" = ["hrss", "government", "auditor", "department"])),
    params(CandidateFilter, PageParams),
    responses((status = 200, description = "A page of candidates", body = Page<CandidateView>))
)]
#[get("/candidates")]
async fn list_candidates(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<CandidateFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "candidates";
    let mut query = candidate::Entity::find();
    if !(caller.has(Role::Hrss) || caller.has(Role::Government) || caller.has(Role::Auditor)) {
        let org = caller.org_id().unwrap_or_default().to_owned();
        query = query.filter(
            Condition::any()
                .add(candidate::Column::NominatingOrgId.eq(org.clone()))
                .add(candidate::Column::LeadOrgId.eq(org)),
        );
    }
    let wanted_state = filter.state;
    if let Some(s) = wanted_state {
        let stored = if s == CandidateState::NoticePassed {
            CandidateState::InNotice
        } else {
            s
        };
        query = query.filter(candidate::Column::State.eq(stored.code()));
    }
    if let Some(f) = &filter.field {
        query = query.filter(candidate::Column::FieldCode.eq(f.clone()));
    }
    if let Some(ch) = filter.channel {
        query = query.filter(candidate::Column::Channel.eq(ch.code()));
    }
    if let Some(l) = &filter.list_id {
        query = query.filter(candidate::Column::ListId.eq(l.clone()));
    }
    if let Some(n) = &filter.notice_id {
        query = query.filter(candidate::Column::NoticeId.eq(n.clone()));
    }
    let (rows, next_cursor) = page_of(
        &state.db,
        query,
        candidate::Column::Id,
        &page,
        KIND,
        Direction::NewestFirst,
        |r| r.id.clone(),
    )
    .await?;
    let today = state.clock.today();
    let around = surroundings(&state.db, &rows).await?;
    let fields = fields_by_code(&state.db).await?;
    let mut items = Vec::with_capacity(rows.len());
    for c in &rows {
        let s = around.get(&c.id).cloned().unwrap_or_default();
        let v = view(&caller, c, &s, &fields, today)?;
        // `in_notice` and `notice_passed` share a stored state: tell them apart here.
        if wanted_state.is_none_or(|w| w == v.state) {
            items.push(v);
        }
    }
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// Get a candidate
///
/// One candidate. Background-check results are shown to hrss, government and auditor only.
#[utoipa::path(
    tag = "candidates",
    security(("bearer" = ["hrss", "government", "auditor", "department"])),
    params(("id" = String, Path, description = "Candidate id")),
    responses((status = 200, description = "The candidate", body = CandidateView))
)]
#[get("/candidates/{id}")]
async fn get_candidate(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let view = reload_view(&state.db, &caller, &id, state.clock.today()).await?;
    Ok(HttpResponse::Ok().json(view))
}

// ---------------------------------------------------------------------------------------------
// Preliminary review (Art. 4.1, 5)
// ---------------------------------------------------------------------------------------------

/// The lead department's preliminary review.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct PreliminaryReviewRequest {
    /// A verdict and a note on each of education, career, competence and ethics (Art. 4.1).
    #[validate(length(min = 1, max = 8), nested)]
    pub aspects: Vec<AspectReviewBody>,
    /// The attestations of Art. 5.1, 5.3 and 5.4 (all three needed to pass).
    #[serde(default)]
    pub attestations: Vec<Attestation>,
    /// An overall note.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// Record the preliminary review
///
/// Records the preliminary review by the field's lead department (or HRSS): passing makes the
/// candidate `pre_reviewed`, a failed aspect `rejected` (Art. 4.1, 5).
#[utoipa::path(
    tag = "candidates",
    security(("bearer" = ["department", "hrss"])),
    params(("id" = String, Path, description = "Candidate id")),
    request_body = PreliminaryReviewRequest,
    responses((status = 200, description = "The candidate after the review", body = CandidateView))
)]
#[post("/candidates/{id}/preliminary-review")]
async fn record_preliminary_review(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<PreliminaryReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let tx = guwen_persistence::audit::begin_write(&state.db).await?;
    let (c, s) = load_visible(&tx, &caller, &id).await?;
    require_may_act(&caller, &c, &s, CandidateAction::PreliminaryReview)?;
    let from = effective_state(&c, &s, today)?;
    let aspects: Vec<AspectReview> = body
        .aspects
        .iter()
        .map(|a| AspectReview {
            aspect: a.aspect,
            verdict: a.verdict,
            note: a.note.clone(),
        })
        .collect();
    let outcome = nomination::preliminary_review(from, &aspects, &body.attestations)?;
    let note = optional_text("note", body.note.as_deref(), 2000)?;
    let stored = StoredReview {
        passed: outcome.passed,
        aspects: body.aspects.clone(),
        attestations: body.attestations.clone(),
        note: note.clone(),
    };
    let reason = (!outcome.passed).then(|| {
        body.aspects
            .iter()
            .filter(|a| a.verdict == Verdict::Fail)
            .map(|a| format!("{}: {}", a.aspect, a.note.trim()))
            .collect::<Vec<_>>()
            .join("; ")
    });
    let now = guwen_persistence::audit::truncate_to_micros(ctx.now);
    let changes = candidate::ActiveModel {
        review: Set(Some(
            serde_json::to_string(&stored).map_err(ApiError::internal)?,
        )),
        reviewed_by: Set(Some(caller.sub().to_owned())),
        reviewed_at: Set(Some(now)),
        closing_reason: Set(reason.clone()),
        ..Default::default()
    };
    transition(&tx, &c.id, from, outcome.next, changes, &ctx).await?;
    record(
        &tx,
        &ctx,
        Transition {
            action: if outcome.passed {
                AuditAction::CandidatePreReviewed
            } else {
                AuditAction::CandidateRejected
            },
            object_type: "candidate",
            object_id: &c.id,
            before: Some(from.code()),
            after: Some(outcome.next.code()),
            reason: reason.as_deref().or(note.as_deref()),
            details: Some(
                serde_json::json!({ "step": "preliminary_review", "passed": outcome.passed }),
            ),
        },
    )
    .await?;
    let view = reload_view(&tx, &caller, &c.id, today).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(view))
}

// ---------------------------------------------------------------------------------------------
// Background check (Art. 4.2)
// ---------------------------------------------------------------------------------------------

/// HRSS's background check, made with the departments concerned.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct BackgroundCheckRequest {
    pub passed: bool,
    /// What the check found (personal data: shown to hrss, government and auditor only).
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    pub findings: String,
    /// The departments consulted (会同有关部门).
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub consulted: Vec<String>,
}

/// Record the background check
///
/// Records HRSS's background check: `background_checked`, or `rejected` when it fails (Art. 4.2).
#[utoipa::path(
    tag = "candidates",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Candidate id")),
    request_body = BackgroundCheckRequest,
    responses((status = 200, description = "The candidate after the check", body = CandidateView))
)]
#[post("/candidates/{id}/background-check")]
async fn record_background_check(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<BackgroundCheckRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let findings = required_text("findings", &body.findings, 5000)?;
    let tx = guwen_persistence::audit::begin_write(&state.db).await?;
    let (c, s) = load_visible(&tx, &caller, &id).await?;
    let from = effective_state(&c, &s, today)?;
    let to = nomination::transition(from, CandidateAction::BackgroundCheck, body.passed)?;
    let now = guwen_persistence::audit::truncate_to_micros(ctx.now);
    let findings_text = if body.consulted.is_empty() {
        findings.clone()
    } else {
        format!("{findings}\n(consulted: {})", body.consulted.join(", "))
    };
    let changes = candidate::ActiveModel {
        background_passed: Set(Some(body.passed)),
        background_findings: Set(Some(findings_text)),
        background_checked_by: Set(Some(caller.sub().to_owned())),
        background_checked_at: Set(Some(now)),
        closing_reason: Set((!body.passed).then(|| "background check failed".to_owned())),
        ..Default::default()
    };
    transition(&tx, &c.id, from, to, changes, &ctx).await?;
    record(
        &tx,
        &ctx,
        Transition {
            action: if body.passed { AuditAction::CandidateBackgroundChecked } else { AuditAction::CandidateRejected },
            object_type: "candidate",
            object_id: &c.id,
            before: Some(from.code()),
            after: Some(to.code()),
            // The findings are personal data: the trail records the outcome, not the content.
            reason: (!body.passed).then_some("background check failed"),
            details: Some(serde_json::json!({ "step": "background_check", "passed": body.passed, "consulted": body.consulted })),
        },
    )
    .await?;
    let view = reload_view(&tx, &caller, &c.id, today).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(view))
}

// ---------------------------------------------------------------------------------------------
// Withdrawal
// ---------------------------------------------------------------------------------------------

/// Why the candidate is withdrawn.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct WithdrawalRequest {
    #[validate(length(min = 1, max = 1000))]
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub reason: String,
}

/// Withdraw a candidate
///
/// Withdraws a candidate from any state before appointment: the nominating department or HRSS.
#[utoipa::path(
    tag = "candidates",
    security(("bearer" = ["department", "hrss"])),
    params(("id" = String, Path, description = "Candidate id")),
    request_body = WithdrawalRequest,
    responses((status = 200, description = "The withdrawn candidate", body = CandidateView))
)]
#[post("/candidates/{id}/withdrawal")]
async fn withdraw(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<WithdrawalRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let reason = required_text("reason", &body.reason, 1000)?;
    let tx = guwen_persistence::audit::begin_write(&state.db).await?;
    let (c, s) = load_visible(&tx, &caller, &id).await?;
    require_may_act(&caller, &c, &s, CandidateAction::Withdraw)?;
    let shown = effective_state(&c, &s, today)?;
    let to = nomination::transition(shown, CandidateAction::Withdraw, true)?;
    let from = stored_state(&c)?;
    let changes = candidate::ActiveModel {
        closing_reason: Set(Some(reason.clone())),
        ..Default::default()
    };
    transition(&tx, &c.id, from, to, changes, &ctx).await?;
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::CandidateWithdrawn,
            object_type: "candidate",
            object_id: &c.id,
            before: Some(shown.code()),
            after: Some(to.code()),
            reason: Some(&reason),
            details: None,
        },
    )
    .await?;
    let view = reload_view(&tx, &caller, &c.id, today).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(view))
}

// ---------------------------------------------------------------------------------------------
// Appointment (Art. 3, 4.6, 5.5)
// ---------------------------------------------------------------------------------------------

/// The appointment: term, agreement and certificate.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct AppointmentRequest {
    /// Whole years, 1 to 3 (Art. 3).
    #[schema(example = 2)]
    pub term_years: u32,
    /// First day of the term (China Standard Time); the end date is derived.
    pub starts_on: NaiveDate,
    /// Reference of the signed appointment agreement (聘任协议).
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "二政顾聘〔2026〕3号",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub agreement_ref: String,
    /// Certificate number (聘书编号), unique; trimmed and upper-cased.
    #[schema(example = "EL-GW-2026-003", pattern = r"^\s*[A-Za-z0-9/-]{3,40}\s*$")]
    pub certificate_no: String,
}

/// An advisor's term.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TermView {
    /// 1 for the first term, then renewals.
    pub number: i32,
    pub starts_on: NaiveDate,
    /// Last day of the term.
    pub ends_on: NaiveDate,
    pub years: i32,
    pub agreement_ref: String,
    pub certificate_no: String,
}

/// Appoint a candidate
///
/// Appoints a candidate whose notice has passed: refused while the 7-day window is open
/// (`notice_window_open`) or an objection is unresolved (`objection_open`); checks the term
/// (1–3 years), the age (under 70 unless an approved exception) and the cap (Art. 3, 4.1,
/// 4.6, 5.5). Creates the advisor, who then appears on the public roster.
#[utoipa::path(
    tag = "candidates",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Candidate id")),
    request_body = AppointmentRequest,
    responses((status = 201, description = "The new advisor", body = super::advisors::AdvisorView, headers(("Location" = String, description = "The advisor's URL"))))
)]
#[post("/candidates/{id}/appointment")]
async fn appoint(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<AppointmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let agreement_ref = required_text("agreement_ref", &body.agreement_ref, 200)?;
    let certificate_no = appointment::normalize_certificate_no(&body.certificate_no)
        .map_err(|v| ApiError::invalid_field("certificate_no", v.message))?;
    let tx = guwen_persistence::audit::begin_write(&state.db).await?;
    let (c, s) = load_visible(&tx, &caller, &id).await?;
    // Serialise appointments on every replica: the cap is counted under this lock.
    guard::lock(&tx, "advisor_appointment").await?;
    // Every advisor whose term has not ended counts, including terms that start later.
    let active = advisor::Entity::find()
        .filter(advisor::Column::Status.is_in(super::advisors::IN_OFFICE.map(|s| s.code())))
        .filter(advisor::Column::TermEndsOn.gte(today))
        .count(&tx)
        .await?;
    let stored = stored_state(&c)?;
    let facts = AppointmentFacts {
        state: stored,
        notice: s
            .notice
            .as_ref()
            .map(|n| NoticeWindow::from_start(n.starts_on)),
        open_objections: u32::try_from(s.open_objections).unwrap_or(u32::MAX),
        party_committee_reported: s
            .list
            .as_ref()
            .is_some_and(|l| l.party_committee_reported_on.is_some()),
        birth_date: c.birth_date,
        age_exception: c.age_exception_reason.clone().map(|reason| AgeException {
            reason,
            approved_by_government: c.age_exception_approved,
        }),
        active_advisors: u32::try_from(active).unwrap_or(u32::MAX),
        cap: state.config.advisor_cap,
    };
    let term = appointment::check_appointment(&facts, body.starts_on, body.term_years, today)?;
    let advisor_id = new_id();
    let now = guwen_persistence::audit::truncate_to_micros(ctx.now);
    let changes = candidate::ActiveModel {
        advisor_id: Set(Some(advisor_id.clone())),
        ..Default::default()
    };
    transition(&tx, &c.id, stored, CandidateState::Appointed, changes, &ctx).await?;
    let years = i32::try_from(term.years).unwrap_or(i32::MAX);
    let inserted = advisor::Entity::insert(advisor::ActiveModel {
        id: Set(advisor_id.clone()),
        candidate_id: Set(c.id.clone()),
        status: Set(guwen_domain::office::AdvisorStatus::Active),
        version: Set(1),
        name: Set(c.name.clone()),
        employer: Set(c.employer.clone()),
        title: Set(c.title.clone()),
        field_code: Set(c.field_code.clone()),
        lead_org_id: Set(c.lead_org_id.clone()),
        certificate_no: Set(certificate_no.clone()),
        agreement_ref: Set(agreement_ref.clone()),
        term_starts_on: Set(term.starts_on),
        term_ends_on: Set(term.ends_on),
        term_years: Set(years),
        appointed_at: Set(now),
        updated_at: Set(now),
    })
    .exec_without_returning(&tx)
    .await;
    let term_inserted = match inserted {
        Ok(_) => {
            advisor_term::Entity::insert(advisor_term::ActiveModel {
                id: Set(new_id()),
                advisor_id: Set(advisor_id.clone()),
                number: Set(1),
                starts_on: Set(term.starts_on),
                ends_on: Set(term.ends_on),
                years: Set(years),
                agreement_ref: Set(agreement_ref.clone()),
                certificate_no: Set(certificate_no.clone()),
                recorded_at: Set(now),
            })
            .exec_without_returning(&tx)
            .await
        }
        Err(e) => Err(e),
    };
    if let Err(e) = term_inserted {
        tx.rollback().await?;
        return Err(if is_unique_violation(&e) {
            ApiError::conflict(
                "duplicate_certificate_no",
                format!("certificate number {certificate_no} is already issued"),
            )
        } else {
            e.into()
        });
    }
    record(
        &tx,
        &ctx,
        Transition {
            action: AuditAction::CandidateAppointed,
            object_type: "candidate",
            object_id: &c.id,
            before: Some(CandidateState::NoticePassed.code()),
            after: Some(CandidateState::Appointed.code()),
            reason: None,
            details: Some(serde_json::json!({
                "advisor_id": advisor_id,
                "term_starts_on": term.starts_on,
                "term_ends_on": term.ends_on,
                "term_years": term.years,
                "agreement_ref": agreement_ref,
                "certificate_no": certificate_no,
            })),
        },
    )
    .await?;
    let view = super::advisors::load_view(&state, &tx, &caller, &advisor_id, today).await?;
    tx.commit().await?;
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/advisors/{advisor_id}"),
        ))
        .json(view))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_candidate)
        .service(list_candidates)
        .service(get_candidate)
        .service(record_preliminary_review)
        .service(record_background_check)
        .service(withdraw)
        .service(appoint);
}
