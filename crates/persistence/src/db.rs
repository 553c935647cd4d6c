//! Connecting to SQLite (embedded default) or PostgreSQL (production).

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

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

/// The number of statements a pool has sent (on its connections and in its transactions):
/// published in `/metrics`, and read by the tests that bound the queries of a page.
#[derive(Debug, Clone, Default)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    /// Statements sent so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Starts counting the statements `db` sends.
pub fn count_statements(db: &mut Db) -> StatementCounter {
    let counter = StatementCounter::default();
    let inner = counter.0.clone();
    db.set_metric_callback(move |_| {
        inner.fetch_add(1, Ordering::Relaxed);
    });
    counter
}

/// Connections to an SQLite file: one writer at a time, the others reading alongside.
pub const SQLITE_CONNECTIONS: u32 = 4;

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

/// Whether `url` names a PostgreSQL server on this machine (a loopback address, `localhost`
/// or a Unix socket) and no `sslmode`. Such a connection never leaves the machine, so it is
/// made without TLS, which on loopback only costs throughput (a third of it on cheap reads).
/// Every other URL keeps its own `sslmode` (`prefer` when it names none): production names
/// `sslmode=verify-full` (or `require`) in `DATABASE_URL`.
pub fn loopback_without_sslmode(url: &str) -> bool {
    let Ok(parsed) = url::Url::parse(url) else {
        return false;
    };
    if parsed.query_pairs().any(|(k, _)| k == "sslmode") {
        return false;
    }
    let socket = parsed
        .query_pairs()
        .any(|(k, v)| k == "host" && v.starts_with('/'));
    match parsed.host() {
        None => true,
        // A `postgres:` URL's host is opaque to the URL parser: an address is read here.
        Some(url::Host::Domain(name)) => {
            name == "localhost"
                || socket
                || name
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
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
            // WAL: readers on their own connections read while a writer writes. Writers
            // begin with a write (see `audit::begin_write`), so none holds a read snapshot it
            // would have to upgrade; a process's writers queue before they begin (the API's
            // write turn), and other processes' wait on the file lock (`busy_timeout`). An
            // in-memory database is one per connection, so it keeps one.
            let in_memory = url.contains(":memory:") || url.contains("mode=memory");
            let connections = if in_memory { 1 } else { SQLITE_CONNECTIONS };
            options.max_connections(connections).min_connections(1);
            options.map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .busy_timeout(Duration::from_secs(5))
                    .foreign_keys(true)
            });
        }
        Backend::Postgres => {
            options.max_connections(16).min_connections(1);
            if loopback_without_sslmode(url) {
                options.map_sqlx_postgres_opts(|o| {
                    o.ssl_mode(sea_orm::sqlx::postgres::PgSslMode::Disable)
                });
            }
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
    fn only_a_loopback_server_without_sslmode_goes_without_tls() {
        for url in [
            "postgres://guwen:guwen@127.0.0.1:5432/guwen",
            "postgres://guwen@localhost/guwen",
            "postgres://[::1]:5432/guwen",
        ] {
            assert!(loopback_without_sslmode(url), "{url}");
        }
        for url in [
            "postgres://guwen:guwen@127.0.0.1:5432/guwen?sslmode=require",
            "postgres://guwen:guwen@db.example:5432/guwen",
            "postgres://guwen:guwen@10.0.0.5/guwen",
        ] {
            assert!(!loopback_without_sslmode(url), "{url}");
        }
    }

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
