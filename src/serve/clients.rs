//! Who may ask for tokens. With no client declared (no `--client`, no `clients` in the
//! config) the server is in open mode: any `client_id` is taken, one that sends a secret (any
//! secret) is confidential, one that sends none public. Once clients are declared, only they
//! are: a secret must match (compared in constant time), a public client must send none, a
//! client with keys sends a `private_key_jwt` assertion (checked by the caller's verifier).
//! Also which redirect URIs a client may use, and which browser origins may call the server
//! (CORS).

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::serve::config::{ClientConfig, Config, Credential, KeySource};
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
    /// The `client_assertion` (`private_key_jwt`), when one was sent.
    pub assertion: Option<String>,
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

/// Why a client is not authenticated (`invalid_client`, but for [`AuthError::Busy`]).
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// A client with keys that sent no assertion.
    NoAssertion,
    /// An assertion from a client without keys.
    AssertionWithoutKeys,
    /// An assertion in open mode, where no client has keys.
    AssertionOpenMode,
    /// An assertion that does not verify; why, in fixed words.
    Assertion(String),
    /// An assertion whose `jti` was seen before.
    AssertionReplayed,
    /// A sound assertion whose `jti` cannot be remembered now: the memory of assertions'
    /// `jti`s is full of live ones. Not the client's fault: try again in `retry_after`
    /// seconds.
    Busy {
        /// Seconds until the memory has room.
        retry_after: u64,
    },
}

impl AuthError {
    /// The `error_description`: never what was sent.
    pub fn describe(&self) -> String {
        match self {
            AuthError::NoClient => "the request names no client".into(),
            AuthError::Unknown => "unknown client".into(),
            AuthError::SecretForPublic => {
                "this client is public and must not send a secret".into()
            }
            AuthError::NoSecret => "this client must authenticate with its secret".into(),
            AuthError::WrongSecret => "client authentication failed".into(),
            AuthError::NoAssertion => {
                "this client authenticates with private_key_jwt: send a client_assertion".into()
            }
            AuthError::AssertionWithoutKeys => {
                "this client has no keys (jwk, jwks or jwks_uri) to check a client_assertion against".into()
            }
            AuthError::AssertionOpenMode => {
                "private_key_jwt needs the client declared with its keys in the config: open mode has no keys to check against".into()
            }
            AuthError::Assertion(why) => format!("the client_assertion is refused: {why}"),
            AuthError::AssertionReplayed => {
                "the client_assertion's jti was used before (RFC 7523 section 3)".into()
            }
            AuthError::Busy { .. } => {
                "too many live client assertions to remember another's jti: try again after Retry-After seconds".into()
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

    /// The declared client `id`.
    pub fn find(&self, id: &str) -> Option<&ClientConfig> {
        self.clients.iter().find(|c| c.client_id == id)
    }

    /// Whether `client` (`None` in open mode) may be sent back to `uri`: a declared
    /// redirect URI, matched exactly but for a loopback IP literal's port (RFC 8252 §7.3);
    /// any loopback one in open mode or for a client without redirect URIs.
    pub fn redirect_allowed(&self, client: Option<&ClientConfig>, uri: &str) -> bool {
        match client {
            Some(client) if !client.redirect_uris.is_empty() => client
                .redirect_uris
                .iter()
                .any(|registered| urls::same_redirect(registered, uri)),
            _ => urls::is_loopback_redirect(uri),
        }
    }

    /// Authenticate what a request presented; an assertion is handed to `verify` with the
    /// client's key source.
    pub fn authenticate(
        &self,
        presented: &Presented,
        verify: impl FnOnce(&ClientConfig, &KeySource, &str) -> Result<(), AuthError>,
    ) -> Result<Caller<'_>, AuthError> {
        let id = presented.id.clone().ok_or(AuthError::NoClient)?;
        if self.is_open() {
            if presented.assertion.is_some() {
                return Err(AuthError::AssertionOpenMode);
            }
            return Ok(Caller {
                id,
                confidential: presented.secret.is_some(),
                declared: None,
            });
        }
        let client = self.find(&id).ok_or(AuthError::Unknown)?;
        if let Some(assertion) = &presented.assertion {
            let Credential::Keys(source) = &client.credential else {
                return Err(AuthError::AssertionWithoutKeys);
            };
            verify(client, source, assertion)?;
            return Ok(Caller {
                id,
                confidential: true,
                declared: Some(client),
            });
        }
        let confidential = match (&client.credential, &presented.secret) {
            (Credential::None, None) => false,
            (Credential::None, Some(_)) => return Err(AuthError::SecretForPublic),
            (Credential::Keys(_), _) => return Err(AuthError::NoAssertion),
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

    fn no_keys(_: &ClientConfig, _: &KeySource, _: &str) -> Result<(), AuthError> {
        panic!("no assertion here")
    }

    fn presented(id: Option<&str>, secret: Option<&str>) -> Presented {
        Presented {
            id: id.map(String::from),
            secret: secret.map(|s| Zeroizing::new(s.to_string())),
            assertion: None,
        }
    }

    #[test]
    fn open_mode_takes_any_client() {
        let open = registry("{}", &[]);
        assert!(open.is_open());
        let caller = open
            .authenticate(&presented(Some("x"), Some("any")), no_keys)
            .unwrap();
        assert!(caller.confidential && caller.declared.is_none());
        assert!(
            !open
                .authenticate(&presented(Some("x"), None), no_keys)
                .unwrap()
                .confidential
        );
        assert_eq!(
            open.authenticate(&presented(None, Some("s")), no_keys)
                .err(),
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
                .authenticate(&presented(id, secret), no_keys)
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
        assert_eq!(auth(Some("k"), None), Err(AuthError::NoAssertion));
        let asserted = |id: &str| {
            let mut p = presented(Some(id), None);
            p.assertion = Some("a.b.c".into());
            declared
                .authenticate(&p, |c, _, a| {
                    assert_eq!((c.client_id.as_str(), a), ("k", "a.b.c"));
                    Ok(())
                })
                .map(|c| c.confidential)
        };
        assert_eq!(asserted("k"), Ok(true));
        assert_eq!(asserted("svc"), Err(AuthError::AssertionWithoutKeys));
        let mut p = presented(Some("x"), None);
        p.assertion = Some("a.b.c".into());
        assert_eq!(
            registry("{}", &[]).authenticate(&p, no_keys).err(),
            Some(AuthError::AssertionOpenMode)
        );
        assert!(declared.redirect_allowed(declared.find("svc"), "https://app.example/cb"));
        assert!(!declared.redirect_allowed(declared.find("svc"), "http://localhost/cb"));
        assert!(declared.redirect_allowed(declared.find("spa"), "http://localhost:9/cb"));
        assert!(!declared.redirect_allowed(declared.find("spa"), "https://app.example/cb"));
        assert!(declared.redirect_allowed(None, "http://127.0.0.1:9/cb"));
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
