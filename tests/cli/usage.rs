//! Usage errors, help text and the global flags.

use super::jwtk;

#[test]
fn unknown_flag_is_exit_2() {
    jwtk().args(["decode", "--frobnicate"]).assert().code(2);
}

/// Every subcommand, nested ones too, taken from the interface's definition (so a new one
/// cannot be forgotten): its help ends with examples that run jwtk.
#[test]
fn every_subcommand_help_ends_with_examples() {
    fn paths(command: &clap::Command, prefix: &[String], into: &mut Vec<Vec<String>>) {
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut path = prefix.to_vec();
            path.push(sub.get_name().to_string());
            paths(sub, &path, into);
            into.push(path);
        }
    }
    let mut all = Vec::new();
    paths(&super::generated::args::whole_command(), &[], &mut all);
    assert!(all.len() >= 15, "{all:?}");
    assert!(all.iter().any(|p| p == &["keyset", "fetch"]), "{all:?}");
    for path in all {
        let out = jwtk().args(&path).arg("--help").output().unwrap();
        assert!(out.status.success(), "{path:?}");
        let help = String::from_utf8(out.stdout).unwrap();
        let tail = &help[help
            .rfind("Examples:")
            .unwrap_or_else(|| panic!("{path:?}: no examples"))..];
        assert!(tail.contains("jwtk "), "{path:?}: {tail}");
    }
}

#[test]
fn color_values_are_the_contracts() {
    for value in ["auto", "always", "never"] {
        jwtk()
            .args(["--color", value, "completions", "bash"])
            .assert()
            .success();
    }
    jwtk()
        .args(["--color", "sometimes", "completions", "bash"])
        .assert()
        .code(2);
}

#[test]
fn algorithm_names_are_spelled_exactly_as_the_contract() {
    let key = super::fixture("keys/secret-newline.txt");
    let contract = [
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
        "ES384", "ES512", "EdDSA", "Ed25519",
    ];
    assert_eq!(jwtk::Algorithm::names().collect::<Vec<_>>(), contract);
    for bad in ["hs256", "ed-dsa", "EDDSA", "es512", "none", "ES256K"] {
        jwtk()
            .args(["mint", "-k", key.to_str().unwrap(), "--alg", bad])
            .assert()
            .code(2);
        jwtk()
            .args(["verify", "-k", key.to_str().unwrap(), "--alg", bad, "x.y.z"])
            .assert()
            .code(2);
    }
    for good in ["HS256", "HS384", "HS512"] {
        jwtk()
            .args(["mint", "-k", key.to_str().unwrap(), "--alg", good])
            .assert()
            .success();
    }
    // Each encoding reads "00ff" as its own bytes: the token is signed with exactly those.
    for (encoding, secret) in [
        ("utf8", &b"00ff"[..]),
        ("base64", &[0xd3, 0x47, 0xdf][..]),
        ("base64url", &[0xd3, 0x47, 0xdf][..]),
        ("hex", &[0x00, 0xff][..]),
    ] {
        let out = jwtk()
            .env("K", "00ff")
            .args(["mint", "--key-env", "K", "--secret-encoding", encoding])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{encoding}: {out:?}");
        let token = String::from_utf8(out.stdout).unwrap();
        let (input, signature) = token.trim().rsplit_once('.').unwrap();
        let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, secret);
        let tag = aws_lc_rs::hmac::sign(&key, input.as_bytes());
        assert_eq!(signature, super::b64(tag.as_ref()), "{encoding}");
    }
    jwtk()
        .env("K", "00ff")
        .args(["mint", "--key-env", "K", "--secret-encoding", "base-64"])
        .assert()
        .code(2);
}

/// The version is 0.2 and the README says what changed since 0.1 for users.
#[test]
fn the_version_is_0_2_and_the_readme_says_how_to_upgrade() {
    let out = jwtk().arg("--version").output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "jwtk 0.2.0\n");
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme
        .find("\n## Upgrading from 0.1\n")
        .expect("an upgrading section")..];
    let section = &section[..section[1..].find("\n## ").unwrap_or(section.len())];
    for change in [
        "first key",
        "thumbprint",
        "cargo install",
        "default-features = false",
    ] {
        assert!(
            section.contains(change),
            "the upgrading section names {change:?}"
        );
    }
}

/// On a terminal, `--key -` says what it waits for, as a token read from stdin does; through
/// a pipe it prints nothing extra.
#[test]
fn key_from_stdin_on_a_terminal_gets_a_prompt() {
    let secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA";
    let mint = ["mint", "--alg", "HS256", "--secret-encoding", "base64url"];
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_jwtk"));
    command
        .env_clear()
        .args(mint)
        .args(["--key", "-", "--sub", "x"]);
    let mut session = rexpect::session::spawn_command(command, Some(10_000)).unwrap();
    session.exp_string("paste the key").unwrap();
    session
        .exp_string("--key-prompt reads a secret unseen")
        .unwrap();
    session.send_line(secret).unwrap();
    session.send_control('d').unwrap();
    let rest = session.exp_eof().unwrap();
    assert!(rest.contains("eyJhbGciOiJIUzI1NiIs"), "{rest:?}");
    jwtk()
        .args(mint)
        .args(["--key", "-", "--sub", "x"])
        .write_stdin(secret)
        .assert()
        .success()
        .stderr(predicates::prelude::PredicateBooleanExt::not(
            predicates::str::contains("paste"),
        ));
}

/// `serve --help` gives the parameter limits the server enforces, from the same constants.
#[test]
fn serve_help_states_the_limits_the_server_enforces() {
    use jwtk::serve::limits::*;
    let out = jwtk().args(["serve", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(MAX_STATE, MAX_NONCE);
    assert_eq!(MAX_REDIRECT_URI, MAX_RESOURCE);
    for said in [
        format!("state and nonce at most {MAX_STATE} bytes"),
        format!("login_hint {MAX_LOGIN_HINT}"),
        format!("scope {} KiB ({MAX_SCOPE_VALUE} a value)", MAX_SCOPE / 1024),
        format!("redirect_uri and resource {} KiB", MAX_REDIRECT_URI / 1024),
    ] {
        assert!(help.contains(&said), "{said:?} not in: {help}");
    }
}
