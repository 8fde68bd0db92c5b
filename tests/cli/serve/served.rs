//! The harness of the `jwtk serve` tests: the real binary started on a free port of its own
//! directory (the issuer URL read from its first line on stdout, stderr collected), and a raw
//! HTTP/1.1 client to it, so malformed, slow and oversized requests can be sent too.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{NOW, jwtk};

/// A running `jwtk serve`, stopped when dropped.
pub(crate) struct Served {
    child: Child,
    /// The issuer URL.
    pub(crate) url: String,
    /// `127.0.0.1:PORT`, where to connect.
    pub(crate) addr: String,
    /// The issuer's path (`""` for most), under which the endpoints are.
    pub(crate) base: String,
    stderr: Arc<Mutex<String>>,
    /// The test's directory: the server's working directory and `XDG_CACHE_HOME`.
    pub(crate) dir: tempfile::TempDir,
    _stdout: ChildStdout,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `jwtk serve` command with a clean environment, the pinned clock, in `dir`.
pub(crate) fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jwtk"));
    cmd.env_clear()
        .env("JWTK_NOW", NOW.to_string())
        .env("XDG_CACHE_HOME", dir)
        .current_dir(dir)
        .arg("serve")
        .args(args);
    if !args.contains(&"--addr") {
        cmd.args(["--addr", "127.0.0.1:0"]);
    }
    cmd
}

impl Served {
    pub(crate) fn start(args: &[&str]) -> Served {
        Served::start_in(tempfile::tempdir().unwrap(), args)
    }

    /// Start in `dir` (which holds the test's files) and wait for the issuer URL.
    pub(crate) fn start_in(dir: tempfile::TempDir, args: &[&str]) -> Served {
        Served::start_with(dir, args, &[])
    }

    /// A server signing with an HMAC secret (`--key secret`, in its directory).
    pub(crate) fn hmac() -> Served {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("secret"),
            "a-shared-secret-of-more-than-thirty-two-bytes",
        )
        .unwrap();
        Served::start_in(dir, &["--key", "secret"])
    }

    /// [`Served::start_in`] with environment variables `env` besides the pinned clock.
    pub(crate) fn start_with(
        dir: tempfile::TempDir,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Served {
        let mut child = command(dir.path(), args)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = BufReader::new(child.stderr.take().unwrap());
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut line = String::new();
            while pipe.read_line(&mut line).is_ok_and(|n| n > 0) {
                sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        if line.is_empty() {
            let status = child.wait().unwrap();
            std::thread::sleep(Duration::from_millis(100));
            panic!(
                "jwtk serve {args:?} printed no URL ({status}): {}",
                stderr.lock().unwrap()
            );
        }
        let url = line.trim().to_string();
        let (authority, base) = {
            let rest = url.split("://").nth(1).unwrap();
            let end = rest.find('/').unwrap_or(rest.len());
            (&rest[..end], rest[end..].trim_end_matches('/').to_string())
        };
        let port = authority.rsplit(':').next().unwrap();
        let addr = match args.iter().position(|a| *a == "--addr") {
            Some(at) if !args[at + 1].ends_with(":0") => args[at + 1].to_string(),
            _ => format!("127.0.0.1:{port}"),
        };
        Served {
            child,
            url,
            addr,
            base,
            stderr,
            dir,
            _stdout: stdout.into_inner(),
        }
    }

    /// The server's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub(crate) fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Wait until stderr holds `text`.
    pub(crate) fn wait_for_stderr(&self, text: &str) -> String {
        let found = eventually(|| self.stderr().contains(text));
        let stderr = self.stderr();
        assert!(found, "no {text:?} on stderr: {stderr}");
        stderr
    }

    pub(crate) fn get(&self, path: &str) -> Reply {
        self.send(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        ))
    }

    /// Send one raw request and read the reply.
    pub(crate) fn send(&self, raw: &str) -> Reply {
        self.send_bytes(raw.as_bytes())
    }

    pub(crate) fn send_bytes(&self, raw: &[u8]) -> Reply {
        let mut stream = self.connect();
        stream.write_all(raw).unwrap();
        read_reply(&mut stream).unwrap_or_else(|| panic!("no reply: {}", self.stderr()))
    }

    pub(crate) fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
    }

    /// `POST /token` with a form body and extra header lines.
    pub(crate) fn token_request(&self, body: &str, headers: &[&str]) -> Reply {
        let path = format!("{}/token", self.base);
        self.post(
            &path,
            "application/x-www-form-urlencoded",
            body.as_bytes(),
            headers,
        )
    }

    pub(crate) fn post(
        &self,
        path: &str,
        content_type: &str,
        body: &[u8],
        headers: &[&str],
    ) -> Reply {
        let mut raw = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        )
        .into_bytes();
        for header in headers {
            raw.extend_from_slice(format!("{header}\r\n").as_bytes());
        }
        raw.extend_from_slice(b"\r\n");
        raw.extend_from_slice(body);
        self.send_bytes(&raw)
    }

    /// A token for a client that sends a secret (confidential in open mode).
    pub(crate) fn token(&self, extra: &str) -> String {
        let reply = self.token_request(
            &format!("grant_type=client_credentials&client_id=svc&client_secret=s{extra}"),
            &[],
        );
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()["access_token"].as_str().unwrap().to_string()
    }

    /// `jwtk verify --issuer URL` with this test's cache.
    pub(crate) fn verify(&self, token: &str, args: &[&str]) -> Output {
        jwtk()
            .env("XDG_CACHE_HOME", self.dir.path())
            .args(["verify", "--issuer", &self.url])
            .args(args)
            .arg(token)
            .output()
            .unwrap()
    }

    pub(crate) fn kids(&self) -> Vec<String> {
        self.get(&format!("{}/jwks", self.base)).json()["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kid"].as_str().unwrap().to_string())
            .collect()
    }

    pub(crate) fn signal(&mut self, signal: i32) -> std::process::ExitStatus {
        // SAFETY: kill(2) on the pid of the child this test started and has not waited for.
        unsafe { libc::kill(self.child.id() as i32, signal) };
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "still running");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Poll `check` for up to 5 s.
pub(crate) fn eventually(mut check: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(5) {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// Run `jwtk serve` expecting it to stop at once; its output.
pub(crate) fn start_fails(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let child = command(dir.path(), args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let id = child.id();
    let watchdog = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(10));
        // SAFETY: kill(2) on the child this test started, if it is still there.
        unsafe { libc::kill(id as i32, libc::SIGKILL) };
    });
    let out = child.wait_with_output().unwrap();
    drop(watchdog);
    out
}

/// An HTTP reply.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// An RFC 6749 error reply: its status and code, checked to be uncacheable.
    pub(crate) fn error(&self) -> (u16, String) {
        assert_eq!(self.header("cache-control"), Some("no-store"), "{self:?}");
        let code = self.json()["error"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        (self.status, code)
    }
}

/// Read one reply (a `Content-Length` body); `None` when the connection closes first.
pub(crate) fn read_reply(stream: &mut impl Read) -> Option<Reply> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    let head = String::from_utf8(head).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).ok()?;
    Some(Reply {
        status,
        headers,
        body,
    })
}

/// A token's header and claims.
pub(crate) fn parts(token: &str) -> (Value, Value) {
    use base64::Engine;
    let decode = |part: &str| -> Value {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    };
    let mut split = token.split('.');
    (decode(split.next().unwrap()), decode(split.next().unwrap()))
}

pub(crate) fn basic(id: &str, secret: &str) -> String {
    use base64::Engine;
    format!(
        "Authorization: Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    )
}

/// Run jwtk in `dir`; its stdout, trimmed.
pub(crate) fn run_in(dir: &Path, args: &[&str]) -> String {
    let out = jwtk().current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Assert that a command succeeded, showing its stderr when it did not.
pub(crate) fn succeeded(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `jwtk keygen --type KIND --format jwks --out NAME` in `dir`.
pub(crate) fn keygen(dir: &Path, name: &str, kind: &str) {
    succeeded(
        &jwtk()
            .current_dir(dir)
            .args(["keygen", "--type", kind, "--format", "jwks", "--out", name])
            .output()
            .unwrap(),
    );
}

/// Percent-encode a form or query value (RFC 3986 unreserved characters kept), as the server
/// encodes a redirect's parameters.
pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
