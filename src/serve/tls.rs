//! HTTPS: a throwaway CA made at start (its key never leaves memory; a critical name
//! constraint, RFC 5280 §4.2.1.10, limits it to the names it serves) and a leaf certificate
//! for the issuer's host, `localhost`, 127.0.0.1 and ::1; or a certificate and key from PEM
//! files. rustls on aws-lc-rs, the crypto the rest of jwtk uses.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, CidrSubnet, DnType,
    ExtendedKeyUsagePurpose, GeneralSubtree, IsCa, KeyPair, KeyUsagePurpose, NameConstraints,
};
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::error::{Error, Result, ServeProblem};
use crate::files;

/// Where the throwaway CA's certificate was written.
pub enum CaFile {
    /// The `--ca-out` path, kept after the server stops.
    Given(PathBuf),
    /// A temporary file, removed when the server stops.
    Temporary(tempfile::TempPath),
}

impl CaFile {
    /// The file's path.
    pub fn path(&self) -> &Path {
        match self {
            CaFile::Given(path) => path,
            CaFile::Temporary(temp) => temp,
        }
    }
}

fn tls_error(why: impl std::fmt::Display) -> Error {
    ServeProblem::Tls {
        why: why.to_string(),
    }
    .into()
}

/// The names a throwaway leaf names: the issuer's host, then the loopback names.
pub fn leaf_names(issuer_host: &str) -> Vec<String> {
    let host = issuer_host.trim_start_matches('[').trim_end_matches(']');
    let mut names = vec![host.to_string()];
    for name in ["localhost", "127.0.0.1", "::1"] {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names
}

/// A throwaway CA and a leaf for `names`; the CA certificate (PEM) written to `ca_out`, else
/// to a temporary file.
pub fn throwaway(names: &[String], ca_out: Option<&Path>) -> Result<(ServerConfig, CaFile)> {
    let ca_key = KeyPair::generate().map_err(tls_error)?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(tls_error)?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.distinguished_name
        .push(DnType::CommonName, "jwtk serve throwaway CA");
    ca.name_constraints = Some(NameConstraints {
        permitted_subtrees: names.iter().map(|n| subtree(n)).collect(),
        excluded_subtrees: Vec::new(),
    });
    validity(&mut ca);
    let ca = CertifiedIssuer::self_signed(ca, ca_key).map_err(tls_error)?;
    let leaf_key = KeyPair::generate().map_err(tls_error)?;
    let mut leaf = CertificateParams::new(names.to_vec()).map_err(tls_error)?;
    leaf.distinguished_name
        .push(DnType::CommonName, "jwtk serve");
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    validity(&mut leaf);
    let leaf = leaf.signed_by(&leaf_key, &ca).map_err(tls_error)?;
    let ca_pem = ca.pem();
    let ca_file = match ca_out {
        Some(path) => {
            files::write_atomic(path, ca_pem.as_bytes(), files::PUBLIC_MODE, true)?;
            CaFile::Given(path.to_path_buf())
        }
        None => CaFile::Temporary(temporary(&ca_pem)?),
    };
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let config = server_config(vec![leaf.der().clone()], key)?;
    Ok((config, ca_file))
}

/// A permitted subtree for one name: exactly that address, or that DNS name (and, as DNS
/// constraints go, the names under it).
fn subtree(name: &str) -> GeneralSubtree {
    match name.parse::<IpAddr>() {
        Ok(ip) => {
            let prefix = if ip.is_ipv4() { 32 } else { 128 };
            GeneralSubtree::IpAddress(CidrSubnet::from_addr_prefix(ip, prefix))
        }
        Err(_) => GeneralSubtree::DnsName(name.to_string()),
    }
}

/// Valid from yesterday for 90 days: long enough for any test run, short for a stray copy.
fn validity(params: &mut CertificateParams) {
    let day = jiff::SignedDuration::from_hours(24);
    let at = |offset: jiff::SignedDuration| {
        let date = jiff::Timestamp::now()
            .checked_add(offset)
            .unwrap_or(jiff::Timestamp::now())
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date();
        rcgen::date_time_ymd(
            i32::from(date.year()),
            date.month().unsigned_abs(),
            date.day().unsigned_abs(),
        )
    };
    params.not_before = at(-day);
    params.not_after = at(day * 90);
}

fn temporary(pem: &str) -> Result<tempfile::TempPath> {
    use std::io::Write;
    let mut file = tempfile::Builder::new()
        .prefix("jwtk-serve-ca-")
        .suffix(".pem")
        .tempfile()
        .map_err(|io| tls_error(format!("cannot write the CA certificate: {io}")))?;
    file.write_all(pem.as_bytes())
        .and_then(|()| file.flush())
        .map_err(|io| tls_error(format!("cannot write the CA certificate: {io}")))?;
    Ok(file.into_temp_path())
}

/// A certificate chain and its private key from PEM files (`--tls-cert`, `--tls-key`).
pub fn from_files(cert: &Path, key: &Path) -> Result<ServerConfig> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|io| Error::File {
            path: path.to_path_buf(),
            io,
        })
    };
    let chain = CertificateDer::pem_slice_iter(&read(cert)?)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| tls_error(format!("{}: {e}", cert.display())))?;
    if chain.is_empty() {
        return Err(tls_error(format!(
            "{} holds no PEM certificate",
            cert.display()
        )));
    }
    let key_pem = zeroize::Zeroizing::new(read(key)?);
    let key = PrivateKeyDer::from_pem_slice(&key_pem)
        .map_err(|e| tls_error(format!("{}: no PEM private key ({e})", key.display())))?;
    server_config(chain, key)
}

fn server_config(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<ServerConfig> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(tls_error)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_constraints() {
        assert_eq!(
            leaf_names("issuer.test"),
            ["issuer.test", "localhost", "127.0.0.1", "::1"]
        );
        assert_eq!(leaf_names("[::1]"), ["::1", "localhost", "127.0.0.1"]);
        assert!(matches!(subtree("127.0.0.1"), GeneralSubtree::IpAddress(_)));
        assert!(matches!(subtree("localhost"), GeneralSubtree::DnsName(_)));
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("ca.pem");
        let (_, ca) = throwaway(&leaf_names("localhost"), Some(&out)).unwrap();
        assert_eq!(ca.path(), out);
        let pem = std::fs::read_to_string(&out).unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(!pem.contains("PRIVATE"));
    }
}
