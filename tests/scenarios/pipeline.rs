//! The appointment pipeline end to end (Art. 3, 4, 5), and the helpers other scenarios use
//! to walk a candidate to any step.

use chrono::{Datelike, NaiveDate};
use guwen_tests::{Client, TestApp, spawn_app};
use serde_json::{Value, json};

/// The department that leads the `port_trade` field in the seeded configuration.
pub const LEAD_ORG: &str = "commerce";

/// Today in China Standard Time, as the app sees it.
pub fn today(app: &TestApp) -> NaiveDate {
    app.state.clock.today()
}

/// A nomination body by a department; `years_old` on today's date.
pub fn nomination(app: &TestApp, name: &str, years_old: i32, experience_years: u32) -> Value {
    let t = today(app);
    let birth = NaiveDate::from_ymd_opt(t.year() - years_old, 1, 1).unwrap();
    json!({
        "channel": "department_recommendation",
        "field": "port_trade",
        "name": name,
        "employer": "内蒙古大学",
        "title": "教授",
        "birth_date": birth,
        "experience_years": experience_years,
        "achievements": "二十年口岸经济研究，主持国家级课题多项。",
        "contact": {"phone": "13800000000", "email": "expert@example.org", "id_number": "150102196001010011", "address": "呼和浩特市赛罕区大学西路235号"}
    })
}

/// A passing preliminary review body.
pub fn passing_review() -> Value {
    json!({
        "aspects": [
            {"aspect": "education", "verdict": "pass", "note": "博士"},
            {"aspect": "career", "verdict": "pass", "note": "高校教授二十年"},
            {"aspect": "competence", "verdict": "pass", "note": "成果丰硕"},
            {"aspect": "ethics", "verdict": "pass", "note": "无不良记录"}
        ],
        "attestations": ["law_abiding_and_ethical", "senior_management_or_contribution", "knows_city_and_public_service"]
    })
}

/// The lead department's client.
pub fn lead(app: &TestApp) -> Client {
    app.department(LEAD_ORG)
}

/// Nominates and returns the candidate id.
pub async fn nominate(app: &TestApp, body: &Value) -> String {
    let res = lead(app).post("/api/v1/candidates", body).await;
    res.assert_status(201);
    res.json()["id"].as_str().unwrap().to_owned()
}

/// Walks a new candidate to `approved` (list decided), returning (candidate id, list id).
pub async fn approved(
    app: &TestApp,
    years_old: i32,
    age_exception: Option<&str>,
) -> (String, String) {
    approved_from(
        app,
        &nomination(app, "王建国", years_old, 20),
        age_exception,
    )
    .await
}

/// Walks a candidate nominated with `body` to `approved`: (candidate id, list id).
pub async fn approved_from(
    app: &TestApp,
    body: &Value,
    age_exception: Option<&str>,
) -> (String, String) {
    let id = nominate(app, body).await;
    lead(app)
        .post(
            &format!("/api/v1/candidates/{id}/preliminary-review"),
            &passing_review(),
        )
        .await
        .assert_status(200);
    app.hrss()
        .post(
            &format!("/api/v1/candidates/{id}/background-check"),
            &json!({"passed": true, "findings": "无违法违纪记录", "consulted": ["公安局"]}),
        )
        .await
        .assert_status(200);
    let list = app
        .hrss()
        .post(
            "/api/v1/recommendation-lists",
            &json!({"title": "2026年第一批", "candidate_ids": [id]}),
        )
        .await;
    list.assert_status(201);
    let list_id = list.json()["id"].as_str().unwrap().to_owned();
    let mut decision = json!({"candidate_id": id, "approved": true});
    if let Some(reason) = age_exception {
        decision["age_exception_reason"] = json!(reason);
    }
    app.government()
        .post(
            &format!("/api/v1/recommendation-lists/{list_id}/decision"),
            &json!({"meeting_ref": "市政府第12次常务会议", "meeting_date": today(app), "decisions": [decision]}),
        )
        .await
        .assert_status(200);
    (id, list_id)
}

/// Records the report to the party committee.
pub async fn report(app: &TestApp, list_id: &str) {
    app.government()
        .post(
            &format!("/api/v1/recommendation-lists/{list_id}/party-committee-report"),
            &json!({"reported_on": today(app), "reference": "二政报〔2026〕5号"}),
        )
        .await
        .assert_status(200);
}

/// Publishes a notice starting today, returning its id.
pub async fn publish(app: &TestApp, candidate_id: &str) -> String {
    let res = app
        .hrss()
        .post(
            "/api/v1/notices",
            &json!({"title": "顾问拟聘人选公示", "starts_on": today(app), "candidates": [{"candidate_id": candidate_id, "proposed_term_years": 2}]}),
        )
        .await;
    res.assert_status(201);
    res.json()["id"].as_str().unwrap().to_owned()
}

/// Walks a candidate to `in_notice` (notice starting today): (candidate id, notice id).
pub async fn in_notice(
    app: &TestApp,
    years_old: i32,
    age_exception: Option<&str>,
) -> (String, String) {
    let (id, list) = approved(app, years_old, age_exception).await;
    report(app, &list).await;
    let notice = publish(app, &id).await;
    (id, notice)
}

/// Walks a new candidate to `notice_passed` (notice published today, then 7 days later):
/// (candidate id, notice id).
pub async fn notice_passed(
    app: &TestApp,
    years_old: i32,
    age_exception: Option<&str>,
) -> (String, String) {
    let (id, notice) = in_notice(app, years_old, age_exception).await;
    app.advance_days(7);
    (id, notice)
}

/// The candidate as HRSS sees it.
pub async fn candidate(app: &TestApp, id: &str) -> Value {
    let res = app.hrss().get(&format!("/api/v1/candidates/{id}")).await;
    res.assert_status(200);
    res.json()
}

/// The state the candidate shows to HRSS now.
pub async fn state_of(app: &TestApp, id: &str) -> String {
    candidate(app, id).await["state"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The audit actions recorded on one object, in chain order.
pub async fn audit_actions(app: &TestApp, object_id: &str) -> Vec<String> {
    let res = app
        .auditor()
        .get(&format!(
            "/api/v1/audit-events?object_id={object_id}&limit=200"
        ))
        .await;
    res.assert_status(200);
    res.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

/// How many audit events exist in all.
pub async fn audit_count(app: &TestApp) -> usize {
    audit_count_where(app, "").await
}

/// How many audit events match `filter` (query parameters such as `action=expense_approved&`).
pub async fn audit_count_where(app: &TestApp, filter: &str) -> usize {
    let mut count = 0;
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/audit-events?{filter}limit=200&cursor={c}"),
            None => format!("/api/v1/audit-events?{filter}limit=200"),
        };
        let page = app.auditor().get(&path).await;
        page.assert_status(200);
        let page = page.json();
        count += page["items"].as_array().unwrap().len();
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return count,
        }
    }
}

/// An appointment body.
pub fn appointment(app: &TestApp, years: u32, certificate_no: &str) -> Value {
    json!({"term_years": years, "starts_on": today(app), "agreement_ref": "二政顾聘〔2026〕1号", "certificate_no": certificate_no})
}

/// Walks a nominated candidate through review, background check and list, with the executive
/// meeting and the party-committee report `days_ago` days back; returns the list id.
pub async fn vetted_in_the_past(
    app: &TestApp,
    id: &str,
    reviewer: &Client,
    days_ago: u64,
) -> String {
    reviewer
        .post(
            &format!("/api/v1/candidates/{id}/preliminary-review"),
            &passing_review(),
        )
        .await
        .assert_status(200);
    app.hrss()
        .post(
            &format!("/api/v1/candidates/{id}/background-check"),
            &json!({"passed": true, "findings": "无"}),
        )
        .await
        .assert_status(200);
    let list = app
        .hrss()
        .post(
            "/api/v1/recommendation-lists",
            &json!({"title": "名单", "candidate_ids": [id]}),
        )
        .await
        .json();
    let list_id = list["id"].as_str().unwrap().to_owned();
    let past = today(app) - chrono::Days::new(days_ago);
    app.government()
        .post(
            &format!("/api/v1/recommendation-lists/{list_id}/decision"),
            &json!({"meeting_ref": "常务会议", "meeting_date": past, "decisions": [{"candidate_id": id, "approved": true}]}),
        )
        .await
        .assert_status(200);
    app.government()
        .post(
            &format!("/api/v1/recommendation-lists/{list_id}/party-committee-report"),
            &json!({"reported_on": past, "reference": "报告"}),
        )
        .await
        .assert_status(200);
    list_id
}

/// Art. 3–4.6: one candidate from nomination to the public roster, with every step's state,
/// its audit event and the allowed actions along the way.
#[tokio::test]
async fn art_4_a_candidate_goes_from_nomination_to_the_public_roster() {
    let app = spawn_app().await;
    let id = nominate(&app, &nomination(&app, "王建国", 55, 20)).await;
    let c = lead(&app)
        .get(&format!("/api/v1/candidates/{id}"))
        .await
        .json();
    assert_eq!(c["state"], "nominated");
    assert_eq!(c["lead_org_id"], LEAD_ORG);
    let actions: Vec<&str> = c["allowed_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["preliminary_review", "withdraw"]);
    assert_eq!(c["allowed_actions"][0]["article"], "Art. 4.1");

    let (id, notice_id) = {
        lead(&app)
            .post(
                &format!("/api/v1/candidates/{id}/preliminary-review"),
                &passing_review(),
            )
            .await
            .assert_status(200);
        let bg = app
            .hrss()
            .post(
                &format!("/api/v1/candidates/{id}/background-check"),
                &json!({"passed": true, "findings": "无违法违纪记录"}),
            )
            .await;
        bg.assert_status(200);
        assert_eq!(bg.json()["state"], "background_checked");
        // Background-check results are for hrss, government and auditor only (Art. 4.2).
        let seen_by_dept = lead(&app)
            .get(&format!("/api/v1/candidates/{id}"))
            .await
            .json();
        assert!(seen_by_dept["background_check"].is_null());
        assert_eq!(
            app.government()
                .get(&format!("/api/v1/candidates/{id}"))
                .await
                .json()["background_check"]["passed"],
            true
        );
        let list = app
            .hrss()
            .post(
                "/api/v1/recommendation-lists",
                &json!({"title": "第一批", "candidate_ids": [id]}),
            )
            .await;
        list.assert_status(201);
        let list_id = list.json()["id"].as_str().unwrap().to_owned();
        assert_eq!(
            app.hrss()
                .get(&format!("/api/v1/candidates/{id}"))
                .await
                .json()["state"],
            "submitted"
        );
        app.government()
            .post(&format!("/api/v1/recommendation-lists/{list_id}/decision"), &json!({"meeting_ref": "第12次常务会议", "meeting_date": today(&app), "decisions": [{"candidate_id": id, "approved": true}]}))
            .await
            .assert_status(200);
        report(&app, &list_id).await;
        let notice_id = publish(&app, &id).await;
        (id, notice_id)
    };

    // The notice is public, with public fields only.
    let notice = app
        .anonymous()
        .get(&format!("/api/v1/public/notices/{notice_id}"))
        .await;
    notice.assert_status(200);
    assert_eq!(notice.json()["status"], "open");
    assert_eq!(notice.json()["candidates"][0]["name"], "王建国");

    // Day 1 to 7: appointment refused (Art. 4.5).
    app.hrss()
        .post(
            &format!("/api/v1/candidates/{id}/appointment"),
            &appointment(&app, 2, "EL-GW-2026-001"),
        )
        .await
        .assert_problem(409, "notice_window_open");

    app.advance_days(7);
    let c = app
        .hrss()
        .get(&format!("/api/v1/candidates/{id}"))
        .await
        .json();
    assert_eq!(c["state"], "notice_passed");
    assert!(
        c["allowed_actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "appoint" && a["article"] == "Art. 4.6")
    );

    let res = app
        .hrss()
        .post(
            &format!("/api/v1/candidates/{id}/appointment"),
            &appointment(&app, 2, "el-gw-2026-001"),
        )
        .await;
    res.assert_status(201);
    let advisor = res.json();
    assert_eq!(advisor["certificate_no"], "EL-GW-2026-001");
    assert_eq!(advisor["term_years"], 2);
    assert_eq!(advisor["status"], "active");
    let advisor_id = advisor["id"].as_str().unwrap().to_owned();
    assert_eq!(
        res.header("location").unwrap(),
        format!("/api/v1/advisors/{advisor_id}")
    );

    let roster = app.anonymous().get("/api/v1/public/roster").await;
    roster.assert_status(200);
    let items = roster.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], advisor_id);
    assert_eq!(
        app.hrss()
            .get(&format!("/api/v1/candidates/{id}"))
            .await
            .json()["state"],
        "appointed"
    );

    // Every step left an audit event in one valid chain.
    let events = app
        .auditor()
        .get(&format!("/api/v1/audit-events?object_id={id}"))
        .await
        .json();
    let actions: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "candidate_nominated",
            "candidate_pre_reviewed",
            "candidate_background_checked",
            "candidate_submitted",
            "candidate_approved",
            "notice_published",
            "candidate_appointed"
        ]
    );
    let v = app
        .auditor()
        .get("/api/v1/audit-events/verification")
        .await
        .json();
    assert_eq!(v["valid"], true, "{v}");
}

/// Art. 4.4–4.6: a notice already posted on the portal may be recorded with its real start
/// date, never before the report to the party committee; once its 7 days are over the
/// candidate can be appointed.
#[tokio::test]
async fn art_4_5_a_notice_recorded_late_keeps_its_real_window() {
    let app = spawn_app().await;
    let id = nominate(&app, &nomination(&app, "李明", 50, 15)).await;
    vetted_in_the_past(&app, &id, &lead(&app), 10).await;
    let ten_days_ago = today(&app) - chrono::Days::new(10);
    let notice = |starts_on: NaiveDate| json!({"title": "公示", "starts_on": starts_on, "candidates": [{"candidate_id": id, "proposed_term_years": 1}]});
    let before_report = app
        .hrss()
        .post(
            "/api/v1/notices",
            &notice(ten_days_ago - chrono::Days::new(1)),
        )
        .await;
    before_report.assert_problem(422, "validation_failed");
    assert_eq!(before_report.json()["errors"][0]["field"], "starts_on");
    app.hrss()
        .post(
            "/api/v1/notices",
            &notice(today(&app) - chrono::Days::new(9)),
        )
        .await
        .assert_status(201);
    let c = app
        .hrss()
        .get(&format!("/api/v1/candidates/{id}"))
        .await
        .json();
    assert_eq!(c["state"], "notice_passed");
    app.hrss()
        .post(
            &format!("/api/v1/candidates/{id}/appointment"),
            &appointment(&app, 1, "EL-GW-2026-090"),
        )
        .await
        .assert_status(201);
}
