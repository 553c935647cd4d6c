//! Black-box scenarios over HTTP. Run against SQLite by default, against PostgreSQL when
//! `TEST_DATABASE_URL` is set (each test gets its own schema).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod articles;
mod audit;
mod audit_checkpoints;
mod auth;
mod documents;
mod errors;
mod feed;
mod funds;
mod funds_replicas;
mod http_hygiene;
mod integration;
mod office;
mod participation;
mod pipeline;
mod pipeline_guarantees;
mod pipeline_rules;
mod pipeline_sweep;
mod platform;
mod proxies;
mod reads;
mod text_policy;
mod tokens;
mod webhooks;
mod work;
mod writes;
