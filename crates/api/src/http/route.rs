//! The route template a request matched (`/api/v1/advisors/{id}`), found once per request.
//!
//! Finding it walks the application's routes, and the access rule, the public read limit, the
//! parameter checks, the metrics and the access log all need it: the first to ask stores it in
//! the request's extensions and the others read it there. Templates are interned, so a
//! request carries a `&'static str` and no copy: there are only as many as the routes
//! registered, whatever paths clients send.
//!
//! Matching walks the route table, a regular expression per route; a path's template never
//! changes while the server runs, so each server remembers the templates of the paths it has
//! seen ([`RouteMemo`]) and matches a path again only when it is new.

use std::{
    collections::{HashMap, HashSet},
    sync::{OnceLock, RwLock},
};

use actix_web::{HttpMessage, HttpRequest, web};

/// The longest path whose template is remembered.
pub const MEMO_PATH_MAX: usize = 256;
/// The most paths remembered; when full, the memory is emptied and fills again.
pub const MEMO_PATHS: usize = 4096;

/// The templates of the paths one server has matched (one per server: each has its own route
/// table). Put it in the application's data; without it every request is matched anew.
#[derive(Debug, Default)]
pub struct RouteMemo {
    paths: RwLock<HashMap<Box<str>, Option<&'static str>>>,
}

impl RouteMemo {
    fn get(&self, path: &str) -> Option<Option<&'static str>> {
        self.paths
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(path)
            .copied()
    }

    fn remember(&self, path: &str, route: Option<&'static str>) {
        if path.len() > MEMO_PATH_MAX {
            return;
        }
        let mut paths = self.paths.write().unwrap_or_else(|p| p.into_inner());
        if paths.len() >= MEMO_PATHS {
            paths.clear();
        }
        paths.insert(path.into(), route);
    }
}

/// The matched template of a request, or `None` when no route matched.
#[derive(Debug, Clone, Copy)]
struct Matched(Option<&'static str>);

/// The route template `req` matched, if any.
pub fn route_of(req: &HttpRequest) -> Option<&'static str> {
    if let Some(Matched(route)) = req.extensions().get::<Matched>() {
        return *route;
    }
    let memo = req.app_data::<web::Data<RouteMemo>>();
    let route = match memo.and_then(|m| m.get(req.path())) {
        Some(route) => route,
        None => {
            let route = req.match_pattern().map(|p| intern(&p));
            if let Some(memo) = memo {
                memo.remember(req.path(), route);
            }
            route
        }
    };
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

    #[test]
    fn the_memo_keeps_short_paths_and_empties_when_full() {
        let memo = RouteMemo::default();
        memo.remember("/api/v1/roster", Some("/api/v1/roster"));
        memo.remember("/nowhere", None);
        assert_eq!(memo.get("/api/v1/roster"), Some(Some("/api/v1/roster")));
        assert_eq!(memo.get("/nowhere"), Some(None));
        assert_eq!(memo.get("/api/v1/fields"), None);
        memo.remember(&"/x".repeat(MEMO_PATH_MAX), None);
        assert_eq!(memo.get(&"/x".repeat(MEMO_PATH_MAX)), None);
        for i in 0..MEMO_PATHS {
            memo.remember(&format!("/p/{i}"), None);
        }
        assert_eq!(memo.get("/api/v1/roster"), None, "emptied when full");
        assert_eq!(memo.get(&format!("/p/{}", MEMO_PATHS - 1)), Some(None));
    }
}
