//! Keys and proofs for Open Badges.
//!
//! - [`keys`]: Ed25519, P-256 and RSA (2048+) keys; JWK, Multikey and `did:key` forms.
//! - [`jws`]: compact JWS, refusing `none`, HMAC and algorithm/key mismatches (OB 2.0 signed assertions).
//! - [`vcjwt`]: OB 3.0 VC-JWT (EdDSA, ES256, RS256) with the registered-claim checks.
//! - [`di`]: Data Integrity proofs (`eddsa-rdfc-2022`, `eddsa-jcs-2022`; verify also `ecdsa-rdfc-2019`,
//!   `ecdsa-sd-2023` derived credentials ([`sd`]) and `Ed25519Signature2020`), with the issuer bound to
//!   the signing key as the Digital Bazaar stack does.
//! - [`resolve`]: verification methods from `did:key` offline or from controller documents the caller
//!   supplies; the network lives behind [`resolve::KeyResolver`] in obi-verify.
//!
//! Crypto comes from ed25519-dalek, p256 and aws-lc-rs (RSA: its private-key operations are constant-time,
//! unlike the `rsa` crate's; see CRATES.md). Time and keys are parameters; only [`SecretKey::generate`]
//! reads the operating system's random generator.

mod der;
pub mod di;
pub mod jws;
pub mod keys;
pub mod resolve;
pub mod sd;
pub mod time;
pub mod vcjwt;

pub use keys::{KeyType, PublicKey, SecretKey};
pub use resolve::{
    KeyResolver, OfflineResolver, PublishedKey, VerificationMethod, issuer_method, published_keys,
};
pub use time::CLOCK_LEEWAY;

use serde_json::{Map, Value};

/// Why signing or verifying failed.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// A key could not be read or does not fit.
    #[error("key: {0}")]
    Key(String),
    /// The signature does not match.
    #[error("the signature does not match the signed data (tampered, or signed by another key)")]
    BadSignature,
    /// The JWS algorithm is refused.
    #[error("algorithm refused: {0}")]
    Algorithm(String),
    /// A compact JWS is malformed.
    #[error("JWS: {0}")]
    Jws(String),
    /// A Data Integrity proof is malformed or does not hold.
    #[error("proof: {0}")]
    Proof(String),
    /// A verification method could not be resolved.
    #[error("verification method: {0}")]
    Resolve(String),
    /// A did:web DID is malformed, or a URL is not a did:web document's.
    #[error("did:web: {0}")]
    DidWeb(#[from] resolve::DidWebError),
    /// The document could not be turned into canonical RDF.
    #[error("canonicalization: {0}")]
    JsonLd(#[from] obi_jsonld::JsonLdError),
    /// The operating system's random generator failed.
    #[error("random generator: {0}")]
    Random(String),
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The credential is not valid.
    Error,
    /// Worth knowing; the credential stays valid.
    Warning,
}

/// One check that did not pass cleanly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// A stable rule name.
    pub rule: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// What was found.
    pub message: String,
}

impl Finding {
    fn error(rule: &'static str, message: String) -> Self {
        Finding {
            rule,
            severity: Severity::Error,
            message,
        }
    }

    fn warning(rule: &'static str, message: String) -> Self {
        Finding {
            rule,
            severity: Severity::Warning,
            message,
        }
    }
}

/// The issuer's id: `issuer` as a string, or `issuer.id`.
pub fn issuer_id(credential: &Map<String, Value>) -> Option<&str> {
    // One value, spelled as a string, an object with an id, or either in a one-element array (JSON-LD
    // reads them alike); several issuers are none.
    match obi_core::json::one_or_many(credential.get("issuer")) {
        [Value::String(s)] => Some(s),
        [Value::Object(o)] => o.get("id")?.as_str(),
        _ => None,
    }
}
