//! Declarations of interest (Art. 7(2)–(3)) and consultation rounds on the advisor work
//! (Art. 15): every query and change.

use std::collections::HashMap;

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use crate::{
    audit::{Context, truncate_to_micros},
    entity::{advisor_interest, consultation, consultation_answer},
    store::{Event, PageOf, PageRequest, StoreError, append, compare_and_set, page_of},
};

pub use crate::entity::{
    advisor_interest::Model as DeclaredInterest, consultation::Model as Consultation,
    consultation_answer::Model as ConsultationAnswer,
};

/// One page of the interests one advisor declared, in the order of declaration.
pub async fn interests_of<C: ConnectionTrait>(
    db: &C,
    advisor_id: &str,
    page: PageRequest<String>,
) -> Result<PageOf<DeclaredInterest, String>, DbErr> {
    let query =
        advisor_interest::Entity::find().filter(advisor_interest::Column::AdvisorId.eq(advisor_id));
    page_of(db, query, advisor_interest::Column::Id, page, |i| {
        i.id.clone()
    })
    .await
}

/// One declared interest.
pub async fn interest<C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> Result<Option<DeclaredInterest>, DbErr> {
    advisor_interest::Entity::find_by_id(id.to_owned())
        .one(db)
        .await
}

/// The interests of these advisors, by advisor.
pub async fn interests_by_advisor<C: ConnectionTrait>(
    db: &C,
    advisor_ids: Vec<String>,
) -> Result<HashMap<String, Vec<DeclaredInterest>>, DbErr> {
    let mut by: HashMap<String, Vec<DeclaredInterest>> = HashMap::new();
    if advisor_ids.is_empty() {
        return Ok(by);
    }
    for i in advisor_interest::Entity::find()
        .filter(advisor_interest::Column::AdvisorId.is_in(advisor_ids))
        .order_by_asc(advisor_interest::Column::Id)
        .all(db)
        .await?
    {
        by.entry(i.advisor_id.clone()).or_default().push(i);
    }
    Ok(by)
}

/// One consultation round.
pub async fn consultation<C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> Result<Option<Consultation>, DbErr> {
    consultation::Entity::find_by_id(id.to_owned())
        .one(db)
        .await
}

/// One page of the consultation rounds.
pub async fn consultations<C: ConnectionTrait>(
    db: &C,
    page: PageRequest<String>,
) -> Result<PageOf<Consultation, String>, DbErr> {
    page_of(
        db,
        consultation::Entity::find(),
        consultation::Column::Id,
        page,
        |c| c.id.clone(),
    )
    .await
}

/// The answers to one round, of one advisor when `advisor_id` is given.
pub async fn answers_to<C: ConnectionTrait>(
    db: &C,
    consultation_id: &str,
    advisor_id: Option<&str>,
) -> Result<Vec<ConsultationAnswer>, DbErr> {
    let mut q = consultation_answer::Entity::find()
        .filter(consultation_answer::Column::ConsultationId.eq(consultation_id));
    if let Some(a) = advisor_id {
        q = q.filter(consultation_answer::Column::AdvisorId.eq(a));
    }
    q.order_by_asc(consultation_answer::Column::AdvisorId)
        .all(db)
        .await
}

/// Records an advisor's answer to a round, or replaces their earlier one (one per advisor per
/// round), with its event.
pub async fn put_answer<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    (consultation_id, advisor_id): (&str, &str),
    content: String,
    event: Event,
) -> Result<(), StoreError> {
    let now = truncate_to_micros(ctx.now);
    let existing = consultation_answer::Entity::find_by_id((
        consultation_id.to_owned(),
        advisor_id.to_owned(),
    ))
    .one(tx)
    .await?;
    if existing.is_some() {
        consultation_answer::Entity::update_many()
            .set(consultation_answer::ActiveModel {
                content: Set(content),
                updated_at: Set(now),
                ..Default::default()
            })
            .filter(consultation_answer::Column::ConsultationId.eq(consultation_id))
            .filter(consultation_answer::Column::AdvisorId.eq(advisor_id))
            .exec(tx)
            .await?;
    } else {
        consultation_answer::Entity::insert(consultation_answer::ActiveModel {
            consultation_id: Set(consultation_id.to_owned()),
            advisor_id: Set(advisor_id.to_owned()),
            content: Set(content),
            answered_at: Set(now),
            updated_at: Set(now),
        })
        .exec_without_returning(tx)
        .await?;
    }
    append(tx, ctx, event).await?;
    Ok(())
}

/// Records HRSS's follow-up of a round, once; one recorded meanwhile is [`StoreError::Stale`].
pub async fn record_follow_up<C: ConnectionTrait>(
    tx: &C,
    ctx: &Context,
    consultation_id: &str,
    follow_up: String,
    event: Event,
) -> Result<(), StoreError> {
    let update = consultation::Entity::update_many()
        .set(consultation::ActiveModel {
            follow_up: Set(Some(follow_up)),
            followed_up_by: Set(Some(ctx.actor.sub.clone())),
            followed_up_at: Set(Some(truncate_to_micros(ctx.now))),
            ..Default::default()
        })
        .filter(consultation::Column::Id.eq(consultation_id))
        .filter(consultation::Column::FollowUp.is_null());
    compare_and_set(tx, update, "consultation", || {
        "without follow-up".to_owned()
    })
    .await?;
    append(tx, ctx, event).await?;
    Ok(())
}
