//! Remediation, pre-filled per exposed task set.
//!
//! A task set's network configuration cannot be changed in place (`update-task-set` only changes its scale),
//! so the fix is a replacement task set with `assignPublicIp=DISABLED` in private subnets, made primary, then
//! the old one scaled to zero and deleted. Task sets started by CodeDeploy are replaced by a new deployment
//! whose AppSpec says `DISABLED`.
//!
//! Every value from the inputs is quoted for the language it lands in by one function of `escape` each:
//! [`shell_word`] in commands, [`json_string`] in their JSON arguments, [`yaml_string`] in the AppSpec. So a
//! hostile name can neither turn a command into another one nor add a key (a CodeDeploy hook) to the
//! AppSpec. A value holding a control or bidirectional character is refused from commands altogether:
//! quoted, it would still be carried, unseen, and the command would run differently from how it reads.

use crate::escape::{is_hidden_control, json_string, shell_word, yaml_string};
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

/// Why no command is shown: the value (named as the reader knows it) holds a character that acts unseen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Refused(&'static str);

/// A value from the inputs, when a command may carry it.
fn checked<'a>(what: &'static str, value: &'a str) -> Result<&'a str, Refused> {
    if value.chars().any(is_hidden_control) {
        Err(Refused(what))
    } else {
        Ok(value)
    }
}

/// Every value of a list, when a command may carry them all.
fn all_checked<'a>(what: &'static str, values: &'a [String]) -> Result<Vec<&'a str>, Refused> {
    values.iter().map(|v| checked(what, v)).collect()
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

fn task_definition_of(ts: Option<&TaskSet>) -> String {
    ts.and_then(|t| t.task_definition.clone())
        .unwrap_or_else(|| "<task-definition-arn>".to_string())
}

/// A JSON list of strings, each through [`json_string`].
fn json_list(values: &[&str]) -> String {
    let items: Vec<String> = values.iter().map(|v| json_string(v)).collect();
    format!("[{}]", items.join(","))
}

/// `--network-configuration` as JSON: the AWS CLI's shorthand has no quoting a value could not break out of
/// (a subnet `x],assignPublicIp=ENABLED,y=[` would add a member), JSON has.
fn network_json(ts: Option<&TaskSet>) -> Result<String, Refused> {
    let (subnets, groups) = network_of(ts);
    Ok(format!(
        "{{\"awsvpcConfiguration\":{{\"subnets\":{},\"securityGroups\":{},\"assignPublicIp\":\"DISABLED\"}}}}",
        json_list(&all_checked("subnet", &subnets)?),
        json_list(&all_checked("security group", &groups)?)
    ))
}

/// `--load-balancers` as one JSON list (the option takes a list; given twice, the AWS CLI keeps only the
/// last), `None` without load balancers.
fn load_balancers_json(ts: Option<&TaskSet>) -> Result<Option<String>, Refused> {
    let balancers = ts.map(|t| t.load_balancers.as_slice()).unwrap_or(&[]);
    if balancers.is_empty() {
        return Ok(None);
    }
    let mut items = Vec::new();
    for lb in balancers {
        let mut members = Vec::new();
        let texts = [
            ("targetGroupArn", "target group", &lb.target_group_arn),
            (
                "loadBalancerName",
                "load balancer name",
                &lb.load_balancer_name,
            ),
            ("containerName", "container name", &lb.container_name),
        ];
        for (key, what, value) in texts {
            if let Some(v) = value {
                members.push(format!("\"{key}\":{}", json_string(checked(what, v)?)));
            }
        }
        if let Some(p) = lb.container_port {
            members.push(format!("\"containerPort\":{p}"));
        }
        items.push(format!("{{{}}}", members.join(",")));
    }
    Ok(Some(format!("[{}]", items.join(","))))
}

fn task_set_commands(r: &Row, ts: Option<&TaskSet>) -> Result<String, Refused> {
    let word = |what: &'static str, value: &str| checked(what, value).map(shell_word);
    let region = word("region", &r.region)?;
    let cluster = word("cluster name", &r.cluster)?;
    let service = word("service name", &r.service)?;
    let old = word("task set ARN", &r.task_set_arn)?;
    let launch_type = ts.and_then(|t| t.launch_type.clone());
    let mut create = vec![
        "aws ecs create-task-set".to_string(),
        format!("--region {region}"),
        format!("--cluster {cluster} --service {service}"),
        format!(
            "--task-definition {}",
            word("task definition", &task_definition_of(ts))?
        ),
        format!("--external-id {}", shell_word("<new-external-id>")),
        format!(
            "--launch-type {}",
            word(
                "launch type",
                launch_type.as_deref().unwrap_or("<FARGATE|EC2>")
            )?
        ),
        format!("--network-configuration {}", shell_word(&network_json(ts)?)),
    ];
    if let Some(lbs) = load_balancers_json(ts)? {
        create.push(format!("--load-balancers {}", shell_word(&lbs)));
    }
    create.push("--scale value=100,unit=PERCENT".to_string());
    let common = format!("--region {region} --cluster {cluster} --service {service}");
    Ok([
        "# 1. Create the replacement: same task definition, private subnets, no public IP.".to_string(),
        create.join(" \\\n    "),
        "# 2. Send production traffic to it (the taskSetArn printed by step 1).".to_string(),
        format!(
            "aws ecs update-service-primary-task-set {common} \\\n    --primary-task-set {}",
            shell_word("<new-task-set-arn>")
        ),
        "# 3. Scale the exposed task set to zero.".to_string(),
        format!("aws ecs update-task-set {common} \\\n    --task-set {old} --scale value=0,unit=PERCENT"),
        "# 4. Delete it.".to_string(),
        format!("aws ecs delete-task-set {common} \\\n    --task-set {old}"),
    ]
    .join("\n"))
}

/// The AppSpec of the next CodeDeploy deployment. Every value is a YAML double-quoted scalar, the names in
/// the comment line too, so none can end its line.
fn appspec(r: &Row, ts: Option<&TaskSet>) -> String {
    let (subnets, groups) = network_of(ts);
    let lb = ts.and_then(|t| t.load_balancers.first());
    let list = |v: &[String]| {
        v.iter()
            .map(|s| yaml_string(s))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut lines = vec![
        format!(
            "# AppSpec for the next CodeDeploy deployment of {}",
            yaml_string(&format!("{}/{}", r.cluster, r.service))
        ),
        "version: 0.0".to_string(),
        "Resources:".to_string(),
        "  - TargetService:".to_string(),
        "      Type: AWS::ECS::Service".to_string(),
        "      Properties:".to_string(),
        format!(
            "        TaskDefinition: {}",
            yaml_string(&task_definition_of(ts))
        ),
    ];
    if let Some(lb) = lb {
        lines.push("        LoadBalancerInfo:".to_string());
        lines.push(format!(
            "          ContainerName: {}",
            yaml_string(lb.container_name.as_deref().unwrap_or("<container-name>"))
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

/// The warning a runbook shows instead of commands built with a value that acts unseen.
fn refusal(Refused(what): Refused) -> (String, String) {
    (
        format!("No command is shown: the {what} holds control or bidirectional-override characters (shown escaped in this report), which a copied command would carry unseen, so that it runs differently from how it reads. Check the task set with `aws ecs describe-task-sets` and write the commands by hand."),
        "# No command is shown for this task set: see the warning above.".to_string(),
    )
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
            let script = if codedeploy {
                appspec(r, ts)
            } else {
                task_set_commands(r, ts).unwrap_or_else(|refused| {
                    let (warning, script) = refusal(refused);
                    notes.insert(0, warning);
                    script
                })
            };
            Remediation {
                task_set_arn: r.task_set_arn.clone(),
                outcome: r.outcome.code().to_string(),
                method: if codedeploy { "codedeploy" } else { "task-set" }.to_string(),
                script,
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
            r#"--network-configuration '{"awsvpcConfiguration":{"subnets":["subnet-0a","subnet-0b"],"securityGroups":["sg-01"],"assignPublicIp":"DISABLED"}}'"#,
            r#"--load-balancers '[{"targetGroupArn":"arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/api/0f","containerName":"web","containerPort":8080}]'"#,
            "aws ecs update-service-primary-task-set",
            &format!("--task-set {arn} --scale value=0,unit=PERCENT"),
            "aws ecs delete-task-set",
        ] {
            assert!(s.contains(want), "missing {want:?} in\n{s}");
        }
        assert!(plan[0].notes[0].contains("must be private"));
    }

    #[test]
    fn every_load_balancer_is_in_the_one_list_the_option_takes() {
        let arn = "arn:aws:ecs:eu-west-1:1:task-set/pay/api/ecs-svc/42";
        let mut inv = inventory(arn, None);
        let ts = inv.task_sets.get_mut(arn).unwrap();
        let mut second = ts.load_balancers[0].clone();
        second.container_port = Some(9090);
        ts.load_balancers.push(second);
        let s = &plan(&[row(arn)], &inv)[0].script;
        assert_eq!(s.matches("--load-balancers").count(), 1, "{s}");
        assert!(
            s.contains(r#""containerPort":8080},{"targetGroupArn""#),
            "{s}"
        );
    }

    #[test]
    fn a_value_that_acts_unseen_is_refused_from_commands_with_a_warning() {
        let arn = "arn:aws:ecs:eu-west-1:1:task-set/pay/api/ecs-svc/42";
        for (field, set) in [
            (
                "subnet",
                (|t: &mut TaskSet| t.subnets[1] = "subnet-0b\rrm -rf ~".into()) as fn(&mut TaskSet),
            ),
            ("launch type", |t| {
                t.launch_type = Some("FARGATE\u{202e}".into())
            }),
            ("container name", |t| {
                t.load_balancers[0].container_name = Some("w\u{1b}[8m".into())
            }),
        ] {
            let mut inv = inventory(arn, None);
            set(inv.task_sets.get_mut(arn).unwrap());
            let r = &plan(&[row(arn)], &inv)[0];
            assert!(!r.script.contains("aws ecs"), "{field}: {}", r.script);
            assert!(!r.script.chars().any(is_hidden_control), "{field}");
            assert!(
                r.notes[0].starts_with(&format!("No command is shown: the {field} holds control")),
                "{field}: {:?}",
                r.notes
            );
        }
        // The names come from the ARN.
        let odd = "arn:aws:ecs:eu-west-1:1:task-set/pay\r/api/ecs-svc/42";
        let r = &plan(&[row(odd)], &inventory(odd, None))[0];
        assert!(
            r.notes[0].contains("the cluster name holds control"),
            "{:?}",
            r.notes
        );
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
    fn no_name_adds_a_line_or_a_key_to_the_appspec() {
        let arn = "arn:aws:ecs:eu-west-1:1:task-set/x\rHooks:\n  - BeforeInstall: arn:aws:lambda:eu-west-1:1:function:evil/api\u{2028}Hooks: x/ecs-svc/42";
        let r = &plan(&[row(arn)], &inventory(arn, Some("CODE_DEPLOY")))[0];
        let plain = "arn:aws:ecs:eu-west-1:1:task-set/pay/api/ecs-svc/42";
        let p = &plan(&[row(plain)], &inventory(plain, Some("CODE_DEPLOY")))[0];
        let lines = |s: &str| {
            s.split(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'])
                .count()
        };
        assert_eq!(lines(&r.script), lines(&p.script), "{}", r.script);
        assert!(
            r.script.starts_with("# AppSpec for the next CodeDeploy deployment of \"x\\u000dHooks:\\u000a  - BeforeInstall: arn:aws:lambda:eu-west-1:1:function:evil/api\\u2028Hooks: x\"\n"),
            "{}",
            r.script
        );
    }

    #[test]
    fn fences_outgrow_backticks_in_the_text() {
        assert_eq!(fence_for("plain"), "```");
        assert_eq!(fence_for("a ```` b"), "`````");
    }
}
