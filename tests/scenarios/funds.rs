//! Funds (Art. 14): budgets, expense claims, finance review and subsidies.
//! Black-box scenarios over HTTP: the yearly cap, no commitment without or beyond a budget,
//! the Finance Bureau's review of strictly controlled categories, transport at actual cost,
//! sub-budgets, the work subsidy after the final assessment, roles and the audit trail.

use guwen_tests::{
    AdvisorSpec, TestResponse, appointed_advisor, approve_expense, audit_actions, audit_events,
    budget, budget_path, created_id, decide_assessment, decided_assessment, dismiss, expense_body,
    expense_path, expense_state, finance_passes, grade_preliminarily, id_of, pay_expense,
    propose_subsidy, put_budget, set_budget, spawn_app, start_assessment, submit_expense,
    subsidy_body, this_year, today,
};
use serde_json::{Value, json};

/// One category's line of a budget view.
fn line<'a>(budget: &'a Value, category: &str) -> &'a Value {
    budget["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["category"] == category)
        .unwrap_or_else(|| panic!("no `{category}` line in {budget}"))
}

/// Asserts the overall figures of this year's budget.
#[track_caller]
fn assert_figures(b: &Value, total: i64, committed: i64, paid: i64) {
    assert_eq!(b["total_fen"], total, "total: {b}");
    assert_eq!(b["committed_fen"], committed, "committed: {b}");
    assert_eq!(b["paid_fen"], paid, "paid: {b}");
    assert_eq!(b["remaining_fen"], total - committed, "remaining: {b}");
}

/// Asserts a `budget_exceeded` refusal stating what remains.
#[track_caller]
fn assert_exceeded(res: &TestResponse, remaining_fen: i64) {
    res.assert_problem(409, "budget_exceeded");
    assert_eq!(
        res.json()["remaining_fen"],
        remaining_fen,
        "remaining_fen; body: {}",
        res.text
    );
}

/// Art. 14: a year's budget is at most 500,000 CNY, set by HRSS or Finance and read by the government and auditors.
#[tokio::test]
async fn art_14_a_years_budget_is_at_most_500000_cny() {
    let app = spawn_app().await;
    let path = budget_path(&app);
    put_budget(&app, &json!({"total_fen": 50_000_001}))
        .await
        .assert_problem(409, "annual_cap_exceeded");
    app.hrss().get(&path).await.assert_problem(404, "not_found");
    put_budget(&app, &json!({"total_fen": 0}))
        .await
        .assert_problem(422, "validation_failed");
    let created = put_budget(&app, &json!({"total_fen": 50_000_000, "note": "年度预算"})).await;
    created.assert_status(201);
    assert_eq!(created.header("location").as_deref(), Some(path.as_str()));
    assert_figures(&created.json(), 50_000_000, 0, 0);
    let replaced = app
        .finance()
        .put(
            &path,
            &json!({"total_fen": 50_000_000, "note": "财政局复核"}),
        )
        .await;
    replaced.assert_status(200);
    assert_eq!(replaced.json()["set_by"], "finance-user");
    app.government()
        .put(&path, &json!({"total_fen": 100}))
        .await
        .assert_problem(403, "forbidden");
    let b = budget(&app).await;
    assert_figures(&b, 50_000_000, 0, 0);
    assert_eq!(b["year"], this_year(&app));
    assert_eq!(b["note"], "财政局复核");
    let categories = b["categories"].as_array().unwrap();
    assert_eq!(categories.len(), 14, "{b}");
    let controlled: Vec<&str> = categories
        .iter()
        .filter(|l| l["strictly_controlled"] == true)
        .map(|l| l["category"].as_str().unwrap())
        .collect();
    assert_eq!(
        controlled,
        [
            "official_reception",
            "official_vehicle",
            "overseas_travel",
            "meeting",
            "training",
            "travel"
        ]
    );
    for l in categories {
        assert_eq!(l["committed_fen"], 0, "{l}");
        assert_eq!(l["paid_fen"], 0, "{l}");
        assert!(l["sub_budget_fen"].is_null(), "{l}");
    }
    for reader in [app.government(), app.auditor(), app.finance()] {
        let res = reader.get(&path).await;
        res.assert_status(200);
        assert_eq!(res.json()["total_fen"], 50_000_000);
    }
    let list = app.auditor().get("/api/v1/budgets").await;
    list.assert_status(200);
    let items = list.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["year"], this_year(&app));
    // Years page newest first.
    app.hrss()
        .put(
            &format!("/api/v1/budgets/{}", this_year(&app) - 1),
            &json!({"total_fen": 1_000}),
        )
        .await
        .assert_status(201);
    let first = app.auditor().get("/api/v1/budgets?limit=1").await.json();
    assert_eq!(first["items"][0]["year"], this_year(&app));
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = app
        .auditor()
        .get(&format!("/api/v1/budgets?limit=1&cursor={cursor}"))
        .await
        .json();
    assert_eq!(second["items"][0]["year"], this_year(&app) - 1);
    assert!(second["next_cursor"].is_null());
    // A refused change leaves the budget as it was.
    put_budget(&app, &json!({"total_fen": 60_000_000}))
        .await
        .assert_problem(409, "annual_cap_exceeded");
    assert_eq!(budget(&app).await["total_fen"], 50_000_000);
}

/// Art. 14: without a budget for its year an expense can be claimed but never approved.
#[tokio::test]
async fn art_14_nothing_is_committed_without_a_budget() {
    let app = spawn_app().await;
    let adv = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let e = submit_expense(&app, &adv, "meals", 12_000).await;
    assert_eq!(e["fiscal_year"], this_year(&app));
    assert_eq!(e["allowed_actions"], json!(["approve"]));
    let id = id_of(&e);
    assert_exceeded(&approve_expense(&app, &id).await, 0);
    assert_eq!(expense_state(&app, &id).await, "submitted");
    pay_expense(&app, &id)
        .await
        .assert_problem(409, "invalid_transition");
    app.hrss()
        .get(&budget_path(&app))
        .await
        .assert_problem(404, "not_found");
    // Once a budget exists the same claim is approved.
    set_budget(&app, 100_000).await;
    let res = approve_expense(&app, &id).await;
    res.assert_status(200);
    assert_eq!(res.json()["state"], "approved");
    assert_figures(&budget(&app).await, 100_000, 12_000, 0);
}

/// Art. 14: strictly controlled categories pass the Finance Bureau's review before HRSS approves them.
#[tokio::test]
async fn art_14_strictly_controlled_expenses_need_the_finance_review() {
    let app = spawn_app().await;
    let adv = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    set_budget(&app, 1_000_000).await;

    let meeting = submit_expense(&app, &adv, "meeting", 300_000).await;
    assert_eq!(meeting["strictly_controlled"], true);
    assert_eq!(meeting["allowed_actions"], json!(["finance_review"]));
    let mid = id_of(&meeting);
    approve_expense(&app, &mid)
        .await
        .assert_problem(409, "finance_review_required");
    assert_eq!(expense_state(&app, &mid).await, "submitted");
    app.hrss()
        .post(
            &expense_path(&mid, "finance-review"),
            &json!({"approved": true}),
        )
        .await
        .assert_problem(403, "forbidden");
    app.finance()
        .post(&expense_path(&mid, "approval"), &json!({"approved": true}))
        .await
        .assert_problem(403, "forbidden");
    finance_passes(&app, &mid).await;
    let reviewed = app
        .hrss()
        .get(&format!("/api/v1/expenses/{mid}"))
        .await
        .json();
    assert_eq!(reviewed["finance_reviewed_by"], "finance-user");
    assert_eq!(reviewed["finance_comment"], "符合规定");
    assert_eq!(reviewed["allowed_actions"], json!(["approve"]));
    assert_figures(&budget(&app).await, 1_000_000, 0, 0);
    app.finance()
        .post(
            &expense_path(&mid, "finance-review"),
            &json!({"approved": true}),
        )
        .await
        .assert_problem(409, "invalid_transition");
    let approved = approve_expense(&app, &mid).await;
    approved.assert_status(200);
    assert_eq!(approved.json()["state"], "approved");
    assert_eq!(approved.json()["decided_by"], "hrss-user");
    let b = budget(&app).await;
    assert_figures(&b, 1_000_000, 300_000, 0);
    assert_eq!(line(&b, "meeting")["committed_fen"], 300_000);

    // A category that is not strictly controlled is not reviewed by the Finance Bureau.
    let meals = submit_expense(&app, &adv, "meals", 20_000).await;
    assert_eq!(meals["strictly_controlled"], false);
    app.finance()
        .post(
            &expense_path(&id_of(&meals), "finance-review"),
            &json!({"approved": true}),
        )
        .await
        .assert_problem(409, "finance_review_not_required");

    // The Finance Bureau rejects only with a reason.
    let training = id_of(&submit_expense(&app, &adv, "training", 50_000).await);
    for body in [
        json!({"approved": false}),
        json!({"approved": false, "reason": "  "}),
    ] {
        app.finance()
            .post(&expense_path(&training, "finance-review"), &body)
            .await
            .assert_problem(422, "validation_failed");
    }
    assert_eq!(expense_state(&app, &training).await, "submitted");
    let rejected = app
        .finance()
        .post(
            &expense_path(&training, "finance-review"),
            &json!({"approved": false, "reason": "培训费超出标准"}),
        )
        .await;
    rejected.assert_status(200);
    assert_eq!(rejected.json()["state"], "rejected");
    assert_eq!(rejected.json()["allowed_actions"], json!([]));
    approve_expense(&app, &training)
        .await
        .assert_problem(409, "invalid_transition");
    // HRSS may reject a controlled claim still open, with a reason, without a review.
    let travel = id_of(&submit_expense(&app, &adv, "travel", 10_000).await);
    app.hrss()
        .post(
            &expense_path(&travel, "approval"),
            &json!({"approved": false}),
        )
        .await
        .assert_problem(422, "validation_failed");
    let res = app
        .hrss()
        .post(
            &expense_path(&travel, "approval"),
            &json!({"approved": false, "reason": "无出差审批单"}),
        )
        .await;
    res.assert_status(200);
    assert_eq!(res.json()["state"], "rejected");
    assert_eq!(res.json()["decision_reason"], "无出差审批单");
    assert_figures(&budget(&app).await, 1_000_000, 300_000, 0);
}

/// Art. 14: transport is reimbursed at the actual cost, against receipts that add up to the claim.
#[tokio::test]
async fn art_14_transport_is_reimbursed_at_actual_cost_against_receipts() {
    let app = spawn_app().await;
    let adv = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let today = today(&app);
    let claim = |receipts: Value, amount: i64| {
        json!({
            "advisor_id": adv, "category": "transport", "amount_fen": amount, "incurred_on": today,
            "description": "赴二连浩特口岸调研往返车票", "receipts": receipts
        })
    };
    let hrss = app.hrss();
    hrss.post("/api/v1/expenses", &claim(json!([]), 91_200))
        .await
        .assert_problem(409, "receipts_required");
    let mut no_receipts = claim(json!([]), 91_200);
    no_receipts.as_object_mut().unwrap().remove("receipts");
    hrss.post("/api/v1/expenses", &no_receipts)
        .await
        .assert_problem(409, "receipts_required");
    let receipts = json!([
        {"reference": "铁路电子客票 E123456789", "amount_fen": 45_600},
        {"reference": "铁路电子客票 E123456790", "amount_fen": 45_600}
    ]);
    for amount in [91_201, 91_199, 100_000] {
        hrss.post("/api/v1/expenses", &claim(receipts.clone(), amount))
            .await
            .assert_problem(409, "amount_not_actual");
    }
    let res = hrss
        .post("/api/v1/expenses", &claim(receipts.clone(), 91_200))
        .await;
    res.assert_status(201);
    let e = res.json();
    assert_eq!(e["amount_fen"], 91_200);
    assert_eq!(e["receipts"], receipts);
    assert_eq!(e["state"], "submitted");
    assert!(res.header("location").unwrap().ends_with(&id_of(&e)));
    // Receipts given for another category must add up too.
    let mut meals = expense_body(&app, Some(&adv), "meals", 5_000);
    meals["receipts"] = json!([{"reference": "餐饮发票 001", "amount_fen": 4_000}]);
    hrss.post("/api/v1/expenses", &meals)
        .await
        .assert_problem(409, "amount_not_actual");
    // The work subsidy is not an expense claim.
    let subsidy = expense_body(&app, Some(&adv), "work_subsidy", 1_000_000);
    hrss.post("/api/v1/expenses", &subsidy)
        .await
        .assert_problem(409, "use_subsidy_procedure");
    // A claim incurred in the future is not a claim.
    let mut future = claim(receipts, 91_200);
    future["incurred_on"] = json!(today + chrono::Days::new(1));
    hrss.post("/api/v1/expenses", &future)
        .await
        .assert_problem(422, "validation_failed");
    let listed = hrss
        .get(&format!("/api/v1/expenses?advisor_id={adv}"))
        .await
        .json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
}

/// Art. 14: approvals never exceed the budget, and payments move the paid figure once.
#[tokio::test]
async fn art_14_approvals_stop_at_the_budget_and_payments_are_recorded_once() {
    let app = spawn_app().await;
    let adv = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    set_budget(&app, 100_000).await;
    let first = id_of(&submit_expense(&app, &adv, "meals", 60_000).await);
    let second = id_of(&submit_expense(&app, &adv, "daily_work", 50_000).await);
    approve_expense(&app, &first).await.assert_status(200);
    assert_exceeded(&approve_expense(&app, &second).await, 40_000);
    assert_eq!(expense_state(&app, &second).await, "submitted");
    let b = budget(&app).await;
    assert_figures(&b, 100_000, 60_000, 0);
    assert_eq!(line(&b, "meals")["committed_fen"], 60_000);
    assert_eq!(line(&b, "daily_work")["committed_fen"], 0);

    pay_expense(&app, &second)
        .await
        .assert_problem(409, "invalid_transition");
    let paid = pay_expense(&app, &first).await;
    paid.assert_status(200);
    let paid = paid.json();
    assert_eq!(paid["state"], "paid");
    assert_eq!(paid["paid_by"], "hrss-user");
    assert!(
        paid["payment_ref"]
            .as_str()
            .unwrap()
            .starts_with("人社专户")
    );
    assert_eq!(paid["allowed_actions"], json!([]));
    let b = budget(&app).await;
    assert_figures(&b, 100_000, 60_000, 60_000);
    assert_eq!(line(&b, "meals")["committed_fen"], 60_000);
    assert_eq!(line(&b, "meals")["paid_fen"], 60_000);
    pay_expense(&app, &first)
        .await
        .assert_problem(409, "invalid_transition");
    approve_expense(&app, &first)
        .await
        .assert_problem(409, "invalid_transition");
    app.finance()
        .post(
            &expense_path(&first, "payment"),
            &json!({"payment_ref": "x"}),
        )
        .await
        .assert_problem(403, "forbidden");
    app.hrss()
        .post(
            &expense_path(&first, "payment"),
            &json!({"payment_ref": ""}),
        )
        .await
        .assert_status(422);
    assert_figures(&budget(&app).await, 100_000, 60_000, 60_000);

    // Exactly what remains still fits; then nothing does.
    let third = id_of(&submit_expense(&app, &adv, "research", 40_000).await);
    approve_expense(&app, &third).await.assert_status(200);
    assert_exceeded(&approve_expense(&app, &second).await, 0);
    let b = budget(&app).await;
    assert_figures(&b, 100_000, 100_000, 60_000);
    assert_eq!(line(&b, "research")["committed_fen"], 40_000);
    // Raising the total makes room again.
    set_budget(&app, 150_000).await;
    approve_expense(&app, &second).await.assert_status(200);
    assert_figures(&budget(&app).await, 150_000, 150_000, 60_000);
    app.hrss()
        .get("/api/v1/expenses/00000000-0000-0000-0000-000000000000")
        .await
        .assert_problem(404, "not_found");
}

/// Art. 14: sub-budgets exist only for strictly controlled categories, fit in the total and limit their category.
#[tokio::test]
async fn art_14_sub_budgets_limit_strictly_controlled_categories() {
    let app = spawn_app().await;
    let adv = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    put_budget(
        &app,
        &json!({"total_fen": 1_000_000, "sub_budgets": [{"category": "transport", "amount_fen": 100}]}),
    )
    .await
    .assert_problem(409, "not_strictly_controlled");
    put_budget(
        &app,
        &json!({"total_fen": 1_000_000, "sub_budgets": [
            {"category": "meeting", "amount_fen": 600_000},
            {"category": "travel", "amount_fen": 400_001}
        ]}),
    )
    .await
    .assert_problem(409, "sub_budgets_exceed_total");
    put_budget(
        &app,
        &json!({"total_fen": 1_000_000, "sub_budgets": [
            {"category": "travel", "amount_fen": 1},
            {"category": "travel", "amount_fen": 2}
        ]}),
    )
    .await
    .assert_problem(422, "validation_failed");
    app.hrss()
        .get(&budget_path(&app))
        .await
        .assert_problem(404, "not_found");
    let res = put_budget(
        &app,
        &json!({"total_fen": 1_000_000, "sub_budgets": [{"category": "travel", "amount_fen": 200_000}]}),
    )
    .await;
    res.assert_status(201);
    let b = res.json();
    assert_eq!(line(&b, "travel")["sub_budget_fen"], 200_000);
    assert_eq!(line(&b, "travel")["remaining_fen"], 200_000);
    assert!(line(&b, "meeting")["sub_budget_fen"].is_null());

    let trip = id_of(&submit_expense(&app, &adv, "travel", 150_000).await);
    finance_passes(&app, &trip).await;
    approve_expense(&app, &trip).await.assert_status(200);
    let second_trip = id_of(&submit_expense(&app, &adv, "travel", 100_000).await);
    finance_passes(&app, &second_trip).await;
    // The sub-budget refuses it although the total has room, and says what it has left.
    assert_exceeded(&approve_expense(&app, &second_trip).await, 50_000);
    assert_eq!(expense_state(&app, &second_trip).await, "finance_reviewed");
    // Other categories still fit in the total.
    let meals = id_of(&submit_expense(&app, &adv, "meals", 710_000).await);
    approve_expense(&app, &meals).await.assert_status(200);
    let meeting = id_of(&submit_expense(&app, &adv, "meeting", 100_000).await);
    finance_passes(&app, &meeting).await;
    approve_expense(&app, &meeting).await.assert_status(200);
    let b = budget(&app).await;
    assert_figures(&b, 1_000_000, 960_000, 0);
    assert_eq!(line(&b, "travel")["committed_fen"], 150_000);
    // What a category can still commit: the smaller of its sub-budget's rest and the total's.
    assert_eq!(line(&b, "travel")["remaining_fen"], 40_000);
    assert_eq!(line(&b, "meals")["committed_fen"], 710_000);
    assert_eq!(line(&b, "meals")["remaining_fen"], 40_000);
    // A claim within the sub-budget but beyond the total is refused by the total.
    let third_trip = id_of(&submit_expense(&app, &adv, "travel", 50_000).await);
    finance_passes(&app, &third_trip).await;
    assert_exceeded(&approve_expense(&app, &third_trip).await, 40_000);
    let small = id_of(&submit_expense(&app, &adv, "travel", 40_000).await);
    finance_passes(&app, &small).await;
    approve_expense(&app, &small).await.assert_status(200);
    let b = budget(&app).await;
    assert_figures(&b, 1_000_000, 1_000_000, 0);
    assert_eq!(line(&b, "travel")["committed_fen"], 190_000);
    assert_eq!(line(&b, "travel")["remaining_fen"], 0);

    // Never below what is committed: neither the total nor a sub-budget.
    put_budget(
        &app,
        &json!({"total_fen": 999_999, "sub_budgets": [{"category": "travel", "amount_fen": 200_000}]}),
    )
    .await
    .assert_problem(409, "budget_below_committed");
    put_budget(
        &app,
        &json!({"total_fen": 1_000_000, "sub_budgets": [{"category": "travel", "amount_fen": 189_999}]}),
    )
    .await
    .assert_problem(409, "budget_below_committed");
    put_budget(
        &app,
        &json!({"total_fen": 1_000_000, "sub_budgets": [
            {"category": "travel", "amount_fen": 200_000},
            {"category": "meeting", "amount_fen": 99_999}
        ]}),
    )
    .await
    .assert_problem(409, "budget_below_committed");
    let b = budget(&app).await;
    assert_figures(&b, 1_000_000, 1_000_000, 0);
    assert_eq!(line(&b, "travel")["sub_budget_fen"], 200_000);
    assert!(line(&b, "meeting")["sub_budget_fen"].is_null());
    // Lowering a sub-budget to exactly what is committed is allowed; then raising the total
    // and dropping the sub-budget leaves travel limited by the total only.
    let res = put_budget(
        &app,
        &json!({"total_fen": 1_000_000, "sub_budgets": [{"category": "travel", "amount_fen": 190_000}]}),
    )
    .await;
    res.assert_status(200);
    assert_figures(&res.json(), 1_000_000, 1_000_000, 0);
    assert_eq!(line(&res.json(), "travel")["remaining_fen"], 0);
    // Omitting `sub_budgets` keeps them; `[]` removes them.
    let res = put_budget(&app, &json!({"total_fen": 1_200_000})).await;
    res.assert_status(200);
    assert_eq!(line(&res.json(), "travel")["sub_budget_fen"], 190_000);
    let res = put_budget(&app, &json!({"total_fen": 1_200_000, "sub_budgets": []})).await;
    res.assert_status(200);
    assert!(line(&res.json(), "travel")["sub_budget_fen"].is_null());
    approve_expense(&app, &second_trip).await.assert_status(200);
    let b = budget(&app).await;
    assert_figures(&b, 1_200_000, 1_100_000, 0);
    assert_eq!(line(&b, "travel")["committed_fen"], 290_000);
    // A new sub-budget starts from what the category already has committed.
    put_budget(
        &app,
        &json!({"total_fen": 1_200_000, "sub_budgets": [{"category": "travel", "amount_fen": 289_999}]}),
    )
    .await
    .assert_problem(409, "budget_below_committed");
    let res = put_budget(
        &app,
        &json!({"total_fen": 1_200_000, "sub_budgets": [{"category": "travel", "amount_fen": 300_000}]}),
    )
    .await;
    res.assert_status(200);
    assert_eq!(line(&res.json(), "travel")["remaining_fen"], 10_000);
    assert_exceeded(&approve_expense(&app, &third_trip).await, 10_000);
}

/// Art. 14, 16: no subsidy before the year's assessment is decided by the government.
#[tokio::test]
async fn art_14_16_no_subsidy_before_the_final_assessment() {
    let app = spawn_app().await;
    let adv = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    set_budget(&app, 50_000_000).await;
    let body = subsidy_body(&app, &adv, 2_000_000);
    propose_subsidy(&app, &body)
        .await
        .assert_problem(409, "assessment_not_final");
    let aid = created_id(&start_assessment(&app, &adv, this_year(&app)).await);
    let res = propose_subsidy(&app, &body).await;
    res.assert_problem(409, "assessment_not_final");
    assert_eq!(res.json()["article"], "Art. 14");
    grade_preliminarily(&app, &aid, "competent", "初评称职")
        .await
        .assert_status(200);
    propose_subsidy(&app, &body)
        .await
        .assert_problem(409, "assessment_not_final");
    let list = app.hrss().get("/api/v1/subsidies").await;
    list.assert_status(200);
    assert!(list.json()["items"].as_array().unwrap().is_empty());
    assert_figures(&budget(&app).await, 50_000_000, 0, 0);
    decide_assessment(&app.government(), &aid, "competent", "确定为称职")
        .await
        .assert_status(200);
    let res = propose_subsidy(&app, &body).await;
    res.assert_status(201);
    let s = res.json();
    assert_eq!(s["state"], "approved");
    assert_eq!(s["grade"], "competent");
    assert_eq!(s["assessment_id"], aid.as_str());
    assert_eq!(
        s["band"],
        json!({"min_fen": 1_500_000, "max_fen": 3_000_000})
    );
    assert_eq!(s["fiscal_year"], this_year(&app));
    let b = budget(&app).await;
    assert_figures(&b, 50_000_000, 2_000_000, 0);
    assert_eq!(line(&b, "work_subsidy")["committed_fen"], 2_000_000);
}

/// Art. 14: above 50,000 CNY only for a recorded special contribution, which the government approves.
#[tokio::test]
async fn art_14_above_50000_cny_needs_a_special_contribution_and_the_governments_approval() {
    let app = spawn_app().await;
    let adv = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    decided_assessment(&app, &adv, "excellent").await;
    set_budget(&app, 50_000_000).await;
    let mut body = subsidy_body(&app, &adv, 5_000_100);
    propose_subsidy(&app, &body)
        .await
        .assert_problem(409, "special_contribution_required");
    body["special_contribution"] = json!("   ");
    propose_subsidy(&app, &body)
        .await
        .assert_problem(409, "special_contribution_required");
    body["special_contribution"] = json!("主持论证的二连浩特—扎门乌德跨境通道方案获国家批复");
    let res = propose_subsidy(&app, &body).await;
    res.assert_status(201);
    let s = res.json();
    assert_eq!(s["state"], "pending_decision");
    assert_eq!(s["amount_fen"], 5_000_100);
    assert_eq!(s["grade"], "excellent");
    assert_eq!(s["special_contribution"], body["special_contribution"]);
    let sid = id_of(&s);
    let b = budget(&app).await;
    assert_figures(&b, 50_000_000, 0, 0);
    assert_eq!(line(&b, "work_subsidy")["committed_fen"], 0);
    // Only an approved subsidy is paid.
    app.hrss()
        .post(
            &format!("/api/v1/subsidies/{sid}/payment"),
            &json!({"payment_ref": "x"}),
        )
        .await
        .assert_problem(409, "invalid_transition");
    let decision = format!("/api/v1/subsidies/{sid}/decision");
    app.hrss()
        .post(&decision, &json!({"approved": true, "reason": "同意"}))
        .await
        .assert_problem(403, "forbidden");
    app.government()
        .post(&decision, &json!({"approved": true, "reason": " "}))
        .await
        .assert_problem(422, "validation_failed");
    let res = app
        .government()
        .post(
            &decision,
            &json!({"approved": true, "reason": "经市政府常务会议研究同意", "decision_ref": "市政府常务会议纪要〔2026〕5号"}),
        )
        .await;
    res.assert_status(200);
    let s = res.json();
    assert_eq!(s["state"], "approved");
    assert_eq!(s["decided_by"], "government-user");
    assert!(
        s["decision_reason"]
            .as_str()
            .unwrap()
            .contains("经市政府常务会议研究同意")
    );
    let b = budget(&app).await;
    assert_figures(&b, 50_000_000, 5_000_100, 0);
    assert_eq!(line(&b, "work_subsidy")["committed_fen"], 5_000_100);
    app.government()
        .post(&decision, &json!({"approved": false, "reason": "撤回"}))
        .await
        .assert_problem(409, "invalid_transition");
    let paid = app
        .hrss()
        .post(
            &format!("/api/v1/subsidies/{sid}/payment"),
            &json!({"payment_ref": "人社专户 补贴-001"}),
        )
        .await;
    paid.assert_status(200);
    assert_eq!(paid.json()["state"], "paid");
    let b = budget(&app).await;
    assert_figures(&b, 50_000_000, 5_000_100, 5_000_100);
    assert_eq!(line(&b, "work_subsidy")["paid_fen"], 5_000_100);
    app.hrss()
        .post(
            &format!("/api/v1/subsidies/{sid}/payment"),
            &json!({"payment_ref": "人社专户 补贴-001"}),
        )
        .await
        .assert_problem(409, "invalid_transition");

    // Within the band, a subsidy is approved and committed at once, without the government.
    let other = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    decided_assessment(&app, &other, "excellent").await;
    let res = propose_subsidy(&app, &subsidy_body(&app, &other, 5_000_000)).await;
    res.assert_status(201);
    assert_eq!(res.json()["state"], "approved");
    assert!(res.json()["decided_by"].is_null());
    assert_figures(&budget(&app).await, 50_000_000, 10_000_100, 5_000_100);
}

/// Art. 14: one subsidy per advisor and year, within the band of the final grade; none for `incompetent`.
#[tokio::test]
async fn art_14_one_subsidy_per_advisor_and_year_within_the_grade_band() {
    let app = spawn_app().await;
    set_budget(&app, 50_000_000).await;
    let competent = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    decided_assessment(&app, &competent, "competent").await;
    for amount in [1_000_000, 1_499_999, 3_000_001, 3_500_000] {
        propose_subsidy(&app, &subsidy_body(&app, &competent, amount))
            .await
            .assert_problem(409, "subsidy_out_of_band");
    }
    // A special contribution lifts the ceiling, never the floor.
    let mut low = subsidy_body(&app, &competent, 1_000_000);
    low["special_contribution"] = json!("贡献");
    propose_subsidy(&app, &low)
        .await
        .assert_problem(409, "subsidy_out_of_band");
    let res = propose_subsidy(&app, &subsidy_body(&app, &competent, 1_500_000)).await;
    res.assert_status(201);
    assert_eq!(res.json()["state"], "approved");
    let res = propose_subsidy(&app, &subsidy_body(&app, &competent, 2_500_000)).await;
    res.assert_problem(409, "subsidy_exists");
    let mut special = subsidy_body(&app, &competent, 4_000_000);
    special["special_contribution"] = json!("重大贡献");
    propose_subsidy(&app, &special)
        .await
        .assert_problem(409, "subsidy_exists");
    assert_figures(&budget(&app).await, 50_000_000, 1_500_000, 0);

    let incompetent = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    decided_assessment(&app, &incompetent, "incompetent").await;
    for amount in [600_000, 500_000] {
        propose_subsidy(&app, &subsidy_body(&app, &incompetent, amount))
            .await
            .assert_problem(409, "no_subsidy_for_grade");
    }

    // A subsidy the government did not approve may be proposed again; a pending one blocks.
    let excellent = appointed_advisor(&app, AdvisorSpec::named("丙")).await;
    decided_assessment(&app, &excellent, "excellent").await;
    let mut above = subsidy_body(&app, &excellent, 6_000_000);
    above["special_contribution"] = json!("牵头完成口岸经济带规划");
    let pending = propose_subsidy(&app, &above).await;
    pending.assert_status(201);
    propose_subsidy(&app, &subsidy_body(&app, &excellent, 4_000_000))
        .await
        .assert_problem(409, "subsidy_exists");
    let sid = id_of(&pending.json());
    let res = app
        .government()
        .post(
            &format!("/api/v1/subsidies/{sid}/decision"),
            &json!({"approved": false, "reason": "贡献不足以提高标准"}),
        )
        .await;
    res.assert_status(200);
    assert_eq!(res.json()["state"], "rejected");
    let again = propose_subsidy(&app, &subsidy_body(&app, &excellent, 4_000_000)).await;
    again.assert_status(201);
    assert_eq!(again.json()["state"], "approved");
    propose_subsidy(&app, &subsidy_body(&app, &excellent, 3_000_000))
        .await
        .assert_problem(409, "subsidy_exists");
    let b = budget(&app).await;
    assert_figures(&b, 50_000_000, 5_500_000, 0);
    assert_eq!(line(&b, "work_subsidy")["committed_fen"], 5_500_000);
    let listed = app
        .government()
        .get(&format!("/api/v1/subsidies?advisor_id={excellent}"))
        .await
        .json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 2, "{listed}");
}

/// Art. 14: an advisor claims and sees only their own expenses; departments see no budgets.
#[tokio::test]
async fn art_14_advisors_claim_and_see_only_their_own_expenses() {
    let app = spawn_app().await;
    let a = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let b = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    set_budget(&app, 1_000_000).await;
    let body = |advisor: Option<&str>, amount: i64| expense_body(&app, advisor, "meals", amount);
    let me = app.advisor(&a);
    let res = me.post("/api/v1/expenses", &body(None, 3_000)).await;
    res.assert_status(201);
    let own = res.json();
    assert_eq!(own["advisor_id"], a.as_str());
    assert_eq!(own["submitted_by"], format!("advisor-{a}"));
    me.post("/api/v1/expenses", &body(Some(&a), 4_000))
        .await
        .assert_status(201);
    me.post("/api/v1/expenses", &body(Some(&b), 5_000))
        .await
        .assert_problem(403, "forbidden");
    app.hrss()
        .post("/api/v1/expenses", &body(None, 5_000))
        .await
        .assert_problem(422, "validation_failed");
    let theirs = id_of(&submit_expense(&app, &b, "meals", 6_000).await);
    app.department("transport")
        .post("/api/v1/expenses", &body(Some(&a), 1_000))
        .await
        .assert_problem(403, "forbidden");

    // An Idempotency-Key retry answers with the same claim and creates nothing new.
    let retry = body(None, 7_000);
    let first = me
        .post_idempotent("/api/v1/expenses", "claim-7000", &retry)
        .await;
    first.assert_status(201);
    let second = me
        .post_idempotent("/api/v1/expenses", "claim-7000", &retry)
        .await;
    second.assert_status(201);
    assert_eq!(id_of(&first.json()), id_of(&second.json()));

    let mine: Vec<Value> = me.get("/api/v1/expenses").await.json()["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(mine.len(), 3, "{mine:?}");
    assert!(mine.iter().all(|e| e["advisor_id"] == a.as_str()));
    assert!(
        me.get(&format!("/api/v1/expenses?advisor_id={b}"))
            .await
            .json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    me.get(&format!("/api/v1/expenses/{theirs}"))
        .await
        .assert_problem(404, "not_found");
    me.get(&format!("/api/v1/expenses/{}", id_of(&own)))
        .await
        .assert_status(200);
    let others: Vec<Value> = app.advisor(&b).get("/api/v1/expenses").await.json()["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(others.len(), 1);
    assert_eq!(others[0]["id"], theirs.as_str());
    assert_eq!(
        app.auditor().get("/api/v1/expenses").await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    // An advisor neither approves nor reads budgets; a department reads no budgets.
    me.post(
        &expense_path(&id_of(&own), "approval"),
        &json!({"approved": true}),
    )
    .await
    .assert_problem(403, "forbidden");
    for client in [app.department("transport"), me.clone()] {
        client
            .get(&budget_path(&app))
            .await
            .assert_problem(403, "forbidden");
        client
            .get("/api/v1/budgets")
            .await
            .assert_problem(403, "forbidden");
        client
            .put(&budget_path(&app), &json!({"total_fen": 1}))
            .await
            .assert_problem(403, "forbidden");
    }
    app.anonymous()
        .get(&budget_path(&app))
        .await
        .assert_status(401);
    assert_figures(&budget(&app).await, 1_000_000, 0, 0);
}

/// Art. 14: every money movement (budget, expense and subsidy steps) leaves an audit event.
#[tokio::test]
async fn art_14_every_money_movement_leaves_an_audit_event() {
    let app = spawn_app().await;
    let adv = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    set_budget(&app, 10_000_000).await;
    set_budget(&app, 20_000_000).await;
    let y = this_year(&app).to_string();
    assert_eq!(audit_actions(&app, &y).await, ["budget_set", "budget_set"]);
    let events = audit_events(&app, Some(&y), Some("budget_set")).await;
    let last = &events[1];
    assert_eq!(last["object_type"], "budget");
    assert_eq!(last["state_before"], "10000000");
    assert_eq!(last["state_after"], "20000000");
    assert_eq!(last["actor"]["sub"], "hrss-user");

    let meals = id_of(&submit_expense(&app, &adv, "meals", 30_000).await);
    approve_expense(&app, &meals).await.assert_status(200);
    pay_expense(&app, &meals).await.assert_status(200);
    assert_eq!(
        audit_actions(&app, &meals).await,
        ["expense_submitted", "expense_approved", "expense_paid"]
    );

    let meeting = id_of(&submit_expense(&app, &adv, "meeting", 40_000).await);
    finance_passes(&app, &meeting).await;
    approve_expense(&app, &meeting).await.assert_status(200);
    assert_eq!(
        audit_actions(&app, &meeting).await,
        [
            "expense_submitted",
            "expense_finance_reviewed",
            "expense_approved"
        ]
    );
    let rejected = id_of(&submit_expense(&app, &adv, "daily_work", 1_000).await);
    app.hrss()
        .post(
            &expense_path(&rejected, "approval"),
            &json!({"approved": false, "reason": "重复报销"}),
        )
        .await
        .assert_status(200);
    assert_eq!(
        audit_actions(&app, &rejected).await,
        ["expense_submitted", "expense_rejected"]
    );
    // A refused commitment leaves no event.
    let too_much = id_of(&submit_expense(&app, &adv, "research", 20_000_000).await);
    assert_exceeded(&approve_expense(&app, &too_much).await, 19_930_000);
    assert_eq!(audit_actions(&app, &too_much).await, ["expense_submitted"]);

    decided_assessment(&app, &adv, "excellent").await;
    let mut body = subsidy_body(&app, &adv, 5_500_000);
    body["special_contribution"] = json!("牵头完成口岸经济带规划");
    let sid = id_of(&propose_subsidy(&app, &body).await.json());
    app.government()
        .post(
            &format!("/api/v1/subsidies/{sid}/decision"),
            &json!({"approved": true, "reason": "同意"}),
        )
        .await
        .assert_status(200);
    app.hrss()
        .post(
            &format!("/api/v1/subsidies/{sid}/payment"),
            &json!({"payment_ref": "人社专户 补贴-002"}),
        )
        .await
        .assert_status(200);
    assert_eq!(
        audit_actions(&app, &sid).await,
        ["subsidy_proposed", "subsidy_approved", "subsidy_paid"]
    );
    let other = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    decided_assessment(&app, &other, "basically_competent").await;
    let res = propose_subsidy(&app, &subsidy_body(&app, &other, 800_000)).await;
    res.assert_status(201);
    assert_eq!(
        audit_actions(&app, &id_of(&res.json())).await,
        ["subsidy_approved"]
    );
    assert_figures(&budget(&app).await, 20_000_000, 6_370_000, 5_530_000);
}

/// Art. 14: only the advisor's work from the appointment on is paid for, and the Finance
/// Bureau finds the strictly controlled claims awaiting its review.
#[tokio::test]
async fn art_14_claims_start_at_the_appointment_and_finance_finds_its_queue() {
    let app = spawn_app().await;
    let adv = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let mut before = expense_body(&app, None, "meals", 8_000);
    before["incurred_on"] = json!(today(&app) - chrono::Days::new(1));
    app.advisor(&adv)
        .post("/api/v1/expenses", &before)
        .await
        .assert_problem(409, "incurred_outside_office");
    let meeting = id_of(&submit_expense(&app, &adv, "meeting", 30_000).await);
    let meals = id_of(&submit_expense(&app, &adv, "meals", 8_000).await);
    let queue = app
        .finance()
        .get("/api/v1/expenses?strictly_controlled=true&state=submitted")
        .await;
    queue.assert_status(200);
    let ids: Vec<String> = queue.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(id_of)
        .collect();
    assert_eq!(ids, std::slice::from_ref(&meeting));
    let others = app
        .finance()
        .get("/api/v1/expenses?strictly_controlled=false")
        .await
        .json();
    assert_eq!(others["items"][0]["id"], json!(meals));
    finance_passes(&app, &meeting).await;
    let queue = app
        .finance()
        .get("/api/v1/expenses?strictly_controlled=true&state=submitted")
        .await
        .json();
    assert!(queue["items"].as_array().unwrap().is_empty());
}

/// Art. 14 (实报实销): each receipt pays once; a rejected claim releases its receipts.
#[tokio::test]
async fn art_14_each_receipt_is_reimbursed_once() {
    let app = spawn_app().await;
    let adv = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let mut twice = expense_body(&app, Some(&adv), "transport", 2_000);
    twice["receipts"] = json!([
        {"reference": "E1", "amount_fen": 1_000},
        {"reference": "E1", "amount_fen": 1_000}
    ]);
    app.hrss()
        .post("/api/v1/expenses", &twice)
        .await
        .assert_problem(422, "validation_failed");
    let mut claim = expense_body(&app, Some(&adv), "transport", 1_000);
    claim["receipts"] = json!([{"reference": "E1", "amount_fen": 1_000}]);
    let first = app.hrss().post("/api/v1/expenses", &claim).await;
    first.assert_status(201);
    let again = app.hrss().post("/api/v1/expenses", &claim).await;
    again.assert_problem(409, "receipt_already_claimed");
    // Under another category, or for another advisor, the same ticket is still the same ticket.
    let other = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    claim["advisor_id"] = json!(other);
    claim["category"] = json!("travel");
    app.hrss()
        .post("/api/v1/expenses", &claim)
        .await
        .assert_problem(409, "receipt_already_claimed");
    app.hrss()
        .post(
            &expense_path(&id_of(&first.json()), "approval"),
            &json!({"approved": false, "reason": "车次与调研日期不符"}),
        )
        .await
        .assert_status(200);
    claim["advisor_id"] = json!(adv);
    claim["category"] = json!("transport");
    app.hrss()
        .post("/api/v1/expenses", &claim)
        .await
        .assert_status(201);
}

/// Art. 14 (成果激励与…考核挂钩): the outcome incentive and the work subsidy follow the
/// assessment and are never claimed as expenses; a special contribution lifts a subsidy above
/// its band up to 50,000 CNY without the government; Finance does not read subsidies, which
/// show the assessment grade (Art. 16).
#[tokio::test]
async fn art_14_incentives_follow_the_assessment() {
    let app = spawn_app().await;
    set_budget(&app, 50_000_000).await;
    let adv = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    for category in ["outcome_incentive", "work_subsidy"] {
        app.hrss()
            .post(
                "/api/v1/expenses",
                &expense_body(&app, Some(&adv), category, 20_000_000),
            )
            .await
            .assert_problem(409, "use_subsidy_procedure");
    }
    decided_assessment(&app, &adv, "competent").await;
    let mut raised = subsidy_body(&app, &adv, 4_000_000);
    raised["special_contribution"] = json!("主持口岸经济带规划并获自治区批复");
    let res = propose_subsidy(&app, &raised).await;
    res.assert_status(201);
    assert_eq!(res.json()["state"], "approved");
    assert_figures(&budget(&app).await, 50_000_000, 4_000_000, 0);
    app.finance()
        .get("/api/v1/subsidies")
        .await
        .assert_problem(403, "forbidden");
    app.advisor(&adv)
        .get(&format!("/api/v1/subsidies/{}", id_of(&res.json())))
        .await
        .assert_status(200);
}

/// Art. 12, 14: after the government approves a dismissal, the advisor's later expenses are
/// not advisor work.
#[tokio::test]
async fn art_14_no_claims_for_days_after_leaving_office() {
    let app = spawn_app().await;
    let adv = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    dismiss(&app, &adv, "conduct_unbecoming", "以顾问名义从事商业活动").await;
    // The day of the dismissal still counts; the days after do not.
    app.advisor(&adv)
        .post(
            "/api/v1/expenses",
            &expense_body(&app, None, "meals", 5_000),
        )
        .await
        .assert_status(201);
    app.advance_days(3);
    app.advisor(&adv)
        .post(
            "/api/v1/expenses",
            &expense_body(&app, None, "meals", 5_000),
        )
        .await
        .assert_problem(409, "incurred_outside_office");
}
