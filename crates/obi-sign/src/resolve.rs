//! Finding the key behind a verification method: `did:key` offline, controller documents given by the
//! caller, and the did:web ↔ URL mapping ([`did_web_url`], [`did_web_for_url`]). The network side (fetching
//! did:web and https controller documents) lives in obi-verify.

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
    // A malformed did:web has no document anywhere: say why rather than "not available".
    if issuer.starts_with("did:web:") {
        did_web_url(issuer)?;
    }
    let doc = resolver.document(issuer).ok_or_else(|| {
        SignError::Resolve(
            if issuer.starts_with("did:") || obi_core::id::normalize(issuer).starts_with("http") {
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

/// Every key the issuer's own document lists under `assertionMethod`, each resolved by
/// [`issuer_method`] (so a VC-JWT's published keys obey the same rule as a Data Integrity proof's
/// method); the ones that cannot be resolved are skipped, with the reason in the second list.
pub fn issuer_keys(resolver: &dyn KeyResolver, issuer: &str) -> (Vec<PublishedKey>, Vec<String>) {
    let (mut keys, mut skipped) = (Vec::new(), Vec::new());
    let Some(doc) = resolver.document(issuer) else {
        return (keys, skipped);
    };
    let doc_id = doc.get("id").and_then(Value::as_str).unwrap_or(issuer);
    for m in obi_core::json::one_or_many(doc.get("assertionMethod"))
        .iter()
        .take(64)
    {
        let Some(id) = m.as_str().or_else(|| m.get("id").and_then(Value::as_str)) else {
            continue;
        };
        let full = match id.strip_prefix('#') {
            Some(_) => format!("{doc_id}{id}"),
            None => id.to_owned(),
        };
        match issuer_method(resolver, issuer, &full) {
            Ok(vm) => keys.push(PublishedKey {
                id: Some(full),
                key: vm.key,
            }),
            Err(e) => skipped.push(e.to_string()),
        }
    }
    (keys, skipped)
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

/// Why a `did:web` DID (or a URL offered as one) was refused. The parse is strict on purpose: the host
/// in the DID is the host obi fetches the document from, so nothing may make the two read differently.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DidWebError {
    /// Not `did:web:` followed by a method-specific id.
    #[error("{0:?} is not a did:web DID (did:web:host[:path…])")]
    NotDidWeb(String),
    /// A character DID Core does not allow in a method-specific id (`@`, `/`, `#`, `?`, spaces, …).
    #[error(
        "{did:?}: {found:?} at character {at} is not allowed in a DID (only letters, digits, \".\", \"-\", \"_\", \":\" and %-escapes)"
    )]
    Character {
        /// The DID.
        did: String,
        /// The character.
        found: char,
        /// Its position (in characters).
        at: usize,
    },
    /// A `%` not followed by two hex digits, or an escape did:web does not allow where it stands.
    #[error("{did:?}: {why}")]
    Escape {
        /// The DID.
        did: String,
        /// What is wrong.
        why: String,
    },
    /// An empty `::` segment, or a `.` / `..` / `.well-known` path segment.
    #[error("{did:?}: {why}")]
    Segment {
        /// The DID.
        did: String,
        /// What is wrong.
        why: String,
    },
    /// The host is not a lower-case DNS name (empty, empty labels, IP address, upper case, …).
    #[error("{did:?}: the host {host:?} {why}")]
    Host {
        /// The DID.
        did: String,
        /// The host as written.
        host: String,
        /// What is wrong.
        why: String,
    },
    /// The port (after `%3A`) is not a number from 1 to 65535.
    #[error("{did:?}: the port {port:?} is not a number from 1 to 65535")]
    Port {
        /// The DID.
        did: String,
        /// The port as written.
        port: String,
    },
    /// A URL that is not the HTTPS location of a did:web document.
    #[error("{url:?} is not where a did:web document lives: {why}")]
    Url {
        /// The URL.
        url: String,
        /// What is wrong.
        why: String,
    },
}

/// did:web → the HTTPS URL of its DID document (did:web method §3.2.1, read): `did:web:example.com` →
/// `https://example.com/.well-known/did.json`, `did:web:example.com%3A8443:users:alice` →
/// `https://example.com:8443/users/alice/did.json`. Takes the whole DID, without a fragment.
///
/// Strict, so that the host fetched is exactly the host the DID names: DID Core syntax (letters, digits,
/// `.`, `-`, `_`, `%`-escapes and `:` only, so no `@` userinfo, `/`, `?` or `#`), a lower-case DNS name
/// for the host (no empty labels, no IP addresses), `%3A` as the only escape in it (for the port), no
/// empty segments (`::`), no `.` / `..` segments, spelled out or escaped, and no escape that a URL parser
/// would turn back into a character that changes the path (`%2F`, `%5C`, `%2E`, unreserved characters).
pub fn did_web_url(did: &str) -> Result<String, SignError> {
    did_web_parts(did)
        .map(|(authority, path)| {
            if path.is_empty() {
                format!("https://{authority}/.well-known/did.json")
            } else {
                format!("https://{authority}/{}/did.json", path.join("/"))
            }
        })
        .map_err(SignError::DidWeb)
}

/// The did:web DID whose document lives at `url` (the inverse of [`did_web_url`]):
/// `https://example.com/.well-known/did.json` → `did:web:example.com`, `https://example.com:8443/u/alice/did.json`
/// → `did:web:example.com%3A8443:u:alice`. Only URLs that [`did_web_url`] produces are accepted.
pub fn did_web_for_url(url: &str) -> Result<String, SignError> {
    let bad = |why: &str| {
        SignError::DidWeb(DidWebError::Url {
            url: url.to_owned(),
            why: why.to_owned(),
        })
    };
    let rest = url
        .strip_prefix("https://")
        .ok_or_else(|| bad("did:web documents are served over https"))?;
    let (authority, path) = rest
        .split_once('/')
        .ok_or_else(|| bad("no path (expected /.well-known/did.json or /…/did.json)"))?;
    let segments: Vec<&str> = if path == ".well-known/did.json" {
        Vec::new()
    } else {
        let p = path
            .strip_suffix("/did.json")
            .ok_or_else(|| bad("the path does not end in /did.json"))?;
        p.split('/').collect()
    };
    let mut did = format!("did:web:{}", authority.replacen(':', "%3A", 1));
    for s in &segments {
        did.push(':');
        did.push_str(s);
    }
    // Whatever the URL holds, the DID must parse strictly and lead back to exactly this URL.
    match did_web_url(&did) {
        Ok(back) if back == url => Ok(did),
        Ok(_) => Err(bad("it is not the URL its DID would lead to")),
        Err(SignError::DidWeb(e)) => Err(bad(&e.to_string())),
        Err(e) => Err(e),
    }
}

/// `did:web:` → (host[:port], path segments), checked.
fn did_web_parts(did: &str) -> Result<(String, Vec<&str>), DidWebError> {
    let msid = did
        .strip_prefix("did:web:")
        .filter(|m| !m.is_empty())
        .ok_or_else(|| DidWebError::NotDidWeb(did.to_owned()))?;
    // DID Core §3.1: method-specific-id = *( *idchar ":" ) 1*idchar;
    // idchar = ALPHA / DIGIT / "." / "-" / "_" / pct-encoded.
    let b = msid.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b':' => i += 1,
            b'%' if b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit) =>
            {
                i += 3
            }
            b'%' => {
                return Err(DidWebError::Escape {
                    did: did.to_owned(),
                    why: format!(
                        "a \"%\" at byte {} is not followed by two hex digits",
                        "did:web:".len() + i
                    ),
                });
            }
            _ => {
                let prefix = &msid[..i];
                let found = msid[i..].chars().next().unwrap_or('?');
                return Err(DidWebError::Character {
                    did: did.to_owned(),
                    found,
                    at: "did:web:".chars().count() + prefix.chars().count(),
                });
            }
        }
    }
    let segment_err = |why: String| DidWebError::Segment {
        did: did.to_owned(),
        why,
    };
    let mut parts = msid.split(':');
    let host_part = parts.next().unwrap_or_default();
    let path: Vec<&str> = parts.collect();
    if host_part.is_empty() {
        return Err(segment_err("the host is empty".into()));
    }
    for (n, s) in path.iter().enumerate() {
        if s.is_empty() {
            return Err(segment_err(format!(
                "path segment {} is empty (\"::\" or a trailing \":\")",
                n + 1
            )));
        }
        check_path_segment(s).map_err(|why| segment_err(format!("path segment {s:?} {why}")))?;
    }
    if path == [".well-known"] {
        return Err(segment_err(
            "the path \".well-known\" names the same document as the bare host".into(),
        ));
    }
    // The host: the only escape allowed is %3A, once, before the port.
    let (host, port) = match split_port(host_part) {
        Some((h, p)) => (h, Some(p)),
        None => (host_part, None),
    };
    if host.contains('%') {
        return Err(DidWebError::Escape {
            did: did.to_owned(),
            why: format!(
                "the host {host_part:?} holds an escape other than one %3A before the port; a host is a plain DNS name"
            ),
        });
    }
    check_host(host).map_err(|why| DidWebError::Host {
        did: did.to_owned(),
        host: host.to_owned(),
        why,
    })?;
    let authority = match port {
        Some(p) => {
            let ok = !p.is_empty()
                && p.len() <= 5
                && p.bytes().all(|c| c.is_ascii_digit())
                && !p.starts_with('0')
                && p.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n));
            if !ok {
                return Err(DidWebError::Port {
                    did: did.to_owned(),
                    port: p.to_owned(),
                });
            }
            format!("{host}:{p}")
        }
        None => host.to_owned(),
    };
    Ok((authority, path))
}

/// `host%3Aport` → (host, port); `%3a` is the same escape.
fn split_port(s: &str) -> Option<(&str, &str)> {
    let i = s.find("%3A").or_else(|| s.find("%3a"))?;
    Some((&s[..i], &s[i + 3..]))
}

/// A lower-case DNS name, as a did:web host must be: labels of letters, digits and inner hyphens (1–63
/// characters each, 253 in all), and not an IP address (did:web forbids them; URL parsers read a name
/// whose last label is numeric as IPv4).
fn check_host(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("is empty".into());
    }
    if host.len() > 253 {
        return Err("is longer than 253 characters".into());
    }
    if host.bytes().any(|c| c.is_ascii_uppercase()) {
        return Err(format!(
            "has upper-case letters; write it as {:?} (a DID is compared byte for byte, a host is not)",
            host.to_ascii_lowercase()
        ));
    }
    let labels: Vec<&str> = host.split('.').collect();
    for l in &labels {
        if l.is_empty() {
            return Err("has an empty label (\"..\", or a leading or trailing \".\")".into());
        }
        if l.len() > 63 {
            return Err(format!("has a label longer than 63 characters ({l:?})"));
        }
        if !l
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        {
            return Err(format!(
                "has a label {l:?} that is not letters, digits and hyphens"
            ));
        }
        if l.starts_with('-') || l.ends_with('-') {
            return Err(format!(
                "has a label {l:?} that starts or ends with a hyphen"
            ));
        }
    }
    let last = labels.last().copied().unwrap_or_default();
    if last.bytes().all(|c| c.is_ascii_digit())
        || (last.starts_with("0x") && last[2..].bytes().all(|c| c.is_ascii_hexdigit()))
    {
        return Err("is an IP address (did:web names hosts by DNS name only)".into());
    }
    Ok(())
}

/// A did:web path segment: no dot segment, spelled out or escaped, and no escape that a URL parser turns
/// back into a character that changes the path (`/`, `\`, `.`, or any other unreserved character, whose
/// escaped form would be a second name for the same URL). Escapes of other bytes (spaces, `@`, UTF-8)
/// stay escaped in the URL.
fn check_path_segment(s: &str) -> Result<(), String> {
    if s == "." || s == ".." {
        return Err("is a dot segment".into());
    }
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3).unwrap_or_default();
            let byte =
                u8::from_str_radix(hex, 16).map_err(|_| format!("has a bad escape %{hex}"))?;
            if byte.is_ascii_alphanumeric()
                || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/' | b'\\')
            {
                return Err(format!(
                    "escapes {:?} as %{hex}; write unreserved characters as they are, and never escape \"/\" or \"\\\"",
                    byte as char
                ));
            }
            if byte < 0x20 || byte == 0x7f {
                return Err(format!("escapes a control character (%{hex})"));
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_web_urls() {
        for (did, url) in [
            (
                "did:web:example.com",
                "https://example.com/.well-known/did.json",
            ),
            (
                "did:web:example.com%3A8443:users:alice",
                "https://example.com:8443/users/alice/did.json",
            ),
            (
                "did:web:w3c-ccg.github.io",
                "https://w3c-ccg.github.io/.well-known/did.json",
            ),
            (
                "did:web:w3c-ccg.github.io:user:alice",
                "https://w3c-ccg.github.io/user/alice/did.json",
            ),
            (
                "did:web:xn--bcher-kva.example",
                "https://xn--bcher-kva.example/.well-known/did.json",
            ),
            (
                "did:web:example.com%3a443",
                "https://example.com:443/.well-known/did.json",
            ),
            (
                "did:web:example.com:a_b:C-d.e",
                "https://example.com/a_b/C-d.e/did.json",
            ),
            (
                "did:web:example.com:caf%C3%A9",
                "https://example.com/caf%C3%A9/did.json",
            ),
            (
                "did:web:example.com:a%20b",
                "https://example.com/a%20b/did.json",
            ),
        ] {
            assert_eq!(did_web_url(did).as_deref(), Ok(url), "{did}");
            if !did.contains("%3a") {
                assert_eq!(did_web_for_url(url).as_deref(), Ok(did), "{url}");
            }
        }
    }

    #[test]
    fn malformed_did_webs_are_refused() {
        for (did, says) in [
            ("did:web:", "not a did:web"),
            ("did:key:z6Mk", "not a did:web"),
            ("did:web:evil.example@victim.example", "'@'"),
            ("did:web:user:pass@victim.example", "'@'"),
            ("did:web:victim.example%2Fevil", "escape"),
            ("did:web:victim.example%2fevil", "escape"),
            ("did:web:victim.example%40evil.example", "escape"),
            ("did:web:victim.example%3A443%3A80", "port"),
            ("did:web:victim.example/evil", "'/'"),
            ("did:web:victim.example#frag", "'#'"),
            ("did:web:victim.example?x=1", "'?'"),
            ("did:web:victim.example\\evil", "'\\\\'"),
            ("did:web:exa mple.com", "' '"),
            ("did:web:a..b", "empty label"),
            ("did:web:.example.com", "empty label"),
            ("did:web:example.com.", "empty label"),
            ("did:web:-example.com", "hyphen"),
            ("did:web:host:..:x", "dot segment"),
            ("did:web:host:.:x", "dot segment"),
            ("did:web:host:%2E%2E:x", "escapes"),
            ("did:web:host:%2e%2e:x", "escapes"),
            ("did:web:host:a%2Fb", "escapes"),
            ("did:web:host:a%5Cb", "escapes"),
            ("did:web:host:%41", "escapes"),
            ("did:web:host:a%00", "control"),
            ("did:web:host::x", "empty"),
            ("did:web:host:", "empty"),
            ("did:web::host", "host is empty"),
            ("did:web:%3A443", "empty"),
            ("did:web:host%3A", "port"),
            ("did:web:host%3A0", "port"),
            ("did:web:host%3A65536", "port"),
            ("did:web:host%3A0443", "port"),
            ("did:web:host%3A44a", "port"),
            ("did:web:host%ZZ", "two hex digits"),
            ("did:web:host%4", "two hex digits"),
            ("did:web:127.0.0.1", "IP address"),
            ("did:web:127.1", "IP address"),
            ("did:web:0x7f.0.0.1", "IP address"),
            ("did:web:10.0.0.0x1", "IP address"),
            ("did:web:Example.com", "upper-case"),
            ("did:web:EXAMPLE.COM", "upper-case"),
            ("did:web:ex_ample.com", "letters, digits and hyphens"),
            ("did:web:exämple.com", "'ä'"),
            ("did:web:example.com:.well-known", ".well-known"),
        ] {
            match did_web_url(did) {
                Err(SignError::DidWeb(e)) => {
                    let m = e.to_string();
                    assert!(m.contains(says), "{did}: {m:?} does not say {says}");
                }
                other => panic!("{did}: {other:?}"),
            }
        }
        let long = format!("did:web:{}.example", "a".repeat(64));
        assert!(did_web_url(&long).is_err());
    }

    #[test]
    fn only_did_web_document_urls_map_back() {
        for url in [
            "http://example.com/.well-known/did.json",
            "https://example.com/did.json",
            "https://example.com/a/b",
            "https://example.com",
            "https://user@example.com/.well-known/did.json",
            "https://Example.com/.well-known/did.json",
            "https://127.0.0.1/.well-known/did.json",
            "https://example.com//did.json",
            "https://example.com/a//b/did.json",
            "https://example.com/../did.json",
            "https://example.com/a:b/did.json",
            "https://example.com/a/did.json?x",
            "https://example.com:443:80/.well-known/did.json",
            "https://example.com/.well-known/did.json#x",
        ] {
            assert!(
                matches!(
                    did_web_for_url(url),
                    Err(SignError::DidWeb(DidWebError::Url { .. }))
                ),
                "{url}: {:?}",
                did_web_for_url(url)
            );
        }
    }

    #[test]
    fn resolution_says_why_a_did_web_is_refused() {
        let e = issuer_method(
            &OfflineResolver::new(),
            "did:web:evil.example@victim.example",
            "did:web:evil.example@victim.example#key-1",
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                SignError::DidWeb(DidWebError::Character { found: '@', .. })
            ),
            "{e}"
        );
    }
}
