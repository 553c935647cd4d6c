//! The remaining rules of the appointment (Art. 4.5, 4.6, 5.5) and how advisors take part:
//! invitations (Art. 8), consultation rounds (Art. 15) and declarations of interest
//! (Art. 7(2)–(3)), with who may see each.

use chrono::Days;
use guwen_tests::{
    AdvisorSpec, allowed_actions, appoint, appointed_advisor, audit_events, candidate,
    candidate_actions, create_meeting, create_task, file_objection, in_notice, notice_passed,
    objections_of, resolve_objection, spawn_app, task_body, today, withdraw,
};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Art. 5.5: an exception to the age limit after the executive meeting
// ---------------------------------------------------------------------------------------------

/// Art. 5.5: a candidate who turns out to be 70 on the earliest start after the executive
/// meeting gets an exception requested by HRSS and decided by the government, then is
/// appointed without being withdrawn and nominated again.
#[tokio::test]
async fn art_5_5_an_age_exception_is_requested_and_decided_after_the_executive_meeting() {
    let app = spawn_app().await;
    let (id, _) = in_notice(&app, 70, None).await;
    let c = candidate(&app, &id).await;
    assert!(c["age_limit_reached_at"].as_u64().unwrap() >= 70, "{c}");
    assert!(c["age_exception_status"].is_null());
    assert!(allowed_actions(&c).contains(&"request_age_exception".to_owned()));
    assert!(!allowed_actions(&c).contains(&"decide_age_exception".to_owned()));
    let path = format!("/api/v1/candidates/{id}/age-exception-request");
    let reason = json!({"reason": "国家级口岸经济领军人才，身体健康，市政府急需"});
    // Only HRSS asks.
    app.government()
        .post(&path, &reason)
        .await
        .assert_problem(403, "forbidden");
    let res = app.hrss().post(&path, &reason).await;
    res.assert_status(200);
    let c = res.json();
    assert_eq!(c["state"], "in_notice");
    assert_eq!(c["age_exception_status"], "requested");
    assert!(!allowed_actions(&c).contains(&"request_age_exception".to_owned()));
    app.hrss()
        .post(&path, &reason)
        .await
        .assert_problem(409, "age_exception_pending");
    // Still refused while the government has not decided.
    app.advance_days(7);
    appoint(&app, &id, 2, "EL-GW-AGE-1")
        .await
        .assert_problem(409, "ineligible_age");
    let gov_actions = candidate_actions(&app.government(), &id).await;
    assert!(
        gov_actions.contains(&"decide_age_exception".to_owned()),
        "{gov_actions:?}"
    );
    let decision = format!("/api/v1/candidates/{id}/age-exception-decision");
    let approve = json!({"approved": true, "decision_ref": "市政府第15次常务会议"});
    app.hrss()
        .post(&decision, &approve)
        .await
        .assert_problem(403, "forbidden");
    let res = app.government().post(&decision, &approve).await;
    res.assert_status(200);
    assert_eq!(res.json()["age_exception_status"], "approved");
    app.government()
        .post(&decision, &approve)
        .await
        .assert_problem(409, "invalid_transition");
    let c = candidate(&app, &id).await;
    assert!(allowed_actions(&c).contains(&"appoint".to_owned()), "{c}");
    appoint(&app, &id, 2, "EL-GW-AGE-1")
        .await
        .assert_status(201);
    let actions: Vec<String> = audit_events(&app, Some(&id), None)
        .await
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert!(actions.contains(&"age_exception_requested".to_owned()));
    assert!(actions.contains(&"age_exception_decided".to_owned()));
}

/// Art. 5.5: a refused exception keeps the appointment refused; a young candidate needs none.
#[tokio::test]
async fn art_5_5_a_refused_exception_keeps_the_appointment_refused() {
    let app = spawn_app().await;
    let (young, _) = in_notice(&app, 50, None).await;
    app.hrss()
        .post(
            &format!("/api/v1/candidates/{young}/age-exception-request"),
            &json!({"reason": "无"}),
        )
        .await
        .assert_problem(409, "age_exception_not_needed");
    let (id, _) = notice_passed(&app, 71, None).await;
    app.hrss()
        .post(
            &format!("/api/v1/candidates/{id}/age-exception-request"),
            &json!({"reason": "特殊人才"}),
        )
        .await
        .assert_status(200);
    let decision = format!("/api/v1/candidates/{id}/age-exception-decision");
    app.government()
        .post(
            &decision,
            &json!({"approved": false, "decision_ref": "常务会议"}),
        )
        .await
        .assert_problem(422, "validation_failed");
    let res = app
        .government()
        .post(
            &decision,
            &json!({"approved": false, "decision_ref": "常务会议", "note": "不符合放宽条件"}),
        )
        .await;
    res.assert_status(200);
    assert_eq!(res.json()["age_exception_status"], "refused");
    assert!(!allowed_actions(&res.json()).contains(&"appoint".to_owned()));
    appoint(&app, &id, 2, "EL-GW-AGE-2")
        .await
        .assert_problem(409, "ineligible_age");
}

// ---------------------------------------------------------------------------------------------
// Art. 4.5–4.6: the term against the notice, the outcome on the notice
// ---------------------------------------------------------------------------------------------

/// Art. 4.5–4.6: the notice proposed 2 years; another term needs a recorded reason, kept in
/// the audit trail.
#[tokio::test]
async fn art_4_5_a_term_differing_from_the_notice_needs_a_recorded_reason() {
    let app = spawn_app().await;
    let (id, _) = notice_passed(&app, 50, None).await;
    let path = format!("/api/v1/candidates/{id}/appointment");
    let mut body = guwen_tests::appointment(&app, 3, "EL-GW-TERM-1");
    app.hrss()
        .post(&path, &body)
        .await
        .assert_problem(409, "term_differs_from_notice");
    body["term_change_reason"] = json!("  ");
    app.hrss()
        .post(&path, &body)
        .await
        .assert_problem(409, "term_differs_from_notice");
    body["term_change_reason"] = json!("常务会议决定聘期三年，与课题周期一致");
    let res = app.hrss().post(&path, &body).await;
    res.assert_status(201);
    assert_eq!(res.json()["term_years"], 3);
    let events = audit_events(&app, Some(&id), Some("candidate_appointed")).await;
    assert_eq!(events.len(), 1);
    let details = &events[0]["details"];
    assert_eq!(details["noticed_term_years"], 2, "{details}");
    assert_eq!(
        details["term_change_reason"],
        "常务会议决定聘期三年，与课题周期一致"
    );
}

/// The public notice's candidates as anyone reads them.
async fn public_candidates(app: &guwen_tests::TestApp, notice: &str) -> Vec<Value> {
    let res = app
        .anonymous()
        .get(&format!("/api/v1/public/notices/{notice}"))
        .await;
    res.assert_status(200);
    res.json()["candidates"].as_array().unwrap().clone()
}

/// Art. 4.5–4.6: each candidate listed on a notice shows its public outcome — appointed or not
/// appointed — and never why.
#[tokio::test]
async fn art_4_5_the_public_notice_shows_each_candidates_outcome() {
    let app = spawn_app().await;
    let (appointed, n1) = in_notice(&app, 50, None).await;
    let (withdrawn, n2) = in_notice(&app, 50, None).await;
    let (objected, n3) = in_notice(&app, 50, None).await;
    assert_eq!(public_candidates(&app, &n1).await[0]["outcome"], "pending");
    withdraw(&app.hrss(), &withdrawn).await.assert_status(200);
    file_objection(&app, &n3, &objected)
        .await
        .assert_status(201);
    let o = objections_of(&app, &objected, "open").await;
    resolve_objection(&app, o[0]["id"].as_str().unwrap(), "upheld")
        .await
        .assert_status(200);
    app.advance_days(7);
    appoint(&app, &appointed, 2, "EL-GW-OUT-1")
        .await
        .assert_status(201);
    for (notice, expected) in [
        (n1, "appointed"),
        (n2, "not_appointed"),
        (n3, "not_appointed"),
    ] {
        let cs = public_candidates(&app, &notice).await;
        assert_eq!(cs.len(), 1);
        assert_eq!(cs[0]["outcome"], expected, "{cs:?}");
        let text = cs[0].to_string();
        assert!(!text.contains("撤回") && !text.contains("经核查"), "{text}");
        assert!(cs[0].get("closing_reason").is_none());
    }
}

// ---------------------------------------------------------------------------------------------
// Art. 8: invitations
// ---------------------------------------------------------------------------------------------

/// A meeting body five days ahead inviting `advisors`.
fn meeting_body(app: &guwen_tests::TestApp, advisors: &[&str]) -> Value {
    let day = today(app) + Days::new(5);
    json!({
        "title": "口岸专题研讨会", "agenda": "通道建设",
        "held_at": format!("{day}T09:00:00+08:00"),
        "invited_advisor_ids": advisors
    })
}

/// The invitation of `advisor` in a meeting view.
fn invitation_of<'a>(meeting: &'a Value, advisor: &str) -> &'a Value {
    meeting["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["advisor_id"] == advisor)
        .unwrap_or_else(|| panic!("no invitation of {advisor}: {meeting}"))
}

/// Art. 8 ¶2 (可应邀参加): an invited advisor accepts or declines a department's meeting; a
/// decline needs a reason and is an excused absence; an answer is given once, by the invitee.
#[tokio::test]
async fn art_8_an_advisor_accepts_or_declines_a_department_meeting() {
    let app = spawn_app().await;
    let a1 = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let a2 = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    let dept = app.department("transport");
    let m = create_meeting(&dept, &meeting_body(&app, &[&a1, &a2])).await;
    let path = format!("/api/v1/meetings/{m}/invitation-response");
    app.advisor(&a1)
        .post(&path, &json!({"response": "declined"}))
        .await
        .assert_problem(409, "excuse_reason_missing");
    let res = app
        .advisor(&a1)
        .post(
            &path,
            &json!({"response": "declined", "reason": "同期出国访问"}),
        )
        .await;
    res.assert_status(200);
    let mine = invitation_of(&res.json(), &a1).clone();
    assert_eq!(mine["response"], "declined");
    assert_eq!(mine["attendance"], "excused");
    assert_eq!(mine["excuse_reason"], "同期出国访问");
    assert!(mine["excuse_status"].is_null());
    // The advisor sees only their own invitation.
    assert_eq!(res.json()["invitations"].as_array().unwrap().len(), 1);
    app.advisor(&a1)
        .post(&path, &json!({"response": "accepted"}))
        .await
        .assert_problem(409, "invitation_answered");
    let res = app
        .advisor(&a2)
        .post(&path, &json!({"response": "accepted"}))
        .await;
    res.assert_status(200);
    assert_eq!(invitation_of(&res.json(), &a2)["response"], "accepted");
    // Someone not invited does not see the meeting; staff cannot answer for an advisor.
    let a3 = appointed_advisor(&app, AdvisorSpec::named("丙")).await;
    app.advisor(&a3)
        .post(&path, &json!({"response": "accepted"}))
        .await
        .assert_problem(404, "not_found");
    app.hrss()
        .post(&path, &json!({"response": "accepted"}))
        .await
        .assert_problem(403, "forbidden");
    let events = audit_events(&app, Some(&m), Some("invitation_answered")).await;
    assert_eq!(events.len(), 2);
}

/// Art. 8 ¶1 (应当按要求参加), 12.3: declining a government meeting is an excuse request
/// HRSS decides; granted, the attendance is `excused`; refused, it stays required.
#[tokio::test]
async fn art_8_declining_a_government_meeting_is_an_excuse_request_hrss_decides() {
    let app = spawn_app().await;
    let a1 = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let a2 = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    let gov = app.government();
    let m = create_meeting(&gov, &meeting_body(&app, &[&a1, &a2])).await;
    let path = format!("/api/v1/meetings/{m}/invitation-response");
    for a in [&a1, &a2] {
        let res = app
            .advisor(a)
            .post(
                &path,
                &json!({"response": "declined", "reason": "住院治疗"}),
            )
            .await;
        res.assert_status(200);
        let mine = invitation_of(&res.json(), a).clone();
        assert_eq!(mine["excuse_status"], "requested");
        assert!(mine["attendance"].is_null(), "{mine}");
    }
    let decide = |a: &str| format!("/api/v1/meetings/{m}/invitations/{a}/excuse-decision");
    gov.post(&decide(&a1), &json!({"decision": "granted"}))
        .await
        .assert_problem(403, "forbidden");
    let res = app
        .hrss()
        .post(&decide(&a1), &json!({"decision": "granted"}))
        .await;
    res.assert_status(200);
    let one = invitation_of(&res.json(), &a1).clone();
    assert_eq!(one["excuse_status"], "granted");
    assert_eq!(one["attendance"], "excused");
    assert_eq!(one["excuse_reason"], "住院治疗");
    app.hrss()
        .post(&decide(&a1), &json!({"decision": "refused", "note": "x"}))
        .await
        .assert_problem(409, "invalid_transition");
    app.hrss()
        .post(&decide(&a2), &json!({"decision": "refused"}))
        .await
        .assert_problem(422, "validation_failed");
    let res = app
        .hrss()
        .post(
            &decide(&a2),
            &json!({"decision": "refused", "note": "议题需本人到会"}),
        )
        .await;
    res.assert_status(200);
    let two = invitation_of(&res.json(), &a2).clone();
    assert_eq!(two["excuse_status"], "refused");
    assert!(two["attendance"].is_null());
    // The advisor sees the outcome of their own request only.
    let seen = app.advisor(&a2).get(&format!("/api/v1/meetings/{m}")).await;
    seen.assert_status(200);
    let seen = seen.json();
    assert_eq!(seen["invitations"].as_array().unwrap().len(), 1);
    assert_eq!(invitation_of(&seen, &a2)["excuse_note"], "议题需本人到会");
}

// ---------------------------------------------------------------------------------------------
// Art. 15: consultation rounds
// ---------------------------------------------------------------------------------------------

/// Art. 15 (定期听取顾问的意见建议): HRSS opens a round; every advisor in office may answer
/// (revising until the closing day); HRSS records its follow-up after it; the government and
/// auditors read every answer, an advisor their own, the public and other systems nothing.
#[tokio::test]
async fn art_15_hrss_hears_the_advisors_in_consultation_rounds() {
    let app = spawn_app().await;
    let a1 = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let a2 = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    let body = json!({
        "title": "2026年下半年顾问工作意见建议征集", "period": "2026-H2",
        "question": "对顾问工作的服务保障有何意见建议？",
        "closes_on": today(&app) + Days::new(10)
    });
    app.government()
        .post("/api/v1/consultations", &body)
        .await
        .assert_problem(403, "forbidden");
    let mut too_long = body.clone();
    too_long["closes_on"] = json!(today(&app) + Days::new(200));
    app.hrss()
        .post("/api/v1/consultations", &too_long)
        .await
        .assert_problem(422, "validation_failed");
    let res = app.hrss().post("/api/v1/consultations", &body).await;
    res.assert_status(201);
    let id = res.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(res.json()["status"], "open");
    let answer = format!("/api/v1/consultations/{id}/answer");
    app.advisor(&a1)
        .put(&answer, &json!({"content": "建议增加调研经费"}))
        .await
        .assert_status(200);
    let res = app
        .advisor(&a1)
        .put(&answer, &json!({"content": "建议增加调研经费并简化报销"}))
        .await;
    res.assert_status(200);
    assert_eq!(res.json()["answers"].as_array().unwrap().len(), 1);
    app.advisor(&a2)
        .put(&answer, &json!({"content": "建议每季度召开一次顾问座谈会"}))
        .await
        .assert_status(200);
    app.hrss()
        .put(&answer, &json!({"content": "x"}))
        .await
        .assert_problem(403, "forbidden");
    // An advisor reads their own answer only; the government and auditors read all.
    let own = app
        .advisor(&a2)
        .get(&format!("/api/v1/consultations/{id}"))
        .await
        .json();
    let answers = own["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0]["advisor_id"], a2.as_str());
    for client in [app.government(), app.auditor(), app.hrss()] {
        let all = client
            .get(&format!("/api/v1/consultations/{id}"))
            .await
            .json();
        assert_eq!(all["answers"].as_array().unwrap().len(), 2, "{all}");
        let list = client.get("/api/v1/consultations").await.json();
        assert_eq!(list["items"].as_array().unwrap().len(), 1);
    }
    for client in [
        app.integration(),
        app.department("transport"),
        app.finance(),
    ] {
        client
            .get("/api/v1/consultations")
            .await
            .assert_problem(403, "forbidden");
    }
    app.anonymous()
        .get("/api/v1/consultations")
        .await
        .assert_status(401);
    let follow_up = format!("/api/v1/consultations/{id}/follow-up");
    let note = json!({"follow_up": "已将调研经费标准报市政府，下季度起召开座谈会"});
    app.hrss()
        .post(&follow_up, &note)
        .await
        .assert_problem(409, "invalid_transition");
    app.advance_days(11);
    app.advisor(&a1)
        .put(&answer, &json!({"content": "补充"}))
        .await
        .assert_problem(409, "consultation_closed");
    let res = app.hrss().post(&follow_up, &note).await;
    res.assert_status(200);
    assert_eq!(res.json()["status"], "followed_up");
    app.hrss()
        .post(&follow_up, &note)
        .await
        .assert_problem(409, "invalid_transition");
    let events = audit_events(&app, Some(&id), None).await;
    let actions: Vec<&str> = events
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "consultation_opened",
            "consultation_answered",
            "consultation_answered",
            "consultation_answered",
            "consultation_followed_up"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Art. 7(2)–(3): declarations of interest and matching
// ---------------------------------------------------------------------------------------------

/// Art. 7(2)–(3): an advisor declares dated interests; matching flags, with the reason, an
/// advisor whose interests in force name the requesting unit or the task's counterpart. The
/// declaration is read by the advisor, HRSS, the government and auditors only.
#[tokio::test]
async fn art_7_declared_interests_flag_advisors_in_matching() {
    let app = spawn_app().await;
    let a1 = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let a2 = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    let a3 = appointed_advisor(&app, AdvisorSpec::named("丙")).await;
    let path = |a: &str| format!("/api/v1/advisors/{a}/interests");
    let since = today(&app) - Days::new(400);
    let board = json!({"kind": "board_seat", "organisation": "二连浩特市口岸物流有限公司", "starts_on": since});
    let res = app.advisor(&a1).post(&path(&a1), &board).await;
    res.assert_status(201);
    assert_eq!(res.json()["kind"], "board_seat");
    // An ended interest does not flag; a client of the requesting department does.
    let ended = json!({"kind": "client", "organisation": "二连浩特市口岸物流有限公司", "starts_on": since, "ends_on": today(&app) - Days::new(100)});
    app.advisor(&a2)
        .post(&path(&a2), &ended)
        .await
        .assert_status(201);
    let client = json!({"kind": "client", "organisation": "transport", "starts_on": since});
    app.hrss()
        .post(&path(&a3), &client)
        .await
        .assert_status(201);
    let backwards = json!({"kind": "employer", "organisation": "内蒙古大学", "starts_on": today(&app), "ends_on": since});
    app.advisor(&a1)
        .post(&path(&a1), &backwards)
        .await
        .assert_problem(422, "validation_failed");
    // Only one's own declaration.
    app.advisor(&a2)
        .post(&path(&a1), &board)
        .await
        .assert_problem(404, "not_found");
    app.advisor(&a2)
        .get(&path(&a1))
        .await
        .assert_problem(404, "not_found");
    let own = app.advisor(&a1).get(&path(&a1)).await;
    own.assert_status(200);
    assert_eq!(own.json()["items"].as_array().unwrap().len(), 1);
    for c in [app.hrss(), app.government(), app.auditor()] {
        c.get(&path(&a1)).await.assert_status(200);
    }
    for c in [
        app.integration(),
        app.department("transport"),
        app.finance(),
    ] {
        c.get(&path(&a1)).await.assert_problem(403, "forbidden");
    }
    // A task of `transport` about the logistics company.
    let mut body = task_body(&app, "logistics", "internal", 20);
    body["counterpart"] = json!("二连浩特市口岸物流有限公司");
    let task = create_task(&app.department("transport"), &body).await;
    let t = app
        .hrss()
        .get(&format!("/api/v1/tasks/{task}"))
        .await
        .json();
    assert_eq!(t["counterpart"], "二连浩特市口岸物流有限公司");
    let res = app
        .hrss()
        .get(&format!("/api/v1/tasks/{task}/matching-advisors"))
        .await;
    res.assert_status(200);
    let items = res.json()["items"].as_array().unwrap().clone();
    let flags = |a: &str| -> Vec<String> {
        items
            .iter()
            .find(|m| m["advisor_id"] == a)
            .unwrap_or_else(|| panic!("{a} not ranked"))["interest_conflicts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_owned())
            .collect()
    };
    let f1 = flags(&a1);
    assert_eq!(f1.len(), 1, "{f1:?}");
    assert!(
        f1[0].contains("board_seat") && f1[0].contains("口岸物流"),
        "{f1:?}"
    );
    assert!(flags(&a2).is_empty());
    let f3 = flags(&a3);
    assert_eq!(f3.len(), 1, "{f3:?}");
    assert!(f3[0].contains("transport"), "{f3:?}");
    assert_eq!(
        audit_events(&app, Some(&a1), Some("interest_declared"))
            .await
            .len(),
        1
    );
}
