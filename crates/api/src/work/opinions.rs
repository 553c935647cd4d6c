//! Opinions (Art. 8, 9): an advisor may always give an independent opinion, by letter, phone,
//! e-mail, research report or written opinion; on a major issue it must be written. An opinion
//! on an assignment delivers it, on time or overdue against the task's deadline.

use actix_web::{HttpResponse, get, post, web};
use guwen_domain::{audit::AuditAction, work};
use guwen_persistence::store::{
    self, Direction, Event,
    work::{self as work_store, Opinion},
};

use super::{
    policy,
    progress::refresh_task_state,
    views::{CreateOpinionRequest, OpinionFilter, OpinionView, confidentiality_or_internal},
};
use crate::{office::standing::acting_advisor, prelude::*};

/// Submit an opinion
///
/// Submits the advisor's own opinion (Art. 8, 9); with `assignment_id` it delivers that
/// assignment. A recused advisor can no longer deliver (`recused`, Art. 10).
///
/// Refused with `major_issue_needs_written_opinion`, `state_secret_not_allowed`.
#[utoipa::path(
    operation_id = "createOpinion",
    tag = "opinions",
    security(("bearer" = ["advisor"])),
    request_body = CreateOpinionRequest,
    params(IdempotencyKey),
    responses(
        (status = 201, description = "The opinion", body = OpinionView, headers(("Location" = String, description = "The opinion's URL"))),
        (status = 404, description = "No such assignment, or not one the caller may see (problem+json)", body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/opinions")]
pub async fn create_opinion(
    call: Creating,
    body: ApiJson<CreateOpinionRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = call.audit();
    let today = call.state.clock.today();
    let me = policy::advisor_of(&call.caller)?;
    let confidentiality = confidentiality_or_internal(body.confidentiality.as_deref())?;
    let subject = required_line("subject", &body.subject, 200)?;
    optional_identifier("assignment_id", body.assignment_id.as_deref(), ID_MAX)?;
    let content = required_text("content", &body.content, 50000)?;
    write_as(&call, &body, async |tx| {
        acting_advisor(tx, &call.caller, today).await?;
        let delivery = match &body.assignment_id {
            Some(aid) => {
                let a = work_store::own_assignment(tx, me, aid)
                    .await?
                    .ok_or_else(|| ApiError::not_found("assignment"))?;
                let t = work_store::task_by_id(tx, &a.task_id)
                    .await?
                    .ok_or_else(|| ApiError::internal("assignment without task"))?;
                work::check_can_deliver(a.state)?;
                Some((a, t))
            }
            None => None,
        };
        let major = body.major_issue || delivery.as_ref().is_some_and(|(_, t)| t.major_issue);
        work::check_opinion_channel(body.channel, major)?;
        let timeliness = delivery
            .as_ref()
            .map(|(_, t)| work::delivery_timeliness(t.deadline, today));
        let id = store::new_id();
        let new = Opinion {
            id: id.clone(),
            advisor_id: me.to_owned(),
            task_id: delivery.as_ref().map(|(_, t)| t.id.clone()),
            assignment_id: delivery.as_ref().map(|(a, _)| a.id.clone()),
            channel: body.channel,
            major_issue: major,
            subject: subject.clone(),
            content: content.clone(),
            confidentiality,
            timeliness,
            submitted_at: ctx.stamp(),
        };
        let event = Event::new(AuditAction::OpinionSubmitted, "opinion", &id).details(
            serde_json::json!({ "channel": body.channel, "major_issue": major, "assignment_id": body.assignment_id }),
        );
        let saved = store::insert_row(tx, &ctx, new, event).await?;
        if let (Some((a, t)), Some(timeliness)) = (delivery, timeliness) {
            let event = Event::new(AuditAction::AssignmentDelivered, "assignment", &a.id)
                .details(serde_json::json!({ "opinion_id": id, "timeliness": timeliness, "deadline": t.deadline }));
            work_store::deliver_assignment(tx, &ctx, &a.id, a.state, &id, timeliness, event)
                .await?;
            refresh_task_state(tx, &ctx, &t.id).await?;
        }
        Ok(Created::at(
            format!("/api/v1/opinions/{id}"),
            OpinionView::from(saved),
        ))
    })
    .await
}

/// List opinions
///
/// Opinions the caller may read, newest first: an advisor their own; a department those on
/// tasks it requested; hrss, government and auditor all.
#[utoipa::path(
    operation_id = "listOpinions",
    tag = "opinions",
    security(("bearer" = ["advisor", "hrss", "government", "auditor", "department"])),
    params(OpinionFilter, PageParams),
    responses((status = 200, description = "A page of opinions", body = Page<OpinionView>))
)]
#[get("/opinions")]
pub async fn list_opinions(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<OpinionFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "opinions";
    let request = page.request(KIND, Direction::NewestFirst)?;
    let scope = policy::opinion_scope(&caller);
    let got = work_store::list_opinions(&state.db, &scope, &filter.to_store(), request).await?;
    Ok(HttpResponse::Ok().json(Page::of(KIND, got, |o| Ok(OpinionView::from(o)))?))
}

/// Get an opinion
///
/// One opinion.
#[utoipa::path(
    operation_id = "getOpinion",
    tag = "opinions",
    security(("bearer" = ["advisor", "hrss", "government", "auditor", "department"])),
    params(("id" = String, Path, description = "Opinion id")),
    responses((status = 200, description = "The opinion", body = OpinionView))
)]
#[get("/opinions/{id}")]
pub async fn get_opinion(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let o = work_store::opinion_in_scope(&state.db, &policy::opinion_scope(&caller), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("opinion"))?;
    Ok(HttpResponse::Ok().json(OpinionView::from(o)))
}
