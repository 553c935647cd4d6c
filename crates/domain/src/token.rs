//! Access tokens: how long one may live and how one is revoked. Not a rule of the
//! regulation, but the condition every bearer token meets before any rule is asked.
//!
//! * A token lives at most a configured time from its `iat` to its `exp` (12 hours for
//!   people by default; longer, separately configured, for service accounts whose only role
//!   is `integration`). `exp` beyond now plus that time is refused too, whatever `iat` says.
//! * `iat` and `nbf` may lie in the future by at most the clock-skew leeway (≤ 60 s).
//! * A token is revoked by its `jti`, or every token of a subject issued at or before the
//!   moment its subject was revoked.

use std::fmt;

crate::labelled_enum! {
    /// What a token revocation names.
    pub enum RevocationKind("revocation_kind") {
        Jti = ("jti", "One token, by its `jti`", "单个令牌（按 jti）"),
        Subject = ("subject", "Every token of a subject issued until then", "该主体此前签发的全部令牌"),
    }
}

/// Why a token's times are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifetimeError {
    /// `iat` lies in the future beyond the leeway.
    IssuedInFuture,
    /// `exp - iat`, or `exp - now`, is longer than allowed.
    TooLong { max_secs: i64 },
}

impl fmt::Display for LifetimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LifetimeError::IssuedInFuture => f.write_str("the token is issued in the future"),
            LifetimeError::TooLong { max_secs } => {
                write!(f, "the token lives longer than the {max_secs} s allowed")
            }
        }
    }
}

/// Checks a token's `iat` and `exp` (seconds since the epoch) at `now`: issued no later than
/// `now + leeway`, living at most `max_secs` from `iat`, and expiring no later than
/// `now + max_secs + leeway`. Arithmetic saturates, so absurd values are refused, not wrapped.
pub fn check_lifetime(
    iat: i64,
    exp: i64,
    now: i64,
    max_secs: i64,
    leeway_secs: i64,
) -> Result<(), LifetimeError> {
    if iat > now.saturating_add(leeway_secs) {
        return Err(LifetimeError::IssuedInFuture);
    }
    let too_long = exp.saturating_sub(iat) > max_secs
        || exp > now.saturating_add(max_secs).saturating_add(leeway_secs);
    if too_long {
        return Err(LifetimeError::TooLong { max_secs });
    }
    Ok(())
}

/// Whether a subject revoked at `revoked_at` refuses a token issued at `iat` (both seconds
/// since the epoch): tokens issued at or before the revocation are refused, later ones not.
pub fn subject_revocation_covers(revoked_at: i64, iat: i64) -> bool {
    iat <= revoked_at
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;
    const TWELVE_HOURS: i64 = 12 * 3600;

    #[test]
    fn a_token_within_its_lifetime_passes() {
        assert_eq!(
            check_lifetime(NOW, NOW + 3600, NOW, TWELVE_HOURS, 30),
            Ok(())
        );
        assert_eq!(
            check_lifetime(NOW - 100, NOW + TWELVE_HOURS - 100, NOW, TWELVE_HOURS, 30),
            Ok(())
        );
        // A clock a little ahead of ours is tolerated.
        assert_eq!(
            check_lifetime(NOW + 30, NOW + 3600, NOW, TWELVE_HOURS, 30),
            Ok(())
        );
    }

    #[test]
    fn a_token_issued_in_the_future_is_refused() {
        assert_eq!(
            check_lifetime(NOW + 31, NOW + 3600, NOW, TWELVE_HOURS, 30),
            Err(LifetimeError::IssuedInFuture)
        );
        assert_eq!(
            check_lifetime(NOW + 86_400, NOW + 90_000, NOW, TWELVE_HOURS, 60),
            Err(LifetimeError::IssuedInFuture)
        );
    }

    #[test]
    fn a_token_living_too_long_is_refused_even_with_absurd_values() {
        let too_long = Err(LifetimeError::TooLong {
            max_secs: TWELVE_HOURS,
        });
        assert_eq!(
            check_lifetime(NOW, NOW + TWELVE_HOURS + 1, NOW, TWELVE_HOURS, 30),
            too_long
        );
        assert_eq!(
            check_lifetime(NOW, i64::MAX, NOW, TWELVE_HOURS, 30),
            too_long
        );
        assert_eq!(
            check_lifetime(i64::MIN, NOW + 10, NOW, TWELVE_HOURS, 30),
            too_long
        );
        // An old `iat` cannot stretch a token either.
        assert_eq!(check_lifetime(0, NOW + 10, NOW, TWELVE_HOURS, 30), too_long);
    }

    #[test]
    fn a_subject_revocation_covers_tokens_issued_until_then() {
        assert!(subject_revocation_covers(NOW, NOW - 1));
        assert!(subject_revocation_covers(NOW, NOW));
        assert!(!subject_revocation_covers(NOW, NOW + 1));
    }
}
