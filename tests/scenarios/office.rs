//! Advisors in office (Art. 3, 12, 13, 16): dismissal, resignation, expiry, renewal and the
//! annual assessment, with each refusal.

use guwen_tests::{
    AdvisorSpec, advisor_view, allowed_actions, appointed_advisor, assign, audit_actions,
    audit_events, create_meeting, create_task, created_id, decide_assessment, decided_assessment,
    dismiss, grade_preliminarily, on_roster, put_attendance, spawn_app, start_assessment,
    this_year, today,
};
use serde_json::json;

#[tokio::test]
async fn art_12_dismissal_needs_evidence_and_the_governments_approval() {
    let app = spawn_app().await;
    let id = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let actions = allowed_actions(&advisor_view(&app, &id).await);
    assert!(actions.contains(&"propose_dismissal".to_owned()));
    let path = format!("/api/v1/advisors/{id}/dismissal-proposals");
    app.hrss()
        .post(
            &path,
            &json!({"ground": "criminal_liability", "evidence": " "}),
        )
        .await
        .assert_problem(409, "evidence_required");
    // `inactive` needs computed evidence, and there is none yet.
    let res = app
        .hrss()
        .post(
            &path,
            &json!({"ground": "inactive", "evidence": "长期不履职"}),
        )
        .await;
    res.assert_problem(409, "evidence_required");
    assert_eq!(res.json()["article"], "Art. 12.3");
    app.government()
        .post(&path, &json!({"ground": "other", "evidence": "x"}))
        .await
        .assert_problem(403, "forbidden");
    let proposal = app.hrss().post(&path, &json!({"ground": "conduct_unbecoming", "evidence": "以顾问名义招揽业务，有书面举报及核查记录"})).await;
    proposal.assert_status(201);
    assert_eq!(
        advisor_view(&app, &id).await["status"],
        "dismissal_proposed"
    );
    assert!(
        on_roster(&app, &id).await,
        "still in office until the government decides"
    );
    let pid = proposal.json()["id"].as_str().unwrap().to_owned();
    let pending = app
        .government()
        .get(&format!(
            "/api/v1/dismissal-proposals?advisor_id={id}&state=pending"
        ))
        .await
        .json();
    assert_eq!(pending["items"][0]["id"], pid.as_str());
    let gov_actions = app
        .government()
        .get(&format!("/api/v1/advisors/{id}"))
        .await
        .json()["allowed_actions"]
        .clone();
    assert_eq!(gov_actions[0]["action"], "decide_dismissal");
    assert_eq!(gov_actions[0]["article"], "Art. 12");
    let decision = format!("/api/v1/dismissal-proposals/{pid}/decision");
    app.hrss()
        .post(&decision, &json!({"approved": true, "reason": "x"}))
        .await
        .assert_problem(403, "forbidden");
    app.government()
        .post(
            &decision,
            &json!({"approved": true, "reason": "经市政府批准"}),
        )
        .await
        .assert_status(200);
    assert_eq!(advisor_view(&app, &id).await["status"], "dismissed");
    assert!(!on_roster(&app, &id).await);
    let again = app
        .government()
        .post(&decision, &json!({"approved": false, "reason": "again"}))
        .await;
    again.assert_problem(409, "invalid_transition");
    // The refusal names the decision already taken.
    assert!(
        again.json()["detail"]
            .as_str()
            .unwrap()
            .contains("already `approved`"),
        "{}",
        again.text
    );
    // Nothing is deleted: the advisor and the trail remain.
    let trail = audit_actions(&app, &id).await;
    let kinds: Vec<&str> = trail.iter().map(String::as_str).collect();
    assert!(
        kinds.ends_with(&["dismissal_proposed", "advisor_dismissed"]),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn art_12_3_inactivity_evidence_is_computed_and_attached() {
    let app = spawn_app().await;
    let id = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let gov = app.government();
    let mid = create_meeting(&gov, &json!({"title": "市政府顾问会议", "agenda": "x", "held_at": chrono::Utc::now().to_rfc3339(), "invited_advisor_ids": [id]})).await;
    put_attendance(
        &gov,
        &mid,
        json!([{"advisor_id": id, "attendance": "absent"}]),
    )
    .await
    .assert_status(200);
    let task = create_task(&gov, &json!({"kind": "suggestion", "title": "建议", "description": "d", "field": "logistics", "deadline": today(&app), "confidentiality": "internal"})).await;
    assign(&app, &task, &id).await;
    app.advance_days(2);
    let evidence = app
        .hrss()
        .get(&format!("/api/v1/advisors/{id}/inactivity"))
        .await
        .json();
    assert_eq!(evidence["unexcused_absences"], 1);
    assert_eq!(evidence["undelivered"], 1);
    assert_eq!(evidence["items"].as_array().unwrap().len(), 2);
    let res = app
        .hrss()
        .post(
            &format!("/api/v1/advisors/{id}/dismissal-proposals"),
            &json!({"ground": "inactive", "evidence": "无故缺席并逾期未提交意见"}),
        )
        .await;
    res.assert_status(201);
    assert_eq!(
        res.json()["inactivity_evidence"]["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    app.department("transport")
        .get(&format!("/api/v1/advisors/{id}/inactivity"))
        .await
        .assert_problem(403, "forbidden");
}

#[tokio::test]
async fn art_13_resignation_is_requested_proposed_and_approved_with_the_certificate_recovered() {
    let app = spawn_app().await;
    let id = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let other = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    let letter = json!({"letter": "因工作调动，申请辞去顾问职务。"});
    app.advisor(&other)
        .post(&format!("/api/v1/advisors/{id}/resignation"), &letter)
        .await
        .assert_problem(404, "not_found");
    app.hrss()
        .post(&format!("/api/v1/advisors/{id}/resignation"), &letter)
        .await
        .assert_problem(403, "forbidden");
    let req = app
        .advisor(&id)
        .post(&format!("/api/v1/advisors/{id}/resignation"), &letter)
        .await;
    req.assert_status(201);
    let rid = req.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.advisor(&id).get("/api/v1/resignations").await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(
        app.advisor(&other).get("/api/v1/resignations").await.json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        advisor_view(&app, &id).await["status"],
        "resignation_requested"
    );
    app.government()
        .post(
            &format!("/api/v1/resignations/{rid}/decision"),
            &json!({"approved": true, "reason": "x", "certificate_recovered": true}),
        )
        .await
        .assert_problem(409, "invalid_transition");
    app.hrss()
        .post(
            &format!("/api/v1/resignations/{rid}/proposal"),
            &json!({"note": "拟同意"}),
        )
        .await
        .assert_status(200);
    app.government()
        .post(
            &format!("/api/v1/resignations/{rid}/decision"),
            &json!({"approved": true, "reason": "同意"}),
        )
        .await
        .assert_problem(422, "validation_failed");
    let done = app
        .government()
        .post(&format!("/api/v1/resignations/{rid}/decision"), &json!({"approved": true, "reason": "同意", "certificate_recovered": true, "certificate_note": "聘书已收回"}))
        .await;
    done.assert_status(200);
    assert_eq!(done.json()["certificate_recovered"], true);
    assert_eq!(advisor_view(&app, &id).await["status"], "resigned");
    assert!(!on_roster(&app, &id).await);
}

#[tokio::test]
async fn art_3_an_ended_term_is_expired_everywhere_and_renewal_adds_a_term() {
    let app = spawn_app().await;
    let id = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let renew = format!("/api/v1/advisors/{id}/renewal-proposals");
    app.hrss()
        .post(
            &renew,
            &json!({"years": 4, "agreement_ref": "续聘协议", "certificate_no": "EL-R-1"}),
        )
        .await
        .assert_problem(409, "term_out_of_range");
    // Two years later the term has ended: expired on every view, off the roster.
    app.advance_days(2 * 366);
    assert_eq!(advisor_view(&app, &id).await["status"], "expired");
    assert!(!on_roster(&app, &id).await);
    let expired = app
        .hrss()
        .get("/api/v1/advisors?status=expired")
        .await
        .json();
    assert_eq!(expired["items"].as_array().unwrap().len(), 1);
    let proposal = app
        .hrss()
        .post(
            &renew,
            &json!({"years": 3, "agreement_ref": "续聘协议", "certificate_no": "EL-R-1"}),
        )
        .await;
    proposal.assert_status(201);
    let pid = proposal.json()["id"].as_str().unwrap().to_owned();
    let gov_view = app
        .government()
        .get(&format!("/api/v1/advisors/{id}"))
        .await
        .json();
    assert_eq!(gov_view["allowed_actions"][0]["action"], "decide_renewal");
    assert_eq!(gov_view["allowed_actions"][0]["article"], "Art. 3");
    app.hrss()
        .post(
            &format!("/api/v1/renewal-proposals/{pid}/decision"),
            &json!({"approved": true, "reason": "x"}),
        )
        .await
        .assert_problem(403, "forbidden");
    app.government()
        .post(
            &format!("/api/v1/renewal-proposals/{pid}/decision"),
            &json!({"approved": true, "reason": "表现优秀"}),
        )
        .await
        .assert_status(200);
    let a = advisor_view(&app, &id).await;
    assert_eq!(a["status"], "active");
    assert_eq!(a["term_years"], 3);
    assert_eq!(a["terms"].as_array().unwrap().len(), 2);
    assert_eq!(a["terms"][1]["certificate_no"], "EL-R-1");
    assert!(on_roster(&app, &id).await);
}

/// Art. 3: renewing before the current term ends is the normal practice: the current term
/// runs to its end, the next follows without a gap, and the advisor stays in office (on the
/// roster, assignable) throughout, with both terms in the history.
#[tokio::test]
async fn art_3_a_renewal_ahead_of_expiry_keeps_the_current_term_and_the_advisor_in_office() {
    let app = spawn_app().await;
    let id = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let first = advisor_view(&app, &id).await;
    let (first_start, first_end) = (
        first["term_starts_on"].as_str().unwrap().to_owned(),
        first["term_ends_on"].as_str().unwrap().to_owned(),
    );
    // A year in, the government renews for 3 years.
    app.advance_days(365);
    let proposal = app
        .hrss()
        .post(
            &format!("/api/v1/advisors/{id}/renewal-proposals"),
            &json!({"years": 3, "agreement_ref": "续聘协议", "certificate_no": "EL-AHEAD-2"}),
        )
        .await;
    proposal.assert_status(201);
    let pid = created_id(&proposal);
    app.government()
        .post(
            &format!("/api/v1/renewal-proposals/{pid}/decision"),
            &json!({"approved": true, "reason": "表现优秀"}),
        )
        .await
        .assert_status(200);
    let a = advisor_view(&app, &id).await;
    assert_eq!(a["status"], "active");
    assert_eq!(
        a["term_starts_on"],
        first_start.as_str(),
        "the current term is kept"
    );
    assert_eq!(a["term_ends_on"], first_end.as_str());
    assert_eq!(a["term_years"], 2);
    let terms = a["terms"].as_array().unwrap();
    assert_eq!(terms.len(), 2);
    let next_start = chrono::NaiveDate::parse_from_str(&first_end, "%Y-%m-%d")
        .unwrap()
        .succ_opt()
        .unwrap()
        .to_string();
    assert_eq!(terms[1]["starts_on"], next_start.as_str(), "no gap");
    assert_eq!(terms[1]["certificate_no"], "EL-AHEAD-2");
    assert!(on_roster(&app, &id).await);
    let dept = app.department("transport");
    let body = json!({"kind": "consultation", "title": "咨询", "description": "d", "field": "logistics", "deadline": today(&app), "confidentiality": "internal"});
    let task = create_task(&dept, &body).await;
    assign(&app, &task, &id).await;
    // Past the first term's end the advisor is still in office, now in the second term.
    app.advance_days(400);
    let a = advisor_view(&app, &id).await;
    assert_eq!(a["status"], "active");
    assert_eq!(a["term_starts_on"], next_start.as_str());
    assert_eq!(a["term_years"], 3);
    assert_eq!(a["certificate_no"], "EL-AHEAD-2");
    assert!(on_roster(&app, &id).await);
    let task = create_task(&dept, &json!({"kind": "consultation", "title": "咨询二", "description": "d", "field": "logistics", "deadline": today(&app), "confidentiality": "internal"})).await;
    assign(&app, &task, &id).await;
    // And expired once the second term is over.
    app.advance_days(3 * 366);
    assert_eq!(advisor_view(&app, &id).await["status"], "expired");
    assert!(!on_roster(&app, &id).await);
}

/// Art. 12, 13: an advisor who has left office no longer acts as one, whatever their token
/// says; leaving releases their open assignments (HRSS can assign the task again) and
/// withdraws their invitations to meetings not yet held, each recorded in the trail.
#[tokio::test]
async fn art_12_13_an_advisor_out_of_office_no_longer_acts_and_leaves_their_work() {
    let app = spawn_app().await;
    let id = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let other = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    let dept = app.department("transport");
    let body = json!({"kind": "consultation", "title": "咨询", "description": "d", "field": "logistics", "deadline": today(&app), "confidentiality": "internal"});
    let task = create_task(&dept, &body).await;
    let assignment = assign(&app, &task, &id).await;
    let meeting = create_meeting(
        &app.government(),
        &json!({"title": "下月专题会", "agenda": "通道", "held_at": "2099-01-10T09:00:00+08:00", "invited_advisor_ids": [id, other]}),
    )
    .await;
    dismiss(&app, &id, "other", "违反保密规定").await;

    let opinion = json!({"channel": "email", "subject": "意见", "content": "建议"});
    app.advisor(&id)
        .post("/api/v1/opinions", &opinion)
        .await
        .assert_problem(409, "advisor_not_in_office");
    app.advisor("no-such-advisor")
        .post("/api/v1/opinions", &opinion)
        .await
        .assert_problem(403, "forbidden");
    let t = app
        .hrss()
        .get(&format!("/api/v1/tasks/{task}"))
        .await
        .json();
    assert_eq!(t["state"], "open", "{t}");
    assert!(
        audit_actions(&app, &assignment)
            .await
            .contains(&"assignment_released".to_owned())
    );
    assign(&app, &task, &other).await;
    let m = app
        .government()
        .get(&format!("/api/v1/meetings/{meeting}"))
        .await
        .json();
    let invitations = m["invitations"].as_array().unwrap();
    let withdrawn = invitations
        .iter()
        .find(|i| i["advisor_id"] == id.as_str())
        .unwrap();
    assert!(withdrawn["withdrawn_at"].is_string(), "{m}");
    let kept = invitations
        .iter()
        .find(|i| i["advisor_id"] == other.as_str())
        .unwrap();
    assert!(kept.get("withdrawn_at").is_none());
    assert!(
        audit_actions(&app, &meeting)
            .await
            .contains(&"invitation_withdrawn".to_owned())
    );
    // The remaining invitee's attendance completes the record; the withdrawn one is not asked.
    put_attendance(
        &app.government(),
        &meeting,
        json!([{"advisor_id": id, "attendance": "absent"}]),
    )
    .await
    .assert_problem(422, "validation_failed");
}

#[tokio::test]
async fn art_16_one_assessment_a_year_with_service_units_and_a_government_decision() {
    let app = spawn_app().await;
    let id = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let dept = app.department("transport");
    let task = create_task(&dept, &json!({"kind": "consultation", "title": "咨询", "description": "d", "field": "logistics", "deadline": today(&app), "confidentiality": "internal"})).await;
    let assignment = assign(&app, &task, &id).await;
    app.advisor(&id)
        .post("/api/v1/opinions", &json!({"channel": "email", "subject": "咨询意见", "content": "建议", "assignment_id": assignment}))
        .await
        .assert_status(201);
    let year = this_year(&app);
    let res = start_assessment(&app, &id, year).await;
    res.assert_status(201);
    let a = res.json();
    assert_eq!(a["facts"]["tasks_assigned"], 1);
    assert_eq!(a["facts"]["tasks_delivered"], 1);
    assert_eq!(a["facts"]["opinions_by_channel"]["email"], 1);
    assert_eq!(a["facts"]["service_units"], json!(["transport"]));
    start_assessment(&app, &id, year)
        .await
        .assert_problem(409, "assessment_exists");
    let aid = a["id"].as_str().unwrap().to_owned();
    app.department("justice")
        .post(
            &format!("/api/v1/assessments/{aid}/service-unit-opinions"),
            &json!({"opinion": "不了解"}),
        )
        .await
        .assert_problem(409, "not_a_service_unit");
    dept.post(
        &format!("/api/v1/assessments/{aid}/service-unit-opinions"),
        &json!({"opinion": "履职积极", "suggested_grade": "excellent"}),
    )
    .await
    .assert_status(200);
    // The advisor cannot read the draft.
    app.advisor(&id)
        .get(&format!("/api/v1/assessments/{aid}"))
        .await
        .assert_problem(404, "not_found");
    decide_assessment(&app.government(), &aid, "excellent", "x")
        .await
        .assert_problem(409, "invalid_transition");
    grade_preliminarily(&app, &aid, "excellent", "初评优秀")
        .await
        .assert_status(200);
    decide_assessment(&app.hrss(), &aid, "excellent", "x")
        .await
        .assert_problem(403, "forbidden");
    let decided = decide_assessment(&app.government(), &aid, "competent", "确定为称职").await;
    decided.assert_status(200);
    assert_eq!(
        decided.json()["subsidy_band"],
        json!({"min_fen": 1_500_000, "max_fen": 3_000_000})
    );
    let own = app
        .advisor(&id)
        .get(&format!("/api/v1/assessments/{aid}"))
        .await;
    own.assert_status(200);
    assert_eq!(own.json()["final_grade"], "competent");
}

/// Art. 16 (会同服务单位): HRSS grades preliminarily only once every service unit of the
/// year has spoken, or with an audited note that a unit did not respond.
#[tokio::test]
async fn art_16_the_preliminary_grade_waits_for_the_service_units() {
    let app = spawn_app().await;
    let id = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let dept = app.department("transport");
    let task = create_task(&dept, &json!({"kind": "consultation", "title": "咨询", "description": "d", "field": "logistics", "deadline": today(&app), "confidentiality": "internal"})).await;
    assign(&app, &task, &id).await;
    let aid = created_id(&start_assessment(&app, &id, this_year(&app)).await);
    let res = grade_preliminarily(&app, &aid, "competent", "初评").await;
    res.assert_problem(409, "service_unit_opinions_missing");
    assert!(res.json()["detail"].as_str().unwrap().contains("transport"));
    let path = format!("/api/v1/assessments/{aid}/preliminary");
    app.hrss()
        .post(
            &path,
            &json!({"grade": "competent", "comment": "初评", "non_responding_units": [{"org_id": "transport", "note": "11月1日书面征求意见，逾期未复"}]}),
        )
        .await
        .assert_status(200);
    let events = audit_events(&app, Some(&aid), None).await;
    let preliminary = events
        .iter()
        .find(|e| e["action"] == "assessment_preliminary")
        .unwrap();
    assert_eq!(
        preliminary["details"]["non_responding_units"][0]["org_id"],
        "transport"
    );
}

#[tokio::test]
async fn art_14_16_incompetent_gives_no_subsidy_band() {
    let app = spawn_app().await;
    let id = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let year = this_year(&app);
    let aid = created_id(&start_assessment(&app, &id, year).await);
    grade_preliminarily(&app, &aid, "incompetent", "全年未履职")
        .await
        .assert_status(200);
    let res = decide_assessment(&app.government(), &aid, "incompetent", "不称职").await;
    res.assert_status(200);
    assert!(res.json()["subsidy_band"].is_null());
    start_assessment(&app, &id, year + 1)
        .await
        .assert_problem(409, "invalid_assessment_year");
}

/// Art. 12.3, 16: a final `incompetent` grade is inactivity evidence: it appears in the
/// advisor's evidence and carries an `inactive` dismissal proposal.
#[tokio::test]
async fn art_12_3_16_an_incompetent_grade_is_evidence_of_inactivity() {
    let app = spawn_app().await;
    let id = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let proposal = json!({"ground": "inactive", "evidence": "考核不称职"});
    let path = format!("/api/v1/advisors/{id}/dismissal-proposals");
    app.hrss()
        .post(&path, &proposal)
        .await
        .assert_problem(409, "evidence_required");
    let aid = decided_assessment(&app, &id, "incompetent").await;
    let evidence = app
        .hrss()
        .get(&format!("/api/v1/advisors/{id}/inactivity"))
        .await
        .json();
    assert_eq!(evidence["incompetent_grades"], 1, "{evidence}");
    assert!(
        evidence["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "incompetent_grade" && i["object_id"] == aid.as_str())
    );
    let res = app.hrss().post(&path, &proposal).await;
    res.assert_status(201);
    assert_eq!(res.json()["inactivity_evidence"]["incompetent_grades"], 1);
}

/// DOMAIN.md §6: other systems pull the roster incrementally and cheaply; a dismissal shows.
#[tokio::test]
async fn the_roster_feed_marks_dismissals_and_answers_conditional_requests() {
    let app = spawn_app().await;
    let id = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let feed = app.integration().get("/api/v1/roster").await;
    feed.assert_status(200);
    assert_eq!(feed.json()["items"][0]["status"], "active");
    let etag = feed.header("etag").unwrap();
    let as_of = feed.json()["generated_at"].as_str().unwrap().to_owned();
    let unchanged = app
        .integration()
        .send(
            reqwest::Method::GET,
            "/api/v1/roster",
            None,
            &[("If-None-Match", etag.as_str())],
        )
        .await;
    assert_eq!(unchanged.status.as_u16(), 304);
    let since = format!("/api/v1/roster?updated_since={}", as_of.replace('+', "%2B"));
    assert!(
        app.integration().get(&since).await.json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    dismiss(&app, &id, "other", "不适宜继续担任").await;
    let changed = app.integration().get(&since).await.json();
    assert_eq!(changed["items"][0]["id"], id.as_str());
    assert_eq!(changed["items"][0]["status"], "dismissed");
    let stale = app
        .integration()
        .send(
            reqwest::Method::GET,
            "/api/v1/roster",
            None,
            &[("If-None-Match", etag.as_str())],
        )
        .await;
    stale.assert_status(200);
    let csv = app
        .integration()
        .send(
            reqwest::Method::GET,
            "/api/v1/roster",
            None,
            &[("Accept", "text/csv")],
        )
        .await;
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv.text.starts_with("\u{feff}顾问编号 (id),姓名 (name),"));
    assert!(csv.text.contains(",已解聘,dismissed,否,"));
    app.department("transport")
        .get("/api/v1/roster")
        .await
        .assert_problem(403, "forbidden");
}
