//! Elastic Load Balancing v2: load balancers, their listeners, and the target groups that join them to a
//! task set. Every one of them is keyed by its ARN, which also gives its account and region.

use super::{absorb_within, elements, finish, id_of, open, place_of, NetworkRecordError};
use crate::ingest::fields::{FieldError, Fields};
use crate::ingest::problem::Flags;
use crate::network::{Listener, LoadBalancer, Place, ResourceKind, Scheme, TargetGroup};
use serde_json::Value;

/// A port number; flagged when it is not one.
fn port(f: &mut Fields<'_>, key: &'static str) -> Option<u16> {
    let n = f.i64(&[key])?;
    let p = u16::try_from(n).ok();
    if p.is_none() {
        f.flag(FieldError::Invalid {
            field: key.to_string(),
            value: n.to_string(),
            expected: "a port from 0 to 65535",
        });
    }
    p
}

/// One element of `aws elbv2 describe-load-balancers` `LoadBalancers[]` (or an
/// `AWS::ElasticLoadBalancingV2::LoadBalancer` configuration).
pub fn load_balancer(
    v: &Value,
    place: &Place,
) -> Result<(LoadBalancer, Flags), NetworkRecordError> {
    let record = open(v, ResourceKind::LoadBalancer)?;
    let mut f = Fields::of(record.value());
    let arn = id_of(&mut f, "LoadBalancerArn", ResourceKind::LoadBalancer)?;
    let mut notes = Vec::new();
    let (account, region) = place_of(
        &mut f,
        place,
        None,
        Some("LoadBalancerArn"),
        &mut notes,
        &arn,
    );
    let scheme = f.str(&["Scheme"]).map(Scheme::parse);
    if let Some(Scheme::Other(s)) = &scheme {
        notes.push(format!("{arn}: unknown Scheme {s:?} kept verbatim"));
    }
    let mut subnets = Vec::new();
    for (path, item) in elements(&mut f, "AvailabilityZones") {
        let mut e = Fields::of(item);
        subnets.extend(e.string(&["SubnetId"]));
        absorb_within(&mut f, &path, e);
    }
    let load_balancer = LoadBalancer {
        name: f.string(&["LoadBalancerName"]),
        scheme,
        kind: f.string(&["Type"]),
        vpc: f.string(&["VpcId"]),
        subnets,
        security_groups: f.list(&["SecurityGroups"]),
        ip_address_type: f.string(&["IpAddressType"]),
        account,
        region,
        unreadable: Vec::new(),
        arn,
    };
    let (unreadable, flags) = finish(f, &record, notes, &load_balancer.arn);
    Ok((
        LoadBalancer {
            unreadable,
            ..load_balancer
        },
        flags,
    ))
}

/// One element of `aws elbv2 describe-listeners` `Listeners[]` (or an
/// `AWS::ElasticLoadBalancingV2::Listener` configuration, which AWS Config writes in PascalCase).
pub fn listener(v: &Value, place: &Place) -> Result<(Listener, Flags), NetworkRecordError> {
    let record = open(v, ResourceKind::Listener)?;
    let mut f = Fields::of(record.value());
    let arn = id_of(&mut f, "ListenerArn", ResourceKind::Listener)?;
    let load_balancer = id_of(&mut f, "LoadBalancerArn", ResourceKind::Listener)?;
    let mut notes = Vec::new();
    let (account, region) = place_of(&mut f, place, None, Some("ListenerArn"), &mut notes, &arn);
    let port = port(&mut f, "Port");
    let protocol = f.string(&["Protocol"]);
    let (unreadable, flags) = finish(f, &record, notes, &arn);
    let listener = Listener {
        arn,
        load_balancer,
        port,
        protocol,
        account,
        region,
        unreadable,
    };
    Ok((listener, flags))
}

/// One element of `aws elbv2 describe-target-groups` `TargetGroups[]`.
pub fn target_group(v: &Value, place: &Place) -> Result<(TargetGroup, Flags), NetworkRecordError> {
    let record = open(v, ResourceKind::TargetGroup)?;
    let mut f = Fields::of(record.value());
    let arn = id_of(&mut f, "TargetGroupArn", ResourceKind::TargetGroup)?;
    let mut notes = Vec::new();
    let (account, region) = place_of(
        &mut f,
        place,
        None,
        Some("TargetGroupArn"),
        &mut notes,
        &arn,
    );
    let target_group = TargetGroup {
        name: f.string(&["TargetGroupName"]),
        load_balancers: f.list(&["LoadBalancerArns"]),
        port: port(&mut f, "Port"),
        protocol: f.string(&["Protocol"]),
        target_type: f.string(&["TargetType"]),
        vpc: f.string(&["VpcId"]),
        account,
        region,
        unreadable: Vec::new(),
        arn,
    };
    let (unreadable, flags) = finish(f, &record, notes, &target_group.arn);
    Ok((
        TargetGroup {
            unreadable,
            ..target_group
        },
        flags,
    ))
}
