//! A real HTTPS (or plain HTTP) server in the test process, with a CA made at test time, and
//! a tiny CONNECT proxy: what `jwtk`'s remote-key fetching talks to in tests. Routes answer
//! with fixed replies that a test may change while the server runs; every request is logged.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// A certificate authority made for one test, and a server certificate it signed for
/// `localhost` and `127.0.0.1`.
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
        let leaf = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
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

/// An HTTP CONNECT proxy on 127.0.0.1 that counts the tunnels it opened.
pub struct Proxy {
    pub addr: SocketAddr,
    pub tunnels: Arc<AtomicUsize>,
}

impl Proxy {
    pub fn start() -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let tunnels = Arc::new(AtomicUsize::new(0));
        let count = tunnels.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let count = count.clone();
                std::thread::spawn(move || tunnel(client, &count));
            }
        });
        Proxy { addr, tunnels }
    }

    /// Tunnels opened so far.
    pub fn count(&self) -> usize {
        self.tunnels.load(Ordering::SeqCst)
    }
}

fn tunnel(client: TcpStream, count: &AtomicUsize) {
    let mut reader = BufReader::new(client.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap_or(0);
    let mut header = String::new();
    while reader.read_line(&mut header).unwrap_or(0) > 0 && !header.trim().is_empty() {
        header.clear();
    }
    let mut words = line.split_whitespace();
    let (Some("CONNECT"), Some(target)) = (words.next(), words.next()) else {
        return;
    };
    let Ok(upstream) = TcpStream::connect(target) else {
        return;
    };
    count.fetch_add(1, Ordering::SeqCst);
    let mut client_w = client.try_clone().unwrap();
    client_w
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .unwrap();
    let mut up_r = upstream.try_clone().unwrap();
    let mut up_w = upstream;
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut reader, &mut up_w);
        let _ = up_w.shutdown(std::net::Shutdown::Write);
    });
    let _ = std::io::copy(&mut up_r, &mut client_w);
    let _ = client_w.shutdown(std::net::Shutdown::Write);
}
