//! What the token is: ordered rules, the first that speaks decides. Explicit typing and
//! `events` first, then the issuer family's markers and its own kind, then the shapes any
//! issuer's tokens have (OIDC, RFC 7523, CI and workload claims, grant markers, OAuth claims,
//! session markers).

use super::facts::{Facts, is_authority, is_url};
use super::labels::{Confidence, Kind};
use super::shapes::{self, Workload};
use super::signs::Family;

/// A decision on the kind, with its confidence and the evidence.
pub struct KindFinding {
    pub kind: Kind,
    pub confidence: Confidence,
    pub evidence: String,
}

type KindRule = fn(&Facts) -> Option<KindFinding>;

fn found(kind: Kind, confidence: Confidence, evidence: impl Into<String>) -> Option<KindFinding> {
    Some(KindFinding {
        kind,
        confidence,
        evidence: evidence.into(),
    })
}

fn high(kind: Kind, evidence: impl Into<String>) -> Option<KindFinding> {
    found(kind, Confidence::High, evidence)
}

fn medium(kind: Kind, evidence: impl Into<String>) -> Option<KindFinding> {
    found(kind, Confidence::Medium, evidence)
}

/// The kind rules, in order.
pub const RULES: &[KindRule] = &[
    header_typ,
    events,
    row_marks,
    family_kind,
    id_hashes,
    assertion,
    workload_claims,
    grant_marker,
    client_made,
    access_markers,
    nonce,
    id_shape,
    session,
    aud_is_azp,
];

/// The first kind rule that speaks.
pub fn decide(f: &Facts) -> Option<KindFinding> {
    RULES.iter().find_map(|rule| rule(f))
}

/// The kind a header `typ` names explicitly (RFC 8725 §3.11), if any.
pub fn typed(f: &Facts) -> Option<(Kind, &'static str)> {
    Some(match f.typ()?.as_str() {
        "dpop+jwt" => (Kind::DpopProof, "a DPoP proof (RFC 9449)"),
        "at+jwt" => (Kind::Access, "an RFC 9068 access token"),
        "logout+jwt" => (Kind::Logout, "an OIDC back-channel logout token"),
        "client-authentication+jwt" => (Kind::ClientAssertion, "a client assertion"),
        "secevent+jwt" if shapes::events(f).is_some_and(|e| e.logout) => (
            Kind::Logout,
            "a security event token holding the logout event",
        ),
        "secevent+jwt" => (Kind::SecurityEvent, "a security event token (RFC 8417)"),
        "entity-statement+jwt" => (
            Kind::EntityStatement,
            "an OpenID Federation entity statement",
        ),
        _ => return None,
    })
}

fn header_typ(f: &Facts) -> Option<KindFinding> {
    let (kind, what) = typed(f)?;
    high(kind, format!("header typ {}: {what}", f.typ()?))
}

fn events(f: &Facts) -> Option<KindFinding> {
    let events = shapes::events(f)?;
    if events.logout {
        return high(Kind::Logout, "events holds the back-channel logout event");
    }
    medium(
        Kind::SecurityEvent,
        format!(
            "events names {}: a security event token (RFC 8417)",
            events.names.join(", ")
        ),
    )
}

/// The issuer family's own kind markers (Keycloak's `typ` claim, Cognito's `token_use`, …).
fn row_marks(f: &Facts) -> Option<KindFinding> {
    let mark = f
        .issuer?
        .marks
        .iter()
        .find(|m| m.kind.is_some() && f.all(m.when))?;
    found(mark.kind?, mark.sure, mark.why)
}

/// CI systems, workload credentials, session issuers and client-made tokens are one kind.
fn family_kind(f: &Facts) -> Option<KindFinding> {
    let issuer = f.issuer?;
    let (kind, what) = match issuer.family {
        Family::Ci => (Kind::CiWorkload, "a CI job's OIDC token"),
        Family::ServiceAccount => (Kind::ServiceAccount, "a workload credential"),
        Family::WorkloadId => (Kind::Id, "a workload's OIDC ID token"),
        Family::Session(kind) => (kind, "a session token after its own sign-in"),
        Family::ClientMade => (
            Kind::Access,
            "a token its API clients make and sign themselves",
        ),
        Family::Assertions => (Kind::ClientAssertion, "the audience of RFC 7523 assertions"),
        Family::Grants | Family::MachinesAsUsers => return None,
    };
    high(kind, format!("{} issues {what}", issuer.name))
}

fn id_hashes(f: &Facts) -> Option<KindFinding> {
    let name = ["at_hash", "c_hash"].into_iter().find(|n| f.has(n))?;
    high(Kind::Id, format!("{name}: only ID tokens carry it"))
}

/// RFC 7523: a JWT a client sends to an authorization server, to authenticate itself (§2.2:
/// `iss == sub`) or as a grant (§2.1: `sub` the user it acts for, or absent).
fn assertion(f: &Facts) -> Option<KindFinding> {
    let iss = f.str("iss")?;
    let not_a_token = ["nonce", "scp"].iter().any(|c| f.has(c));
    (f.client().is_none() && !not_a_token && f.grant_marker().is_none()).then_some(())?;
    let short = f.lifetime().is_some_and(|l| l <= 3600.0);
    let to_token_endpoint = f.single_aud().is_some_and(shapes::token_endpoint);
    match f.sub() {
        Some(sub) if sub == iss && short && !f.has("scope") && f.has("jti") => medium(
            Kind::ClientAssertion,
            "iss == sub, jti, short life, no scope: an RFC 7523 client assertion",
        ),
        Some(sub) if sub != iss && short && to_token_endpoint => high(
            Kind::ClientAssertion,
            format!(
                "aud is a token endpoint and iss {iss:?} asserts for sub: an RFC 7523 §2.1 grant assertion"
            ),
        ),
        None if short && to_token_endpoint && f.has("scope") => high(
            Kind::ClientAssertion,
            format!(
                "aud is a token endpoint, iss {iss:?} and no sub: an RFC 7523 §2.1 grant assertion"
            ),
        ),
        Some(sub) if sub != iss => client_grant_assertion(f, iss),
        _ => None,
    }
}

/// RFC 7523 §2.1 as vendors shape it: a client (an opaque `iss`, not an authority's URL)
/// asserts for a user, to an authorization server named by its URL or host, briefly, and
/// without describing the user (an assertion names, it does not profile).
fn client_grant_assertion(f: &Facts, iss: &str) -> Option<KindFinding> {
    let aud = f.single_aud()?;
    let brief = f.lifetime().is_none_or(|l| l <= 3600.0);
    let plain = f.person_claims().is_empty() && f.session_signs().is_empty();
    (!is_authority(iss) && shapes::server_audience(aud) && brief && plain).then_some(())?;
    medium(
        Kind::ClientAssertion,
        format!(
            "iss {iss:?} is a client's identifier and aud {aud:?} an authorization server: an RFC 7523 §2.1 grant assertion"
        ),
    )
}

/// Claims describing a job or a machine, whoever the issuer.
fn workload_claims(f: &Facts) -> Option<KindFinding> {
    match shapes::workload(f)? {
        Workload::Ci(claims) => medium(
            Kind::CiWorkload,
            format!(
                "{} describe a repository, pipeline or job: a CI token",
                claims.join(", ")
            ),
        ),
        Workload::Machine(claims) => {
            // An OIDC issuer's token for a workload is an ID token; a bare credential is the
            // workload's own format.
            let oidc = is_url(f.iss()) && f.has("aud") && f.has("exp");
            let kind = if oidc { Kind::Id } else { Kind::ServiceAccount };
            medium(
                kind,
                format!(
                    "{} describe a machine or workload: a workload identity",
                    claims.join(", ")
                ),
            )
        }
    }
}

fn grant_marker(f: &Facts) -> Option<KindFinding> {
    let marker = f.grant_marker()?;
    high(
        Kind::Access,
        format!(
            "{}: a grant marker, written only into access tokens",
            marker.describe()
        ),
    )
}

/// A JWT whose `iss` is an opaque identifier (a key, team, app or client id, not an
/// authority's URL) and that has no `sub` was made by a client for itself: a bearer token
/// for a platform's API (GitHub Apps, APNs, App Store Connect).
fn client_made(f: &Facts) -> Option<KindFinding> {
    let iss = f.str("iss").filter(|i| !i.is_empty() && !is_authority(i))?;
    let plain = f.sub().is_none() && f.client().is_none() && f.person_claims().is_empty();
    let to_token_endpoint = f.auds().iter().any(|a| shapes::token_endpoint(a));
    (plain && !to_token_endpoint).then_some(())?;
    medium(
        Kind::Access,
        format!(
            "iss {iss:?} is an identifier, not an authority, and there is no sub: a bearer token the client made for itself"
        ),
    )
}

fn access_markers(f: &Facts) -> Option<KindFinding> {
    let name = ["scope", "scp", "idtyp", "client_id", "cid", "appid"]
        .into_iter()
        .find(|n| f.has(n))?;
    medium(Kind::Access, format!("{name}: access tokens carry it"))
}

fn nonce(f: &Facts) -> Option<KindFinding> {
    f.has("nonce").then_some(())?;
    medium(
        Kind::Id,
        "nonce in the claims: an ID token answers an authentication request",
    )
}

/// OIDC Core §2: an https issuer, `aud` the client's identifier, `iat`, and claims about the
/// user's authentication or the user.
fn id_shape(f: &Facts) -> Option<KindFinding> {
    let aud = f.single_aud().filter(|a| !is_url(a) && !is_authority(a))?;
    let about: Vec<&str> = [
        "auth_time",
        "amr",
        "acr",
        "email",
        "name",
        "preferred_username",
    ]
    .into_iter()
    .filter(|n| f.has(n))
    .collect();
    let oidc = f.iss().starts_with("https://") && f.sub().is_some() && f.has("iat");
    let plain = f.oauth_claims().is_empty() && f.grant_marker().is_none();
    (oidc && plain && !about.is_empty() && !is_family(f, Family::MachinesAsUsers)).then_some(())?;
    medium(
        Kind::Id,
        format!(
            "aud {aud:?} is a client and {} describe the user's sign-in: an OIDC ID token",
            about.join(", ")
        ),
    )
}

/// A user's session token from no OAuth grant: session markers and no client, scope or grant.
fn session(f: &Facts) -> Option<KindFinding> {
    let signs = f.session_signs();
    let plain = f.oauth_claims().is_empty() && f.grant_marker().is_none() && f.client().is_none();
    (f.sub().is_some() && !signs.is_empty() && plain).then_some(())?;
    medium(
        Kind::Access,
        format!(
            "{} mark a signed-in session, and nothing names an OAuth client: a session token",
            signs.join(", ")
        ),
    )
}

fn aud_is_azp(f: &Facts) -> Option<KindFinding> {
    // Machines-as-users issuers name the client in `aud` of access tokens too.
    (!is_family(f, Family::MachinesAsUsers)).then_some(())?;
    let single_aud = f.claims.get("aud").and_then(|a| a.as_str())?;
    (Some(single_aud) == f.str("azp")).then_some(())?;
    medium(Kind::Id, "aud is the client (azp): an ID token")
}

fn is_family(f: &Facts, family: Family) -> bool {
    f.issuer.is_some_and(|i| i.family == family)
}
