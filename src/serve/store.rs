//! What the server remembers between requests, in memory only and bounded: authorization
//! codes (single use, 60 s, bound to their client), refresh tokens (opaque, single use,
//! rotated, in families that a reuse revokes: RFC 9700 §4.14.2), and the `jti`s of client
//! assertions and DPoP proofs already seen, against replay. Codes, tokens and `jti`s are kept
//! by their SHA-256, never as given.
//!
//! Each table holds at most its [`Caps`] (entries; for codes and refresh tokens, bytes too),
//! and what it lets go never opens a door:
//! - `jti`s are kept per kind ([`Seen`]), so a flood of one kind never touches another. An
//!   expired `jti` is dropped first (its assertion or proof is refused by its `exp` or `iat`
//!   by then); when a memory is full of live ones, the new assertion or proof is refused
//!   ([`NotFirst::Busy`]) rather than an older `jti` forgotten, for it could then be replayed.
//! - Codes: an expired one is dropped first; full of live ones, no new code is issued. A
//!   redeemed (spent) code leaves that table for one of its own, kept only so that a second
//!   use can revoke the refresh tokens issued from it (RFC 6749 §4.1.2: the reuse MUST be
//!   denied, and the tokens SHOULD be revoked). Spent codes never hold up a login: full, that
//!   table drops its oldest spent code. A dropped code's reuse is then unknown, still refused
//!   (`invalid_grant`); only the revocation is lost for it. Its refresh tokens' family is
//!   *not* let go with it (unlike a used refresh token's): under a sustained rate of logins
//!   that would log out active users.
//! - Refresh tokens do not expire here, so refusing to issue when full would keep a flood's
//!   effect for as long as the server runs. They are dropped instead — a used one (kept only
//!   to catch its reuse) before any live one, then the live one issued longest ago. That
//!   fails closed: a dropped token is refused as unknown, and its holder signs in again
//!   (`/authorize` has no login page). A used token's family goes with it: its reuse could no
//!   longer revoke the family, so the family's live tokens are refused from then on (else
//!   whoever refreshed first with a stolen token could flood the table until the victim's
//!   reuse revoked nothing).
//! - A request is judged at the instant it started; one that reaches a memory of `jti`s after
//!   a later one has dropped what expired by then is refused if its window has closed
//!   ([`NotFirst::Late`]), for its `jti` may be among those dropped.
//!
//! Memory. A code or refresh token holds its grant's text (client, user, scope; a code also
//! its redirect URI, challenge, nonce and DPoP key), so a count alone bounds little: each
//! entry is charged its place in its table, its boxed record and its strings (each string's
//! capacity, and the allocator's [`ALLOC_OVERHEAD`] for every allocation), and a table whose
//! charges would pass its byte budget refuses or drops as it does at its entry cap. A used
//! token keeps only its place; a spent code, only its place in the spent table, which its
//! entry cap bounds. The tables' containers (hash maps and queues, which keep the capacity a
//! flood grew them to) are bounded by the entry caps; [`Caps::worst_case`] adds them up. With
//! [`Caps::SERVER`] the whole store takes at most 192 MB (a test checks the figures): live
//! codes 33.6 MB of charges, and 10.6 MB of containers for live and spent codes,
//! refresh tokens 67.1 MB and 32.0 MB, and each of the three `jti` memories 16.0 MB. The
//! request limits (`limits`) keep an entry's text to a few KiB, so a budget holds thousands of
//! the largest entries and the count caps' worth of ordinary ones.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::mem::size_of;

use crate::mint;

/// How long a code lives, in seconds.
pub const CODE_TTL: i64 = 60;

/// How much each table holds at most: entries, and for codes and refresh tokens the bytes
/// their entries are charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// Live codes; and, in a table of their own, spent ones.
    pub codes: usize,
    /// Refresh tokens, live or used.
    pub refresh: usize,
    /// The `jti`s of each kind of [`Seen`].
    pub jtis: usize,
    /// The bytes charged for live codes.
    pub code_bytes: usize,
    /// The bytes charged for refresh tokens, live or used.
    pub refresh_bytes: usize,
}

impl Caps {
    /// The server's caps. A `jti` takes 41 bytes in its memory's map (its SHA-256, its expiry
    /// and a control byte) and 40 in its expiry queue; a code or refresh token is charged
    /// against its table's byte budget. [`Caps::worst_case`] is about 192 MB.
    pub const SERVER: Caps = Caps {
        codes: 20_000,
        refresh: 100_000,
        jtis: 100_000,
        code_bytes: 32 << 20,
        refresh_bytes: 64 << 20,
    };

    /// These caps, each entry cap lowered to `most` (at least 1) where it is higher: never
    /// raised. The byte budgets are left as they are: fewer entries only hold fewer bytes.
    pub fn at_most(self, most: usize) -> Caps {
        let most = most.max(1);
        Caps {
            codes: self.codes.min(most),
            refresh: self.refresh.min(most),
            jtis: self.jtis.min(most),
            ..self
        }
    }

    /// The most memory a store with these caps takes, in bytes: the byte budgets of codes and
    /// refresh tokens, and every table's containers at the most the entry caps let them grow.
    /// (What the allocator keeps aside when memory is freed in pieces is not counted.)
    pub const fn worst_case(self) -> usize {
        self.code_bytes
            + code_containers(self.codes)
            + self.refresh_bytes
            + refresh_containers(self.refresh)
            + 3 * jti_containers(self.jtis)
    }
}

/// What the allocator takes past the bytes asked for: glibc's malloc adds an 8-byte header and
/// rounds up to 16, and never gives less than 32.
pub const ALLOC_OVERHEAD: usize = 32;

type Key = [u8; 32];

/// An entry of an expiry queue.
type Expiry = Reverse<(i64, Key)>;

/// The most buckets a hash map holding at most `entries` grows to. hashbrown keeps a power of
/// two of buckets, at most 7/8 of them full (all but one below 8); and once removals have left
/// it no free bucket while more than half its capacity is in use, it doubles rather than
/// rehash in place — so a table filled to its cap, then churned, reaches twice what the cap
/// needs (seen: 100,000 entries churned grow 131,072 buckets to 262,144).
const fn map_buckets(entries: usize) -> usize {
    let needed = if entries < 4 {
        4
    } else if entries < 8 {
        8
    } else {
        (entries * 8).div_ceil(7).next_power_of_two()
    };
    2 * needed
}

/// The most slots a queue holding at most `entries` grows to: it doubles from 4.
const fn queue_slots(entries: usize) -> usize {
    if entries < 4 {
        4
    } else {
        entries.next_power_of_two()
    }
}

/// One bucket of a hash map: the pair and hashbrown's control byte.
const fn bucket<K, V>() -> usize {
    size_of::<(K, V)>() + 1
}

/// A live code's place: its bucket and its expiry.
const CODE_PLACE: usize = bucket::<Key, (i64, Box<Code>)>() + size_of::<Expiry>();

/// A refresh token's place: its bucket, its family's (at most one each), and its key in the
/// queues of tokens issued (where it may be named twice) and used.
const REFRESH_PLACE: usize =
    bucket::<Key, RefreshSlot>() + bucket::<u64, Family>() + 3 * size_of::<Key>();

/// A `jti`'s place.
const JTI_PLACE: usize = bucket::<Key, (i64, ())>() + size_of::<Expiry>();

/// Live codes: their map, and their expiry queue, which may name twice as many (and
/// [`STALE_MARGIN`] and one more) before it is cleared out. Spent codes: their map and queue.
const fn code_containers(cap: usize) -> usize {
    map_buckets(cap) * bucket::<Key, (i64, Box<Code>)>()
        + queue_slots(2 * cap + STALE_MARGIN + 1) * size_of::<Expiry>()
        + map_buckets(cap) * bucket::<Key, (i64, Option<u64>)>()
        + queue_slots(cap) * size_of::<Key>()
}

/// `issued` names at most twice the cap (and one more) before it is cleared out; `used` and
/// the families, at most the cap.
const fn refresh_containers(cap: usize) -> usize {
    map_buckets(cap) * bucket::<Key, RefreshSlot>()
        + map_buckets(cap) * bucket::<u64, Family>()
        + queue_slots(2 * cap + 1) * size_of::<Key>()
        + queue_slots(cap) * size_of::<Key>()
}

const fn jti_containers(cap: usize) -> usize {
    map_buckets(cap) * bucket::<Key, (i64, ())>() + queue_slots(cap) * size_of::<Expiry>()
}

/// The heap bytes an entry holds past its place in its table.
trait Weigh {
    fn weight(&self) -> usize;
}

/// A boxed `T`.
const fn boxed<T>() -> usize {
    size_of::<T>() + ALLOC_OVERHEAD
}

/// A string's heap bytes: its capacity, and the allocator's share (none when it holds none).
fn heap(s: &String) -> usize {
    match s.capacity() {
        0 => 0,
        capacity => capacity + ALLOC_OVERHEAD,
    }
}

fn heap_of(s: &Option<String>) -> usize {
    s.as_ref().map_or(0, heap)
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

    fn heap(&self) -> usize {
        heap(&self.client_id) + heap(&self.user) + heap(&self.scope)
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
    /// Its family was let go: the table, full, dropped a used token of it, so a reuse of that
    /// one could no longer revoke it.
    Forgotten,
    /// Used before: its family is now revoked.
    Reused,
    /// Issued to another client (left as it was).
    OtherClient,
    /// Redeemable: it is now spent.
    Live(Refresh),
}

impl Weigh for Box<Code> {
    fn weight(&self) -> usize {
        boxed::<Code>()
            + self.grant.heap()
            + heap(&self.redirect_uri)
            + heap_of(&self.challenge)
            + heap_of(&self.nonce)
            + heap_of(&self.dpop_jkt)
    }
}

enum RefreshSlot {
    Live(Box<Refresh>),
    Used { family: u64 },
}

impl RefreshSlot {
    fn family(&self) -> u64 {
        match self {
            RefreshSlot::Live(refresh) => refresh.family,
            RefreshSlot::Used { family } => *family,
        }
    }

    /// What it is charged: its place, and what a live token holds.
    fn charge(&self) -> usize {
        REFRESH_PLACE
            + match self {
                RefreshSlot::Live(refresh) => {
                    boxed::<Refresh>() + refresh.grant.heap() + heap_of(&refresh.jkt)
                }
                RefreshSlot::Used { .. } => 0,
            }
    }
}

impl Weigh for () {
    fn weight(&self) -> usize {
        0
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
    /// Its window closed before it reached the memory: the request was judged at an instant
    /// (`now`) earlier than one the memory has since dropped expired `jti`s at, so its own may
    /// be among them. By then its assertion or proof is no longer acceptable anyway.
    Late,
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
    codes: Expiring<Box<Code>>,
    spent: Spent,
    refresh: Tokens,
    next_family: u64,
    jtis: [Expiring<()>; 3],
    /// The latest instant a `jti` was taken at: every `jti` a memory has dropped expired
    /// before it.
    jtis_swept: i64,
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
            codes: Expiring::new(caps.codes, caps.code_bytes, CODE_PLACE),
            spent: Spent::new(caps.codes),
            refresh: Tokens::new(caps.refresh, caps.refresh_bytes),
            next_family: 1,
            // A `jti` weighs nothing past its place: its entry cap bounds its bytes.
            jtis: std::array::from_fn(|_| Expiring::new(caps.jtis, usize::MAX, JTI_PLACE)),
            jtis_swept: i64::MIN,
        }
    }

    /// Remember `code` and return the code to hand out: 128 random bits, base64url. When the
    /// table of live codes is full (of entries or of bytes) of unexpired ones, none is
    /// issued; spent codes never hold one up.
    pub fn issue_code(&mut self, code: Code, now: i64) -> Result<String, Busy> {
        let expires = code.expires;
        let mut code = Box::new(code);
        loop {
            let text = mint::random_id();
            let key = digest(&text);
            if self.spent.entries.contains_key(&key) {
                // 128 random bits met a spent code: draw again.
                continue;
            }
            match self.codes.add(key, expires, code, now) {
                Ok(()) => return Ok(text),
                Err((Refused::Full(busy), _)) => return Err(busy),
                // 128 random bits met a code already out: draw again.
                Err((Refused::There, back)) => code = back,
            }
        }
    }

    /// Redeem a code at `now`: a live one is spent whatever follows (a code is never good
    /// twice) and moves to the spent codes; a spent one revokes the refresh tokens issued
    /// from it.
    pub fn redeem_code(&mut self, text: &str, now: i64) -> CodeFound {
        let key = digest(text);
        if let Some((expires, code)) = self.codes.remove(&key) {
            self.spent.add(key, expires, now);
            return if now > expires {
                CodeFound::Expired
            } else {
                CodeFound::Fresh(code, key)
            };
        }
        match self.spent.entries.get(&key) {
            None => CodeFound::Unknown,
            Some(&(_, family)) => {
                if let Some(family) = family {
                    self.refresh.revoke(family);
                }
                CodeFound::Reused
            }
        }
    }

    /// Say that the refresh tokens of `family` were issued from the code `slot` (nothing when
    /// the spent code has been dropped since).
    pub fn attach_family(&mut self, slot: &[u8; 32], family: u64) {
        if let Some((_, f)) = self.spent.entries.get_mut(slot) {
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
        if tokens.is_forgotten(refresh.family) {
            return Ok(RefreshFound::Forgotten);
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
    /// at which its assertion or proof would still be accepted (an instant that the assertion
    /// or proof alone sets, so that each use of it names the same). Refused when seen before
    /// and not expired — a DPoP proof's in either memory of proofs —, when `until` is before
    /// an instant some memory has dropped expired `jti`s at ([`NotFirst::Late`]), or when the
    /// memory of its kind is full of live `jti`s.
    pub fn first_use(
        &mut self,
        kind: Seen,
        jti: &str,
        until: i64,
        now: i64,
    ) -> Result<(), NotFirst> {
        // Requests are judged at the instant they start and reach the store in any order: one
        // judged earlier than another that has dropped what expired by then could find its
        // own jti dropped, and be taken again.
        self.jtis_swept = self.jtis_swept.max(now);
        if until < self.jtis_swept {
            return Err(NotFirst::Late);
        }
        let key = digest(jti);
        // A token request's proof is kept with its client's kind, but it is one proof: used
        // by a confidential client, it is a replay in a public client's request too.
        let other = match kind {
            Seen::Assertion => None,
            Seen::ClientProof => Some(Seen::OpenProof),
            Seen::OpenProof => Some(Seen::ClientProof),
        };
        if let Some(other) = other
            && self.jtis[other as usize]
                .entries
                .get(&key)
                .is_some_and(|&(kept, ())| kept >= now)
        {
            return Err(NotFirst::Replayed);
        }
        self.jtis[kind as usize]
            .add(key, until, (), now)
            .map_err(|(why, ())| match why {
                Refused::There => NotFirst::Replayed,
                Refused::Full(busy) => NotFirst::Busy(busy),
            })
    }
}

fn digest(text: &str) -> [u8; 32] {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, text.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// Why [`Expiring::add`] refused an entry.
enum Refused {
    /// Its key is there already.
    There,
    /// The table is full of entries that still matter.
    Full(Busy),
}

/// How many stale items the expiry queue of an [`Expiring`] may hold past twice its entries.
const STALE_MARGIN: usize = 1024;

/// Entries that each matter until an instant, at most `cap` of them and `budget` bytes
/// charged (each its `place` and its weight): the expired ones are dropped before one is
/// added, and when all the others still matter the new one is refused, never an old one
/// forgotten. Every entry has a place in `expiries`; an entry removed leaves a stale one there
/// (naming a key not held, or held until another instant), and once `expiries` holds more
/// than twice the entries and [`STALE_MARGIN`], the stale ones are cleared out: it never
/// holds more than twice the cap and the margin, and one more.
struct Expiring<V> {
    entries: HashMap<Key, (i64, V)>,
    expiries: BinaryHeap<Expiry>,
    cap: usize,
    budget: usize,
    place: usize,
    /// What the entries held are charged.
    bytes: usize,
}

impl<V: Weigh> Expiring<V> {
    fn new(cap: usize, budget: usize, place: usize) -> Self {
        Expiring {
            entries: HashMap::new(),
            expiries: BinaryHeap::new(),
            cap,
            budget,
            place,
            bytes: 0,
        }
    }

    /// Whether an item of `expiries` names an entry held.
    fn is_held(&self, &Reverse((expiry, key)): &Expiry) -> bool {
        self.entries
            .get(&key)
            .is_some_and(|&(until, _)| until == expiry)
    }

    /// Take the entry of `key` out: its expiry and value. Its item in `expiries` goes stale.
    fn remove(&mut self, key: &Key) -> Option<(i64, V)> {
        let (until, value) = self.entries.remove(key)?;
        self.bytes -= self.place + value.weight();
        self.clear_out_stale();
        Some((until, value))
    }

    /// Keep `expiries` within twice the entries and the margin.
    fn clear_out_stale(&mut self) {
        if self.expiries.len() > 2 * self.entries.len() + STALE_MARGIN {
            let mut expiries = std::mem::take(&mut self.expiries);
            expiries.retain(|item| self.is_held(item));
            self.expiries = expiries;
        }
    }

    /// Add `key`, which matters until `until` (inclusive), at `now`; refused (the value given
    /// back) when it is there already, or when the table is full of entries that matter.
    fn add(&mut self, key: Key, until: i64, value: V, now: i64) -> Result<(), (Refused, V)> {
        // Expired entries go, and stale items on top, so that the top names the entry that
        // expires soonest.
        while let Some(&top) = self.expiries.peek()
            && (top.0.0 < now || !self.is_held(&top))
        {
            self.expiries.pop();
            // Held, it has expired.
            if self.is_held(&top)
                && let Some((_, gone)) = self.entries.remove(&top.0.1)
            {
                self.bytes -= self.place + gone.weight();
            }
        }
        if self.entries.contains_key(&key) {
            return Err((Refused::There, value));
        }
        let charge = self.place.saturating_add(value.weight());
        if self.entries.len() >= self.cap || self.bytes.saturating_add(charge) > self.budget {
            let soonest = self
                .expiries
                .peek()
                .map_or(now, |Reverse((expiry, _))| *expiry);
            let retry_after = u64::try_from(soonest.saturating_sub(now)).unwrap_or(0);
            let busy = Busy {
                retry_after: retry_after.saturating_add(1),
            };
            return Err((Refused::Full(busy), value));
        }
        self.entries.insert(key, (until, value));
        self.expiries.push(Reverse((until, key)));
        self.bytes += charge;
        self.clear_out_stale();
        Ok(())
    }
}

/// Spent codes: for each, when it expired or expires and the family of the refresh tokens
/// issued from it, at most `cap` of them. Expired ones go from the front of `order`; full,
/// the one spent longest ago goes to make room, never refusing a new one.
struct Spent {
    entries: HashMap<Key, (i64, Option<u64>)>,
    /// In the order spent; it names every entry once, and nothing else.
    order: VecDeque<Key>,
    cap: usize,
}

impl Spent {
    fn new(cap: usize) -> Spent {
        Spent {
            entries: HashMap::new(),
            order: VecDeque::new(),
            cap: cap.max(1),
        }
    }

    /// Hold `key`, spent at `now`, which expires at `expires`.
    fn add(&mut self, key: Key, expires: i64, now: i64) {
        while let Some(&front) = self.order.front()
            && (self.entries.len() >= self.cap
                || self
                    .entries
                    .get(&front)
                    .is_none_or(|&(until, _)| until < now))
        {
            self.order.pop_front();
            self.entries.remove(&front);
        }
        if self.entries.insert(key, (expires, None)).is_none() {
            self.order.push_back(key);
        }
    }
}

/// Refresh tokens and their families, at most `cap` tokens and `budget` bytes charged. Full,
/// a used token goes first (in the order they were used), then the live one issued longest
/// ago.
struct Tokens {
    slots: HashMap<Key, RefreshSlot>,
    /// In the order issued; it may still name tokens since used or dropped.
    issued: VecDeque<Key>,
    /// In the order used; every one names a used token still held.
    used: VecDeque<Key>,
    /// The families with a token held: how many, and whether a reuse revoked them. A family
    /// whose tokens are all dropped is forgotten with them (nothing is left to refuse), so
    /// this holds at most `cap` families.
    families: HashMap<u64, Family>,
    cap: usize,
    budget: usize,
    /// What the tokens held are charged.
    bytes: usize,
}

#[derive(Default)]
struct Family {
    tokens: usize,
    revoked: bool,
    /// A used token of it was let go: a reuse of that one could no longer revoke the family,
    /// so its live tokens are refused ([`RefreshFound::Forgotten`]).
    forgotten: bool,
}

impl Tokens {
    fn new(cap: usize, budget: usize) -> Self {
        Tokens {
            slots: HashMap::new(),
            issued: VecDeque::new(),
            used: VecDeque::new(),
            families: HashMap::new(),
            cap,
            budget,
            bytes: 0,
        }
    }

    /// Hold a new live token, dropping others while the table is full; a token charged more
    /// than the whole budget is held alone.
    fn add(&mut self, key: Key, refresh: Refresh) {
        let slot = RefreshSlot::Live(Box::new(refresh));
        let charge = slot.charge();
        while (self.slots.len() >= self.cap || self.bytes.saturating_add(charge) > self.budget)
            && self.drop_one()
        {}
        self.families.entry(slot.family()).or_default().tokens += 1;
        self.bytes += charge;
        if let Some(old) = self.slots.insert(key, slot) {
            // 256 random bits met a token already out: it is replaced, never counted twice.
            self.bytes -= old.charge();
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

    /// Drop a used token, else the live one issued longest ago; `false` when none is held. A
    /// used token's family is forgotten with it (RFC 9700 §4.14.2: its reuse must still
    /// revoke the family's live tokens, and once it is gone nothing would).
    fn drop_one(&mut self) -> bool {
        let from_used = self.used.pop_front();
        let was_used = from_used.is_some();
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
        self.bytes -= slot.charge();
        let family = slot.family();
        self.release(family);
        if was_used && let Some(held) = self.families.get_mut(&family) {
            held.forgotten = true;
        }
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
    fn spend(&mut self, key: Key) -> Option<Refresh> {
        let slot = self.slots.get_mut(&key)?;
        let family = slot.family();
        let before = slot.charge();
        match std::mem::replace(slot, RefreshSlot::Used { family }) {
            RefreshSlot::Live(refresh) => {
                self.bytes = self.bytes - before + REFRESH_PLACE;
                self.used.push_back(key);
                Some(*refresh)
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

    fn is_forgotten(&self, family: u64) -> bool {
        self.families.get(&family).is_some_and(|f| f.forgotten)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::limits;

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
        assert_eq!(
            store.first_use(Seen::Assertion, "j1", 1360, 1300),
            Ok(()),
            "kinds apart"
        );
        assert_eq!(
            store.first_use(Seen::ClientProof, "j1", 1360, 1300),
            Err(NotFirst::Replayed),
            "a proof is one proof, whichever memory of proofs holds it"
        );
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
                let jti = format!("jkt\n{kind:?}-{i}");
                assert_eq!(store.first_use(kind, &jti, 1360, 1000), Ok(()));
            }
            assert_eq!(
                store.first_use(kind, &format!("jkt\n{kind:?}-one more"), 1360, 1000),
                Err(NotFirst::Busy(Busy { retry_after: 361 })),
                "full of live proofs: refused, none forgotten"
            );
            assert_eq!(
                store.first_use(kind, &format!("jkt\n{kind:?}-0"), 1360, 1000),
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

    /// A DPoP proof is one proof whichever memory holds it: a token request's proof is kept
    /// with its client's kind, so a proof a confidential client used, replayed in a public
    /// client's request (or the other way round), was new to the other memory and accepted.
    #[test]
    fn a_proof_seen_in_one_memory_is_a_replay_in_the_other() {
        let mut store = Store::default();
        for (first, then) in [
            (Seen::ClientProof, Seen::OpenProof),
            (Seen::OpenProof, Seen::ClientProof),
        ] {
            let jti = format!("jkt\n{first:?}");
            assert_eq!(store.first_use(first, &jti, 1360, 1000), Ok(()));
            assert_eq!(
                store.first_use(then, &jti, 1360, 1001),
                Err(NotFirst::Replayed),
                "{first:?} then {then:?}"
            );
        }
        // Once its window has closed, the other memory's stale entry is no replay.
        assert_eq!(
            store.first_use(Seen::ClientProof, "jkt\nold", 1100, 1000),
            Ok(())
        );
        assert_eq!(
            store.first_use(Seen::OpenProof, "jkt\nold", 1460, 1101),
            Ok(())
        );
    }

    /// A request is judged at the instant it started (`now`), and may reach the store after
    /// a later request has dropped what expired by then: a jti whose window closed between
    /// the two was dropped, and its proof or assertion, judged still acceptable at the
    /// earlier instant, went through again. Refused now, as it is by then too old.
    #[test]
    fn a_request_judged_before_the_memory_dropped_its_jti_is_refused() {
        let mut store = Store::default();
        let kinds = [Seen::Assertion, Seen::ClientProof, Seen::OpenProof];
        for kind in kinds {
            assert_eq!(
                store.first_use(kind, &format!("{kind:?}"), 1360, 1000),
                Ok(())
            );
        }
        // A later request drops what expired before 1361 from every memory it adds to.
        for kind in kinds {
            let later = format!("{kind:?} later");
            assert_eq!(store.first_use(kind, &later, 1721, 1361), Ok(()));
        }
        for kind in kinds {
            assert_eq!(
                store.first_use(kind, &format!("{kind:?}"), 1360, 1360),
                Err(NotFirst::Late),
                "{kind:?}: judged at 1360, its last acceptable instant"
            );
        }
        // A request judged at the latest instant yet is taken as always.
        assert_eq!(
            store.first_use(Seen::OpenProof, "k\nnew", 1721, 1361),
            Ok(())
        );
    }

    /// RFC 9700 §4.14.2 via the contract: a reused refresh token revokes its family. When a
    /// full table let a used token go while its family still held a live one, a reuse became
    /// "unknown" and revoked nothing: an attacker who refreshed first with a stolen token
    /// could flood the table (anyone can get refresh tokens: no login page) until the token
    /// was let go, then the victim's reuse no longer revoked the attacker's live token. Now
    /// the family goes with the memory of its used token.
    #[test]
    fn letting_a_used_refresh_token_go_forgets_its_family() {
        let mut store = Store::new(Caps::SERVER.at_most(3));
        let ok = |_: &Refresh| Ok::<(), ()>(());
        let refresh = |family| Refresh {
            grant: grant(),
            family,
            jkt: None,
        };
        let family = store.new_family();
        let stolen = store.issue_refresh(refresh(family));
        // The attacker refreshes first: the stolen token is used, the attacker's is live.
        assert!(matches!(
            store.redeem_refresh(&stolen, "app", ok),
            Ok(RefreshFound::Live(_))
        ));
        let attackers = store.issue_refresh(refresh(family));
        let other = store.new_family();
        store.issue_refresh(refresh(other));
        // The flood: the table is full, and the used token is let go first.
        let flood = store.new_family();
        store.issue_refresh(refresh(flood));
        assert!(matches!(
            store.redeem_refresh(&stolen, "app", ok),
            Ok(RefreshFound::Unknown)
        ));
        assert!(
            matches!(
                store.redeem_refresh(&attackers, "app", ok),
                Ok(RefreshFound::Forgotten)
            ),
            "the family's live token is refused once its used one is let go"
        );
        // A family with no live token left goes quietly.
        let single = store.new_family();
        let one = store.issue_refresh(refresh(single));
        assert!(matches!(
            store.redeem_refresh(&one, "app", ok),
            Ok(RefreshFound::Live(_))
        ));
        store.issue_refresh(refresh(store.next_family + 1));
        store.issue_refresh(refresh(store.next_family + 2));
        assert!(!store.refresh.families.contains_key(&single));
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
            store.first_use(Seen::Assertion, "b", 1200, 1101),
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
        // A redeemed code makes room at once, and is still caught on a second use.
        assert!(matches!(
            store.redeem_code(&first, 1030),
            CodeFound::Fresh(..)
        ));
        store.issue_code(code(), 1030).unwrap();
        assert_eq!(
            store.issue_code(code(), 1060).err(),
            Some(Busy { retry_after: 1 }),
            "full of live codes again"
        );
        assert!(matches!(store.redeem_code(&first, 1060), CodeFound::Reused));
        let fresh = || Code {
            expires: 1061 + CODE_TTL,
            ..code()
        };
        let later = store.issue_code(fresh(), 1061).unwrap();
        store.issue_code(fresh(), 1061).unwrap();
        assert!(matches!(store.redeem_code(&first, 1061), CodeFound::Reused));
        // Spending another drops the spent ones expired by then.
        assert!(matches!(
            store.redeem_code(&later, 1061),
            CodeFound::Fresh(..)
        ));
        assert!(matches!(
            store.redeem_code(&first, 1061),
            CodeFound::Unknown
        ));
        assert_eq!(store.spent.entries.len(), 1);
        assert_eq!(store.spent.order.len(), 1);
    }

    /// The finding: a spent code was kept with the live ones until it expired (only so that
    /// a second use could revoke its tokens), so any sustained rate of logins above the cap a
    /// minute filled the table with spent codes, and every `/authorize` was then refused.
    /// Spent codes are held apart now, the oldest dropped when full.
    #[test]
    fn spent_codes_never_hold_up_a_login() {
        let mut store = Store::new(Caps::SERVER.at_most(2));
        let ok = |_: &Refresh| Ok::<(), ()>(());
        // Issued and redeemed at the same instant: none expires to make room.
        let redeem = |store: &mut Store| {
            let text = store.issue_code(code(), 1000).expect("issued");
            let CodeFound::Fresh(_, slot) = store.redeem_code(&text, 1000) else {
                panic!("fresh")
            };
            let family = store.new_family();
            store.attach_family(&slot, family);
            let refresh = store.issue_refresh(Refresh {
                grant: grant(),
                family,
                jkt: None,
            });
            (text, refresh)
        };
        let (oldest, _) = redeem(&mut store);
        for _ in 0..5 * STALE_MARGIN {
            redeem(&mut store);
        }
        let (second, _) = redeem(&mut store);
        let (last, last_refresh) = redeem(&mut store);
        assert!(store.codes.entries.is_empty());
        assert!(
            store.codes.expiries.len() <= STALE_MARGIN + 1,
            "cleared out"
        );
        assert_eq!(store.spent.entries.len(), 2);
        assert_eq!(store.spent.order.len(), 2);
        // The latest spent codes are still caught, and revoke their tokens.
        assert!(matches!(
            store.redeem_code(&second, 1000),
            CodeFound::Reused
        ));
        assert!(matches!(store.redeem_code(&last, 1000), CodeFound::Reused));
        assert!(matches!(
            store.redeem_refresh(&last_refresh, "app", ok),
            Ok(RefreshFound::Revoked)
        ));
        // A dropped one is unknown (still refused); its family is not let go with it.
        assert!(matches!(
            store.redeem_code(&oldest, 1000),
            CodeFound::Unknown
        ));
        let mut kept = Store::new(Caps {
            codes: 2,
            ..Caps::SERVER
        });
        let (oldest, oldest_refresh) = redeem(&mut kept);
        for _ in 0..2 {
            redeem(&mut kept);
        }
        assert!(matches!(
            kept.redeem_code(&oldest, 1000),
            CodeFound::Unknown
        ));
        assert!(matches!(
            kept.redeem_refresh(&oldest_refresh, "app", ok),
            Ok(RefreshFound::Live(_))
        ));
        // Live codes still refuse when full of live ones.
        let live = store.issue_code(code(), 1000).unwrap();
        store.issue_code(code(), 1000).unwrap();
        assert_eq!(
            store.issue_code(code(), 1000).err(),
            Some(Busy { retry_after: 61 })
        );
        assert!(matches!(
            store.redeem_code(&live, 1000),
            CodeFound::Fresh(..)
        ));
        assert!(store.issue_code(code(), 1000).is_ok());
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

    /// A code whose every string is as long as a request may make it.
    fn largest_code(expires: i64) -> Code {
        let long = |n: usize| "x".repeat(n);
        Code {
            grant: Grant {
                client_id: long(limits::MAX_CLIENT_ID),
                user: long(limits::MAX_LOGIN_HINT),
                scope: long(limits::MAX_SCOPE),
                auth_time: 1000,
            },
            redirect_uri: long(limits::MAX_REDIRECT_URI),
            challenge: Some(long(43)),
            nonce: Some(long(limits::MAX_NONCE)),
            dpop_jkt: Some(long(43)),
            expires,
        }
    }

    fn largest_refresh(family: u64) -> Refresh {
        Refresh {
            grant: largest_code(0).grant,
            family,
            jkt: Some("x".repeat(43)),
        }
    }

    /// What the codes held are charged, summed afresh.
    fn code_charges(store: &Store) -> usize {
        let codes = &store.codes;
        codes
            .entries
            .values()
            .map(|(_, v)| CODE_PLACE + v.weight())
            .sum()
    }

    fn refresh_charges(store: &Store) -> usize {
        store.refresh.slots.values().map(RefreshSlot::charge).sum()
    }

    #[test]
    fn codes_are_not_issued_past_their_byte_budget() {
        let big = Box::new(largest_code(0)).weight() + CODE_PLACE;
        let small = Box::new(code()).weight() + CODE_PLACE;
        assert!(big > 4000 && small < 600, "{big} {small}");
        // Room for three of the largest and one small one, far below the entry cap.
        let caps = Caps {
            code_bytes: 3 * big + small,
            ..Caps::SERVER
        };
        let mut store = Store::new(caps);
        let mut issued = Vec::new();
        for at in [1000, 1010, 1020] {
            issued.push(store.issue_code(largest_code(at + CODE_TTL), at).unwrap());
        }
        assert_eq!(
            store.issue_code(largest_code(1030 + CODE_TTL), 1030).err(),
            Some(Busy { retry_after: 31 }),
            "full of live codes by bytes: refused, none forgotten"
        );
        assert_eq!(store.codes.bytes, 3 * big);
        store.issue_code(code(), 1030).unwrap();
        assert!(store.issue_code(code(), 1030).is_err(), "not one byte more");
        // Redeeming frees a code's charge: its text and its place.
        assert!(matches!(
            store.redeem_code(&issued[0], 1030),
            CodeFound::Fresh(..)
        ));
        assert_eq!(store.codes.bytes, 2 * big + small);
        assert_eq!(store.codes.bytes, code_charges(&store));
        store.issue_code(code(), 1030).unwrap();
        assert!(matches!(
            store.redeem_code(&issued[0], 1030),
            CodeFound::Reused
        ));
        // Once the first two expire, the largest fits again.
        assert!(store.issue_code(largest_code(1100), 1071).is_ok());
        assert!(matches!(
            store.redeem_code(&issued[2], 1071),
            CodeFound::Fresh(..)
        ));
        assert_eq!(store.codes.bytes, code_charges(&store));
        let codes = &store.codes;
        assert!(codes.entries.iter().all(|(&key, &(until, _))| {
            codes
                .expiries
                .iter()
                .any(|&Reverse(item)| item == (until, key))
        }));
    }

    #[test]
    fn refresh_tokens_past_their_byte_budget_drop_used_ones_then_the_oldest() {
        let big = RefreshSlot::Live(Box::new(largest_refresh(1))).charge();
        let caps = Caps {
            refresh_bytes: 3 * big,
            ..Caps::SERVER
        };
        let mut store = Store::new(caps);
        let ok = |_: &Refresh| Ok::<(), ()>(());
        let client = "x".repeat(limits::MAX_CLIENT_ID);
        let [a, b, c] = [1, 2, 3].map(|family| store.issue_refresh(largest_refresh(family)));
        assert!(matches!(
            store.redeem_refresh(&b, &client, ok),
            Ok(RefreshFound::Live(_))
        ));
        assert_eq!(store.refresh.bytes, 2 * big + REFRESH_PLACE);
        // Full by bytes: the used one (b) goes, not the oldest live one (a).
        let d = store.issue_refresh(largest_refresh(4));
        assert!(matches!(
            store.redeem_refresh(&b, &client, ok),
            Ok(RefreshFound::Unknown)
        ));
        assert_eq!(store.refresh.bytes, 3 * big);
        // Then the live one issued longest ago.
        let e = store.issue_refresh(largest_refresh(5));
        assert!(matches!(
            store.redeem_refresh(&a, &client, ok),
            Ok(RefreshFound::Unknown)
        ));
        for live in [c, d, e] {
            assert!(matches!(
                store.redeem_refresh(&live, &client, ok),
                Ok(RefreshFound::Live(_))
            ));
        }
        assert_eq!(store.refresh.bytes, refresh_charges(&store));
        assert_eq!(store.refresh.slots.len(), 3);
        assert_eq!(
            store.refresh.families.len(),
            3,
            "families go with their tokens"
        );
        // A token larger than the whole budget is held alone, never refused.
        let mut tiny = Store::new(Caps {
            refresh_bytes: 1,
            ..Caps::SERVER
        });
        for family in 0..3 {
            tiny.issue_refresh(largest_refresh(family));
        }
        assert_eq!(tiny.refresh.slots.len(), 1);
        assert_eq!(tiny.refresh.bytes, big);
    }

    /// The figures of the module's doc, from the constants.
    #[test]
    fn the_whole_store_takes_at_most_192_mb() {
        let caps = Caps::SERVER;
        let mb = |bytes: usize| (bytes as f64 / 1e6 * 10.0).round() / 10.0;
        assert_eq!(mb(caps.code_bytes), 33.6);
        assert_eq!(mb(code_containers(caps.codes)), 10.6);
        assert_eq!(mb(caps.refresh_bytes), 67.1);
        assert_eq!(mb(refresh_containers(caps.refresh)), 32.0);
        assert_eq!(mb(jti_containers(caps.jtis)), 16.0);
        let total = caps.worst_case();
        assert!(total <= 192_000_000 && total > 191_000_000, "{total}");
        // The test knob lowers entry caps only: never more memory.
        assert!(caps.at_most(50).worst_case() < total);
        assert_eq!(caps.at_most(50).code_bytes, caps.code_bytes);
    }

    /// The accounting against the allocator: a store filled with the largest entries until
    /// every budget and cap binds holds no more heap than [`Caps::worst_case`] says (counted
    /// on this thread: what the store allocated and has not freed, with the allocator's share
    /// of each allocation).
    #[test]
    fn a_store_filled_with_the_largest_entries_stays_within_its_worst_case() {
        let caps = Caps {
            codes: 2_000,
            refresh: 5_000,
            jtis: 1_000,
            code_bytes: 1 << 20,
            refresh_bytes: 2 << 20,
        };
        let code = largest_code(1000 + CODE_TTL);
        let refresh = largest_refresh(1);
        let jtis: Vec<String> = (0..=caps.jtis).map(|i| format!("jti-{i}")).collect();
        let before = counting::held();
        let mut store = Store::new(caps);
        // Spent codes to the cap, and more, churning both tables of codes.
        for _ in 0..3 * caps.codes {
            let text = store.issue_code(code.clone(), 1000).unwrap();
            assert!(matches!(
                store.redeem_code(&text, 1000),
                CodeFound::Fresh(..)
            ));
        }
        assert_eq!(store.spent.entries.len(), caps.codes);
        let mut codes = 0;
        while store.issue_code(code.clone(), 1000).is_ok() {
            codes += 1;
        }
        for family in 0..caps.refresh as u64 {
            store.issue_refresh(Refresh {
                family,
                ..refresh.clone()
            });
        }
        for kind in [Seen::Assertion, Seen::ClientProof, Seen::OpenProof] {
            for jti in &jtis {
                let _ = store.first_use(kind, jti, 2000, 1000);
            }
        }
        let held = usize::try_from(counting::held() - before).unwrap();
        assert!(
            codes > 100 && codes < caps.codes,
            "{codes} codes: bytes bind"
        );
        let tokens = store.refresh.slots.len();
        assert!(
            tokens > 100 && tokens < caps.refresh,
            "{tokens} tokens: bytes bind"
        );
        assert_eq!(store.codes.bytes, code_charges(&store));
        assert_eq!(store.refresh.bytes, refresh_charges(&store));
        assert!(store.codes.bytes <= caps.code_bytes);
        assert!(store.refresh.bytes <= caps.refresh_bytes);
        assert!(
            held <= caps.worst_case(),
            "{held} bytes held, worst case {}",
            caps.worst_case()
        );
        // And the charges are not loose: the text they count is really there.
        assert!(held > store.codes.bytes + store.refresh.bytes / 2, "{held}");
        drop(store);
    }

    /// Heap allocations counted per thread, each with [`ALLOC_OVERHEAD`] (a bound on what
    /// malloc adds), so a test can see what a structure holds.
    mod counting {
        use std::alloc::{GlobalAlloc, Layout, System};
        use std::cell::Cell;

        use super::ALLOC_OVERHEAD;

        struct Counting;

        thread_local! {
            static HELD: Cell<isize> = const { Cell::new(0) };
        }

        fn add(bytes: isize) {
            let _ = HELD.try_with(|held| held.set(held.get() + bytes));
        }

        fn size(layout: Layout) -> isize {
            isize::try_from(layout.size() + ALLOC_OVERHEAD).unwrap_or(isize::MAX)
        }

        // SAFETY: every call goes to the system allocator unchanged; the count is a
        // const-initialised thread-local without a destructor, which never allocates.
        unsafe impl GlobalAlloc for Counting {
            unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
                add(size(layout));
                // SAFETY: the caller's contract, passed on.
                unsafe { System.alloc(layout) }
            }

            unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
                add(-size(layout));
                // SAFETY: the caller's contract, passed on.
                unsafe { System.dealloc(ptr, layout) }
            }

            unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
                add(isize::try_from(new_size).unwrap_or(isize::MAX) - layout.size() as isize);
                // SAFETY: the caller's contract, passed on.
                unsafe { System.realloc(ptr, layout, new_size) }
            }
        }

        #[global_allocator]
        static COUNTING: Counting = Counting;

        /// What this thread has allocated and not freed, in bytes.
        pub(super) fn held() -> isize {
            HELD.with(Cell::get)
        }
    }
}
