//! Context processing: `@context` values to an [`ActiveContext`].
//!
//! Follows the JSON-LD 1.1 context processing algorithm for the features the Open Badges and W3C contexts
//! use: term definitions, prefixes and compact IRIs, `@vocab`, keyword aliases, `@protected` terms (a
//! redefinition that differs is an error, except from a property-scoped context), property- and
//! type-scoped contexts (type-scoped ones do not propagate), `@propagate`, `@import`, `@language`, `null`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use foldhash::fast::RandomState;

use serde_json::{Map, Value};

use crate::JsonLdError;

/// The most nested context references followed while processing one `@context`.
pub const MAX_CONTEXT_DEPTH: usize = 16;

/// Most contexts kept in the process-wide cache of processed contexts (bundled URLs and URL lists).
const MAX_CACHED: usize = 256;

/// One term definition.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermDefinition {
    /// The IRI or keyword the term maps to; `None` for a term explicitly mapped to `null`.
    pub iri: Option<Arc<str>>,
    /// `@type` coercion (`@id`, `@vocab`, `@json`, `@none` or a datatype IRI).
    pub type_mapping: Option<Arc<str>>,
    /// `@container` values.
    pub container: Vec<String>,
    /// A property- or type-scoped context, unprocessed.
    pub scoped_context: Option<Arc<Value>>,
    /// Whether the term can serve as a prefix in compact IRIs.
    pub prefix: bool,
    /// Whether the term is protected from redefinition.
    pub protected: bool,
    /// `@language` of the term: `Some(None)` when explicitly `null`.
    pub language: Option<Option<String>>,
}

impl TermDefinition {
    /// Equal apart from the protected flag (the test JSON-LD applies to redefinitions of protected terms).
    fn same_as(&self, other: &TermDefinition) -> bool {
        self.iri == other.iri
            && self.type_mapping == other.type_mapping
            && self.container == other.container
            && self.prefix == other.prefix
            && self.language == other.language
            && match (&self.scoped_context, &other.scoped_context) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b) || a == b,
                _ => false,
            }
    }
}

/// Processed contexts derived from this one by a scoped context, keyed by the scoped context's address
/// (kept alive by the entry) and the propagate / override-protected flags.
#[derive(Debug, Default)]
struct Memo(Mutex<HashMap<MemoKey, MemoEntry, RandomState>>);

/// The scoped context (kept alive so its address stays unique) and the result.
type MemoEntry = (Arc<Value>, Arc<ActiveContext>);

/// Scoped context address, propagate, override-protected.
type MemoKey = (usize, bool, bool);

impl Clone for Memo {
    fn clone(&self) -> Self {
        Memo::default()
    }
}

/// The result of processing `@context` values: term definitions and `@vocab`.
#[derive(Debug, Clone, Default)]
pub struct ActiveContext {
    terms: HashMap<String, TermDefinition, RandomState>,
    vocab: Option<String>,
    language: Option<String>,
    /// The context to return to for nested nodes, set by a non-propagating (type-scoped) context.
    previous: Option<Arc<ActiveContext>>,
    memo: Memo,
}

/// How a context is being applied.
#[derive(Debug, Clone, Copy)]
struct Mode {
    override_protected: bool,
    propagate: bool,
}

const NORMAL: Mode = Mode {
    override_protected: false,
    propagate: true,
};

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
        remember(url, &processed);
        Ok(processed)
    }

    /// The context of a top-level document with this `@context` value. A URL or a list of URLs (the
    /// usual form) is processed once per process and shared.
    pub fn for_document(local: &Value) -> Result<Arc<ActiveContext>, JsonLdError> {
        match local {
            Value::String(url) => ActiveContext::for_url(url),
            Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_string) => {
                let key: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                let key = key.join("\n");
                if let Some(c) = cached(&key) {
                    return Ok(c);
                }
                let processed = Arc::new(ActiveContext::new().process(local)?);
                remember(&key, &processed);
                Ok(processed)
            }
            _ => Ok(Arc::new(ActiveContext::new().process(local)?)),
        }
    }

    /// This context updated with a local `@context` value.
    pub fn process(&self, local: &Value) -> Result<ActiveContext, JsonLdError> {
        self.process_at(local, 0, NORMAL)
    }

    /// Like [`ActiveContext::process`], sharing the cached processed context when an empty context meets
    /// a single bundled context URL (the common case: `"@context": "https://w3id.org/openbadges/v2"`).
    pub fn process_shared(
        self: &Arc<Self>,
        local: &Value,
    ) -> Result<Arc<ActiveContext>, JsonLdError> {
        if self.is_empty() {
            return ActiveContext::for_document(local);
        }
        Ok(Arc::new(self.process(local)?))
    }

    /// This context with a property-scoped (`type_scoped == false`) or type-scoped context applied.
    /// Results are memoized on `self`, so the scoped contexts of bundled contexts are processed once.
    pub fn with_scoped(
        self: &Arc<Self>,
        scoped: &Arc<Value>,
        type_scoped: bool,
    ) -> Result<Arc<ActiveContext>, JsonLdError> {
        let mode = if type_scoped {
            Mode {
                override_protected: false,
                propagate: false,
            }
        } else {
            Mode {
                override_protected: true,
                propagate: true,
            }
        };
        let key = (
            Arc::as_ptr(scoped) as usize,
            mode.propagate,
            mode.override_protected,
        );
        if let Ok(m) = self.memo.0.lock()
            && let Some((_, c)) = m.get(&key)
        {
            return Ok(c.clone());
        }
        let mut processed = self.process_at(scoped, 0, mode)?;
        if !mode.propagate && processed.previous.is_none() {
            processed.previous = Some(self.clone());
        }
        let processed = Arc::new(processed);
        if let Ok(mut m) = self.memo.0.lock()
            && m.len() < MAX_CACHED
        {
            m.insert(key, (scoped.clone(), processed.clone()));
        }
        Ok(processed)
    }

    /// The context a nested node object is expanded in: the one before any non-propagating
    /// (type-scoped) context was applied.
    pub fn previous(&self) -> Option<&Arc<ActiveContext>> {
        self.previous.as_ref()
    }

    /// Whether the context defines nothing.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.vocab.is_none() && self.language.is_none()
    }

    /// The default language (`@language`), if any.
    pub fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }

    fn process_at(
        &self,
        local: &Value,
        depth: usize,
        mode: Mode,
    ) -> Result<ActiveContext, JsonLdError> {
        if depth > MAX_CONTEXT_DEPTH {
            return Err(JsonLdError::TooDeep(MAX_CONTEXT_DEPTH));
        }
        let mut result = self.clone();
        let items: &[Value] = match local {
            Value::Array(a) => a,
            other => std::slice::from_ref(other),
        };
        // A context object may turn propagation off for itself (`@propagate: false`).
        let propagate = mode.propagate
            && !items
                .iter()
                .any(|i| matches!(i.get("@propagate"), Some(Value::Bool(false))));
        if !propagate && result.previous.is_none() {
            result.previous = Some(Arc::new(self.clone()));
        }
        for item in items {
            match item {
                Value::Null => {
                    if !mode.override_protected && result.terms.values().any(|t| t.protected) {
                        return Err(JsonLdError::InvalidContext(
                            "a null context cannot clear protected terms".into(),
                        ));
                    }
                    result = ActiveContext {
                        previous: if propagate { None } else { result.previous },
                        ..ActiveContext::default()
                    };
                }
                Value::String(url) => {
                    let processed = result.process_url(url, depth + 1)?;
                    result = result.merge_checked(processed, mode)?;
                }
                Value::Object(def) => result.apply_object(def, depth, mode)?,
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

    /// `self` after a remote context was processed on top of it (`processed` already includes `self`'s
    /// terms; this re-checks protected terms under `mode`, which `process_url` cannot see).
    fn merge_checked(&self, processed: ActiveContext, mode: Mode) -> Result<Self, JsonLdError> {
        if !mode.override_protected {
            for (term, old) in &self.terms {
                if old.protected
                    && let Some(new) = processed.terms.get(term)
                    && !new.same_as(old)
                {
                    return Err(JsonLdError::ProtectedTermRedefinition(term.clone()));
                }
            }
        }
        Ok(ActiveContext {
            previous: self.previous.clone(),
            ..processed
        })
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
        let parsed: Value =
            match obi_contexts::get(url).filter(|d| d.kind == obi_contexts::Kind::Context) {
                Some(doc) => serde_json::from_str(doc.text)
                    .map_err(|e| JsonLdError::InvalidContext(format!("{url}: {e}")))?,
                None => {
                    extra_context(url).ok_or_else(|| JsonLdError::UnknownContext(url.to_owned()))?
                }
            };
        let inner = parsed
            .get("@context")
            .ok_or_else(|| JsonLdError::InvalidContext(format!("{url} has no @context")))?;
        // Protected terms from earlier contexts are checked by the caller (merge_checked); a remote
        // context may legitimately repeat an identical definition.
        self.process_at(
            inner,
            depth,
            Mode {
                override_protected: true,
                propagate: true,
            },
        )
    }

    fn apply_object(
        &mut self,
        def: &Map<String, Value>,
        depth: usize,
        mode: Mode,
    ) -> Result<(), JsonLdError> {
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
        match def.get("@language") {
            Some(Value::Null) => self.language = None,
            Some(Value::String(l)) => self.language = Some(l.to_ascii_lowercase()),
            Some(other) => {
                return Err(JsonLdError::InvalidContext(format!(
                    "@language must be a string or null, not {}",
                    kind(other)
                )));
            }
            None => {}
        }
        let protected_default = matches!(def.get("@protected"), Some(Value::Bool(true)));
        // Term definitions may refer to each other in any order: `define` resolves what a definition
        // refers to from the same local context first.
        for (term, value) in def.iter().filter(|(k, _)| !k.starts_with('@')) {
            let mut visiting = Vec::new();
            let mut td = self.define(def, term, value, &mut visiting)?;
            td.protected = match value.get("@protected") {
                Some(Value::Bool(b)) => *b,
                _ => protected_default,
            };
            if let Some(old) = self.terms.get(term)
                && old.protected
                && !mode.override_protected
            {
                if !td.same_as(old) {
                    return Err(JsonLdError::ProtectedTermRedefinition(term.clone()));
                }
                continue;
            }
            self.terms.insert(term.clone(), td);
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
                    td.type_mapping = Some(Arc::from(if t.starts_with('@') {
                        t.clone()
                    } else {
                        self.expand_with(local, t, visiting)?
                            .unwrap_or_else(|| t.clone())
                    }));
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
                match o.get("@language") {
                    Some(Value::Null) => td.language = Some(None),
                    Some(Value::String(l)) => td.language = Some(Some(l.to_ascii_lowercase())),
                    _ => {}
                }
                if o.contains_key("@reverse") || o.contains_key("@nest") {
                    return Err(JsonLdError::Unsupported(format!(
                        "term {term:?} uses @reverse or @nest"
                    )));
                }
                td.scoped_context = o.get("@context").cloned().map(Arc::new);
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
        let iri: Option<String> = match id {
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
        td.iri = iri.map(Arc::from);
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
            return Ok(self
                .define(local, value, v, visiting)?
                .iri
                .map(|i| i.to_string()));
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
            return td.iri.as_deref().map(str::to_owned);
        }
        if let Some((prefix, suffix)) = value.split_once(':') {
            if prefix == "_" || suffix.starts_with("//") {
                return Some(value.to_owned());
            }
            if let Some(td) = self.terms.get(prefix)
                && td.prefix
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

    /// Like [`ActiveContext::expand_iri`], sharing the term's IRI instead of copying it.
    pub fn expand_iri_shared(&self, value: &str, vocab: bool) -> Option<Arc<str>> {
        if vocab
            && !value.starts_with('@')
            && let Some(td) = self.terms.get(value)
        {
            return td.iri.clone();
        }
        self.expand_iri(value, vocab).map(Arc::from)
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
    pub fn keyword<'k>(&'k self, key: &'k str) -> Option<&'k str> {
        if key.starts_with('@') {
            return Some(key);
        }
        self.terms
            .get(key)
            .and_then(|t| t.iri.as_deref())
            .filter(|i| i.starts_with('@'))
    }
}

type Extra = Mutex<HashMap<String, Value>>;

fn extra() -> &'static Extra {
    static EXTRA: OnceLock<Extra> = OnceLock::new();
    EXTRA.get_or_init(Default::default)
}

fn extra_context(url: &str) -> Option<Value> {
    extra().lock().ok().and_then(|m| m.get(url).cloned())
}

/// Make a context obi does not carry available under `url`, for the rest of the process (the CLI's
/// `--doc URL=FILE`). Bundled contexts cannot be replaced: they are what signatures were made against.
/// Returns false when `document` has no `@context` or `url` is a bundled context.
pub fn register_context(url: &str, document: Value) -> bool {
    let bundled = obi_contexts::get(url).is_some_and(|d| d.kind == obi_contexts::Kind::Context);
    if bundled || document.get("@context").is_none() {
        return false;
    }
    if let Ok(mut m) = extra().lock() {
        m.insert(url.to_owned(), document);
    }
    if let Ok(mut c) = cache().lock() {
        c.clear();
    }
    true
}

type Cache = Mutex<HashMap<String, Arc<ActiveContext>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn cached(url: &str) -> Option<Arc<ActiveContext>> {
    cache().lock().ok().and_then(|m| m.get(url).cloned())
}

fn remember(key: &str, processed: &Arc<ActiveContext>) {
    if let Ok(mut m) = cache().lock()
        && m.len() < MAX_CACHED
    {
        m.insert(key.to_owned(), processed.clone());
    }
}

pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
