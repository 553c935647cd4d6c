//! The work chapter's request bodies and response views.

mod confidentiality;
mod experts;
mod meetings;
mod opinions;
mod recusals;
mod tasks;

pub use confidentiality::*;
pub use experts::*;
pub use meetings::*;
pub use opinions::*;
pub use recusals::*;
pub use tasks::*;
