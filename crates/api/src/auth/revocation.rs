//! Revoked tokens, as one process knows them: a copy of the revocations kept in the database,
//! checked on every request by a hash lookup under a read lock, and replaced whole when the
//! database's revocation version moves (polled every second, and at once after a change made
//! through this process), so every replica agrees within about a second.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use guwen_domain::token::{RevocationKind, subject_revocation_covers};

use super::{claims::Claims, error::TokenError};

/// The revocations at one version of the database's list.
#[derive(Debug, Default, Clone)]
pub struct RevocationSet {
    /// The database's revocation version this set was read at.
    pub version: i64,
    jtis: HashSet<String>,
    /// The latest revocation instant of each revoked subject (seconds since the epoch).
    subjects: HashMap<String, i64>,
}

impl RevocationSet {
    /// The set of `entries` (kind, value, revoked at in seconds since the epoch) read at
    /// `version`.
    pub fn new(
        version: i64,
        entries: impl IntoIterator<Item = (RevocationKind, String, i64)>,
    ) -> Self {
        let mut set = Self {
            version,
            ..Self::default()
        };
        for (kind, value, at) in entries {
            match kind {
                RevocationKind::Jti => {
                    set.jtis.insert(value);
                }
                RevocationKind::Subject => {
                    let latest = set.subjects.entry(value).or_insert(at);
                    *latest = (*latest).max(at);
                }
            }
        }
        set
    }

    /// Whether the set refuses a token with these claims: its `jti` is revoked, or its subject
    /// was revoked at or after the token was issued.
    pub fn refuses(&self, claims: &Claims) -> bool {
        claims.jti.as_ref().is_some_and(|j| self.jtis.contains(j))
            || self
                .subjects
                .get(&claims.sub)
                .is_some_and(|at| subject_revocation_covers(*at, claims.iat))
    }

    /// How many revocations the set holds.
    pub fn len(&self) -> usize {
        self.jtis.len() + self.subjects.len()
    }

    /// Whether the set holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The process's current [`RevocationSet`] (cheap to share: an `Arc` inside).
#[derive(Debug, Default)]
pub struct Revocations {
    current: RwLock<Arc<RevocationSet>>,
}

impl Revocations {
    /// The set in force now.
    pub fn snapshot(&self) -> Arc<RevocationSet> {
        match self.current.read() {
            Ok(set) => set.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Puts `set` in force.
    pub fn replace(&self, set: RevocationSet) {
        match self.current.write() {
            Ok(mut current) => *current = Arc::new(set),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(set),
        }
    }

    /// Refuses a revoked token (`token_revoked`).
    pub fn check(&self, claims: &Claims) -> Result<(), TokenError> {
        if self.snapshot().refuses(claims) {
            return Err(TokenError::Revoked);
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use guwen_domain::role::Role;

    fn claims(sub: &str, jti: Option<&str>, iat: i64) -> Claims {
        Claims {
            sub: sub.to_owned(),
            roles: vec![Role::Hrss],
            org_id: None,
            advisor_id: None,
            iss: "guwen".to_owned(),
            aud: "guwen-api".to_owned(),
            exp: iat + 3600,
            iat,
            nbf: None,
            jti: jti.map(str::to_owned),
        }
    }

    #[test]
    fn a_revoked_jti_or_subject_refuses_the_tokens_it_names() {
        let revocations = Revocations::default();
        assert!(revocations.check(&claims("alice", Some("t1"), 100)).is_ok());
        revocations.replace(RevocationSet::new(
            3,
            [
                (RevocationKind::Jti, "t1".to_owned(), 50),
                (RevocationKind::Subject, "bob".to_owned(), 100),
                (RevocationKind::Subject, "bob".to_owned(), 200),
            ],
        ));
        assert_eq!(revocations.snapshot().version, 3);
        assert_eq!(
            revocations.check(&claims("alice", Some("t1"), 100)),
            Err(TokenError::Revoked)
        );
        assert!(revocations.check(&claims("alice", Some("t2"), 100)).is_ok());
        assert!(revocations.check(&claims("alice", None, 100)).is_ok());
        // Bob's tokens issued until his latest revocation are refused; later ones pass.
        assert!(revocations.check(&claims("bob", None, 150)).is_err());
        assert!(revocations.check(&claims("bob", None, 200)).is_err());
        assert!(revocations.check(&claims("bob", None, 201)).is_ok());
    }
}
