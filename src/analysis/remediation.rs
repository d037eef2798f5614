//! Remediation, pre-filled per exposed task set.
//!
//! A task set's network configuration cannot be changed in place (`update-task-set` only changes its scale),
//! so the fix is a replacement task set with `assignPublicIp=DISABLED` in private subnets, made primary, then
//! the old one scaled to zero and deleted. Task sets started by CodeDeploy are replaced by a new deployment
//! whose AppSpec says `DISABLED`. Every value from the inputs is shell-quoted (or JSON-quoted in YAML), so a
//! hostile name cannot turn a command into another one.

use crate::model::{Inventory, TaskSet};
use crate::reconcile::{Outcome, Row};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Remediation {
    pub task_set_arn: String,
    pub outcome: String,
    /// `task-set` (EXTERNAL controller: AWS CLI commands) or `codedeploy` (an AppSpec change).
    pub method: String,
    pub script: String,
    pub notes: Vec<String>,
}

/// Outcomes that get pre-filled commands.
pub fn needs_remediation(o: Outcome) -> bool {
    matches!(
        o,
        Outcome::NonCompliant
            | Outcome::RiskAccepted
            | Outcome::UnassessedExposed
            | Outcome::Conflict
    )
}

/// Quotes a value for a POSIX shell only when it needs it.
pub fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:=,@%+-".contains(c))
        && !s.starts_with('-');
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn json_quote(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

fn list_or(values: &[String], placeholder: &str) -> Vec<String> {
    if values.is_empty() {
        vec![placeholder.to_string()]
    } else {
        values.to_vec()
    }
}

/// The task set's subnets and security groups, or placeholders when no dump describes it.
fn network_of(ts: Option<&TaskSet>) -> (Vec<String>, Vec<String>) {
    (
        list_or(
            ts.map(|t| t.subnets.as_slice()).unwrap_or(&[]),
            "<private-subnet-id>",
        ),
        list_or(
            ts.map(|t| t.security_groups.as_slice()).unwrap_or(&[]),
            "<security-group-id>",
        ),
    )
}

fn task_set_commands(r: &Row, ts: Option<&TaskSet>) -> String {
    let q = shell_quote;
    let region = q(&r.region);
    let (cluster, service) = (q(&r.cluster), q(&r.service));
    let task_definition = ts
        .and_then(|t| t.task_definition.clone())
        .unwrap_or_else(|| "<task-definition-arn>".to_string());
    let (subnets, groups) = network_of(ts);
    // Quoted as a whole: braces and commas would otherwise be brace-expanded by bash.
    let network = format!(
        "awsvpcConfiguration={{subnets=[{}],securityGroups=[{}],assignPublicIp=DISABLED}}",
        subnets.join(","),
        groups.join(",")
    );
    let mut create = vec![
        "aws ecs create-task-set".to_string(),
        format!("--region {region}"),
        format!("--cluster {cluster} --service {service}"),
        format!("--task-definition {}", q(&task_definition)),
        format!("--external-id {}", q("<new-external-id>")),
    ];
    match ts.and_then(|t| t.launch_type.clone()) {
        Some(lt) => create.push(format!("--launch-type {}", q(&lt))),
        None => create.push(format!("--launch-type {}", q("<FARGATE|EC2>"))),
    }
    create.push(format!("--network-configuration {}", q(&network)));
    for lb in ts.map(|t| t.load_balancers.as_slice()).unwrap_or(&[]) {
        let mut parts = Vec::new();
        if let Some(tg) = &lb.target_group_arn {
            parts.push(format!("targetGroupArn={tg}"));
        }
        if let Some(name) = &lb.load_balancer_name {
            parts.push(format!("loadBalancerName={name}"));
        }
        if let Some(c) = &lb.container_name {
            parts.push(format!("containerName={c}"));
        }
        if let Some(p) = lb.container_port {
            parts.push(format!("containerPort={p}"));
        }
        create.push(format!("--load-balancers {}", q(&parts.join(","))));
    }
    create.push("--scale value=100,unit=PERCENT".to_string());
    let old = q(&r.task_set_arn);
    let common = format!("--region {region} --cluster {cluster} --service {service}");
    [
        "# 1. Create the replacement: same task definition, private subnets, no public IP.".to_string(),
        create.join(" \\\n    "),
        "# 2. Send production traffic to it (the taskSetArn printed by step 1).".to_string(),
        format!(
            "aws ecs update-service-primary-task-set {common} \\\n    --primary-task-set {}",
            q("<new-task-set-arn>")
        ),
        "# 3. Scale the exposed task set to zero.".to_string(),
        format!("aws ecs update-task-set {common} \\\n    --task-set {old} --scale value=0,unit=PERCENT"),
        "# 4. Delete it.".to_string(),
        format!("aws ecs delete-task-set {common} \\\n    --task-set {old}"),
    ]
    .join("\n")
}

fn appspec(r: &Row, ts: Option<&TaskSet>) -> String {
    let td = ts
        .and_then(|t| t.task_definition.clone())
        .unwrap_or_else(|| "<task-definition-arn>".to_string());
    let (subnets, groups) = network_of(ts);
    let lb = ts.and_then(|t| t.load_balancers.first());
    let list = |v: &[String]| {
        v.iter()
            .map(|s| json_quote(s))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut lines = vec![
        format!(
            "# AppSpec for the next CodeDeploy deployment of {}/{}",
            r.cluster.replace('\n', " "),
            r.service.replace('\n', " ")
        ),
        "version: 0.0".to_string(),
        "Resources:".to_string(),
        "  - TargetService:".to_string(),
        "      Type: AWS::ECS::Service".to_string(),
        "      Properties:".to_string(),
        format!("        TaskDefinition: {}", json_quote(&td)),
    ];
    if let Some(lb) = lb {
        lines.push("        LoadBalancerInfo:".to_string());
        lines.push(format!(
            "          ContainerName: {}",
            json_quote(lb.container_name.as_deref().unwrap_or("<container-name>"))
        ));
        lines.push(format!(
            "          ContainerPort: {}",
            lb.container_port
                .map(|p| p.to_string())
                .unwrap_or_else(|| "<container-port>".into())
        ));
    }
    lines.extend([
        "        NetworkConfiguration:".to_string(),
        "          AwsvpcConfiguration:".to_string(),
        format!("            Subnets: [{}]", list(&subnets)),
        format!("            SecurityGroups: [{}]", list(&groups)),
        "            AssignPublicIp: \"DISABLED\"".to_string(),
        "# Then start a deployment with it:".to_string(),
        "# aws deploy create-deployment --application-name <application> --deployment-group-name <group> \\".to_string(),
        "#     --revision revisionType=AppSpecContent,appSpecContent={content=<the AppSpec above as a string>}".to_string(),
    ]);
    lines.join("\n")
}

/// Remediation for every row that needs it, in row order.
pub fn plan(rows: &[Row], inventory: &Inventory) -> Vec<Remediation> {
    rows.iter()
        .filter(|r| needs_remediation(r.outcome))
        .map(|r| {
            let ts = inventory.task_sets.get(&r.task_set_arn);
            let codedeploy = ts.and_then(|t| t.started_by.as_deref()) == Some("CODE_DEPLOY");
            let mut notes = vec![
                "The subnets must be private: no route to an internet gateway (egress through a NAT gateway or VPC endpoints). Replace any public subnet listed here.".to_string(),
            ];
            if ts.is_none() {
                notes.push("No dump describes this task set: fill in the values in angle brackets from `aws ecs describe-task-sets`.".to_string());
            }
            if r.outcome == Outcome::Conflict {
                notes.push("Security Hub and the dump disagree: first re-run describe-task-sets and re-export the finding to establish which is current.".to_string());
            }
            if r.outcome == Outcome::RiskAccepted {
                notes.push("The risk is accepted in Security Hub: replace the task set when the exception ends, then unsuppress the finding.".to_string());
            }
            Remediation {
                task_set_arn: r.task_set_arn.clone(),
                outcome: r.outcome.code().to_string(),
                method: if codedeploy { "codedeploy" } else { "task-set" }.to_string(),
                script: if codedeploy { appspec(r, ts) } else { task_set_commands(r, ts) },
                notes,
            }
        })
        .collect()
}

/// A Markdown code fence longer than any run of backticks in the text, so the text cannot close it.
pub fn fence_for(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AssignPublicIp, LoadBalancer, Origin};
    use crate::reconcile::InventoryState;

    fn row(arn: &str) -> Row {
        let mut rows = crate::reconcile::reconcile(&[], &inventory(arn, None));
        let mut r = rows.remove(0);
        r.outcome = Outcome::NonCompliant;
        r.inventory_state = InventoryState::Enabled;
        r
    }

    fn inventory(arn: &str, started_by: Option<&str>) -> Inventory {
        let a = crate::arn::TaskSetArn::parse(arn).unwrap();
        let mut inv = Inventory::default();
        inv.task_sets.insert(
            arn.to_string(),
            TaskSet {
                arn: arn.to_string(),
                id: a.id,
                account_id: a.account_id,
                region: a.region,
                cluster: a.cluster,
                service: a.service,
                status: None,
                assign_public_ip: Some(AssignPublicIp::Enabled),
                subnets: vec!["subnet-0a".into(), "subnet-0b".into()],
                security_groups: vec!["sg-01".into()],
                launch_type: Some("FARGATE".into()),
                task_definition: Some("arn:aws:ecs:eu-west-1:1:task-definition/api:7".into()),
                started_by: started_by.map(str::to_string),
                external_id: None,
                stability_status: None,
                created_at: None,
                updated_at: None,
                load_balancers: vec![LoadBalancer {
                    target_group_arn: Some(
                        "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/api/0f".into(),
                    ),
                    load_balancer_name: None,
                    container_name: Some("web".into()),
                    container_port: Some(8080),
                }],
                flags: vec![],
                readings: vec![],
                origin: Origin {
                    input: 0,
                    record: 1,
                },
            },
        );
        inv
    }

    #[test]
    fn commands_are_prefilled_with_the_task_sets_own_values() {
        let arn = "arn:aws:ecs:eu-west-1:1:task-set/pay/api/ecs-svc/42";
        let plan = plan(&[row(arn)], &inventory(arn, None));
        assert_eq!(plan.len(), 1);
        let s = &plan[0].script;
        assert_eq!(plan[0].method, "task-set");
        for want in [
            "aws ecs create-task-set",
            "--region eu-west-1",
            "--cluster pay --service api",
            "--task-definition arn:aws:ecs:eu-west-1:1:task-definition/api:7",
            "--launch-type FARGATE",
            "--network-configuration 'awsvpcConfiguration={subnets=[subnet-0a,subnet-0b],securityGroups=[sg-01],assignPublicIp=DISABLED}'",
            "--load-balancers targetGroupArn=arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/api/0f,containerName=web,containerPort=8080",
            "aws ecs update-service-primary-task-set",
            &format!("--task-set {arn} --scale value=0,unit=PERCENT"),
            "aws ecs delete-task-set",
        ] {
            assert!(s.contains(want), "missing {want:?} in\n{s}");
        }
        assert!(plan[0].notes[0].contains("must be private"));
    }

    #[test]
    fn codedeploy_task_sets_get_an_appspec() {
        let arn = "arn:aws:ecs:eu-west-1:1:task-set/pay/api/ecs-svc/42";
        let plan = plan(&[row(arn)], &inventory(arn, Some("CODE_DEPLOY")));
        assert_eq!(plan[0].method, "codedeploy");
        assert!(plan[0].script.contains("AssignPublicIp: \"DISABLED\""));
        assert!(plan[0]
            .script
            .contains("Subnets: [\"subnet-0a\", \"subnet-0b\"]"));
        assert!(plan[0].script.contains("ContainerPort: 8080"));
    }

    #[test]
    fn shell_quoting_defuses_hostile_values() {
        assert_eq!(shell_quote("payments"), "payments");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("x'; rm -rf / #"), "'x'\\''; rm -rf / #'");
        assert_eq!(shell_quote("$(curl evil)"), "'$(curl evil)'");
        assert_eq!(shell_quote("--force"), "'--force'");
        assert_eq!(shell_quote(""), "''");
        // Braces, brackets and angle brackets mean something to bash: always quoted.
        assert_eq!(shell_quote("a={b,c}"), "'a={b,c}'");
        assert_eq!(shell_quote("<x>"), "'<x>'");
    }

    #[test]
    fn fences_outgrow_backticks_in_the_text() {
        assert_eq!(fence_for("plain"), "```");
        assert_eq!(fence_for("a ```` b"), "`````");
    }
}
