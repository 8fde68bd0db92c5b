//! A real HTTPS (or plain HTTP) server in the test process, with a CA made at test time, a
//! tiny CONNECT proxy and a tiny SOCKS (4, 4a, 5) proxy: what `jwtk`'s remote-key fetching
//! talks to in tests. Routes answer with fixed replies that a test may change while the server
//! runs; every request is logged. The proxies can send every tunnel to one server whatever it
//! asked for, which is how a test reaches "public" names (`keys.test`) without the internet.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// Names the test server's certificate holds besides `localhost` and `127.0.0.1`: reached
/// through a test proxy that sends every tunnel to the server (RFC 6761 `.test` names, and an
/// address of RFC 5737's TEST-NET-1 for proxies that are handed addresses).
pub const PROXIED_NAMES: [&str; 4] = ["keys.test", "issuer.test", "other.test", "192.0.2.1"];

/// A certificate authority made for one test, and a server certificate it signed for
/// `localhost`, `127.0.0.1` and [`PROXIED_NAMES`].
pub struct TestCa {
    /// The CA certificate, PEM, in a file for `--cacert`.
    pub pem_path: PathBuf,
    server_config: Arc<rustls::ServerConfig>,
    _dir: tempfile::TempDir,
}

impl TestCa {
    /// A fresh CA and server certificate, on aws-lc-rs.
    pub fn new() -> TestCa {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, "jwtk test CA");
        let ca = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        let leaf_key = KeyPair::generate().unwrap();
        let mut names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
        names.extend(PROXIED_NAMES.iter().map(|n| n.to_string()));
        let leaf = CertificateParams::new(names)
            .unwrap()
            .signed_by(&leaf_key, &ca)
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let pem_path = dir.path().join("ca.pem");
        std::fs::write(&pem_path, ca.pem()).unwrap();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let server_config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![leaf.der().clone(), ca.der().clone()], key)
            .unwrap();
        TestCa {
            pem_path,
            server_config: Arc::new(server_config),
            _dir: dir,
        }
    }
}

/// What a route answers.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Accept the request and never answer.
    pub stall: bool,
}

impl Reply {
    /// 200 with a JSON body.
    pub fn json(body: impl Into<String>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into().into_bytes(),
            stall: false,
        }
    }

    /// A bare status with an empty body.
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            stall: false,
        }
    }

    /// A redirect to `location`.
    pub fn redirect(location: &str) -> Reply {
        Reply::status(302).header("Location", location)
    }

    /// The same reply with one more header (an ETag makes the server answer 304 to a
    /// matching If-None-Match).
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub headers: HashMap<String, String>,
}

type Routes = Arc<Mutex<HashMap<String, Reply>>>;

/// A server on 127.0.0.1, HTTPS with a [`TestCa`] certificate or plain HTTP.
pub struct Server {
    pub addr: SocketAddr,
    scheme: &'static str,
    routes: Routes,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// An HTTPS server with `ca`'s certificate.
    pub fn https(ca: &TestCa) -> Server {
        Server::start(Some(ca.server_config.clone()))
    }

    /// A plain-HTTP server.
    pub fn http() -> Server {
        Server::start(None)
    }

    fn start(tls: Option<Arc<rustls::ServerConfig>>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let routes: Routes = Arc::default();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let scheme = if tls.is_some() { "https" } else { "http" };
        let (r, s) = (routes.clone(), seen.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (tls, r, s) = (tls.clone(), r.clone(), s.clone());
                std::thread::spawn(move || serve(stream, tls, &r, &s));
            }
        });
        Server {
            addr,
            scheme,
            routes,
            seen,
        }
    }

    /// `https://127.0.0.1:PORT` (or `http://…`).
    pub fn base(&self) -> String {
        format!("{}://127.0.0.1:{}", self.scheme, self.addr.port())
    }

    /// The same server named `localhost`.
    pub fn base_localhost(&self) -> String {
        format!("{}://localhost:{}", self.scheme, self.addr.port())
    }

    /// Answer `path` with `reply` from now on.
    pub fn route(&self, path: &str, reply: Reply) {
        self.routes.lock().unwrap().insert(path.to_string(), reply);
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// How many requests asked for `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.seen().iter().filter(|s| s.path == path).count()
    }
}

fn serve(
    stream: TcpStream,
    tls: Option<Arc<rustls::ServerConfig>>,
    routes: &Routes,
    seen: &Mutex<Vec<Seen>>,
) {
    stream.set_read_timeout(Some(Duration::from_secs(20))).ok();
    match tls {
        Some(config) => {
            let Ok(conn) = rustls::ServerConnection::new(config) else {
                return;
            };
            let mut tls = rustls::StreamOwned::new(conn, stream);
            exchange(&mut tls, routes, seen);
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
        None => {
            let mut plain = stream;
            exchange(&mut plain, routes, seen);
        }
    }
}

/// Read one request, log it, write the route's reply (404 for an unknown path).
fn exchange(stream: &mut (impl Read + Write), routes: &Routes, seen: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(&mut *stream);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    drop(reader);
    let reply = routes.lock().unwrap().get(&path).cloned();
    seen.lock().unwrap().push(Seen {
        path,
        headers: headers.clone(),
    });
    let mut reply = reply.unwrap_or_else(|| Reply::status(404));
    if reply.stall {
        std::thread::sleep(Duration::from_secs(30));
        return;
    }
    let etag = reply
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("etag"))
        .map(|(_, v)| v.clone());
    if etag.is_some() && headers.get("if-none-match") == etag.as_ref() {
        reply.status = 304;
        reply.body.clear();
    }
    let mut head = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", reply.status);
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", reply.body.len()));
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&reply.body);
    let _ = stream.flush();
}

/// A listener that accepts connections and never says anything.
pub fn stalled() -> (TcpListener, SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    (listener, addr)
}

/// An HTTP CONNECT or SOCKS proxy on 127.0.0.1 that sends every tunnel to one server, counts
/// the tunnels it opened and logs the target each client asked for.
pub struct Proxy {
    pub addr: SocketAddr,
    pub tunnels: Arc<AtomicUsize>,
    targets: Arc<Mutex<Vec<String>>>,
}

/// Which protocol a test proxy speaks.
#[derive(Clone, Copy)]
enum Protocol {
    Connect,
    Socks,
}

impl Proxy {
    /// An HTTP CONNECT proxy that sends every tunnel to `upstream`.
    pub fn to(upstream: SocketAddr) -> Proxy {
        Proxy::spawn(Protocol::Connect, upstream)
    }

    /// A SOCKS proxy (versions 4, 4a and 5, no authentication) that sends every tunnel to
    /// `upstream`.
    pub fn socks_to(upstream: SocketAddr) -> Proxy {
        Proxy::spawn(Protocol::Socks, upstream)
    }

    fn spawn(protocol: Protocol, upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let tunnels = Arc::new(AtomicUsize::new(0));
        let targets: Arc<Mutex<Vec<String>>> = Arc::default();
        let (count, log) = (tunnels.clone(), targets.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (count, log) = (count.clone(), log.clone());
                std::thread::spawn(move || {
                    let target = match protocol {
                        Protocol::Connect => connect_request(&client),
                        Protocol::Socks => socks_request(&client),
                    };
                    let Some((target, reply)) = target else {
                        return;
                    };
                    log.lock().unwrap().push(target);
                    let Ok(upstream) = TcpStream::connect(upstream) else {
                        return;
                    };
                    count.fetch_add(1, Ordering::SeqCst);
                    let mut client_w = client.try_clone().unwrap();
                    if client_w.write_all(&reply).is_err() {
                        return;
                    }
                    relay(client, client_w, upstream);
                });
            }
        });
        Proxy {
            addr,
            tunnels,
            targets,
        }
    }

    /// Tunnels opened so far.
    pub fn count(&self) -> usize {
        self.tunnels.load(Ordering::SeqCst)
    }

    /// The targets clients asked for (`host:port`), in order.
    pub fn targets(&self) -> Vec<String> {
        self.targets.lock().unwrap().clone()
    }
}

/// Read an HTTP CONNECT request: its target, and the reply that opens the tunnel.
fn connect_request(client: &TcpStream) -> Option<(String, Vec<u8>)> {
    let mut reader = BufReader::new(client);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap_or(0);
    let mut header = String::new();
    while reader.read_line(&mut header).unwrap_or(0) > 0 && !header.trim().is_empty() {
        header.clear();
    }
    let mut words = line.split_whitespace();
    let (Some("CONNECT"), Some(target)) = (words.next(), words.next()) else {
        return None;
    };
    let reply = b"HTTP/1.1 200 Connection established\r\n\r\n".to_vec();
    Some((target.to_string(), reply))
}

/// Read a SOCKS 4/4a CONNECT or a SOCKS 5 greeting and CONNECT (RFC 1928): the target, and
/// the reply that opens the tunnel.
fn socks_request(mut client: &TcpStream) -> Option<(String, Vec<u8>)> {
    let byte = |client: &mut &TcpStream| {
        let mut b = [0u8; 1];
        client.read_exact(&mut b).ok().map(|_| b[0])
    };
    match byte(&mut client)? {
        4 => {
            let mut head = [0u8; 7];
            client.read_exact(&mut head).ok()?;
            let port = u16::from_be_bytes([head[1], head[2]]);
            let ip = std::net::Ipv4Addr::new(head[3], head[4], head[5], head[6]);
            while byte(&mut client)? != 0 {} // user id
            let host = if ip.octets()[..3] == [0, 0, 0] {
                let mut name = Vec::new();
                loop {
                    match byte(&mut client)? {
                        0 => break,
                        b => name.push(b),
                    }
                }
                String::from_utf8(name).ok()?
            } else {
                ip.to_string()
            };
            Some((format!("{host}:{port}"), vec![0, 90, 0, 0, 0, 0, 0, 0]))
        }
        5 => {
            let methods = byte(&mut client)?;
            for _ in 0..methods {
                byte(&mut client)?;
            }
            client.write_all(&[5, 0]).ok()?;
            let mut head = [0u8; 4];
            client.read_exact(&mut head).ok()?;
            let host = match head[3] {
                1 => {
                    let mut ip = [0u8; 4];
                    client.read_exact(&mut ip).ok()?;
                    std::net::Ipv4Addr::from(ip).to_string()
                }
                3 => {
                    let len = byte(&mut client)?;
                    let mut name = vec![0u8; usize::from(len)];
                    client.read_exact(&mut name).ok()?;
                    String::from_utf8(name).ok()?
                }
                4 => {
                    let mut ip = [0u8; 16];
                    client.read_exact(&mut ip).ok()?;
                    format!("[{}]", std::net::Ipv6Addr::from(ip))
                }
                _ => return None,
            };
            let mut port = [0u8; 2];
            client.read_exact(&mut port).ok()?;
            let port = u16::from_be_bytes(port);
            Some((format!("{host}:{port}"), vec![5, 0, 0, 1, 0, 0, 0, 0, 0, 0]))
        }
        _ => None,
    }
}

/// Copy bytes both ways until each side closes.
fn relay(client_r: TcpStream, mut client_w: TcpStream, upstream: TcpStream) {
    let mut up_r = upstream.try_clone().unwrap();
    let mut up_w = upstream;
    let mut client_r = client_r;
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut client_r, &mut up_w);
        let _ = up_w.shutdown(std::net::Shutdown::Write);
    });
    let _ = std::io::copy(&mut up_r, &mut client_w);
    let _ = client_w.shutdown(std::net::Shutdown::Write);
}
