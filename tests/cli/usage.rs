//! Usage errors, help text and the global flags.

use super::jwtk;

#[test]
fn unknown_flag_is_exit_2() {
    jwtk().args(["decode", "--frobnicate"]).assert().code(2);
}

#[test]
fn every_subcommand_help_ends_with_examples() {
    for sub in [
        "decode",
        "mint",
        "verify",
        "keygen",
        "keyset",
        "serve",
        "completions",
    ] {
        let out = jwtk().args([sub, "--help"]).output().unwrap();
        assert!(out.status.success());
        let help = String::from_utf8(out.stdout).unwrap();
        let tail = &help[help
            .rfind("Examples:")
            .unwrap_or_else(|| panic!("{sub}: no examples"))..];
        assert!(tail.contains("jwtk "), "{sub}: {tail}");
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
    for encoding in ["utf8", "base64", "base64url", "hex"] {
        jwtk()
            .env("K", "00ff")
            .args(["mint", "--key-env", "K", "--secret-encoding", encoding])
            .assert()
            .code(predicates::ord::ne(2));
    }
    jwtk()
        .env("K", "00ff")
        .args(["mint", "--key-env", "K", "--secret-encoding", "base-64"])
        .assert()
        .code(2);
}
