//! `jwtk decode`: show a token's header and claims, annotated, without verifying anything.

use std::io::Write;

use anstyle::AnsiColor as Color;
use serde_json::{Map, Value};

use crate::args::DecodeArgs;
use crate::commands::{Status, read_token_input};
use crate::output::{self, Console, Palette};
use jwtk::dpop;
use jwtk::error::Malformed;
use jwtk::jwe::{self, Jwe};
use jwtk::sd::{self, Inspected};
use jwtk::time;
use jwtk::token;
use jwtk::token::Jws;
use jwtk::token::inspect::{Lifetime, Review, jwe_warnings};
use jwtk::token::size::SizeReport;

/// Decode one token and print it, as a human view or as one JSON object.
pub fn run(args: &DecodeArgs, console: &mut Console) -> super::Result<Status> {
    let token = read_token_input(&args.input, console)?;
    if sd::looks_like(&token) {
        let seen = sd::inspect(&token)?;
        show_sd(&seen, args, console)?;
        return Ok(Status::Success);
    }
    if jwe::is_jwe(&token) {
        let jwe = Jwe::parse(&token)?;
        show_jwe(&jwe, args.json, console)?;
        return Ok(Status::Success);
    }
    let jws = Jws::parse(&token)?;
    let claims = jws.claims();
    let view = View {
        review: Review::new(
            &jws.header,
            claims.as_ref().ok(),
            jws.sizes(),
            crate::clock::now(),
        ),
        jws: &jws,
    };
    match (&claims, args.json) {
        (Ok(claims), true) => console.json(&view.json(claims))?,
        (Err(_), true) => {}
        (Ok(claims), false) => view.human(console, Payload::Claims(claims), args.local)?,
        (Err(_), false) => view.human(console, Payload::Other(&jws.payload), args.local)?,
    }
    if !args.json {
        for warning in view.warnings() {
            console.warn(&warning)?;
        }
    }
    claims
        .map(|_| Status::Success)
        .map_err(|err: Malformed| err.into())
}

/// An encrypted token: the protected header and the part sizes; the claims need the key.
fn show_jwe(jwe: &Jwe, json: bool, console: &mut Console) -> std::io::Result<()> {
    let sizes = jwe.sizes();
    let mut warnings = jwe_warnings(&jwe.header);
    let parts = token::PartSizes {
        total: sizes.total,
        header: sizes.header,
        claims: sizes.ciphertext,
        signature: sizes.tag,
    };
    warnings.extend(SizeReport::new(parts, &Map::new()).warnings());
    if json {
        return console.json(&serde_json::json!({
            "encrypted": true,
            "header": jwe.header,
            "size": sizes,
            "warnings": warnings,
        }));
    }
    let p = console.out_style;
    let algs = format!(
        "{} + {}",
        jwe.text("alg").unwrap_or("no alg"),
        jwe.text("enc").unwrap_or("no enc")
    );
    let out = &mut console.out;
    writeln!(
        out,
        "{} {}",
        p.bold(&format!(
            "Encrypted token (JWE), {}, {} bytes",
            output::one_line(&algs),
            sizes.total
        )),
        p.paint(
            "— the claims need the recipient's key: `jwtk decrypt --key …`",
            Color::Yellow
        )
    )?;
    writeln!(
        out,
        "\n{}\n{}",
        p.bold("Header"),
        output::pretty_object(&jwe.header, p, |_| None)
    )?;
    if jwe.is_nested() {
        writeln!(
            out,
            "\n{}",
            p.dim("cty JWT: the plaintext is a signed token (a nested JWT)")
        )?;
    }
    writeln!(
        out,
        "\n{}       {} bytes: header {} · encrypted key {} · iv {} · ciphertext {} · tag {} · dots 4",
        p.bold("Size"),
        sizes.total,
        sizes.header,
        sizes.encrypted_key,
        sizes.iv,
        sizes.ciphertext,
        sizes.tag
    )?;
    for warning in warnings {
        console.warn(&warning)?;
    }
    Ok(())
}

enum Payload<'a> {
    Claims(&'a Map<String, Value>),
    Other(&'a [u8]),
}

struct View<'a> {
    jws: &'a Jws<'a>,
    review: Review,
}

impl View<'_> {
    fn warnings(&self) -> Vec<String> {
        self.review.warnings()
    }

    fn json(&self, claims: &Map<String, Value>) -> Value {
        let mut doc = serde_json::json!({
            "header": self.jws.header,
            "claims": claims,
            "signature": self.jws.segments.signature,
            "size": self.review.size.parts,
            "warnings": self.warnings(),
        });
        if dpop::is_proof(&self.jws.header) {
            doc["dpop_proof"] = Value::Bool(true);
        }
        doc
    }

    fn human(&self, console: &mut Console, payload: Payload, local: bool) -> std::io::Result<()> {
        console.out.fit(true);
        let p = console.out_style;
        let width = console.out.width();
        let out = &mut console.out;
        let alg = self.jws.alg().map_or_else(
            || "no alg".to_string(),
            |a| output::one_line(a).into_owned(),
        );
        let title = format!("{alg} token, {} bytes", self.review.size.parts.total);
        let mut banner = "— NOT VERIFIED: decode only reads it; `jwtk verify` checks it";
        if width.is_some_and(|w| title.chars().count() + 1 + banner.chars().count() > w) {
            banner = "— NOT VERIFIED";
        }
        writeln!(out, "{} {}", p.bold(&title), p.paint(banner, Color::Yellow))?;
        if dpop::is_proof(&self.jws.header) {
            writeln!(
                out,
                "A DPoP proof (RFC 9449): its signer holds the key in the header's jwk; `jwtk verify --dpop` checks it with its token"
            )?;
        }
        writeln!(
            out,
            "\n{}\n{}",
            p.bold("Header"),
            output::pretty_object(&self.jws.header, p, |_| None)
        )?;
        match payload {
            Payload::Claims(claims) => {
                let notes = |name: &str| {
                    let note = self
                        .review
                        .inspection
                        .times
                        .iter()
                        .find(|t| t.claim == name)?;
                    Some(format!(
                        "{}, {}",
                        time::format_at(note.at, local),
                        note.status
                    ))
                };
                writeln!(
                    out,
                    "\n{}\n{}",
                    p.bold("Claims"),
                    output::pretty_object(claims, p, notes)
                )?;
            }
            Payload::Other(bytes) => {
                let text = match std::str::from_utf8(bytes) {
                    Ok(text) => output::multi_line(text).into_owned(),
                    Err(_) => format!("({} bytes, not UTF-8 text)", bytes.len()),
                };
                writeln!(
                    out,
                    "\n{}\n{text}",
                    p.bold("Payload (not a JSON claims set)")
                )?;
            }
        }
        let sig = self.jws.segments.signature;
        let shown = if sig.len() > 48 {
            format!("{}…", &sig[..48])
        } else {
            sig.to_string()
        };
        writeln!(
            out,
            "\n{}  {} bytes  {}",
            p.bold("Signature"),
            self.jws.signature.len(),
            p.dim(&shown)
        )?;
        if let Some(lifetime) = self.review.inspection.lifetime {
            writeln!(
                out,
                "{}   {}",
                p.bold("Lifetime"),
                lifetime_bar(lifetime, p, width)
            )?;
        }
        self.size_lines(out, p, width)
    }

    fn size_lines(
        &self,
        out: &mut dyn Write,
        p: Palette,
        width: Option<usize>,
    ) -> std::io::Result<()> {
        let parts = self.review.size.parts;
        writeln!(
            out,
            "{}       {} bytes: header {} · claims {} · signature {} · dots 2",
            p.bold("Size"),
            parts.total,
            parts.header,
            parts.claims,
            parts.signature
        )?;
        // Each row is the name, the bar and 18 columns of figures; narrow terminals get
        // shorter names and bars.
        const FIGURES: usize = 18;
        let name_cap = width.map_or(32, |w| w.saturating_sub(FIGURES + 8).clamp(4, 32));
        let shown: Vec<_> = self.review.size.claims.iter().take(6).collect();
        let names: Vec<String> = shown
            .iter()
            .map(|c| output::cut(&output::one_line(&c.name), name_cap))
            .collect();
        let name_width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        let bar_width = width.map_or(20, |w| w.saturating_sub(name_width + FIGURES).clamp(4, 20));
        for (claim, name) in shown.iter().zip(&names) {
            let share = claim.bytes as f64 / parts.claims.max(1) as f64;
            writeln!(
                out,
                "  {name:name_width$}  {} {:>6} B {:>3.0}%",
                p.paint(&output::bar(share, bar_width), Color::Cyan),
                claim.bytes,
                (share * 100.0).min(100.0),
            )?;
        }
        Ok(())
    }
}

/// `├──────●──────────┤  issued 5m ago · expires in 10m`, with the marker outside the bar
/// when now is before the start or after the end.
fn lifetime_bar(life: Lifetime, p: Palette, width: Option<usize>) -> String {
    let now = life.now as f64;
    let status = format!(
        "starts {} · ends {}",
        time::relative(life.start, life.now),
        time::relative(life.end, life.now)
    );
    // "Lifetime   " (11 columns), the bar with its ends and marker (4), two spaces, status.
    let room = width.map_or(24, |w| w.saturating_sub(17 + status.chars().count()));
    let bar_width = room.clamp(6, 24);
    if life.end <= life.start {
        return status;
    }
    let fraction = (now - life.start) / (life.end - life.start);
    let line = |n: usize| "─".repeat(n);
    let bar = if fraction < 0.0 {
        format!("{} ├{}┤", p.paint("●", Color::Yellow), line(bar_width))
    } else if fraction > 1.0 {
        format!("├{}┤ {}", line(bar_width), p.paint("●", Color::Red))
    } else {
        let at = ((fraction * bar_width as f64) as usize).min(bar_width - 1);
        format!(
            "├{}{}{}┤",
            line(at),
            p.paint("●", Color::Green),
            line(bar_width - at - 1)
        )
    };
    format!("{bar}  {status}")
}

/// An SD-JWT: the issuer JWT as signed, each disclosure where it belongs, the claims as a
/// verifier sees them, what stays undisclosed, and the KB-JWT.
fn show_sd(seen: &Inspected, args: &DecodeArgs, console: &mut Console) -> std::io::Result<()> {
    let review = Review::new(
        &seen.header,
        Some(&seen.processed.claims),
        seen.sizes,
        crate::clock::now(),
    );
    let mut warnings = review.warnings();
    if let Some((_, kb_claims)) = &seen.kb {
        warnings.extend(
            jwtk::token::inspect::inspect(&Map::new(), Some(kb_claims), crate::clock::now())
                .warnings
                .into_iter()
                .filter(|w| !w.contains("no alg") && !w.contains("exp"))
                .map(|w| format!("KB-JWT: {w}")),
        );
    }
    if args.json {
        let kb = seen
            .kb
            .as_ref()
            .map(|(header, claims)| serde_json::json!({"header": header, "claims": claims}));
        return console.json(&serde_json::json!({
            "sd_jwt": true,
            "header": seen.header,
            "claims": seen.claims,
            "disclosures": seen.processed.disclosures,
            "disclosed_claims": seen.processed.claims,
            "undisclosed": seen.processed.undisclosed,
            "kb": kb,
            "size": seen.sizes,
            "warnings": warnings,
        }));
    }
    console.out.fit(true);
    let p = console.out_style;
    let width = console.out.width();
    let out = &mut console.out;
    let alg = seen.header.get("alg").and_then(Value::as_str).map_or_else(
        || "no alg".to_string(),
        |a| output::one_line(a).into_owned(),
    );
    let vc = seen
        .header
        .get("typ")
        .and_then(Value::as_str)
        .is_some_and(sd::is_vc_typ)
        || seen.claims.contains_key("vct");
    let kind = if vc { "SD-JWT VC" } else { "SD-JWT" };
    let title = format!("{kind} ({alg}), {} bytes", seen.sizes.total);
    let mut banner = "— NOT VERIFIED: decode only reads it; `jwtk verify` checks it";
    if width.is_some_and(|w| title.chars().count() + 1 + banner.chars().count() > w) {
        banner = "— NOT VERIFIED";
    }
    writeln!(out, "{} {}", p.bold(&title), p.paint(banner, Color::Yellow))?;
    let notes = |name: &str| {
        let note = review.inspection.times.iter().find(|t| t.claim == name)?;
        Some(format!(
            "{}, {}",
            time::format_at(note.at, args.local),
            note.status
        ))
    };
    writeln!(
        out,
        "\n{}\n{}",
        p.bold("Issuer JWT header"),
        output::pretty_object(&seen.header, p, |_| None)
    )?;
    writeln!(
        out,
        "\n{}\n{}",
        p.bold("Issuer JWT claims, as signed"),
        output::pretty_object(&seen.claims, p, |_| None)
    )?;
    let list = &seen.processed.disclosures;
    writeln!(
        out,
        "\n{}",
        p.bold(&format!(
            "Disclosures ({}, {})",
            list.len(),
            seen.alg.name()
        ))
    )?;
    if list.is_empty() {
        writeln!(out, "  {}", p.dim("none"))?;
    }
    for disclosure in list {
        let what = match &disclosure.name {
            Some(name) => {
                output::one_line(&serde_json::to_string(name).unwrap_or_default()).into_owned()
            }
            None => "array element".to_string(),
        };
        let value = output::one_line(&disclosure.value.to_string()).into_owned();
        let line = format!(
            "  {}  {}  {what} = {value}",
            p.paint(&output::one_line(&disclosure.path), Color::Blue),
            p.dim(&disclosure.digest),
        );
        writeln!(out, "{line}")?;
    }
    writeln!(
        out,
        "\n{}\n{}",
        p.bold("Claims as a verifier sees them (disclosures applied)"),
        output::pretty_object(&seen.processed.claims, p, notes)
    )?;
    writeln!(
        out,
        "{}  {} digest{} (hidden claims and decoys alike: they can't be told apart)",
        p.bold("Undisclosed"),
        seen.processed.undisclosed,
        if seen.processed.undisclosed == 1 {
            ""
        } else {
            "s"
        }
    )?;
    match &seen.kb {
        Some((header, claims)) => {
            let kb_notes = |name: &str| {
                let at = claims
                    .get(name)
                    .and_then(Value::as_f64)
                    .filter(|_| name == "iat")?;
                Some(format!(
                    "{}, {}",
                    time::format_at(at, args.local),
                    time::relative(at, crate::clock::now())
                ))
            };
            writeln!(
                out,
                "\n{}\n{}\n{}",
                p.bold("KB-JWT (key binding)"),
                output::pretty_object(header, p, |_| None),
                output::pretty_object(claims, p, kb_notes)
            )?;
        }
        None => writeln!(
            out,
            "\n{}  {}",
            p.bold("KB-JWT"),
            p.dim("none (the presentation ends with '~')")
        )?,
    }
    let parts = seen.sizes;
    writeln!(
        out,
        "\n{}       {} bytes: issuer JWT {} (header {} · claims {} · signature {}) · {} disclosures{}",
        p.bold("Size"),
        parts.total,
        seen.sd.issuer_jwt().len(),
        parts.header,
        parts.claims,
        parts.signature,
        seen.sd.disclosure_count(),
        seen.sd
            .kb_jwt
            .as_ref()
            .map_or(String::new(), |kb| format!(" · KB-JWT {}", kb.len()))
    )?;
    for warning in warnings {
        console.warn(&warning)?;
    }
    Ok(())
}
