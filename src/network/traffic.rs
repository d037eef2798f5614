//! What one security-group rule or network ACL entry is about: a protocol and, where the protocol has
//! them, a range of ports (TCP, UDP) or of message types (ICMP, ICMPv6).
//!
//! The EC2 API writes protocols as names (`tcp`) in security groups and as numbers (`"6"`) in network ACLs,
//! and `-1` for every protocol in both; both forms read to the same [`Protocol`].

use serde::Serialize;
use std::fmt;

/// IANA protocol numbers the API names.
pub const ICMP: u8 = 1;
pub const TCP: u8 = 6;
pub const UDP: u8 = 17;
pub const ICMPV6: u8 = 58;

/// A protocol a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    /// `-1`: every protocol, every port.
    All,
    /// One protocol by its IANA number.
    Number(u8),
}

impl Protocol {
    /// Reads `-1`, a name the EC2 API uses (`tcp`, `udp`, `icmp`, `icmpv6`, any case) or a number 0-255.
    pub fn parse(text: &str) -> Option<Protocol> {
        let t = text.trim();
        Some(match t.to_ascii_lowercase().as_str() {
            "-1" | "all" => Protocol::All,
            "tcp" => Protocol::Number(TCP),
            "udp" => Protocol::Number(UDP),
            "icmp" => Protocol::Number(ICMP),
            "icmpv6" => Protocol::Number(ICMPV6),
            n if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                Protocol::Number(n.parse().ok()?)
            }
            _ => return None,
        })
    }

    /// The protocol's usual name: `tcp`, `udp`, `icmp`, `icmpv6`, `all`, else `protocol 47`.
    pub fn name(self) -> String {
        match self {
            Protocol::All => "all".to_string(),
            Protocol::Number(n) => number_name(n),
        }
    }

    /// What ranges of this protocol count: ports for TCP and UDP, message types for ICMP; nothing else.
    pub fn ranges(self) -> RangeMeaning {
        match self {
            Protocol::Number(TCP | UDP) => RangeMeaning::Ports,
            Protocol::Number(ICMP | ICMPV6) => RangeMeaning::Types,
            _ => RangeMeaning::None,
        }
    }
}

/// The name of one protocol number.
pub fn number_name(n: u8) -> String {
    match n {
        TCP => "tcp".to_string(),
        UDP => "udp".to_string(),
        ICMP => "icmp".to_string(),
        ICMPV6 => "icmpv6".to_string(),
        other => format!("protocol {other}"),
    }
}

/// What the `from`-`to` range of a [`Traffic`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeMeaning {
    Ports,
    Types,
    None,
}

/// The highest value of a range: port 65535. A range of `0`-`WHOLE` is the whole protocol.
pub const WHOLE: u16 = u16::MAX;

/// What a rule is about: a protocol and the range of its ports (TCP, UDP) or message types (ICMP); for
/// `-1` and protocols without ports the range is the whole `0`-`65535`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Traffic {
    pub protocol: Protocol,
    pub from: u16,
    pub to: u16,
}

impl Traffic {
    /// Every port (or type) of the protocol.
    pub fn whole(protocol: Protocol) -> Traffic {
        Traffic {
            protocol,
            from: 0,
            to: WHOLE,
        }
    }

    /// A range of ports or types; the whole protocol when it has neither.
    pub fn range(protocol: Protocol, from: u16, to: u16) -> Traffic {
        match protocol.ranges() {
            RangeMeaning::None => Traffic::whole(protocol),
            _ => Traffic { protocol, from, to },
        }
    }

    pub fn is_whole(&self) -> bool {
        self.from == 0 && self.to == WHOLE
    }
}

impl fmt::Display for Traffic {
    /// `all`, `tcp/443`, `tcp/8000-8100`, `tcp/0-65535`, `icmp`, `icmp/8`, `protocol 47`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.protocol.name();
        match self.protocol.ranges() {
            RangeMeaning::None => f.write_str(&name),
            RangeMeaning::Types if self.is_whole() => f.write_str(&name),
            _ if self.from == self.to => write!(f, "{name}/{}", self.from),
            _ => write!(f, "{name}/{}-{}", self.from, self.to),
        }
    }
}

impl Serialize for Traffic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_read_alike() {
        assert_eq!(Protocol::parse("tcp"), Protocol::parse("6"));
        assert_eq!(Protocol::parse("UDP"), Some(Protocol::Number(UDP)));
        assert_eq!(Protocol::parse("-1"), Some(Protocol::All));
        assert_eq!(Protocol::parse("58"), Protocol::parse("icmpv6"));
        assert_eq!(Protocol::parse("47"), Some(Protocol::Number(47)));
        for bad in ["", "256", "-2", "gre", "6.0"] {
            assert_eq!(Protocol::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn traffic_in_words() {
        let tcp = Protocol::Number(TCP);
        assert_eq!(Traffic::range(tcp, 443, 443).to_string(), "tcp/443");
        assert_eq!(Traffic::range(tcp, 8000, 8100).to_string(), "tcp/8000-8100");
        assert_eq!(Traffic::whole(tcp).to_string(), "tcp/0-65535");
        assert_eq!(Traffic::whole(Protocol::All).to_string(), "all");
        assert_eq!(Traffic::whole(Protocol::Number(ICMP)).to_string(), "icmp");
        assert_eq!(
            Traffic::range(Protocol::Number(ICMP), 8, 8).to_string(),
            "icmp/8"
        );
        assert_eq!(
            Traffic::range(Protocol::Number(47), 5, 6).to_string(),
            "protocol 47",
            "a protocol without ports is whole"
        );
    }
}
