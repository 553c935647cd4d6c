//! The change feed (DOMAIN.md §6): `GET /api/v1/events` shows each role what it may see, in
//! commit order without gaps, filtered by type, resumable, with long polling.

use std::time::{Duration, Instant};

use guwen_domain::role::Role;
use guwen_tests::{
    AdvisorSpec, Client, TestApp, appointed_advisor, approve_expense, assign, create_task,
    set_budget, spawn_app, submit_expense, task_body,
};
use serde_json::Value;

/// Every event `client` may read, following `next_after` to the end.
async fn read_all(client: &Client, query: &str) -> Vec<Value> {
    let mut after = 0;
    let mut items = Vec::new();
    loop {
        let res = client
            .get(&format!("/api/v1/events?after={after}&limit=200{query}"))
            .await;
        res.assert_status(200);
        let page = res.json();
        let got = page["items"].as_array().cloned().unwrap_or_default();
        let next = page["next_after"].as_i64().unwrap();
        assert!(next >= after, "next_after went back");
        if got.is_empty() {
            return items;
        }
        items.extend(got);
        after = next;
    }
}

fn types(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|e| e["type"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Two advisors, an internal task for the first, a work-secret task for the second and an
/// approved expense of the first: (first, second, internal task, secret task).
async fn world(app: &TestApp) -> (String, String, String, String) {
    let a = appointed_advisor(app, AdvisorSpec::named("甲顾问")).await;
    let b = appointed_advisor(app, AdvisorSpec::named("乙顾问")).await;
    let gov = app.government();
    let internal = create_task(&gov, &task_body(app, "logistics", "internal", 10)).await;
    let secret = create_task(&gov, &task_body(app, "logistics", "work_secret", 10)).await;
    assign(app, &internal, &a).await;
    assign(app, &secret, &b).await;
    set_budget(app, 5_000_000).await;
    let e = submit_expense(app, &a, "daily_work", 20_000).await;
    approve_expense(app, e["id"].as_str().unwrap())
        .await
        .assert_status(200);
    (a, b, internal, secret)
}

/// DOMAIN.md §6, Art. 7.1, 14: HRSS and auditors read every event; integration reads the roster
/// and learns only that internal work exists; an advisor reads only events about themselves;
/// other roles may not read the feed.
#[tokio::test]
async fn art_7_1_each_role_reads_the_events_it_may_see() {
    let app = spawn_app().await;
    let (a, b, internal, secret) = world(&app).await;

    let all = read_all(&app.auditor(), "").await;
    let seqs: Vec<i64> = all
        .iter()
        .map(|e| e["sequence"].as_i64().unwrap())
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    let t = types(&all);
    for expected in [
        "notice.published",
        "advisor.appointed",
        "task.created",
        "task.assigned",
        "expense.submitted",
        "expense.approved",
    ] {
        assert!(
            t.contains(&expected.to_owned()),
            "{expected} missing: {t:?}"
        );
    }
    // The vetting of candidates is not in the feed.
    assert!(t.iter().all(|t| !t.starts_with("candidate.")));
    assert_eq!(read_all(&app.hrss(), "").await.len(), all.len());

    let integration = read_all(&app.integration(), "").await;
    let appointed: Vec<&Value> = integration
        .iter()
        .filter(|e| e["type"] == "advisor.appointed")
        .collect();
    assert_eq!(appointed.len(), 2);
    assert_eq!(appointed[0]["data"]["advisor"]["name"], "甲顾问");
    assert_eq!(appointed[0]["data"]["advisor"]["status"], "active");
    assert!(appointed[0]["data"]["advisor"].get("phone").is_none());
    // The internal task exists for integration, with nothing but its id; the secret one not.
    let created: Vec<&Value> = integration
        .iter()
        .filter(|e| e["type"] == "task.created")
        .collect();
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(created[0]["object"]["id"], internal.as_str());
    assert_eq!(
        created[0]["data"]["task"],
        serde_json::json!({"id": internal})
    );
    assert!(!integration.iter().any(|e| e.to_string().contains(&secret)));
    assert!(
        types(&integration)
            .iter()
            .all(|t| !t.starts_with("expense."))
    );

    let mine = read_all(&app.advisor(&a), "").await;
    assert!(!mine.is_empty());
    assert!(!mine.iter().any(|e| e.to_string().contains(&b)), "{mine:?}");
    let mine_types = types(&mine);
    assert!(mine_types.contains(&"advisor.appointed".to_owned()));
    assert!(mine_types.contains(&"expense.approved".to_owned()));
    let assigned = mine.iter().find(|e| e["type"] == "task.assigned").unwrap();
    assert_eq!(assigned["data"]["task"]["kind"], "major_research");
    assert_eq!(assigned["data"]["advisor_id"], a.as_str());
    assert!(!mine_types.contains(&"task.created".to_owned()));

    app.as_role(Role::Department)
        .get("/api/v1/events")
        .await
        .assert_problem(403, "forbidden");
    app.finance()
        .get("/api/v1/events")
        .await
        .assert_problem(403, "forbidden");
}

/// `types` keeps only the named types; `limit` pages; `next_after` resumes exactly after the
/// last event returned; bad parameters are 422.
#[tokio::test]
async fn the_types_filter_and_resuming_with_next_after() {
    let app = spawn_app().await;
    world(&app).await;
    let auditor = app.auditor();
    let only = read_all(&auditor, "&types=advisor.appointed,expense.approved").await;
    assert_eq!(
        types(&only),
        ["advisor.appointed", "advisor.appointed", "expense.approved"]
    );

    let all = read_all(&auditor, "").await;
    let mut after = 0;
    let mut paged = Vec::new();
    loop {
        let page = auditor
            .get(&format!("/api/v1/events?after={after}&limit=2"))
            .await
            .json();
        let items = page["items"].as_array().cloned().unwrap();
        if items.is_empty() {
            break;
        }
        assert!(items.len() <= 2);
        assert_eq!(
            page["next_after"],
            items.last().unwrap()["sequence"],
            "a full page resumes after its last item"
        );
        paged.extend(items);
        after = page["next_after"].as_i64().unwrap();
    }
    assert_eq!(paged, all);

    for bad in [
        "types=advisor.promoted",
        "limit=0",
        "limit=201",
        "wait=31",
        "after=-1",
    ] {
        auditor
            .get(&format!("/api/v1/events?{bad}"))
            .await
            .assert_problem(422, "validation_failed");
    }
}

/// A long poll answers within about a second of a commit, and with nothing at its timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_poll_answers_soon_after_a_commit_and_empty_at_its_timeout() {
    let app = spawn_app().await;
    let auditor = app.auditor();
    let head = auditor.get("/api/v1/events").await.json()["next_after"]
        .as_i64()
        .unwrap();

    let started = Instant::now();
    let empty = auditor
        .get(&format!("/api/v1/events?after={head}&wait=1"))
        .await;
    let waited = started.elapsed();
    empty.assert_status(200);
    assert_eq!(empty.json()["items"], serde_json::json!([]));
    assert_eq!(empty.json()["next_after"], head);
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(3),
        "{waited:?}"
    );

    let poll = {
        let auditor = auditor.clone();
        tokio::spawn(async move {
            let res = auditor
                .get(&format!("/api/v1/events?after={head}&wait=20"))
                .await;
            (res, Instant::now())
        })
    };
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let gov = app.government();
    create_task(&gov, &task_body(&app, "logistics", "internal", 10)).await;
    let committed = Instant::now();
    let (res, answered) = poll.await.unwrap();
    res.assert_status(200);
    let items = res.json()["items"].as_array().cloned().unwrap();
    assert_eq!(types(&items), ["task.created"]);
    let lag = answered.saturating_duration_since(committed);
    assert!(
        lag < Duration::from_secs(1),
        "answered {lag:?} after the commit"
    );
}

/// Art. 3, 4.5: the calendar job records a notice window's end and a term's end once each, on
/// the day they happen, however often it runs at the same time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_3_a_term_that_ends_appears_once_as_term_expired() {
    use guwen_api::feed::calendar::record_due_changes;
    let app = spawn_app().await;
    let a = appointed_advisor(&app, AdvisorSpec::named("丙顾问")).await;
    // The notice (9 days back) is over already; the term (2 years from today) is not.
    let (x, y) = tokio::join!(
        record_due_changes(&app.state),
        record_due_changes(&app.state)
    );
    assert_eq!(x.unwrap() + y.unwrap(), 1);
    let integration = app.integration();
    let ended = read_all(&integration, "&types=notice.ended").await;
    assert_eq!(ended.len(), 1);
    assert!(ended[0]["data"]["notice"]["ends_on"].is_string());
    assert!(
        read_all(&integration, "&types=term.expired")
            .await
            .is_empty()
    );

    app.advance_days(2 * 366);
    let (x, y) = tokio::join!(
        record_due_changes(&app.state),
        record_due_changes(&app.state)
    );
    assert_eq!(x.unwrap() + y.unwrap(), 1);
    assert_eq!(record_due_changes(&app.state).await.unwrap(), 0);
    let expired = read_all(&integration, "&types=term.expired").await;
    assert_eq!(expired.len(), 1, "{expired:?}");
    assert_eq!(expired[0]["object"]["id"], a.as_str());
    assert_eq!(expired[0]["data"]["advisor"]["status"], "expired");
    assert_eq!(expired[0]["data"]["advisor"]["name"], "丙顾问");
    guwen_tests::assert_chain_valid(&app).await;
}

/// The calendar job is safe on every replica: two `guwen serve` processes started together on
/// one database both run it at start, and the term that ended yesterday is recorded once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_running_the_calendar_job_record_term_expired_once() {
    use guwen_tests::{audit_count_where, replicas::start_replica, today};
    use sea_orm::ConnectionTrait;
    let app = spawn_app().await;
    let a = appointed_advisor(&app, AdvisorSpec::named("丁顾问")).await;
    let ended = today(&app) - chrono::Days::new(1);
    let started = today(&app) - chrono::Days::new(731);
    app.db()
        .execute_unprepared(&format!(
            "UPDATE advisors SET term_starts_on = '{started}', term_ends_on = '{ended}' WHERE id = '{a}'"
        ))
        .await
        .unwrap();
    let (r1, r2) = tokio::join!(start_replica(&app, 0), start_replica(&app, 1));
    let deadline = Instant::now() + Duration::from_secs(10);
    while audit_count_where(&app, Some(&a), "term_expired").await == 0 && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Both have run their start-up pass by now (they are ready and a second is ample).
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(audit_count_where(&app, Some(&a), "term_expired").await, 1);
    assert_eq!(audit_count_where(&app, None, "notice_ended").await, 1);
    drop((r1, r2));
    guwen_tests::assert_chain_valid(&app).await;
}
