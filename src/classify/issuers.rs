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

use Category::{AccessProxy, AppAuth, Ci, IdentityProvider, PlatformApi, Workload};
use Cond::{Aud, Has, Header, Iss, Lacks, Prefix, Same, Sub, Value};
use Family::{
    Assertions, ClientMade, Grants, MachinesAsUsers, ServiceAccount, Session, WorkloadId,
};
use Flow::{AuthorizationCode, ClientCredentials, JwtBearer, NotApplicable};
use SubjectKind::{Client, User};

/// The audience of Firebase custom tokens (an app server's assertion for one of its users).
const FIREBASE_CUSTOM_TOKEN: &str =
    "https://identitytoolkit.googleapis.com/google.identity.identitytoolkit.v1.IdentityToolkit";

const ISSUERS: &[Issuer] = &[
    // CI systems: a job's OIDC identity token.
    Issuer::new("github_actions", "GitHub Actions", Ci, Family::Ci)
        .signs(&[
            &[Iss("https://token.actions.githubusercontent.com")],
            &[Iss("https://token.actions.githubusercontent.com/*")],
            &[Iss("https://**/_services/token"), Has("repository")],
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
        .signs(&[
            &[Iss("https://securetoken.google.com/*")],
            &[Aud(FIREBASE_CUSTOM_TOKEN)],
        ])
        .marks(&[Mark::grant(JwtBearer, User, &[Aud(FIREBASE_CUSTOM_TOKEN)],
            "a Firebase custom token: the app's service account asserts for the user in uid")
            .and_kind(Kind::ClientAssertion)
            .subject_from(&["uid"])])
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
        .signs(&[&[Iss("https://**.auth0.com/")], &[Sub("*@clients")]])
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
        .signs(&[
            &[Iss("https://**/oauth2/realms/**")],
            &[Iss("https://**/**/oauth2/realms/**")],
            &[Iss("https://*.forgeblocks.com/**")],
            &[Has("tokenName"), Has("auditTrackingId")],
        ])
        .marks(&[
            Mark::kind(Kind::Access, &[Value("tokenName", "access_token")], "PingAM tokenName access_token"),
            Mark::kind(Kind::Id, &[Value("tokenName", "id_token")], "PingAM tokenName id_token"),
        ])
        .source("https://docs.pingidentity.com/pingam/7.2/oauth2-guide/client-auth-jwt.html")
        .cannot_tell("the grant of a token without grant_type (client-based tokens carry it, server-side ones do not)"),
    Issuer::new("keycloak", "Keycloak", IdentityProvider, Grants)
        .signs(&[&[Iss("*://**/realms/*")], &[Iss("*://**/**/realms/*")]])
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
        .signs(&[
            &[Iss("https://cognito-idp.*.amazonaws.com/*")],
            &[Iss("https://cognito-identity.amazonaws.com")],
        ])
        .marks(&[
            Mark::grant(NotApplicable, User, &[Iss("https://cognito-identity.amazonaws.com")],
                "an identity pool's OpenID token for an identity: no OAuth grant")
                .and_kind(Kind::Id),
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
        .cannot_tell("a user token's grant; an identity pool's token (cognito-identity.amazonaws.com) names an identity, not how it signed in"),
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
            &[Iss("https://auth.pingone.com/*/as")],
            &[Iss("https://auth.pingone.eu/*/as")],
            &[Iss("https://auth.pingone.asia/*/as")],
            &[Iss("https://auth.pingone.ca/*/as")],
            &[Iss("https://auth.pingone.com.au/*/as")],
            &[Iss("https://auth.pingone.sg/*/as")],
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
    // More CI and deployment systems.
    Issuer::new("spacelift", "Spacelift", Ci, Family::Ci)
        .signs(&[
            &[Iss("https://*.app.spacelift.io")],
            &[Has("spaceId"), Has("callerType"), Has("runType")],
        ])
        .source("https://docs.spacelift.io/integrations/cloud-providers/oidc")
        .cannot_tell("its scope claim is the run's read or write access, not an OAuth scope"),
    Issuer::new("semaphore", "Semaphore", Ci, Family::Ci)
        .signs(&[&[Iss("https://*.semaphoreci.com")]])
        .source("https://docs.semaphoreci.com/reference/openid")
        .cannot_tell("who triggered the workflow is not the subject"),
    Issuer::new("codefresh", "Codefresh", Ci, Family::Ci)
        .signs(&[&[Iss("https://oidc.codefresh.io")]])
        .source("https://codefresh.io/docs/docs/integrations/oidc-pipelines/")
        .cannot_tell("scm_user_name is who pushed, not the subject"),
    Issuer::new("env0", "env zero", Ci, Family::Ci)
        .signs(&[&[Iss("https://login.app.env0.com/")]])
        .source("https://docs.envzero.com/guides/integrations/oidc-integrations")
        .cannot_tell("its tokens come from an Auth0 tenant and keep Auth0's gty and azp, which name no grant of the deployment"),
    Issuer::new("harness", "Harness", Ci, Family::Ci)
        .signs(&[&[Iss("https://app.harness.io/ng/api/oidc/account/*")]])
        .source("https://apidocs.harness.io/tag/Oidc-ID-Token")
        .cannot_tell("which stage or step ran, except by the stage_type and step_type claims"),
    Issuer::new("pulumi", "Pulumi Cloud", Ci, Family::Ci)
        .signs(&[&[Iss("https://api.pulumi.com/oidc")]])
        .source("https://www.pulumi.com/docs/pulumi-cloud/deployments/oidc/")
        .cannot_tell("the organization is the audience, not the subject"),
    Issuer::new("vercel", "Vercel", Ci, Family::Ci)
        .signs(&[&[Iss("https://oidc.vercel.com")], &[Iss("https://oidc.vercel.com/*")]])
        .source("https://vercel.com/docs/oidc/reference")
        .cannot_tell("a build's token from a running function's: both name the project and environment"),
    Issuer::new("ansible_automation_platform", "Ansible Automation Platform", Ci, Family::Ci)
        .signs(&[&[Prefix("aap_controller_")], &[Sub("workload_type:aap_controller_**")]])
        .source("https://docs.redhat.com/en/documentation/red_hat_ansible_automation_platform/2.7/whats_new-claims_for_workload_identity")
        .cannot_tell("its issuer is each installation's own URL: only the aap_controller_* claims name it"),
    // More workload identities.
    Issuer::new("nomad", "HashiCorp Nomad", Workload, ServiceAccount)
        .signs(&[&[Has("nomad_job_id"), Has("nomad_namespace")], &[Has("nomad_allocation_id")]])
        .source("https://developer.hashicorp.com/nomad/docs/concepts/workload-identity")
        .cannot_tell("the cluster: its issuer is the cluster's own URL"),
    Issuer::new("fly", "Fly.io", Workload, WorkloadId)
        .signs(&[&[Iss("https://oidc.fly.io/*")]])
        .source("https://fly.io/docs/reference/openid-connect/")
        .cannot_tell("one Machine from its replacement: sub names the Machine, app_name the app"),
    // Zero-trust access proxies: an assertion of the signed-in user for the application behind.
    Issuer::new("cloudflare_access", "Cloudflare Access", AccessProxy, Session(Kind::Access))
        .signs(&[&[Iss("https://*.cloudflareaccess.com")]])
        .marks(&[Mark::grant(NotApplicable, Client, &[Has("common_name")],
            "a Cloudflare Access service token: common_name names the service token, sub is empty")
            .subject_from(&["common_name"])])
        .source("https://developers.cloudflare.com/cloudflare-one/access-controls/applications/http-apps/authorization-cookie/application-token/")
        .cannot_tell("the identity provider the user signed in with"),
    Issuer::new("google_iap", "Google Cloud Identity-Aware Proxy", AccessProxy, Session(Kind::Access))
        .signs(&[&[Iss("https://cloud.google.com/iap")]])
        .source("https://cloud.google.com/iap/docs/signed-headers-howto")
        .cannot_tell("a service account's request from a person's, except by the email's domain"),
    Issuer::new("aws_alb", "AWS Application Load Balancer", AccessProxy, Session(Kind::Access))
        .signs(&[&[Header("signer", "arn:aws:elasticloadbalancing:**")]])
        .source("https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html")
        .cannot_tell("the identity provider's own token: the claims are its user info, re-signed by the load balancer"),
    Issuer::new("aws_verified_access", "AWS Verified Access", AccessProxy, Session(Kind::Access))
        .signs(&[&[Header("signer", "arn:aws:ec2:*:verified-access-instance/*")]])
        .source("https://docs.aws.amazon.com/verified-access/latest/ug/user-claims-passing.html")
        .cannot_tell("which trust provider vouched for the user; device claims are not in the token"),
    Issuer::new("teleport", "Teleport application access", AccessProxy, Session(Kind::Access))
        .signs(&[&[Has("traits"), Has("roles"), Has("username")]])
        .source("https://goteleport.com/docs/enroll-resources/application-access/jwt/introduction/")
        .cannot_tell("its issuer is the cluster's name: only the traits claim names Teleport"),
    // Auth services for apps.
    Issuer::new("stytch", "Stytch", AppAuth, Session(Kind::Access))
        .signs(&[&[Iss("stytch.com/*")], &[Has("https://stytch.com/session")]])
        .marks(&[
            Mark::grant(ClientCredentials, Client, &[Sub("m2m-client-*")],
                "Stytch names M2M clients m2m-client-…: a client credentials token"),
            Mark::grant(AuthorizationCode, User, &[Has("scope"), Lacks("https://stytch.com/session")],
                "a Stytch Connected Apps access token: a user's OAuth grant, not recorded").medium(),
        ])
        .machine(&[&[Sub("m2m-client-*")]])
        .source("https://stytch.com/docs/api/get-m2m-token")
        .cannot_tell("custom-domain issuers, except by the https://stytch.com/session claim"),
    Issuer::new("descope", "Descope", AppAuth, Session(Kind::Access))
        .signs(&[&[Value("drn", "DS*")]])
        .marks(&[Mark::kind(Kind::Refresh, &[Value("drn", "DSR")],
            "drn DSR: Descope's refresh token (DS is the session token)")])
        .source("https://docs.descope.com/session-overview")
        .cannot_tell("the sign-in method beyond amr"),
    Issuer::new("supertokens", "SuperTokens", AppAuth, Session(Kind::Access))
        .signs(&[&[Has("sessionHandle"), Has("refreshTokenHash1")]])
        .marks(&[Mark::grant(NotApplicable, User, &[Has("userId"), Lacks("sub")],
            "a SuperTokens session (older access tokens name the user in userId)")
            .subject_from(&["userId"])])
        .source("https://github.com/supertokens/supertokens-core/blob/master/src/main/java/io/supertokens/session/accessToken/AccessToken.java")
        .cannot_tell("its access tokens carry no issuer unless the app adds one"),
    Issuer::new("workos", "WorkOS", AppAuth, Grants)
        .signs(&[
            &[Iss("https://api.workos.com/user_management/*")],
            &[Iss("https://*.authkit.app")],
        ])
        .marks(&[Mark::grant(AuthorizationCode, User, &[Has("sid"), Lacks("client_id")],
            "a WorkOS AuthKit session: the app exchanged an authorization code for it").medium()])
        .source("https://workos.com/docs/authkit/connect/token-claims")
        .cannot_tell("an organization's role from the user's own: role is per organization"),
    Issuer::new("frontegg", "Frontegg", AppAuth, Session(Kind::Access))
        .signs(&[&[Iss("https://*.frontegg.com")], &[Has("tenantId"), Has("tenantIds"), Has("type")]])
        .marks(&[
            Mark::grant(ClientCredentials, Client, &[Value("type", "tenantApiToken")],
                "Frontegg type tenantApiToken: an account's API token (client credentials)"),
            Mark::grant(ClientCredentials, Client, &[Value("type", "vendor")],
                "Frontegg type vendor: the vendor's own client credentials token"),
            Mark::grant(NotApplicable, User, &[Value("type", "userApiToken")],
                "Frontegg type userApiToken: a user's personal API token"),
        ])
        .source("https://docs.frontegg.com/docs/frontegg-token-types")
        .cannot_tell("hosted (OAuth) from embedded sign-in: both give a userToken"),
    Issuer::new("privy", "Privy", AppAuth, Session(Kind::Access))
        .signs(&[&[Iss("privy.io")]])
        .source("https://docs.privy.io/authentication/user-authentication/access-tokens")
        .cannot_tell("which wallet or login method the user used"),
    Issuer::new("propelauth", "PropelAuth", AppAuth, Session(Kind::Access))
        .signs(&[&[Has("org_id_to_org_member_info")]])
        .source("https://docs.propelauth.com/reference/backend-apis/python")
        .cannot_tell("its issuer is the project's auth URL (often a custom domain)"),
    // Identity providers.
    Issuer::new("curity", "Curity Identity Server", IdentityProvider, Grants)
        .signs(&[
            &[Has("delegationId"), Has("purpose")],
            &[Iss("https://**/oauth/v2/oauth-anonymous")],
            &[Iss("https://**/**/oauth/v2/oauth-anonymous")],
        ])
        .marks(&[
            Mark::kind(Kind::Access, &[Value("purpose", "access_token")], "Curity purpose access_token"),
            Mark::kind(Kind::Id, &[Value("purpose", "id")], "Curity purpose id"),
            Mark::kind(Kind::Refresh, &[Value("purpose", "refresh_token")], "Curity purpose refresh_token"),
            Mark::grant(ClientCredentials, Client, &[Lacks("client_id"), Same("sub", "aud")],
                "Curity names the client in aud by default; sub == aud: the client acts for itself").medium(),
            Mark::grant(AuthorizationCode, User, &[Lacks("client_id"), Value("aud", "*")],
                "Curity names the client in aud by default; sub differs: sub names the user").medium(),
        ])
        .source("https://curity.io/docs/identity-server/profiles/token-profile/scopes-and-claims/claims-mappers")
        .cannot_tell("a user token's grant; a custom audience hides the client"),
    Issuer::new("oracle_idcs", "Oracle Identity Cloud Service / OCI IAM identity domains", IdentityProvider, Grants)
        .signs(&[&[Iss("https://identity.oraclecloud.com/")], &[Has("sub_type"), Has("tok_type")]])
        .marks(&[
            Mark::kind(Kind::Access, &[Value("tok_type", "AT")], "Oracle tok_type AT: an access token"),
            Mark::grant(ClientCredentials, Client, &[Value("sub_type", "client")],
                "Oracle sub_type client: the client is the subject"),
            Mark::grant(AuthorizationCode, User, &[Value("sub_type", "user")],
                "Oracle sub_type user: a user token; the grant is not recorded").medium(),
        ])
        .source("https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/AccessToken.htm")
        .cannot_tell("a user token's grant"),
    Issuer::new("cloud_foundry_uaa", "Cloud Foundry UAA", IdentityProvider, Grants)
        .signs(&[&[Has("zid"), Has("cid")], &[Has("rev_sig"), Has("cid")]])
        .source("https://github.com/cloudfoundry/uaa/blob/develop/docs/UAA-Tokens.md")
        .cannot_tell("its issuer is the deployment's own URL: only zid, cid and rev_sig name it"),
    Issuer::new("asgardeo", "Asgardeo (WSO2)", IdentityProvider, Grants)
        .signs(&[&[Iss("https://api.asgardeo.io/t/*/oauth2/token")]])
        .source("https://wso2.com/asgardeo/docs/references/tokens/access-tokens/")
        .cannot_tell("a user token's grant; self-hosted WSO2 Identity Server issuers are the server's own URL"),
    Issuer::new("onelogin", "OneLogin", IdentityProvider, Grants)
        .signs(&[&[Iss("https://*.onelogin.com/oidc/2")]])
        .source("https://developers.onelogin.com/openid-connect")
        .cannot_tell("a user token's grant"),
    Issuer::new("logto", "Logto", AppAuth, Grants)
        .signs(&[&[Iss("https://*.logto.app/oidc")]])
        .source("https://docs.logto.io/authorization/validate-access-tokens")
        .cannot_tell("self-hosted issuers (the instance's own /oidc URL)"),
    Issuer::new("apple", "Apple", PlatformApi, Grants)
        .signs(&[
            &[Iss("https://appleid.apple.com")],
            &[Aud("https://appleid.apple.com")],
            &[Aud("appstoreconnect-v1")],
        ])
        .marks(&[
            Mark::grant(NotApplicable, Client, &[Aud("https://appleid.apple.com")],
                "aud appleid.apple.com: a Sign in with Apple client secret (iss the team, sub the client)")
                .and_kind(Kind::ClientAssertion),
            Mark::grant(NotApplicable, Client, &[Aud("appstoreconnect-v1")],
                "aud appstoreconnect-v1: an App Store Connect API token the key's holder signed")
                .and_kind(Kind::Access)
                .subject_from(&["iss"]),
            Mark::kind(Kind::Id, &[Iss("https://appleid.apple.com")],
                "iss appleid.apple.com: a Sign in with Apple ID token"),
        ])
        .source("https://developer.apple.com/documentation/signinwithapple/authenticating-users-with-sign-in-with-apple")
        .cannot_tell("a private relay email from a real one, except by is_private_email"),
    Issuer::new("line", "LINE Login", IdentityProvider, Grants)
        .signs(&[&[Iss("https://access.line.me")]])
        .source("https://developers.line.biz/en/docs/line-login/verify-id-token/")
        .cannot_tell("a user token's grant"),
    Issuer::new("slack", "Slack", IdentityProvider, Grants)
        .signs(&[&[Iss("https://slack.com")], &[Has("https://slack.com/team_id")]])
        .source("https://api.slack.com/authentication/sign-in-with-slack")
        .cannot_tell("nothing more: Slack's access tokens are opaque, its JWTs are ID tokens"),
    Issuer::new("twitch", "Twitch", IdentityProvider, Grants)
        .signs(&[&[Iss("https://id.twitch.tv/oauth2")]])
        .source("https://dev.twitch.tv/docs/authentication/getting-tokens-oidc/")
        .cannot_tell("nothing more: Twitch's access tokens are opaque, its JWTs are ID tokens"),
    Issuer::new("linkedin", "LinkedIn", IdentityProvider, Grants)
        .signs(&[&[Iss("https://www.linkedin.com/oauth")]])
        .source("https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2")
        .cannot_tell("nothing more: LinkedIn's access tokens are opaque, its JWTs are ID tokens"),
    Issuer::new("yahoo", "Yahoo", IdentityProvider, Grants)
        .signs(&[&[Iss("https://api.login.yahoo.com")]])
        .source("https://developer.yahoo.com/oauth2/guide/openid_connect/decode_id_token.html")
        .cannot_tell("a user token's grant"),
    Issuer::new("salesforce", "Salesforce", IdentityProvider, Grants)
        .signs(&[
            &[Iss("https://login.salesforce.com")],
            &[Iss("https://test.salesforce.com")],
            &[Aud("https://login.salesforce.com")],
            &[Aud("https://test.salesforce.com")],
            &[Aud("https://**.my.salesforce.com")],
        ])
        .marks(&[
            Mark::kind(Kind::ClientAssertion, &[Aud("https://login.salesforce.com")],
                "aud login.salesforce.com: a JWT bearer assertion for Salesforce"),
            Mark::kind(Kind::ClientAssertion, &[Aud("https://test.salesforce.com")],
                "aud test.salesforce.com: a JWT bearer assertion for a Salesforce sandbox"),
            Mark::kind(Kind::ClientAssertion, &[Aud("https://**.my.salesforce.com")],
                "aud …my.salesforce.com: a JWT bearer assertion for a Salesforce My Domain"),
        ])
        .source("https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm")
        .cannot_tell("a user token's grant; My Domain issuers only by the audience of assertions"),
    // App stores and platform APIs.
    Issuer::new("docusign", "DocuSign", PlatformApi, Assertions)
        .signs(&[&[Aud("account-d.docusign.com")], &[Aud("account.docusign.com")]])
        .source("https://developers.docusign.com/platform/auth/jwt-get-token/")
        .cannot_tell("whether the user granted consent: the assertion only names them"),
    Issuer::new("tableau", "Tableau connected apps", PlatformApi, Assertions)
        .signs(&[&[Aud("tableau")]])
        .source("https://help.tableau.com/current/online/en-us/connected_apps_direct.htm")
        .cannot_tell("which site: the connected app's client id is in iss and the header"),
    Issuer::new("box", "Box Platform", PlatformApi, Assertions)
        .signs(&[&[Has("box_sub_type")]])
        .marks(&[
            Mark::grant(JwtBearer, Client, &[Value("box_sub_type", "enterprise")],
                "box_sub_type enterprise: the app's service account asks for itself"),
            Mark::grant(JwtBearer, User, &[Value("box_sub_type", "user")],
                "box_sub_type user: the app asserts for a managed or app user"),
        ])
        .source("https://developer.box.com/guides/authentication/jwt/without-sdk/")
        .cannot_tell("an app user from a managed user"),
    Issuer::new("zoom", "Zoom SDKs", PlatformApi, ClientMade)
        .signs(&[
            &[Has("sdkKey"), Has("mn")],
            &[Has("appKey"), Has("mn")],
            &[Has("app_key"), Has("tpc")],
        ])
        .marks(&[Mark::grant(NotApplicable, Client, &[],
            "the app signs its own SDK token with its SDK secret")
            .subject_from(&["sdkKey", "appKey", "app_key"])])
        .source("https://developers.zoom.us/docs/meeting-sdk/auth/")
        .cannot_tell("host from attendee, except by role"),
    Issuer::new("twilio", "Twilio access tokens", PlatformApi, ClientMade)
        .signs(&[&[Header("cty", "twilio-fpa;v=1")]])
        .marks(&[Mark::grant(NotApplicable, User, &[Has("grants.identity")],
            "the app's server signs a token for one of its users: grants.identity names the user")
            .subject_from(&["grants.identity"])])
        .source("https://www.twilio.com/docs/iam/access-tokens")
        .cannot_tell("sub is the account, iss the API key: neither is the end user"),
    Issuer::new("livekit", "LiveKit", PlatformApi, ClientMade)
        .signs(&[&[Iss("API*"), Has("video")]])
        .marks(&[Mark::grant(NotApplicable, User, &[Has("sub")],
            "the app's server signs a token for a participant: sub is its identity")])
        .source("https://docs.livekit.io/home/get-started/authentication/")
        .cannot_tell("a person from an agent or bot joining the room"),
    Issuer::new("ably", "Ably", PlatformApi, ClientMade)
        .signs(&[&[Has("x-ably-capability")]])
        .marks(&[Mark::grant(NotApplicable, User, &[Has("x-ably-clientId")],
            "the app's server signs a token for a client: x-ably-clientId names it")
            .subject_from(&["x-ably-clientId"])])
        .source("https://ably.com/docs/auth/token#jwt")
        .cannot_tell("a person from a device: clientId is whatever the app chose"),
    Issuer::new("snowflake", "Snowflake key-pair authentication", PlatformApi, ClientMade)
        .signs(&[&[Iss("*.*.SHA256:**")]])
        .marks(&[Mark::grant(NotApplicable, User, &[Has("sub")],
            "a Snowflake user signs with its key pair: sub is <account>.<user>")])
        .source("https://docs.snowflake.com/en/developer-guide/sql-api/authenticating")
        .cannot_tell("a person from a service user (TYPE = SERVICE)"),
    Issuer::new("atlassian_connect", "Atlassian Connect", PlatformApi, ClientMade)
        .signs(&[
            &[Has("qsh")],
            &[Aud("https://oauth-2-authorization-server.services.atlassian.com")],
        ])
        .marks(&[
            Mark::grant(JwtBearer, User, &[Aud("https://oauth-2-authorization-server.services.atlassian.com")],
                "a Connect app's assertion to act as a user (user impersonation)")
                .and_kind(Kind::ClientAssertion),
            Mark::grant(NotApplicable, User, &[Has("qsh"), Has("sub")],
                "a Connect request token: sub names the user the request is made for"),
        ])
        .source("https://developer.atlassian.com/cloud/jira/platform/understanding-jwt-for-connect-apps/")
        .cannot_tell("the product (host) from the app as iss: both are client keys"),
    Issuer::new("shopify", "Shopify App Bridge session tokens", PlatformApi, Session(Kind::Access))
        .signs(&[&[Iss("https://*.myshopify.com/admin")]])
        .source("https://shopify.dev/docs/apps/build/authentication-authorization/session-tokens")
        .cannot_tell("staff from the shop owner: sub is the staff member's id"),
    Issuer::new("firebase_app_check", "Firebase App Check", PlatformApi, Grants)
        .signs(&[&[Iss("https://firebaseappcheck.googleapis.com/*")]])
        .marks(&[Mark::grant(NotApplicable, Client, &[],
            "an App Check token attests the app (sub is its app id), not a user")
            .and_kind(Kind::Access)])
        .source("https://firebase.google.com/docs/app-check/custom-resource-backend")
        .cannot_tell("which attestation provider vouched for the app"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_cites_a_public_source_and_has_a_plain_unique_name() {
        let mut seen = std::collections::BTreeSet::new();
        for issuer in all() {
            let name = issuer.provider.as_str();
            assert!(issuer.source.starts_with("https://"), "{name}");
            assert!(!issuer.cannot_tell.is_empty(), "{name}");
            assert!(!issuer.signs.is_empty(), "{name}");
            assert!(issuer.signs.iter().all(|s| !s.is_empty()), "{name}");
            let plain = name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            assert!(
                plain && !name.starts_with('_') && !name.ends_with('_'),
                "{name}"
            );
            assert!(seen.insert(name), "two rows are named {name}");
        }
    }

    /// Every issuer or audience pattern of the table with a scheme, with its row.
    fn url_patterns() -> Vec<(&'static Issuer, &'static str)> {
        all()
            .iter()
            .flat_map(|i| {
                i.signs
                    .iter()
                    .flat_map(move |s| s.iter().map(move |c| (i, c)))
            })
            .filter_map(|(i, c)| match c {
                Cond::Iss(p) | Cond::Aud(p) if p.contains("://") => Some((i, *p)),
                _ => None,
            })
            .collect()
    }

    /// A provider is named only from a host its family owns: a wildcard label stands for the
    /// family's own subdomains (`*.okta.com`, `cognito-idp.*.amazonaws.com`), never for
    /// someone else's domain (`clerk.*`, `auth.pingone.*`): the registrable domain (the last
    /// two labels) is always written out.
    #[test]
    fn wildcard_hosts_end_in_the_familys_own_domain() {
        for (issuer, pattern) in url_patterns() {
            let host = pattern
                .split("://")
                .nth(1)
                .unwrap()
                .split('/')
                .next()
                .unwrap();
            let labels: Vec<&str> = host.split('.').collect();
            if !host.contains('*') || labels.iter().all(|l| *l == "*" || *l == "**") {
                continue;
            }
            let tail = &labels[labels.len().saturating_sub(2)..];
            let fixed = labels.len() >= 3 && !tail.iter().any(|l| l.contains('*'));
            let whole = labels
                .iter()
                .all(|l| !l.contains('*') || *l == "*" || *l == "**");
            assert!(
                fixed && whole,
                "{}: host {host} of {pattern} can be someone else's domain",
                issuer.provider.as_str()
            );
        }
    }

    /// An issuer on any host names a family only by the URL shape of its self-hosted software
    /// (Keycloak's `/realms/<realm>`), never by a path that merely holds the family's name.
    #[test]
    fn any_host_patterns_do_not_match_on_the_name() {
        for (issuer, pattern) in url_patterns() {
            let rest = pattern.split("://").nth(1).unwrap();
            let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
            if !host.chars().all(|c| c == '*') {
                continue;
            }
            let path = path.to_ascii_lowercase();
            // The brand: the product name's first word, and the provider name.
            let brand = issuer.name.split(' ').next().unwrap_or_default();
            let words = [
                brand.to_ascii_lowercase(),
                issuer.provider.as_str().to_string(),
            ];
            for word in words {
                assert!(
                    !path.contains(&word),
                    "{}: {pattern} names it from a path",
                    issuer.provider.as_str()
                );
            }
        }
    }

    /// URL hosts are compared lower case (see `facts::url_matches`), so their patterns are.
    #[test]
    fn url_hosts_are_lower_case() {
        for (issuer, pattern) in url_patterns() {
            let host = pattern
                .split("://")
                .nth(1)
                .unwrap()
                .split('/')
                .next()
                .unwrap();
            assert_eq!(
                host,
                host.to_ascii_lowercase(),
                "{}",
                issuer.provider.as_str()
            );
        }
    }

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
