//! Typed OB 3.0 model: OpenBadgeCredential / AchievementCredential, EndorsementCredential and the classes
//! they hold. The compacted JSON-LD forms are accepted (one value or an array for `type`, `proof`,
//! `credentialSchema`, `termsOfUse`, …; a profile by IRI or embedded), VC 1.1 credentials too
//! (`issuanceDate` / `expirationDate` are read as `validFrom` / `validUntil`), and unknown properties are
//! kept in `extra`, so a credential round-trips without loss (VC 1.1 dates come back as validFrom /
//! validUntil; numbers keep their JSON form).
//!
//! Use [`super::validate`] to learn everything that is wrong; conversion stops at the first problem.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::CoreError;
pub use crate::v2::model::{IriOr, OneOrMany};

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

/// An OpenBadgeCredential (alias AchievementCredential): an awarded achievement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct AchievementCredential {
    #[serde(rename = "@context")]
    pub context: OneOrMany<Value>,
    pub id: String,
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub awarded_date: Option<String>,
    pub credential_subject: AchievementSubject,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<OneOrMany<EndorsementCredential>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement_jwt: Option<OneOrMany<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<OneOrMany<Evidence>>,
    pub issuer: IriOr<Profile>,
    /// `validFrom`, or VC 1.1 `issuanceDate`.
    #[serde(alias = "issuanceDate")]
    pub valid_from: String,
    /// `validUntil`, or VC 1.1 `expirationDate`.
    #[serde(alias = "expirationDate", skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<OneOrMany<Proof>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_schema: Option<OneOrMany<CredentialSchema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_status: Option<CredentialStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_service: Option<RefreshService>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms_of_use: Option<OneOrMany<TermsOfUse>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An endorsement of a profile, achievement or credential, itself a credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct EndorsementCredential {
    #[serde(rename = "@context")]
    pub context: OneOrMany<Value>,
    pub id: String,
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub credential_subject: EndorsementSubject,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub awarded_date: Option<String>,
    pub issuer: Box<IriOr<Profile>>,
    #[serde(alias = "issuanceDate")]
    pub valid_from: String,
    #[serde(alias = "expirationDate", skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<OneOrMany<Proof>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_schema: Option<OneOrMany<CredentialSchema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_status: Option<CredentialStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_service: Option<RefreshService>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms_of_use: Option<OneOrMany<TermsOfUse>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What an endorsement is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct EndorsementSubject {
    pub id: String,
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement_comment: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The recipient and what they achieved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct AchievementSubject {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_end_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credits_earned: Option<serde_json::Number>,
    pub achievement: Achievement,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<OneOrMany<IdentityObject>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<OneOrMany<ResultItem>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<IriOr<Profile>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An achievement (the OB 3.0 counterpart of a BadgeClass).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct Achievement {
    pub id: String,
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alignment: Option<OneOrMany<Alignment>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub achievement_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creator: Option<IriOr<Profile>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credits_available: Option<serde_json::Number>,
    pub criteria: Criteria,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<OneOrMany<EndorsementCredential>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement_jwt: Option<OneOrMany<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_of_study: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub human_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_language: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_identifier: Option<OneOrMany<IdentifierEntry>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<OneOrMany<Related>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_description: Option<OneOrMany<ResultDescription>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub specialization: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<OneOrMany<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A profile: issuer, creator, recipient source, parent organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct Profile {
    pub id: String,
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<OneOrMany<EndorsementCredential>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement_jwt: Option<OneOrMany<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_identifier: Option<OneOrMany<IdentifierEntry>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub official: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_org: Option<Box<IriOr<Profile>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patronymic_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub honorific_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub honorific_suffix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Criteria for earning an achievement: a page, a narrative, or both.
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

/// An alignment to a framework or standard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct Alignment {
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    pub target_name: String,
    pub target_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_framework: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A result the recipient achieved (named `ResultItem` to stay clear of `std::result::Result`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct ResultItem {
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub achieved_level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alignment: Option<OneOrMany<Alignment>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// How results of an achievement are described.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct ResultDescription {
    pub id: String,
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    pub name: String,
    pub result_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alignment: Option<OneOrMany<Alignment>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_value: Option<OneOrMany<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rubric_criterion_level: Option<OneOrMany<RubricCriterionLevel>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_max: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_min: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One level of a rubric criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct RubricCriterionLevel {
    pub id: String,
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alignment: Option<OneOrMany<Alignment>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Evidence of the achievement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct Evidence {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
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

/// A recipient identifier, plain or hashed (`identityHash` = `sha256$…` or `md5$…`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(missing_docs)]
pub struct IdentityObject {
    #[serde(rename = "type")]
    pub types: String,
    pub hashed: bool,
    pub identity_hash: String,
    pub identity_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salt: Option<String>,
}

/// Another identifier of a profile or achievement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(missing_docs)]
pub struct IdentifierEntry {
    #[serde(rename = "type")]
    pub types: String,
    pub identifier: String,
    pub identifier_type: String,
}

/// An image, by IRI (often a data URI) or as an object with a caption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Image {
    /// The image IRI.
    Iri(String),
    /// The image object.
    Object(ImageObject),
}

/// An image object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct ImageObject {
    pub id: String,
    #[serde(rename = "type")]
    pub types: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct Address {
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_country_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_locality: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_office_box_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geo: Option<GeoCoordinates>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A point on Earth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct GeoCoordinates {
    #[serde(rename = "type")]
    pub types: String,
    pub latitude: serde_json::Number,
    pub longitude: serde_json::Number,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A related achievement (another language or version).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct Related {
    pub id: String,
    #[serde(rename = "type")]
    pub types: OneOrMany<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A schema the credential claims to follow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct CredentialSchema {
    pub id: String,
    #[serde(rename = "type")]
    pub types: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Where the credential's revocation / suspension status is published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct CredentialStatus {
    pub id: String,
    #[serde(rename = "type")]
    pub types: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Where a fresher copy of the credential can be had.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct RefreshService {
    pub id: String,
    #[serde(rename = "type")]
    pub types: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Terms of use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct TermsOfUse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub types: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A proof (Data Integrity or legacy suite).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct Proof {
    #[serde(rename = "type")]
    pub types: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cryptosuite: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof_purpose: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_method: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

from_value!(
    AchievementCredential,
    EndorsementCredential,
    AchievementSubject,
    Achievement,
    Profile,
    Proof
);
