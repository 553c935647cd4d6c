//! Advisors at work (Art. 6–11): tasks, matching, assignment, inability, recusal, opinions,
//! meetings and minutes, temporary experts, and who sees what.

use guwen_domain::role::Role;
use guwen_tests::{
    AdvisorSpec, Client, appointed_advisor, assign, create_meeting, create_task, post_assignment,
    put_attendance, spawn_app, task_body, today,
};
use serde_json::json;

#[tokio::test]
async fn art_6_7_1_tasks_are_requested_with_a_confidentiality_that_is_never_a_state_secret() {
    let app = spawn_app().await;
    let dept = app.department("transport");
    let id = create_task(&dept, &task_body(&app, "logistics", "work_secret", 10)).await;
    let t = dept.get(&format!("/api/v1/tasks/{id}")).await.json();
    assert_eq!(t["state"], "open");
    assert_eq!(t["requester"]["org_id"], "transport");
    let res = dept
        .post(
            "/api/v1/tasks",
            &task_body(&app, "logistics", "state_secret", 10),
        )
        .await;
    res.assert_problem(422, "state_secret_not_allowed");
    assert_eq!(res.json()["article"], "Art. 7.1");
    dept.post("/api/v1/tasks", &task_body(&app, "logistics", "绝密", 10))
        .await
        .assert_problem(422, "state_secret_not_allowed");
    app.finance()
        .post(
            "/api/v1/tasks",
            &task_body(&app, "logistics", "internal", 10),
        )
        .await
        .assert_problem(403, "forbidden");
    app.government()
        .post(
            "/api/v1/tasks",
            &task_body(&app, "logistics", "internal", 10),
        )
        .await
        .assert_status(201);
}

#[tokio::test]
async fn art_11_matching_ranks_field_then_workload_and_assignment_follows() {
    let app = spawn_app().await;
    let trade = appointed_advisor(
        &app,
        AdvisorSpec::named("贸易专家").in_field("port_trade", "commerce"),
    )
    .await;
    let log_busy = appointed_advisor(&app, AdvisorSpec::named("物流专家甲")).await;
    let log_free = appointed_advisor(&app, AdvisorSpec::named("物流专家乙")).await;
    let gov = app.government();
    let busy_task = create_task(&gov, &task_body(&app, "logistics", "internal", 10)).await;
    assign(&app, &busy_task, &log_busy).await;
    let task = create_task(&gov, &task_body(&app, "logistics", "internal", 10)).await;
    let m = app
        .hrss()
        .get(&format!("/api/v1/tasks/{task}/matching-advisors"))
        .await
        .json();
    let order: Vec<&str> = m["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["advisor_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        [log_free.as_str(), log_busy.as_str(), trade.as_str()]
    );
    assert_eq!(m["items"][0]["rank"], 1);
    assert!(!m["items"][0]["reasons"].as_array().unwrap().is_empty());
    app.department("transport")
        .get(&format!("/api/v1/tasks/{task}/matching-advisors"))
        .await
        .assert_problem(403, "forbidden");
    assign(&app, &task, &log_free).await;
    assert_eq!(
        app.hrss()
            .get(&format!("/api/v1/tasks/{task}"))
            .await
            .json()["state"],
        "assigned"
    );
    post_assignment(&app, &task, &log_free)
        .await
        .assert_problem(409, "already_assigned");
}

#[tokio::test]
async fn art_7_6_inability_before_the_deadline_releases_the_assignment() {
    let app = spawn_app().await;
    let advisor = appointed_advisor(&app, AdvisorSpec::named("物流专家")).await;
    let task = create_task(
        &app.government(),
        &task_body(&app, "logistics", "internal", 3),
    )
    .await;
    let assignment = assign(&app, &task, &advisor).await;
    let me = app.advisor(&advisor);
    let res = me
        .post(
            &format!("/api/v1/assignments/{assignment}/inability"),
            &json!({"reason": "出国访问"}),
        )
        .await;
    res.assert_status(200);
    assert_eq!(res.json()["state"], "released");
    assert_eq!(
        app.hrss()
            .get(&format!("/api/v1/tasks/{task}"))
            .await
            .json()["state"],
        "open"
    );
    // Someone else's assignment is not the caller's to release.
    let other = appointed_advisor(&app, AdvisorSpec::named("另一位")).await;
    let second = assign(&app, &task, &other).await;
    me.post(
        &format!("/api/v1/assignments/{second}/inability"),
        &json!({"reason": "x"}),
    )
    .await
    .assert_problem(404, "not_found");
    // On the deadline day it is too late.
    app.advance_days(3);
    let res = app
        .advisor(&other)
        .post(
            &format!("/api/v1/assignments/{second}/inability"),
            &json!({"reason": "生病"}),
        )
        .await;
    res.assert_problem(409, "inability_after_deadline");
    assert_eq!(res.json()["article"], "Art. 7.6");
}

#[tokio::test]
async fn art_10_a_granted_recusal_removes_sight_and_delivery() {
    let app = spawn_app().await;
    let advisor = appointed_advisor(&app, AdvisorSpec::named("物流专家")).await;
    let dept = app.department("transport");
    let task = create_task(&dept, &task_body(&app, "logistics", "internal", 10)).await;
    let assignment = assign(&app, &task, &advisor).await;
    let me = app.advisor(&advisor);
    me.get(&format!("/api/v1/tasks/{task}"))
        .await
        .assert_status(200);
    let req = me
        .post(
            &format!("/api/v1/assignments/{assignment}/recusal-request"),
            &json!({"conflict": "本人亲属任职于该项目承建单位"}),
        )
        .await;
    req.assert_status(201);
    let rid = req.json()["id"].as_str().unwrap().to_owned();
    me.post(
        &format!("/api/v1/assignments/{assignment}/recusal-request"),
        &json!({"conflict": "again"}),
    )
    .await
    .assert_problem(409, "recusal_pending");
    me.post(
        &format!("/api/v1/recusal-requests/{rid}/decision"),
        &json!({"decision": "granted", "reason": "x"}),
    )
    .await
    .assert_problem(403, "forbidden");
    app.hrss()
        .post(
            &format!("/api/v1/recusal-requests/{rid}/decision"),
            &json!({"decision": "granted", "reason": "存在利害关系"}),
        )
        .await
        .assert_status(200);
    me.get(&format!("/api/v1/tasks/{task}"))
        .await
        .assert_problem(404, "not_found");
    assert!(
        me.get("/api/v1/tasks").await.json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    me.post("/api/v1/opinions", &json!({"channel": "written_opinion", "subject": "意见", "content": "内容", "assignment_id": assignment}))
        .await
        .assert_problem(409, "recused");
    assert_eq!(
        app.hrss()
            .get(&format!("/api/v1/tasks/{task}"))
            .await
            .json()["state"],
        "open"
    );
    // The same requester's next task does not offer this advisor.
    let next = create_task(&dept, &task_body(&app, "logistics", "internal", 10)).await;
    let m = app
        .hrss()
        .get(&format!("/api/v1/tasks/{next}/matching-advisors"))
        .await
        .json();
    assert!(
        m["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["advisor_id"] != advisor.as_str())
    );
    post_assignment(&app, &next, &advisor)
        .await
        .assert_problem(409, "conflict_of_interest");
}

#[tokio::test]
async fn art_8_9_opinions_deliver_assignments_on_time_or_overdue() {
    let app = spawn_app().await;
    let a1 = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let a2 = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    let dept = app.department("transport");
    let task = create_task(&dept, &task_body(&app, "logistics", "internal", 2)).await;
    let s1 = assign(&app, &task, &a1).await;
    let s2 = assign(&app, &task, &a2).await;
    // A major issue needs a written opinion (Art. 9).
    app.advisor(&a1)
        .post("/api/v1/opinions", &json!({"channel": "phone", "subject": "电话意见", "content": "口头", "assignment_id": s1}))
        .await
        .assert_problem(409, "major_issue_needs_written_opinion");
    let on_time = app
        .advisor(&a1)
        .post("/api/v1/opinions", &json!({"channel": "research_report", "subject": "论证报告", "content": "建议分两期建设", "assignment_id": s1}))
        .await;
    on_time.assert_status(201);
    assert_eq!(on_time.json()["timeliness"], "on_time");
    assert_eq!(
        app.hrss()
            .get(&format!("/api/v1/tasks/{task}"))
            .await
            .json()["state"],
        "assigned"
    );
    app.advance_days(3);
    let late = app
        .advisor(&a2)
        .post("/api/v1/opinions", &json!({"channel": "written_opinion", "subject": "书面意见", "content": "同意", "assignment_id": s2}))
        .await;
    late.assert_status(201);
    assert_eq!(late.json()["timeliness"], "overdue");
    let t = app
        .hrss()
        .get(&format!("/api/v1/tasks/{task}"))
        .await
        .json();
    assert_eq!(t["state"], "delivered");
    // An unsolicited opinion by phone is fine (Art. 8: always free to give one).
    app.advisor(&a1)
        .post(
            "/api/v1/opinions",
            &json!({"channel": "phone", "subject": "口岸通关效率", "content": "建议延长通关时间"}),
        )
        .await
        .assert_status(201);
    // The requester reads the opinions on its task; another department, another advisor do not.
    let on_task = dept
        .get(&format!("/api/v1/opinions?task_id={task}"))
        .await
        .json();
    assert_eq!(on_task["items"].as_array().unwrap().len(), 2);
    let opinion_id = on_time.json()["id"].as_str().unwrap().to_owned();
    app.department("justice")
        .get(&format!("/api/v1/opinions/{opinion_id}"))
        .await
        .assert_problem(404, "not_found");
    app.advisor(&a2)
        .get(&format!("/api/v1/opinions/{opinion_id}"))
        .await
        .assert_problem(404, "not_found");
    assert_eq!(
        app.advisor(&a1).get("/api/v1/opinions").await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    dept.post(
        &format!("/api/v1/tasks/{task}/closure"),
        &json!({"note": "成果已采纳"}),
    )
    .await
    .assert_status(200);
}

#[tokio::test]
async fn art_11_minutes_need_every_opinion_and_are_immutable_once_final() {
    let app = spawn_app().await;
    let a1 = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let a2 = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    let outsider = appointed_advisor(&app, AdvisorSpec::named("丙")).await;
    let gov = app.government();
    let res = gov
        .post(
            "/api/v1/meetings",
            &json!({"title": "口岸发展专题研讨会", "agenda": "通道建设", "held_at": "2026-11-20T09:00:00+08:00",
                    "invited_advisor_ids": [a1, a2], "participating_org_ids": ["transport"]}),
        )
        .await;
    res.assert_status(201);
    let m = res.json();
    assert_eq!(m["attendance_required"], true);
    let id = m["id"].as_str().unwrap().to_owned();
    app.advisor(&a1)
        .get(&format!("/api/v1/meetings/{id}"))
        .await
        .assert_status(200);
    app.advisor(&outsider)
        .get(&format!("/api/v1/meetings/{id}"))
        .await
        .assert_problem(404, "not_found");
    app.department("transport")
        .get(&format!("/api/v1/meetings/{id}"))
        .await
        .assert_status(200);
    app.department("justice")
        .get(&format!("/api/v1/meetings/{id}"))
        .await
        .assert_problem(404, "not_found");

    put_attendance(
        &gov,
        &id,
        json!([{"advisor_id": a2, "attendance": "excused"}]),
    )
    .await
    .assert_problem(409, "excuse_reason_missing");
    let res = put_attendance(
        &gov,
        &id,
        json!([{"advisor_id": a1, "attendance": "attended"}, {"advisor_id": a2, "attendance": "absent"}]),
    )
    .await;
    res.assert_status(200);
    let absent = res.json()["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["advisor_id"] == a2.as_str())
        .unwrap()
        .clone();
    assert_eq!(absent["unexcused_absence"], true);
    put_attendance(
        &app.department("transport"),
        &id,
        json!([{"advisor_id": a1, "attendance": "absent"}]),
    )
    .await
    .assert_problem(403, "forbidden");

    let finalize = format!("/api/v1/meetings/{id}/minutes/finalization");
    gov.send(reqwest::Method::POST, &finalize, None, &[])
        .await
        .assert_problem(409, "minutes_incomplete");
    gov.put(&format!("/api/v1/meetings/{id}/minutes"), &json!({"summary": "会议讨论了通道建设", "advisor_opinions": [{"advisor_id": a1, "opinion": "支持"}]}))
        .await
        .assert_status(200);
    let res = gov.send(reqwest::Method::POST, &finalize, None, &[]).await;
    res.assert_problem(409, "minutes_incomplete");
    assert!(res.json()["detail"].as_str().unwrap().contains("transport"));
    gov.put(
        &format!("/api/v1/meetings/{id}/minutes"),
        &json!({"summary": "会议讨论了通道建设", "advisor_opinions": [{"advisor_id": a1, "opinion": "支持"}], "department_opinions": [{"org_id": "transport", "opinion": "同意推进"}]}),
    )
    .await
    .assert_status(200);
    let done = gov.send(reqwest::Method::POST, &finalize, None, &[]).await;
    done.assert_status(200);
    assert!(done.json()["minutes"]["forwarded_at"].is_string());
    gov.put(
        &format!("/api/v1/meetings/{id}/minutes"),
        &json!({"summary": "改写"}),
    )
    .await
    .assert_problem(409, "minutes_finalized");
    put_attendance(
        &gov,
        &id,
        json!([{"advisor_id": a2, "attendance": "attended"}]),
    )
    .await
    .assert_problem(409, "minutes_finalized");
}

/// Art. 11, 12.3: finalising locks the attendance, so every invitee's attendance must be
/// recorded first; otherwise an absence could never count as evidence.
#[tokio::test]
async fn art_11_12_3_minutes_are_not_final_while_an_invitee_has_no_attendance() {
    let app = spawn_app().await;
    let a1 = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let a2 = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    let gov = app.government();
    let id = create_meeting(
        &gov,
        &json!({"title": "口岸专题会", "agenda": "通道", "held_at": "2026-11-20T09:00:00+08:00", "invited_advisor_ids": [a1, a2]}),
    )
    .await;
    put_attendance(
        &gov,
        &id,
        json!([{"advisor_id": a1, "attendance": "attended"}]),
    )
    .await
    .assert_status(200);
    gov.put(
        &format!("/api/v1/meetings/{id}/minutes"),
        &json!({"summary": "讨论", "advisor_opinions": [{"advisor_id": a1, "opinion": "支持"}]}),
    )
    .await
    .assert_status(200);
    let finalize = format!("/api/v1/meetings/{id}/minutes/finalization");
    let res = gov.send(reqwest::Method::POST, &finalize, None, &[]).await;
    res.assert_problem(409, "minutes_incomplete");
    assert!(res.json()["detail"].as_str().unwrap().contains(a2.as_str()));
    put_attendance(
        &gov,
        &id,
        json!([{"advisor_id": a2, "attendance": "absent"}]),
    )
    .await
    .assert_status(200);
    gov.send(reqwest::Method::POST, &finalize, None, &[])
        .await
        .assert_status(200);
    let evidence = app
        .hrss()
        .get(&format!("/api/v1/advisors/{a2}/inactivity"))
        .await
        .json();
    assert!(
        evidence.to_string().contains("unexcused_absence"),
        "{evidence}"
    );
}

#[tokio::test]
async fn art_8_department_meetings_make_attendance_optional() {
    let app = spawn_app().await;
    let a1 = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let dept = app.department("transport");
    let res = dept
        .post("/api/v1/meetings", &json!({"title": "物流座谈", "agenda": "x", "held_at": "2026-11-20T09:00:00+08:00", "invited_advisor_ids": [a1]}))
        .await;
    res.assert_status(201);
    assert_eq!(res.json()["attendance_required"], false);
    assert_eq!(res.json()["organizer_org_id"], "transport");
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let res = put_attendance(
        &dept,
        &id,
        json!([{"advisor_id": a1, "attendance": "absent"}]),
    )
    .await;
    res.assert_status(200);
    assert_eq!(res.json()["invitations"][0]["unexcused_absence"], false);
}

#[tokio::test]
async fn art_8_temporary_experts_are_engaged_for_one_matter() {
    let app = spawn_app().await;
    let body = json!({"name": "钱七", "employer": "交通运输部规划研究院", "title": "研究员", "scope": "口岸货运站选址论证",
                      "starts_on": today(&app), "ends_on": today(&app) + chrono::Days::new(60)});
    app.government()
        .post("/api/v1/temporary-experts", &body)
        .await
        .assert_status(201);
    let mut bad = body.clone();
    bad["ends_on"] = json!(today(&app) - chrono::Days::new(1));
    app.hrss()
        .post("/api/v1/temporary-experts", &bad)
        .await
        .assert_problem(409, "invalid_engagement_period");
    app.department("transport")
        .post("/api/v1/temporary-experts", &body)
        .await
        .assert_problem(403, "forbidden");
    let list = app.hrss().get("/api/v1/temporary-experts").await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    // Temporary experts are not advisors.
    assert!(
        app.anonymous().get("/api/v1/public/roster").await.json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// Who sees which task (Art. 7.1, 11): every role, another advisor, another department.
#[tokio::test]
async fn art_7_1_task_visibility_matrix() {
    let app = spawn_app().await;
    let mine = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let other = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    let dept = app.department("transport");
    let secret = create_task(
        &dept,
        &task_body(&app, "logistics", "commercial_secret", 10),
    )
    .await;
    let internal = create_task(&dept, &task_body(&app, "logistics", "internal", 10)).await;
    assign(&app, &secret, &mine).await;
    let path = format!("/api/v1/tasks/{secret}");
    let cases: Vec<(&str, Client, u16)> = vec![
        ("hrss", app.hrss(), 200),
        ("government", app.government(), 200),
        ("auditor", app.auditor(), 200),
        ("requester department", dept.clone(), 200),
        ("assigned advisor", app.advisor(&mine), 200),
        ("another advisor", app.advisor(&other), 404),
        ("another department", app.department("justice"), 404),
        ("integration (commercial secret)", app.integration(), 404),
        ("finance", app.as_role(Role::Finance), 403),
        ("anonymous", app.anonymous(), 401),
    ];
    for (who, client, status) in cases {
        let res = client.get(&path).await;
        assert_eq!(res.status.as_u16(), status, "{who}: {}", res.text);
    }
    // Integration sees internal tasks only, in the list too.
    let listed = app.integration().get("/api/v1/tasks").await.json();
    let ids: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [internal.as_str()]);
    assert!(
        app.department("justice").get("/api/v1/tasks").await.json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        app.advisor(&other).get("/api/v1/tasks").await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // The assigned advisor sees only their own assignment on the task.
    let seen = app.advisor(&mine).get(&path).await.json();
    assert_eq!(seen["assignments"].as_array().unwrap().len(), 1);
}
