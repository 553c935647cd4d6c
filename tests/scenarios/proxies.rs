//! The public endpoints behind reverse proxies: only a trusted proxy
//! (`GUWEN_TRUSTED_PROXIES`) is believed about the client, the client is the rightmost
//! forwarded address that is not a trusted proxy, entries that are not addresses are skipped,
//! and public reads have a per-address limit too. The test client connects from 127.0.0.1,
//! playing the proxy when loopback is trusted.

use guwen_tests::{Client, TestApp, self_nomination, spawn_app_with};
use reqwest::Method;

async fn self_nominate(app: &TestApp, headers: &[(&str, &str)]) -> u16 {
    app.anonymous()
        .send(
            Method::POST,
            "/api/v1/public/self-nominations",
            Some(&self_nomination(app)),
            headers,
        )
        .await
        .status
        .as_u16()
}

fn trusting_loopback(limit: u32) -> impl FnOnce(&mut guwen_api::Config) {
    move |c| {
        c.public_rate_limit = limit;
        c.trusted_proxies =
            guwen_api::http::client_addr::parse_trusted("127.0.0.1, 10.0.0.0/8").unwrap();
    }
}

#[tokio::test]
async fn a_spoofed_leftmost_address_does_not_escape_the_limit() {
    let app = spawn_app_with(trusting_loopback(3)).await;
    // The client writes whatever it likes on the left; our proxy appends the real address.
    let mut statuses = Vec::new();
    for i in 0..8 {
        let xff = format!("6.6.6.{i}, 203.0.113.7");
        statuses.push(self_nominate(&app, &[("X-Forwarded-For", &xff)]).await);
    }
    assert_eq!(statuses, [201, 201, 201, 429, 429, 429, 429, 429]);
    // Another citizen behind the same proxy has a bucket of their own.
    assert_eq!(
        self_nominate(&app, &[("X-Forwarded-For", "203.0.113.8")]).await,
        201
    );
    // An inner proxy of ours appended after the client changes nothing.
    assert_eq!(
        self_nominate(
            &app,
            &[("X-Forwarded-For", "6.6.6.9, 203.0.113.7, 10.1.2.3")]
        )
        .await,
        429
    );
}

#[tokio::test]
async fn entries_that_are_not_addresses_are_ignored() {
    let app = spawn_app_with(trusting_loopback(2)).await;
    let junk = format!("{}, 203.0.113.20, unknown", "x".repeat(5000));
    assert_eq!(
        self_nominate(&app, &[("X-Forwarded-For", &junk)]).await,
        201
    );
    assert_eq!(
        self_nominate(&app, &[("X-Forwarded-For", "203.0.113.20")]).await,
        201
    );
    assert_eq!(
        self_nominate(&app, &[("X-Forwarded-For", "garbage, 203.0.113.20")]).await,
        429
    );
    // `Forwarded: for=` is read the same way when there is no X-Forwarded-For.
    let fwd = r#"for=6.6.6.6, for="[2001:db8:cafe::17]:4711""#;
    assert_eq!(self_nominate(&app, &[("Forwarded", fwd)]).await, 201);
    // The same /64 is one client.
    assert_eq!(
        self_nominate(&app, &[("Forwarded", "for=\"[2001:db8:cafe::99]\"")]).await,
        201
    );
    assert_eq!(
        self_nominate(&app, &[("Forwarded", "for=\"[2001:db8:cafe:0:1::1]\"")]).await,
        429
    );
}

#[tokio::test]
async fn without_trusted_proxies_forwarded_headers_are_not_believed() {
    let app = spawn_app_with(|c| c.public_rate_limit = 2).await;
    assert!(app.config.trusted_proxies.is_empty());
    let mut statuses = Vec::new();
    for i in 0..3 {
        let xff = format!("203.0.113.{i}");
        statuses.push(self_nominate(&app, &[("X-Forwarded-For", &xff)]).await);
    }
    assert_eq!(statuses, [201, 201, 429]);
}

async fn read(reader: &Client, path: &str, xff: &str) -> guwen_tests::TestResponse {
    reader
        .send(Method::GET, path, None, &[("X-Forwarded-For", xff)])
        .await
}

#[tokio::test]
async fn public_reads_have_a_generous_limit_per_address() {
    let app = spawn_app_with(|c| {
        c.public_read_rate_limit = 5;
        c.trusted_proxies = guwen_api::http::client_addr::parse_trusted("127.0.0.1").unwrap();
    })
    .await;
    let reader = app.anonymous();
    // Every public read counts under one limit.
    for path in [
        "/api/v1/fields",
        "/api/v1/meta/enums",
        "/api/v1/public/notices",
    ] {
        read(&reader, path, "203.0.113.30").await.assert_status(200);
    }
    for _ in 0..2 {
        read(&reader, "/api/v1/public/roster", "203.0.113.30")
            .await
            .assert_status(200);
    }
    let res = read(&reader, "/api/v1/public/roster", "203.0.113.30").await;
    res.assert_problem(429, "rate_limited");
    assert!(res.header("retry-after").unwrap().parse::<u32>().unwrap() <= 60);
    // The limit is per address, and only on reads without a token.
    read(&reader, "/api/v1/public/roster", "203.0.113.31")
        .await
        .assert_status(200);
    for _ in 0..6 {
        app.auditor()
            .get("/api/v1/audit-events")
            .await
            .assert_status(200);
    }
}
