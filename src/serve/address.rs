//! Where the server listens and the issuer URL that follows from it: loopback by default,
//! another address only when said, and `http://localhost:PORT` for an unspecified address
//! (`0.0.0.0`, `::`) unless `--issuer` names the URL clients use.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::str::FromStr;

use crate::serve::urls::{self, HttpUrl};

/// A `--addr`: an IP address (or `localhost`) and a port; port 0 picks a free one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindAddr {
    /// The socket address to bind.
    pub socket: SocketAddr,
    /// The host as written, for the issuer URL (`localhost`, or the address).
    pub host: String,
}

impl FromStr for BindAddr {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wrong = || {
            format!(
                "{text:?} is not HOST:PORT with an IP address or localhost as HOST \
                 (127.0.0.1:8080, [::1]:0, 0.0.0.0:8080, localhost:9000)"
            )
        };
        let authority = urls::parse_authority(text, false).map_err(|_| wrong())?;
        let port = authority.port.ok_or_else(wrong)?;
        let ip = if authority.host == "localhost" {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        } else {
            let bare = authority.host.trim_start_matches('[').trim_end_matches(']');
            bare.parse::<IpAddr>().map_err(|_| wrong())?
        };
        Ok(BindAddr {
            socket: SocketAddr::new(ip, port),
            host: authority.host,
        })
    }
}

impl fmt::Display for BindAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.host, self.socket.port())
    }
}

impl BindAddr {
    /// Whether only this machine can connect.
    pub fn is_loopback(&self) -> bool {
        self.socket.ip().is_loopback()
    }

    /// Whether it listens on every interface (`0.0.0.0`, `::`).
    pub fn is_unspecified(&self) -> bool {
        self.socket.ip().is_unspecified()
    }

    /// The issuer URL for a server bound on `port`: `--issuer` when given; else this host
    /// (or `localhost` for an unspecified address) and the port, `https` under TLS.
    pub fn issuer(&self, port: u16, https: bool, given: Option<&HttpUrl>) -> HttpUrl {
        if let Some(given) = given {
            return given.clone();
        }
        let host = if self.is_unspecified() {
            "localhost"
        } else {
            &self.host
        };
        let scheme = if https { "https" } else { "http" };
        let text = format!("{scheme}://{host}:{port}");
        HttpUrl {
            text,
            https,
            host: host.to_string(),
            port: Some(port),
            path: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        let addr: BindAddr = "127.0.0.1:0".parse().unwrap();
        assert!(addr.is_loopback() && !addr.is_unspecified());
        assert_eq!(addr.issuer(8080, false, None).text, "http://127.0.0.1:8080");
        let addr: BindAddr = "[::1]:9".parse().unwrap();
        assert_eq!(addr.issuer(9, true, None).text, "https://[::1]:9");
        let addr: BindAddr = "localhost:7".parse().unwrap();
        assert_eq!(addr.socket.to_string(), "127.0.0.1:7");
        let addr: BindAddr = "0.0.0.0:80".parse().unwrap();
        assert!(addr.is_unspecified() && !addr.is_loopback());
        assert_eq!(addr.issuer(80, false, None).text, "http://localhost:80");
        let given = HttpUrl::parse("https://issuer.test/tenant").unwrap();
        assert_eq!(addr.issuer(80, false, Some(&given)), given);
        for bad in [
            "8080",
            "127.0.0.1",
            "example.com:80",
            "1.2.3.4:70000",
            ":80",
            "a@b:1",
        ] {
            assert!(bad.parse::<BindAddr>().is_err(), "{bad}");
        }
    }
}
