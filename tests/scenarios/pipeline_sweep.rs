//! Art. 4, 5.5: `allowed_actions` never offers what the same caller would be refused for a rule
//! already knowable, and everything it leaves out is refused. A sweep over every state of the
//! appointment procedure and every role that acts in it.

use guwen_tests::{
    Client, LEAD_ORG, TestApp, TestResponse, allowed_actions, approved, background_check,
    candidate, check_background, file_objection, in_notice, lead, listed, nominate, nomination,
    notice_body, objections_of, passing_review, pre_review, report, resolve_objection, spawn_app,
    today, withdraw, withdrawal,
};
use serde_json::{Value, json};

/// Every action on one candidate the sweep can take by its endpoint.
const ACTIONS: [&str; 11] = [
    "preliminary_review",
    "background_check",
    "submit",
    "decide",
    "report_to_party_committee",
    "publish_notice",
    "resolve_objection",
    "appoint",
    "withdraw",
    "request_age_exception",
    "decide_age_exception",
];

/// The states the sweep builds, each from a fresh candidate.
#[derive(Debug, Clone, Copy)]
enum Setup {
    Nominated,
    PreReviewed,
    BackgroundChecked,
    Submitted,
    ApprovedUnreported,
    ApprovedReported,
    InNotice,
    InNoticeWithObjection,
    InNoticeOverAge,
    InNoticeOverAgeRequested,
    NoticePassed,
    NoticePassedOverAge,
    Appointed,
    Rejected,
    Withdrawn,
}

const SETUPS: [Setup; 15] = [
    Setup::Nominated,
    Setup::PreReviewed,
    Setup::BackgroundChecked,
    Setup::Submitted,
    Setup::ApprovedUnreported,
    Setup::ApprovedReported,
    Setup::InNotice,
    Setup::InNoticeWithObjection,
    Setup::InNoticeOverAge,
    Setup::InNoticeOverAgeRequested,
    Setup::NoticePassed,
    Setup::NoticePassedOverAge,
    Setup::Appointed,
    Setup::Rejected,
    Setup::Withdrawn,
];

/// A fresh candidate in the state of `setup`; `n` makes certificate numbers unique.
async fn build(app: &TestApp, setup: Setup, n: &mut u32) -> String {
    *n += 1;
    let fresh = || nomination(app, "王建国", 50, 20);
    match setup {
        Setup::Nominated => nominate(app, &fresh()).await,
        Setup::PreReviewed => {
            let id = nominate(app, &fresh()).await;
            pre_review(&lead(app), &id).await.assert_status(200);
            id
        }
        Setup::BackgroundChecked => {
            let id = nominate(app, &fresh()).await;
            pre_review(&lead(app), &id).await.assert_status(200);
            check_background(&app.hrss(), &id).await.assert_status(200);
            id
        }
        Setup::Submitted => {
            let id = nominate(app, &fresh()).await;
            listed(app, &id, &lead(app)).await;
            id
        }
        Setup::ApprovedUnreported => approved(app, 50, None).await.0,
        Setup::ApprovedReported => {
            let (id, list) = approved(app, 50, None).await;
            report(app, &list).await;
            id
        }
        Setup::InNotice => in_notice(app, 50, None).await.0,
        Setup::InNoticeWithObjection => {
            let (id, notice) = in_notice(app, 50, None).await;
            file_objection(app, &notice, &id).await.assert_status(201);
            id
        }
        Setup::InNoticeOverAge => in_notice(app, 70, None).await.0,
        Setup::InNoticeOverAgeRequested => {
            let (id, _) = in_notice(app, 71, None).await;
            app.hrss()
                .post(
                    &format!("/api/v1/candidates/{id}/age-exception-request"),
                    &json!({"reason": "特殊人才"}),
                )
                .await
                .assert_status(200);
            id
        }
        Setup::NoticePassed | Setup::NoticePassedOverAge | Setup::Appointed => {
            let age = if matches!(setup, Setup::NoticePassedOverAge) {
                70
            } else {
                50
            };
            let (id, _) = in_notice(app, age, None).await;
            app.advance_days(7);
            if matches!(setup, Setup::Appointed) {
                appoint_as(app, &app.hrss(), &id, *n)
                    .await
                    .assert_status(201);
            }
            id
        }
        Setup::Rejected => {
            let (id, notice) = in_notice(app, 50, None).await;
            file_objection(app, &notice, &id).await.assert_status(201);
            let o = objections_of(app, &id, "open").await;
            resolve_objection(app, o[0]["id"].as_str().unwrap(), "upheld")
                .await
                .assert_status(200);
            id
        }
        Setup::Withdrawn => {
            let id = nominate(app, &fresh()).await;
            withdraw(&app.hrss(), &id).await.assert_status(200);
            id
        }
    }
}

async fn appoint_as(app: &TestApp, client: &Client, id: &str, n: u32) -> TestResponse {
    client
        .post(
            &format!("/api/v1/candidates/{id}/appointment"),
            &guwen_tests::appointment(app, 2, &format!("EL-SWEEP-{n:04}")),
        )
        .await
}

/// `client` takes `action` on candidate `id` with a valid body; `None` when the action has
/// nothing to act on (no open objection to resolve).
async fn perform(
    app: &TestApp,
    client: &Client,
    action: &str,
    id: &str,
    n: u32,
) -> Option<TestResponse> {
    let c = candidate(app, id).await;
    let list = c["recommendation_list_id"]
        .as_str()
        .unwrap_or("none")
        .to_owned();
    let post = |path: String, body: Value| async move { client.post(&path, &body).await };
    Some(match action {
        "preliminary_review" => {
            post(
                format!("/api/v1/candidates/{id}/preliminary-review"),
                passing_review(),
            )
            .await
        }
        "background_check" => {
            post(
                format!("/api/v1/candidates/{id}/background-check"),
                background_check(),
            )
            .await
        }
        "submit" => {
            post(
                "/api/v1/recommendation-lists".into(),
                json!({"title": "扫描批次", "candidate_ids": [id]}),
            )
            .await
        }
        "decide" => {
            post(
                format!("/api/v1/recommendation-lists/{list}/decision"),
                json!({"meeting_ref": "第20次常务会议", "meeting_date": today(app),
                       "decisions": [{"candidate_id": id, "approved": true}]}),
            )
            .await
        }
        "report_to_party_committee" => {
            post(
                format!("/api/v1/recommendation-lists/{list}/party-committee-report"),
                json!({"reported_on": today(app), "reference": "二政报〔2026〕9号"}),
            )
            .await
        }
        "publish_notice" => post("/api/v1/notices".into(), notice_body(id, today(app), 2)).await,
        "resolve_objection" => {
            let open = objections_of(app, id, "open").await;
            let o = open.first()?["id"].as_str()?.to_owned();
            post(
                format!("/api/v1/objections/{o}/resolution"),
                json!({"resolution": "dismissed", "reason": "经核查不属实"}),
            )
            .await
        }
        "appoint" => appoint_as(app, client, id, n).await,
        "withdraw" => post(format!("/api/v1/candidates/{id}/withdrawal"), withdrawal()).await,
        "request_age_exception" => {
            post(
                format!("/api/v1/candidates/{id}/age-exception-request"),
                json!({"reason": "国家级领军人才"}),
            )
            .await
        }
        "decide_age_exception" => {
            post(
                format!("/api/v1/candidates/{id}/age-exception-decision"),
                json!({"approved": true, "decision_ref": "第20次常务会议"}),
            )
            .await
        }
        other => panic!("unknown action {other}"),
    })
}

/// Art. 4, 5.5: for every state and every role, each action not offered is refused, and each
/// offered one succeeds with a valid request (on a fresh candidate in the same state).
#[tokio::test]
async fn art_4_5_5_allowed_actions_offer_exactly_what_is_not_refused() {
    let app = spawn_app().await;
    let roles: [(&str, Client); 4] = [
        ("hrss", app.hrss()),
        ("government", app.government()),
        ("department", app.department(LEAD_ORG)),
        ("auditor", app.auditor()),
    ];
    let mut n = 0;
    let mut offered_somewhere = std::collections::BTreeSet::new();
    for setup in SETUPS {
        let id = build(&app, setup, &mut n).await;
        let mut to_take = Vec::new();
        for (role, client) in &roles {
            let view = client.get(&format!("/api/v1/candidates/{id}")).await;
            view.assert_status(200);
            let offered = allowed_actions(&view.json());
            for action in ACTIONS {
                if offered.iter().any(|a| a == action) {
                    to_take.push((*role, client.clone(), action));
                    offered_somewhere.insert(action);
                    continue;
                }
                n += 1;
                if let Some(res) = perform(&app, client, action, &id, n).await {
                    assert!(
                        (400..500).contains(&res.status.as_u16()),
                        "{setup:?}: `{action}` is not offered to {role} but answered {} {}",
                        res.status,
                        res.text
                    );
                }
            }
        }
        // Each offered action, on a fresh candidate in the same state (the first on this one).
        let mut fresh = Some(id);
        for (role, client, action) in to_take {
            let id = match fresh.take() {
                Some(id) => id,
                None => build(&app, setup, &mut n).await,
            };
            n += 1;
            let res = perform(&app, &client, action, &id, n)
                .await
                .unwrap_or_else(|| panic!("{setup:?}: `{action}` offered with nothing to act on"));
            assert!(
                res.status.is_success(),
                "{setup:?}: `{action}` is offered to {role} but answered {} {}",
                res.status,
                res.text
            );
        }
    }
    // The sweep reached every action at least once.
    assert_eq!(
        offered_somewhere.len(),
        ACTIONS.len(),
        "{offered_somewhere:?}"
    );
}
