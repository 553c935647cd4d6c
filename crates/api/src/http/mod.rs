//! The HTTP plumbing every chapter shares: problem+json errors, extractors, pagination,
//! `Idempotency-Key`, access enforcement, the text policy at the door and the middleware (request id, metrics, the
//! problem safety net). Nothing here imports the application state or a chapter.

pub mod access;
pub mod client_addr;
pub mod conditional;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod input;
pub mod middleware;
pub mod pagination;
pub mod route;
pub mod scope;
pub mod text;
