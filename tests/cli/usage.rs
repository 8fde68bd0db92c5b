//! Usage errors, help text and the global flags.

use super::jwtk;

#[test]
fn unknown_flag_is_exit_2() {
    jwtk().args(["decode", "--frobnicate"]).assert().code(2);
}

#[test]
fn every_subcommand_help_ends_with_examples() {
    for sub in ["decode", "mint", "verify", "completions"] {
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
