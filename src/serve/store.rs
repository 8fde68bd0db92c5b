//! What the server remembers between requests, in memory only and bounded: authorization
//! codes (single use, 60 s, bound to their client), refresh tokens (opaque, single use,
//! rotated, in families that a reuse revokes: RFC 9700 §4.14.2), and the `jti`s of client
//! assertions and DPoP proofs already seen, against replay. Codes, tokens and `jti`s are kept
//! by their SHA-256, never as given.
//!
//! Each table holds at most its [`Caps`], and what it lets go never opens a door:
//! - `jti`s are kept per kind ([`Seen`]), so a flood of one kind never touches another. An
//!   expired `jti` is dropped first (its assertion or proof is refused by its `exp` or `iat`
//!   by then); when a memory is full of live ones, the new assertion or proof is refused
//!   ([`NotFirst::Busy`]) rather than an older `jti` forgotten, for it could then be replayed.
//! - Codes: an expired one is dropped first; full of live ones, no new code is issued.
//! - Refresh tokens do not expire here, so refusing to issue when full would keep a flood's
//!   effect for as long as the server runs. They are dropped instead — a used one (kept only
//!   to catch its reuse) before any live one, then the live one issued longest ago. That
//!   fails closed: a dropped token is refused as unknown, and its holder signs in again
//!   (`/authorize` has no login page).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};

use crate::mint;

/// How long a code lives, in seconds.
pub const CODE_TTL: i64 = 60;

/// How many entries each table holds at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// Codes, live or redeemed.
    pub codes: usize,
    /// Refresh tokens, live or used.
    pub refresh: usize,
    /// The `jti`s of each kind of [`Seen`].
    pub jtis: usize,
}

impl Caps {
    /// The server's caps. A `jti` memory of 100,000 entries takes at most about 11 MB: a
    /// 32-byte SHA-256 and an 8-byte expiry per entry, once in the map (131,072 buckets of
    /// 41 bytes at most) and once in the expiry queue (at most 131,072 slots of 40 bytes);
    /// the three kinds, 32 MB. A code or refresh token also holds its grant's text (client,
    /// user, scope; a code its redirect URI and nonce), which came in one request head of
    /// at most 16 KiB: at worst 330 MB of codes and 1.6 GB of refresh tokens, past what
    /// the table's own keys take.
    pub const SERVER: Caps = Caps {
        codes: 20_000,
        refresh: 100_000,
        jtis: 100_000,
    };

    /// These caps, each lowered to `most` (at least 1) where it is higher: never raised.
    pub fn at_most(self, most: usize) -> Caps {
        let most = most.max(1);
        Caps {
            codes: self.codes.min(most),
            refresh: self.refresh.min(most),
            jtis: self.jtis.min(most),
        }
    }
}

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

impl RefreshSlot {
    fn family(&self) -> u64 {
        match self {
            RefreshSlot::Live(refresh) => refresh.family,
            RefreshSlot::Used { family } => *family,
        }
    }
}

/// A table is full of entries that still matter: rather than forget one, the request that
/// would add another is refused. One of them expires within `retry_after` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    /// Seconds until room is made (at least 1).
    pub retry_after: u64,
}

/// Why a `jti` is not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotFirst {
    /// Seen before, and not expired.
    Replayed,
    /// The memory of its kind is full of live `jti`s.
    Busy(Busy),
}

/// Which memory of `jti`s a [`Store::first_use`] call is about. Each has a cap of its own, so
/// filling one refuses only requests of its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// A client assertion's (`private_key_jwt`), with its client: recorded once the
    /// assertion verified, so only a holder of the client's private key adds to it.
    Assertion,
    /// A DPoP proof's at the token endpoint, from a client that authenticated (a secret or an
    /// assertion).
    ClientProof,
    /// A DPoP proof's that anyone may send: a public client's token request (naming a public
    /// client proves nothing), or a userinfo request.
    OpenProof,
}

/// Server memory of codes, refresh tokens and seen `jti`s.
pub struct Store {
    codes: Expiring<CodeSlot>,
    refresh: Tokens,
    next_family: u64,
    jtis: [Expiring<()>; 3],
}

impl Default for Store {
    fn default() -> Self {
        Store::new(Caps::SERVER)
    }
}

impl Store {
    /// An empty store holding at most `caps`.
    pub fn new(caps: Caps) -> Store {
        Store {
            codes: Expiring::new(caps.codes),
            refresh: Tokens::new(caps.refresh),
            next_family: 1,
            jtis: std::array::from_fn(|_| Expiring::new(caps.jtis)),
        }
    }

    /// Remember `code` and return the code to hand out: 128 random bits, base64url. When
    /// every code remembered is live and the table full, none is issued.
    pub fn issue_code(&mut self, code: Code, now: i64) -> Result<String, Busy> {
        let expires = code.expires;
        let mut slot = CodeSlot::Fresh(Box::new(code));
        loop {
            let text = mint::random_id();
            match self.codes.add(digest(&text), expires, slot, now) {
                Ok(()) => return Ok(text),
                Err((NotFirst::Busy(busy), _)) => return Err(busy),
                // 128 random bits met a code already out: draw again.
                Err((NotFirst::Replayed, back)) => slot = back,
            }
        }
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
                    self.refresh.revoke(family);
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
        self.refresh.add(digest(&text), refresh);
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
        let tokens = &mut self.refresh;
        let Some(slot) = tokens.slots.get(&key) else {
            return Ok(RefreshFound::Unknown);
        };
        let refresh = match slot {
            RefreshSlot::Used { family } => {
                let family = *family;
                tokens.revoke(family);
                return Ok(RefreshFound::Reused);
            }
            RefreshSlot::Live(refresh) => refresh,
        };
        if tokens.is_revoked(refresh.family) {
            return Ok(RefreshFound::Revoked);
        }
        if refresh.grant.client_id != client_id {
            return Ok(RefreshFound::OtherClient);
        }
        check(refresh)?;
        Ok(match tokens.spend(key) {
            Some(refresh) => RefreshFound::Live(refresh),
            None => RefreshFound::Unknown,
        })
    }

    /// Take `jti` of `kind` at `now`: it is then remembered until `until`, the last instant
    /// at which its assertion or proof would still be accepted. Refused when seen before and
    /// not expired, or when the memory of its kind is full of live `jti`s.
    pub fn first_use(
        &mut self,
        kind: Seen,
        jti: &str,
        until: i64,
        now: i64,
    ) -> Result<(), NotFirst> {
        self.jtis[kind as usize]
            .add(digest(jti), until, (), now)
            .map_err(|(why, ())| why)
    }
}

fn digest(text: &str) -> [u8; 32] {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, text.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// Entries that each matter until an instant, at most `cap` of them: the expired ones are
/// dropped before one is added, and when all the others still matter the new one is refused,
/// never an old one forgotten. Every entry has exactly one place in `expiries`.
struct Expiring<V> {
    entries: HashMap<[u8; 32], (i64, V)>,
    expiries: BinaryHeap<Reverse<(i64, [u8; 32])>>,
    cap: usize,
}

impl<V> Expiring<V> {
    fn new(cap: usize) -> Self {
        Expiring {
            entries: HashMap::new(),
            expiries: BinaryHeap::new(),
            cap,
        }
    }

    fn get_mut(&mut self, key: &[u8; 32]) -> Option<&mut V> {
        self.entries.get_mut(key).map(|(_, value)| value)
    }

    /// Add `key`, which matters until `until` (inclusive), at `now`; refused (the value given
    /// back) when it is there already, or when the table is full of entries that matter.
    fn add(&mut self, key: [u8; 32], until: i64, value: V, now: i64) -> Result<(), (NotFirst, V)> {
        while let Some(&Reverse((expiry, old))) = self.expiries.peek()
            && expiry < now
        {
            self.expiries.pop();
            self.entries.remove(&old);
        }
        if self.entries.contains_key(&key) {
            return Err((NotFirst::Replayed, value));
        }
        if self.entries.len() >= self.cap {
            let soonest = self
                .expiries
                .peek()
                .map_or(now, |Reverse((expiry, _))| *expiry);
            let retry_after = u64::try_from(soonest.saturating_sub(now)).unwrap_or(0);
            let busy = Busy {
                retry_after: retry_after.saturating_add(1),
            };
            return Err((NotFirst::Busy(busy), value));
        }
        self.entries.insert(key, (until, value));
        self.expiries.push(Reverse((until, key)));
        Ok(())
    }
}

/// Refresh tokens and their families, at most `cap` tokens. At the cap, a used token goes
/// first (in the order they were used), then the live one issued longest ago.
struct Tokens {
    slots: HashMap<[u8; 32], RefreshSlot>,
    /// In the order issued; it may still name tokens since used or dropped.
    issued: VecDeque<[u8; 32]>,
    /// In the order used; every one names a used token still held.
    used: VecDeque<[u8; 32]>,
    /// The families with a token held: how many, and whether a reuse revoked them. A family
    /// whose tokens are all dropped is forgotten with them (nothing is left to refuse), so
    /// this holds at most `cap` families.
    families: HashMap<u64, Family>,
    cap: usize,
}

#[derive(Default)]
struct Family {
    tokens: usize,
    revoked: bool,
}

impl Tokens {
    fn new(cap: usize) -> Self {
        Tokens {
            slots: HashMap::new(),
            issued: VecDeque::new(),
            used: VecDeque::new(),
            families: HashMap::new(),
            cap,
        }
    }

    fn add(&mut self, key: [u8; 32], refresh: Refresh) {
        while self.slots.len() >= self.cap && self.drop_one() {}
        self.families.entry(refresh.family).or_default().tokens += 1;
        if let Some(old) = self.slots.insert(key, RefreshSlot::Live(refresh)) {
            // 256 random bits met a token already out: it is replaced, never counted twice.
            self.release(old.family());
        }
        self.issued.push_back(key);
        // Keys of tokens used or dropped since: cleared out now and then, so that the queue
        // stays within twice the cap.
        if self.issued.len() > 2 * self.cap {
            let slots = &self.slots;
            self.issued
                .retain(|key| matches!(slots.get(key), Some(RefreshSlot::Live(_))));
        }
    }

    /// Drop a used token, else the live one issued longest ago; `false` when none is held.
    fn drop_one(&mut self) -> bool {
        let from_used = self.used.pop_front();
        let key = from_used.or_else(|| {
            while let Some(key) = self.issued.pop_front() {
                if matches!(self.slots.get(&key), Some(RefreshSlot::Live(_))) {
                    return Some(key);
                }
            }
            None
        });
        let Some(slot) = key.and_then(|key| self.slots.remove(&key)) else {
            return false;
        };
        self.release(slot.family());
        true
    }

    fn release(&mut self, family: u64) {
        if let Some(held) = self.families.get_mut(&family) {
            held.tokens -= 1;
            if held.tokens == 0 {
                self.families.remove(&family);
            }
        }
    }

    /// Mark a live token used; what it granted.
    fn spend(&mut self, key: [u8; 32]) -> Option<Refresh> {
        let slot = self.slots.get_mut(&key)?;
        let family = slot.family();
        match std::mem::replace(slot, RefreshSlot::Used { family }) {
            RefreshSlot::Live(refresh) => {
                self.used.push_back(key);
                Some(refresh)
            }
            RefreshSlot::Used { .. } => None,
        }
    }

    fn revoke(&mut self, family: u64) {
        if let Some(held) = self.families.get_mut(&family) {
            held.revoked = true;
        }
    }

    fn is_revoked(&self, family: u64) -> bool {
        self.families.get(&family).is_some_and(|f| f.revoked)
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
        let text = store.issue_code(code(), 1000).unwrap();
        assert!(matches!(
            store.redeem_code(&text, 1060),
            CodeFound::Fresh(..)
        ));
        assert!(matches!(store.redeem_code(&text, 1060), CodeFound::Reused));
        let late = store.issue_code(code(), 1000).unwrap();
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
        let text = store.issue_code(code(), 1000).unwrap();
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
        let text = store.issue_code(code(), 1000).unwrap();
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
    fn jtis_are_refused_within_their_window_and_kept_per_kind() {
        let mut store = Store::default();
        assert_eq!(store.first_use(Seen::OpenProof, "j1", 1360, 1000), Ok(()));
        assert_eq!(
            store.first_use(Seen::OpenProof, "j1", 1360, 1360),
            Err(NotFirst::Replayed),
            "until is inclusive"
        );
        for kind in [Seen::Assertion, Seen::ClientProof] {
            assert_eq!(
                store.first_use(kind, "j1", 1360, 1300),
                Ok(()),
                "kinds apart"
            );
        }
        assert_eq!(
            store.first_use(Seen::OpenProof, "j1", 2000, 1361),
            Ok(()),
            "expired"
        );
    }

    /// The finding: with one memory for every kind, 100,001 proofs (anyone can make them)
    /// pushed an assertion's jti out, and the assertion could be replayed.
    #[test]
    fn a_flood_of_proofs_never_flushes_an_assertion() {
        let mut store = Store::default();
        let until = 1000 + 3600;
        assert_eq!(
            store.first_use(Seen::Assertion, "pkj\na1", until, 1000),
            Ok(())
        );
        for kind in [Seen::OpenProof, Seen::ClientProof] {
            for i in 0..Caps::SERVER.jtis {
                let jti = format!("jkt\n{i}");
                assert_eq!(store.first_use(kind, &jti, 1360, 1000), Ok(()));
            }
            assert_eq!(
                store.first_use(kind, "jkt\none more", 1360, 1000),
                Err(NotFirst::Busy(Busy { retry_after: 361 })),
                "full of live proofs: refused, none forgotten"
            );
            assert_eq!(
                store.first_use(kind, "jkt\n0", 1360, 1000),
                Err(NotFirst::Replayed),
                "the first proof is still remembered"
            );
        }
        assert_eq!(
            store.first_use(Seen::Assertion, "pkj\na1", until, 1001),
            Err(NotFirst::Replayed)
        );
        assert_eq!(
            store.first_use(Seen::Assertion, "pkj\na2", until, 1001),
            Ok(()),
            "other kinds' floods leave assertions room"
        );
    }

    #[test]
    fn a_full_memory_refuses_until_an_entry_expires() {
        let mut store = Store::new(Caps::SERVER.at_most(3));
        for (jti, until) in [("a", 1100), ("b", 1050), ("c", 1200)] {
            assert_eq!(store.first_use(Seen::Assertion, jti, until, 1000), Ok(()));
        }
        assert_eq!(
            store.first_use(Seen::Assertion, "d", 1100, 1000),
            Err(NotFirst::Busy(Busy { retry_after: 51 })),
            "b expires first, after 1050"
        );
        assert_eq!(
            store.first_use(Seen::Assertion, "d", 1100, 1050),
            Err(NotFirst::Busy(Busy { retry_after: 1 })),
            "b still counts at 1050"
        );
        assert_eq!(store.first_use(Seen::Assertion, "d", 1100, 1051), Ok(()));
        assert_eq!(
            store.first_use(Seen::Assertion, "a", 1100, 1051),
            Err(NotFirst::Replayed),
            "only the expired one made room"
        );
        assert_eq!(
            store.first_use(Seen::Assertion, "b", 1100, 1101),
            Ok(()),
            "a and d expired at 1101: room again, and b is new again"
        );
        assert_eq!(store.jtis[Seen::Assertion as usize].entries.len(), 2);
        assert_eq!(store.jtis[Seen::Assertion as usize].expiries.len(), 2);
    }

    #[test]
    fn codes_are_not_issued_over_live_ones() {
        let mut store = Store::new(Caps::SERVER.at_most(2));
        let first = store.issue_code(code(), 1000).unwrap();
        store.issue_code(code(), 1000).unwrap();
        assert_eq!(
            store.issue_code(code(), 1030).err(),
            Some(Busy { retry_after: 31 })
        );
        // Redeemed codes count until they expire: a second use must still revoke.
        assert!(matches!(
            store.redeem_code(&first, 1030),
            CodeFound::Fresh(..)
        ));
        assert!(store.issue_code(code(), 1060).is_err());
        assert!(matches!(store.redeem_code(&first, 1060), CodeFound::Reused));
        let fresh = Code {
            expires: 1061 + CODE_TTL,
            ..code()
        };
        let later = store.issue_code(fresh, 1061).unwrap();
        assert!(matches!(
            store.redeem_code(&first, 1061),
            CodeFound::Unknown
        ));
        assert!(matches!(
            store.redeem_code(&later, 1061),
            CodeFound::Fresh(..)
        ));
    }

    #[test]
    fn refresh_tokens_drop_used_ones_first_and_families_with_their_tokens() {
        let mut store = Store::new(Caps::SERVER.at_most(3));
        let ok = |_: &Refresh| Ok::<(), ()>(());
        let family = store.new_family();
        let refresh = |family| Refresh {
            grant: grant(),
            family,
            jkt: None,
        };
        let a = store.issue_refresh(refresh(family));
        let b = store.issue_refresh(refresh(family));
        let c = store.issue_refresh(refresh(store.next_family + 1));
        assert!(matches!(
            store.redeem_refresh(&b, "app", ok),
            Ok(RefreshFound::Live(_))
        ));
        // Full: the used one (b) goes, not the oldest live one (a).
        let d = store.issue_refresh(refresh(family));
        assert!(matches!(
            store.redeem_refresh(&b, "app", ok),
            Ok(RefreshFound::Unknown)
        ));
        // Then the live one issued longest ago.
        let e = store.issue_refresh(refresh(family));
        assert!(matches!(
            store.redeem_refresh(&a, "app", ok),
            Ok(RefreshFound::Unknown)
        ));
        assert!(matches!(
            store.redeem_refresh(&c, "app", ok),
            Ok(RefreshFound::Live(_))
        ));
        // A revoked family stays revoked while one of its tokens is held.
        assert!(matches!(
            store.redeem_refresh(&c, "app", ok),
            Ok(RefreshFound::Reused)
        ));
        store.refresh.revoke(family);
        assert!(matches!(
            store.redeem_refresh(&d, "app", ok),
            Ok(RefreshFound::Revoked)
        ));
        for _ in 0..10 {
            store.issue_refresh(refresh(store.next_family + 5));
        }
        assert!(matches!(
            store.redeem_refresh(&e, "app", ok),
            Ok(RefreshFound::Unknown)
        ));
        let tokens = &store.refresh;
        assert_eq!(tokens.slots.len(), 3);
        assert!(tokens.families.len() == 1 && !tokens.is_revoked(family));
        assert!(tokens.issued.len() <= 6 && tokens.used.is_empty());
    }
}
