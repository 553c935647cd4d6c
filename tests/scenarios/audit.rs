//! The audit trail (DOMAIN.md §6): append-only, hash-chained, filterable, verifiable.

use guwen_domain::audit::AuditAction;
use guwen_persistence::{
    audit::{Actor, AuditSigner, Context, Event, chain_hash},
    entity::audit_event,
};
use guwen_tests::{
    append_event, append_events, as_database_administrator, audit_verification, spawn_app,
};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

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
    // Appending goes on (verification resumes after the 3 events it verified).
    append_events(&app, 1).await;
    let v = audit_verification(&app).await;
    assert_eq!(
        (v["from_seq"].clone(), v["checked"].clone()),
        (3.into(), 1.into())
    );
    assert_eq!(v["last_seq"], 4);
}

#[tokio::test]
async fn verification_finds_a_row_changed_behind_its_back() {
    let app = spawn_app().await;
    append_events(&app, 5).await;
    // Checked without remembering it (a remembered point would let the next verification
    // resume after seq 5: see the full re-verification job in audit_checkpoints).
    let v = guwen_persistence::audit::verify(app.db(), None)
        .await
        .unwrap();
    assert_eq!((v.first_broken, v.checked), (None, 5));

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
        let signer = app.state.audit_signer.clone();
        handles.push(tokio::spawn(async move {
            let context = Context {
                actor: Actor::anonymous(),
                request_id: None,
                now: chrono::Utc::now(),
                signer: Some(signer),
            };
            let event = Event::new(AuditAction::ObjectionFiled, "objection", format!("o-{i}"));
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

/// An event appended by someone without the audit key: with another key, or none.
async fn append_forged(app: &guwen_tests::TestApp, signer: Option<AuditSigner>) {
    let context = Context {
        actor: Actor::anonymous(),
        request_id: None,
        now: chrono::Utc::now(),
        signer,
    };
    let event = Event::new(AuditAction::CandidateAppointed, "candidate", "c-forged");
    append_event(app.db(), &context, event).await;
}

#[tokio::test]
async fn every_append_signs_the_head_with_the_audit_key() {
    let app = spawn_app().await;
    append_events(&app, 3).await;
    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], true, "{v}");
    let signer = AuditSigner::from_seed(&guwen_tests::test_audit_seed());
    assert_eq!(v["signing_key"], signer.public_key_hex().as_str());
    // Each event's signature is the key's over its sequence number and hash.
    let events = guwen_tests::audit_events(&app, None, None).await;
    for e in &events {
        let (seq, hash) = (e["seq"].as_i64().unwrap(), e["hash"].as_str().unwrap());
        assert_eq!(e["signature"], signer.sign_head(seq, hash).as_str());
    }
}

#[tokio::test]
async fn an_event_appended_without_the_key_does_not_verify() {
    let app = spawn_app().await;
    append_events(&app, 3).await;
    // A correct hash, chained to the last event, signed with another key.
    append_forged(&app, Some(AuditSigner::from_seed(&[9; 32]))).await;
    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], false);
    assert_eq!(v["first_broken"]["problem"], "signature_invalid", "{v}");
    assert_eq!(v["first_broken"]["seq"], 4);
    assert_eq!(v["checked"], 3);
    // The service's later, signed events do not cover for it.
    append_events(&app, 2).await;
    let v = audit_verification(&app).await;
    assert_eq!(v["first_broken"]["seq"], 4, "{v}");

    // Without any key at all.
    let app = spawn_app().await;
    append_events(&app, 2).await;
    append_forged(&app, None).await;
    append_events(&app, 1).await;
    let v = audit_verification(&app).await;
    assert_eq!(v["first_broken"]["problem"], "unsigned", "{v}");
    assert_eq!(v["first_broken"]["seq"], 3);
}

#[tokio::test]
async fn an_event_rewritten_with_every_later_hash_recomputed_does_not_verify() {
    let app = spawn_app().await;
    append_events(&app, 5).await;
    let mut rows = audit_event::Entity::find()
        .order_by_asc(audit_event::Column::Seq)
        .all(app.db())
        .await
        .unwrap();
    // The administrator edits event 2 and recomputes every hash after it, and the head.
    rows[1].reason = Some("rewritten".into());
    for i in 1..rows.len() {
        let prev = rows[i - 1].hash.clone();
        rows[i].prev_hash = prev.clone();
        rows[i].hash = chain_hash(&prev, &rows[i]);
        let row = &rows[i];
        as_database_administrator(
            &app,
            &format!(
                "UPDATE audit_events SET reason = {}, prev_hash = '{}', hash = '{}' WHERE seq = {}",
                row.reason
                    .as_ref()
                    .map_or("NULL".to_owned(), |r| format!("'{r}'")),
                row.prev_hash,
                row.hash,
                row.seq
            ),
        )
        .await;
    }
    let last = rows.last().unwrap();
    app.db()
        .execute_unprepared(&format!(
            "UPDATE audit_head SET last_hash = '{}' WHERE id = 1",
            last.hash
        ))
        .await
        .unwrap();
    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], false, "{v}");
    assert_eq!(v["checked"], 1, "{v}");
    assert_eq!(v["first_broken"]["seq"], 2);
    assert_eq!(v["first_broken"]["problem"], "signature_invalid");
}
