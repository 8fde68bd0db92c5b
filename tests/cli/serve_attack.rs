//! `jwtk serve` under attack (a security review's findings): each test fails against the server
//! as it was reviewed. The real binary, started by the serve tests' harness.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::serve::served::Served;

/// `GET /jwks` on a new connection: the status line, or `None` when no answer came within
/// `wait`.
fn status_within(served: &Served, wait: Duration) -> Option<String> {
    let mut stream = TcpStream::connect(&served.addr).ok()?;
    stream.set_read_timeout(Some(wait)).ok()?;
    stream
        .write_all(
            format!(
                "GET /jwks HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                served.addr
            )
            .as_bytes(),
        )
        .ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    Some(String::from_utf8_lossy(&head).to_string())
}

/// The contract: a client that hasn't sent its whole request within `--request-timeout` is
/// cut off "without holding up others". Clients that send whole requests at once — thousands
/// of them pipelined on each connection — and never read the answers are never cut off: each
/// connection waits forever for its socket to take the next response, holding one of the
/// server's 512 connection slots. 512 of them and the server answers no one, for as long as
/// they stay (minutes here; the request timeout is 1 s).
#[test]
fn serve_clients_that_never_read_their_answers_do_not_hold_up_others() {
    let server = Served::start(&["-q", "--request-timeout", "1s"]);
    let request = format!("GET /jwks HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr);
    let pipelined = request.repeat(20_000);
    let mut hogs = Vec::new();
    for _ in 0..512 {
        let Ok(mut stream) = TcpStream::connect(&server.addr) else {
            break;
        };
        stream.set_nonblocking(true).unwrap();
        // As much as the socket takes at once: far more answers than it will buffer.
        let _ = stream.write(pipelined.as_bytes());
        hogs.push(stream);
    }
    // Well past the request timeout, a new client is answered at once.
    std::thread::sleep(Duration::from_secs(3));
    let started = Instant::now();
    let status = status_within(&server, Duration::from_secs(5));
    assert!(
        status
            .as_deref()
            .is_some_and(|s| s.starts_with("HTTP/1.1 200")),
        "no answer ({status:?}) after {:?} while {} clients read nothing",
        started.elapsed(),
        hogs.len()
    );
}

/// The token endpoint refuses a parameter given twice by comparing each name with every one
/// before it: a 64 KiB body of 16,000 distinct short names costs the server hundreds of
/// millions of comparisons (1.4 s of CPU per request in a debug build, against microseconds
/// for any other body of that size), so a few clients keep every core busy.
#[test]
fn serve_a_body_of_many_distinct_parameters_costs_no_more_than_any_other() {
    let server = Served::start(&["-q"]);
    let alphabet: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').collect();
    let mut names = Vec::new();
    'all: for a in &alphabet {
        for b in &alphabet {
            for c in &alphabet {
                if names.len() == 16_000 {
                    break 'all;
                }
                names.push(format!("{a}{b}{c}"));
            }
        }
    }
    let body = names.join("&");
    assert!(body.len() < 64 * 1024);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream
        .write_all(
            format!(
                "POST /token HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                server.addr,
                body.len()
            )
            .as_bytes(),
        )
        .unwrap();
    let started = Instant::now();
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).unwrap();
    let took = started.elapsed();
    assert!(
        head.starts_with(b"HTTP/1.1 4"),
        "{:?}",
        String::from_utf8_lossy(&head)
    );
    assert!(took < Duration::from_millis(300), "{took:?}");
}
