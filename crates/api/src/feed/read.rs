//! Reading the change feed: the audit trail after a sequence number, through the public
//! mapping of actions to event types ([`guwen_domain::feed`]), each event shown as the
//! [policy](super::policy) lets the reader see it. Used by `GET /api/v1/events` and by the
//! webhook deliveries.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use guwen_domain::{
    feed::{self, EventType},
    office::AdvisorStatus,
    time::to_cst,
    work::Confidentiality,
};
use guwen_persistence::{
    ConnectionTrait, DbErr,
    audit::AuditEvent,
    entity::{advisor, task},
    store::feed as store,
};
use serde_json::Value;

use super::{
    policy::{self, Detail, Facts, Reader},
    views::{
        AdvisorFacts, AssessmentOutcome, EventData, FeedEventView, FeedPage, MeetingFacts,
        MoneyFacts, NoticeFacts, NoticedCandidate, ObjectRef, TaskFacts,
    },
};

/// How many audit events one scan reads.
const SCAN_BATCH: u64 = 200;
/// How many scans one read may make before answering (a reader who may see few events does
/// not hold a request for long; `next_after` lets it continue).
const MAX_SCANS: usize = 10;

/// What to read.
#[derive(Debug, Clone)]
pub struct FeedRequest {
    pub after: i64,
    /// Only these types (all when empty).
    pub types: Vec<EventType>,
    pub limit: usize,
}

/// Up to `limit` events after `after` that the reader may see, and where to continue.
pub async fn read<C: ConnectionTrait>(
    db: &C,
    reader: &Reader,
    request: &FeedRequest,
) -> Result<FeedPage, DbErr> {
    let actions = feed::actions_of(&request.types);
    let mut items = Vec::new();
    let mut cursor = request.after;
    for _ in 0..MAX_SCANS {
        let scan = store::scan(db, cursor, &actions, SCAN_BATCH).await?;
        let complete = (scan.events.len() as u64) < SCAN_BATCH;
        for draft in drafts(db, scan.events).await? {
            cursor = draft.sequence;
            if let Some(item) = draft.shown_to(reader) {
                items.push(item);
                if items.len() >= request.limit {
                    return Ok(FeedPage {
                        items,
                        next_after: cursor,
                    });
                }
            }
        }
        cursor = cursor.max(scan.scanned_to);
        if complete {
            break;
        }
    }
    Ok(FeedPage {
        items,
        next_after: cursor,
    })
}

/// One event with everything the policy and the views need.
struct Draft {
    sequence: i64,
    id: String,
    event_type: EventType,
    occurred_at: chrono::DateTime<chrono::Utc>,
    object: ObjectRef,
    advisors: Vec<String>,
    confidentiality: Option<Confidentiality>,
    full: EventData,
    /// What a reader who may only know that the object exists gets.
    existence: Option<EventData>,
}

impl Draft {
    fn shown_to(self, reader: &Reader) -> Option<FeedEventView> {
        let facts = Facts {
            event_type: self.event_type,
            confidentiality: self.confidentiality,
            advisors: &self.advisors,
        };
        let data = match policy::detail(reader, &facts)? {
            Detail::Full => self.full,
            Detail::Existence => self.existence?,
        };
        Some(FeedEventView {
            sequence: self.sequence,
            id: self.id,
            event_type: self.event_type,
            occurred_at: to_cst(self.occurred_at),
            object: self.object,
            data,
        })
    }
}

/// The rows a batch of events names, loaded with one query per kind.
#[derive(Default)]
struct Rows {
    advisors: HashMap<String, advisor::Model>,
    candidates: HashMap<String, guwen_persistence::entity::candidate::Model>,
    tasks: HashMap<String, task::Model>,
    assignments: HashMap<String, guwen_persistence::entity::assignment::Model>,
    meetings: HashMap<String, guwen_persistence::entity::meeting::Model>,
    assessments: HashMap<String, guwen_persistence::entity::assessment::Model>,
}

/// An event's details as JSON (null when it has none).
fn details(e: &AuditEvent) -> Value {
    e.details
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or(Value::Null)
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn date(v: &Value, key: &str) -> Option<NaiveDate> {
    v.get(key)
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
}

fn number(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(Value::as_i64)
}

/// The advisor an event of an advisor type is about.
fn advisor_of(t: EventType, e: &AuditEvent, d: &Value) -> String {
    if t == EventType::AdvisorAppointed {
        text(d, "advisor_id").unwrap_or_default()
    } else {
        e.object_id.clone()
    }
}

async fn load<C: ConnectionTrait>(
    db: &C,
    events: &[(EventType, AuditEvent)],
) -> Result<Rows, DbErr> {
    use EventType as T;
    let mut ids: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for (t, e) in events {
        let d = details(e);
        let (kind, id) = match t {
            T::AdvisorAppointed
            | T::AdvisorDismissed
            | T::AdvisorResigned
            | T::TermRenewed
            | T::TermExpired => ("advisor", advisor_of(*t, e, &d)),
            T::NoticePublished => ("candidate", e.object_id.clone()),
            T::TaskCreated | T::TaskClosed | T::TaskCancelled => ("task", e.object_id.clone()),
            T::TaskAssigned | T::TaskReleased => ("task", text(&d, "task_id").unwrap_or_default()),
            T::TaskDelivered => ("assignment", e.object_id.clone()),
            T::MeetingInvited | T::MinutesFinalized | T::InvitationWithdrawn => {
                ("meeting", e.object_id.clone())
            }
            T::AssessmentDecided => ("assessment", e.object_id.clone()),
            _ => continue,
        };
        ids.entry(kind).or_default().insert(id);
    }
    let mut take = |kind: &str| {
        ids.remove(kind)
            .unwrap_or_default()
            .into_iter()
            .collect::<Vec<_>>()
    };
    let mut rows = Rows {
        advisors: store::advisors(db, take("advisor")).await?,
        candidates: store::candidates(db, take("candidate")).await?,
        assignments: store::assignments(db, take("assignment")).await?,
        meetings: store::meetings(db, take("meeting")).await?,
        assessments: store::assessments(db, take("assessment")).await?,
        ..Rows::default()
    };
    let mut task_ids = take("task");
    task_ids.extend(rows.assignments.values().map(|a| a.task_id.clone()));
    rows.tasks = store::tasks(db, task_ids).await?;
    Ok(rows)
}

async fn drafts<C: ConnectionTrait>(db: &C, events: Vec<AuditEvent>) -> Result<Vec<Draft>, DbErr> {
    let typed: Vec<(EventType, AuditEvent)> = events
        .into_iter()
        .filter_map(|e| {
            let action = e.action.parse().ok()?;
            Some((feed::event_type(action)?, e))
        })
        .collect();
    let rows = load(db, &typed).await?;
    Ok(typed.into_iter().map(|(t, e)| draft(&rows, t, e)).collect())
}

fn object(kind: &str, id: impl Into<String>) -> ObjectRef {
    ObjectRef {
        kind: kind.to_owned(),
        id: id.into(),
    }
}

fn task_full(id: &str, row: Option<&task::Model>) -> TaskFacts {
    TaskFacts {
        id: id.to_owned(),
        kind: row.map(|t| t.kind.to_string()),
        field: row.map(|t| t.field_code.clone()),
        deadline: row.map(|t| t.deadline),
        confidentiality: row.map(|t| t.confidentiality),
    }
}

fn task_existence(id: &str) -> TaskFacts {
    TaskFacts {
        id: id.to_owned(),
        kind: None,
        field: None,
        deadline: None,
        confidentiality: None,
    }
}

fn advisor_status(t: EventType) -> AdvisorStatus {
    match t {
        EventType::AdvisorDismissed => AdvisorStatus::Dismissed,
        EventType::AdvisorResigned => AdvisorStatus::Resigned,
        EventType::TermExpired => AdvisorStatus::Expired,
        _ => AdvisorStatus::Active,
    }
}

fn draft(rows: &Rows, t: EventType, e: AuditEvent) -> Draft {
    use EventType as T;
    let d = details(&e);
    let mut draft = Draft {
        sequence: e.seq,
        id: e.id.clone(),
        event_type: t,
        occurred_at: e.occurred_at,
        object: object(&e.object_type, e.object_id.clone()),
        advisors: Vec::new(),
        confidentiality: None,
        full: EventData::default(),
        existence: None,
    };
    match t {
        T::AdvisorAppointed
        | T::AdvisorDismissed
        | T::AdvisorResigned
        | T::TermRenewed
        | T::TermExpired => {
            let id = advisor_of(t, &e, &d);
            let row = rows.advisors.get(&id);
            draft.full.advisor = row.map(|a| AdvisorFacts {
                id: a.id.clone(),
                name: a.name.clone(),
                employer: a.employer.clone(),
                title: a.title.clone(),
                field: a.field_code.clone(),
                status: advisor_status(t),
                term_starts_on: date(&d, "term_starts_on").or(Some(a.term_starts_on)),
                term_ends_on: date(&d, "term_ends_on").or(Some(a.term_ends_on)),
            });
            draft.object = object("advisor", id.clone());
            draft.advisors = vec![id];
        }
        T::NoticePublished | T::NoticeEnded => {
            let notice_id = if t == T::NoticePublished {
                text(&d, "notice_id").unwrap_or_default()
            } else {
                e.object_id.clone()
            };
            let candidate = rows
                .candidates
                .get(&e.object_id)
                .filter(|_| t == T::NoticePublished);
            draft.full.notice = Some(NoticeFacts {
                id: notice_id.clone(),
                starts_on: date(&d, "starts_on"),
                ends_on: date(&d, "ends_on"),
                candidate: candidate.map(|c| NoticedCandidate {
                    name: c.name.clone(),
                    employer: c.employer.clone(),
                    title: c.title.clone(),
                    field: c.field_code.clone(),
                    proposed_term_years: number(&d, "proposed_term_years"),
                }),
            });
            draft.object = object("notice", notice_id);
        }
        T::TaskCreated
        | T::TaskClosed
        | T::TaskCancelled
        | T::TaskAssigned
        | T::TaskReleased
        | T::TaskDelivered => {
            let (task_id, advisor_id) = match t {
                T::TaskAssigned | T::TaskReleased => (
                    text(&d, "task_id").unwrap_or_default(),
                    text(&d, "advisor_id"),
                ),
                T::TaskDelivered => rows
                    .assignments
                    .get(&e.object_id)
                    .map(|a| (a.task_id.clone(), Some(a.advisor_id.clone())))
                    .unwrap_or_default(),
                _ => (e.object_id.clone(), None),
            };
            let row = rows.tasks.get(&task_id);
            draft.confidentiality = row.map(|r| r.confidentiality);
            draft.full.task = Some(task_full(&task_id, row));
            draft.full.advisor_id = advisor_id.clone();
            draft.existence = Some(EventData {
                task: Some(task_existence(&task_id)),
                advisor_id: advisor_id.clone(),
                ..EventData::default()
            });
            draft.advisors = advisor_id.into_iter().collect();
        }
        T::MeetingInvited | T::MinutesFinalized | T::InvitationWithdrawn => {
            let row = rows.meetings.get(&e.object_id);
            let invited: Vec<String> = if t == T::InvitationWithdrawn {
                text(&d, "advisor_id").into_iter().collect()
            } else if t == T::MeetingInvited {
                d.get("invited")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            draft.confidentiality = row.map(|m| m.confidentiality);
            draft.full.meeting = Some(MeetingFacts {
                id: e.object_id.clone(),
                held_at: row.map(|m| to_cst(m.held_at)),
                confidentiality: row.map(|m| m.confidentiality),
                invited_advisor_ids: invited.clone(),
            });
            draft.existence = Some(EventData {
                meeting: Some(MeetingFacts {
                    id: e.object_id.clone(),
                    held_at: None,
                    confidentiality: None,
                    invited_advisor_ids: Vec::new(),
                }),
                ..EventData::default()
            });
            draft.advisors = invited;
        }
        T::ExpenseSubmitted
        | T::ExpenseApproved
        | T::ExpenseRejected
        | T::ExpensePaid
        | T::SubsidyApproved
        | T::SubsidyRejected
        | T::SubsidyPaid => {
            let advisor_id = text(&d, "advisor_id");
            let money = MoneyFacts {
                id: e.object_id.clone(),
                advisor_id: advisor_id.clone(),
                category: text(&d, "category"),
                amount_fen: number(&d, "amount_fen"),
                fiscal_year: number(&d, "fiscal_year"),
            };
            if e.object_type == "expense" {
                draft.full.expense = Some(money);
            } else {
                draft.full.subsidy = Some(money);
            }
            draft.advisors = advisor_id.into_iter().collect();
        }
        T::AssessmentDecided => {
            if let Some(a) = rows.assessments.get(&e.object_id) {
                draft.full.assessment = Some(AssessmentOutcome {
                    id: a.id.clone(),
                    advisor_id: a.advisor_id.clone(),
                    year: a.year,
                    grade: text(&d, "grade"),
                });
                draft.advisors = vec![a.advisor_id.clone()];
            }
        }
    }
    draft
}
