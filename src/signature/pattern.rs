//! OpenSSH pattern lists, as `ssh-keygen -Y verify` matches an identity against the principals of an
//! allowed_signers line and a namespace against its `namespaces="..."` option (`match_pattern_list` in
//! OpenSSH's `match.c`, see PATTERNS in ssh_config(5)).
//!
//! A list is comma-separated patterns; `*` matches any run of characters, `?` exactly one, everything else
//! itself (case-sensitive, the whole text). A pattern prefixed with `!` is a negation: if it matches, the
//! list does not, whatever else matches. Written here because it is a few lines of string matching that
//! must agree with ssh-keygen exactly; no crate parses allowed_signers on top of `ssh-key`.

/// True when `text` matches the pattern list: some pattern matches and no negated one does.
pub fn matches_list(text: &str, list: &str) -> bool {
    let mut positive = false;
    for pattern in list.split(',') {
        match pattern.strip_prefix('!') {
            Some(negated) if matches(text, negated) => return false,
            Some(_) => {}
            None => positive |= matches(text, pattern),
        }
    }
    positive
}

/// True when `text` matches one glob pattern (`*` and `?`) as a whole.
pub fn matches(text: &str, pattern: &str) -> bool {
    let text: Vec<char> = text.chars().collect();
    let pattern: Vec<char> = pattern.chars().collect();
    glob(&text, &pattern)
}

/// Iterative glob with one backtrack point (the last `*`): linear in practice, and never recursive, so a
/// hostile pattern of many stars cannot exhaust the stack.
fn glob(text: &[char], pattern: &[char]) -> bool {
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(c) if *c == '?' || *c == text[t] => {
                t += 1;
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pattern_matches_as_ssh_keygen_does() {
        let cases = [
            ("alice@example.com", "alice@example.com", true),
            ("alice@example.com", "Alice@example.com", false),
            ("alice@example.com", "*@example.com", true),
            ("alice@example.com", "*@example.org", false),
            ("alice@example.com", "?lice@example.com", true),
            ("alice@example.com", "??lice@example.com", false),
            ("alice@example.com", "alice", false),
            ("alice", "alice@example.com", false),
            ("alice@example.com", "*", true),
            ("", "*", true),
            ("", "", true),
            ("", "?", false),
            ("a", "", false),
            ("abcbcd", "a*bcd", true),
            ("abcbcx", "a*bcd", false),
            ("aaa", "a*a*a", true),
            ("aa", "a*a*a", false),
            ("ecs16-evidence", "ecs16-*", true),
            ("ecs16-evidence", "file", false),
        ];
        for (text, pattern, want) in cases {
            assert_eq!(matches(text, pattern), want, "{text:?} ~ {pattern:?}");
        }
    }

    #[test]
    fn a_list_needs_one_match_and_no_negated_match() {
        let cases = [
            (
                "alice@example.com",
                "bob@example.com,alice@example.com",
                true,
            ),
            (
                "alice@example.com",
                "bob@example.com,carol@example.com",
                false,
            ),
            (
                "alice@example.com",
                "*@example.com,!alice@example.com",
                false,
            ),
            (
                "alice@example.com",
                "!alice@example.com,*@example.com",
                false,
            ),
            ("bob@example.com", "*@example.com,!alice@example.com", true),
            // A negation alone allows nothing: it only takes away.
            ("bob@example.com", "!alice@example.com", false),
            ("ecs16-evidence", "file,git,ecs16-evidence", true),
            ("ecs16-evidence", "file,git", false),
            ("ecs16-evidence", "", false),
        ];
        for (text, list, want) in cases {
            assert_eq!(matches_list(text, list), want, "{text:?} ~ {list:?}");
        }
    }

    #[test]
    fn many_stars_do_not_blow_up() {
        let pattern = "*a".repeat(1_000);
        let text = "a".repeat(2_000);
        assert!(matches(&text, &pattern));
        assert!(!matches(&format!("{text}b"), &pattern));
    }
}
