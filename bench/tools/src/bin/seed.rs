//! Seeds a Guwen database with advisors in office for the read benchmark, through the store
//! (the same inserts and audit events the pipeline writes, never raw SQL that could drift
//! from the schema): each advisor is nominated and appointed for two years from today, one
//! transaction per 500.
//!
//!   DATABASE_URL=postgres://… GUWEN_AUDIT_KEY=<64 hex> guwen-seed 20000
//!
//! Prints the id of the first advisor seeded.

use chrono::{Days, Utc};
use guwen_domain::{
    appointment::Term,
    audit::AuditAction,
    nomination::{CandidateState, NominationChannel},
    time::cst_date,
};
use guwen_persistence::{
    audit::{Actor, AuditSigner, Context, begin_write},
    store::{
        Event, new_id,
        pipeline::{NewAdvisor, NewCandidate, appoint, candidate, insert_candidate},
    },
};

const BATCH: usize = 500;

fn fail(what: &str, e: impl std::fmt::Display) -> ! {
    eprintln!("guwen-seed: {what}: {e}");
    std::process::exit(1);
}

#[tokio::main]
async fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| fail("usage", "guwen-seed COUNT"));
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|e| fail("DATABASE_URL", e));
    let mut seed = [0u8; 32];
    let key = std::env::var("GUWEN_AUDIT_KEY").unwrap_or_else(|e| fail("GUWEN_AUDIT_KEY", e));
    hex::decode_to_slice(key.trim(), &mut seed).unwrap_or_else(|e| fail("GUWEN_AUDIT_KEY", e));
    let db = guwen_persistence::connect(&url, None)
        .await
        .unwrap_or_else(|e| fail("connect", e));
    guwen_persistence::migrate(&db)
        .await
        .unwrap_or_else(|e| fail("migrate", e));
    let now = Utc::now();
    let today = cst_date(now);
    let ctx = Context {
        actor: Actor {
            sub: "bench-seed".into(),
            roles: vec!["hrss".into()],
            org_id: None,
        },
        request_id: None,
        now,
        signer: Some(AuditSigner::from_seed(&seed)),
    };
    let term = Term::new(today, 2).unwrap_or_else(|e| fail("term", e.message));
    let mut first = None;
    for start in (0..count).step_by(BATCH) {
        let tx = begin_write(&db).await.unwrap_or_else(|e| fail("begin", e));
        for i in start..(start + BATCH).min(count) {
            let candidate_id = new_id();
            let nominated = NewCandidate {
                id: candidate_id.clone(),
                channel: NominationChannel::DepartmentRecommendation,
                field_code: "logistics".into(),
                lead_org_id: "transport".into(),
                nominating_org_id: Some("transport".into()),
                name: format!("顾问{i:05}"),
                employer: "某大学".into(),
                title: "教授".into(),
                birth_date: today - Days::new(50 * 365),
                experience_years: 20,
                id_number: None,
                phone: None,
                email: None,
                address: None,
                achievements: "长期从事物流研究".into(),
                referrer: None,
            };
            let event = Event::new(AuditAction::CandidateNominated, "candidate", &candidate_id)
                .after(CandidateState::Nominated);
            insert_candidate(&tx, &ctx, nominated, event)
                .await
                .unwrap_or_else(|e| fail("nominate", format!("{e:?}")));
            let c = candidate(&tx, &candidate_id)
                .await
                .ok()
                .flatten()
                .unwrap_or_else(|| fail("nominate", "the candidate vanished"));
            let advisor_id = new_id();
            let event = Event::new(AuditAction::CandidateAppointed, "candidate", &candidate_id)
                .before(CandidateState::Nominated)
                .details(serde_json::json!({ "advisor_id": advisor_id }));
            let advisor = NewAdvisor {
                id: advisor_id.clone(),
                certificate_no: format!("BENCH-{i:06}"),
                agreement_ref: format!("BENCH-A-{i:06}"),
                term,
            };
            appoint(&tx, &ctx, &c, CandidateState::Nominated, advisor, event)
                .await
                .unwrap_or_else(|e| fail("appoint", format!("{e:?}")));
            first.get_or_insert(advisor_id);
        }
        tx.commit().await.unwrap_or_else(|e| fail("commit", e));
    }
    println!("{}", first.unwrap_or_default());
}
