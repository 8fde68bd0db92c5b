//! `jwtk classify`: kind, grant and subject of a token, with the evidence, unverified.

use std::io::Write;

use anstyle::AnsiColor as Color;

use crate::args::ClassifyArgs;
use crate::commands::{Status, read_token_input};
use crate::output::{self, Console};
use jwtk::classify::{self, Classification, Confidence};
use jwtk::profile::{self, Profile};
use jwtk::sd;
use jwtk::time;
use jwtk::token::Jws;
use jwtk::token::inspect::inspect;
use jwtk::token::size::SizeReport;
use serde_json::{Map, Value};

/// Classify one token and print the answer.
pub fn run(args: &ClassifyArgs, console: &mut Console) -> super::Result<Status> {
    let token = read_token_input(&args.input, console)?;
    let (header, claims, sizes, answer) = if sd::looks_like(&token) {
        // An SD-JWT: the issuer JWT's header, the claims with its disclosures applied.
        let seen = sd::inspect(&token)?;
        let answer = classify::classify_sd(&seen.header, &seen.processed.claims);
        (seen.header, seen.processed.claims, seen.sizes, answer)
    } else {
        let jws = Jws::parse(&token)?;
        let claims = jws.claims()?;
        let answer = classify::classify(&jws.header, &claims);
        let sizes = jws.sizes();
        (jws.header, claims, sizes, answer)
    };
    let size = SizeReport::new(sizes, &claims);
    if args.json {
        let profile = profile::identify(&header, &claims).map(Profile::name);
        console.json(&with_profile(&answer, profile))?;
    } else {
        console.out.fit(true);
        human(&answer, &claims, console)?;
        for note in inspect(&header, Some(&claims), crate::clock::now())
            .times
            .iter()
            .filter(|t| t.claim == "exp")
        {
            writeln!(
                console.out,
                "time: {}",
                output::one_line(&format!(
                    "{} ({})",
                    note.status,
                    time::format_at(note.at, args.local)
                ))
            )?;
        }
        let p = size.parts;
        writeln!(
            console.out,
            "size: {} bytes (header {}, claims {}, signature {})",
            p.total, p.header, p.claims, p.signature
        )?;
    }
    for warning in size.warnings() {
        console.warn(&warning)?;
    }
    let unclear = answer.confidence == Confidence::Low || !answer.conflicts.is_empty();
    if args.strict && unclear {
        console.note("--strict: the answer has low confidence or conflicts")?;
        return Ok(Status::Rejected);
    }
    Ok(Status::Success)
}

/// The answer as JSON with `"profile"` (the first profile whose structural rules the token
/// meets, from the same table `verify --profile` checks) before `"verified"`.
fn with_profile(answer: &Classification, profile: Option<&str>) -> Value {
    let mut out = Map::new();
    if let Ok(Value::Object(fields)) = serde_json::to_value(answer) {
        for (name, value) in fields {
            if name == "verified" {
                out.insert("profile".into(), profile.into());
            }
            out.insert(name, value);
        }
    }
    out.entry("profile").or_insert_with(|| profile.into());
    Value::Object(out)
}

fn human(
    answer: &Classification,
    claims: &serde_json::Map<String, serde_json::Value>,
    console: &mut Console,
) -> std::io::Result<()> {
    let p = console.out_style;
    let out = &mut console.out;
    let subject = match &answer.subject.id {
        Some(id) => format!("{} {:?}", answer.subject.kind.as_str(), id),
        None => answer.subject.kind.as_str().to_string(),
    };
    let provider = answer.provider.unwrap_or("no provider marker").to_string();
    let width = out.width();
    let parts = [
        format!("{} token", answer.kind.as_str()),
        format!("flow {}", answer.flow.as_str()),
        format!("subject {subject}"),
        provider,
        format!("confidence {}", answer.confidence.as_str()),
    ]
    .map(|part| output::one_line(&part).into_owned());
    for line in output::pack(&parts, " · ", width) {
        writeln!(out, "{}", p.bold(&line))?;
    }
    let mut banner = "NOT VERIFIED: classify reads what the token says; `jwtk verify` checks it";
    if width.is_some_and(|w| banner.chars().count() > w) {
        banner = "NOT VERIFIED: read, not checked";
    }
    writeln!(out, "{}", p.paint(banner, Color::Yellow))?;
    writeln!(out, "evidence:")?;
    for line in &answer.evidence {
        writeln!(out, "  - {}", output::one_line(line))?;
    }
    if !answer.conflicts.is_empty() {
        writeln!(out, "{}", p.paint("conflicts:", Color::Red))?;
        for line in &answer.conflicts {
            writeln!(out, "  - {}", output::one_line(line))?;
        }
    }
    let authority = classify::authority(claims);
    if !authority.is_empty() {
        writeln!(out, "authority:")?;
        for (claim, value) in authority {
            writeln!(out, "  {claim}: {}", output::one_line(&value))?;
        }
    }
    Ok(())
}
