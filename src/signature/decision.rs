//! Whether an allowed_signers file lets a key sign as an identity in a namespace, decided as
//! `ssh-keygen -Y verify` decides it: allowed when any line lists the key (not as a certificate authority:
//! such lines allow certificates only, and a pack is signed with a plain key), matches the identity with its
//! principals, allows the namespace, and — when it limits the key to a time window — holds the moment.
//!
//! The moment is the one the assessor names (`verify --verify-time`, like ssh-keygen's `-Overify-time`);
//! nothing here reads the clock. An SSHSIG signature does not record when it was made, so without a
//! named moment a windowed key is [`Decision::Unchecked`], never quietly good: ssh-keygen would judge it
//! by the verifying machine's clock, and `manifest.json`'s `as_of` is chosen by whoever built the pack and
//! says when the evidence was taken, not when it was signed.
//!
//! The refusals say which part failed, so the assessor knows which line of their file to look at.

use super::allowed_signers::{
    AllowedSigner, AllowedSigners, AllowedSignersError, Bound, BoundTime,
};
use super::pattern::matches_list;
use chrono::{DateTime, Utc};
use ssh_key::public::KeyData;

/// What the file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// A line allows it (at the moment given, if its key has a time window).
    Allowed { line: usize },
    /// The only lines that would allow it limit the key to a time window, and no moment was given.
    Unchecked { line: usize, window: String },
    /// Lines allow it, but only in windows that exclude the moment given.
    OutsideWindow { line: usize, window: String },
    /// The key is on no line (or only on cert-authority lines).
    KeyNotListed,
    /// The key is listed, but for other principals.
    IdentityNotListed { lines: Vec<usize> },
    /// The key is listed for the identity, but for other namespaces.
    NamespaceNotListed { line: usize, namespaces: String },
}

impl AllowedSigners {
    /// Decides for one key, identity, namespace and (optional) moment.
    pub fn decide(
        &self,
        key: &KeyData,
        identity: &str,
        namespace: &str,
        at: Option<DateTime<Utc>>,
    ) -> Result<Decision, AllowedSignersError> {
        let with_key: Vec<&AllowedSigner> = self
            .signers
            .iter()
            .filter(|s| !s.cert_authority && s.key.key_data() == key)
            .collect();
        if with_key.is_empty() {
            return Ok(Decision::KeyNotListed);
        }
        let for_identity: Vec<&AllowedSigner> = with_key
            .iter()
            .copied()
            .filter(|s| matches_list(identity, &s.principals))
            .collect();
        let Some(first) = for_identity.first() else {
            let lines = with_key.iter().map(|s| s.line).collect();
            return Ok(Decision::IdentityNotListed { lines });
        };
        let allowing: Vec<&AllowedSigner> = for_identity
            .iter()
            .copied()
            .filter(|s| {
                s.namespaces
                    .as_deref()
                    .is_none_or(|ns| matches_list(namespace, ns))
            })
            .collect();
        if allowing.is_empty() {
            return Ok(Decision::NamespaceNotListed {
                line: first.line,
                namespaces: first.namespaces.clone().unwrap_or_default(),
            });
        }
        if let Some(open) = allowing.iter().find(|s| !s.has_window()) {
            return Ok(Decision::Allowed { line: open.line });
        }
        self.decide_windows(&allowing, at)
    }

    /// Every line left limits the key to a window.
    fn decide_windows(
        &self,
        windowed: &[&AllowedSigner],
        at: Option<DateTime<Utc>>,
    ) -> Result<Decision, AllowedSignersError> {
        let first = windowed[0];
        let Some(at) = at else {
            return Ok(Decision::Unchecked {
                line: first.line,
                window: first.window_text(),
            });
        };
        for s in windowed {
            if self.holds(s, at)? {
                return Ok(Decision::Allowed { line: s.line });
            }
        }
        Ok(Decision::OutsideWindow {
            line: first.line,
            window: first.window_text(),
        })
    }

    /// ssh-keygen: not yet valid before valid-after, expired after valid-before (both bounds included).
    /// A bound without `Z` is in a time zone this tool does not read: an error naming the line.
    fn holds(&self, s: &AllowedSigner, at: DateTime<Utc>) -> Result<bool, AllowedSignersError> {
        let utc = |bound: &Bound, option: &'static str| match bound.at {
            BoundTime::Utc(t) => Ok(t),
            BoundTime::Local(_) => Err(AllowedSignersError::LocalTime {
                path: self.path.clone(),
                line: s.line,
                option,
                value: bound.text.clone(),
            }),
        };
        if let Some(b) = &s.valid_after {
            if at < utc(b, "valid-after")? {
                return Ok(false);
            }
        }
        if let Some(b) = &s.valid_before {
            if at > utc(b, "valid-before")? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::key::tests::test_key;

    fn public(seed: u8) -> String {
        test_key(seed).public_key().to_openssh().unwrap()
    }

    fn decide(file: &str, identity: &str, at: Option<&str>) -> Decision {
        let signers = AllowedSigners::parse(file, "allowed_signers").unwrap();
        let at = at.map(|t| DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc));
        signers
            .decide(
                test_key(1).public_key().key_data(),
                identity,
                "ecs16-evidence",
                at,
            )
            .unwrap()
    }

    #[test]
    fn key_identity_and_namespace_must_all_match() {
        let k1 = public(1);
        let k2 = public(2);
        let cases: Vec<(String, &str, Decision)> = vec![
            (
                format!("alice@x {k1}"),
                "alice@x",
                Decision::Allowed { line: 1 },
            ),
            (
                format!("*@x {k1}"),
                "alice@x",
                Decision::Allowed { line: 1 },
            ),
            (format!("alice@x {k2}"), "alice@x", Decision::KeyNotListed),
            (String::new(), "alice@x", Decision::KeyNotListed),
            (
                format!("bob@x {k1}\n# c\nalice@x,!bob@x {k2}"),
                "alice@x",
                Decision::IdentityNotListed { lines: vec![1] },
            ),
            (
                format!("*@x,!alice@x {k1}"),
                "alice@x",
                Decision::IdentityNotListed { lines: vec![1] },
            ),
            (
                format!("alice@x namespaces=\"git,file\" {k1}"),
                "alice@x",
                Decision::NamespaceNotListed {
                    line: 1,
                    namespaces: "git,file".into(),
                },
            ),
            (
                format!("alice@x namespaces=\"git,ecs16-*\" {k1}"),
                "alice@x",
                Decision::Allowed { line: 1 },
            ),
            (
                format!("alice@x namespaces=\"git\" {k1}\nalice@x {k1}"),
                "alice@x",
                Decision::Allowed { line: 2 },
            ),
            // A certificate authority line allows certificates it signed, never the plain key itself.
            (
                format!("alice@x cert-authority {k1}"),
                "alice@x",
                Decision::KeyNotListed,
            ),
        ];
        for (file, identity, want) in cases {
            assert_eq!(decide(&file, identity, None), want, "{file}");
        }
    }

    #[test]
    fn a_time_window_is_checked_only_against_a_named_moment() {
        let k1 = public(1);
        let windowed =
            format!("alice@x valid-after=\"20260101Z\",valid-before=\"20261231235959Z\" {k1}");
        let window = "valid-after=\"20260101Z\",valid-before=\"20261231235959Z\"".to_string();
        assert_eq!(
            decide(&windowed, "alice@x", None),
            Decision::Unchecked {
                line: 1,
                window: window.clone()
            }
        );
        for (at, inside) in [
            ("2025-12-31T23:59:59Z", false),
            ("2026-01-01T00:00:00Z", true),
            ("2026-07-01T12:00:00+02:00", true),
            ("2026-12-31T23:59:59Z", true),
            ("2027-01-01T00:00:00Z", false),
        ] {
            let want = if inside {
                Decision::Allowed { line: 1 }
            } else {
                Decision::OutsideWindow {
                    line: 1,
                    window: window.clone(),
                }
            };
            assert_eq!(decide(&windowed, "alice@x", Some(at)), want, "{at}");
        }
        // A line without a window allows whatever the others say.
        let both = format!("{windowed}\nalice@x {k1}");
        assert_eq!(
            decide(&both, "alice@x", None),
            Decision::Allowed { line: 2 }
        );
    }

    #[test]
    fn a_local_time_bound_is_refused_when_it_would_decide() {
        let file = format!("alice@x valid-before=\"20270101\" {}", public(1));
        let signers = AllowedSigners::parse(&file, "signers").unwrap();
        let key = test_key(1).public_key().key_data().clone();
        let at = Some(
            DateTime::parse_from_rfc3339("2026-10-01T00:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
        );
        let e = signers
            .decide(&key, "alice@x", "ecs16-evidence", at)
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("signers:1: valid-before=\"20270101\" has no Z"),
            "{e}"
        );
        // Without a moment it is unchecked, like any window.
        assert!(matches!(
            signers.decide(&key, "alice@x", "ecs16-evidence", None),
            Ok(Decision::Unchecked { .. })
        ));
    }
}
