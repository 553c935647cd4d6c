use guwen_domain::work::RecusalState;
use sea_orm::entity::prelude::*;

super::decided_entity! {
    /// An advisor's application to recuse from a task (Art. 10).
    table = "recusal_requests",
    {
        pub assignment_id: String,
        pub task_id: String,
        pub advisor_id: String,
        pub conflict: String,
        pub state: RecusalState,
        pub requested_at: DateTimeUtc,
    }
}

crate::store::stateful! { RecusalState, "recusal_request", state = State }
