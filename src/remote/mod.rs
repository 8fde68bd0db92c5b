//! Remote key sets: HTTPS with the user's trust roots and proxies (`http`), why a fetch
//! failed (`error`), which addresses a fetch may reach (`reach`), discovery and JWKS fetching
//! (`fetch`), the on-disk cache (`cache`), a run's remote sets and their one refetch (`keys`),
//! and the key ring of a run, local and remote keys together, rebuilt after a refetch (`ring`).

pub mod cache;
pub mod error;
pub mod fetch;
pub mod http;
pub mod keys;
pub mod reach;
pub mod ring;
