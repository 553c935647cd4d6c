//! What the change feed and the webhook subscriptions show.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use guwen_domain::{feed::EventType, office::AdvisorStatus, time::to_cst, work::Confidentiality};
use guwen_persistence::store::webhooks::{self as store, Subscription};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::http::error::ApiError;

/// One event of the change feed (also the body of a webhook delivery).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeedEventView {
    /// The event's place in the feed: commit-ordered, from 1, without gaps across all events
    /// (a reader sees the subset it may read). Pass the last one seen as `after` to resume.
    #[schema(example = 42)]
    pub sequence: i64,
    /// The event's id (UUIDv7); the `webhook-id` of its deliveries.
    pub id: String,
    /// What happened.
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// When it was recorded, in China Standard Time.
    pub occurred_at: DateTime<FixedOffset>,
    /// The object it happened to.
    pub object: ObjectRef,
    /// The facts of the event the reader may see (see the types' descriptions).
    pub data: EventData,
}

/// The object an event happened to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ObjectRef {
    /// `advisor`, `notice`, `task`, `assignment`, `meeting`, `expense`, `subsidy` or
    /// `assessment`.
    #[serde(rename = "type")]
    #[schema(example = "advisor")]
    pub kind: String,
    pub id: String,
}

/// The facts of an event. Which members are present depends on the type and on the reader:
/// `advisor.*` and `term.*` carry `advisor`; `notice.*` carry `notice`; `task.*` carry `task`
/// (and `advisor_id` when assigned or delivered); `meeting.*` carry `meeting`; `expense.*`,
/// `subsidy.*` and `assessment.*` carry theirs. A reader who may only know that a work item
/// exists gets its id alone.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct EventData {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advisor: Option<AdvisorFacts>,
    /// The advisor the event concerns (assigned, delivering).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advisor_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<NoticeFacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<TaskFacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting: Option<MeetingFacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expense: Option<MoneyFacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subsidy: Option<MoneyFacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assessment: Option<AssessmentOutcome>,
}

/// An advisor as the public roster shows them, with the status this event left them in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdvisorFacts {
    pub id: String,
    pub name: String,
    pub employer: String,
    pub title: String,
    /// Field of expertise (code).
    pub field: String,
    pub status: AdvisorStatus,
    pub term_starts_on: Option<NaiveDate>,
    pub term_ends_on: Option<NaiveDate>,
}

/// A public notice (Art. 4.5).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoticeFacts {
    pub id: String,
    /// Day 1 of the window.
    pub starts_on: Option<NaiveDate>,
    /// Day 7, the last day of the window.
    pub ends_on: Option<NaiveDate>,
    /// The candidate put on notice (`notice.published`: one event per candidate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate: Option<NoticedCandidate>,
}

/// A candidate on public notice: the public fields only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoticedCandidate {
    pub name: String,
    pub employer: String,
    pub title: String,
    pub field: String,
    pub proposed_term_years: Option<i64>,
}

/// A task (Art. 6, 7.1); only `id` for a reader who may only know it exists.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskFacts {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidentiality: Option<Confidentiality>,
}

/// A meeting (Art. 8, 11); only `id` for a reader who may only know it exists.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingFacts {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub held_at: Option<DateTime<FixedOffset>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidentiality: Option<Confidentiality>,
    /// The advisors invited (`meeting.invited`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invited_advisor_ids: Vec<String>,
}

/// An expense or a work subsidy (Art. 14), in fen.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MoneyFacts {
    pub id: String,
    pub advisor_id: Option<String>,
    /// Expense category (expenses only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub amount_fen: Option<i64>,
    pub fiscal_year: Option<i64>,
}

/// A decided annual assessment (Art. 16).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentOutcome {
    pub id: String,
    pub advisor_id: String,
    pub year: i32,
    pub grade: Option<String>,
}

/// A page of the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedPage {
    /// The events after `after` the caller may read, oldest first.
    pub items: Vec<FeedEventView>,
    /// Pass as `after` to continue: the sequence number up to which the feed was read for this
    /// caller (at least the last item's; past events the caller may not read).
    #[schema(example = 42)]
    pub next_after: i64,
}

/// Where to read the feed from and what to wait for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// Read events after this sequence number (default 0: from the start).
    #[param(minimum = 0, maximum = 9007199254740991.0, example = 0)]
    pub after: Option<i64>,
    /// How many events to return, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200, example = 50)]
    pub limit: Option<u32>,
    /// Only these event types, comma-separated (e.g. `advisor.appointed,term.expired`).
    #[param(value_type = Option<Vec<EventType>>, style = Form, explode = false, max_items = 64)]
    pub types: Option<String>,
    /// Long polling: when nothing is after `after`, wait up to this many seconds (0 to 30,
    /// default 0) for a commit and answer as soon as there is something.
    #[param(minimum = 0, maximum = 30, example = 25)]
    pub wait: Option<u32>,
}

/// Whose view of each event a subscription delivers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ViewAs {
    /// What the `integration` role reads (default): public-level events, internal work's
    /// existence.
    #[default]
    Integration,
    /// What `hrss` reads: every event.
    Hrss,
}

impl ViewAs {
    pub fn code(self) -> &'static str {
        match self {
            ViewAs::Integration => "integration",
            ViewAs::Hrss => "hrss",
        }
    }

    pub fn from_code(code: &str) -> Self {
        if code == "hrss" {
            ViewAs::Hrss
        } else {
            ViewAs::Integration
        }
    }
}

/// A new webhook subscription.
#[derive(Debug, Serialize, Deserialize, ToSchema, Validate)]
pub struct NewSubscriptionRequest {
    /// Where deliveries are POSTed: `https://` on a public address (`GUWEN_WEBHOOK_ALLOW_PRIVATE`
    /// also allows `http://` and private addresses).
    #[schema(
        example = "https://hr-system.example.gov.cn/hooks/guwen",
        min_length = 1,
        max_length = 2000
    )]
    #[validate(length(min = 1, max = 2000))]
    pub url: String,
    /// The event types to deliver; none or empty for every type.
    #[serde(default)]
    #[schema(max_items = 64)]
    #[validate(length(max = 64))]
    pub event_types: Vec<EventType>,
    /// The signing secret, `whsec_` + base64 of 24 to 64 bytes; generated when omitted (and
    /// shown only in this response).
    #[serde(default, skip_serializing)]
    pub secret: Option<String>,
    /// Whose view of each event is delivered (default `integration`).
    #[serde(default)]
    pub view_as: ViewAs,
    /// Deliver the events after this sequence number; default: the end of the feed now (only
    /// new events). `0` delivers every event from the start.
    #[schema(minimum = 0, maximum = 9007199254740991.0)]
    #[validate(range(min = 0, max = 9_007_199_254_740_991_i64))]
    pub after: Option<i64>,
}

/// Delivery state of a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionState {
    /// Delivering; nothing failing.
    Active,
    /// The next event failed and is being retried with backoff.
    Retrying,
    /// Retries ran out (`GUWEN_WEBHOOK_RETRY_WINDOW_SECS`, 24 hours by default): nothing is
    /// delivered until a replay.
    Failed,
}

/// A webhook subscription and its delivery state.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubscriptionView {
    pub id: String,
    pub url: String,
    /// Delivered types (empty: every type).
    pub event_types: Vec<EventType>,
    pub view_as: ViewAs,
    pub state: SubscriptionState,
    /// Every event up to this sequence number was delivered (or is not for this subscription).
    pub delivered_through: i64,
    /// Deliveries acknowledged with 2xx.
    pub delivered: i64,
    /// Failed attempts at the next event.
    pub attempts: i32,
    /// When the next attempt is due, while retrying.
    pub next_attempt_at: Option<DateTime<FixedOffset>>,
    /// Since when the next event fails.
    pub failing_since: Option<DateTime<FixedOffset>>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub last_delivered_at: Option<DateTime<FixedOffset>>,
    pub created_by: String,
    pub created_at: DateTime<FixedOffset>,
}

fn at(ms: i64) -> Option<DateTime<chrono::FixedOffset>> {
    DateTime::<Utc>::from_timestamp_millis(ms).map(to_cst)
}

impl From<&Subscription> for SubscriptionView {
    fn from(s: &Subscription) -> Self {
        let state = if s.state == store::FAILED {
            SubscriptionState::Failed
        } else if s.attempts > 0 {
            SubscriptionState::Retrying
        } else {
            SubscriptionState::Active
        };
        Self {
            id: s.id.clone(),
            url: s.url.clone(),
            event_types: parse_types("event_types", Some(&s.event_types)).unwrap_or_default(),
            view_as: ViewAs::from_code(&s.view_as),
            state,
            delivered_through: s.cursor,
            delivered: s.delivered,
            attempts: s.attempts,
            next_attempt_at: (s.attempts > 0 && s.state != store::FAILED)
                .then(|| at(s.next_attempt_ms))
                .flatten(),
            failing_since: s.failing_since_ms.and_then(at),
            last_error: s.last_error.clone(),
            last_delivered_at: s.last_delivered_ms.and_then(at),
            created_by: s.created_by.clone(),
            created_at: to_cst(s.created_at),
        }
    }
}

/// A subscription just created, with its signing secret (shown this once).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedSubscriptionView {
    #[serde(flatten)]
    pub subscription: SubscriptionView,
    /// The signing secret (`whsec_…`): verify `webhook-signature` with it.
    pub secret: String,
}

/// Where a replay starts.
#[derive(Debug, Serialize, Deserialize, ToSchema, Validate)]
pub struct ReplayRequest {
    /// Deliver again every event from this sequence number on (at least 1).
    #[schema(example = 1, minimum = 1, maximum = 9007199254740991.0)]
    #[validate(range(min = 1, max = 9_007_199_254_740_991_i64))]
    pub from: i64,
}

/// Event type codes, comma-separated (none: every type).
pub fn parse_types(field: &str, text: Option<&str>) -> Result<Vec<EventType>, ApiError> {
    if text.is_some_and(|t| t.chars().count() > 2000) {
        return Err(ApiError::invalid_field(
            field,
            "must be at most 2000 characters",
        ));
    }
    let mut types = Vec::new();
    for code in text.unwrap_or_default().split(',').map(str::trim) {
        if code.is_empty() {
            continue;
        }
        let t: EventType = code.parse().map_err(|_| {
            ApiError::invalid_field(
                field,
                format!("`{code}` is not an event type (see `event_type` in /api/v1/meta/enums)"),
            )
        })?;
        if !types.contains(&t) {
            types.push(t);
        }
    }
    Ok(types)
}
