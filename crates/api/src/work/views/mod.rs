//! The work chapter's request bodies and response views.

mod confidentiality;
mod experts;
mod invitations;
mod meetings;
mod opinions;
mod recusals;
mod tasks;

pub use confidentiality::*;
pub use experts::*;
pub use invitations::*;
pub use meetings::*;
pub use opinions::*;
pub use recusals::*;
pub use tasks::*;
