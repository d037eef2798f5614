//! The OpenSSH allowed_signers file, read as `ssh-keygen -Y verify` reads it (ALLOWED SIGNERS in
//! ssh-keygen(1); `sshsig.c` and `sshsigopt_parse` in OpenSSH): one signer per line,
//!
//! ```text
//! principals [options] keytype base64-key [comment]
//! ```
//!
//! `principals` is a pattern list (quoted when it holds spaces); options are comma-separated,
//! case-insensitive, with quoted values: `cert-authority`, `namespaces="..."` (a pattern list),
//! `valid-after="..."`, `valid-before="..."` (`YYYYMMDD[Z]` or `YYYYMMDDHHMM[SS][Z]`). Blank lines and
//! lines starting with `#` are comments.
//!
//! Stricter than ssh-keygen in one way: a malformed line anywhere is an error naming `PATH:LINE`, where
//! ssh-keygen stops reading at the first line that allows the signature. A line of an assessor's trust
//! file that cannot be read is worth hearing about.
//!
//! No crate parses this format on top of `ssh-key` (the one that does brings its own SSH stack), and it is a
//! line format, not cryptography: the key on each line is parsed by `ssh-key`.

use crate::safe_fs::io_message;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use ssh_key::PublicKey;
use std::io;
use std::path::Path;

/// A trust file is a few lines per signer; anything this large is the wrong file.
const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// Why the allowed_signers file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum AllowedSignersError {
    #[error("{path}: cannot read the allowed signers: {}", io_message(cause))]
    Io { path: String, cause: io::Error },
    #[error("{path}: is not a regular file; give the allowed_signers file")]
    NotAFile { path: String },
    #[error("{path}: is larger than 16 MB; is it an allowed_signers file?")]
    TooLarge { path: String },
    #[error("{path}: is not UTF-8 text; is it an allowed_signers file?")]
    NotText { path: String },
    #[error("{path}:{line}: {cause} (see ALLOWED SIGNERS in `man ssh-keygen` for the format)")]
    Line {
        path: String,
        line: usize,
        cause: LineError,
    },
    #[error("{path}:{line}: {option}={value:?} has no Z, so ssh-keygen reads it in the local time zone of the machine that verifies; this tool reads no time zone: write the time in UTC with a trailing Z")]
    LocalTime {
        path: String,
        line: usize,
        option: &'static str,
        value: String,
    },
}

/// What is wrong with one line.
#[derive(Debug, thiserror::Error)]
pub enum LineError {
    #[error("no principals")]
    NoPrincipals,
    #[error("a quote is not closed")]
    UnclosedQuote,
    #[error("a quote in the middle of the principals")]
    StrayQuote,
    #[error("no public key after the principals and options")]
    NoKey,
    #[error("the public key cannot be read: {0}")]
    BadKey(ssh_key::Error),
    #[error("unknown option {0:?} (known: cert-authority, namespaces, valid-after, valid-before)")]
    UnknownOption(String),
    #[error("option {0} is given twice")]
    Repeated(&'static str),
    #[error("option {0} needs a quoted value, like {0}=\"...\"")]
    Unquoted(&'static str),
    #[error("{option}={value:?} is not a time like 20260101Z or 202601011200Z")]
    BadTime { option: &'static str, value: String },
    #[error("valid-before is not after valid-after")]
    EmptyWindow,
}

/// A time bound as written, and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub text: String,
    pub at: BoundTime,
}

/// ssh-keygen reads a time without `Z` (or `UTC`) in the verifying machine's local zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundTime {
    Utc(DateTime<Utc>),
    Local(NaiveDateTime),
}

/// One signer line.
#[derive(Debug, Clone)]
pub struct AllowedSigner {
    pub line: usize,
    pub principals: String,
    pub cert_authority: bool,
    pub namespaces: Option<String>,
    pub valid_after: Option<Bound>,
    pub valid_before: Option<Bound>,
    pub key: PublicKey,
}

impl AllowedSigner {
    pub fn has_window(&self) -> bool {
        self.valid_after.is_some() || self.valid_before.is_some()
    }

    /// The time restriction in the file's own words, e.g. `valid-after="20260101Z"`.
    pub fn window_text(&self) -> String {
        let mut parts = Vec::new();
        if let Some(b) = &self.valid_after {
            parts.push(format!("valid-after=\"{}\"", b.text));
        }
        if let Some(b) = &self.valid_before {
            parts.push(format!("valid-before=\"{}\"", b.text));
        }
        parts.join(",")
    }
}

/// The signers of a file, in file order.
#[derive(Debug, Clone)]
pub struct AllowedSigners {
    pub path: String,
    pub signers: Vec<AllowedSigner>,
}

impl AllowedSigners {
    /// Reads and parses the file; a symlink to a regular file is fine (trust files are often linked).
    pub fn load(path: &Path) -> Result<Self, AllowedSignersError> {
        let shown = path.display().to_string();
        let io = |cause| AllowedSignersError::Io {
            path: shown.clone(),
            cause,
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        if !meta.is_file() {
            return Err(AllowedSignersError::NotAFile { path: shown });
        }
        if meta.len() > MAX_BYTES {
            return Err(AllowedSignersError::TooLarge { path: shown });
        }
        let bytes = std::fs::read(path).map_err(io)?;
        let text = String::from_utf8(bytes).map_err(|_| AllowedSignersError::NotText {
            path: shown.clone(),
        })?;
        Self::parse(&text, &shown)
    }

    pub fn parse(text: &str, path: &str) -> Result<Self, AllowedSignersError> {
        let mut signers = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let parsed = parse_line(line).map_err(|cause| AllowedSignersError::Line {
                path: path.to_string(),
                line: i + 1,
                cause,
            })?;
            if let Some(mut signer) = parsed {
                signer.line = i + 1;
                signers.push(signer);
            }
        }
        Ok(Self {
            path: path.to_string(),
            signers,
        })
    }
}

/// One line: `None` for a blank line or a comment.
fn parse_line(line: &str) -> Result<Option<AllowedSigner>, LineError> {
    let line = line.trim_start_matches(is_space);
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let (principals, rest) = principals(line)?;
    let first = rest.split(is_space).next().unwrap_or_default();
    let (options, key_text) = if is_options(first) {
        let options = options_field(rest)?;
        (options, rest[options.len()..].trim_start_matches(is_space))
    } else {
        ("", rest)
    };
    if key_text.is_empty() {
        return Err(LineError::NoKey);
    }
    let key = PublicKey::from_openssh(key_text).map_err(LineError::BadKey)?;
    let mut signer = AllowedSigner {
        line: 0,
        principals,
        cert_authority: false,
        namespaces: None,
        valid_after: None,
        valid_before: None,
        key,
    };
    parse_options(options, &mut signer)?;
    Ok(Some(signer))
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Key types never hold `=` nor start with `cert-authority`; every option list does one or the other.
fn is_options(token: &str) -> bool {
    token.contains('=')
        || token
            .get(..14)
            .is_some_and(|s| s.eq_ignore_ascii_case("cert-authority"))
}

/// The options field: up to the first space or tab outside quotes, `\"` not counting as a quote (OpenSSH's
/// `sshkey_advance_past_options`), so a quoted value may hold spaces.
fn options_field(rest: &str) -> Result<&str, LineError> {
    let mut quoted = false;
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|(_, next)| *next == '"') => {
                chars.next();
            }
            '"' => quoted = !quoted,
            ' ' | '\t' if !quoted => return Ok(&rest[..i]),
            _ => {}
        }
    }
    if quoted {
        return Err(LineError::UnclosedQuote);
    }
    Ok(rest)
}

/// The principals field (quoted when it holds spaces) and the rest of the line.
fn principals(line: &str) -> Result<(String, &str), LineError> {
    let (field, rest) = match line.strip_prefix('"') {
        Some(quoted) => {
            let end = quoted.find('"').ok_or(LineError::UnclosedQuote)?;
            (&quoted[..end], &quoted[end + 1..])
        }
        None => {
            let end = line.find(is_space).unwrap_or(line.len());
            (&line[..end], &line[end..])
        }
    };
    if field.contains('"') {
        return Err(LineError::StrayQuote);
    }
    if field.is_empty() {
        return Err(LineError::NoPrincipals);
    }
    Ok((field.to_string(), rest.trim_start_matches(is_space)))
}

/// `cert-authority`, `namespaces="..."`, `valid-after="..."`, `valid-before="..."`, comma-separated.
fn parse_options(options: &str, signer: &mut AllowedSigner) -> Result<(), LineError> {
    let mut rest = options;
    while !rest.is_empty() {
        if let Some(after) = strip_prefix_ci(rest, "cert-authority") {
            signer.cert_authority = true;
            rest = after;
        } else if let Some(after) = strip_prefix_ci(rest, "namespaces=") {
            let (value, after) = dequote(after, "namespaces")?;
            set_once(&mut signer.namespaces, value, "namespaces")?;
            rest = after;
        } else if let Some(after) = strip_prefix_ci(rest, "valid-after=") {
            let (value, after) = dequote(after, "valid-after")?;
            set_once(
                &mut signer.valid_after,
                bound(value, "valid-after")?,
                "valid-after",
            )?;
            rest = after;
        } else if let Some(after) = strip_prefix_ci(rest, "valid-before=") {
            let (value, after) = dequote(after, "valid-before")?;
            set_once(
                &mut signer.valid_before,
                bound(value, "valid-before")?,
                "valid-before",
            )?;
            rest = after;
        }
        rest = next_option(rest)?;
    }
    check_window(signer)
}

/// After one option: the end, or a comma and another option.
fn next_option(rest: &str) -> Result<&str, LineError> {
    match rest.strip_prefix(',') {
        Some("") => Err(LineError::UnknownOption(String::new())),
        Some(next) => Ok(next),
        None if rest.is_empty() => Ok(rest),
        None => Err(LineError::UnknownOption(
            rest.split(',').next().unwrap_or_default().to_string(),
        )),
    }
}

fn set_once<T>(slot: &mut Option<T>, value: T, option: &'static str) -> Result<(), LineError> {
    if slot.is_some() {
        return Err(LineError::Repeated(option));
    }
    *slot = Some(value);
    Ok(())
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// A quoted option value (`\"` is a quote inside it) and what follows the closing quote.
fn dequote<'a>(text: &'a str, option: &'static str) -> Result<(String, &'a str), LineError> {
    let body = text.strip_prefix('"').ok_or(LineError::Unquoted(option))?;
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((value, &body[i + 1..])),
            '\\' if body[i + 1..].starts_with('"') => {
                chars.next();
                value.push('"');
            }
            c => value.push(c),
        }
    }
    Err(LineError::UnclosedQuote)
}

/// `YYYYMMDD`, `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS`, then `Z` or `UTC` (any case) for UTC, as OpenSSH's
/// `parse_absolute_time` reads them.
fn bound(text: String, option: &'static str) -> Result<Bound, LineError> {
    let bad = || LineError::BadTime {
        option,
        value: text.clone(),
    };
    let upper = text.to_ascii_uppercase();
    let (digits, utc) = match (upper.strip_suffix('Z'), upper.strip_suffix("UTC")) {
        (Some(d), _) | (None, Some(d)) => (d, true),
        (None, None) => (upper.as_str(), false),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) || ![8, 12, 14].contains(&digits.len()) {
        return Err(bad());
    }
    let num = |range: std::ops::Range<usize>| digits.get(range).and_then(|s| s.parse::<u32>().ok());
    let date = NaiveDate::from_ymd_opt(
        num(0..4).ok_or_else(bad)? as i32,
        num(4..6).ok_or_else(bad)?,
        num(6..8).ok_or_else(bad)?,
    )
    .ok_or_else(bad)?;
    let time = date
        .and_hms_opt(
            num(8..10).unwrap_or(0),
            num(10..12).unwrap_or(0),
            num(12..14).unwrap_or(0),
        )
        .ok_or_else(bad)?;
    let at = if utc {
        BoundTime::Utc(time.and_utc())
    } else {
        BoundTime::Local(time)
    };
    Ok(Bound { text, at })
}

/// ssh-keygen refuses a line whose window is empty; so do we, when both bounds are in the same zone.
fn check_window(signer: &AllowedSigner) -> Result<(), LineError> {
    let (Some(after), Some(before)) = (&signer.valid_after, &signer.valid_before) else {
        return Ok(());
    };
    let empty = match (after.at, before.at) {
        (BoundTime::Utc(a), BoundTime::Utc(b)) => b <= a,
        (BoundTime::Local(a), BoundTime::Local(b)) => b <= a,
        _ => false,
    };
    if empty {
        return Err(LineError::EmptyWindow);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::key::tests::test_key;

    fn public(seed: u8) -> String {
        test_key(seed).public_key().to_openssh().unwrap()
    }

    fn one(line: &str) -> AllowedSigner {
        let mut s = AllowedSigners::parse(line, "f").unwrap().signers;
        assert_eq!(s.len(), 1, "{line}");
        s.remove(0)
    }

    fn error(line: &str) -> String {
        AllowedSigners::parse(line, "f").unwrap_err().to_string()
    }

    // Public halves of keys made with `ssh-keygen -t rsa -b 1024` and `-t ecdsa`: other people's lines.
    const RSA: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDdkyCNfmC5Vr0wRbDwQmLieciFwvNPzMxm6kNxvnT57chuXvwkZDLLPfYW1TSltaEq/rj5xtmSpvWoa4uA6A7ZI/TOKA6lwyoPlNOTsDDM+NJrj+el+Ah8vYLOXF1JtBziaXA+y9Hw9/mtscPISotrN6Qnwtz+qnZAg3t/HyyVmQ== rsa@test";
    const ECDSA: &str = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBNHrm9nFjyzsTCyn1QfPU1rm4eU3u+6xegYge0W4U6L9aZtBveyt0c9w5lqRAS3gbwebPAoSgY5i2hehYD6EqdQ= ecdsa@test";

    #[test]
    fn lines_read_as_ssh_keygen_reads_them() {
        let k = public(1);
        let s = one(&format!("alice@example.com {k}"));
        assert_eq!(s.principals, "alice@example.com");
        assert_eq!(s.key.key_data(), test_key(1).public_key().key_data());
        assert!(!s.cert_authority && s.namespaces.is_none() && !s.has_window());

        let s = one(&format!(
            "  \"alice x,bob@y\"\tnamespaces=\"ecs16-evidence,file\" {k} a comment"
        ));
        assert_eq!(s.principals, "alice x,bob@y");
        assert_eq!(s.namespaces.as_deref(), Some("ecs16-evidence,file"));

        let s = one(&format!(
            "*@example.com CERT-AUTHORITY,Namespaces=\"a\\\"b c\" {k}"
        ));
        assert!(s.cert_authority);
        assert_eq!(s.namespaces.as_deref(), Some("a\"b c"));

        let s = one(&format!(
            "a valid-after=\"20260101\",valid-before=\"202701011230utc\" {k}"
        ));
        assert_eq!(s.valid_after.as_ref().unwrap().text, "20260101");
        assert!(matches!(s.valid_after.unwrap().at, BoundTime::Local(_)));
        let before = s.valid_before.unwrap();
        assert_eq!(
            before.at,
            BoundTime::Utc("2027-01-01T12:30:00Z".parse().unwrap())
        );
    }

    #[test]
    fn comments_blank_lines_and_other_key_types_are_fine() {
        let k = public(1);
        let file = format!(
            "# signers\n\n   # indented comment\nrsa@x {RSA}\necdsa@x {ECDSA}\r\nalice@x {k}\n"
        );
        let signers = AllowedSigners::parse(&file, "f").unwrap().signers;
        assert_eq!(
            signers.iter().map(|s| s.line).collect::<Vec<_>>(),
            vec![4, 5, 6]
        );
    }

    #[test]
    fn malformed_lines_are_named_with_their_line() {
        let k = public(1);
        let cases = [
            (format!("# ok\n\"alice {k}"), "f:2: a quote is not closed"),
            (format!("\"\" {k}"), "f:1: no principals"),
            (
                format!("al\"ice {k}"),
                "f:1: a quote in the middle of the principals",
            ),
            ("alice".to_string(), "f:1: no public key"),
            ("alice namespaces=\"x\"".to_string(), "f:1: no public key"),
            (
                "alice ssh-ed25519 AAAA!!".to_string(),
                "f:1: the public key cannot be read",
            ),
            (
                format!("alice restrict {k}"),
                "f:1: the public key cannot be read",
            ),
            (
                format!("alice foo=\"x\" {k}"),
                "f:1: unknown option \"foo=\\\"x\\\"\"",
            ),
            (
                format!("alice namespaces=x {k}"),
                "f:1: option namespaces needs a quoted value",
            ),
            (
                format!("alice namespaces=\"x {k}"),
                "f:1: a quote is not closed",
            ),
            (
                format!("alice namespaces=\"x\",namespaces=\"y\" {k}"),
                "f:1: option namespaces is given twice",
            ),
            (
                format!("alice namespaces=\"x\", {k}"),
                "f:1: unknown option \"\"",
            ),
            (
                format!("alice valid-after=\"2026\" {k}"),
                "f:1: valid-after=\"2026\" is not a time",
            ),
            (
                format!("alice valid-after=\"20261301\" {k}"),
                "f:1: valid-after=\"20261301\" is not a time",
            ),
            (
                format!("alice valid-after=\"+0260101\" {k}"),
                "f:1: valid-after=\"+0260101\" is not a time",
            ),
            (
                format!("alice valid-after=\"20270101Z\",valid-before=\"20260101Z\" {k}"),
                "f:1: valid-before is not after valid-after",
            ),
        ];
        for (file, want) in cases {
            let e = error(&file);
            assert!(e.starts_with(want), "{file}\n{e}");
            assert!(
                e.ends_with("(see ALLOWED SIGNERS in `man ssh-keygen` for the format)"),
                "{e}"
            );
        }
    }

    #[test]
    fn what_is_not_a_text_file_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let e = AllowedSigners::load(d.path()).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("is not a regular file; give the allowed_signers file"),
            "{e}"
        );
        let bin = d.path().join("bin");
        std::fs::write(&bin, b"\xff\xfe").unwrap();
        assert!(matches!(
            AllowedSigners::load(&bin),
            Err(AllowedSignersError::NotText { .. })
        ));
        let e = AllowedSigners::load(&d.path().join("none")).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("cannot read the allowed signers: no such file"),
            "{e}"
        );
    }
}
