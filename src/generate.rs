//! Files generated from the command-line definition: completion scripts and man pages.
//! They are committed under `completions/` and `man/`; a test regenerates them and fails
//! when the committed copies are stale (`UPDATE_GENERATED=1 cargo test` rewrites them).

use clap_complete::Shell;

use crate::cli;

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
    clap_complete::generate(shell, &mut cli::whole_command(), "jwtk", &mut script);
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
    let mut command = cli::whole_command();
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
