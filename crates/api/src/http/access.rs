//! Who may call what. Each handler declares its roles once, in the `security` of its
//! `#[utoipa::path]`; at start-up this table is read back from the generated spec, so the
//! documentation and the enforcement cannot drift. [`admit`] runs before routing to
//! the handler, hence before any body, query or path is parsed: 401 → 403 → everything else.

use guwen_domain::ProblemCode;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use actix_web::{
    FromRequest, HttpMessage, HttpRequest,
    dev::{Payload, ServiceRequest, ServiceResponse},
    http::{Method, header},
    web,
};
use guwen_domain::role::Role;
use guwen_persistence::audit::Actor;

use crate::{
    auth::{Claims, Revocations, Verifier},
    http::{error::ApiError, route::route_of},
};

/// Name of the bearer security scheme in the spec.
pub const BEARER: &str = "bearer";

/// Who may call one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// No token needed.
    Public,
    /// A token holding at least one of these roles.
    Roles(Vec<Role>),
}

/// Access rules by route pattern and method, read from the spec (looked up by a borrowed
/// pattern: a request's lookup allocates nothing).
#[derive(Debug, Default)]
pub struct AccessTable {
    rules: HashMap<String, Vec<(Method, Access)>>,
    methods: HashMap<String, BTreeSet<String>>,
}

impl AccessTable {
    /// Reads every operation's `security`. An operation that declares none is an error:
    /// public endpoints say so with `security(())`.
    pub fn from_spec(spec: &utoipa::openapi::OpenApi) -> Result<Self, String> {
        let json = serde_json::to_value(spec).map_err(|e| e.to_string())?;
        let mut table = Self::default();
        let paths = json
            .get("paths")
            .and_then(|p| p.as_object())
            .ok_or("the spec has no paths")?;
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                let Ok(m) = Method::from_bytes(method.to_ascii_uppercase().as_bytes()) else {
                    continue;
                };
                if !op.is_object() {
                    continue;
                }
                let security = op
                    .get("security")
                    .and_then(|s| s.as_array())
                    .ok_or_else(|| format!("{method} {path} declares no security requirement"))?;
                let access = if security
                    .iter()
                    .any(|req| req.as_object().is_some_and(|o| o.is_empty()))
                {
                    Access::Public
                } else {
                    let mut roles = Vec::new();
                    for req in security {
                        for scope in req
                            .get(BEARER)
                            .and_then(|s| s.as_array())
                            .ok_or_else(|| format!("{method} {path}: unknown security scheme"))?
                        {
                            let code = scope.as_str().unwrap_or_default();
                            let role: Role = code
                                .parse()
                                .map_err(|_| format!("{method} {path}: unknown role `{code}`"))?;
                            roles.push(role);
                        }
                    }
                    if roles.is_empty() {
                        return Err(format!("{method} {path} lists no roles"));
                    }
                    Access::Roles(roles)
                };
                table
                    .methods
                    .entry(path.clone())
                    .or_default()
                    .insert(m.as_str().to_owned());
                table
                    .rules
                    .entry(path.clone())
                    .or_default()
                    .push((m, access));
            }
        }
        Ok(table)
    }

    /// The rule for a method on a route pattern.
    pub fn rule(&self, method: &Method, pattern: &str) -> Option<&Access> {
        self.rules
            .get(pattern)?
            .iter()
            .find(|(m, _)| m == method)
            .map(|(_, access)| access)
    }

    /// Whether the caller's roles let it call `method` on the route `pattern` (as the spec
    /// declares it, e.g. `/api/v1/candidates/{id}/appointment`). Policies ask this instead of
    /// repeating which roles may take a step; object-level scope is theirs to add.
    pub fn permits(&self, caller: &Caller, method: &Method, pattern: &str) -> bool {
        self.permits_any(caller.claims.roles.iter().copied(), method, pattern)
    }

    /// Whether any of `roles` may call `method` on the route `pattern` (everyone may call a
    /// public one).
    pub fn permits_any(
        &self,
        roles: impl IntoIterator<Item = Role>,
        method: &Method,
        pattern: &str,
    ) -> bool {
        match self.rule(method, pattern) {
            Some(Access::Public) => true,
            Some(Access::Roles(allowed)) => roles.into_iter().any(|r| allowed.contains(&r)),
            None => false,
        }
    }

    /// The methods a route pattern answers, for `Allow` on a 405.
    pub fn allowed_methods(&self, pattern: &str) -> Option<String> {
        self.methods
            .get(pattern)
            .map(|m| m.iter().cloned().collect::<Vec<_>>().join(", "))
    }
}

/// The authenticated caller, put in the request by [`admit`].
#[derive(Debug, Clone)]
pub struct Caller {
    pub claims: Arc<Claims>,
}

impl Caller {
    pub fn sub(&self) -> &str {
        &self.claims.sub
    }

    pub fn has(&self, role: Role) -> bool {
        self.claims.roles.contains(&role)
    }

    pub fn org_id(&self) -> Option<&str> {
        self.claims.org_id.as_deref()
    }

    pub fn advisor_id(&self) -> Option<&str> {
        self.claims.advisor_id.as_deref()
    }

    /// The actor recorded in audit events.
    pub fn actor(&self) -> Actor {
        Actor {
            sub: self.claims.sub.clone(),
            roles: self.claims.roles.iter().map(|r| r.to_string()).collect(),
            org_id: self.claims.org_id.clone(),
        }
    }

    /// The key under which idempotent responses are kept for this caller.
    pub fn idempotency_scope(&self) -> String {
        format!("sub:{}", self.claims.sub)
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            req.extensions().get::<Caller>().cloned().ok_or_else(|| {
                ApiError::internal("Caller extracted on a route without a role rule")
            }),
        )
    }
}

/// What [`admit`] found a request to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// An operation that needs a token, and the caller, put in the request, holds one of its
    /// roles: its answers are personal and must carry [`no_store`].
    Personal,
    /// An operation that needs no token.
    Public,
    /// No operation of the API (no route, or none for this method): the router answers.
    Unlisted,
}

/// Authenticates and authorises a request by the table, before the handler runs. Refusals
/// (401, 403) are logged with their code (401 at info, 403 at warn), never with the token.
pub async fn admit(req: &ServiceRequest) -> Result<Admission, ApiError> {
    let (Some(table), Some(verifier), Some(revocations)) = (
        req.app_data::<web::Data<AccessTable>>(),
        req.app_data::<web::Data<Verifier>>(),
        req.app_data::<web::Data<Revocations>>(),
    ) else {
        return Err(ApiError::internal(
            "access table, verifier or revocations missing",
        ));
    };
    let rule = route_of(req.request()).and_then(|pattern| table.rule(req.method(), pattern));
    let roles = match rule {
        None => return Ok(Admission::Unlisted),
        Some(Access::Public) => return Ok(Admission::Public),
        Some(Access::Roles(roles)) => roles,
    };
    match authorise(req, verifier, revocations, roles).await {
        Ok(caller) => {
            req.extensions_mut().insert(caller);
            Ok(Admission::Personal)
        }
        Err(err) => {
            if err.status == actix_web::http::StatusCode::UNAUTHORIZED {
                let route = route_of(req.request()).unwrap_or_default();
                tracing::info!(code = %err.code, status = 401, route = %route, "authentication refused");
            }
            Err(err)
        }
    }
}

/// Marks an answer to a route that needs a token (personal data): `Cache-Control: no-store`.
pub fn no_store<B>(mut res: ServiceResponse<B>) -> ServiceResponse<B> {
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    res
}

async fn authorise(
    req: &ServiceRequest,
    verifier: &Verifier,
    revocations: &Revocations,
    roles: &[Role],
) -> Result<Caller, ApiError> {
    let header_value = req.headers().get(header::AUTHORIZATION).ok_or_else(|| {
        ApiError::unauthorized(
            ProblemCode::MissingToken,
            "this endpoint needs a bearer token",
        )
    })?;
    let text = header_value.to_str().map_err(|_| {
        ApiError::unauthorized(
            ProblemCode::MalformedToken,
            "the Authorization header is not valid text",
        )
    })?;
    // The scheme name is case-insensitive (RFC 7235 §2.1).
    let token = text
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::unauthorized(
                ProblemCode::MissingToken,
                "the Authorization header must be `Bearer <token>`",
            )
        })?;
    let claims = verifier
        .verify(token)
        .await
        .and_then(|claims| revocations.check(&claims).map(|()| claims))
        .map_err(|e| ApiError::unauthorized(e.code(), e.description()))?;
    if !claims.roles.iter().any(|r| roles.contains(r)) {
        tracing::warn!(
            code = %ProblemCode::Forbidden,
            status = 403,
            route = route_of(req.request()).unwrap_or_default(),
            sub = %claims.sub,
            "authorisation refused"
        );
        let needed: Vec<String> = roles.iter().map(ToString::to_string).collect();
        return Err(ApiError::forbidden(format!(
            "this operation needs one of the roles: {}",
            needed.join(", ")
        )));
    }
    Ok(Caller { claims })
}
