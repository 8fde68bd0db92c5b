//! Token input: every form people paste (curl -v, "Copy as cURL", JSON strings, OAuth token
//! responses, cookies, URLs, wrapped lines), never repaired; several tokens; a file argument;
//! the prompt on a terminal.

use super::{NOW, json_stdout, jwtk, vector};

/// RFC 7515 A.1 (HS256) and A.2 (RS256): two real, distinct tokens.
fn two() -> (String, String) {
    (vector("rfc7515-A.1-HS256"), vector("rfc7515-A.2-RS256"))
}

/// `decode --json` of `input` on stdin: exit code, the decoded claims' iss, stderr.
fn decode(input: &str, extra: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let out = jwtk()
        .args(["decode", "--json"])
        .args(extra)
        .write_stdin(input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let doc = if out.status.success() {
        json_stdout(&out)
    } else {
        serde_json::Value::Null
    };
    (out.status.code(), doc, stderr)
}

/// The token decode found: its signature segment, which tells the two vectors apart.
fn signature_of(doc: &serde_json::Value) -> String {
    doc["signature"].as_str().unwrap_or_default().to_string()
}

fn sig(token: &str) -> String {
    token.rsplit('.').next().unwrap().to_string()
}

#[test]
fn each_pasted_form_yields_the_token_with_a_note() {
    let (t, _) = two();
    let forms = [
        format!(
            "*   Trying 127.0.0.1:443...\n> GET /api HTTP/1.1\r\n> Host: api.example.com\r\n> Authorization: Bearer {t}\r\n> Accept: */*\r\n>\r\n< HTTP/1.1 200 OK\r\n"
        ),
        format!(
            "curl 'https://api.example.com/me' \\\n  -H 'accept: application/json' \\\n  -H 'authorization: Bearer {t}' \\\n  --compressed"
        ),
        format!("\"{t}\""),
        format!(
            "{{\"access_token\":\"{t}\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"refresh_token\":\"8xLOxBtZp8\"}}"
        ),
        format!("Cookie: theme=dark; session={t}; lang=en"),
        format!("< Set-Cookie: id={t}; Path=/; HttpOnly; Secure"),
        format!("https://app.example.com/cb?code=abc&id_token={t}&state=xyz"),
        format!("https://app.example.com/cb#access_token={t}&token_type=bearer&expires_in=3600"),
        format!("see ({t}) above"),
    ];
    for input in forms {
        let (code, doc, stderr) = decode(&input, &[]);
        assert_eq!(code, Some(0), "{input}: {stderr}");
        assert_eq!(signature_of(&doc), sig(&t), "{input}");
        assert!(
            stderr.contains("note: took the token from"),
            "{input}: {stderr}"
        );
    }
}

#[test]
fn whitespace_and_bearer_alone_are_no_news() {
    let (t, _) = two();
    for input in [
        format!("  {t}\n"),
        format!("bearer {t}"),
        format!("\tBEARER   {t}\r\n"),
    ] {
        let (code, _, stderr) = decode(&input, &[]);
        assert_eq!(code, Some(0), "{input:?}: {stderr}");
        let after_pin = stderr.strip_prefix(super::PIN_NOTE).unwrap_or(&stderr);
        assert!(!after_pin.contains("note"), "{input:?}: {stderr}");
    }
    let (code, _, stderr) = decode(&format!("Authorization: Bearer {t}"), &[]);
    assert_eq!(code, Some(0));
    assert!(
        stderr.contains("removed an Authorization header line"),
        "{stderr}"
    );
}

#[test]
fn a_token_wrapped_over_lines_is_joined() {
    let (t, _) = two();
    let (a, rest) = t.split_at(30);
    let (b, c) = rest.split_at(40);
    for input in [
        format!("{a}\n{b}\n{c}\n"),
        format!("{a}\r\n    {b}\r\n\t{c}"),
        format!("Authorization: Bearer {a}\n  {b}\n  {c}"),
        format!("{{\"id_token\": \"{a}\n{b}\n{c}\"}}"),
    ] {
        let (code, doc, stderr) = decode(&input, &[]);
        assert_eq!(code, Some(0), "{input:?}: {stderr}");
        assert_eq!(signature_of(&doc), sig(&t));
        assert!(stderr.contains("3 lines"), "{input:?}: {stderr}");
    }
}

#[test]
fn never_repaired_padding_spaces_and_trailing_characters_stay_malformed() {
    let (t, _) = two();
    let (a, b) = t.split_at(t.len() - 10);
    let cases = [
        (format!("{t}="), "padding"),
        (format!("{t}=="), "padding"),
        (format!("Bearer {t}="), "padding"),
        (format!("https://x.example/cb?id_token={t}=&x=1"), "padding"),
        (
            format!("-H 'Authorization: Bearer {t}%3D'"),
            "character '%'",
        ),
        (format!("{t}."), "4 segments"),
        (format!("\"{t}/\""), "standard base64"),
        (format!("{a} {b}"), "whitespace"),
        (format!("{a}\t{b}"), "whitespace"),
        (format!("{a}\u{200b}{b}"), "non-ASCII"),
    ];
    for (input, words) in cases {
        let (code, _, stderr) = decode(&input, &[]);
        assert_eq!(code, Some(1), "{input:?}: {stderr}");
        assert!(stderr.contains("malformed token"), "{input:?}: {stderr}");
        assert!(
            stderr.contains(words),
            "{input:?}: want {words:?}: {stderr}"
        );
    }
    // The contract's examples: `?id_token=T&x=1` works, `T=` does not.
    let (code, _, _) = decode(&format!("?id_token={t}&x=1"), &[]);
    assert_eq!(code, Some(0));
}

#[test]
fn several_distinct_tokens_are_exit_2_naming_each_and_field_picks_one() {
    let (t, u) = two();
    let response = format!(
        "{{\"access_token\":\"{t}\",\"token_type\":\"Bearer\",\"id_token\":\"{u}\",\"expires_in\":300}}"
    );
    let fragment = format!("https://app.example/cb#access_token={t}&id_token={u}&state=1");
    let cookies = format!("Cookie: access_token={t}; id_token={u}");
    for input in [&response, &fragment, &cookies] {
        let (code, _, stderr) = decode(input, &[]);
        assert_eq!(code, Some(2), "{input}: {stderr}");
        assert!(
            stderr.contains("2 different tokens")
                && stderr.contains("access_token (line 1)")
                && stderr.contains("id_token (line 1)"),
            "{stderr}"
        );
        assert!(stderr.contains("--field"), "{stderr}");
        let (code, doc, stderr) = decode(input, &["--field", "id_token"]);
        assert_eq!(code, Some(0), "{stderr}");
        assert_eq!(signature_of(&doc), sig(&u));
        let (code, _, stderr) = decode(input, &["--field", "refresh_token"]);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("no token under that name"), "{stderr}");
    }
    // Consecutive lines that are each a whole token are separate tokens.
    let (code, _, stderr) = decode(&format!("{t}\n{u}\n"), &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("line 1") && stderr.contains("line 2"),
        "{stderr}"
    );
    // The same token twice is one token.
    let twice = format!("{{\"access_token\":\"{t}\",\"id_token\":\"{t}\"}}");
    assert_eq!(decode(&twice, &[]).0, Some(0));
    assert_eq!(decode(&format!("{t}\n{t}"), &[]).0, Some(0));
}

#[test]
fn verify_and_classify_read_pasted_text_too() {
    let (t, u) = two();
    let response = format!("{{\"access_token\":\"{u}\",\"id_token\":\"{t}\"}}");
    let key = super::fixture("rfc/rfc7515-A.1-HS256/key.jwk.json");
    let out = jwtk()
        .args(["verify", "--json", "--allow-no-exp", "--now", "1300819300"])
        .arg("--key")
        .arg(&key)
        .args(["--field", "id_token", &response])
        .output()
        .unwrap();
    let doc = json_stdout(&out);
    assert_eq!(doc["valid"], true, "{doc}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("JSON member id_token"));
    let out = jwtk()
        .arg("verify")
        .arg("--key")
        .arg(&key)
        .arg(&response)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = jwtk()
        .args(["classify", "--json"])
        .write_stdin(format!("> Authorization: Bearer {t}\r\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(json_stdout(&out)["kind"].is_string());
    // Nothing token-shaped at all: malformed, and the message says what a token looks like.
    let out = jwtk()
        .args(["verify", "--json"])
        .arg("--key")
        .arg(&key)
        .arg("> Authorization: Bearer abc")
        .output()
        .unwrap();
    let doc = json_stdout(&out);
    assert_eq!(doc["reason"], "malformed");
    assert!(doc["message"].as_str().unwrap().contains("no token found"));
}

#[test]
fn an_argument_naming_a_file_is_read_as_the_file() {
    let (t, _) = two();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("okta_at.jwt");
    std::fs::write(&path, format!("{t}\n")).unwrap();
    let out = jwtk()
        .args(["decode", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(signature_of(&json_stdout(&out)), sig(&t));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("is not a token but a file"),
        "the note says so: {stderr}"
    );
    // A name that is no file is not "2 segments": it is a file that is not there (exit 3).
    for name in ["okta_at.jwt", "nosuch.jwt", "tokens/at.txt"] {
        let out = jwtk()
            .args(["decode", name])
            .current_dir(dir.path().join(".."))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{name}: {out:?}");
        let stderr = super::stderr_after_pin(&out);
        assert_eq!(
            stderr,
            format!("jwtk: error: {name}: no such file, and not a token either\n")
        );
    }
    // A broken token stays a malformed token.
    let out = jwtk()
        .args(["decode", &t[..t.rfind('.').unwrap()]])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 segments"));
}

/// RFC 9449 §7.1: a DPoP-bound access token is sent as `Authorization: DPoP <token>`, its
/// proof in a `DPoP` header; both forms are read as `Bearer` is, in one place (decode, verify,
/// classify and `verify --batch` lines alike), and `--field` picks either header's token.
#[test]
fn the_dpop_scheme_and_header_names_are_read_like_bearer() {
    let (t, u) = two();
    for input in [
        format!("DPoP {t}"),
        format!("dpop {t}\n"),
        format!("Authorization: DPoP {t}"),
        format!("> Authorization: DPoP {t}\r\n> Accept: */*\r\n"),
        format!("-H 'Authorization: DPoP {t}'"),
    ] {
        let (code, doc, stderr) = decode(&input, &[]);
        assert_eq!(code, Some(0), "{input:?}: {stderr}");
        assert_eq!(signature_of(&doc), sig(&t), "{input:?}");
    }
    // The README's DPoP request, both headers pasted: two tokens, each header picks its own.
    let request = format!("> Authorization: DPoP {t}\r\n> DPoP: {u}\r\n");
    let (code, _, stderr) = decode(&request, &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("Authorization (line 1), DPoP (line 2)"),
        "{stderr}"
    );
    for (field, want) in [("Authorization", &t), ("authorization", &t), ("DPoP", &u)] {
        let (code, doc, stderr) = decode(&request, &["--field", field]);
        assert_eq!(code, Some(0), "{field}: {stderr}");
        assert_eq!(signature_of(&doc), sig(want), "{field}");
        assert!(stderr.contains("header (line"), "{stderr}");
    }
    let (code, doc, _) = decode(
        &format!("Authorization: Bearer {t}"),
        &["--field", "Authorization"],
    );
    assert_eq!((code, signature_of(&doc)), (Some(0), sig(&t)));
    // verify --batch lines go through the same front door.
    let key = super::fixture("rfc/rfc7515-A.1-HS256/key.jwk.json");
    let out = jwtk()
        .args([
            "verify",
            "--batch",
            "--allow-no-exp",
            "--now",
            "1300819300",
            "-k",
        ])
        .arg(&key)
        .write_stdin(format!("DPoP {t}\nAuthorization: DPoP {t}\nBearer {t}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

/// A token a mail client wrapped and quoted (`> ` at the start of each line) is found; the
/// marker goes with the line break.
#[test]
fn a_mail_quoted_wrapped_token_is_found() {
    let (t, _) = two();
    let (a, rest) = t.split_at(60);
    let (b, c) = rest.split_at(60);
    for input in [
        format!("> {a}\n> {b}\n> {c}\n"),
        format!("On Monday Bob wrote:\n>\n> {a}\n> {b}\n> {c}\n>\n> thanks\n"),
        format!("> > {a}\n> > {b}\n> > {c} (expired?)\n"),
    ] {
        let (code, doc, stderr) = decode(&input, &[]);
        assert_eq!(code, Some(0), "{input:?}: {stderr}");
        assert_eq!(signature_of(&doc), sig(&t), "{input:?}");
        assert!(stderr.contains("joined from 3 lines"), "{stderr}");
    }
}

#[test]
fn a_terminal_on_stdin_gets_a_prompt_saying_how_to_end() {
    let (t, _) = two();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_jwtk"));
    command
        .env_clear()
        .env("JWTK_NOW", NOW.to_string())
        .args(["decode", "--json"]);
    let mut session = rexpect::session::spawn_command(command, Some(10_000)).unwrap();
    session.exp_string("paste the token").unwrap();
    session.exp_string("Ctrl-D").unwrap();
    session.send_line(&t).unwrap();
    session.send_control('d').unwrap();
    let rest = session.exp_eof().unwrap();
    assert!(rest.contains(&sig(&t)), "{rest:?}");
    // No terminal: no prompt.
    let out = jwtk().arg("decode").write_stdin(t).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("paste"));
}
