//! The network model: every subnet, route table, security group, network ACL, prefix list, load balancer,
//! listener and target group the inputs describe, keyed by id, and which places (account and region) some
//! input described each kind of resource for.
//!
//! A leaf: ingest fills it (one resource at a time, from any input shape) and the reachability analysis
//! reads it. The model never guesses. A resource that two inputs describe differently is remembered as
//! conflicting (the analysis cannot rest on it); which places were described lets the analysis tell "no
//! input describes subnet-X" from "the subnets of that account and region were given, and subnet-X is not
//! among them". Everything is kept in ordered maps, so nothing depends on the order inputs were read in.

mod cidr;
mod place;
mod resources;
mod traffic;

pub use cidr::{Cidr, Family};
pub use place::{Place, ResourceKind};
pub use resources::{
    AclAction, AclEntry, Destination, IngressRule, Ipv6Block, Listener, LoadBalancer, NetworkAcl,
    NetworkResource, PrefixList, PrefixListEntries, PrefixListEntry, Route, RouteState, RouteTable,
    RouteTableAssociation, RouteTarget, Scheme, SecurityGroup, Subnet, TargetGroup, TargetKind,
};
pub use traffic::{number_name, Protocol, RangeMeaning, Traffic, ICMP, ICMPV6, TCP, UDP, WHOLE};

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
/// Lookups the analysis needs, kept up to date on every insert so a task set is placed in a few map
/// lookups instead of a scan of every table. Built from every version of a resource ever inserted, so a
/// conflict can only add candidates (which the analysis then reports), never hide one.
#[derive(Debug, Clone, Default)]
struct Index {
    tables_of_subnet: BTreeMap<String, BTreeSet<String>>,
    main_tables_of_vpc: BTreeMap<String, BTreeSet<String>>,
    acls_of_subnet: BTreeMap<String, BTreeSet<String>>,
    default_acls_of_vpc: BTreeMap<String, BTreeSet<String>>,
    default_groups_of_vpc: BTreeMap<String, BTreeSet<String>>,
    listeners_of_load_balancer: BTreeMap<String, BTreeSet<String>>,
}

static NONE: BTreeSet<String> = BTreeSet::new();

fn ids<'a>(map: &'a BTreeMap<String, BTreeSet<String>>, key: &str) -> &'a BTreeSet<String> {
    map.get(key).unwrap_or(&NONE)
}

/// Every network resource the inputs describe.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NetworkModel {
    subnets: BTreeMap<String, Subnet>,
    route_tables: BTreeMap<String, RouteTable>,
    security_groups: BTreeMap<String, SecurityGroup>,
    network_acls: BTreeMap<String, NetworkAcl>,
    prefix_lists: BTreeMap<String, PrefixList>,
    prefix_list_entries: BTreeMap<String, PrefixListEntries>,
    load_balancers: BTreeMap<String, LoadBalancer>,
    listeners: BTreeMap<String, Listener>,
    target_groups: BTreeMap<String, TargetGroup>,
    /// Per kind, the places some input described resources of that kind for.
    described: BTreeMap<ResourceKind, BTreeSet<Place>>,
    /// Resources that two inputs describe differently, by kind and id.
    conflicting: BTreeSet<(ResourceKind, String)>,
    #[serde(skip)]
    index: Index,
}

/// Keeps one version of a resource per id. A second, different version marks the id as conflicting and
/// the smaller of the two is kept, so the model is the same whatever order the inputs came in.
fn keep<T: Ord>(
    map: &mut BTreeMap<String, T>,
    conflicting: &mut BTreeSet<(ResourceKind, String)>,
    kind: ResourceKind,
    id: String,
    value: T,
) {
    match map.get_mut(&id) {
        None => {
            map.insert(id, value);
        }
        Some(old) if *old == value => {}
        Some(old) => {
            if value < *old {
                *old = value;
            }
            conflicting.insert((kind, id));
        }
    }
}

fn add(map: &mut BTreeMap<String, BTreeSet<String>>, key: &str, id: &str) {
    match map.get_mut(key) {
        Some(ids) => {
            if !ids.contains(id) {
                ids.insert(id.to_string());
            }
        }
        None => {
            map.insert(key.to_string(), BTreeSet::from([id.to_string()]));
        }
    }
}

impl NetworkModel {
    /// Records that an input described resources of `kind` for `place`, even when it listed none (an
    /// empty `{"Subnets": []}` says the account has no subnets in that region).
    pub fn note_described(&mut self, kind: ResourceKind, place: Place) {
        self.described.entry(kind).or_default().insert(place);
    }

    /// True when some input described resources of `kind` that may belong to `account` in `region`.
    pub fn describes(&self, kind: ResourceKind, account: &str, region: &str) -> bool {
        self.described
            .get(&kind)
            .is_some_and(|places| places.iter().any(|p| p.may_be(account, region)))
    }

    /// True when two inputs describe the resource differently.
    pub fn is_conflicting(&self, kind: ResourceKind, id: &str) -> bool {
        self.conflicting.contains(&(kind, id.to_string()))
    }

    /// Adds one resource as a reader returned it.
    pub fn insert(&mut self, resource: NetworkResource) {
        match resource {
            NetworkResource::Subnet(r) => self.insert_subnet(r),
            NetworkResource::RouteTable(r) => self.insert_route_table(r),
            NetworkResource::SecurityGroup(r) => self.insert_security_group(r),
            NetworkResource::NetworkAcl(r) => self.insert_network_acl(r),
            NetworkResource::PrefixList(r) => self.insert_prefix_list(r),
            NetworkResource::PrefixListEntry(r) => self.insert_prefix_list_entry(r),
            NetworkResource::LoadBalancer(r) => self.insert_load_balancer(r),
            NetworkResource::Listener(r) => self.insert_listener(r),
            NetworkResource::TargetGroup(r) => self.insert_target_group(r),
        }
    }

    fn note_own_place(
        &mut self,
        kind: ResourceKind,
        account: &Option<String>,
        region: &Option<String>,
    ) {
        // Every resource of a dump shares one place: look before copying it.
        let known = self.described.get(&kind).is_some_and(|places| {
            places
                .iter()
                .any(|p| p.account == *account && p.region == *region)
        });
        if !known {
            let place = Place {
                account: account.clone(),
                region: region.clone(),
            };
            self.note_described(kind, place);
        }
    }

    pub fn insert_subnet(&mut self, s: Subnet) {
        self.note_own_place(ResourceKind::Subnet, &s.account, &s.region);
        let kind = ResourceKind::Subnet;
        keep(
            &mut self.subnets,
            &mut self.conflicting,
            kind,
            s.id.clone(),
            s,
        );
    }

    pub fn insert_route_table(&mut self, t: RouteTable) {
        self.note_own_place(ResourceKind::RouteTable, &t.account, &t.region);
        for a in t.associations.iter().filter(|a| a.is_current()) {
            if let Some(subnet) = &a.subnet {
                add(&mut self.index.tables_of_subnet, subnet, &t.id);
            }
            if let (true, Some(vpc)) = (a.main, &t.vpc) {
                add(&mut self.index.main_tables_of_vpc, vpc, &t.id);
            }
        }
        let kind = ResourceKind::RouteTable;
        keep(
            &mut self.route_tables,
            &mut self.conflicting,
            kind,
            t.id.clone(),
            t,
        );
    }

    pub fn insert_security_group(&mut self, g: SecurityGroup) {
        self.note_own_place(ResourceKind::SecurityGroup, &g.account, &g.region);
        if let (Some("default"), Some(vpc)) = (g.name.as_deref(), &g.vpc) {
            add(&mut self.index.default_groups_of_vpc, vpc, &g.id);
        }
        let kind = ResourceKind::SecurityGroup;
        keep(
            &mut self.security_groups,
            &mut self.conflicting,
            kind,
            g.id.clone(),
            g,
        );
    }

    pub fn insert_network_acl(&mut self, a: NetworkAcl) {
        self.note_own_place(ResourceKind::NetworkAcl, &a.account, &a.region);
        for subnet in &a.subnets {
            add(&mut self.index.acls_of_subnet, subnet, &a.id);
        }
        if let (true, Some(vpc)) = (a.is_default, &a.vpc) {
            add(&mut self.index.default_acls_of_vpc, vpc, &a.id);
        }
        let kind = ResourceKind::NetworkAcl;
        keep(
            &mut self.network_acls,
            &mut self.conflicting,
            kind,
            a.id.clone(),
            a,
        );
    }

    pub fn insert_prefix_list(&mut self, p: PrefixList) {
        self.note_own_place(ResourceKind::PrefixList, &p.account, &p.region);
        let kind = ResourceKind::PrefixList;
        keep(
            &mut self.prefix_lists,
            &mut self.conflicting,
            kind,
            p.id.clone(),
            p,
        );
    }

    /// Records that the entries of a prefix list were given, even when there are none (an empty list).
    pub fn note_prefix_list_entries_given(&mut self, prefix_list: &str) {
        self.prefix_list_entries
            .entry(prefix_list.to_string())
            .or_default();
    }

    /// Adds one entry to its list. Entries from several inputs are joined: a list seen at two times holds,
    /// for reachability, every range either time gave it (the more exposed reading).
    pub fn insert_prefix_list_entry(&mut self, e: PrefixListEntry) {
        let entries = self
            .prefix_list_entries
            .entry(e.prefix_list.clone())
            .or_default();
        match e.cidr {
            Some(c) => {
                entries.cidrs.insert(c);
            }
            None => entries.unreadable.push("Cidr".to_string()),
        }
        entries.unreadable.extend(e.unreadable);
        entries.unreadable.sort();
        entries.unreadable.dedup();
    }

    pub fn insert_load_balancer(&mut self, lb: LoadBalancer) {
        self.note_own_place(ResourceKind::LoadBalancer, &lb.account, &lb.region);
        let kind = ResourceKind::LoadBalancer;
        keep(
            &mut self.load_balancers,
            &mut self.conflicting,
            kind,
            lb.arn.clone(),
            lb,
        );
    }

    pub fn insert_listener(&mut self, l: Listener) {
        self.note_own_place(ResourceKind::Listener, &l.account, &l.region);
        add(
            &mut self.index.listeners_of_load_balancer,
            &l.load_balancer,
            &l.arn,
        );
        let kind = ResourceKind::Listener;
        keep(
            &mut self.listeners,
            &mut self.conflicting,
            kind,
            l.arn.clone(),
            l,
        );
    }

    pub fn insert_target_group(&mut self, tg: TargetGroup) {
        self.note_own_place(ResourceKind::TargetGroup, &tg.account, &tg.region);
        let kind = ResourceKind::TargetGroup;
        keep(
            &mut self.target_groups,
            &mut self.conflicting,
            kind,
            tg.arn.clone(),
            tg,
        );
    }

    pub fn subnet(&self, id: &str) -> Option<&Subnet> {
        self.subnets.get(id)
    }

    pub fn route_table(&self, id: &str) -> Option<&RouteTable> {
        self.route_tables.get(id)
    }

    pub fn security_group(&self, id: &str) -> Option<&SecurityGroup> {
        self.security_groups.get(id)
    }

    pub fn network_acl(&self, id: &str) -> Option<&NetworkAcl> {
        self.network_acls.get(id)
    }

    pub fn prefix_list(&self, id: &str) -> Option<&PrefixList> {
        self.prefix_lists.get(id)
    }

    /// The entries of a prefix list; `None` when no input gave them.
    pub fn prefix_list_entries(&self, id: &str) -> Option<&PrefixListEntries> {
        self.prefix_list_entries.get(id)
    }

    pub fn load_balancer(&self, arn: &str) -> Option<&LoadBalancer> {
        self.load_balancers.get(arn)
    }

    pub fn listener(&self, arn: &str) -> Option<&Listener> {
        self.listeners.get(arn)
    }

    pub fn target_group(&self, arn: &str) -> Option<&TargetGroup> {
        self.target_groups.get(arn)
    }

    /// Route tables explicitly associated with the subnet (one, unless the evidence contradicts itself).
    pub fn route_tables_of_subnet(&self, subnet: &str) -> &BTreeSet<String> {
        ids(&self.index.tables_of_subnet, subnet)
    }

    /// The VPC's main route tables (one, unless the evidence contradicts itself).
    pub fn main_route_tables(&self, vpc: &str) -> &BTreeSet<String> {
        ids(&self.index.main_tables_of_vpc, vpc)
    }

    /// Network ACLs associated with the subnet (one, unless the evidence contradicts itself).
    pub fn network_acls_of_subnet(&self, subnet: &str) -> &BTreeSet<String> {
        ids(&self.index.acls_of_subnet, subnet)
    }

    /// The VPC's default network ACLs (one, unless the evidence contradicts itself).
    pub fn default_network_acls(&self, vpc: &str) -> &BTreeSet<String> {
        ids(&self.index.default_acls_of_vpc, vpc)
    }

    /// The VPC's default security groups (named `default`; one, unless the evidence contradicts itself):
    /// the group of a task set that names none.
    pub fn default_security_groups(&self, vpc: &str) -> &BTreeSet<String> {
        ids(&self.index.default_groups_of_vpc, vpc)
    }

    /// The listeners of a load balancer, by ARN.
    pub fn listeners_of(&self, load_balancer: &str) -> &BTreeSet<String> {
        ids(&self.index.listeners_of_load_balancer, load_balancer)
    }

    /// How many resources of each kind the model holds, for the inputs table.
    pub fn counts(&self) -> BTreeMap<ResourceKind, usize> {
        BTreeMap::from([
            (ResourceKind::Subnet, self.subnets.len()),
            (ResourceKind::RouteTable, self.route_tables.len()),
            (ResourceKind::SecurityGroup, self.security_groups.len()),
            (ResourceKind::NetworkAcl, self.network_acls.len()),
            (ResourceKind::PrefixList, self.prefix_lists.len()),
            (
                ResourceKind::PrefixListEntries,
                self.prefix_list_entries.len(),
            ),
            (ResourceKind::LoadBalancer, self.load_balancers.len()),
            (ResourceKind::Listener, self.listeners.len()),
            (ResourceKind::TargetGroup, self.target_groups.len()),
        ])
    }

    /// True when no input described any network resource: reachability was not asked for.
    pub fn is_empty(&self) -> bool {
        self.described.is_empty() && self.prefix_list_entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subnet(id: &str, vpc: &str) -> Subnet {
        Subnet {
            id: id.to_string(),
            vpc: Some(vpc.to_string()),
            account: Some("111122223333".to_string()),
            region: Some("eu-west-1".to_string()),
            ipv4_cidr: Cidr::parse("10.0.0.0/24"),
            ipv6_cidrs: Vec::new(),
            unreadable: Vec::new(),
        }
    }

    #[test]
    fn the_same_description_twice_is_one_resource() {
        let mut m = NetworkModel::default();
        m.insert_subnet(subnet("subnet-1", "vpc-1"));
        m.insert_subnet(subnet("subnet-1", "vpc-1"));
        assert!(!m.is_conflicting(ResourceKind::Subnet, "subnet-1"));
        assert_eq!(m.counts()[&ResourceKind::Subnet], 1);
    }

    #[test]
    fn two_descriptions_that_differ_conflict_whatever_the_order() {
        let (a, b) = (subnet("subnet-1", "vpc-1"), subnet("subnet-1", "vpc-2"));
        let mut one = NetworkModel::default();
        one.insert_subnet(a.clone());
        one.insert_subnet(b.clone());
        let mut two = NetworkModel::default();
        two.insert_subnet(b);
        two.insert_subnet(a);
        assert!(one.is_conflicting(ResourceKind::Subnet, "subnet-1"));
        assert_eq!(
            serde_json::to_string(&one).unwrap(),
            serde_json::to_string(&two).unwrap()
        );
    }

    #[test]
    fn places_described_tell_missing_from_not_asked() {
        let mut m = NetworkModel::default();
        m.insert_subnet(subnet("subnet-1", "vpc-1"));
        m.note_described(
            ResourceKind::RouteTable,
            Place::new(Some("111122223333"), None),
        );
        assert!(m.describes(ResourceKind::Subnet, "111122223333", "eu-west-1"));
        assert!(!m.describes(ResourceKind::Subnet, "111122223333", "us-east-1"));
        assert!(!m.describes(ResourceKind::Subnet, "444455556666", "eu-west-1"));
        assert!(
            m.describes(ResourceKind::RouteTable, "111122223333", "us-east-1"),
            "a place whose region is not known may be any region"
        );
        assert!(!m.describes(ResourceKind::SecurityGroup, "111122223333", "eu-west-1"));
    }
}
