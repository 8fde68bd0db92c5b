//! Integration tests: each runs the real `jwtk` binary with a clean environment and a pinned
//! clock, and checks exit codes, stdout, stderr and JSON.

mod attack_review;
mod attacks;
mod batch;
mod classify;
mod decode;
mod display;
mod dpop;
mod generated;
mod jwe;
mod jwe_mint;
mod keygen;
mod keymaterial;
mod keyset;
mod mint;
mod mint_checks;
mod numbers;
mod openssh;
mod paste;
mod profile;
mod properties;
mod remote;
mod remote_edges;
mod robustness;
mod sd_jwt;
#[cfg(unix)]
mod serve;
#[cfg(unix)]
mod serve_attack;
mod server;
mod usage;
mod verify;

use std::path::PathBuf;

use assert_cmd::Command;

/// The pinned "now" of every test: 2026-11-22T12:24:49Z.
pub const NOW: i64 = 1_795_350_289;

/// The note every command prints while `JWTK_NOW` pins the clock (as [`jwtk`] does).
pub const PIN_NOTE: &str = "jwtk: note: the clock is pinned by JWTK_NOW to 2026-11-22T12:24:49Z\n";

/// What a command printed on stderr after the clock note, which must come first.
pub fn stderr_after_pin(out: &std::process::Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    stderr
        .strip_prefix(PIN_NOTE)
        .unwrap_or_else(|| panic!("no clock note first on stderr: {stderr}"))
        .to_string()
}

/// `jwtk` with an empty environment (no NO_COLOR, no JWTK_KEY, …) and the clock at [`NOW`].
pub fn jwtk() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jwtk"));
    cmd.env_clear().env("JWTK_NOW", NOW.to_string());
    cmd
}

/// A path under `tests/fixtures/`.
/// Run jwtk with `args`, which must succeed; its stdout, trimmed.
pub fn run_ok(args: &[&str]) -> String {
    let out = jwtk().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

pub fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// The compact token of one RFC vector, e.g. `vector("rfc7515-A.1-HS256")`.
pub fn vector(name: &str) -> String {
    let path = fixture(&format!("rfc/{name}/token.jwt"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .trim()
        .to_string()
}

/// The flags that tell `verify` a raw secret fixture is an HMAC secret: it never guesses.
/// Empty for every other key.
pub fn secret_flags(key: &str) -> &'static [&'static str] {
    if key.ends_with("secret-newline.txt") {
        &["--secret-encoding", "utf8"]
    } else if key.ends_with("key.secret.bin") {
        &["--alg", "HS256"]
    } else if key.ends_with("hmac48") {
        &["--alg", "HS384"]
    } else {
        &[]
    }
}

/// `args` with the [`secret_flags`] of every raw secret among them.
pub fn told<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    for arg in args {
        all.extend(secret_flags(arg));
    }
    all
}

/// Parse stdout as one JSON document.
pub fn json_stdout(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// base64url without padding, for building hostile tokens.
pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A token from literal header and payload text and signature bytes.
pub fn token(header: &str, payload: &str, signature: &[u8]) -> String {
    format!("{}.{}.{}", b64(header), b64(payload), b64(signature))
}

/// The reason `verify --json -k KEY TOKEN` gives, or "valid".
pub fn reason(key: &std::path::Path, token: &str) -> String {
    let doc = json_stdout(
        &jwtk()
            .args(["verify", "--json", "-k"])
            .arg(key)
            .arg(token)
            .output()
            .unwrap(),
    );
    doc["reason"].as_str().unwrap_or("valid").to_string()
}
