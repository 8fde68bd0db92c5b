//! What an issuer row is made of, as plain data: the conditions a token is tested against,
//! what the family issues, the markers its own documentation gives for kinds, grants and
//! machine subjects, and where each fact comes from. The table itself is
//! [`issuers`](super::issuers); conditions are evaluated by [`Facts`](super::facts::Facts).

use super::labels::{Confidence, Flow, Kind, SubjectKind};

/// One condition of a sign or a marker. Patterns use `*` (a run without `/`) and `**` (any
/// run); a URL pattern (`Iss`, `Aud`, with a scheme) matches its host label by label (`*` one
/// label, `**` one or more) and only a plain host name (no user info, query or fragment), so
/// `*.okta.com` cannot be reached from someone else's host; see
/// [`url_matches`](super::facts::url_matches).
#[derive(Debug, Clone, Copy)]
pub enum Cond {
    /// `iss` matches the pattern.
    Iss(&'static str),
    /// `sub` matches the pattern.
    Sub(&'static str),
    /// One of the audiences matches the pattern.
    Aud(&'static str),
    /// The string claim (a name, or a dotted path into objects) matches the pattern.
    Value(&'static str, &'static str),
    /// The claim (a name or a dotted path) is present.
    Has(&'static str),
    /// The claim is absent.
    Lacks(&'static str),
    /// Some claim name starts with this prefix.
    Prefix(&'static str),
    /// The string header parameter matches the pattern.
    Header(&'static str, &'static str),
    /// Both claims hold the same string.
    Same(&'static str, &'static str),
}

/// What an issuer family issues, which decides the kind (and for most, the flow) when no
/// marker of the row does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// An OAuth authorization server: its markers and the conventions decide.
    Grants,
    /// An OAuth server whose machine clients are service *users*: their tokens look exactly
    /// like a person's.
    MachinesAsUsers,
    /// A CI or deployment system's OIDC token for a job: kind `ci_workload`.
    Ci,
    /// A workload credential of its own format: kind `service_account`.
    ServiceAccount,
    /// An OIDC ID token for a workload: kind `id`, subject workload.
    WorkloadId,
    /// A session token issued after the service's own sign-in (an app's auth service, or an
    /// access proxy's assertion for the application behind it): flow `not_applicable`.
    Session(Kind),
    /// A bearer JWT a client makes and signs itself to call the platform's API: kind
    /// `access`, flow `not_applicable`, subject the client.
    ClientMade,
    /// The authorization server that RFC 7523 assertions made by its clients are sent to.
    Assertions,
}

/// Where a family belongs in the list of families users read (README).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    IdentityProvider,
    AppAuth,
    Ci,
    Workload,
    AccessProxy,
    PlatformApi,
}

impl Category {
    /// A heading for the family list.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::IdentityProvider => "identity providers (hosted and self-hosted)",
            Self::AppAuth => "auth services for apps",
            Self::Ci => "CI and deployment systems",
            Self::Workload => "cloud, orchestrator and mesh workload identities",
            Self::AccessProxy => "zero-trust access proxies",
            Self::PlatformApi => "app stores and platform APIs",
        }
    }
}

/// A marker the family's documentation gives: when all its conditions hold, it names the
/// kind, or the grant and the subject's kind, or both.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    pub when: &'static [Cond],
    pub kind: Option<Kind>,
    pub grant: Option<(Flow, SubjectKind)>,
    /// Claims (names or dotted paths, first present wins) that hold the subject's id, when it
    /// is not the usual one.
    pub subject_from: &'static [&'static str],
    pub sure: Confidence,
    /// What the marker means, for the evidence.
    pub why: &'static str,
}

impl Mark {
    /// A marker of the kind (high confidence).
    pub const fn kind(kind: Kind, when: &'static [Cond], why: &'static str) -> Self {
        Self {
            when,
            kind: Some(kind),
            grant: None,
            subject_from: &[],
            sure: Confidence::High,
            why,
        }
    }

    /// A marker of the grant and the subject (high confidence).
    pub const fn grant(
        flow: Flow,
        subject: SubjectKind,
        when: &'static [Cond],
        why: &'static str,
    ) -> Self {
        Self {
            when,
            kind: None,
            grant: Some((flow, subject)),
            subject_from: &[],
            sure: Confidence::High,
            why,
        }
    }

    /// The same marker, naming the kind too.
    pub const fn and_kind(self, kind: Kind) -> Self {
        Self {
            kind: Some(kind),
            ..self
        }
    }

    /// The same marker at medium confidence (a convention, not a marker made for the purpose).
    pub const fn medium(self) -> Self {
        Self {
            sure: Confidence::Medium,
            ..self
        }
    }

    /// The same marker, with the claims that name its subject.
    pub const fn subject_from(self, paths: &'static [&'static str]) -> Self {
        Self {
            subject_from: paths,
            ..self
        }
    }
}

/// The `provider` value of a family: lower case, `_` between words. It is a name to print,
/// not to compare: rules read the row's fields instead.
#[derive(Debug, Clone, Copy)]
pub struct Provider(&'static str);

impl Provider {
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

/// One issuer family.
#[derive(Debug, Clone, Copy)]
pub struct Issuer {
    pub provider: Provider,
    /// The product's name, for evidence.
    pub name: &'static str,
    pub category: Category,
    /// Each sign is a list of conditions that must all hold; any sign names the family.
    pub signs: &'static [&'static [Cond]],
    pub family: Family,
    /// The family's own markers, tried in order.
    pub marks: &'static [Mark],
    /// The family's form of a machine's subject (Auth0 `<client_id>@clients`, a Keycloak
    /// service account): a grant marker must agree with it.
    pub machine: &'static [&'static [Cond]],
    /// The grant encoded in the `jti` (Keycloak ≥ 26).
    pub jti_grant: Option<fn(&str) -> Option<Flow>>,
    /// The public document the row's facts come from.
    pub source: &'static str,
    /// What its tokens cannot tell apart.
    pub cannot_tell: &'static str,
}

impl Issuer {
    /// A row with its name, category and family; the rest is added by the builders below.
    pub const fn new(
        provider: &'static str,
        name: &'static str,
        category: Category,
        family: Family,
    ) -> Self {
        Self {
            provider: Provider(provider),
            name,
            category,
            signs: &[],
            family,
            marks: &[],
            machine: &[],
            jti_grant: None,
            source: "",
            cannot_tell: "",
        }
    }

    pub const fn signs(self, signs: &'static [&'static [Cond]]) -> Self {
        Self { signs, ..self }
    }

    pub const fn marks(self, marks: &'static [Mark]) -> Self {
        Self { marks, ..self }
    }

    pub const fn machine(self, machine: &'static [&'static [Cond]]) -> Self {
        Self { machine, ..self }
    }

    pub const fn jti_grant(self, decode: fn(&str) -> Option<Flow>) -> Self {
        Self {
            jti_grant: Some(decode),
            ..self
        }
    }

    pub const fn source(self, source: &'static str) -> Self {
        Self { source, ..self }
    }

    pub const fn cannot_tell(self, cannot_tell: &'static str) -> Self {
        Self {
            cannot_tell,
            ..self
        }
    }
}
