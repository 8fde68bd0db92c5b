//! The JWT work: parsing, keys, signing, checking, classifying. No clap, no printing, no exit.

pub mod alg;
pub mod batch;
pub mod cache;
pub mod classify;
pub mod crypto;
pub mod dpop;
pub mod error;
pub mod fetch;
pub mod files;
pub mod inspect;
pub mod json;
pub mod jwk;
pub mod key;
pub mod keyformat;
pub mod keygen;
pub mod keyinput;
pub mod keys;
pub mod keyset;
pub mod mint;
pub mod paste;
pub mod remote;
pub mod remote_keys;
pub mod size;
pub mod time;
pub mod token;
pub mod verify;
