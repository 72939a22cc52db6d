//! Class 4: every property the specs allow as one value or an array is read one way, and every branch
//! (hosted or signed, which policy, which list) is decided from the normalized document the rules read.
//! Each attack hosts an assertion on the attacker's domain under the real issuer's badge class, spelling
//! something so that a hand-written reader would skip the issuer's allowed-origins check.

use serde_json::{Value, json};

use super::ob2_origin::{
    ASSERTION, BADGE, EVIL, ISSUER, ISSUER_KEY, LIST, SIGNED_ID, V2, at_url, hosted, issuer, jws,
    refused, signed, verified, world,
};

/// The assertion hosted at the attacker's domain and at the issuer's, with `edit` applied to both.
async fn both(edit: impl Fn(&mut Value)) -> (obi_verify::VerifyReport, obi_verify::VerifyReport) {
    let (mut evil, mut good) = (hosted(EVIL), hosted(ASSERTION));
    edit(&mut evil);
    edit(&mut good);
    let f = world(&[(EVIL, evil), (ASSERTION, good)]);
    (at_url(EVIL, &f).await, at_url(ASSERTION, &f).await)
}

#[tokio::test]
async fn verification_type_as_a_one_element_array_keeps_the_origin_check() {
    // The issue's case: `"type": ["HostedBadge"]` once skipped HOSTED_ID_IN_VERIFICATION_SCOPE.
    let (evil, good) = both(|a| a["verification"]["type"] = json!(["HostedBadge"])).await;
    refused(&evil, "proof", "allowed origins");
    verified(&good);
}

#[tokio::test]
async fn verification_as_a_one_element_array_keeps_the_origin_check() {
    let (evil, good) = both(|a| a["verification"] = json!([{"type": "HostedBadge"}])).await;
    refused(&evil, "proof", "allowed origins");
    verified(&good);
}

#[tokio::test]
async fn verification_type_as_a_full_iri_keeps_the_origin_check() {
    let (evil, good) = both(|a| {
        a["verification"]["type"] = json!("https://w3id.org/openbadges#HostedBadge");
    })
    .await;
    refused(&evil, "proof", "allowed origins");
    verified(&good);
}

#[tokio::test]
async fn verification_spelled_through_context_aliases_keeps_the_origin_check() {
    let (evil, good) = both(|a| {
        a["@context"] = json!([V2, {"how": "obi:verify", "Hosted": "obi:HostedBadge"}]);
        let o = a.as_object_mut().unwrap();
        o.remove("verification");
        o.insert("how".into(), json!({"type": ["Hosted"]}));
    })
    .await;
    refused(&evil, "proof", "allowed origins");
    verified(&good);
}

#[tokio::test]
async fn the_1x_verify_key_keeps_the_origin_check() {
    let (evil, good) = both(|a| {
        let o = a.as_object_mut().unwrap();
        o.remove("verification");
        o.insert("verify".into(), json!({"type": ["hosted"]}));
    })
    .await;
    refused(&evil, "proof", "allowed origins");
    verified(&good);
}

#[tokio::test]
async fn the_badge_as_a_one_element_array_keeps_the_origin_check() {
    // A badge reference the rules and the verifier could not resolve once skipped the check silently.
    let (evil, good) = both(|a| a["badge"] = json!([BADGE])).await;
    refused(&evil, "proof", "allowed origins");
    verified(&good);
}

#[tokio::test]
async fn a_verification_type_that_is_both_or_neither_does_not_verify() {
    // Each edit is applied to the assertion at the issuer's own domain too: only the type is wrong there.
    let (_, both_types) =
        both(|a| a["verification"]["type"] = json!(["HostedBadge", "SignedBadge"])).await;
    refused(&both_types, "proof", "both HostedBadge and SignedBadge");
    // Control: the plain assertion there.
    let f = world(&[(ASSERTION, hosted(ASSERTION))]);
    verified(&at_url(ASSERTION, &f).await);
    let (_, two_objects) = both(|a| {
        a["verify"] = json!({"type": "signed"});
    })
    .await;
    refused(&two_objects, "proof", "both HostedBadge and SignedBadge");
    let (_, neither) = both(|a| a["verification"]["type"] = json!("TrustMe")).await;
    refused(&neither, "proof", "cannot be determined");
    let (_, reference) = both(|a| a["verification"] = json!("https://issuer.example/policy")).await;
    refused(&reference, "proof", "cannot be determined");
}

#[tokio::test]
async fn a_jws_of_a_hosted_badge_is_neither_signed_nor_hosted() {
    // Signed with the issuer's key, but the payload says HostedBadge: neither check applies as such.
    let mut a = signed();
    a["verification"] = json!({"type": ["HostedBadge"]});
    refused(
        &jws(&a, &ISSUER_KEY, &world(&[])).await,
        "proof",
        "verification type is HostedBadge",
    );
    // Control: the same with SignedBadge as a one-element array.
    let mut s = signed();
    s["verification"]["type"] = json!(["https://w3id.org/openbadges#SignedBadge"]);
    verified(&jws(&s, &ISSUER_KEY, &world(&[])).await);
}

#[tokio::test]
async fn allowed_origins_and_starts_with_read_one_way() {
    // One string or an array: the same policy.
    for origins in [json!("cdn.example"), json!(["cdn.example"])] {
        let mut i = issuer();
        i["verification"] = json!({"allowedOrigins": origins});
        let cdn = "https://cdn.example/assertions/1";
        let f = world(&[
            (ISSUER, i),
            (cdn, hosted(cdn)),
            (ASSERTION, hosted(ASSERTION)),
        ]);
        verified(&at_url(cdn, &f).await);
        refused(&at_url(ASSERTION, &f).await, "proof", "allowed origins");
    }
    // startsWith compares normalized URLs: `..` cannot climb out of the allowed prefix.
    let mut i = issuer();
    i["verification"] = json!({"startsWith": "https://issuer.example/badges/"});
    let escape = "https://issuer.example/badges/../uploads/evil.json";
    let inside = "https://issuer.example/badges/1";
    let f = world(&[
        (ISSUER, i),
        (escape, hosted(escape)),
        (inside, hosted(inside)),
    ]);
    refused(&at_url(escape, &f).await, "proof", "does not start with");
    verified(&at_url(inside, &f).await);
    // An issuer that allows no origin at all allows none.
    let mut i = issuer();
    i["verification"] = json!({"allowedOrigins": []});
    let f = world(&[(ISSUER, i), (ASSERTION, hosted(ASSERTION))]);
    // peers (from its code, not run here): ob2-validate passes this with a warning ("has no HTTP domain
    // to enforce").
    refused(&at_url(ASSERTION, &f).await, "proof", "cannot be enforced");
}

#[tokio::test]
async fn revocation_lists_and_entries_read_one_way() {
    // revocationList as a one-element array, revokedAssertions as one object: still revoked.
    let mut i = issuer();
    i["revocationList"] = json!([LIST]);
    let list = |entries: Value| json!({"@context": V2, "type": "RevocationList", "id": LIST, "revokedAssertions": entries});
    let f = world(&[
        (ISSUER, i.clone()),
        (
            LIST,
            list(json!({"id": SIGNED_ID, "revocationReason": "cheated"})),
        ),
    ]);
    refused(&jws(&signed(), &ISSUER_KEY, &f).await, "status", "cheated");
    let f = world(&[(ISSUER, i.clone()), (LIST, list(json!(SIGNED_ID)))]);
    refused(&jws(&signed(), &ISSUER_KEY, &f).await, "status", "revoked");
    // The assertion's own `revoked`, as a one-element array.
    let mut a = signed();
    a["revoked"] = json!([true]);
    refused(
        &jws(&a, &ISSUER_KEY, &world(&[])).await,
        "status",
        "revoked",
    );
    // Control: an empty list.
    let f = world(&[(ISSUER, i), (LIST, list(json!([])))]);
    verified(&jws(&signed(), &ISSUER_KEY, &f).await);
}

#[tokio::test]
async fn a_creator_and_public_key_as_arrays_read_one_way() {
    // creator as an embedded key object, publicKey as a one-element array of objects: the same key.
    let mut i = issuer();
    i["publicKey"] = json!([{"id": super::ob2_origin::KEY}]);
    let mut s = signed();
    s["verification"]["creator"] = json!({"id": super::ob2_origin::KEY});
    verified(&jws(&s, &ISSUER_KEY, &world(&[(ISSUER, i)])).await);
    // Two different creators: not one key.
    let mut two = signed();
    two["verification"]["creator"] =
        json!([super::ob2_origin::KEY, "https://attacker.example/key"]);
    refused(
        &jws(&two, &ISSUER_KEY, &world(&[])).await,
        "proof",
        "several signing keys",
    );
}
