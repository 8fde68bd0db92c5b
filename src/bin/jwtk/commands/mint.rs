//! `jwtk mint`: build a claims set and header from flags, sign, encrypt to a recipient when
//! asked (a nested JWT), print the token alone.

use std::io::{Read, Write};

use serde_json::{Map, Value};

use crate::args::MintArgs;
use crate::commands::Status;
use crate::output::Console;
use jwtk::alg::jwe::KeyAlg;
use jwtk::error::{Error, KeyProblem, KeyUse, Result, Usage};
use jwtk::json;
use jwtk::jwe::encrypt::Encryptor;
use jwtk::keys::key::Purpose;
use jwtk::keys::{self, Reading, Source};
use jwtk::mint::{self, ClaimsSpec};
use jwtk::profile::{Check, LOGOUT_EVENT, Profile};
use jwtk::sd::{self, SdAlg, issue};
use jwtk::token::PartSizes;
use jwtk::token::inspect::Review;

/// Mint one token and print it with a newline on stdout.
pub fn run(args: &MintArgs, console: &mut Console) -> super::Result<Status> {
    let key_args = &args.key;
    let claims_from_stdin = args.claims_file.as_deref() == Some(std::path::Path::new("-"));
    super::stdin_once(key_args, claims_from_stdin, "--claims -")?;
    let key = super::signing_key(key_args, "mint", console)?;
    let alg = args.alg.unwrap_or_else(|| key.default_alg());
    let signer = key.signer(alg)?;
    let encryptor = match &args.encrypt_to {
        Some(path) => Some(encryptor(args, path, console)?),
        None => None,
    };
    if let Some(weakness) = key.weakness(alg) {
        console.warn(&weakness)?;
    }
    let mut claims = claims_spec(args)?.build(crate::clock::now());
    let profile = args.profile.map(|p| p.0);
    let profile_typ = profile.and_then(|p| p.spec().mint.as_ref()).map(|m| m.typ);
    let typ = args.typ.as_deref().or(profile_typ).unwrap_or("JWT");
    if let Some(profile) = profile {
        profile.complete(&mut claims);
    }
    // A key without a kid of its own is named by its RFC 7638 thumbprint, as keygen printed
    // it (never a secret's: a hash of a secret is never published).
    let kid = key.kid.clone().or_else(|| key.thumbprint());
    let header = mint::build_header(alg.name(), typ, kid.as_deref(), &args.headers)?;
    if let Some(profile) = profile {
        meets(profile, &header, &claims)?;
    }
    let disclosures = selective_disclosure(args, &header, &mut claims, console)?;
    let jwt = mint::sign(&header, &claims, &signer)?;
    // An SD-JWT: the issuer JWT, then every disclosure, each followed by ~.
    let signed = match &disclosures {
        Some(list) => std::iter::once(jwt.as_str())
            .chain(list.iter().map(String::as_str))
            .fold(String::new(), |mut out, part| {
                out.push_str(part);
                out.push('~');
                out
            }),
        None => jwt.clone(),
    };
    let encrypted = match &encryptor {
        Some(encryptor) => Some(
            encryptor
                .seal(signed.as_bytes(), Some("JWT"))
                .map_err(Error::from)?,
        ),
        None => None,
    };
    let token = encrypted.as_ref().map_or(&signed, |e| &e.token);
    check(&jwt, token.len(), &header, &claims, args.max_size, console)?;
    if args.json {
        let mut out = serde_json::json!({
            "token": token,
            "header": null,
            "claims": null,
            "exp": null,
            "kid": header.get("kid"),
        });
        // Moved in, not through `json!`, which would write 1e3 as 1e+3.
        out["exp"] = claims
            .get("exp")
            .filter(|exp| exp.is_number())
            .cloned()
            .unwrap_or_default();
        out["header"] = Value::Object(header.clone());
        out["claims"] = Value::Object(claims.clone());
        if let Some(encrypted) = &encrypted {
            out["encrypted_header"] = Value::Object(encrypted.header.clone());
        }
        console.json(&out)?;
    } else {
        writeln!(console.out, "{token}")?;
    }
    Ok(Status::Success)
}

/// `--sd`, `--sd-decoys`, `--sd-alg`, `--holder-key`: the claims made selectively disclosable
/// in place, and the disclosures (None when none of these flags is given).
fn selective_disclosure(
    args: &MintArgs,
    header: &Map<String, Value>,
    claims: &mut Map<String, Value>,
    console: &mut Console,
) -> super::Result<Option<Vec<String>>> {
    let asked = !args.sd.is_empty()
        || args.sd_decoys > 0
        || args.sd_alg.is_some()
        || args.holder_key.is_some();
    if !asked {
        return Ok(None);
    }
    let vc = header
        .get("typ")
        .and_then(Value::as_str)
        .is_some_and(sd::is_vc_typ);
    if vc && !claims.contains_key("vct") {
        return Err(Error::from(Usage::Needs {
            flag: "--typ dc+sd-jwt",
            needs: "a vct claim (--claim vct=https://…): an SD-JWT VC names its type",
        })
        .into());
    }
    if let Some(path) = &args.holder_key {
        let loaded = keys::load(&Source::File(path.clone()), &Reading::default())?;
        for note in &loaded.notes {
            console.note(note)?;
        }
        let key = loaded.keys.into_iter().next().ok_or(KeyUse::NoKeyFound)?;
        let jwk = key
            .public_jwk()
            .ok_or_else(|| KeyUse::ProofNeedsAsymmetric {
                origin: key.origin.clone(),
                holds: key.describe(),
                alg: key.default_alg(),
            })?;
        let mut cnf = Map::new();
        cnf.insert("jwk".into(), Value::Object(jwk));
        claims.insert("cnf".into(), Value::Object(cnf));
    }
    let alg = args.sd_alg.unwrap_or(SdAlg::Sha256);
    let issued = issue::make(
        claims,
        &args.sd,
        usize::from(args.sd_decoys),
        alg,
        &mut issue::salt,
    )
    .map_err(|err| Usage::SdPath {
        flag: "--sd",
        why: err.to_string(),
    })
    .map_err(Error::from)?;
    *claims = issued.claims;
    Ok(Some(issued.disclosures))
}

/// Refuse (exit 2) a token that would not pass `verify --profile`: every structural rule it
/// breaks, with its section, and the flags that would mend them.
fn meets(profile: Profile, header: &Map<String, Value>, claims: &Map<String, Value>) -> Result<()> {
    let broken = profile.broken(header, claims);
    if broken.is_empty() {
        return Ok(());
    }
    let name = profile.name();
    let prefix = format!("profile {name}: ");
    let problems: Vec<&str> = broken
        .iter()
        .map(|(_, f)| f.message.strip_prefix(&prefix).unwrap_or(&f.message))
        .collect();
    let mut add: Vec<String> = Vec::new();
    for (rule, _) in &broken {
        let mend = mend(&rule.check);
        if !add.contains(&mend) {
            add.push(mend);
        }
    }
    Err(Usage::Unmintable {
        profile: name,
        problems: problems.join("; "),
        add,
    }
    .into())
}

/// What makes a broken rule pass, as mint's flags say it.
fn mend(check: &Check) -> String {
    let claim = |name: &str| match name {
        "iss" => "--iss ISSUER".to_string(),
        "sub" => "--sub SUBJECT".to_string(),
        "aud" => "--aud AUDIENCE".to_string(),
        "jti" => "--jti auto".to_string(),
        "exp" => "--exp +15m (not --no-exp)".to_string(),
        "iat" => "--iat now (not --no-iat)".to_string(),
        "events" => format!("--claim 'events:={{\"{LOGOUT_EVENT}\":{{}}}}'"),
        other => format!("--claim {other}=VALUE"),
    };
    match check {
        Check::Present(name) => format!("add {}", claim(name)),
        Check::AnyOf(names) => {
            let each: Vec<String> = names.iter().map(|n| claim(n)).collect();
            format!("add {}", each.join(" or "))
        }
        Check::LogoutEvent => format!("add {}", claim("events")),
        Check::IssIsSub => "give the client id as both --iss and --sub".into(),
        Check::Typ { expected, .. } => {
            format!(
                "leave out --typ and a typ --header (the profile's is {})",
                expected[0]
            )
        }
        Check::Absent { claim, .. } => format!("leave out the {claim} claim"),
        Check::StringWhenPresent(name) => format!("give {name} as a string"),
        other => other.describe(),
    }
}

fn claims_spec(args: &MintArgs) -> Result<ClaimsSpec> {
    Ok(ClaimsSpec {
        base: read_base(args)?,
        assignments: args.claims.clone(),
        iss: args.iss.clone(),
        sub: args.sub.clone(),
        aud: args.aud.clone(),
        jti: args.jti.clone(),
        exp: args.exp,
        no_exp: args.no_exp,
        nbf: args.nbf,
        iat: args.iat,
        no_iat: args.no_iat,
    })
}

fn read_base(args: &MintArgs) -> Result<Map<String, Value>> {
    let Some(path) = &args.claims_file else {
        return Ok(Default::default());
    };
    let file_error = |source| Error::File {
        path: path.clone(),
        io: source,
    };
    let mut text = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .read_to_end(&mut text)
            .map_err(file_error)?;
    } else {
        text = std::fs::read(path).map_err(file_error)?;
    }
    json::parse_object(&text).map_err(|why| {
        Usage::ClaimsFile {
            path: path.clone(),
            why,
        }
        .into()
    })
}

/// The recipient key of `--encrypt-to`, read for encryption (a JWKS keeps its encryption
/// keys), and the algorithms for it. Raw bytes are a shared key only with a `--key-alg` that
/// takes one.
fn encryptor(
    args: &MintArgs,
    path: &std::path::Path,
    console: &mut Console,
) -> super::Result<Encryptor> {
    let symmetric = matches!(
        args.key_alg,
        Some(KeyAlg::AesKw(_) | KeyAlg::AesGcmKw(_) | KeyAlg::Dir)
    );
    let reading = Reading {
        raw_secret: symmetric,
        purpose: Purpose::Encrypt,
        ..Reading::default()
    };
    let loaded = match keys::load(&Source::File(path.to_path_buf()), &reading) {
        Err(Error::KeyMaterial {
            origin,
            problem: KeyProblem::RawSecretNotAllowed,
        }) => {
            return Err(Error::from(KeyUse::RecipientNotAKey { origin }).into());
        }
        other => other?,
    };
    for note in &loaded.notes {
        console.note(note)?;
    }
    for warning in &loaded.warnings {
        console.warn(warning)?;
    }
    let (key, note) = keys::recipient_key(loaded, args.encrypt_kid.as_deref())?;
    if let Some(note) = note {
        console.note(&note)?;
    }
    Ok(Encryptor::new(&key, args.key_alg, args.enc).map_err(Error::from)?)
}

/// The warnings `decode` would give the token just built (times, header, size budgets: one
/// review for both, the budgets judged on `sent_len`, the length of what is printed: the JWE
/// when the token is encrypted); refuse it over --max-size.
fn check(
    token: &str,
    sent_len: usize,
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
    max_size: Option<usize>,
    console: &mut Console,
) -> super::Result<()> {
    // The token was just built: measure its segments rather than parse it again.
    let mut lengths = token.split('.').map(str::len);
    let (header_len, claims_len, signature) = (
        lengths.next().unwrap_or(0),
        lengths.next().unwrap_or(0),
        lengths.next().unwrap_or(0),
    );
    let parts = PartSizes {
        total: sent_len,
        header: header_len,
        claims: claims_len,
        signature,
    };
    let review = Review::new(header, Some(claims), parts, crate::clock::now());
    if let Some(max) = max_size
        && sent_len > max
    {
        let largest = review
            .size
            .claims
            .iter()
            .take(3)
            .map(|c| (c.name.clone(), c.bytes))
            .collect();
        return Err(Error::OverMaxSize {
            size: sent_len,
            max,
            largest,
        }
        .into());
    }
    for warning in review.warnings() {
        console.warn(&warning)?;
    }
    Ok(())
}
