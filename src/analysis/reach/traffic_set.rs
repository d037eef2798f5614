//! Sets of traffic — (protocol, port) pairs — with union, intersection and difference, so that "what the
//! security groups admit" and "what the network ACL lets through" can be combined exactly, port by port.
//!
//! A pair is one number, `protocol << 16 | port` (for ICMP the port is the message type), and a set is a
//! sorted list of disjoint closed intervals of those numbers. `-1` (every protocol, every port) is one
//! interval, so sets stay a handful of intervals whatever the rules say.

use crate::network::{Protocol, RangeMeaning, Traffic, WHOLE};

/// The highest pair: protocol 255, port 65535.
const TOP: u32 = 0x00FF_FFFF;

fn key(protocol: u8, port: u16) -> u32 {
    (u32::from(protocol) << 16) | u32::from(port)
}

/// A set of (protocol, port) pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrafficSet {
    /// Sorted, disjoint, not touching.
    ranges: Vec<(u32, u32)>,
}

impl TrafficSet {
    pub fn empty() -> TrafficSet {
        TrafficSet::default()
    }

    /// Every protocol, every port.
    pub fn everything() -> TrafficSet {
        TrafficSet {
            ranges: vec![(0, TOP)],
        }
    }

    /// The traffic one rule is about.
    pub fn of(t: &Traffic) -> TrafficSet {
        match t.protocol {
            Protocol::All => TrafficSet::everything(),
            Protocol::Number(p) => TrafficSet {
                ranges: vec![(key(p, t.from), key(p, t.to))],
            },
        }
    }

    /// One port (or type) range of one protocol.
    pub fn ports(protocol: u8, from: u16, to: u16) -> TrafficSet {
        TrafficSet::of(&Traffic::range(Protocol::Number(protocol), from, to))
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// How many (protocol, port) pairs: to tell which of two exposures is wider.
    pub fn size(&self) -> u64 {
        self.ranges.iter().map(|(a, b)| u64::from(b - a) + 1).sum()
    }

    /// Builds a set from intervals in any order, merging those that overlap or touch.
    fn normalised(mut ranges: Vec<(u32, u32)>) -> TrafficSet {
        ranges.sort_unstable();
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
        for (a, b) in ranges {
            match out.last_mut() {
                Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
                _ => out.push((a, b)),
            }
        }
        TrafficSet { ranges: out }
    }

    pub fn union(&self, other: &TrafficSet) -> TrafficSet {
        let mut all = self.ranges.clone();
        all.extend_from_slice(&other.ranges);
        TrafficSet::normalised(all)
    }

    pub fn add(&mut self, other: &TrafficSet) {
        *self = self.union(other);
    }

    pub fn intersect(&self, other: &TrafficSet) -> TrafficSet {
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while let (Some(&(a1, b1)), Some(&(a2, b2))) = (self.ranges.get(i), other.ranges.get(j)) {
            let (lo, hi) = (a1.max(a2), b1.min(b2));
            if lo <= hi {
                out.push((lo, hi));
            }
            if b1 < b2 {
                i += 1;
            } else {
                j += 1;
            }
        }
        TrafficSet { ranges: out }
    }

    /// Every pair not in the set.
    pub fn complement(&self) -> TrafficSet {
        let mut out = Vec::new();
        let mut next = 0u32;
        for &(a, b) in &self.ranges {
            if a > next {
                out.push((next, a - 1));
            }
            next = b.saturating_add(1);
        }
        if next <= TOP {
            out.push((next, TOP));
        }
        TrafficSet { ranges: out }
    }

    pub fn minus(&self, other: &TrafficSet) -> TrafficSet {
        self.intersect(&other.complement())
    }

    /// True when every pair of `self` is in `other`.
    pub fn is_within(&self, other: &TrafficSet) -> bool {
        self.minus(other).is_empty()
    }

    /// The protocols that have at least one pair in the set.
    pub fn protocols(&self) -> Vec<u8> {
        let mut out: Vec<u8> = Vec::new();
        for &(a, b) in &self.ranges {
            for p in (a >> 16)..=(b >> 16) {
                if let Ok(p) = u8::try_from(p) {
                    if out.last() != Some(&p) {
                        out.push(p);
                    }
                }
            }
        }
        out
    }

    /// The set as rules would say it, one per protocol and range, in protocol then port order.
    pub fn items(&self) -> Vec<Traffic> {
        let mut out = Vec::new();
        for &(a, b) in &self.ranges {
            for p in (a >> 16)..=(b >> 16) {
                let Ok(protocol) = u8::try_from(p) else {
                    continue;
                };
                let from = if p == a >> 16 { (a & 0xFFFF) as u16 } else { 0 };
                let to = if p == b >> 16 {
                    (b & 0xFFFF) as u16
                } else {
                    WHOLE
                };
                let protocol = Protocol::Number(protocol);
                out.push(match protocol.ranges() {
                    RangeMeaning::None => Traffic::whole(protocol),
                    _ => Traffic::range(protocol, from, to),
                });
            }
        }
        out.dedup();
        out
    }

    /// The set in words, shortest form: `all`, `all except tcp/22`, or each item (`tcp/443`, `udp/53`).
    pub fn describe(&self) -> Vec<String> {
        if self.is_empty() {
            return Vec::new();
        }
        if *self == TrafficSet::everything() {
            return vec!["all".to_string()];
        }
        let items = self.items();
        let missing = self.complement().items();
        if missing.len() < items.len() {
            let except: Vec<String> = missing.iter().map(ToString::to_string).collect();
            return vec![format!("all except {}", except.join(", "))];
        }
        items.iter().map(ToString::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{TCP, UDP};

    fn tcp(from: u16, to: u16) -> TrafficSet {
        TrafficSet::ports(TCP, from, to)
    }

    #[test]
    fn union_merges_what_touches() {
        let s = tcp(80, 80).union(&tcp(443, 443)).union(&tcp(81, 100));
        assert_eq!(s.describe(), ["tcp/80-100", "tcp/443"]);
        assert_eq!(s.size(), 22);
    }

    #[test]
    fn intersect_and_minus() {
        let admitted = tcp(22, 22).union(&tcp(443, 443));
        let acl = TrafficSet::everything().minus(&tcp(22, 22));
        assert_eq!(admitted.intersect(&acl).describe(), ["tcp/443"]);
        assert_eq!(acl.describe(), ["all except tcp/22"]);
        assert!(tcp(443, 443).is_within(&acl));
        assert!(!tcp(20, 30).is_within(&acl));
        assert!(TrafficSet::everything().complement().is_empty());
        assert_eq!(TrafficSet::empty().complement(), TrafficSet::everything());
    }

    #[test]
    fn items_split_at_protocol_boundaries() {
        let s = TrafficSet::ports(TCP, 1024, WHOLE).union(&TrafficSet::ports(UDP, 0, 10));
        assert_eq!(s.describe(), ["tcp/1024-65535", "udp/0-10"]);
        assert_eq!(s.protocols(), [TCP, UDP]);
        let everything_but_tcp = TrafficSet::everything().minus(&TrafficSet::ports(TCP, 0, WHOLE));
        assert_eq!(everything_but_tcp.describe(), ["all except tcp/0-65535"]);
        assert_eq!(TrafficSet::everything().describe(), ["all"]);
        assert_eq!(
            TrafficSet::of(&Traffic::whole(Protocol::Number(47))).describe(),
            ["protocol 47"]
        );
    }
}
