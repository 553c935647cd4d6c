//! `/api/v1/webhook-subscriptions` (HRSS): push the change feed to other systems, signed as
//! Standard Webhooks, at least once and in sequence order per subscription.

use actix_web::{HttpResponse, delete, get, post, web};
use guwen_domain::{Labelled, audit::AuditAction};
use guwen_persistence::store::{
    Event, feed as feed_store, new_id,
    webhooks::{self as store, Subscription},
};

use super::{
    signing, target,
    views::{CreatedSubscriptionView, NewSubscriptionRequest, ReplayRequest, SubscriptionView},
};
use crate::prelude::*;

const KIND: &str = "webhook subscription";

/// Subscribe to events
///
/// Creates a webhook subscription: the events of the given types, as `view_as` reads them,
/// are POSTed to `url` one per request, in sequence order.
///
/// Deliveries follow Standard Webhooks: headers `webhook-id` (the event id), `webhook-timestamp`
/// (Unix seconds) and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of
/// `{webhook-id}.{webhook-timestamp}.{body}` keyed by the secret's base64-decoded part); the body
/// is the event as `GET /api/v1/events` shows it. A 2xx answer acknowledges it; anything else
/// (or no answer within the timeout) is retried with exponential backoff and jitter for 24 hours,
/// after which the subscription is `failed` until replayed. Redirects are not followed. The
/// secret is generated unless given and is shown only in this response.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "createWebhookSubscription",
    security(("bearer" = ["hrss"])),
    params(IdempotencyKey),
    request_body = NewSubscriptionRequest,
    responses((status = 201, description = "The subscription and its secret", body = CreatedSubscriptionView, headers(("Location" = String, description = "The subscription's URL"))))
)]
#[post("/webhook-subscriptions")]
async fn create_webhook_subscription(
    call: Creating,
    body: ApiJson<NewSubscriptionRequest>,
) -> Result<HttpResponse, ApiError> {
    let allow_private = call.state.config.webhooks.allow_private;
    let url = target::check_url(body.url.trim(), allow_private)
        .map_err(|m| ApiError::invalid_field("url", m))?;
    target::check_resolved(&url, allow_private)
        .await
        .map_err(|m| ApiError::invalid_field("url", m))?;
    let secret = match &body.secret {
        Some(s) => {
            signing::key_of(s).map_err(|m| ApiError::invalid_field("secret", m))?;
            s.clone()
        }
        None => signing::generate_secret(),
    };
    let ctx = call.audit();
    write_as(&call, &body.0, async |tx| {
        let cursor = match body.after {
            Some(a) => a,
            None => feed_store::head_seq(tx).await?,
        };
        let id = new_id();
        let now = guwen_persistence::audit::truncate_to_micros(ctx.now);
        let types: Vec<&str> = body.event_types.iter().map(|t| t.code()).collect();
        let row = Subscription {
            id: id.clone(),
            url: url.to_string(),
            event_types: types.join(","),
            view_as: body.view_as.code().to_owned(),
            secret: secret.clone(),
            state: store::ACTIVE.to_owned(),
            cursor,
            attempts: 0,
            next_attempt_ms: 0,
            failing_since_ms: None,
            last_error: None,
            last_attempt_ms: None,
            last_delivered_ms: None,
            delivered: 0,
            lease_owner: None,
            lease_until_ms: 0,
            created_by: call.caller.sub().to_owned(),
            created_at: now,
            updated_at: now,
        };
        // The event names where and what is delivered, never the secret.
        let event = Event::new(AuditAction::WebhookSubscribed, "webhook_subscription", &id)
            .details(serde_json::json!({
                "url": row.url, "event_types": types, "view_as": row.view_as, "after": cursor,
            }));
        let saved = store::insert(tx, &ctx, row, event).await?;
        Ok(Created::at(
            format!("/api/v1/webhook-subscriptions/{id}"),
            CreatedSubscriptionView {
                subscription: SubscriptionView::from(&saved),
                secret,
            },
        ))
    })
    .await
}

/// List webhook subscriptions
///
/// Every subscription with its delivery state, oldest first.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "listWebhookSubscriptions",
    security(("bearer" = ["hrss"])),
    params(PageParams),
    responses((status = 200, description = "A page of subscriptions", body = Page<SubscriptionView>))
)]
#[get("/webhook-subscriptions")]
async fn list_webhook_subscriptions(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    const LIST: &str = "webhook_subscriptions";
    let rows = store::page(&state.db, page.request(LIST, Direction::OldestFirst)?).await?;
    Ok(HttpResponse::Ok().json(Page::of(LIST, rows, |s| Ok(SubscriptionView::from(&s)))?))
}

/// Get a webhook subscription
///
/// One subscription with its delivery state: how far it delivered, and whether and why it is
/// retrying or failed.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "getWebhookSubscription",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Subscription id")),
    responses((status = 200, description = "The subscription", body = SubscriptionView))
)]
#[get("/webhook-subscriptions/{id}")]
async fn get_webhook_subscription(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let s = store::find(&state.db, &id)
        .await?
        .ok_or_else(|| ApiError::not_found(KIND))?;
    Ok(HttpResponse::Ok().json(SubscriptionView::from(&s)))
}

/// Delete a webhook subscription
///
/// Stops its deliveries for good (a delivery under way may still arrive) and answers with its
/// last state.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "deleteWebhookSubscription",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Subscription id")),
    responses((status = 200, description = "The subscription as it was", body = SubscriptionView))
)]
#[delete("/webhook-subscriptions/{id}")]
async fn delete_webhook_subscription(
    call: Signed,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    write_as(&call, &*id, async |tx| {
        let s = store::find(tx, &id)
            .await?
            .ok_or_else(|| ApiError::not_found(KIND))?;
        let event = Event::new(
            AuditAction::WebhookUnsubscribed,
            "webhook_subscription",
            &s.id,
        )
        .details(serde_json::json!({ "url": s.url, "delivered_through": s.cursor }));
        if !store::delete(tx, &ctx, &s.id, event).await? {
            return Err(ApiError::not_found(KIND));
        }
        Ok(Created::ok(SubscriptionView::from(&s)))
    })
    .await
}

/// Replay webhook deliveries
///
/// Delivers again every event from the sequence number `from` on, in order, and resumes a
/// failed subscription.
///
/// Receivers see the same `webhook-id` for an event delivered again and may use it to ignore
/// what they already processed.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "replayWebhookSubscription",
    security(("bearer" = ["hrss"])),
    params(("id" = String, Path, description = "Subscription id")),
    request_body = ReplayRequest,
    responses((status = 200, description = "The subscription, delivering from `from`", body = SubscriptionView))
)]
#[post("/webhook-subscriptions/{id}/replay")]
async fn replay_webhook_subscription(
    call: Signed,
    id: web::Path<String>,
    body: ApiJson<ReplayRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = call.audit();
    let after = body.from - 1;
    write_as(&call, &body.0, async |tx| {
        let s = store::find(tx, &id)
            .await?
            .ok_or_else(|| ApiError::not_found(KIND))?;
        let event = Event::new(AuditAction::WebhookReplayed, "webhook_subscription", &s.id)
            .details(serde_json::json!({ "from": body.from, "was": s.state, "delivered_through": s.cursor }));
        if !store::replay(tx, &ctx, &s.id, after, ctx.now, event).await? {
            return Err(ApiError::not_found(KIND));
        }
        let s = store::find(tx, &id)
            .await?
            .ok_or_else(|| ApiError::not_found(KIND))?;
        Ok(Created::ok(SubscriptionView::from(&s)))
    })
    .await
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_webhook_subscription)
        .service(list_webhook_subscriptions)
        .service(get_webhook_subscription)
        .service(delete_webhook_subscription)
        .service(replay_webhook_subscription);
}
