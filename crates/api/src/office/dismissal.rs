//! Dismissal (Art. 12): HRSS proposes on one of the six grounds with evidence; the government
//! decides. Nothing is ever deleted.

use actix_web::{HttpResponse, get, post, web};
use guwen_domain::{
    Labelled,
    audit::AuditAction,
    office::{self, AdvisorStatus, DismissalGround, OfficeAction},
};
use guwen_persistence::store::{
    AdvisorScope, Event, new_id,
    office::{self as store, DismissalProposals, NewDismissal},
};

use super::{
    steps::{self, on_advisor, proposal, require_pending},
    views::{
        DecisionBody, DismissalRequest, DismissalView, ProposalFilter, created, dismissal_view,
    },
};
use crate::{documents::revoke_on_leaving, prelude::*, work::progress::release_on_leaving};

/// Propose to dismiss an advisor
///
/// Proposes to dismiss an advisor on one of the six grounds of Art. 12, with evidence; for
/// `inactive` the computed inactivity evidence is attached and must not be empty.
///
/// Refused with `evidence_required`.
#[utoipa::path(
    operation_id = "proposeDismissal",
    tag = "advisors",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Advisor id"), IdempotencyKey),
    request_body = DismissalRequest,
    responses((status = 201, description = "The proposal", body = DismissalView))
)]
#[post("/advisors/{id}/dismissal-proposals")]
async fn propose_dismissal(
    call: Creating,
    id: web::Path<String>,
    body: ApiJson<DismissalRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let today = call.state.clock.today();
    let period = body.period(today)?;
    // Blank evidence is the rule's refusal (409 `evidence_required`), not a malformed field.
    let statement = optional_text("evidence", Some(&body.evidence), 10000)?.unwrap_or_default();
    let target = (id.as_str(), today, OfficeAction::ProposeDismissal);
    on_advisor(&call, &body, target, async |tx, ctx, a, status| {
        let evidence = if body.ground == DismissalGround::Inactive {
            let facts = store::inactivity_facts(tx, &a.id, period.0, period.1).await?;
            Some(office::inactivity_evidence(&a.id, period, today, facts))
        } else {
            None
        };
        office::check_dismissal_evidence(
            body.ground,
            &statement,
            evidence.as_ref().map_or(0, |e| e.items.len()),
        )?;
        let new = NewDismissal {
            id: new_id(),
            advisor_id: a.id.clone(),
            ground: body.ground,
            evidence: statement.clone(),
            inactivity_evidence: evidence,
        };
        let event = Event::new(AuditAction::DismissalProposed, "advisor", &a.id)
            .before(status)
            .after(AdvisorStatus::DismissalProposed)
            .reason(Some(new.evidence.clone()))
            .details(serde_json::json!({ "proposal_id": new.id, "ground": body.ground.code() }));
        let saved = store::propose_dismissal(tx, ctx, new, a.status, event).await?;
        Ok(created(dismissal_view(saved)?))
    })
    .await
}

/// Decide a dismissal proposal
///
/// The government approves (the advisor is dismissed and leaves the roster) or rejects (the
/// advisor returns to active) a dismissal proposal (Art. 12).
#[utoipa::path(
    operation_id = "decideDismissalProposal",
    tag = "advisors",
    security(("bearer" = ["government"])),
    params(("id" = String, Path, description = "Dismissal proposal id")),
    request_body = DecisionBody,
    responses((status = 200, description = "The decided proposal", body = DismissalView))
)]
#[post("/dismissal-proposals/{id}/decision")]
async fn decide_dismissal(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<DecisionBody>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let decision = body.decision()?;
    write_as(&call, &*body, async |tx| {
        let d = proposal::<DismissalProposals>(tx, &id).await?;
        require_pending(d.state)?;
        let to = office::after_dismissal_decision(body.approved);
        let action = if body.approved {
            AuditAction::AdvisorDismissed
        } else {
            AuditAction::DismissalRejected
        };
        let event = Event::new(action, "advisor", &d.advisor_id)
            .before(AdvisorStatus::DismissalProposed)
            .after(to)
            .reason(Some(decision.1.clone()))
            .details(serde_json::json!({ "proposal_id": d.id }));
        let saved = store::decide_dismissal(tx, &ctx, &d, decision, to, event).await?;
        if body.approved {
            release_on_leaving(tx, &ctx, &d.advisor_id, "the advisor was dismissed").await?;
            revoke_on_leaving(tx, &ctx, &d.advisor_id, "the advisor was dismissed").await?;
        }
        Ok(Created::ok(dismissal_view(saved)?))
    })
    .await
}

/// List dismissal proposals
///
/// Dismissal proposals, newest first.
#[utoipa::path(
    operation_id = "listDismissalProposals",
    tag = "advisors",
    security(("bearer" = ["hrss", "government", "auditor"])),
    params(ProposalFilter, PageParams),
    responses((status = 200, description = "A page of dismissal proposals", body = Page<DismissalView>))
)]
#[get("/dismissal-proposals")]
async fn list_dismissals(
    state: web::Data<AppState>,
    f: web::Query<ProposalFilter>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    steps::list::<DismissalProposals, _>(
        &state,
        "dismissals",
        &AdvisorScope::All,
        &f,
        &page,
        dismissal_view,
    )
    .await
}
