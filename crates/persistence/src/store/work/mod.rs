//! The work chapter's store (Art. 6–12): tasks, assignments, recusal requests, opinions,
//! meetings with their invitations, departments and minutes, and temporary experts.
//!
//! Who may see what is decided by the API's policy as a scope value ([`TaskScope`],
//! [`OpinionScope`], [`MeetingScope`]); this module turns each scope into the one SQL condition
//! that both the list and the by-id load use.

mod advisors;
mod assignments;
mod experts;
mod invitations;
mod meetings;
mod opinions;
mod scope;
mod tasks;

pub use advisors::*;
pub use assignments::*;
pub use experts::*;
pub use invitations::*;
pub use meetings::*;
pub use opinions::*;
pub use scope::*;
pub use tasks::*;

pub use crate::entity::{
    assignment::Model as Assignment, meeting::Model as Meeting,
    meeting_invitation::Model as Invitation, minutes::Model as Minutes, opinion::Model as Opinion,
    recusal_request::Model as RecusalRequest, task::Model as Task,
    temporary_expert::Model as TemporaryExpert,
};
