//! The `guwen` binary as an operator runs it. Being an integration test of this package, it
//! also makes `cargo test --workspace` build `target/<profile>/guwen`, which the replica
//! scenarios start as separate processes.

#![allow(clippy::expect_used)]
use std::process::{Command, Output};

fn guwen() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_guwen"));
    cmd.env_remove("DATABASE_URL")
        .env_remove("JWT_PUBLIC_KEYS")
        .env_remove("JWT_JWKS_URL");
    cmd
}

/// `guwen token` with `args`.
fn token(args: &[&str]) -> Command {
    let mut cmd = guwen();
    cmd.arg("token").args(args);
    cmd
}

/// Runs `cmd` to its end.
fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run guwen")
}

/// Runs `cmd` and asserts that it succeeded (showing its stderr when it did not).
fn succeeds(cmd: &mut Command) -> Output {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The committed spec is what the binary generates (the same check CI runs with `diff`).
#[test]
fn the_committed_openapi_document_is_what_the_binary_prints() {
    let out = succeeds(guwen().arg("openapi"));
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../openapi/openapi.json"
    ))
    .expect("openapi/openapi.json");
    assert!(
        String::from_utf8_lossy(&out.stdout) == committed,
        "openapi/openapi.json is stale: run `cargo run --bin guwen -- openapi --output openapi/openapi.json`"
    );
}

/// `guwen token` mints a three-part JWT with the configured secret and refuses an unknown role.
#[test]
fn token_mints_a_jwt_and_refuses_an_unknown_role() {
    let secret = ("JWT_SECRET", "a-secret-of-at-least-thirty-two-bytes!!");
    let out = succeeds(token(&["--role", "hrss", "--sub", "alice"]).env(secret.0, secret.1));
    let jwt = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert_eq!(jwt.split('.').count(), 3, "{jwt}");

    let out = run(token(&["--role", "mayor", "--sub", "alice"]).env(secret.0, secret.1));
    assert!(!out.status.success());
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("guwen-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// `guwen token` run where no server created a secret refuses, says where it looked, and
/// creates nothing (a token signed with a new secret would be refused by the server).
#[test]
fn token_without_the_servers_secret_refuses_and_names_where_it_looked() {
    let dir = temp_dir("no-secret");
    let out = run(token(&["--role", "hrss", "--sub", "alice"])
        .current_dir(&dir)
        .env_remove("JWT_SECRET")
        .env_remove("GUWEN_DATA_DIR"));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let looked = dir.join("data").join("dev-jwt-secret");
    assert!(stderr.contains(&looked.display().to_string()), "{stderr}");
    assert!(stderr.contains("GUWEN_DATA_DIR"), "{stderr}");
    assert!(
        !dir.join("data").exists(),
        "token must not create a data dir"
    );
}

/// `guwen token` signs with the secret in the server's data dir (`GUWEN_DATA_DIR`), from any
/// directory.
#[test]
fn token_signs_with_the_secret_in_the_servers_data_dir() {
    let dir = temp_dir("data-dir");
    let secret = "0123456789abcdef0123456789abcdef0123456789abcdef";
    std::fs::write(dir.join("dev-jwt-secret"), secret).expect("write secret");
    let out = succeeds(
        token(&["--role", "auditor", "--sub", "audra"])
            .current_dir(std::env::temp_dir())
            .env_remove("JWT_SECRET")
            .env("GUWEN_DATA_DIR", &dir),
    );
    let jwt = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.set_audience(&["guwen-api"]);
    let decoded = jsonwebtoken::decode::<serde_json::Value>(
        &jwt,
        &jsonwebtoken::DecodingKey::from_secret(secret.as_bytes()),
        &validation,
    )
    .expect("signed with the data dir's secret");
    assert_eq!(decoded.claims["sub"], "audra");
}

/// `guwen healthcheck` exits 0 against a ready server and 1 when nothing answers; the
/// start-up message names a token command that works from where the server runs.
#[test]
fn healthcheck_tells_a_ready_server_from_none() {
    use std::io::{BufRead, BufReader};
    let dir = temp_dir("healthcheck");
    let mut server = guwen()
        .arg("serve")
        .current_dir(&dir)
        .env_remove("JWT_SECRET")
        .env_remove("GUWEN_DATA_DIR")
        .env("BIND_ADDR", "127.0.0.1:0")
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(dir.join("serve.log")).expect("log file"))
        .spawn()
        .expect("start guwen serve");
    let mut lines = BufReader::new(server.stdout.take().expect("stdout")).lines();
    let first = lines.next().expect("a line").expect("utf-8");
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("the base URL")
        .to_owned();
    let banner: Vec<String> = lines.by_ref().take(4).map_while(Result::ok).collect();
    // Keep reading what the server prints, so that it never writes into a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    // Under load the first answer may take a while: a container engine retries too.
    let healthcheck = || run(guwen().args(["healthcheck", "--url", &base]));
    let mut ok = healthcheck();
    for _ in 0..60 {
        if ok.status.success() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
        ok = healthcheck();
    }
    let _ = server.kill();
    let _ = server.wait();
    assert!(
        ok.status.success(),
        "{}\nserver log:\n{}",
        String::from_utf8_lossy(&ok.stderr),
        std::fs::read_to_string(dir.join("serve.log")).unwrap_or_default()
    );
    // A test binary runs from target/: the message shows the cargo form.
    assert!(
        banner
            .iter()
            .any(|l| l.contains("cargo run -q --bin guwen -- token --role hrss")),
        "{banner:?}"
    );

    let down = healthcheck();
    assert_eq!(down.status.code(), Some(1));
}

/// `guwen token --ttl` is capped by the same maximum the server enforces: 12 h for people
/// (`GUWEN_TOKEN_MAX_TTL_SECS`), 7 days for a service account whose only role is
/// `integration` (`GUWEN_SERVICE_TOKEN_MAX_TTL_SECS`); a subject the server would refuse is
/// refused here too.
#[test]
fn token_ttl_is_capped_by_the_maximum_lifetime() {
    let mint = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = token(args);
        cmd.env("JWT_SECRET", "a-secret-of-at-least-thirty-two-bytes!!")
            .env_remove("GUWEN_TOKEN_MAX_TTL_SECS")
            .env_remove("GUWEN_SERVICE_TOKEN_MAX_TTL_SECS");
        run(cmd.envs(env.iter().copied()))
    };
    let hrss = ["--role", "hrss", "--sub", "alice"];
    assert!(
        mint(&[&hrss[..], &["--ttl", "43200"]].concat(), &[])
            .status
            .success()
    );
    for ttl in ["43201", "999999999999", "0", "-5"] {
        let flag = format!("--ttl={ttl}");
        let out = mint(&[&hrss[..], &[flag.as_str()]].concat(), &[]);
        assert!(!out.status.success(), "--ttl {ttl} was accepted");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--ttl must be"));
    }
    let sync = [
        "--role",
        "integration",
        "--sub",
        "roster-sync",
        "--ttl",
        "604800",
    ];
    assert!(mint(&sync, &[]).status.success());
    let out = mint(&hrss, &[("GUWEN_TOKEN_MAX_TTL_SECS", "600")]);
    assert!(
        !out.status.success(),
        "the default hour exceeds a 600 s maximum"
    );
    let out = mint(&["--role", "hrss", "--sub", "al ice"], &[]);
    assert!(!out.status.success(), "a subject with a space");
}
