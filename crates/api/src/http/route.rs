//! The route template a request matched (`/api/v1/advisors/{id}`), found once per request.
//!
//! Finding it walks the application's routes, and the access rule, the public read limit, the
//! parameter checks, the metrics and the access log all need it: the first to ask stores it in
//! the request's extensions and the others read it there. Templates are interned, so a
//! request carries a `&'static str` and no copy: there are only as many as the routes
//! registered, whatever paths clients send.

use std::{
    collections::HashSet,
    sync::{OnceLock, RwLock},
};

use actix_web::{HttpMessage, HttpRequest};

/// The matched template of a request, or `None` when no route matched.
#[derive(Debug, Clone, Copy)]
struct Matched(Option<&'static str>);

/// The route template `req` matched, if any.
pub fn route_of(req: &HttpRequest) -> Option<&'static str> {
    if let Some(Matched(route)) = req.extensions().get::<Matched>() {
        return *route;
    }
    let route = req.match_pattern().map(|p| intern(&p));
    req.extensions_mut().insert(Matched(route));
    route
}

/// The one copy of a template (templates come from the registered routes only, so the set is
/// as large as the application's route table and no larger).
fn intern(pattern: &str) -> &'static str {
    static TEMPLATES: OnceLock<RwLock<HashSet<&'static str>>> = OnceLock::new();
    let templates = TEMPLATES.get_or_init(RwLock::default);
    if let Some(t) = templates
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .get(pattern)
    {
        return t;
    }
    let mut templates = templates.write().unwrap_or_else(|p| p.into_inner());
    if let Some(t) = templates.get(pattern) {
        return t;
    }
    let t: &'static str = Box::leak(pattern.to_owned().into_boxed_str());
    templates.insert(t);
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_is_interned_once() {
        let a = intern("/api/v1/things/{id}");
        let b = intern(&String::from("/api/v1/things/{id}"));
        assert!(std::ptr::eq(a, b));
    }
}
