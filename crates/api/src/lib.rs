//! The Guwen REST/JSON API: authentication, role-scoped endpoints, problem+json errors,
//! the OpenAPI document and the `guwen` command line.

pub mod app;
pub mod assessment;
pub mod audit;
pub mod auth;
pub mod changes;
pub mod cli;
pub mod clock;
pub mod config;
pub mod documents;
pub mod feed;
pub mod fields;
pub mod funds;
pub mod http;
pub mod logs;
pub mod me;
pub mod office;
pub mod openapi;
pub mod participation;
pub mod pipeline;
pub mod platform;
pub mod prelude;
pub mod spec_params;
pub mod state;
pub mod tokens;
pub mod turn;
pub mod view;
pub mod work;
pub mod write;

pub use app::{Application, openapi_document, openapi_json, openapi_spec};
pub use config::Config;
