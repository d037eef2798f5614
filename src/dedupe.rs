//! The same finding seen in several exports (overlapping pages, monthly exports, a JSON Lines copy of a
//! page) is kept once.
//!
//! The newest `UpdatedAt` wins. Ties are broken on content, never on the order files were given in, so
//! reordering the inputs cannot change the pack: then the newest `ProcessedAt`, then `LastObservedAt`, and
//! last the larger serialised finding.

use crate::model::{Finding, Origin};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Keeps one finding per `Id`; the result is sorted by `Id`. Also returns how many duplicates were dropped.
pub fn by_id(findings: Vec<Finding>) -> (Vec<Finding>, usize) {
    let total = findings.len();
    let mut kept: BTreeMap<String, Finding> = BTreeMap::new();
    for f in findings {
        match kept.get(&f.id) {
            Some(existing) if newer(&f, existing) != Ordering::Greater => {}
            _ => {
                kept.insert(f.id.clone(), f);
            }
        }
    }
    let out: Vec<Finding> = kept.into_values().collect();
    let dropped = total - out.len();
    (out, dropped)
}

/// Orders two copies of one finding: `Greater` when `a` should be kept over `b`.
pub fn newer(a: &Finding, b: &Finding) -> Ordering {
    a.updated_at
        .cmp(&b.updated_at)
        .then(a.processed_at.cmp(&b.processed_at))
        .then(a.last_observed_at.cmp(&b.last_observed_at))
        .then_with(|| content(a).cmp(&content(b)))
}

fn content(f: &Finding) -> String {
    let mut f = f.clone();
    f.origin = Origin {
        input: 0,
        record: 0,
    };
    serde_json::to_string(&f).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    pub fn finding(id: &str, updated: &str, status: ComplianceStatus, input: usize) -> Finding {
        Finding {
            id: id.to_string(),
            format: FindingFormat::Asff,
            control_id: "ECS.16".into(),
            control_id_source: ControlIdSource::SecurityControlId,
            generator_id: "security-control/ECS.16".into(),
            standard: None,
            task_set_arn: "arn:aws:ecs:eu-west-1:1:task-set/c/s/ecs-svc/1".into(),
            resource_type: "Other".into(),
            account_id: "1".into(),
            account_name: None,
            region: "eu-west-1".into(),
            cluster: "c".into(),
            service: "s".into(),
            title: String::new(),
            severity: None,
            compliance_status: status,
            workflow_status: None,
            record_state: RecordState::Active,
            first_observed_at: None,
            last_observed_at: None,
            created_at: None,
            updated_at: Some(crate::time::parse_str(updated).unwrap()),
            processed_at: None,
            exported_at: None,
            note: None,
            related_requirements: vec![],
            flags: vec![],
            readings: vec![],
            origin: Origin { input, record: 1 },
        }
    }

    #[test]
    fn newest_updated_at_wins_in_any_order() {
        let old = finding("a", "2026-09-01T00:00:00Z", ComplianceStatus::Failed, 0);
        let new = finding("a", "2026-09-02T00:00:00Z", ComplianceStatus::Passed, 1);
        for order in [
            vec![old.clone(), new.clone()],
            vec![new.clone(), old.clone()],
        ] {
            let (kept, dropped) = by_id(order);
            assert_eq!(dropped, 1);
            assert_eq!(kept[0].compliance_status, ComplianceStatus::Passed);
        }
    }

    #[test]
    fn ties_are_broken_by_content_not_input_order() {
        let a = finding("a", "2026-09-01T00:00:00Z", ComplianceStatus::Failed, 0);
        let b = finding("a", "2026-09-01T00:00:00Z", ComplianceStatus::Passed, 1);
        let (x, _) = by_id(vec![a.clone(), b.clone()]);
        let (mut y, _) = by_id(vec![b, a]);
        y[0].origin = x[0].origin;
        assert_eq!(x, y);
    }
}
