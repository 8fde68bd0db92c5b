//! Which grant issued the token and who its subject is: ordered rules, the first that speaks
//! decides. Kinds that no grant issues first, then RFC 8693 `act`, the grant markers (the
//! issuer's `jti` code, a grant named in any claim), the issuer family's markers and its own
//! flow, and last the conventions: a client id without `sub`, the base rule, session markers,
//! client-made tokens, user tokens.

use super::facts::{Facts, is_authority};
use super::labels::{Confidence, Flow, Kind, SubjectKind};
use super::shapes::{self, Workload};
use super::signs::Family;

/// A decision on flow and subject.
pub struct FlowFinding {
    pub flow: Flow,
    pub subject: SubjectKind,
    /// The subject's id when the rule knows it better than `sub` or the client id.
    pub subject_id: Option<String>,
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
        subject_id: None,
        confidence,
        evidence: evidence.into(),
    })
}

fn with_id(finding: Option<FlowFinding>, id: Option<&str>) -> Option<FlowFinding> {
    finding.map(|mut f| {
        f.subject_id = id.map(str::to_string);
        f
    })
}

/// The flow rules, in order.
pub const RULES: &[FlowRule] = &[
    not_from_a_grant,
    assertion,
    token_exchange,
    jti_grant,
    grant_marker,
    row_marks,
    family,
    machines_as_users,
    machine_subject,
    client_without_subject,
    base_rule,
    signed_in,
    client_made,
    user_token,
];

/// The first flow rule that speaks.
pub fn decide(f: &Facts, kind: Kind) -> Option<FlowFinding> {
    RULES.iter().find_map(|rule| rule(f, kind))
}

fn not_from_a_grant(f: &Facts, kind: Kind) -> Option<FlowFinding> {
    let (subject, why) = match kind {
        Kind::CiWorkload | Kind::ServiceAccount => (
            SubjectKind::Workload,
            "workload tokens are not issued by an OAuth grant",
        ),
        Kind::Logout => (
            SubjectKind::User,
            "a logout token names the user whose session ended",
        ),
        Kind::SecurityEvent => {
            let id = shapes::event_subject(f);
            let found = found(
                Flow::NotApplicable,
                SubjectKind::User,
                Confidence::High,
                "a security event token reports an event about its subject",
            );
            return with_id(found, id.as_deref());
        }
        Kind::EntityStatement if shapes::entity_is_client(f) => (
            SubjectKind::Client,
            "an entity statement whose metadata describes a client",
        ),
        Kind::EntityStatement => (
            SubjectKind::Unknown,
            "an entity statement describes a federation entity, not a grant",
        ),
        Kind::DpopProof => (
            SubjectKind::Client,
            "a DPoP proof is made by the key holder for one request",
        ),
        Kind::Id
            if f.issuer.is_none() && matches!(shapes::workload(f), Some(Workload::Machine(_))) =>
        {
            return found(
                Flow::NotApplicable,
                SubjectKind::Workload,
                Confidence::Medium,
                "an ID token for a machine or workload is not issued by an OAuth grant",
            );
        }
        _ => return None,
    };
    found(Flow::NotApplicable, subject, Confidence::High, why)
}

fn assertion(f: &Facts, kind: Kind) -> Option<FlowFinding> {
    (kind == Kind::ClientAssertion).then_some(())?;
    if let Some(finding) = row_marks(f, kind) {
        return Some(finding);
    }
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

/// The grant the issuer encodes in the `jti` (Keycloak ≥ 26).
fn jti_grant(f: &Facts, _: Kind) -> Option<FlowFinding> {
    let issuer = f.issuer?;
    let jti = f.str("jti")?;
    let grant = (issuer.jti_grant?)(jti)?;
    let prefix = jti.split(':').next()?;
    found(
        grant,
        grant.subject(),
        Confidence::High,
        format!("{} jti prefix {prefix:?} names the grant", issuer.name),
    )
}

/// A grant named in any claim or header (`gty` as Auth0, FusionAuth and Kinde write it,
/// `grant_type` as PingAM and Cloud Foundry UAA do, a grant-type URN).
fn grant_marker(f: &Facts, _: Kind) -> Option<FlowFinding> {
    let marker = f.grant_marker()?;
    let flow = marker.flow()?;
    found(
        flow,
        flow.subject(),
        Confidence::High,
        format!("{}: names the grant", marker.describe()),
    )
}

/// The issuer family's own markers of grant and subject.
fn row_marks(f: &Facts, _: Kind) -> Option<FlowFinding> {
    let mark = f
        .issuer?
        .marks
        .iter()
        .find(|m| m.grant.is_some() && f.all(m.when))?;
    let (flow, subject) = mark.grant?;
    let id = (!mark.subject_from.is_empty())
        .then(|| f.first_str(mark.subject_from))
        .flatten();
    with_id(found(flow, subject, mark.sure, mark.why), id)
}

fn family(f: &Facts, _: Kind) -> Option<FlowFinding> {
    let issuer = f.issuer?;
    let name = issuer.name;
    match issuer.family {
        Family::WorkloadId => found(
            Flow::NotApplicable,
            SubjectKind::Workload,
            Confidence::High,
            format!("{name} identifies a workload, not through an OAuth grant"),
        ),
        Family::Session(_) if f.sub().is_some() => found(
            Flow::NotApplicable,
            SubjectKind::User,
            Confidence::High,
            format!("{name} signs its users in itself: no OAuth grant"),
        ),
        Family::Session(_) => found(
            Flow::NotApplicable,
            SubjectKind::Client,
            Confidence::Medium,
            format!("{name} token without sub: a project key, not a user's session"),
        ),
        Family::ClientMade => with_id(
            found(
                Flow::NotApplicable,
                SubjectKind::Client,
                Confidence::High,
                format!("{name}'s API clients sign their own tokens: no OAuth grant"),
            ),
            f.str("iss"),
        ),
        _ => None,
    }
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

/// The family's form of a machine subject (Auth0 `…@clients`) with no grant marker.
fn machine_subject(f: &Facts, _: Kind) -> Option<FlowFinding> {
    let issuer = f.issuer?;
    issuer
        .machine
        .iter()
        .any(|sign| f.all(sign))
        .then_some(())?;
    found(
        Flow::ClientCredentials,
        SubjectKind::Client,
        Confidence::High,
        format!("the subject has {}'s machine form", issuer.name),
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
            format!("{name} == sub, but {} show a user login", signs.join(", ")),
        );
    }
    found(
        Flow::ClientCredentials,
        SubjectKind::Client,
        Confidence::Medium,
        format!("{name} == sub: the client acts for itself (client credentials)"),
    )
}

/// Session markers name a signed-in user: through an OAuth grant when the token carries a
/// scope (authorization code, the usual one), else the issuer's own sign-in.
fn signed_in(f: &Facts, kind: Kind) -> Option<FlowFinding> {
    let signs = f.session_signs();
    (kind == Kind::Access && f.sub().is_some() && !signs.is_empty()).then_some(())?;
    let signs = signs.join(", ");
    if f.has("scope") || f.has("scp") {
        return found(
            Flow::AuthorizationCode,
            SubjectKind::User,
            Confidence::Medium,
            format!("{signs} show a user's sign-in; the grant is not recorded"),
        );
    }
    found(
        Flow::NotApplicable,
        SubjectKind::User,
        Confidence::Medium,
        format!("{signs} show the issuer signed the user in itself: no OAuth grant"),
    )
}

/// A token the client made for itself (opaque `iss`, no `sub`): the client is the subject.
fn client_made(f: &Facts, kind: Kind) -> Option<FlowFinding> {
    let iss = f.str("iss").filter(|i| !i.is_empty() && !is_authority(i))?;
    (kind == Kind::Access && f.sub().is_none() && f.client().is_none()).then_some(())?;
    with_id(
        found(
            Flow::NotApplicable,
            SubjectKind::Client,
            Confidence::Medium,
            format!("the client {iss:?} signed the token itself: no OAuth grant"),
        ),
        Some(iss),
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
