//! Which grant issued the token and who its subject is: ordered rules, the first that speaks
//! decides. Kinds that no grant issues first, then the issuer family, RFC 8693 `act`,
//! provider markers, grant markers, and last the conventions and the base rule.

use super::facts::Facts;
use super::issuers::Family;
use super::{Confidence, Flow, Kind, SubjectKind};

/// A decision on flow and subject.
pub struct FlowFinding {
    pub flow: Flow,
    pub subject: SubjectKind,
    pub confidence: Confidence,
    pub evidence: String,
}

type FlowRule = fn(&Facts, Kind) -> Option<FlowFinding>;

fn found(
    flow: Flow,
    subject: SubjectKind,
    confidence: Confidence,
    evidence: impl Into<String>,
) -> Option<FlowFinding> {
    Some(FlowFinding {
        flow,
        subject,
        confidence,
        evidence: evidence.into(),
    })
}

/// The flow rules, in order.
pub const RULES: &[FlowRule] = &[
    not_from_a_grant,
    assertion,
    family,
    google_service_account,
    token_exchange,
    machines_as_users,
    keycloak_jti,
    keycloak_service_account,
    grant_marker,
    entra,
    okta,
    cognito,
    client_without_subject,
    base_rule,
    user_token,
];

/// The first flow rule that speaks.
pub fn decide(f: &Facts, kind: Kind) -> Option<FlowFinding> {
    RULES.iter().find_map(|rule| rule(f, kind))
}

fn not_from_a_grant(_: &Facts, kind: Kind) -> Option<FlowFinding> {
    let (subject, why) = match kind {
        Kind::CiWorkload | Kind::ServiceAccount => (
            SubjectKind::Workload,
            "workload tokens are not issued by an OAuth grant",
        ),
        Kind::Logout => (
            SubjectKind::User,
            "a logout token names the user whose session ended",
        ),
        Kind::DpopProof => (
            SubjectKind::Client,
            "a DPoP proof is made by the key holder for one request",
        ),
        _ => return None,
    };
    found(Flow::NotApplicable, subject, Confidence::High, why)
}

fn assertion(f: &Facts, kind: Kind) -> Option<FlowFinding> {
    (kind == Kind::ClientAssertion).then_some(())?;
    match f.sub() {
        Some(sub) if sub != f.iss() => found(
            Flow::JwtBearer,
            SubjectKind::User,
            Confidence::High,
            format!("sub {sub:?} is the user the assertion's issuer acts for (jwt-bearer grant)"),
        ),
        None if f.str("iss").is_some()
            && f.typ().as_deref() != Some("client-authentication+jwt") =>
        {
            found(
                Flow::JwtBearer,
                SubjectKind::Client,
                Confidence::High,
                "no sub: the assertion's issuer asks for a token for itself (jwt-bearer grant)",
            )
        }
        _ => found(
            Flow::NotApplicable,
            SubjectKind::Client,
            Confidence::High,
            "a client assertion authenticates the client itself",
        ),
    }
}

fn family(f: &Facts, _: Kind) -> Option<FlowFinding> {
    let issuer = f.issuer?;
    match issuer.family {
        Family::WorkloadId => found(
            Flow::NotApplicable,
            SubjectKind::Workload,
            Confidence::High,
            format!(
                "{} identifies a workload, not through an OAuth grant",
                issuer.name
            ),
        ),
        Family::Session(_) if f.sub().is_some() => found(
            Flow::NotApplicable,
            SubjectKind::User,
            Confidence::High,
            format!("{} signs its users in itself: no OAuth grant", issuer.name),
        ),
        Family::Session(_) => found(
            Flow::NotApplicable,
            SubjectKind::Client,
            Confidence::Medium,
            format!(
                "{} token without sub: a project key, not a user's session",
                issuer.name
            ),
        ),
        _ => None,
    }
}

fn google_service_account(f: &Facts, kind: Kind) -> Option<FlowFinding> {
    let service = f.str("email")?.ends_with(".gserviceaccount.com");
    (f.provider()? == "google" && kind == Kind::Id && service).then_some(())?;
    found(
        Flow::NotApplicable,
        SubjectKind::Workload,
        Confidence::High,
        "email …gserviceaccount.com: a Google service-account identity token",
    )
}

fn token_exchange(f: &Facts, _: Kind) -> Option<FlowFinding> {
    let act = f.claims.get("act")?;
    let actor = act.get("sub").and_then(|s| s.as_str()).unwrap_or("?");
    let subject = if f.client().is_some_and(|(_, c)| Some(c) == f.sub()) {
        SubjectKind::Client
    } else {
        SubjectKind::User
    };
    found(
        Flow::TokenExchange,
        subject,
        Confidence::High,
        format!("act: {actor:?} acts for the subject (RFC 8693 token exchange)"),
    )
}

/// Issuers whose machine clients are service users: nothing in a token tells a machine's
/// from a person's, except a `nonce` (only an interactive sign-in answers one).
fn machines_as_users(f: &Facts, _: Kind) -> Option<FlowFinding> {
    let issuer = f.issuer?;
    (issuer.family == Family::MachinesAsUsers && !f.has("nonce")).then_some(())?;
    found(
        Flow::Unknown,
        SubjectKind::Unknown,
        Confidence::Low,
        format!(
            "{} models machines as service users: a machine's token looks exactly like a person's",
            issuer.name
        ),
    )
}

/// Keycloak ≥ 26 encodes the grant in the `jti`: `<session:2><type:2><grant:2>:<uuid>`.
pub fn keycloak_grant(jti: &str) -> Option<Flow> {
    let (prefix, _) = jti.split_once(':')?;
    let valid = prefix.len() == 6
        && prefix.is_ascii()
        && ["on", "of", "tr", "un"].contains(&&prefix[..2])
        && ["rt", "lt", "un"].contains(&&prefix[2..4]);
    valid.then_some(())?;
    Some(match &prefix[4..] {
        "ac" => Flow::AuthorizationCode,
        "cc" => Flow::ClientCredentials,
        "ro" => Flow::Password,
        "rt" => Flow::RefreshToken,
        "te" => Flow::TokenExchange,
        "dg" => Flow::DeviceCode,
        "ci" => Flow::Ciba,
        "ag" => Flow::JwtBearer,
        _ => return None,
    })
}

fn subject_for(flow: Flow) -> SubjectKind {
    if flow == Flow::ClientCredentials {
        SubjectKind::Client
    } else {
        SubjectKind::User
    }
}

fn is_service_account(f: &Facts) -> bool {
    f.str("preferred_username")
        .is_some_and(|u| u.starts_with("service-account-"))
}

fn keycloak_jti(f: &Facts, _: Kind) -> Option<FlowFinding> {
    (f.provider()? == "keycloak").then_some(())?;
    let jti = f.str("jti")?;
    let grant = keycloak_grant(jti)?;
    let subject = if is_service_account(f) {
        SubjectKind::Client
    } else {
        subject_for(grant)
    };
    let prefix = jti.split(':').next()?;
    found(
        grant,
        subject,
        Confidence::High,
        format!("Keycloak jti prefix {prefix:?} names the grant"),
    )
}

fn keycloak_service_account(f: &Facts, _: Kind) -> Option<FlowFinding> {
    (f.provider()? == "keycloak" && is_service_account(f)).then_some(())?;
    found(
        Flow::ClientCredentials,
        SubjectKind::Client,
        Confidence::High,
        format!(
            "preferred_username {}: a Keycloak service account",
            f.str("preferred_username")?
        ),
    )
}

/// `gty`, as Auth0, FusionAuth and Kinde write it: the grants of the token's session.
fn grant_marker(f: &Facts, _: Kind) -> Option<FlowFinding> {
    let grants = f.grants();
    let has = |g: &str| grants.iter().any(|x| x == g);
    let flow = if has("refresh_token") {
        Flow::RefreshToken
    } else if has("client_credentials") {
        Flow::ClientCredentials
    } else {
        grants.iter().rev().find_map(|g| flow_named(g))?
    };
    found(
        flow,
        subject_for(flow),
        Confidence::High,
        format!("gty {}: names the grant", grants.join(", ")),
    )
}

fn flow_named(grant: &str) -> Option<Flow> {
    Some(match grant {
        "authorization_code" | "implicit" => Flow::AuthorizationCode,
        "password" => Flow::Password,
        "device_code" => Flow::DeviceCode,
        "jwt_bearer" => Flow::JwtBearer,
        "token_exchange" => Flow::TokenExchange,
        "ciba" | "openid_ciba" => Flow::Ciba,
        _ => return None,
    })
}

fn entra(f: &Facts, _: Kind) -> Option<FlowFinding> {
    (f.provider()? == "entra").then_some(())?;
    let app = if f.has("xms_mirid") {
        SubjectKind::Workload
    } else {
        SubjectKind::Client
    };
    if f.str("idtyp") == Some("app") {
        let what = if app == SubjectKind::Workload {
            "an app-only token of a managed identity (xms_mirid)"
        } else {
            "an app-only token"
        };
        return found(
            Flow::ClientCredentials,
            app,
            Confidence::High,
            format!("Entra idtyp app: {what}"),
        );
    }
    if f.has("scp") {
        return found(
            Flow::AuthorizationCode,
            SubjectKind::User,
            Confidence::Medium,
            "Entra scp: a delegated (user) token; the grant is not recorded",
        );
    }
    (f.has("roles") && f.str("oid").is_some() && f.str("oid") == f.sub()).then_some(())?;
    found(
        Flow::ClientCredentials,
        app,
        Confidence::Medium,
        "Entra roles without scp and oid == sub: an app-only token",
    )
}

fn okta(f: &Facts, _: Kind) -> Option<FlowFinding> {
    (f.provider()? == "okta").then_some(())?;
    let cid = f.str("cid")?;
    if f.has("uid") {
        return found(
            Flow::AuthorizationCode,
            SubjectKind::User,
            Confidence::Medium,
            "Okta uid: a user token; the grant is not recorded",
        );
    }
    (f.sub() == Some(cid)).then_some(())?;
    found(
        Flow::ClientCredentials,
        SubjectKind::Client,
        Confidence::High,
        "Okta cid == sub and no uid: a client credentials token",
    )
}

fn cognito(f: &Facts, _: Kind) -> Option<FlowFinding> {
    (f.provider()? == "cognito").then_some(())?;
    if f.has("username") || f.has("cognito:username") {
        return found(
            Flow::AuthorizationCode,
            SubjectKind::User,
            Confidence::Medium,
            "Cognito username: a user token; the grant is not recorded",
        );
    }
    let machine =
        f.str("token_use") == Some("access") && f.sub().is_some() && f.sub() == f.str("client_id");
    machine.then_some(())?;
    found(
        Flow::ClientCredentials,
        SubjectKind::Client,
        Confidence::High,
        "Cognito access token with sub == client_id and no username",
    )
}

/// A client identifier and no `sub` (Duende IdentityServer, PingOne, Kinde): no user.
fn client_without_subject(f: &Facts, _: Kind) -> Option<FlowFinding> {
    let (name, client) = f.client()?;
    (!f.has("sub")).then_some(())?;
    found(
        Flow::ClientCredentials,
        SubjectKind::Client,
        Confidence::Medium,
        format!("{name} {client:?} and no sub: no user is involved (client credentials)"),
    )
}

fn base_rule(f: &Facts, _: Kind) -> Option<FlowFinding> {
    let (name, client) = f.client()?;
    let sub = f.sub()?;
    if sub != client {
        return found(
            Flow::AuthorizationCode,
            SubjectKind::User,
            Confidence::Medium,
            format!("{name} {client:?} differs from sub: sub names the user"),
        );
    }
    let signs = f.login_signs();
    if !signs.is_empty() {
        return found(
            Flow::Unknown,
            SubjectKind::Unknown,
            Confidence::Low,
            format!(
                "{name} == sub, but {} {} a user login",
                signs.join(", "),
                if signs.len() == 1 { "shows" } else { "show" }
            ),
        );
    }
    found(
        Flow::ClientCredentials,
        SubjectKind::Client,
        Confidence::Medium,
        format!("{name} == sub: the client acts for itself (client credentials)"),
    )
}

fn user_token(f: &Facts, kind: Kind) -> Option<FlowFinding> {
    (matches!(kind, Kind::Id | Kind::Refresh) && f.sub().is_some()).then_some(())?;
    found(
        Flow::AuthorizationCode,
        SubjectKind::User,
        Confidence::Medium,
        "a user's token whose grant no marker names: authorization code is the usual one",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keycloak_jti_grants() {
        assert_eq!(keycloak_grant("onrtac:1f65"), Some(Flow::AuthorizationCode));
        assert_eq!(keycloak_grant("trltcc:1f65"), Some(Flow::ClientCredentials));
        assert_eq!(keycloak_grant("ofrtdg:x"), Some(Flow::DeviceCode));
        assert_eq!(keycloak_grant("onrtci:x"), Some(Flow::Ciba));
        assert_eq!(keycloak_grant("1f65761e-aaaa"), None);
        assert_eq!(keycloak_grant("xxrtac:1"), None);
        assert_eq!(keycloak_grant("oné:1"), None);
    }
}
