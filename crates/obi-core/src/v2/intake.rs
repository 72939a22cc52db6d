//! Intake of OB 2.0 / 1.x / 0.5 documents: version detection, upgrade to 2.0, and JSON-LD normalization of
//! keys and types to the terms of the OB 2.0 context.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use obi_jsonld::{ActiveContext, JsonLdError};
use serde_json::{Map, Value, json};

use super::Class;
use crate::time::{parse_ob_datetime, upgrade_legacy_datetime};

/// The Open Badges version a document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// 0.5: no context, recipient is a plain string, badge and issuer embedded.
    V0_5,
    /// 1.0: no context.
    V1_0,
    /// 1.1: the v1 context.
    V1_1,
    /// 2.0: the v2 context (or any other context: read through JSON-LD).
    V2_0,
}

impl Version {
    /// `0.5`, `1.0`, `1.1`, `2.0`.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V0_5 => "0.5",
            Version::V1_0 => "1.0",
            Version::V1_1 => "1.1",
            Version::V2_0 => "2.0",
        }
    }
}

/// Detect the version as the official validator does: a context naming v1 is 1.1, one naming v2 is 2.0;
/// no context is 1.0, or 0.5 when the recipient is a plain string; anything else is read as 2.0.
/// A one-element array reads like the value it holds.
pub fn detect_version(doc: &Value) -> Version {
    let Some(context) = doc.get("@context") else {
        return if doc.get("recipient").is_some_and(Value::is_string) {
            Version::V0_5
        } else {
            Version::V1_0
        };
    };
    let contexts = crate::json::one_or_many(Some(context));
    let named_v1 = |c: &str| c.contains("/v1") || c.ends_with("v1");
    let v1 = match contexts {
        [Value::String(c)] => named_v1(c),
        many => many.iter().any(|c| c.as_str().is_some_and(is_v1_context)),
    };
    if v1 { Version::V1_1 } else { Version::V2_0 }
}

/// Upgrade (when 0.5 / 1.x) and normalize one document, as validation reads it; `None` for a document that
/// is not an object or cannot be upgraded. `node_id` is the URL it came from; `expected` the class the
/// referrer expects.
pub fn read(
    doc: &Value,
    node_id: Option<&str>,
    expected: Option<Class>,
) -> Option<Map<String, Value>> {
    let Value::Object(map) = doc else {
        return None;
    };
    let version = detect_version(doc);
    let upgraded = if version == Version::V2_0 {
        map.clone()
    } else {
        upgrade(map.clone(), version, node_id, expected).ok()?
    };
    Some(normalize(&upgraded).0)
}

fn is_v1_context(c: &str) -> bool {
    matches!(
        obi_contexts::get(c).map(|d| d.url()),
        Some(obi_contexts::urls::OB_V1) | Some(obi_contexts::urls::OB_LEGACY_V1)
    )
}

/// What upgrading found wrong (the upgrade could not be done).
#[derive(Debug, Clone, PartialEq)]
pub struct UpgradeProblem {
    /// The official validator's task name.
    pub rule: &'static str,
    /// What went wrong.
    pub message: String,
}

/// Upgrade a 0.5 / 1.0 / 1.1 document to 2.0 shape (still under its own context; see [`normalize`]).
/// `node_id` is the URL the document came from, if known; `expected` the class the referrer expects.
pub fn upgrade(
    mut doc: Map<String, Value>,
    version: Version,
    node_id: Option<&str>,
    expected: Option<Class>,
) -> Result<Map<String, Value>, UpgradeProblem> {
    if version == Version::V0_5 {
        doc = upgrade_0_5(doc, node_id, expected)?;
    } else if version == Version::V1_0 {
        doc = upgrade_1_0(doc, node_id, expected)?;
    }
    if version != Version::V2_0 {
        upgrade_1_1(&mut doc, expected);
    }
    Ok(doc)
}

fn upgrade_0_5(
    mut d: Map<String, Value>,
    node_id: Option<&str>,
    expected: Option<Class>,
) -> Result<Map<String, Value>, UpgradeProblem> {
    let class = expected.unwrap_or(Class::Assertion);
    d.insert("type".into(), json!(class.type_name()));
    d.insert("@context".into(), json!(obi_contexts::urls::OB_V1));
    if d.get("id").is_none() {
        match node_id {
            Some(id) => {
                d.insert("id".into(), json!(id));
            }
            None => {
                return Err(UpgradeProblem {
                    rule: "UPGRADE_0_5_NODE",
                    message: "could not determine the id of this OB 0.5 document".into(),
                });
            }
        }
    }
    if d.get("issuedOn").is_none()
        && let Some(v) = d.remove("issued_on")
    {
        d.insert("issuedOn".into(), v);
    }
    if let Some(Value::String(r)) = d.get("recipient").cloned() {
        let mut rec = Map::new();
        rec.insert("identity".into(), json!(r));
        rec.insert("type".into(), json!("email"));
        rec.insert("hashed".into(), json!(!r.contains('@')));
        if let Some(salt) = d.remove("salt") {
            rec.insert("salt".into(), salt);
        }
        d.insert("recipient".into(), Value::Object(rec));
        d.insert("verify".into(), json!({"type": "hosted"}));
    }
    if let Some(Value::Object(badge)) = d.get_mut("badge") {
        badge.insert("type".into(), json!("BadgeClass"));
        if let Some(Value::Object(issuer)) = badge.get_mut("issuer") {
            issuer.insert("type".into(), json!("Profile"));
            for (old, new) in [("contact", "email"), ("origin", "url")] {
                if issuer.get(new).is_none()
                    && let Some(v) = issuer.remove(old)
                {
                    issuer.insert(new.into(), v);
                }
            }
            if let (Some(Value::String(name)), Some(Value::String(org))) =
                (issuer.get("name").cloned(), issuer.get("org").cloned())
            {
                issuer.remove("org");
                issuer.insert("name".into(), json!(format!("{name}: {org}")));
            }
        }
    }
    Ok(d)
}

fn upgrade_1_0(
    mut d: Map<String, Value>,
    node_id: Option<&str>,
    expected: Option<Class>,
) -> Result<Map<String, Value>, UpgradeProblem> {
    let class = if expected == Some(Class::Assertion) || d.get("recipient").is_some() {
        Class::Assertion
    } else if expected == Some(Class::BadgeClass) || d.get("criteria").is_some() {
        Class::BadgeClass
    } else if matches!(expected, Some(Class::Profile)) || d.get("url").is_some() {
        Class::Profile
    } else {
        expected.unwrap_or(Class::Assertion)
    };
    let mut id = d
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or(node_id.map(str::to_owned));
    if class == Class::Assertion && id.is_none() {
        let verify = d.get("verify");
        let kind = crate::json::strings(verify.and_then(|v| v.get("type"))).next();
        match kind {
            Some("hosted") => {
                id = verify
                    .and_then(|v| v.get("url"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            }
            Some("signed") => {
                id = d
                    .get("uid")
                    .and_then(Value::as_str)
                    .map(|u| format!("uid:{u}"))
            }
            _ => {}
        }
    }
    let Some(id) = id else {
        return Err(UpgradeProblem {
            rule: "UPGRADE_1_0_NODE",
            message: format!(
                "could not determine the id of this OB 1.0 {} (no verify.url, and not given with a URL)",
                class.type_name()
            ),
        });
    };
    d.insert("id".into(), json!(id));
    d.insert(
        "type".into(),
        json!(if class == Class::Profile {
            "Issuer"
        } else {
            class.type_name()
        }),
    );
    d.insert("@context".into(), json!(obi_contexts::urls::OB_V1));
    Ok(d)
}

fn upgrade_1_1(d: &mut Map<String, Value>, expected: Option<Class>) {
    if expected == Some(Class::Assertion) || d.get("recipient").is_some() {
        for key in ["issuedOn", "expires"] {
            let upgraded = match d.get(key) {
                Some(v @ Value::String(s)) if parse_ob_datetime(s).is_none() => {
                    upgrade_legacy_datetime(v)
                }
                Some(v @ Value::Number(_)) => upgrade_legacy_datetime(v),
                _ => None,
            };
            if let Some(u) = upgraded {
                d.insert(key.into(), json!(u));
            }
        }
    } else if (expected == Some(Class::BadgeClass) || d.get("criteria").is_some())
        && let Some(alignment) = d.get_mut("alignment")
    {
        let items: Vec<&mut Value> = match alignment {
            Value::Array(a) => a.iter_mut().collect(),
            other => vec![other],
        };
        for item in items {
            if let Value::Object(a) = item {
                for (old, new) in [
                    ("url", "targetUrl"),
                    ("name", "targetName"),
                    ("description", "targetDescription"),
                ] {
                    if a.get(new).is_none()
                        && a.get(old).is_some_and(|v| !v.is_null())
                        && let Some(v) = a.remove(old)
                    {
                        a.insert(new.into(), v);
                    }
                }
            }
        }
    }
}

/// A problem met while normalizing (the document stays as written where it occurred).
#[derive(Debug, Clone, PartialEq)]
pub struct NormalizeProblem {
    /// JSON pointer to the `@context` that could not be processed.
    pub path: String,
    /// The error.
    pub error: JsonLdError,
}

/// Rewrite every key (and `type` value) to the OB 2.0 term with the same IRI, interpreting the document
/// through JSON-LD against the pinned contexts. Keys that are not OB 2.0 terms are written as compact IRIs
/// under the v2 prefixes (or kept as written when they expand to nothing). The top `@context` becomes v2.
pub fn normalize(doc: &Map<String, Value>) -> (Map<String, Value>, Vec<NormalizeProblem>) {
    let mut problems = Vec::new();
    let v2 = v2_context();
    let base = Arc::new(ActiveContext::new());
    let mut out = normalize_object(doc, &base, v2, "", &mut problems, 0);
    if doc.contains_key("@context") {
        out.shift_remove("@context");
        let mut with_ctx = Map::with_capacity(out.len() + 1);
        with_ctx.insert("@context".into(), json!(obi_contexts::urls::OB_V2));
        with_ctx.extend(out);
        out = with_ctx;
    }
    (out, problems)
}

/// The processed OB 2.0 context.
pub fn v2_context() -> &'static ActiveContext {
    static V2: OnceLock<Arc<ActiveContext>> = OnceLock::new();
    V2.get_or_init(|| {
        ActiveContext::for_url(obi_contexts::urls::OB_V2)
            .unwrap_or_else(|_| Arc::new(ActiveContext::new()))
    })
}

fn reverse_v2() -> &'static HashMap<String, Vec<String>> {
    static REV: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    REV.get_or_init(|| {
        let mut m: HashMap<String, Vec<String>> = HashMap::new();
        for (term, def) in v2_context().terms() {
            if let Some(iri) = &def.iri
                && !iri.starts_with('@')
                && !matches!(term, "hosted" | "signed" | "verify")
            {
                m.entry(iri.to_string()).or_default().push(term.to_owned());
            }
        }
        for v in m.values_mut() {
            v.sort();
        }
        m
    })
}

const V2_PREFIXES: &[(&str, &str)] = &[
    ("obi", "https://w3id.org/openbadges#"),
    ("extensions", "https://w3id.org/openbadges/extensions#"),
    ("schema", "http://schema.org/"),
    ("sec", "https://w3id.org/security#"),
    ("dc", "http://purl.org/dc/terms/"),
    ("cred", "https://w3id.org/credentials#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// The v2 name for an IRI: its term, or a compact IRI, or the IRI itself.
fn compact(iri: &str, original: &str, value: Option<&Value>) -> String {
    if let Some(terms) = reverse_v2().get(iri) {
        if terms.iter().any(|t| t == original) {
            return original.to_owned();
        }
        if terms.len() > 1 && iri == "https://w3id.org/openbadges#revoked" {
            return if value.is_some_and(Value::is_boolean) {
                "revoked".into()
            } else {
                "revokedAssertions".into()
            };
        }
        return terms[0].clone();
    }
    for (p, base) in V2_PREFIXES {
        if let Some(rest) = iri.strip_prefix(base)
            && !rest.is_empty()
        {
            return format!("{p}:{rest}");
        }
    }
    iri.to_owned()
}

fn normalize_object(
    obj: &Map<String, Value>,
    inherited: &Arc<ActiveContext>,
    v2: &ActiveContext,
    path: &str,
    problems: &mut Vec<NormalizeProblem>,
    depth: usize,
) -> Map<String, Value> {
    let ctx: Arc<ActiveContext> = match obj.get("@context") {
        Some(local) => match inherited.process_shared(local) {
            Ok(c) => c,
            Err(error) => {
                problems.push(NormalizeProblem {
                    path: format!("{path}/@context"),
                    error,
                });
                inherited.clone()
            }
        },
        None => inherited.clone(),
    };
    let mut out = Map::with_capacity(obj.len());
    for (key, value) in obj {
        let new_key = if key == "@context" {
            key.clone()
        } else {
            match ctx.keyword(key) {
                Some("@id") => "id".to_owned(),
                Some("@type") => "type".to_owned(),
                Some(kw) => kw.to_owned(),
                None => match ctx.expand_iri(key, true) {
                    Some(iri) => compact(&iri, key, Some(value)),
                    None => key.clone(),
                },
            }
        };
        let new_value = if key == "@context" {
            value.clone()
        } else if new_key == "type" {
            map_strings(value, |t| match ctx.expand_iri(t, true) {
                Some(iri) if !iri.starts_with('@') => compact(&iri, t, None),
                _ => t.to_owned(),
            })
        } else if value.is_object() || value.is_array() {
            let pointer = format!("{path}/{}", crate::report::pointer_segment(key));
            normalize_value(value, &ctx, v2, &pointer, problems, depth + 1)
        } else {
            value.clone()
        };
        // A later key that maps to the same term as an earlier one: keep both values.
        match out.get_mut(&new_key) {
            Some(existing) => merge_values(existing, new_value),
            None => {
                out.insert(new_key, new_value);
            }
        }
    }
    out
}

fn normalize_value(
    value: &Value,
    ctx: &Arc<ActiveContext>,
    v2: &ActiveContext,
    path: &str,
    problems: &mut Vec<NormalizeProblem>,
    depth: usize,
) -> Value {
    match value {
        // An embedded object with a context of its own is an extension (or another vocabulary): its terms
        // are its own business, so it is kept as written; its context is still checked.
        Value::Object(o) if o.contains_key("@context") => {
            if let Some(local) = o.get("@context")
                && let Err(error) = ctx.process(local)
            {
                problems.push(NormalizeProblem {
                    path: format!("{path}/@context"),
                    error,
                });
            }
            value.clone()
        }
        Value::Object(o) => Value::Object(normalize_object(o, ctx, v2, path, problems, depth)),
        Value::Array(a) => Value::Array(
            a.iter()
                .enumerate()
                .map(|(i, v)| normalize_value(v, ctx, v2, &format!("{path}/{i}"), problems, depth))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn map_strings(value: &Value, f: impl Fn(&str) -> String) -> Value {
    match value {
        Value::String(s) => Value::String(f(s)),
        Value::Array(a) => Value::Array(
            a.iter()
                .map(|v| {
                    v.as_str()
                        .map_or_else(|| v.clone(), |s| Value::String(f(s)))
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn merge_values(existing: &mut Value, new: Value) {
    let mut items = match std::mem::take(existing) {
        Value::Array(a) => a,
        v => vec![v],
    };
    match new {
        Value::Array(a) => items.extend(a),
        v => items.push(v),
    }
    *existing = Value::Array(items);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(v: Value) -> Value {
        let Value::Object(m) = v else { panic!() };
        let (out, problems) = normalize(&m);
        assert!(problems.is_empty(), "{problems:?}");
        Value::Object(out)
    }

    #[test]
    fn v2_document_is_unchanged() {
        let d = json!({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "urn:uuid:1",
            "issuedOn": "2020-01-01T00:00:00Z", "recipient": {"type": "email", "identity": "a@b.c", "hashed": false}});
        assert_eq!(norm(d.clone()), d);
    }

    #[test]
    fn aliases_and_full_iris_become_v2_terms() {
        let d = json!({"@context": ["https://w3id.org/openbadges/v2", {"when": "obi:issueDate"}],
            "type": "https://w3id.org/openbadges#Assertion", "when": "2020-01-01T00:00:00Z",
            "http://schema.org/name": "x", "obi:revoked": true, "verify": {"type": "hosted"}});
        let n = norm(d);
        assert_eq!(n["type"], "Assertion");
        assert_eq!(n["issuedOn"], "2020-01-01T00:00:00Z");
        assert_eq!(n["name"], "x");
        assert_eq!(n["revoked"], true);
        assert_eq!(n["verification"]["type"], "HostedBadge");
        assert_eq!(n["@context"], "https://w3id.org/openbadges/v2");
    }

    #[test]
    fn unknown_context_is_reported() {
        let Value::Object(m) = json!({"@context": "https://example.org/c", "a": 1}) else {
            panic!()
        };
        let (_, p) = normalize(&m);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].path, "/@context");
    }

    #[test]
    fn version_detection() {
        assert_eq!(
            detect_version(&json!({"@context": "https://w3id.org/openbadges/v2"})),
            Version::V2_0
        );
        assert_eq!(
            detect_version(&json!({"@context": "https://w3id.org/openbadges/v1"})),
            Version::V1_1
        );
        assert_eq!(
            detect_version(&json!({"recipient": "a@b.c"})),
            Version::V0_5
        );
        assert_eq!(detect_version(&json!({"recipient": {}})), Version::V1_0);
        assert_eq!(
            detect_version(&json!({"@context": {"x": "http://x/"}})),
            Version::V2_0
        );
    }

    #[test]
    fn upgrade_1_0_assertion() {
        let Value::Object(d) = json!({"uid": "1", "recipient": {"type": "email", "identity": "a@b.c", "hashed": false},
            "badge": "http://x/b", "issuedOn": "2015-04-30", "verify": {"type": "hosted", "url": "http://x/a"}})
        else {
            panic!()
        };
        let u = upgrade(d, Version::V1_0, None, None).unwrap();
        let (n, _) = normalize(&u);
        assert_eq!(n["id"], "http://x/a");
        assert_eq!(n["type"], "Assertion");
        assert_eq!(n["issuedOn"], "2015-04-30T00:00:00+00:00");
        assert_eq!(n["verification"]["type"], "HostedBadge");
    }

    #[test]
    fn upgrade_0_5_assertion() {
        let Value::Object(d) = json!({"recipient": "sha256$abc", "salt": "s", "issued_on": "2013-01-01",
            "badge": {"name": "B", "issuer": {"origin": "http://x", "name": "I", "org": "O", "contact": "i@x.org"}}})
        else {
            panic!()
        };
        let u = upgrade(d, Version::V0_5, Some("http://x/a"), None).unwrap();
        assert_eq!(u["recipient"]["hashed"], true);
        assert_eq!(u["recipient"]["salt"], "s");
        assert_eq!(u["badge"]["issuer"]["url"], "http://x");
        assert_eq!(u["badge"]["issuer"]["email"], "i@x.org");
        assert_eq!(u["badge"]["issuer"]["name"], "I: O");
        assert_eq!(u["issuedOn"], "2013-01-01T00:00:00+00:00");
    }

    #[test]
    fn upgrade_1_0_without_id_fails() {
        let Value::Object(d) = json!({"recipient": {}, "verify": {"type": "signed"}}) else {
            panic!()
        };
        assert_eq!(
            upgrade(d, Version::V1_0, None, None).unwrap_err().rule,
            "UPGRADE_1_0_NODE"
        );
    }
}
