//! Pure lifecycle rules of the Erenhot Municipal People's Government
//! "Advisor Work System (Trial)" (二连浩特市人民政府顾问工作制度（试行）, 2024-06-17).
//!
//! No IO, no framework, no clock: time comes in as an argument. Every rule cites
//! the article of the regulation it implements.

pub mod appointment;
pub mod assessment;
pub mod audit;
pub mod awaiting;
pub mod documents;
pub mod feed;
pub mod funds;
pub mod labels;
pub mod nomination;
pub mod office;
pub mod participation;
pub mod problem;
pub mod role;
pub mod rule;
pub mod text;
pub mod time;
pub mod token;
pub mod work;

#[cfg(test)]
mod testing;

pub use labels::{EnumCatalog, Labelled};
pub use problem::ProblemCode;
