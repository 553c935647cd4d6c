//! What the views of every chapter share.

/// `impl From<$record> for $view` for a view that shows a stored record's fields as they are,
/// except its instants, which it shows in China Standard Time: `from_record!(Record => View { a,
/// b; at })` copies `a` and `b` and turns `at` into China Standard Time.
macro_rules! from_record {
    ($record:ty => $view:ty { $($field:ident),* $(,)?; $($at:ident),* $(,)? }) => {
        impl From<$record> for $view {
            fn from(r: $record) -> Self {
                Self {
                    $($field: r.$field,)*
                    $($at: guwen_domain::time::to_cst(r.$at),)*
                }
            }
        }
    };
}

pub(crate) use from_record;
