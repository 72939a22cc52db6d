//! Open Badges 3.0: typed model and validation.
//!
//! Validation checks a credential against the bundled 1EdTech JSON Schemas (after reading the compacted
//! JSON-LD forms the schemas do not allow, such as a single `proof` object, as the arrays they stand for),
//! and adds the rules the schemas cannot say: `@context` order and versions, a subject with `id` or
//! `identifier`, `identityHash` format, dates and their order against `now`, `credentialSchema` URLs, and
//! the JSON-LD safe-mode expansion that Data Integrity verifiers perform (an undefined property breaks
//! every proof). VC 1.1 credentials (`https://www.w3.org/2018/credentials/v1`, `issuanceDate` /
//! `expirationDate`) are judged with their dates read as `validFrom` / `validUntil` and a warning.
//!
//! ```
//! let c = serde_json::json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]});
//! let report = obi_core::v3::validate(&c, "2026-01-01T00:00:00Z".parse().unwrap());
//! assert!(!report.valid);
//! ```

pub mod model;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::json::{one_or_many, strings};
use crate::report::{Finding, Report, Severity, pointer_segment};

/// The VC 2.0 context.
const VC_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// The VC 1.1 context.
const VC_V1: &str = "https://www.w3.org/2018/credentials/v1";
/// The OB 3.0 context obi recommends.
const OB_LATEST: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/// The bundled schemas, by the class they describe.
const ACHIEVEMENT_SCHEMA: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";
const ENDORSEMENT_SCHEMA: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json";

/// Whether `doc` looks like an Open Badges 3.0 (Verifiable Credential) document: a VC or OB 3.0 context,
/// or a Verifiable Credential type. `@context` and `type` are read one or many (a single string, an
/// array, an inline context object), and a type counts by its term or as a full IRI ending in it, so no
/// spelling the rules accept can send a credential down the OB 2.0 path.
pub fn is_credential(doc: &Value) -> bool {
    const CONTEXTS: [&str; 3] = [
        "www.w3.org/ns/credentials",
        "www.w3.org/2018/credentials",
        "purl.imsglobal.org/spec/ob/v3p0",
    ];
    const TYPES: [&str; 4] = [
        "VerifiableCredential",
        "OpenBadgeCredential",
        "AchievementCredential",
        "EndorsementCredential",
    ];
    let context = one_or_many(doc.get("@context")).iter().any(|c| {
        // An inline context object is searched as text: a VC term defined there counts too.
        let text = match c {
            Value::String(s) => s.to_ascii_lowercase(),
            other => other.to_string().to_ascii_lowercase(),
        };
        CONTEXTS.iter().any(|m| text.contains(m))
    });
    let typed = strings(doc.get("type")).any(|t| {
        let term = t.rsplit(['#', '/', ':']).next().unwrap_or(t);
        TYPES.contains(&term)
    });
    context || typed
}

/// The one `credentialSubject` of a credential: the object, or the only item of a one-element array
/// (JSON-LD reads both alike). `None` when there is none, when it is not an object, or when there are
/// several: an OpenBadgeCredential is about one AchievementSubject, and a reader that took the first of
/// several (or read "no subject" from an array) would compare the wrong one.
pub fn subject(doc: &Value) -> Option<&Map<String, Value>> {
    match one_or_many(doc.get("credentialSubject")) {
        [s] => s.as_object(),
        _ => None,
    }
}

struct Check {
    findings: Vec<Finding>,
    node: Option<String>,
}

impl Check {
    fn add(
        &mut self,
        rule: &'static str,
        severity: Severity,
        path: &str,
        message: String,
        hint: &str,
    ) {
        self.findings.push(Finding {
            rule,
            severity,
            node: self.node.clone(),
            path: path.to_owned(),
            message,
            hint: hint.to_owned(),
        });
    }
}

/// Validate an OB 3.0 credential (OpenBadgeCredential / AchievementCredential or EndorsementCredential),
/// judging dates as of `now`. Signatures are not checked here (see obi-sign / obi-verify).
pub fn validate(doc: &Value, now: DateTime<Utc>) -> Report {
    validate_with(doc, now, true)
}

/// [`validate`], with the JSON-LD safe-mode expansion limited to the `proof` members when `full_jsonld` is
/// false: for a caller about to canonicalize the credential body for its Data Integrity proof anyway
/// (an expansion error there fails the proof check with the same message).
pub fn validate_with(doc: &Value, now: DateTime<Utc>, full_jsonld: bool) -> Report {
    let Some(obj) = doc.as_object() else {
        let f = Finding {
            rule: "OB3_NOT_OBJECT",
            severity: Severity::Error,
            node: None,
            path: String::new(),
            message: "an Open Badges 3.0 credential is a JSON object".into(),
            hint: "give the credential itself (a JSON object), not a list or a string".into(),
        };
        return Report::new(Some("3.0".into()), None, vec![f], vec![]);
    };
    let mut c = Check {
        findings: Vec::new(),
        node: obj.get("id").and_then(Value::as_str).map(str::to_owned),
    };
    let types: Vec<&str> = strings(obj.get("type")).collect();
    let endorsement = types.contains(&"EndorsementCredential");
    if !endorsement
        && !types
            .iter()
            .any(|t| *t == "OpenBadgeCredential" || *t == "AchievementCredential")
    {
        c.add(
            "OB3_TYPE",
            Severity::Error,
            "/type",
            format!("type is {types:?}: not an OpenBadgeCredential, AchievementCredential or EndorsementCredential"),
            "list \"VerifiableCredential\" and \"OpenBadgeCredential\" in type",
        );
    }
    let v1 = check_context(&mut c, obj);
    let normalized = normalize(obj, v1, &mut c);
    check_schema(
        &mut c,
        &normalized,
        if endorsement {
            ENDORSEMENT_SCHEMA
        } else {
            ACHIEVEMENT_SCHEMA
        },
    );
    check_subject(&mut c, obj);
    check_dates(&mut c, obj, now);
    check_credential_schema(&mut c, obj);
    if full_jsonld {
        check_jsonld(&mut c, doc);
    } else if let (Some(ctx), Some(proof)) = (obj.get("@context"), obj.get("proof")) {
        let mut only = serde_json::Map::new();
        only.insert("@context".into(), ctx.clone());
        only.insert("proof".into(), proof.clone());
        if let Some(t) = obj.get("type") {
            // The credential's type brings the scoped context that defines `proof`.
            only.insert("type".into(), t.clone());
        }
        check_jsonld(&mut c, &Value::Object(only));
    }
    let subject = c.node.clone();
    Report::new(Some("3.0".into()), subject, c.findings, vec![])
}

/// `@context`: VC context first (2.0, or 1.1 with a warning), an OB 3.0 context second, a current
/// version. Returns whether the credential is VC 1.1.
fn check_context(c: &mut Check, obj: &Map<String, Value>) -> bool {
    let hint_order = "start @context with \"https://www.w3.org/ns/credentials/v2\", then \"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"";
    let items = match obj.get("@context") {
        Some(Value::Array(a)) => a.clone(),
        Some(Value::String(s)) => {
            c.add(
                "OB3_CONTEXT",
                Severity::Error,
                "/@context",
                format!("@context is the single string {s:?}; it must be an array"),
                hint_order,
            );
            vec![Value::String(s.clone())]
        }
        _ => {
            c.add(
                "OB3_CONTEXT",
                Severity::Error,
                "/@context",
                "@context is missing or not an array".into(),
                hint_order,
            );
            return false;
        }
    };
    let first = items.first().and_then(Value::as_str).unwrap_or_default();
    let v1 = first == VC_V1;
    if v1 {
        c.add(
            "OB3_VC_1_1",
            Severity::Warning,
            "/@context/0",
            "a VC 1.1 credential (https://www.w3.org/2018/credentials/v1): OB 3.0 is built on VC 2.0; read here with validFrom/validUntil taken from issuanceDate/expirationDate".into(),
            "re-issue with the VC 2.0 context, validFrom and validUntil",
        );
    } else if first != VC_V2 {
        c.add(
            "OB3_CONTEXT",
            Severity::Error,
            "/@context/0",
            format!("the first @context must be {VC_V2}, not {first:?}"),
            hint_order,
        );
    }
    let ob = items
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.as_str().map(|s| (i, s)))
        .find(|(_, s)| is_ob3_context(s));
    match ob {
        None => c.add(
            "OB3_CONTEXT",
            Severity::Error,
            "/@context",
            "no Open Badges 3.0 context (https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json)".into(),
            hint_order,
        ),
        Some((i, url)) => {
            if i != 1 {
                c.add(
                    "OB3_CONTEXT",
                    Severity::Error,
                    &format!("/@context/{i}"),
                    format!("the Open Badges context must come second in @context, not at position {}", i + 1),
                    hint_order,
                );
            }
            if url != OB_LATEST {
                c.add(
                    "OB3_CONTEXT_VERSION",
                    Severity::Warning,
                    &format!("/@context/{i}"),
                    format!("{url} is not the current OB 3.0 context"),
                    "use https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                );
            }
        }
    }
    v1
}

fn is_ob3_context(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("https://purl.imsglobal.org/spec/ob/v3p0/context") else {
        return false;
    };
    let Some(version) = rest.strip_suffix(".json") else {
        return false;
    };
    version.is_empty()
        || version.strip_prefix("-3.").is_some_and(|v| {
            v.len() == 3
                && v.as_bytes()[1] == b'.'
                && v.bytes().filter(|b| b.is_ascii_digit()).count() == 2
        })
}

/// A copy shaped as the JSON Schemas expect: VC 1.1 read as 2.0, single values of array-typed properties
/// wrapped (JSON-LD's compacted form; a single `proof` object is the spec's own example).
fn normalize(obj: &Map<String, Value>, v1: bool, c: &mut Check) -> Value {
    let mut copy = obj.clone();
    if v1 {
        if let Some(Value::Array(items)) = copy.get_mut("@context")
            && let Some(first) = items.first_mut()
        {
            *first = Value::String(VC_V2.into());
        }
        for (old, new) in [
            ("issuanceDate", "validFrom"),
            ("expirationDate", "validUntil"),
        ] {
            if let Some(v) = copy.remove(old) {
                copy.entry(new.to_owned()).or_insert(v);
            }
        }
    }
    if obj.get("proof").is_some_and(Value::is_object) {
        c.add(
            "OB3_PROOF_FORM",
            Severity::Info,
            "/proof",
            "proof is a single object: the JSON Schema asks for an array, but JSON-LD makes both the same (the spec's own examples use the object); accepted".into(),
            "nothing to fix",
        );
    }
    // Properties the schema wants as one value, given as a one-element array: the same graph, so the same
    // credential (several values are left for the schema, and the subject rule, to refuse).
    for key in [
        "issuer",
        "credentialSubject",
        "credentialStatus",
        "refreshService",
    ] {
        if let Some(v) = copy.get_mut(key)
            && let Value::Array(a) = v
            && a.len() == 1
        {
            let one = a.remove(0);
            *v = one;
        }
    }
    // Most credentials differ from the schema's array forms only in a top-level `proof` object (the spec's
    // own form): wrap that, and walk the whole schema only when the result does not validate as it is.
    if let Some(p @ Value::Object(_)) = copy.get_mut("proof") {
        *p = Value::Array(vec![p.take()]);
    }
    let mut v = Value::Object(copy);
    let quick_ok = compiled(ACHIEVEMENT_SCHEMA).is_some_and(|val| val.is_valid(&v));
    if !quick_ok && let Some(schema) = achievement_schema() {
        wrap_singles(schema, schema, &mut v, 0);
    }
    v
}

/// Walk `value` along `node` of the schema (resolving `$ref` into `$defs`), wrapping a non-array where
/// the schema wants an array.
fn wrap_singles(root: &Value, node: &Value, value: &mut Value, depth: usize) {
    if depth > 32 {
        return;
    }
    if let Some(Value::String(r)) = node.get("$ref") {
        if let Some(name) = r.strip_prefix("#/$defs/")
            && let Some(def) = root.get("$defs").and_then(|d| d.get(name))
        {
            wrap_singles(root, def, value, depth + 1);
        }
        return;
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(subs)) = node.get(key) {
            for s in subs {
                wrap_singles(root, s, value, depth + 1);
            }
        }
    }
    if node.get("type").and_then(Value::as_str) == Some("array") {
        if !value.is_array() && !value.is_null() {
            *value = Value::Array(vec![value.take()]);
        }
        if let (Some(items), Value::Array(a)) = (node.get("items"), &mut *value) {
            for item in a {
                wrap_singles(root, items, item, depth + 1);
            }
        }
        return;
    }
    if let (Some(Value::Object(props)), Value::Object(o)) = (node.get("properties"), &mut *value) {
        for (k, sub) in props {
            if let Some(v) = o.get_mut(k) {
                wrap_singles(root, sub, v, depth + 1);
            }
        }
    }
}

/// The achievement credential schema, parsed once.
fn achievement_schema() -> Option<&'static Value> {
    static SCHEMA: OnceLock<Option<Value>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| schema_json(ACHIEVEMENT_SCHEMA))
        .as_ref()
}

fn schema_json(url: &str) -> Option<Value> {
    obi_contexts::get(url)
        .filter(|d| d.kind == obi_contexts::Kind::JsonSchema)
        .and_then(|d| serde_json::from_str(d.text).ok())
}

type Compiled = Mutex<HashMap<&'static str, Option<Arc<jsonschema::Validator>>>>;

fn compiled(url: &'static str) -> Option<Arc<jsonschema::Validator>> {
    static CACHE: OnceLock<Compiled> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(v) = cache.lock().ok().and_then(|m| m.get(url).cloned()) {
        return v;
    }
    let v = schema_json(url)
        .and_then(|s| jsonschema::validator_for(&s).ok())
        .map(Arc::new);
    if let Ok(mut m) = cache.lock() {
        m.insert(url, v.clone());
    }
    v
}

fn check_schema(c: &mut Check, normalized: &Value, url: &'static str) {
    let Some(validator) = compiled(url) else {
        c.add(
            "OB3_SCHEMA",
            Severity::Error,
            "",
            format!("the bundled schema {url} could not be compiled"),
            "report this as an obi bug",
        );
        return;
    };
    if validator.is_valid(normalized) {
        return;
    }
    for e in validator.iter_errors(normalized) {
        let path = e.instance_path().to_string();
        // Context rules above explain @context problems better than the schema's pattern errors.
        if path.starts_with("/@context") {
            continue;
        }
        let message = e.to_string();
        let message = if message.len() > 300 {
            format!("{}…", &message[..message.floor_char_boundary(300)])
        } else {
            message
        };
        c.add(
            "OB3_SCHEMA",
            Severity::Error,
            &path,
            message,
            "make this value match the Open Badges 3.0 JSON Schema (ob_v3p0_achievementcredential_schema.json)",
        );
    }
}

fn check_subject(c: &mut Check, obj: &Map<String, Value>) {
    let subjects = one_or_many(obj.get("credentialSubject"));
    let array = obj.get("credentialSubject").is_some_and(Value::is_array);
    if subjects.len() > 1 {
        c.add(
            "OB3_SUBJECT_COUNT",
            Severity::Error,
            "/credentialSubject",
            format!(
                "{} credentialSubjects: an Open Badges 3.0 credential is about one AchievementSubject, so nobody can tell whom it was awarded to",
                subjects.len()
            ),
            "issue one credential per recipient, with credentialSubject a single object",
        );
    }
    for (i, s) in subjects.iter().enumerate() {
        let base = if array {
            format!("/credentialSubject/{i}")
        } else {
            "/credentialSubject".to_owned()
        };
        let Some(s) = s.as_object() else { continue };
        if !s.contains_key("id") && !s.contains_key("identifier") {
            c.add(
                "OB3_SUBJECT_ID",
                Severity::Error,
                &base,
                "the subject has neither id nor identifier: nobody can tell whom the credential is about".into(),
                "give credentialSubject an id (a DID or URL of the learner) or an identifier (e.g. a hashed email)",
            );
        }
        for (j, idv) in one_or_many(s.get("identifier")).iter().enumerate() {
            let Some(hash) = idv.get("identityHash").and_then(Value::as_str) else {
                continue;
            };
            if idv.get("hashed") != Some(&Value::Bool(true)) {
                continue;
            }
            if !crate::recipient::well_formed_hash(hash) {
                c.add(
                    "OB3_IDENTITY_HASH",
                    Severity::Error,
                    &format!("{base}/identifier/{j}/identityHash"),
                    format!("{hash:?} is not a hashed identity (\"sha256$\" + 64 hex digits, or \"md5$\" + 32)"),
                    "write identityHash as sha256$<hex of SHA-256(identity + salt)>",
                );
            }
        }
    }
}

fn check_dates(c: &mut Check, obj: &Map<String, Value>, now: DateTime<Utc>) {
    let hint = "write dates as RFC 3339 date-times with a time zone, e.g. 2026-01-15T09:00:00Z";
    let mut parsed: HashMap<&str, DateTime<Utc>> = HashMap::new();
    for field in [
        "validFrom",
        "validUntil",
        "issuanceDate",
        "expirationDate",
        "awardedDate",
    ] {
        let Some(v) = obj.get(field) else { continue };
        match v.as_str().map(DateTime::parse_from_rfc3339) {
            Some(Ok(t)) => {
                parsed.insert(field, t.with_timezone(&Utc));
            }
            _ => c.add(
                "OB3_DATE",
                Severity::Error,
                &format!("/{field}"),
                format!("{field} {v} is not an RFC 3339 date-time"),
                hint,
            ),
        }
    }
    if obj.contains_key("issuanceDate") && obj.contains_key("validFrom") {
        c.add(
            "OB3_VC_1_1",
            Severity::Warning,
            "/issuanceDate",
            "both issuanceDate (VC 1.1) and validFrom (VC 2.0)".into(),
            "keep validFrom only",
        );
    }
    for s in one_or_many(obj.get("credentialSubject"))
        .iter()
        .filter_map(Value::as_object)
    {
        for field in ["activityStartDate", "activityEndDate"] {
            let bad = s.get(field).filter(|v| {
                v.as_str()
                    .is_none_or(|t| DateTime::parse_from_rfc3339(t).is_err())
            });
            if let Some(v) = bad {
                c.add(
                    "OB3_DATE",
                    Severity::Error,
                    &format!("/credentialSubject/{}", pointer_segment(field)),
                    format!("{field} {v} is not an RFC 3339 date-time"),
                    hint,
                );
            }
        }
    }
    // Where a credential carries both the VC 2.0 and the VC 1.1 spelling, the stricter one counts: the
    // later start and the earlier end.
    let from = [parsed.get("validFrom"), parsed.get("issuanceDate")]
        .into_iter()
        .flatten()
        .max();
    let until = [parsed.get("validUntil"), parsed.get("expirationDate")]
        .into_iter()
        .flatten()
        .min();
    if let (Some(f), Some(u)) = (from, until)
        && u < f
    {
        c.add(
            "OB3_DATE_ORDER",
            Severity::Error,
            "/validUntil",
            format!("validUntil {u} is before validFrom {f}"),
            "make validUntil later than validFrom",
        );
    }
    if let Some(f) = from
        && *f > now
    {
        c.add(
            "OB3_NOT_YET_VALID",
            Severity::Error,
            "/validFrom",
            format!("not valid until {f}"),
            "issue the credential with validFrom at or before the time of issue",
        );
    }
    if let Some(u) = until
        && *u <= now
    {
        c.add(
            "OB3_EXPIRED",
            Severity::Error,
            "/validUntil",
            format!("expired at {u}"),
            "the issuer must re-issue the credential with a later validUntil",
        );
    }
}

fn check_credential_schema(c: &mut Check, obj: &Map<String, Value>) {
    for (i, s) in one_or_many(obj.get("credentialSchema")).iter().enumerate() {
        let Some(id) = s.get("id").and_then(Value::as_str) else {
            continue;
        };
        let bundled =
            obi_contexts::get(id).is_some_and(|d| d.kind == obi_contexts::Kind::JsonSchema);
        if !bundled {
            c.add(
                "OB3_CREDENTIAL_SCHEMA",
                Severity::Warning,
                &format!("/credentialSchema/{i}/id"),
                format!("{id} is not one of the 1EdTech schemas obi carries; it was not checked (obi never fetches schemas)"),
                "cite https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
            );
        }
    }
}

/// JSON-LD expansion in safe mode, as Data Integrity signers and verifiers do it, of a document in
/// compacted form (what obi reads from the JSON is then what the graph says).
fn check_jsonld(c: &mut Check, doc: &Value) {
    match obi_jsonld::to_rdf_compacted_without(doc, None) {
        Ok(_) => {}
        Err(obi_jsonld::JsonLdError::NotCompacted { path, message }) => c.add(
            "OB3_NOT_COMPACTED",
            Severity::Error,
            &path,
            message,
            "write the credential in compacted form under the published contexts: terms as the contexts name them, plain values, context URLs only",
        ),
        Err(obi_jsonld::JsonLdError::Expansion { path, message }) => c.add(
            "OB3_JSONLD",
            Severity::Error,
            &path,
            message,
            "every property and type must be defined by the credential's contexts; add the extension context that defines it",
        ),
        Err(obi_jsonld::JsonLdError::UnknownContext(url)) => c.add(
            "OB3_UNKNOWN_CONTEXT",
            Severity::Error,
            "/@context",
            format!("unknown JSON-LD context {url}: obi carries the VC, OB 3.0 and extension contexts, and fetches none"),
            "use the published OB 3.0 / VC contexts",
        ),
        Err(e) => c.add("OB3_JSONLD", Severity::Error, "/@context", e.to_string(), "fix the @context"),
    }
}
