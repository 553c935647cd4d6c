//! Building the application: one registration list feeds both the router and the spec.

use guwen_domain::ProblemCode;
use std::{net::TcpListener, sync::Arc, time::Duration};

use actix_cors::Cors;
use actix_web::{
    App, HttpMessage, HttpRequest, HttpResponse,
    body::{BoxBody, MessageBody},
    dev::{Server, ServiceRequest, ServiceResponse},
    http::header,
    middleware::{Condition, Next, from_fn},
    web,
};
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, service_config::ServiceConfig};
use utoipa_swagger_ui::SwaggerUi;

use crate::{
    audit,
    auth::{AuthConfig, Revocations, Verifier},
    clock::Clock,
    config::Config,
    http::{
        access::{self, AccessTable},
        error::ApiError,
        extract, input,
        middleware::{self, Metrics},
    },
    office, openapi, pipeline, platform,
    state::AppState,
    tokens, work,
};

/// Every API route. The router and the OpenAPI document are both built from this list.
pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1")
            .configure(platform::meta::configure)
            .configure(crate::me::configure)
            .configure(pipeline::configure)
            .configure(office::configure)
            .configure(crate::assessment::configure)
            .configure(crate::funds::configure)
            .configure(pipeline::configure_public)
            .configure(work::configure)
            .configure(audit::configure)
            .configure(crate::feed::configure)
            .configure(tokens::configure)
            .configure(crate::participation::configure)
            .configure(crate::documents::configure),
    );
    cfg.configure(platform::health::configure);
}

/// The OpenAPI document the code generates (committed as `openapi/openapi.json`).
pub fn openapi_spec() -> utoipa::openapi::OpenApi {
    let (_, spec) = App::new()
        .into_utoipa_app()
        .openapi(openapi::ApiDoc::openapi())
        .configure(register)
        .split_for_parts();
    crate::spec_params::declare(openapi::finalize(spec))
}

/// The document as served and committed (see [`openapi::publish`]).
pub fn openapi_document() -> serde_json::Value {
    openapi::publish(&openapi_spec())
}

/// The spec as committed: pretty JSON with a trailing newline.
pub fn openapi_json() -> String {
    let mut text = serde_json::to_string_pretty(&openapi_document()).unwrap_or_default();
    text.push('\n');
    text
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Database(#[from] guwen_persistence::DbSetupError),
    #[error("authentication keys: {0}")]
    Auth(String),
    #[error("the route table is inconsistent: {0}")]
    Routes(String),
    #[error("attachments' object store: {0}")]
    Storage(String),
    #[error("cannot listen on {addr}: {cause}")]
    Bind { addr: String, cause: String },
}

/// A running (not yet awaited) server and what tests need to reach it.
pub struct Application {
    server: Server,
    port: u16,
    state: AppState,
}

impl Application {
    /// Connects, migrates, loads keys and binds. `schema` selects a PostgreSQL schema (tests).
    pub async fn build(mut config: Config, schema: Option<&str>) -> Result<Self, StartError> {
        config.check_secret()?;
        let audit_seed = config.ensure_audit_key()?;
        if config.embedded_database {
            config.ensure_data_dir()?;
        }
        let mut db = guwen_persistence::connect(&config.database_url, schema).await?;
        let statements = guwen_persistence::db::count_statements(&mut db);
        guwen_persistence::migrate(&db).await?;
        let verifier = Verifier::new(AuthConfig {
            hs256_secret: config.jwt_secret.clone(),
            public_keys: match &config.jwt_public_keys {
                Some(spec) => AuthConfig::parse_public_keys(spec)
                    .map_err(|e| StartError::Auth(e.to_string()))?,
                None => Vec::new(),
            },
            jwks_url: config.jwt_jwks_url.clone(),
            issuer: config.jwt_issuer.clone(),
            audience: config.jwt_audience.clone(),
            leeway_secs: 30,
            max_ttl_secs: config.token_max_ttl_secs,
            service_max_ttl_secs: config.service_token_max_ttl_secs,
        })
        .await
        .map_err(|e| StartError::Auth(e.to_string()))?;
        if config.jwt_jwks_url.is_some() {
            verifier.spawn_refresh(Duration::from_secs(config.jwks_refresh_secs.max(10)));
        }
        let spec = openapi_spec();
        let access = AccessTable::from_spec(&spec).map_err(StartError::Routes)?;
        let document = openapi::publish(&spec);
        let revocations = Arc::new(Revocations::default());
        tokens::refresh(&db, &revocations)
            .await
            .map_err(|e| StartError::Auth(format!("cannot read the token revocations: {e}")))?;
        tokens::spawn_refresh(
            db.clone(),
            Arc::downgrade(&revocations),
            tokens::REFRESH_EVERY,
        );
        let changes = Arc::new(crate::changes::ChangeWatch::default());
        changes.refresh(&db).await;
        crate::changes::spawn_poll(
            db.clone(),
            Arc::downgrade(&changes),
            Duration::from_millis(config.change_poll_ms),
        );
        let clock = Clock::default();
        let views = Arc::new(crate::changes::cache::ViewCache::new(
            changes.clone(),
            clock.clone(),
        ));
        let state = AppState {
            db,
            verifier,
            revocations,
            audit_signer: guwen_persistence::audit::AuditSigner::from_seed(&audit_seed),
            checkpoint_sink: Arc::new(guwen_persistence::checkpoint::FileSink::new(
                config.audit_checkpoints.clone(),
            )),
            access: Arc::new(access),
            metrics: Arc::new(Metrics::default()),
            writers: Arc::new(crate::turn::Writers::new(changes.clone())),
            changes,
            views,
            public_reads: Arc::default(),
            statements,
            config: Arc::new(config.clone()),
            clock,
            files: crate::documents::storage::FileStore::open(&config)
                .map_err(StartError::Storage)?,
        };
        crate::pipeline::throttle::spawn_read_sync(
            &state,
            Arc::downgrade(&state.public_reads),
            crate::pipeline::throttle::READS_SYNC_EVERY,
        );
        if config.background_jobs {
            crate::feed::spawn_background_jobs(&state);
            audit::checkpoints::spawn(state.clone());
        }
        let listener = TcpListener::bind(config.bind_addr).map_err(|e| StartError::Bind {
            addr: config.bind_addr.to_string(),
            cause: e.to_string(),
        })?;
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let data = web::Data::new(state.clone());
        let access_table = web::Data::from(state.access.clone());
        let verifier = web::Data::new(state.verifier.clone());
        let revocations = web::Data::from(state.revocations.clone());
        let metrics = web::Data::from(state.metrics.clone());
        let views = web::Data::from(state.views.clone());
        let routes = web::Data::new(crate::http::route::RouteMemo::default());
        let cors_origins = config.cors_origins.clone();
        let docs = config.docs;
        let server = actix_web::HttpServer::new(move || {
            let (app, _) = App::new()
                .into_utoipa_app()
                .configure(register)
                .split_for_parts();
            app.app_data(data.clone())
                .app_data(access_table.clone())
                .app_data(verifier.clone())
                .app_data(revocations.clone())
                .app_data(metrics.clone())
                .app_data(views.clone())
                .app_data(routes.clone())
                .configure(extract::configure_extractors)
                .configure(|cfg| {
                    // `GUWEN_DOCS=off`: neither the docs nor the document are served.
                    if docs {
                        cfg.service(
                            SwaggerUi::new("/docs/{_:.*}")
                                .external_url_unchecked("/openapi.json", document.clone()),
                        )
                        .route("/docs", web::get().to(docs_redirect));
                    }
                })
                .default_service(web::to(fallback))
                .wrap(from_fn(door))
                .wrap(Condition::new(
                    !cors_origins.is_empty(),
                    cors(&cors_origins),
                ))
                // Answers are compressed (gzip, brotli, zstd) for a client that asks with
                // `Accept-Encoding`: a roster of 20,000 is 6.7 MB of JSON, 1 MB gzipped.
                .wrap(actix_web::middleware::Compress::default())
                .wrap(from_fn(middleware::request_id))
        })
        .listen(listener)
        .map_err(|e| StartError::Bind {
            addr: config.bind_addr.to_string(),
            cause: e.to_string(),
        })?
        .shutdown_timeout(10)
        .run();
        Ok(Self {
            server,
            port,
            state,
        })
    }

    /// The bound port (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The shared state (tests use its pool and clock).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until the process is told to stop.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// The door every request passes on its way to the routes (inside the request's record,
/// compression and CORS), in this order: access (401, 403), the public read limit
/// (429), the path and query policy (422), then the cache of answers. A request with a token
/// that was answered in this generation, byte for byte, is given that answer first (the checks
/// passed for it and cannot have changed: see `changes::cache`). One layer of middleware
/// rather than four: each layer costs every request a boxed future. Every answer to a route
/// that needs a token, refusals included, carries `Cache-Control: no-store`.
async fn door(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let refuse = |req: ServiceRequest, refusal: &ApiError| {
        req.into_response(actix_web::ResponseError::error_response(refusal))
    };
    // An answer this token was given in this generation, for these very bytes, after these
    // same checks (see `changes::cache`).
    if let Some((answer, caller)) = crate::changes::cache::replay_admitted(&req) {
        req.extensions_mut().insert(caller);
        return Ok(access::no_store(req.into_response(answer)));
    }
    let admission = match access::admit(&req).await {
        Ok(admission) => admission,
        Err(refusal) => return Ok(access::no_store(refuse(req, &refusal))),
    };
    let checked = pipeline::throttle::check_public_read(&req, admission)
        .and_then(|()| input::check_path_and_query(&req));
    let res = match checked {
        Ok(()) => crate::changes::cache::serve(req, next).await?,
        Err(refusal) => refuse(req, &refusal),
    };
    Ok(match admission {
        access::Admission::Personal => access::no_store(res),
        access::Admission::Public | access::Admission::Unlisted => res,
    })
}

/// CORS for the configured origins (`GUWEN_CORS_ORIGINS`): preflights are answered before
/// any token is asked for; a page from another origin gets no CORS headers, so its browser
/// refuses it (other clients are not blocked: CORS protects browsers, the token protects the
/// API). Installed only when origins are configured.
fn cors(origins: &[String]) -> Cors {
    let cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_NONE_MATCH,
            header::HeaderName::from_static("idempotency-key"),
            middleware::REQUEST_ID,
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::RETRY_AFTER,
            middleware::REQUEST_ID,
            header::HeaderName::from_static("idempotent-replayed"),
            header::HeaderName::from_static("guwen-as-of"),
            header::HeaderName::from_static("guwen-next-cursor"),
        ])
        .max_age(3600)
        .block_on_origin_mismatch(false);
    origins
        .iter()
        .fold(cors, |cors, origin| cors.allowed_origin(origin))
}

async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}

/// Unknown route → 404; known route with another method → 405 with `Allow`.
async fn fallback(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let allowed = crate::http::route::route_of(&req)
        .and_then(|pattern| state.access.allowed_methods(pattern));
    match allowed {
        Some(allow) => Err(ApiError::new(
            ProblemCode::MethodNotAllowed,
            format!("{} is not allowed here; allowed: {allow}", req.method()),
        )
        .with_header(header::ALLOW, allow)),
        None => Err(ApiError::new(
            ProblemCode::NotFound,
            format!("no route {}", req.path()),
        )),
    }
}
