//! `ecdsa-sd-2023` derived proofs (W3C Data Integrity ECDSA Cryptosuites v1.0, §3.4), verify only.
//!
//! A holder derives a credential that reveals some statements. The proof value is `u` + base64url of the
//! header `d9 5d 01` and a CBOR array: the issuer's base signature, the ephemeral public key (Multikey bytes,
//! P-256), one signature per non-mandatory statement, the compressed label map (canonical blank node index
//! → HMAC-derived label bytes), and the indexes of the mandatory statements. The verifier canonicalizes the
//! revealed document, replaces canonical blank node labels through the label map, sorts, splits mandatory
//! from non-mandatory statements by index, checks the base signature over
//! `SHA-256(proof config) ‖ ephemeral key ‖ SHA-256(mandatory statements)` with the issuer's key, and each
//! non-mandatory statement against its signature with the ephemeral key.
//!
//! Base proofs (header `d9 5d 00`) are the holder's material for deriving, not something a verifier
//! accepts: they are refused with that reason.

use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ciborium::Value as Cbor;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use crate::SignError;
use crate::keys::PublicKey;

const DERIVED: [u8; 3] = [0xd9, 0x5d, 0x01];
const BASE: [u8; 3] = [0xd9, 0x5d, 0x00];
/// Multicodec prefix of a compressed P-256 public key.
const P256_PUB: [u8; 2] = [0x80, 0x24];
/// Most statements a derived credential may reveal with their own signatures.
pub const MAX_STATEMENTS: usize = 1024;

/// A parsed derived proof value.
struct Derived {
    base_signature: Vec<u8>,
    public_key: Vec<u8>,
    signatures: Vec<Vec<u8>>,
    label_map: HashMap<String, String>,
    mandatory_indexes: Vec<usize>,
}

fn bad(why: impl Into<String>) -> SignError {
    SignError::Proof(format!("ecdsa-sd-2023 proofValue: {}", why.into()))
}

fn bytes(v: Cbor, what: &str) -> Result<Vec<u8>, SignError> {
    match v {
        Cbor::Bytes(b) => Ok(b),
        _ => Err(bad(format!("{what} is not a byte string"))),
    }
}

fn index(v: &Cbor, what: &str) -> Result<usize, SignError> {
    match v {
        Cbor::Integer(i) => {
            usize::try_from(i128::from(*i)).map_err(|_| bad(format!("{what} is negative")))
        }
        _ => Err(bad(format!("{what} is not an integer"))),
    }
}

fn parse_derived(value: &str) -> Result<Derived, SignError> {
    let raw = value
        .strip_prefix('u')
        .and_then(|b| B64.decode(b).ok())
        .ok_or_else(|| bad("not base64url multibase (\"u…\")"))?;
    if raw.starts_with(&BASE) {
        return Err(bad(
            "a base proof, which is the holder's material for deriving; a verifier needs a derived credential",
        ));
    }
    let body = raw
        .strip_prefix(&DERIVED)
        .ok_or_else(|| bad("not a derived proof (header d9 5d 01)"))?;
    let parsed: Cbor = ciborium::from_reader(body).map_err(|e| bad(format!("not CBOR: {e}")))?;
    let Cbor::Array(parts) = parsed else {
        return Err(bad("not a CBOR array"));
    };
    let [base, key, sigs, labels, mandatory]: [Cbor; 5] = parts
        .try_into()
        .map_err(|_| bad("a derived proof has five components"))?;
    let Cbor::Array(sigs) = sigs else {
        return Err(bad("the signatures are not an array"));
    };
    if sigs.len() > MAX_STATEMENTS {
        return Err(bad(format!("more than {MAX_STATEMENTS} signatures")));
    }
    let signatures = sigs
        .into_iter()
        .map(|s| bytes(s, "a statement signature"))
        .collect::<Result<Vec<_>, _>>()?;
    let Cbor::Map(labels) = labels else {
        return Err(bad("the label map is not a map"));
    };
    let mut label_map = HashMap::new();
    for (k, v) in labels {
        let k = index(&k, "a label map key")?;
        let v = bytes(v, "a label map value")?;
        label_map.insert(format!("c14n{k}"), format!("u{}", B64.encode(v)));
    }
    let Cbor::Array(mandatory) = mandatory else {
        return Err(bad("the mandatory indexes are not an array"));
    };
    let mandatory_indexes = mandatory
        .iter()
        .map(|m| index(m, "a mandatory index"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Derived {
        base_signature: bytes(base, "the base signature")?,
        public_key: bytes(key, "the public key")?,
        signatures,
        label_map,
        mandatory_indexes,
    })
}

/// Verify a derived `ecdsa-sd-2023` proof on `secured` (the revealed credential, `proof` included) with
/// the issuer's key; `config` is the proof without `proofValue`, `config_hash` its canonical hash.
pub(crate) fn verify_derived(
    secured: &Value,
    config_hash: [u8; 32],
    issuer_key: &PublicKey,
    value: &str,
) -> Result<(), SignError> {
    let d = parse_derived(value)?;
    let quads = obi_jsonld::to_rdf_compacted_without(secured, Some("proof"))?;
    let lines =
        obi_jsonld::canonicalize_relabeled(&quads, obi_jsonld::CanonLimits::default(), |c| {
            d.label_map.get(c).cloned()
        })?;
    let (mut mandatory, mut optional) = (Vec::new(), Vec::new());
    for (i, line) in lines.iter().enumerate() {
        if d.mandatory_indexes.contains(&i) {
            mandatory.push(line.as_str());
        } else {
            optional.push(line.as_str());
        }
    }
    if let Some(i) = d.mandatory_indexes.iter().find(|i| **i >= lines.len()) {
        return Err(bad(format!(
            "mandatory statement {i} does not exist (the credential has {} statements)",
            lines.len()
        )));
    }
    let mut mandatory_hash = Sha256::new();
    for line in &mandatory {
        mandatory_hash.update(line.as_bytes());
    }
    let mut to_verify = config_hash.to_vec();
    to_verify.extend_from_slice(&d.public_key);
    to_verify.extend_from_slice(&mandatory_hash.finalize());
    issuer_key
        .verify(&to_verify, &d.base_signature)
        .map_err(|_| bad("the issuer's base signature does not match the mandatory statements"))?;
    let ephemeral = d
        .public_key
        .strip_prefix(&P256_PUB)
        .and_then(|k| p256::ecdsa::VerifyingKey::from_sec1_bytes(k).ok())
        .map(PublicKey::P256)
        .ok_or_else(|| bad("the ephemeral key is not a P-256 Multikey"))?;
    if d.signatures.len() != optional.len() {
        return Err(bad(format!(
            "{} statement signatures for {} non-mandatory statements",
            d.signatures.len(),
            optional.len()
        )));
    }
    for (n, (line, sig)) in optional.iter().zip(&d.signatures).enumerate() {
        ephemeral.verify(line.as_bytes(), sig).map_err(|_| {
            bad(format!(
                "statement {n} does not match its signature: {}",
                line.trim_end()
            ))
        })?;
    }
    Ok(())
}
