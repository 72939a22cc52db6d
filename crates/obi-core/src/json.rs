//! Reading properties that the specifications allow as one value or an array of them (`type`, `@context`,
//! `proof`, `credentialSubject`, `verification.type`, `endorsement`, …). Validation and verification both
//! read them through [`one_or_many`], so a one-element array can never be read differently from the value
//! it holds.

use serde_json::Value;

/// The values of a one-or-many property: none for a missing property or `null`, the items of an array, or
/// the value itself.
pub fn one_or_many(v: Option<&Value>) -> &[Value] {
    match v {
        None | Some(Value::Null) => &[],
        Some(Value::Array(a)) => a,
        Some(v) => std::slice::from_ref(v),
    }
}

/// The string values of a one-or-many property (other items are skipped).
pub fn strings(v: Option<&Value>) -> impl Iterator<Item = &str> {
    one_or_many(v).iter().filter_map(Value::as_str)
}

/// Whether `node`'s `type` (one or many) includes `ty`.
pub fn has_type(node: &Value, ty: &str) -> bool {
    strings(node.get("type")).any(|t| t == ty)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_value_and_a_one_element_array_read_alike() {
        let a = json!({"type": "SignedBadge"});
        let b = json!({"type": ["SignedBadge"]});
        assert_eq!(
            strings(a.get("type")).collect::<Vec<_>>(),
            strings(b.get("type")).collect::<Vec<_>>()
        );
        assert!(has_type(&b, "SignedBadge"));
        assert!(one_or_many(json!({"x": null}).get("x")).is_empty());
        assert!(one_or_many(None).is_empty());
    }
}
