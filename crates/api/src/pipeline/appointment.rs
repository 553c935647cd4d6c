//! The appointment (Art. 3, 4.6, 5.5): the candidate becomes an advisor.

use actix_web::{HttpResponse, post, web};
use guwen_domain::{
    appointment::{self, AppointmentFacts},
    audit::AuditAction,
    nomination::CandidateState,
};
use guwen_persistence::store::{
    Event, new_id,
    pipeline::{self as store, NewAdvisor},
};

use super::{candidates::read_visible, policy, views::AppointmentRequest};
use crate::office::{
    advisors::load_view,
    views::{AdvisorView, certificate_already_issued},
};
use crate::prelude::*;

/// Appoint a candidate
///
/// Appoints a candidate whose notice has passed: refused while the 7-day window is open
/// (`notice_window_open`) or an objection is unresolved (`objection_open`); checks the term
/// (1–3 years), the age (under 70 unless an approved exception) and the cap (Art. 3, 4.1,
/// 4.6, 5.5). Creates the advisor, who then appears on the public roster.
///
/// A term other than the one proposed on the public notice needs `term_change_reason`, kept in
/// the audit trail (Art. 4.5–4.6).
///
/// Refused with `term_out_of_range`, `ineligible_age`, `advisor_cap_reached`,
/// `invalid_certificate_no`, `duplicate_certificate_no`, `term_differs_from_notice`.
#[utoipa::path(
    operation_id = "appointCandidate",
    tag = "candidates",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Candidate id"), IdempotencyKey),
    request_body = AppointmentRequest,
    responses((status = 201, description = "The new advisor", body = AdvisorView, headers(("Location" = String, description = "The advisor's URL"))))
)]
#[post("/candidates/{id}/appointment")]
pub(super) async fn appoint(
    call: Creating,
    id: web::Path<String>,
    body: ApiJson<AppointmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let today = call.state.clock.today();
    let (agreement_ref, certificate_no) = body.documents()?;
    let term_change_reason = body.term_change_reason()?;
    write_as(&call, &body.0, async |tx| {
        let read = read_visible(tx, &call.caller, &id).await?;
        let (c, s) = (&read.candidate, &read.around);
        // Serialise appointments on every replica: the cap is counted under this lock.
        store::lock_appointments(tx).await?;
        let active = store::advisors_counting_towards_cap(tx, today).await?;
        let facts = AppointmentFacts {
            active_advisors: u32::try_from(active).unwrap_or(u32::MAX),
            cap: call.state.config.advisor_cap,
            ..policy::appointment_facts(c, s)
        };
        let term = appointment::check_appointment(&facts, body.starts_on, body.term_years, today)?;
        let noticed_years = c.proposed_term_years.and_then(|y| u32::try_from(y).ok());
        let differs = appointment::check_term_against_notice(
            noticed_years,
            term.years,
            term_change_reason.as_deref(),
        )?;
        let advisor_id = new_id();
        let event = Event::new(AuditAction::CandidateAppointed, "candidate", &c.id)
            .before(CandidateState::NoticePassed)
            .details(serde_json::json!({
                "advisor_id": advisor_id,
                "term_starts_on": term.starts_on,
                "term_ends_on": term.ends_on,
                "term_years": term.years,
                "agreement_ref": agreement_ref,
                "certificate_no": certificate_no,
                "noticed_term_years": noticed_years,
                "term_change_reason": if differs { term_change_reason.clone() } else { None },
            }));
        let advisor = NewAdvisor {
            id: advisor_id.clone(),
            certificate_no: certificate_no.clone(),
            agreement_ref: agreement_ref.clone(),
            term,
        };
        store::appoint(tx, &ctx, c, c.state, advisor, event)
            .await
            .map_err(ApiError::on_duplicate(|| {
                certificate_already_issued(&certificate_no)
            }))?;
        let view = load_view(&call.state, tx, &call.caller, &advisor_id, today).await?;
        Ok(Created::at(format!("/api/v1/advisors/{advisor_id}"), view))
    })
    .await
}
