//! Hostile input: wrong types everywhere, deep nesting, huge and non-UTF-8 documents. Findings or a clear
//! error, never a panic or a stack overflow.

use obi_core::v2::{Docs, ValidateOptions, validate};
use obi_core::{CoreError, parse_json};
use proptest::prelude::*;
use serde_json::{Value, json};

fn now() -> ValidateOptions {
    ValidateOptions::at("2026-01-01T00:00:00Z".parse().expect("date"))
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "[a-zA-Z0-9:/._@$#-]{0,40}".prop_map(Value::String),
        prop_oneof![
            Just("Assertion"),
            Just("BadgeClass"),
            Just("Issuer"),
            Just("https://example.org/x"),
            Just("_:b0"),
            Just("data:image/png;base64,AA"),
            Just("2024-01-01T00:00:00Z"),
            Just("HostedBadge")
        ]
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("id".to_owned()),
                    Just("type".to_owned()),
                    Just("@context".to_owned()),
                    Just("recipient".to_owned()),
                    Just("badge".to_owned()),
                    Just("issuer".to_owned()),
                    Just("image".to_owned()),
                    Just("verification".to_owned()),
                    Just("issuedOn".to_owned()),
                    Just("expires".to_owned()),
                    Just("criteria".to_owned()),
                    Just("identity".to_owned()),
                    Just("hashed".to_owned()),
                    Just("revokedAssertions".to_owned()),
                    Just("alignment".to_owned()),
                    "[a-z:]{1,10}".prop_map(String::from)
                ],
                inner,
                0..8,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_json_gives_a_report(doc in arb_json(), assertion_fields in arb_json()) {
        let mut a = json!({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://x.org/a"});
        if let (Some(m), Value::Object(extra)) = (a.as_object_mut(), assertion_fields) {
            m.extend(extra);
        }
        let mut docs = Docs::new();
        docs.insert("https://example.org/x", doc.clone());
        for input in [doc, a] {
            let r = validate(&input, &docs, &now());
            prop_assert_eq!(r.valid, r.error_count == 0);
            prop_assert!(r.findings.iter().all(|f| !f.hint.is_empty() && !f.message.is_empty()));
        }
    }
}

#[test]
fn nesting_100_000_deep_is_refused_cleanly() {
    let deep = format!("{}{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    assert!(matches!(
        parse_json(deep.as_bytes()),
        Err(CoreError::NotJson { .. })
    ));
    let arrays = "[".repeat(100_000);
    assert!(matches!(
        parse_json(arrays.as_bytes()),
        Err(CoreError::NotJson { .. })
    ));
}

#[test]
fn deepest_accepted_nesting_validates() {
    let deep = format!(
        "{{\"@context\": \"https://w3id.org/openbadges/v2\", \"type\": \"Assertion\", \"x\": {}1{}}}",
        "[".repeat(120),
        "]".repeat(120)
    );
    let v = parse_json(deep.as_bytes()).expect("within the parser's limit");
    assert!(!validate(&v, &Docs::new(), &now()).valid);
}

#[test]
fn hundred_megabyte_document_is_refused_before_parsing() {
    let big = vec![b' '; 100 * 1024 * 1024];
    assert!(matches!(parse_json(&big), Err(CoreError::TooLarge { .. })));
}

#[test]
fn invalid_utf8_is_named() {
    let e = parse_json(b"{\"name\": \"\xc3\x28\"}").unwrap_err();
    assert!(matches!(e, CoreError::NotUtf8(10)), "{e}");
}

#[test]
fn wrong_types_everywhere_are_findings() {
    let doc = json!({"@context": "https://w3id.org/openbadges/v2", "type": ["Assertion"], "id": 5, "recipient": "me",
        "badge": [1, 2], "verification": true, "issuedOn": {"when": "now"}, "expires": 12, "image": [], "evidence": 7,
        "narrative": [], "@language": 3, "version": {}, "related": false, "endorsement": null});
    let r = validate(&doc, &Docs::new(), &now());
    assert!(!r.valid);
    assert!(r.error_count >= 6, "{:#?}", r.findings);
    let non_object = validate(&json!("just a string"), &Docs::new(), &now());
    assert_eq!(non_object.error_rules(), vec!["INTAKE_JSON"]);
}

#[test]
fn reference_cycles_end() {
    let mut docs = Docs::new();
    docs.insert("https://x.org/b", json!({"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass", "id": "https://x.org/b",
        "name": "n", "description": "d", "image": "https://x.org/i.png", "criteria": "https://x.org/c", "issuer": "https://x.org/b",
        "related": ["https://x.org/b"], "endorsement": ["https://x.org/b"]}));
    let r = validate(
        &json!({"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass", "id": "https://x.org/b",
        "name": "n", "description": "d", "image": "https://x.org/i.png", "criteria": "https://x.org/c", "issuer": "https://x.org/b"}),
        &docs,
        &now(),
    );
    assert!(!r.valid, "a BadgeClass is no Profile");
}
