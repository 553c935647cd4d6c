//! The HTTP plumbing every chapter shares: problem+json errors, extractors, pagination,
//! `Idempotency-Key`, access enforcement and the middleware (request id, metrics, the
//! problem safety net). Nothing here imports the application state or a chapter.

pub mod access;
pub mod conditional;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod middleware;
pub mod pagination;
pub mod scope;
pub mod text;
