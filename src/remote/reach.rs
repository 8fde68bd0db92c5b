//! Which network addresses a fetch may reach. A redirect or a `jwks_uri` comes from a server,
//! not from the user: it must not turn jwtk into a way to reach loopback, private, link-local
//! or other non-public addresses (a cloud metadata service at 169.254.169.254, an admin page on
//! 10.0.0.1) unless the user's own URL is on such an address. Names are judged by the address
//! the connection is really made to: a resolver that filters what it hands to the connection,
//! so no second lookup can answer differently.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::{Arc, Mutex};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// Whether `ip` is a public address: not loopback, link-local, private, shared (CGNAT),
/// benchmarking, IETF protocol assignments, unspecified, multicast or reserved, nor the
/// IPv4-mapped or NAT64 form of one of these.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let non_public = a == 0 // "this network", 0.0.0.0 unspecified (RFC 791, RFC 1122)
        || a == 10 // private (RFC 1918)
        || a == 127 // loopback
        || (a == 100 && (64..128).contains(&b)) // shared address space (RFC 6598)
        || (a == 169 && b == 254) // link-local (RFC 3927): cloud metadata services
        || (a == 172 && (16..32).contains(&b)) // private (RFC 1918)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments (RFC 6890)
        || (a == 192 && b == 168) // private (RFC 1918)
        || (a == 198 && (b == 18 || b == 19)) // benchmarking (RFC 2544)
        || a >= 224; // multicast (224/4), reserved (240/4), broadcast
    !non_public
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    // NAT64's well-known prefix (RFC 6052) carries an IPv4 address in its last 32 bits.
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let [a, b] = s[6].to_be_bytes();
        let [c, d] = s[7].to_be_bytes();
        return is_public_v4(Ipv4Addr::new(a, b, c, d));
    }
    let non_public = ip.is_unspecified()
        || ip.is_loopback()
        || (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1) // local-use NAT64 (RFC 8215)
        || (s[0] & 0xfe00) == 0xfc00 // unique local (RFC 4193)
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated, still routed inside sites)
        || (s[0] & 0xff00) == 0xff00 // multicast
        || s[..6] == [0, 0, 0, 0, 0, 0]; // IPv4-compatible (deprecated) and the like
    !non_public
}

/// The IP address a URL's host spells out, if it is an IP literal (`[::1]` included).
pub fn literal(host: &str) -> Option<IpAddr> {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

/// Whether a host is non-public by its spelling alone: a non-public IP literal, or `localhost`
/// (and its subdomains, RFC 6761 §6.3).
pub fn named_non_public(host: &str) -> bool {
    if let Some(ip) = literal(host) {
        return !is_public(ip);
    }
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    host == "localhost" || host.ends_with(".localhost")
}

/// Which addresses one hop of a fetch may connect to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The user's own URL: any address; the address it connects to decides whether the URLs
    /// it leads to may be non-public.
    Origin,
    /// Any address (the user's URL is on a non-public one).
    Any,
    /// Public addresses only (the user's URL is public).
    Public,
}

impl Reach {
    /// The reach of the URLs a URL leads to, once it is known whether the user's URL is on a
    /// non-public address.
    pub fn after(origin_non_public: bool) -> Reach {
        if origin_non_public {
            Reach::Any
        } else {
            Reach::Public
        }
    }
}

/// What the resolver saw for the target of one request.
#[derive(Debug, Default, Clone, Copy)]
pub struct Seen {
    /// Under [`Reach::Origin`]: whether the address handed to the connection is non-public.
    pub non_public: Option<bool>,
    /// Under [`Reach::Public`]: the non-public address that was refused.
    pub refused: Option<IpAddr>,
}

/// The system's resolver, then a filter on the addresses it found for the request's own host
/// (the proxy's address is left alone). Under [`Reach::Public`] only public addresses are
/// kept; under [`Reach::Origin`] only those of the same kind as the first, so that what is
/// recorded is what is connected to, whichever address answers.
#[derive(Debug)]
pub struct CheckedResolver {
    target: Uri,
    reach: Reach,
    seen: Arc<Mutex<Seen>>,
    inner: DefaultResolver,
}

impl CheckedResolver {
    /// A resolver for requests to `target`, and where it records what it saw.
    pub fn new(target: &Uri, reach: Reach) -> (CheckedResolver, Arc<Mutex<Seen>>) {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let resolver = CheckedResolver {
            target: target.clone(),
            reach,
            seen: Arc::clone(&seen),
            inner: DefaultResolver::default(),
        };
        (resolver, seen)
    }

    fn is_target(&self, uri: &Uri) -> bool {
        uri.scheme() == self.target.scheme() && uri.authority() == self.target.authority()
    }
}

impl Resolver for CheckedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let found = self.inner.resolve(uri, config, timeout)?;
        if !self.is_target(uri) || self.reach == Reach::Any {
            return Ok(found);
        }
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let Some(first) = found.first() else {
            return Err(ureq::Error::HostNotFound);
        };
        let keep_public = match self.reach {
            Reach::Origin => {
                let non_public = !is_public(first.ip());
                seen.non_public = Some(non_public);
                !non_public
            }
            _ => true,
        };
        let mut kept = self.empty();
        for addr in found.iter().filter(|a| is_public(a.ip()) == keep_public) {
            kept.push(*addr);
        }
        if kept.is_empty() {
            seen.refused = Some(first.ip());
            return Err(ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "a non-public address",
            )));
        }
        Ok(kept)
    }
}

/// Shared between the resolver and the client: read after the request.
pub fn take(seen: &Mutex<Seen>) -> Seen {
    *seen.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(text: &str) -> bool {
        is_public(text.parse().unwrap())
    }

    #[test]
    fn non_public_ranges_are_recognised() {
        for ip in [
            "127.0.0.1",
            "127.255.0.9",
            "0.0.0.0",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "198.18.0.1",
            "198.19.255.255",
            "192.0.0.8",
            "224.0.0.1",
            "239.255.255.250",
            "255.255.255.255",
            "::",
            "::1",
            "fe80::1",
            "febf::1",
            "fc00::1",
            "fd12:3456::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::7f00:1",
            "64:ff9b::c0a8:101",
            "64:ff9b:1::1",
            "::127.0.0.1",
        ] {
            assert!(!public(ip), "{ip} is not public");
        }
    }

    #[test]
    fn public_addresses_stay_public() {
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.255.255",
            "172.32.0.1",
            "169.253.1.1",
            "192.0.1.1",
            "192.169.0.1",
            "198.17.255.255",
            "198.20.0.1",
            "223.255.255.255",
            "2606:4700::1111",
            "2001:4860:4860::8888",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(public(ip), "{ip} is public");
        }
    }

    #[test]
    fn hosts_are_judged_by_their_spelling_where_they_can_be() {
        assert!(named_non_public("[::1]"));
        assert!(named_non_public("169.254.169.254"));
        assert!(named_non_public("[::ffff:a9fe:a9fe]"));
        assert!(named_non_public("LOCALHOST."));
        assert!(named_non_public("api.localhost"));
        assert!(!named_non_public("example.com"));
        assert!(!named_non_public("8.8.8.8"));
        assert_eq!(literal("[::1]"), Some("::1".parse().unwrap()));
        assert_eq!(literal("example.com"), None);
    }

    fn resolve(url: &str, reach: Reach) -> (Result<usize, ureq::Error>, Seen) {
        let uri: Uri = url.parse().unwrap();
        let (resolver, seen) = CheckedResolver::new(&uri, reach);
        let config = ureq::Agent::config_builder().build();
        let result = resolver
            .resolve(&uri, &config, NextTimeout::default())
            .map(|a| a.len());
        (result, take(&seen))
    }

    #[test]
    fn the_resolver_refuses_a_name_that_resolves_to_a_non_public_address() {
        // localhost is resolved by the system, as any name is.
        let (result, seen) = resolve("https://localhost:9/", Reach::Public);
        assert!(result.is_err());
        assert!(seen.refused.is_some_and(|ip| ip.is_loopback()));
        let (result, seen) = resolve("https://127.0.0.1:9/", Reach::Public);
        assert!(result.is_err());
        assert_eq!(seen.refused, Some("127.0.0.1".parse().unwrap()));
        let (result, seen) = resolve("https://localhost:9/", Reach::Origin);
        assert!(result.is_ok_and(|n| n > 0));
        assert_eq!(seen.non_public, Some(true));
        let (result, _) = resolve("https://localhost:9/", Reach::Any);
        assert!(result.is_ok());
    }

    #[test]
    fn the_proxys_own_address_is_left_alone() {
        let target: Uri = "https://keys.example/".parse().unwrap();
        let (resolver, seen) = CheckedResolver::new(&target, Reach::Public);
        let proxy: Uri = "socks5h://127.0.0.1:1080".parse().unwrap();
        let config = ureq::Agent::config_builder().build();
        assert!(
            resolver
                .resolve(&proxy, &config, NextTimeout::default())
                .is_ok()
        );
        assert!(take(&seen).refused.is_none());
    }
}
