//! Typed OB 2.0 model. Every shape the spec allows is accepted (IRI or embedded object, one value or many);
//! unknown properties and extensions are kept in `extra`, so a document round-trips without loss.
//!
//! Build these from a normalized node (see [`super::intake::normalize`]) with `TryFrom<&Value>`; use
//! [`super::validate`] first to learn everything that is wrong, since conversion stops at the first problem.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::CoreError;

/// A value that may be given once or as an array.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// A single value.
    One(T),
    /// An array of values.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The values, as a slice.
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(t) => std::slice::from_ref(t),
            OneOrMany::Many(v) => v,
        }
    }
}

/// A reference: the IRI of a node, or the node embedded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IriOr<T> {
    /// The node's IRI.
    Iri(String),
    /// The node itself.
    Object(T),
}

macro_rules! from_value {
    ($($t:ty),*) => {$(
        impl TryFrom<&Value> for $t {
            type Error = CoreError;
            fn try_from(v: &Value) -> Result<Self, CoreError> {
                <$t>::deserialize(v).map_err(|e| CoreError::Model { class: stringify!($t), message: e.to_string() })
            }
        }
    )*};
}

/// An awarded badge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct Assertion {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    pub id: String,
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    pub recipient: IdentityObject,
    pub badge: IriOr<Box<BadgeClass>>,
    pub verification: VerificationObject,
    pub issued_on: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<IriOr<Image>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<OneOrMany<IriOr<Evidence>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<OneOrMany<IriOr<Endorsement>>>,
    /// Unknown properties and extensions, kept as written.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A badge definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct BadgeClass {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    pub id: String,
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    pub name: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<IriOr<Image>>,
    pub criteria: IriOr<Criteria>,
    pub issuer: IriOr<Box<Profile>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alignment: Option<OneOrMany<AlignmentObject>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<OneOrMany<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<OneOrMany<IriOr<Endorsement>>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An issuer or other profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct Profile {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    pub id: String,
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<IriOr<Image>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_key: Option<OneOrMany<IriOr<CryptographicKey>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<VerificationObject>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation_list: Option<IriOr<RevocationList>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Who received an assertion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct IdentityObject {
    #[serde(rename = "type")]
    pub type_: String,
    pub identity: String,
    pub hashed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salt: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// How an assertion is verified (assertion form), or an issuer's hosted policy (issuer form).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct VerificationObject {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<OneOrMany<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creator: Option<IriOr<CryptographicKey>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_property: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starts_with: Option<OneOrMany<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_origins: Option<OneOrMany<String>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What an earner must do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct Criteria {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Evidence of the achievement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct Evidence {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genre: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An alignment to a framework item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct AlignmentObject {
    pub target_name: String,
    pub target_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_framework: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_code: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An image with metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct Image {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A public key of an issuer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct CryptographicKey {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_key_pem: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An issuer's list of revoked assertions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct RevocationList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default)]
    pub revoked_assertions: Vec<IriOr<RevokedEntry>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One entry of a revocation list given as an object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct RevokedEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation_reason: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A third party's endorsement of a profile, badge class or assertion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct Endorsement {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    pub id: String,
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    pub claim: EndorsementClaim,
    pub issued_on: String,
    pub issuer: IriOr<Box<Profile>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<VerificationObject>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What an endorsement says about its subject.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct EndorsementClaim {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement_comment: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

from_value!(
    Assertion,
    BadgeClass,
    Profile,
    IdentityObject,
    VerificationObject,
    CryptographicKey,
    RevocationList,
    Endorsement
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn assertion_round_trips_with_extensions_and_embedded_badge() {
        let v = json!({
            "@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://x.org/a",
            "recipient": {"type": "email", "hashed": false, "identity": "a@x.org"},
            "badge": {"id": "https://x.org/b", "type": "BadgeClass", "name": "B", "description": "d",
                "criteria": {"narrative": "n"}, "issuer": "https://x.org/i", "tags": ["a", "b"]},
            "verification": {"type": "HostedBadge"}, "issuedOn": "2020-01-01T00:00:00Z",
            "evidence": ["https://x.org/e", {"narrative": "did it"}],
            "extensions:exampleExtension": {"exampleProperty": "x"}, "schema:unknown": 5
        });
        let a = Assertion::try_from(&v).unwrap();
        assert!(matches!(a.badge, IriOr::Object(_)));
        assert_eq!(a.evidence.as_ref().unwrap().as_slice().len(), 2);
        assert_eq!(a.extra.len(), 2);
        assert_eq!(serde_json::to_value(&a).unwrap(), v);
    }

    #[test]
    fn missing_required_property_is_an_error() {
        let e = Assertion::try_from(&json!({"id": "x"})).unwrap_err();
        assert!(e.to_string().contains("Assertion"), "{e}");
    }
}
