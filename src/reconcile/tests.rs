//! One case per outcome and per inventory state, built from the smallest inputs that decide it.

use super::*;
use crate::arn::TaskSetArn;
use crate::model::*;
use crate::time;

const ARN: &str = "arn:aws:ecs:eu-west-1:111122223333:task-set/payments/card-api/ecs-svc/1";

fn finding(
    status: ComplianceStatus,
    workflow: Option<WorkflowStatus>,
    state: RecordState,
) -> Finding {
    let a = TaskSetArn::parse(ARN).unwrap();
    Finding {
        id: format!("finding-{}", status.as_str()),
        format: FindingFormat::Asff,
        control_id: "ECS.16".into(),
        control_id_source: ControlIdSource::SecurityControlId,
        generator_id: "security-control/ECS.16".into(),
        standard: None,
        task_set_arn: ARN.into(),
        resource_type: "Other".into(),
        account_id: a.account_id,
        account_name: Some("payments-prod".into()),
        region: a.region,
        cluster: a.cluster,
        service: a.service,
        title: String::new(),
        severity: Some("HIGH".into()),
        compliance_status: status,
        workflow_status: workflow,
        record_state: state,
        first_observed_at: None,
        last_observed_at: None,
        created_at: None,
        updated_at: Some(time::parse_str("2026-09-20T00:00:00Z").unwrap()),
        processed_at: None,
        exported_at: None,
        note: None,
        related_requirements: vec![],
        flags: vec![],
        readings: vec![],
        origin: Origin {
            input: 0,
            record: 1,
        },
    }
}

fn task_set(ip: Option<AssignPublicIp>) -> TaskSet {
    let a = TaskSetArn::parse(ARN).unwrap();
    TaskSet {
        arn: ARN.into(),
        id: a.id,
        account_id: a.account_id,
        region: a.region,
        cluster: a.cluster,
        service: a.service,
        status: Some(TaskSetStatus::Primary),
        assign_public_ip: ip,
        subnets: vec![],
        security_groups: vec![],
        launch_type: Some("FARGATE".into()),
        task_definition: None,
        started_by: None,
        external_id: None,
        stability_status: None,
        created_at: Some(time::parse_str("2026-09-01T00:00:00Z").unwrap()),
        updated_at: None,
        load_balancers: vec![],
        flags: vec![],
        readings: vec![],
        origin: Origin {
            input: 1,
            record: 1,
        },
    }
}

fn inventory(ts: Option<TaskSet>) -> Inventory {
    let mut inv = Inventory::default();
    if let Some(ts) = ts {
        inv.covered_services
            .insert(TaskSetArn::parse(ARN).unwrap().service_key());
        inv.task_sets.insert(ts.arn.clone(), ts);
    }
    inv
}

fn one(findings: &[Finding], inv: &Inventory) -> Row {
    let rows = reconcile(findings, inv);
    assert_eq!(rows.len(), 1);
    rows.into_iter().next().unwrap()
}

use AssignPublicIp::{Disabled, Enabled};
use ComplianceStatus::*;
use RecordState::{Active, Archived};

#[test]
fn failed_and_enabled_is_non_compliant() {
    let r = one(
        &[finding(Failed, Some(WorkflowStatus::New), Active)],
        &inventory(Some(task_set(Some(Enabled)))),
    );
    assert_eq!(
        (r.outcome, r.inventory_state),
        (Outcome::NonCompliant, InventoryState::Enabled)
    );
    assert_eq!(r.securityhub_status, "FAILED");
    assert_eq!(r.account_name, "payments-prod");
}

#[test]
fn failed_and_not_covered_is_non_compliant() {
    let r = one(&[finding(Failed, None, Active)], &inventory(None));
    assert_eq!(
        (r.outcome, r.inventory_state),
        (Outcome::NonCompliant, InventoryState::NotCovered)
    );
    assert!(
        r.reason
            .contains("no inventory (dump or AWS Config) covers service card-api"),
        "{}",
        r.reason
    );
}

#[test]
fn suppressed_failure_is_risk_accepted() {
    let r = one(
        &[finding(Failed, Some(WorkflowStatus::Suppressed), Active)],
        &inventory(Some(task_set(Some(Enabled)))),
    );
    assert_eq!(r.outcome, Outcome::RiskAccepted);
}

#[test]
fn passed_and_disabled_is_compliant() {
    let r = one(
        &[finding(Passed, Some(WorkflowStatus::Resolved), Active)],
        &inventory(Some(task_set(Some(Disabled)))),
    );
    assert_eq!(
        (r.outcome, r.inventory_state),
        (Outcome::Compliant, InventoryState::Disabled)
    );
}

#[test]
fn disagreements_are_conflicts() {
    let r = one(
        &[finding(Failed, None, Active)],
        &inventory(Some(task_set(Some(Disabled)))),
    );
    assert_eq!(r.outcome, Outcome::Conflict);
    assert!(r.reason.contains("cannot change in place"));
    let r = one(
        &[finding(Passed, None, Active)],
        &inventory(Some(task_set(Some(Enabled)))),
    );
    assert_eq!(r.outcome, Outcome::Conflict);
    // Suppression does not hide a disagreement.
    let r = one(
        &[finding(Failed, Some(WorkflowStatus::Suppressed), Active)],
        &inventory(Some(task_set(Some(Disabled)))),
    );
    assert_eq!(r.outcome, Outcome::Conflict);
}

#[test]
fn no_usable_finding_and_enabled_is_unassessed_exposed() {
    for findings in [
        vec![],
        vec![finding(Warning, None, Active)],
        vec![finding(NotAvailable, None, Active)],
    ] {
        let r = one(&findings, &inventory(Some(task_set(Some(Enabled)))));
        assert_eq!(r.outcome, Outcome::UnassessedExposed, "{findings:?}");
    }
}

#[test]
fn created_after_the_newest_finding_says_so() {
    let mut other = finding(Passed, None, Active);
    other.task_set_arn =
        "arn:aws:ecs:eu-west-1:111122223333:task-set/payments/card-api/ecs-svc/2".into();
    let mut ts = task_set(Some(Enabled));
    ts.created_at = Some(time::parse_str("2026-09-25T00:00:00Z").unwrap());
    let rows = reconcile(&[other], &inventory(Some(ts)));
    let r = rows.iter().find(|r| r.task_set_arn == ARN).unwrap();
    assert_eq!(r.outcome, Outcome::UnassessedExposed);
    assert!(
        r.reason.contains("after the newest finding in the export"),
        "{}",
        r.reason
    );
}

#[test]
fn no_usable_finding_and_disabled_is_unassessed() {
    let r = one(&[], &inventory(Some(task_set(Some(Disabled)))));
    assert_eq!(r.outcome, Outcome::Unassessed);
    let r = one(&[], &inventory(Some(task_set(None))));
    assert_eq!(
        (r.outcome, r.assign_public_ip.as_str()),
        (Outcome::Unassessed, "NOT_AWSVPC")
    );
}

#[test]
fn unknown_assign_public_ip_is_not_a_coverage() {
    let r = one(
        &[finding(Failed, None, Active)],
        &inventory(Some(task_set(Some(AssignPublicIp::Other("MAYBE".into()))))),
    );
    assert_eq!(
        (r.outcome, r.inventory_state),
        (Outcome::NonCompliant, InventoryState::NotCovered)
    );
    assert_eq!(r.assign_public_ip, "MAYBE");
}

#[test]
fn unlisted_in_a_covering_dump_is_gone() {
    let mut inv = Inventory::default();
    inv.covered_services
        .insert(TaskSetArn::parse(ARN).unwrap().service_key());
    let r = one(&[finding(Failed, None, Active)], &inv);
    assert_eq!(
        (r.outcome, r.inventory_state),
        (Outcome::Gone, InventoryState::Missing)
    );
    assert!(r.reason.contains("not among them"));
}

#[test]
fn failures_missing_is_gone() {
    let mut inv = Inventory::default();
    inv.missing_task_sets.insert(ARN.into(), "MISSING".into());
    let r = one(&[finding(Failed, None, Active)], &inv);
    assert_eq!(
        (r.outcome, r.inventory_state),
        (Outcome::Gone, InventoryState::Missing)
    );
    // A MISSING task set with no finding at all is still a row: the dump named it.
    let r = one(&[], &inv);
    assert_eq!(
        (r.outcome, r.securityhub_status.as_str()),
        (Outcome::Gone, "NONE")
    );
}

#[test]
fn archived_findings_are_history() {
    // Only archived, nothing covers it: gone.
    let r = one(&[finding(Failed, None, Archived)], &inventory(None));
    assert_eq!(r.outcome, Outcome::Gone);
    assert_eq!(r.record_state, "ARCHIVED");
    // Archived but the dump still lists it enabled: it exists and nobody evaluates it.
    let r = one(
        &[finding(Failed, None, Archived)],
        &inventory(Some(task_set(Some(Enabled)))),
    );
    assert_eq!(
        (r.outcome, r.securityhub_status.as_str()),
        (Outcome::UnassessedExposed, "NONE")
    );
    // An archived PASSED never outweighs an active FAILED.
    let mut old = finding(Passed, None, Archived);
    old.id = "old".into();
    let r = one(
        &[old, finding(Failed, None, Active)],
        &inventory(Some(task_set(Some(Enabled)))),
    );
    assert_eq!(r.outcome, Outcome::NonCompliant);
}

#[test]
fn pci_copy_decides_and_disagreement_is_said() {
    let mut fsbp = finding(Failed, Some(WorkflowStatus::New), Active);
    fsbp.id = "fsbp".into();
    fsbp.standard = Some("aws-foundational-security-best-practices/v/1.0.0".into());
    let mut pci = finding(Failed, Some(WorkflowStatus::Suppressed), Active);
    pci.id = "pci".into();
    pci.standard = Some("pci-dss/v/4.0.1".into());
    let r = one(&[fsbp, pci], &inventory(Some(task_set(Some(Enabled)))));
    assert_eq!(r.outcome, Outcome::RiskAccepted);
    assert_eq!(r.finding_id, "pci");
    assert!(r.copies_disagree);
    assert!(r.reason.contains("disagree"), "{}", r.reason);
}

#[test]
fn every_outcome_has_a_code_that_parses_back() {
    for o in Outcome::ALL {
        assert_eq!(Outcome::parse(o.code()), Some(o));
    }
}
