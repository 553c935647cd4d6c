//! The client's address behind reverse proxies.
//!
//! Only a peer in the trusted proxy list (`GUWEN_TRUSTED_PROXIES`, CIDRs) is believed about who
//! it forwards for. The forwarded chain (`X-Forwarded-For`, or `Forwarded: for=` when there is
//! no `X-Forwarded-For`) is read from the right, the end our own proxies appended to: the
//! client is the rightmost address that is not a trusted proxy. Entries that are not IP
//! addresses (`unknown`, obfuscated names, garbage) are skipped, and what a client writes on
//! the left can never be chosen while an untrusted address stands to its right.

use std::net::IpAddr;

use actix_web::http::header::HeaderMap;
use ipnet::IpNet;

/// How many forwarded entries are looked at, from the right: no legitimate chain of proxies is
/// longer, and a forged header of thousands cannot make us work through it.
const MAX_HOPS: usize = 32;

/// The client's address: the peer, or (when the peer is a trusted proxy) the rightmost
/// forwarded address that is not one; `None` without a peer.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = peer?.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let chain = forwarded_chain(headers);
    let mut nearest_trusted = peer;
    for ip in chain
        .iter()
        .rev()
        .take(MAX_HOPS)
        .filter_map(|e| parse_ip(e))
    {
        if !is_trusted(&ip) {
            return Some(ip);
        }
        nearest_trusted = ip;
    }
    // Every hop is one of ours: the request came from inside.
    Some(nearest_trusted)
}

/// The forwarded entries, left to right: every `X-Forwarded-For` line in order, or without
/// one, the `for=` of every `Forwarded` element.
fn forwarded_chain(headers: &HeaderMap) -> Vec<String> {
    let lines = |name: &str| -> Vec<&str> {
        headers
            .get_all(name)
            .filter_map(|v| v.to_str().ok())
            .collect()
    };
    let xff = lines("x-forwarded-for");
    if !xff.is_empty() {
        return xff
            .iter()
            .flat_map(|line| line.split(','))
            .map(|e| e.trim().to_owned())
            .collect();
    }
    lines("forwarded")
        .iter()
        .flat_map(|line| line.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| value.trim().trim_matches('"').to_owned())
            })
        })
        .collect()
}

/// An entry as an address: `192.0.2.1`, `192.0.2.1:8080`, `2001:db8::1`, `[2001:db8::1]` or
/// `[2001:db8::1]:8080`; anything else is not an address.
fn parse_ip(entry: &str) -> Option<IpAddr> {
    if entry.is_empty() || entry.len() > 64 {
        return None;
    }
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Some(rest) = entry.strip_prefix('[') {
        let (inside, _) = rest.split_once(']')?;
        return inside.parse::<IpAddr>().ok().map(|ip| ip.to_canonical());
    }
    let (host, port) = entry.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// The key a per-address limit counts under: the IPv4 address, or the /64 an IPv6 address
/// belongs to (one subscriber's usual allocation, so rotating within it gains nothing).
pub fn rate_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => IpNet::new(IpAddr::V6(v6), 64)
            .map(|net| net.trunc().to_string())
            .unwrap_or_else(|_| v6.to_string()),
    }
}

/// The address with its host part removed, as the audit trail keeps it for anonymous callers
/// (privacy): the /24 of an IPv4 address, the /48 of an IPv6 one.
pub fn reduced(ip: IpAddr) -> String {
    let prefix = if ip.is_ipv4() { 24 } else { 48 };
    IpNet::new(ip, prefix)
        .map(|net| net.trunc().to_string())
        .unwrap_or_else(|_| ip.to_string())
}

/// Parses a trusted-proxy list: CIDRs or single addresses, separated by commas or white space.
pub fn parse_trusted(spec: &str) -> Result<Vec<IpNet>, String> {
    spec.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map(|net| net.trunc())
                .map_err(|_| format!("`{s}` is neither an address nor a CIDR"))
        })
        .collect()
}

/// The loopback networks (what the legacy `GUWEN_TRUST_PROXY` trusts).
pub fn loopback() -> Vec<IpNet> {
    ["127.0.0.0/8", "::1/128"]
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn client(peer: &str, pairs: &[(&str, &str)], trusted: &str) -> String {
        client_ip(
            Some(ip(peer)),
            &headers(pairs),
            &parse_trusted(trusted).unwrap(),
        )
        .unwrap()
        .to_string()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let xff = [("x-forwarded-for", "1.1.1.1")];
        assert_eq!(client("203.0.113.5", &xff, ""), "203.0.113.5");
        assert_eq!(client("203.0.113.5", &xff, "10.0.0.0/8"), "203.0.113.5");
    }

    #[test]
    fn the_rightmost_untrusted_address_is_the_client() {
        let trusted = "127.0.0.1, 10.0.0.0/8";
        // The client spoofs the left; our proxy appended the real address on the right.
        let xff = [("x-forwarded-for", "6.6.6.6, 203.0.113.7")];
        assert_eq!(client("127.0.0.1", &xff, trusted), "203.0.113.7");
        // An inner proxy of ours appended itself after the client.
        let xff = [("x-forwarded-for", "6.6.6.6, 203.0.113.7, 10.1.2.3")];
        assert_eq!(client("127.0.0.1", &xff, trusted), "203.0.113.7");
        // Several header lines read as one list, in order.
        let xff = [
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "203.0.113.8:5555"),
        ];
        assert_eq!(client("127.0.0.1", &xff, trusted), "203.0.113.8");
        // All hops trusted: an internal caller.
        let xff = [("x-forwarded-for", "10.9.9.9, 10.1.2.3")];
        assert_eq!(client("127.0.0.1", &xff, trusted), "10.9.9.9");
        assert_eq!(client("127.0.0.1", &[], trusted), "127.0.0.1");
    }

    #[test]
    fn entries_that_are_not_addresses_are_skipped() {
        let trusted = "127.0.0.1";
        let junk = "x".repeat(5000);
        let line = format!("{junk}, 203.0.113.9, unknown");
        assert_eq!(
            client("127.0.0.1", &[("x-forwarded-for", &line)], trusted),
            "203.0.113.9"
        );
        assert_eq!(
            client(
                "127.0.0.1",
                &[("x-forwarded-for", "unknown, _hidden")],
                trusted
            ),
            "127.0.0.1"
        );
    }

    #[test]
    fn forwarded_for_is_read_the_same_way_without_x_forwarded_for() {
        let trusted = "127.0.0.1";
        let fwd = [(
            "forwarded",
            r#"for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https, for=127.0.0.1"#,
        )];
        assert_eq!(client("127.0.0.1", &fwd, trusted), "2001:db8:cafe::17");
        let both = [
            ("forwarded", "for=6.6.6.6"),
            ("x-forwarded-for", "203.0.113.7"),
        ];
        assert_eq!(client("127.0.0.1", &both, trusted), "203.0.113.7");
    }

    #[test]
    fn ipv4_mapped_addresses_are_ipv4() {
        assert_eq!(
            client(
                "::ffff:127.0.0.1",
                &[("x-forwarded-for", "::ffff:203.0.113.1")],
                "127.0.0.1"
            ),
            "203.0.113.1"
        );
    }

    #[test]
    fn keys_and_reduced_addresses() {
        assert_eq!(rate_key(ip("203.0.113.7")), "203.0.113.7");
        assert_eq!(rate_key(ip("2001:db8:1:2:3:4:5:6")), "2001:db8:1:2::/64");
        assert_eq!(reduced(ip("203.0.113.7")), "203.0.113.0/24");
        assert_eq!(reduced(ip("2001:db8:1:2:3:4:5:6")), "2001:db8:1::/48");
        assert!(parse_trusted("10.0.0.0/8 ::1, 192.168.1.5").is_ok());
        assert!(parse_trusted("10.0.0.0/33").is_err());
        assert!(parse_trusted("proxy.internal").is_err());
    }
}
