//! Who is on the other end of a request when reverse proxies stand in between: the proxies named
//! in `server.trusted_proxies`, and the rule that picks the client's address out of the
//! `X-Forwarded-For` they add. Headers from any other peer are ignored, so a client cannot
//! choose its own address (and with it its own rate-limit key or audit entry).

use std::net::IpAddr;

use ipnet::{IpNet, Ipv4Net};

use super::InvalidInput;

/// The proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed: addresses and CIDR
/// ranges, IPv4 or IPv6. Empty (the default) believes no one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses a comma-separated list such as `10.0.0.0/8, 192.168.1.7, fd00::/8`; blanks are
    /// skipped, so an empty string trusts no one. A lone address is a range of one.
    pub fn parse(list: &str) -> Result<Self, InvalidInput> {
        list.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(parse_entry)
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the address is one of the trusted proxies. An IPv4-mapped IPv6 address
    /// (`::ffff:10.0.0.1`, as a dual-stack socket reports IPv4 peers) counts as its IPv4 address.
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client's address: the socket peer, unless the peer is a trusted proxy, in which case
    /// the rightmost `X-Forwarded-For` entry that is not itself a trusted proxy (each proxy
    /// appends the address it was spoken to from, so entries further left are the client's own
    /// claims). When every entry is trusted, the leftmost; when an entry cannot be read, the
    /// trusted hop just right of it. `forwarded_for` holds the header's values in the order
    /// they arrived. The answer is canonical: an IPv4-mapped address comes back as IPv4.
    pub fn client_address<'a>(
        &self,
        peer: IpAddr,
        forwarded_for: impl IntoIterator<Item = &'a str>,
    ) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.contains(client) {
            return client;
        }
        let hops: Vec<&str> = forwarded_for
            .into_iter()
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect();
        for hop in hops.iter().rev() {
            let Some(address) = parse_hop(hop) else {
                return client;
            };
            client = address;
            if !self.contains(address) {
                return address;
            }
        }
        client
    }

    /// Whether the client spoke HTTPS to the first proxy: `X-Forwarded-Proto`, believed only
    /// from a trusted proxy; otherwise whether the socket itself is TLS (`connection_https`).
    pub fn client_https(
        &self,
        peer: IpAddr,
        forwarded_proto: Option<&str>,
        connection_https: bool,
    ) -> bool {
        match forwarded_proto {
            // A chain of proxies may list one scheme per hop; the first is the client's.
            Some(proto) if self.contains(peer) => proto
                .split(',')
                .next()
                .is_some_and(|scheme| scheme.trim().eq_ignore_ascii_case("https")),
            _ => connection_https,
        }
    }
}

/// One entry of the setting: `ADDRESS` or `ADDRESS/PREFIX`.
fn parse_entry(entry: &str) -> Result<IpNet, InvalidInput> {
    let net = if entry.contains('/') {
        entry.parse::<IpNet>().ok().map(|net| net.trunc())
    } else {
        entry.parse::<IpAddr>().ok().map(IpNet::from)
    };
    net.map(canonical_net).ok_or_else(|| {
        InvalidInput::new(format!(
            "`{entry}` is neither an IP address nor a CIDR range such as 10.0.0.0/8"
        ))
    })
}

/// An IPv4-mapped IPv6 range (`::ffff:10.0.0.0/104`) as the IPv4 range it maps, so that it
/// matches the canonical addresses `contains` compares with.
fn canonical_net(net: IpNet) -> IpNet {
    let IpNet::V6(v6) = net else {
        return net;
    };
    match v6.network().to_ipv4_mapped() {
        Some(v4) if v6.prefix_len() >= 96 => Ipv4Net::new(v4, v6.prefix_len() - 96)
            .map(IpNet::V4)
            .unwrap_or(net),
        _ => net,
    }
}

/// One `X-Forwarded-For` entry: a bare address, or one with a port as some proxies write it
/// (`203.0.113.9:41234`, `[2001:db8::1]:41234`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<std::net::SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|address| address.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn proxies(list: &str) -> TrustedProxies {
        TrustedProxies::parse(list).unwrap()
    }

    #[test]
    fn the_list_takes_addresses_and_ranges_and_refuses_the_rest() {
        let list = proxies(" 10.0.0.0/8, 192.168.1.7 ,fd00::/8,,");
        assert!(list.contains(ip("10.200.3.4")));
        assert!(list.contains(ip("192.168.1.7")));
        assert!(!list.contains(ip("192.168.1.8")));
        assert!(list.contains(ip("fd12::1")));
        assert!(!list.contains(ip("2001:db8::1")));
        assert!(proxies("").is_empty());
        assert!(proxies(" , ").is_empty());
        for bad in ["10.0.0.0/33", "proxy.example.org", "10.0.0", "1.2.3.4/x"] {
            assert!(TrustedProxies::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ipv4_mapped_peers_match_ipv4_entries_and_the_other_way_round() {
        assert!(proxies("127.0.0.1").contains(ip("::ffff:127.0.0.1")));
        assert!(proxies("10.0.0.0/8").contains(ip("::ffff:10.1.2.3")));
        assert!(proxies("::ffff:10.0.0.0/104").contains(ip("10.9.9.9")));
        assert!(!proxies("10.0.0.0/8").contains(ip("::1")));
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let list = proxies("10.0.0.0/8");
        assert_eq!(
            list.client_address(ip("203.0.113.9"), ["198.51.100.1"]),
            ip("203.0.113.9")
        );
        assert_eq!(
            TrustedProxies::default().client_address(ip("::ffff:127.0.0.1"), ["1.2.3.4"]),
            ip("127.0.0.1"),
            "the answer is canonical"
        );
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        let list = proxies("10.0.0.0/8");
        let peer = ip("10.0.0.2");
        assert_eq!(
            list.client_address(peer, ["6.6.6.6, 198.51.100.1, 10.0.0.5"]),
            ip("198.51.100.1"),
            "what the client wrote further left is not believed"
        );
        assert_eq!(
            list.client_address(peer, ["6.6.6.6", "198.51.100.1:5555, 10.0.0.5"]),
            ip("198.51.100.1"),
            "several header lines read as one list; ports are dropped"
        );
        assert_eq!(
            list.client_address(peer, ["[2001:db8::7]:443"]),
            ip("2001:db8::7")
        );
        assert_eq!(
            list.client_address(peer, ["10.1.1.1, 10.2.2.2"]),
            ip("10.1.1.1"),
            "all trusted: the leftmost"
        );
        assert_eq!(list.client_address(peer, []), peer, "no header: the peer");
        assert_eq!(
            list.client_address(peer, ["unknown, 10.0.0.9"]),
            ip("10.0.0.9"),
            "an unreadable hop: the trusted hop that reported it"
        );
        assert_eq!(list.client_address(peer, ["garbage"]), peer);
    }

    #[test]
    fn the_scheme_is_believed_only_from_a_trusted_proxy() {
        let list = proxies("127.0.0.1");
        assert!(list.client_https(ip("127.0.0.1"), Some("https"), false));
        assert!(list.client_https(ip("127.0.0.1"), Some("HTTPS, http"), false));
        assert!(!list.client_https(ip("127.0.0.1"), Some("http"), true));
        assert!(!list.client_https(ip("127.0.0.2"), Some("https"), false));
        assert!(list.client_https(ip("127.0.0.2"), None, true));
    }
}
