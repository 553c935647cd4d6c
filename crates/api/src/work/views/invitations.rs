//! An advisor's answer to an invitation and HRSS's decision on an excuse (Art. 8).

use guwen_domain::participation::{ExcuseDecision, InvitationResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

/// The invited advisor's answer (Art. 8).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct InvitationAnswerRequest {
    pub response: InvitationResponse,
    /// Why the advisor declines: required for `declined`. At a government meeting it is the
    /// reason of the excuse request HRSS decides.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

/// HRSS's decision on an excuse request (a declined government meeting, Art. 8 ¶1).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct ExcuseDecisionRequest {
    pub decision: ExcuseDecision,
    /// Required when refused.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}
