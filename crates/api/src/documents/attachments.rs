//! Attachments (Art. 4.6, 7(5), 8, 11, 13): one design for every object that carries files.
//! The upload streams the request body into the object store, hashing it (SHA-256) and
//! enforcing the size limit as it goes; the record and its audit event (with the SHA-256) are
//! written in one transaction afterwards, and the stored bytes are removed if that fails.
//! Everyone who sees the object sees its files, and no one else.

use actix_web::{HttpResponse, get, http::header, post, web};
use base64::Engine;
use guwen_domain::{Labelled, audit::AuditAction, documents};
use guwen_persistence::{
    idempotency,
    store::{Event, documents as store, insert_row, new_id},
};
use serde::Serialize;

use super::{
    policy::{may_attach, visible_owner},
    storage::too_large,
    views::{AttachmentList, AttachmentView, OwnerPath, UploadParams},
};
use crate::{
    http::idempotency::{fingerprint, replay},
    prelude::*,
};

/// A file, in the spec.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(#[allow(dead_code)] pub Vec<u8>);

/// A file to upload: at most `GUWEN_ATTACHMENT_MAX_BYTES` (by default the 25 MiB declared here).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary, max_length = 26214400)]
pub struct UploadedFile(#[allow(dead_code)] pub Vec<u8>);

/// What makes two uploads "the same" for one `Idempotency-Key`.
#[derive(Serialize)]
struct UploadFingerprint<'a> {
    owner: &'a str,
    id: &'a str,
    file_name: &'a str,
    content_type: &'a str,
}

/// Attach a file
///
/// Uploads one file to an object: the body is the file's bytes, its `Content-Type` one of PDF,
/// PNG/JPEG/GIF/WebP/TIFF images, Word/Excel/PowerPoint, OpenDocument or plain text (415
/// `unsupported_media_type` otherwise), at most `GUWEN_ATTACHMENT_MAX_BYTES` (413
/// `payload_too_large`). Its SHA-256 is recorded with it and in the audit trail. Who may
/// attach: the advisor who wrote an opinion, a progress report (Art. 7(5)) or a resignation
/// letter (Art. 13); the organiser or HRSS for minutes not yet final and for the documents
/// drafted from them (Art. 11); HRSS for a certificate or agreement (Art. 4.6).
///
/// Refused with `minutes_finalized`, `document_revoked`, `advisor_not_in_office`,
/// `invalid_transition`, `storage_unavailable`.
#[utoipa::path(
    operation_id = "uploadAttachment",
    tag = "attachments",
    security(("bearer" = ["advisor", "hrss", "government", "department"])),
    params(OwnerPath, UploadParams, IdempotencyKey),
    request_body(description = "The file's bytes", content(
        (UploadedFile = "application/pdf"),
        (UploadedFile = "image/png"),
        (UploadedFile = "image/jpeg"),
        (UploadedFile = "text/plain"),
        (UploadedFile = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (UploadedFile = "application/vnd.oasis.opendocument.text"),
    )),
    responses(
        (status = 201, description = "The attachment", body = AttachmentView, headers(("Location" = String, description = "The file's download URL"))),
        (status = 404, description = "No such object, or not one the caller may see (problem+json)", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is larger than `GUWEN_ATTACHMENT_MAX_BYTES` (problem+json)", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The `Content-Type` is not one attachments may have (problem+json)", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "The file storage is unavailable (problem+json)", body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{owner}/{id}/attachments")]
pub async fn upload_attachment(
    call: Signed,
    path: web::Path<OwnerPath>,
    query: web::Query<UploadParams>,
    key: IdempotencyKey,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let today = call.state.clock.today();
    let declared = call
        .http
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let content_type = documents::accepted_content_type(declared).ok_or_else(|| {
        ApiError::new(
            ProblemCode::UnsupportedMediaType,
            format!("`{declared}` is not a content type attachments may have (PDF, images, Office or OpenDocument files, plain text)"),
        )
    })?;
    let file_name = required_line("file_name", &query.file_name, 255)?;
    let max = call.state.files.max_bytes;
    let announced = call
        .http
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > max) {
        return Err(too_large(max));
    }
    let (owner, id) = (path.owner, path.id.clone());
    let request = UploadFingerprint {
        owner: owner.code(),
        id: &id,
        file_name: &file_name,
        content_type,
    };
    // A retry answers as the first upload did, without reading the file again.
    let scope = call.caller.idempotency_scope();
    if let Some(k) = &key.0
        && let Some(stored) = idempotency::find(&call.state.db, &scope, k).await?
    {
        return replay(stored, &fingerprint(&call.http, &request));
    }
    let found = visible_owner(&call.state.db, &call.caller, owner, &id).await?;
    may_attach(
        &call.state.db,
        &call.state.access,
        &call.caller,
        &found,
        today,
    )
    .await?;
    let attachment_id = new_id();
    let object_key = format!("attachments/{attachment_id}");
    let stored = call.state.files.put_stream(&object_key, body).await?;
    let ctx = call.audit();
    let recorded = write_as(
        Writer::new(&call.state, &call.http, scope, &key),
        &request,
        async |tx| {
            let found = visible_owner(tx, &call.caller, owner, &id).await?;
            may_attach(tx, &call.state.access, &call.caller, &found, today).await?;
            let new = store::Attachment {
                id: attachment_id.clone(),
                owner_type: owner,
                owner_id: id.clone(),
                file_name: file_name.clone(),
                content_type: content_type.to_owned(),
                size_bytes: i64::try_from(stored.size).map_err(ApiError::internal)?,
                sha256: stored.sha256.clone(),
                object_key: stored.key.clone(),
                uploaded_by: ctx.actor.sub.clone(),
                uploaded_at: ctx.stamp(),
            };
            let event = Event::new(
                AuditAction::AttachmentUploaded,
                "attachment",
                &attachment_id,
            )
            .details(serde_json::json!({
                "owner_type": owner.code(),
                "owner_id": id,
                "file_name": file_name,
                "content_type": content_type,
                "size_bytes": stored.size,
                "sha256": stored.sha256,
            }));
            let saved = insert_row(tx, &ctx, new, event).await?;
            Ok(Created::at(
                format!("/api/v1/attachments/{attachment_id}/content"),
                AttachmentView::from(saved),
            ))
        },
    )
    .await;
    let recorded_ok = recorded
        .as_ref()
        .is_ok_and(|r| r.status() == actix_web::http::StatusCode::CREATED);
    if !recorded_ok {
        // Refused, or a concurrent retry recorded its own copy: these bytes belong to no record.
        call.state.files.discard(&stored.key).await;
    }
    recorded
}

/// List an object's attachments
///
/// The files of an object the caller may see, oldest first (404 for an object the caller may
/// not see): `opinions`, `progress-reports`, `resignations`, `minutes` (by meeting id),
/// `meeting-documents`, `advisor-documents`.
#[utoipa::path(
    operation_id = "listAttachments",
    tag = "attachments",
    security(("bearer" = ["advisor", "hrss", "government", "auditor", "department", "integration"])),
    params(OwnerPath),
    responses((status = 200, description = "The attachments", body = AttachmentList))
)]
#[get("/{owner}/{id}/attachments")]
pub async fn list_attachments(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<OwnerPath>,
) -> Result<HttpResponse, ApiError> {
    visible_owner(&state.db, &caller, path.owner, &path.id).await?;
    let items = store::attachments_of(&state.db, path.owner, &path.id).await?;
    Ok(HttpResponse::Ok().json(AttachmentList {
        items: items.into_iter().map(AttachmentView::from).collect(),
    }))
}

/// `attachment; filename="…"; filename*=UTF-8''…` for a stored file name.
fn disposition(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded =
        percent_encoding::utf8_percent_encode(file_name, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Download an attachment
///
/// The file's bytes, streamed with the content type recorded at upload, `Content-Disposition:
/// attachment`, `Cache-Control: no-store` and its SHA-256 in `Repr-Digest`; 404 unless the
/// caller may see the object it belongs to.
///
/// Refused with `storage_unavailable`.
#[utoipa::path(
    operation_id = "downloadAttachment",
    tag = "attachments",
    security(("bearer" = ["advisor", "hrss", "government", "auditor", "department", "integration"])),
    params(("id" = String, Path, description = "Attachment id")),
    responses(
        (status = 200, description = "The file", headers(
            ("Content-Disposition" = String, description = "`attachment` with the file's name"),
            ("Cache-Control" = String, description = "`no-store`"),
            ("Repr-Digest" = String, description = "`sha-256=:<base64>:` of the bytes"),
        ), content(
            (FileBytes = "application/pdf"),
            (FileBytes = "application/octet-stream"),
        )),
        (status = 503, description = "The file storage is unavailable (problem+json)", body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/attachments/{id}/content")]
pub async fn download_attachment(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let missing = || ApiError::not_found("attachment");
    let a = store::attachment_by_id(&state.db, &id)
        .await?
        .ok_or_else(missing)?;
    visible_owner(&state.db, &caller, a.owner_type, &a.owner_id)
        .await
        .map_err(|_| missing())?;
    let bytes = state.files.get_stream(&a.object_key).await?;
    let digest = hex::decode(&a.sha256)
        .map(|raw| {
            format!(
                "sha-256=:{}:",
                base64::engine::general_purpose::STANDARD.encode(raw)
            )
        })
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type(a.content_type.as_str())
        .insert_header((header::CONTENT_DISPOSITION, disposition(&a.file_name)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("Repr-Digest", digest))
        .no_chunking(u64::try_from(a.size_bytes).unwrap_or_default())
        .streaming(bytes))
}

#[cfg(test)]
mod tests {
    use crate::config::DEFAULT_ATTACHMENT_MAX_BYTES;

    #[test]
    fn the_spec_declares_the_default_upload_limit() {
        let doc = crate::openapi_document();
        assert_eq!(
            doc["components"]["schemas"]["UploadedFile"]["maxLength"],
            DEFAULT_ATTACHMENT_MAX_BYTES
        );
    }
}
