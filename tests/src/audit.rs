//! The audit trail as a scenario reads it: the events on one object or of one action (every
//! page), their count, their actions in chain order, and the chain's verification; and events
//! appended straight to the store for the audit scenarios.

use guwen_domain::{audit::AuditAction, nomination::CandidateState};
use guwen_persistence::audit::{self, Context, Event};
use serde_json::Value;

use crate::TestApp;

/// Every audit event matching the filter (both optional), in chain order, read page by page
/// as the auditor. Records of sensitive reads (`sensitive_data_read`, which the scenarios' own
/// reads leave) are left out unless that action is asked for: see [`every_audit_event`].
pub async fn audit_events(
    app: &TestApp,
    object_id: Option<&str>,
    action: Option<&str>,
) -> Vec<Value> {
    let events = every_audit_event(app, object_id, action).await;
    if action.is_some() {
        return events;
    }
    events
        .into_iter()
        .filter(|e| e["action"] != "sensitive_data_read")
        .collect()
}

/// [`audit_events`] with the records of sensitive reads.
pub async fn every_audit_event(
    app: &TestApp,
    object_id: Option<&str>,
    action: Option<&str>,
) -> Vec<Value> {
    let mut filter = String::new();
    if let Some(object_id) = object_id {
        filter.push_str(&format!("object_id={object_id}&"));
    }
    if let Some(action) = action {
        filter.push_str(&format!("action={action}&"));
    }
    let mut events = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/audit-events?{filter}limit=200&cursor={c}"),
            None => format!("/api/v1/audit-events?{filter}limit=200"),
        };
        let page = app.auditor().get(&path).await;
        page.assert_status(200);
        let page = page.json();
        events.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return events,
        }
    }
}

/// How many audit events exist in all.
pub async fn audit_total(app: &TestApp) -> usize {
    audit_events(app, None, None).await.len()
}

/// How many audit events were recorded on one object.
pub async fn audit_count(app: &TestApp, object_id: &str) -> usize {
    audit_events(app, Some(object_id), None).await.len()
}

/// How many audit events of `action` were recorded, on one object or (with `None`) on any.
pub async fn audit_count_where(app: &TestApp, object_id: Option<&str>, action: &str) -> usize {
    audit_events(app, object_id, Some(action)).await.len()
}

/// The audit actions recorded on one object, in chain order.
pub async fn audit_actions(app: &TestApp, object_id: &str) -> Vec<String> {
    audit_events(app, Some(object_id), None)
        .await
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

/// The auditor's verification of the hash chain.
pub async fn audit_verification(app: &TestApp) -> Value {
    let res = app.auditor().get("/api/v1/audit-events/verification").await;
    res.assert_status(200);
    res.json()
}

/// Asserts that the hash chain verifies.
pub async fn assert_chain_valid(app: &TestApp) {
    let v = audit_verification(app).await;
    assert_eq!(v["valid"], true, "{v}");
}

/// Appends one event straight to the store, in its own transaction.
pub async fn append_event(db: &sea_orm::DatabaseConnection, context: &Context, event: Event) {
    let tx = audit::begin_write(db).await.unwrap();
    audit::append(&tx, context, event).await.unwrap();
    tx.commit().await.unwrap();
}

/// Appends `n` events straight to the store, as `alice` (HRSS) on candidates `c-0`, `c-1`, …:
/// event `i` is `candidate_nominated` for even `i` and `candidate_withdrawn` for odd, with
/// request id `req-{i}`, reason `reason {i}` and details `{"i": i}`.
pub async fn append_events(app: &TestApp, n: usize) {
    for i in 0..n {
        let context = Context {
            actor: audit::Actor {
                sub: "alice".into(),
                roles: vec!["hrss".into()],
                org_id: None,
            },
            request_id: Some(format!("req-{i}")),
            now: chrono::Utc::now(),
            signer: Some(app.state.audit_signer.clone()),
        };
        let action = if i % 2 == 0 {
            AuditAction::CandidateNominated
        } else {
            AuditAction::CandidateWithdrawn
        };
        let event = Event::new(action, "candidate", format!("c-{i}"))
            .after(CandidateState::Nominated)
            .reason(Some(format!("reason {i}")))
            .details(serde_json::json!({"i": i}));
        append_event(app.db(), &context, event).await;
    }
}

/// Runs `sql` on the audit trail as a database administrator would: with the append-only
/// triggers lifted for it (disabled around it on PostgreSQL, dropped on SQLite), which the
/// service's own role cannot do when it runs without ownership of the table.
pub async fn as_database_administrator(app: &TestApp, sql: &str) {
    use sea_orm::ConnectionTrait;
    let statements: Vec<String> = if app.schema.is_some() {
        vec![
            "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only".into(),
            sql.into(),
            "ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only".into(),
        ]
    } else {
        vec![
            "DROP TRIGGER IF EXISTS audit_events_no_update".into(),
            "DROP TRIGGER IF EXISTS audit_events_no_delete".into(),
            sql.into(),
        ]
    };
    for statement in statements {
        app.db().execute_unprepared(&statement).await.unwrap();
    }
}
