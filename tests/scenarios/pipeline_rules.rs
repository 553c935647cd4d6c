//! Each refusal of the appointment pipeline (Art. 3, 4, 5), the visibility of candidates, the
//! public field sets, self-nomination and allowed actions.

use guwen_tests::{
    LEAD_ORG, advisor_count, allowed_actions, appoint, approved, audit_count, audit_events,
    candidate, candidate_actions, check_background, file_objection, in_notice, lead, nominate,
    nominate_by, nomination, notice_body, notice_passed, objections_of, pre_review, publish,
    report, resolve_objection, self_nomination, spawn_app, spawn_app_with, state_of, today,
    withdraw,
};
use serde_json::{Value, json};

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[tokio::test]
async fn art_4_2_a_step_from_the_wrong_state_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let id = nominate(&app, &nomination(&app, "王建国", 50, 20)).await;
    let before = audit_count(&app, &id).await;
    check_background(&app.hrss(), &id)
        .await
        .assert_problem(409, "invalid_transition");
    assert_eq!(state_of(&app, &id).await, "nominated");
    assert_eq!(audit_count(&app, &id).await, before);
}

#[tokio::test]
async fn art_4_wrong_roles_are_forbidden() {
    let app = spawn_app().await;
    app.finance()
        .post("/api/v1/candidates", &nomination(&app, "王建国", 50, 20))
        .await
        .assert_problem(403, "forbidden");
    let id = nominate(&app, &nomination(&app, "王建国", 50, 20)).await;
    check_background(&lead(&app), &id)
        .await
        .assert_problem(403, "forbidden");
    let (_, list) = approved(&app, 50, None).await;
    app.hrss()
        .post(
            &format!("/api/v1/recommendation-lists/{list}/decision"),
            &json!({"meeting_ref": "x", "meeting_date": today(&app), "decisions": []}),
        )
        .await
        .assert_problem(403, "forbidden");
    app.advisor("a-1")
        .get("/api/v1/candidates")
        .await
        .assert_problem(403, "forbidden");
}

#[tokio::test]
async fn art_4_1_another_departments_candidate_is_not_found() {
    let app = spawn_app().await;
    // Nominated by `transport`, in a field led by `commerce`.
    let mut body = nomination(&app, "王建国", 50, 20);
    body["field"] = json!("port_trade");
    let id = nominate_by(&app.department("transport"), &body).await;
    let stranger = app.department("justice");
    stranger
        .get(&format!("/api/v1/candidates/{id}"))
        .await
        .assert_problem(404, "not_found");
    pre_review(&stranger, &id)
        .await
        .assert_problem(404, "not_found");
    assert!(
        stranger.get("/api/v1/candidates").await.json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // The nominating department sees it but does not lead the field: no preliminary review.
    let nominator = app.department("transport");
    nominator
        .get(&format!("/api/v1/candidates/{id}"))
        .await
        .assert_status(200);
    pre_review(&nominator, &id)
        .await
        .assert_problem(403, "forbidden");
    // The lead department reviews; the nominator may withdraw, the lead may not.
    withdraw(&lead(&app), &id)
        .await
        .assert_problem(403, "forbidden");
    withdraw(&nominator, &id).await.assert_status(200);
}

#[tokio::test]
async fn art_5_5_age_70_on_the_appointment_date_is_refused_without_exception() {
    let app = spawn_app().await;
    let (id, _) = in_notice(&app, 70, None).await;
    app.advance_days(7);
    appoint(&app, &id, 1, "EL-GW-70-1")
        .await
        .assert_problem(409, "ineligible_age");
    assert_eq!(state_of(&app, &id).await, "notice_passed");
}

/// Art. 5.5: an appointment certain to fail is not offered: a candidate who will be 70 on
/// the earliest start, without an approved exception, carries the age flag and no `appoint`;
/// one with the exception is offered it.
#[tokio::test]
async fn art_5_5_appoint_is_not_offered_to_a_candidate_over_the_age_limit() {
    let app = spawn_app().await;
    let (old, _) = notice_passed(&app, 70, None).await;
    let c = candidate(&app, &old).await;
    assert_eq!(c["state"], "notice_passed");
    assert!(c["age_limit_reached_at"].as_u64().unwrap() >= 70, "{c}");
    assert!(!allowed_actions(&c).contains(&"appoint".to_owned()), "{c}");
    let (excepted, _) = notice_passed(&app, 72, Some("国家级领军人才")).await;
    let c = candidate(&app, &excepted).await;
    assert!(c["age_limit_reached_at"].is_u64());
    assert!(allowed_actions(&c).contains(&"appoint".to_owned()), "{c}");
    let (young, _) = notice_passed(&app, 50, None).await;
    let c = candidate(&app, &young).await;
    assert!(c.get("age_limit_reached_at").is_none());
    assert!(allowed_actions(&c).contains(&"appoint".to_owned()), "{c}");
}

#[tokio::test]
async fn art_5_5_an_exception_approved_by_the_executive_meeting_allows_appointment() {
    let app = spawn_app().await;
    let (id, _) = in_notice(&app, 72, Some("国家级领军人才，身体健康")).await;
    let c = candidate(&app, &id).await;
    assert_eq!(
        c["decision"]["age_exception"]["approved_by_government"],
        true
    );
    app.advance_days(7);
    appoint(&app, &id, 2, "EL-GW-72-1").await.assert_status(201);
}

#[tokio::test]
async fn art_5_2_four_years_of_experience_is_refused() {
    let app = spawn_app().await;
    lead(&app)
        .post("/api/v1/candidates", &nomination(&app, "王建国", 40, 4))
        .await
        .assert_problem(409, "ineligible_experience");
    let mut own = self_nomination(&app);
    own["experience_years"] = json!(4);
    app.anonymous()
        .post("/api/v1/public/self-nominations", &own)
        .await
        .assert_problem(409, "ineligible_experience");
    assert!(
        app.hrss().get("/api/v1/candidates").await.json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn art_4_5_appointment_is_refused_during_the_seven_days() {
    let app = spawn_app().await;
    let (id, _) = in_notice(&app, 50, None).await;
    let path = format!("/api/v1/candidates/{id}/appointment");
    let body = guwen_tests::appointment(&app, 2, "EL-GW-1");
    app.advance_days(5); // day 6
    app.hrss()
        .post(&path, &body)
        .await
        .assert_problem(409, "notice_window_open");
    app.advance_days(1); // day 7
    let res = app.hrss().post(&path, &body).await;
    res.assert_problem(409, "notice_window_open");
    assert_eq!(res.json()["article"], "Art. 4.5");
    app.advance_days(1); // day 8: the term may start today, not during the notice
    app.hrss()
        .post(&path, &body)
        .await
        .assert_problem(409, "notice_window_open");
    appoint(&app, &id, 2, "EL-GW-1").await.assert_status(201);
}

#[tokio::test]
async fn art_4_6_an_open_objection_blocks_appointment_until_dismissed() {
    let app = spawn_app().await;
    let (id, notice) = in_notice(&app, 50, None).await;
    let filed = file_objection(&app, &notice, &id).await;
    filed.assert_status(201);
    assert_eq!(
        keys(&filed.json()),
        ["candidate_id", "filed_at", "id", "notice_id", "status"]
    );
    let objection_id = filed.json()["id"].as_str().unwrap().to_owned();
    app.advance_days(7);
    assert_eq!(state_of(&app, &id).await, "in_notice");
    appoint(&app, &id, 2, "EL-GW-2")
        .await
        .assert_problem(409, "objection_open");
    let listed = objections_of(&app, &id, "open").await;
    assert_eq!(listed[0]["contact_name"], "李异议");
    resolve_objection(&app, &objection_id, "dismissed")
        .await
        .assert_status(200);
    resolve_objection(&app, &objection_id, "upheld")
        .await
        .assert_problem(409, "objection_already_resolved");
    appoint(&app, &id, 2, "EL-GW-2").await.assert_status(201);
}

#[tokio::test]
async fn art_4_5_an_upheld_objection_rejects_the_candidate() {
    let app = spawn_app().await;
    let (id, notice) = in_notice(&app, 50, None).await;
    let filed = file_objection(&app, &notice, &id).await.json();
    resolve_objection(&app, filed["id"].as_str().unwrap(), "upheld")
        .await
        .assert_status(200);
    assert_eq!(state_of(&app, &id).await, "rejected");
    app.advance_days(7);
    appoint(&app, &id, 2, "EL-GW-3")
        .await
        .assert_problem(409, "invalid_transition");
}

#[tokio::test]
async fn art_4_5_objections_after_the_window_are_refused() {
    let app = spawn_app().await;
    let (id, notice) = in_notice(&app, 50, None).await;
    app.advance_days(7);
    file_objection(&app, &notice, &id)
        .await
        .assert_problem(409, "notice_window_closed");
}

#[tokio::test]
async fn art_4_6_a_certificate_number_is_issued_once() {
    let app = spawn_app().await;
    let (a, _) = in_notice(&app, 50, None).await;
    let (b, _) = in_notice(&app, 51, None).await;
    app.advance_days(7);
    appoint(&app, &a, 2, "EL-GW-2026-007")
        .await
        .assert_status(201);
    appoint(&app, &b, 2, " el-gw-2026-007 ")
        .await
        .assert_problem(409, "duplicate_certificate_no");
    assert_eq!(state_of(&app, &b).await, "notice_passed");
    assert_eq!(advisor_count(&app).await, 1);
}

#[tokio::test]
async fn art_3_a_term_of_0_or_4_years_is_refused() {
    let app = spawn_app().await;
    let (id, _) = in_notice(&app, 50, None).await;
    app.advance_days(7);
    for years in [0, 4] {
        appoint(&app, &id, years, "EL-GW-9")
            .await
            .assert_problem(409, "term_out_of_range");
    }
    // The notice proposed 2 years: 3 need a recorded reason (Art. 4.5–4.6).
    let mut body = guwen_tests::appointment(&app, 3, "EL-GW-9");
    body["term_change_reason"] = json!("市政府常务会议决定聘期三年");
    let res = app
        .hrss()
        .post(&format!("/api/v1/candidates/{id}/appointment"), &body)
        .await;
    res.assert_status(201);
    let start = today(&app);
    let expected_end = start
        .checked_add_months(chrono::Months::new(36))
        .unwrap()
        .pred_opt()
        .unwrap();
    assert_eq!(res.json()["term_ends_on"], json!(expected_end));
}

#[tokio::test]
async fn art_4_4_no_notice_without_the_party_committee_report() {
    let app = spawn_app().await;
    let (id, list) = approved(&app, 50, None).await;
    let res = app
        .hrss()
        .post("/api/v1/notices", &notice_body(&id, today(&app), 2))
        .await;
    res.assert_problem(409, "party_committee_report_missing");
    assert_eq!(state_of(&app, &id).await, "approved");
    report(&app, &list).await;
    publish(&app, &id).await;
    assert_eq!(state_of(&app, &id).await, "in_notice");
}

#[tokio::test]
async fn art_4_withdrawal_from_any_state_before_appointment() {
    let app = spawn_app().await;
    let hrss = app.hrss();
    let nominated = nominate(&app, &nomination(&app, "甲", 50, 20)).await;
    withdraw(&hrss, &nominated).await.assert_status(200);
    assert_eq!(state_of(&app, &nominated).await, "withdrawn");
    let (approved_id, _) = approved(&app, 50, None).await;
    withdraw(&hrss, &approved_id).await.assert_status(200);
    let (noticed, _) = in_notice(&app, 50, None).await;
    withdraw(&hrss, &noticed).await.assert_status(200);
    withdraw(&hrss, &noticed)
        .await
        .assert_problem(409, "invalid_transition");
    let (appointed, _) = in_notice(&app, 50, None).await;
    app.advance_days(7);
    appoint(&app, &appointed, 2, "EL-GW-W")
        .await
        .assert_status(201);
    withdraw(&hrss, &appointed)
        .await
        .assert_problem(409, "invalid_transition");
}

/// Two racing transitions on one candidate: exactly one wins, one audit event.
#[tokio::test]
async fn art_4_two_racing_transitions_cannot_both_win() {
    let app = spawn_app().await;
    let id = nominate(&app, &nomination(&app, "王建国", 50, 20)).await;
    pre_review(&lead(&app), &id).await.assert_status(200);
    let path = format!("/api/v1/candidates/{id}/background-check");
    let (h1, h2) = (app.hrss(), app.hrss());
    let (pass, fail) = (
        json!({"passed": true, "findings": "无"}),
        json!({"passed": false, "findings": "有"}),
    );
    let (a, b) = tokio::join!(h1.post(&path, &pass), h2.post(&path, &fail));
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{} / {}", a.text, b.text);
    let checks = audit_events(&app, Some(&id), None)
        .await
        .iter()
        .filter(|e| e["state_before"] == "pre_reviewed")
        .count();
    assert_eq!(checks, 1);
}

#[tokio::test]
async fn art_4_1_a_self_nomination_is_routed_to_the_fields_lead_department() {
    let app = spawn_app().await;
    let res = app
        .anonymous()
        .post("/api/v1/public/self-nominations", &self_nomination(&app))
        .await;
    res.assert_status(201);
    let receipt = res.json();
    assert_eq!(
        keys(&receipt),
        ["channel", "field", "id", "received_at", "routed_to_org_id"]
    );
    assert_eq!(receipt["routed_to_org_id"], LEAD_ORG);
    let id = receipt["id"].as_str().unwrap();
    let c = lead(&app)
        .get(&format!("/api/v1/candidates/{id}"))
        .await
        .json();
    assert_eq!(c["channel"], "self_nomination");
    assert!(c["nominating_org_id"].is_null());
    app.department("justice")
        .get(&format!("/api/v1/candidates/{id}"))
        .await
        .assert_problem(404, "not_found");

    let mut no_contact = self_nomination(&app);
    no_contact["contact"] = json!({});
    app.anonymous()
        .post("/api/v1/public/self-nominations", &no_contact)
        .await
        .assert_problem(422, "validation_failed");
    let mut unknown = self_nomination(&app);
    unknown["field"] = json!("astrology");
    app.anonymous()
        .post("/api/v1/public/self-nominations", &unknown)
        .await
        .assert_problem(422, "validation_failed");
}

#[tokio::test]
async fn public_submissions_are_rate_limited_per_address() {
    let app = spawn_app_with(|c| c.public_rate_limit = 3).await;
    for _ in 0..3 {
        app.anonymous()
            .post("/api/v1/public/self-nominations", &self_nomination(&app))
            .await
            .assert_status(201);
    }
    let res = app
        .anonymous()
        .post("/api/v1/public/self-nominations", &self_nomination(&app))
        .await;
    res.assert_problem(429, "rate_limited");
    assert!(res.header("retry-after").unwrap().parse::<u32>().unwrap() > 0);
    // Objections are counted separately.
    let (id, notice) = in_notice(&app, 50, None).await;
    for _ in 0..3 {
        file_objection(&app, &notice, &id).await.assert_status(201);
    }
    file_objection(&app, &notice, &id)
        .await
        .assert_problem(429, "rate_limited");
}

/// Public responses carry name, employer, title, field and term only.
#[tokio::test]
async fn public_responses_carry_public_fields_only() {
    let app = spawn_app().await;
    let (id, notice) = in_notice(&app, 50, None).await;
    let list = app.anonymous().get("/api/v1/public/notices").await;
    let one = app
        .anonymous()
        .get(&format!("/api/v1/public/notices/{notice}"))
        .await;
    let n = one.json();
    assert_eq!(
        keys(&n),
        [
            "candidates",
            "closes_at",
            "ends_on",
            "id",
            "published_at",
            "starts_on",
            "status",
            "title"
        ]
    );
    assert_eq!(
        keys(&n["candidates"][0]),
        [
            "candidate_id",
            "employer",
            "field",
            "name",
            "outcome",
            "proposed_term_years",
            "title"
        ]
    );
    assert_eq!(
        keys(&n["candidates"][0]["field"]),
        ["code", "name_en", "name_zh"]
    );
    assert_eq!(keys(&list.json()["items"][0]), keys(&n));
    app.advance_days(7);
    appoint(&app, &id, 2, "EL-GW-P").await.assert_status(201);
    let roster = app.anonymous().get("/api/v1/public/roster").await;
    assert_eq!(
        keys(&roster.json()["items"][0]),
        [
            "employer",
            "field",
            "id",
            "name",
            "term_ends_on",
            "term_starts_on",
            "title"
        ]
    );
    let birth = nomination(&app, "x", 50, 20)["birth_date"]
        .as_str()
        .unwrap()
        .to_owned();
    for text in [&list.text, &one.text, &roster.text] {
        for secret in [
            "150102196001010011",
            "13800000000",
            "expert@example.org",
            "赛罕区",
            "博士",
            "无违法违纪记录",
            birth.as_str(),
        ] {
            assert!(
                !text.contains(secret),
                "public response leaks {secret}: {text}"
            );
        }
    }
}

#[tokio::test]
async fn allowed_actions_follow_role_scope_and_state() {
    let app = spawn_app().await;
    let id = nominate(&app, &nomination(&app, "王建国", 50, 20)).await;
    assert_eq!(
        candidate_actions(&lead(&app), &id).await,
        ["preliminary_review", "withdraw"]
    );
    assert_eq!(
        candidate_actions(&app.hrss(), &id).await,
        ["preliminary_review", "withdraw"]
    );
    assert!(candidate_actions(&app.government(), &id).await.is_empty());
    let (approved_id, list) = approved(&app, 50, None).await;
    let hrss_view = allowed_actions(&candidate(&app, &approved_id).await);
    assert_eq!(hrss_view, ["report_to_party_committee", "withdraw"]);
    report(&app, &list).await;
    let hrss_view = allowed_actions(&candidate(&app, &approved_id).await);
    assert_eq!(hrss_view, ["publish_notice", "withdraw"]);
}
