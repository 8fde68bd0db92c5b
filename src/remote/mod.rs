//! Remote key sets: HTTPS with the user's trust roots and proxies (`http`), why a fetch
//! failed (`error`), which addresses a fetch may reach (`reach`), discovery and JWKS fetching
//! (`fetch`), the on-disk cache (`cache`), and the key ring that refetches once for an unknown
//! `kid` (`keys`).

pub mod cache;
pub mod error;
pub mod fetch;
pub mod http;
pub mod keys;
pub mod reach;
