//! `jwtk serve`: turn the flags into server options, start the server, print the issuer URL
//! once it accepts connections, and write its events on stderr, escaped.

use std::io::Write;
use std::sync::Arc;

use anstyle::AnsiColor as Color;

use crate::args::ServeArgs;
use crate::commands::Status;
use crate::output::{self, Console, Palette};
use jwtk::error::EnvProblem;
use jwtk::serve::store::Caps;
use jwtk::serve::{Event, Events, Options, RequestLine, Server, Stopped, Tls};

/// The variable that lowers every entry cap of the server's memory (codes, refresh tokens,
/// each kind of `jti`; the byte budgets stay) to its value, for tests that fill them. It can only lower them, and a full
/// memory refuses what it cannot remember (refresh tokens drop the oldest), so it costs
/// availability, never lets a replay through. A note says it is set; a value that is not a
/// whole number is an error, never ignored.
pub const TEST_CAP_VAR: &str = "JWTK_SERVE_TEST_MEMORY_CAP";

fn caps(console: &mut Console) -> super::Result<Caps> {
    let Some(value) = std::env::var_os(TEST_CAP_VAR) else {
        return Ok(Caps::SERVER);
    };
    let most = value
        .to_str()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .ok_or(EnvProblem::NotANumber { var: TEST_CAP_VAR })
        .map_err(jwtk::Error::from)?;
    let caps = Caps::SERVER.at_most(most);
    console.note(&format!(
        "{TEST_CAP_VAR} lowers what the server remembers, for tests: at most {} codes, {} refresh tokens and {} jtis of each kind",
        caps.codes, caps.refresh, caps.jtis
    ))?;
    Ok(caps)
}

/// Serve until SIGTERM (exit 0) or Ctrl-C (exit 130).
pub fn run(args: &ServeArgs, console: &mut Console) -> super::Result<Status> {
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Tls::Files {
            cert: cert.clone(),
            key: key.clone(),
        },
        _ if args.tls => Tls::Throwaway {
            ca_out: args.ca_out.clone(),
        },
        _ => Tls::Off,
    };
    let options = Options {
        key: args.key.clone(),
        addr: args.addr.clone(),
        issuer: args.issuer.clone(),
        config: args.config.clone(),
        clients: args.clients.clone(),
        user: args.user.clone(),
        ttl: args.ttl,
        jwks_max_age: args.jwks_max_age,
        request_timeout: std::time::Duration::from_secs(args.request_timeout),
        tls,
        clock: crate::clock::now,
        caps: caps(console)?,
    };
    let log = Log {
        quiet: args.quiet,
        palette: console.err_style,
        width: output::terminal_width(&std::io::stderr()),
    };
    let server = Server::start(options, Arc::new(log))?;
    writeln!(console.out, "{}", server.issuer())?;
    console.out.flush()?;
    Ok(match server.run()? {
        Stopped::Terminated => Status::Success,
        Stopped::Interrupted => Status::Interrupted,
    })
}

/// The server's events on stderr: request lines (unless `-q`), notes and warnings; every
/// value a client sent escaped, every line cut to the terminal's width.
struct Log {
    quiet: bool,
    palette: Palette,
    width: Option<usize>,
}

impl Events for Log {
    fn report(&self, event: Event) {
        let line = match event {
            Event::Request(request) if !self.quiet => request_line(&request),
            Event::Dropped { why } if !self.quiet => format!("(connection) {why}"),
            Event::Request(_) | Event::Dropped { .. } => return,
            Event::Note(note) => format!(
                "jwtk: {} {}",
                self.palette.paint("note:", Color::Cyan),
                output::one_line(&note)
            ),
            Event::Warning(warning) => format!(
                "jwtk: {} {}",
                self.palette.paint("warning:", Color::Yellow),
                output::one_line(&warning)
            ),
        };
        let line = match self.width {
            Some(width) => output::cut(&line, width),
            None => line,
        };
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }
}

/// `POST /token 200 client_id=svc grant_type=client_credentials`.
fn request_line(request: &RequestLine) -> String {
    let field = |text: &str| output::one_line(&jwtk::text::cut(text)).into_owned();
    let mut line = format!(
        "{} {} {}",
        field(&request.method),
        field(&request.path),
        request.status
    );
    if let Some(id) = &request.client_id {
        line.push_str(&format!(" client_id={}", field(id)));
    }
    if let Some(grant) = &request.grant_type {
        line.push_str(&format!(" grant_type={}", field(grant)));
    }
    line
}
