//! What a running server reports: one line per request, notes and warnings. The library
//! never prints; the caller decides where these go (the `jwtk` command writes them on stderr,
//! escaped).

/// One request, as the request log shows it: never a query value, body, header value, code,
/// secret or token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLine {
    /// The method as sent.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The status answered.
    pub status: u16,
    /// The client, when the request named one.
    pub client_id: Option<String>,
    /// The grant type, when the request named one.
    pub grant_type: Option<String>,
}

/// Something the server reports while it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A request was answered.
    Request(RequestLine),
    /// A connection closed without a whole request: malformed, or too slow.
    Dropped {
        /// What happened, e.g. "malformed request (400)".
        why: String,
    },
    /// Something worth knowing (a reload, the mode the server runs in).
    Note(String),
    /// Something that went wrong without stopping the server (a file that no longer loads).
    Warning(String),
}

/// Where a server's events go. Called from the server's threads: it must be quick.
pub trait Events: Send + Sync {
    /// Take one event.
    fn report(&self, event: Event);
}
