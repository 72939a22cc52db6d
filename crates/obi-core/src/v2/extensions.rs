//! OB 2.0 extensions: find extension objects in a node and validate each against the JSON Schema that its
//! extension context names (`obi:validation` → `obi:validationSchema`). Contexts and schemas come from
//! `obi-contexts`; nothing is fetched.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use obi_jsonld::ActiveContext;
use serde_json::{Map, Value};

use crate::report::{Finding, Severity, pointer_segment};

const RULE: &str = "VALIDATE_EXTENSION_NODE";
const MAX_DEPTH: usize = 64;

/// Check every extension object inside `node` (a normalized document); `node_id` labels the findings.
pub fn check(node: &Map<String, Value>, node_id: Option<&str>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (k, v) in node {
        if k != "@context" {
            walk(v, &format!("/{}", pointer_segment(k)), node_id, &mut out, 0);
        }
    }
    out
}

fn walk(v: &Value, path: &str, node_id: Option<&str>, out: &mut Vec<Finding>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Array(a) => {
            for (i, item) in a.iter().enumerate() {
                walk(item, &format!("{path}/{i}"), node_id, out, depth + 1);
            }
        }
        Value::Object(o) => {
            let is_ext = o.contains_key("@context")
                || types(o)
                    .iter()
                    .any(|t| *t == "Extension" || t.ends_with("#Extension"));
            if is_ext {
                check_extension(o, path, node_id, out);
            } else {
                for (k, child) in o {
                    walk(
                        child,
                        &format!("{path}/{}", pointer_segment(k)),
                        node_id,
                        out,
                        depth + 1,
                    );
                }
            }
        }
        _ => {}
    }
}

fn types(o: &Map<String, Value>) -> Vec<&str> {
    crate::json::strings(o.get("type").or_else(|| o.get("@type"))).collect()
}

fn check_extension(
    o: &Map<String, Value>,
    path: &str,
    node_id: Option<&str>,
    out: &mut Vec<Finding>,
) {
    let mut finding = |severity, message: String, hint: &str| {
        out.push(Finding {
            rule: RULE,
            severity,
            node: node_id.map(str::to_owned),
            path: path.to_owned(),
            message,
            hint: hint.to_owned(),
        });
    };
    let urls: Vec<&str> = crate::json::strings(o.get("@context")).collect();
    let ext_urls: Vec<&str> = urls
        .into_iter()
        .filter(|u| obi_contexts::get(u).map(|d| d.url()) != Some(obi_contexts::urls::OB_V2))
        .collect();
    if ext_urls.is_empty() {
        finding(Severity::Warning, "this extension object has no @context naming its extension, so it could not be validated".into(),
            "Add \"@context\": the URL of the extension's published context.");
        return;
    }
    // The node's types, expanded under v2 + the extension's contexts.
    let Ok(ctx) = ActiveContext::for_url(obi_contexts::urls::OB_V2)
        .and_then(|v2| v2.process(o.get("@context").unwrap_or(&Value::Null)))
    else {
        return; // reported by normalization as an uninterpretable context
    };
    // A type that does not expand (like the accessibility extension's relative "extensions#accessibility")
    // is compared as written, as JSON-LD expansion without a base would leave it.
    let node_types: Vec<String> = types(o)
        .iter()
        .map(|t| ctx.expand_iri(t, true).unwrap_or_else(|| (*t).to_owned()))
        .collect();
    let mut matched = false;
    for url in ext_urls {
        let Some(doc) = obi_contexts::get(url) else {
            continue;
        };
        for (validates_type, schema_url) in validations(doc) {
            if !node_types.contains(&validates_type) {
                continue;
            }
            matched = true;
            let Some(validator) = compiled(&schema_url) else {
                finding(
                    Severity::Warning,
                    format!(
                        "the extension's schema {schema_url} is not one obi carries, so it was not checked"
                    ),
                    "Use a published extension, or check the schema separately.",
                );
                continue;
            };
            let instance = Value::Object(o.clone());
            for e in validator.iter_errors(&instance).take(20) {
                let at = e.instance_path().to_string();
                let at = if at.is_empty() {
                    String::new()
                } else {
                    format!(" at {at}")
                };
                finding(
                    Severity::Error,
                    format!(
                        "extension {} does not match its schema{at}: {e}",
                        short_type(&validates_type)
                    ),
                    "Correct the extension's properties to match the extension's published JSON Schema.",
                );
            }
        }
    }
    if !matched {
        finding(Severity::Warning, "no validation rule of the extension's context applies to this object's type, so it was not checked".into(),
            "Give the extension object the type its extension defines (for example extensions:ExampleExtension).");
    }
}

fn short_type(iri: &str) -> &str {
    iri.rsplit(['#', '/']).next().unwrap_or(iri)
}

/// `(validatesType IRI, schema URL)` pairs of an extension context (cached).
fn validations(doc: &'static obi_contexts::Document) -> Vec<(String, String)> {
    type Cache = Mutex<HashMap<&'static str, Vec<(String, String)>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(v) = cache.lock().ok().and_then(|m| m.get(doc.path).cloned()) {
        return v;
    }
    let mut out = Vec::new();
    if let (Ok(json), Ok(ctx)) = (
        serde_json::from_str::<Value>(doc.text),
        ActiveContext::for_url(doc.url()),
    ) {
        let entries = json
            .get("obi:validation")
            .or_else(|| json.get("validation"));
        for e in crate::json::one_or_many(entries) {
            let t = e
                .get("obi:validatesType")
                .or_else(|| e.get("validatesType"))
                .and_then(Value::as_str);
            let s = e
                .get("obi:validationSchema")
                .or_else(|| e.get("validationSchema"))
                .and_then(Value::as_str);
            if let (Some(t), Some(s)) = (t, s) {
                out.push((
                    ctx.expand_iri(t, true).unwrap_or_else(|| t.to_owned()),
                    s.to_owned(),
                ));
            }
        }
    }
    if let Ok(mut m) = cache.lock() {
        m.insert(doc.path, out.clone());
    }
    out
}

/// The compiled JSON Schema at `url`, if obi carries it (cached).
fn compiled(url: &str) -> Option<Arc<jsonschema::Validator>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Arc<jsonschema::Validator>>>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(v) = cache.lock().ok().and_then(|m| m.get(url).cloned()) {
        return v;
    }
    let v = obi_contexts::get(url)
        .filter(|d| d.kind == obi_contexts::Kind::JsonSchema)
        .and_then(|d| serde_json::from_str::<Value>(d.text).ok())
        .map(repair_schema)
        .and_then(|schema| jsonschema::validator_for(&schema).ok())
        .map(Arc::new);
    if let Ok(mut m) = cache.lock() {
        m.insert(url.to_owned(), v.clone());
    }
    v
}

/// The published accessibility extension schema puts its `required` list inside `properties`, which makes
/// it an invalid schema (the official validator never notices: it does not check schemas). The intent is
/// plain, so a `required` array found there is moved up to where JSON Schema reads it.
fn repair_schema(mut schema: Value) -> Value {
    let misplaced = schema
        .get_mut("properties")
        .and_then(Value::as_object_mut)
        .and_then(|p| {
            if p.get("required").is_some_and(Value::is_array) {
                p.remove("required")
            } else {
                None
            }
        });
    if let (Some(req), Some(obj)) = (misplaced, schema.as_object_mut()) {
        obj.entry("required").or_insert(req);
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(ext: Value) -> Map<String, Value> {
        let Value::Object(m) = json!({"id": "urn:x", "extensions:exampleExtension": ext}) else {
            panic!()
        };
        m
    }

    #[test]
    fn valid_example_extension_passes() {
        let n = node(
            json!({"@context": "https://w3id.org/openbadges/extensions/exampleExtension/context.json",
            "type": ["Extension", "extensions:ExampleExtension"], "exampleProperty": "hi"}),
        );
        assert_eq!(check(&n, Some("urn:x")), vec![]);
    }

    #[test]
    fn invalid_example_extension_fails() {
        let n = node(
            json!({"@context": "https://w3id.org/openbadges/extensions/exampleExtension/context.json",
            "type": ["Extension", "extensions:ExampleExtension"], "exampleProperty": 5}),
        );
        let f = check(&n, Some("urn:x"));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[0].path, "/extensions:exampleExtension");
    }

    #[test]
    fn accessibility_schema_defect_is_repaired_to_its_intent() {
        let n = node(
            json!({"@context": "https://w3id.org/openbadges/extensions/accessibilityExtension/context.json",
            "type": ["Extension", "extensions#accessibility"], "accessibilityAPI": "ARIA"}),
        );
        let f = check(&n, None);
        assert!(
            f.iter()
                .any(|f| f.severity == Severity::Error && f.message.contains("url")),
            "{f:?}"
        );
    }

    #[test]
    fn every_bundled_extension_schema_compiles() {
        for d in obi_contexts::all()
            .iter()
            .filter(|d| d.kind == obi_contexts::Kind::JsonSchema && d.path.starts_with("ob2/"))
        {
            assert!(compiled(d.url()).is_some(), "{}", d.path);
        }
    }
}
