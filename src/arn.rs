//! ECS ARNs and what they tell about where a task set lives.
//!
//! A task set ARN is `arn:<partition>:ecs:<region>:<account>:task-set/<cluster>/<service>/<id>` where the id
//! itself contains a slash (`ecs-svc/1234567890123456789`). Service ARNs come in the long form
//! `service/<cluster>/<service>` and, for services created before 2021, the short form `service/<service>`;
//! that is why the join between findings and dumps is done on a [`ServiceKey`] built from names, not on ARNs.

use serde::Serialize;
use std::fmt;

/// The parts of an ECS task set ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskSetArn {
    pub partition: String,
    pub region: String,
    pub account_id: String,
    pub cluster: String,
    pub service: String,
    pub id: String,
}

/// The service a task set belongs to, by names; the join key between findings and inventory dumps.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ServiceKey {
    pub account_id: String,
    pub region: String,
    pub cluster: String,
    pub service: String,
}

impl fmt::Display for ServiceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{} in {} {}",
            self.cluster, self.service, self.account_id, self.region
        )
    }
}

/// The fixed head of every AWS ARN: partition, service, region, account and the resource part.
struct ArnParts<'a> {
    partition: &'a str,
    service: &'a str,
    region: &'a str,
    account_id: &'a str,
    resource: &'a str,
}

fn split_arn(arn: &str) -> Option<ArnParts<'_>> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    Some(ArnParts {
        partition: parts.next()?,
        service: parts.next()?,
        region: parts.next()?,
        account_id: parts.next()?,
        resource: parts.next()?,
    })
}

impl TaskSetArn {
    /// Parses a task set ARN; `None` when the text is not one (wrong service, type or shape).
    pub fn parse(arn: &str) -> Option<TaskSetArn> {
        let p = split_arn(arn)?;
        if p.service != "ecs" || p.region.is_empty() || p.account_id.is_empty() {
            return None;
        }
        let rest = p.resource.strip_prefix("task-set/")?;
        let mut names = rest.splitn(3, '/');
        let cluster = names.next().filter(|s| !s.is_empty())?;
        let service = names.next().filter(|s| !s.is_empty())?;
        let id = names.next().filter(|s| !s.is_empty())?;
        Some(TaskSetArn {
            partition: p.partition.to_string(),
            region: p.region.to_string(),
            account_id: p.account_id.to_string(),
            cluster: cluster.to_string(),
            service: service.to_string(),
            id: id.to_string(),
        })
    }

    /// What is odd about the ARN, in words: an account id that is not 12 digits, a partition AWS does not
    /// have, a region that is not an AWS region name, characters that act unseen. The ARN is kept verbatim; these are flags on its record.
    pub fn doubts(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !is_account_id(&self.account_id) {
            out.push(format!(
                "account id {:?} is not 12 digits (kept as written)",
                self.account_id
            ));
        }
        if !PARTITIONS.contains(&self.partition.as_str()) {
            out.push(format!(
                "partition {:?} is not an AWS partition ({})",
                self.partition,
                PARTITIONS.join(", ")
            ));
        }
        if !is_region_name(&self.region) {
            out.push(format!(
                "region {:?} is not an AWS region name (like eu-west-1)",
                self.region
            ));
        }
        let parts = [
            &self.partition,
            &self.region,
            &self.account_id,
            &self.cluster,
            &self.service,
            &self.id,
        ];
        if parts
            .iter()
            .any(|p| p.chars().any(crate::escape::is_hidden_control))
        {
            out.push(HIDDEN_IN_ARN.to_string());
        }
        out
    }

    pub fn service_key(&self) -> ServiceKey {
        ServiceKey {
            account_id: self.account_id.clone(),
            region: self.region.clone(),
            cluster: self.cluster.clone(),
            service: self.service.clone(),
        }
    }
}

/// The flag of an ARN holding characters that act unseen: a terminal or an editor would show another ARN
/// than the one the data files keep, as written, so their reader needs telling.
pub const HIDDEN_IN_ARN: &str = "the ARN holds control or bidirectional-override characters (kept as written here, shown escaped in the report)";

/// The partitions AWS has (ARN field 2).
pub const PARTITIONS: [&str; 8] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// Twelve ASCII digits.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// The shape of every AWS region name: a two-letter area, one or more lowercase words, a number
/// (`eu-west-1`, `us-gov-west-1`, `ap-southeast-5`, `us-isob-east-1`).
pub fn is_region_name(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [area, middle @ .., number] = parts.as_slice() else {
        return false;
    };
    area.len() == 2
        && area.bytes().all(|b| b.is_ascii_lowercase())
        && !middle.is_empty()
        && middle
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// Account, region and cluster name from a cluster ARN (`…:cluster/<name>`).
pub fn cluster_name(cluster_arn: &str) -> Option<String> {
    let p = split_arn(cluster_arn)?;
    let name = p.resource.strip_prefix("cluster/")?;
    (!name.is_empty()).then(|| name.to_string())
}

/// The service a service ARN names. The short legacy form carries no cluster, so the caller passes the
/// cluster name it knows from the `clusterArn` beside it.
pub fn service_key(service_arn: &str, cluster_from_elsewhere: Option<&str>) -> Option<ServiceKey> {
    let p = split_arn(service_arn)?;
    if p.service != "ecs" {
        return None;
    }
    let rest = p.resource.strip_prefix("service/")?;
    let (cluster, service) = match rest.split_once('/') {
        Some((c, s)) => (c.to_string(), s.to_string()),
        None => (cluster_from_elsewhere?.to_string(), rest.to_string()),
    };
    if cluster.is_empty() || service.is_empty() {
        return None;
    }
    Some(ServiceKey {
        account_id: p.account_id.to_string(),
        region: p.region.to_string(),
        cluster,
        service,
    })
}

/// The region and account an ARN of any service names (`arn:aws:ec2:eu-west-1:111122223333:subnet/…`),
/// each `None` when the ARN leaves it empty (S3, IAM) or the text is not an ARN.
pub fn region_and_account(arn: &str) -> (Option<String>, Option<String>) {
    match split_arn(arn) {
        Some(p) => (
            (!p.region.is_empty()).then(|| p.region.to_string()),
            (!p.account_id.is_empty()).then(|| p.account_id.to_string()),
        ),
        None => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_set_arn_keeps_the_slash_in_its_id() {
        let a = TaskSetArn::parse(
            "arn:aws:ecs:eu-west-1:111122223333:task-set/payments/card-api/ecs-svc/1234567890123456789",
        )
        .unwrap();
        assert_eq!(a.cluster, "payments");
        assert_eq!(a.service, "card-api");
        assert_eq!(a.id, "ecs-svc/1234567890123456789");
        assert_eq!(a.account_id, "111122223333");
        assert_eq!(a.region, "eu-west-1");
    }

    #[test]
    fn other_arns_are_not_task_sets() {
        for s in [
            "arn:aws:ecs:eu-west-1:111122223333:service/payments/card-api",
            "arn:aws:s3:::bucket",
            "AWS::::Account:111122223333",
            "arn:aws:ecs:eu-west-1:111122223333:task-set/payments/card-api",
            "",
        ] {
            assert!(TaskSetArn::parse(s).is_none(), "{s}");
        }
    }

    #[test]
    fn short_and_long_service_arns_give_the_same_key() {
        let long = service_key(
            "arn:aws:ecs:us-east-1:444455556666:service/checkout/cart-web",
            None,
        )
        .unwrap();
        let short = service_key(
            "arn:aws:ecs:us-east-1:444455556666:service/cart-web",
            Some("checkout"),
        )
        .unwrap();
        assert_eq!(long, short);
        assert!(service_key("arn:aws:ecs:us-east-1:444455556666:service/cart-web", None).is_none());
    }

    #[test]
    fn doubts_about_account_partition_and_region() {
        let ok = TaskSetArn::parse(
            "arn:aws-us-gov:ecs:us-gov-west-1:111122223333:task-set/c/s/ecs-svc/1",
        )
        .unwrap();
        assert!(ok.doubts().is_empty());
        let odd = TaskSetArn::parse("arn:awz:ecs:mars-1:1234:task-set/c/s/ecs-svc/1").unwrap();
        let d = odd.doubts();
        assert_eq!(d.len(), 3, "{d:?}");
        for hidden in [
            "pay\u{1b}[2J",
            "\u{202e}ipa",
            "a\rb",
            "nul\u{0}",
            "\u{2066}x",
        ] {
            let arn = format!("arn:aws:ecs:eu-west-1:111122223333:task-set/{hidden}/s/ecs-svc/1");
            let d = TaskSetArn::parse(&arn).unwrap().doubts();
            assert_eq!(d, vec![HIDDEN_IN_ARN.to_string()], "{hidden:?}");
        }
        assert!(d[0].starts_with("account id \"1234\" is not 12 digits"));
        assert!(d[1].starts_with("partition \"awz\""));
        assert!(d[2].starts_with("region \"mars-1\""));
        for r in [
            "eu-west-1",
            "ap-southeast-5",
            "us-isob-east-1",
            "il-central-1",
            "cn-north-1",
        ] {
            assert!(is_region_name(r), "{r}");
        }
        for r in ["EU-west-1", "eu-west", "euwest1", "e-west-1", "eu--1", ""] {
            assert!(!is_region_name(r), "{r}");
        }
    }

    #[test]
    fn cluster_names() {
        assert_eq!(
            cluster_name("arn:aws:ecs:us-east-1:444455556666:cluster/checkout").as_deref(),
            Some("checkout")
        );
        assert_eq!(cluster_name("checkout"), None);
    }

    #[test]
    fn region_and_account_of_any_arn() {
        assert_eq!(
            region_and_account("arn:aws:ec2:us-east-1:111122223333:subnet/subnet-8EXAMPLE"),
            (
                Some("us-east-1".to_string()),
                Some("111122223333".to_string())
            )
        );
        assert_eq!(region_and_account("arn:aws:s3:::bucket"), (None, None));
        assert_eq!(region_and_account("subnet-8EXAMPLE"), (None, None));
    }
}
