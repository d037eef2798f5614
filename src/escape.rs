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
//! exact text, as data must; the record is flagged instead (`arn::TaskSetArn::doubts` for the ARN,
//! `ingest::record::hidden_text_flag` for free text).

use std::borrow::Cow;

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
mod tests;
