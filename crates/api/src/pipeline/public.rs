//! The public, without a token (Art. 4.5–4.6): notices, objections, the roster of advisors,
//! and self-nominations. Public responses carry name, employer, title, field and term only.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use guwen_domain::{
    appointment::{self, NoticeWindow, ObjectionStatus},
    audit::AuditAction,
    nomination::NominationChannel,
    time::to_cst,
};
use guwen_persistence::store::{
    Direction, Event, PageOf, insert_row, new_id,
    pipeline::{self as store, Objection},
};

use super::{
    candidates::nominate,
    throttle::{client_network, rate_limit},
    views::{
        ObjectionReceipt, ObjectionRequest, PublicNotice, RosterEntry, SelfNominationReceipt,
        SelfNominationRequest, check_birth_date, public_notice,
    },
};
use crate::fields::{FieldRef, find_field};
use crate::prelude::*;

/// List public notices
///
/// Public notices, newest first.
#[utoipa::path(
    operation_id = "listPublicNotices",
    tag = "public",
    security(()),
    params(PageParams),
    responses(
        (status = 200, description = "A page of notices", body = Page<PublicNotice>),
        (status = 429, response = crate::http::error::TooManyRequests),
    )
)]
#[get("/public/notices")]
pub(super) async fn list_notices(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "notices";
    let request = page.request(KIND, Direction::NewestFirst)?;
    let rows = store::notices_page(&state.db, request).await?;
    let today = state.clock.today();
    let items = store::read_notices(&state.db, rows.rows)
        .await?
        .into_iter()
        .map(|read| public_notice(&read.notice, read.candidates, &read.fields, today))
        .collect();
    let page = Page::of(
        KIND,
        PageOf {
            rows: items,
            next: rows.next,
        },
        Ok,
    )?;
    Ok(HttpResponse::Ok().json(page))
}

/// Get a public notice
///
/// One public notice.
#[utoipa::path(
    operation_id = "getPublicNotice",
    tag = "public",
    security(()),
    params(("id" = String, Path, description = "Notice id")),
    responses(
        (status = 200, description = "The notice", body = PublicNotice),
        (status = 429, response = crate::http::error::TooManyRequests),
    )
)]
#[get("/public/notices/{id}")]
pub(super) async fn get_notice(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let n = store::notice(&state.db, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("notice"))?;
    let read = store::read_notice(&state.db, n).await?;
    let view = public_notice(
        &read.notice,
        read.candidates,
        &read.fields,
        state.clock.today(),
    );
    Ok(HttpResponse::Ok().json(view))
}

/// File an objection
///
/// Files an objection while the notice window is open (Art. 4.5). No token; limited per
/// client address.
///
/// Refused with `notice_window_closed`.
#[utoipa::path(
    operation_id = "fileObjection",
    tag = "public",
    security(()),
    params(("id" = String, Path, description = "Notice id"), IdempotencyKey),
    request_body = ObjectionRequest,
    responses(
        (status = 201, description = "Filed", body = ObjectionReceipt),
        (status = 429, response = crate::http::error::TooManyRequests),
    )
)]
#[post("/public/notices/{id}/objections")]
pub(super) async fn file_objection(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: ApiJson<ObjectionRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    let texts = body.texts()?;
    let n = store::notice(&state.db, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("notice"))?;
    let client = rate_limit(&req, &state, "objection").await?;
    let network = client_network(&req, &state);
    let scope = format!("addr:{client}");
    write_as(Writer::new(&state, &req, scope, &key), &body, async |tx| {
        let c = store::candidate(tx, &body.candidate_id)
            .await?
            .filter(|c| c.notice_id.as_deref() == Some(n.id.as_str()))
            .ok_or_else(|| ApiError::invalid_field("candidate_id", "is not on this notice"))?;
        appointment::check_can_object(&NoticeWindow::from_start(n.starts_on), today)?;
        appointment::check_objection_target(c.state)?;
        let objection_id = new_id();
        let event = Event::new(AuditAction::ObjectionFiled, "objection", &objection_id)
            .after(ObjectionStatus::Open)
            .details(serde_json::json!({
                "notice_id": n.id,
                "candidate_id": c.id,
                "client_network": network,
            }));
        let objection = Objection {
            id: objection_id,
            notice_id: n.id.clone(),
            candidate_id: c.id,
            content: texts.content.clone(),
            contact_name: texts.contact_name.clone(),
            contact: texts.contact.clone(),
            status: ObjectionStatus::Open,
            filed_at: ctx.stamp(),
            resolved_by: None,
            resolved_at: None,
            resolution_reason: None,
        };
        let filed = insert_row(tx, &ctx, objection, event).await?;
        Ok(Created::at(
            format!("/api/v1/public/notices/{}", n.id),
            ObjectionReceipt::from(filed),
        ))
    })
    .await
}

/// Get the public roster
///
/// The public roster: advisors in office today (Art. 4.6, 向社会公开).
#[utoipa::path(
    operation_id = "getPublicRoster",
    tag = "public",
    security(()),
    params(PageParams),
    responses(
        (status = 200, description = "A page of advisors in office", body = Page<RosterEntry>),
        (status = 429, response = crate::http::error::TooManyRequests),
    )
)]
#[get("/public/roster")]
pub(super) async fn roster(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "roster";
    let request = page.request(KIND, Direction::OldestFirst)?;
    let rows = store::roster_page(&state.db, state.clock.today(), request).await?;
    let fields = store::fields_by_code(&state.db).await?;
    let page = Page::of(KIND, rows, |a| Ok(RosterEntry::of(a, &fields)))?;
    Ok(HttpResponse::Ok().json(page))
}

/// Nominate oneself
///
/// An expert or scholar nominates themself (Art. 4.1, 专家学者自荐). No token; limited per
/// client address; routed to the lead department of the chosen field.
///
/// Refused with `ineligible_experience`.
#[utoipa::path(
    operation_id = "selfNominate",
    tag = "public",
    security(()),
    params(IdempotencyKey),
    request_body = SelfNominationRequest,
    responses(
        (status = 201, description = "Received", body = SelfNominationReceipt),
        (status = 429, response = crate::http::error::TooManyRequests),
    )
)]
#[post("/public/self-nominations")]
pub(super) async fn self_nominate(
    state: web::Data<AppState>,
    req: HttpRequest,
    key: IdempotencyKey,
    body: ApiJson<SelfNominationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ctx = audit_context(&req, &state);
    let today = state.clock.today();
    body.check_reachable()?;
    check_birth_date(body.birth_date, today)?;
    let nomination = body.nomination()?;
    let field = find_field(&state.db, &body.field).await?;
    let client = rate_limit(&req, &state, "self_nomination").await?;
    let network = client_network(&req, &state);
    let scope = format!("addr:{client}");
    write_as(Writer::new(&state, &req, scope, &key), &body, async |tx| {
        let id = nominate(tx, &ctx, nomination.clone(), &field, Some(network.clone())).await?;
        Ok(Created {
            status: actix_web::http::StatusCode::CREATED,
            body: SelfNominationReceipt {
                id,
                channel: NominationChannel::SelfNomination,
                field: FieldRef::from(&field),
                routed_to_org_id: field.lead_org_id.clone(),
                received_at: to_cst(ctx.now),
            },
            location: None,
        })
    })
    .await
}
