//! Making SD-JWTs (RFC 9901 §4.2): claims made selectively disclosable at JSON pointers
//! (`mint --sd`), and presentations that keep only the disclosures a verifier should see
//! (`jwtk present`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::sd::alg::SdAlg;
use crate::sd::disclose::{Disclosure, push_token};

/// Claims a verifier must see to judge a credential: the SD-JWT VC specification
/// (draft-ietf-oauth-sd-jwt-vc) forbids disclosing them, and jwtk refuses to make them
/// disclosable anywhere.
pub const ALWAYS_VISIBLE: [&str; 7] =
    ["iss", "exp", "nbf", "cnf", "vct", "vct#integrity", "status"];

/// Why a path cannot be made disclosable, or chosen for a presentation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// Not an RFC 6901 JSON pointer, or the root.
    #[error("{0:?} is not a JSON pointer to a claim (/name, /name/0, …)")]
    Syntax(String),
    /// Nothing at that path.
    #[error("{0} names nothing in the claims")]
    Missing(String),
    /// A claim a verifier must see.
    #[error(
        "{0} can't be made selectively disclosable: a verifier must see it to judge the credential (draft-ietf-oauth-sd-jwt-vc)"
    )]
    AlwaysVisible(String),
    /// `_sd`, `_sd_alg` or `...`: names the format reserves.
    #[error("{0} is a name SD-JWT reserves")]
    Reserved(String),
    /// A path given twice.
    #[error("{0} is given twice")]
    Twice(String),
}

/// One step of a JSON pointer: a member name or an array index.
fn tokens(pointer: &str) -> Result<Vec<String>, PathError> {
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(PathError::Syntax(pointer.to_string()));
    };
    rest.split('/')
        .map(|token| {
            let mut out = String::with_capacity(token.len());
            let mut chars = token.chars();
            while let Some(c) = chars.next() {
                match (c, c == '~') {
                    (_, true) => match chars.next() {
                        Some('0') => out.push('~'),
                        Some('1') => out.push('/'),
                        _ => return Err(PathError::Syntax(pointer.to_string())),
                    },
                    (c, false) => out.push(c),
                }
            }
            Ok(out)
        })
        .collect()
}

/// 128 random bits, base64url: a salt (RFC 9901 §4.2.1 wants at least 128).
pub fn salt() -> String {
    let mut bytes = [0u8; 16];
    // The system's generator does not fail on the platforms jwtk builds for; were it to, the
    // salt would be all zeros, so fail closed instead by mixing in the clock and a counter.
    if aws_lc_rs::rand::fill(&mut bytes).is_err() {
        let fallback = crate::mint::random_id();
        bytes.copy_from_slice(
            &aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, fallback.as_bytes()).as_ref()
                [..16],
        );
    }
    URL_SAFE_NO_PAD.encode(bytes)
}

/// An issued SD-JWT's payload and its disclosures (base64url), in the order they were made.
#[derive(Debug, Clone, PartialEq)]
pub struct Issued {
    /// The payload to sign, `_sd_alg` included.
    pub claims: Map<String, Value>,
    /// Every disclosure.
    pub disclosures: Vec<String>,
}

/// Make the claims at `paths` (JSON pointers into `claims`) selectively disclosable: each
/// becomes a disclosure, its place a digest in the `_sd` array of its object (or a
/// `{"...": digest}` array element); nested paths nest (the inner disclosure's digest lies in
/// the outer one's value). `decoys` decoy digests go into each `_sd` array; `_sd` arrays are
/// sorted (RFC 9901 §4.2.4.1). `salt` makes each salt.
pub fn make(
    claims: &Map<String, Value>,
    paths: &[String],
    decoys: usize,
    alg: SdAlg,
    salt: &mut dyn FnMut() -> String,
) -> Result<Issued, PathError> {
    let mut parsed = Vec::with_capacity(paths.len());
    for path in paths {
        let steps = tokens(path)?;
        if steps
            .iter()
            .any(|s| s == "_sd" || s == "_sd_alg" || s == "...")
        {
            return Err(PathError::Reserved(path.clone()));
        }
        if steps.len() == 1 && ALWAYS_VISIBLE.contains(&steps[0].as_str()) {
            return Err(PathError::AlwaysVisible(path.clone()));
        }
        if parsed
            .iter()
            .any(|(p, _): &(String, Vec<String>)| p == path)
        {
            return Err(PathError::Twice(path.clone()));
        }
        parsed.push((path.clone(), steps));
    }
    let mut root = Value::Object(claims.clone());
    for (path, steps) in &parsed {
        if resolve(&root, steps).is_none() {
            return Err(PathError::Missing(path.clone()));
        }
    }
    // Deepest first: an inner value becomes a digest before its parent becomes a disclosure.
    // Replacing an array element keeps the indexes of its siblings; removing an object member
    // does not move the others.
    parsed.sort_by_key(|(_, steps)| std::cmp::Reverse(steps.len()));
    let mut disclosures = Vec::with_capacity(parsed.len());
    let mut touched: Vec<Vec<String>> = Vec::new();
    for (path, steps) in &parsed {
        let (last, parent_steps) = steps
            .split_last()
            .ok_or_else(|| PathError::Syntax(path.clone()))?;
        let parent =
            resolve_mut(&mut root, parent_steps).ok_or_else(|| PathError::Missing(path.clone()))?;
        let disclosure = match parent {
            Value::Object(object) => {
                let mut value = object
                    .shift_remove(last)
                    .ok_or_else(|| PathError::Missing(path.clone()))?;
                seal_inside(&mut value, steps, &mut touched, decoys, alg, salt);
                let text = encode(&Value::Array(vec![
                    salt().into(),
                    last.clone().into(),
                    value,
                ]));
                let digest = alg.digest(&text);
                push_digest(object, digest);
                if !touched.contains(&parent_steps.to_vec()) {
                    touched.push(parent_steps.to_vec());
                }
                text
            }
            Value::Array(items) => {
                let index: usize = last.parse().map_err(|_| PathError::Missing(path.clone()))?;
                let slot = items
                    .get_mut(index)
                    .ok_or_else(|| PathError::Missing(path.clone()))?;
                let mut value = slot.take();
                seal_inside(&mut value, steps, &mut touched, decoys, alg, salt);
                let text = encode(&Value::Array(vec![salt().into(), value]));
                let mut placeholder = Map::new();
                placeholder.insert("...".into(), alg.digest(&text).into());
                *slot = Value::Object(placeholder);
                text
            }
            _ => return Err(PathError::Missing(path.clone())),
        };
        disclosures.push(disclosure);
    }
    finish(&mut root, &touched, decoys, alg, salt);
    let Value::Object(mut out) = root else {
        return Err(PathError::Syntax(String::new()));
    };
    if !disclosures.is_empty() || decoys > 0 {
        out.insert("_sd_alg".into(), alg.name().into());
    }
    Ok(Issued {
        claims: out,
        disclosures,
    })
}

/// Seal the `_sd` arrays made inside `value` (at `steps`) before it goes into a disclosure:
/// once encoded, they can't change.
fn seal_inside(
    value: &mut Value,
    steps: &[String],
    touched: &mut Vec<Vec<String>>,
    decoys: usize,
    alg: SdAlg,
    salt: &mut dyn FnMut() -> String,
) {
    touched.retain(|t| {
        let Some(inner) = t.strip_prefix(steps) else {
            return true;
        };
        if let Some(Value::Object(object)) = resolve_mut(value, inner) {
            seal(object, decoys, alg, salt);
        }
        false
    });
}

/// Add decoys to every `_sd` array still in `root` and sort them (those inside disclosures
/// were sealed when they were made, by [`seal_inside`]).
fn finish(
    root: &mut Value,
    touched: &[Vec<String>],
    decoys: usize,
    alg: SdAlg,
    salt: &mut dyn FnMut() -> String,
) {
    for steps in touched {
        let Some(Value::Object(object)) = resolve_mut(root, steps) else {
            continue;
        };
        seal(object, decoys, alg, salt);
    }
}

/// Decoys into an object's `_sd`, then sort it.
fn seal(
    object: &mut Map<String, Value>,
    decoys: usize,
    alg: SdAlg,
    salt: &mut dyn FnMut() -> String,
) {
    let Some(Value::Array(digests)) = object.get_mut("_sd") else {
        return;
    };
    for _ in 0..decoys {
        digests.push(alg.digest(&salt()).into());
    }
    digests.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
}

/// A digest into an object's `_sd` array (made when absent).
fn push_digest(object: &mut Map<String, Value>, digest: String) {
    match object.get_mut("_sd") {
        Some(Value::Array(digests)) => digests.push(digest.into()),
        _ => {
            object.insert("_sd".into(), Value::Array(vec![digest.into()]));
        }
    }
}

fn encode(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

fn resolve<'v>(root: &'v Value, steps: &[String]) -> Option<&'v Value> {
    steps.iter().try_fold(root, |node, step| match node {
        Value::Object(object) => object.get(step),
        Value::Array(items) => items.get(step.parse::<usize>().ok()?),
        _ => None,
    })
}

fn resolve_mut<'v>(root: &'v mut Value, steps: &[String]) -> Option<&'v mut Value> {
    steps.iter().try_fold(root, |node, step| match node {
        Value::Object(object) => object.get_mut(step),
        Value::Array(items) => items.get_mut(step.parse::<usize>().ok()?),
        _ => None,
    })
}

/// The disclosures a presentation of `paths` needs, in the order given: for each path, the
/// disclosures of the objects and arrays on the way to it, its own, and every one inside the
/// value it names. A path must name something in the claims with every disclosure applied
/// (a disclosed claim, a member inside one, or a claim always visible), array indexes counting
/// the elements as signed, decoys included — as the disclosures' own paths count them. `signed`
/// is the issuer JWT's claims as signed.
pub fn select(
    disclosures: &[Disclosure],
    signed: &Map<String, Value>,
    paths: &[String],
) -> Result<Vec<usize>, PathError> {
    let mut wanted = vec![false; disclosures.len()];
    let by_path: std::collections::HashMap<&str, &Disclosure> =
        disclosures.iter().map(|d| (d.path.as_str(), d)).collect();
    for path in paths {
        let steps = tokens(path)?;
        // Every path must name something once all is disclosed: a path inside a disclosed
        // object that names nothing there is a typo, not a reason to disclose its parent.
        let Some(path) = resolve_signed(signed, &by_path, &steps) else {
            return Err(PathError::Missing(path.clone()));
        };
        for (i, d) in disclosures.iter().enumerate() {
            let related = d.path == path
                || path.starts_with(&format!("{}/", d.path))
                || d.path.starts_with(&format!("{path}/"));
            if related {
                wanted[i] = true;
            }
        }
    }
    Ok((0..disclosures.len()).filter(|&i| wanted[i]).collect())
}

/// Follow `steps` through the claims as signed, a disclosed value standing in for its digest
/// (`by_path`: the disclosures by their paths); the path as the disclosures write it (RFC 6901,
/// `~0` and `~1` escapes), or `None` when it names nothing: an undisclosed member or element
/// (a decoy too), `_sd` or `_sd_alg`, or an index not written as RFC 6901 §4 writes one (no
/// sign, no leading zero, not `-`).
fn resolve_signed(
    signed: &Map<String, Value>,
    by_path: &std::collections::HashMap<&str, &Disclosure>,
    steps: &[String],
) -> Option<String> {
    let mut pointer = String::new();
    let mut node: Option<&Value> = None;
    for step in steps {
        let parent = pointer.clone();
        let next = match node {
            None => {
                push_token(&mut pointer, step);
                member(signed, step, &pointer, by_path, step == "_sd_alg")?
            }
            Some(Value::Object(object)) => {
                push_token(&mut pointer, step);
                member(object, step, &pointer, by_path, false)?
            }
            Some(Value::Array(items)) => {
                let canonical = step == "0" || !step.starts_with('0');
                let index = step
                    .parse::<usize>()
                    .ok()
                    .filter(|_| canonical && step.bytes().all(|b| b.is_ascii_digit()))?;
                pointer = format!("{parent}/{index}");
                let item = items.get(index)?;
                let is_placeholder = item
                    .as_object()
                    .is_some_and(|o| o.len() == 1 && o.contains_key("..."));
                if is_placeholder {
                    &by_path
                        .get(pointer.as_str())
                        .filter(|d| d.name.is_none())?
                        .value
                } else {
                    item
                }
            }
            Some(_) => return None,
        };
        node = Some(next);
    }
    Some(pointer)
}

/// The member `name` of an object as signed: there, or disclosed at `pointer`.
fn member<'v>(
    object: &'v Map<String, Value>,
    name: &str,
    pointer: &str,
    by_path: &std::collections::HashMap<&str, &'v Disclosure>,
    reserved: bool,
) -> Option<&'v Value> {
    if reserved || name == "_sd" {
        return None;
    }
    match object.get(name) {
        Some(value) => Some(value),
        None => by_path
            .get(pointer)
            .filter(|d| d.name.as_deref() == Some(name))
            .map(|d| &d.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sd::disclose::process;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    fn roundtrip(claims: Value, paths: &[&str], decoys: usize) -> (Issued, Map<String, Value>) {
        let paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
        let issued = make(&object(claims), &paths, decoys, SdAlg::Sha256, &mut salt).unwrap();
        let list: Vec<&str> = issued.disclosures.iter().map(String::as_str).collect();
        let processed = process(&issued.claims, &list, SdAlg::Sha256).unwrap();
        (issued, processed.claims)
    }

    #[test]
    fn nested_paths_and_arrays_round_trip() {
        let claims = json!({
            "iss": "i", "sub": "u", "address": {"street": "Main", "city": "X"},
            "nationalities": ["US", "DE"], "deep": [{"a": 1}, 2],
        });
        let (issued, back) = roundtrip(
            claims.clone(),
            &[
                "/address",
                "/address/street",
                "/nationalities/1",
                "/deep/0/a",
                "/deep/0",
                "/sub",
            ],
            2,
        );
        assert_eq!(issued.disclosures.len(), 6);
        let mut expected = object(claims);
        // Disclosed members come after the plain ones when a verifier rebuilds them.
        let sub = expected.shift_remove("sub").unwrap();
        let address = expected.shift_remove("address").unwrap();
        expected.insert("sub".into(), sub);
        expected.insert("address".into(), address);
        assert_eq!(
            Value::Object(back.clone()),
            Value::Object(expected.clone()),
            "{back:?}"
        );
        // Sorted _sd with decoys; the top level has sub, address and 2 decoys.
        let sd = issued.claims["_sd"].as_array().unwrap();
        assert_eq!(sd.len(), 4);
        let mut sorted = sd.clone();
        sorted.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        assert_eq!(*sd, sorted);
        assert_eq!(issued.claims["_sd_alg"], "sha-256");
        assert_eq!(issued.claims["nationalities"][0], "US");
        assert!(issued.claims["nationalities"][1].get("...").is_some());
    }

    #[test]
    fn refused_paths() {
        let claims = object(json!({"iss": "i", "exp": 1, "cnf": {}, "a": {"_sd": []}, "b": [1]}));
        let try_paths = |paths: &[&str]| {
            let paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
            make(&claims, &paths, 0, SdAlg::Sha256, &mut salt).unwrap_err()
        };
        assert!(matches!(try_paths(&["/iss"]), PathError::AlwaysVisible(_)));
        assert!(matches!(try_paths(&["/exp"]), PathError::AlwaysVisible(_)));
        assert!(matches!(try_paths(&["/cnf"]), PathError::AlwaysVisible(_)));
        assert!(matches!(try_paths(&["/nope"]), PathError::Missing(_)));
        assert!(matches!(try_paths(&["/b/3"]), PathError::Missing(_)));
        assert!(matches!(try_paths(&["b"]), PathError::Syntax(_)));
        assert!(matches!(try_paths(&["/a/_sd"]), PathError::Reserved(_)));
        assert!(matches!(try_paths(&["/b/0", "/b/0"]), PathError::Twice(_)));
        assert!(matches!(try_paths(&["/a~2"]), PathError::Syntax(_)));
    }

    #[test]
    fn salts_are_distinct() {
        let many: std::collections::HashSet<String> = (0..5000).map(|_| salt()).collect();
        assert_eq!(many.len(), 5000);
        assert!(many.iter().all(|s| s.len() == 22));
    }

    #[test]
    fn presentations_take_parents_and_children() {
        let claims = json!({"iss": "i", "address": {"street": "Main", "city": "X"}, "n": [1, 2]});
        let (issued, _) = roundtrip(
            claims,
            &["/address", "/address/street", "/address/city", "/n/1"],
            0,
        );
        let list: Vec<&str> = issued.disclosures.iter().map(String::as_str).collect();
        let processed = process(&issued.claims, &list, SdAlg::Sha256).unwrap();
        let picked = |paths: &[&str]| {
            let paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
            select(&processed.disclosures, &issued.claims, &paths).map(|idx| {
                idx.iter()
                    .map(|&i| processed.disclosures[i].path.clone())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            picked(&["/address/street"]).unwrap(),
            ["/address/street", "/address"]
        );
        let mut all = picked(&["/address"]).unwrap();
        all.sort();
        assert_eq!(all, ["/address", "/address/city", "/address/street"]);
        assert_eq!(picked(&["/n/1"]).unwrap(), ["/n/1"]);
        assert_eq!(picked(&["/iss"]).unwrap(), Vec::<String>::new());
        assert!(matches!(picked(&["/nope"]), Err(PathError::Missing(_))));
        // Inside a disclosed object or array, a path must still name something there.
        assert!(matches!(
            picked(&["/address/nope"]),
            Err(PathError::Missing(_))
        ));
        assert!(matches!(picked(&["/n/7"]), Err(PathError::Missing(_))));
        assert!(matches!(
            picked(&["/address/street/deeper"]),
            Err(PathError::Missing(_))
        ));
        // Indexes as RFC 6901 §4 writes them; the names the format reserves name nothing.
        for path in [
            "/n/01",
            "/n/+1",
            "/n/-",
            "/n/",
            "/_sd",
            "/_sd_alg",
            "/address/_sd",
        ] {
            assert!(
                matches!(picked(&[path]), Err(PathError::Missing(_))),
                "{path}"
            );
        }
    }

    /// Names with `/` and `~` are escaped in a path as in the disclosures' paths; a decoy
    /// keeps its place in an array, so indexes count the elements as signed.
    #[test]
    fn presentations_read_escapes_and_count_elements_as_signed() {
        let claims = json!({"a/b": 1, "t~": {"x": 1}, "a": {"b": 2}, "n": ["d", "e", "f"]});
        let (mut issued, _) = roundtrip(claims, &["/a~1b", "/t~0", "/a/b", "/n/0", "/n/2"], 0);
        // The first element's digest stays, its disclosure goes: as a decoy would.
        let first = issued
            .disclosures
            .iter()
            .position(|d| {
                let bytes = URL_SAFE_NO_PAD.decode(d).unwrap();
                serde_json::from_slice::<Value>(&bytes).unwrap()[1] == "d"
            })
            .unwrap();
        issued.disclosures.remove(first);
        let list: Vec<&str> = issued.disclosures.iter().map(String::as_str).collect();
        let processed = process(&issued.claims, &list, SdAlg::Sha256).unwrap();
        assert_eq!(processed.claims["n"], json!(["e", "f"]));
        let picked = |path: &str| {
            select(&processed.disclosures, &issued.claims, &[path.to_string()]).map(|idx| {
                idx.iter()
                    .map(|&i| processed.disclosures[i].path.clone())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(picked("/a~1b").unwrap(), ["/a~1b"]);
        assert_eq!(picked("/t~0/x").unwrap(), ["/t~0"]);
        assert_eq!(picked("/a/b").unwrap(), ["/a/b"]);
        assert_eq!(picked("/n/2").unwrap(), ["/n/2"]);
        assert_eq!(
            picked("/n/1").unwrap(),
            Vec::<String>::new(),
            "always visible"
        );
        assert!(matches!(picked("/n/0"), Err(PathError::Missing(_))));
        assert!(matches!(picked("/t~1"), Err(PathError::Missing(_))));
    }
}
