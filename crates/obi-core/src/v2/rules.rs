//! The OB 2.0 validation rules: every rule of the official 1EdTech validator (including the ones it
//! declares but never runs), plus the ones it lacks. Each finding names the rule, the node, the JSON pointer
//! and a hint on how to fix it.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::intake::{self, Version};
use super::{Class, Docs, ValidateOptions, extensions};
use crate::json::{one_or_many, strings};
use crate::report::{Finding, Report, Severity, pointer_segment};
use crate::time::parse_ob_datetime;

/// Validate one OB 2.0 / 1.x / 0.5 document and the nodes it references that `docs` holds.
pub fn validate(input: &Value, docs: &Docs, opts: &ValidateOptions) -> Report {
    let mut v = Validator {
        docs,
        opts,
        findings: Vec::new(),
        graph: Vec::new(),
        loaded: HashMap::new(),
        visited: HashSet::new(),
    };
    let Value::Object(doc) = input else {
        v.push(
            Severity::Error,
            "INTAKE_JSON",
            None,
            "",
            format!("the document is {}, not a JSON object", kind(input)),
            "An Open Badges document is a JSON object with @context, type and id.",
        );
        return Report::new(None, None, v.findings, v.graph);
    };
    let version = intake::detect_version(input);
    let own_id = doc.get("id").and_then(Value::as_str).map(str::to_owned);
    let Some(node) = v.intake(doc, version, own_id.as_deref(), None) else {
        return Report::new(Some(version.as_str().into()), own_id, v.findings, v.graph);
    };
    let subject = node
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or(own_id);
    match node.get("type").and_then(Class::from_type) {
        Some(class) => {
            v.validate_node(&node, subject.clone(), String::new(), class, true);
        }
        None => {
            let t = node
                .get("type")
                .map(|t| t.to_string())
                .unwrap_or_else(|| "missing".into());
            v.push(Severity::Error, "DETECT_AND_VALIDATE_NODE_CLASS", subject.clone(), "/type",
                format!("the document's type ({t}) is not an Open Badges 2.0 class"),
                "Set type to Assertion, BadgeClass, Issuer, Profile, Endorsement, CryptographicKey or RevocationList.");
        }
    }
    Report::new(Some(version.as_str().into()), subject, v.findings, v.graph)
}

struct Validator<'a> {
    docs: &'a Docs,
    opts: &'a ValidateOptions,
    findings: Vec<Finding>,
    graph: Vec<Value>,
    /// Referenced documents already taken in, by URL (None: could not be read).
    loaded: HashMap<String, Option<Map<String, Value>>>,
    /// (node id, class) pairs already validated, so cycles and repeats end.
    visited: HashSet<(String, Class)>,
}

/// How a property's values are checked.
#[derive(Clone, Copy)]
enum Vt {
    Iri,
    Text,
    TextOrNumber,
    Markdown,
    Boolean,
    DateTime,
    Url,
    UrlAuthority,
    Email,
    Telephone,
    Language,
    CompactIri,
    IdentityHash,
    DataUriOrUrl,
    /// A reference: embedded object or IRI of a node of `class`.
    Id {
        class: Class,
        fetch: bool,
        remote_url: bool,
        data_uri: bool,
        full: bool,
    },
}

struct Prop {
    name: &'static str,
    vt: Vt,
    required: bool,
    many: bool,
}

const fn p(name: &'static str, vt: Vt, required: bool, many: bool) -> Prop {
    Prop {
        name,
        vt,
        required,
        many,
    }
}

const fn id(class: Class, fetch: bool, remote_url: bool, data_uri: bool) -> Vt {
    Vt::Id {
        class,
        fetch,
        remote_url,
        data_uri,
        full: true,
    }
}

fn props(class: Class) -> &'static [Prop] {
    use Class as C;
    use Vt::*;
    match class {
        C::Assertion => {
            const P: &[Prop] = &[
                p("id", Iri, true, false),
                p(
                    "recipient",
                    id(C::IdentityObject, false, false, false),
                    true,
                    false,
                ),
                p("badge", id(C::BadgeClass, true, false, false), true, false),
                p(
                    "verification",
                    id(C::VerificationObjectAssertion, false, false, false),
                    true,
                    false,
                ),
                p("issuedOn", DateTime, true, false),
                p("expires", DateTime, false, false),
                p("image", id(C::Image, false, true, false), false, false),
                p("narrative", Markdown, false, false),
                p("evidence", id(C::Evidence, false, true, false), false, true),
                p("revoked", Boolean, false, false),
                p("revocationReason", Text, false, false),
            ];
            P
        }
        C::BadgeClass => {
            const P: &[Prop] = &[
                p("id", Iri, true, false),
                p("issuer", id(C::Profile, true, false, false), true, false),
                p("name", Text, true, false),
                p("description", Text, true, false),
                p("image", id(C::Image, false, true, true), false, false),
                p("criteria", id(C::Criteria, false, true, false), true, false),
                p(
                    "alignment",
                    id(C::AlignmentObject, false, false, false),
                    false,
                    true,
                ),
                p("tags", Text, false, true),
            ];
            P
        }
        C::Profile => {
            const P: &[Prop] = &[
                p("id", Iri, true, false),
                p("name", Text, true, false),
                p("description", Text, false, false),
                p("image", id(C::Image, false, true, true), false, false),
                p("url", Url, true, false),
                p("email", Email, true, false),
                p("telephone", Telephone, false, false),
                p(
                    "publicKey",
                    id(C::CryptographicKey, true, false, false),
                    false,
                    true,
                ),
                p(
                    "verification",
                    id(C::VerificationObjectIssuer, false, false, false),
                    false,
                    false,
                ),
                p(
                    "revocationList",
                    id(C::RevocationList, true, false, false),
                    false,
                    false,
                ),
            ];
            P
        }
        C::CryptographicKey => {
            const P: &[Prop] = &[
                p("id", Iri, false, false),
                p("owner", Iri, false, false),
                p("publicKeyPem", Text, false, false),
            ];
            P
        }
        C::AlignmentObject => {
            const P: &[Prop] = &[
                p("targetName", Text, true, false),
                p("targetUrl", Url, true, false),
                p("targetDescription", Text, false, false),
                p("description", Text, false, false),
                p("targetFramework", Text, false, false),
                p("targetCode", Text, false, false),
            ];
            P
        }
        C::Criteria => {
            const P: &[Prop] = &[
                p("id", Iri, false, false),
                p("narrative", Markdown, false, false),
            ];
            P
        }
        C::IdentityObject => {
            const P: &[Prop] = &[
                p("identity", IdentityHash, true, false),
                p("hashed", Boolean, true, false),
                p("salt", Text, false, false),
            ];
            P
        }
        C::Evidence => {
            const P: &[Prop] = &[
                p("id", Iri, false, false),
                p("narrative", Markdown, false, false),
                p("name", Text, false, false),
                p("description", Text, false, false),
                p("genre", Text, false, false),
                p("audience", Text, false, false),
            ];
            P
        }
        C::Image => {
            const P: &[Prop] = &[
                p("id", DataUriOrUrl, true, false),
                p("caption", Text, false, false),
                p("author", Iri, false, false),
            ];
            P
        }
        C::VerificationObjectAssertion => {
            const P: &[Prop] = &[p(
                "creator",
                id(C::CryptographicKey, true, false, false),
                false,
                false,
            )];
            P
        }
        C::VerificationObjectIssuer => {
            const P: &[Prop] = &[
                p("verificationProperty", CompactIri, false, false),
                p("startsWith", Url, false, true),
                p("allowedOrigins", UrlAuthority, false, true),
            ];
            P
        }
        C::RevocationList => {
            const P: &[Prop] = &[p("id", Iri, false, false)];
            P
        }
        C::Endorsement => {
            const P: &[Prop] = &[
                p("id", Iri, true, false),
                p(
                    "claim",
                    Id {
                        class: C::EndorsementClaim,
                        fetch: false,
                        remote_url: false,
                        data_uri: false,
                        full: false,
                    },
                    true,
                    false,
                ),
                p("issuedOn", DateTime, true, false),
                p("issuer", id(C::Profile, true, false, false), true, false),
            ];
            P
        }
        C::EndorsementClaim => {
            const P: &[Prop] = &[
                p("id", Iri, true, false),
                p("endorsementComment", Markdown, false, false),
            ];
            P
        }
    }
}

/// Properties every primary object (Assertion, BadgeClass, Profile, Endorsement) may carry.
fn primary_props(class: Class) -> [Prop; 4] {
    [
        p("@language", Vt::Language, false, false),
        p("version", Vt::TextOrNumber, false, false),
        p(
            "related",
            Vt::Id {
                class,
                fetch: false,
                remote_url: true,
                data_uri: false,
                full: false,
            },
            false,
            true,
        ),
        p(
            "endorsement",
            id(Class::Endorsement, true, true, false),
            false,
            true,
        ),
    ]
}

/// The `type` rule of each class: required?, many allowed?, one of these values needed.
fn type_rule(class: Class) -> Option<(bool, bool, &'static [&'static str])> {
    Some(match class {
        Class::Assertion => (true, true, &["Assertion"]),
        Class::BadgeClass => (true, true, &["BadgeClass"]),
        Class::Profile => (true, true, &["Issuer", "Profile"]),
        Class::IdentityObject => (true, false, &["id", "email", "url", "telephone"]),
        Class::VerificationObjectAssertion => (true, false, &["HostedBadge", "SignedBadge"]),
        Class::RevocationList => (true, true, &["RevocationList"]),
        Class::Endorsement => (true, true, &["Endorsement"]),
        Class::EndorsementClaim => return None,
        _ => (false, true, &[]),
    })
}

impl Validator<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        severity: Severity,
        rule: &'static str,
        node: Option<String>,
        path: &str,
        message: String,
        hint: &str,
    ) {
        self.findings.push(Finding {
            rule,
            severity,
            node,
            path: path.to_owned(),
            message,
            hint: hint.to_owned(),
        });
    }

    /// Upgrade and normalize one document; record it in the graph; check its extensions.
    fn intake(
        &mut self,
        doc: &Map<String, Value>,
        version: Version,
        node_id: Option<&str>,
        expected: Option<Class>,
    ) -> Option<Map<String, Value>> {
        let upgraded_doc;
        let upgraded = if version == Version::V2_0 {
            doc
        } else {
            match intake::upgrade(doc.clone(), version, node_id, expected) {
                Ok(d) => {
                    upgraded_doc = d;
                    &upgraded_doc
                }
                Err(problem) => {
                    self.push(Severity::Error, problem.rule, node_id.map(str::to_owned), "", problem.message,
                    "Give the document's URL (its id) so it can be upgraded, or publish it as Open Badges 2.0.");
                    return None;
                }
            }
        };
        let (node, problems) = intake::normalize(upgraded);
        let nid = node
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or(node_id.map(str::to_owned));
        for prob in problems {
            let top = prob.path == "/@context";
            self.push(
                if top { Severity::Error } else { Severity::Warning },
                if top { "JSONLD_COMPACT_DATA" } else { "VALIDATE_EXTENSION_NODE" },
                nid.clone(),
                &prob.path,
                if top { format!("cannot interpret the document: {}", prob.error) } else { format!("cannot interpret this embedded object, so it was not validated: {}", prob.error) },
                "Use the published Open Badges context https://w3id.org/openbadges/v2 (and published extension contexts), or give the context document with --doc.",
            );
        }
        for f in extensions::check(&node, nid.as_deref()) {
            self.findings.push(f);
        }
        self.graph.push(Value::Object(node.clone()));
        Some(node)
    }

    /// Take in the document published at `url` (from `--doc`), once.
    fn load(&mut self, url: &str, expected: Class) -> Option<Map<String, Value>> {
        if let Some(done) = self.loaded.get(url) {
            return done.clone();
        }
        self.loaded.insert(url.to_owned(), None);
        let docs = self.docs;
        let raw = docs.get(url)?;
        let Value::Object(doc) = raw else {
            self.push(
                Severity::Error,
                "INTAKE_JSON",
                Some(url.to_owned()),
                "",
                format!(
                    "the document given for {url} is {}, not a JSON object",
                    kind(raw)
                ),
                "Give the JSON document published at that URL.",
            );
            return None;
        };
        let version = intake::detect_version(raw);
        let node = self.intake(doc, version, Some(url), Some(expected))?;
        if let Some(declared) = node.get("id").and_then(Value::as_str)
            && !crate::id::same_id(declared, url)
        {
            self.push(
                Severity::Warning,
                "NODE_ID_MISMATCH",
                Some(url.to_owned()),
                "/id",
                format!("the document given for {url} declares its id as {declared}"),
                "A hosted document's id must be the URL it is published at.",
            );
        }
        self.loaded.insert(url.to_owned(), Some(node.clone()));
        Some(node)
    }

    fn validate_node(
        &mut self,
        node: &Map<String, Value>,
        node_id: Option<String>,
        path: String,
        class: Class,
        full: bool,
    ) {
        if let Some(nid) = &node_id
            && !self.visited.insert((nid.clone(), class))
        {
            return;
        }
        // Findings about embedded objects name the document node they sit in.
        let label = node_id.clone();
        let primary = matches!(
            class,
            Class::Assertion | Class::BadgeClass | Class::Profile | Class::Endorsement
        );
        let extra = if primary {
            primary_props(class).into_iter().collect::<Vec<_>>()
        } else {
            Vec::new()
        };
        for prop in props(class).iter().chain(extra.iter()) {
            if !full && prop.name != "id" && !node.contains_key(prop.name) {
                continue;
            }
            self.check_property(node, &label, &path, class, prop);
        }
        if full || node.contains_key("type") {
            self.check_type(node, &label, &path, class);
        }
        self.class_tasks(node, &label, &path, class);
    }

    fn check_type(
        &mut self,
        node: &Map<String, Value>,
        label: &Option<String>,
        path: &str,
        class: Class,
    ) {
        let Some((required, many, allowed)) = type_rule(class) else {
            return;
        };
        let at = format!("{path}/type");
        let cname = class.type_name();
        let values: &[Value] = match node.get("type") {
            None | Some(Value::Null) => {
                if required {
                    self.push(
                        Severity::Error,
                        "VALIDATE_RDF_TYPE_PROPERTY",
                        label.clone(),
                        &at,
                        format!("required property type is missing from this {cname}"),
                        &type_hint(allowed),
                    );
                }
                return;
            }
            v => one_or_many(v),
        };
        if !many && values.len() > 1 {
            self.push(
                Severity::Error,
                "VALIDATE_RDF_TYPE_PROPERTY",
                label.clone(),
                &at,
                format!(
                    "type of this {cname} has {} values; only one is allowed",
                    values.len()
                ),
                &type_hint(allowed),
            );
        }
        let v2 = intake::v2_context();
        for (i, t) in values.iter().enumerate() {
            let ok = t
                .as_str()
                .and_then(|s| v2.expand_iri(s, true))
                .is_some_and(|iri| is_iri(&iri) || iri.contains(':'));
            if !ok {
                self.push(Severity::Error, "VALIDATE_RDF_TYPE_PROPERTY", label.clone(), &if values.len() > 1 { format!("{at}/{i}") } else { at.clone() },
                    format!("type value {} of this {cname} is not a term of the Open Badges context nor an IRI", short(t)),
                    &type_hint(allowed));
            }
        }
        if !allowed.is_empty()
            && !values
                .iter()
                .any(|t| t.as_str().is_some_and(|s| allowed.contains(&s)))
        {
            let got = values.iter().map(short).collect::<Vec<_>>().join(", ");
            self.push(
                Severity::Error,
                "VALIDATE_RDF_TYPE_PROPERTY",
                label.clone(),
                &at,
                format!("this node is used as a {cname}, but its type is {got}"),
                &type_hint(allowed),
            );
        }
    }

    fn check_property(
        &mut self,
        node: &Map<String, Value>,
        label: &Option<String>,
        path: &str,
        class: Class,
        prop: &Prop,
    ) {
        let cname = class.type_name();
        let rule = "VALIDATE_PROPERTY";
        if !prop.required && !node.contains_key(prop.name) {
            return;
        }
        let at = format!("{path}/{}", pointer_segment(prop.name));
        let value = match node.get(prop.name) {
            None => {
                if prop.required {
                    self.push(
                        Severity::Error,
                        rule,
                        label.clone(),
                        &at,
                        format!(
                            "required property {} is missing from this {cname}",
                            prop.name
                        ),
                        &hint(class, prop),
                    );
                }
                return;
            }
            Some(v) => v,
        };
        let (values, is_list) = (one_or_many(Some(value)), value.is_array());
        if values.is_empty() || values.iter().all(|v| v.is_null()) {
            if prop.required {
                self.push(
                    Severity::Error,
                    rule,
                    label.clone(),
                    &at,
                    format!("required property {} of this {cname} is empty", prop.name),
                    &hint(class, prop),
                );
            }
            return;
        }
        if !prop.many && values.len() > 1 {
            self.push(
                Severity::Error,
                rule,
                label.clone(),
                &at,
                format!(
                    "property {} of this {cname} has {} values; only one is allowed",
                    prop.name,
                    values.len()
                ),
                &format!("Give a single value for {}.", prop.name),
            );
            return;
        }
        for (i, v) in values.iter().enumerate() {
            let vat = if is_list {
                format!("{at}/{i}")
            } else {
                at.clone()
            };
            self.check_value(v, label, &vat, class, prop);
        }
    }

    fn check_value(
        &mut self,
        v: &Value,
        label: &Option<String>,
        at: &str,
        class: Class,
        prop: &Prop,
    ) {
        let cname = class.type_name();
        let s = v.as_str();
        let (ok, expected) = match prop.vt {
            Vt::Iri => (
                s.is_some_and(is_iri),
                "an IRI (an http(s) URL, a urn:uuid or a blank node id)",
            ),
            Vt::Text | Vt::Markdown | Vt::IdentityHash => (s.is_some(), "text"),
            Vt::TextOrNumber => (s.is_some() || v.is_number(), "text or a number"),
            Vt::Boolean => (v.is_boolean(), "true or false"),
            Vt::DateTime => (
                s.is_some_and(|s| parse_ob_datetime(s).is_some()),
                "an ISO 8601 date and time with a time zone",
            ),
            Vt::Url => (s.is_some_and(is_url), "an http(s) URL"),
            Vt::UrlAuthority => (
                s.is_some_and(is_url_authority),
                "a host name, with an optional port (no scheme or path)",
            ),
            Vt::Email => (s.is_some_and(is_email), "an email address"),
            Vt::Telephone => (
                s.is_some_and(is_telephone),
                "a telephone number in E.164 form (+15551234567, optional ;ext=123)",
            ),
            Vt::Language => (
                s.is_some_and(is_language_tag),
                "a BCP 47 language tag (en, en-US, ...)",
            ),
            Vt::CompactIri => (
                s.is_some_and(is_compact_iri),
                "an IRI or a term or compact IRI of the Open Badges context",
            ),
            Vt::DataUriOrUrl => (
                s.is_some_and(|s| is_url(s) || is_data_uri(s)),
                "an http(s) URL or a data: URI",
            ),
            Vt::Id {
                class: target,
                fetch,
                remote_url,
                data_uri,
                full,
            } => {
                self.check_reference(
                    v, label, at, class, prop, target, fetch, remote_url, data_uri, full,
                );
                return;
            }
        };
        if !ok {
            self.push(
                Severity::Error,
                "VALIDATE_PROPERTY",
                label.clone(),
                at,
                format!(
                    "property {} of this {cname} is {}; it must be {expected}",
                    prop.name,
                    short(v)
                ),
                &hint(class, prop),
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn check_reference(
        &mut self,
        v: &Value,
        label: &Option<String>,
        at: &str,
        class: Class,
        prop: &Prop,
        target: Class,
        fetch: bool,
        remote_url: bool,
        data_uri: bool,
        full: bool,
    ) {
        let cname = class.type_name();
        match v {
            Value::Object(embedded) => {
                let eid = embedded
                    .get("id")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                if fetch {
                    // Embedded badge / issuer: the published document, when given, is authoritative.
                    if let Some(eid) = &eid {
                        if let Some(doc) = self.load(eid, target) {
                            self.validate_node(
                                &doc,
                                Some(eid.clone()),
                                String::new(),
                                target,
                                full,
                            );
                            return;
                        }
                    } else if matches!(target, Class::BadgeClass | Class::Profile) {
                        self.push(Severity::Warning, "FLATTEN_EMBEDDED_RESOURCE", label.clone(), at,
                            format!("the {} embedded in property {} has no id", target.type_name(), prop.name),
                            "Give embedded BadgeClass and Issuer objects the URL they are published at as their id.");
                    }
                }
                self.validate_node(embedded, label.clone(), at.to_owned(), target, full);
            }
            Value::String(s) => {
                if data_uri && !(is_url(s) || is_data_uri(s)) {
                    self.push(
                        Severity::Error,
                        "VALIDATE_PROPERTY",
                        label.clone(),
                        at,
                        format!(
                            "property {} of this {cname} is {}; it must be a URL or a data: URI",
                            prop.name,
                            short(v)
                        ),
                        &hint(class, prop),
                    );
                    return;
                }
                if target == Class::Image && is_data_uri(s) && !data_uri {
                    return; // IMAGE_VALIDATION says why a data: URI is not allowed here
                }
                if !data_uri && !is_iri(s) {
                    self.push(Severity::Error, "VALIDATE_PROPERTY", label.clone(), at,
                        format!("property {} of this {cname} is {}; it must be an embedded {} or its IRI", prop.name, short(v), target.type_name()),
                        &hint(class, prop));
                    return;
                }
                if let Some(doc) = self.load(s, target) {
                    self.validate_node(&doc, Some(s.clone()), String::new(), target, full);
                    return;
                }
                if fetch {
                    if self.loaded.get(s.as_str()).is_none_or(|d| d.is_none())
                        && self.docs.get(s).is_none()
                    {
                        self.push(Severity::Info, "NODE_NOT_CHECKED", label.clone(), at,
                            format!("the {} at {s} was not given, so it was not checked", target.type_name()),
                            &format!("Give the document with --doc {s}=FILE to check it too, or verify the badge online with obi verify."));
                    }
                    return;
                }
                if (remote_url && is_url(s)) || (data_uri && is_data_uri(s)) {
                    return;
                }
                self.push(Severity::Error, "VALIDATE_PROPERTY", label.clone(), at,
                    format!("property {} of this {cname} refers to {s}, which is not a node of this document", prop.name),
                    &format!("Embed the {} object in the {cname} instead of referring to it.", target.type_name()));
            }
            other => {
                self.push(
                    Severity::Error,
                    "VALIDATE_PROPERTY",
                    label.clone(),
                    at,
                    format!(
                        "property {} of this {cname} is {}; it must be an embedded {} or its IRI",
                        prop.name,
                        kind(other),
                        target.type_name()
                    ),
                    &hint(class, prop),
                );
            }
        }
    }

    fn class_tasks(
        &mut self,
        node: &Map<String, Value>,
        label: &Option<String>,
        path: &str,
        class: Class,
    ) {
        match class {
            Class::Assertion => {
                self.timestamps(node, label, path);
                self.image(node, label, path, "image", class, false, false);
                self.hosted_scope(node, label, path);
            }
            Class::BadgeClass => self.image(node, label, path, "image", class, true, true),
            Class::Profile => {
                self.image(node, label, path, "image", class, true, false);
                if let Some(id) = node.get("id").and_then(Value::as_str)
                    && !(id.starts_with("http://") || id.starts_with("https://"))
                {
                    self.push(Severity::Warning, "ISSUER_PROPERTY_DEPENDENCIES", label.clone(), &format!("{path}/id"),
                            format!("the profile id {id} is not an http(s) URL; many platforms can only handle HTTP-hosted issuers"),
                            "Publish the issuer profile at an https URL and use that URL as its id.");
                }
            }
            Class::Image => self.image(node, label, path, "id", class, true, false),
            Class::IdentityObject => self.identity(node, label, path),
            Class::Criteria => {
                let has_id = node
                    .get("id")
                    .and_then(Value::as_str)
                    .is_some_and(|i| !i.starts_with("_:"));
                let has_narrative = node
                    .get("narrative")
                    .is_some_and(|n| n.as_str().is_some_and(|s| !s.trim().is_empty()));
                if !has_id && !has_narrative {
                    self.push(Severity::Error, "CRITERIA_PROPERTY_DEPENDENCIES", label.clone(), path.to_owned().as_str(),
                        "the criteria have neither an id (a page describing them) nor a narrative".into(),
                        "Add a narrative saying what an earner must do, or an id URL of a page that says it.");
                }
            }
            Class::RevocationList => self.revocation_entries(node, label, path),
            _ => {}
        }
    }

    fn timestamps(&mut self, node: &Map<String, Value>, label: &Option<String>, path: &str) {
        let rule = "ASSERTION_TIMESTAMP_CHECKS";
        let Some(issued) = node
            .get("issuedOn")
            .and_then(Value::as_str)
            .and_then(parse_ob_datetime)
        else {
            return;
        };
        let now = self.opts.now;
        if issued > now {
            self.push(
                Severity::Error,
                rule,
                label.clone(),
                &format!("{path}/issuedOn"),
                format!(
                    "the assertion's issue date {} is in the future (now is {})",
                    issued.to_rfc3339(),
                    now.to_rfc3339()
                ),
                "Set issuedOn to the moment the badge was awarded, with the right time zone.",
            );
        }
        if let Some(expires) = node
            .get("expires")
            .and_then(Value::as_str)
            .and_then(parse_ob_datetime)
        {
            if expires < issued {
                self.push(
                    Severity::Error,
                    rule,
                    label.clone(),
                    &format!("{path}/expires"),
                    format!(
                        "the assertion expires ({}) before it was issued ({})",
                        expires.to_rfc3339(),
                        issued.to_rfc3339()
                    ),
                    "Set expires to a moment after issuedOn, or remove it.",
                );
            } else if expires < now {
                self.push(Severity::Error, rule, label.clone(), &format!("{path}/expires"),
                    format!("the assertion expired on {}", expires.to_rfc3339()),
                    "An expired badge cannot be made current again; the issuer can award a new assertion.");
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn image(
        &mut self,
        node: &Map<String, Value>,
        label: &Option<String>,
        path: &str,
        prop: &str,
        class: Class,
        allow_data_uri: bool,
        required: bool,
    ) {
        let rule = "IMAGE_VALIDATION";
        let at = format!("{path}/{prop}");
        let cname = class.type_name();
        let url = match one_or_many(node.get(prop)) {
            [] => {
                if required {
                    self.push(
                        Severity::Error,
                        rule,
                        label.clone(),
                        &at,
                        format!("this {cname} has no image"),
                        "Give the badge an image: an https URL of a PNG or SVG, or a data: URI.",
                    );
                }
                return;
            }
            [Value::String(s)] => s.as_str(),
            [Value::Object(o)] => match o.get("id").and_then(Value::as_str) {
                Some(s) => s,
                None => return, // the Image rules report the missing id
            },
            [_] => return, // the property rules report the wrong type
            _ => {
                self.push(
                    Severity::Error,
                    rule,
                    label.clone(),
                    &at,
                    format!("this {cname} has several images; only one is allowed"),
                    "Give a single image.",
                );
                return;
            }
        };
        if is_data_uri(url) {
            if !allow_data_uri {
                self.push(Severity::Error, rule, label.clone(), &at, format!("the image of this {cname} is a data: URI, which is not allowed here"),
                    "Host the image and give its https URL (an assertion image is the baked badge, served from a URL).");
                return;
            }
            let media = url[5..]
                .split([',', ';'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if media != "image/png" && media != "image/svg+xml" {
                self.push(
                    Severity::Error,
                    rule,
                    label.clone(),
                    &at,
                    format!(
                        "the data: URI image of this {cname} is {}, not PNG or SVG",
                        if media.is_empty() {
                            "untyped".into()
                        } else {
                            media
                        }
                    ),
                    "Use a PNG (data:image/png;base64,...) or SVG (data:image/svg+xml;...) image.",
                );
            }
        }
    }

    fn identity(&mut self, node: &Map<String, Value>, label: &Option<String>, path: &str) {
        let rule = "IDENTITY_OBJECT_PROPERTY_DEPENDENCIES";
        let Some(identity) = node.get("identity").and_then(Value::as_str) else {
            return;
        };
        let hashed = node.get("hashed").and_then(Value::as_bool).unwrap_or(false);
        let looks_hashed = crate::recipient::well_formed_hash(identity);
        let at = format!("{path}/identity");
        if hashed && !looks_hashed {
            self.push(Severity::Error, rule, label.clone(), &at,
                format!("hashed is true but identity {} is not sha256$<64 hex digits> or md5$<32 hex digits>", short_str(identity)),
                "Write the hash as sha256$ followed by the hex SHA-256 of the identity plus salt, or set hashed to false.");
        } else if looks_hashed && !hashed {
            self.push(
                Severity::Error,
                rule,
                label.clone(),
                &at,
                "identity looks like a hash but hashed is false".into(),
                "Set hashed to true, or give the plain identity.",
            );
        } else if !hashed {
            let ty = strings(node.get("type")).next().unwrap_or("");
            let bad = match ty {
                "email" => !is_email(identity),
                "url" => !is_url(identity),
                "telephone" => !is_telephone(identity),
                _ => false,
            };
            if bad {
                self.push(Severity::Error, rule, label.clone(), &at,
                    format!("identity {} is not a well-formed {ty}", short_str(identity)),
                    "Give the recipient's identity in the form its type says (an email address for email).");
            }
        }
        if let Some(salt) = node.get("salt")
            && !hashed
            && !salt.is_null()
        {
            self.push(
                Severity::Warning,
                rule,
                label.clone(),
                &format!("{path}/salt"),
                "a salt is given but the identity is not hashed".into(),
                "Remove the salt, or hash the identity with it.",
            );
        }
    }

    fn hosted_scope(&mut self, node: &Map<String, Value>, label: &Option<String>, path: &str) {
        let rule = "HOSTED_ID_IN_VERIFICATION_SCOPE";
        if super::verification_kind(node) != super::VerificationKind::Hosted {
            return;
        }
        let Some(assertion_id) = super::hosted_url(node) else {
            return;
        };
        let issuer = match super::badge_of(node, self.docs)
            .and_then(|b| super::issuer_of(&b, self.docs))
        {
            Ok(issuer) => issuer,
            Err(super::Untrusted::Missing(_)) => return, // not given: NODE_NOT_CHECKED says so
            Err(why) => {
                let why = why.to_string();
                self.push(Severity::Warning, rule, label.clone(), &format!("{path}/id"), why,
                    "Refer to the badge class and the issuer by the https URLs they are published at.");
                return;
            }
        };
        match hosted_scope(assertion_id, &issuer) {
            HostedScope::Allowed(_) => {}
            HostedScope::Violation(why) => self.push(Severity::Error, rule, label.clone(), &format!("{path}/id"), why,
                "Host the assertion on a domain (and under a URL) the issuer's verification policy allows: allowedOrigins (by default the issuer id's domain) and startsWith."),
            HostedScope::Unenforceable(why) => self.push(Severity::Warning, rule, label.clone(), &format!("{path}/id"), why,
                "Give the issuer an https id, or a verification.allowedOrigins list."),
        }
    }

    fn revocation_entries(
        &mut self,
        node: &Map<String, Value>,
        label: &Option<String>,
        path: &str,
    ) {
        let rule = "VALIDATE_REVOCATIONLIST_ENTRIES";
        let at = format!("{path}/revokedAssertions");
        let entries = match node.get("revokedAssertions") {
            None => {
                self.push(Severity::Error, rule, label.clone(), &at, "the revocation list has no revokedAssertions".into(),
                    "Add revokedAssertions: an array (possibly empty) of revoked assertion ids or objects with id and revocationReason.");
                return;
            }
            v => one_or_many(v),
        };
        for (i, e) in entries.iter().enumerate() {
            let eat = format!("{at}/{i}");
            let ok = match e {
                Value::String(s) => is_iri(s),
                Value::Object(o) => match o.get("id") {
                    Some(id) => id.as_str().is_some_and(is_iri),
                    None => o.get("uid").is_some_and(Value::is_string),
                },
                _ => false,
            };
            if !ok {
                self.push(Severity::Error, rule, label.clone(), &eat,
                    format!("revocation list entry {} is not an assertion IRI nor an object with an IRI id or a text uid", short(e)),
                    "List each revoked assertion by its id (an IRI), or as {\"id\": IRI, \"revocationReason\": text}.");
            }
        }
    }
}

/// What an issuer's hosted-verification policy (`verification.startsWith`, `verification.allowedOrigins`,
/// by default the issuer id's domain) says of a hosted assertion id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HostedScope {
    /// The id is in scope; the text says which policy allowed it.
    Allowed(String),
    /// The id is outside the policy: the assertion is not the issuer's.
    Violation(String),
    /// The policy cannot be enforced (the issuer has no http(s) id, or allows no origin). The official
    /// validator passes this with a warning; a verifier must not.
    Unenforceable(String),
}

/// The hosted-verification policy of `issuer` (a normalized Profile, as published at its own id) applied to
/// `assertion_id`, read as the official validator's HOSTED_ID_IN_VERIFICATION_SCOPE does, with every
/// one-or-many property read one way and URLs compared in their RFC 3986 normal form (so `..` segments
/// cannot climb out of a `startsWith` prefix). Validation and verification both use it.
pub fn hosted_scope(assertion_id: &str, issuer: &Map<String, Value>) -> HostedScope {
    let Some(issuer_id) = issuer.get("id").and_then(Value::as_str) else {
        return HostedScope::Unenforceable(
            "the issuer has no id to enforce the hosted verification policy against".into(),
        );
    };
    let default = Value::Object(Map::new());
    let policy = match one_or_many(issuer.get("verification")) {
        [] => &default,
        [one @ Value::Object(_)] => one,
        [_] => {
            return HostedScope::Unenforceable(format!(
                "issuer {issuer_id}'s verification policy is not an object"
            ));
        }
        _ => {
            return HostedScope::Unenforceable(format!(
                "issuer {issuer_id} has several verification policies"
            ));
        }
    };
    let id = crate::id::normalize(assertion_id);
    let prefixes: Vec<&str> = strings(policy.get("startsWith")).collect();
    if !prefixes.is_empty()
        && !prefixes
            .iter()
            .any(|p| id.starts_with(&*crate::id::normalize(p)))
    {
        return HostedScope::Violation(format!(
            "assertion id {assertion_id} does not start with any value its issuer allows ({})",
            prefixes.join(", ")
        ));
    }
    let origins: Vec<String> = match policy.get("allowedOrigins") {
        Some(v) => strings(Some(v)).map(str::to_owned).collect(),
        None => authority(issuer_id).into_iter().collect(),
    };
    if origins.is_empty() || !is_url(issuer_id) {
        return HostedScope::Unenforceable(format!(
            "issuer {issuer_id} has no HTTP domain to enforce the hosted verification policy against"
        ));
    }
    match authority(assertion_id) {
        Some(a) if origins.iter().any(|o| o.eq_ignore_ascii_case(&a)) => {
            HostedScope::Allowed(format!("{a} is an origin issuer {issuer_id} allows"))
        }
        _ => HostedScope::Violation(format!(
            "assertion {assertion_id} is not hosted in its issuer's allowed origins ({})",
            origins.join(", ")
        )),
    }
}

fn type_hint(allowed: &[&str]) -> String {
    match allowed {
        [] => "Use Open Badges context terms or absolute IRIs for type.".into(),
        [one] => format!("Set type to \"{one}\"."),
        many => format!(
            "Set type to one of: {}.",
            many.iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn hint(class: Class, prop: &Prop) -> String {
    let specific = match (class, prop.name) {
        (Class::Assertion, "id") => {
            "Give the assertion the https URL it is hosted at (HostedBadge) or a urn:uuid (SignedBadge) as its id."
        }
        (Class::Assertion, "recipient") => {
            "Add recipient: {\"type\": \"email\", \"hashed\": true, \"salt\": ..., \"identity\": \"sha256$...\"}."
        }
        (Class::Assertion, "badge") => "Set badge to the URL of the published BadgeClass.",
        (Class::Assertion, "verification") => {
            "Add verification: {\"type\": \"HostedBadge\"} (or SignedBadge with a creator key)."
        }
        (Class::Assertion | Class::Endorsement, "issuedOn") => {
            "Set issuedOn to an ISO 8601 date and time with a time zone, like 2024-01-15T12:00:00Z."
        }
        (Class::Assertion, "expires") => {
            "Write expires as an ISO 8601 date and time with a time zone, like 2030-01-01T00:00:00Z."
        }
        (Class::BadgeClass, "name") => "Give the badge class a name.",
        (Class::BadgeClass, "description") => "Give the badge class a short description.",
        (Class::BadgeClass, "criteria") => {
            "Add criteria: {\"narrative\": \"what an earner must do\"} or the URL of a criteria page."
        }
        (Class::BadgeClass | Class::Endorsement, "issuer") => {
            "Set issuer to the URL of the published issuer Profile."
        }
        (Class::Profile, "name") => "Give the issuer profile a name.",
        (Class::Profile, "url") => "Give the issuer's home page as url (an http(s) URL).",
        (Class::Profile, "email") => {
            "Give the issuer's contact email address as email (the spec requires it for issuers)."
        }
        (Class::Profile, "telephone") => "Write the number in E.164 form, like +15551234567.",
        (Class::IdentityObject, "identity") => {
            "Give the recipient's identity: a sha256$ hash when hashed is true, otherwise the plain value."
        }
        (Class::IdentityObject, "hashed") => {
            "Say whether identity is hashed: \"hashed\": true or false."
        }
        (Class::AlignmentObject, "targetName") => {
            "Name the framework item the badge aligns to (targetName)."
        }
        (Class::AlignmentObject, "targetUrl") => "Give the URL of the framework item (targetUrl).",
        (Class::Image, "id") => "Give the image's URL or data: URI as its id.",
        (Class::EndorsementClaim, "id") => "Set the claim's id to the IRI of the endorsed object.",
        (Class::VerificationObjectIssuer, "allowedOrigins") => {
            "List host names only, like badges.example.org (no scheme, no path)."
        }
        (_, "@language") => "Use a BCP 47 language tag such as en or en-US.",
        _ => "",
    };
    if !specific.is_empty() {
        return specific.to_owned();
    }
    let what = match prop.vt {
        Vt::Iri => "an IRI (https URL or urn:uuid)",
        Vt::Text | Vt::Markdown | Vt::IdentityHash => "a text string",
        Vt::TextOrNumber => "a string or a number",
        Vt::Boolean => "true or false",
        Vt::DateTime => "an ISO 8601 date and time with a time zone",
        Vt::Url => "an http(s) URL",
        Vt::UrlAuthority => "a host name",
        Vt::Email => "an email address",
        Vt::Telephone => "an E.164 telephone number",
        Vt::Language => "a BCP 47 language tag",
        Vt::CompactIri => "an IRI or compact IRI",
        Vt::DataUriOrUrl => "a URL or data: URI",
        Vt::Id { .. } => "an embedded object or the IRI of one",
    };
    format!("Set {} to {what}.", prop.name)
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

fn short(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{}\"", short_str(s)),
        Value::Object(_) | Value::Array(_) => kind(v).to_owned(),
        other => other.to_string(),
    }
}

fn short_str(s: &str) -> String {
    if s.chars().count() <= 60 {
        s.to_owned()
    } else {
        format!("{}...", s.chars().take(57).collect::<String>())
    }
}

/// An http(s) URL with a host.
pub(crate) fn is_url(s: &str) -> bool {
    match url::Url::parse(s) {
        Ok(u) => {
            matches!(u.scheme(), "http" | "https")
                && u.host().is_some()
                && !s.contains(char::is_whitespace)
        }
        Err(_) => false,
    }
}

/// The IRIs the official validator accepts for ids: http(s) URLs, blank node ids and urn:uuid.
pub(crate) fn is_iri(s: &str) -> bool {
    is_url(s) || s.starts_with("_:") || is_urn_uuid(s)
}

fn is_urn_uuid(s: &str) -> bool {
    let Some(rest) = s
        .get(..9)
        .filter(|p| p.eq_ignore_ascii_case("urn:uuid:"))
        .map(|_| &s[9..])
    else {
        return false;
    };
    let b = rest.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

pub(crate) fn is_data_uri(s: &str) -> bool {
    s.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("data:"))
        && s.contains(',')
        && !s.contains(char::is_whitespace)
}

fn is_email(s: &str) -> bool {
    let mut parts = s.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !s.contains(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

fn is_telephone(s: &str) -> bool {
    let (num, ext) = match s.split_once(";ext=") {
        Some((n, e)) => (n, Some(e)),
        None => (s, None),
    };
    let digits = num.strip_prefix('+').unwrap_or(num);
    let ok_num = (2..=15).contains(&digits.len())
        && digits.bytes().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0');
    ok_num && ext.is_none_or(|e| !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit()))
}

fn is_language_tag(s: &str) -> bool {
    // BCP 47 well-formedness: a 2-3 (or 4-8) letter primary subtag, then 1-8 alphanumeric subtags.
    let mut parts = s.split('-');
    let Some(primary) = parts.next() else {
        return false;
    };
    let primary_ok = (2..=8).contains(&primary.len())
        && primary.bytes().all(|c| c.is_ascii_alphabetic())
        || primary.eq_ignore_ascii_case("x")
        || primary.eq_ignore_ascii_case("i");
    primary_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_alphanumeric()))
}

fn is_url_authority(s: &str) -> bool {
    let (host, port) = match s.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (s, None),
    };
    let host_ok = host.len() <= 253 && host.contains('.') || host == "localhost";
    let labels_ok = host.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
    });
    host_ok
        && labels_ok
        && port
            .is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|c| c.is_ascii_digit()))
}

fn is_compact_iri(s: &str) -> bool {
    if s == "id" || is_iri(s) {
        return true;
    }
    let v2 = intake::v2_context();
    if v2.term(s).is_some_and(|t| t.iri.is_some()) {
        return true;
    }
    s.split_once(':')
        .is_some_and(|(p, rest)| !rest.is_empty() && v2.term(p).is_some_and(|t| t.iri.is_some()))
}

/// The authority (host and, when not default, port) of an http(s) URL.
fn authority(s: &str) -> Option<String> {
    let u = url::Url::parse(s).ok()?;
    let host = u.host_str()?;
    Some(match u.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_formats() {
        assert!(is_url("https://example.org/a"));
        assert!(!is_url("ftp://example.org/a"));
        assert!(!is_url("example.org"));
        assert!(is_iri("urn:uuid:3f0c1b9e-8d58-4c1e-9d8a-5b2f7a1e0c02"));
        assert!(is_iri("_:b0"));
        assert!(!is_iri("urn:isbn:123"));
        assert!(is_email("a@b.org"));
        assert!(!is_email("not-an-email"));
        assert!(!is_email("a@b@c.org"));
        assert!(is_telephone("+15551234567"));
        assert!(is_telephone("+15551234567;ext=12"));
        assert!(!is_telephone("555-1234"));
        assert!(is_language_tag("en-US"));
        assert!(!is_language_tag("english language"));
        use crate::recipient::well_formed_hash;
        assert!(well_formed_hash(&format!("sha256${}", "a".repeat(64))));
        assert!(well_formed_hash(&format!("md5${}", "A".repeat(32))));
        assert!(!well_formed_hash("sha256$abc"));
        assert!(is_url_authority("badges.example.org"));
        assert!(is_url_authority("badges.example.org:8443"));
        assert!(!is_url_authority("https://badges.example.org"));
        assert!(!is_url_authority("badges.example.org/path"));
        assert!(is_compact_iri("obi:issueDate"));
        assert!(is_compact_iri("email"));
        assert!(!is_compact_iri("nope:x"));
        assert!(is_data_uri("data:image/png;base64,AAAA"));
        assert_eq!(
            authority("http://127.0.0.1:8765/a").as_deref(),
            Some("127.0.0.1:8765")
        );
        assert_eq!(
            authority("https://example.org/a").as_deref(),
            Some("example.org")
        );
    }
}
