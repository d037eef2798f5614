//! Address ranges (`10.0.0.0/16`, `::/0`) as the EC2 API writes them, parsed with the standard library.
//!
//! Reachability only ever asks two things of a range: which address family it belongs to, and whether it
//! is every address of that family (`0.0.0.0/0`, `::/0`: "the internet"). No arithmetic on addresses is
//! needed, so no CIDR crate is either.

use serde::Serialize;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// IPv4 or IPv6: routes, rules and addresses of one family never apply to the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Family {
    #[serde(rename = "IPv4")]
    Ipv4,
    #[serde(rename = "IPv6")]
    Ipv6,
}

impl Family {
    pub const ALL: [Family; 2] = [Family::Ipv4, Family::Ipv6];

    pub fn as_str(self) -> &'static str {
        match self {
            Family::Ipv4 => "IPv4",
            Family::Ipv6 => "IPv6",
        }
    }

    /// Every address of the family, as AWS writes it: the source "anywhere on the internet".
    pub fn every_address(self) -> &'static str {
        match self {
            Family::Ipv4 => "0.0.0.0/0",
            Family::Ipv6 => "::/0",
        }
    }
}

/// One address range: an address and the length of its network prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cidr {
    V4(Ipv4Addr, u8),
    V6(Ipv6Addr, u8),
}

impl Cidr {
    /// Parses `address/length`; `None` for anything else (no length, a length too long for the family,
    /// an address that is not one). The family is the address's.
    pub fn parse(text: &str) -> Option<Cidr> {
        let (address, length) = text.trim().split_once('/')?;
        if length.is_empty() || !length.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let length: u8 = length.parse().ok()?;
        if let Ok(a) = address.parse::<Ipv4Addr>() {
            return (length <= 32).then_some(Cidr::V4(a, length));
        }
        let a = address.parse::<Ipv6Addr>().ok()?;
        (length <= 128).then_some(Cidr::V6(a, length))
    }

    pub fn family(&self) -> Family {
        match self {
            Cidr::V4(..) => Family::Ipv4,
            Cidr::V6(..) => Family::Ipv6,
        }
    }

    /// True for a range that holds every address of its family: a source or destination of "anywhere".
    pub fn is_every_address(&self) -> bool {
        matches!(self, Cidr::V4(_, 0) | Cidr::V6(_, 0))
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cidr::V4(a, l) => write!(f, "{a}/{l}"),
            Cidr::V6(a, l) => write!(f, "{a}/{l}"),
        }
    }
}

impl Serialize for Cidr {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_of_both_families() {
        let any4 = Cidr::parse("0.0.0.0/0").unwrap();
        assert!(any4.is_every_address());
        assert_eq!(any4.family(), Family::Ipv4);
        let any6 = Cidr::parse("::/0").unwrap();
        assert!(any6.is_every_address());
        assert_eq!(any6.family(), Family::Ipv6);
        let v6 = Cidr::parse("2600:1f13:cfe:3660::/64").unwrap();
        assert_eq!(v6.to_string(), "2600:1f13:cfe:3660::/64");
        assert!(!v6.is_every_address());
        assert!(!Cidr::parse("10.0.0.0/16").unwrap().is_every_address());
        assert_eq!(
            serde_json::to_string(&any6).unwrap(),
            "\"::/0\"",
            "serialised as AWS writes it"
        );
    }

    #[test]
    fn what_is_not_a_range() {
        for text in [
            "",
            "0.0.0.0",
            "0.0.0.0/",
            "0.0.0.0/33",
            "::/129",
            "10.0.0.0/+8",
            "10.0.0/8",
            "pl-63a5400b",
            "sg-903004f8",
            "0.0.0.0/0/0",
        ] {
            assert_eq!(Cidr::parse(text), None, "{text:?}");
        }
    }
}
