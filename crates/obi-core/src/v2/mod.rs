//! Open Badges 2.0 (and 1.x / 0.5, upgraded): intake, typed model and validation.
//!
//! ```
//! use obi_core::v2::{validate, Docs, ValidateOptions};
//! let assertion = serde_json::json!({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion"});
//! let now = "2026-01-01T00:00:00Z".parse().unwrap();
//! let report = validate(&assertion, &Docs::new(), &ValidateOptions::at(now));
//! assert!(!report.valid); // id, recipient, badge, verification and issuedOn are missing
//! ```

pub mod extensions;
pub mod intake;
pub mod model;
mod rules;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

pub use rules::{HostedScope, hosted_scope, validate};

use crate::json::{has_type, one_or_many, strings};

/// The OB 2.0 classes that validation knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Class {
    /// An awarded badge.
    Assertion,
    /// A badge definition.
    BadgeClass,
    /// An issuer or other profile (`Issuer` is a subclass of `Profile`).
    Profile,
    /// A recipient identity.
    IdentityObject,
    /// How an assertion is verified.
    VerificationObjectAssertion,
    /// An issuer's hosted-verification policy.
    VerificationObjectIssuer,
    /// Criteria for earning a badge.
    Criteria,
    /// Evidence for an assertion.
    Evidence,
    /// An alignment to an educational framework.
    AlignmentObject,
    /// An image.
    Image,
    /// A public key.
    CryptographicKey,
    /// A list of revoked assertions.
    RevocationList,
    /// An endorsement.
    Endorsement,
    /// The claim of an endorsement.
    EndorsementClaim,
}

impl Class {
    /// The `type` value that names this class.
    pub fn type_name(self) -> &'static str {
        match self {
            Class::Assertion => "Assertion",
            Class::BadgeClass => "BadgeClass",
            Class::Profile => "Profile",
            Class::IdentityObject => "IdentityObject",
            Class::VerificationObjectAssertion | Class::VerificationObjectIssuer => {
                "VerificationObject"
            }
            Class::Criteria => "Criteria",
            Class::Evidence => "Evidence",
            Class::AlignmentObject => "AlignmentObject",
            Class::Image => "Image",
            Class::CryptographicKey => "CryptographicKey",
            Class::RevocationList => "RevocationList",
            Class::Endorsement => "Endorsement",
            Class::EndorsementClaim => "EndorsementClaim",
        }
    }

    /// The class a primary document declares with its `type`.
    pub fn from_type(types: &Value) -> Option<Class> {
        strings(Some(types)).find_map(|t| match t {
            "Assertion" => Some(Class::Assertion),
            "BadgeClass" => Some(Class::BadgeClass),
            "Issuer" | "Profile" => Some(Class::Profile),
            "CryptographicKey" => Some(Class::CryptographicKey),
            "RevocationList" => Some(Class::RevocationList),
            "Endorsement" => Some(Class::Endorsement),
            _ => None,
        })
    }
}

/// How an assertion says it is verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerificationKind {
    /// `HostedBadge`: the copy served at its id is the assertion.
    Hosted,
    /// `SignedBadge`: a JWS made with the issuer's key.
    Signed,
    /// Both types are claimed: the badge cannot be verified either way.
    Both,
    /// Neither type (no `verification`, a reference to one, or another type).
    Unknown,
}

/// How `assertion` (a *normalized* node: every JSON-LD spelling of the key and its type, 1.x `verify`
/// included, rewritten to `verification` / `HostedBadge` / `SignedBadge` by [`intake::normalize`]) says it is
/// verified. `verification` may be one object or an array of them, and each `type` one value or an array:
/// all are read with [`one_or_many`], so a one-element array reads like the value it holds. Validation and
/// verification both decide their branch here.
pub fn verification_kind(assertion: &Map<String, Value>) -> VerificationKind {
    let policies = one_or_many(assertion.get("verification"));
    let hosted = policies.iter().any(|v| has_type(v, "HostedBadge"));
    let signed = policies.iter().any(|v| has_type(v, "SignedBadge"));
    match (hosted, signed) {
        (true, true) => VerificationKind::Both,
        (true, false) => VerificationKind::Hosted,
        (false, true) => VerificationKind::Signed,
        (false, false) => VerificationKind::Unknown,
    }
}

/// The id a reference names: the IRI itself, or an embedded object's `id`.
pub fn reference_id(reference: &Value) -> Option<&str> {
    match reference {
        Value::String(s) => Some(s),
        Value::Object(o) => o.get("id").and_then(Value::as_str),
        _ => None,
    }
}

/// Whether `id` can be fetched (an http(s) URL with a host). A node whose id cannot be fetched (`urn:`,
/// a blank node, none) is never trusted for keys, verification policy or revocation list.
pub fn fetchable(id: &str) -> bool {
    rules::is_url(id)
}

/// The node a reference names, as published at its own id: the document in `docs` for the reference's id
/// (an IRI, or an embedded object's `id`), upgraded and normalized exactly as validation reads it. An
/// embedded copy is never used, and a reference whose id cannot be fetched gives `None`.
pub fn trusted_node(docs: &Docs, reference: &Value, class: Class) -> Option<Map<String, Value>> {
    let id = reference_id(reference).filter(|id| fetchable(id))?;
    intake::read(docs.get(id)?, Some(id), Some(class))
}

/// Why a node cannot be trusted for keys, verification policy or revocation list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Untrusted {
    /// Its published copy is not among the documents (not given, or not fetched from its own id).
    Missing(String),
    /// Its id cannot be fetched (`urn:`, a blank node, none), or the reference is malformed.
    Unfetchable(String),
}

impl std::fmt::Display for Untrusted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Untrusted::Missing(why) | Untrusted::Unfetchable(why) => f.write_str(why),
        }
    }
}

/// The badge class of `assertion` (normalized): the published one when the reference has a fetchable id,
/// else the embedded object (which carries no keys, policy or list of its own, only the issuer reference).
pub fn badge_of(
    assertion: &Map<String, Value>,
    docs: &Docs,
) -> Result<Map<String, Value>, Untrusted> {
    let [reference] = one_or_many(assertion.get("badge")) else {
        return Err(Untrusted::Unfetchable(format!(
            "the assertion names {} badge classes, not one",
            one_or_many(assertion.get("badge")).len()
        )));
    };
    match reference_id(reference).filter(|id| fetchable(id)) {
        Some(id) => trusted_node(docs, reference, Class::BadgeClass).ok_or_else(|| {
            Untrusted::Missing(format!(
                "the badge class {id} was not fetched from its own id"
            ))
        }),
        None => reference.as_object().cloned().ok_or_else(|| {
            Untrusted::Unfetchable(format!(
                "the badge class {reference} is neither a URL nor an embedded object"
            ))
        }),
    }
}

/// The issuer of `badge` as published at its own id. An embedded issuer is only a pointer to that id;
/// one whose id cannot be fetched is never trusted.
pub fn issuer_of(badge: &Map<String, Value>, docs: &Docs) -> Result<Map<String, Value>, Untrusted> {
    let [reference] = one_or_many(badge.get("issuer")) else {
        return Err(Untrusted::Unfetchable(format!(
            "the badge class names {} issuers, not one",
            one_or_many(badge.get("issuer")).len()
        )));
    };
    match reference_id(reference) {
        Some(id) if fetchable(id) => trusted_node(docs, reference, Class::Profile).ok_or_else(|| {
            Untrusted::Missing(format!("the issuer {id} was not fetched from its own id"))
        }),
        Some(id) => Err(Untrusted::Unfetchable(format!(
            "the issuer {id} cannot be fetched from its id, so its keys, verification policy and revocation list are not trusted"
        ))),
        None => Err(Untrusted::Unfetchable(
            "the issuer has no id, so its keys, verification policy and revocation list are not trusted".into(),
        )),
    }
}

/// The URL a hosted assertion (normalized) lives at: its `id` when fetchable, else the `url` of its
/// verification object (1.x `verify.url`).
pub fn hosted_url(assertion: &Map<String, Value>) -> Option<&str> {
    if let Some(id) = assertion
        .get("id")
        .and_then(Value::as_str)
        .filter(|id| fetchable(id))
    {
        return Some(id);
    }
    let mut urls = one_or_many(assertion.get("verification"))
        .iter()
        .flat_map(|v| strings(v.get("url")))
        .filter(|u| fetchable(u));
    match (urls.next(), urls.next()) {
        (Some(u), None) => Some(u),
        _ => None,
    }
}

/// Documents that references may resolve to, by URL (from `--doc URL=FILE`). Nothing is ever fetched:
/// a referenced node that is not here is reported as not checked. A verifier files a fetched document only
/// under URLs it was fetched from whose id it declares (see obi-verify), so what is here is what the
/// publisher of each URL says.
#[derive(Debug, Default, Clone)]
pub struct Docs {
    docs: HashMap<String, Value>,
}

impl Docs {
    /// No documents.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add the document published at `url`.
    pub fn insert(&mut self, url: impl Into<String>, doc: Value) {
        self.docs.insert(url.into(), doc);
    }

    /// The document published at `url`.
    pub fn get(&self, url: &str) -> Option<&Value> {
        self.docs.get(url)
    }

    /// How many documents there are.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }
}

/// Options for validation. Time is a parameter: there is no default "now".
#[derive(Debug, Clone)]
pub struct ValidateOptions {
    /// The moment against which expiry and issue dates are judged.
    pub now: DateTime<Utc>,
}

impl ValidateOptions {
    /// Validate as of `now`.
    pub fn at(now: DateTime<Utc>) -> Self {
        ValidateOptions { now }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kind_of(doc: Value) -> VerificationKind {
        let node = intake::read(&doc, None, None).expect("an object");
        verification_kind(&node)
    }

    #[test]
    fn every_spelling_of_the_verification_type_reads_alike() {
        let v2 = "https://w3id.org/openbadges/v2";
        for hosted in [
            json!({"@context": v2, "verification": {"type": "HostedBadge"}}),
            json!({"@context": v2, "verification": {"type": ["HostedBadge"]}}),
            json!({"@context": v2, "verification": [{"type": "HostedBadge"}]}),
            json!({"@context": v2, "verification": {"type": "hosted"}}),
            json!({"@context": v2, "verify": {"type": "hosted"}}),
            json!({"@context": v2, "verification": {"type": "https://w3id.org/openbadges#HostedBadge"}}),
            json!({"@context": [v2, {"how": "obi:verify"}], "how": {"type": "obi:HostedBadge"}}),
            json!({"@context": "https://w3id.org/openbadges/v1", "verify": {"type": "hosted"}}),
        ] {
            assert_eq!(
                kind_of(hosted.clone()),
                VerificationKind::Hosted,
                "{hosted}"
            );
        }
        assert_eq!(
            kind_of(
                json!({"@context": v2, "verification": {"type": ["https://w3id.org/openbadges#SignedBadge"]}})
            ),
            VerificationKind::Signed
        );
        assert_eq!(
            kind_of(
                json!({"@context": v2, "verification": {"type": ["HostedBadge", "SignedBadge"]}})
            ),
            VerificationKind::Both
        );
        assert_eq!(
            kind_of(
                json!({"@context": v2, "verification": {"type": "HostedBadge"}, "verify": {"type": "signed"}})
            ),
            VerificationKind::Both
        );
        assert_eq!(
            kind_of(json!({"@context": v2, "verification": "https://e.example/policy"})),
            VerificationKind::Unknown
        );
        assert_eq!(kind_of(json!({"@context": v2})), VerificationKind::Unknown);
    }

    #[test]
    fn hosted_scope_reads_policies_one_way_and_normalizes_urls() {
        let issuer = |policy: Value| {
            let Value::Object(mut m) = json!({"id": "https://issuer.example/i"}) else {
                unreachable!()
            };
            if !policy.is_null() {
                m.insert("verification".into(), policy);
            }
            m
        };
        let allowed = |id: &str, policy: Value| {
            matches!(hosted_scope(id, &issuer(policy)), HostedScope::Allowed(_))
        };
        assert!(allowed("https://issuer.example/a/1", Value::Null));
        assert!(!allowed("https://other.example/a/1", Value::Null));
        assert!(allowed(
            "https://cdn.example/a",
            json!({"allowedOrigins": ["cdn.example"]})
        ));
        assert!(allowed(
            "https://cdn.example/a",
            json!([{"allowedOrigins": "cdn.example"}])
        ));
        assert!(!allowed(
            "https://issuer.example/a",
            json!({"allowedOrigins": ["cdn.example"]})
        ));
        let prefix = json!({"startsWith": ["https://issuer.example/badges/"]});
        assert!(allowed("https://issuer.example/badges/1", prefix.clone()));
        assert!(allowed("HTTPS://Issuer.Example/badges/1", prefix.clone()));
        assert!(matches!(
            hosted_scope("https://issuer.example/badges/../evil/1", &issuer(prefix)),
            HostedScope::Violation(_)
        ));
        assert!(matches!(
            hosted_scope(
                "https://issuer.example/a",
                &issuer(json!({"allowedOrigins": []}))
            ),
            HostedScope::Unenforceable(_)
        ));
        let Value::Object(urn) = json!({"id": "urn:uuid:2f2e5b0c-9f1a-4c39-8f39-0c6a7d2b6e11"})
        else {
            unreachable!()
        };
        assert!(matches!(
            hosted_scope("https://issuer.example/a", &urn),
            HostedScope::Unenforceable(_)
        ));
    }

    #[test]
    fn trusted_nodes_come_from_docs_by_a_fetchable_id_only() {
        let mut docs = Docs::new();
        docs.insert(
            "https://issuer.example/i",
            json!({"@context": "https://w3id.org/openbadges/v2", "id": "https://issuer.example/i", "type": "Issuer", "name": "Published"}),
        );
        let embedded = json!({"id": "https://issuer.example/i", "name": "Embedded"});
        let node = trusted_node(&docs, &embedded, Class::Profile).expect("published");
        assert_eq!(node["name"], "Published");
        assert!(trusted_node(&docs, &json!({"name": "no id"}), Class::Profile).is_none());
        assert!(
            trusted_node(
                &docs,
                &json!("urn:uuid:2f2e5b0c-9f1a-4c39-8f39-0c6a7d2b6e11"),
                Class::Profile
            )
            .is_none()
        );
    }
}
