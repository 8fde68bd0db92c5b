//! `jwtk serve`: turn the flags into server options, start the server, print the issuer URL
//! once it accepts connections, and write its events on stderr, escaped.

use std::io::Write;
use std::sync::Arc;

use anstyle::AnsiColor as Color;

use crate::args::ServeArgs;
use crate::commands::Status;
use crate::output::{self, Console, Palette};
use jwtk::serve::{Event, Events, Options, RequestLine, Server, Stopped, Tls};

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
