//! What the server remembers between requests, in memory only and bounded: authorization
//! codes (single use, 60 s, bound to their client), refresh tokens (opaque, single use,
//! rotated, in families that a reuse revokes: RFC 9700 §4.14.2), and the `jti`s of client
//! assertions and DPoP proofs already seen, against replay. Codes and tokens are kept by
//! their SHA-256, never as given. Each table holds a fixed number of entries; past it the
//! oldest go first, so memory stays bounded whatever clients do.

use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::Hash;

use crate::mint;

/// How long a code lives, in seconds.
pub const CODE_TTL: i64 = 60;

/// The most codes remembered (live or redeemed).
const MAX_CODES: usize = 20_000;
/// The most refresh tokens remembered (live or used).
const MAX_REFRESH: usize = 100_000;
/// The most assertion and proof `jti`s remembered.
const MAX_SEEN: usize = 100_000;

/// What a user's sign-in granted a client: what every token issued from it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The client it was granted to.
    pub client_id: String,
    /// The user (`sub`).
    pub user: String,
    /// The scope granted, space-separated.
    pub scope: String,
    /// When the user signed in, epoch seconds (`auth_time`).
    pub auth_time: i64,
}

impl Grant {
    /// Whether the scope holds `name`.
    pub fn has_scope(&self, name: &str) -> bool {
        self.scope.split(' ').any(|s| s == name)
    }
}

/// An authorization code's request.
#[derive(Debug, Clone)]
pub struct Code {
    /// The grant.
    pub grant: Grant,
    /// The `redirect_uri` of the authorization request, which the token request repeats.
    pub redirect_uri: String,
    /// The PKCE S256 `code_challenge`, when one was sent.
    pub challenge: Option<String>,
    /// The `nonce`, for the ID token.
    pub nonce: Option<String>,
    /// `dpop_jkt` (RFC 9449 §10): the key whose proof must come with the token request.
    pub dpop_jkt: Option<String>,
    /// When it stops being redeemable, epoch seconds.
    pub expires: i64,
}

/// A live refresh token's grant.
#[derive(Debug, Clone)]
pub struct Refresh {
    /// The grant.
    pub grant: Grant,
    /// Its family: every token rotated from one code's first refresh token.
    pub family: u64,
    /// The DPoP key it is bound to (issued with DPoP to a public client).
    pub jkt: Option<String>,
}

/// What redeeming a code found.
#[derive(Debug)]
pub enum CodeFound {
    /// No such code (or one forgotten).
    Unknown,
    /// Expired.
    Expired,
    /// Redeemed before: the refresh tokens issued from it are now revoked.
    Reused,
    /// Redeemable: it is now spent; `slot` names it for [`Store::attach_family`].
    Fresh(Box<Code>, [u8; 32]),
}

/// What redeeming a refresh token found.
#[derive(Debug)]
pub enum RefreshFound {
    /// No such token.
    Unknown,
    /// Its family was revoked.
    Revoked,
    /// Used before: its family is now revoked.
    Reused,
    /// Issued to another client (left as it was).
    OtherClient,
    /// Redeemable: it is now spent.
    Live(Refresh),
}

enum CodeSlot {
    /// Not redeemed yet.
    Fresh(Box<Code>),
    /// Spent; the family of the refresh tokens issued from it.
    Redeemed { family: Option<u64> },
}

enum RefreshSlot {
    Live(Refresh),
    Used { family: u64 },
}

/// Server memory of codes, refresh tokens and seen `jti`s.
pub struct Store {
    codes: Bounded<[u8; 32], CodeSlot>,
    refresh: Bounded<[u8; 32], RefreshSlot>,
    revoked: HashSet<u64>,
    next_family: u64,
    seen: Bounded<(u8, String), i64>,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            codes: Bounded::new(MAX_CODES),
            refresh: Bounded::new(MAX_REFRESH),
            revoked: HashSet::new(),
            next_family: 1,
            seen: Bounded::new(MAX_SEEN),
        }
    }
}

/// Which `jti`s a [`Store::first_use`] call is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// A client assertion's, with its client.
    Assertion,
    /// A DPoP proof's.
    Proof,
}

impl Store {
    /// Remember `code` and return the code to hand out: 128 random bits, base64url.
    pub fn issue_code(&mut self, code: Code) -> String {
        let text = mint::random_id();
        self.codes
            .insert(digest(&text), CodeSlot::Fresh(Box::new(code)));
        text
    }

    /// Redeem a code at `now`: a fresh one is spent whatever follows (a code is never good
    /// twice), a spent one revokes the refresh tokens issued from it.
    pub fn redeem_code(&mut self, text: &str, now: i64) -> CodeFound {
        let key = digest(text);
        let Some(slot) = self.codes.get_mut(&key) else {
            return CodeFound::Unknown;
        };
        match slot {
            CodeSlot::Redeemed { family } => {
                if let Some(family) = *family {
                    self.revoked.insert(family);
                }
                CodeFound::Reused
            }
            CodeSlot::Fresh(code) => {
                let expires = code.expires;
                let spent = CodeSlot::Redeemed { family: None };
                let CodeSlot::Fresh(code) = std::mem::replace(slot, spent) else {
                    return CodeFound::Unknown;
                };
                if now > expires {
                    CodeFound::Expired
                } else {
                    CodeFound::Fresh(code, key)
                }
            }
        }
    }

    /// Say that the refresh tokens of `family` were issued from the code `slot`.
    pub fn attach_family(&mut self, slot: &[u8; 32], family: u64) {
        if let Some(CodeSlot::Redeemed { family: f, .. }) = self.codes.get_mut(slot) {
            *f = Some(family);
        }
    }

    /// A new family, for the first refresh token of a code.
    pub fn new_family(&mut self) -> u64 {
        self.next_family += 1;
        self.next_family
    }

    /// Remember a refresh token and return it: 256 random bits, base64url.
    pub fn issue_refresh(&mut self, refresh: Refresh) -> String {
        let text = format!("{}{}", mint::random_id(), mint::random_id());
        self.refresh
            .insert(digest(&text), RefreshSlot::Live(refresh));
        text
    }

    /// Redeem a refresh token for `client_id`: a live one that `check` accepts is spent (one
    /// it refuses is left as it was, with `check`'s error); a used one revokes its family.
    pub fn redeem_refresh<E>(
        &mut self,
        text: &str,
        client_id: &str,
        check: impl FnOnce(&Refresh) -> Result<(), E>,
    ) -> Result<RefreshFound, E> {
        let key = digest(text);
        let Some(slot) = self.refresh.get_mut(&key) else {
            return Ok(RefreshFound::Unknown);
        };
        Ok(match slot {
            RefreshSlot::Used { family } => {
                self.revoked.insert(*family);
                RefreshFound::Reused
            }
            RefreshSlot::Live(refresh) => {
                if self.revoked.contains(&refresh.family) {
                    return Ok(RefreshFound::Revoked);
                }
                if refresh.grant.client_id != client_id {
                    return Ok(RefreshFound::OtherClient);
                }
                check(refresh)?;
                let family = refresh.family;
                match std::mem::replace(slot, RefreshSlot::Used { family }) {
                    RefreshSlot::Live(refresh) => RefreshFound::Live(refresh),
                    RefreshSlot::Used { .. } => RefreshFound::Unknown,
                }
            }
        })
    }

    /// Whether `jti` is new (it is then remembered until `until`); `false` for one seen
    /// before that has not expired.
    pub fn first_use(&mut self, kind: Seen, jti: &str, until: i64, now: i64) -> bool {
        let key = (kind as u8, jti.to_string());
        if let Some(expires) = self.seen.get_mut(&key)
            && *expires >= now
        {
            return false;
        }
        self.seen.insert(key, until);
        true
    }
}

fn digest(text: &str) -> [u8; 32] {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, text.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// A map that holds at most `cap` entries, forgetting the oldest first.
struct Bounded<K, V> {
    map: HashMap<K, V>,
    order: VecDeque<K>,
    cap: usize,
}

impl<K: Hash + Eq + Clone, V> Bounded<K, V> {
    fn new(cap: usize) -> Self {
        Bounded {
            map: HashMap::new(),
            order: VecDeque::new(),
            cap,
        }
    }

    fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        self.map.get_mut(key)
    }

    fn insert(&mut self, key: K, value: V) {
        if self.map.insert(key.clone(), value).is_none() {
            self.order.push_back(key);
        }
        while self.map.len() > self.cap {
            match self.order.pop_front() {
                Some(old) => {
                    self.map.remove(&old);
                }
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> Grant {
        Grant {
            client_id: "app".into(),
            user: "alice".into(),
            scope: "openid offline_access".into(),
            auth_time: 1000,
        }
    }

    fn code() -> Code {
        Code {
            grant: grant(),
            redirect_uri: "http://localhost/cb".into(),
            challenge: None,
            nonce: None,
            dpop_jkt: None,
            expires: 1000 + CODE_TTL,
        }
    }

    #[test]
    fn codes_are_single_use_and_short_lived() {
        let mut store = Store::default();
        let text = store.issue_code(code());
        assert!(matches!(
            store.redeem_code(&text, 1060),
            CodeFound::Fresh(..)
        ));
        assert!(matches!(store.redeem_code(&text, 1060), CodeFound::Reused));
        let late = store.issue_code(code());
        assert!(matches!(store.redeem_code(&late, 1061), CodeFound::Expired));
        assert!(matches!(store.redeem_code(&late, 1000), CodeFound::Reused));
        assert!(matches!(
            store.redeem_code("nope", 1000),
            CodeFound::Unknown
        ));
        assert!(grant().has_scope("openid") && !grant().has_scope("open"));
    }

    #[test]
    fn reuse_revokes_the_family() {
        let mut store = Store::default();
        let text = store.issue_code(code());
        let CodeFound::Fresh(_, slot) = store.redeem_code(&text, 1000) else {
            panic!("fresh")
        };
        let family = store.new_family();
        store.attach_family(&slot, family);
        let live = |jkt: Option<&str>| Refresh {
            grant: grant(),
            family,
            jkt: jkt.map(String::from),
        };
        let first = store.issue_refresh(live(None));
        let ok = |_: &Refresh| Ok::<(), ()>(());
        assert!(matches!(
            store.redeem_refresh(&first, "other", ok),
            Ok(RefreshFound::OtherClient)
        ));
        assert!(store.redeem_refresh(&first, "app", |_| Err(())).is_err());
        assert!(matches!(
            store.redeem_refresh(&first, "app", ok),
            Ok(RefreshFound::Live(_))
        ));
        let second = store.issue_refresh(live(Some("jkt")));
        // The first one again: reuse, which revokes the family (the second one with it).
        assert!(matches!(
            store.redeem_refresh(&first, "app", ok),
            Ok(RefreshFound::Reused)
        ));
        assert!(matches!(
            store.redeem_refresh(&second, "app", ok),
            Ok(RefreshFound::Revoked)
        ));
        // A code used twice revokes the tokens issued from it.
        let text = store.issue_code(code());
        let CodeFound::Fresh(_, slot) = store.redeem_code(&text, 1000) else {
            panic!("fresh")
        };
        let family = store.new_family();
        store.attach_family(&slot, family);
        let third = store.issue_refresh(Refresh {
            grant: grant(),
            family,
            jkt: None,
        });
        assert!(matches!(store.redeem_code(&text, 1000), CodeFound::Reused));
        assert!(matches!(
            store.redeem_refresh(&third, "app", ok),
            Ok(RefreshFound::Revoked)
        ));
    }

    #[test]
    fn jtis_are_refused_within_their_window_and_memory_is_bounded() {
        let mut store = Store::default();
        assert!(store.first_use(Seen::Proof, "j1", 1360, 1000));
        assert!(!store.first_use(Seen::Proof, "j1", 1360, 1300));
        assert!(
            store.first_use(Seen::Assertion, "j1", 1360, 1300),
            "kinds apart"
        );
        assert!(store.first_use(Seen::Proof, "j1", 2000, 1361), "expired");
        let mut small: Bounded<u32, u32> = Bounded::new(3);
        for i in 0..10 {
            small.insert(i, i);
        }
        assert_eq!(small.map.len(), 3);
        assert!(small.get_mut(&9).is_some() && small.get_mut(&0).is_none());
    }
}
