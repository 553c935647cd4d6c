//! The audit trail's signed checkpoints, published outside the database; incremental
//! verification and the full re-verification job; `guwen audit verify --checkpoints`; and the
//! recording of sensitive reads (DOMAIN.md §6, Art. 7.1).

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use guwen_domain::audit::AuditAction;
use guwen_persistence::{
    audit::{Actor, AuditSigner, Context, Event},
    checkpoint::FileSink,
};
use guwen_tests::{
    AdvisorSpec, TestApp, append_event, append_events, appointed_advisor,
    as_database_administrator, audit_verification, check_background, create_task,
    decided_assessment, every_audit_event, file_objection, in_notice, lead, nominate, nomination,
    pre_review, replicas, spawn_app, spawn_app_with, task_body,
};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// Publishes a checkpoint now (as the background job does when one is due).
async fn checkpoint_now(app: &TestApp) -> Value {
    let published = guwen_api::audit::checkpoints::publish_due(&app.state)
        .await
        .unwrap()
        .expect("a checkpoint is due");
    serde_json::to_value(&published).unwrap()
}

/// A test app that publishes a checkpoint after every new event.
async fn app_checkpointing_every_event() -> TestApp {
    spawn_app_with(|c| {
        c.audit_checkpoint_every = 1;
        c.audit_checkpoint_secs = 3600;
    })
    .await
}

/// Every checkpoint served, page by page.
async fn served_checkpoints(app: &TestApp) -> Vec<Value> {
    let mut all = Vec::new();
    let mut path = "/api/v1/audit-events/checkpoints?limit=2".to_owned();
    loop {
        let page = app.auditor().get(&path).await;
        page.assert_status(200);
        let page = page.json();
        all.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/audit-events/checkpoints?limit=2&cursor={c}"),
            None => return all,
        }
    }
}

/// The hash of event `seq`, as the trail shows it.
async fn hash_of(app: &TestApp, seq: i64) -> String {
    let events = every_audit_event(app, None, None).await;
    events
        .iter()
        .find(|e| e["seq"] == seq)
        .map(|e| e["hash"].as_str().unwrap().to_owned())
        .unwrap()
}

/// Removes the events after `seq` and sets the head back to it, as a database administrator
/// restoring an older state would.
async fn roll_back_to(app: &TestApp, seq: i64) {
    let hash = hash_of(app, seq).await;
    as_database_administrator(app, &format!("DELETE FROM audit_events WHERE seq > {seq}")).await;
    app.db()
        .execute_unprepared(&format!(
            "UPDATE audit_head SET seq = {seq}, last_hash = '{hash}' WHERE id = 1"
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn checkpoints_are_signed_published_outside_the_database_and_served() {
    let app = app_checkpointing_every_event().await;
    // Nothing to publish before the first event.
    assert!(
        guwen_api::audit::checkpoints::publish_due(&app.state)
            .await
            .unwrap()
            .is_none()
    );
    append_events(&app, 3).await;
    let first = checkpoint_now(&app).await;
    assert_eq!(first["seq"], 3);
    assert_eq!(first["hash"], hash_of(&app, 3).await.as_str());
    // Nothing new: nothing published.
    assert!(
        guwen_api::audit::checkpoints::publish_due(&app.state)
            .await
            .unwrap()
            .is_none()
    );
    append_events(&app, 2).await;
    checkpoint_now(&app).await;
    append_events(&app, 1).await;
    checkpoint_now(&app).await;

    // In the file, fsynced, one JSON line each; served from there, in pages.
    let log = FileSink::read_path(&app.config.audit_checkpoints).unwrap();
    assert_eq!(
        log.checkpoints.iter().map(|c| c.seq).collect::<Vec<_>>(),
        [3, 5, 6]
    );
    let served = served_checkpoints(&app).await;
    assert_eq!(served.len(), 3);
    assert_eq!(served[0], first);
    let signer = AuditSigner::from_seed(&guwen_tests::test_audit_seed());
    assert!(
        log.checkpoints
            .iter()
            .all(|c| c.holds(&signer.verifying_key()))
    );
    assert_eq!(served[2]["public_key"], signer.public_key_hex().as_str());

    // Auditors and HRSS read them; nobody else.
    app.hrss()
        .get("/api/v1/audit-events/checkpoints")
        .await
        .assert_status(200);
    app.government()
        .get("/api/v1/audit-events/checkpoints")
        .await
        .assert_problem(403, "forbidden");

    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["checkpoints"]["published"], 3);
    assert_eq!(v["checkpoints"]["latest_seq"], 6);
}

#[tokio::test]
async fn truncating_the_tail_is_reported_once_a_later_checkpoint_exists() {
    let app = app_checkpointing_every_event().await;
    append_events(&app, 5).await;
    checkpoint_now(&app).await;
    // The administrator removes the two newest events and sets the head back: the chain alone
    // still verifies, every remaining event being signed.
    roll_back_to(&app, 3).await;
    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], false, "{v}");
    assert_eq!(v["first_broken"]["problem"], "behind_checkpoint", "{v}");
    assert_eq!(v["first_broken"]["seq"], 5);
    assert_eq!(v["last_seq"], 3);

    // Without the checkpoint the same database would verify: that is what it adds.
    std::fs::remove_file(&app.config.audit_checkpoints).unwrap();
    assert_eq!(audit_verification(&app).await["valid"], true);
}

#[tokio::test]
async fn rolling_the_head_back_to_an_older_signed_state_is_reported() {
    let app = app_checkpointing_every_event().await;
    append_events(&app, 3).await;
    checkpoint_now(&app).await;
    append_events(&app, 3).await;
    checkpoint_now(&app).await;
    // Verified once: verification would resume from seq 6 from now on.
    assert_eq!(audit_verification(&app).await["valid"], true);

    // Restored to the state at seq 3, and the service writes on: seq 4 to 6 again, signed by
    // the service itself, but not the events the checkpoint at seq 6 names.
    roll_back_to(&app, 3).await;
    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], false, "{v}");
    assert_eq!(v["first_broken"]["problem"], "behind_checkpoint", "{v}");
    append_events(&app, 3).await;
    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], false, "{v}");
    assert_eq!(v["first_broken"]["problem"], "checkpoint_mismatch", "{v}");
    assert_eq!(v["first_broken"]["seq"], 6);
}

#[tokio::test]
async fn a_forged_event_or_checkpoint_is_reported() {
    let app = app_checkpointing_every_event().await;
    append_events(&app, 3).await;
    checkpoint_now(&app).await;
    // An event appended with a correct hash by someone holding another key.
    let context = Context {
        actor: Actor::anonymous(),
        request_id: None,
        now: chrono::Utc::now(),
        signer: Some(AuditSigner::from_seed(&[9; 32])),
    };
    let forged = Event::new(AuditAction::CandidateAppointed, "candidate", "c-forged");
    append_event(app.db(), &context, forged).await;
    let v = audit_verification(&app).await;
    assert_eq!(v["first_broken"]["problem"], "signature_invalid", "{v}");
    assert_eq!(v["first_broken"]["seq"], 4);

    // A checkpoint written into the file by someone without the audit key.
    let app = app_checkpointing_every_event().await;
    append_events(&app, 2).await;
    checkpoint_now(&app).await;
    let other = AuditSigner::from_seed(&[9; 32]);
    let fake = other.checkpoint(2, &hash_of(&app, 2).await, chrono::Utc::now());
    append_line(
        &app.config.audit_checkpoints,
        &serde_json::to_string(&fake).unwrap(),
    );
    let v = audit_verification(&app).await;
    assert_eq!(
        v["first_broken"]["problem"], "checkpoint_signature_invalid",
        "{v}"
    );
}

fn append_line(path: &Path, text: &str) {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    file.write_all(text.as_bytes()).unwrap();
}

#[tokio::test]
async fn a_torn_last_line_is_skipped_and_reported_never_failing_the_file() {
    let app = app_checkpointing_every_event().await;
    append_events(&app, 2).await;
    checkpoint_now(&app).await;
    // A crash in the middle of writing the next checkpoint: half a line, no newline.
    append_line(&app.config.audit_checkpoints, "{\"seq\":3,\"hash\":\"ab");
    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["checkpoints"]["unreadable_lines"], json!([2]));
    // The next checkpoint starts on a line of its own.
    append_events(&app, 1).await;
    checkpoint_now(&app).await;
    let log = FileSink::read_path(&app.config.audit_checkpoints).unwrap();
    assert_eq!(
        log.checkpoints.iter().map(|c| c.seq).collect::<Vec<_>>(),
        [2, 3]
    );
    assert_eq!(served_checkpoints(&app).await.len(), 2);
}

#[tokio::test]
async fn verification_resumes_from_the_last_verified_point() {
    let app = spawn_app().await;
    append_events(&app, 5).await;
    let v = audit_verification(&app).await;
    assert_eq!(
        (v["from_seq"].clone(), v["checked"].clone()),
        (json!(0), json!(5))
    );
    append_events(&app, 2).await;
    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(
        (v["from_seq"].clone(), v["checked"].clone()),
        (json!(5), json!(2))
    );
    assert_eq!(v["last_seq"], 7);

    // The remembered point is signed: moving it without the key is reported (and the chain
    // verified from the start).
    app.db()
        .execute_unprepared("UPDATE audit_verified_state SET seq = 6 WHERE id = 1")
        .await
        .unwrap();
    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], false, "{v}");
    assert_eq!(v["from_seq"], 0);
    assert_eq!(v["checked"], 7);
    assert_eq!(v["first_broken"]["problem"], "verified_state_invalid");

    // The event at the remembered point rewritten (its hash recomputed) is reported too.
    let app = spawn_app().await;
    append_events(&app, 3).await;
    audit_verification(&app).await;
    as_database_administrator(
        &app,
        &format!(
            "UPDATE audit_events SET hash = '{}' WHERE seq = 3",
            "ee".repeat(32)
        ),
    )
    .await;
    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], false, "{v}");
    assert_eq!(v["first_broken"]["seq"], 3);
}

/// Polls a verification job until it ends.
async fn finished_job(app: &TestApp, location: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let job = app.auditor().get(location).await;
        job.assert_status(200);
        let job = job.json();
        if job["state"] != "running" {
            return job;
        }
        assert!(Instant::now() < deadline, "the job did not end: {job}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_full_re_verification_job_finds_what_incremental_verification_skips() {
    let app = spawn_app().await;
    append_events(&app, 5).await;
    assert_eq!(audit_verification(&app).await["valid"], true);
    // Event 3 changed behind the service's back: the next incremental verification resumes
    // after seq 5 and does not look at it.
    as_database_administrator(
        &app,
        "UPDATE audit_events SET reason = 'forged' WHERE seq = 3",
    )
    .await;
    let v = audit_verification(&app).await;
    assert_eq!(
        (v["valid"].clone(), v["checked"].clone()),
        (json!(true), json!(0))
    );

    // Only an auditor starts the full one.
    let path = "/api/v1/audit-events/verification-jobs";
    app.hrss()
        .post_idempotent(path, "k-1", &json!({}))
        .await
        .assert_problem(403, "forbidden");
    let res = app.auditor().post_idempotent(path, "k-1", &json!({})).await;
    res.assert_status(201);
    let location = res.header("location").unwrap();
    let job = res.json();
    assert_eq!(job["state"], "running");
    assert_eq!(job["total"], 5);
    // A retry answers the same job.
    let again = app.auditor().post_idempotent(path, "k-1", &json!({})).await;
    assert_eq!(again.json()["id"], job["id"]);

    let done = finished_job(&app, &location).await;
    assert_eq!(done["state"], "failed", "{done}");
    assert_eq!(done["first_broken"]["seq"], 3);
    assert_eq!(done["first_broken"]["problem"], "hash_mismatch");
    assert_eq!(done["verified"], 2);
    assert_eq!(done["started_by"], "auditor-user");
    // HRSS follows it too, and lists it.
    app.hrss().get(&location).await.assert_status(200);
    let list = app.auditor().get(path).await.json();
    assert_eq!(list["items"][0]["id"], job["id"]);
    // Incremental verifications now resume from before the break, and report it.
    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], false, "{v}");
    assert_eq!(v["first_broken"]["seq"], 3);
    assert_eq!(v["first_broken"]["problem"], "hash_mismatch");
    // Starting it is in the trail.
    let started = every_audit_event(&app, None, Some("audit_verification_started")).await;
    assert_eq!(started.len(), 1);

    // On a sound chain it succeeds.
    let app = spawn_app().await;
    append_events(&app, 3).await;
    let res = app.auditor().post(path, &json!({})).await;
    res.assert_status(201);
    let done = finished_job(&app, &res.header("location").unwrap()).await;
    assert_eq!(done["state"], "succeeded", "{done}");
    // Its own start event is the 4th.
    assert_eq!(done["verified"], 4);
    assert!(done["first_broken"].is_null());
}

/// Runs `guwen audit verify` on the test app's database; its exit status and output.
fn cli_verify(app: &TestApp, checkpoints: &Path) -> (bool, String) {
    let out = std::process::Command::new(replicas::guwen_bin())
        .args(["audit", "verify", "--checkpoints"])
        .arg(checkpoints)
        .env("DATABASE_URL", app.database_url_for_another_process())
        .env("GUWEN_AUDIT_KEY", guwen_tests::TEST_AUDIT_KEY)
        .env("GUWEN_DATA_DIR", app.dir.path().join("cli"))
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outside_party_verifies_a_database_against_the_checkpoints_it_kept() {
    let app = app_checkpointing_every_event().await;
    append_events(&app, 4).await;
    checkpoint_now(&app).await;
    append_events(&app, 2).await;
    checkpoint_now(&app).await;
    // The auditor keeps a copy of the checkpoints.
    let kept: PathBuf = app.dir.path().join("kept-checkpoints.jsonl");
    std::fs::copy(&app.config.audit_checkpoints, &kept).unwrap();

    let (ok, out) = cli_verify(&app, &kept);
    assert!(ok, "{out}");
    assert!(out.contains("6 events verified"), "{out}");
    assert!(out.contains("verified: the audit trail holds"), "{out}");

    // The newest events removed: the kept checkpoints tell.
    roll_back_to(&app, 4).await;
    let (ok, out) = cli_verify(&app, &kept);
    assert!(!ok, "{out}");
    assert!(out.contains("behind_checkpoint"), "{out}");
    assert!(out.contains("seq 6"), "{out}");

    // A key that is not the audit key's public half is refused as such.
    let out = std::process::Command::new(replicas::guwen_bin())
        .args(["audit", "verify", "--public-key", "zz"])
        .env("DATABASE_URL", app.database_url_for_another_process())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--public-key"));
}

/// Kill -9 of a replica while it writes and publishes checkpoints: no acknowledged write is
/// lost, and the chain still verifies against the last checkpoint published.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_replica_killed_while_checkpointing_loses_nothing_acknowledged() {
    let shared = tempfile::tempdir().unwrap();
    let file = shared.path().join("checkpoints.jsonl");
    let file_for_app = file.clone();
    let app = spawn_app_with(move |c| c.audit_checkpoints = file_for_app).await;
    let file_text = file.display().to_string();
    let env = [
        ("GUWEN_AUDIT_CHECKPOINTS", file_text.as_str()),
        ("GUWEN_AUDIT_CHECKPOINT_EVERY", "1"),
        ("GUWEN_AUDIT_CHECKPOINT_SECONDS", "1"),
        ("GUWEN_CALENDAR_INTERVAL_SECS", "3600"),
    ];
    let mut acknowledged = Vec::new();
    for round in 0..3 {
        let mut replica = replicas::start_replica_with(&app, round, &env).await;
        let token = app.sign(&app.claims(&[guwen_domain::role::Role::Hrss], "hrss-user"));
        let http = app.http.clone();
        let url = format!("{}/api/v1/token-revocations", replica.base);
        let writer = tokio::spawn(async move {
            let mut done = Vec::new();
            for i in 0.. {
                let body = json!({"jti": format!("r{round}-{i}"), "reason": "设备遗失"});
                let sent = http.post(&url).bearer_auth(&token).json(&body).send().await;
                let Ok(res) = sent else {
                    return done;
                };
                if res.status().as_u16() != 201 {
                    continue;
                }
                // Acknowledged only once the whole answer arrived.
                let Ok(answer) = res.json::<Value>().await else {
                    return done;
                };
                done.push(answer["id"].as_str().unwrap().to_owned());
            }
            done
        });
        // Long enough for checkpoints to be published while writes go on.
        tokio::time::sleep(Duration::from_millis(2300 + 300 * round as u64)).await;
        replica.kill();
        acknowledged.extend(writer.await.unwrap());
    }
    assert!(acknowledged.len() >= 3, "{acknowledged:?}");

    // Every acknowledged write is there, with its audit event.
    for id in &acknowledged {
        app.hrss()
            .get(&format!("/api/v1/token-revocations/{id}"))
            .await
            .assert_status(200);
    }
    let revoked = every_audit_event(&app, None, Some("token_revoked")).await;
    assert!(revoked.len() >= acknowledged.len());

    // The file reads (a torn last line at most is skipped) and the chain matches its last
    // checkpoint.
    let log = FileSink::read_path(&file).unwrap();
    assert!(!log.checkpoints.is_empty());
    assert!(
        log.unreadable_lines.len() <= 3,
        "{:?}",
        log.unreadable_lines
    );
    let v = audit_verification(&app).await;
    assert_eq!(v["valid"], true, "{v}");
    assert!(v["checkpoints"]["compared"].as_u64().unwrap() >= 1, "{v}");
    let latest = log.checkpoints.iter().map(|c| c.seq).max().unwrap();
    assert!(latest <= v["last_seq"].as_i64().unwrap());
    let (ok, out) = cli_verify(&app, &file);
    assert!(ok, "{out}");
}

#[tokio::test]
async fn reading_sensitive_data_is_recorded_in_the_trail() {
    let app = spawn_app().await;
    // A background check (Art. 4.2): HRSS reads it; the lead department does not see it.
    let id = nominate(&app, &nomination(&app, "王建国", 55, 20)).await;
    pre_review(&lead(&app), &id).await.assert_status(200);
    check_background(&app.hrss(), &id).await.assert_status(200);
    assert!(read_records(&app, &id).await.is_empty());
    let seen = app.hrss().get(&format!("/api/v1/candidates/{id}")).await;
    assert!(!seen.json()["background_check"].is_null());
    lead(&app)
        .get(&format!("/api/v1/candidates/{id}"))
        .await
        .assert_status(200);
    let records = read_records(&app, &id).await;
    assert_eq!(records.len(), 1, "{records:?}");
    let r = &records[0];
    assert_eq!(r["object_type"], "candidate");
    assert_eq!(r["actor"]["sub"], "hrss-user");
    assert_eq!(r["actor"]["roles"], json!(["hrss"]));
    assert_eq!(r["details"]["data"], "background_check");
    assert_eq!(r["details"]["route"], "GET /api/v1/candidates/{id}");
    assert!(r["occurred_at"].as_str().is_some());
    // In a list too.
    app.auditor()
        .get("/api/v1/candidates")
        .await
        .assert_status(200);
    assert_eq!(read_records(&app, &id).await.len(), 2);

    // A secret task (Art. 7.1); an internal one is an ordinary read.
    let gov = app.government();
    let secret = create_task(&gov, &task_body(&app, "logistics", "work_secret", 10)).await;
    let internal = create_task(&gov, &task_body(&app, "logistics", "internal", 10)).await;
    gov.get(&format!("/api/v1/tasks/{secret}"))
        .await
        .assert_status(200);
    gov.get(&format!("/api/v1/tasks/{internal}"))
        .await
        .assert_status(200);
    let records = read_records(&app, &secret).await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["details"]["data"], "secret_task");
    assert!(read_records(&app, &internal).await.is_empty());

    // An objector's contact (Art. 4.5).
    let (candidate, notice) = in_notice(&app, 50, None).await;
    let res = file_objection(&app, &notice, &candidate).await;
    res.assert_status(201);
    let objection = res.json()["id"].as_str().unwrap().to_owned();
    assert!(read_records(&app, &objection).await.is_empty());
    app.hrss()
        .get("/api/v1/objections")
        .await
        .assert_status(200);
    let records = read_records(&app, &objection).await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["details"]["data"], "objector_contact");

    // A grade (Art. 16).
    let advisor = appointed_advisor(&app, AdvisorSpec::named("赵顾问")).await;
    let assessment = decided_assessment(&app, &advisor, "excellent").await;
    let before = read_records(&app, &assessment).await.len();
    app.auditor()
        .get(&format!("/api/v1/assessments/{assessment}"))
        .await
        .assert_status(200);
    let records = read_records(&app, &assessment).await;
    assert_eq!(records.len(), before + 1);
    assert_eq!(records[before]["details"]["data"], "assessment_grade");
    assert_eq!(records[before]["actor"]["roles"], json!(["auditor"]));

    // Never in the public feed, and the chain still verifies.
    let feed = app
        .integration()
        .get("/api/v1/events?limit=200")
        .await
        .json();
    assert!(
        feed["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["type"] != "sensitive_data_read")
    );
    assert_eq!(audit_verification(&app).await["valid"], true);
}

/// The records of sensitive reads of one object.
async fn read_records(app: &TestApp, object_id: &str) -> Vec<Value> {
    every_audit_event(app, Some(object_id), Some("sensitive_data_read")).await
}

/// A job whose replica died (its lease ran out part-way) is taken over and finished by another.
#[tokio::test]
async fn a_verification_job_whose_replica_died_is_taken_over() {
    let app = spawn_app().await;
    append_events(&app, 6).await;
    let res = app
        .auditor()
        .post("/api/v1/audit-events/verification-jobs", &json!({}))
        .await;
    res.assert_status(201);
    let location = res.header("location").unwrap();
    finished_job(&app, &location).await;
    // As a replica would have left it when killed after verifying 3 of the events: running,
    // its lease run out.
    let hash = hash_of(&app, 3).await;
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let past = if app.schema.is_some() {
        "'2000-01-01T00:00:00Z'"
    } else {
        "'2000-01-01T00:00:00.000000Z'"
    };
    app.db()
        .execute_unprepared(&format!(
            "UPDATE audit_verification_jobs SET state = 'running', verified = 3, last_seq = 3, \
             last_hash = '{hash}', finished_at = NULL, lease_until = {past} WHERE id = '{id}'"
        ))
        .await
        .unwrap();
    let job = app.auditor().get(&location).await.json();
    assert_eq!(
        (job["state"].clone(), job["verified"].clone()),
        (json!("running"), json!(3))
    );

    let taken = guwen_api::audit::jobs::resume_abandoned(&app.state)
        .await
        .unwrap();
    assert_eq!(taken, 1);
    let done = finished_job(&app, &location).await;
    assert_eq!(done["state"], "succeeded", "{done}");
    assert_eq!(done["resumed"], 1);
    // It went on from seq 3 to the end (the 6 events and its own start event).
    assert_eq!(done["verified"], 7);
    // A running job whose replica is alive (its lease not run out) is left alone.
    assert_eq!(
        guwen_api::audit::jobs::resume_abandoned(&app.state)
            .await
            .unwrap(),
        0
    );
}
