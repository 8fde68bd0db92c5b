//! What kind of token this is, which OAuth grant issued it and who its subject is, read from
//! its (unverified) header and claims.
//!
//! - [`issuers`]: the issuer families jwtk knows, one row each (issuer patterns, unique
//!   claims, what they issue, the public document each row comes from).
//! - [`facts`]: the token as the rules see it.
//! - [`kind`] and [`flow`]: two ordered tables of rules; in each the first rule that speaks
//!   decides. Explicit typing and the issuer family come first, then provider markers, then
//!   the conventions (RFC 9068, OIDC, RFC 8693, RFC 7523), then the base rule (a client id
//!   equal to `sub` means client credentials).
//! - this module: the verdict — confidence, contradictions and the evidence.

pub mod facts;
pub mod flow;
pub mod issuers;
pub mod kind;

use serde::Serialize;
use serde_json::{Map, Value};

use facts::Facts;
use issuers::Family;

/// An enum whose variants have the contract's names: `as_str()` gives them, serde writes them.
macro_rules! named {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        #[allow(missing_docs)]
        pub enum $name {
            $($variant,)*
        }

        impl $name {
            /// The contract's name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)*
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

named! {
    /// What the token is.
    pub enum Kind {
        Access = "access",
        Id = "id",
        Refresh = "refresh",
        Logout = "logout",
        ClientAssertion = "client_assertion",
        DpopProof = "dpop_proof",
        CiWorkload = "ci_workload",
        ServiceAccount = "service_account",
        SdJwt = "sd_jwt",
        SdJwtVc = "sd_jwt_vc",
        KbJwt = "kb_jwt",
        Unknown = "unknown",
    }
}

named! {
    /// The grant that issued it.
    pub enum Flow {
        ClientCredentials = "client_credentials",
        AuthorizationCode = "authorization_code",
        DeviceCode = "device_code",
        Password = "password",
        RefreshToken = "refresh_token",
        TokenExchange = "token_exchange",
        JwtBearer = "jwt_bearer",
        Ciba = "ciba",
        NotApplicable = "not_applicable",
        Unknown = "unknown",
    }
}

named! {
    /// Who the subject is.
    pub enum SubjectKind {
        Client = "client",
        User = "user",
        Workload = "workload",
        Unknown = "unknown",
    }
}

named! {
    /// How sure the answer is (ordered: low < medium < high).
    pub enum Confidence {
        Low = "low",
        Medium = "medium",
        High = "high",
    }
}

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
    let decided = speaks(&f, kind).then(|| flow::decide(&f, kind)).flatten();
    let (flow, subject_kind, flow_confidence) = match &decided {
        Some(d) => {
            evidence.push(d.evidence.clone());
            (d.flow, d.subject, d.confidence)
        }
        None => (Flow::Unknown, SubjectKind::Unknown, Confidence::Low),
    };
    let kind = granted_kind(kind, flow);
    let conflicts = contradictions(&f, kind, flow, subject_kind);
    // Any contradiction leaves the answer at low confidence.
    let confidence = if conflicts.is_empty() {
        kind_confidence.min(flow_confidence)
    } else {
        Confidence::Low
    };
    evidence.extend(annotations(&f));
    Classification {
        kind,
        flow,
        subject: Subject {
            kind: subject_kind,
            id: subject_id(&f, kind, subject_kind),
        },
        provider: f.provider(),
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
        issuer.provider
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

/// The flow rules speak for a token with a kind, a provider or a client identifier; a token
/// with none of these is unknown throughout.
fn speaks(f: &Facts, kind: Kind) -> bool {
    kind != Kind::Unknown || f.issuer.is_some() || f.client().is_some()
}

/// A grant decided for a token of no recognised kind: what a grant issues is an access token.
fn granted_kind(kind: Kind, flow: Flow) -> Kind {
    if kind == Kind::Unknown && !matches!(flow, Flow::Unknown | Flow::NotApplicable) {
        Kind::Access
    } else {
        kind
    }
}

/// Contradictions between the decision and other signs (a marker wins, but is not hidden).
fn contradictions(f: &Facts, kind: Kind, flow: Flow, subject: SubjectKind) -> Vec<String> {
    let mut conflicts = Vec::new();
    let signs = f.login_signs().join(", ");
    let base_says_client = f.client().is_some_and(|(_, c)| Some(c) == f.sub());
    let machines_as_users = f.issuer.map(|i| i.family) == Some(Family::MachinesAsUsers);
    if flow == Flow::Unknown && subject == SubjectKind::Unknown && base_says_client {
        if !machines_as_users {
            conflicts.push(format!(
                "the base rule (client id == sub) says client credentials, but {signs} show a user login"
            ));
        }
    } else if flow == Flow::ClientCredentials && !signs.is_empty() {
        conflicts.push(format!(
            "decided client credentials, but {signs} show a user login"
        ));
    }
    let decided_user = matches!(
        flow,
        Flow::AuthorizationCode
            | Flow::Password
            | Flow::DeviceCode
            | Flow::Ciba
            | Flow::RefreshToken
    );
    if base_says_client && decided_user {
        conflicts.push(format!(
            "decided a user grant ({}), but the client id equals sub, which the base rule reads as client credentials",
            flow.as_str()
        ));
    }
    conflicts.extend(typing_conflict(f, kind));
    conflicts.extend(auth0_convention(f));
    conflicts
}

/// Explicit typing against the other kind's markers (RFC 9068 §4, RFC 8725 §3.11).
fn typing_conflict(f: &Facts, kind: Kind) -> Option<String> {
    (kind == Kind::Access && f.typ().as_deref() == Some("at+jwt")).then_some(())?;
    let markers: Vec<&str> = ["nonce", "at_hash", "c_hash"]
        .into_iter()
        .filter(|n| f.has(n))
        .collect();
    (!markers.is_empty()).then_some(())?;
    Some(format!(
        "header typ at+jwt says access token, but {} are ID-token claims",
        markers.join(", ")
    ))
}

/// Auth0 names machine subjects `<client_id>@clients`; its grant marker must agree.
fn auth0_convention(f: &Facts) -> Option<String> {
    (f.provider()? == "auth0").then_some(())?;
    let sub = f.sub()?;
    let machine_sub = sub.ends_with("@clients");
    let grants = f.grants();
    let machine_grant = grants.iter().any(|g| g == "client_credentials");
    if machine_grant && !machine_sub {
        return Some(format!(
            "Auth0 gty client-credentials, but sub {sub:?} is not Auth0's machine form <client_id>@clients"
        ));
    }
    (machine_sub && !grants.is_empty() && !machine_grant).then(|| {
        format!(
            "sub {sub:?} is an Auth0 machine, but gty {} names a user grant",
            grants.join(", ")
        )
    })
}

/// Extra evidence that never changes the answer: sender constraint, actor, browser origin.
fn annotations(f: &Facts) -> Vec<String> {
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
    notes
}

/// The subject's identifier: a client's id, else `sub`; an assertion without `sub` is made
/// by its issuer for itself; a DPoP proof names no one.
fn subject_id(f: &Facts, kind: Kind, subject: SubjectKind) -> Option<String> {
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
        .flat_map(|path| lookup(claims, path))
        .map(|(name, value)| (name, text_of(value)))
        .collect()
}

/// The values at a path: a plain claim name (which may hold dots or slashes), or
/// `a.b` / `a.*.b` into nested objects (`*` stands for every member).
fn lookup<'a>(claims: &'a Map<String, Value>, path: &str) -> Vec<(String, &'a Value)> {
    if let Some(value) = claims.get(path) {
        return vec![(path.to_string(), value)];
    }
    let Some((head, rest)) = path.split_once('.') else {
        return Vec::new();
    };
    let Some(Value::Object(inner)) = claims.get(head) else {
        return Vec::new();
    };
    match rest.split_once('.') {
        Some(("*", tail)) => inner
            .iter()
            .filter_map(|(key, v)| {
                Some((format!("{head}.{key}.{tail}"), v.as_object()?.get(tail)?))
            })
            .collect(),
        _ => lookup(inner, rest)
            .into_iter()
            .map(|(name, v)| (format!("{head}.{name}"), v))
            .collect(),
    }
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

    #[test]
    fn every_issuer_row_cites_a_public_source() {
        for issuer in issuers::all() {
            assert!(issuer.source.starts_with("https://"), "{}", issuer.provider);
            assert!(!issuer.cannot_tell.is_empty(), "{}", issuer.provider);
            assert!(!issuer.signs.is_empty(), "{}", issuer.provider);
            let plain = issuer
                .provider
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            assert!(plain, "{}", issuer.provider);
        }
    }
}
