//! What kind a resource is, and where it lives: the two keys of "which inputs were given".

use serde::Serialize;

/// The kinds of network resource, each with the command whose output describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Subnet,
    RouteTable,
    SecurityGroup,
    NetworkAcl,
    PrefixList,
    PrefixListEntries,
    LoadBalancer,
    Listener,
    TargetGroup,
}

impl ResourceKind {
    /// The resource in the auditor's words.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Subnet => "subnet",
            ResourceKind::RouteTable => "route table",
            ResourceKind::SecurityGroup => "security group",
            ResourceKind::NetworkAcl => "network ACL",
            ResourceKind::PrefixList => "prefix list",
            ResourceKind::PrefixListEntries => "prefix list entries",
            ResourceKind::LoadBalancer => "load balancer",
            ResourceKind::Listener => "listener",
            ResourceKind::TargetGroup => "target group",
        }
    }

    /// The AWS CLI command whose output describes resources of this kind.
    pub fn command(self) -> &'static str {
        match self {
            ResourceKind::Subnet => "aws ec2 describe-subnets",
            ResourceKind::RouteTable => "aws ec2 describe-route-tables",
            ResourceKind::SecurityGroup => "aws ec2 describe-security-groups",
            ResourceKind::NetworkAcl => "aws ec2 describe-network-acls",
            ResourceKind::PrefixList => "aws ec2 describe-managed-prefix-lists",
            ResourceKind::PrefixListEntries => "aws ec2 get-managed-prefix-list-entries",
            ResourceKind::LoadBalancer => "aws elbv2 describe-load-balancers",
            ResourceKind::Listener => "aws elbv2 describe-listeners",
            ResourceKind::TargetGroup => "aws elbv2 describe-target-groups",
        }
    }
}

/// Where an input's resources live, as far as the evidence says: an account and a region, either of which
/// may be unknown (a `describe-route-tables` output names owners but never its region).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Place {
    pub account: Option<String>,
    pub region: Option<String>,
}

impl Place {
    pub fn new(account: Option<&str>, region: Option<&str>) -> Place {
        Place {
            account: account.map(str::to_string),
            region: region.map(str::to_string),
        }
    }

    /// True when this place can be `account` in `region`: each part equal, or not known.
    pub fn may_be(&self, account: &str, region: &str) -> bool {
        self.account.as_deref().is_none_or(|a| a == account)
            && self.region.as_deref().is_none_or(|r| r == region)
    }
}
