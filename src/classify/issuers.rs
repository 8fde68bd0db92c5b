//! The issuer families jwtk knows: one row each, with the issuer patterns and the claims
//! only that family writes, what kind of tokens it issues, the public document each fact
//! comes from, and what its tokens cannot tell apart. Adding an issuer is adding a row (and
//! a fixture in `tests/fixtures/classify/cases.json`).
//!
//! A row names its provider only from what is unique to it: its issuer URL, or a claim no
//! other issuer writes. Claims several issuers share (`gty`, `tid`, `scp`) never name one.
//! Rows are tried in order and the first match wins, so narrower rows come before broader
//! ones (PingAM's `…/oauth2/realms/…` before Keycloak's `…/realms/…`).

use super::Kind;
use super::facts::Facts;

/// One condition of a sign; patterns use `*` (no `/`) and `**` (anything), see
/// [`glob`](super::facts::glob).
#[derive(Debug)]
pub enum Cond {
    /// `iss` matches the pattern.
    Iss(&'static str),
    /// `sub` matches the pattern.
    Sub(&'static str),
    /// The string claim matches the pattern.
    Value(&'static str, &'static str),
    /// The claim is present.
    Has(&'static str),
    /// Some claim name starts with this prefix.
    Prefix(&'static str),
}

/// What an issuer family issues, which decides the kind when no stronger marker does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// An OAuth authorization server: the rules read its markers.
    Grants,
    /// An OAuth server whose machine clients are service *users*: their tokens look exactly
    /// like a person's.
    MachinesAsUsers,
    /// A CI system's OIDC token for a job: kind `ci_workload`.
    Ci,
    /// A workload credential of its own format: kind `service_account`.
    ServiceAccount,
    /// A cloud's OIDC ID token for a workload: kind `id`, subject workload.
    WorkloadId,
    /// An application's own session token, issued after its own sign-in.
    Session(Kind),
}

/// One issuer family.
#[derive(Debug)]
pub struct Issuer {
    /// The `provider` value: lower case, `_` between words.
    pub provider: &'static str,
    /// The product's name, for evidence.
    pub name: &'static str,
    /// Each sign is a list of conditions that must all hold; any sign names the family.
    pub signs: &'static [&'static [Cond]],
    pub family: Family,
    /// The public document the row's facts come from.
    pub source: &'static str,
    /// What its tokens cannot tell apart.
    pub cannot_tell: &'static str,
}

impl Issuer {
    /// Whether the token carries one of the row's signs; the evidence says which.
    pub fn matched(&self, f: &Facts) -> Option<String> {
        let sign = self
            .signs
            .iter()
            .find(|sign| sign.iter().all(|c| holds(c, f)))?;
        Some(match sign.first() {
            Some(Cond::Iss(p)) => format!("iss matches {}'s issuer {p}", self.name),
            Some(Cond::Sub(p)) => format!("sub matches {}'s subject form {p}", self.name),
            Some(Cond::Value(n, p)) => format!("{n} matches {}'s form {p}", self.name),
            Some(Cond::Has(n)) => format!("claim {n} is written only by {}", self.name),
            Some(Cond::Prefix(p)) => format!("claims {p}… are written only by {}", self.name),
            None => self.name.to_string(),
        })
    }
}

fn holds(cond: &Cond, f: &Facts) -> bool {
    match cond {
        Cond::Iss(p) => f.value_matches("iss", p),
        Cond::Sub(p) => f.value_matches("sub", p),
        Cond::Value(name, p) => f.value_matches(name, p),
        Cond::Has(name) => f.has(name),
        Cond::Prefix(p) => f.claims.keys().any(|k| k.starts_with(p)),
    }
}

/// The first issuer family the token matches, with the evidence.
pub fn identify(f: &Facts) -> Option<(&'static Issuer, String)> {
    ISSUERS
        .iter()
        .find_map(|issuer| Some((issuer, issuer.matched(f)?)))
}

/// Every issuer family, in matching order.
pub fn all() -> &'static [Issuer] {
    ISSUERS
}

use Cond::{Has, Iss, Prefix, Sub, Value};

const ISSUERS: &[Issuer] = &[
    // CI systems: a job's OIDC identity token.
    Issuer {
        provider: "github_actions",
        name: "GitHub Actions",
        signs: &[
            &[Iss("https://token.actions.githubusercontent.com")],
            &[Iss("https://token.actions.githubusercontent.com/*")],
            &[Iss("https://*/_services/token"), Has("repository")],
        ],
        family: Family::Ci,
        source: "https://docs.github.com/en/actions/reference/security/oidc",
        cannot_tell: "who triggered the run (actor) is not the subject",
    },
    Issuer {
        provider: "gitlab_ci",
        name: "GitLab CI",
        signs: &[
            &[Sub("project_path:**"), Has("pipeline_id")],
            &[Sub("project_path:**"), Has("ci_config_ref_uri")],
            &[Sub("project_path:**"), Has("project_id")],
        ],
        family: Family::Ci,
        source: "https://docs.gitlab.com/ci/secrets/id_token_authentication/",
        cannot_tell: "user_* claims name who triggered the pipeline, not the subject",
    },
    Issuer {
        provider: "circleci",
        name: "CircleCI",
        signs: &[
            &[Iss("https://oidc.circleci.com/org/*")],
            &[Has("oidc.circleci.com/project-id")],
        ],
        family: Family::Ci,
        source: "https://circleci.com/docs/guides/permissions-authentication/openid-connect-tokens/",
        cannot_tell: "the user in sub is who started the job, not the subject",
    },
    Issuer {
        provider: "buildkite",
        name: "Buildkite",
        signs: &[
            &[Iss("https://agent.buildkite.com")],
            &[
                Has("organization_slug"),
                Has("pipeline_slug"),
                Has("build_number"),
            ],
        ],
        family: Family::Ci,
        source: "https://buildkite.com/docs/agent/v3/cli-oidc",
        cannot_tell: "every organization shares one issuer: organization_id/slug tells them apart",
    },
    Issuer {
        provider: "hcp_terraform",
        name: "HCP Terraform",
        signs: &[
            &[Iss("https://app.terraform.io")],
            &[Has("terraform_run_phase")],
        ],
        family: Family::Ci,
        source: "https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/workload-identity-tokens",
        cannot_tell: "Terraform Enterprise issuers are the instance's own URL (named by claims)",
    },
    Issuer {
        provider: "azure_devops",
        name: "Azure DevOps",
        signs: &[
            &[Iss("https://vstoken.dev.azure.com/*")],
            &[
                Iss("https://login.microsoftonline.com/*/v2.0"),
                Sub("/eid1/c/pub/t/*/a/*/sc/*/*"),
            ],
        ],
        family: Family::Ci,
        source: "https://learn.microsoft.com/en-us/azure/devops/pipelines/release/convert-service-connections",
        cannot_tell: "the subject is a service connection, not a pipeline or a run",
    },
    Issuer {
        provider: "bitbucket_pipelines",
        name: "Bitbucket Pipelines",
        signs: &[&[Iss(
            "https://api.bitbucket.org/2.0/workspaces/*/pipelines-config/identity/oidc",
        )]],
        family: Family::Ci,
        source: "https://support.atlassian.com/bitbucket-cloud/docs/integrate-pipelines-with-resource-servers-using-oidc/",
        cannot_tell: "sub holds the step, which changes with every run",
    },
    // Workload identity.
    Issuer {
        provider: "kubernetes",
        name: "Kubernetes",
        signs: &[
            &[Has("kubernetes.io")],
            &[Prefix("kubernetes.io/serviceaccount/")],
            &[Iss("kubernetes/serviceaccount")],
        ],
        family: Family::ServiceAccount,
        source: "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/",
        cannot_tell: "the cluster (EKS, GKE, AKS or self-run) only by its issuer URL",
    },
    Issuer {
        provider: "spiffe",
        name: "SPIFFE",
        signs: &[&[Sub("spiffe://**")]],
        family: Family::ServiceAccount,
        source: "https://github.com/spiffe/spiffe/blob/main/standards/JWT-SVID.md",
        cannot_tell: "which SPIFFE implementation (SPIRE or another) issued it",
    },
    Issuer {
        provider: "aws_sts",
        name: "AWS STS outbound identity federation",
        signs: &[
            &[Iss("https://*.tokens.sts.global.api.aws")],
            &[Has("https://sts.amazonaws.com/")],
        ],
        family: Family::WorkloadId,
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_outbound_token_claims.html",
        cannot_tell: "which compute (EC2, Lambda, ECS) unless the session context claims say",
    },
    // Application session tokens (issued after the application's own sign-in).
    Issuer {
        provider: "firebase",
        name: "Firebase Authentication",
        signs: &[&[Iss("https://securetoken.google.com/*")]],
        family: Family::Session(Kind::Id),
        source: "https://firebase.google.com/docs/auth/admin/verify-id-tokens",
        cannot_tell: "an anonymous user from a signed-in one except by firebase.sign_in_provider",
    },
    Issuer {
        provider: "supabase",
        name: "Supabase Auth",
        signs: &[
            &[Iss("https://*.supabase.co/auth/v1")],
            &[Iss("supabase"), Has("ref"), Has("role")],
            &[Iss("**/auth/v1"), Has("aal"), Has("session_id")],
        ],
        family: Family::Session(Kind::Access),
        source: "https://supabase.com/docs/guides/auth/jwt-fields",
        cannot_tell: "project API keys (anon, service_role) carry no sub: only role tells them apart",
    },
    Issuer {
        provider: "clerk",
        name: "Clerk",
        signs: &[
            &[Iss("https://*.clerk.accounts.dev")],
            &[Iss("https://clerk.*")],
            &[Has("fva"), Has("sid")],
        ],
        family: Family::Session(Kind::Access),
        source: "https://clerk.com/docs/guides/sessions/session-tokens",
        cannot_tell: "azp is the page's origin, not a client: nothing names an OAuth client",
    },
    // OAuth and OpenID Connect servers.
    Issuer {
        provider: "auth0",
        name: "Auth0",
        signs: &[&[Iss("https://*.auth0.com/")], &[Sub("*@clients")]],
        family: Family::Grants,
        source: "https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles",
        cannot_tell: "authorization code from implicit (no gty); custom domains only by claims",
    },
    Issuer {
        provider: "okta",
        name: "Okta",
        signs: &[
            &[Iss("https://*.okta.com")],
            &[Iss("https://*.okta.com/**")],
            &[Iss("https://*.oktapreview.com/**")],
            &[Iss("https://*.okta-emea.com/**")],
            &[Value("jti", "AT.*"), Has("cid")],
            &[Value("jti", "ID.*"), Has("idp")],
            &[Has("cid"), Has("ver")],
        ],
        family: Family::Grants,
        source: "https://developer.okta.com/docs/api/openapi/okta-oauth/guides/overview/",
        cannot_tell: "a user token's grant (code, device, refresh look alike)",
    },
    Issuer {
        provider: "azure_ad_b2c",
        name: "Azure AD B2C",
        signs: &[&[Iss("https://*.b2clogin.com/**")]],
        family: Family::Grants,
        source: "https://learn.microsoft.com/en-us/azure/active-directory-b2c/tokens-overview",
        cannot_tell: "a user token's grant; the policy (tfp/acr) is not a grant",
    },
    Issuer {
        provider: "entra",
        name: "Microsoft Entra ID",
        signs: &[
            &[Iss("https://sts.windows.net/*/")],
            &[Iss("https://login.microsoftonline.com/*/v2.0")],
            &[Iss("https://login.microsoftonline.com/*/")],
            &[Iss("https://*.ciamlogin.com/**")],
            &[Has("tid"), Has("oid"), Has("ver")],
        ],
        family: Family::Grants,
        source: "https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference",
        cannot_tell: "a delegated token's grant (code, on-behalf-of, device look alike)",
    },
    Issuer {
        provider: "pingam",
        name: "PingAM (ForgeRock Access Management)",
        signs: &[&[Iss("https://**/oauth2/realms/**")]],
        family: Family::Grants,
        source: "https://docs.pingidentity.com/pingam/7.2/oauth2-guide/client-auth-jwt.html",
        cannot_tell: "a token's grant: no marker jwtk reads records it",
    },
    Issuer {
        provider: "keycloak",
        name: "Keycloak",
        signs: &[&[Iss("*://**/realms/*")]],
        family: Family::Grants,
        source: "https://www.keycloak.org/docs/latest/server_admin/#_service_accounts",
        cannot_tell: "the grant of tokens from releases before the jti grant codes",
    },
    Issuer {
        provider: "cognito",
        name: "Amazon Cognito",
        signs: &[&[Iss("https://cognito-idp.*.amazonaws.com/*")]],
        family: Family::Grants,
        source: "https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html",
        cannot_tell: "a user token's grant",
    },
    Issuer {
        provider: "google",
        name: "Google",
        signs: &[
            &[Iss("https://accounts.google.com")],
            &[Iss("accounts.google.com")],
            &[Iss("*@*.gserviceaccount.com")],
        ],
        family: Family::Grants,
        source: "https://developers.google.com/identity/protocols/oauth2/service-account",
        cannot_tell: "nothing more: Google access tokens are opaque, so its JWTs are ID tokens and assertions",
    },
    Issuer {
        provider: "pingone",
        name: "PingOne",
        signs: &[
            &[Iss("https://auth.pingone.*/*/as")],
            &[Iss("https://auth.pingone.com.au/*/as")],
        ],
        family: Family::Grants,
        source: "https://developer.pingidentity.com/pingone-api/foundations/authentication-concepts/access-tokens-and-id-tokens/token-claims.html",
        cannot_tell: "a user token's grant",
    },
    Issuer {
        provider: "zitadel",
        name: "ZITADEL",
        signs: &[
            &[Prefix("urn:zitadel:iam:")],
            &[Iss("https://*.zitadel.cloud")],
            &[Iss("https://*.zitadel.ch")],
        ],
        family: Family::MachinesAsUsers,
        source: "https://zitadel.com/docs/apis/openidoauth/claims",
        cannot_tell: "a service user's token from a person's: both are users with a user id",
    },
    Issuer {
        provider: "authentik",
        name: "authentik",
        signs: &[&[Iss("https://**/application/o/*/")]],
        family: Family::MachinesAsUsers,
        source: "https://docs.goauthentik.io/add-secure-apps/providers/oauth2/client_credentials/",
        cannot_tell: "a machine's token from a person's: machines sign in as (service account) users, and aud == azp in both",
    },
    Issuer {
        provider: "ory_hydra",
        name: "Ory Hydra",
        signs: &[
            &[Iss("https://*.projects.oryapis.com")],
            &[Has("client_id"), Has("scp"), Has("ext")],
        ],
        family: Family::Grants,
        source: "https://www.ory.sh/docs/oauth2-oidc/jwt-access-token",
        cannot_tell: "a user token's grant",
    },
    Issuer {
        provider: "fusionauth",
        name: "FusionAuth",
        signs: &[&[Has("applicationId"), Has("authenticationType")]],
        family: Family::Grants,
        source: "https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/tokens",
        cannot_tell: "its issuer is configurable (default acme.com): client-credentials tokens carry no unique claim",
    },
    Issuer {
        provider: "kinde",
        name: "Kinde",
        signs: &[&[Iss("https://*.kinde.com")]],
        family: Family::Grants,
        source: "https://docs.kinde.com/machine-to-machine-applications/about-m2m/token-structure-and-claims-for-m2m-applications/",
        cannot_tell: "custom-domain issuers only by gty, which others share",
    },
];
