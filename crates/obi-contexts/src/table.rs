// Generated from the data/ tree; each row: kind, bundled file, the URLs it is served for (first = canonical).

use crate::{Document, Kind};

/// Every bundled document.
pub(crate) static DOCUMENTS: &[Document] = &[
    Document {
        kind: Kind::Context,
        path: "ob2/context/openbadges-v2.json",
        urls: &[
            "https://w3id.org/openbadges/v2",
            "http://w3id.org/openbadges/v2",
            "https://openbadgespec.org/v2/context.json",
        ],
        text: include_str!("../data/ob2/context/openbadges-v2.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob2/context/openbadges-v1.json",
        urls: &[
            "https://w3id.org/openbadges/v1",
            "http://w3id.org/openbadges/v1",
            "https://openbadgespec.org/v1/context.json",
        ],
        text: include_str!("../data/ob2/context/openbadges-v1.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob2/context/openbadges-legacy-v1.json",
        urls: &[
            "https://w3id.org/openbadges/legacy-v1",
            "http://w3id.org/openbadges/legacy-v1",
            "https://openbadgespec.org/v1/legacy-v1.json",
        ],
        text: include_str!("../data/ob2/context/openbadges-legacy-v1.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob2/extensions/accessibilityExtension/context.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/accessibilityExtension/context.json",
            "https://openbadgespec.org/extensions/accessibilityExtension/context.json",
        ],
        text: include_str!("../data/ob2/extensions/accessibilityExtension/context.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob2/extensions/accessibilityExtension/schema.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/accessibilityExtension/schema.json",
            "https://openbadgespec.org/extensions/accessibilityExtension/schema.json",
        ],
        text: include_str!("../data/ob2/extensions/accessibilityExtension/schema.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob2/extensions/applyLinkExtension/context.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/applyLinkExtension/context.json",
            "https://openbadgespec.org/extensions/applyLinkExtension/context.json",
        ],
        text: include_str!("../data/ob2/extensions/applyLinkExtension/context.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob2/extensions/applyLinkExtension/schema.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/applyLinkExtension/schema.json",
            "https://openbadgespec.org/extensions/applyLinkExtension/schema.json",
        ],
        text: include_str!("../data/ob2/extensions/applyLinkExtension/schema.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob2/extensions/assessmentExtension/context.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/assessmentExtension/context.json",
            "https://openbadgespec.org/extensions/assessmentExtension/context.json",
        ],
        text: include_str!("../data/ob2/extensions/assessmentExtension/context.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob2/extensions/assessmentExtension/schema.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/assessmentExtension/schema.json",
            "https://openbadgespec.org/extensions/assessmentExtension/schema.json",
        ],
        text: include_str!("../data/ob2/extensions/assessmentExtension/schema.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob2/extensions/endorsement/context.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/endorsement/context.json",
            "https://openbadgespec.org/extensions/endorsement/context.json",
        ],
        text: include_str!("../data/ob2/extensions/endorsement/context.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob2/extensions/endorsement/schema.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/endorsement/schema.json",
            "https://openbadgespec.org/extensions/endorsement/schema.json",
        ],
        text: include_str!("../data/ob2/extensions/endorsement/schema.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob2/extensions/exampleExtension/context.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/exampleExtension/context.json",
            "https://openbadgespec.org/extensions/exampleExtension/context.json",
        ],
        text: include_str!("../data/ob2/extensions/exampleExtension/context.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob2/extensions/exampleExtension/schema.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/exampleExtension/schema.json",
            "https://openbadgespec.org/extensions/exampleExtension/schema.json",
        ],
        text: include_str!("../data/ob2/extensions/exampleExtension/schema.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob2/extensions/extraDescription/context.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/extraDescription/context.json",
            "https://openbadgespec.org/extensions/extraDescription/context.json",
        ],
        text: include_str!("../data/ob2/extensions/extraDescription/context.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob2/extensions/extraDescription/schema.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/extraDescription/schema.json",
            "https://openbadgespec.org/extensions/extraDescription/schema.json",
        ],
        text: include_str!("../data/ob2/extensions/extraDescription/schema.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob2/extensions/geoCoordinatesExtension/context.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/geoCoordinatesExtension/context.json",
            "https://openbadgespec.org/extensions/geoCoordinatesExtension/context.json",
        ],
        text: include_str!("../data/ob2/extensions/geoCoordinatesExtension/context.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob2/extensions/geoCoordinatesExtension/schema.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/geoCoordinatesExtension/schema.json",
            "https://openbadgespec.org/extensions/geoCoordinatesExtension/schema.json",
        ],
        text: include_str!("../data/ob2/extensions/geoCoordinatesExtension/schema.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob2/extensions/issuerAccreditationExtension/context.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/issuerAccreditationExtension/context.json",
            "https://openbadgespec.org/extensions/issuerAccreditationExtension/context.json",
        ],
        text: include_str!("../data/ob2/extensions/issuerAccreditationExtension/context.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob2/extensions/issuerAccreditationExtension/schema.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/issuerAccreditationExtension/schema.json",
            "https://openbadgespec.org/extensions/issuerAccreditationExtension/schema.json",
        ],
        text: include_str!("../data/ob2/extensions/issuerAccreditationExtension/schema.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob2/extensions/licenseExtension/context.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/licenseExtension/context.json",
            "https://openbadgespec.org/extensions/licenseExtension/context.json",
        ],
        text: include_str!("../data/ob2/extensions/licenseExtension/context.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob2/extensions/licenseExtension/schema.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/licenseExtension/schema.json",
            "https://openbadgespec.org/extensions/licenseExtension/schema.json",
        ],
        text: include_str!("../data/ob2/extensions/licenseExtension/schema.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob2/extensions/originalCreatorExtension/context.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/originalCreatorExtension/context.json",
            "https://openbadgespec.org/extensions/originalCreatorExtension/context.json",
        ],
        text: include_str!("../data/ob2/extensions/originalCreatorExtension/context.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob2/extensions/originalCreatorExtension/schema.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/originalCreatorExtension/schema.json",
            "https://openbadgespec.org/extensions/originalCreatorExtension/schema.json",
        ],
        text: include_str!("../data/ob2/extensions/originalCreatorExtension/schema.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob2/extensions/recipientProfile/context.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/recipientProfile/context.json",
            "https://openbadgespec.org/extensions/recipientProfile/context.json",
        ],
        text: include_str!("../data/ob2/extensions/recipientProfile/context.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob2/extensions/recipientProfile/schema.json",
        urls: &[
            "https://w3id.org/openbadges/extensions/recipientProfile/schema.json",
            "https://openbadgespec.org/extensions/recipientProfile/schema.json",
        ],
        text: include_str!("../data/ob2/extensions/recipientProfile/schema.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/context/context.json",
        urls: &["https://purl.imsglobal.org/spec/ob/v3p0/context.json"],
        text: include_str!("../data/ob3/context/context.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/context/context-3.0.1.json",
        urls: &["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json"],
        text: include_str!("../data/ob3/context/context-3.0.1.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/context/context-3.0.2.json",
        urls: &["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"],
        text: include_str!("../data/ob3/context/context-3.0.2.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/context/context-3.0.3.1edtech-validator.json",
        urls: &["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        text: include_str!("../data/ob3/context/context-3.0.3.1edtech-validator.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/context/extensions.json",
        urls: &["https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"],
        text: include_str!("../data/ob3/context/extensions.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/context/w3c/credentials-v1.jsonld",
        urls: &["https://www.w3.org/2018/credentials/v1"],
        text: include_str!("../data/ob3/context/w3c/credentials-v1.jsonld"),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/context/w3c/credentials-v2.jsonld",
        urls: &["https://www.w3.org/ns/credentials/v2"],
        text: include_str!("../data/ob3/context/w3c/credentials-v2.jsonld"),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/context/w3c/credentials-undefined-terms-v2.jsonld",
        urls: &["https://www.w3.org/ns/credentials/undefined-terms/v2"],
        text: include_str!("../data/ob3/context/w3c/credentials-undefined-terms-v2.jsonld"),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/context/w3c/data-integrity-v1.jsonld",
        urls: &["https://w3id.org/security/data-integrity/v1"],
        text: include_str!("../data/ob3/context/w3c/data-integrity-v1.jsonld"),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/context/w3c/data-integrity-v2.jsonld",
        urls: &["https://w3id.org/security/data-integrity/v2"],
        text: include_str!("../data/ob3/context/w3c/data-integrity-v2.jsonld"),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/context/w3c/multikey-v1.jsonld",
        urls: &["https://w3id.org/security/multikey/v1"],
        text: include_str!("../data/ob3/context/w3c/multikey-v1.jsonld"),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/context/w3c/did-v1.jsonld",
        urls: &["https://www.w3.org/ns/did/v1"],
        text: include_str!("../data/ob3/context/w3c/did-v1.jsonld"),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/context/w3c/ed25519-signature-2020-v1.jsonld",
        urls: &["https://w3id.org/security/suites/ed25519-2020/v1"],
        text: include_str!("../data/ob3/context/w3c/ed25519-signature-2020-v1.jsonld"),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/context/w3c/vc-bitstring-status-list-v1.jsonld",
        urls: &["https://www.w3.org/ns/credentials/status/v1"],
        text: include_str!("../data/ob3/context/w3c/vc-bitstring-status-list-v1.jsonld"),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/extensions/accessibilityExtension/context-3.0.0.json",
        urls: &[
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions/accessibilityExtension/context-3.0.0.json",
        ],
        text: include_str!("../data/ob3/extensions/accessibilityExtension/context-3.0.0.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob3/extensions/accessibilityExtension/schema_achievement_credential_obv3p0.json",
        urls: &[
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions/accessibilityExtension/schema_achievement_credential_obv3p0.json",
            "https://openbadgespec.org/extensions/accessibilityExtension/schema_achievement_credential_obv3p0.json",
        ],
        text: include_str!(
            "../data/ob3/extensions/accessibilityExtension/schema_achievement_credential_obv3p0.json"
        ),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob3/extensions/accessibilityExtension/schema_achievement_obv3p0.json",
        urls: &[
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions/accessibilityExtension/schema_achievement_obv3p0.json",
            "https://openbadgespec.org/extensions/accessibilityExtension/schema_achievement_obv3p0.json",
        ],
        text: include_str!(
            "../data/ob3/extensions/accessibilityExtension/schema_achievement_obv3p0.json"
        ),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob3/extensions/accessibilityExtension/schema_profile_obv3p0.json",
        urls: &[
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions/accessibilityExtension/schema_profile_obv3p0.json",
            "https://openbadgespec.org/extensions/accessibilityExtension/schema_profile_obv3p0.json",
        ],
        text: include_str!(
            "../data/ob3/extensions/accessibilityExtension/schema_profile_obv3p0.json"
        ),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/extensions/applyLinkExtension/context-3.0.0.json",
        urls: &[
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions/applyLinkExtension/context-3.0.0.json",
        ],
        text: include_str!("../data/ob3/extensions/applyLinkExtension/context-3.0.0.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob3/extensions/applyLinkExtension/schema_obv3p0.json",
        urls: &[
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions/applyLinkExtension/schema_obv3p0.json",
            "https://openbadgespec.org/extensions/applyLinkExtension/schema_obv3p0.json",
        ],
        text: include_str!("../data/ob3/extensions/applyLinkExtension/schema_obv3p0.json"),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/extensions/geoCoordinatesExtension/context-3.0.0.json",
        urls: &[
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions/geoCoordinatesExtension/context-3.0.0.json",
        ],
        text: include_str!("../data/ob3/extensions/geoCoordinatesExtension/context-3.0.0.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob3/extensions/geoCoordinatesExtension/schema_achievement_credential_obv3p0.json",
        urls: &[
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions/geoCoordinatesExtension/schema_achievement_credential_obv3p0.json",
            "https://openbadgespec.org/extensions/geoCoordinatesExtension/schema_achievement_credential_obv3p0.json",
        ],
        text: include_str!(
            "../data/ob3/extensions/geoCoordinatesExtension/schema_achievement_credential_obv3p0.json"
        ),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob3/extensions/geoCoordinatesExtension/schema_achievement_obv3p0.json",
        urls: &[
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions/geoCoordinatesExtension/schema_achievement_obv3p0.json",
            "https://openbadgespec.org/extensions/geoCoordinatesExtension/schema_achievement_obv3p0.json",
        ],
        text: include_str!(
            "../data/ob3/extensions/geoCoordinatesExtension/schema_achievement_obv3p0.json"
        ),
    },
    Document {
        kind: Kind::Context,
        path: "ob3/extensions/licenseExtension/context-3.0.0.json",
        urls: &[
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions/licenseExtension/context-3.0.0.json",
        ],
        text: include_str!("../data/ob3/extensions/licenseExtension/context-3.0.0.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob3/extensions/licenseExtension/schema_obv3p0.json",
        urls: &[
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions/licenseExtension/schema_obv3p0.json",
            "https://openbadgespec.org/extensions/licenseExtension/schema_obv3p0.json",
        ],
        text: include_str!("../data/ob3/extensions/licenseExtension/schema_obv3p0.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob3/schema/achievementcredential.json",
        urls: &[
            "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
            "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential-jsonschema1.json",
        ],
        text: include_str!("../data/ob3/schema/achievementcredential.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob3/schema/endorsementcredential.json",
        urls: &[
            "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json",
            "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential-jsonschema1.json",
        ],
        text: include_str!("../data/ob3/schema/endorsementcredential.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob3/schema/profile.json",
        urls: &[
            "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_profile_schema.json",
            "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_profile-jsonschema1.json",
        ],
        text: include_str!("../data/ob3/schema/profile.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob3/schema/getopenbadgecredentialsresponse.json",
        urls: &[
            "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_getopenbadgecredentialsresponse_schema.json",
            "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_getopenbadgecredentialsresponse-jsonschema1.json",
        ],
        text: include_str!("../data/ob3/schema/getopenbadgecredentialsresponse.json"),
    },
    Document {
        kind: Kind::JsonSchema,
        path: "ob3/schema/imsx_statusinfo.json",
        urls: &[
            "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_imsx_statusinfo_schema.json",
            "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_imsx_statusinfo-jsonschema1.json",
        ],
        text: include_str!("../data/ob3/schema/imsx_statusinfo.json"),
    },
];
