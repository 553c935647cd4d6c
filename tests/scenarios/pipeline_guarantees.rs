//! What the appointment pipeline guarantees beyond each single refusal (`pipeline_rules`):
//! a refused request changes nothing (the candidate as HRSS sees it, and the audit trail);
//! racing requests on one candidate, one list or one objection leave exactly one outcome;
//! age is judged on the day the term starts (Art. 5.5); the cap (Art. 4.1); the public sees
//! no personal data, not even the key names; objections outside the window or against the
//! wrong candidate; the actions offered in each state.

use chrono::{Datelike, Days, NaiveDate};
use futures_util::future::join;
use guwen_tests::{
    TestApp, TestResponse, advisor_count, allowed_actions, appoint, appointment, approved,
    approved_from, assert_chain_valid, audit_actions, audit_count_where, audit_total,
    background_check, birth_date, candidate, candidate_actions, check_background, created_id,
    file_objection, in_notice, lead, listed, nominate, nominate_by, nomination, notice_body,
    notice_passed, objections_of, pre_review, pre_reviewed, publish, publish_on, report,
    resolve_objection, self_nomination, spawn_app, spawn_app_with, state_of, today, withdraw,
};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Values of the `nomination`, `objection` and vetting fixtures that no public response may
/// contain (Art. 4.5, DOMAIN.md §6).
const PRIVATE_VALUES: &[&str] = &[
    "150102196001010011",
    "13800000000",
    "expert@example.org",
    "赛罕区",
    "大学西路",
    "二十年口岸经济研究",
    "博士",
    "高校教授二十年",
    "无不良记录",
    "无违法违纪记录",
    "公安局",
    // The objector's contact and words, kept for HRSS.
    "13900000000",
    "李异议",
    "利益冲突",
];

/// Key names that would carry personal or vetting data.
const PRIVATE_KEYS: &[&str] = &[
    "\"contact\"",
    "\"phone\"",
    "\"email\"",
    "\"id_number\"",
    "\"address\"",
    "\"birth_date\"",
    "\"experience_years\"",
    "\"achievements\"",
    "\"preliminary_review\"",
    "\"background_check\"",
    "\"decision\"",
    "\"closing_reason\"",
    "\"content\"",
    "\"certificate_no\"",
    "\"agreement_ref\"",
];

#[track_caller]
fn assert_no_personal_data(res: &TestResponse, born: NaiveDate) {
    for value in PRIVATE_VALUES {
        assert!(
            !res.text.contains(value),
            "public response contains `{value}`: {}",
            res.text
        );
    }
    for key in PRIVATE_KEYS {
        assert!(
            !res.text.contains(key),
            "public response has the key {key}: {}",
            res.text
        );
    }
    assert!(
        !res.text.contains(&born.to_string()),
        "public response contains the birth date {born}: {}",
        res.text
    );
}

/// The date `years` years before `date` (28 February for 29 February).
fn years_before(date: NaiveDate, years: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.year() - years, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(date.year() - years, 2, 28))
        .unwrap()
}

/// The candidate as HRSS sees it and the number of audit events: what a refusal must leave
/// as it was.
async fn snapshot(app: &TestApp, id: &str) -> (Value, usize) {
    (candidate(app, id).await, audit_total(app).await)
}

#[track_caller]
fn assert_unchanged(before: &(Value, usize), after: &(Value, usize)) {
    assert_eq!(before.0, after.0, "the candidate changed");
    assert_eq!(before.1, after.1, "an audit event was added");
}

fn sorted_statuses(a: &TestResponse, b: &TestResponse) -> Vec<u16> {
    let mut s = vec![a.status.as_u16(), b.status.as_u16()];
    s.sort_unstable();
    s
}

/// Exactly one of two racing requests won (`winner` status); the other is a 409 `code`.
#[track_caller]
fn assert_one_wins<'a>(
    a: &'a TestResponse,
    b: &'a TestResponse,
    winner: u16,
    code: &str,
) -> &'a TestResponse {
    assert_eq!(
        sorted_statuses(a, b),
        [winner, 409],
        "first: {} / second: {}",
        a.text,
        b.text
    );
    let (won, lost) = if a.status.as_u16() == 409 {
        (b, a)
    } else {
        (a, b)
    };
    lost.assert_problem(409, code);
    won
}

// ---------------------------------------------------------------------------------------------
// A refusal changes nothing
// ---------------------------------------------------------------------------------------------

/// Art. 4.1–4.2: refusals for the wrong state, role or scope leave the candidate and the
/// audit trail exactly as they were.
#[tokio::test]
async fn art_4_refusals_for_state_role_and_scope_change_nothing() {
    let app = spawn_app().await;
    let id = nominate(&app, &nomination(&app, "王建国", 55, 20)).await;
    let before = snapshot(&app, &id).await;
    check_background(&app.hrss(), &id)
        .await
        .assert_problem(409, "invalid_transition");
    check_background(&lead(&app), &id)
        .await
        .assert_problem(403, "forbidden");
    let stranger = app.department("transport");
    pre_review(&stranger, &id)
        .await
        .assert_problem(404, "not_found");
    withdraw(&stranger, &id)
        .await
        .assert_problem(404, "not_found");
    withdraw(&app.government(), &id)
        .await
        .assert_problem(403, "forbidden");
    app.finance()
        .post("/api/v1/candidates", &nomination(&app, "张伟", 50, 20))
        .await
        .assert_problem(403, "forbidden");
    assert_unchanged(&before, &snapshot(&app, &id).await);
}

/// Art. 3, 4.5, 5.5: refused appointments (day 6, age 70, term out of range) create no
/// advisor, no audit event and leave the candidate as it was.
#[tokio::test]
async fn art_4_6_refused_appointments_change_nothing() {
    let app = spawn_app().await;
    let (id, _) = in_notice(&app, 70, None).await;
    app.advance_days(5);
    let before = snapshot(&app, &id).await;
    appoint(&app, &id, 2, "EL-GW-2026-101")
        .await
        .assert_problem(409, "notice_window_open");
    assert_unchanged(&before, &snapshot(&app, &id).await);
    app.advance_days(2);
    let before = snapshot(&app, &id).await;
    assert_eq!(before.0["state"], "notice_passed");
    for years in [0, 4] {
        appoint(&app, &id, years, "EL-GW-2026-101")
            .await
            .assert_problem(409, "term_out_of_range");
    }
    appoint(&app, &id, 2, "EL-GW-2026-101")
        .await
        .assert_problem(409, "ineligible_age");
    assert_unchanged(&before, &snapshot(&app, &id).await);
    assert_eq!(advisor_count(&app).await, 0);
}

/// Art. 4.6: a refused duplicate certificate leaves the second candidate untouched: no
/// audit event, no advisor; another number then works.
#[tokio::test]
async fn art_4_6_a_duplicate_certificate_changes_nothing() {
    let app = spawn_app().await;
    let (first, _) = in_notice(&app, 55, None).await;
    let (second, _) = in_notice(&app, 50, None).await;
    app.advance_days(7);
    appoint(&app, &first, 2, "EL-GW-2026-001")
        .await
        .assert_status(201);
    let before = snapshot(&app, &second).await;
    appoint(&app, &second, 2, "el-gw-2026-001")
        .await
        .assert_problem(409, "duplicate_certificate_no");
    assert_unchanged(&before, &snapshot(&app, &second).await);
    assert_eq!(advisor_count(&app).await, 1);
    appoint(&app, &second, 2, "EL-GW-2026-002")
        .await
        .assert_status(201);
    assert_eq!(advisor_count(&app).await, 2);
    assert_chain_valid(&app).await;
}

/// Art. 4.4: a notice refused for the missing party-committee report leaves no notice and no
/// audit event behind.
#[tokio::test]
async fn art_4_4_a_refused_notice_leaves_no_notice_behind() {
    let app = spawn_app().await;
    let (id, _) = approved(&app, 55, None).await;
    let before = snapshot(&app, &id).await;
    app.hrss()
        .post("/api/v1/notices", &notice_body(&id, today(&app), 2))
        .await
        .assert_problem(409, "party_committee_report_missing");
    assert_unchanged(&before, &snapshot(&app, &id).await);
    let notices = app.anonymous().get("/api/v1/public/notices").await;
    notices.assert_status(200);
    assert_eq!(notices.json()["items"], json!([]));
}

// ---------------------------------------------------------------------------------------------
// Age on the day the term starts (Art. 5.5) and the cap (Art. 4.1)
// ---------------------------------------------------------------------------------------------

/// Art. 5.5: age is judged on the appointment date, not at nomination: a candidate who is 69
/// when nominated and turns 70 during the notice is refused on day 8.
#[tokio::test]
async fn art_5_5_a_candidate_who_turns_70_during_the_notice_is_refused() {
    let app = spawn_app().await;
    let seventieth = today(&app) + Days::new(3);
    let mut body = nomination(&app, "王建国", 60, 20);
    body["birth_date"] = json!(years_before(seventieth, 70));
    let (id, list) = approved_from(&app, &body, None).await;
    report(&app, &list).await;
    publish(&app, &id).await;
    app.advance_days(7);
    let res = appoint(&app, &id, 2, "EL-GW-2026-070").await;
    res.assert_problem(409, "ineligible_age");
    assert_eq!(res.json()["article"], "Art. 5.5");
    assert_eq!(state_of(&app, &id).await, "notice_passed");
}

/// Art. 5.5: a term that starts after the candidate's 70th birthday is refused; the same
/// candidate is appointed with a term starting before it.
#[tokio::test]
async fn art_5_5_a_term_starting_after_the_70th_birthday_is_refused() {
    let app = spawn_app().await;
    let seventieth = today(&app) + Days::new(20);
    let mut body = nomination(&app, "王建国", 60, 20);
    body["birth_date"] = json!(years_before(seventieth, 70));
    let (id, list) = approved_from(&app, &body, None).await;
    report(&app, &list).await;
    publish(&app, &id).await;
    app.advance_days(7);
    let mut late = appointment(&app, 2, "EL-GW-2026-071");
    late["starts_on"] = json!(seventieth);
    app.hrss()
        .post(&format!("/api/v1/candidates/{id}/appointment"), &late)
        .await
        .assert_problem(409, "ineligible_age");
    appoint(&app, &id, 2, "EL-GW-2026-071")
        .await
        .assert_status(201);
}

/// Art. 4.1 ("few but excellent", 少而精): with a cap of one active advisor the second
/// appointment is refused and the candidate stays `notice_passed`.
#[tokio::test]
async fn art_4_1_the_advisor_cap_refuses_an_appointment_beyond_it() {
    let app = spawn_app_with(|c| c.advisor_cap = 1).await;
    let (first, _) = in_notice(&app, 55, None).await;
    let (second, _) = in_notice(&app, 50, None).await;
    app.advance_days(7);
    appoint(&app, &first, 2, "EL-GW-2026-201")
        .await
        .assert_status(201);
    let before = snapshot(&app, &second).await;
    let res = appoint(&app, &second, 2, "EL-GW-2026-202").await;
    res.assert_problem(409, "advisor_cap_reached");
    assert_eq!(res.json()["article"], "Art. 4.1");
    assert_unchanged(&before, &snapshot(&app, &second).await);
    assert_eq!(advisor_count(&app).await, 1);
}

/// Art. 4.5–4.6: the term of an appointment cannot begin before the public notice has
/// closed: a start date inside the notice window is refused.
#[tokio::test]
async fn art_4_6_a_term_cannot_start_before_the_notice_closed() {
    let app = spawn_app().await;
    let notice_day_1 = today(&app);
    let (id, _) = notice_passed(&app, 55, None).await;
    let mut body = appointment(&app, 2, "EL-GW-2026-301");
    body["starts_on"] = json!(notice_day_1);
    let before = snapshot(&app, &id).await;
    let res = app
        .hrss()
        .post(&format!("/api/v1/candidates/{id}/appointment"), &body)
        .await;
    assert!(
        res.status.as_u16() == 409 || res.status.as_u16() == 422,
        "a term starting on day 1 of the notice was accepted: {}",
        res.text
    );
    if res.status.as_u16() == 422 {
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.json()["errors"][0]["field"], "starts_on");
    } else {
        res.assert_problem(409, "notice_window_open");
    }
    assert_unchanged(&before, &snapshot(&app, &id).await);
}

// ---------------------------------------------------------------------------------------------
// Racing requests: exactly one outcome (API.md)
// ---------------------------------------------------------------------------------------------

/// Art. 4.2: two background checks on one candidate at once, three times over: one is
/// recorded each time, and the chain stays valid.
#[tokio::test]
async fn art_4_2_racing_background_checks_record_one() {
    let app = spawn_app().await;
    for _ in 0..3 {
        let id = pre_reviewed(&app).await;
        let path = format!("/api/v1/candidates/{id}/background-check");
        let (one, two) = (app.hrss(), app.hrss());
        let body = background_check();
        let (a, b) = join(one.post(&path, &body), two.post(&path, &body)).await;
        assert_one_wins(&a, &b, 200, "invalid_transition");
        assert_eq!(state_of(&app, &id).await, "background_checked");
        assert_eq!(
            audit_actions(&app, &id).await,
            [
                "candidate_nominated",
                "candidate_pre_reviewed",
                "candidate_background_checked"
            ]
        );
    }
    assert_chain_valid(&app).await;
}

/// Art. 4: HRSS and the nominating department withdraw one candidate at once: one
/// withdrawal is recorded.
#[tokio::test]
async fn art_4_racing_withdrawals_record_one() {
    let app = spawn_app().await;
    for _ in 0..3 {
        let id = nominate(&app, &nomination(&app, "王建国", 55, 20)).await;
        let (hrss, dept) = (app.hrss(), lead(&app));
        let (a, b) = join(withdraw(&hrss, &id), withdraw(&dept, &id)).await;
        assert_one_wins(&a, &b, 200, "invalid_transition");
        assert_eq!(
            audit_actions(&app, &id).await,
            ["candidate_nominated", "candidate_withdrawn"]
        );
    }
    assert_chain_valid(&app).await;
}

/// Art. 4.6: two appointments of one candidate at once (two certificate numbers): one
/// advisor, one `candidate_appointed`.
#[tokio::test]
async fn art_4_6_racing_appointments_of_one_candidate_create_one_advisor() {
    let app = spawn_app().await;
    let (id, _) = notice_passed(&app, 55, None).await;
    let (a, b) = join(
        appoint(&app, &id, 2, "EL-GW-2026-031"),
        appoint(&app, &id, 2, "EL-GW-2026-032"),
    )
    .await;
    assert_one_wins(&a, &b, 201, "invalid_transition");
    assert_eq!(advisor_count(&app).await, 1);
    let appointed = audit_count_where(&app, Some(&id), "candidate_appointed").await;
    assert_eq!(appointed, 1);
    assert_chain_valid(&app).await;
}

/// Art. 4.6: two candidates appointed at once with one certificate number: one wins, the
/// other is `duplicate_certificate_no` and stays `notice_passed`.
#[tokio::test]
async fn art_4_6_racing_appointments_with_one_certificate_issue_it_once() {
    let app = spawn_app().await;
    let (first, _) = in_notice(&app, 55, None).await;
    let (second, _) = in_notice(&app, 50, None).await;
    app.advance_days(7);
    let (a, b) = join(
        appoint(&app, &first, 2, "EL-GW-2026-033"),
        appoint(&app, &second, 2, "EL-GW-2026-033"),
    )
    .await;
    assert_one_wins(&a, &b, 201, "duplicate_certificate_no");
    assert_eq!(advisor_count(&app).await, 1);
    let mut states = vec![state_of(&app, &first).await, state_of(&app, &second).await];
    states.sort();
    assert_eq!(states, ["appointed", "notice_passed"]);
    assert_chain_valid(&app).await;
}

/// Art. 4.6 and DOMAIN.md §1: a withdrawal and an appointment of one candidate at once:
/// exactly one happens, and an advisor exists only if the appointment won.
#[tokio::test]
async fn art_4_6_a_withdrawal_racing_an_appointment_leaves_one_outcome() {
    let app = spawn_app().await;
    let (id, _) = notice_passed(&app, 55, None).await;
    let hrss = app.hrss();
    let (w, a) = join(
        withdraw(&hrss, &id),
        appoint(&app, &id, 2, "EL-GW-2026-034"),
    )
    .await;
    let outcome = (w.status.as_u16(), a.status.as_u16());
    match outcome {
        (200, 409) => {
            a.assert_problem(409, "invalid_transition");
            assert_eq!(state_of(&app, &id).await, "withdrawn");
            assert_eq!(advisor_count(&app).await, 0);
        }
        (409, 201) => {
            w.assert_problem(409, "invalid_transition");
            assert_eq!(state_of(&app, &id).await, "appointed");
            assert_eq!(advisor_count(&app).await, 1);
        }
        other => panic!(
            "both or neither won: {other:?}; withdrawal {} / appointment {}",
            w.text, a.text
        ),
    }
    assert_chain_valid(&app).await;
}

/// Art. 4.4: two executive-meeting decisions on one list at once: one is recorded.
#[tokio::test]
async fn art_4_4_racing_decisions_on_one_list_record_one() {
    let app = spawn_app().await;
    let id = nominate(&app, &nomination(&app, "王建国", 55, 20)).await;
    let list_id = listed(&app, &id, &lead(&app)).await;
    let path = format!("/api/v1/recommendation-lists/{list_id}/decision");
    let approve = json!({"meeting_ref": "第12次常务会议", "meeting_date": today(&app), "decisions": [{"candidate_id": id, "approved": true}]});
    let refuse = json!({"meeting_ref": "第12次常务会议", "meeting_date": today(&app), "decisions": [{"candidate_id": id, "approved": false, "note": "人选过多"}]});
    let (one, two) = (app.government(), app.government());
    let (a, b) = join(one.post(&path, &approve), two.post(&path, &refuse)).await;
    let won = assert_one_wins(&a, &b, 200, "invalid_transition");
    let approved_won = won.json()["candidates"][0]["approved"] == true;
    let expected = if approved_won { "approved" } else { "rejected" };
    assert_eq!(state_of(&app, &id).await, expected);
    let decided = audit_count_where(&app, Some(&list_id), "recommendation_list_decided").await;
    assert_eq!(decided, 1);
    assert_chain_valid(&app).await;
}

/// Art. 4.5: one objection resolved twice at once (upheld and dismissed): one resolution
/// stands, the other is a 409, and the candidate's state follows the one that stands.
#[tokio::test]
async fn art_4_5_racing_resolutions_of_one_objection_record_one() {
    let app = spawn_app().await;
    let (id, notice) = in_notice(&app, 55, None).await;
    let objection_id = created_id(&file_objection(&app, &notice, &id).await);
    let (a, b) = join(
        resolve_objection(&app, &objection_id, "upheld"),
        resolve_objection(&app, &objection_id, "dismissed"),
    )
    .await;
    assert_eq!(
        sorted_statuses(&a, &b),
        [200, 409],
        "first: {} / second: {}",
        a.text,
        b.text
    );
    let (won, lost) = if a.status.as_u16() == 409 {
        (&b, &a)
    } else {
        (&a, &b)
    };
    // After an upheld objection the candidate is rejected, and the loser is told so
    // (`invalid_transition`); after a dismissal, that the objection is resolved.
    let code = lost.code();
    assert!(
        code == "objection_already_resolved" || code == "invalid_transition",
        "{}",
        lost.text
    );
    lost.assert_problem(409, &code);
    let expected = if won.json()["status"] == "upheld" {
        "rejected"
    } else {
        "in_notice"
    };
    assert_eq!(state_of(&app, &id).await, expected);
    assert_eq!(
        audit_actions(&app, &objection_id).await,
        ["objection_filed", "objection_resolved"]
    );
    assert_chain_valid(&app).await;
}

/// API.md idempotency: the same key sent twice at once, three times over: one candidate
/// each time, both callers get its response, exactly one of them marked as replayed.
#[tokio::test]
async fn art_4_1_the_same_key_sent_twice_at_once_creates_one_candidate_each_time() {
    let app = spawn_app().await;
    for round in 0..3 {
        let body = nomination(&app, "王建国", 55, 20);
        let key = format!("concurrent-{round}");
        let (one, two) = (lead(&app), lead(&app));
        let (a, b) = join(
            one.post_idempotent("/api/v1/candidates", &key, &body),
            two.post_idempotent("/api/v1/candidates", &key, &body),
        )
        .await;
        a.assert_status(201);
        b.assert_status(201);
        assert_eq!(a.json(), b.json());
        let replayed = [&a, &b]
            .iter()
            .filter(|r| r.header("idempotent-replayed").as_deref() == Some("true"))
            .count();
        assert_eq!(replayed, 1);
        let nominated = audit_count_where(&app, None, "candidate_nominated").await;
        assert_eq!(nominated, round + 1);
    }
    let all = app.hrss().get("/api/v1/candidates").await.json();
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
    assert_chain_valid(&app).await;
}

// ---------------------------------------------------------------------------------------------
// Objections (Art. 4.5)
// ---------------------------------------------------------------------------------------------

/// Art. 4.5: objections are accepted only while the window is open: not before a notice
/// scheduled for tomorrow has started, not after day 7; nothing is recorded for those.
#[tokio::test]
async fn art_4_5_objections_are_accepted_only_inside_the_window() {
    let app = spawn_app().await;
    let (id, list) = approved(&app, 55, None).await;
    report(&app, &list).await;
    let tomorrow = today(&app) + Days::new(1);
    let notice = publish_on(&app, &id, tomorrow).await;
    let public = app
        .anonymous()
        .get(&format!("/api/v1/public/notices/{notice}"))
        .await
        .json();
    assert_eq!(public["status"], "scheduled");
    let before = audit_total(&app).await;
    file_objection(&app, &notice, &id)
        .await
        .assert_problem(409, "notice_window_closed");
    app.advance_days(1);
    file_objection(&app, &notice, &id).await.assert_status(201);
    app.advance_days(7);
    file_objection(&app, &notice, &id)
        .await
        .assert_problem(409, "notice_window_closed");
    assert_eq!(objections_of(&app, &id, "open").await.len(), 1);
    assert_eq!(audit_total(&app).await, before + 1);
}

/// Art. 4.5: an objection names a candidate on that notice (422 otherwise), on a notice that
/// exists (404 otherwise), and not a withdrawn candidate (409).
#[tokio::test]
async fn art_4_5_an_objection_must_name_a_candidate_on_that_notice() {
    let app = spawn_app().await;
    let (first, notice) = in_notice(&app, 55, None).await;
    let (second, other_notice) = in_notice(&app, 50, None).await;
    let res = file_objection(&app, &notice, &second).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.json()["errors"][0]["field"], "candidate_id");
    file_objection(&app, "0190f3c4-0000-7000-8000-000000000000", &first)
        .await
        .assert_problem(404, "not_found");
    withdraw(&app.hrss(), &second).await.assert_status(200);
    file_objection(&app, &other_notice, &second)
        .await
        .assert_problem(409, "invalid_transition");
    assert!(objections_of(&app, &first, "open").await.is_empty());
    assert!(objections_of(&app, &second, "open").await.is_empty());
}

/// Art. 4.5: when one of two objections is upheld and the candidate rejected, the other
/// objection can still be closed by HRSS; none stays open for ever.
#[tokio::test]
async fn art_4_5_remaining_objections_of_a_rejected_candidate_can_be_closed() {
    let app = spawn_app().await;
    let (id, notice) = in_notice(&app, 55, None).await;
    let first = created_id(&file_objection(&app, &notice, &id).await);
    let second = created_id(&file_objection(&app, &notice, &id).await);
    resolve_objection(&app, &first, "upheld")
        .await
        .assert_status(200);
    assert_eq!(state_of(&app, &id).await, "rejected");
    let res = resolve_objection(&app, &second, "dismissed").await;
    if res.status.as_u16() != 200 {
        assert!(
            objections_of(&app, &id, "open").await.is_empty(),
            "objection {second} stays open and cannot be resolved: {}",
            res.text
        );
    }
}

// ---------------------------------------------------------------------------------------------
// What the public sees (Art. 4.5, 4.6; DOMAIN.md §6)
// ---------------------------------------------------------------------------------------------

/// Art. 4.5–4.6: no public response (notice list, one notice, roster, objection receipt,
/// self-nomination receipt) carries a personal value or even a private key name, whatever
/// is on record (objections, appointment).
#[tokio::test]
async fn art_4_5_public_responses_carry_no_private_value_or_key() {
    let app = spawn_app().await;
    let born = birth_date(&app, 55);
    let (id, notice) = in_notice(&app, 55, None).await;
    let receipt = file_objection(&app, &notice, &id).await;
    receipt.assert_status(201);
    assert_no_personal_data(&receipt, born);
    for path in [
        "/api/v1/public/notices".to_owned(),
        format!("/api/v1/public/notices/{notice}"),
    ] {
        let res = app.anonymous().get(&path).await;
        res.assert_status(200);
        assert_no_personal_data(&res, born);
    }
    resolve_objection(&app, &created_id(&receipt), "dismissed")
        .await
        .assert_status(200);
    app.advance_days(7);
    appoint(&app, &id, 2, "EL-GW-2026-040")
        .await
        .assert_status(201);
    let roster = app.anonymous().get("/api/v1/public/roster").await;
    roster.assert_status(200);
    assert_eq!(roster.json()["items"].as_array().unwrap().len(), 1);
    assert_no_personal_data(&roster, born);
    assert!(!roster.text.contains("EL-GW-2026-040"), "{}", roster.text);

    let receipt = app
        .anonymous()
        .post("/api/v1/public/self-nominations", &self_nomination(&app))
        .await;
    receipt.assert_status(201);
    assert_no_personal_data(&receipt, born);
}

/// Art. 4.1: a self-nomination needs a phone or an e-mail; blank ones count as missing, and
/// an e-mail alone is enough.
#[tokio::test]
async fn art_4_1_a_self_nomination_with_blank_phone_and_email_is_refused() {
    let app = spawn_app().await;
    let mut own = self_nomination(&app);
    own["contact"] = json!({"phone": "  ", "address": "呼和浩特市赛罕区"});
    let res = app
        .anonymous()
        .post("/api/v1/public/self-nominations", &own)
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.json()["errors"][0]["field"], "contact");
    own["contact"] = json!({"email": "expert@example.org"});
    app.anonymous()
        .post("/api/v1/public/self-nominations", &own)
        .await
        .assert_status(201);
    let all = app.hrss().get("/api/v1/candidates").await.json();
    assert_eq!(all["items"].as_array().unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Allowed actions in each state
// ---------------------------------------------------------------------------------------------

/// Art. 4.1: who may withdraw depends on who nominated: a self-nominated candidate offers the
/// lead department the review only (HRSS may withdraw); a candidate nominated by a department
/// that does not lead the field offers it the withdrawal only.
#[tokio::test]
async fn art_4_1_allowed_actions_follow_who_nominated() {
    let app = spawn_app().await;
    let res = app
        .anonymous()
        .post("/api/v1/public/self-nominations", &self_nomination(&app))
        .await;
    let own_id = created_id(&res);
    assert_eq!(
        candidate_actions(&lead(&app), &own_id).await,
        ["preliminary_review"]
    );
    assert_eq!(
        candidate_actions(&app.hrss(), &own_id).await,
        ["preliminary_review", "withdraw"]
    );
    withdraw(&lead(&app), &own_id)
        .await
        .assert_problem(403, "forbidden");

    let justice = app.department("justice");
    let id = nominate_by(&justice, &nomination(&app, "王建国", 55, 20)).await;
    assert_eq!(candidate_actions(&justice, &id).await, ["withdraw"]);
    assert_eq!(
        candidate_actions(&lead(&app), &id).await,
        ["preliminary_review"]
    );
}

/// Art. 4.5–4.6: in notice with an open objection HRSS may resolve it or withdraw; after the
/// window and the dismissal, appoint or withdraw; once appointed, nothing. The lead
/// department and the government are offered none of those.
#[tokio::test]
async fn art_4_6_allowed_actions_through_the_notice_and_the_appointment() {
    let app = spawn_app().await;
    let (id, notice) = in_notice(&app, 55, None).await;
    assert_eq!(candidate_actions(&app.hrss(), &id).await, ["withdraw"]);
    let filed = file_objection(&app, &notice, &id).await;
    filed.assert_status(201);
    let view = candidate(&app, &id).await;
    assert_eq!(allowed_actions(&view), ["resolve_objection", "withdraw"]);
    assert_eq!(view["allowed_actions"][0]["article"], "Art. 4.5");
    assert_eq!(
        view["allowed_actions"][0]["href"],
        format!("/api/v1/objections?candidate_id={id}&status=open")
    );
    assert_eq!(
        candidate_actions(&app.government(), &id).await,
        Vec::<String>::new()
    );
    resolve_objection(&app, filed.json()["id"].as_str().unwrap(), "dismissed")
        .await
        .assert_status(200);
    app.advance_days(7);
    let view = candidate(&app, &id).await;
    assert_eq!(view["state"], "notice_passed");
    assert_eq!(allowed_actions(&view), ["appoint", "withdraw"]);
    assert_eq!(
        view["allowed_actions"][0]["href"],
        format!("/api/v1/candidates/{id}/appointment")
    );
    assert_eq!(candidate_actions(&lead(&app), &id).await, ["withdraw"]);
    assert_eq!(
        candidate_actions(&app.government(), &id).await,
        Vec::<String>::new()
    );
    appoint(&app, &id, 2, "EL-GW-2026-050")
        .await
        .assert_status(201);
    assert_eq!(
        candidate_actions(&app.hrss(), &id).await,
        Vec::<String>::new()
    );
    assert_eq!(
        candidate(&app, &id).await["advisor_id"]
            .as_str()
            .map(str::len),
        Some(36)
    );
}
