//! TLS set-up: the root certificates (bundled Mozilla roots plus
//! `--ca-file`, SSL_CERT_FILE and SSL_CERT_DIR) and the rustls
//! configuration over aws-lc-rs.

use std::path::PathBuf;
use std::sync::Arc;

use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};

/// The TLS configuration of an https agent: exactly these roots.
pub(super) fn config(roots: Arc<Vec<Certificate<'static>>>) -> TlsConfig {
    TlsConfig::builder()
        .root_certs(RootCerts::Specific(roots))
        .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .build()
}

/// Bundled Mozilla roots plus `--ca-file`, SSL_CERT_FILE and SSL_CERT_DIR.
pub(super) fn load_roots(
    ca_files: &[PathBuf],
) -> std::result::Result<Vec<Certificate<'static>>, String> {
    let mut roots: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|c| Certificate::from_der(c.as_ref()).to_owned())
        .collect();
    let mut files: Vec<(PathBuf, bool)> = ca_files.iter().map(|p| (p.clone(), true)).collect();
    if let Some(f) = std::env::var_os("SSL_CERT_FILE").filter(|v| !v.is_empty()) {
        files.push((PathBuf::from(f), false));
    }
    if let Some(dirs) = std::env::var_os("SSL_CERT_DIR").filter(|v| !v.is_empty()) {
        for dir in std::env::split_paths(&dirs) {
            if let Ok(entries) = std::fs::read_dir(&dir) {
                for e in entries.flatten() {
                    if e.path().is_file() {
                        files.push((e.path(), false));
                    }
                }
            }
        }
    }
    for (path, strict) in files {
        // A CA bundle is a few hundred KiB; 16 MiB bounds a wrong path.
        let bytes = match crate::input::read_bounded(&path, 16 << 20) {
            Ok(Some(b)) => b,
            Ok(None) if strict => {
                return Err(format!("--ca-file {}: larger than 16 MiB", path.display()));
            }
            Err(e) if strict => return Err(format!("--ca-file {}: {e}", path.display())),
            Ok(None) | Err(_) => continue,
        };
        let before = roots.len();
        for item in ureq::tls::parse_pem(&bytes).flatten() {
            if let PemItem::Certificate(c) = item {
                roots.push(c);
            }
        }
        if strict && roots.len() == before {
            return Err(format!(
                "--ca-file {}: no PEM certificate found",
                path.display()
            ));
        }
    }
    Ok(roots)
}
