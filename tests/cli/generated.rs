//! Completions and man pages are generated from the CLI definition and committed; these tests
//! regenerate them and fail when the committed copies are stale.
//! `UPDATE_GENERATED=1 cargo test` rewrites them.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;

// The binary's interface, compiled into this test as it is into the binary (it uses only the
// library and clap): completions and man pages are rendered from it here.
#[path = "../../src/bin/jwtk/args.rs"]
#[allow(dead_code)]
pub mod args;

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
    args::Cli::command().debug_assert();
    args::whole_command().debug_assert();
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
    let mut deferred = args::Cli::command();
    deferred.build();
    let mut whole = args::whole_command();
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
    for shell in SHELLS {
        let path = root().join("completions").join(completion_file_name(shell));
        check_or_update(path, &completion_script(shell), &mut stale);
    }
    assert!(
        stale.is_empty(),
        "stale completions (run UPDATE_GENERATED=1 cargo test): {stale:?}"
    );
}

#[test]
fn man_pages_are_current() {
    let pages = man_pages().unwrap();
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
    assert_eq!(out.stdout, completion_script(clap_complete::Shell::Bash));
}

/// The shells scripts are generated for.
pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::Elvish,
    Shell::PowerShell,
];

/// The completion script for `shell`.
pub fn completion_script(shell: Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut args::whole_command(), "jwtk", &mut script);
    script
}

/// The file name a completion script is committed under, as shells expect to find it.
pub fn completion_file_name(shell: Shell) -> String {
    match shell {
        Shell::Bash => "jwtk.bash".into(),
        Shell::Zsh => "_jwtk".into(),
        Shell::Fish => "jwtk.fish".into(),
        Shell::Elvish => "jwtk.elv".into(),
        Shell::PowerShell => "_jwtk.ps1".into(),
        other => format!("jwtk.{other}"),
    }
}

/// Every man page: `jwtk.1`, then `jwtk-<subcommand>.1` for each subcommand (nested ones too).
pub fn man_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut command = args::whole_command();
    command.build();
    let mut pages = Vec::new();
    collect_pages(&command, "jwtk", &mut pages)?;
    Ok(pages)
}

fn collect_pages(
    command: &clap::Command,
    name: &str,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> std::io::Result<()> {
    let mut page = Vec::new();
    let command = command.clone().name(name.to_string());
    clap_mangen::Man::new(command.clone()).render(&mut page)?;
    pages.push((format!("{name}.1"), page));
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        collect_pages(sub, &format!("{name}-{}", sub.get_name()), pages)?;
    }
    Ok(())
}
