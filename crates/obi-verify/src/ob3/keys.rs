//! Finding the keys that speak for an issuer: controller documents, JWKS, jwt-vc-issuer metadata.

use obi_sign::OfflineResolver;
use serde_json::Value;

use crate::fetch::{Fetch, Resource};

/// Most controller documents fetched for one credential's proofs (a credential with thousands of proofs
/// must not turn the verifier into a request generator).
pub const MAX_CONTROLLERS: usize = 8;

/// The documents a credential's proofs are judged by: the issuer's own controller document, fetched from
/// the issuer's id (did:web → its did.json, https → the id itself) and bound to that id, plus the
/// documents of methods it lists by reference only. Nothing a proof names is fetched unless the issuer's
/// document lists it, so a credential cannot make the verifier fetch what it likes.
pub(super) struct IssuerDocuments {
    /// The bound documents, for `obi_sign::resolve::issuer_method`.
    pub(super) resolver: OfflineResolver,
    /// What the issuer's id served, bound or not (a JWKS there has no `id`).
    pub(super) served: Option<Value>,
}

/// Fetch the issuer's documents for the verification methods `methods` (see [`IssuerDocuments`]).
pub(super) async fn resolver_for<F: Fetch>(
    issuer: &str,
    methods: &[String],
    fetch: &F,
    notes: &mut Vec<String>,
) -> IssuerDocuments {
    let mut out = IssuerDocuments {
        resolver: OfflineResolver::new(),
        served: None,
    };
    if issuer.is_empty() || issuer.starts_with("did:key:") {
        return out;
    }
    let Some(url) = controller_url(issuer) else {
        notes.push(format!(
            "the issuer {issuer:?} is neither a DID obi resolves nor a URL, so it publishes no keys"
        ));
        return out;
    };
    let Some(doc) = json_document(fetch, &url, notes).await else {
        return out;
    };
    out.served = Some(doc.clone());
    if doc.get("keys").is_some() {
        // A JWKS: keys for VC-JWT, no controller document.
        return out;
    }
    if let Err(e) = out.resolver.add_document(issuer, doc.clone()) {
        notes.push(e.to_string());
        return out;
    }
    // Methods the issuer lists by reference (not embedded, not did:key) live in their own documents.
    let listed: Vec<String> = obi_core::json::one_or_many(doc.get("assertionMethod"))
        .iter()
        .filter_map(Value::as_str)
        .map(|m| match m.strip_prefix('#') {
            Some(_) => format!("{issuer}{m}"),
            None => m.to_owned(),
        })
        .collect();
    let mut bases: Vec<&str> = methods
        .iter()
        .filter(|vm| !vm.starts_with("did:key:"))
        .filter(|vm| listed.iter().any(|l| obi_core::id::same_id(l, vm)))
        .map(|vm| vm.split('#').next().unwrap_or(vm))
        .filter(|base| !obi_core::id::same_id(base, issuer))
        .collect();
    bases.sort_unstable();
    bases.dedup();
    if bases.len() > MAX_CONTROLLERS {
        notes.push(format!(
            "only the first {MAX_CONTROLLERS} controller documents were fetched"
        ));
        bases.truncate(MAX_CONTROLLERS);
    }
    for base in bases {
        let Some(url) = controller_url(base) else {
            continue;
        };
        if let Some(doc) = json_document(fetch, &url, notes).await
            && let Err(e) = out.resolver.add_document(base, doc)
        {
            notes.push(e.to_string());
        }
    }
    out
}

/// Where the document of a DID or URL controller lives: did:web → its did.json, http(s) → itself.
pub(super) fn controller_url(id: &str) -> Option<String> {
    if let Some(rest) = id.strip_prefix("did:web:") {
        did_web_url(rest)
    } else {
        // Scheme and host are case-insensitive (RFC 3986): fetch the normalized URL.
        let url = obi_core::id::normalize(id);
        (url.starts_with("https://") || url.starts_with("http://")).then(|| url.into_owned())
    }
}

/// A JSON document fetched from `url`, or why not in `notes`.
pub(super) async fn json_document<F: Fetch>(
    fetch: &F,
    url: &str,
    notes: &mut Vec<String>,
) -> Option<Value> {
    match fetch.fetch(url, Resource::Document).await {
        Ok(f) if f.status == 200 => match serde_json::from_slice::<Value>(&f.body) {
            Ok(doc) => Some(doc),
            Err(e) => {
                notes.push(format!("{url} is not JSON: {e}"));
                None
            }
        },
        Ok(f) => {
            notes.push(format!("{url}: HTTP {}", f.status));
            None
        }
        Err(e) => {
            notes.push(e.to_string());
            None
        }
    }
}

/// did:web → the URL of its DID document, from the method-specific part (`example.com%3A8443:users:alice`).
/// `None` when the DID is malformed; [`obi_sign::resolve::did_web_url`] does the strict parse and says why.
pub fn did_web_url(method_specific: &str) -> Option<String> {
    obi_sign::resolve::did_web_url(&format!("did:web:{method_specific}")).ok()
}

/// Most documents read to find an issuer's published keys: its id (DID document, controller document or
/// JWKS), its `/.well-known/jwt-vc-issuer` metadata, and the JWKS that names.
const MAX_KEY_DOCUMENTS: usize = 3;

/// The keys the issuer publishes for VC-JWT: the `assertionMethod` keys of its own (bound) controller
/// document or DID document, the JWKS served at its id, or else the `jwks` / `jwks_uri` of the
/// `/.well-known/jwt-vc-issuer` metadata on its own host (whose `issuer` must be it). Why none were found
/// goes to `notes`.
pub(super) async fn issuer_keys<F: Fetch>(
    issuer: &str,
    docs: &IssuerDocuments,
    fetch: &F,
    notes: &mut Vec<String>,
) -> Vec<obi_sign::PublishedKey> {
    let mut keys = Vec::new();
    if issuer.starts_with("did:key:") {
        match obi_sign::resolve::resolve_did_key(issuer) {
            Ok(m) => keys.push(obi_sign::PublishedKey {
                id: Some(m.id),
                key: m.key,
            }),
            Err(e) => notes.push(e.to_string()),
        }
        return keys;
    }
    let Some(first) = controller_url(issuer) else {
        return keys;
    };
    if obi_sign::KeyResolver::document(&docs.resolver, issuer).is_some() {
        let (found, skipped) = obi_sign::resolve::issuer_keys(&docs.resolver, issuer);
        notes.extend(skipped.into_iter().map(|s| format!("{first}: {s}")));
        keys.extend(found);
    } else if let Some(jwks) = docs.served.as_ref().filter(|d| d.get("keys").is_some()) {
        take_keys(jwks, &first, &mut keys, notes);
    }
    if !keys.is_empty() || issuer.starts_with("did:") {
        return keys;
    }
    // SD-JWT VC issuer metadata: {"issuer": ISS, "jwks": {...}} or {"issuer": ISS, "jwks_uri": URL}.
    let Some(meta_url) = jwt_vc_issuer_url(issuer) else {
        return keys;
    };
    let mut read = 1;
    let Some(meta) = key_document(fetch, &meta_url, notes, &mut read).await else {
        return keys;
    };
    if !meta
        .get("issuer")
        .and_then(Value::as_str)
        .is_some_and(|i| obi_core::id::same_id(i, issuer))
    {
        notes.push(format!("{meta_url} is metadata for another issuer"));
        return keys;
    }
    if let Some(jwks) = meta.get("jwks") {
        take_keys(jwks, &meta_url, &mut keys, notes);
    } else if let Some(uri) = meta.get("jwks_uri").and_then(Value::as_str)
        && let Some(jwks) = key_document(fetch, uri, notes, &mut read).await
    {
        take_keys(&jwks, uri, &mut keys, notes);
    }
    keys
}

fn take_keys(
    doc: &Value,
    url: &str,
    keys: &mut Vec<obi_sign::PublishedKey>,
    notes: &mut Vec<String>,
) {
    let (found, skipped) = obi_sign::published_keys(doc);
    notes.extend(skipped.into_iter().map(|s| format!("{url}: {s}")));
    keys.extend(found);
}

/// `https://host/.well-known/jwt-vc-issuer/path` for issuer `https://host/path`.
fn jwt_vc_issuer_url(issuer: &str) -> Option<String> {
    let url = url::Url::parse(issuer).ok()?;
    let path = url.path().trim_end_matches('/');
    Some(format!(
        "{}/.well-known/jwt-vc-issuer{path}",
        url.origin().ascii_serialization()
    ))
}

async fn key_document<F: Fetch>(
    fetch: &F,
    url: &str,
    notes: &mut Vec<String>,
    read: &mut usize,
) -> Option<Value> {
    if *read >= MAX_KEY_DOCUMENTS {
        return None;
    }
    *read += 1;
    json_document(fetch, url, notes).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_web_urls() {
        assert_eq!(
            did_web_url("example.com").unwrap(),
            "https://example.com/.well-known/did.json"
        );
        assert_eq!(
            did_web_url("example.com%3A8443:users:alice").unwrap(),
            "https://example.com:8443/users/alice/did.json"
        );
        assert!(did_web_url("").is_none());
    }
}
