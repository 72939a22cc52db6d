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
use serde_json::Value;

pub use rules::validate;

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
        let names: Vec<&str> = match types {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        names.iter().find_map(|t| match *t {
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

/// Documents that references may resolve to, by URL (from `--doc URL=FILE`). Nothing is ever fetched:
/// a referenced node that is not here is reported as not checked.
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
