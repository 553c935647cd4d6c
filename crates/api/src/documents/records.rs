//! Documents of record: what the organising unit drafts from finalised minutes and submits to
//! the government (Art. 11), and the certificate (聘书) and agreement (聘任协议) of each term
//! (Art. 4.6), revoked (收回) when the advisor is dismissed or resigns (Art. 12, 13).

use actix_web::{HttpResponse, get, http::Method, post, web};
use guwen_domain::{
    Labelled,
    audit::AuditAction,
    documents::{self, AdvisorDocumentKind, AttachmentOwner},
};
use guwen_persistence::{
    audit::Context,
    store::{Event, Tx, documents as store, insert_row, new_id, work as work_store},
};

use super::{
    policy::{self, MEETING_DOCUMENTS, sees_advisor_documents, visible_meeting},
    views::{
        AdvisorDocumentList, AdvisorDocumentView, IssueDocumentRequest, MeetingDocumentList,
        MeetingDocumentRequest, MeetingDocumentView,
    },
    with_files,
};
use crate::{prelude::*, work::policy as work_policy};

/// Record a document drafted from the minutes
///
/// After the minutes are final, the organising unit (or HRSS) records a document drafted from
/// them and its submission to the government: title, reference (文号) and date (Art. 11);
/// attach its files with `POST /api/v1/meeting-documents/{id}/attachments`.
///
/// Refused with `minutes_not_final`.
#[utoipa::path(
    operation_id = "recordMeetingDocument",
    tag = "meetings",
    security(("bearer" = ["government", "department", "hrss"])),
    params(("id" = String, Path, description = "Meeting id"), IdempotencyKey),
    request_body = MeetingDocumentRequest,
    responses((status = 201, description = "The document", body = MeetingDocumentView, headers(("Location" = String, description = "The meeting's documents"))))
)]
#[post("/meetings/{id}/documents")]
pub async fn record_meeting_document(
    call: Creating,
    id: web::Path<String>,
    body: ApiJson<MeetingDocumentRequest>,
) -> Result<HttpResponse, ApiError> {
    let title = required_line("title", &body.title, 200)?;
    let reference = required_line("reference", &body.reference, 200)?;
    if body.submitted_on > call.state.clock.today() {
        return Err(ApiError::invalid_field(
            "submitted_on",
            "is in the future: record a submission once it is made",
        ));
    }
    let ctx = call.audit();
    write_as(&call, &body.0, async |tx| {
        let m = visible_meeting(tx, &call.caller, &id).await?;
        work_policy::require_organiser(
            &call.state.access,
            &call.caller,
            &m,
            &Method::POST,
            MEETING_DOCUMENTS,
        )?;
        documents::check_minutes_final(policy::store_minutes_finalized(tx, &m).await?)?;
        let doc_id = new_id();
        let event = Event::new(AuditAction::MeetingDocumentRecorded, "meeting", &m.id).details(
            serde_json::json!({
                "meeting_document_id": doc_id, "title": title, "reference": reference,
                "submitted_on": body.submitted_on, "submitted_to": "government",
            }),
        );
        let new = store::NewMeetingDocument {
            id: doc_id,
            meeting_id: m.id.clone(),
            title: title.clone(),
            reference: reference.clone(),
            submitted_on: body.submitted_on,
        };
        let saved = store::insert_meeting_document(tx, &ctx, new, event).await?;
        Ok(Created::at(
            format!("/api/v1/meetings/{}/documents", m.id),
            MeetingDocumentView::of(saved, Vec::new()),
        ))
    })
    .await
}

/// List the documents drafted from a meeting's minutes
///
/// The documents drafted from the minutes and their submission to the government (Art. 11),
/// oldest first, with their files; for everyone who sees the meeting.
#[utoipa::path(
    operation_id = "listMeetingDocuments",
    tag = "meetings",
    security(("bearer" = ["government", "department", "hrss", "auditor", "advisor"])),
    params(("id" = String, Path, description = "Meeting id")),
    responses((status = 200, description = "The documents", body = MeetingDocumentList))
)]
#[get("/meetings/{id}/documents")]
pub async fn list_meeting_documents(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let m = visible_meeting(&state.db, &caller, &id).await?;
    let docs = store::meeting_documents_of(&state.db, &m.id).await?;
    let owner = AttachmentOwner::MeetingDocuments;
    let items = with_files(&state.db, owner, docs, |d| &d.id, MeetingDocumentView::of).await?;
    Ok(HttpResponse::Ok().json(MeetingDocumentList { items }))
}

/// Issue a certificate or agreement
///
/// HRSS records the appointment certificate (聘书, its number) or agreement (聘任协议, its
/// reference) of a term of an advisor in office (Art. 4.6): by default the latest term (the
/// new one after a renewal). One of each kind per term (`duplicate`). Attach the scanned
/// document with `POST /api/v1/advisor-documents/{id}/attachments`.
///
/// Refused with `advisor_not_in_office`, `duplicate`.
#[utoipa::path(
    operation_id = "issueAdvisorDocument",
    tag = "advisors",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Advisor id"), IdempotencyKey),
    request_body = IssueDocumentRequest,
    responses((status = 201, description = "The document", body = AdvisorDocumentView, headers(("Location" = String, description = "The advisor's documents"))))
)]
#[post("/advisors/{id}/documents")]
pub async fn issue_advisor_document(
    call: Creating,
    id: web::Path<String>,
    body: ApiJson<IssueDocumentRequest>,
) -> Result<HttpResponse, ApiError> {
    let today = call.state.clock.today();
    let ctx = call.audit();
    write_as(&call, &body.0, async |tx| {
        let a = work_store::advisor_standing(tx, &id)
            .await?
            .ok_or_else(|| ApiError::not_found("advisor"))?;
        documents::check_document_issuable(
            guwen_domain::office::check_acting_advisor(
                a.status,
                a.term_starts_on,
                a.office_ends_on,
                today,
            )
            .is_ok(),
        )?;
        let term = store::term_of(tx, &a.id, body.term_number)
            .await?
            .ok_or_else(|| ApiError::not_found("term"))?;
        let reference = match body.kind {
            AdvisorDocumentKind::Certificate => term.certificate_no.clone(),
            AdvisorDocumentKind::Agreement => term.agreement_ref.clone(),
        };
        let doc_id = new_id();
        let event = Event::new(AuditAction::AdvisorDocumentIssued, "advisor", &a.id).details(
            serde_json::json!({
                "advisor_document_id": doc_id, "kind": body.kind.code(),
                "term_number": term.number, "reference": reference,
            }),
        );
        let new = store::AdvisorDocument {
            id: doc_id,
            advisor_id: a.id.clone(),
            term_id: term.id.clone(),
            term_number: term.number,
            kind: body.kind,
            reference,
            state: documents::AdvisorDocumentState::Issued,
            issued_by: ctx.actor.sub.clone(),
            issued_at: ctx.stamp(),
            revoked_at: None,
            revoked_reason: None,
        };
        let saved = insert_row(tx, &ctx, new, event)
            .await
            .map_err(ApiError::on_duplicate(|| {
                ApiError::new(
                    ProblemCode::Duplicate,
                    format!("the {} of this term is already issued", body.kind.code()),
                )
                .with_article("Art. 4.6")
            }))?;
        Ok(Created::at(
            format!("/api/v1/advisors/{}/documents", a.id),
            AdvisorDocumentView::of(saved, Vec::new()),
        ))
    })
    .await
}

/// List an advisor's certificates and agreements
///
/// Every certificate and agreement of the advisor's terms, issued or revoked (收回), with their
/// files (Art. 4.6, 13): for HRSS, the government, auditors and the advisor themself.
#[utoipa::path(
    operation_id = "listAdvisorDocuments",
    tag = "advisors",
    security(("bearer" = ["hrss", "government", "auditor", "advisor"])),
    params(("id" = String, Path, description = "Advisor id")),
    responses((status = 200, description = "The documents", body = AdvisorDocumentList))
)]
#[get("/advisors/{id}/documents")]
pub async fn list_advisor_documents(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    if !sees_advisor_documents(&caller, &id) {
        return Err(ApiError::not_found("advisor"));
    }
    let a = work_store::advisor_standing(&state.db, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("advisor"))?;
    let docs = store::advisor_documents_of(&state.db, &a.id).await?;
    let owner = AttachmentOwner::AdvisorDocuments;
    let items = with_files(&state.db, owner, docs, |d| &d.id, AdvisorDocumentView::of).await?;
    Ok(HttpResponse::Ok().json(AdvisorDocumentList { items }))
}

/// Art. 12, 13 (收回聘书): revokes the advisor's issued certificates and agreements, each with
/// its event, in the transaction that records the dismissal or resignation.
pub async fn revoke_on_leaving(
    tx: &Tx,
    ctx: &Context,
    advisor_id: &str,
    why: &str,
) -> Result<(), ApiError> {
    store::revoke_advisor_documents(tx, ctx, advisor_id, why, |d| {
        Event::new(AuditAction::AdvisorDocumentRevoked, "advisor", advisor_id)
            .reason(Some(why))
            .details(serde_json::json!({
                "advisor_document_id": d.id, "kind": d.kind.code(),
                "term_number": d.term_number, "reference": d.reference,
            }))
    })
    .await?;
    Ok(())
}
