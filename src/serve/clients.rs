//! Who may ask for tokens. With no client declared (no `--client`, no `clients` in the
//! config) the server is in open mode: any `client_id` is taken, one that sends a secret (any
//! secret) is confidential, one that sends none public. Once clients are declared, only they
//! are: a secret must match (compared in constant time), a public client must send none.
//! Also which browser origins may call the server (CORS).

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::serve::config::{ClientConfig, Config, Credential};
use crate::serve::urls;

/// The declared clients (none: open mode), the users, and the origins CORS allows.
pub struct Registry {
    clients: Vec<ClientConfig>,
    /// Users: `sub` and their claims.
    pub users: Map<String, Value>,
    origins: Vec<String>,
    loopback_origins: bool,
}

/// What a token request presented to authenticate.
#[derive(Default)]
pub struct Presented {
    /// The `client_id`, from Basic credentials or the body.
    pub id: Option<String>,
    /// The secret, from Basic credentials or the body's `client_secret`.
    pub secret: Option<Zeroizing<String>>,
    /// Whether a `client_assertion` (`private_key_jwt`) was sent.
    pub assertion: bool,
}

/// An authenticated client (or a public one, identified).
pub struct Caller<'a> {
    /// Its `client_id`.
    pub id: String,
    /// Whether it proved a credential.
    pub confidential: bool,
    /// Its declaration; `None` in open mode.
    pub declared: Option<&'a ClientConfig>,
}

/// Why a client is not authenticated (`invalid_client`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthError {
    /// The request names no client.
    NoClient,
    /// A `client_id` that is not declared.
    Unknown,
    /// A public client that sent a secret.
    SecretForPublic,
    /// A confidential client that sent no secret.
    NoSecret,
    /// A secret that does not match.
    WrongSecret,
    /// A client that authenticates with keys.
    KeysNotImplemented,
    /// A `client_assertion`.
    AssertionNotImplemented,
}

impl AuthError {
    /// The `error_description`: never what was sent.
    pub fn describe(self) -> &'static str {
        match self {
            AuthError::NoClient => "the request names no client",
            AuthError::Unknown => "unknown client",
            AuthError::SecretForPublic => "this client is public and must not send a secret",
            AuthError::NoSecret => "this client must authenticate with its secret",
            AuthError::WrongSecret => "client authentication failed",
            AuthError::KeysNotImplemented => {
                "this client authenticates with private_key_jwt, which this server does not implement yet"
            }
            AuthError::AssertionNotImplemented => {
                "private_key_jwt is not implemented by this server yet"
            }
        }
    }
}

impl Registry {
    /// The clients of `config` and the public clients of `--client`; an id declared twice
    /// is an error naming it.
    pub fn new(config: Config, public: &[String]) -> Result<Registry, String> {
        let mut clients = config.clients;
        for id in public {
            if clients.iter().any(|c| c.client_id == *id) {
                return Err(format!(
                    "client {:?} is declared twice (--client and the config file, or --client twice)",
                    crate::text::cut(id)
                ));
            }
            clients.push(ClientConfig::public(id.clone()));
        }
        let origins = clients
            .iter()
            .flat_map(|c| c.redirect_uris.iter())
            .filter_map(|uri| urls::origin_of(uri))
            .collect();
        let loopback_origins =
            clients.is_empty() || clients.iter().any(|c| c.redirect_uris.is_empty());
        Ok(Registry {
            clients,
            users: config.users,
            origins,
            loopback_origins,
        })
    }

    /// Whether no client is declared: any `client_id` is taken.
    pub fn is_open(&self) -> bool {
        self.clients.is_empty()
    }

    /// How many clients are declared.
    pub fn len(&self) -> usize {
        self.clients.len()
    }

    /// Whether no client is declared (the same as [`Registry::is_open`]).
    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }

    /// Whether a declared client has a secret (the config file then needs guarding).
    pub fn has_secrets(&self) -> bool {
        self.clients
            .iter()
            .any(|c| matches!(c.credential, Credential::Secret(_)))
    }

    /// Whether a browser page at `origin` (as [`urls::parse_origin`] gives it) may call the
    /// server: a declared redirect URI's origin; a loopback origin in open mode or when a
    /// client has no redirect URIs.
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.origins.iter().any(|o| o == origin)
            || (self.loopback_origins && urls::is_loopback_origin(origin))
    }

    /// Every scope a declared client may ask for, when every client lists its scopes.
    pub fn scopes_supported(&self) -> Option<Vec<String>> {
        let mut all: Vec<String> = Vec::new();
        for client in &self.clients {
            for scope in client.scopes.as_ref()? {
                if !all.contains(scope) {
                    all.push(scope.clone());
                }
            }
        }
        (!self.clients.is_empty()).then_some(all)
    }

    /// Authenticate what a request presented.
    pub fn authenticate(&self, presented: &Presented) -> Result<Caller<'_>, AuthError> {
        let id = presented.id.clone().ok_or(AuthError::NoClient)?;
        if presented.assertion {
            return Err(AuthError::AssertionNotImplemented);
        }
        if self.is_open() {
            return Ok(Caller {
                id,
                confidential: presented.secret.is_some(),
                declared: None,
            });
        }
        let client = self
            .clients
            .iter()
            .find(|c| c.client_id == id)
            .ok_or(AuthError::Unknown)?;
        let confidential = match (&client.credential, &presented.secret) {
            (Credential::None, None) => false,
            (Credential::None, Some(_)) => return Err(AuthError::SecretForPublic),
            (Credential::Keys(_), _) => return Err(AuthError::KeysNotImplemented),
            (Credential::Secret(_), None) => return Err(AuthError::NoSecret),
            (Credential::Secret(expected), Some(given)) => {
                aws_lc_rs::constant_time::verify_slices_are_equal(
                    expected.as_bytes(),
                    given.as_bytes(),
                )
                .map_err(|_| AuthError::WrongSecret)?;
                true
            }
        };
        Ok(Caller {
            id,
            confidential,
            declared: Some(client),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::config;

    fn registry(text: &str, public: &[&str]) -> Registry {
        let public: Vec<String> = public.iter().map(|s| s.to_string()).collect();
        Registry::new(config::parse(text.as_bytes()).unwrap(), &public).unwrap()
    }

    fn presented(id: Option<&str>, secret: Option<&str>) -> Presented {
        Presented {
            id: id.map(String::from),
            secret: secret.map(|s| Zeroizing::new(s.to_string())),
            assertion: false,
        }
    }

    #[test]
    fn open_mode_takes_any_client() {
        let open = registry("{}", &[]);
        assert!(open.is_open());
        let caller = open
            .authenticate(&presented(Some("x"), Some("any")))
            .unwrap();
        assert!(caller.confidential && caller.declared.is_none());
        assert!(
            !open
                .authenticate(&presented(Some("x"), None))
                .unwrap()
                .confidential
        );
        assert_eq!(
            open.authenticate(&presented(None, Some("s"))).err(),
            Some(AuthError::NoClient)
        );
        assert!(open.allows_origin("http://localhost:3000"));
        assert!(!open.allows_origin("https://evil.example"));
    }

    #[test]
    fn declared_clients_only() {
        let declared = registry(
            r#"{"clients":[{"client_id":"svc","client_secret":"s3cret","redirect_uris":["https://app.example/cb"]},
                {"client_id":"k","jwks_uri":"https://k.example/jwks","redirect_uris":["https://k.example/cb"]}]}"#,
            &["spa"],
        );
        let auth = |id, secret| {
            declared
                .authenticate(&presented(id, secret))
                .map(|c| c.confidential)
        };
        assert_eq!(auth(Some("svc"), Some("s3cret")), Ok(true));
        assert_eq!(
            auth(Some("svc"), Some("s3cret!")),
            Err(AuthError::WrongSecret)
        );
        assert_eq!(auth(Some("svc"), None), Err(AuthError::NoSecret));
        assert_eq!(auth(Some("spa"), None), Ok(false));
        assert_eq!(
            auth(Some("spa"), Some("x")),
            Err(AuthError::SecretForPublic)
        );
        assert_eq!(auth(Some("who"), Some("x")), Err(AuthError::Unknown));
        assert_eq!(auth(Some("k"), None), Err(AuthError::KeysNotImplemented));
        assert!(declared.allows_origin("https://app.example"));
        assert!(
            declared.allows_origin("http://127.0.0.1:8000"),
            "spa has no redirect_uris"
        );
        assert!(!declared.allows_origin("https://other.example"));
        assert_eq!(declared.scopes_supported(), None);
        let strict = registry(
            r#"{"clients":[{"client_id":"a","redirect_uris":["https://a.example/cb"],"scopes":["x","y"]}]}"#,
            &[],
        );
        assert!(!strict.allows_origin("http://localhost:3000"));
        assert_eq!(
            strict.scopes_supported(),
            Some(vec!["x".into(), "y".into()])
        );
        let twice = Registry::new(
            config::parse(br#"{"clients":[{"client_id":"a"}]}"#).unwrap(),
            &["a".into()],
        );
        assert!(twice.is_err());
    }
}
