//! Completions and man pages are generated from the CLI definition and committed; these tests
//! regenerate them and fail when the committed copies are stale.
//! `UPDATE_GENERATED=1 cargo test` rewrites them.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use jwtk::generate;

fn check_or_update(path: PathBuf, expected: &[u8], stale: &mut Vec<String>) {
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, expected).unwrap();
    } else if std::fs::read(&path).ok().as_deref() != Some(expected) {
        stale.push(path.display().to_string());
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn cli_definition_is_consistent() {
    jwtk::cli::Cli::command().debug_assert();
    jwtk::cli::whole_command().debug_assert();
}

/// Parsing describes only the subcommand that runs (the rest is deferred); once built, each
/// subcommand must describe exactly what the whole interface (help, completions, man pages)
/// describes: the same arguments, descriptions and nested subcommands. (Mutation check: with
/// `keep_about` bypassed, every subcommand's description differs.)
#[test]
fn deferred_subcommands_describe_what_the_whole_interface_does() {
    fn outline(command: &clap::Command, into: &mut Vec<String>, path: &str) {
        let path = format!("{path} {}", command.get_name());
        into.push(format!("{path}: {:?}", command.get_long_about()));
        let mut args: Vec<String> = command
            .get_arguments()
            .map(|arg| format!("{path} {} {:?}", arg.get_id(), arg.get_long_help()))
            .collect();
        args.sort();
        into.extend(args);
        // clap's `help` subcommand lists the subcommands known when it is made, for
        // completions only (`jwtk help keyset list` itself works either way).
        for sub in command
            .get_subcommands()
            .filter(|sub| sub.get_name() != "help")
        {
            outline(sub, into, &path);
        }
    }
    let mut deferred = jwtk::cli::Cli::command();
    deferred.build();
    let mut whole = jwtk::cli::whole_command();
    whole.build();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    outline(&deferred, &mut a, "");
    outline(&whole, &mut b, "");
    assert!(a.len() > 150, "{} lines", a.len());
    assert_eq!(a, b);
}

#[test]
fn completions_are_current() {
    let mut stale = Vec::new();
    for shell in generate::SHELLS {
        let path = root()
            .join("completions")
            .join(generate::completion_file_name(shell));
        check_or_update(path, &generate::completion_script(shell), &mut stale);
    }
    assert!(
        stale.is_empty(),
        "stale completions (run UPDATE_GENERATED=1 cargo test): {stale:?}"
    );
}

#[test]
fn man_pages_are_current() {
    let pages = generate::man_pages().unwrap();
    assert!(pages.iter().any(|(name, _)| name == "jwtk-decode.1"));
    let mut stale = Vec::new();
    for (name, page) in &pages {
        check_or_update(root().join("man").join(name), page, &mut stale);
    }
    let committed = std::fs::read_dir(root().join("man")).unwrap().count();
    assert_eq!(
        committed,
        pages.len(),
        "man/ holds pages for commands that no longer exist"
    );
    assert!(
        stale.is_empty(),
        "stale man pages (run UPDATE_GENERATED=1 cargo test): {stale:?}"
    );
}

#[test]
fn completions_subcommand_prints_the_committed_script() {
    let out = super::jwtk()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        out.stdout,
        generate::completion_script(clap_complete::Shell::Bash)
    );
}
