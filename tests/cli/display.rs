//! What reaches a terminal: invisible code points escaped in every view, and human output cut
//! to the terminal's width (through a real pseudo-terminal) while pipes and JSON are whole.

use serde_json::{Value, json};

use super::{NOW, fixture, json_stdout, jwtk, token};

/// The contract's invisible, default-ignorable code points (a minimum).
const INVISIBLE: [char; 19] = [
    '\u{200B}',
    '\u{200C}',
    '\u{200D}',
    '\u{200E}',
    '\u{200F}',
    '\u{2060}',
    '\u{2061}',
    '\u{2062}',
    '\u{2063}',
    '\u{2064}',
    '\u{FEFF}',
    '\u{00AD}',
    '\u{E0000}',
    '\u{E0001}',
    '\u{E0020}',
    '\u{E0041}',
    '\u{E0067}',
    '\u{E007E}',
    '\u{E007F}',
];

/// The JSON `\uXXXX` spelling of `c` (a surrogate pair beyond the BMP), lower case.
fn json_escape(c: char) -> String {
    let mut units = [0u16; 2];
    c.encode_utf16(&mut units)
        .iter()
        .map(|u| format!("\\u{u:04x}"))
        .collect()
}

#[test]
fn every_invisible_code_point_is_escaped_in_human_output_and_json() {
    for c in INVISIBLE {
        let iss = format!("https://accounts.goo{c}gle.com");
        let claims = json!({"iss": iss, "sub": format!("a{c}b"), "exp": NOW + 600});
        let t = token(r#"{"alg":"HS256","kid":"k"}"#, &claims.to_string(), b"sig");
        let human = format!("\\u{{{:x}}}", c as u32);
        let out = jwtk().args(["decode", &t]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text.contains(c),
            "U+{:04X} reached the terminal raw",
            c as u32
        );
        assert!(
            text.contains(&human),
            "U+{:04X}: want {human} in {text}",
            c as u32
        );

        let out = jwtk().args(["decode", "--json", &t]).output().unwrap();
        let text = String::from_utf8(out.stdout.clone()).unwrap();
        assert!(!text.contains(c), "U+{:04X} raw in --json", c as u32);
        assert!(text.contains(&json_escape(c)), "{text}");
        assert_eq!(
            json_stdout(&out)["claims"]["iss"],
            iss,
            "still the same value"
        );

        let out = jwtk().args(["classify", &t]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text.contains(c) && text.contains(&human),
            "classify: {text}"
        );
    }
}

#[test]
fn verify_messages_show_the_difference_that_is_there() {
    let key = fixture("keys/secret-newline.txt");
    for c in INVISIBLE {
        let iss = format!("https://accounts.goo{c}gle.com");
        let minted = jwtk()
            .arg("mint")
            .arg("--key")
            .arg(&key)
            .args(["--iss", &iss])
            .output()
            .unwrap();
        let t = String::from_utf8(minted.stdout).unwrap();
        let out = jwtk()
            .arg("verify")
            .arg("--key")
            .arg(&key)
            .args([
                "--alg",
                "HS256",
                "--iss",
                "https://accounts.google.com",
                t.trim(),
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("wrong_issuer") || err.contains("iss is"),
            "{err}"
        );
        assert!(!err.contains(c), "U+{:04X} raw in {err}", c as u32);
        assert!(err.contains(&format!("\\u{{{:x}}}", c as u32)), "{err}");
        let out = jwtk()
            .arg("verify")
            .arg("--key")
            .arg(&key)
            .args(["--alg", "HS256", "--json", t.trim()])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout.clone()).unwrap();
        assert!(
            !text.contains(c) && text.contains(&json_escape(c)),
            "{text}"
        );
    }
}

#[test]
fn keyset_list_escapes_kids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("set.jwks");
    let keys: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("keys/keyset.jwks")).unwrap())
            .unwrap();
    let mut keys = keys;
    keys["keys"][0]["kid"] = Value::String("key\u{200B}\u{E0041}1".into());
    std::fs::write(&path, keys.to_string()).unwrap();
    let out = jwtk().args(["keyset", "list"]).arg(&path).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("key\\u{200b}\\u{e0041}1"), "{text}");
}

/// A token whose human views are wide: long claims, a lifetime, a provider headline.
fn wide_token() -> String {
    let claims = json!({
        "iss": "https://dev-abcdefgh12345678.us.auth0.com/",
        "sub": "Xq2bK9vLmN4pR7sT1uW3yZ5aC8dE0fGh@clients",
        "aud": "https://billing-api.internal.example.com/v2/invoices",
        "azp": "Xq2bK9vLmN4pR7sT1uW3yZ5aC8dE0fGh",
        "gty": "client-credentials",
        "scope": "read:invoices write:invoices read:customers write:customers admin:everything",
        "iat": NOW - 300,
        "exp": NOW + 86_400 * 2,
    });
    token(
        r#"{"alg":"HS256","typ":"JWT","kid":"2026-key-rotation-identifier-long"}"#,
        &claims.to_string(),
        &[7u8; 32],
    )
}

/// Run `jwtk ARGS` in a pseudo-terminal; `setup` is shell run first (e.g. `stty cols 60`).
fn in_terminal(columns: Option<usize>, setup: &str, args: &[&str]) -> String {
    let jwtk = env!("CARGO_BIN_EXE_jwtk");
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let script = format!("{setup} exec {jwtk} {}", quoted.join(" "));
    // util-linux `script` runs the command on a pseudo-terminal (stdout and stderr both) and
    // copies what it shows to its own stdout.
    let mut command = std::process::Command::new("script");
    command
        .env_clear()
        .env("JWTK_NOW", NOW.to_string())
        .env("PATH", "/usr/bin:/bin")
        .args(["-qec", &script, "/dev/null"])
        .stdin(std::process::Stdio::null());
    if let Some(columns) = columns {
        command.env("COLUMNS", columns.to_string());
    }
    let out = command
        .output()
        .expect("util-linux `script` runs a command on a pseudo-terminal");
    String::from_utf8(out.stdout).unwrap()
}

fn assert_fits(output: &str, columns: usize, what: &str) {
    assert!(output.lines().count() > 1, "{what}: {output}");
    for line in output.lines() {
        let width = display_width(line.trim_end_matches('\r'));
        assert!(
            width <= columns,
            "{what} at {columns} columns: {width} columns in {line:?}"
        );
    }
}

#[test]
fn human_output_fits_40_60_and_80_columns_in_a_terminal() {
    let t = wide_token();
    let key = fixture("keys/secret-newline.txt");
    let minted = jwtk()
        .arg("mint")
        .arg("--key")
        .arg(&key)
        .args([
            "--iss",
            "https://auth.example.com/a/very/long/issuer/path/for/testing",
        ])
        .args([
            "--aud",
            "https://api.example.com/a/very/long/audience/value",
        ])
        .output()
        .unwrap();
    let minted = String::from_utf8(minted.stdout).unwrap();
    let key = key.display().to_string();
    for columns in [40, 60, 80] {
        let decode = in_terminal(Some(columns), "", &["decode", &t]);
        assert_fits(&decode, columns, "decode");
        assert!(decode.contains('…'), "long values are cut: {decode}");
        assert!(decode.contains("NOT VERIFIED"), "{decode}");
        let classify = in_terminal(Some(columns), "", &["classify", &t]);
        assert_fits(&classify, columns, "classify");
        assert!(
            classify.contains("confidence"),
            "the headline is kept: {classify}"
        );
        let verify = in_terminal(
            Some(columns),
            "",
            &["verify", "--key", &key, "--alg", "HS256", minted.trim()],
        );
        assert_fits(&format!("{verify}\n"), columns, "verify");
        // stderr too: an expired token's warnings and a rejection.
        let rejected = in_terminal(
            Some(columns),
            "",
            &[
                "verify",
                "--key",
                &key,
                "--alg",
                "HS256",
                "--now",
                "+1d",
                minted.trim(),
            ],
        );
        assert_fits(&format!("{rejected}\n"), columns, "verify (rejected)");
    }
    // Without COLUMNS, the terminal's own width.
    let decode = in_terminal(None, "stty rows 24 cols 60;", &["decode", &t]);
    assert_fits(&decode, 60, "decode in a 60-column terminal");
}

#[test]
fn pipes_files_json_and_tokens_are_never_cut() {
    let t = wide_token();
    let out = jwtk()
        .env("COLUMNS", "40")
        .args(["decode", &t])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().any(|l| l.chars().count() > 40),
        "a pipe is not cut"
    );
    assert!(!text.contains('…') || text.contains("Signature"), "{text}");
    let json = in_terminal(Some(40), "", &["decode", "--json", &t]);
    assert!(json.lines().any(|l| l.len() > 200), "--json is never cut");
    let key = fixture("keys/secret-newline.txt").display().to_string();
    let minted = in_terminal(Some(40), "", &["mint", "--key", &key, "--sub", "x"]);
    let line = minted.lines().find(|l| l.starts_with("eyJ")).unwrap();
    assert!(
        line.trim_end().len() > 40 && !line.contains('…'),
        "{minted}"
    );
}

#[test]
fn leeway_says_expired_within_the_leeway() {
    let key = fixture("keys/secret-newline.txt");
    let minted = jwtk()
        .arg("mint")
        .arg("--key")
        .arg(&key)
        .args(["--iat", "-5h", "--exp", "-3h"])
        .output()
        .unwrap();
    let t = String::from_utf8(minted.stdout).unwrap();
    let verify = |extra: &[&str]| {
        jwtk()
            .arg("verify")
            .arg("--key")
            .arg(&key)
            .args(["--alg", "HS256", "--leeway", "4h"])
            .args(extra)
            .arg(t.trim())
            .output()
            .unwrap()
    };
    let out = verify(&[]);
    assert_eq!(out.status.code(), Some(0));
    let line = String::from_utf8(out.stdout).unwrap();
    assert!(
        line.contains("expired 3h ago, within the 4h leeway"),
        "{line}"
    );
    assert!(!line.contains("expires"), "{line}");
    let doc = json_stdout(&verify(&["--json"]));
    assert!(
        doc["message"]
            .as_str()
            .unwrap()
            .contains("expired 3h ago, within the 4h leeway"),
        "{doc}"
    );
}

#[test]
fn local_shows_the_local_time_beside_utc() {
    if !std::path::Path::new("/usr/share/zoneinfo/Europe/Paris").exists() {
        return; // no time zone database here: nothing to compare with
    }
    let t = super::vector("rfc7515-A.1-HS256");
    let run = |args: &[&str]| {
        let out = jwtk()
            .env("TZ", "Europe/Paris")
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    // RFC 7515 A.1's exp, 1300819380, is 2011-03-22T18:43:00Z: 19:43 in Paris (CET).
    let decode = run(&["decode", "--local", &t]);
    assert!(
        decode.contains("2011-03-22T18:43:00Z = 2011-03-22 19:43:00 CET"),
        "{decode}"
    );
    assert!(!run(&["decode", &t]).contains("CET"), "only with --local");
    let classify = run(&["classify", "--local", &t]);
    assert!(classify.contains("2011-03-22 19:43:00 CET"), "{classify}");
    let key = fixture("rfc/rfc7515-A.1-HS256/key.jwk.json")
        .display()
        .to_string();
    let verify = run(&[
        "verify",
        "--local",
        "--key",
        &key,
        "--now",
        "1300819300",
        &t,
    ]);
    assert!(verify.contains("2011-03-22 19:43:00 CET"), "{verify}");
}

/// Columns a line takes on a terminal: escape sequences take none, every other character its
/// Unicode width (an independent reading of what the binary's output module computes).
fn display_width(text: &str) -> usize {
    let mut width = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters final-byte
            if chars.clone().next() == Some('[') {
                chars.next();
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
        } else {
            width += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
    }
    width
}

/// Cut to a narrow terminal, a line keeps its verdict: the least useful part (a date, the key
/// name, the bar) goes first, never "expires in …".
#[test]
fn narrow_terminals_keep_the_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("issuer-signing-key-2026.pem");
    jwtk()
        .args(["keygen", "--type", "ec", "--out"])
        .arg(&key)
        .assert()
        .success();
    let key = key.display().to_string();
    let public = format!("{key}.pub");
    let out = jwtk()
        .args(["mint", "--key", &key, "--sub", "alice", "--exp", "+2h"])
        .output()
        .unwrap();
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    for columns in [40, 50, 60] {
        let verify = plain(&in_terminal(
            Some(columns),
            "",
            &["verify", "--key", &public, &token],
        ));
        assert_fits(&format!("{verify}\n"), columns, "verify");
        assert!(
            verify.contains("valid: ES256, expires in 2h, by"),
            "{columns}: {verify}"
        );
        let decode = plain(&in_terminal(Some(columns), "", &["decode", &token]));
        assert_fits(&decode, columns, "decode");
        let exp = decode.lines().find(|l| l.contains("\"exp\"")).unwrap();
        assert!(exp.contains("expires in 2h"), "{columns}: {exp}");
        let lifetime = decode.lines().find(|l| l.contains("Lifetime")).unwrap();
        assert!(lifetime.contains("ends in 2h"), "{columns}: {lifetime}");
    }
    // Wide enough, nothing moves: the date first, the whole sentence.
    let verify = plain(&in_terminal(
        Some(200),
        "",
        &["verify", "--key", &public, &token],
    ));
    assert!(
        verify.contains("signature by") && verify.contains("audience not checked"),
        "{verify}"
    );
    let decode = plain(&in_terminal(Some(200), "", &["decode", &token]));
    assert!(decode.contains("Z, expires in 2h"), "{decode}");
}

/// `keyset list` fits the terminal: keys on two lines when the table is too wide, each kid
/// whole on its own line (a kid is copied into `promote`), the rest beneath.
#[test]
fn keyset_list_fits_the_width() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("keys.jwks").display().to_string();
    let mut kids = Vec::new();
    for kind in ["ec", "rsa", "ed25519"] {
        let out = jwtk()
            .args(["keygen", "--type", kind, "--add-to", &set])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        kids.push(String::from_utf8(out.stdout).unwrap().trim().to_string());
    }
    let wide = plain(&in_terminal(Some(120), "", &["keyset", "list", &set]));
    assert_eq!(wide.lines().count(), 3, "{wide}");
    for columns in [60, 80] {
        let list = plain(&in_terminal(Some(columns), "", &["keyset", "list", &set]));
        assert_fits(&list, columns, "keyset list");
        let lines: Vec<&str> = list.lines().map(|l| l.trim_end_matches('\r')).collect();
        assert_eq!(lines.len(), 6, "{list}");
        for (i, kid) in kids.iter().enumerate() {
            assert_eq!(lines[2 * i], kid, "{list}");
        }
        assert!(
            lines[1].contains("EC P-256") && lines[1].contains("signs"),
            "{list}"
        );
        assert!(
            lines[3].contains("RSA") && !lines[3].contains("signs"),
            "{list}"
        );
    }
}

/// Terminal output without its colour sequences and the pinned-clock note.
fn plain(output: &str) -> String {
    let mut text = String::new();
    let mut chars = output.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            text.push(c);
        }
    }
    text.lines()
        .filter(|l| !l.contains("the clock is pinned"))
        .map(|l| format!("{}\n", l.trim_end_matches('\r')))
        .collect()
}
