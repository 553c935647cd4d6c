//! `GET /api/v1/meta/enums`: every enum with its English and zh-CN labels.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, get};
use guwen_domain::{
    EnumCatalog, ProblemCode,
    appointment::{ObjectionResolution, ObjectionStatus},
    audit::AuditAction,
    awaiting::Awaiting,
    funds::{ExpenseAction, ExpenseCategory, ExpenseState, SubsidyState},
    nomination::{
        Attestation, CandidateAction, CandidateState, NominationChannel, ReviewAspect, Verdict,
    },
    office::{
        AdvisorStatus, AssessmentState, DismissalGround, Grade, OfficeAction, ProposalState,
        ResignationState,
    },
    role::Role,
    token::RevocationKind,
    work::{
        AssignmentState, Attendance, Confidentiality, MeetingOrganizer, OpinionChannel,
        RecusalDecision, RecusalState, TaskKind, TaskState, Timeliness, WorkAction,
    },
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

/// One value of an enum.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnumValue {
    /// The code used in JSON.
    #[schema(example = "hrss")]
    pub value: String,
    /// English label.
    #[schema(example = "Human Resources and Social Security Bureau")]
    pub en: String,
    /// Simplified Chinese label.
    #[schema(example = "市人力资源和社会保障局")]
    pub zh_cn: String,
}

/// Every enum of the API by name (`role`, `audit_action`, …).
#[derive(Debug, Serialize, ToSchema)]
pub struct EnumCatalogView {
    pub enums: BTreeMap<String, Vec<EnumValue>>,
}

/// The catalogue of every labelled enum.
pub fn catalog() -> Vec<EnumCatalog> {
    vec![
        EnumCatalog::of::<Role>(),
        EnumCatalog::of::<AuditAction>(),
        EnumCatalog::of::<guwen_domain::feed::EventType>(),
        EnumCatalog::of::<NominationChannel>(),
        EnumCatalog::of::<CandidateState>(),
        EnumCatalog::of::<CandidateAction>(),
        EnumCatalog::of::<ReviewAspect>(),
        EnumCatalog::of::<Verdict>(),
        EnumCatalog::of::<Attestation>(),
        EnumCatalog::of::<ObjectionStatus>(),
        EnumCatalog::of::<ObjectionResolution>(),
        EnumCatalog::of::<AdvisorStatus>(),
        EnumCatalog::of::<DismissalGround>(),
        EnumCatalog::of::<ProposalState>(),
        EnumCatalog::of::<ResignationState>(),
        EnumCatalog::of::<OfficeAction>(),
        EnumCatalog::of::<Grade>(),
        EnumCatalog::of::<AssessmentState>(),
        EnumCatalog::of::<TaskKind>(),
        EnumCatalog::of::<TaskState>(),
        EnumCatalog::of::<Confidentiality>(),
        EnumCatalog::of::<AssignmentState>(),
        EnumCatalog::of::<RecusalState>(),
        EnumCatalog::of::<RecusalDecision>(),
        EnumCatalog::of::<OpinionChannel>(),
        EnumCatalog::of::<Timeliness>(),
        EnumCatalog::of::<MeetingOrganizer>(),
        EnumCatalog::of::<Attendance>(),
        EnumCatalog::of::<WorkAction>(),
        EnumCatalog::of::<ExpenseCategory>(),
        EnumCatalog::of::<ExpenseState>(),
        EnumCatalog::of::<ExpenseAction>(),
        EnumCatalog::of::<SubsidyState>(),
        EnumCatalog::of::<RevocationKind>(),
        EnumCatalog::of::<ProblemCode>(),
        EnumCatalog::of::<Awaiting>(),
        EnumCatalog::of::<guwen_domain::documents::AttachmentOwner>(),
        EnumCatalog::of::<guwen_domain::documents::AdvisorDocumentKind>(),
        EnumCatalog::of::<guwen_domain::documents::AdvisorDocumentState>(),
    ]
}

/// List every enum with labels
///
/// Every enum with English and zh-CN labels, for building forms and filters; `problem_code`
/// holds the titles of every error `code`.
#[utoipa::path(
    operation_id = "listEnums",
    tag = "meta",
    security(()),
    responses(
        (status = 200, description = "Every enum", body = EnumCatalogView),
        (status = 429, response = crate::http::error::TooManyRequests),
    )
)]
#[get("/meta/enums")]
async fn enums() -> HttpResponse {
    let enums = catalog()
        .into_iter()
        .map(|c| {
            let values = c
                .values
                .into_iter()
                .map(|(value, en, zh)| EnumValue {
                    value: value.into(),
                    en: en.into(),
                    zh_cn: zh.into(),
                })
                .collect();
            (c.name.to_owned(), values)
        })
        .collect();
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=300"))
        .json(EnumCatalogView { enums })
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(enums);
}
