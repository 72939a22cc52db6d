//! JSON-LD document → RDF quads, in one pass (expansion and the deserialization to RDF fused), in safe mode.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::JsonLdError;
use crate::context::{ActiveContext, TermDefinition, kind};
use crate::rdf::{Literal, Quad, Term, shared_iri, xsd};

/// Deepest nesting of node objects and lists accepted in a document.
pub const MAX_NESTING: usize = 64;

/// Expand `doc` (a JSON-LD document: an object, or an array of objects) with its `@context` and return its
/// RDF quads. Blank nodes are labelled `b0`, `b1`, … in document order (labels from the document are
/// mapped to fresh ones), so the output does not depend on a document's own labels; canonicalize it with
/// [`crate::canonicalize`] before hashing.
///
/// Safe mode: an undefined property or type, a relative IRI, a malformed value object or an unsupported
/// JSON-LD feature is an [`JsonLdError::Expansion`] naming the place (JSON pointer) — never a dropped
/// statement, since a signature over a document that silently loses statements proves less than it seems.
pub fn to_rdf(doc: &Value) -> Result<Vec<Quad>, JsonLdError> {
    to_rdf_impl(doc, None, false)
}

/// [`to_rdf`] of a document as if its top-level member `skip` were absent (the document a proof secures is
/// the credential without its `proof`), without copying the document.
pub fn to_rdf_without(doc: &Value, skip: &str) -> Result<Vec<Quad>, JsonLdError> {
    to_rdf_impl(doc, Some(skip), false)
}

/// [`to_rdf_without`] that also refuses a document not in compacted form under its contexts
/// ([`JsonLdError::NotCompacted`]): every member name a term of the active context (no full or compact
/// IRIs, no keywords but `@context`), every `@context` a list of context URLs (no inline definitions),
/// no value objects but language-tagged strings, no `@list` / `@set` objects, and no type spelled as
/// the full IRI of a term the contexts define.
///
/// Why: a verifier reads a credential's facts (status, dates, issuer, subject) from its JSON members,
/// while the signature covers the RDF graph. In compacted form under fixed contexts the two say the
/// same thing; any other spelling can make them differ (a full-IRI `validUntil` is in the signed graph
/// but not where a JSON reader looks), so such a document is refused rather than read two ways.
pub fn to_rdf_compacted_without(doc: &Value, skip: Option<&str>) -> Result<Vec<Quad>, JsonLdError> {
    to_rdf_impl(doc, skip, true)
}

fn to_rdf_impl<'a>(
    doc: &'a Value,
    skip: Option<&'a str>,
    compacted: bool,
) -> Result<Vec<Quad>, JsonLdError> {
    let mut x = Expander {
        skip,
        compacted,
        ..Expander::default()
    };
    let empty = Arc::new(ActiveContext::new());
    match doc {
        Value::Object(obj) => {
            x.top(&empty, obj)?;
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                x.path.push(Seg::Index(i));
                let Value::Object(obj) = item else {
                    return Err(x.err(format!(
                        "a top-level item must be an object, not {}",
                        kind(item)
                    )));
                };
                x.top(&empty, obj)?;
                x.path.pop();
            }
        }
        other => {
            return Err(x.err(format!(
                "a JSON-LD document must be an object or an array, not {}",
                kind(other)
            )));
        }
    }
    Ok(x.quads)
}

#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

#[derive(Default)]
struct Expander<'a> {
    quads: Vec<Quad>,
    next_blank: usize,
    blank_map: HashMap<String, Arc<str>, foldhash::fast::RandomState>,
    path: Vec<Seg<'a>>,
    /// A top-level key to leave out (`proof`, when hashing the document a proof secures).
    skip: Option<&'a str>,
    /// Refuse what is not in compacted form (see [`to_rdf_compacted_without`]).
    compacted: bool,
}

type Ctx = Arc<ActiveContext>;

impl<'a> Expander<'a> {
    fn err(&self, message: String) -> JsonLdError {
        let mut path = String::new();
        for seg in &self.path {
            match seg {
                Seg::Key(k) => {
                    path.push('/');
                    path.push_str(&k.replace('~', "~0").replace('/', "~1"));
                }
                Seg::Index(i) => {
                    let _ = write!(path, "/{i}");
                }
            }
        }
        if path.is_empty() {
            path.push('/');
        }
        JsonLdError::Expansion { path, message }
    }

    fn not_compacted(&self, message: String) -> JsonLdError {
        match self.err(message) {
            JsonLdError::Expansion { path, message } => JsonLdError::NotCompacted { path, message },
            other => other,
        }
    }

    /// In compacted form a `@context` is a context URL or a list of them.
    fn check_context_urls(&mut self, c: &'a Value) -> Result<(), JsonLdError> {
        if !self.compacted {
            return Ok(());
        }
        let ok = match c {
            Value::String(_) => true,
            Value::Array(items) => items.iter().all(Value::is_string),
            _ => false,
        };
        if ok {
            return Ok(());
        }
        self.path.push(Seg::Key("@context"));
        let e = self.not_compacted(
            "an inline context definition: only the URLs of known contexts are accepted, so that a term means what its context says".into(),
        );
        self.path.pop();
        Err(e)
    }

    fn fresh(&mut self) -> Term {
        let b = format!("b{}", self.next_blank);
        self.next_blank += 1;
        Term::Blank(Arc::from(b))
    }

    /// The blank node for a label from the document (`_:x`), the same for each use of the label.
    fn blank(&mut self, label: &str) -> Term {
        if let Some(b) = self.blank_map.get(label) {
            return Term::Blank(b.clone());
        }
        let b: Arc<str> = Arc::from(format!("b{}", self.next_blank));
        self.next_blank += 1;
        self.blank_map.insert(label.to_owned(), b.clone());
        Term::Blank(b)
    }

    /// A top-level object: a node, or `{"@context": …, "@graph": [...]}` whose nodes go to the default graph.
    fn top(&mut self, ctx: &Ctx, obj: &'a Map<String, Value>) -> Result<(), JsonLdError> {
        if let Some(c) = obj.get("@context") {
            self.check_context_urls(c)?;
        }
        let local = match obj.get("@context") {
            Some(c) => ctx.process_shared(c).map_err(|e| self.context_err(e))?,
            None => ctx.clone(),
        };
        let graph_key = obj.keys().find(|k| local.keyword(k) == Some("@graph"));
        if let Some(gk) = graph_key
            && obj.keys().all(|k| k == "@context" || k == gk)
        {
            if self.compacted {
                return Err(self
                    .not_compacted("a top-level @graph: a credential is one node object".into()));
            }
            self.path.push(Seg::Key(gk));
            for (i, item) in flat(&obj[gk.as_str()]).into_iter().enumerate() {
                self.path.push(Seg::Index(i));
                match item {
                    Value::Object(o) => {
                        self.node(&local, None, o, None, 1)?;
                    }
                    other => {
                        return Err(self.err(format!(
                            "a @graph item must be a node object, not {}",
                            kind(other)
                        )));
                    }
                }
                self.path.pop();
            }
            self.path.pop();
            return Ok(());
        }
        self.node(ctx, None, obj, None, 0)?;
        Ok(())
    }

    fn context_err(&self, e: JsonLdError) -> JsonLdError {
        match e {
            JsonLdError::InvalidContext(m) => self.err(format!("invalid @context: {m}")),
            other => other,
        }
    }

    /// Expand one node object; its statements go to `graph`. Returns the node's subject.
    fn node(
        &mut self,
        parent: &Ctx,
        scoped: Option<&Arc<Value>>,
        obj: &'a Map<String, Value>,
        graph: Option<&Term>,
        depth: usize,
    ) -> Result<Term, JsonLdError> {
        if depth > MAX_NESTING {
            return Err(self.err(format!("nodes nest more than {MAX_NESTING} levels deep")));
        }
        // Type-scoped contexts do not reach nested nodes (JSON-LD 1.1 expansion, step 7).
        let mut ctx = parent.clone();
        if let Some(prev) = ctx.previous() {
            let only_id = obj.len() == 1
                && obj
                    .keys()
                    .next()
                    .is_some_and(|k| ctx.keyword(k) == Some("@id"));
            if !only_id {
                ctx = prev.clone();
            }
        }
        if let Some(sc) = scoped {
            ctx = ctx
                .with_scoped(sc, false)
                .map_err(|e| self.context_err(e))?;
        }
        if let Some(local) = obj.get("@context") {
            if depth > 0 {
                self.check_context_urls(local)?;
            }
            ctx = ctx.process_shared(local).map_err(|e| self.context_err(e))?;
        }
        let type_ctx = ctx.clone();
        let mut type_key = None;
        let mut id_key = None;
        for k in obj.keys() {
            match ctx.keyword(k) {
                Some("@type") => type_key = Some(k.as_str()),
                Some("@id") => id_key = Some(k.as_str()),
                _ => {}
            }
        }
        if self.compacted
            && let Some(k) = [type_key, id_key]
                .into_iter()
                .flatten()
                .find(|k| k.starts_with('@'))
        {
            self.path.push(Seg::Key(k));
            return Err(self.not_compacted(format!(
                "{k:?} is a keyword: in compacted form it is written with the contexts' alias (\"id\", \"type\")"
            )));
        }
        let mut types: Vec<&'a str> = Vec::new();
        if let Some(tk) = type_key {
            self.path.push(Seg::Key(tk));
            for (i, t) in flat(&obj[tk]).into_iter().enumerate() {
                match t {
                    Value::String(s) => types.push(s),
                    other => {
                        self.path.push(Seg::Index(i));
                        return Err(
                            self.err(format!("a type must be a string, not {}", kind(other)))
                        );
                    }
                }
            }
            self.path.pop();
            let mut sorted = types.clone();
            sorted.sort_unstable();
            for t in sorted {
                if let Some(sc) = type_ctx.term(t).and_then(|td| td.scoped_context.as_ref()) {
                    ctx = ctx.with_scoped(sc, true).map_err(|e| self.context_err(e))?;
                }
            }
        }
        let subject = match id_key {
            Some(k) => {
                self.path.push(Seg::Key(k));
                let Value::String(id) = &obj[k] else {
                    return Err(self.err(format!("@id must be a string, not {}", kind(&obj[k]))));
                };
                let t = self.iri_or_blank(&ctx, id, false)?;
                self.path.pop();
                t
            }
            None => self.fresh(),
        };
        if let Some(tk) = type_key {
            self.path.push(Seg::Key(tk));
            for t in types {
                let iri = match type_ctx.expand_iri_shared(t, true) {
                    Some(i) if is_absolute(&i) => i,
                    _ => {
                        return Err(self.err(format!(
                            "type {t:?} is not defined by the document's contexts: use a type the contexts define or a full IRI"
                        )));
                    }
                };
                if self.compacted
                    && type_ctx.term(t).is_none()
                    && let Some((term, _)) = type_ctx
                        .terms()
                        .find(|(_, td)| td.iri.as_deref() == Some(&*iri))
                {
                    return Err(self.not_compacted(format!(
                        "type {t:?} is the full IRI of the term {term:?}: write {term:?}"
                    )));
                }
                self.quads.push(Quad {
                    subject: subject.clone(),
                    predicate: shared_iri(xsd::RDF_TYPE),
                    object: Term::Iri(iri),
                    graph: graph.cloned(),
                });
            }
            self.path.pop();
        }
        for (key, value) in obj {
            if key == "@context"
                || Some(key.as_str()) == type_key
                || Some(key.as_str()) == id_key
                || (depth == 0 && Some(key.as_str()) == self.skip)
            {
                continue;
            }
            self.path.push(Seg::Key(key));
            let td = ctx.term(key);
            if self.compacted && td.is_none() && (key.starts_with('@') || key.contains(':')) {
                return Err(self.not_compacted(format!(
                    "{key:?} is not a term of the document's contexts: in compacted form every member is a term (a full or compact IRI, or a keyword, can make a reader and the signed graph disagree)"
                )));
            }
            let predicate = match td {
                Some(t) => t.iri.clone(),
                None => ctx.expand_iri_shared(key, true),
            };
            let Some(predicate) = predicate else {
                return Err(self.err(format!(
                    "property {key:?} is not defined by the document's contexts: add a context that defines it, or use a full IRI"
                )));
            };
            if predicate.starts_with('@') {
                return Err(JsonLdError::Unsupported(format!(
                    "{predicate} inside a node object (at {key:?})"
                )));
            }
            if !is_absolute(&predicate) || predicate.starts_with("_:") {
                return Err(self.err(format!(
                    "property {key:?} expands to {predicate:?}, which is not an absolute IRI"
                )));
            }
            let is_list = td.is_some_and(|t| t.container.iter().any(|c| c == "@list"));
            if is_list {
                let list = self.list(&ctx, td, value, graph, depth)?;
                self.quads.push(Quad {
                    subject: subject.clone(),
                    predicate,
                    object: list,
                    graph: graph.cloned(),
                });
            } else {
                match value {
                    // The common shapes without collecting: a single value, or an array of non-arrays.
                    Value::Array(items) if !items.iter().any(Value::is_array) => {
                        for (i, item) in items.iter().enumerate() {
                            self.path.push(Seg::Index(i));
                            self.emit(&ctx, td, &subject, &predicate, item, graph, depth)?;
                            self.path.pop();
                        }
                    }
                    Value::Array(_) => {
                        for (i, item) in flat(value).into_iter().enumerate() {
                            self.path.push(Seg::Index(i));
                            self.emit(&ctx, td, &subject, &predicate, item, graph, depth)?;
                            self.path.pop();
                        }
                    }
                    single => self.emit(&ctx, td, &subject, &predicate, single, graph, depth)?,
                }
            }
            self.path.pop();
        }
        Ok(subject)
    }

    /// One statement `subject predicate value` (nothing for `null`).
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        ctx: &Ctx,
        td: Option<&TermDefinition>,
        subject: &Term,
        predicate: &Arc<str>,
        value: &'a Value,
        graph: Option<&Term>,
        depth: usize,
    ) -> Result<(), JsonLdError> {
        if let Some(object) = self.value(ctx, td, value, graph, depth)? {
            self.quads.push(Quad {
                subject: subject.clone(),
                predicate: predicate.clone(),
                object,
                graph: graph.cloned(),
            });
        }
        Ok(())
    }

    fn list(
        &mut self,
        ctx: &Ctx,
        td: Option<&TermDefinition>,
        value: &'a Value,
        graph: Option<&Term>,
        depth: usize,
    ) -> Result<Term, JsonLdError> {
        let mut objects = Vec::new();
        for (i, item) in flat(value).into_iter().enumerate() {
            self.path.push(Seg::Index(i));
            if let Some(o) = self.value(ctx, td, item, graph, depth)? {
                objects.push(o);
            }
            self.path.pop();
        }
        let mut next = Term::iri(xsd::RDF_NIL);
        for o in objects.into_iter().rev() {
            let b = self.fresh();
            self.quads.push(Quad {
                subject: b.clone(),
                predicate: Arc::from(xsd::RDF_FIRST),
                object: o,
                graph: graph.cloned(),
            });
            self.quads.push(Quad {
                subject: b.clone(),
                predicate: Arc::from(xsd::RDF_REST),
                object: next,
                graph: graph.cloned(),
            });
            next = b;
        }
        Ok(next)
    }

    /// The RDF object for one property value (already flattened out of arrays); `None` for `null`.
    fn value(
        &mut self,
        ctx: &Ctx,
        td: Option<&TermDefinition>,
        v: &'a Value,
        graph: Option<&Term>,
        depth: usize,
    ) -> Result<Option<Term>, JsonLdError> {
        let coercion_arc = td.and_then(|t| t.type_mapping.as_ref());
        let coercion = coercion_arc.map(|c| &**c);
        if coercion == Some("@json") {
            return Ok(Some(json_literal(v)));
        }
        match v {
            Value::Null => Ok(None),
            Value::String(s) => match coercion {
                Some(c @ ("@id" | "@vocab")) => {
                    // A scalar is expanded with the property-scoped context (expansion step 4).
                    let scoped_ctx;
                    let ctx = match td.and_then(|t| t.scoped_context.as_ref()) {
                        Some(sc) => {
                            scoped_ctx = ctx
                                .with_scoped(sc, false)
                                .map_err(|e| self.context_err(e))?;
                            &scoped_ctx
                        }
                        None => ctx,
                    };
                    self.iri_or_blank(ctx, s, c == "@vocab").map(Some)
                }
                Some(dt) if !dt.starts_with('@') => Ok(Some(typed(
                    s.clone(),
                    coercion_arc.cloned().unwrap_or_else(|| Arc::from(dt)),
                ))),
                _ => {
                    let lang = match td.and_then(|t| t.language.as_ref()) {
                        Some(l) => l.as_deref(),
                        None => ctx.language(),
                    };
                    Ok(Some(match lang {
                        Some(l) => Term::Literal(Literal {
                            value: s.clone(),
                            datatype: shared_iri(xsd::LANG_STRING),
                            language: Some(l.to_owned()),
                        }),
                        None => Term::string(s.clone()),
                    }))
                }
            },
            Value::Number(_) | Value::Bool(_) => {
                let dt = coercion_arc.filter(|c| !c.starts_with('@')).cloned();
                Ok(Some(scalar_literal(v, dt)))
            }
            Value::Array(_) => {
                Err(self.err("a nested array cannot be turned into RDF here".into()))
            }
            Value::Object(o) => {
                let mut value_key = None;
                let mut list_key = None;
                for k in o.keys() {
                    match ctx.keyword(k) {
                        Some("@value") => value_key = Some(k),
                        Some("@list") => list_key = Some(k),
                        Some("@set") => {
                            return Err(self.err(
                                "a @set object is not supported here: give the values as an array"
                                    .into(),
                            ));
                        }
                        _ => {}
                    }
                }
                if let Some(vk) = value_key {
                    if self.compacted {
                        let language_string = o[vk.as_str()].is_string()
                            && o.keys().all(|k| {
                                matches!(
                                    ctx.keyword(k),
                                    Some("@value" | "@language" | "@direction")
                                )
                            })
                            && o.keys().any(|k| ctx.keyword(k) == Some("@language"));
                        if !language_string {
                            return Err(self.not_compacted(
                                "a value object: in compacted form a value is written plainly (only a language-tagged string may be an object), as its term's definition types it".into(),
                            ));
                        }
                    }
                    return self.value_object(ctx, o, vk);
                }
                if let Some(lk) = list_key {
                    if self.compacted {
                        return Err(self.not_compacted(
                            "a @list object: in compacted form a list is an array under a term whose container is @list".into(),
                        ));
                    }
                    self.path.push(Seg::Key(lk));
                    let l = self.list(ctx, td, &o[lk.as_str()], graph, depth + 1)?;
                    self.path.pop();
                    return Ok(Some(l));
                }
                let scoped = td.and_then(|t| t.scoped_context.as_ref());
                let is_graph = td.is_some_and(|t| t.container.iter().any(|c| c == "@graph"));
                if is_graph {
                    let g = self.fresh();
                    self.node(ctx, scoped, o, Some(&g), depth + 1)?;
                    return Ok(Some(g));
                }
                self.node(ctx, scoped, o, graph, depth + 1).map(Some)
            }
        }
    }

    fn value_object(
        &mut self,
        ctx: &Ctx,
        o: &'a Map<String, Value>,
        value_key: &str,
    ) -> Result<Option<Term>, JsonLdError> {
        let mut datatype = None;
        let mut language = None;
        for (k, v) in o {
            match ctx.keyword(k) {
                Some("@value") => {}
                Some("@type") => {
                    let Value::String(t) = v else {
                        return Err(self.err("the @type of a value must be a string".into()));
                    };
                    if t == "@json" {
                        datatype = Some(Arc::from("@json"));
                        continue;
                    }
                    match ctx.expand_iri_shared(t, true) {
                        Some(i) if is_absolute(&i) => datatype = Some(i),
                        _ => {
                            return Err(self.err(format!(
                                "value type {t:?} is not defined by the document's contexts"
                            )));
                        }
                    }
                }
                Some("@language") => {
                    let Value::String(l) = v else {
                        return Err(self.err("@language must be a string".into()));
                    };
                    language = Some(l.to_ascii_lowercase());
                }
                Some("@index") => {}
                _ => {
                    return Err(self.err(format!(
                        "a value object may only hold @value, @type, @language and @index, not {k:?}"
                    )));
                }
            }
        }
        let v = &o[value_key];
        if datatype.as_deref() == Some("@json") {
            return Ok(Some(json_literal(v)));
        }
        match v {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(match (datatype, language) {
                (Some(_), Some(_)) => {
                    return Err(self.err("a value cannot have both @type and @language".into()));
                }
                (Some(dt), None) => typed(s.clone(), dt),
                (None, Some(l)) => Term::Literal(Literal {
                    value: s.clone(),
                    datatype: shared_iri(xsd::LANG_STRING),
                    language: Some(l),
                }),
                (None, None) => Term::string(s.clone()),
            })),
            Value::Number(_) | Value::Bool(_) if language.is_none() => {
                Ok(Some(scalar_literal(v, datatype)))
            }
            other => Err(self.err(format!("@value cannot be {}", kind(other)))),
        }
    }

    fn iri_or_blank(&mut self, ctx: &Ctx, s: &'a str, vocab: bool) -> Result<Term, JsonLdError> {
        if s.starts_with("_:") {
            return Ok(self.blank(s));
        }
        match ctx.expand_iri_shared(s, vocab) {
            Some(i) if i.starts_with("_:") => Ok(self.blank(&i)),
            Some(i) if is_absolute(&i) => Ok(Term::Iri(i)),
            _ => Err(self.err(format!(
                "{s:?} is a relative IRI reference; obi needs absolute IRIs (there is no base IRI)"
            ))),
        }
    }
}

/// Arrays flattened (JSON-LD drops nesting of arrays outside lists).
fn flat(v: &Value) -> Vec<&Value> {
    fn go<'v>(v: &'v Value, out: &mut Vec<&'v Value>) {
        match v {
            Value::Array(items) => items.iter().for_each(|i| go(i, out)),
            other => out.push(other),
        }
    }
    let mut out = Vec::new();
    go(v, &mut out);
    out
}

/// An absolute IRI has a scheme: letters, digits, `+ - .` before a `:`, starting with a letter.
fn is_absolute(iri: &str) -> bool {
    match iri.split_once(':') {
        Some((scheme, _)) => {
            let mut chars = scheme.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

fn typed(value: String, datatype: Arc<str>) -> Term {
    Term::Literal(Literal {
        value,
        datatype,
        language: None,
    })
}

fn json_literal(v: &Value) -> Term {
    let canonical = serde_json_canonicalizer::to_string(v).unwrap_or_else(|_| v.to_string());
    typed(canonical, Arc::from(xsd::JSON))
}

/// A number or boolean as JSON-LD's RDF conversion writes it: integers in decimal, other numbers in the
/// canonical `xsd:double` form (`1.5E0`), booleans as `true` / `false`.
fn scalar_literal(v: &Value, datatype: Option<Arc<str>>) -> Term {
    match v {
        Value::Bool(b) => typed(
            b.to_string(),
            datatype.unwrap_or_else(|| shared_iri(xsd::BOOLEAN)),
        ),
        Value::Number(n) => {
            let as_double = datatype.as_deref() == Some(xsd::DOUBLE);
            let integral = if let Some(i) = n.as_i64() {
                Some(i.to_string())
            } else if let Some(u) = n.as_u64() {
                Some(u.to_string())
            } else {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 1e21)
                    .map(|f| format!("{f:.0}"))
            };
            match integral {
                Some(i) if !as_double => {
                    typed(i, datatype.unwrap_or_else(|| shared_iri(xsd::INTEGER)))
                }
                _ => typed(
                    canonical_double(n.as_f64().unwrap_or(f64::NAN)),
                    datatype.unwrap_or_else(|| shared_iri(xsd::DOUBLE)),
                ),
            }
        }
        other => Term::string(other.to_string()),
    }
}

/// `1.5` → `1.5E0`, `0.001` → `1.0E-3` (JavaScript's `toExponential(15)` with trailing zeros trimmed).
fn canonical_double(f: f64) -> String {
    let s = format!("{f:.15e}");
    let Some((mantissa, exp)) = s.split_once('e') else {
        return s;
    };
    let mantissa = match mantissa.split_once('.') {
        Some((int, frac)) => {
            let trimmed = frac.trim_end_matches('0');
            format!("{int}.{}", if trimmed.is_empty() { "0" } else { trimmed })
        }
        None => format!("{mantissa}.0"),
    };
    format!("{mantissa}E{exp}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_are_canonical() {
        assert_eq!(canonical_double(1.5), "1.5E0");
        assert_eq!(canonical_double(0.001), "1.0E-3");
        assert_eq!(canonical_double(1.25e22), "1.25E22");
        assert_eq!(canonical_double(-3.75), "-3.75E0");
    }

    #[test]
    fn absolute_iris() {
        assert!(is_absolute("https://x"));
        assert!(is_absolute("did:key:z6Mk"));
        assert!(is_absolute("urn:uuid:1"));
        assert!(!is_absolute("relative/path"));
        assert!(!is_absolute("1a:b"));
    }
}
