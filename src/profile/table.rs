//! The profiles themselves: one table of rules each, every rule naming the section of the
//! specification it comes from. Adding a profile is one entry here (and its tests).

use super::{Audience, Check, Mint, Rule, Spec};

/// RFC 9068's section on the data structure of a JWT access token.
const AT_2_2: &str = "RFC 9068 §2.2";
const OIDC_2: &str = "OIDC Core §2";
const BCL_2_4: &str = "Back-Channel Logout §2.4";
const RFC7523_3: &str = "RFC 7523 §3";

const fn present(claim: &'static str, section: &'static str) -> Rule {
    Rule {
        check: Check::Present(claim),
        section,
    }
}

/// JWT access tokens (RFC 9068).
pub(super) const AT_JWT: Spec = Spec {
    name: "at+jwt",
    title: "JWT access token (RFC 9068)",
    audience: Audience::Aud {
        why: "RFC 9068 §4 makes the audience check mandatory",
    },
    mint: Some(Mint {
        typ: "at+jwt",
        jti: true,
    }),
    rules: &[
        Rule {
            check: Check::Typ {
                expected: &["at+jwt"],
                absent_ok: false,
            },
            section: "RFC 9068 §2.1, §4",
        },
        present("iss", AT_2_2),
        present("exp", AT_2_2),
        present("aud", AT_2_2),
        present("sub", AT_2_2),
        present("client_id", AT_2_2),
        present("iat", AT_2_2),
        present("jti", AT_2_2),
    ],
};

/// OpenID Connect ID tokens (OIDC Core §2, §3.1.3.7).
pub(super) const ID_TOKEN: Spec = Spec {
    name: "id_token",
    title: "OpenID Connect ID token (OIDC Core)",
    audience: Audience::AudOrClientId {
        why: "OIDC Core §3.1.3.7: the audience must hold the client's id",
    },
    mint: Some(Mint {
        typ: "JWT",
        jti: false,
    }),
    rules: &[
        // An ID token is no access or logout token (cross-JWT confusion).
        Rule {
            check: Check::Typ {
                expected: &["JWT"],
                absent_ok: true,
            },
            section: "RFC 8725 §3.11",
        },
        Rule {
            check: Check::Absent {
                claim: "events",
                why: "a logout or security event token carries events, an ID token never",
            },
            section: "RFC 8725 §3.11",
        },
        present("iss", OIDC_2),
        present("sub", OIDC_2),
        present("aud", OIDC_2),
        present("exp", OIDC_2),
        present("iat", OIDC_2),
        // azp is not checked: OIDC Core errata set 2 dropped both of its rules.
        Rule {
            check: Check::ClientIdInAud,
            section: "OIDC Core §3.1.3.7",
        },
        Rule {
            check: Check::Nonce,
            section: "OIDC Core §3.1.3.7",
        },
        Rule {
            check: Check::AtHash,
            section: "OIDC Core §3.1.3.6, §3.1.3.8",
        },
        Rule {
            check: Check::CHash,
            section: "OIDC Core §3.3.2.10, §3.3.2.11",
        },
        Rule {
            check: Check::MaxAge,
            section: "OIDC Core §3.1.3.7",
        },
    ],
};

/// OpenID Connect Back-Channel Logout tokens (§2.4, §2.6).
pub(super) const LOGOUT: Spec = Spec {
    name: "logout",
    title: "OpenID Connect Back-Channel Logout token",
    audience: Audience::Optional,
    mint: Some(Mint {
        typ: "logout+jwt",
        jti: true,
    }),
    rules: &[
        Rule {
            check: Check::Typ {
                expected: &["logout+jwt"],
                absent_ok: true,
            },
            section: BCL_2_4,
        },
        present("iss", BCL_2_4),
        present("aud", BCL_2_4),
        present("iat", BCL_2_4),
        present("exp", BCL_2_4),
        present("jti", BCL_2_4),
        present("events", BCL_2_4),
        Rule {
            check: Check::LogoutEvent,
            section: BCL_2_4,
        },
        Rule {
            check: Check::AnyOf(&["sub", "sid"]),
            section: BCL_2_4,
        },
        Rule {
            check: Check::Absent {
                claim: "nonce",
                why: "a logout token must not pass for an ID token",
            },
            section: "Back-Channel Logout §2.4, §2.6",
        },
    ],
};

/// Client authentication assertions (RFC 7523 §3, OIDC Core §9).
pub(super) const CLIENT_ASSERTION: Spec = Spec {
    name: "client_assertion",
    title: "client assertion (RFC 7523, OIDC Core §9)",
    audience: Audience::Aud {
        why: "RFC 7523 §3: the assertion's audience is the token endpoint, which must be checked",
    },
    mint: Some(Mint {
        typ: "JWT",
        jti: true,
    }),
    rules: &[
        present("iss", RFC7523_3),
        present("sub", RFC7523_3),
        present("aud", RFC7523_3),
        present("exp", RFC7523_3),
        present("jti", "OIDC Core §9"),
        Rule {
            check: Check::IssIsSub,
            section: "RFC 7523 §3, OIDC Core §9",
        },
        Rule {
            check: Check::ClientIdIsIss,
            section: "OIDC Core §9",
        },
    ],
};

/// SD-JWT verifiable credentials (draft-ietf-oauth-sd-jwt-vc), judged on the issuer JWT.
pub(super) const SD_JWT_VC: Spec = Spec {
    name: "sd-jwt-vc",
    title: "SD-JWT verifiable credential (draft-ietf-oauth-sd-jwt-vc)",
    audience: Audience::Optional,
    mint: None,
    rules: &[
        Rule {
            check: Check::Typ {
                expected: &["dc+sd-jwt", "vc+sd-jwt"],
                absent_ok: false,
            },
            section: "draft-ietf-oauth-sd-jwt-vc §3.2.1",
        },
        present("vct", "draft-ietf-oauth-sd-jwt-vc §3.2.2.1.1"),
        Rule {
            check: Check::StringWhenPresent("iss"),
            section: "draft-ietf-oauth-sd-jwt-vc §3.2.2.2",
        },
        Rule {
            check: Check::CnfForKeyBinding,
            section: "draft-ietf-oauth-sd-jwt-vc §3.2.2.2",
        },
        Rule {
            check: Check::SdJwt,
            section: "draft-ietf-oauth-sd-jwt-vc §3",
        },
    ],
};
