//! Other systems and front-ends (DOMAIN.md §6): the roster as of any day, paged, cheap to
//! revalidate, as CSV for Excel and as XLSX; `GET /me` for a dashboard; CORS for browser pages.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::{Days, Duration, NaiveDate};
use guwen_tests::{
    AdvisorSpec, LEAD_ORG, XLSX, advisor_view, appointed_advisor, assign, awaiting, awaiting_keys,
    create_meeting, create_task, dismiss, me, nominate, nomination, on_roster, pre_reviewed,
    preflight, renew, roster, roster_on, spawn_app, spawn_app_with, task_body, today,
};
use serde_json::json;

/// `(status, in_office, term_number)` of advisor `id` in a roster.
fn row(rows: &[(String, String, bool, i64)], id: &str) -> (String, bool, i64) {
    let r = rows
        .iter()
        .find(|r| r.0 == id)
        .unwrap_or_else(|| panic!("{id} not in {rows:?}"));
    (r.1.clone(), r.2, r.3)
}

fn standing(status: &str, in_office: bool, term: i64) -> (String, bool, i64) {
    (status.to_owned(), in_office, term)
}

#[tokio::test]
async fn art_3_12_the_roster_as_of_a_past_day_has_the_term_then_in_force_and_who_had_left() {
    let app = spawn_app().await;
    let appointed_on = today(&app);
    let a = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let b = appointed_advisor(&app, AdvisorSpec::named("乙")).await;
    app.advance_days(100);
    let dismissed_on = today(&app);
    dismiss(&app, &b, "other", "不适宜继续担任").await;
    // Two years on, A's first term has ended; the renewal starts a second term that day.
    app.advance_days(2 * 366 - 100);
    let renewed_on = today(&app);
    renew(&app, &a, 1, "EL-R-A").await;
    app.advance_days(1);

    assert!(
        roster_on(&app, appointed_on - Days::new(1))
            .await
            .is_empty(),
        "nobody was on record before the appointments"
    );
    let early = roster_on(&app, appointed_on + Days::new(50)).await;
    assert_eq!(row(&early, &a), standing("active", true, 1));
    assert_eq!(row(&early, &b), standing("active", true, 1));
    // A dismissal ends office on the day the government decides it.
    let eve = roster_on(&app, dismissed_on - Days::new(1)).await;
    assert_eq!(row(&eve, &b), standing("active", true, 1));
    let decided = roster_on(&app, dismissed_on).await;
    assert_eq!(row(&decided, &b), standing("dismissed", false, 1));
    // Between A's terms: expired, with the term that ended.
    let gap = roster_on(&app, renewed_on - Days::new(1)).await;
    assert_eq!(row(&gap, &a), standing("expired", false, 1));
    assert_eq!(row(&gap, &b), standing("dismissed", false, 1));
    let renewed = roster_on(&app, renewed_on).await;
    assert_eq!(row(&renewed, &a), standing("active", true, 2));

    // The term then in force, with its own certificate.
    let integ = app.integration();
    let then = roster(
        &integ,
        &format!("as_of={}", appointed_on + Days::new(50)),
        &[],
    )
    .await;
    let first = then.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == a.as_str())
        .cloned()
        .unwrap();
    assert_eq!(first["term_starts_on"], appointed_on.to_string());
    assert!(first["certificate_no"].as_str().unwrap().starts_with("EL-"));
    assert_ne!(first["certificate_no"], "EL-R-A");
    let now = roster(&integ, &format!("as_of={renewed_on}"), &[])
        .await
        .json();
    assert_eq!(now["as_of"], renewed_on.to_string());
    let second = now["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == a.as_str())
        .cloned()
        .unwrap();
    assert_eq!(second["certificate_no"], "EL-R-A");
    assert_eq!(second["term_starts_on"], renewed_on.to_string());

    // `in_office=true`: who was in office that day.
    let ids = |q: String| {
        let integ = integ.clone();
        async move {
            let res = roster(&integ, &q, &[]).await;
            res.assert_status(200);
            let mut ids: Vec<String> = res.json()["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap().to_owned())
                .collect();
            ids.sort();
            ids
        }
    };
    let mut both = vec![a.clone(), b.clone()];
    both.sort();
    let day = appointed_on + Days::new(50);
    assert_eq!(ids(format!("as_of={day}&in_office=true")).await, both);
    assert_eq!(
        ids(format!("as_of={dismissed_on}&in_office=true")).await,
        vec![a.clone()]
    );
    assert_eq!(
        ids(format!("as_of={dismissed_on}&in_office=false")).await,
        vec![b.clone()]
    );
    assert!(
        ids(format!(
            "as_of={}&in_office=true",
            renewed_on - Days::new(1)
        ))
        .await
        .is_empty()
    );

    // Without `as_of`: today, said in the header; after today: refused.
    let plain = roster(&integ, "", &[]).await;
    assert_eq!(plain.header("guwen-as-of"), Some(today(&app).to_string()));
    let future = roster(
        &integ,
        &format!("as_of={}", today(&app) + Days::new(1)),
        &[],
    )
    .await;
    future.assert_problem(422, "validation_failed");
    assert_eq!(future.json()["errors"][0]["field"], "as_of");
    roster(&integ, "as_of=2026-13-01", &[])
        .await
        .assert_problem(400, "invalid_query");
}

#[tokio::test]
async fn art_3_the_roster_after_a_renewal_ahead_of_expiry_shows_the_current_term_then_the_next() {
    let app = spawn_app().await;
    let id = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let first_ends: NaiveDate = advisor_view(&app, &id).await["term_ends_on"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    renew(&app, &id, 1, "EL-R-1").await;
    // The current term runs on; the next one is in the history, starting the day after.
    assert!(on_roster(&app, &id).await, "still on the public roster");
    let now = roster_on(&app, today(&app)).await;
    assert_eq!(row(&now, &id), standing("active", true, 1));
    let task = create_task(
        &app.government(),
        &task_body(&app, "logistics", "internal", 10),
    )
    .await;
    assign(&app, &task, &id).await;
    let days = (first_ends - today(&app)).num_days() + 1;
    app.advance_days(days);
    let next = roster_on(&app, today(&app)).await;
    assert_eq!(row(&next, &id), standing("active", true, 2));
    let last_of_first = roster_on(&app, first_ends).await;
    assert_eq!(row(&last_of_first, &id), standing("active", true, 1));
}

#[tokio::test]
async fn the_roster_validator_moves_with_every_change_and_the_date_and_differs_by_representation() {
    let app = spawn_app().await;
    appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let integ = app.integration();
    let first = roster(&integ, "", &[]).await;
    first.assert_status(200);
    let etag = first.header("etag").unwrap();
    assert!(first.header("vary").unwrap().contains("Accept"));
    assert_eq!(
        roster(&integ, "", &[]).await.header("etag"),
        Some(etag.clone())
    );

    // Unchanged: 304 with the same validator and day, no body.
    let cached = roster(&integ, "", &[("If-None-Match", &etag)]).await;
    cached.assert_status(304);
    assert!(cached.bytes.is_empty());
    assert_eq!(cached.header("etag"), Some(etag.clone()));
    assert_eq!(cached.header("guwen-as-of"), Some(today(&app).to_string()));

    // One validator per representation and per query.
    let csv = roster(&integ, "", &[("Accept", "text/csv")]).await;
    let xlsx = roster(&integ, "", &[("Accept", XLSX)]).await;
    let csv_tag = csv.header("etag").unwrap();
    let xlsx_tag = xlsx.header("etag").unwrap();
    assert!(etag != csv_tag && etag != xlsx_tag && csv_tag != xlsx_tag);
    roster(
        &integ,
        "",
        &[("Accept", "text/csv"), ("If-None-Match", &etag)],
    )
    .await
    .assert_status(200);
    roster(
        &integ,
        "",
        &[("Accept", "text/csv"), ("If-None-Match", &csv_tag)],
    )
    .await
    .assert_status(304);
    let filtered = roster(&integ, "in_office=true", &[]).await;
    assert_ne!(filtered.header("etag"), Some(etag.clone()));
    roster(&integ, "", &[("Accept", "application/xml")])
        .await
        .assert_problem(406, "not_acceptable");

    // Any committed change moves the change sequence, even one that touches no advisor.
    create_task(
        &app.government(),
        &task_body(&app, "logistics", "internal", 10),
    )
    .await;
    let after_write = roster(&integ, "", &[("If-None-Match", &etag)]).await;
    after_write.assert_status(200);
    let written = after_write.header("etag").unwrap();
    assert_ne!(written, etag);

    // A new day shows statuses for that day: a new validator without any write.
    app.advance_days(1);
    let tomorrow = roster(&integ, "", &[("If-None-Match", &written)]).await;
    tomorrow.assert_status(200);
    assert_ne!(tomorrow.header("etag"), Some(written));
}

#[tokio::test]
async fn the_roster_pages_by_cursor_and_exports_csv_for_excel_and_xlsx() {
    let app = spawn_app().await;
    let names = ["甲", "王,\"建国\"", "=1+1"];
    let mut ids = Vec::new();
    for name in names {
        ids.push(appointed_advisor(&app, AdvisorSpec::named(name)).await);
    }
    let integ = app.integration();

    // JSON pages by cursor, in appointment order; the cursor keeps its day.
    let page1 = roster(&integ, "limit=2", &[]).await.json();
    assert_eq!(page1["items"].as_array().unwrap().len(), 2);
    let cursor = page1["next_cursor"].as_str().unwrap().to_owned();
    let page2 = roster(&integ, &format!("limit=2&cursor={cursor}"), &[])
        .await
        .json();
    assert!(page2["next_cursor"].is_null());
    let paged: Vec<&str> = page1["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(page2["items"].as_array().unwrap())
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(paged, ids.iter().map(String::as_str).collect::<Vec<_>>());
    let yesterday = today(&app) - Days::new(1);
    roster(&integ, &format!("cursor={cursor}&as_of={yesterday}"), &[])
        .await
        .assert_problem(400, "invalid_cursor");
    roster(&integ, "limit=0", &[])
        .await
        .assert_problem(422, "validation_failed");

    // CSV for Excel on a zh-CN desktop: byte order mark, CRLF, Chinese headers, RFC 4180 quotes.
    let csv = roster(&integ, "", &[("Accept", "text/csv")]).await;
    csv.assert_status(200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(
        csv.header("content-disposition")
            .unwrap()
            .starts_with("attachment; filename=\"guwen-roster-")
    );
    assert_eq!(&csv.bytes[..3], b"\xEF\xBB\xBF");
    let text = std::str::from_utf8(&csv.bytes[3..]).unwrap();
    assert!(text.ends_with("\r\n"));
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "every line ends with CRLF"
    );
    let lines: Vec<&str> = text.trim_end_matches("\r\n").split("\r\n").collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("顾问编号 (id),姓名 (name),工作单位 (employer),"));
    assert!(lines[0].contains(",状态 (status_label),状态代码 (status),是否在聘 (in_office),"));
    assert!(lines[1].contains(",甲,"));
    assert!(lines[1].contains(",在聘,active,是,1,"));
    assert!(lines[2].contains(",\"王,\"\"建国\"\"\","), "{}", lines[2]);
    assert!(
        lines[3].contains(",'=1+1,"),
        "a formula is defused: {}",
        lines[3]
    );

    // A page of CSV, with the next cursor in a header.
    let one = roster(&integ, "limit=1", &[("Accept", "text/csv")]).await;
    assert_eq!(one.text.trim_end().split("\r\n").count(), 2);
    let next = one.header("guwen-next-cursor").unwrap();
    let rest = roster(&integ, &format!("cursor={next}"), &[("Accept", "text/csv")]).await;
    assert_eq!(
        rest.text.trim_end().split("\r\n").count(),
        3,
        "the rest of the roster"
    );

    // XLSX, read back.
    let xlsx = roster(&integ, "", &[("Accept", XLSX)]).await;
    xlsx.assert_status(200);
    assert_eq!(xlsx.header("content-type").as_deref(), Some(XLSX));
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx.bytes.clone())).unwrap();
    let sheet = book.worksheet_range("顾问名册").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0][1], Data::String("姓名 (name)".into()));
    assert_eq!(rows[0][6], Data::String("状态 (status_label)".into()));
    let read: Vec<String> = rows[1..].iter().map(|r| r[1].to_string()).collect();
    assert_eq!(read, names.map(str::to_owned).to_vec());
    assert_eq!(rows[1][0], Data::String(ids[0].clone()));
    assert_eq!(rows[1][6], Data::String("在聘".into()));
    assert_eq!(rows[1][8], Data::String("是".into()));
    assert!(
        matches!(rows[1][10], Data::DateTime(_)),
        "the term's start is a date: {:?}",
        rows[1][10]
    );
}

#[tokio::test]
async fn me_gives_an_advisor_their_record_and_what_awaits_them_or_says_why_not() {
    let app = spawn_app().await;
    let id = appointed_advisor(&app, AdvisorSpec::named("甲")).await;
    let gov = app.government();
    let task = create_task(&gov, &task_body(&app, "logistics", "internal", 10)).await;
    assign(&app, &task, &id).await;
    let held_at = (app.state.clock.now() + Duration::days(3)).to_rfc3339();
    create_meeting(&gov, &json!({"title": "市政府顾问会议", "agenda": "口岸发展", "held_at": held_at, "invited_advisor_ids": [id]})).await;

    let advisor = app.advisor(&id);
    let mine = me(&advisor).await;
    assert_eq!(mine["sub"], format!("advisor-{id}"));
    assert_eq!(mine["roles"], json!(["advisor"]));
    assert_eq!(mine["advisor_id"], id.as_str());
    assert_eq!(mine["advisor"]["id"], id.as_str());
    assert_eq!(mine["advisor"]["status"], "active");
    assert!(mine["advisor_problem"].is_null());
    assert_eq!(
        awaiting_keys(&mine),
        ["open_assignments", "upcoming_meetings"]
    );
    let open = awaiting(&mine, "open_assignments");
    assert_eq!(open["count"], 1);
    assert_eq!(open["article"], "Art. 7, 11");
    let tasks = advisor.get(open["href"].as_str().unwrap()).await.json();
    assert_eq!(tasks["items"][0]["id"], task.as_str());
    assert_eq!(awaiting(&mine, "upcoming_meetings")["count"], 1);

    // A token naming an advisor that does not exist gets a clear answer, not an error.
    let ghost = me(&app.advisor("0190a000-0000-7000-8000-000000000000")).await;
    assert!(ghost["advisor"].is_null());
    assert_eq!(ghost["advisor_problem"]["code"], "advisor_not_found");
    assert!(awaiting_keys(&ghost).is_empty());

    // Once dismissed: the record, why it cannot act, and nothing awaiting.
    dismiss(&app, &id, "other", "不适宜继续担任").await;
    let gone = me(&advisor).await;
    assert_eq!(gone["advisor"]["status"], "dismissed");
    assert_eq!(gone["advisor_problem"]["code"], "advisor_not_in_office");
    assert!(awaiting_keys(&gone).is_empty());
}

#[tokio::test]
async fn me_counts_what_awaits_hrss_a_department_and_the_government_with_the_list_to_open() {
    let app = spawn_app().await;
    pre_reviewed(&app).await;
    nominate(&app, &nomination(&app, "李四", 50, 20)).await;
    create_task(
        &app.department(LEAD_ORG),
        &task_body(&app, "port_trade", "internal", 10),
    )
    .await;

    let dept = app.department(LEAD_ORG);
    let mine = me(&dept).await;
    assert_eq!(mine["org_id"], LEAD_ORG);
    assert!(mine["advisor"].is_null() && mine["advisor_problem"].is_null());
    let review = awaiting(&mine, "candidates_awaiting_preliminary_review");
    assert_eq!(review["count"], 1);
    assert_eq!(review["href"], "/api/v1/candidates?state=nominated");
    assert_eq!(
        dept.get(review["href"].as_str().unwrap()).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(awaiting(&mine, "tasks_awaiting_closure")["count"], 0);
    assert!(!awaiting_keys(&mine).contains(&"candidates_awaiting_background_check".to_owned()));
    // Another department leads another field: nothing of commerce's awaits it.
    let other = me(&app.department("transport")).await;
    assert_eq!(
        awaiting(&other, "candidates_awaiting_preliminary_review")["count"],
        0
    );

    let hrss = app.hrss();
    let office = me(&hrss).await;
    let check = awaiting(&office, "candidates_awaiting_background_check");
    assert_eq!(check["count"], 1);
    assert_eq!(check["label_zh"], "待背景核查的候选人");
    assert_eq!(
        hrss.get(check["href"].as_str().unwrap()).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(awaiting(&office, "tasks_awaiting_assignment")["count"], 1);
    assert_eq!(
        awaiting(&office, "candidates_awaiting_preliminary_review")["count"],
        1,
        "HRSS may review any nomination"
    );
    assert!(!awaiting_keys(&office).contains(&"lists_awaiting_decision".to_owned()));

    let gov = me(&app.government()).await;
    for key in [
        "lists_awaiting_decision",
        "dismissals_awaiting_decision",
        "assessments_awaiting_decision",
    ] {
        assert_eq!(awaiting(&gov, key)["count"], 0, "{key}");
    }
    assert!(!awaiting_keys(&gov).contains(&"candidates_awaiting_background_check".to_owned()));
    assert_eq!(
        awaiting_keys(&me(&app.finance()).await),
        ["expenses_awaiting_finance_review"]
    );
    assert!(awaiting_keys(&me(&app.integration()).await).is_empty());
    app.anonymous()
        .get("/api/v1/me")
        .await
        .assert_problem(401, "missing_token");
}

#[tokio::test]
async fn cors_answers_preflights_from_configured_origins_only() {
    const PORTAL: &str = "https://portal.example.gov.cn";
    let app = spawn_app_with(|c| c.cors_origins = vec![PORTAL.to_owned()]).await;
    let asked = "authorization,content-type,idempotency-key,if-none-match";
    let ok = preflight(&app, "/api/v1/roster", PORTAL, "GET", asked).await;
    ok.assert_status(200);
    assert_eq!(
        ok.header("access-control-allow-origin").as_deref(),
        Some(PORTAL)
    );
    let allowed = ok
        .header("access-control-allow-headers")
        .unwrap()
        .to_ascii_lowercase();
    for h in asked.split(',') {
        assert!(allowed.contains(h), "{h} not in {allowed}");
    }
    assert!(
        ok.header("access-control-allow-methods")
            .unwrap()
            .contains("POST")
    );

    // Another origin's page gets no CORS headers, so its browser refuses.
    let refused = preflight(&app, "/api/v1/roster", "https://evil.example", "GET", asked).await;
    assert!(refused.header("access-control-allow-origin").is_none());
    assert!(!refused.status.is_success());

    // The real request: the origin allowed, the headers a front-end reads exposed, errors too.
    let res = app
        .integration()
        .get_with("/api/v1/roster", &[("Origin", PORTAL)])
        .await;
    res.assert_status(200);
    assert_eq!(
        res.header("access-control-allow-origin").as_deref(),
        Some(PORTAL)
    );
    let exposed = res
        .header("access-control-expose-headers")
        .unwrap()
        .to_ascii_lowercase();
    for h in ["etag", "location", "retry-after", "x-request-id"] {
        assert!(exposed.contains(h), "{h} not in {exposed}");
    }
    let denied = app
        .anonymous()
        .get_with("/api/v1/me", &[("Origin", PORTAL)])
        .await;
    denied.assert_problem(401, "missing_token");
    assert_eq!(
        denied.header("access-control-allow-origin").as_deref(),
        Some(PORTAL)
    );
    let other = app
        .integration()
        .get_with("/api/v1/roster", &[("Origin", "https://evil.example")])
        .await;
    other.assert_status(200);
    assert!(other.header("access-control-allow-origin").is_none());

    // Not configured (the default): no CORS headers at all.
    let plain = spawn_app().await;
    let none = preflight(&plain, "/api/v1/roster", PORTAL, "GET", asked).await;
    assert!(none.header("access-control-allow-origin").is_none());
}
