//! The issuer families jwtk knows: one row each, with the issuer patterns and the claims
//! only that family writes, what kind of tokens it issues, the markers its documentation
//! gives, the public document each fact comes from, and what its tokens cannot tell apart.
//! Adding an issuer is adding a row (and a fixture in `tests/fixtures/classify/cases.json`).
//!
//! A row names its provider only from what is unique to it: an issuer host the family owns
//! (never a host of someone else's domain that merely contains its name), a URL shape of its
//! self-hosted software, or a claim no other issuer writes. Claims several issuers share
//! (`gty`, `tid`, `scp`) never name one. Rows are tried in order and the first match wins, so
//! narrower rows come before broader ones (PingAM's `…/oauth2/realms/…` before Keycloak's
//! `…/realms/…`).

use super::facts::Facts;
use super::labels::{Flow, Kind, SubjectKind};
use super::signs::{Category, Cond, Family, Issuer, Mark};

/// Whether the token carries one of the row's signs; the evidence says which.
pub fn matched(issuer: &Issuer, f: &Facts) -> Option<String> {
    let sign = issuer.signs.iter().find(|sign| f.all(sign))?;
    let name = issuer.name;
    Some(match sign.first() {
        Some(Cond::Iss(p)) => format!("iss matches {name}'s issuer {p}"),
        Some(Cond::Sub(p)) => format!("sub matches {name}'s subject form {p}"),
        Some(Cond::Aud(p)) => format!("aud {p} is {name}"),
        Some(Cond::Value(n, p)) => format!("{n} matches {name}'s form {p}"),
        Some(Cond::Has(n)) => format!("claim {n} is written only by {name}"),
        Some(Cond::Prefix(p)) => format!("claims {p}… are written only by {name}"),
        Some(Cond::Header(n, p)) => format!("header {n} matches {name}'s form {p}"),
        Some(Cond::Lacks(_) | Cond::Same(..)) | None => name.to_string(),
    })
}

/// The first issuer family the token matches, with the evidence.
pub fn identify(f: &Facts) -> Option<(&'static Issuer, String)> {
    ISSUERS
        .iter()
        .find_map(|issuer| Some((issuer, matched(issuer, f)?)))
}

/// Every issuer family, in matching order.
pub fn all() -> &'static [Issuer] {
    ISSUERS
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

use Category::{AppAuth, Ci, IdentityProvider, Workload};
use Cond::{Has, Iss, Lacks, Prefix, Same, Sub, Value};
use Family::{Grants, MachinesAsUsers, ServiceAccount, Session, WorkloadId};
use Flow::{AuthorizationCode, ClientCredentials, NotApplicable};
use SubjectKind::{Client, User};

const ISSUERS: &[Issuer] = &[
    // CI systems: a job's OIDC identity token.
    Issuer::new("github_actions", "GitHub Actions", Ci, Family::Ci)
        .signs(&[
            &[Iss("https://token.actions.githubusercontent.com")],
            &[Iss("https://token.actions.githubusercontent.com/*")],
            &[Iss("https://*/_services/token"), Has("repository")],
        ])
        .source("https://docs.github.com/en/actions/reference/security/oidc")
        .cannot_tell("who triggered the run (actor) is not the subject"),
    Issuer::new("gitlab_ci", "GitLab CI", Ci, Family::Ci)
        .signs(&[
            &[Sub("project_path:**"), Has("pipeline_id")],
            &[Sub("project_path:**"), Has("ci_config_ref_uri")],
            &[Sub("project_path:**"), Has("project_id")],
        ])
        .source("https://docs.gitlab.com/ci/secrets/id_token_authentication/")
        .cannot_tell("user_* claims name who triggered the pipeline, not the subject"),
    Issuer::new("circleci", "CircleCI", Ci, Family::Ci)
        .signs(&[
            &[Iss("https://oidc.circleci.com/org/*")],
            &[Has("oidc.circleci.com/project-id")],
        ])
        .source("https://circleci.com/docs/guides/permissions-authentication/openid-connect-tokens/")
        .cannot_tell("the user in sub is who started the job, not the subject"),
    Issuer::new("buildkite", "Buildkite", Ci, Family::Ci)
        .signs(&[
            &[Iss("https://agent.buildkite.com")],
            &[Has("organization_slug"), Has("pipeline_slug"), Has("build_number")],
        ])
        .source("https://buildkite.com/docs/agent/v3/cli-oidc")
        .cannot_tell("every organization shares one issuer: organization_id/slug tells them apart"),
    Issuer::new("hcp_terraform", "HCP Terraform", Ci, Family::Ci)
        .signs(&[&[Iss("https://app.terraform.io")], &[Has("terraform_run_phase")]])
        .source("https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/workload-identity-tokens")
        .cannot_tell("Terraform Enterprise issuers are the instance's own URL (named by claims)"),
    Issuer::new("azure_devops", "Azure DevOps", Ci, Family::Ci)
        .signs(&[
            &[Iss("https://vstoken.dev.azure.com/*")],
            &[
                Iss("https://login.microsoftonline.com/*/v2.0"),
                Sub("/eid1/c/pub/t/*/a/*/sc/*/*"),
            ],
        ])
        .source("https://learn.microsoft.com/en-us/azure/devops/pipelines/release/convert-service-connections")
        .cannot_tell("the subject is a service connection, not a pipeline or a run"),
    Issuer::new("bitbucket_pipelines", "Bitbucket Pipelines", Ci, Family::Ci)
        .signs(&[&[Iss(
            "https://api.bitbucket.org/2.0/workspaces/*/pipelines-config/identity/oidc",
        )]])
        .source("https://support.atlassian.com/bitbucket-cloud/docs/integrate-pipelines-with-resource-servers-using-oidc/")
        .cannot_tell("sub holds the step, which changes with every run"),
    // Workload identity.
    Issuer::new("kubernetes", "Kubernetes", Workload, ServiceAccount)
        .signs(&[
            &[Has("kubernetes.io")],
            &[Prefix("kubernetes.io/serviceaccount/")],
            &[Iss("kubernetes/serviceaccount")],
        ])
        .source("https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/")
        .cannot_tell("the cluster (EKS, GKE, AKS or self-run) only by its issuer URL"),
    Issuer::new("spiffe", "SPIFFE", Workload, ServiceAccount)
        .signs(&[&[Sub("spiffe://**")]])
        .source("https://github.com/spiffe/spiffe/blob/main/standards/JWT-SVID.md")
        .cannot_tell("which SPIFFE implementation (SPIRE or another) issued it"),
    Issuer::new("aws_sts", "AWS STS outbound identity federation", Workload, WorkloadId)
        .signs(&[
            &[Iss("https://*.tokens.sts.global.api.aws")],
            &[Has("https://sts.amazonaws.com/")],
        ])
        .source("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_outbound_token_claims.html")
        .cannot_tell("which compute (EC2, Lambda, ECS) unless the session context claims say"),
    // Application session tokens (issued after the application's own sign-in).
    Issuer::new("firebase", "Firebase Authentication", AppAuth, Session(Kind::Id))
        .signs(&[&[Iss("https://securetoken.google.com/*")]])
        .source("https://firebase.google.com/docs/auth/admin/verify-id-tokens")
        .cannot_tell("an anonymous user from a signed-in one except by firebase.sign_in_provider"),
    Issuer::new("supabase", "Supabase Auth", AppAuth, Session(Kind::Access))
        .signs(&[
            &[Iss("https://*.supabase.co/auth/v1")],
            &[Iss("supabase"), Has("ref"), Has("role")],
            &[Iss("https://**/auth/v1"), Has("aal"), Has("session_id")],
        ])
        .source("https://supabase.com/docs/guides/auth/jwt-fields")
        .cannot_tell("project API keys (anon, service_role) carry no sub: only role tells them apart"),
    Issuer::new("clerk", "Clerk", AppAuth, Session(Kind::Access))
        .signs(&[&[Iss("https://*.clerk.accounts.dev")], &[Has("fva"), Has("sid")]])
        .source("https://clerk.com/docs/guides/sessions/session-tokens")
        .cannot_tell("azp is the page's origin, not a client: nothing names an OAuth client; production issuers (clerk.<your domain>) only by the fva claim"),
    // OAuth and OpenID Connect servers.
    Issuer::new("auth0", "Auth0", IdentityProvider, Grants)
        .signs(&[&[Iss("https://*.auth0.com/")], &[Sub("*@clients")]])
        .machine(&[&[Sub("*@clients")]])
        .source("https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles")
        .cannot_tell("authorization code from implicit (no gty); custom domains only by claims"),
    Issuer::new("okta", "Okta", IdentityProvider, Grants)
        .signs(&[
            &[Iss("https://*.okta.com")],
            &[Iss("https://*.okta.com/**")],
            &[Iss("https://*.oktapreview.com/**")],
            &[Iss("https://*.okta-emea.com/**")],
            &[Value("jti", "AT.*"), Has("cid")],
            &[Value("jti", "ID.*"), Has("idp")],
            &[Has("cid"), Has("ver")],
        ])
        .marks(&[
            Mark::kind(Kind::Access, &[Value("jti", "AT.*")], "Okta jti prefix AT."),
            Mark::kind(Kind::Id, &[Value("jti", "ID.*")], "Okta jti prefix ID."),
            Mark::kind(Kind::Access, &[Has("cid")], "Okta cid: Okta access tokens name their client so"),
            Mark::grant(AuthorizationCode, User, &[Has("cid"), Has("uid")],
                "Okta uid: a user token; the grant is not recorded").medium(),
            Mark::grant(ClientCredentials, Client, &[Same("cid", "sub")],
                "Okta cid == sub and no uid: a client credentials token"),
        ])
        .source("https://developer.okta.com/docs/api/openapi/okta-oauth/guides/overview/")
        .cannot_tell("a user token's grant (code, device, refresh look alike)"),
    Issuer::new("azure_ad_b2c", "Azure AD B2C", IdentityProvider, Grants)
        .signs(&[&[Iss("https://*.b2clogin.com/**")]])
        .source("https://learn.microsoft.com/en-us/azure/active-directory-b2c/tokens-overview")
        .cannot_tell("a user token's grant; the policy (tfp/acr) is not a grant"),
    Issuer::new("entra", "Microsoft Entra ID", IdentityProvider, Grants)
        .signs(&[
            &[Iss("https://sts.windows.net/*/")],
            &[Iss("https://login.microsoftonline.com/*/v2.0")],
            &[Iss("https://login.microsoftonline.com/*/")],
            &[Iss("https://*.ciamlogin.com/**")],
            &[Has("tid"), Has("oid"), Has("ver")],
        ])
        .marks(&[
            Mark::kind(Kind::Access, &[Has("idtyp"), Lacks("nonce")], "Entra idtyp: an access token claim"),
            Mark::kind(Kind::Access, &[Has("scp"), Lacks("nonce")], "Entra scp: an access token claim"),
            Mark::kind(Kind::Access, &[Has("roles"), Lacks("nonce")], "Entra roles: an access token claim"),
            Mark::grant(ClientCredentials, SubjectKind::Workload, &[Value("idtyp", "app"), Has("xms_mirid")],
                "Entra idtyp app: an app-only token of a managed identity (xms_mirid)"),
            Mark::grant(ClientCredentials, Client, &[Value("idtyp", "app")], "Entra idtyp app: an app-only token"),
            Mark::grant(AuthorizationCode, User, &[Has("scp")],
                "Entra scp: a delegated (user) token; the grant is not recorded").medium(),
            Mark::grant(ClientCredentials, SubjectKind::Workload,
                &[Has("roles"), Same("oid", "sub"), Has("xms_mirid")],
                "Entra roles without scp and oid == sub: an app-only token of a managed identity").medium(),
            Mark::grant(ClientCredentials, Client, &[Has("roles"), Same("oid", "sub")],
                "Entra roles without scp and oid == sub: an app-only token").medium(),
        ])
        .source("https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference")
        .cannot_tell("a delegated token's grant (code, on-behalf-of, device look alike)"),
    Issuer::new("pingam", "PingAM (ForgeRock Access Management)", IdentityProvider, Grants)
        .signs(&[&[Iss("https://**/oauth2/realms/**")]])
        .source("https://docs.pingidentity.com/pingam/7.2/oauth2-guide/client-auth-jwt.html")
        .cannot_tell("a token's grant: no marker jwtk reads records it"),
    Issuer::new("keycloak", "Keycloak", IdentityProvider, Grants)
        .signs(&[&[Iss("*://**/realms/*")]])
        .marks(&[
            Mark::kind(Kind::Access, &[Value("typ", "Bearer")], "Keycloak typ claim \"Bearer\""),
            Mark::kind(Kind::Access, &[Value("typ", "DPoP")], "Keycloak typ claim \"DPoP\""),
            Mark::kind(Kind::Id, &[Value("typ", "ID")], "Keycloak typ claim \"ID\""),
            Mark::kind(Kind::Refresh, &[Value("typ", "Refresh")], "Keycloak typ claim \"Refresh\""),
            Mark::kind(Kind::Refresh, &[Value("typ", "Offline")], "Keycloak typ claim \"Offline\""),
            Mark::kind(Kind::Logout, &[Value("typ", "Logout")], "Keycloak typ claim \"Logout\""),
            Mark::grant(ClientCredentials, Client, &[Value("preferred_username", "service-account-*")],
                "preferred_username service-account-…: a Keycloak service account"),
        ])
        .machine(&[&[Value("preferred_username", "service-account-*")]])
        .jti_grant(keycloak_grant)
        .source("https://www.keycloak.org/docs/latest/server_admin/#_service_accounts")
        .cannot_tell("the grant of tokens from releases before the jti grant codes"),
    Issuer::new("cognito", "Amazon Cognito", IdentityProvider, Grants)
        .signs(&[&[Iss("https://cognito-idp.*.amazonaws.com/*")]])
        .marks(&[
            Mark::kind(Kind::Access, &[Value("token_use", "access")], "Cognito token_use \"access\""),
            Mark::kind(Kind::Id, &[Value("token_use", "id")], "Cognito token_use \"id\""),
            Mark::grant(AuthorizationCode, User, &[Has("username")],
                "Cognito username: a user token; the grant is not recorded").medium(),
            Mark::grant(AuthorizationCode, User, &[Has("cognito:username")],
                "Cognito username: a user token; the grant is not recorded").medium(),
            Mark::grant(ClientCredentials, Client, &[Value("token_use", "access"), Same("sub", "client_id")],
                "Cognito access token with sub == client_id and no username"),
        ])
        .source("https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html")
        .cannot_tell("a user token's grant"),
    Issuer::new("google", "Google", IdentityProvider, Grants)
        .signs(&[
            &[Iss("https://accounts.google.com")],
            &[Iss("https://accounts.google.com/")],
            &[Iss("accounts.google.com")],
            &[Iss("*@*.gserviceaccount.com")],
        ])
        .marks(&[
            Mark::kind(Kind::Id, &[Iss("https://accounts.google.com")],
                "iss is Google, whose JWTs are ID tokens (its access tokens are opaque)"),
            Mark::kind(Kind::Id, &[Iss("accounts.google.com")],
                "iss is Google, whose JWTs are ID tokens (its access tokens are opaque)"),
            Mark::grant(NotApplicable, SubjectKind::Workload, &[Value("email", "*@*.gserviceaccount.com")],
                "email …gserviceaccount.com: a Google service-account identity token"),
        ])
        .source("https://developers.google.com/identity/protocols/oauth2/service-account")
        .cannot_tell("nothing more: Google access tokens are opaque, so its JWTs are ID tokens and assertions"),
    Issuer::new("pingone", "PingOne", IdentityProvider, Grants)
        .signs(&[
            &[Iss("https://auth.pingone.*/*/as")],
            &[Iss("https://auth.pingone.com.au/*/as")],
        ])
        .source("https://developer.pingidentity.com/pingone-api/foundations/authentication-concepts/access-tokens-and-id-tokens/token-claims.html")
        .cannot_tell("a user token's grant"),
    Issuer::new("zitadel", "ZITADEL", IdentityProvider, MachinesAsUsers)
        .signs(&[
            &[Prefix("urn:zitadel:iam:")],
            &[Iss("https://*.zitadel.cloud")],
            &[Iss("https://*.zitadel.ch")],
        ])
        .source("https://zitadel.com/docs/apis/openidoauth/claims")
        .cannot_tell("a service user's token from a person's: both are users with a user id"),
    Issuer::new("authentik", "authentik", IdentityProvider, MachinesAsUsers)
        .signs(&[&[Iss("https://**/application/o/*/")]])
        .source("https://docs.goauthentik.io/add-secure-apps/providers/oauth2/client_credentials/")
        .cannot_tell("a machine's token from a person's: machines sign in as (service account) users, and aud == azp in both"),
    Issuer::new("ory_hydra", "Ory Hydra", IdentityProvider, Grants)
        .signs(&[
            &[Iss("https://*.projects.oryapis.com")],
            &[Has("client_id"), Has("scp"), Has("ext")],
        ])
        .source("https://www.ory.sh/docs/oauth2-oidc/jwt-access-token")
        .cannot_tell("a user token's grant"),
    Issuer::new("fusionauth", "FusionAuth", IdentityProvider, Grants)
        .signs(&[&[Has("applicationId"), Has("authenticationType")]])
        .source("https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/tokens")
        .cannot_tell("its issuer is configurable (default acme.com): client-credentials tokens carry no unique claim"),
    Issuer::new("kinde", "Kinde", AppAuth, Grants)
        .signs(&[&[Iss("https://*.kinde.com")]])
        .source("https://docs.kinde.com/machine-to-machine-applications/about-m2m/token-structure-and-claims-for-m2m-applications/")
        .cannot_tell("custom-domain issuers only by gty, which others share"),
];
