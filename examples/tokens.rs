//! Mint many tokens quickly through the library, one per line, for batch benchmarks:
//! `cargo run --release --example tokens -- KEY ALG COUNT > tokens.txt`. Every token carries
//! `iss: "https://issuer.example"`, `aud: "ws-api"` and an `exp` a day ahead, as the reference
//! loops of `benches/compare.sh` expect.

use std::io::{BufWriter, Write};

use jwtk::keys::{self, Reading, Source};
use jwtk::mint::{self, ClaimsSpec};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [key, alg, count] = args.as_slice() else {
        return Err("usage: tokens KEY ALG COUNT".into());
    };
    let loaded = keys::load(&Source::File(key.into()), &Reading::with_raw_secrets())?;
    let key = loaded.keys.last().ok_or("no key")?;
    let signer = key.signer(alg.parse().map_err(|_| "unknown ALG")?)?;
    let header = mint::build_header(alg, "JWT", key.kid.as_deref(), &[])?;
    let now = jwtk::time::now();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for i in 0..count.parse::<u64>()? {
        let spec = ClaimsSpec {
            sub: Some(format!("user-{i}")),
            iss: Some("https://issuer.example".into()),
            aud: vec!["ws-api".into()],
            exp: Some(jwtk::time::When::Offset(86_400)),
            ..ClaimsSpec::default()
        };
        writeln!(out, "{}", mint::sign(&header, &spec.build(now), &signer)?)?;
    }
    Ok(())
}
