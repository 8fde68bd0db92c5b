//! What the token is: ordered rules, the first that speaks decides. Explicit typing first,
//! then the issuer family's own kind, then provider markers, then the generic conventions.

use serde_json::Value;

use super::facts::Facts;
use super::issuers::Family;
use super::{Confidence, Kind};

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

/// The kind rules, in order.
pub const RULES: &[KindRule] = &[
    header_typ,
    logout_event,
    family_kind,
    keycloak_typ,
    cognito_token_use,
    okta_jti,
    entra_access,
    google_id,
    id_hashes,
    assertion,
    grant_marker,
    access_markers,
    id_markers,
];

/// The first kind rule that speaks.
pub fn decide(f: &Facts) -> Option<KindFinding> {
    RULES.iter().find_map(|rule| rule(f))
}

fn header_typ(f: &Facts) -> Option<KindFinding> {
    let (kind, what) = match f.typ()?.as_str() {
        "dpop+jwt" => (Kind::DpopProof, "a DPoP proof (RFC 9449)"),
        "at+jwt" => (Kind::Access, "an RFC 9068 access token"),
        "logout+jwt" => (Kind::Logout, "an OIDC back-channel logout token"),
        "client-authentication+jwt" => (Kind::ClientAssertion, "a client assertion"),
        _ => return None,
    };
    high(kind, format!("header typ {}: {what}", f.typ()?))
}

fn logout_event(f: &Facts) -> Option<KindFinding> {
    let events = f.claims.get("events")?.as_object()?;
    events
        .contains_key("http://schemas.openid.net/event/backchannel-logout")
        .then_some(())?;
    high(Kind::Logout, "events holds the back-channel logout event")
}

/// CI systems, workload credentials and session issuers issue one kind of token.
fn family_kind(f: &Facts) -> Option<KindFinding> {
    let issuer = f.issuer?;
    let (kind, what) = match issuer.family {
        Family::Ci => (Kind::CiWorkload, "a CI job's OIDC token"),
        Family::ServiceAccount => (Kind::ServiceAccount, "a workload credential"),
        Family::WorkloadId => (Kind::Id, "a workload's OIDC ID token"),
        Family::Session(kind) => (kind, "the application's own session token"),
        Family::Grants | Family::MachinesAsUsers => return None,
    };
    high(kind, format!("{} issues {what}", issuer.name))
}

fn keycloak_typ(f: &Facts) -> Option<KindFinding> {
    (f.provider()? == "keycloak").then_some(())?;
    let typ = f.str("typ")?;
    let kind = match typ {
        "Bearer" | "DPoP" => Kind::Access,
        "ID" => Kind::Id,
        "Refresh" | "Offline" => Kind::Refresh,
        "Logout" => Kind::Logout,
        _ => return None,
    };
    high(kind, format!("Keycloak typ claim {typ:?}"))
}

fn cognito_token_use(f: &Facts) -> Option<KindFinding> {
    (f.provider()? == "cognito").then_some(())?;
    let kind = match f.str("token_use")? {
        "access" => Kind::Access,
        "id" => Kind::Id,
        _ => return None,
    };
    high(kind, format!("Cognito token_use {:?}", f.str("token_use")?))
}

fn okta_jti(f: &Facts) -> Option<KindFinding> {
    (f.provider()? == "okta").then_some(())?;
    let jti = f.str("jti")?;
    let kind = if jti.starts_with("AT.") {
        Kind::Access
    } else if jti.starts_with("ID.") {
        Kind::Id
    } else if f.has("cid") {
        return high(
            Kind::Access,
            "Okta cid: Okta access tokens name their client so",
        );
    } else {
        return None;
    };
    high(kind, format!("Okta jti prefix {}", &jti[..3]))
}

fn entra_access(f: &Facts) -> Option<KindFinding> {
    (f.provider()? == "entra").then_some(())?;
    let name = ["idtyp", "scp", "roles"].into_iter().find(|n| f.has(n))?;
    (!f.has("nonce")).then_some(())?;
    high(Kind::Access, format!("Entra {name}: an access token claim"))
}

fn google_id(f: &Facts) -> Option<KindFinding> {
    (f.provider()? == "google" && f.iss().ends_with("accounts.google.com")).then_some(())?;
    high(
        Kind::Id,
        "iss is Google, whose JWTs are ID tokens (its access tokens are opaque)",
    )
}

fn id_hashes(f: &Facts) -> Option<KindFinding> {
    let name = ["at_hash", "c_hash"].into_iter().find(|n| f.has(n))?;
    high(Kind::Id, format!("{name}: only ID tokens carry it"))
}

/// RFC 7523: a JWT the client sends to a token endpoint, to authenticate itself (§2.2:
/// `iss == sub`) or as a grant (§2.1: `sub` the user it acts for, or absent).
fn assertion(f: &Facts) -> Option<KindFinding> {
    let iss = f.str("iss")?;
    let client_claims = ["client_id", "cid", "azp", "appid", "nonce", "gty"];
    (f.lifetime()? <= 3600.0 && !client_claims.iter().any(|c| f.has(c))).then_some(())?;
    let to_token_endpoint = f.single_aud().is_some_and(token_endpoint);
    match f.sub() {
        Some(sub) if sub == iss && !f.has("scope") && !f.has("scp") && f.has("jti") => found(
            Kind::ClientAssertion,
            Confidence::Medium,
            "iss == sub, jti, short life, no scope: an RFC 7523 client assertion",
        ),
        Some(sub) if sub != iss && to_token_endpoint => high(
            Kind::ClientAssertion,
            format!(
                "aud is a token endpoint and iss {iss:?} asserts for sub: an RFC 7523 §2.1 grant assertion"
            ),
        ),
        None if to_token_endpoint && (f.has("scope") || f.provider() == Some("google")) => high(
            Kind::ClientAssertion,
            format!(
                "aud is a token endpoint, iss {iss:?} and no sub: an RFC 7523 §2.1 grant assertion"
            ),
        ),
        _ => None,
    }
}

/// An audience that names a token endpoint: its last path segment names a token.
fn token_endpoint(aud: &str) -> bool {
    let path = aud.split(['?', '#']).next().unwrap_or_default();
    aud.contains("://") && path.rsplit('/').next().is_some_and(|s| s.contains("token"))
}

fn grant_marker(f: &Facts) -> Option<KindFinding> {
    f.has_gty().then_some(())?;
    high(
        Kind::Access,
        "gty: a grant marker written only into access tokens (Auth0, FusionAuth, Kinde)",
    )
}

fn access_markers(f: &Facts) -> Option<KindFinding> {
    let name = ["scope", "scp", "idtyp", "client_id", "cid", "appid"]
        .into_iter()
        .find(|n| f.has(n))?;
    found(
        Kind::Access,
        Confidence::Medium,
        format!("{name}: access tokens carry it"),
    )
}

fn id_markers(f: &Facts) -> Option<KindFinding> {
    if f.has("nonce") {
        return found(
            Kind::Id,
            Confidence::Medium,
            "nonce in the claims: an ID token answers an authentication request",
        );
    }
    // Machines-as-users issuers name the client in `aud` of access tokens too.
    let family = f.issuer.map(|i| i.family);
    (family != Some(Family::MachinesAsUsers)).then_some(())?;
    let single_aud = f.claims.get("aud").and_then(Value::as_str)?;
    (Some(single_aud) == f.str("azp")).then_some(())?;
    found(
        Kind::Id,
        Confidence::Medium,
        "aud is the client (azp): an ID token",
    )
}

#[cfg(test)]
mod tests {
    use super::token_endpoint;

    #[test]
    fn token_endpoints() {
        assert!(token_endpoint("https://oauth2.googleapis.com/token"));
        assert!(token_endpoint("https://as.example.com/as/token.oauth2"));
        assert!(!token_endpoint("https://api.example.com/orders"));
        assert!(!token_endpoint("token"));
    }
}
