//! The contract's names for what a token is, which grant issued it, who its subject is and how
//! sure the answer is: the values every other classify file speaks in (a leaf: it imports
//! nothing of the crate).

use serde::Serialize;

/// An enum whose variants have the contract's names: `as_str()` gives them, serde writes them.
macro_rules! named {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        #[allow(missing_docs)]
        pub enum $name {
            $($variant,)*
        }

        impl $name {
            /// The contract's name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)*
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

named! {
    /// What the token is.
    pub enum Kind {
        Access = "access",
        Id = "id",
        Refresh = "refresh",
        Logout = "logout",
        ClientAssertion = "client_assertion",
        DpopProof = "dpop_proof",
        CiWorkload = "ci_workload",
        ServiceAccount = "service_account",
        SecurityEvent = "security_event",
        EntityStatement = "entity_statement",
        SdJwt = "sd_jwt",
        SdJwtVc = "sd_jwt_vc",
        KbJwt = "kb_jwt",
        Unknown = "unknown",
    }
}

named! {
    /// The grant that issued it.
    pub enum Flow {
        ClientCredentials = "client_credentials",
        AuthorizationCode = "authorization_code",
        DeviceCode = "device_code",
        Password = "password",
        RefreshToken = "refresh_token",
        TokenExchange = "token_exchange",
        JwtBearer = "jwt_bearer",
        Ciba = "ciba",
        NotApplicable = "not_applicable",
        Unknown = "unknown",
    }
}

named! {
    /// Who the subject is.
    pub enum SubjectKind {
        Client = "client",
        User = "user",
        Workload = "workload",
        Unknown = "unknown",
    }
}

named! {
    /// How sure the answer is (ordered: low < medium < high).
    pub enum Confidence {
        Low = "low",
        Medium = "medium",
        High = "high",
    }
}

impl Flow {
    /// The subject a grant implies: client credentials act for the client, every other grant
    /// for a user.
    pub fn subject(self) -> SubjectKind {
        match self {
            Self::ClientCredentials => SubjectKind::Client,
            Self::Unknown => SubjectKind::Unknown,
            _ => SubjectKind::User,
        }
    }

    /// Whether an end user takes part in the grant.
    pub fn has_user(self) -> bool {
        matches!(
            self,
            Self::AuthorizationCode
                | Self::Password
                | Self::DeviceCode
                | Self::Ciba
                | Self::RefreshToken
        )
    }

    /// A grant as issuers name it (`gty`, `grant_type`, …): with `_` or `-`, with or without
    /// the grant-type URN prefix of RFC 6749 §4.5 / RFC 8693 / OpenID CIBA.
    pub fn from_grant_name(raw: &str) -> Option<Self> {
        let lower = raw.trim().to_ascii_lowercase();
        let name = [
            "urn:ietf:params:oauth:grant-type:",
            "urn:openid:params:grant-type:",
        ]
        .iter()
        .find_map(|prefix| lower.strip_prefix(prefix))
        .unwrap_or(&lower)
        .replace('-', "_");
        Some(match name.as_str() {
            "client_credentials" => Self::ClientCredentials,
            "authorization_code" | "implicit" | "code" => Self::AuthorizationCode,
            "password" => Self::Password,
            "refresh_token" => Self::RefreshToken,
            "device_code" => Self::DeviceCode,
            "jwt_bearer" => Self::JwtBearer,
            "token_exchange" => Self::TokenExchange,
            "ciba" | "openid_ciba" => Self::Ciba,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grant_spellings() {
        for (raw, flow) in [
            ("client-credentials", Flow::ClientCredentials),
            ("client_credentials", Flow::ClientCredentials),
            (
                "urn:ietf:params:oauth:grant-type:device_code",
                Flow::DeviceCode,
            ),
            (
                "urn:ietf:params:oauth:grant-type:jwt-bearer",
                Flow::JwtBearer,
            ),
            (
                "urn:ietf:params:oauth:grant-type:token-exchange",
                Flow::TokenExchange,
            ),
            ("urn:openid:params:grant-type:ciba", Flow::Ciba),
            ("Password", Flow::Password),
        ] {
            assert_eq!(Flow::from_grant_name(raw), Some(flow), "{raw}");
        }
        assert_eq!(
            Flow::from_grant_name("urn:ietf:params:oauth:grant-type:saml2-bearer"),
            None
        );
        assert_eq!(Flow::from_grant_name("client"), None);
    }
}
