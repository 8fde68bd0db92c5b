//! Reading an SD-JWT as `decode` does: nothing verified, every disclosure applied.

use serde_json::{Map, Value};

use crate::error::{Malformed, Part};
use crate::sd::alg::SdAlg;
use crate::sd::disclose::{Processed, process};
use crate::sd::parse::SdJwt;
use crate::token::compact::{Jws, PartSizes};

/// An SD-JWT read as `decode` reads it: nothing verified, every disclosure applied.
#[derive(Debug, Clone)]
pub struct Inspected {
    /// The SD-JWT taken apart.
    pub sd: SdJwt,
    /// The issuer JWT's header.
    pub header: Map<String, Value>,
    /// The issuer JWT's claims as signed.
    pub claims: Map<String, Value>,
    /// The issuer JWT's encoded signature.
    pub signature: String,
    /// The hash function of `_sd_alg`.
    pub alg: SdAlg,
    /// The disclosures applied.
    pub processed: Processed,
    /// The KB-JWT's header and claims, when there is one.
    pub kb: Option<(Map<String, Value>, Map<String, Value>)>,
    /// Sizes: the whole presentation, and the issuer JWT's parts.
    pub sizes: PartSizes,
}

/// Read an SD-JWT without verifying anything: its issuer JWT decoded, its disclosures applied
/// by RFC 9901 §7.1 (a violation is a fault naming the disclosure), its KB-JWT decoded.
pub fn inspect(token: &[u8]) -> Result<Inspected, Malformed> {
    let sd = SdJwt::parse(token)?;
    let issuer = Jws::parse(sd.issuer_jwt().as_bytes())
        .map_err(|err| Malformed::new(err.part, format!("the issuer JWT: {}", err.fault)))?;
    let claims = issuer.claims()?;
    let alg = SdAlg::of(&claims).map_err(|why| Malformed::new(Part::Claims, why))?;
    let disclosures: Vec<&str> = sd.disclosures().collect();
    let processed = process(&claims, &disclosures, alg)
        .map_err(|err| Malformed::new(Part::Token, format!("{err} (RFC 9901 §7.1)")))?;
    let kb = match &sd.kb_jwt {
        None => None,
        Some(kb) => {
            let kb_fault = |err: Malformed| {
                Malformed::new(
                    Part::Token,
                    format!("the KB-JWT's {}: {}", err.part.name(), err.fault),
                )
            };
            let jws = Jws::parse(kb.as_bytes()).map_err(kb_fault)?;
            let kb_claims = jws.claims().map_err(kb_fault)?;
            Some((jws.header, kb_claims))
        }
    };
    let mut sizes = issuer.sizes();
    sizes.total = token.len();
    let (header, signature) = (issuer.header, issuer.segments.signature.to_string());
    Ok(Inspected {
        sd,
        header,
        claims,
        signature,
        alg,
        processed,
        kb,
        sizes,
    })
}
