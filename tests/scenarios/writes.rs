//! Writes under load: the writers queued while one transaction is open commit with it (group
//! commit), each in its own savepoint.

use futures_util::future::join_all;
use guwen_tests::{assert_chain_valid, audit_count_where, spawn_app, task_body};

/// Writers that arrive together share one commit: each successful one is written with its
/// audit event, and one that fails half-way (an unknown field is found inside the
/// transaction) leaves nothing, neither its own change nor a gap in the others'.
#[tokio::test]
async fn writes_queued_together_commit_together_and_a_failed_one_leaves_nothing() {
    let app = spawn_app().await;
    let government = app.government();
    let refused = government
        .post(
            "/api/v1/tasks",
            &task_body(&app, "no_such_field", "internal", 10),
        )
        .await;
    let refused_status = refused.status.as_u16();
    let refused_code = refused.code();
    assert!((400..500).contains(&refused_status), "{refused_status}");
    for round in 0..3 {
        let bodies: Vec<_> = (0..24)
            .map(|i| {
                let field = if i % 3 == 2 {
                    "no_such_field"
                } else {
                    "logistics"
                };
                task_body(&app, field, "internal", 10)
            })
            .collect();
        let answers = join_all(
            bodies
                .iter()
                .map(|body| government.post("/api/v1/tasks", body)),
        )
        .await;
        let mut created = Vec::new();
        for (i, answer) in answers.iter().enumerate() {
            if i % 3 == 2 {
                answer.assert_problem(refused_status, &refused_code);
            } else {
                answer.assert_status(201);
                created.push(answer.json()["id"].as_str().unwrap().to_owned());
            }
        }
        assert_eq!(created.len(), 16);
        for id in &created {
            government
                .get(&format!("/api/v1/tasks/{id}"))
                .await
                .assert_status(200);
            assert_eq!(audit_count_where(&app, Some(id), "task_created").await, 1);
        }
        let all = app.hrss().get("/api/v1/tasks?limit=200").await.json();
        assert_eq!(all["items"].as_array().unwrap().len(), 16 * (round + 1));
        assert_eq!(
            audit_count_where(&app, None, "task_created").await,
            16 * (round + 1)
        );
    }
    assert_chain_valid(&app).await;
}
