//! The control catalog: the facts about ECS.16 and PCI DSS v4.0.1 1.4.4 that the report states, kept in one
//! versioned data file (`catalog/ecs16.json`) embedded in the binary, so a reviewer can see exactly which
//! version of the mapping a pack was built with.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

const CATALOG_JSON: &str = include_str!("../catalog/ecs16.json");

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalog {
    pub catalog_version: String,
    pub control: Control,
    pub requirement: Requirement,
    pub related_controls: Vec<RelatedControl>,
    pub remediation: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub severity: String,
    pub category: String,
    pub resource_type: String,
    pub config_rule: String,
    pub schedule: String,
    pub logic: String,
    pub documentation: String,
    pub standards: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Requirement {
    pub framework: String,
    pub version: String,
    pub id: String,
    /// The form Security Hub writes in `RelatedRequirements`: `PCI DSS v4.0.1/1.4.4`.
    pub label: String,
    /// The form the report and `summary.json` use: `PCI DSS v4.0.1 1.4.4`.
    pub display: String,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RelatedControl {
    pub id: String,
    pub why_not_included: String,
}

/// The embedded catalog. It is parsed once; a broken catalog is a build defect caught by the tests.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        serde_json::from_str(CATALOG_JSON).expect("embedded catalog/ecs16.json is valid")
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn embedded_catalog_parses_and_names_the_control() {
        let c = super::catalog();
        assert_eq!(c.control.id, crate::model::CONTROL_ID);
        assert_eq!(c.requirement.label, "PCI DSS v4.0.1/1.4.4");
        assert!(!c.catalog_version.is_empty());
    }
}
