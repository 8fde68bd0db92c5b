//! What kind of token this is, which OAuth grant issued it and who its subject is, read from
//! its (unverified) header and claims.
//!
//! - [`labels`]: the contract's names (kinds, flows, subjects, confidence).
//! - [`signs`]: what an issuer row is made of; [`issuers`]: the rows, one per family.
//! - [`facts`]: the token as the rules see it; [`shapes`]: what any issuer's tokens show
//!   (CI and workload claims, security events, assertion audiences).
//! - [`kind`] and [`flow`]: two ordered tables of rules; in each the first rule that speaks
//!   decides. Explicit typing and the issuer family come first, then the family's markers,
//!   then grant markers and the conventions (RFC 9068, OIDC, RFC 8693, RFC 7523, CI and
//!   workload claims, session markers), then the base rule (a client id equal to `sub` means
//!   client credentials).
//! - [`conflicts`]: what contradicts the decision. This module: the verdict — confidence, the
//!   subject's id and the evidence.

pub mod conflicts;
pub mod facts;
pub mod flow;
pub mod issuers;
pub mod kind;
pub mod labels;
pub mod shapes;
pub mod signs;

use serde::Serialize;
use serde_json::{Map, Value};

use facts::Facts;
pub use labels::{Confidence, Flow, Kind, SubjectKind};

/// The subject: its kind and identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subject {
    /// Client, user, workload or unknown.
    pub kind: SubjectKind,
    /// The identifier (`sub`, or the client id for a client), when there is one.
    pub id: Option<String>,
}

/// The answer, with the evidence that decided it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    pub kind: Kind,
    pub flow: Flow,
    pub subject: Subject,
    /// The issuer family's name (`auth0`, `github_actions`, …), from what only it writes.
    pub provider: Option<&'static str>,
    pub confidence: Confidence,
    pub evidence: Vec<String>,
    pub conflicts: Vec<String>,
    /// Always false: classify reads claims without checking the signature.
    pub verified: bool,
}

/// Classify a token from its header and claims.
pub fn classify(header: &Map<String, Value>, claims: &Map<String, Value>) -> Classification {
    if let Some(answer) = selective_disclosure(header, claims, false) {
        return answer;
    }
    let mut f = Facts {
        header,
        claims,
        issuer: None,
    };
    let mut evidence = Vec::new();
    if let Some((issuer, why)) = issuers::identify(&f) {
        f.issuer = Some(issuer);
        evidence.push(why);
    }
    let (kind, kind_confidence) = match kind::decide(&f) {
        Some(k) => {
            evidence.push(k.evidence);
            (k.kind, k.confidence)
        }
        None => (Kind::Unknown, Confidence::Low),
    };
    let (flow, subject_kind, subject_id, flow_confidence) = match flow::decide(&f, kind) {
        Some(d) => {
            evidence.push(d.evidence);
            (d.flow, d.subject, d.subject_id, d.confidence)
        }
        None => (Flow::Unknown, SubjectKind::Unknown, None, Confidence::Low),
    };
    // What a grant issues is an access token: a kind known only from the grant is as sure
    // as the grant.
    let (kind, kind_confidence) = match granted_kind(kind, flow) {
        granted if granted != kind => (granted, flow_confidence),
        same => (same, kind_confidence),
    };
    let conflicts = conflicts::contradictions(&f, kind, flow, subject_kind);
    // Any contradiction leaves the answer at low confidence.
    let confidence = if conflicts.is_empty() {
        kind_confidence.min(flow_confidence)
    } else {
        Confidence::Low
    };
    evidence.extend(annotations(&f, kind));
    Classification {
        kind,
        flow,
        subject: Subject {
            kind: subject_kind,
            id: subject_id.or_else(|| subject_id_of(&f, kind, subject_kind)),
        },
        provider: f.issuer.map(|i| i.provider.as_str()),
        confidence,
        evidence,
        conflicts,
        verified: false,
    }
}

/// Classify an SD-JWT (RFC 9901): `header` is its issuer JWT's, `claims` those with its
/// disclosures applied. Known to be one by its form (the `~`), whatever its claims say.
pub fn classify_sd(header: &Map<String, Value>, claims: &Map<String, Value>) -> Classification {
    selective_disclosure(header, claims, true).unwrap_or_else(|| classify(header, claims))
}

/// SD-JWTs and their KB-JWTs, recognised before any other rule: a credential or a holder's
/// signature is issued by no OAuth grant. `presented`: the token came in the SD-JWT form.
fn selective_disclosure(
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
    presented: bool,
) -> Option<Classification> {
    let f = Facts {
        header,
        claims,
        issuer: None,
    };
    let typ = f.typ().unwrap_or_default();
    let vc = matches!(typ.as_str(), "dc+sd-jwt" | "vc+sd-jwt");
    let (kind, evidence, confidence) = if typ == "kb+jwt" {
        let why = "header typ kb+jwt: an SD-JWT key-binding JWT (RFC 9901 §4.3), the holder's signature over a presentation";
        (Kind::KbJwt, why.to_string(), Confidence::High)
    } else if vc || (presented && claims.contains_key("vct")) {
        let why = if vc {
            format!("header typ {typ}: an SD-JWT verifiable credential (SD-JWT VC)")
        } else {
            "an SD-JWT (RFC 9901) with a vct claim: an SD-JWT verifiable credential".to_string()
        };
        (Kind::SdJwtVc, why, Confidence::High)
    } else if presented || claims.contains_key("_sd_alg") {
        let why = "a selective-disclosure JWT (RFC 9901): claims behind disclosures";
        let sure = if presented {
            Confidence::High
        } else {
            Confidence::Medium
        };
        (Kind::SdJwt, why.to_string(), sure)
    } else {
        return None;
    };
    let issuer = issuers::identify(&f);
    let mut all = vec![evidence];
    let provider = issuer.map(|(issuer, why)| {
        all.push(why);
        issuer.provider.as_str()
    });
    let sub = f.sub().map(str::to_string);
    let subject_kind = match (&sub, kind) {
        (_, Kind::KbJwt) | (None, _) => SubjectKind::Unknown,
        (Some(_), _) => SubjectKind::User,
    };
    Some(Classification {
        kind,
        flow: Flow::NotApplicable,
        subject: Subject {
            kind: subject_kind,
            id: sub.filter(|_| kind != Kind::KbJwt),
        },
        provider,
        confidence,
        evidence: all,
        conflicts: Vec::new(),
        verified: false,
    })
}

/// A grant decided for a token of no recognised kind: what a grant issues is an access token.
fn granted_kind(kind: Kind, flow: Flow) -> Kind {
    if kind == Kind::Unknown && !matches!(flow, Flow::Unknown | Flow::NotApplicable) {
        Kind::Access
    } else {
        kind
    }
}

/// Extra evidence that never changes the answer: sender constraint, actor, browser origin, a
/// grant marker left in a workload token by the software that minted it.
fn annotations(f: &Facts, kind: Kind) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(cnf) = f.claims.get("cnf").and_then(Value::as_object) {
        if cnf.contains_key("jkt") {
            notes.push("bound to a DPoP key (cnf.jkt, RFC 9449)".to_string());
        } else if cnf.contains_key("x5t#S256") {
            notes.push("bound to a client certificate (cnf x5t#S256, RFC 8705 mTLS)".to_string());
        }
    }
    if let Some(may) = f
        .claims
        .get("may_act")
        .and_then(|m| m.get("sub"))
        .and_then(Value::as_str)
    {
        notes.push(format!("may_act: {may:?} may exchange this token"));
    }
    if let Some(origin) = f.azp_url() {
        notes.push(format!(
            "azp {origin:?} is a browser origin, not a client identifier"
        ));
    }
    let workload_family = f.issuer.is_some_and(|i| {
        matches!(
            i.family,
            signs::Family::Ci | signs::Family::ServiceAccount | signs::Family::WorkloadId
        )
    });
    if let Some(marker) = f.grant_marker().filter(|_| workload_family) {
        notes.push(format!(
            "{} is left by the identity software that minted this {} token, not a grant of it",
            marker.describe(),
            kind.as_str()
        ));
    }
    notes
}

/// The subject's identifier: a client's id, else `sub`; an assertion without `sub` is made
/// by its issuer for itself; a DPoP proof names no one.
fn subject_id_of(f: &Facts, kind: Kind, subject: SubjectKind) -> Option<String> {
    let id = match (kind, subject) {
        (Kind::DpopProof, _) => None,
        (Kind::ClientAssertion, SubjectKind::Client) => f.sub().or(f.str("iss")),
        (_, SubjectKind::Client) => f.client().map(|(_, c)| c).or(f.sub()),
        _ => f.sub(),
    };
    id.map(str::to_string)
}

/// Claims that say what a token may do or which workload it is: scopes, roles, audience,
/// tenant, and CI repository, ref, environment and pipeline identifiers.
const AUTHORITY: &[&str] = &[
    "scope",
    "scp",
    "roles",
    "groups",
    "permissions",
    "entitlements",
    "cognito:groups",
    "realm_access.roles",
    "resource_access.*.roles",
    "aud",
    "tid",
    "org_id",
    "org_code",
    "repository",
    "project_path",
    "oidc.circleci.com/project-id",
    "organization_slug",
    "pipeline_slug",
    "terraform_organization_name",
    "terraform_workspace_name",
    "terraform_run_phase",
    "ref",
    "oidc.circleci.com/vcs-ref",
    "build_branch",
    "environment",
    "job_workflow_ref",
    "pipeline_id",
    "build_number",
];

/// The authority a token carries: what a resource server would grant on its strength.
pub fn authority(claims: &Map<String, Value>) -> Vec<(String, String)> {
    AUTHORITY
        .iter()
        .flat_map(|path| facts::lookup(claims, path))
        .map(|(name, value)| (name, text_of(value)))
        .collect()
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(header: Value, claims: Value) -> Classification {
        classify(header.as_object().unwrap(), claims.as_object().unwrap())
    }

    #[test]
    fn base_rule_and_its_limits() {
        let c = run(
            json!({}),
            json!({"sub": "svc", "client_id": "svc", "scope": "a"}),
        );
        assert_eq!(
            (c.kind, c.flow, c.subject.kind, c.confidence),
            (
                Kind::Access,
                Flow::ClientCredentials,
                SubjectKind::Client,
                Confidence::Medium
            )
        );
        let c = run(json!({}), json!({"sub": "alice", "client_id": "web"}));
        assert_eq!(
            (c.flow, c.subject.kind, c.subject.id.as_deref()),
            (Flow::AuthorizationCode, SubjectKind::User, Some("alice"))
        );
        let c = run(json!({}), json!({"sub": "who", "iss": "https://x"}));
        assert_eq!(
            (c.kind, c.flow, c.subject.kind),
            (Kind::Unknown, Flow::Unknown, SubjectKind::Unknown)
        );
    }

    #[test]
    fn a_browser_origin_in_azp_is_no_client() {
        let c = run(
            json!({}),
            json!({"sub": "u1", "azp": "https://app.example.com"}),
        );
        assert_eq!((c.kind, c.flow), (Kind::Unknown, Flow::Unknown));
        assert!(c.evidence.iter().any(|e| e.contains("browser origin")));
    }

    #[test]
    fn authority_reads_nested_roles() {
        let claims = json!({"realm_access": {"roles": ["admin"]},
            "resource_access": {"api": {"roles": ["read", "write"]}}, "ref": "refs/heads/main"});
        let got = authority(claims.as_object().unwrap());
        assert!(got.contains(&("realm_access.roles".into(), "admin".into())));
        assert!(got.contains(&("resource_access.api.roles".into(), "read write".into())));
        assert!(got.contains(&("ref".into(), "refs/heads/main".into())));
    }
}
