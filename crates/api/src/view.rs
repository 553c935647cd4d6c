//! What the views of every chapter share.

/// `impl From<$record> for $view` for a view that shows a stored record's fields as they are,
/// except its instants, which it shows in China Standard Time: `from_record!(Record => View { a,
/// b; at; decided_at })` copies `a` and `b`, turns `at` into China Standard Time and does the
/// same for the optional instant `decided_at` when it is there.
macro_rules! from_record {
    ($record:ty => $view:ty {
        $($field:ident),* $(,)?;
        $($at:ident),* $(,)?
        $(; $($optional_at:ident),* $(,)?)?
    }) => {
        impl From<$record> for $view {
            fn from(r: $record) -> Self {
                Self {
                    $($field: r.$field,)*
                    $($at: guwen_domain::time::to_cst(r.$at),)*
                    $($($optional_at: r.$optional_at.map(guwen_domain::time::to_cst),)*)?
                }
            }
        }
    };
}

pub(crate) use from_record;
