//! The budget cap under concurrent approvals from several `guwen` processes (Art. 14, 不得超预算
//! 执行; DOMAIN.md §4: "no two commits can both slip under it").
//!
//! The test app sets up the data (an advisor, a budget, the claims); then real `guwen serve`
//! processes on the same database receive every approval at once. On PostgreSQL there are three
//! replicas; on SQLite (the embedded default, one writer) one.
//!
//! The processes run the `guwen` binary that `cargo test --workspace` builds next to this test
//! (`target/<profile>/guwen`); `GUWEN_BIN` names another one.

use std::time::{Duration, Instant};

use futures_util::{StreamExt, future::join_all, stream};
use guwen_domain::role::Role;
use guwen_tests::{
    AdvisorSpec, TestApp, appointed_advisor, audit_count_where, expense_body, id_of, put_budget,
    replicas::{Replica, spawn_replica, start_replica, wait_ready},
    spawn_app, this_year,
};
use serde_json::json;

/// Three replicas started at the same moment on an empty PostgreSQL schema all come up: they
/// migrate one after the other instead of racing to create the same tables (scale-out).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_started_together_on_an_empty_schema_all_come_up() {
    let app = spawn_app().await;
    if app.schema.is_none() {
        return; // SQLite is embedded: one process owns the file.
    }
    let empty = guwen_tests::create_schema(&app.config.database_url).await;
    let url = guwen_tests::url_with_schema(&app.config.database_url, &empty);
    let spawned: Vec<Replica> = (0..3).map(|n| spawn_replica(&app, &url, n)).collect();
    let mut ready = Vec::new();
    for (n, r) in spawned.into_iter().enumerate() {
        ready.push(wait_ready(&app, r, n).await);
    }
    let token = app.sign(&app.claims(&[Role::Auditor], "auditor-startup"));
    for r in &ready {
        let res = app
            .client_at(&r.base, Some(token.clone()))
            .get("/api/v1/audit-events/verification")
            .await;
        res.assert_status(200);
        assert_eq!(res.json()["valid"], true);
    }
}

/// What came back from a burst of approvals.
pub struct Race {
    /// (expense id, amount) of the approvals answered 2xx.
    pub approved: Vec<(String, i64)>,
    /// (expense id, amount) of those refused with 409 `budget_exceeded`.
    pub refused: Vec<(String, i64)>,
    /// Anything else: (status, body).
    pub other: Vec<(u16, String)>,
    pub elapsed: Duration,
    pub year: i32,
    pub replicas: Vec<Replica>,
}

/// The amount of the `i`-th claim: 100 to 400 CNY, in fen.
fn amount(i: usize) -> i64 {
    10_000 + (i as i64 % 7) * 5_000
}

/// Sets up a budget of `total_fen` and `claims` submitted claims, starts `replicas` processes,
/// and sends every approval at once, spread over the processes.
pub async fn approval_race(app: &TestApp, replicas: usize, claims: usize, total_fen: i64) -> Race {
    let advisor = appointed_advisor(app, AdvisorSpec::named("钱学")).await;
    let year = this_year(app);
    put_budget(app, &json!({"total_fen": total_fen}))
        .await
        .assert_status(201);
    let hrss = app.hrss();
    let ids: Vec<(String, i64)> = stream::iter(0..claims)
        .map(|i| {
            let hrss = hrss.clone();
            let mut body = expense_body(app, Some(&advisor), "daily_work", amount(i));
            body["description"] = json!(format!("口岸调研第{i}次"));
            async move {
                let res = hrss.post("/api/v1/expenses", &body).await;
                res.assert_status(201);
                (id_of(&res.json()), amount(i))
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;

    let mut started = Vec::new();
    for n in 0..replicas {
        started.push(start_replica(app, n).await);
    }
    let token = app.sign(&app.claims(&[Role::Hrss], "hrss-race"));
    let clients: Vec<_> = started
        .iter()
        .map(|r| app.client_at(&r.base, Some(token.clone())))
        .collect();
    let begin = Instant::now();
    let answers = join_all(ids.iter().enumerate().map(|(i, (id, _))| {
        let client = &clients[i % clients.len()];
        async move {
            client
                .post(
                    &format!("/api/v1/expenses/{id}/approval"),
                    &json!({"approved": true}),
                )
                .await
        }
    }))
    .await;
    let elapsed = begin.elapsed();
    let mut race = Race {
        approved: Vec::new(),
        refused: Vec::new(),
        other: Vec::new(),
        elapsed,
        year,
        replicas: started,
    };
    for ((id, amount), res) in ids.into_iter().zip(answers) {
        if res.status.is_success() {
            race.approved.push((id, amount));
        } else if res.status.as_u16() == 409 && res.code() == "budget_exceeded" {
            race.refused.push((id, amount));
        } else {
            race.other.push((res.status.as_u16(), res.text));
        }
    }
    race
}

/// Art. 14: 600 approvals worth three times the budget, all at once through three `guwen`
/// processes on one PostgreSQL database (one process on SQLite). The committed sum never
/// exceeds the budget, equals the sum of the approvals answered 2xx, and every other approval
/// is a 409 `budget_exceeded` for an amount that no longer fit.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn art_14_the_cap_holds_under_concurrent_approvals_from_several_replicas() {
    let app = spawn_app().await;
    let replicas = if app.schema.is_some() { 3 } else { 1 };
    let claims = 600;
    let total_fen = 5_000_000;
    let offered: i64 = (0..claims).map(amount).sum();
    assert!(offered > 2 * total_fen, "the claims must exceed the budget");

    let race = approval_race(&app, replicas, claims, total_fen).await;
    assert!(
        race.other.is_empty(),
        "unexpected answers: {:?}",
        race.other
    );
    assert_eq!(race.approved.len() + race.refused.len(), claims);
    assert!(!race.refused.is_empty() && !race.approved.is_empty());

    let budget = app
        .auditor()
        .get(&format!("/api/v1/budgets/{}", race.year))
        .await;
    budget.assert_status(200);
    let budget = budget.json();
    let committed = budget["committed_fen"].as_i64().unwrap();
    let approved_sum: i64 = race.approved.iter().map(|(_, a)| a).sum();
    assert!(
        committed <= total_fen,
        "{committed} fen committed of {total_fen}"
    );
    assert_eq!(committed, approved_sum);
    assert_eq!(
        budget["remaining_fen"].as_i64(),
        Some(total_fen - committed)
    );
    // Every refusal was for an amount that did not fit in what remained then, and what remains
    // only shrinks: so none of them fits in what remains now.
    let remaining = total_fen - committed;
    assert!(race.refused.iter().all(|(_, a)| *a > remaining));

    // The claims' own states agree with the answers, on every replica.
    for replica in &race.replicas {
        let hrss = app.client_at(
            &replica.base,
            Some(app.sign(&app.claims(&[Role::Hrss], "hrss-check"))),
        );
        let (id, _) = &race.approved[0];
        let e = hrss.get(&format!("/api/v1/expenses/{id}")).await;
        assert_eq!(e.json()["state"], "approved");
        let (id, _) = &race.refused[0];
        let e = hrss.get(&format!("/api/v1/expenses/{id}")).await;
        assert_eq!(e.json()["state"], "submitted");
    }
    // One audit event per approval that got through, and the chain is intact.
    let verification = app.auditor().get("/api/v1/audit-events/verification").await;
    verification.assert_status(200);
    assert_eq!(verification.json()["valid"], true, "{}", verification.text);
    let approvals = audit_count_where(&app, None, "expense_approved").await;
    assert_eq!(approvals, race.approved.len());
}

/// The benchmark behind `bench/approvals.sh`: approvals per second across the replicas. It
/// asserts nothing about speed (only that the books balance); it prints one JSON line. Run it
/// through the script.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "a benchmark: run bench/approvals.sh"]
async fn bench_approvals_across_replicas() {
    let env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let claims = env("GUWEN_BENCH_CLAIMS", 3000);
    let replicas = env("GUWEN_BENCH_REPLICAS", 3);
    let app = spawn_app().await;
    let total_fen = 50_000_000;
    let race = approval_race(&app, replicas, claims, total_fen).await;
    assert!(
        race.other.is_empty(),
        "unexpected answers: {:?}",
        race.other
    );
    let secs = race.elapsed.as_secs_f64();
    // The books balance after every run, fast or slow.
    let budget = app
        .auditor()
        .get(&format!("/api/v1/budgets/{}", race.year))
        .await
        .json();
    let committed = budget["committed_fen"].as_i64().unwrap();
    let approved_fen: i64 = race.approved.iter().map(|(_, a)| a).sum();
    assert_eq!(committed, approved_fen);
    assert!(committed <= total_fen);
    println!(
        "{}",
        json!({
            "database": if app.schema.is_some() { "postgresql" } else { "sqlite" },
            "replicas": replicas,
            "approvals": claims,
            "approved": race.approved.len(),
            "refused": race.refused.len(),
            "committed_fen": committed,
            "budget_fen": total_fen,
            "seconds": (secs * 1000.0).round() / 1000.0,
            "approvals_per_second": (claims as f64 / secs).round(),
        })
    );
}
