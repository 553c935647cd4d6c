//! Reads cost a bounded number of statements, whatever the page size; answers are cached per
//! replica without ever outliving a change; the embedded database reads beside a write.

use guwen_tests::{
    AdvisorSpec, Client, TestApp, appointed_advisor, assign, create_meeting, create_task,
    set_budget, spawn_app, spawn_app_with, submit_expense, task_body, today,
};
use serde_json::{Value, json};

/// Statements the app sends while `client` reads `path`.
async fn statements_for(app: &TestApp, client: &Client, path: &str) -> (u64, Value) {
    let before = app.state.statements.get();
    let res = client.get(path).await;
    let after = app.state.statements.get();
    res.assert_status(200);
    (after - before, res.json())
}

/// The fewest statements over three reads of `path` with a different page size each (the
/// change sequence's poll, once a second here, may add one to a read).
async fn fewest(app: &TestApp, client: &Client, path: &str, limits: [u32; 3]) -> (u64, usize) {
    let mut least = u64::MAX;
    let mut rows = 0;
    for limit in limits {
        let sep = if path.contains('?') { '&' } else { '?' };
        let (n, body) = statements_for(app, client, &format!("{path}{sep}limit={limit}")).await;
        least = least.min(n);
        rows = rows.max(body["items"].as_array().map_or(0, Vec::len));
    }
    (least, rows)
}

/// A world with several objects in every list: advisors, their candidates and notices,
/// tasks assigned to them, meetings inviting them, expenses.
async fn populated() -> (TestApp, Vec<String>) {
    let app = spawn_app_with(|c| c.change_poll_ms = 1000).await;
    let names = ["甲顾问", "乙顾问", "丙顾问", "丁顾问"];
    let mut advisors = Vec::new();
    for name in names {
        advisors.push(appointed_advisor(&app, AdvisorSpec::named(name)).await);
    }
    let dept = app.department("transport");
    for (i, a) in advisors.iter().enumerate() {
        let task = create_task(
            &dept,
            &task_body(&app, "logistics", "internal", 10 + i as u64),
        )
        .await;
        assign(&app, &task, a).await;
        if i > 0 {
            // The first advisor works on every task, so their own lists hold several rows.
            assign(&app, &task, &advisors[0]).await;
        }
        create_meeting(
            &app.government(),
            &json!({
                "title": format!("专题会议{i}"), "agenda": "通道",
                "held_at": format!("{}T09:00:00+08:00", today(&app) + chrono::Days::new(3)),
                "invited_advisor_ids": advisors,
            }),
        )
        .await;
    }
    set_budget(&app, 50_000_000).await;
    for a in &advisors {
        submit_expense(&app, a, "meals", 10_000).await;
    }
    (app, advisors)
}

/// Every list reads a bounded number of statements per page: a page of 50 costs no more than
/// a page of 1.
#[tokio::test]
async fn a_page_costs_the_same_statements_whatever_its_size() {
    let (app, advisors) = populated().await;
    let lists: Vec<(Client, &str)> = vec![
        (app.hrss(), "/api/v1/advisors"),
        (app.hrss(), "/api/v1/candidates"),
        (app.hrss(), "/api/v1/tasks"),
        (app.hrss(), "/api/v1/meetings"),
        (app.hrss(), "/api/v1/expenses"),
        (app.hrss(), "/api/v1/recommendation-lists"),
        (app.integration(), "/api/v1/roster"),
        (app.integration(), "/api/v1/events"),
        (app.anonymous(), "/api/v1/public/roster"),
        (app.anonymous(), "/api/v1/public/notices"),
        (app.auditor(), "/api/v1/audit-events"),
        (app.advisor(&advisors[0]), "/api/v1/meetings"),
        (app.advisor(&advisors[0]), "/api/v1/tasks"),
    ];
    for (client, path) in &lists {
        let (one, _) = fewest(&app, client, path, [1, 2, 3]).await;
        let (many, rows) = fewest(&app, client, path, [50, 49, 48]).await;
        assert!(
            rows >= 3,
            "{path}: the world should fill the page ({rows} rows)"
        );
        assert!(
            many <= one,
            "{path}: a page of {rows} rows sent {many} statements, a page of 1 sent {one}"
        );
        assert!(many <= 12, "{path}: {many} statements for one page");
    }
    // By id: a handful of statements, whatever the object holds.
    for (client, path) in [
        (app.hrss(), format!("/api/v1/advisors/{}", advisors[0])),
        (
            app.advisor(&advisors[1]),
            format!("/api/v1/advisors/{}", advisors[1]),
        ),
    ] {
        let (n, _) = statements_for(&app, &client, &path).await;
        assert!(n <= 6, "{path}: {n} statements");
    }
}

/// A cached answer never outlives a change: the same read is answered from memory (no
/// statement) until a write through this replica, which the next read shows at once.
#[tokio::test]
async fn a_cached_answer_is_dropped_by_the_next_change() {
    let app = spawn_app().await;
    let a = appointed_advisor(&app, AdvisorSpec::named("甲顾问")).await;
    let hrss = app.hrss();
    let path = format!("/api/v1/advisors/{a}");
    let first = hrss.get(&path).await.json();
    let before = app.state.statements.get();
    let again = hrss.get(&path).await.json();
    let reads = app.state.statements.get() - before;
    assert_eq!(first, again);
    assert!(reads <= 1, "a repeated read sent {reads} statements");
    // Another caller does not get this caller's answer.
    app.advisor(&a).get(&path).await.assert_status(200);
    let other = appointed_advisor(&app, AdvisorSpec::named("乙顾问")).await;
    app.advisor(&other).get(&path).await.assert_status(404);
    // A change through this replica is seen by the next read.
    let roster_before = app.anonymous().get("/api/v1/public/roster").await.json();
    assert_eq!(roster_before["items"].as_array().unwrap().len(), 2);
    guwen_tests::dismiss(&app, &other, "other", "违反保密规定").await;
    let roster_after = app.anonymous().get("/api/v1/public/roster").await.json();
    assert_eq!(
        roster_after["items"].as_array().unwrap().len(),
        1,
        "{roster_after}"
    );
}

/// The roster's validator costs no statement: a matching `If-None-Match` is answered `304`
/// from the change sequence this replica knows.
#[tokio::test]
async fn a_roster_revalidation_reads_nothing() {
    let app = spawn_app().await;
    appointed_advisor(&app, AdvisorSpec::named("甲顾问")).await;
    let integration = app.integration();
    let res = integration.get("/api/v1/roster").await;
    res.assert_status(200);
    let etag = res.header("etag").unwrap();
    let before = app.state.statements.get();
    let again = integration
        .get_with("/api/v1/roster", &[("If-None-Match", &etag)])
        .await;
    let reads = app.state.statements.get() - before;
    again.assert_status(304);
    assert!(reads <= 1, "a 304 sent {reads} statements");
}

/// A client that accepts a compressed answer gets one; others get plain JSON.
#[tokio::test]
async fn answers_are_compressed_for_a_client_that_asks() {
    let app = spawn_app().await;
    appointed_advisor(&app, AdvisorSpec::named("甲顾问")).await;
    let public = app.anonymous();
    let zipped = public
        .get_with("/api/v1/public/roster", &[("Accept-Encoding", "gzip")])
        .await;
    zipped.assert_status(200);
    assert_eq!(zipped.header("content-encoding").as_deref(), Some("gzip"));
    let plain = public.get("/api/v1/public/roster").await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.json()["items"].as_array().unwrap().len(), 1);
}
