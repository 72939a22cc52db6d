//! Finding the key behind a verification method: `did:key` offline, controller documents given by the
//! caller. The network side (did:web, https controller documents) implements [`KeyResolver`] in obi-verify.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use crate::SignError;
use crate::keys::PublicKey;

/// A resolved verification method.
#[derive(Debug, Clone)]
pub struct VerificationMethod {
    /// Its id.
    pub id: String,
    /// Its controller (the issuer it speaks for).
    pub controller: String,
    /// The key.
    pub key: PublicKey,
    /// Whether the controller lists it under `assertionMethod` (required to issue credentials).
    pub assertion_method: bool,
}

/// Resolves a verification method id (`did:key:z…#z…`, `https://issuer.example/keys#1`, …) to its key.
pub trait KeyResolver {
    /// The method with this id, or why it cannot be found.
    fn resolve(&self, id: &str) -> Result<VerificationMethod, SignError>;
}

/// `did:key` (Ed25519, P-256), resolved offline.
pub fn resolve_did_key(id: &str) -> Result<VerificationMethod, SignError> {
    let rest = id
        .strip_prefix("did:key:")
        .ok_or_else(|| SignError::Resolve(format!("{id} is not a did:key")))?;
    let (key_part, fragment) = match rest.split_once('#') {
        Some((k, f)) => (k, Some(f)),
        None => (rest, None),
    };
    if let Some(f) = fragment
        && f != key_part
    {
        return Err(SignError::Resolve(format!(
            "{id}: a did:key's only verification method is #{key_part}"
        )));
    }
    let key = did_key_cached(key_part)?;
    Ok(VerificationMethod {
        id: format!("did:key:{key_part}#{key_part}"),
        controller: format!("did:key:{key_part}"),
        key,
        assertion_method: true,
    })
}

/// Decoded did:key keys (decoding an Ed25519 point costs about as much as hashing a credential), kept
/// for the life of the process, up to a bound.
fn did_key_cached(multikey: &str) -> Result<PublicKey, SignError> {
    type Cache = Mutex<HashMap<String, PublicKey>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(k) = cache.lock().ok().and_then(|m| m.get(multikey).cloned()) {
        return Ok(k);
    }
    let key = PublicKey::from_multikey(multikey)?;
    if let Ok(mut m) = cache.lock()
        && m.len() < 4096
    {
        m.insert(multikey.to_owned(), key.clone());
    }
    Ok(key)
}

/// did:key plus controller documents (DID documents or Multikey controller documents) handed over by the
/// caller, keyed by their URL. Looks nothing up on the network.
#[derive(Debug, Default, Clone)]
pub struct OfflineResolver {
    docs: HashMap<String, Value>,
}

impl OfflineResolver {
    /// Only did:key.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a controller document; it is found under its `id` (and `url`, if different).
    pub fn with_document(mut self, url: &str, doc: Value) -> Self {
        if let Some(id) = doc.get("id").and_then(Value::as_str)
            && id != url
        {
            self.docs.insert(id.to_owned(), doc.clone());
        }
        self.docs.insert(url.to_owned(), doc);
        self
    }
}

impl KeyResolver for OfflineResolver {
    fn resolve(&self, id: &str) -> Result<VerificationMethod, SignError> {
        if id.starts_with("did:key:") {
            return resolve_did_key(id);
        }
        let base = id.split('#').next().unwrap_or(id);
        let doc = self
            .docs
            .get(base)
            .or_else(|| self.docs.get(id))
            .ok_or_else(|| {
                SignError::Resolve(format!(
                    "no controller document for {id} (give it to the verifier, e.g. --doc {base}=FILE)"
                ))
            })?;
        method_in_document(doc, id)
    }
}

/// Find method `id` in a controller document, with its key and whether it may assert.
pub fn method_in_document(doc: &Value, id: &str) -> Result<VerificationMethod, SignError> {
    let doc_id = doc.get("id").and_then(Value::as_str).unwrap_or_default();
    let matches = |v: &Value| -> bool {
        let vid = match v {
            Value::String(s) => s.as_str(),
            Value::Object(o) => o.get("id").and_then(Value::as_str).unwrap_or_default(),
            _ => return false,
        };
        vid == id || (vid.starts_with('#') && format!("{doc_id}{vid}") == id)
    };
    let list = |name: &str| -> Vec<&Value> {
        match doc.get(name) {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(v) => vec![v],
            None => vec![],
        }
    };
    // The controller document itself may be the method (a Multikey document).
    let embedded = list("assertionMethod")
        .into_iter()
        .chain(list("verificationMethod"))
        .chain(std::iter::once(doc))
        .find(|v| v.is_object() && matches(v))
        .ok_or_else(|| SignError::Resolve(format!("{id} is not in its controller document")))?;
    let assertion_method = list("assertionMethod").into_iter().any(matches);
    let key = if let Some(Value::String(m)) = embedded.get("publicKeyMultibase") {
        PublicKey::from_multikey(m)?
    } else if let Some(jwk) = embedded.get("publicKeyJwk") {
        PublicKey::from_jwk(jwk)?
    } else {
        return Err(SignError::Resolve(format!(
            "{id} has neither publicKeyMultibase nor publicKeyJwk"
        )));
    };
    let controller = embedded
        .get("controller")
        .and_then(Value::as_str)
        .unwrap_or(doc_id)
        .to_owned();
    Ok(VerificationMethod {
        id: id.to_owned(),
        controller,
        key,
        assertion_method,
    })
}

/// A key a controller publishes: from a JWKS (`{"keys": [JWK…]}`, named by its `kid`) or from a controller
/// document's `assertionMethod` (named by the method id).
#[derive(Debug, Clone)]
pub struct PublishedKey {
    /// The JWK `kid`, or the verification method id.
    pub id: Option<String>,
    /// The key.
    pub key: PublicKey,
}

/// The keys `doc` publishes for issuing: every usable key of a JWKS (keys marked `"use": "enc"` are not
/// for signatures), or the `assertionMethod` keys of a controller document. Keys obi cannot read are
/// skipped, with the reason in the second list.
pub fn published_keys(doc: &Value) -> (Vec<PublishedKey>, Vec<String>) {
    let (mut keys, mut skipped) = (Vec::new(), Vec::new());
    if let Some(Value::Array(jwks)) = doc.get("keys") {
        for jwk in jwks.iter().take(64) {
            if jwk.get("use").and_then(Value::as_str) == Some("enc") {
                continue;
            }
            let id = jwk.get("kid").and_then(Value::as_str).map(str::to_owned);
            match PublicKey::from_jwk(jwk) {
                Ok(key) => keys.push(PublishedKey { id, key }),
                Err(e) => skipped.push(format!("{}: {e}", id.as_deref().unwrap_or("a JWKS key"))),
            }
        }
        return (keys, skipped);
    }
    let methods: Vec<&Value> = match doc.get("assertionMethod") {
        Some(Value::Array(a)) => a.iter().take(64).collect(),
        Some(v) => vec![v],
        None => vec![],
    };
    let doc_id = doc.get("id").and_then(Value::as_str).unwrap_or_default();
    for m in methods {
        let id = match m {
            Value::String(s) => s.clone(),
            Value::Object(o) => o
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            _ => continue,
        };
        let full = if id.starts_with('#') {
            format!("{doc_id}{id}")
        } else {
            id
        };
        match method_in_document(doc, &full) {
            Ok(vm) => keys.push(PublishedKey {
                id: Some(full),
                key: vm.key,
            }),
            Err(e) => skipped.push(e.to_string()),
        }
    }
    (keys, skipped)
}
