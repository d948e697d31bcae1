//! Who the client is, by network address: the TCP peer, or — when the peer is
//! a configured trusted proxy — the address the proxies recorded in
//! `X-Forwarded-For`. Login limits key on it.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use std::str::FromStr;

use axum::http::HeaderMap;

/// An IP address or a CIDR block (`10.0.0.0/8`, `2001:db8::/32`, `127.0.0.1`),
/// as `trusted_proxies` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// Whether `ip` is in the range (IPv4-mapped IPv6 addresses count as the
    /// IPv4 address they carry).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, canonical(ip)) {
            (IpAddr::V4(network), IpAddr::V4(ip)) => {
                prefix_matches(&network.octets(), &ip.octets(), self.prefix)
            }
            (IpAddr::V6(network), IpAddr::V6(ip)) => {
                prefix_matches(&network.octets(), &ip.octets(), self.prefix)
            }
            _ => false,
        }
    }
}

fn prefix_matches(network: &[u8], ip: &[u8], prefix: u8) -> bool {
    let mut left = u32::from(prefix);
    for (a, b) in network.iter().zip(ip) {
        if left == 0 {
            return true;
        }
        let bits = left.min(8);
        let mask = u8::MAX << (8 - bits);
        if a & mask != b & mask {
            return false;
        }
        left -= bits;
    }
    true
}

impl FromStr for IpRange {
    type Err = String;

    fn from_str(text: &str) -> Result<IpRange, String> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network = address.parse::<IpAddr>().map(canonical).map_err(|_| {
            format!("“{text}” is not an IP address or a CIDR block such as 10.0.0.0/8")
        })?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(prefix) => prefix
                .parse::<u8>()
                .ok()
                .filter(|prefix| *prefix <= max)
                .ok_or_else(|| {
                    format!("“{text}”: the prefix length after / must be a number from 0 to {max}")
                })?,
        };
        Ok(IpRange { network, prefix })
    }
}

impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let max = if self.network.is_ipv4() { 32 } else { 128 };
        if self.prefix == max {
            write!(f, "{}", self.network)
        } else {
            write!(f, "{}/{}", self.network, self.prefix)
        }
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`, as dual-stack sockets
/// report IPv4 peers) as the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// The client's address. The TCP peer, unless it is a trusted proxy: then
/// `X-Forwarded-For` is read from the right (the entry the nearest proxy
/// added) past every trusted proxy, and the first address that is not one is
/// the client. Entries left of it were written by the client itself and are
/// never believed. An unreadable entry stops the walk at the last proxy.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpRange]) -> IpAddr {
    let peer = canonical(peer);
    let is_trusted = |ip: IpAddr| trusted.iter().any(|range| range.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for entry in forwarded.iter().rev() {
        let Some(ip) = parse_forwarded(entry) else {
            return client;
        };
        client = ip;
        if !is_trusted(ip) {
            return ip;
        }
    }
    client
}

/// An `X-Forwarded-For` entry: an address, optionally with a port
/// (`192.0.2.1:1234`, `[2001:db8::1]:1234`).
fn parse_forwarded(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Ok(socket) = entry.parse::<std::net::SocketAddr>() {
        return Some(canonical(socket.ip()));
    }
    None
}

/// The client as login limits count it: an IPv4 address, or the /64 network
/// of an IPv6 address (one subscriber's block, which they can cycle through
/// at will).
pub(crate) fn client_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            format!("{}/64", Ipv6Addr::from(bits))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(list: &[&str]) -> Vec<IpRange> {
        list.iter()
            .map(|text| text.parse().expect("range"))
            .collect()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("ip")
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().expect("header"));
        headers
    }

    #[test]
    fn ranges_parse_and_match() {
        let private = ranges(&["10.0.0.0/8", "192.168.1.7", "2001:db8::/32"]);
        assert!(private[0].contains(ip("10.200.3.4")));
        assert!(!private[0].contains(ip("11.0.0.1")));
        assert!(private[1].contains(ip("192.168.1.7")));
        assert!(!private[1].contains(ip("192.168.1.8")));
        assert!(private[2].contains(ip("2001:db8:ffff::1")));
        assert!(!private[2].contains(ip("2001:db9::1")));
        assert!(private[0].contains(ip("::ffff:10.1.2.3")), "IPv4-mapped");
        assert!("0.0.0.0/0"
            .parse::<IpRange>()
            .expect("all")
            .contains(ip("8.8.8.8")));
        assert!("10.0.0.0/12"
            .parse::<IpRange>()
            .expect("/12")
            .contains(ip("10.15.255.255")));
        assert!(!"10.0.0.0/12"
            .parse::<IpRange>()
            .expect("/12")
            .contains(ip("10.16.0.0")));
        assert_eq!(private[0].to_string(), "10.0.0.0/8");
        assert_eq!(private[1].to_string(), "192.168.1.7");
        for bad in ["", "proxy", "10.0.0.0/33", "10.0.0.0/x", "::/129"] {
            let error = bad.parse::<IpRange>().expect_err(bad);
            assert!(error.contains(bad), "{error}");
        }
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let trusted = ranges(&["10.0.0.0/8"]);
        let headers = forwarded("198.51.100.7");
        assert_eq!(
            client_address(ip("10.0.0.2"), &headers, &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_address(ip("203.0.113.9"), &headers, &trusted),
            ip("203.0.113.9"),
            "an untrusted peer's header is ignored"
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &headers, &[]),
            ip("10.0.0.2"),
            "nothing is trusted unless configured"
        );
        // The client can write anything on the left; the right-most address
        // that is not a proxy is the one the proxies saw.
        let spoofed = forwarded("1.2.3.4, 198.51.100.7, 10.0.0.5");
        assert_eq!(
            client_address(ip("10.0.0.2"), &spoofed, &trusted),
            ip("198.51.100.7")
        );
        let garbage = forwarded("198.51.100.7, nonsense");
        assert_eq!(
            client_address(ip("10.0.0.2"), &garbage, &trusted),
            ip("10.0.0.2")
        );
        let with_port = forwarded("[2001:db8::1]:443");
        assert_eq!(
            client_address(ip("10.0.0.2"), &with_port, &trusted),
            ip("2001:db8::1")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &HeaderMap::new(), &trusted),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_block() {
        assert_eq!(client_key(ip("192.0.2.1")), "192.0.2.1");
        assert_eq!(client_key(ip("::ffff:192.0.2.1")), "192.0.2.1");
        assert_eq!(
            client_key(ip("2001:db8:1:2:aaaa::1")),
            client_key(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            client_key(ip("2001:db8:1:2::1")),
            client_key(ip("2001:db8:1:3::1"))
        );
    }
}
