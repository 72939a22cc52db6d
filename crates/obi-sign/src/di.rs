//! W3C Data Integrity proofs: `DataIntegrityProof` with `eddsa-rdfc-2022` and `eddsa-jcs-2022` (sign and
//! verify), `ecdsa-rdfc-2019` (P-256, verify), `ecdsa-sd-2023` derived proofs (P-256, verify; see
//! [`crate::sd`]), and the legacy `Ed25519Signature2020` (verify).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::keys::{KeyType, SecretKey};
use crate::resolve::KeyResolver;
use crate::{SignError, issuer_id};

/// Most proofs checked on one credential.
pub const MAX_PROOFS: usize = 32;

/// Longest `proofValue` accepted (a base58btc Ed25519 or P-256 signature is 86–88 characters).
pub const MAX_PROOF_VALUE: usize = 200;

/// Longest `ecdsa-sd-2023` derived proof value accepted: 64-byte signatures for up to
/// [`crate::sd::MAX_STATEMENTS`] statements, base64url.
pub const MAX_SD_PROOF_VALUE: usize = 128 * 1024;

/// A proof method obi knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suite {
    /// `DataIntegrityProof` / `eddsa-rdfc-2022`: RDFC-1.0 canonical N-Quads, SHA-256, Ed25519.
    EddsaRdfc2022,
    /// `DataIntegrityProof` / `eddsa-jcs-2022`: RFC 8785 JSON canonicalization, SHA-256, Ed25519.
    EddsaJcs2022,
    /// `DataIntegrityProof` / `ecdsa-rdfc-2019` with P-256 (verify only).
    EcdsaRdfc2019,
    /// `Ed25519Signature2020` (verify only; superseded by eddsa-rdfc-2022).
    Ed25519Signature2020,
    /// `DataIntegrityProof` / `ecdsa-sd-2023` with P-256: derived (selectively disclosed) credentials,
    /// verify only (see [`crate::sd`]).
    EcdsaSd2023,
}

impl Suite {
    /// The `cryptosuite` value (or the proof type for the legacy suite).
    pub fn name(self) -> &'static str {
        match self {
            Suite::EddsaRdfc2022 => "eddsa-rdfc-2022",
            Suite::EddsaJcs2022 => "eddsa-jcs-2022",
            Suite::EcdsaRdfc2019 => "ecdsa-rdfc-2019",
            Suite::Ed25519Signature2020 => "Ed25519Signature2020",
            Suite::EcdsaSd2023 => "ecdsa-sd-2023",
        }
    }

    /// The suite of a proof object, if obi knows it.
    pub fn of_proof(proof: &Value) -> Option<Suite> {
        proof.as_object().and_then(|p| Suite::of(p).ok())
    }

    /// Whether checking a proof of this suite expands the document as JSON-LD (RDFC-1.0), in compacted
    /// form; `eddsa-jcs-2022` hashes the JSON instead.
    pub fn expands_document(self) -> bool {
        self != Suite::EddsaJcs2022
    }

    fn key_type(self) -> KeyType {
        match self {
            Suite::EcdsaRdfc2019 | Suite::EcdsaSd2023 => KeyType::P256,
            _ => KeyType::Ed25519,
        }
    }

    fn of(proof: &Map<String, Value>) -> Result<Suite, SignError> {
        // One type, as a string or a one-element array (JSON-LD reads them alike).
        let ty = match obi_core::json::one_or_many(proof.get("type")) {
            [Value::String(t)] => t.as_str(),
            _ => "",
        };
        let suite = proof
            .get("cryptosuite")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match (ty, suite) {
            // `eddsa-2022` is the draft name of eddsa-rdfc-2022 (same algorithm), still in the wild.
            ("DataIntegrityProof", "eddsa-rdfc-2022" | "eddsa-2022") => Ok(Suite::EddsaRdfc2022),
            ("DataIntegrityProof", "eddsa-jcs-2022") => Ok(Suite::EddsaJcs2022),
            ("DataIntegrityProof", "ecdsa-rdfc-2019") => Ok(Suite::EcdsaRdfc2019),
            ("DataIntegrityProof", "ecdsa-sd-2023") => Ok(Suite::EcdsaSd2023),
            ("Ed25519Signature2020", _) => Ok(Suite::Ed25519Signature2020),
            (t, s) => Err(SignError::Proof(format!(
                "unsupported proof type {t:?} with cryptosuite {s:?}: obi verifies DataIntegrityProof (eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019, ecdsa-sd-2023) and Ed25519Signature2020"
            ))),
        }
    }
}

/// What to put in a new proof.
#[derive(Debug, Clone)]
pub struct ProofOptions {
    /// The suite ([`Suite::EddsaRdfc2022`] or [`Suite::EddsaJcs2022`]).
    pub suite: Suite,
    /// The verification method id (`did:key:z…#z…` for did:key keys).
    pub verification_method: String,
    /// `created`, an XML Schema dateTime, if wanted.
    pub created: Option<String>,
}

/// `doc` with a new proof added (to any proofs it already has, making a proof set).
pub fn sign(doc: &Value, key: &SecretKey, opts: &ProofOptions) -> Result<Value, SignError> {
    sign_with_fields(doc, key, opts, &Map::new())
}

/// Like [`sign`], with more members in the proof, signed with it: `expires` (an XML Schema
/// dateTimeStamp after which the proof no longer verifies), `domain`, `challenge`, `nonce`. The members
/// [`sign`] writes itself (`type`, `cryptosuite`, `created`, `verificationMethod`, `proofPurpose`,
/// `proofValue`) cannot be given here.
pub fn sign_with_fields(
    doc: &Value,
    key: &SecretKey,
    opts: &ProofOptions,
    fields: &Map<String, Value>,
) -> Result<Value, SignError> {
    const OWN: [&str; 6] = [
        "type",
        "cryptosuite",
        "created",
        "verificationMethod",
        "proofPurpose",
        "proofValue",
    ];
    if let Some(k) = fields.keys().find(|k| OWN.contains(&k.as_str())) {
        return Err(SignError::Proof(format!(
            "{k:?} is set by the signer from the proof options, not as an extra field"
        )));
    }
    if !matches!(opts.suite, Suite::EddsaRdfc2022 | Suite::EddsaJcs2022) {
        return Err(SignError::Proof(format!(
            "obi does not sign with {}",
            opts.suite.name()
        )));
    }
    if key.key_type() != opts.suite.key_type() {
        return Err(SignError::Proof(format!(
            "{} needs an Ed25519 key, not {:?}",
            opts.suite.name(),
            key.key_type()
        )));
    }
    let obj = doc
        .as_object()
        .ok_or_else(|| SignError::Proof("the credential must be a JSON object".into()))?;
    let mut proof = Map::new();
    proof.insert("type".into(), "DataIntegrityProof".into());
    proof.insert("cryptosuite".into(), opts.suite.name().into());
    if let Some(c) = &opts.created {
        proof.insert("created".into(), c.clone().into());
    }
    proof.insert(
        "verificationMethod".into(),
        opts.verification_method.clone().into(),
    );
    proof.insert("proofPurpose".into(), "assertionMethod".into());
    proof.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
    let data = hash_data(opts.suite, doc, &proof)?;
    let sig = key.sign(&data)?;
    proof.insert(
        "proofValue".into(),
        format!("z{}", bs58::encode(sig).into_string()).into(),
    );
    let mut out = obj.clone();
    let proof = Value::Object(proof);
    match out.remove("proof") {
        None => {
            out.insert("proof".into(), proof);
        }
        Some(Value::Array(mut a)) => {
            a.push(proof);
            out.insert("proof".into(), Value::Array(a));
        }
        Some(existing) => {
            out.insert("proof".into(), Value::Array(vec![existing, proof]));
        }
    }
    Ok(Value::Object(out))
}

/// The outcome for one proof of a document.
#[derive(Debug)]
pub struct ProofCheck {
    /// The cryptosuite (or legacy proof type), as written.
    pub suite: String,
    /// The verification method, as written.
    pub verification_method: String,
    /// `Ok` when the proof verifies and its method may speak for the issuer.
    pub result: Result<(), SignError>,
}

/// Check every proof on `doc` as of `now`. `Err` only when the document has no proof at all or is not an
/// object; each proof's own failure is in its [`ProofCheck`].
///
/// Besides the signature and the key, a proof's own dates count: a proof whose `expires` has passed, whose
/// `created` lies in the future, or whose `created` / `expires` is not an XML Schema dateTimeStamp fails
/// (with [`crate::CLOCK_LEEWAY`] for clock skew).
pub fn verify(
    doc: &Value,
    resolver: &dyn KeyResolver,
    now: DateTime<Utc>,
) -> Result<Vec<ProofCheck>, SignError> {
    verify_with(doc, resolver, true, now)
}

/// Like [`verify`], optionally without requiring the method's controller to be the issuer. Relaxing that
/// lets a key that is not the issuer's "sign" for it: only for diagnosing third-party badges.
pub fn dangerous_verify_without_issuer_binding(
    doc: &Value,
    resolver: &dyn KeyResolver,
    now: DateTime<Utc>,
) -> Result<Vec<ProofCheck>, SignError> {
    verify_with(doc, resolver, false, now)
}

fn verify_with(
    doc: &Value,
    resolver: &dyn KeyResolver,
    issuer_binding: bool,
    now: DateTime<Utc>,
) -> Result<Vec<ProofCheck>, SignError> {
    let obj = doc
        .as_object()
        .ok_or_else(|| SignError::Proof("the credential must be a JSON object".into()))?;
    let proofs = obi_core::json::one_or_many(obj.get("proof"));
    if proofs.is_empty() {
        return Err(SignError::Proof("the credential has no proof".into()));
    }
    if proofs.len() > MAX_PROOFS {
        return Err(SignError::Proof(format!(
            "{} proofs; obi checks at most {MAX_PROOFS} on one credential",
            proofs.len()
        )));
    }
    let mut canon_doc: Option<Result<[u8; 32], SignError>> = None;
    let mut out = Vec::new();
    for p in proofs {
        let suite = p
            .get("cryptosuite")
            .or_else(|| p.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned();
        let vm = p
            .get("verificationMethod")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let result = check_one(p, doc, obj, resolver, issuer_binding, now, &mut canon_doc);
        out.push(ProofCheck {
            suite,
            verification_method: vm,
            result,
        });
    }
    Ok(out)
}

fn check_one(
    p: &Value,
    secured: &Value,
    doc: &Map<String, Value>,
    resolver: &dyn KeyResolver,
    issuer_binding: bool,
    now: DateTime<Utc>,
    doc_hash: &mut Option<Result<[u8; 32], SignError>>,
) -> Result<(), SignError> {
    let proof = p
        .as_object()
        .ok_or_else(|| SignError::Proof("a proof must be an object".into()))?;
    let suite = Suite::of(proof)?;
    check_dates(proof, now)?;
    let purpose = proof
        .get("proofPurpose")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if purpose != "assertionMethod" {
        return Err(SignError::Proof(format!(
            "proofPurpose is {purpose:?}; a credential's proof must be \"assertionMethod\""
        )));
    }
    let value = proof
        .get("proofValue")
        .and_then(Value::as_str)
        .ok_or_else(|| SignError::Proof("the proof has no proofValue".into()))?;
    // A derived selective-disclosure proof carries a signature per revealed statement.
    let limit = if suite == Suite::EcdsaSd2023 {
        MAX_SD_PROOF_VALUE
    } else {
        MAX_PROOF_VALUE
    };
    if value.len() > limit {
        return Err(SignError::Proof(format!(
            "proofValue is {} characters; a {} proof value is under {limit}",
            value.len(),
            suite.name()
        )));
    }
    let sig = if suite == Suite::EcdsaSd2023 {
        Vec::new()
    } else {
        value
            .strip_prefix('z')
            .and_then(|b| bs58::decode(b).into_vec().ok())
            .ok_or_else(|| {
                SignError::Proof("proofValue is not base58btc multibase (\"z…\")".into())
            })?
    };
    let vm_id = proof
        .get("verificationMethod")
        .and_then(Value::as_str)
        .ok_or_else(|| SignError::Proof("the proof has no verificationMethod".into()))?;
    // Whose key this is comes from the issuer's own document, never from the method's.
    let vm = if issuer_binding {
        crate::resolve::issuer_method(resolver, issuer_id(doc).unwrap_or_default(), vm_id)?
    } else {
        crate::resolve::dangerous_method_by_own_document(resolver, vm_id)?
    };
    if vm.key.key_type() != suite.key_type() {
        return Err(SignError::Proof(format!(
            "{} needs a {:?} key; {vm_id} is {:?}",
            suite.name(),
            suite.key_type(),
            vm.key.key_type()
        )));
    }
    if !vm.assertion_method {
        return Err(SignError::Proof(format!(
            "{vm_id} is not listed under assertionMethod by its controller"
        )));
    }
    let mut config = proof.clone();
    config.remove("proofValue");
    if suite == Suite::EcdsaSd2023 {
        let config_hash = rdfc_config_hash(secured, &config)?;
        return crate::sd::verify_derived(secured, config_hash, &vm.key, value);
    }
    let data = match suite {
        Suite::EddsaJcs2022 => hash_data(suite, secured, &config)?,
        _ => {
            let doc_hash = doc_hash.get_or_insert_with(|| rdfc_hash(secured)).clone()?;
            let mut data = rdfc_config_hash(secured, &config)?.to_vec();
            data.extend_from_slice(&doc_hash);
            data
        }
    };
    vm.key.verify(&data, &sig)
}

/// A proof's own period: `created` and `expires` must be XML Schema dateTimeStamps; the proof fails once
/// `expires` has passed, and while `created` is still ahead (both with [`crate::CLOCK_LEEWAY`]).
fn check_dates(proof: &Map<String, Value>, now: DateTime<Utc>) -> Result<(), SignError> {
    let date = |name: &str| -> Result<Option<DateTime<Utc>>, SignError> {
        match proof.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => crate::time::xsd_date_time_stamp(s)
                .map(Some)
                .map_err(|e| SignError::Proof(format!("the proof's {name}: {}", e.0))),
            Some(other) => Err(SignError::Proof(format!(
                "the proof's {name} is {other}, not an XML Schema dateTimeStamp string"
            ))),
        }
    };
    let created = date("created")?;
    let expires = date("expires")?;
    if let Some(e) = expires
        && crate::time::expired(e, now)
    {
        return Err(SignError::Proof(format!(
            "the proof expired at {} (its expires; now is {})",
            e.to_rfc3339(),
            now.to_rfc3339()
        )));
    }
    if let Some(c) = created
        && crate::time::in_future(c, now)
    {
        return Err(SignError::Proof(format!(
            "the proof was created at {}, in the future (now is {}; clocks may differ by {} s at most)",
            c.to_rfc3339(),
            now.to_rfc3339(),
            crate::CLOCK_LEEWAY.num_seconds()
        )));
    }
    Ok(())
}

/// A credential serialized without its `proof` member (for JCS), without copying it.
struct WithoutProof<'a>(&'a Value);

impl serde::Serialize for WithoutProof<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let Value::Object(o) = self.0 else {
            return self.0.serialize(s);
        };
        let mut m = s.serialize_map(None)?;
        for (k, v) in o.iter().filter(|(k, _)| *k != "proof") {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// hash(proof configuration) ‖ hash(document without its proofs), as the suite transforms them.
fn hash_data(
    suite: Suite,
    secured: &Value,
    config: &Map<String, Value>,
) -> Result<Vec<u8>, SignError> {
    match suite {
        Suite::EddsaJcs2022 => {
            let mut cfg = config.clone();
            if let Some(c) = secured.get("@context") {
                cfg.insert("@context".into(), c.clone());
            }
            let jcs = |v: &Value| {
                serde_json_canonicalizer::to_vec(v)
                    .map_err(|e| SignError::Proof(format!("JSON canonicalization failed: {e}")))
            };
            let mut data = Sha256::digest(jcs(&Value::Object(cfg))?).to_vec();
            let doc = serde_json_canonicalizer::to_vec(&WithoutProof(secured))
                .map_err(|e| SignError::Proof(format!("JSON canonicalization failed: {e}")))?;
            data.extend_from_slice(&Sha256::digest(doc));
            Ok(data)
        }
        _ => {
            let mut data = rdfc_config_hash(secured, config)?.to_vec();
            data.extend_from_slice(&rdfc_hash(secured)?);
            Ok(data)
        }
    }
}

fn rdfc_config_hash(secured: &Value, config: &Map<String, Value>) -> Result<[u8; 32], SignError> {
    let mut cfg = config.clone();
    cfg.insert(
        "@context".into(),
        secured.get("@context").cloned().unwrap_or(Value::Null),
    );
    rdfc_hash(&Value::Object(cfg))
}

/// SHA-256 of the canonical N-Quads of `doc` without its `proof`.
fn rdfc_hash(doc: &Value) -> Result<[u8; 32], SignError> {
    let quads = obi_jsonld::to_rdf_compacted_without(doc, Some("proof"))?;
    let nq = obi_jsonld::canonicalize(&quads)?;
    Ok(Sha256::digest(nq.as_bytes()).into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::OfflineResolver;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        "2026-06-01T12:00:00Z".parse().unwrap()
    }

    fn signed(created: Option<&str>, fields: Value) -> Value {
        let key = SecretKey::from_ed25519_seed(&[7; 32]);
        let vm = key.public().did_key_vm().unwrap();
        let did = vm.split('#').next().unwrap().to_owned();
        let doc = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "issuer": did,
            "credentialSubject": {"id": "urn:uuid:9c1a7bd4-0c5b-4a64-9a39-0b4cb7a0a3f0"}
        });
        let opts = ProofOptions {
            suite: Suite::EddsaJcs2022,
            verification_method: vm,
            created: created.map(Into::into),
        };
        sign_with_fields(&doc, &key, &opts, fields.as_object().unwrap()).unwrap()
    }

    fn result(doc: &Value) -> Result<(), SignError> {
        let mut checks = verify(doc, &OfflineResolver::new(), now()).unwrap();
        assert_eq!(checks.len(), 1);
        checks.remove(0).result
    }

    fn refused(doc: &Value, says: &str) {
        match result(doc) {
            Err(SignError::Proof(m)) => assert!(m.contains(says), "{m:?} does not say {says:?}"),
            other => panic!("expected a proof error saying {says:?}, got {other:?}"),
        }
    }

    #[test]
    fn a_current_proof_verifies() {
        result(&signed(
            Some("2026-05-01T00:00:00Z"),
            json!({"expires": "2026-07-01T00:00:00Z"}),
        ))
        .unwrap();
        result(&signed(None, json!({}))).unwrap();
    }

    #[test]
    fn an_expired_proof_fails() {
        refused(
            &signed(
                Some("2026-05-01T00:00:00Z"),
                json!({"expires": "2026-06-01T11:00:00Z"}),
            ),
            "the proof expired at 2026-06-01T11:00:00",
        );
        // Within the leeway it still holds.
        result(&signed(None, json!({"expires": "2026-06-01T11:56:00Z"}))).unwrap();
    }

    #[test]
    fn a_proof_created_in_the_future_fails() {
        refused(
            &signed(Some("2026-06-01T13:00:00Z"), json!({})),
            "in the future",
        );
        result(&signed(Some("2026-06-01T12:04:00Z"), json!({}))).unwrap();
    }

    #[test]
    fn malformed_proof_dates_fail() {
        for (created, fields, says) in [
            (Some("yesterday"), json!({}), "created"),
            (Some("2026-06-01"), json!({}), "created"),
            (Some("2026-06-01T00:00:00"), json!({}), "no time zone"),
            (None, json!({"expires": "2030-13-01T00:00:00Z"}), "expires"),
            (
                None,
                json!({"expires": 1893456000}),
                "not an XML Schema dateTimeStamp string",
            ),
            (None, json!({"expires": null}), "expires"),
            (
                None,
                json!({"expires": ["2030-01-01T00:00:00Z"]}),
                "expires",
            ),
        ] {
            refused(&signed(created, fields), says);
        }
    }

    #[test]
    fn signer_fields_cannot_be_overridden() {
        let key = SecretKey::from_ed25519_seed(&[7; 32]);
        let opts = ProofOptions {
            suite: Suite::EddsaJcs2022,
            verification_method: key.public().did_key_vm().unwrap(),
            created: None,
        };
        let fields = json!({"proofPurpose": "authentication"});
        assert!(sign_with_fields(&json!({}), &key, &opts, fields.as_object().unwrap()).is_err());
    }
}
