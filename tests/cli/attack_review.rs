//! Hostile inputs found in a security review of SD-JWT, profiles, remote keys and key input:
//! each test failed before its fix.

use super::b64;

/// Run `jwtk` with `args` on `stdin`; its exit code and peak resident memory in KiB (the
/// kernel's `VmHWM`, polled). A run whose memory passes `kill_kib` is killed (exit code
/// `None`), so a regression fails the test instead of exhausting the machine.
fn peak(args: &[&str], stdin: Vec<u8>, kill_kib: u64) -> (Option<i32>, u64, String) {
    use std::io::{Read, Write};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jwtk"))
        .env_clear()
        .env("JWTK_NOW", super::NOW.to_string())
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let status_file = format!("/proc/{}/status", child.id());
    let started = std::time::Instant::now();
    let mut high = 0;
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        let hwm = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|status| {
                let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
                line.split_whitespace().nth(1)?.parse::<u64>().ok()
            })
            .unwrap_or(0);
        high = high.max(hwm);
        if high > kill_kib || started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    feeder.join().unwrap();
    (code, high, reader.join().unwrap())
}

/// An SD-JWT whose issuer JWT (signature not checked by `decode`) holds `inner` under one
/// claim whose name is `name_len` bytes long.
fn sd_under_long_name(name_len: usize, inner: &str) -> Vec<u8> {
    let payload = format!("{{\"{}\":{inner}}}", "n".repeat(name_len));
    format!(
        "{}.{}.{}~",
        b64(r#"{"alg":"HS256"}"#),
        b64(payload),
        b64("sig")
    )
    .into_bytes()
}

/// RFC 9901 §7.1 processing names every digest's place by a JSON pointer. Built eagerly, one
/// pointer per digest under a long claim name made memory grow as the name's length times the
/// digest count: a 300 KB token took gigabytes in `decode`, `classify` and `present`.
#[test]
fn paths_of_digests_under_a_long_name_stay_bounded() {
    const LIMIT_KIB: u64 = 256 * 1024;
    let digests: Vec<String> = (0..40_000).map(|i| format!("\"{i}\"")).collect();
    let in_sd = format!("{{\"_sd\":[{}]}}", digests.join(","));
    let placeholders: Vec<String> = (0..40_000)
        .map(|i| format!("{{\"...\":\"{i}\"}}"))
        .collect();
    let in_array = format!("[{}]", placeholders.join(","));
    let nested: Vec<String> = (0..40_000)
        .map(|i| format!("[{{\"...\":\"{i}\"}}]"))
        .collect();
    let in_nested = format!("[{}]", nested.join(","));
    let containers = format!("[{}]", vec!["[]"; 200_000].join(","));
    for (what, inner) in [
        ("_sd digests", &in_sd),
        ("array placeholders", &in_array),
        ("placeholders in arrays of their own", &in_nested),
        ("empty arrays", &containers),
    ] {
        let token = sd_under_long_name(64 * 1024, inner);
        for command in ["decode", "classify", "present"] {
            let (code, kib, stderr) = peak(&[command], token.clone(), LIMIT_KIB);
            assert!(
                matches!(code, Some(0 | 1)),
                "{command} on {what}: exit {code:?} at {kib} KiB: {stderr}"
            );
            assert!(kib < LIMIT_KIB, "{command} on {what}: {kib} KiB");
        }
    }
}
