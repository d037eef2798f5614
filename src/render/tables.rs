//! The CSV files of the pack: RFC 4180, comma-separated, UTF-8, CRLF line ends, header row, every cell
//! through the spreadsheet formula guard. Column names are the contract later tools rely on.

use super::escape::spreadsheet_cell;
use crate::aggregate::Aggregates;
use crate::ingest::InputReport;
use crate::model::{Finding, TaskSet};
use crate::reconcile::{Outcome, Row};
use crate::time::format_opt;

/// Writes rows of text cells as CSV.
pub fn csv_bytes(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail; the results are checked anyway so a bug cannot pass silently.
    w.write_record(header).expect("CSV header to memory");
    for row in rows {
        debug_assert_eq!(row.len(), header.len());
        w.write_record(row.iter().map(|c| spreadsheet_cell(c).into_owned()))
            .expect("CSV row to memory");
    }
    w.into_inner().expect("CSV flush to memory")
}

pub const RECONCILIATION_COLUMNS: &[&str] = &[
    "task_set_arn",
    "account_id",
    "account_name",
    "region",
    "cluster",
    "service",
    "outcome",
    "securityhub_status",
    "workflow_status",
    "record_state",
    "inventory_state",
    "assign_public_ip",
    "task_set_status",
    "launch_type",
    "started_by",
    "finding_id",
    "finding_standard",
    "findings_for_task_set",
    "copies_disagree",
    "finding_updated_at",
    "last_observed_at",
    "task_set_created_at",
    "severity",
    "note_text",
    "note_updated_by",
    "note_updated_at",
    "related_requirements",
    "reason",
];

pub fn reconciliation(rows: &[Row]) -> Vec<u8> {
    csv_bytes(
        RECONCILIATION_COLUMNS,
        rows.iter().map(|r| {
            vec![
                r.task_set_arn.clone(),
                r.account_id.clone(),
                r.account_name.clone(),
                r.region.clone(),
                r.cluster.clone(),
                r.service.clone(),
                r.outcome.code().to_string(),
                r.securityhub_status.clone(),
                r.workflow_status.clone(),
                r.record_state.clone(),
                r.inventory_state.code().to_string(),
                r.assign_public_ip.clone(),
                r.task_set_status.clone(),
                r.launch_type.clone(),
                r.started_by.clone(),
                r.finding_id.clone(),
                r.finding_standard.clone(),
                r.findings_for_task_set.to_string(),
                r.copies_disagree.to_string(),
                format_opt(&r.finding_updated_at),
                format_opt(&r.last_observed_at),
                format_opt(&r.task_set_created_at),
                r.severity.clone(),
                r.note_text.clone(),
                r.note_updated_by.clone(),
                format_opt(&r.note_updated_at),
                r.related_requirements.join("; "),
                r.reason.clone(),
            ]
        }),
    )
}

pub const FINDING_COLUMNS: &[&str] = &[
    "finding_id",
    "task_set_arn",
    "format",
    "account_id",
    "account_name",
    "region",
    "cluster",
    "service",
    "generator_id",
    "control_id_source",
    "standard",
    "compliance_status",
    "workflow_status",
    "record_state",
    "severity",
    "title",
    "first_observed_at",
    "last_observed_at",
    "created_at",
    "updated_at",
    "note_text",
    "note_updated_by",
    "note_updated_at",
    "related_requirements",
    "source_file",
    "source_record",
];

pub fn findings(findings: &[Finding], inputs: &[InputReport]) -> Vec<u8> {
    csv_bytes(
        FINDING_COLUMNS,
        findings.iter().map(|f| {
            let fmt = serde_json::to_value(f.format).ok();
            let src = serde_json::to_value(f.control_id_source).ok();
            vec![
                f.id.clone(),
                f.task_set_arn.clone(),
                fmt.and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                f.account_id.clone(),
                f.account_name.clone().unwrap_or_default(),
                f.region.clone(),
                f.cluster.clone(),
                f.service.clone(),
                f.generator_id.clone(),
                src.and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                f.standard.clone().unwrap_or_default(),
                f.compliance_status.as_str().to_string(),
                f.workflow_status
                    .as_ref()
                    .map(|w| w.as_str().to_string())
                    .unwrap_or_default(),
                f.record_state.as_str().to_string(),
                f.severity.clone().unwrap_or_default(),
                f.title.clone(),
                format_opt(&f.first_observed_at),
                format_opt(&f.last_observed_at),
                format_opt(&f.created_at),
                format_opt(&f.updated_at),
                f.note.as_ref().map(|n| n.text.clone()).unwrap_or_default(),
                f.note
                    .as_ref()
                    .map(|n| n.updated_by.clone())
                    .unwrap_or_default(),
                f.note
                    .as_ref()
                    .map(|n| format_opt(&n.updated_at))
                    .unwrap_or_default(),
                f.related_requirements.join("; "),
                inputs
                    .get(f.origin.input)
                    .map(|i| i.path.clone())
                    .unwrap_or_default(),
                f.origin.record.to_string(),
            ]
        }),
    )
}

pub const TASK_SET_COLUMNS: &[&str] = &[
    "task_set_arn",
    "id",
    "account_id",
    "region",
    "cluster",
    "service",
    "status",
    "assign_public_ip",
    "subnets",
    "security_groups",
    "launch_type",
    "task_definition",
    "started_by",
    "external_id",
    "stability_status",
    "created_at",
    "updated_at",
    "target_groups",
    "source_file",
];

pub fn task_sets<'a>(
    task_sets: impl IntoIterator<Item = &'a TaskSet>,
    inputs: &[InputReport],
) -> Vec<u8> {
    csv_bytes(
        TASK_SET_COLUMNS,
        task_sets.into_iter().map(|t| {
            vec![
                t.arn.clone(),
                t.id.clone(),
                t.account_id.clone(),
                t.region.clone(),
                t.cluster.clone(),
                t.service.clone(),
                t.status
                    .as_ref()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                t.assign_public_ip
                    .as_ref()
                    .map(|a| a.as_str().to_string())
                    .unwrap_or_else(|| "NOT_AWSVPC".to_string()),
                t.subnets.join(" "),
                t.security_groups.join(" "),
                t.launch_type.clone().unwrap_or_default(),
                t.task_definition.clone().unwrap_or_default(),
                t.started_by.clone().unwrap_or_default(),
                t.external_id.clone().unwrap_or_default(),
                t.stability_status.clone().unwrap_or_default(),
                format_opt(&t.created_at),
                format_opt(&t.updated_at),
                t.load_balancers
                    .iter()
                    .filter_map(|lb| {
                        lb.target_group_arn
                            .clone()
                            .or(lb.load_balancer_name.clone())
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
                inputs
                    .get(t.origin.input)
                    .map(|i| i.path.clone())
                    .unwrap_or_default(),
            ]
        }),
    )
}

pub fn by_account(agg: &Aggregates) -> Vec<u8> {
    let mut header = vec!["account_id", "account_name", "task_sets", "exposed"];
    header.extend(Outcome::ALL.iter().map(|o| o.code()));
    csv_bytes(
        &header,
        agg.by_account.iter().map(|b| {
            let mut row = b.key.clone();
            row.push(b.total.to_string());
            row.push(b.exposed.to_string());
            row.extend(b.counts.iter().map(u64::to_string));
            row
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_round_trips_and_guards_formulas() {
        let bytes = csv_bytes(&["a", "b"], vec![vec!["=1+1".into(), "x,\"y\"\nz".into()]]);
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("a,b\r\n"));
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(&rec[0], "'=1+1");
        assert_eq!(&rec[1], "x,\"y\"\nz");
    }
}
