//! Real `guwen serve` processes on a test app's database: the replicas of the multi-replica
//! scenarios.
//!
//! The processes run the `guwen` binary that `cargo test --workspace` builds next to the test
//! binary (`target/<profile>/guwen`); `GUWEN_BIN` names another one.

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use crate::{TEST_SECRET, TestApp};

/// The `guwen` binary to run.
pub fn guwen_bin() -> PathBuf {
    if let Ok(bin) = std::env::var("GUWEN_BIN") {
        return bin.into();
    }
    let exe = std::env::current_exe().expect("test executable");
    // target/<profile>/deps/scenarios-… → target/<profile>/guwen
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target directory");
    let bin = profile_dir.join(format!("guwen{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run `cargo test --workspace` (which builds it) or set GUWEN_BIN",
        bin.display()
    );
    bin
}

/// A running `guwen serve` process, killed when dropped.
pub struct Replica {
    child: Child,
    pub base: String,
}

impl Replica {
    /// Kills the process at once (SIGKILL: no shutdown, no cleanup), as a crash would.
    pub fn kill(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// Starts a `guwen serve` process on the test app's database and waits until it is ready.
pub async fn start_replica(app: &TestApp, n: usize) -> Replica {
    start_replica_with(app, n, &[]).await
}

/// [`start_replica`] with more environment variables.
pub async fn start_replica_with(app: &TestApp, n: usize, env: &[(&str, &str)]) -> Replica {
    let replica = spawn_replica_with(app, &app.database_url_for_another_process(), n, env);
    wait_ready(app, replica, n).await
}

/// Starts a `guwen serve` process on `database_url`, logging to the test's directory.
pub fn spawn_replica(app: &TestApp, database_url: &str, n: usize) -> Replica {
    spawn_replica_with(app, database_url, n, &[])
}

/// [`spawn_replica`] with more environment variables.
pub fn spawn_replica_with(
    app: &TestApp,
    database_url: &str,
    n: usize,
    env: &[(&str, &str)],
) -> Replica {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let log =
        std::fs::File::create(app.dir.path().join(format!("replica-{n}.log"))).expect("log file");
    let child = Command::new(guwen_bin())
        .arg("serve")
        .current_dir(app.dir.path())
        .env("DATABASE_URL", database_url)
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("JWT_SECRET", TEST_SECRET)
        .env("GUWEN_AUDIT_KEY", crate::TEST_AUDIT_KEY)
        .env(
            "GUWEN_DATA_DIR",
            app.dir.path().join(format!("replica-{n}")),
        )
        .env("RUST_LOG", "warn")
        .env_remove("JWT_PUBLIC_KEYS")
        .env_remove("JWT_JWKS_URL")
        .env_remove("JWT_ISSUER")
        .env_remove("JWT_AUDIENCE")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start guwen serve");
    Replica {
        child,
        base: format!("http://127.0.0.1:{port}"),
    }
}

/// Waits until a replica answers `/readyz`, or fails with its log.
pub async fn wait_ready(app: &TestApp, mut replica: Replica, n: usize) -> Replica {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(res) = app
            .http
            .get(format!("{}/readyz", replica.base))
            .send()
            .await
            && res.status().is_success()
        {
            return replica;
        }
        let exited = replica.child.try_wait().ok().flatten();
        if exited.is_some() || Instant::now() > deadline {
            let log_path = app.dir.path().join(format!("replica-{n}.log"));
            let log = std::fs::read_to_string(log_path).unwrap_or_default();
            panic!("replica {n} did not become ready ({exited:?}):\n{log}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
