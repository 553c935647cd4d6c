//! The audit trail (DOMAIN.md §6): append-only, hash-chained, filterable, verifiable.

use guwen_persistence::audit::{Actor, Context, NewEvent};
use guwen_tests::{
    append_event, append_events, as_database_administrator, audit_verification, spawn_app,
};
use sea_orm::ConnectionTrait;

#[tokio::test]
async fn the_trail_pages_filters_and_orders() {
    let app = spawn_app().await;
    append_events(&app, 5).await;
    let mut seqs = Vec::new();
    let mut url = "/api/v1/audit-events?limit=2".to_owned();
    let mut pages = 0;
    loop {
        let page = app.auditor().get(&url).await.json();
        pages += 1;
        seqs.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["seq"].as_i64().unwrap()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => url = format!("/api/v1/audit-events?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seqs, [1, 2, 3, 4, 5]);
    let desc = app
        .auditor()
        .get("/api/v1/audit-events?order=desc&limit=2")
        .await
        .json();
    let first: Vec<i64> = desc["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(first, [5, 4]);
    let withdrawn = app
        .hrss()
        .get("/api/v1/audit-events?action=candidate_withdrawn")
        .await
        .json();
    assert_eq!(withdrawn["items"].as_array().unwrap().len(), 2);
    let one = app
        .hrss()
        .get("/api/v1/audit-events?object_id=c-3")
        .await
        .json();
    let event = &one["items"][0];
    assert_eq!(event["actor"]["sub"], "alice");
    assert_eq!(event["request_id"], "req-3");
    assert_eq!(event["details"]["i"], 3);
    assert!(event["occurred_at"].as_str().unwrap().ends_with("+08:00"));
}

/// The database refuses to change or remove an audit event, whoever asks: only an administrator
/// who lifts the triggers can, and verification then finds it (below).
#[tokio::test]
async fn the_database_refuses_to_change_or_remove_audit_events() {
    let app = spawn_app().await;
    append_events(&app, 3).await;
    let mut statements = vec![
        "UPDATE audit_events SET reason = 'forged' WHERE seq = 2",
        "DELETE FROM audit_events WHERE seq = 3",
        "DELETE FROM audit_events",
    ];
    if app.schema.is_some() {
        statements.push("TRUNCATE audit_events");
    }
    for sql in statements {
        let err = app
            .db()
            .execute_unprepared(sql)
            .await
            .expect_err("an audit event was changed");
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["checked"], 3);
    // Appending goes on.
    append_events(&app, 1).await;
    assert_eq!(audit_verification(&app).await["checked"], 4);
}

#[tokio::test]
async fn verification_finds_a_row_changed_behind_its_back() {
    let app = spawn_app().await;
    append_events(&app, 5).await;
    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], true);
    assert_eq!(v["checked"], 5);

    as_database_administrator(
        &app,
        "UPDATE audit_events SET reason = 'forged' WHERE seq = 3",
    )
    .await;
    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], false);
    assert_eq!(v["checked"], 2);
    assert_eq!(v["first_broken"]["seq"], 3);
    assert_eq!(v["first_broken"]["problem"], "hash_mismatch");
}

#[tokio::test]
async fn verification_finds_removed_events() {
    let app = spawn_app().await;
    append_events(&app, 5).await;
    as_database_administrator(&app, "DELETE FROM audit_events WHERE seq = 5").await;
    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], false);
    assert_eq!(v["first_broken"]["problem"], "head_mismatch");

    as_database_administrator(&app, "DELETE FROM audit_events WHERE seq = 2").await;
    let v = audit_verification(&app).await;
    assert_eq!(v["first_broken"]["seq"], 2);
    assert_eq!(v["first_broken"]["problem"], "sequence_gap");
}

/// Concurrent writers append one after another: the chain never forks.
#[tokio::test]
async fn concurrent_writers_keep_one_chain() {
    let app = spawn_app().await;
    let mut handles = Vec::new();
    for i in 0..20 {
        let db = app.db().clone();
        handles.push(tokio::spawn(async move {
            let context = Context {
                actor: Actor::anonymous(),
                request_id: None,
                now: chrono::Utc::now(),
            };
            let event = NewEvent {
                action: "objection_filed".into(),
                object_type: "objection".into(),
                object_id: format!("o-{i}"),
                ..Default::default()
            };
            append_event(&db, &context, event).await;
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["checked"], 20);
    assert_eq!(v["last_seq"], 20);
}
