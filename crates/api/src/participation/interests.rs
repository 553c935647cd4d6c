//! Declarations of interest (Art. 7(2)–(3) 不得利用工作便利，为本人或者他人牟取不正当利益):
//! an advisor keeps dated entries naming organisations, and matching flags an advisor whose
//! entries name the requesting unit or a task's counterpart.

use actix_web::{HttpResponse, get, post, web};
use guwen_domain::{audit::AuditAction, participation, role::Role};
use guwen_persistence::store::{
    self, Direction, Event,
    participation::{self as participation_store, DeclaredInterest},
    work as work_store,
};

use super::views::{InterestRequest, InterestView};
use crate::{office::standing::acting_advisor, prelude::*};

/// The advisor whose declaration the caller reads or adds to: any advisor of record for
/// HRSS, the government and auditors, an advisor's own only (404 otherwise, as for an advisor
/// who does not exist).
async fn declaration_owner(
    db: &impl store::Connection,
    caller: &Caller,
    advisor_id: &str,
) -> Result<String, ApiError> {
    let staff = caller.has(Role::Hrss) || caller.has(Role::Government) || caller.has(Role::Auditor);
    if !staff && caller.advisor_id() != Some(advisor_id) {
        return Err(ApiError::not_found("advisor"));
    }
    let a = work_store::advisor_standing(db, advisor_id)
        .await?
        .ok_or_else(|| ApiError::not_found("advisor"))?;
    Ok(a.id)
}

/// Declare an interest
///
/// Adds one dated entry to an advisor's declaration of interests (Art. 7(2)–(3)): the kind
/// (employer, shareholding, board seat, client, other), the organisation and the days it
/// holds. The advisor declares their own (while in office); HRSS may record one on the
/// advisor's behalf. Entries are never deleted: an interest that ended is declared with its
/// last day.
///
/// Refused with `advisor_not_in_office`.
#[utoipa::path(
    operation_id = "declareInterest",
    tag = "advisors",
    security(("bearer" = ["advisor", "hrss"])),
    params(("id" = String, Path, description = "Advisor id"), IdempotencyKey),
    request_body = InterestRequest,
    responses((status = 201, description = "The declared interest", body = InterestView, headers(("Location" = String, description = "The declaration's URL"))))
)]
#[post("/advisors/{id}/interests")]
pub async fn declare_interest(
    call: Creating,
    id: web::Path<String>,
    body: ApiJson<InterestRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let today = call.state.clock.today();
    identifier("id", &id, ID_MAX)?;
    let organisation = required_line("organisation", &body.organisation, 200)?;
    let note = optional_text("note", body.note.as_deref(), 2000)?;
    participation::check_interest_period(body.starts_on, body.ends_on)
        .map_err(|v| ApiError::invalid_field("ends_on", v.message))?;
    write_as(&call, &body.0, async |tx| {
        let advisor_id = declaration_owner(tx, &call.caller, &id).await?;
        if !call.caller.has(Role::Hrss) {
            acting_advisor(tx, &call.caller, today).await?;
        }
        let entry_id = store::new_id();
        let event = Event::new(AuditAction::InterestDeclared, "advisor", &advisor_id).details(
            serde_json::json!({
                "interest_id": entry_id,
                "kind": body.kind,
                "organisation": organisation,
                "starts_on": body.starts_on,
                "ends_on": body.ends_on,
            }),
        );
        let new = DeclaredInterest {
            id: entry_id.clone(),
            advisor_id: advisor_id.clone(),
            kind: body.kind,
            organisation: organisation.clone(),
            starts_on: body.starts_on,
            ends_on: body.ends_on,
            note: note.clone(),
            declared_by: ctx.actor.sub.clone(),
            declared_at: ctx.stamp(),
        };
        store::insert_row(tx, &ctx, new, event).await?;
        let saved = participation_store::interest(tx, &entry_id)
            .await?
            .ok_or_else(|| ApiError::not_found("interest"))?;
        Ok(Created::at(
            format!("/api/v1/advisors/{advisor_id}/interests"),
            InterestView::from(saved),
        ))
    })
    .await
}

/// List an advisor's declared interests
///
/// The advisor's declaration of interests, in the order declared (Art. 7(2)–(3)): the advisor
/// their own, HRSS, the government and auditors any advisor's.
#[utoipa::path(
    operation_id = "listInterests",
    tag = "advisors",
    security(("bearer" = ["advisor", "hrss", "government", "auditor"])),
    params(("id" = String, Path, description = "Advisor id"), PageParams),
    responses((status = 200, description = "A page of declared interests", body = Page<InterestView>))
)]
#[get("/advisors/{id}/interests")]
pub async fn list_interests(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const KIND: &str = "interests";
    identifier("id", &id, ID_MAX)?;
    let request = page.request(KIND, Direction::OldestFirst)?;
    let advisor_id = declaration_owner(&state.db, &caller, &id).await?;
    let got = participation_store::interests_of(&state.db, &advisor_id, request).await?;
    Ok(HttpResponse::Ok().json(Page::of(KIND, got, |i| Ok(InterestView::from(i)))?))
}
