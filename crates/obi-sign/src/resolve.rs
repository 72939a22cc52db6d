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

/// Controller documents, each standing for the one id it was fetched from (a DID, or an https URL).
///
/// This is where key ownership comes from: a verification method speaks for an issuer only when the
/// document *of the issuer* (the one published at the issuer's own id) lists it under `assertionMethod`
/// ([`issuer_method`]). A document never stands for an id other than the one it came from, and a
/// `controller` value inside a method proves nothing by itself.
pub trait KeyResolver {
    /// The controller document published at `id`, if the caller has it.
    fn document(&self, id: &str) -> Option<&Value>;
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

/// Controller documents handed over by the caller (fetched, or given offline), each bound to the id it
/// was published at. Looks nothing up on the network; did:key needs no document.
#[derive(Debug, Default, Clone)]
pub struct OfflineResolver {
    docs: HashMap<String, Value>,
}

impl OfflineResolver {
    /// No documents: only did:key issuers can be resolved.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add the document published at `id` (a DID, or the https URL it was fetched from). Refused when the
    /// document declares another `id` (or none): a document fetched from X stands for X only, so one
    /// fetched from an attacker's host cannot be filed under the victim's id.
    pub fn with_document(mut self, id: &str, doc: Value) -> Result<Self, SignError> {
        self.add_document(id, doc)?;
        Ok(self)
    }

    /// [`OfflineResolver::with_document`] in place.
    pub fn add_document(&mut self, id: &str, doc: Value) -> Result<(), SignError> {
        match doc.get("id").and_then(Value::as_str) {
            Some(declared) if obi_core::id::same_id(declared, id) => {
                self.docs
                    .insert(obi_core::id::normalize(id).into_owned(), doc);
                Ok(())
            }
            Some(declared) => Err(SignError::Resolve(format!(
                "the document published at {id} says it is {declared}: a controller document must carry the id it is published at"
            ))),
            None => Err(SignError::Resolve(format!(
                "the document published at {id} has no id: a controller document must carry the id it is published at"
            ))),
        }
    }
}

impl KeyResolver for OfflineResolver {
    fn document(&self, id: &str) -> Option<&Value> {
        self.docs.get(obi_core::id::normalize(id).as_ref())
    }
}

/// The verification method `vm_id` as a key of `issuer`, or why it is not one.
///
/// - A `did:key` issuer signs with its own key only (`did:key:z…#z…`).
/// - Any other issuer's own controller document (`resolver.document(issuer)`: its DID document, or the
///   profile / controller document at its https id) must list `vm_id` under `assertionMethod`. The key
///   then comes from that document when the method is embedded in it (under `assertionMethod` or
///   `verificationMethod`); a method listed by reference comes from a `did:key` id itself, or from the
///   document published at the method's own id. An embedded method that names another `controller`
///   is refused.
pub fn issuer_method(
    resolver: &dyn KeyResolver,
    issuer: &str,
    vm_id: &str,
) -> Result<VerificationMethod, SignError> {
    if issuer.is_empty() {
        return Err(SignError::Resolve(
            "the credential names no issuer, so no key can be its".into(),
        ));
    }
    if issuer.starts_with("did:key:") {
        let vm = resolve_did_key(vm_id)?;
        if vm.controller != issuer {
            return Err(SignError::Resolve(format!(
                "{vm_id} is not the key of the did:key issuer {issuer}: a did:key issuer signs only with its own key"
            )));
        }
        return Ok(vm);
    }
    let doc = resolver.document(issuer).ok_or_else(|| {
        SignError::Resolve(
            if issuer.starts_with("did:") || issuer.starts_with("https://") || issuer.starts_with("http://") {
                format!(
                    "the issuer's own controller document ({issuer}) is not available, so no key can be shown to be the issuer's"
                )
            } else {
                format!(
                    "the issuer {issuer} is neither a DID nor a URL: it has no document to list its keys in, so no key can be shown to be the issuer's"
                )
            },
        )
    })?;
    let doc_id = doc.get("id").and_then(Value::as_str).unwrap_or(issuer);
    let full = |v: &str| -> String {
        if v.starts_with('#') {
            format!("{doc_id}{v}")
        } else {
            v.to_owned()
        }
    };
    let id_of = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) => Some(full(s)),
            Value::Object(o) => o.get("id").and_then(Value::as_str).map(full),
            _ => None,
        }
    };
    let same = |v: &Value| id_of(v).is_some_and(|i| obi_core::id::same_id(&i, vm_id));
    let assertion = obi_core::json::one_or_many(doc.get("assertionMethod"));
    if !assertion.iter().any(same) {
        return Err(SignError::Resolve(format!(
            "{vm_id} is not listed under assertionMethod in the issuer's own document ({issuer})"
        )));
    }
    let embedded = assertion
        .iter()
        .chain(obi_core::json::one_or_many(doc.get("verificationMethod")))
        .find(|v| v.is_object() && same(v));
    let key = match embedded {
        Some(m) => {
            if let Some(c) = m.get("controller").and_then(Value::as_str)
                && !obi_core::id::same_id(&full(c), issuer)
            {
                return Err(SignError::Resolve(format!(
                    "the issuer's document lists {vm_id} with controller {c}, not the issuer {issuer}"
                )));
            }
            key_of(m, vm_id)?
        }
        None if vm_id.starts_with("did:key:") => resolve_did_key(vm_id)?.key,
        None => {
            let base = vm_id.split('#').next().unwrap_or(vm_id);
            let other = resolver.document(base).ok_or_else(|| {
                SignError::Resolve(format!(
                    "the issuer lists {vm_id}, but the document published at {base} is not available"
                ))
            })?;
            method_in_document(other, vm_id)?.key
        }
    };
    Ok(VerificationMethod {
        id: vm_id.to_owned(),
        controller: issuer.to_owned(),
        key,
        assertion_method: true,
    })
}

/// The method `vm_id` as its own document describes it, whoever that says controls it. For diagnosis only
/// (`dangerous_*`): nothing here ties the key to an issuer.
pub fn dangerous_method_by_own_document(
    resolver: &dyn KeyResolver,
    vm_id: &str,
) -> Result<VerificationMethod, SignError> {
    if vm_id.starts_with("did:key:") {
        return resolve_did_key(vm_id);
    }
    let base = vm_id.split('#').next().unwrap_or(vm_id);
    let doc = resolver.document(base).ok_or_else(|| {
        SignError::Resolve(format!(
            "no controller document for {vm_id} (published at {base})"
        ))
    })?;
    method_in_document(doc, vm_id)
}

fn key_of(m: &Value, id: &str) -> Result<PublicKey, SignError> {
    if let Some(Value::String(k)) = m.get("publicKeyMultibase") {
        PublicKey::from_multikey(k)
    } else if let Some(jwk) = m.get("publicKeyJwk") {
        PublicKey::from_jwk(jwk)
    } else {
        Err(SignError::Resolve(format!(
            "{id} has neither publicKeyMultibase nor publicKeyJwk"
        )))
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
    let key = key_of(embedded, id)?;
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
