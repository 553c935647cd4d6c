//! The `guwen` binary as an operator runs it. Being an integration test of this package, it
//! also makes `cargo test --workspace` build `target/<profile>/guwen`, which the replica
//! scenarios start as separate processes.

#![allow(clippy::expect_used)]
use std::process::Command;

fn guwen() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_guwen"));
    cmd.env_remove("DATABASE_URL")
        .env_remove("JWT_PUBLIC_KEYS")
        .env_remove("JWT_JWKS_URL");
    cmd
}

/// The committed spec is what the binary generates (the same check CI runs with `diff`).
#[test]
fn the_committed_openapi_document_is_what_the_binary_prints() {
    let out = guwen().arg("openapi").output().expect("run guwen openapi");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
    let out = guwen()
        .args(["token", "--role", "hrss", "--sub", "alice"])
        .env("JWT_SECRET", "a-secret-of-at-least-thirty-two-bytes!!")
        .output()
        .expect("run guwen token");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert_eq!(token.split('.').count(), 3, "{token}");

    let out = guwen()
        .args(["token", "--role", "mayor", "--sub", "alice"])
        .env("JWT_SECRET", "a-secret-of-at-least-thirty-two-bytes!!")
        .output()
        .expect("run guwen token");
    assert!(!out.status.success());
}

/// `guwen token --ttl` is capped by the same maximum the server enforces: 12 h for people
/// (`GUWEN_TOKEN_MAX_TTL_SECS`), 7 days for a service account whose only role is
/// `integration` (`GUWEN_SERVICE_TOKEN_MAX_TTL_SECS`); a subject the server would refuse is
/// refused here too.
#[test]
fn token_ttl_is_capped_by_the_maximum_lifetime() {
    let mint = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = guwen();
        cmd.arg("token")
            .args(args)
            .env("JWT_SECRET", "a-secret-of-at-least-thirty-two-bytes!!")
            .env_remove("GUWEN_TOKEN_MAX_TTL_SECS")
            .env_remove("GUWEN_SERVICE_TOKEN_MAX_TTL_SECS");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("run guwen token")
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
