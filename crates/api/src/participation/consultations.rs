//! Consultation rounds (Art. 15 定期听取顾问的意见建议): HRSS asks the advisors in office for
//! their views on the advisor work itself, every advisor in office may answer while the round
//! is open, and HRSS records its follow-up. Read by HRSS, the government and auditors; an
//! advisor reads the rounds and their own answer; nothing is public or pushed to other systems.

use actix_web::{HttpResponse, get, post, put, web};
use guwen_domain::{audit::AuditAction, participation, role::Role};
use guwen_persistence::store::{
    self, Direction, Event, StoreError,
    participation::{self as participation_store, Consultation},
};

use super::views::{
    ConsultationAnswerRequest, ConsultationRequest, ConsultationView, FollowUpRequest,
};
use crate::{office::standing::acting_advisor, prelude::*};

/// Whose answers the caller reads: everyone's for HRSS, the government and auditors
/// (`None`), an advisor's own only.
fn answers_scope(caller: &Caller) -> Result<Option<&str>, ApiError> {
    if caller.has(Role::Hrss) || caller.has(Role::Government) || caller.has(Role::Auditor) {
        return Ok(None);
    }
    caller
        .advisor_id()
        .map(Some)
        .ok_or_else(|| ApiError::forbidden("an advisor token needs an advisor_id claim"))
}

/// One round (404 when there is none).
async fn round(db: &impl store::Connection, id: &str) -> Result<Consultation, ApiError> {
    participation_store::consultation(db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("consultation"))
}

/// The round as the caller sees it on `today`.
async fn view(
    db: &impl store::Connection,
    caller: &Caller,
    c: Consultation,
    today: chrono::NaiveDate,
) -> Result<ConsultationView, ApiError> {
    let answers = participation_store::answers_to(db, &c.id, answers_scope(caller)?).await?;
    Ok(ConsultationView::build(c, answers, today))
}

/// Open a consultation round
///
/// HRSS opens a round of consultation of the advisors on the advisor work (Art. 15, e.g. twice
/// a year): a title, the period heard, the question and the last day answers are accepted
/// (today up to 92 days ahead).
#[utoipa::path(
    operation_id = "openConsultation",
    tag = "consultations",
    security(("bearer" = ["hrss"])),
    params(IdempotencyKey),
    request_body = ConsultationRequest,
    responses((status = 201, description = "The round", body = ConsultationView, headers(("Location" = String, description = "The round's URL"))))
)]
#[post("/consultations")]
pub async fn open_consultation(
    call: Creating,
    body: ApiJson<ConsultationRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let today = call.state.clock.today();
    let title = required_line("title", &body.title, 200)?;
    let period = required_line("period", &body.period, 60)?;
    let question = required_text("question", &body.question, 5000)?;
    participation::check_consultation_period(today, body.closes_on)
        .map_err(|v| ApiError::invalid_field("closes_on", v.message))?;
    write_as(&call, &body.0, async |tx| {
        let id = store::new_id();
        let event = Event::new(AuditAction::ConsultationOpened, "consultation", &id).details(
            serde_json::json!({ "period": period, "opened_on": today, "closes_on": body.closes_on }),
        );
        let new = Consultation {
            id: id.clone(),
            title: title.clone(),
            period: period.clone(),
            question: question.clone(),
            opened_on: today,
            closes_on: body.closes_on,
            opened_by: ctx.actor.sub.clone(),
            created_at: ctx.stamp(),
            follow_up: None,
            followed_up_by: None,
            followed_up_at: None,
        };
        store::insert_row(tx, &ctx, new, event).await?;
        let c = round(tx, &id).await?;
        Ok(Created::at(
            format!("/api/v1/consultations/{id}"),
            view(tx, &call.caller, c, today).await?,
        ))
    })
    .await
}

/// List consultation rounds
///
/// The consultation rounds (Art. 15), oldest first, each with the answers the caller may read
/// (an advisor their own).
#[utoipa::path(
    operation_id = "listConsultations",
    tag = "consultations",
    security(("bearer" = ["hrss", "government", "auditor", "advisor"])),
    params(PageParams),
    responses((status = 200, description = "A page of rounds", body = Page<ConsultationView>))
)]
#[get("/consultations")]
pub async fn list_consultations(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "consultations";
    let request = page.request(KIND, Direction::OldestFirst)?;
    let today = state.clock.today();
    let scope = answers_scope(&caller)?;
    let got = participation_store::consultations(&state.db, request).await?;
    let mut items = Vec::with_capacity(got.rows.len());
    for c in &got.rows {
        let answers = participation_store::answers_to(&state.db, &c.id, scope).await?;
        items.push(ConsultationView::build(c.clone(), answers, today));
    }
    let mut items = items.into_iter();
    Ok(HttpResponse::Ok().json(Page::of(KIND, got, |_| {
        items
            .next()
            .ok_or_else(|| ApiError::internal("consultation page changed while reading"))
    })?))
}

/// Get a consultation round
///
/// One round (Art. 15) with the answers the caller may read (an advisor their own).
#[utoipa::path(
    operation_id = "getConsultation",
    tag = "consultations",
    security(("bearer" = ["hrss", "government", "auditor", "advisor"])),
    params(("id" = String, Path, description = "Round id")),
    responses((status = 200, description = "The round", body = ConsultationView))
)]
#[get("/consultations/{id}")]
pub async fn get_consultation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    identifier("id", &id, ID_MAX)?;
    let c = round(&state.db, &id).await?;
    let v = view(&state.db, &caller, c, state.clock.today()).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Answer a consultation round
///
/// An advisor in office gives their views on the advisor work (Art. 15), one answer per round,
/// which they may revise until the round closes (its last day included, China Standard Time).
///
/// Refused with `consultation_closed`, `advisor_not_in_office`.
#[utoipa::path(
    operation_id = "answerConsultation",
    tag = "consultations",
    security(("bearer" = ["advisor"])),
    params(("id" = String, Path, description = "Round id")),
    request_body = ConsultationAnswerRequest,
    responses((status = 200, description = "The round with the advisor's answer", body = ConsultationView))
)]
#[put("/consultations/{id}/answer")]
pub async fn answer_consultation(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<ConsultationAnswerRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let today = call.state.clock.today();
    identifier("id", &id, ID_MAX)?;
    let content = required_text("content", &body.content, 20000)?;
    write_as(&call, &body.0, async |tx| {
        let me = acting_advisor(tx, &call.caller, today).await?;
        let c = round(tx, &id).await?;
        participation::check_consultation_answer(c.closes_on, today)?;
        let event = Event::new(AuditAction::ConsultationAnswered, "consultation", &c.id)
            .details(serde_json::json!({ "advisor_id": me }));
        participation_store::put_answer(tx, &ctx, (&c.id, &me), content.clone(), event).await?;
        Ok(Created::ok(view(tx, &call.caller, c, today).await?))
    })
    .await
}

/// Record the follow-up of a round
///
/// HRSS records what it did with the views heard (Art. 15, 为顾问履行职责提供服务和保障),
/// once, after the round has closed.
///
/// Refused with `invalid_transition` while the round is open or when a follow-up is on record.
#[utoipa::path(
    operation_id = "followUpConsultation",
    tag = "consultations",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Round id")),
    request_body = FollowUpRequest,
    responses((status = 200, description = "The round with its follow-up", body = ConsultationView))
)]
#[post("/consultations/{id}/follow-up")]
pub async fn follow_up_consultation(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<FollowUpRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let today = call.state.clock.today();
    identifier("id", &id, ID_MAX)?;
    let follow_up = required_text("follow_up", &body.follow_up, 20000)?;
    write_as(&call, &body.0, async |tx| {
        let c = round(tx, &id).await?;
        participation::check_consultation_follow_up(c.closes_on, today)?;
        let answers = participation_store::answers_to(tx, &c.id, None).await?;
        let event = Event::new(AuditAction::ConsultationFollowedUp, "consultation", &c.id)
            .details(serde_json::json!({ "answers": answers.len() }));
        participation_store::record_follow_up(tx, &ctx, &c.id, follow_up.clone(), event)
            .await
            .map_err(|e| match e {
                StoreError::Stale { .. } => ApiError::new(
                    ProblemCode::InvalidTransition,
                    "the follow-up of this round is already on record",
                )
                .with_article("Art. 15"),
                e => e.into(),
            })?;
        let c = round(tx, &id).await?;
        Ok(Created::ok(view(tx, &call.caller, c, today).await?))
    })
    .await
}
