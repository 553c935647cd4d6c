//! The `guwen` command line: `serve`, `migrate`, `openapi`, `token`, `healthcheck`, `audit`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use guwen_domain::role::Role;

use crate::{
    app::{Application, openapi_json},
    auth::{Claims, mint_hs256},
    config::Config,
};

/// Guwen (顾问): the advisor work system of a city government.
#[derive(Debug, Parser)]
#[command(name = "guwen", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations and serve the API (embedded SQLite under ./data unless DATABASE_URL is set).
    Serve,
    /// Apply pending migrations, or show their status.
    Migrate {
        #[arg(value_enum, default_value = "apply")]
        action: MigrateAction,
    },
    /// Print the OpenAPI document (or write it to a file).
    Openapi {
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Mint an HS256 token for development or a service account.
    Token {
        /// A role (repeat for several): hrss, department, government, finance, advisor, integration, auditor.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// The subject (user or service id).
        #[arg(long)]
        sub: String,
        /// The department's organisation id (role department).
        #[arg(long)]
        org_id: Option<String>,
        /// The advisor's id (role advisor).
        #[arg(long)]
        advisor_id: Option<String>,
        /// Lifetime in seconds, at most GUWEN_TOKEN_MAX_TTL_SECS (12 h by default), or
        /// GUWEN_SERVICE_TOKEN_MAX_TTL_SECS (7 days) for a token whose only role is integration.
        #[arg(long, default_value_t = 3600)]
        ttl: i64,
    },
    /// Check that a running server is ready (GET /readyz): exit 0 if it is, 1 otherwise.
    Healthcheck {
        /// The server's base URL; default: http:// and BIND_ADDR (an unspecified address such
        /// as 0.0.0.0 is asked on loopback).
        #[arg(long)]
        url: Option<String>,
    },
    /// Work with the audit trail of DATABASE_URL.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify every event of the chain in DATABASE_URL (a live database or a restored dump):
    /// hashes, links and signatures by the audit key; with --checkpoints, also that the chain
    /// matches every checkpoint in FILE. Exit 0 when everything holds, 1 otherwise.
    Verify {
        /// A checkpoint file (JSON lines, as published to GUWEN_AUDIT_CHECKPOINTS or served at
        /// GET /api/v1/audit-events/checkpoints) kept outside the database.
        #[arg(long, value_name = "FILE")]
        checkpoints: Option<PathBuf>,
        /// The audit key's public half (64 hex digits; the `signing_key` of the verification);
        /// default: that of GUWEN_AUDIT_KEY, or of the development key under the data dir.
        #[arg(long, value_name = "HEX")]
        public_key: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MigrateAction {
    Apply,
    Status,
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse::<Role>().map_err(|e| e.to_string())
}

/// Runs one command; the error is what to print before exiting with status 1.
pub async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Serve => serve().await,
        Command::Migrate { action } => migrate(action).await,
        Command::Openapi { output } => {
            let text = openapi_json();
            match output {
                Some(path) => {
                    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
                }
                None => {
                    print!("{text}");
                    Ok(())
                }
            }
        }
        Command::Token {
            roles,
            sub,
            org_id,
            advisor_id,
            ttl,
        } => {
            let config = Config::from_env().map_err(|e| e.to_string())?;
            if config.jwt_secret.is_none() && config.has_configured_keys() {
                return Err(
                    "no JWT_SECRET is configured: `guwen token` mints HS256 tokens only".into(),
                );
            }
            let secret = config.signing_secret().map_err(|e| e.to_string())?;
            let max = config.max_ttl_for(&roles);
            if !(1..=max).contains(&ttl) {
                return Err(format!(
                    "--ttl must be from 1 to {max} seconds (the longest a token with these roles may live; see GUWEN_TOKEN_MAX_TTL_SECS and GUWEN_SERVICE_TOKEN_MAX_TTL_SECS)"
                ));
            }
            let identifiers = [
                ("--sub", Some(sub.as_str()), crate::auth::SUB_MAX),
                ("--org-id", org_id.as_deref(), crate::auth::ORG_ID_MAX),
                (
                    "--advisor-id",
                    advisor_id.as_deref(),
                    crate::auth::ADVISOR_ID_MAX,
                ),
            ];
            for (flag, value, max) in identifiers {
                if let Some(value) = value {
                    guwen_domain::text::check_identifier(value, max)
                        .map_err(|e| format!("{flag} {e}"))?;
                }
            }
            let now = chrono::Utc::now().timestamp();
            let claims = Claims {
                sub,
                roles,
                org_id,
                advisor_id,
                iss: config.jwt_issuer.clone(),
                aud: config.jwt_audience.clone(),
                exp: now + ttl,
                iat: now,
                nbf: None,
                jti: Some(uuid::Uuid::now_v7().to_string()),
            };
            let token = mint_hs256(&secret, &claims).map_err(|e| e.description())?;
            println!("{token}");
            Ok(())
        }
        Command::Healthcheck { url } => healthcheck(url).await,
        Command::Audit {
            command:
                AuditCommand::Verify {
                    checkpoints,
                    public_key,
                },
        } => audit_verify(checkpoints, public_key).await,
    }
}

/// The public key an outside party verifies with: the one given, or that of the configured key.
fn audit_public_key(
    given: Option<String>,
    config: &Config,
) -> Result<guwen_persistence::audit::VerifyingKey, String> {
    match given {
        Some(hex_key) => {
            let bytes = hex::decode(hex_key.trim())
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
                .ok_or("--public-key must be 64 hex digits")?;
            guwen_persistence::audit::VerifyingKey::from_bytes(&bytes)
                .map_err(|e| format!("--public-key is not an Ed25519 public key: {e}"))
        }
        None => config
            .existing_audit_key()
            .map(|seed| guwen_persistence::audit::AuditSigner::from_seed(&seed).verifying_key())
            .ok_or_else(|| {
                "no audit key: pass its public half with --public-key (the signing_key of GET /api/v1/audit-events/verification), or set GUWEN_AUDIT_KEY".to_owned()
            }),
    }
}

/// `guwen audit verify`: the whole chain, then every checkpoint of the file.
async fn audit_verify(
    checkpoints: Option<PathBuf>,
    public_key: Option<String>,
) -> Result<(), String> {
    use guwen_persistence::{audit, checkpoint};
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let key = audit_public_key(public_key, &config)?;
    // Read the checkpoints before the chain: a live service only publishes committed heads.
    let log = match &checkpoints {
        Some(path) => Some(
            checkpoint::FileSink::read_path(path)
                .map_err(|e| format!("{}: {e}", path.display()))?,
        ),
        None => None,
    };
    let db = guwen_persistence::connect(&config.database_url, None)
        .await
        .map_err(|e| e.to_string())?;
    let v = audit::verify(&db, Some(&key))
        .await
        .map_err(|e| format!("cannot read the audit trail: {e}"))?;
    println!(
        "audit key {} ({})",
        hex::encode(key.as_bytes()),
        checkpoint::key_id(&key)
    );
    let mut failures = Vec::new();
    match &v.first_broken {
        None => println!(
            "chain: {} events verified, head at seq {} ({})",
            v.checked, v.last_seq, v.last_hash
        ),
        Some((seq, event, b)) => {
            println!(
                "chain: {} events verified up to seq {}, then broken",
                v.checked, v.last_seq
            );
            failures.push(format!(
                "the chain breaks at seq {seq}{}: {}",
                event
                    .as_deref()
                    .map(|e| format!(" (event {e})"))
                    .unwrap_or_default(),
                b.code()
            ));
        }
    }
    if let (Some(path), Some(log)) = (&checkpoints, log) {
        for line in &log.unreadable_lines {
            println!(
                "checkpoints: line {line} of {} is not a checkpoint (torn by a crash?): skipped",
                path.display()
            );
        }
        let check = checkpoint::check_checkpoints(&db, &key, &log.checkpoints, 0)
            .await
            .map_err(|e| format!("cannot read the audit trail: {e}"))?;
        println!(
            "checkpoints: {} read from {}, newest at seq {}",
            check.checked,
            path.display(),
            check
                .latest_seq
                .map_or_else(|| "-".to_owned(), |s| s.to_string())
        );
        if log.checkpoints.is_empty() {
            failures.push(format!("{} holds no checkpoint", path.display()));
        }
        if let Some((seq, problem)) = check.first_mismatch {
            let why = match problem {
                checkpoint::CheckpointBreak::BehindCheckpoint => format!(
                    "the database's chain ends at seq {} before it: its newest events were removed or the head rolled back",
                    v.last_seq
                ),
                checkpoint::CheckpointBreak::CheckpointMismatch => {
                    "the event at that seq has another hash: the chain was rewritten".to_owned()
                }
                checkpoint::CheckpointBreak::CheckpointSignatureInvalid => {
                    "the checkpoint is not signed by the audit key".to_owned()
                }
            };
            failures.push(format!(
                "checkpoint at seq {seq} does not match ({}): {why}",
                problem.code()
            ));
        }
    }
    if failures.is_empty() {
        println!("verified: the audit trail holds");
        Ok(())
    } else {
        Err(format!("NOT VERIFIED: {}", failures.join("; ")))
    }
}

/// GET /readyz on the server: Ok when it answers 2xx within 5 s.
async fn healthcheck(url: Option<String>) -> Result<(), String> {
    let base = match url {
        Some(u) => u.trim_end_matches('/').to_owned(),
        None => {
            let config = Config::from_env().map_err(|e| e.to_string())?;
            let mut addr = config.bind_addr;
            if addr.ip().is_unspecified() {
                addr.set_ip(match addr {
                    std::net::SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                    std::net::SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
                });
            }
            format!("http://{addr}")
        }
    };
    let target = format!("{base}/readyz");
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .map_err(|e| e.to_string())?;
    let response = client
        .get(&target)
        .send()
        .await
        .map_err(|e| format!("{target}: {e}"))?;
    let status = response.status();
    if status.is_success() {
        println!("ready: {target} answered {status}");
        Ok(())
    } else {
        Err(format!("not ready: {target} answered {status}"))
    }
}

/// How to run this binary again, as the start-up message shows it: through cargo when it is a
/// build under a `target/` directory (not on PATH after `cargo run`), else its own path.
fn self_command() -> String {
    let Ok(exe) = std::env::current_exe() else {
        return "guwen".into();
    };
    let in_cargo_target = exe
        .parent()
        .and_then(|profile| profile.parent())
        .and_then(|target| target.file_name())
        .is_some_and(|name| name == "target")
        || std::env::var_os("CARGO").is_some();
    if in_cargo_target {
        return "cargo run -q --bin guwen --".into();
    }
    exe.display().to_string()
}

async fn serve() -> Result<(), String> {
    let mut config = Config::from_env().map_err(|e| e.to_string())?;
    config.ensure_dev_secret().map_err(|e| e.to_string())?;
    let target = guwen_persistence::db::describe_url(&config.database_url)
        .map(|(_, t)| t)
        .map_err(|e| e.to_string())?;
    config.ensure_audit_key().map_err(|e| e.to_string())?;
    let app = Application::build(config.clone(), None)
        .await
        .map_err(|e| e.to_string())?;
    let base = format!("http://{}:{}", config.bind_addr.ip(), app.port());
    println!("Guwen is serving on {base} with {target}");
    println!("  API docs:  {base}/docs/");
    println!("  Spec:      {base}/openapi.json");
    if let Some(path) = &config.dev_secret_file {
        println!(
            "  Development tokens are signed with the secret in {}.",
            path.display()
        );
        let guwen = self_command();
        // `token` reads the secret from the data dir: name it unless it is the default.
        let env = match std::env::var_os("GUWEN_DATA_DIR") {
            Some(_) => format!(
                "GUWEN_DATA_DIR={} ",
                std::path::absolute(&config.data_dir)
                    .unwrap_or_else(|_| config.data_dir.clone())
                    .display()
            ),
            None => String::new(),
        };
        println!("  Mint one (from this directory):  {env}{guwen} token --role hrss --sub alice");
        println!(
            "  Then:      curl -H \"Authorization: Bearer $({env}{guwen} token --role auditor --sub audra)\" {base}/api/v1/audit-events"
        );
    }
    if let Some(path) = &config.dev_audit_key_file {
        println!(
            "  The audit trail is signed with the development key in {}.",
            path.display()
        );
    }
    app.run_until_stopped().await.map_err(|e| e.to_string())
}

async fn migrate(action: MigrateAction) -> Result<(), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    if config.embedded_database {
        config.ensure_data_dir().map_err(|e| e.to_string())?;
    }
    let db = guwen_persistence::connect(&config.database_url, None)
        .await
        .map_err(|e| e.to_string())?;
    match action {
        MigrateAction::Apply => {
            guwen_persistence::migrate(&db)
                .await
                .map_err(|e| e.to_string())?;
            println!("migrations applied");
        }
        MigrateAction::Status => {
            for (name, applied) in guwen_persistence::db::migration_status(&db)
                .await
                .map_err(|e| e.to_string())?
            {
                println!("{} {name}", if applied { "applied" } else { "pending" });
            }
        }
    }
    Ok(())
}
