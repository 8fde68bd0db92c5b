//! What kind of token this is, which OAuth grant issued it and who its subject is, read from
//! its (unverified) header and claims.
//!
//! Two ordered tables of named rules: [`KIND_RULES`] decide the kind, [`FLOW_RULES`] the
//! flow and subject. In each table the first rule that speaks decides; provider markers come
//! before generic conventions, which come before the base rule (`client_id == sub` means
//! client credentials). Contradictions are reported in `conflicts` and lower the confidence.
//! Facts: `../shared/research/classify-facts.md`.

use serde::Serialize;
use serde_json::{Map, Value};

/// What the token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Access,
    Id,
    Refresh,
    Logout,
    ClientAssertion,
    CiWorkload,
    ServiceAccount,
    Unknown,
}

/// The grant that issued it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    ClientCredentials,
    AuthorizationCode,
    DeviceCode,
    Password,
    RefreshToken,
    TokenExchange,
    JwtBearer,
    Ciba,
    NotApplicable,
    Unknown,
}

/// Who the subject is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Client,
    User,
    Workload,
    Unknown,
}

/// The identity provider whose markers the token carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    Auth0,
    Okta,
    Entra,
    Keycloak,
    Cognito,
    Google,
    GithubActions,
    GitlabCi,
    Kubernetes,
}

/// How sure the answer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    fn lower(self) -> Self {
        match self {
            Confidence::High => Confidence::Medium,
            _ => Confidence::Low,
        }
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
    pub provider: Option<Provider>,
    pub confidence: Confidence,
    pub evidence: Vec<String>,
    pub conflicts: Vec<String>,
    /// Always false: classify reads claims without checking the signature.
    pub verified: bool,
}

/// The token's view for the rules: header and claims, with the helpers rules share.
pub struct Facts<'a> {
    header: &'a Map<String, Value>,
    claims: &'a Map<String, Value>,
}

impl<'a> Facts<'a> {
    fn str(&self, name: &str) -> Option<&'a str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    fn has(&self, name: &str) -> bool {
        self.claims.contains_key(name)
    }

    fn typ(&self) -> Option<String> {
        let typ = self.header.get("typ")?.as_str()?.to_ascii_lowercase();
        Some(
            typ.strip_prefix("application/")
                .map(str::to_string)
                .unwrap_or(typ),
        )
    }

    fn iss(&self) -> &'a str {
        self.str("iss").unwrap_or_default()
    }

    fn sub(&self) -> Option<&'a str> {
        self.str("sub")
    }

    /// The client identifier and the claim holding it (`client_id`, `azp`, `cid`, `appid`).
    fn client(&self) -> Option<(&'static str, &'a str)> {
        ["client_id", "cid", "appid", "azp"]
            .into_iter()
            .find_map(|name| Some((name, self.str(name)?)))
    }

    /// Signs that a user logged in: `auth_time`, `amr`, `sid`, `nonce`.
    fn login_signs(&self) -> Vec<&'static str> {
        ["auth_time", "amr", "sid", "nonce"]
            .into_iter()
            .filter(|n| self.has(n))
            .collect()
    }

    fn contains(&self, name: &str, wanted: &str) -> bool {
        match self.claims.get(name) {
            Some(Value::String(s)) => s == wanted,
            Some(Value::Array(items)) => items.iter().any(|v| v.as_str() == Some(wanted)),
            _ => false,
        }
    }
}

/// A decision on the kind: the kind, its confidence, the provider when a marker is
/// provider-specific, and the evidence.
pub struct KindFinding {
    kind: Kind,
    confidence: Confidence,
    provider: Option<Provider>,
    evidence: String,
}

type KindRule = (&'static str, fn(&Facts) -> Option<KindFinding>);

fn kind(
    kind: Kind,
    confidence: Confidence,
    provider: Option<Provider>,
    evidence: impl Into<String>,
) -> Option<KindFinding> {
    Some(KindFinding {
        kind,
        confidence,
        provider,
        evidence: evidence.into(),
    })
}

/// Kind rules, in order: explicit typing, fixed issuers, provider markers, then conventions.
pub const KIND_RULES: &[KindRule] = &[
    ("header typ", |f| match f.typ()?.as_str() {
        "at+jwt" => kind(
            Kind::Access,
            Confidence::High,
            None,
            "header typ at+jwt: an RFC 9068 access token",
        ),
        "logout+jwt" => kind(
            Kind::Logout,
            Confidence::High,
            None,
            "header typ logout+jwt: an OIDC logout token",
        ),
        "client-authentication+jwt" => kind(
            Kind::ClientAssertion,
            Confidence::High,
            None,
            "header typ client-authentication+jwt: a client assertion",
        ),
        _ => None,
    }),
    ("logout event", |f| {
        let events = f.claims.get("events")?.as_object()?;
        events
            .contains_key("http://schemas.openid.net/event/backchannel-logout")
            .then_some(())?;
        kind(
            Kind::Logout,
            Confidence::High,
            None,
            "events holds the back-channel logout event",
        )
    }),
    ("kubernetes", |f| {
        let legacy = f.iss() == "kubernetes/serviceaccount"
            || f.claims
                .keys()
                .any(|k| k.starts_with("kubernetes.io/serviceaccount/"));
        (f.has("kubernetes.io") || legacy).then_some(())?;
        kind(
            Kind::ServiceAccount,
            Confidence::High,
            Some(Provider::Kubernetes),
            "kubernetes.io claims: a Kubernetes service-account token",
        )
    }),
    ("github actions", |f| {
        let iss = f.iss();
        let github = iss == "https://token.actions.githubusercontent.com"
            || (iss.ends_with("/_services/token") && f.has("repository"));
        github.then_some(())?;
        kind(
            Kind::CiWorkload,
            Confidence::High,
            Some(Provider::GithubActions),
            "iss is GitHub Actions' OIDC issuer",
        )
    }),
    ("gitlab ci", |f| {
        let gitlab = f.sub()?.starts_with("project_path:")
            && ["project_id", "pipeline_id", "ci_config_ref_uri"]
                .iter()
                .any(|c| f.has(c));
        gitlab.then_some(())?;
        kind(
            Kind::CiWorkload,
            Confidence::High,
            Some(Provider::GitlabCi),
            "sub project_path:… with pipeline claims: a GitLab CI ID token",
        )
    }),
    ("keycloak typ claim", |f| {
        let (Provider::Keycloak, Some(typ)) = (provider_of(f)?, f.str("typ")) else {
            return None;
        };
        let k = match typ {
            "Bearer" | "DPoP" => Kind::Access,
            "ID" => Kind::Id,
            "Refresh" | "Offline" => Kind::Refresh,
            "Logout" => Kind::Logout,
            _ => return None,
        };
        kind(
            k,
            Confidence::High,
            Some(Provider::Keycloak),
            format!("Keycloak typ claim {typ:?}"),
        )
    }),
    ("cognito token_use", |f| {
        (provider_of(f)? == Provider::Cognito).then_some(())?;
        let k = match f.str("token_use")? {
            "access" => Kind::Access,
            "id" => Kind::Id,
            _ => return None,
        };
        kind(
            k,
            Confidence::High,
            Some(Provider::Cognito),
            format!("Cognito token_use {:?}", f.str("token_use")?),
        )
    }),
    ("okta jti", |f| {
        let jti = f.str("jti")?;
        let k = if jti.starts_with("AT.") {
            Kind::Access
        } else if jti.starts_with("ID.") {
            Kind::Id
        } else {
            return None;
        };
        kind(
            k,
            Confidence::High,
            Some(Provider::Okta),
            format!("Okta jti prefix {}", &jti[..3]),
        )
    }),
    ("auth0 gty", |f| {
        f.has("gty").then_some(())?;
        kind(
            Kind::Access,
            Confidence::High,
            Some(Provider::Auth0),
            "Auth0 gty: Auth0 writes it into access tokens",
        )
    }),
    ("entra access", |f| {
        (provider_of(f)? == Provider::Entra).then_some(())?;
        let name = ["idtyp", "scp", "roles"].into_iter().find(|n| f.has(n))?;
        (!f.has("nonce")).then_some(())?;
        kind(
            Kind::Access,
            Confidence::High,
            Some(Provider::Entra),
            format!("Entra {name}: an access token claim"),
        )
    }),
    ("okta cid", |f| {
        (f.has("cid") && provider_of(f)? == Provider::Okta).then_some(())?;
        kind(
            Kind::Access,
            Confidence::High,
            Some(Provider::Okta),
            "Okta cid: Okta access tokens name their client so",
        )
    }),
    ("google", |f| {
        (provider_of(f)? == Provider::Google).then_some(())?;
        kind(
            Kind::Id,
            Confidence::High,
            Some(Provider::Google),
            "iss is Google, whose JWTs are ID tokens (its access tokens are opaque)",
        )
    }),
    ("id token hashes", |f| {
        let name = ["at_hash", "c_hash"].into_iter().find(|n| f.has(n))?;
        kind(
            Kind::Id,
            Confidence::High,
            None,
            format!("{name}: only ID tokens carry it"),
        )
    }),
    ("client assertion", |f| {
        let (iss, sub) = (f.str("iss")?, f.sub()?);
        let life = f.claims.get("exp")?.as_f64()?
            - f.claims.get("iat").and_then(Value::as_f64).unwrap_or(0.0);
        let plain = !["scope", "scp", "client_id", "nonce", "azp"]
            .iter()
            .any(|c| f.has(c));
        (iss == sub && f.has("jti") && f.has("aud") && life <= 3600.0 && plain).then_some(())?;
        kind(
            Kind::ClientAssertion,
            Confidence::Medium,
            None,
            "iss == sub, jti, short life, no scope: an RFC 7523 client assertion",
        )
    }),
    ("access markers", |f| {
        let name = ["scope", "scp", "gty", "idtyp", "client_id", "cid", "appid"]
            .into_iter()
            .find(|n| f.has(n))?;
        kind(
            Kind::Access,
            Confidence::Medium,
            None,
            format!("{name}: access tokens carry it"),
        )
    }),
    ("id markers", |f| {
        if f.has("nonce") {
            return kind(
                Kind::Id,
                Confidence::Medium,
                None,
                "nonce in the claims: an ID token answers an authentication request",
            );
        }
        let single_aud = f.str("aud")?;
        (Some(single_aud) == f.str("azp")).then_some(())?;
        kind(
            Kind::Id,
            Confidence::Medium,
            None,
            "aud is the client (azp): an ID token",
        )
    }),
];

/// The provider named by the issuer or by claims only it writes.
fn provider_of(f: &Facts) -> Option<Provider> {
    let iss = f.iss();
    let host = iss.split("://").nth(1).unwrap_or(iss);
    if matches!(iss, "https://accounts.google.com" | "accounts.google.com") {
        Some(Provider::Google)
    } else if iss.contains("/realms/") {
        Some(Provider::Keycloak)
    } else if host.starts_with("cognito-idp.") && host.contains(".amazonaws.com/") {
        Some(Provider::Cognito)
    } else if host.starts_with("sts.windows.net/")
        || host.starts_with("login.microsoftonline.com/")
        || f.has("tid") && f.has("oid")
    {
        Some(Provider::Entra)
    } else if f.has("gty")
        || iss.contains(".auth0.com")
        || f.sub().is_some_and(|s| s.ends_with("@clients"))
    {
        Some(Provider::Auth0)
    } else if host.contains(".okta.com")
        || host.contains(".oktapreview.com")
        || f.has("cid") && f.has("ver")
    {
        Some(Provider::Okta)
    } else {
        None
    }
}

/// A decision on flow and subject.
pub struct FlowFinding {
    flow: Flow,
    subject: SubjectKind,
    confidence: Confidence,
    evidence: String,
}

type FlowRule = (&'static str, fn(&Facts, Kind) -> Option<FlowFinding>);

fn flow(
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

/// Keycloak ≥ 26 encodes the grant in the `jti`: `<session:2><type:2><grant:2>:<uuid>`.
fn keycloak_grant(jti: &str) -> Option<Flow> {
    let (prefix, _) = jti.split_once(':')?;
    let valid = prefix.len() == 6
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

/// Flow rules, in order: kinds that are not OAuth grants, provider markers, RFC 8693 `act`,
/// then conventions, then the base rule.
pub const FLOW_RULES: &[FlowRule] = &[
    ("workload kinds", |_, k| match k {
        Kind::CiWorkload | Kind::ServiceAccount => flow(
            Flow::NotApplicable,
            SubjectKind::Workload,
            Confidence::High,
            "workload tokens are not issued by an OAuth grant",
        ),
        Kind::Logout => flow(
            Flow::NotApplicable,
            SubjectKind::User,
            Confidence::High,
            "a logout token names the user whose session ended",
        ),
        Kind::ClientAssertion => flow(
            Flow::NotApplicable,
            SubjectKind::Client,
            Confidence::High,
            "a client assertion authenticates the client itself",
        ),
        _ => None,
    }),
    ("google service account", |f, _| {
        (provider_of(f) == Some(Provider::Google)
            && f.str("email")?.ends_with(".gserviceaccount.com"))
        .then_some(())?;
        flow(
            Flow::NotApplicable,
            SubjectKind::Workload,
            Confidence::High,
            "email …gserviceaccount.com: a Google service-account identity token",
        )
    }),
    ("token exchange", |f, _| {
        let actor = f
            .claims
            .get("act")?
            .get("sub")
            .and_then(Value::as_str)
            .unwrap_or("?");
        let subject = if f.client().is_some_and(|(_, c)| Some(c) == f.sub()) {
            SubjectKind::Client
        } else {
            SubjectKind::User
        };
        flow(
            Flow::TokenExchange,
            subject,
            Confidence::High,
            format!("act: {actor:?} acts for the subject (RFC 8693 token exchange)"),
        )
    }),
    ("keycloak jti grant", |f, _| {
        let grant = keycloak_grant(f.str("jti")?)?;
        (provider_of(f) == Some(Provider::Keycloak)).then_some(())?;
        let service = f
            .str("preferred_username")
            .is_some_and(|u| u.starts_with("service-account-"));
        let subject = if service {
            SubjectKind::Client
        } else {
            subject_for(grant)
        };
        flow(
            grant,
            subject,
            Confidence::High,
            format!(
                "Keycloak jti prefix {:?} names the grant",
                f.str("jti")?.split(':').next()?
            ),
        )
    }),
    ("keycloak service account", |f, _| {
        let user = f
            .str("preferred_username")?
            .strip_prefix("service-account-")?;
        flow(
            Flow::ClientCredentials,
            SubjectKind::Client,
            Confidence::High,
            format!("preferred_username service-account-{user}: a Keycloak service account"),
        )
    }),
    ("auth0 gty", |f, _| {
        if f.contains("gty", "client-credentials")
            || f.sub().is_some_and(|s| s.ends_with("@clients"))
        {
            return flow(
                Flow::ClientCredentials,
                SubjectKind::Client,
                Confidence::High,
                "Auth0 gty client-credentials / sub …@clients",
            );
        }
        if f.contains("gty", "refresh_token") {
            return flow(
                Flow::RefreshToken,
                SubjectKind::User,
                Confidence::High,
                "Auth0 gty refresh_token: obtained by refreshing",
            );
        }
        f.contains("gty", "password").then_some(())?;
        flow(
            Flow::Password,
            SubjectKind::User,
            Confidence::High,
            "Auth0 gty password: the resource owner password grant",
        )
    }),
    ("entra", |f, _| {
        (provider_of(f) == Some(Provider::Entra)).then_some(())?;
        let managed = f.has("xms_mirid");
        let app = if managed {
            SubjectKind::Workload
        } else {
            SubjectKind::Client
        };
        if f.str("idtyp") == Some("app") {
            let what = if managed {
                "an app-only token of a managed identity (xms_mirid)"
            } else {
                "an app-only token"
            };
            return flow(
                Flow::ClientCredentials,
                app,
                Confidence::High,
                format!("Entra idtyp app: {what}"),
            );
        }
        if f.has("scp") {
            return flow(
                Flow::AuthorizationCode,
                SubjectKind::User,
                Confidence::Medium,
                "Entra scp: a delegated (user) token; the grant is not recorded",
            );
        }
        (f.has("roles") && f.str("oid").is_some() && f.str("oid") == f.sub()).then_some(())?;
        flow(
            Flow::ClientCredentials,
            app,
            Confidence::Medium,
            "Entra roles without scp and oid == sub: an app-only token",
        )
    }),
    ("okta", |f, _| {
        let cid = f.str("cid")?;
        if f.has("uid") {
            return flow(
                Flow::AuthorizationCode,
                SubjectKind::User,
                Confidence::Medium,
                "Okta uid: a user token; the grant is not recorded",
            );
        }
        (f.sub() == Some(cid)).then_some(())?;
        flow(
            Flow::ClientCredentials,
            SubjectKind::Client,
            Confidence::High,
            "Okta cid == sub and no uid: a client credentials token",
        )
    }),
    ("cognito", |f, _| {
        (provider_of(f) == Some(Provider::Cognito)).then_some(())?;
        if f.has("username") || f.has("cognito:username") {
            return flow(
                Flow::AuthorizationCode,
                SubjectKind::User,
                Confidence::Medium,
                "Cognito username: a user token; the grant is not recorded",
            );
        }
        (f.str("token_use") == Some("access")
            && f.sub().is_some()
            && f.sub() == f.str("client_id"))
        .then_some(())?;
        flow(
            Flow::ClientCredentials,
            SubjectKind::Client,
            Confidence::High,
            "Cognito access token with sub == client_id and no username",
        )
    }),
    ("client without subject", |f, _| {
        let (name, _) = f.client()?;
        (!f.has("sub") && name == "client_id").then_some(())?;
        flow(
            Flow::ClientCredentials,
            SubjectKind::Client,
            Confidence::Medium,
            "client_id and no sub: a client credentials token (IdentityServer style)",
        )
    }),
    ("base rule", |f, _| {
        let (name, client) = f.client()?;
        let sub = f.sub()?;
        if sub != client {
            return flow(
                Flow::AuthorizationCode,
                SubjectKind::User,
                Confidence::Medium,
                format!("{name} {client:?} differs from sub: sub names the user"),
            );
        }
        let signs = f.login_signs();
        if !signs.is_empty() {
            return flow(
                Flow::Unknown,
                SubjectKind::Unknown,
                Confidence::Low,
                format!("{name} == sub, but {} show a user login", signs.join(", ")),
            );
        }
        flow(
            Flow::ClientCredentials,
            SubjectKind::Client,
            Confidence::Medium,
            format!("{name} == sub: the client acts for itself (client credentials)"),
        )
    }),
    ("id token", |_, k| {
        matches!(k, Kind::Id | Kind::Refresh).then_some(())?;
        flow(
            Flow::AuthorizationCode,
            SubjectKind::User,
            Confidence::Medium,
            "a user's token whose grant no marker names: authorization code is the usual one",
        )
    }),
];

/// Classify a token from its header and claims.
pub fn classify(header: &Map<String, Value>, claims: &Map<String, Value>) -> Classification {
    let f = Facts { header, claims };
    let mut evidence = Vec::new();
    let mut conflicts = Vec::new();
    let found = KIND_RULES.iter().find_map(|(_, rule)| rule(&f));
    let (kind, kind_confidence, provider) = match found {
        Some(k) => {
            evidence.push(k.evidence);
            (k.kind, k.confidence, k.provider.or_else(|| provider_of(&f)))
        }
        None => (Kind::Unknown, Confidence::Low, provider_of(&f)),
    };
    // The base rule speaks only when the token carries a client identifier, and nothing
    // speaks for a token with neither a client identifier nor a provider marker.
    let decided = if kind == Kind::Unknown && provider.is_none() && f.client().is_none() {
        None
    } else {
        FLOW_RULES.iter().find_map(|(_, rule)| rule(&f, kind))
    };
    let spoke = decided.is_some();
    let (flow, subject_kind, flow_confidence) = match decided {
        Some(d) => {
            evidence.push(d.evidence);
            (d.flow, d.subject, d.confidence)
        }
        None => (Flow::Unknown, SubjectKind::Unknown, Confidence::Low),
    };
    // A grant decided for a token of no recognised kind: what a grant issues is an access token.
    let kind =
        if kind == Kind::Unknown && spoke && flow != Flow::Unknown && flow != Flow::NotApplicable {
            Kind::Access
        } else {
            kind
        };
    if flow == Flow::Unknown && subject_kind == SubjectKind::Unknown && spoke {
        conflicts.push(format!(
            "the base rule (client id == sub) says client credentials, but {} show a user login",
            f.login_signs().join(", ")
        ));
    }
    contradictions(&f, flow, &mut conflicts);
    let mut confidence = kind_confidence.min(flow_confidence);
    for _ in &conflicts {
        confidence = confidence.lower();
    }
    evidence.extend(annotations(&f));
    Classification {
        kind,
        flow,
        subject: Subject {
            kind: subject_kind,
            id: subject_id(&f, subject_kind),
        },
        provider,
        confidence,
        evidence,
        conflicts,
        verified: false,
    }
}

/// Contradictions between the decision and other signs (a marker wins, but is not hidden).
fn contradictions(f: &Facts, flow: Flow, conflicts: &mut Vec<String>) {
    let signs = f.login_signs();
    if flow == Flow::ClientCredentials && !signs.is_empty() {
        conflicts.push(format!(
            "decided client credentials, but {} show a user login",
            signs.join(", ")
        ));
    }
    let base_says_client = f.client().is_some_and(|(_, c)| Some(c) == f.sub());
    let decided_user = matches!(
        flow,
        Flow::AuthorizationCode
            | Flow::Password
            | Flow::DeviceCode
            | Flow::Ciba
            | Flow::RefreshToken
    );
    if base_says_client && decided_user {
        conflicts.push(format!("decided a user grant ({flow:?}), but the client id equals sub, which the base rule reads as client credentials"));
    }
}

/// Extra evidence that never changes the answer: sender constraint, actor, and the caveat.
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
    notes
}

fn subject_id(f: &Facts, kind: SubjectKind) -> Option<String> {
    match kind {
        SubjectKind::Client => f.client().map(|(_, c)| c).or(f.sub()).map(str::to_string),
        _ => f.sub().map(str::to_string),
    }
}

/// The authority a token carries: what a resource server would grant on its strength.
pub fn authority(claims: &Map<String, Value>) -> Vec<(String, String)> {
    let names = [
        "scope",
        "scp",
        "roles",
        "groups",
        "permissions",
        "entitlements",
        "cognito:groups",
        "aud",
        "tid",
        "org_id",
        "org_code",
    ];
    names
        .iter()
        .filter_map(|name| {
            let value = claims.get(*name)?;
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Array(items) => items
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(" "),
                other => other.to_string(),
            };
            Some((name.to_string(), text))
        })
        .collect()
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
        let c = run(
            json!({}),
            json!({"sub": "svc", "client_id": "svc", "auth_time": 1, "amr": ["pwd"]}),
        );
        assert_eq!(
            (c.flow, c.subject.kind, c.confidence),
            (Flow::Unknown, SubjectKind::Unknown, Confidence::Low)
        );
        assert_eq!(c.conflicts.len(), 1);
        let c = run(json!({}), json!({"sub": "who", "iss": "https://x"}));
        assert_eq!(
            (c.kind, c.flow, c.subject.kind),
            (Kind::Unknown, Flow::Unknown, SubjectKind::Unknown)
        );
    }

    #[test]
    fn keycloak_jti_grants() {
        assert_eq!(keycloak_grant("onrtac:1f65"), Some(Flow::AuthorizationCode));
        assert_eq!(keycloak_grant("trltcc:1f65"), Some(Flow::ClientCredentials));
        assert_eq!(keycloak_grant("ofrtdg:x"), Some(Flow::DeviceCode));
        assert_eq!(keycloak_grant("1f65761e-aaaa"), None);
        assert_eq!(keycloak_grant("xxrtac:1"), None);
    }
}
