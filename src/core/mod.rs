//! The JWT work: parsing, keys, signing, checking, classifying. No clap, no printing, no exit.

pub mod error;
pub mod inspect;
pub mod json;
pub mod size;
pub mod time;
pub mod token;
