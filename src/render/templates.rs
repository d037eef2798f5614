//! One type wraps Tera: the built-in templates (embedded in the binary), file-by-file overrides from a
//! folder (`--templates DIR`), the filters the templates use, and errors that name the template, the line
//! and the real cause.
//!
//! Templates whose names end in `.html` are autoescaped by Tera with `escape::html_text` (HTML escaping,
//! and characters that act unseen shown as `\u001b`); nothing from the inputs is marked `safe`.
//! Two HTML filters escape on their own and say so to Tera: `ident` (an identifier the browser may wrap only
//! after `/`, `:` or `-`) and `css` (a quoted CSS string, for the printed footer). In the Markdown template
//! every text goes through the `md` filter, in table cells and in sentences alike, and nothing is escaped
//! by hand (`replace`): only numbers, the tool's own codes inside code spans (`NON_COMPLIANT`, which `md`
//! would fill with backslashes) and the runbook scripts stand without it. A script is fenced by a fence
//! longer than any run of backticks in it, and every value in it was quoted for its language (shell, YAML,
//! JSON) by `escape`.

use crate::escape::{css_string, html_identifier, html_text, markdown_cell};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::error::Error as _;
use std::path::Path;
use tera::{Tera, Value};

/// The built-in templates, by file name.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("index.html", include_str!("../../templates/index.html")),
    ("report.md", include_str!("../../templates/report.md")),
];

#[derive(Debug, thiserror::Error)]
#[error("template {template}: {message}")]
pub struct TemplateError {
    pub template: String,
    pub message: String,
}

/// The largest template read from `--templates`: the built-in ones are tens of kilobytes.
const TEMPLATE_LIMIT: u64 = 16 * 1024 * 1024;

pub struct Renderer {
    tera: Tera,
    /// Every template's text, to point a render error at its line.
    sources: BTreeMap<String, String>,
}

fn md_filter(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(markdown_cell(&text_of(value))))
}

/// A filter value as text: strings as they are, numbers and the rest as JSON writes them.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// An escaping filter whose output is already HTML-safe: Tera must not escape it again (it would show
/// `&lt;wbr&gt;`). Safe only because the functions escape every character of the value themselves.
struct Escaping(fn(&str) -> String);

impl tera::Filter for Escaping {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
        Ok(Value::String((self.0)(&text_of(value))))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// Tera's error and every cause under it, on one line.
fn chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ").replace('\n', " ")
}

/// The first line of a template that holds the name a render error is about (Tera's render errors
/// carry no line; its messages quote the variable, filter or function in backticks).
fn locate(source: &str, message: &str) -> Option<usize> {
    let name = message.split('`').nth(1)?;
    let first = name.split(['.', '[', '(']).next().unwrap_or(name);
    source
        .lines()
        .position(|l| l.contains(name))
        .or_else(|| source.lines().position(|l| l.contains(first)))
        .map(|i| i + 1)
}

impl Renderer {
    /// The built-in templates.
    pub fn built_in() -> Result<Renderer, TemplateError> {
        Self::build(
            BUILT_IN
                .iter()
                .map(|(n, s)| (n.to_string(), s.to_string()))
                .collect(),
        )
    }

    /// The built-in templates, each replaced by the file of the same name in `dir` when there is one.
    /// Other files of `dir` are added too, so overrides can `include` or `extends` their own parts.
    pub fn with_overrides(dir: &Path) -> Result<Renderer, TemplateError> {
        let mut all: BTreeMap<String, String> = BUILT_IN
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        let err = |template: String, message: String| TemplateError { template, message };
        let entries = std::fs::read_dir(dir).map_err(|e| {
            err(
                dir.display().to_string(),
                format!("cannot read the folder: {e}"),
            )
        })?;
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.starts_with('.') {
                continue;
            }
            // Only regular files inside the folder: a template symlinked to /etc/passwd must not become
            // the report, and a named pipe must not stall the run.
            let meta = std::fs::symlink_metadata(&path)
                .map_err(|e| err(path.display().to_string(), crate::safe_fs::io_message(&e)))?;
            if meta.is_dir() {
                continue;
            }
            if !meta.is_file() {
                return Err(err(
                    path.display().to_string(),
                    format!(
                        "is {}; templates must be regular files inside the folder",
                        crate::safe_fs::kind_of(&meta)
                    ),
                ));
            }
            let bytes = crate::safe_fs::read_regular(&path, TEMPLATE_LIMIT)
                .map_err(|e| err(path.display().to_string(), e.to_string()))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                err(
                    path.display().to_string(),
                    format!("cannot be read as UTF-8 text: {e}"),
                )
            })?;
            all.insert(name, text);
        }
        Self::build(all)
    }

    fn build(sources: BTreeMap<String, String>) -> Result<Renderer, TemplateError> {
        if let Some(cycle) = super::recursion::find_cycle(&sources) {
            return Err(TemplateError {
                template: cycle.first().cloned().unwrap_or_default(),
                message: format!(
                    "recurses without end ({}); templates may not include, extend or call themselves",
                    cycle.join(" → ")
                ),
            });
        }
        let mut tera = Tera::default();
        // One at a time, so a parse error names its template (Tera's message carries line and column).
        for (name, text) in &sources {
            tera.add_raw_template(name, text)
                .map_err(|e| TemplateError {
                    template: name.clone(),
                    message: chain(&e),
                })?;
        }
        tera.build_inheritance_chains().map_err(|e| TemplateError {
            template: "templates".to_string(),
            message: chain(&e),
        })?;
        // Autoescape of the `.html` templates: Tera's HTML escaping, with unseen characters shown.
        tera.set_escape_fn(html_text);
        tera.register_filter("md", md_filter);
        tera.register_filter("ident", Escaping(html_identifier));
        tera.register_filter("css", Escaping(css_string));
        Ok(Renderer { tera, sources })
    }

    pub fn render(&self, name: &str, context: &impl Serialize) -> Result<String, TemplateError> {
        let ctx = tera::Context::from_serialize(context).map_err(|e| TemplateError {
            template: name.to_string(),
            message: chain(&e),
        })?;
        self.tera.render(name, &ctx).map_err(|e| {
            let message = chain(&e);
            let line = self.sources.get(name).and_then(|src| locate(src, &message));
            TemplateError {
                template: name.to_string(),
                message: match line {
                    Some(l) => format!("line {l}: {message}"),
                    None => message,
                },
            }
        })
    }

    /// The context as pretty JSON: what a template author can use.
    pub fn context_json(context: &impl Serialize) -> String {
        serde_json::to_string_pretty(context).unwrap_or_default()
    }
}

/// Why the built-in templates could not be written out.
#[derive(Debug, thiserror::Error)]
pub enum WriteOutError {
    #[error("{0}: already exists; pass --force to overwrite")]
    Exists(String),
    #[error("{path}: {cause}")]
    Io { path: String, cause: std::io::Error },
}

/// Writes the built-in templates into `dir` as a starting point. Existing files are kept unless `force`.
pub fn write_out(dir: &Path, force: bool) -> Result<Vec<String>, WriteOutError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |cause| WriteOutError::Io { path, cause }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    for (name, _) in BUILT_IN {
        let path = dir.join(name);
        if path.exists() && !force {
            return Err(WriteOutError::Exists(path.display().to_string()));
        }
    }
    let mut written = Vec::new();
    for (name, text) in BUILT_IN {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(io(&path))?;
        written.push(path.display().to_string());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_errors_point_at_the_line() {
        let src = "a\nb\n{{ nothing.here }}\n".to_string();
        let r = Renderer::build(BTreeMap::from([("x.md".to_string(), src)])).unwrap();
        let e = r.render("x.md", &serde_json::json!({})).unwrap_err();
        assert_eq!(e.template, "x.md");
        assert!(e.message.starts_with("line 3: "), "{}", e.message);
        assert!(e.message.contains("nothing.here"), "{}", e.message);
    }

    #[test]
    fn parse_errors_name_the_template_and_position() {
        let src = "ok\n{% for x in %}\n".to_string();
        let e = Renderer::build(BTreeMap::from([("bad.html".to_string(), src)]))
            .err()
            .unwrap();
        assert_eq!(e.template, "bad.html");
        assert!(e.message.contains("2:"), "{}", e.message);
    }

    #[test]
    fn html_is_autoescaped_and_markdown_uses_the_filter() {
        let r = Renderer::build(BTreeMap::from([
            ("a.html".to_string(), "{{ v }}".to_string()),
            ("a.md".to_string(), "| {{ v | md }} |".to_string()),
        ]))
        .unwrap();
        let ctx = serde_json::json!({"v": "<img src=x onerror=alert(1)>|"});
        assert_eq!(
            r.render("a.html", &ctx).unwrap(),
            "&lt;img src=x onerror=alert(1)&gt;|"
        );
        assert_eq!(
            r.render("a.md", &ctx).unwrap(),
            "| \\<img src=x onerror=alert(1)\\>\\| |"
        );
        // Unseen characters are shown, in HTML by the autoescape itself, in Markdown by the filter.
        let ctx = serde_json::json!({"v": "\u{1b}[2J\u{202e}x"});
        assert_eq!(r.render("a.html", &ctx).unwrap(), "\\u001b[2J\\u202ex");
        assert_eq!(r.render("a.md", &ctx).unwrap(), "| \\u001b\\[2J\\u202ex |");
    }

    #[test]
    fn the_identifier_and_css_filters_escape_and_are_not_escaped_twice() {
        let r = Renderer::build(BTreeMap::from([
            ("i.html".to_string(), "<td>{{ v | ident }}</td>".to_string()),
            (
                "c.html".to_string(),
                "<style>x { content: {{ v | css }}; }</style>".to_string(),
            ),
            ("n.html".to_string(), "{{ n | ident }}".to_string()),
        ]))
        .unwrap();
        let ctx = serde_json::json!({"v": "a/b:<script>x-y</script>", "n": 42});
        assert_eq!(
            r.render("i.html", &ctx).unwrap(),
            "<td><bdi dir=\"ltr\">a&#x2F;<wbr>b:<wbr>&lt;script&gt;x-<wbr>y&lt;&#x2F;<wbr>script&gt;</bdi></td>"
        );
        assert_eq!(
            r.render("c.html", &ctx).unwrap(),
            "<style>x { content: \"a\\00002f b:\\00003c script\\00003e x-y\\00003c \\00002f script\\00003e \"; }</style>"
        );
        assert_eq!(
            r.render("n.html", &ctx).unwrap(),
            "<bdi dir=\"ltr\">42</bdi>"
        );
    }
}
