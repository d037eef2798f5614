//! Network evidence (EC2 and ELBv2 `describe-*` output, and the same resources as AWS Config items) →
//! the resources of [`crate::network`], one list element at a time.
//!
//! Each reader takes ONE element of the output's list (`Subnets[]`, `RouteTables[]`, …) and the place the
//! caller knows the input describes (an account and a region, either unknown), and returns the resource
//! with what it noticed ([`Flags`]), like `ecs::task_set`. A field that cannot be read is flagged and also
//! recorded in the resource's `unreadable`, so the analysis knows the resource may say less than it
//! should; only an element without its id (which nothing could be keyed by) is refused.
//!
//! Key case: the CLI prints PascalCase (`SubnetId`), AWS Config items camelCase (`subnetId`, `ipPermissions`,
//! `dNSName`). Every key of the element is read with its first letter upper-cased, so both read alike; a
//! record holding the same key in both cases is flagged (the first, in key order, is read). AWS Config's
//! security groups give `ipRanges` as bare CIDR strings and `ipv4Ranges` as `{cidrIp}` objects; both are read.

mod config;
mod ec2;
mod elbv2;
mod rules;
#[cfg(test)]
mod tests;

pub use config::{config_item, read_item, ConfigNetworkItem};
pub use ec2::{prefix_list, prefix_list_entry, route_table, subnet};
pub use elbv2::{listener, load_balancer, target_group};
pub use rules::{network_acl, security_group};

use super::fields::{at, FieldError, Fields};
use super::problem::Flags;
use crate::arn;
use crate::network::{Cidr, Place, ResourceKind};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// An element that cannot be used at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NetworkRecordError {
    /// The id field is there but of the wrong type.
    #[error(transparent)]
    Field(#[from] FieldError),
    #[error("{} without {key}", kind.as_str())]
    WithoutId {
        kind: ResourceKind,
        key: &'static str,
    },
    #[error("{} is {found}, expected an object", kind.as_str())]
    NotAnObject {
        kind: ResourceKind,
        found: &'static str,
    },
    #[error("AWS Config item without resourceType")]
    ConfigWithoutType,
    #[error("AWS Config item {resource_type} {resource_id:?} with status {status:?} has no configuration: it says nothing about the resource")]
    ConfigWithoutConfiguration {
        resource_type: String,
        resource_id: String,
        status: String,
    },
    #[error("AWS Config item {resource_type} {resource_id:?}: configuration is text that is not JSON ({cause})")]
    ConfigurationNotJson {
        resource_type: String,
        resource_id: String,
        cause: String,
    },
}

/// One element with every key's first letter upper-cased, and the keys that were found in two cases.
/// Borrowed as it is when every key already starts upper-case (the CLI's output), so the common case
/// copies nothing.
pub(crate) struct Record<'v> {
    value: Cow<'v, Value>,
    clashes: Vec<String>,
}

fn starts_lower(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_lowercase())
}

fn is_pascal(v: &Value) -> bool {
    match v {
        Value::Object(map) => map.iter().all(|(k, x)| !starts_lower(k) && is_pascal(x)),
        Value::Array(items) => items.iter().all(is_pascal),
        _ => true,
    }
}

fn upper_first(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(c) if c.is_ascii_lowercase() => c.to_ascii_uppercase().to_string() + chars.as_str(),
        _ => key.to_string(),
    }
}

fn pascal(v: &Value, path: &str, clashes: &mut Vec<String>) -> Value {
    match v {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, x) in map {
                let key = upper_first(k);
                let here = || {
                    if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    }
                };
                if out.contains_key(&key) {
                    clashes.push(here());
                    continue;
                }
                let x = match x {
                    Value::Object(_) | Value::Array(_) => pascal(x, &here(), clashes),
                    scalar => scalar.clone(),
                };
                out.insert(key, x);
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|x| pascal(x, path, clashes)).collect())
        }
        other => other.clone(),
    }
}

pub(crate) fn open(v: &Value, kind: ResourceKind) -> Result<Record<'_>, NetworkRecordError> {
    if !v.is_object() {
        return Err(NetworkRecordError::NotAnObject {
            kind,
            found: crate::json::kind(v),
        });
    }
    let mut clashes = Vec::new();
    let value = if is_pascal(v) {
        Cow::Borrowed(v)
    } else {
        Cow::Owned(pascal(v, "", &mut clashes))
    };
    Ok(Record { value, clashes })
}

impl Record<'_> {
    pub(crate) fn value(&self) -> &Value {
        &self.value
    }
}

/// The id of the element: the record cannot be used without it.
pub(crate) fn id_of(
    f: &mut Fields<'_>,
    key: &'static str,
    kind: ResourceKind,
) -> Result<String, NetworkRecordError> {
    let before = f.problems().len();
    match f.string(&[key]) {
        Some(id) => Ok(id),
        None => match f.problems().get(before) {
            Some(p) => Err(NetworkRecordError::Field(p.clone())),
            None => Err(NetworkRecordError::WithoutId { kind, key }),
        },
    }
}

/// The owning account and the region of a resource: the owner (`OwnerId`) or the account of its ARN, else
/// the caller's; the region of its ARN, else the caller's. An ARN whose region is not the caller's is
/// noted (the ARN is the resource's own word and is kept).
pub(crate) fn place_of(
    f: &mut Fields<'_>,
    place: &Place,
    owner_key: Option<&str>,
    arn_key: Option<&str>,
    notes: &mut Vec<String>,
    id: &str,
) -> (Option<String>, Option<String>) {
    let owner = owner_key.and_then(|k| f.string(&[k]));
    if let Some(o) = &owner {
        if !crate::arn::is_account_id(o) {
            notes.push(format!(
                "{id}: OwnerId {o:?} is not a 12-digit account id; kept as given"
            ));
        }
    }
    let (arn_region, arn_account) = match arn_key.and_then(|k| f.str(&[k])) {
        Some(text) => arn::region_and_account(text),
        None => (None, None),
    };
    if let (Some(r), Some(given)) = (&arn_region, &place.region) {
        if r != given {
            notes.push(format!(
                "{id}: its ARN says region {r}, the input was read as {given}; the ARN's region is kept"
            ));
        }
    }
    let account = owner.or(arn_account).or_else(|| place.account.clone());
    (account, arn_region.or_else(|| place.region.clone()))
}

/// Where an element sits in its record (`Routes[2]`); said only when there is a problem to name.
pub(crate) struct At<'k> {
    key: &'k str,
    index: usize,
}

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}]", self.key, self.index)
    }
}

/// The elements of a list field, each with where it sits; a field that is not a list is flagged.
pub(crate) fn elements<'v, 'k>(f: &mut Fields<'v>, key: &'k str) -> Vec<(At<'k>, &'v Value)> {
    match at(f.value(), &[key]) {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(index, v)| (At { key, index }, v))
            .collect(),
        Some(other) => {
            f.flag(FieldError::WrongType {
                field: key.to_string(),
                found: crate::json::kind(other),
                expected: "a list",
            });
            Vec::new()
        }
    }
}

/// The same problem, about a field inside `prefix` (`Routes[2]` + `State` → `Routes[2].State`).
fn within(prefix: &str, e: FieldError) -> FieldError {
    let name = |field: String| format!("{prefix}.{field}");
    match e {
        FieldError::WrongType {
            field,
            found,
            expected,
        } => FieldError::WrongType {
            field: name(field),
            found,
            expected,
        },
        FieldError::NotStrings { field, found } => FieldError::NotStrings {
            field: name(field),
            found,
        },
        FieldError::NotWhole { field, value } => FieldError::NotWhole {
            field: name(field),
            value,
        },
        FieldError::Time { field, cause } => FieldError::Time {
            field: name(field),
            cause,
        },
        FieldError::Missing { field, what } => FieldError::Missing {
            field: name(field),
            what,
        },
        FieldError::Invalid {
            field,
            value,
            expected,
        } => FieldError::Invalid {
            field: name(field),
            value,
            expected,
        },
    }
}

/// Adds the problems of an element's reader to its record's, named by where the element sits.
pub(crate) fn absorb_within(parent: &mut Fields<'_>, at: &At<'_>, child: Fields<'_>) {
    let problems = child.into_problems();
    if problems.is_empty() {
        return;
    }
    let prefix = at.to_string();
    for p in problems {
        parent.flag(within(&prefix, p));
    }
}

/// A range of addresses; flagged when it is not one, or (when `needed`) when it is absent.
pub(crate) fn cidr_at(f: &mut Fields<'_>, key: &'static str, needed: bool) -> Option<Cidr> {
    match f.str(&[key]) {
        Some(text) => {
            let c = Cidr::parse(text);
            if c.is_none() {
                f.flag(FieldError::Invalid {
                    field: key.to_string(),
                    value: text.to_string(),
                    expected: "an address range (CIDR)",
                });
            }
            c
        }
        None => {
            if needed && at(f.value(), &[key]).is_none() {
                f.flag(FieldError::Missing {
                    field: key.to_string(),
                    what: "address range",
                });
            }
            None
        }
    }
}

/// The fields that could not be read, for the resource's `unreadable`, and the flags for the caller.
pub(crate) fn finish(
    f: Fields<'_>,
    record: &Record<'_>,
    mut notes: Vec<String>,
    id: &str,
) -> (Vec<String>, Flags) {
    for clash in &record.clashes {
        notes.push(format!(
            "{id}: {clash} is given twice, in two letter cases; the first in key order was read"
        ));
    }
    let problems = f.into_problems();
    let mut unreadable: Vec<String> = Vec::new();
    for field in problems
        .iter()
        .map(|p| p.field())
        .chain(record.clashes.iter().map(String::as_str))
    {
        if !unreadable.iter().any(|f| f == field) {
            unreadable.push(field.to_string());
        }
    }
    (
        unreadable,
        Flags {
            notes,
            unreadable: problems,
        },
    )
}
