//! What every chapter's handlers and views use, in one import: the caller, errors, extractors,
//! pagination, `Idempotency-Key`, free-text checks, the state and the write opener.

pub use crate::write::{Creating, Signed, Writer, write_as, write_step};
pub use crate::{
    http::{
        access::Caller,
        error::ApiError,
        extract::ApiJson,
        idempotency::{Created, IdempotencyKey},
        pagination::{Direction, Page, PageParams},
        text::{
            ID_MAX, ORG_ID_MAX, identifier, identifiers, optional_identifier, optional_line,
            optional_text, required_line, required_text,
        },
    },
    state::AppState,
    write::audit_context,
};
pub use guwen_domain::ProblemCode;
