//! Attachments and documents of record (Art. 4.6, 7(5), 11, 13): progress reports and their
//! history, the documents drafted from finalised minutes, certificates and agreements issued
//! per term and revoked on leaving office, and files on every one of them, stored in the
//! object store with their SHA-256 in the audit trail and visible exactly to those who see the
//! object they belong to.

use guwen_tests::{
    AdvisorSpec, TestApp, TestResponse, appointed_advisor, assign, audit_events, create_meeting,
    create_task, created_id, dismiss, put_attendance, spawn_app, spawn_app_with, task_body, today,
};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const PDF: &str = "application/pdf";

/// A small PDF-like file of `n` bytes.
fn file(n: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..n.saturating_sub(9)).map(|i| b'a' + (i % 26) as u8));
    bytes
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `client` uploads `bytes` as `name` with `content_type` to `/api/v1/{owner}/{id}/attachments`.
async fn upload(
    client: &guwen_tests::Client,
    owner: &str,
    id: &str,
    name: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> TestResponse {
    client
        .raw(
            Method::POST,
            &format!("/api/v1/{owner}/{id}/attachments?file_name={name}"),
            content_type,
            bytes,
        )
        .await
}

/// A task requested by the `commerce` department with `advisors` assigned; returns the task and
/// the assignments in order.
async fn requested_task(
    app: &TestApp,
    confidentiality: &str,
    advisors: &[&str],
) -> (String, Vec<String>) {
    let task = create_task(
        &app.department("commerce"),
        &task_body(app, "logistics", confidentiality, 10),
    )
    .await;
    let mut assignments = Vec::new();
    for a in advisors {
        assignments.push(assign(app, &task, a).await);
    }
    (task, assignments)
}

async fn report(app: &TestApp, advisor: &str, assignment: &str, text: &str) -> TestResponse {
    app.advisor(advisor)
        .post(
            &format!("/api/v1/assignments/{assignment}/progress-reports"),
            &json!({ "text": text }),
        )
        .await
}

fn items(res: &TestResponse) -> Vec<Value> {
    res.assert_status(200);
    res.json()["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn art_7_5_progress_reports_are_read_by_the_requester_and_hrss_and_an_advisor_reads_their_own()
 {
    let app = spawn_app().await;
    let a = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let b = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    let (task, asg) = requested_task(&app, "internal", &[&a, &b]).await;
    let first = report(&app, &a, &asg[0], "已完成实地调研，正在撰写报告。").await;
    first.assert_status(201);
    let first_id = created_id(&first);
    report(&app, &b, &asg[1], "已收集口岸数据。")
        .await
        .assert_status(201);
    // Not one's own assignment: it does not exist for the caller.
    report(&app, &a, &asg[1], "冒名")
        .await
        .assert_problem(404, "not_found");
    app.hrss()
        .post(
            &format!("/api/v1/assignments/{}/progress-reports", asg[0]),
            &json!({"text": "x"}),
        )
        .await
        .assert_problem(403, "forbidden");

    let path = format!("/api/v1/tasks/{task}/progress-reports");
    assert_eq!(items(&app.hrss().get(&path).await).len(), 2);
    assert_eq!(items(&app.department("commerce").get(&path).await).len(), 2);
    assert_eq!(items(&app.government().get(&path).await).len(), 2);
    let own = items(&app.advisor(&a).get(&path).await);
    assert_eq!(own.len(), 1, "an advisor reads their own reports only");
    assert_eq!(own[0]["advisor_id"], a.as_str());
    // Integrated systems see the progress of `internal` tasks.
    assert_eq!(items(&app.integration().get(&path).await).len(), 2);
    app.department("transport")
        .get(&path)
        .await
        .assert_problem(404, "not_found");
    app.anonymous().get(&path).await.assert_status(401);
    app.advisor(&b)
        .get(&format!("/api/v1/progress-reports/{first_id}"))
        .await
        .assert_problem(404, "not_found");
    let one = app
        .department("commerce")
        .get(&format!("/api/v1/progress-reports/{first_id}"))
        .await;
    one.assert_status(200);
    assert_eq!(one.json()["text"], "已完成实地调研，正在撰写报告。");
}

#[tokio::test]
async fn art_7_1_7_5_integration_does_not_see_progress_on_secret_tasks() {
    let app = spawn_app().await;
    let a = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let (task, asg) = requested_task(&app, "work_secret", &[&a]).await;
    let id = created_id(&report(&app, &a, &asg[0], "进展").await);
    app.integration()
        .get(&format!("/api/v1/tasks/{task}/progress-reports"))
        .await
        .assert_problem(404, "not_found");
    app.integration()
        .get(&format!("/api/v1/progress-reports/{id}"))
        .await
        .assert_problem(404, "not_found");
    app.integration()
        .get(&format!("/api/v1/progress-reports/{id}/attachments"))
        .await
        .assert_problem(404, "not_found");
}

#[tokio::test]
async fn art_7_5_a_file_on_a_progress_report_round_trips_with_its_sha256_and_the_owners_visibility()
{
    let app = spawn_app().await;
    let a = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let b = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    let (_, asg) = requested_task(&app, "internal", &[&a, &b]).await;
    let rid = created_id(&report(&app, &a, &asg[0], "阶段性报告").await);
    let bytes = file(200_000);
    let up = upload(
        &app.advisor(&a),
        "progress-reports",
        &rid,
        "report.pdf",
        PDF,
        bytes.clone(),
    )
    .await;
    up.assert_status(201);
    let att = up.json();
    assert_eq!(att["sha256"], sha256_hex(&bytes).as_str());
    assert_eq!(att["size_bytes"], bytes.len());
    assert_eq!(att["content_type"], PDF);
    let download = att["download_url"].as_str().unwrap().to_owned();
    assert_eq!(up.header("location").as_deref(), Some(download.as_str()));

    let got = app.department("commerce").get(&download).await;
    got.assert_status(200);
    assert_eq!(got.bytes, bytes);
    assert_eq!(got.header("content-type").as_deref(), Some(PDF));
    assert_eq!(got.header("cache-control").as_deref(), Some("no-store"));
    assert!(
        got.header("content-disposition")
            .is_some_and(|d| d.starts_with("attachment;") && d.contains("report.pdf")),
        "{:?}",
        got.header("content-disposition")
    );
    app.hrss().get(&download).await.assert_status(200);
    app.auditor().get(&download).await.assert_status(200);
    // Integrated systems read the progress of `internal` tasks, files included.
    app.integration().get(&download).await.assert_status(200);
    // Another advisor on the same task, another department, the public: nothing.
    app.advisor(&b)
        .get(&download)
        .await
        .assert_problem(404, "not_found");
    app.department("transport")
        .get(&download)
        .await
        .assert_problem(404, "not_found");
    app.anonymous().get(&download).await.assert_status(401);
    // Another advisor cannot attach to it either.
    upload(
        &app.advisor(&b),
        "progress-reports",
        &rid,
        "x.pdf",
        PDF,
        file(100),
    )
    .await
    .assert_problem(404, "not_found");

    let listed = items(
        &app.hrss()
            .get(&format!("/api/v1/progress-reports/{rid}/attachments"))
            .await,
    );
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], att["id"]);
    let history = app
        .hrss()
        .get(&format!("/api/v1/progress-reports/{rid}"))
        .await
        .json();
    assert_eq!(history["attachments"][0]["sha256"], att["sha256"]);

    // The SHA-256 is in the audit trail.
    let events = audit_events(
        &app,
        Some(att["id"].as_str().unwrap()),
        Some("attachment_uploaded"),
    )
    .await;
    assert_eq!(events.len(), 1);
    assert!(
        events[0].to_string().contains(&sha256_hex(&bytes)),
        "{}",
        events[0]
    );
}

#[tokio::test]
async fn art_7_5_an_upload_retried_with_its_key_is_recorded_once() {
    let app = spawn_app().await;
    let a = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let (_, asg) = requested_task(&app, "internal", &[&a]).await;
    let rid = created_id(&report(&app, &a, &asg[0], "进展").await);
    let send = || async {
        app.advisor(&a)
            .http
            .post(format!(
                "{}/api/v1/progress-reports/{rid}/attachments?file_name=a.txt",
                app.base
            ))
            .bearer_auth(app.advisor(&a).token.unwrap())
            .header("content-type", "text/plain; charset=utf-8")
            .header("idempotency-key", "upload-1")
            .body("进展说明".as_bytes().to_vec())
            .send()
            .await
            .unwrap()
    };
    let first = send().await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let second = send().await;
    assert_eq!(second.status(), 201);
    let second: Value = second.json().await.unwrap();
    assert_eq!(first["id"], second["id"]);
    let listed = items(
        &app.hrss()
            .get(&format!("/api/v1/progress-reports/{rid}/attachments"))
            .await,
    );
    assert_eq!(listed.len(), 1);
}

#[tokio::test]
async fn art_7_5_files_above_the_limit_or_of_other_types_are_refused_and_nothing_is_kept() {
    let app = spawn_app_with(|c| c.attachment_max_bytes = 1024).await;
    let a = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let (_, asg) = requested_task(&app, "internal", &[&a]).await;
    let rid = created_id(&report(&app, &a, &asg[0], "进展").await);
    let me = app.advisor(&a);
    upload(&me, "progress-reports", &rid, "big.pdf", PDF, file(1025))
        .await
        .assert_problem(413, "payload_too_large");
    // Without a length announced: refused while streaming.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = (0..4).map(|_| Ok(file(600))).collect();
    let streamed = me
        .http
        .post(format!(
            "{}/api/v1/progress-reports/{rid}/attachments?file_name=big.pdf",
            app.base
        ))
        .bearer_auth(me.token.clone().unwrap())
        .header("content-type", PDF)
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(streamed.status(), 413);
    upload(
        &me,
        "progress-reports",
        &rid,
        "page.html",
        "text/html",
        b"<p>x</p>".to_vec(),
    )
    .await
    .assert_problem(415, "unsupported_media_type");
    upload(
        &me,
        "progress-reports",
        &rid,
        "run.exe",
        "application/octet-stream",
        file(10),
    )
    .await
    .assert_problem(415, "unsupported_media_type");
    upload(&me, "progress-reports", &rid, "empty.pdf", PDF, Vec::new())
        .await
        .assert_problem(422, "validation_failed");
    upload(&me, "progress-reports", &rid, "ok.pdf", PDF, file(1024))
        .await
        .assert_status(201);
    let listed = items(
        &app.hrss()
            .get(&format!("/api/v1/progress-reports/{rid}/attachments"))
            .await,
    );
    assert_eq!(listed.len(), 1, "only the accepted file is recorded");
    assert_eq!(listed[0]["file_name"], "ok.pdf");
}

#[tokio::test]
async fn art_7_5_no_progress_on_a_delivered_assignment() {
    let app = spawn_app().await;
    let a = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let (_, asg) = requested_task(&app, "internal", &[&a]).await;
    app.advisor(&a)
        .post(
            "/api/v1/opinions",
            &json!({"channel": "research_report", "subject": "论证报告", "content": "建议分两期建设", "assignment_id": asg[0]}),
        )
        .await
        .assert_status(201);
    report(&app, &a, &asg[0], "补充")
        .await
        .assert_problem(409, "invalid_transition");
}

#[tokio::test]
async fn art_7_5_12_3_an_overdue_assignment_without_any_progress_is_inactivity_evidence() {
    let app = spawn_app().await;
    let a = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let gov = app.government();
    let due_today = |title: &str| json!({"kind": "suggestion", "title": title, "description": "d", "field": "logistics", "deadline": today(&app), "confidentiality": "internal"});
    let silent = create_task(&gov, &due_today("无进展事项")).await;
    let reported = create_task(&gov, &due_today("有进展事项")).await;
    assign(&app, &silent, &a).await;
    let asg = assign(&app, &reported, &a).await;
    report(&app, &a, &asg, "正在推进").await.assert_status(201);
    app.advance_days(2);
    let evidence = app
        .hrss()
        .get(&format!("/api/v1/advisors/{a}/inactivity"))
        .await
        .json();
    assert_eq!(evidence["undelivered"], 2);
    assert_eq!(evidence["without_progress"], 1);
    let kinds: Vec<(String, String)> = evidence["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["object_id"].as_str().unwrap().to_owned(),
                i["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        kinds.contains(&(silent.clone(), "undelivered_without_progress".to_owned())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(reported.clone(), "undelivered".to_owned())),
        "{kinds:?}"
    );
}

/// A government meeting with `advisor` invited and attending, minutes written; returns its id.
async fn meeting_with_minutes(app: &TestApp, advisor: &str) -> String {
    let gov = app.government();
    let id = create_meeting(
        &gov,
        &json!({"title": "口岸专题会", "agenda": "通道", "held_at": "2026-11-20T09:00:00+08:00", "invited_advisor_ids": [advisor]}),
    )
    .await;
    put_attendance(
        &gov,
        &id,
        json!([{"advisor_id": advisor, "attendance": "attended"}]),
    )
    .await
    .assert_status(200);
    gov.put(
        &format!("/api/v1/meetings/{id}/minutes"),
        &json!({"summary": "讨论口岸扩能", "advisor_opinions": [{"advisor_id": advisor, "opinion": "支持分期建设"}]}),
    )
    .await
    .assert_status(200);
    id
}

#[tokio::test]
async fn art_11_documents_drafted_from_final_minutes_are_recorded_with_their_submission() {
    let app = spawn_app().await;
    let a = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let b = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    let m = meeting_with_minutes(&app, &a).await;
    let gov = app.government();
    let docs = format!("/api/v1/meetings/{m}/documents");
    let body = json!({"title": "关于口岸扩能的建议", "reference": "二政办〔2026〕12号", "submitted_on": today(&app)});
    // The minutes carry files while they are drafts.
    upload(&gov, "minutes", &m, "minutes.pdf", PDF, file(500))
        .await
        .assert_status(201);
    upload(&app.advisor(&a), "minutes", &m, "x.pdf", PDF, file(500))
        .await
        .assert_problem(403, "forbidden");
    gov.post(&docs, &body)
        .await
        .assert_problem(409, "minutes_not_final");
    gov.post(
        &format!("/api/v1/meetings/{m}/minutes/finalization"),
        &json!({}),
    )
    .await
    .assert_status(200);
    upload(&gov, "minutes", &m, "late.pdf", PDF, file(500))
        .await
        .assert_problem(409, "minutes_finalized");
    app.department("commerce")
        .post(&docs, &body)
        .await
        .assert_problem(404, "not_found");
    let future =
        json!({"title": "t", "reference": "r", "submitted_on": today(&app) + chrono::Days::new(3)});
    gov.post(&docs, &future)
        .await
        .assert_problem(422, "validation_failed");
    let recorded = gov.post(&docs, &body).await;
    recorded.assert_status(201);
    let doc = recorded.json()["id"].as_str().unwrap().to_owned();
    let scan = file(3000);
    let up = upload(
        &gov,
        "meeting-documents",
        &doc,
        "建议.pdf",
        PDF,
        scan.clone(),
    )
    .await;
    up.assert_status(201);
    let download = up.json()["download_url"].as_str().unwrap().to_owned();

    // The invited advisor sees the meeting's documents and files; another advisor does not.
    let seen = items(&app.advisor(&a).get(&docs).await);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["reference"], "二政办〔2026〕12号");
    assert_eq!(seen[0]["submitted_on"], json!(today(&app)));
    assert_eq!(seen[0]["attachments"].as_array().unwrap().len(), 1);
    assert_eq!(app.advisor(&a).get(&download).await.bytes, scan);
    app.advisor(&b)
        .get(&docs)
        .await
        .assert_problem(404, "not_found");
    app.advisor(&b)
        .get(&download)
        .await
        .assert_problem(404, "not_found");
    app.advisor(&b)
        .get(&format!("/api/v1/minutes/{m}/attachments"))
        .await
        .assert_problem(404, "not_found");
    assert_eq!(
        items(
            &app.advisor(&a)
                .get(&format!("/api/v1/minutes/{m}/attachments"))
                .await
        )
        .len(),
        1
    );
    // Integrated systems read no meeting records, the public nothing.
    app.integration()
        .get(&docs)
        .await
        .assert_problem(403, "forbidden");
    app.integration()
        .get(&download)
        .await
        .assert_problem(404, "not_found");
    app.anonymous().get(&docs).await.assert_status(401);
    let events = audit_events(&app, Some(&m), Some("meeting_document_recorded")).await;
    assert_eq!(events.len(), 1);
}

async fn issue(app: &TestApp, advisor: &str, kind: &str) -> TestResponse {
    app.hrss()
        .post(
            &format!("/api/v1/advisors/{advisor}/documents"),
            &json!({ "kind": kind }),
        )
        .await
}

#[tokio::test]
async fn art_4_6_13_certificates_and_agreements_are_issued_per_term_and_revoked_on_dismissal() {
    let app = spawn_app().await;
    let a = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let b = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    let cert = issue(&app, &a, "certificate").await;
    cert.assert_status(201);
    let cert = cert.json();
    let record = app
        .hrss()
        .get(&format!("/api/v1/advisors/{a}"))
        .await
        .json();
    assert_eq!(cert["reference"], record["certificate_no"], "{record}");
    assert_eq!(cert["term_number"], 1);
    assert_eq!(cert["state"], "issued");
    issue(&app, &a, "agreement").await.assert_status(201);
    issue(&app, &a, "certificate")
        .await
        .assert_problem(409, "duplicate");
    app.government()
        .post(
            &format!("/api/v1/advisors/{a}/documents"),
            &json!({"kind": "agreement"}),
        )
        .await
        .assert_problem(403, "forbidden");
    let cid = cert["id"].as_str().unwrap().to_owned();
    let scan = file(4096);
    let up = upload(
        &app.hrss(),
        "advisor-documents",
        &cid,
        "聘书.pdf",
        PDF,
        scan.clone(),
    )
    .await;
    up.assert_status(201);
    let download = up.json()["download_url"].as_str().unwrap().to_owned();
    upload(
        &app.advisor(&a),
        "advisor-documents",
        &cid,
        "x.pdf",
        PDF,
        file(10),
    )
    .await
    .assert_problem(403, "forbidden");

    // The advisor and HRSS, the government and auditors see them; nobody else.
    let path = format!("/api/v1/advisors/{a}/documents");
    assert_eq!(items(&app.advisor(&a).get(&path).await).len(), 2);
    assert_eq!(items(&app.government().get(&path).await).len(), 2);
    assert_eq!(items(&app.auditor().get(&path).await).len(), 2);
    assert_eq!(app.advisor(&a).get(&download).await.bytes, scan);
    app.advisor(&b)
        .get(&path)
        .await
        .assert_problem(404, "not_found");
    app.advisor(&b)
        .get(&download)
        .await
        .assert_problem(404, "not_found");
    app.integration()
        .get(&path)
        .await
        .assert_problem(403, "forbidden");
    app.integration()
        .get(&download)
        .await
        .assert_problem(404, "not_found");
    app.department("transport")
        .get(&download)
        .await
        .assert_problem(404, "not_found");
    app.anonymous().get(&path).await.assert_status(401);

    // Dismissal revokes both in the same decision (收回聘书).
    dismiss(&app, &a, "conduct_unbecoming", "以顾问名义招揽业务").await;
    let after = items(&app.hrss().get(&path).await);
    assert_eq!(after.len(), 2);
    for d in &after {
        assert_eq!(d["state"], "revoked", "{d}");
        assert!(d["revoked_at"].is_string());
    }
    assert_eq!(
        audit_events(&app, Some(&a), Some("advisor_document_revoked"))
            .await
            .len(),
        2
    );
    upload(
        &app.hrss(),
        "advisor-documents",
        &cid,
        "y.pdf",
        PDF,
        file(10),
    )
    .await
    .assert_problem(409, "document_revoked");
    issue(&app, &a, "certificate")
        .await
        .assert_problem(409, "advisor_not_in_office");
    // The history keeps the file.
    assert_eq!(app.hrss().get(&download).await.bytes, scan);
}

#[tokio::test]
async fn art_13_a_resignation_letter_carries_its_file_and_the_approval_revokes_the_certificate() {
    let app = spawn_app().await;
    let a = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let b = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    let cert = created_id(&issue(&app, &a, "certificate").await);
    let res = app
        .advisor(&a)
        .post(
            &format!("/api/v1/advisors/{a}/resignation"),
            &json!({"letter": "因工作调动，申请辞去顾问职务。"}),
        )
        .await;
    res.assert_status(201);
    let rid = created_id(&res);
    let letter = file(800);
    let up = upload(
        &app.advisor(&a),
        "resignations",
        &rid,
        "辞聘申请.pdf",
        PDF,
        letter.clone(),
    )
    .await;
    up.assert_status(201);
    let download = up.json()["download_url"].as_str().unwrap().to_owned();
    upload(
        &app.advisor(&b),
        "resignations",
        &rid,
        "x.pdf",
        PDF,
        file(10),
    )
    .await
    .assert_problem(404, "not_found");
    app.advisor(&b)
        .get(&download)
        .await
        .assert_problem(404, "not_found");
    assert_eq!(app.government().get(&download).await.bytes, letter);
    app.hrss()
        .post(
            &format!("/api/v1/resignations/{rid}/proposal"),
            &json!({"note": "同意其辞聘"}),
        )
        .await
        .assert_status(200);
    app.government()
        .post(&format!("/api/v1/resignations/{rid}/decision"), &json!({"approved": true, "reason": "同意", "certificate_recovered": true, "certificate_note": "聘书已收回"}))
        .await
        .assert_status(200);
    let docs = items(
        &app.hrss()
            .get(&format!("/api/v1/advisors/{a}/documents"))
            .await,
    );
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["id"], cert.as_str());
    assert_eq!(docs[0]["state"], "revoked");
    upload(
        &app.advisor(&a),
        "resignations",
        &rid,
        "late.pdf",
        PDF,
        file(10),
    )
    .await
    .assert_problem(409, "invalid_transition");
}

#[tokio::test]
async fn art_8_9_a_written_opinion_carries_its_research_report_visible_to_the_requester() {
    let app = spawn_app().await;
    let a = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let b = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    let (_, asg) = requested_task(&app, "internal", &[&a]).await;
    let res = app
        .advisor(&a)
        .post(
            "/api/v1/opinions",
            &json!({"channel": "research_report", "subject": "论证报告", "content": "见附件", "assignment_id": asg[0]}),
        )
        .await;
    res.assert_status(201);
    let oid = created_id(&res);
    let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    let up = upload(
        &app.advisor(&a),
        "opinions",
        &oid,
        "report.docx",
        docx,
        file(2048),
    )
    .await;
    up.assert_status(201);
    let download = up.json()["download_url"].as_str().unwrap().to_owned();
    let got = app.department("commerce").get(&download).await;
    got.assert_status(200);
    assert_eq!(got.header("content-type").as_deref(), Some(docx));
    upload(&app.advisor(&b), "opinions", &oid, "x.pdf", PDF, file(10))
        .await
        .assert_problem(404, "not_found");
    upload(&app.hrss(), "opinions", &oid, "x.pdf", PDF, file(10))
        .await
        .assert_problem(403, "forbidden");
    app.advisor(&b)
        .get(&download)
        .await
        .assert_problem(404, "not_found");
    app.integration()
        .get(&download)
        .await
        .assert_problem(404, "not_found");
    app.department("transport")
        .get(&download)
        .await
        .assert_problem(404, "not_found");
}

/// The fewest statements the app sends while each of `clients` reads `path` once (each its own
/// cached answer; the change sequence's poll, once a second here, may add one to a read).
async fn fewest_statements(app: &TestApp, clients: &[guwen_tests::Client], path: &str) -> u64 {
    let mut least = u64::MAX;
    for client in clients {
        let before = app.state.statements.get();
        let res = client.get(path).await;
        let after = app.state.statements.get();
        res.assert_status(200);
        least = least.min(after - before);
    }
    least
}

/// Art. 4.6, 7(5): a list of documents shows each with its files, and reads those files in one
/// statement however many documents there are.
#[tokio::test]
async fn art_4_6_7_5_documents_are_listed_with_their_files_in_the_same_statements_however_many() {
    let app = spawn_app_with(|c| c.change_poll_ms = 1000).await;
    let a = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let (task, asg) = requested_task(&app, "internal", &[&a]).await;
    let readers = [app.hrss(), app.government(), app.auditor()];

    let progress = format!("/api/v1/tasks/{task}/progress-reports");
    let mut reports = Vec::new();
    let mut one = 0;
    for (i, text) in ["第一次进展", "第二次进展", "第三次进展", "第四次进展"]
        .iter()
        .enumerate()
    {
        let rid = created_id(&report(&app, &a, &asg[0], text).await);
        let name = format!("r{i}.pdf");
        upload(
            &app.advisor(&a),
            "progress-reports",
            &rid,
            &name,
            PDF,
            file(64),
        )
        .await
        .assert_status(201);
        reports.push(rid);
        if i == 0 {
            one = fewest_statements(&app, &readers, &progress).await;
        }
    }
    let four = fewest_statements(&app, &readers, &progress).await;
    assert_eq!(
        four, one,
        "four reports cost {four} statements, one cost {one}"
    );
    let listed = items(&readers[0].get(&progress).await);
    assert_eq!(listed.len(), 4);
    for (row, rid) in listed.iter().zip(&reports) {
        assert_eq!(row["id"], rid.as_str(), "oldest first");
        assert_eq!(row["attachments"].as_array().unwrap().len(), 1, "{row}");
    }

    let documents = format!("/api/v1/advisors/{a}/documents");
    let mut one = None;
    for kind in ["certificate", "agreement"] {
        let doc = issue(&app, &a, kind).await;
        doc.assert_status(201);
        let id = doc.json()["id"].as_str().unwrap().to_owned();
        upload(
            &app.hrss(),
            "advisor-documents",
            &id,
            "scan.pdf",
            PDF,
            file(64),
        )
        .await
        .assert_status(201);
        let n = fewest_statements(&app, &readers, &documents).await;
        assert_eq!(*one.get_or_insert(n), n, "{kind}: {n} statements");
    }
    let listed = items(&readers[0].get(&documents).await);
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .all(|d| d["attachments"].as_array().unwrap().len() == 1),
        "{listed:?}"
    );
}
