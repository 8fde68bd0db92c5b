//! Hostile inputs found in a security review of SD-JWT, profiles, remote keys and key input:
//! each test failed before its fix.

use super::{b64, jwtk};

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

/// An OpenSSH public key as `ssh-keygen -e` writes it (RFC 4716 §3: `---- BEGIN SSH2 PUBLIC
/// KEY ----`, header lines (one continued by `\`), the key's base64 wrapped at `width`
/// characters).
fn rfc4716(line: &str, width: usize) -> String {
    let blob = line.split_whitespace().nth(1).unwrap();
    let wrapped: Vec<&str> = blob
        .as_bytes()
        .chunks(width)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "---- BEGIN SSH2 PUBLIC KEY ----\nComment: \"2048-bit RSA, converted by me@example.com \\\nfrom OpenSSH\"\nx-command: /usr/bin/true\n{}\n---- END SSH2 PUBLIC KEY ----\n",
        wrapped.join("\n")
    )
}

/// Public-key material never becomes an HMAC secret (RFC 8725 §3.1), `--alg HS256` or not: an
/// SSH public key in the RFC 4716 form `ssh-keygen -e` prints (lines of 70 characters, which
/// alone are no whole base64), or its base64 after `NAME=` or in quotes, was taken for a
/// secret, and `mint --alg HS256` signed with it. They are the OpenSSH public key they hold
/// (an RS256 token verifies with them); a blob cut short is refused.
#[test]
fn an_ssh2_public_key_file_is_never_an_hmac_secret() {
    let dir = tempfile::tempdir().unwrap();
    let line = std::fs::read_to_string(super::fixture("openssh/id_rsa.pub")).unwrap();
    let blob = line.split_whitespace().nth(1).unwrap();
    let signed = super::run_ok(&[
        "mint",
        "--key",
        super::fixture("openssh/id_rsa").to_str().unwrap(),
        "--sub",
        "x",
    ]);
    let mut texts: Vec<(String, String)> = (60..=72)
        .map(|width| (format!("width {width}"), rfc4716(&line, width)))
        .collect();
    texts.push(("env line".into(), format!("SSH_PUBLIC_KEY={blob}\n")));
    texts.push(("quoted".into(), format!("key: \"{blob}\"\n")));
    for (what, text) in &texts {
        let file = dir.path().join("key.pub");
        std::fs::write(&file, text).unwrap();
        let out = jwtk()
            .args(["mint", "--alg", "HS256", "--sub", "x", "--key"])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{what}: {out:?}");
        assert!(out.stdout.is_empty(), "{what}");
        let token = super::token(r#"{"alg":"HS256"}"#, "{}", &[0; 32]);
        let out = jwtk()
            .env("JWTK_KEY", text)
            .args(["verify", "--alg", "HS256", &token])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{what}: {out:?}");
        let out = jwtk()
            .env("JWTK_KEY", text)
            .args(["verify", &signed])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{what}: {out:?}");
    }
    let cut = format!("SSH_PUBLIC_KEY={}\n", &blob[..blob.len() - 7]);
    let out = jwtk()
        .env("JWTK_KEY", &cut)
        .args(["mint", "--alg", "HS256", "--sub", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("OpenSSH public key"),
        "{out:?}"
    );
}

/// A public JWK after other text on its line (`NAME={…}`, `export NAME='{…}'`, a YAML value,
/// escaped quotes) was no JSON key to the detector, which read only lines starting with `{`,
/// and became an HMAC secret under `--alg HS256`.
#[test]
fn a_public_jwk_after_a_name_is_never_an_hmac_secret() {
    let jwk = std::fs::read_to_string(super::fixture("sd-jwt/issuer.jwk")).unwrap();
    let jwk: serde_json::Value = serde_json::from_str(&jwk).unwrap();
    let jwk = jwk.to_string();
    let escaped = jwk.replace('"', "\\\"");
    for text in [
        format!("JWT_PUBLIC_JWK={jwk}\n"),
        format!("export JWK='{jwk}'\n"),
        format!("issuer:\n  jwk: {jwk}\n"),
        format!("JWK=\"{escaped}\"\n"),
        format!("APP=demo\nKEYS={{\"keys\":[{jwk}]}}\n"),
    ] {
        let out = jwtk()
            .env("JWTK_KEY", &text)
            .args(["mint", "--alg", "HS256", "--sub", "x"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{text}: {out:?}");
        assert!(out.stdout.is_empty(), "{text}");
    }
}

/// The size warnings name the largest claims: a claim name of 100 KB was printed whole, twice,
/// in one-line warnings (and in `--json`'s `warnings`).
#[test]
fn size_warnings_cut_long_claim_names() {
    let name = "n".repeat(100_000);
    let token = super::token(r#"{"alg":"HS256"}"#, &format!("{{\"{name}\":1}}"), &[0; 32]);
    let out = jwtk().arg("decode").write_stdin(token).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("budget")).collect();
    assert_eq!(warnings.len(), 2, "{stderr:.2000}");
    for warning in warnings {
        assert!(
            warning.len() < 1000,
            "{} bytes: {warning:.300}",
            warning.len()
        );
        assert!(warning.contains("nnnn…"), "{warning:.300}");
    }
}

/// An `OPENSSH PRIVATE KEY` (openssh-key-v1, PROTOCOL.key) RSA key whose numbers are `bytes`
/// long each: unencrypted, its check words equal, nothing a parser refuses before the numbers.
fn openssh_rsa_private(bytes: usize) -> String {
    use base64::Engine;
    fn string(out: &mut Vec<u8>, bytes: &[u8]) {
        out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        out.extend_from_slice(bytes);
    }
    // A positive number of `bytes` bytes: high bit clear (mpint sign), low bit set (odd).
    let number = |fill: u8| {
        let mut n = vec![fill; bytes];
        n[0] = 0x7f;
        n[bytes - 1] |= 1;
        n
    };
    let (n, e, d, iqmp, p, q) = (
        number(0xc5),
        vec![1, 0, 1],
        number(0x9b),
        number(0x3d),
        number(0xe7),
        number(0xa1),
    );
    let mut public = Vec::new();
    string(&mut public, b"ssh-rsa");
    string(&mut public, &e);
    string(&mut public, &n);
    let mut private = Vec::new();
    private.extend_from_slice(&[0, 0, 0, 7, 0, 0, 0, 7]);
    string(&mut private, b"ssh-rsa");
    for m in [&n, &e, &d, &iqmp, &p, &q] {
        string(&mut private, m);
    }
    string(&mut private, b"comment");
    let mut pad = 1u8;
    while private.len() % 8 != 0 {
        private.push(pad);
        pad += 1;
    }
    let mut blob = b"openssh-key-v1\0".to_vec();
    string(&mut blob, b"none");
    string(&mut blob, b"none");
    string(&mut blob, b"");
    blob.extend_from_slice(&1u32.to_be_bytes());
    string(&mut blob, &public);
    string(&mut blob, &private);
    let body = base64::engine::general_purpose::STANDARD.encode(blob);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(70)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN OPENSSH PRIVATE KEY-----\n{}\n-----END OPENSSH PRIVATE KEY-----\n",
        lines.join("\n")
    )
}

/// An OpenSSH RSA private key's CRT exponents are computed bit by bit when it loads, in time
/// that grows with the square of its numbers' size: a 200 KB key file (numbers of 32 KB,
/// far over the 8192 bits jwtk loads) took 25 s before it was refused, a 1 MiB one minutes.
/// Its size is judged first.
#[test]
fn an_oversized_openssh_rsa_key_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("id_rsa");
    std::fs::write(&file, openssh_rsa_private(32 * 1024)).unwrap();
    let started = std::time::Instant::now();
    let out = jwtk()
        .args(["mint", "--sub", "x", "--key"])
        .arg(&file)
        .output()
        .unwrap();
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("over 8192 bits"),
        "{out:?}"
    );
    assert!(took < std::time::Duration::from_secs(2), "{took:?}");
}

/// A URL carrying a user name or password is refused and shown as `scheme://***@host`, but
/// the check looked for userinfo only after the first `://`: written without its scheme
/// (`//user:pass@host`), with a third slash or a backslash after the scheme (which browsers,
/// by the WHATWG URL standard, still read as the start of the authority), the password was
/// repeated whole in the error (`fetching //alice:s3cret@… failed: not a usable URL`).
#[test]
fn a_password_in_a_url_of_any_spelling_is_never_repeated() {
    let cache = tempfile::tempdir().unwrap();
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
    for url in [
        "//alice:s3cret@127.0.0.1:9/jwks",
        "https:///alice:s3cret@127.0.0.1:9/jwks",
        "https:/\\/alice:s3cret@127.0.0.1:9/jwks",
        "https:\\\\alice:s3cret@127.0.0.1:9/jwks",
        "HTTPS://alice:s3cret@[::1]:9/jwks",
        "https://alice:s3cret@127.0.0.1:9\\jwks",
    ] {
        for (args, code) in [
            (vec!["verify", "--jwks", url, token], 3),
            (vec!["keyset", "fetch", url], 3),
            (vec!["verify", "--issuer", url, token], 2),
        ] {
            let out = jwtk()
                .env("XDG_CACHE_HOME", cache.path())
                .args(&args)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
            assert!(!stderr.contains("s3cret"), "{args:?}: {stderr}");
            assert!(
                stderr.contains("user name or password"),
                "{args:?}: {stderr}"
            );
        }
    }
    let mut files = vec![cache.path().to_path_buf()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else {
            let text = std::fs::read(&path).unwrap();
            assert!(
                !String::from_utf8_lossy(&text).contains("s3cret"),
                "{path:?}"
            );
        }
    }
}

/// The disclosures (their paths) and the array `n` a verifier of `presentation` sees.
fn presented(presentation: &str) -> (Vec<String>, serde_json::Value) {
    let out = jwtk()
        .args(["decode", "--json"])
        .write_stdin(presentation)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let decoded: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths = decoded["disclosures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    (paths, decoded["disclosed_claims"]["n"].clone())
}

/// `present --disclose PATH`: the presentation, or the exit code and stderr.
fn present(sd_jwt: &str, path: &str) -> Result<String, (Option<i32>, String)> {
    let out = jwtk()
        .args(["present", "--disclose", path])
        .write_stdin(sd_jwt)
        .output()
        .unwrap();
    if out.status.success() {
        Ok(String::from_utf8(out.stdout).unwrap().trim().to_string())
    } else {
        Err((
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ))
    }
}

/// `present --disclose` checked a path against the claims with the disclosures applied, where
/// an array's undisclosed elements (decoys, which RFC 9901 §4.2.5 lets an issuer put in
/// arrays, or elements whose disclosure the input lacks) are gone, so indexes shift; but it
/// picked disclosures by their paths, whose indexes count the elements as signed (as the
/// contract and `decode` say). So `/n/1/c` — meant as member `c` of the element `decode`
/// lists at `/n/1` — passed the check (the shifted array has a `c` there) and disclosed the
/// element at `/n/1`, which has no `c`: a claim the holder never chose went to the verifier.
/// `/n/2`, which `decode` lists, was "names nothing"; and `/n/01` or `/n/+1` passed the
/// check (read as 1) and disclosed nothing, exit 0. A path is now resolved as signed.
#[test]
fn present_resolves_array_indexes_as_signed_and_never_discloses_a_neighbour() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("issuer");
    jwtk()
        .args(["keygen", "--type", "ec", "--out"])
        .arg(&key)
        .assert()
        .success();
    // An issuer's decoy first in the array (a digest no disclosure has), then two
    // selectively disclosable elements.
    let decoy = b64(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, b"decoy").as_ref());
    let claims = format!(r#"n:=[{{"...":"{decoy}"}},{{"name":"Alice"}},{{"c":3}}]"#);
    let out = jwtk()
        .args(["mint", "--sub", "x", "--exp", "+1h", "--key"])
        .arg(&key)
        .args(["--claim", &claims, "--sd", "/n/1", "--sd", "/n/2"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let sd_jwt = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let (paths, n) = presented(&sd_jwt);
    assert_eq!(paths, ["/n/1", "/n/2"]);
    assert_eq!(n, serde_json::json!([{"name": "Alice"}, {"c": 3}]));
    // Member c of the element at /n/1 (Alice's): there is none.
    let err = present(&sd_jwt, "/n/1/c").unwrap_err();
    assert_eq!(err.0, Some(2), "{}", err.1);
    assert!(err.1.contains("/n/1/c names nothing"), "{}", err.1);
    // Member c of the element at /n/2: that element alone.
    let (paths, n) = presented(&present(&sd_jwt, "/n/2/c").unwrap());
    assert_eq!(paths, ["/n/2"]);
    assert_eq!(n, serde_json::json!([{"c": 3}]));
    // An index is written as RFC 6901 §4 says: no sign, no leading zero; the decoy names
    // nothing to disclose.
    for path in ["/n/01", "/n/+1", "/n/-", "/n/0", "/n/0/x"] {
        let err = present(&sd_jwt, path).unwrap_err();
        assert_eq!(err.0, Some(2), "{path}: {}", err.1);
    }
    // From a presentation holding only /n/2's disclosure, /n/2 is still /n/2.
    let partial = present(&sd_jwt, "/n/2").unwrap();
    assert_eq!(presented(&partial).0, ["/n/2"]);
    let again = present(&partial, "/n/2").unwrap();
    assert_eq!(presented(&again).0, ["/n/2"]);
    assert!(present(&partial, "/n/1").is_err(), "not in this input");
}
