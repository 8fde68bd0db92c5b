//! Tokens: finding one in what the user pasted (`paste`), parsing a compact token strictly
//! (`compact`), and what it says — times, sizes, warnings — without verifying anything
//! (`inspect`, `size`).

pub mod compact;
pub mod inspect;
pub mod paste;
pub mod size;

pub use crate::json::{Lite, Members};
pub use compact::*;
pub use inspect::{Review, inspect, jwe_warnings};
pub use paste::extract;
pub use size::SizeReport;
