//! Request bodies and response views of the appointment procedure, one file per resource.

pub mod candidate;
pub mod fields;
pub mod lists;
pub mod notices;
pub mod public;
pub mod steps;

pub use candidate::*;
pub use fields::*;
pub use lists::*;
pub use notices::*;
pub use public::*;
pub use steps::*;
