//! JSON-LD context processing against the contexts pinned in `obi-contexts`.
//!
//! What it does: turns a document's `@context` (a URL, an inline object, an array of both, `null`) into an
//! [`ActiveContext`] that expands terms, compact IRIs and `@vocab`-relative names to absolute IRIs, the way
//! the JSON-LD 1.1 context processing algorithm does (term definitions, prefixes, `@vocab`, keyword aliases,
//! property- and type-scoped contexts kept for the caller to apply). Remote contexts resolve only to the
//! bundled documents; any other URL is an error that names it. Processed bundled contexts are cached for the
//! life of the process: they never change, so each is processed once.
//!
//! What it does not do (yet): full expansion to RDF and RDFC-1.0 canonicalization; they come with the
//! OB 3.0 proofs. Why by hand: the Rust JSON-LD crates re-process every context on every call (about 0.3 ms
//! for a 3 KB context, see CRATES.md) and offer no term-level API; OB 2.0 validation only needs to map each
//! key of a document to its IRI and back to the OB 2.0 term, which this crate does in microseconds.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Map, Value};

/// Why a context could not be processed.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonLdError {
    /// A remote context that obi does not carry. obi never fetches contexts.
    #[error(
        "unknown JSON-LD context {0}: obi only uses the contexts it carries (give the document with --doc)"
    )]
    UnknownContext(String),
    /// The context is not shaped as JSON-LD requires.
    #[error("invalid JSON-LD context: {0}")]
    InvalidContext(String),
    /// Contexts nest or import each other too deeply (or in a cycle).
    #[error("JSON-LD contexts nest more than {0} levels deep (cycle?)")]
    TooDeep(usize),
}

/// The most nested context references followed while processing one `@context`.
pub const MAX_CONTEXT_DEPTH: usize = 16;

/// One term definition.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermDefinition {
    /// The IRI or keyword the term maps to; `None` for a term explicitly mapped to `null`.
    pub iri: Option<String>,
    /// `@type` coercion (`@id`, `@vocab`, `@json` or a datatype IRI).
    pub type_mapping: Option<String>,
    /// `@container` values.
    pub container: Vec<String>,
    /// A property- or type-scoped context, unprocessed.
    pub scoped_context: Option<Value>,
    /// Whether the term can serve as a prefix in compact IRIs.
    pub prefix: bool,
}

/// The result of processing `@context` values: term definitions and `@vocab`.
#[derive(Debug, Clone, Default)]
pub struct ActiveContext {
    terms: HashMap<String, TermDefinition>,
    vocab: Option<String>,
}

impl ActiveContext {
    /// An empty context.
    pub fn new() -> Self {
        Self::default()
    }

    /// The processed bundled context at `url` (cached).
    pub fn for_url(url: &str) -> Result<Arc<ActiveContext>, JsonLdError> {
        if let Some(c) = cached(url) {
            return Ok(c);
        }
        let processed = Arc::new(ActiveContext::new().process_url(url, 0)?);
        if let Ok(mut m) = cache().lock() {
            m.insert(url.to_owned(), processed.clone());
        }
        Ok(processed)
    }

    /// This context updated with a local `@context` value.
    pub fn process(&self, local: &Value) -> Result<ActiveContext, JsonLdError> {
        self.process_at(local, 0)
    }

    /// Like [`ActiveContext::process`], sharing the cached processed context when an empty context meets
    /// a single bundled context URL (the common case: `"@context": "https://w3id.org/openbadges/v2"`).
    pub fn process_shared(
        self: &Arc<Self>,
        local: &Value,
    ) -> Result<Arc<ActiveContext>, JsonLdError> {
        match local {
            Value::String(url) if self.is_empty() => ActiveContext::for_url(url),
            Value::Array(items) if self.is_empty() && items.len() == 1 && items[0].is_string() => {
                ActiveContext::for_url(items[0].as_str().unwrap_or_default())
            }
            _ => Ok(Arc::new(self.process(local)?)),
        }
    }

    /// Whether the context defines nothing.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.vocab.is_none()
    }

    fn process_at(&self, local: &Value, depth: usize) -> Result<ActiveContext, JsonLdError> {
        if depth > MAX_CONTEXT_DEPTH {
            return Err(JsonLdError::TooDeep(MAX_CONTEXT_DEPTH));
        }
        let mut result = self.clone();
        let items: &[Value] = match local {
            Value::Array(a) => a,
            other => std::slice::from_ref(other),
        };
        for item in items {
            match item {
                Value::Null => result = ActiveContext::new(),
                Value::String(url) => result = result.process_url(url, depth + 1)?,
                Value::Object(def) => result.apply_object(def, depth)?,
                other => {
                    return Err(JsonLdError::InvalidContext(format!(
                        "a context must be a URL, an object, null or an array of those, not {}",
                        kind(other)
                    )));
                }
            }
        }
        Ok(result)
    }

    fn process_url(&self, url: &str, depth: usize) -> Result<ActiveContext, JsonLdError> {
        if depth > MAX_CONTEXT_DEPTH {
            return Err(JsonLdError::TooDeep(MAX_CONTEXT_DEPTH));
        }
        if self.is_empty()
            && depth > 0
            && let Some(cached) = cached(url)
        {
            return Ok((*cached).clone());
        }
        let doc = obi_contexts::get(url)
            .filter(|d| d.kind == obi_contexts::Kind::Context)
            .ok_or_else(|| JsonLdError::UnknownContext(url.to_owned()))?;
        let parsed: Value = serde_json::from_str(doc.text)
            .map_err(|e| JsonLdError::InvalidContext(format!("{url}: {e}")))?;
        let inner = parsed
            .get("@context")
            .ok_or_else(|| JsonLdError::InvalidContext(format!("{url} has no @context")))?;
        self.process_at(inner, depth)
    }

    fn apply_object(&mut self, def: &Map<String, Value>, depth: usize) -> Result<(), JsonLdError> {
        if let Some(import) = def.get("@import") {
            let Value::String(url) = import else {
                return Err(JsonLdError::InvalidContext("@import must be a URL".into()));
            };
            let imported = ActiveContext::new().process_url(url, depth + 1)?;
            self.terms.extend(imported.terms);
            if imported.vocab.is_some() {
                self.vocab = imported.vocab;
            }
        }
        match def.get("@vocab") {
            Some(Value::Null) => self.vocab = None,
            Some(Value::String(v)) => {
                let expanded = self.expand_iri(v, true).unwrap_or_else(|| v.clone());
                self.vocab = Some(expanded);
            }
            Some(other) => {
                return Err(JsonLdError::InvalidContext(format!(
                    "@vocab must be a string or null, not {}",
                    kind(other)
                )));
            }
            None => {}
        }
        // Term definitions may refer to each other in any order: resolve in passes, then fall back to
        // the raw value for any that remain (they are absolute IRIs or keywords).
        let pending: Vec<(&String, &Value)> =
            def.iter().filter(|(k, _)| !k.starts_with('@')).collect();
        for (term, value) in &pending {
            let mut visiting = Vec::new();
            let td = self.define(def, term, value, &mut visiting)?;
            self.terms.insert((*term).clone(), td);
        }
        Ok(())
    }

    fn define(
        &self,
        local: &Map<String, Value>,
        term: &str,
        value: &Value,
        visiting: &mut Vec<String>,
    ) -> Result<TermDefinition, JsonLdError> {
        if visiting.iter().any(|t| t == term) || visiting.len() > MAX_CONTEXT_DEPTH {
            return Err(JsonLdError::InvalidContext(format!(
                "cyclic IRI mapping for term {term:?}"
            )));
        }
        visiting.push(term.to_owned());
        let mut td = TermDefinition::default();
        let id = match value {
            Value::Null => {
                visiting.pop();
                return Ok(td);
            }
            Value::String(s) => Some(s.as_str()),
            Value::Object(o) => {
                if let Some(t) = o.get("@type") {
                    let Value::String(t) = t else {
                        return Err(JsonLdError::InvalidContext(format!(
                            "@type of term {term:?} must be a string"
                        )));
                    };
                    td.type_mapping = Some(if t.starts_with('@') {
                        t.clone()
                    } else {
                        self.expand_with(local, t, visiting)?
                            .unwrap_or_else(|| t.clone())
                    });
                }
                match o.get("@container") {
                    Some(Value::String(c)) => td.container = vec![c.clone()],
                    Some(Value::Array(cs)) => {
                        td.container = cs
                            .iter()
                            .filter_map(|c| c.as_str().map(str::to_owned))
                            .collect()
                    }
                    _ => {}
                }
                td.scoped_context = o.get("@context").cloned();
                td.prefix = matches!(o.get("@prefix"), Some(Value::Bool(true)));
                match o.get("@id") {
                    Some(Value::String(s)) => Some(s.as_str()),
                    Some(Value::Null) => {
                        visiting.pop();
                        return Ok(td);
                    }
                    Some(_) => {
                        return Err(JsonLdError::InvalidContext(format!(
                            "@id of term {term:?} must be a string"
                        )));
                    }
                    None => None,
                }
            }
            other => {
                return Err(JsonLdError::InvalidContext(format!(
                    "term {term:?} must be defined by a string, an object or null, not {}",
                    kind(other)
                )));
            }
        };
        td.iri = match id {
            Some(id) if id.starts_with('@') => Some(id.to_owned()),
            Some(id) => Some(
                self.expand_with(local, id, visiting)?
                    .unwrap_or_else(|| id.to_owned()),
            ),
            None => {
                // No @id: a compact IRI term expands itself, otherwise @vocab + term.
                if term.contains(':') {
                    self.expand_with(local, term, visiting)?
                } else {
                    self.vocab.as_ref().map(|v| format!("{v}{term}"))
                }
            }
        };
        if let (Some(iri), Value::String(_)) = (&td.iri, value) {
            // A simple term whose IRI ends in a gen-delim character may serve as a prefix.
            td.prefix = iri.ends_with(['/', '#', ':', '?', '[', ']', '@']);
        }
        visiting.pop();
        Ok(td)
    }

    /// Expand `value` while a local context object is being processed: its own term definitions win.
    fn expand_with(
        &self,
        local: &Map<String, Value>,
        value: &str,
        visiting: &mut Vec<String>,
    ) -> Result<Option<String>, JsonLdError> {
        if value.starts_with('@') {
            return Ok(Some(value.to_owned()));
        }
        if let Some((prefix, suffix)) = value.split_once(':') {
            if suffix.starts_with("//") || prefix == "_" {
                return Ok(Some(value.to_owned()));
            }
            if let Some(pv) = local.get(prefix) {
                let td = self.define(local, prefix, pv, visiting)?;
                return Ok(Some(match td.iri {
                    Some(base) => format!("{base}{suffix}"),
                    None => value.to_owned(),
                }));
            }
            if let Some(td) = self.terms.get(prefix)
                && let Some(base) = &td.iri
            {
                return Ok(Some(format!("{base}{suffix}")));
            }
            return Ok(Some(value.to_owned()));
        }
        if let Some(v) = local.get(value) {
            return Ok(self.define(local, value, v, visiting)?.iri);
        }
        Ok(self.expand_iri(value, true))
    }

    /// Expand a term, compact IRI or IRI. `vocab` is true for keys and `@type` values (terms and
    /// `@vocab` apply), false for `@id` values (only compact IRIs and absolute IRIs are expanded).
    /// Returns `None` when the value does not expand to an IRI (an undefined term: JSON-LD drops it).
    pub fn expand_iri(&self, value: &str, vocab: bool) -> Option<String> {
        if value.starts_with('@') {
            return Some(value.to_owned());
        }
        if vocab && let Some(td) = self.terms.get(value) {
            return td.iri.clone();
        }
        if let Some((prefix, suffix)) = value.split_once(':') {
            if prefix == "_" || suffix.starts_with("//") {
                return Some(value.to_owned());
            }
            if let Some(td) = self.terms.get(prefix)
                && let Some(base) = &td.iri
            {
                return Some(format!("{base}{suffix}"));
            }
            return Some(value.to_owned());
        }
        if vocab {
            return self.vocab.as_ref().map(|v| format!("{v}{value}"));
        }
        Some(value.to_owned())
    }

    /// The definition of `term`, if the context has one.
    pub fn term(&self, term: &str) -> Option<&TermDefinition> {
        self.terms.get(term)
    }

    /// All term definitions.
    pub fn terms(&self) -> impl Iterator<Item = (&str, &TermDefinition)> {
        self.terms.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// `@vocab`, if set.
    pub fn vocab(&self) -> Option<&str> {
        self.vocab.as_deref()
    }

    /// The keyword a key stands for (`@id` for `id` under the OB contexts), if it is a keyword or an alias of one.
    pub fn keyword(&self, key: &str) -> Option<String> {
        if key.starts_with('@') {
            return Some(key.to_owned());
        }
        self.terms
            .get(key)
            .and_then(|t| t.iri.clone())
            .filter(|i| i.starts_with('@'))
    }
}

type Cache = Mutex<HashMap<String, Arc<ActiveContext>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn cached(url: &str) -> Option<Arc<ActiveContext>> {
    cache().lock().ok().and_then(|m| m.get(url).cloned())
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const OBI: &str = "https://w3id.org/openbadges#";

    #[test]
    fn v2_terms_expand() {
        let c = ActiveContext::for_url("https://w3id.org/openbadges/v2").unwrap();
        assert_eq!(
            c.expand_iri("issuedOn", true).unwrap(),
            format!("{OBI}issueDate")
        );
        assert_eq!(
            c.expand_iri("BadgeClass", true).unwrap(),
            format!("{OBI}BadgeClass")
        );
        assert_eq!(
            c.expand_iri("schema:name", true).unwrap(),
            "http://schema.org/name"
        );
        assert_eq!(c.keyword("id").as_deref(), Some("@id"));
        assert_eq!(
            c.term("issuer").unwrap().type_mapping.as_deref(),
            Some("@id")
        );
        assert_eq!(c.expand_iri("notATerm", true), None);
    }

    #[test]
    fn v1_pulls_in_legacy_v1() {
        let c = ActiveContext::for_url("https://w3id.org/openbadges/v1").unwrap();
        assert_eq!(
            c.expand_iri("verify", true).unwrap(),
            format!("{OBI}verify")
        );
        // from legacy-v1 only
        assert_eq!(c.expand_iri("tag", true).unwrap(), format!("{OBI}tag"));
    }

    #[test]
    fn local_context_aliases_and_vocab() {
        let base = ActiveContext::for_url("https://w3id.org/openbadges/v2").unwrap();
        let c = base
            .process(&json!({"@vocab": "http://example.org/v#", "when": "obi:issueDate", "ex": "http://example.org/"}))
            .unwrap();
        assert_eq!(
            c.expand_iri("when", true).unwrap(),
            format!("{OBI}issueDate")
        );
        assert_eq!(
            c.expand_iri("other", true).unwrap(),
            "http://example.org/v#other"
        );
        assert_eq!(
            c.expand_iri("ex:thing", true).unwrap(),
            "http://example.org/thing"
        );
    }

    #[test]
    fn terms_defined_out_of_order() {
        let c = ActiveContext::new()
            .process(&json!({"n": "p:name", "p": "http://schema.org/"}))
            .unwrap();
        assert_eq!(c.expand_iri("n", true).unwrap(), "http://schema.org/name");
    }

    #[test]
    fn unknown_context_is_named() {
        let e = ActiveContext::new()
            .process(&json!("https://example.org/ctx"))
            .unwrap_err();
        assert_eq!(
            e,
            JsonLdError::UnknownContext("https://example.org/ctx".into())
        );
        assert!(e.to_string().contains("https://example.org/ctx"));
    }

    #[test]
    fn cycles_are_refused() {
        let e = ActiveContext::new()
            .process(&json!({"a": "b:x", "b": "a:y"}))
            .unwrap_err();
        assert!(matches!(e, JsonLdError::InvalidContext(_)), "{e}");
    }

    #[test]
    fn bad_shapes_are_errors() {
        assert!(ActiveContext::new().process(&json!(5)).is_err());
        assert!(ActiveContext::new().process(&json!({"@vocab": 5})).is_err());
        assert!(ActiveContext::new().process(&json!({"t": 5})).is_err());
    }

    #[test]
    fn every_bundled_context_processes() {
        for d in obi_contexts::all()
            .iter()
            .filter(|d| d.kind == obi_contexts::Kind::Context)
        {
            ActiveContext::for_url(d.url()).unwrap_or_else(|e| panic!("{}: {e}", d.path));
        }
    }
}
