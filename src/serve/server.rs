//! Running a server: bind (a port in use is an error naming it), load the keys and clients,
//! set up TLS, then accept connections until SIGTERM or Ctrl-C. Each connection has
//! `--request-timeout` to send a whole request (headers by hyper's timer, the body by the
//! endpoint's deadline) and never holds up another; at most [`MAX_CONNECTIONS`] are served
//! at once.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::Semaphore;
use tokio::time::Instant;
use tokio_rustls::TlsAcceptor;

use crate::error::{Result, ServeProblem};
use crate::serve::address::BindAddr;
use crate::serve::authorize::DEFAULT_USER;
use crate::serve::events::{Event, Events};
use crate::serve::http::{Setup, Site};
use crate::serve::options::{DEFAULT_ADDR, MAX_CONNECTIONS, Options, Tls};
use crate::serve::state::{CHECK_EVERY, Sources, Watcher};
use crate::serve::tls::{self, CaFile};

/// The largest request head read (the request line and headers): more is a 431.
const MAX_HEAD_BYTES: usize = 16 * 1024;

/// How a server stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// SIGTERM.
    Terminated,
    /// Ctrl-C (SIGINT).
    Interrupted,
}

/// A server bound to its address, ready to [`run`](Server::run).
pub struct Server {
    runtime: tokio::runtime::Runtime,
    listener: TcpListener,
    site: Arc<Site>,
    watcher: Watcher,
    tls: Option<TlsAcceptor>,
    ca_file: Option<CaFile>,
    signals: Signals,
    timeout: Duration,
}

impl Server {
    /// Bind, load and set up; the socket accepts connections when this returns. Notes about
    /// the mode the server runs in go to `events`.
    pub fn start(options: Options, events: Arc<dyn Events>) -> Result<Server> {
        let addr = match &options.addr {
            Some(addr) => addr.clone(),
            None => DEFAULT_ADDR.parse::<BindAddr>().map_err(runtime_error)?,
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(runtime_error)?;
        let (listener, signals) = runtime.block_on(async {
            let listener = listen(&addr)?;
            Ok::<_, crate::Error>((listener, Signals::new()?))
        })?;
        let port = listener.local_addr().map_err(runtime_error)?.port();
        let https = options.tls != Tls::Off;
        let issuer = addr.issuer(port, https, options.issuer.as_ref());
        if addr.is_unspecified() && options.issuer.is_none() {
            events.report(Event::Note(format!(
                "listening on every interface as {}; clients on other hosts need --issuer with the URL they use",
                issuer.text
            )));
        }
        let sources = Sources {
            key: options.key.clone(),
            config: options.config.clone(),
            public: options.clients.clone(),
            issuer: issuer.clone(),
            need_clients: (!addr.is_loopback()).then(|| addr.to_string()),
        };
        let watcher = sources.load(&*events)?;
        let (tls, ca_file) = match &options.tls {
            Tls::Off => (None, None),
            Tls::Throwaway { ca_out } => {
                let (config, ca) =
                    tls::throwaway(&tls::leaf_names(&issuer.host), ca_out.as_deref())?;
                (Some(config), Some(ca))
            }
            Tls::Files { cert, key } => (Some(tls::from_files(cert, key)?), None),
        };
        notes(&*events, &options, &watcher, ca_file.as_ref());
        let setup = Setup {
            issuer,
            ttl: options.ttl,
            max_age: options.jwks_max_age,
            clock: options.clock,
            user: options
                .user
                .clone()
                .unwrap_or_else(|| DEFAULT_USER.to_string()),
            caps: options.caps,
        };
        let site = Site::new(setup, watcher.live(), events).map_err(runtime_error)?;
        Ok(Server {
            runtime,
            listener,
            site: Arc::new(site),
            watcher,
            tls: tls.map(|config| TlsAcceptor::from(Arc::new(config))),
            ca_file,
            signals,
            timeout: options.request_timeout,
        })
    }

    /// The issuer URL.
    pub fn issuer(&self) -> &str {
        &self.site.issuer.text
    }

    /// The address listened on.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    /// Where the throwaway CA's certificate is, under `--tls`.
    pub fn ca_file(&self) -> Option<&Path> {
        self.ca_file.as_ref().map(CaFile::path)
    }

    /// Serve until SIGTERM or Ctrl-C. A temporary CA file is removed then.
    pub fn run(self) -> Result<Stopped> {
        let Server {
            runtime,
            listener,
            site,
            mut watcher,
            tls,
            ca_file,
            mut signals,
            timeout,
        } = self;
        let events = Arc::clone(&site.events);
        runtime.spawn(async move {
            let mut every = tokio::time::interval(CHECK_EVERY);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            loop {
                every.tick().await;
                watcher.check(&*events);
            }
        });
        let stopped = runtime.block_on(accept(listener, site, tls, timeout, &mut signals));
        runtime.shutdown_timeout(Duration::from_millis(200));
        drop(ca_file);
        Ok(stopped)
    }
}

/// The notes that say how a server runs: its key, open mode, its CA.
fn notes(events: &dyn Events, options: &Options, watcher: &Watcher, ca_file: Option<&CaFile>) {
    let snapshot = watcher.live().get();
    if options.key.is_none() {
        events.report(Event::Note(format!(
            "signing with an ephemeral EC P-256 key, kid {:?}: its tokens stop verifying when the server stops (--key keeps keys across restarts)",
            snapshot.keys.kid.as_deref().unwrap_or_default()
        )));
    }
    if snapshot.registry.is_open() {
        events.report(Event::Note(
            "open mode: no client is declared, so any client_id is taken (one that sends any secret is confidential); --client or --config declares clients".into(),
        ));
    }
    if let Some(ca) = ca_file {
        events.report(Event::Note(format!(
            "the throwaway CA's certificate is in {} (jwtk verify --cacert, SSL_CERT_FILE, NODE_EXTRA_CA_CERTS)",
            ca.path().display()
        )));
    }
}

fn runtime_error(why: impl std::fmt::Display) -> crate::Error {
    ServeProblem::Runtime {
        why: why.to_string(),
    }
    .into()
}

/// Listen on `addr` (with room for many pending connections).
fn listen(addr: &BindAddr) -> Result<TcpListener> {
    let fail = |io: std::io::Error| -> crate::Error {
        if io.kind() == std::io::ErrorKind::AddrInUse {
            ServeProblem::AddrInUse {
                addr: addr.to_string(),
            }
            .into()
        } else {
            ServeProblem::Listen {
                addr: addr.to_string(),
                io,
            }
            .into()
        }
    };
    let socket = match addr.socket {
        SocketAddr::V4(_) => TcpSocket::new_v4(),
        SocketAddr::V6(_) => TcpSocket::new_v6(),
    }
    .map_err(fail)?;
    #[cfg(unix)]
    socket.set_reuseaddr(true).map_err(fail)?;
    socket.bind(addr.socket).map_err(fail)?;
    socket.listen(1024).map_err(fail)
}

/// Accept connections until a signal comes.
async fn accept(
    listener: TcpListener,
    site: Arc<Site>,
    tls: Option<TlsAcceptor>,
    timeout: Duration,
    signals: &mut Signals,
) -> Stopped {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let slot = tokio::select! {
            stop = signals.recv() => return stop,
            slot = Arc::clone(&slots).acquire_owned() => slot,
        };
        let Ok(slot) = slot else {
            return Stopped::Terminated;
        };
        let stream = tokio::select! {
            stop = signals.recv() => return stop,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file descriptors, most likely: let some connections end.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let site = Arc::clone(&site);
        let tls = tls.clone();
        tokio::spawn(async move {
            let start = Instant::now();
            match tls {
                None => serve(site, stream, start, timeout).await,
                Some(acceptor) => {
                    match tokio::time::timeout_at(start + timeout, acceptor.accept(stream)).await {
                        Ok(Ok(stream)) => serve(site, stream, start, timeout).await,
                        Ok(Err(_)) => site.events.report(Event::Dropped {
                            why: "TLS handshake failed".into(),
                        }),
                        Err(_) => site.events.report(Event::Dropped {
                            why: format!(
                                "no TLS handshake within {}s: connection closed",
                                timeout.as_secs()
                            ),
                        }),
                    }
                }
            }
            drop(slot);
        });
    }
}

/// Requests one connection may send before it is closed (clients reconnect).
const MAX_REQUESTS_PER_CONNECTION: u32 = 100;

/// Serve HTTP/1.1 on one connection: the first request must be whole within `timeout` of
/// `start` (the connection), each later one within `timeout` of its first byte.
async fn serve<S>(site: Arc<Site>, stream: S, start: Instant, timeout: Duration)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let first = Arc::new(AtomicBool::new(true));
    let served = Arc::new(AtomicU32::new(0));
    let answering = Arc::clone(&site);
    let service = service_fn(move |request| {
        let site = Arc::clone(&answering);
        let deadline = if first.swap(false, Ordering::Relaxed) {
            start + timeout
        } else {
            Instant::now() + timeout
        };
        let last = served.fetch_add(1, Ordering::Relaxed) + 1 >= MAX_REQUESTS_PER_CONNECTION;
        async move {
            let mut response = site.answer(request, deadline).await;
            if last {
                // The connection's share is spent: close it after this answer, so one client
                // pipelining thousands of requests can't keep a slot (nginx's keepalive_requests).
                response.headers_mut().insert(
                    hyper::header::CONNECTION,
                    hyper::header::HeaderValue::from_static("close"),
                );
            }
            Ok::<_, std::convert::Infallible>(response)
        }
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(timeout)
        .max_buf_size(MAX_HEAD_BYTES)
        .serve_connection(TokioIo::new(WriteDeadline::new(stream, timeout)), service);
    if let Err(err) = connection.await {
        let why = if err.is_parse_too_large() {
            "request head too large (431)".to_string()
        } else if err.is_parse() {
            "malformed request (400)".to_string()
        } else if err.is_timeout() {
            format!(
                "no whole request within {}s: connection closed",
                timeout.as_secs()
            )
        } else {
            return;
        };
        site.events.report(Event::Dropped { why });
    }
}

/// A stream whose writes must make progress: a write still pending after `timeout` (a client
/// that sends requests and never reads the answers) fails, and the connection closes, so its
/// slot goes back to the others. Reads pass through (`--request-timeout` bounds them).
struct WriteDeadline<S> {
    inner: S,
    timeout: Duration,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<S> WriteDeadline<S> {
    fn new(inner: S, timeout: Duration) -> Self {
        WriteDeadline {
            inner,
            timeout,
            stalled: None,
        }
    }

    /// `poll` as it is, but a stall longer than the deadline is an error.
    fn progress<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match poll {
            Poll::Ready(result) => {
                self.stalled = None;
                Poll::Ready(result)
            }
            Poll::Pending => {
                let timeout = self.timeout;
                let sleep = self
                    .stalled
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                match sleep.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the client reads no answers",
                    ))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WriteDeadline<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WriteDeadline<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let poll = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.progress(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let poll = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.progress(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let poll = Pin::new(&mut this.inner).poll_flush(cx);
        this.progress(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let poll = Pin::new(&mut this.inner).poll_shutdown(cx);
        this.progress(cx, poll)
    }
}

/// SIGTERM and Ctrl-C, registered at start so that neither kills the process once the
/// issuer URL is printed.
struct Signals {
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
}

impl Signals {
    #[cfg(unix)]
    fn new() -> Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            terminate: signal(SignalKind::terminate()).map_err(runtime_error)?,
            interrupt: signal(SignalKind::interrupt()).map_err(runtime_error)?,
        })
    }

    #[cfg(not(unix))]
    fn new() -> Result<Signals> {
        Ok(Signals {})
    }

    #[cfg(unix)]
    async fn recv(&mut self) -> Stopped {
        tokio::select! {
            _ = self.terminate.recv() => Stopped::Terminated,
            _ = self.interrupt.recv() => Stopped::Interrupted,
        }
    }

    #[cfg(not(unix))]
    async fn recv(&mut self) -> Stopped {
        let _ = tokio::signal::ctrl_c().await;
        Stopped::Interrupted
    }
}
