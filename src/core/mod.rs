//! The JWT work: parsing, keys, signing, checking, classifying. No clap, no printing, no exit.

pub mod alg;
pub mod batch;
pub mod classify;
pub mod crypto;
pub mod error;
pub mod files;
pub mod inspect;
pub mod json;
pub mod jwe;
pub mod jwk;
pub mod key;
pub mod keyformat;
pub mod keygen;
pub mod keyinput;
pub mod keys;
pub mod keyset;
pub mod mint;
pub mod size;
pub mod time;
pub mod token;
pub mod verify;
