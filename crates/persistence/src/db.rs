//! Connecting to SQLite (embedded default) or PostgreSQL (production).

use std::time::Duration;

use guwen_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};

/// The connection pool shared by every request.
pub type Db = DatabaseConnection;

/// Which database engine a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Why the database could not be opened. Messages name host and database, never a password.
#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("DATABASE_URL is not a valid sqlite:// or postgres:// URL")]
    InvalidUrl,
    #[error("cannot reach the database {target} within {seconds} s: {cause}")]
    Unreachable {
        target: String,
        seconds: u64,
        cause: String,
    },
    #[error("applying migrations on {target} failed: {cause}")]
    Migration { target: String, cause: String },
}

/// How long opening the pool may take before giving up.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a request may wait for a pooled connection under load before failing.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

/// A description of a database URL that is safe to print: scheme, host, port, database and
/// user, never the password.
pub fn describe_url(url: &str) -> Result<(Backend, String), DbSetupError> {
    let parsed = url::Url::parse(url).map_err(|_| DbSetupError::InvalidUrl)?;
    match parsed.scheme() {
        "sqlite" => {
            let path = url
                .trim_start_matches("sqlite://")
                .split('?')
                .next()
                .unwrap_or_default();
            Ok((Backend::Sqlite, format!("SQLite file '{path}'")))
        }
        "postgres" | "postgresql" => {
            let host = parsed.host_str().unwrap_or("localhost");
            let port = parsed.port().unwrap_or(5432);
            let database = parsed.path().trim_start_matches('/');
            let user = parsed.username();
            let mut text = format!("PostgreSQL at {host}:{port}, database '{database}'");
            if !user.is_empty() {
                text.push_str(&format!(" as user '{user}'"));
            }
            Ok((Backend::Postgres, text))
        }
        _ => Err(DbSetupError::InvalidUrl),
    }
}

/// Opens a pool. `schema` selects a PostgreSQL schema (tests give each test its own).
pub async fn connect(url: &str, schema: Option<&str>) -> Result<Db, DbSetupError> {
    let (backend, target) = describe_url(url)?;
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .connect_timeout(CONNECT_TIMEOUT)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .sqlx_logging(false);
    match backend {
        Backend::Sqlite => {
            // One connection: SQLite serialises writers anyway, and one connection cannot
            // deadlock itself upgrading a read transaction to a write.
            options.max_connections(1).min_connections(1);
            options.map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .busy_timeout(Duration::from_secs(5))
                    .foreign_keys(true)
            });
        }
        Backend::Postgres => {
            options.max_connections(16).min_connections(1);
            if let Some(schema) = schema {
                options.set_schema_search_path(schema.to_owned());
            }
        }
    }
    let unreachable = |cause: String| DbSetupError::Unreachable {
        target: target.clone(),
        seconds: CONNECT_TIMEOUT.as_secs(),
        cause,
    };
    // One deadline for opening the pool and the first round trip.
    let opened = tokio::time::timeout(CONNECT_TIMEOUT, async {
        let db = Database::connect(options).await?;
        db.ping().await?;
        Ok::<_, DbErr>(db)
    })
    .await;
    let db = opened
        .map_err(|_| unreachable("timed out".into()))?
        .map_err(|e| unreachable(safe_cause(&e)))?;
    Ok(db)
}

/// The PostgreSQL advisory lock that serialises replicas migrating one schema at start-up.
const MIGRATION_LOCK: &str = "SELECT pg_advisory_xact_lock(1735751524, hashtext(current_schema()))";

/// Applies every pending migration. On PostgreSQL several replicas may start at once: they
/// migrate one after the other in a transaction holding an advisory lock, so the later ones
/// find the migrations applied instead of racing to create the same tables. A schema already
/// current is left alone without any DDL, so the service can run under a role that may not
/// change the schema (migrations then run as the owner, with `guwen migrate`).
pub async fn migrate(db: &Db) -> Result<(), DbSetupError> {
    use sea_orm::TransactionTrait;
    let failed = |e: DbErr| DbSetupError::Migration {
        target: backend_name(db).into(),
        cause: e.to_string(),
    };
    if db.get_database_backend() != DbBackend::Postgres {
        return Migrator::up(db, None).await.map_err(failed);
    }
    if Migrator::get_pending_migrations_read_only(db)
        .await
        .map_err(failed)?
        .is_empty()
    {
        return Ok(());
    }
    let tx = db.begin().await.map_err(failed)?;
    tx.execute_unprepared(MIGRATION_LOCK)
        .await
        .map_err(failed)?;
    Migrator::up(&tx, None).await.map_err(failed)?;
    tx.commit().await.map_err(failed)
}

/// The names of applied and pending migrations.
pub async fn migration_status(db: &Db) -> Result<Vec<(String, bool)>, DbErr> {
    let applied: Vec<String> = Migrator::get_applied_migrations(db)
        .await?
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    Ok(Migrator::migrations()
        .iter()
        .map(|m| {
            let name = m.name().to_owned();
            let done = applied.contains(&name);
            (name, done)
        })
        .collect())
}

/// "SQLite" or "PostgreSQL".
pub fn backend_name(db: &impl ConnectionTrait) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Postgres => "PostgreSQL",
        DbBackend::Sqlite => "SQLite",
        _ => "database",
    }
}

/// The driver's message without anything that could echo the connection string.
fn safe_cause(err: &DbErr) -> String {
    let text = err.to_string();
    if text.contains("://") {
        "connection refused or rejected".into()
    } else {
        text.chars().take(300).collect()
    }
}

/// True when the error is a unique-constraint violation (a lost race on an insert).
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// Whether PostgreSQL refused a value it cannot store: longer than its column (`22001`), or
/// holding a byte sequence text cannot hold, such as NUL (`22021`, `22P05`). The API's text
/// policy refuses such values before they reach the database; this recognises one that
/// escaped it.
pub fn is_unstorable_value(err: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err
    else {
        return false;
    };
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|code| matches!(code.as_ref(), "22001" | "22021" | "22P05"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn description_never_contains_the_password() {
        let (backend, text) = describe_url("postgres://guwen:s3cret@db.example:6543/guwen_prod")
            .unwrap_or((Backend::Sqlite, String::new()));
        assert_eq!(backend, Backend::Postgres);
        assert_eq!(
            text,
            "PostgreSQL at db.example:6543, database 'guwen_prod' as user 'guwen'"
        );
        assert!(!text.contains("s3cret"));
    }

    #[test]
    fn other_schemes_are_refused() {
        assert!(matches!(
            describe_url("mysql://x@y/z"),
            Err(DbSetupError::InvalidUrl)
        ));
    }
}
