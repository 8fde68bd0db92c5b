//! Contradictions between the decision and other signs the token carries: a marker wins, but
//! what it overrides is reported, never hidden.

use super::facts::Facts;
use super::kind;
use super::labels::{Flow, Kind, SubjectKind};
use super::shapes::{self, Workload};
use super::signs::{Cond, Family, Mark};

/// Every contradiction, in words.
pub fn contradictions(f: &Facts, kind: Kind, flow: Flow, subject: SubjectKind) -> Vec<String> {
    let mut conflicts = Vec::new();
    conflicts.extend(base_rule(f, flow, subject));
    conflicts.extend(typing(f));
    conflicts.extend(machine_convention(f));
    conflicts.extend(workload_with_grant(f, kind));
    conflicts
}

/// The base rule (`client id == sub`) against signs of a user login.
fn base_rule(f: &Facts, flow: Flow, subject: SubjectKind) -> Vec<String> {
    let mut conflicts = Vec::new();
    let signs = f.login_signs().join(", ");
    let base_says_client = f.client().is_some_and(|(_, c)| Some(c) == f.sub());
    let machines_as_users = f
        .issuer
        .is_some_and(|i| i.family == Family::MachinesAsUsers);
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
    if base_says_client && flow.has_user() {
        conflicts.push(format!(
            "decided a user grant ({}), but the client id equals sub, which the base rule reads as client credentials",
            flow.as_str()
        ));
    }
    conflicts
}

/// Explicit typing (header `typ`, or an `events` claim) against the other kinds' markers
/// (RFC 9068 §4, RFC 8725 §3.11, OIDC Back-Channel Logout §2.4: no `nonce` in a logout token).
fn typing(f: &Facts) -> Vec<String> {
    let events = shapes::events(f);
    let (explicit, said) = match (kind::typed(f), &events) {
        (Some((k, _)), _) => (k, format!("header typ {}", f.typ().unwrap_or_default())),
        (None, Some(e)) if e.logout => (Kind::Logout, "events (the logout event)".to_string()),
        (None, Some(_)) => (Kind::SecurityEvent, "events".to_string()),
        (None, None) => return Vec::new(),
    };
    let mut others: Vec<(Kind, Vec<&str>)> = Vec::new();
    let present = |names: &[&'static str]| -> Vec<&'static str> {
        names.iter().copied().filter(|n| f.has(n)).collect()
    };
    if explicit != Kind::Id {
        others.push((Kind::Id, present(&["nonce", "at_hash", "c_hash"])));
    }
    if !matches!(explicit, Kind::Logout | Kind::SecurityEvent) && events.is_some() {
        others.push((Kind::SecurityEvent, vec!["events"]));
    }
    if matches!(
        explicit,
        Kind::Logout | Kind::SecurityEvent | Kind::EntityStatement | Kind::DpopProof
    ) {
        others.push((Kind::Access, present(&["scope", "scp", "client_id"])));
    }
    let mut conflicts: Vec<String> = others
        .into_iter()
        .filter(|(_, names)| !names.is_empty())
        .map(|(other, names)| {
            format!(
                "{said} says {}, but {} are {} claims",
                explicit.as_str(),
                names.join(", "),
                other.as_str()
            )
        })
        .collect();
    if explicit == Kind::Logout && !events.as_ref().is_some_and(|e| e.logout) {
        conflicts.push(format!(
            "{said} says logout, but events holds no back-channel logout event"
        ));
    }
    // A row's kind marker read from the token's claims (Keycloak's typ claim, Cognito's
    // token_use), not a family default read from its issuer or audience alone.
    let from_claims = |m: &&Mark| {
        m.when
            .iter()
            .any(|c| !matches!(c, Cond::Iss(_) | Cond::Aud(_)))
    };
    if let Some(mark) = f.issuer.and_then(|i| {
        i.marks
            .iter()
            .filter(from_claims)
            .find(|m| m.kind.is_some_and(|k| k != explicit) && f.all(m.when))
    }) {
        conflicts.push(format!(
            "{said} says {}, but {}",
            explicit.as_str(),
            mark.why
        ));
    }
    conflicts
}

/// A family's machine-subject form against a grant marker: a client-credentials marker with a
/// subject in another form, or a user grant with a machine's subject.
fn machine_convention(f: &Facts) -> Option<String> {
    let issuer = f.issuer?;
    (!issuer.machine.is_empty()).then_some(())?;
    let (flow, said) = match (f.grant_marker(), f.str("jti").zip(issuer.jti_grant)) {
        (Some(m), _) => (m.flow()?, m.describe()),
        (None, Some((jti, decode))) => (decode(jti)?, format!("jti {jti:?}")),
        (None, None) => return None,
    };
    let machine = issuer.machine.iter().any(|sign| f.all(sign));
    // A subject convention is contradicted only by claims that are there.
    let tested = issuer.machine.iter().any(|sign| {
        sign.iter().all(|c| match c {
            Cond::Sub(_) => f.sub().is_some(),
            Cond::Value(n, _) => f.path(n).is_some(),
            _ => true,
        })
    });
    let who = f.sub().unwrap_or_default();
    if flow == Flow::ClientCredentials && !machine && tested {
        return Some(format!(
            "{said} names client credentials, but the subject {who:?} is not in {}'s machine form",
            issuer.name
        ));
    }
    (machine && flow.has_user()).then(|| {
        format!(
            "the subject {who:?} is in {}'s machine form, but {said} names a user grant",
            issuer.name
        )
    })
}

/// A token read as a CI or workload token from its claims alone, which also names a grant.
fn workload_with_grant(f: &Facts, kind: Kind) -> Option<String> {
    let by_claims = f.issuer.is_none_or(|i| {
        !matches!(
            i.family,
            Family::Ci | Family::ServiceAccount | Family::WorkloadId
        )
    });
    let workload = matches!(kind, Kind::CiWorkload | Kind::ServiceAccount)
        || matches!(shapes::workload(f), Some(Workload::Machine(_)) if kind == Kind::Id);
    (by_claims && workload).then_some(())?;
    let marker = f.grant_marker()?;
    Some(format!(
        "the claims describe a job or workload, but {} names an OAuth grant",
        marker.describe()
    ))
}
