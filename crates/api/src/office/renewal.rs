//! Renewal (Art. 3): HRSS proposes a new term of 1 to 3 years; the government decides, and an
//! approved term joins the history.

use actix_web::{HttpResponse, get, post, web};
use guwen_domain::{
    audit::AuditAction,
    office::{self, AdvisorStatus, OfficeAction},
};
use guwen_persistence::store::{
    AdvisorScope, Event, new_id,
    office::{self as store, NewRenewal, RenewalProposals},
};

use super::{
    steps::{self, advisor_for, on_advisor, proposal, require_pending},
    views::{
        DecisionBody, ProposalFilter, RenewalRequest, RenewalView, certificate_already_issued,
        created,
    },
};
use crate::prelude::*;

/// Propose to renew an advisor
///
/// Proposes to renew an advisor in office or whose term has ended, for 1 to 3 years (Art. 3).
///
/// Refused with `renewal_pending`, `term_out_of_range`.
#[utoipa::path(
    operation_id = "proposeRenewal",
    tag = "advisors",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Advisor id"), IdempotencyKey),
    request_body = RenewalRequest,
    responses((status = 201, description = "The proposal", body = RenewalView))
)]
#[post("/advisors/{id}/renewal-proposals")]
async fn propose_renewal(
    call: Creating,
    id: web::Path<String>,
    body: ApiJson<RenewalRequest>,
) -> Result<HttpResponse, ApiError> {
    let today = call.state.clock.today();
    let (agreement_ref, certificate_no) = body.texts()?;
    let target = (id.as_str(), today, OfficeAction::ProposeRenewal);
    on_advisor(&call, &*body, target, async |tx, ctx, a, status| {
        office::renewal_term(a.office_ends_on, today, body.years)?;
        let pending = store::pending_renewals(tx, vec![a.id.clone()]).await?;
        office::check_no_pending_renewal(!pending.is_empty())?;
        let new = NewRenewal {
            id: new_id(),
            advisor_id: a.id.clone(),
            years: i32::try_from(body.years).unwrap_or(0),
            agreement_ref,
            certificate_no,
        };
        let event = Event::new(AuditAction::RenewalProposed, "advisor", &a.id)
            .before(status)
            .after(status)
            .details(serde_json::json!({ "proposal_id": new.id, "years": body.years }));
        let saved = store::propose_renewal(tx, ctx, new, event).await?;
        Ok(created(RenewalView::from(saved)))
    })
    .await
}

/// Decide a renewal proposal
///
/// The government approves (a new term follows the current one, or starts today if it has
/// ended; every term stays in the history) or rejects a renewal (Art. 3).
///
/// Refused with `invalid_certificate_no`, `duplicate_certificate_no`.
#[utoipa::path(
    operation_id = "decideRenewalProposal",
    tag = "advisors",
    security(("bearer" = ["government"])),
    params(("id" = String, Path, description = "Renewal proposal id")),
    request_body = DecisionBody,
    responses((status = 200, description = "The decided proposal", body = RenewalView))
)]
#[post("/renewal-proposals/{id}/decision")]
async fn decide_renewal(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<DecisionBody>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let today = call.state.clock.today();
    let (_, reason) = body.decision()?;
    write_as(&call, &*body, async |tx| {
        let r = proposal::<RenewalProposals>(tx, &id).await?;
        require_pending(r.state)?;
        if !body.approved {
            let event = Event::new(AuditAction::RenewalRejected, "advisor", &r.advisor_id)
                .reason(Some(reason.clone()))
                .details(serde_json::json!({ "proposal_id": r.id }));
            let saved = store::reject_renewal(tx, &ctx, &r, reason, event).await?;
            return Ok(Created::ok(RenewalView::from(saved)));
        }
        // The renewal must still be legal: the advisor has not left meanwhile.
        let (a, status) =
            advisor_for(tx, &r.advisor_id, today, OfficeAction::ProposeRenewal).await?;
        let years = u32::try_from(r.years).unwrap_or(0);
        let term = office::renewal_term(a.office_ends_on, today, years)?;
        let event = Event::new(AuditAction::AdvisorRenewed, "advisor", &a.id)
            .before(status)
            .after(AdvisorStatus::Active)
            .reason(Some(reason.clone()))
            .details(serde_json::json!({ "proposal_id": r.id, "term_starts_on": term.starts_on, "term_ends_on": term.ends_on, "years": r.years }));
        let saved = store::approve_renewal(tx, &ctx, &r, (reason, term), (a.status, a.office_ends_on), event)
            .await
            .map_err(ApiError::on_duplicate(|| {
                certificate_already_issued(&r.certificate_no)
            }))?;
        Ok(Created::ok(RenewalView::from(saved)))
    })
    .await
}

/// List renewal proposals
///
/// Renewal proposals, newest first.
#[utoipa::path(
    operation_id = "listRenewalProposals",
    tag = "advisors",
    security(("bearer" = ["hrss", "government", "auditor"])),
    params(ProposalFilter, PageParams),
    responses((status = 200, description = "A page of renewal proposals", body = Page<RenewalView>))
)]
#[get("/renewal-proposals")]
async fn list_renewals(
    state: web::Data<AppState>,
    f: web::Query<ProposalFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    steps::list::<RenewalProposals, _>(&state, "renewals", &AdvisorScope::All, &f, &page, |r| {
        Ok(RenewalView::from(r))
    })
    .await
}
