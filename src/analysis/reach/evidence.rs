//! Fetching the evidence a decision rests on: a resource the model holds, checked to be usable (present,
//! described once, in the task set's region), or the [`Gap`] that says why it is not; and the one route
//! table or network ACL a subnet uses (its own association, else its VPC's default).

use super::{Gap, TaskSetNetwork};
use crate::network::{
    Listener, LoadBalancer, NetworkAcl, NetworkModel, ResourceKind, RouteTable, SecurityGroup,
    Subnet, TargetGroup,
};
use std::collections::BTreeSet;

/// What every resource of the model shares: a region (maybe unknown) and its unreadable fields.
pub(super) trait Located {
    const KIND: ResourceKind;
    fn region(&self) -> Option<&str>;
    fn unreadable(&self) -> &[String];
}

macro_rules! located {
    ($($t:ty => $kind:ident),+) => {$(
        impl Located for $t {
            const KIND: ResourceKind = ResourceKind::$kind;
            fn region(&self) -> Option<&str> {
                self.region.as_deref()
            }
            fn unreadable(&self) -> &[String] {
                &self.unreadable
            }
        }
    )+};
}

located!(Subnet => Subnet, RouteTable => RouteTable, SecurityGroup => SecurityGroup,
    NetworkAcl => NetworkAcl, LoadBalancer => LoadBalancer, Listener => Listener,
    TargetGroup => TargetGroup);

/// A resource the model holds, unless it is missing, conflicting, or in another region than the task set.
pub(super) fn fetch<'m, T: Located>(
    model: &NetworkModel,
    task_set: &TaskSetNetwork,
    id: &str,
    found: Option<&'m T>,
) -> Result<&'m T, Gap> {
    let kind = T::KIND;
    let Some(r) = found else {
        let place_described = model.describes(kind, &task_set.account, &task_set.region);
        return Err(Gap::NotDescribed {
            kind,
            id: id.to_string(),
            place_described,
        });
    };
    if model.is_conflicting(kind, id) {
        return Err(Gap::Conflicting {
            kind,
            id: id.to_string(),
        });
    }
    match r.region() {
        Some(region) if region != task_set.region => Err(Gap::OtherRegion {
            kind,
            id: id.to_string(),
            region: region.to_string(),
        }),
        _ => Ok(r),
    }
}

/// The resource's unreadable fields as a gap, when it has any.
pub(super) fn unreadable_gap<T: Located>(r: &T, id: &str) -> Option<Gap> {
    (!r.unreadable().is_empty()).then(|| Gap::Unreadable {
        kind: T::KIND,
        id: id.to_string(),
        fields: r.unreadable().to_vec(),
    })
}

/// The one resource a subnet uses of a kind: its explicit association, else its VPC's default.
pub(super) fn one_of<'m, T: Located>(
    model: &'m NetworkModel,
    task_set: &TaskSetNetwork,
    (subnet, vpc): (&str, &str),
    (explicit, defaults): (&BTreeSet<String>, &BTreeSet<String>),
    get: impl Fn(&str) -> Option<&'m T>,
    vpc_of: impl Fn(&T) -> Option<&str>,
) -> Result<(&'m T, String, bool), Gap> {
    let kind = T::KIND;
    let (id, is_explicit) = match (explicit.len(), defaults.len()) {
        (1, _) => (explicit.first(), true),
        (0, 1) => (defaults.first(), false),
        (0, 0) => {
            let place_described = model.describes(kind, &task_set.account, &task_set.region);
            return Err(Gap::NoDefault {
                kind,
                subnet: subnet.to_string(),
                vpc: vpc.to_string(),
                place_described,
            });
        }
        (0, _) => {
            let ids = defaults.iter().cloned().collect();
            return Err(Gap::SeveralDefaults {
                kind,
                vpc: vpc.to_string(),
                ids,
            });
        }
        _ => {
            let ids = explicit.iter().cloned().collect();
            let subnet = subnet.to_string();
            return Err(Gap::Several { kind, subnet, ids });
        }
    };
    let id = id.cloned().unwrap_or_default();
    let r = fetch(model, task_set, &id, get(&id))?;
    if vpc_of(r) != Some(vpc) {
        return Err(Gap::OtherVpc {
            kind,
            id,
            vpc: vpc_of(r).map(str::to_string),
            beside: subnet.to_string(),
            expected: vpc.to_string(),
        });
    }
    Ok((r, id, is_explicit))
}
