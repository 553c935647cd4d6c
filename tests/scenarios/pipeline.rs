//! The appointment pipeline end to end (Art. 3, 4, 5): one candidate from nomination to the
//! public roster, and a notice recorded late.

use chrono::NaiveDate;
use guwen_tests::{
    LEAD_ORG, allowed_actions, appoint, assert_chain_valid, audit_actions, candidate, lead,
    nominate, nomination, notice_body, pre_review, publish, report, spawn_app, today,
    vetted_in_the_past,
};
use serde_json::json;

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
    let actions = allowed_actions(&c);
    assert_eq!(actions, ["preliminary_review", "withdraw"]);
    assert_eq!(c["allowed_actions"][0]["article"], "Art. 4.1");

    let (id, notice_id) = {
        pre_review(&lead(&app), &id).await.assert_status(200);
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
        assert_eq!(candidate(&app, &id).await["state"], "submitted");
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
    appoint(&app, &id, 2, "EL-GW-2026-001")
        .await
        .assert_problem(409, "notice_window_open");

    app.advance_days(7);
    let c = candidate(&app, &id).await;
    assert_eq!(c["state"], "notice_passed");
    assert!(
        c["allowed_actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "appoint" && a["article"] == "Art. 4.6")
    );

    let res = appoint(&app, &id, 2, "el-gw-2026-001").await;
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
    assert_eq!(candidate(&app, &id).await["state"], "appointed");

    // Every step left an audit event in one valid chain.
    let actions = audit_actions(&app, &id).await;
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
    assert_chain_valid(&app).await;
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
    let notice = |starts_on: NaiveDate| notice_body(&id, starts_on, 1);
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
    let c = candidate(&app, &id).await;
    assert_eq!(c["state"], "notice_passed");
    appoint(&app, &id, 1, "EL-GW-2026-090")
        .await
        .assert_status(201);
}
