//! Webhooks and the feed across replicas (DOMAIN.md §6): several `guwen serve` processes write
//! at once while a reader follows `GET /api/v1/events` and a receiver records deliveries; every
//! committed change reaches the reader exactly once, in order, with no gap, and the receiver at
//! least once, signed. A replica killed mid-delivery loses nothing; a slow receiver does not
//! slow the API; a failing one marks the subscription failed until a replay.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use guwen_domain::role::Role;
use guwen_tests::{
    Client, TestApp,
    receiver::{Mode, Receiver},
    replicas::{Replica, start_replica_with},
    spawn_app_with, task_body,
};
use serde_json::{Value, json};

/// Replica settings for quick retries and a short lease.
const REPLICA_ENV: &[(&str, &str)] = &[
    ("GUWEN_WEBHOOK_ALLOW_PRIVATE", "1"),
    ("GUWEN_WEBHOOK_BACKOFF_MS", "200"),
    ("GUWEN_WEBHOOK_TIMEOUT_SECS", "2"),
    ("GUWEN_WEBHOOK_LEASE_SECS", "4"),
];

async fn app_allowing_private(background_jobs: bool) -> TestApp {
    spawn_app_with(|c| {
        c.webhooks.allow_private = true;
        c.webhooks.backoff_base_ms = 100;
        c.webhooks.timeout_secs = 5;
        c.webhooks.lease_secs = 10;
        c.webhooks.retry_window_secs = 1;
        c.background_jobs = background_jobs;
    })
    .await
}

/// HRSS subscribes `url` to every event, as HRSS sees them, from now on: (id, secret).
async fn subscribe(app: &TestApp, url: &str) -> (String, String) {
    let res = app
        .hrss()
        .post(
            "/api/v1/webhook-subscriptions",
            &json!({"url": url, "view_as": "hrss"}),
        )
        .await;
    res.assert_status(201);
    let v = res.json();
    (
        v["id"].as_str().unwrap().to_owned(),
        v["secret"].as_str().unwrap().to_owned(),
    )
}

/// The feed's current end.
async fn head(app: &TestApp) -> i64 {
    let mut after = 0;
    loop {
        let page = app
            .auditor()
            .get(&format!("/api/v1/events?limit=200&after={after}"))
            .await
            .json();
        let next = page["next_after"].as_i64().unwrap();
        if page["items"].as_array().unwrap().is_empty() {
            return next;
        }
        after = next;
    }
}

/// A government caller creating an internal task through `client`; its event's sequence is
/// read back from the feed by the test.
/// The head as `app` reports it once it reaches `expected`, or after 2 s whatever it is then:
/// another replica's changes reach this one's answers within its change poll (README, "Reads").
async fn head_reaching(app: &TestApp, expected: i64) -> i64 {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let now = head(app).await;
        if now >= expected || Instant::now() >= deadline {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn create_task(app: &TestApp, client: &Client, n: usize) {
    let mut body = task_body(app, "logistics", "internal", 10);
    body["title"] = json!(format!("口岸事项{n}"));
    client.post("/api/v1/tasks", &body).await.assert_status(201);
}

/// Follows the feed from `after` with long polls until `count` events arrived or time is up.
async fn follow(client: Client, mut after: i64, count: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut seen = Vec::new();
    while seen.len() < count && Instant::now() < deadline {
        let res = client
            .get(&format!("/api/v1/events?after={after}&wait=5&limit=7"))
            .await;
        res.assert_status(200);
        let page = res.json();
        seen.extend(page["items"].as_array().cloned().unwrap_or_default());
        after = page["next_after"].as_i64().unwrap();
    }
    seen
}

fn sequences(items: &[Value]) -> Vec<i64> {
    items
        .iter()
        .map(|e| e["sequence"].as_i64().unwrap())
        .collect()
}

/// Asserts every delivery is signed with `secret` and carries its event id, and that events
/// were first delivered in sequence order.
fn assert_signed_and_ordered(receiver: &Receiver, secret: &str) {
    let mut first_seen = Vec::new();
    for d in receiver.deliveries() {
        assert!(d.verifies(secret), "bad signature on {:?}", d);
        let body: Value = serde_json::from_str(&d.body).unwrap();
        assert_eq!(body["id"], d.id.as_str());
        let s = d.sequence();
        if !first_seen.contains(&s) {
            first_seen.push(s);
        }
    }
    assert!(
        first_seen.windows(2).all(|w| w[0] < w[1]),
        "first deliveries out of order: {first_seen:?}"
    );
}

/// DOMAIN.md §6: three replicas write at once (on SQLite three processes on one file); a reader
/// following the feed through one of them sees every committed change exactly once, in order,
/// without a gap, and the receiver gets every one, signed, first in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_replicas_writing_at_once_a_reader_sees_every_change_once_in_order() {
    let app = app_allowing_private(false).await;
    let receiver = Receiver::start(Mode::Ack).await;
    let (_, secret) = subscribe(&app, &receiver.url).await;
    let start = head(&app).await;
    let mut replicas: Vec<Replica> = Vec::new();
    for n in 0..3 {
        replicas.push(start_replica_with(&app, n, REPLICA_ENV).await);
    }
    let per_replica = 15;
    let total = 3 * per_replica;
    let token = app.sign(&app.claims(&[Role::Government], "gov-writer"));
    let reader_token = app.sign(&app.claims(&[Role::Hrss], "hrss-reader"));
    let reader = tokio::spawn(follow(
        app.client_at(&replicas[0].base, Some(reader_token)),
        start,
        total,
    ));
    join_all((0..total).map(|i| {
        let client = app.client_at(&replicas[i % 3].base, Some(token.clone()));
        let app = &app;
        async move { create_task(app, &client, i).await }
    }))
    .await;

    // The trail after `start` is these changes, one event each, numbered without a gap.
    let expected: Vec<i64> = ((start + 1)..=(start + total as i64)).collect();
    let end = start + total as i64;
    assert_eq!(head_reaching(&app, end).await, end);
    let seen = reader.await.unwrap();
    assert_eq!(
        sequences(&seen),
        expected,
        "the reader saw each change once, in order"
    );
    assert!(seen.iter().all(|e| e["type"] == "task.created"));

    assert!(
        receiver
            .wait_for_all(&expected, Duration::from_secs(60))
            .await,
        "missing deliveries: got {:?}",
        receiver.sequences()
    );
    assert_signed_and_ordered(&receiver, &secret);
    guwen_tests::assert_chain_valid(&app).await;
}

/// A replica killed while a receiver holds its request loses nothing: its lease expires, another
/// replica delivers the same event again (same `webhook-id`), then the rest.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_replica_killed_mid_delivery_loses_no_event() {
    let app = app_allowing_private(false).await;
    let receiver = Receiver::start(Mode::Ack).await;
    receiver.hold_next(1, Duration::from_secs(3));
    let (id, secret) = subscribe(&app, &receiver.url).await;
    let start = head(&app).await;
    let gov = app.government();
    for i in 0..5 {
        create_task(&app, &gov, i).await;
    }
    let expected: Vec<i64> = ((start + 1)..=(start + 5)).collect();

    let mut first = start_replica_with(&app, 0, REPLICA_ENV).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while receiver.deliveries().is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        receiver.sequences(),
        [start + 1],
        "the first delivery is held"
    );
    first.kill();

    let _second = start_replica_with(&app, 1, REPLICA_ENV).await;
    assert!(
        receiver
            .wait_for_all(&expected, Duration::from_secs(30))
            .await,
        "missing deliveries: got {:?}",
        receiver.sequences()
    );
    let got = receiver.sequences();
    assert!(
        got.iter().filter(|s| **s == start + 1).count() >= 2,
        "the event in flight is delivered again: {got:?}"
    );
    assert_signed_and_ordered(&receiver, &secret);
    let deliveries = receiver.deliveries();
    let ids: Vec<&str> = deliveries
        .iter()
        .filter(|d| d.sequence() == start + 1)
        .map(|d| d.id.as_str())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let sub = app
            .hrss()
            .get(&format!("/api/v1/webhook-subscriptions/{id}"))
            .await
            .json();
        if sub["delivered_through"] == json!(start + 5) {
            assert_eq!(sub["state"], "active");
            break;
        }
        assert!(Instant::now() < deadline, "{sub}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A receiver that takes two seconds per delivery does not slow the API: deliveries run in the
/// background, never on a request.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_slow_receiver_does_not_slow_api_requests() {
    let app = app_allowing_private(true).await;
    let receiver = Receiver::start(Mode::Slow(Duration::from_secs(2))).await;
    subscribe(&app, &receiver.url).await;
    let gov = app.government();
    for i in 0..3 {
        create_task(&app, &gov, i).await;
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while receiver.in_flight() == 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(receiver.in_flight(), 1, "a delivery is under way");
    let auditor = app.auditor();
    for i in 0..10 {
        let begin = Instant::now();
        if i % 2 == 0 {
            auditor
                .get("/api/v1/events?after=0&limit=20")
                .await
                .assert_status(200);
        } else {
            create_task(&app, &gov, 10 + i).await;
        }
        let took = begin.elapsed();
        assert!(
            took < Duration::from_millis(1000),
            "request {i} took {took:?}"
        );
    }
}

/// A receiver that keeps failing: retried with backoff until the retry window is over, then the
/// subscription is `failed` (visible in the API) and receives nothing more; a replay resumes it
/// from the given sequence number.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failing_receiver_fails_the_subscription_until_a_replay() {
    let app = app_allowing_private(true).await;
    let receiver = Receiver::start(Mode::Fail(503)).await;
    let (id, secret) = subscribe(&app, &receiver.url).await;
    let gov = app.government();
    create_task(&app, &gov, 1).await;
    let first = head(&app).await;
    let hrss = app.hrss();
    let path = format!("/api/v1/webhook-subscriptions/{id}");
    let deadline = Instant::now() + Duration::from_secs(15);
    let failed = loop {
        let sub = hrss.get(&path).await.json();
        if sub["state"] == "failed" {
            break sub;
        }
        assert!(Instant::now() < deadline, "never failed: {sub}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(failed["attempts"].as_i64().unwrap() >= 2, "{failed}");
    assert!(
        failed["last_error"].as_str().unwrap().contains("503"),
        "{failed}"
    );
    assert_eq!(failed["delivered_through"], json!(first - 1));
    assert!(failed["failing_since"].is_string());
    let attempts = receiver.deliveries().len();
    assert!(attempts >= 2);

    receiver.set_mode(Mode::Ack);
    create_task(&app, &gov, 2).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        receiver.deliveries().len(),
        attempts,
        "a failed subscription receives nothing"
    );

    let replay = hrss
        .post(&format!("{path}/replay"), &json!({"from": first}))
        .await;
    replay.assert_status(200);
    assert_eq!(replay.json()["state"], "active");
    assert!(
        receiver
            .wait_for_all(&[first, first + 1], Duration::from_secs(10))
            .await
    );
    assert_signed_and_ordered(&receiver, &secret);
    hrss.post(&format!("{path}/replay"), &json!({"from": 0}))
        .await
        .assert_problem(422, "validation_failed");
}

/// Subscriptions are HRSS's; targets must be https:// on public addresses unless private ones
/// are allowed; secrets are `whsec_` base64; the secret is shown once; delete stops them.
#[tokio::test]
async fn subscriptions_check_their_target_and_secret() {
    let app = guwen_tests::spawn_app().await;
    let hrss = app.hrss();
    for (body, field) in [
        (json!({"url": "http://hooks.example.gov.cn/x"}), "url"),
        (json!({"url": "https://127.0.0.1/x"}), "url"),
        (json!({"url": "https://10.20.30.40/x"}), "url"),
        (json!({"url": "https://169.254.169.254/latest"}), "url"),
        (json!({"url": "https://[::1]/x"}), "url"),
        (
            json!({"url": "https://203.0.114.7/x", "secret": "plain"}),
            "secret",
        ),
    ] {
        let res = hrss.post("/api/v1/webhook-subscriptions", &body).await;
        res.assert_problem(422, "validation_failed");
        assert!(res.text.contains(field), "{}", res.text);
    }
    hrss.post(
        "/api/v1/webhook-subscriptions",
        &json!({"url": "https://203.0.114.7/x", "event_types": ["advisor.promoted"]}),
    )
    .await
    .assert_status(422);

    let res = hrss
        .post(
            "/api/v1/webhook-subscriptions",
            &json!({"url": "https://203.0.114.7/hooks", "event_types": ["advisor.appointed", "term.expired"]}),
        )
        .await;
    res.assert_status(201);
    let created = res.json();
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(created["state"], "active");
    assert_eq!(created["view_as"], "integration");
    assert_eq!(
        created["event_types"],
        json!(["advisor.appointed", "term.expired"])
    );
    let path = format!("/api/v1/webhook-subscriptions/{id}");
    let got = hrss.get(&path).await;
    got.assert_status(200);
    assert!(
        got.json().get("secret").is_none(),
        "the secret is shown once"
    );
    let list = hrss.get("/api/v1/webhook-subscriptions").await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    app.integration()
        .get("/api/v1/webhook-subscriptions")
        .await
        .assert_problem(403, "forbidden");
    hrss.send(reqwest::Method::DELETE, &path, None, &[])
        .await
        .assert_status(200);
    hrss.get(&path).await.assert_problem(404, "not_found");
    let actions = guwen_tests::audit_actions(&app, &id).await;
    assert_eq!(actions, ["webhook_subscribed", "webhook_unsubscribed"]);
}

/// A subscription delivers its types only, as its `view_as` role reads them: as `integration`,
/// an internal task's creation with nothing but its id, and neither a work-secret task nor an
/// expense (Art. 7.1, 14).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_subscription_delivers_its_types_as_its_role_reads_them() {
    use guwen_tests::{AdvisorSpec, appointed_advisor, set_budget, submit_expense};
    let app = app_allowing_private(true).await;
    let advisor = appointed_advisor(&app, AdvisorSpec::named("戊顾问")).await;
    let receiver = Receiver::start(Mode::Ack).await;
    let res = app
        .hrss()
        .post(
            "/api/v1/webhook-subscriptions",
            &json!({"url": receiver.url, "event_types": ["task.created", "expense.submitted"]}),
        )
        .await;
    res.assert_status(201);
    let secret = res.json()["secret"].as_str().unwrap().to_owned();
    let gov = app.government();
    let secret_task = task_body(&app, "logistics", "work_secret", 10);
    gov.post("/api/v1/tasks", &secret_task)
        .await
        .assert_status(201);
    set_budget(&app, 1_000_000).await;
    submit_expense(&app, &advisor, "daily_work", 10_000).await;
    let internal = gov
        .post(
            "/api/v1/tasks",
            &task_body(&app, "logistics", "internal", 10),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let last = head(&app).await;
    assert!(
        receiver
            .wait_for_all(&[last], Duration::from_secs(10))
            .await,
        "{:?}",
        receiver.sequences()
    );
    let deliveries = receiver.deliveries();
    assert_eq!(deliveries.len(), 1, "{deliveries:?}");
    let body: Value = serde_json::from_str(&deliveries[0].body).unwrap();
    assert_eq!(body["type"], "task.created");
    assert_eq!(body["data"], json!({"task": {"id": internal}}));
    assert!(deliveries[0].verifies(&secret));
}
