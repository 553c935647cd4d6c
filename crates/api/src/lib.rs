//! The Guwen REST/JSON API: authentication, role-scoped endpoints, problem+json errors,
//! the OpenAPI document and the `guwen` command line.

pub mod access;
pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod openapi;
pub mod pagination;
pub mod routes;
pub mod state;
pub mod telemetry;

pub use app::{Application, openapi_json, openapi_spec};
pub use config::Config;
