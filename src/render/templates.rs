//! One type wraps Tera: the built-in templates (embedded in the binary), the filters they use, and errors
//! that name the template, the line where Tera can tell, and the real cause.
//!
//! Templates whose names end in `.html` are autoescaped by Tera; nothing from the inputs is marked `safe`.
//! Markdown templates escape table cells with the `md` filter.

use super::escape::markdown_cell;
use serde::Serialize;
use std::collections::HashMap;
use std::error::Error as _;
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

pub struct Renderer {
    tera: Tera,
}

fn md_filter(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    Ok(Value::String(markdown_cell(&text)))
}

/// Tera's error and every cause under it, on one line.
fn chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

impl Renderer {
    /// The built-in templates.
    pub fn built_in() -> Result<Renderer, TemplateError> {
        let mut tera = Tera::default();
        tera.add_raw_templates(BUILT_IN.iter().copied())
            .map_err(|e| TemplateError {
                template: "built-in".to_string(),
                message: chain(&e),
            })?;
        tera.register_filter("md", md_filter);
        Ok(Renderer { tera })
    }

    pub fn render(&self, name: &str, context: &impl Serialize) -> Result<String, TemplateError> {
        let ctx = tera::Context::from_serialize(context).map_err(|e| TemplateError {
            template: name.to_string(),
            message: chain(&e),
        })?;
        self.tera.render(name, &ctx).map_err(|e| TemplateError {
            template: name.to_string(),
            message: chain(&e),
        })
    }
}
