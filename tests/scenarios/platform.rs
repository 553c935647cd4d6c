//! The platform: spec drift, health, docs, errors.

use guwen_tests::spawn_app;

/// The committed `openapi/openapi.json` is exactly what the code generates.
/// Regenerate with `cargo run -p guwen-api --bin guwen -- openapi --output openapi/openapi.json`.
#[test]
fn committed_spec_matches_generated() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = guwen_api::openapi_json();
    if std::env::var("UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test -p guwen-tests committed_spec` or `guwen openapi --output openapi/openapi.json`"
    );
}

#[tokio::test]
async fn readyz_reports_the_database() {
    let app = spawn_app().await;
    let res = app.anonymous().get("/readyz").await;
    res.assert_status(200);
    assert_eq!(res.json()["status"], "ok");
}
