//! Class 4: every property the specs allow as one value or an array is read one way, and every branch
//! (hosted or signed, which policy, which list) is decided from the normalized document the rules read.
//! Each attack hosts an assertion on the attacker's domain under the real issuer's badge class, spelling
//! something so that a hand-written reader would skip the issuer's allowed-origins check.

use serde_json::{Value, json};

use super::ob2_origin::{
    ASSERTION, BADGE, EVIL, EVIL_KEY, ISSUER, ISSUER_KEY, KEY, LIST, SIGNED_ID, V2, at_url, hosted,
    issuer, jws, refused, signed, verified, world,
};

/// The assertion hosted at the attacker's origin (case `evil`) and at the issuer's (case `good`), with
/// `edit` applied to both.
async fn both(
    evil: &'static str,
    good: &'static str,
    edit: impl Fn(&mut Value),
) -> (obi_verify::VerifyReport, obi_verify::VerifyReport) {
    let (mut e, mut g) = (hosted(EVIL), hosted(ASSERTION));
    edit(&mut e);
    edit(&mut g);
    let docs = world(&[(EVIL, e), (ASSERTION, g)]);
    (
        at_url(evil, EVIL, docs.clone()).await,
        at_url(good, ASSERTION, docs).await,
    )
}

#[tokio::test]
async fn verification_type_as_a_one_element_array_keeps_the_origin_check() {
    // The issue's case: `"type": ["HostedBadge"]` once skipped HOSTED_ID_IN_VERIFICATION_SCOPE.
    let (evil, good) = both("ob2_type_array", "ob2_type_array_control", |a| {
        a["verification"]["type"] = json!(["HostedBadge"])
    })
    .await;
    refused(&evil, "proof", "allowed origins");
    verified(&good);
    // HOSTED_ID_IN_VERIFICATION_SCOPE: "not hosted in allowed origins {{HOST}}": it reads this spelling too.
    super::ob2_origin::validator("ob2_type_array", false);
    super::ob2_origin::validator("ob2_type_array_control", true);
}

#[tokio::test]
async fn verification_as_a_one_element_array_keeps_the_origin_check() {
    let (evil, good) = both(
        "ob2_verification_array",
        "ob2_verification_array_control",
        |a| a["verification"] = json!([{"type": "HostedBadge"}]),
    )
    .await;
    refused(&evil, "proof", "allowed origins");
    verified(&good);
    // HOSTED_ID_IN_VERIFICATION_SCOPE: "not hosted in allowed origins {{HOST}}": it reads this spelling too.
    super::ob2_origin::validator("ob2_verification_array", false);
    super::ob2_origin::validator("ob2_verification_array_control", true);
}

#[tokio::test]
async fn verification_type_as_a_full_iri_keeps_the_origin_check() {
    let (evil, good) = both("ob2_type_full_iri", "ob2_type_full_iri_control", |a| {
        a["verification"]["type"] = json!("https://w3id.org/openbadges#HostedBadge");
    })
    .await;
    refused(&evil, "proof", "allowed origins");
    verified(&good);
    // HOSTED_ID_IN_VERIFICATION_SCOPE: "not hosted in allowed origins {{HOST}}": it reads this spelling too.
    super::ob2_origin::validator("ob2_type_full_iri", false);
    super::ob2_origin::validator("ob2_type_full_iri_control", true);
}

#[tokio::test]
async fn verification_spelled_through_context_aliases_keeps_the_origin_check() {
    let (evil, good) = both("ob2_context_aliases", "ob2_context_aliases_control", |a| {
        a["@context"] = json!([V2, {"how": "obi:verify", "Hosted": "obi:HostedBadge"}]);
        let o = a.as_object_mut().unwrap();
        o.remove("verification");
        o.insert("how".into(), json!({"type": ["Hosted"]}));
    })
    .await;
    refused(&evil, "proof", "allowed origins");
    verified(&good);
    // HOSTED_ID_IN_VERIFICATION_SCOPE: "not hosted in allowed origins {{HOST}}": it reads this spelling too.
    super::ob2_origin::validator("ob2_context_aliases", false);
    super::ob2_origin::validator("ob2_context_aliases_control", true);
}

#[tokio::test]
async fn the_1x_verify_key_keeps_the_origin_check() {
    let (evil, good) = both("ob2_1x_verify", "ob2_1x_verify_control", |a| {
        let o = a.as_object_mut().unwrap();
        o.remove("verification");
        o.insert("verify".into(), json!({"type": ["hosted"]}));
    })
    .await;
    refused(&evil, "proof", "allowed origins");
    verified(&good);
    // HOSTED_ID_IN_VERIFICATION_SCOPE: "not hosted in allowed origins {{HOST}}": it reads this spelling too.
    super::ob2_origin::validator("ob2_1x_verify", false);
    super::ob2_origin::validator("ob2_1x_verify_control", true);
}

#[tokio::test]
async fn the_badge_as_a_one_element_array_keeps_the_origin_check() {
    // A badge reference the rules and the verifier could not resolve once skipped the check silently.
    let (evil, good) = both("ob2_badge_array", "ob2_badge_array_control", |a| {
        a["badge"] = json!([BADGE])
    })
    .await;
    refused(&evil, "proof", "allowed origins");
    verified(&good);
    // HOSTED_ID_IN_VERIFICATION_SCOPE: "not hosted in allowed origins {{HOST}}": it reads this spelling too.
    super::ob2_origin::validator("ob2_badge_array", false);
    super::ob2_origin::validator("ob2_badge_array_control", true);
}

#[tokio::test]
async fn a_verification_type_that_is_both_or_neither_does_not_verify() {
    // Each edit is applied to the assertion at the issuer's own domain too: only the type is wrong there.
    let (both_evil, both_types) = both("ob2_type_both_evil", "ob2_type_both", |a| {
        a["verification"]["type"] = json!(["HostedBadge", "SignedBadge"])
    })
    .await;
    refused(&both_types, "proof", "both HostedBadge and SignedBadge");
    // On the attacker's origin: refused the same way, before any origin check.
    refused(&both_evil, "proof", "both HostedBadge and SignedBadge");
    // Control: the plain assertion there.
    verified(
        &at_url(
            "ob2_hosted_control",
            ASSERTION,
            world(&[(ASSERTION, hosted(ASSERTION))]),
        )
        .await,
    );
    let (two_evil, two_objects) = both(
        "ob2_two_verification_objects_evil",
        "ob2_two_verification_objects",
        |a| {
            a["verify"] = json!({"type": "signed"});
        },
    )
    .await;
    refused(&two_objects, "proof", "both HostedBadge and SignedBadge");
    // On the attacker's origin: refused the same way, before any origin check.
    refused(&two_evil, "proof", "both HostedBadge and SignedBadge");
    let (neither_evil, neither) = both("ob2_type_neither_evil", "ob2_type_neither", |a| {
        a["verification"]["type"] = json!("TrustMe")
    })
    .await;
    refused(&neither, "proof", "cannot be determined");
    // On the attacker's origin: refused the same way, before any origin check.
    refused(&neither_evil, "proof", "cannot be determined");
    let (reference_evil, reference) = both(
        "ob2_verification_reference_evil",
        "ob2_verification_reference",
        |a| a["verification"] = json!("{{BASE}}/policy"),
    )
    .await;
    refused(&reference, "proof", "cannot be determined");
    // On the attacker's origin: refused the same way, before any origin check.
    refused(&reference_evil, "proof", "cannot be determined");
    // Fooled, and on the attacker's origin too: with a type that is not exactly HostedBadge the validator
    // runs no hosted check at all (no HOSTED_ID_IN_VERIFICATION_SCOPE), and no signature check either.
    for name in [
        "ob2_type_both",
        "ob2_type_both_evil",
        "ob2_type_neither",
        "ob2_type_neither_evil",
    ] {
        super::ob2_origin::validator(name, true);
    }
    // VALIDATE_PROPERTY: "Property verification ... has more than the single allowed value."
    super::ob2_origin::validator("ob2_two_verification_objects", false);
    super::ob2_origin::validator("ob2_two_verification_objects_evil", false);
    // VALIDATE_PROPERTY: "has verification property value `{{BASE}}/policy` that appears not to be in URI
    // format or did not correspond to a known local node."
    super::ob2_origin::validator("ob2_verification_reference", false);
    super::ob2_origin::validator("ob2_verification_reference_evil", false);
}

#[tokio::test]
async fn a_jws_of_a_hosted_badge_is_neither_signed_nor_hosted() {
    // Signed with the issuer's key, but the payload says HostedBadge: neither check applies as such.
    let mut a = signed();
    a["verification"] = json!({"type": ["HostedBadge"]});
    refused(
        &jws("ob2_jws_of_hosted", &a, &ISSUER_KEY, world(&[])).await,
        "proof",
        "verification type is HostedBadge",
    );
    // Control: the same with SignedBadge as a one-element array.
    let mut s = signed();
    s["verification"]["type"] = json!(["https://w3id.org/openbadges#SignedBadge"]);
    verified(
        &jws(
            "ob2_jws_type_iri_array_control",
            &s,
            &ISSUER_KEY,
            world(&[]),
        )
        .await,
    );
    // VERIFY_JWS: "Task could not run due to unmet prerequisites" (no creator key to check with).
    super::ob2_origin::validator("ob2_jws_of_hosted", false);
    super::ob2_origin::validator("ob2_jws_type_iri_array_control", true);
}

#[tokio::test]
async fn allowed_origins_and_starts_with_read_one_way() {
    // One string or an array: the same policy. The "CDN" is the second origin.
    let names = [
        ("ob2_origins_string_cdn", "ob2_origins_string_issuer"),
        ("ob2_origins_array_cdn", "ob2_origins_array_issuer"),
    ];
    for (origins, (cdn_name, issuer_name)) in [json!("{{HOST2}}"), json!(["{{HOST2}}"])]
        .into_iter()
        .zip(names)
    {
        let mut i = issuer();
        i["verification"] = json!({"allowedOrigins": origins});
        let docs = world(&[
            (ISSUER, i),
            (EVIL, hosted(EVIL)),
            (ASSERTION, hosted(ASSERTION)),
        ]);
        verified(&at_url(cdn_name, EVIL, docs.clone()).await);
        refused(
            &at_url(issuer_name, ASSERTION, docs).await,
            "proof",
            "allowed origins",
        );
    }
    // startsWith compares normalized URLs: `..` cannot climb out of the allowed prefix.
    let mut i = issuer();
    i["verification"] = json!({"startsWith": "{{BASE}}/badges/"});
    let escape = "{{BASE}}/badges/../uploads/evil.json";
    let inside = "{{BASE}}/badges/1";
    let docs = world(&[
        (ISSUER, i),
        (escape, hosted(escape)),
        (inside, hosted(inside)),
    ]);
    refused(
        &at_url("ob2_starts_with_dot_dot", escape, docs.clone()).await,
        "proof",
        "does not start with",
    );
    verified(&at_url("ob2_starts_with_control", inside, docs).await);
    // An issuer that allows no origin at all allows none.
    let mut i = issuer();
    i["verification"] = json!({"allowedOrigins": []});
    let docs = world(&[(ISSUER, i), (ASSERTION, hosted(ASSERTION))]);
    refused(
        &at_url("ob2_origins_empty", ASSERTION, docs).await,
        "proof",
        "cannot be enforced",
    );
    // The validator refuses every allowedOrigins with a port (URL_AUTHORITY: "property allowedOrigins value
    // {{HOST2}} not valid"), so on loopback it refuses the controls too: not a disagreement on the policy.
    for name in ["ob2_origins_string_cdn", "ob2_origins_array_cdn"] {
        super::ob2_origin::validator(name, false);
    }
    // HOSTED_ID_IN_VERIFICATION_SCOPE: "not hosted in allowed origins {{HOST2}}".
    for name in ["ob2_origins_string_issuer", "ob2_origins_array_issuer"] {
        super::ob2_origin::validator(name, false);
    }
    // Fooled: startsWith compared as raw strings, so `..` climbs out of the prefix.
    super::ob2_origin::validator("ob2_starts_with_dot_dot", true);
    super::ob2_origin::validator("ob2_starts_with_control", true);
    // Fooled: an empty allowedOrigins gives only a warning ("has no HTTP domain to enforce ...").
    super::ob2_origin::validator("ob2_origins_empty", true);
}

#[tokio::test]
async fn revocation_lists_and_entries_read_one_way() {
    // revocationList as a one-element array, revokedAssertions as one object: still revoked.
    let mut i = issuer();
    i["revocationList"] = json!([LIST]);
    let list = |entries: Value| json!({"@context": V2, "type": "RevocationList", "id": LIST, "revokedAssertions": entries});
    let docs = world(&[
        (ISSUER, i.clone()),
        (
            LIST,
            list(json!({"id": SIGNED_ID, "revocationReason": "cheated"})),
        ),
    ]);
    refused(
        &jws("ob2_list_array_entry_object", &signed(), &ISSUER_KEY, docs).await,
        "status",
        "cheated",
    );
    let docs = world(&[(ISSUER, i.clone()), (LIST, list(json!(SIGNED_ID)))]);
    refused(
        &jws("ob2_list_entry_string", &signed(), &ISSUER_KEY, docs).await,
        "status",
        "revoked",
    );
    // The assertion's own `revoked`, as a one-element array.
    let mut a = signed();
    a["revoked"] = json!([true]);
    refused(
        &jws("ob2_revoked_array", &a, &ISSUER_KEY, world(&[])).await,
        "status",
        "revoked",
    );
    // Control: an empty list.
    let docs = world(&[(ISSUER, i), (LIST, list(json!([])))]);
    verified(&jws("ob2_list_empty_control", &signed(), &ISSUER_KEY, docs).await);
    // Fooled: revokedAssertions as one object or one string is iterated as it stands (the object's keys,
    // the string's characters), so the entry is never matched; and an assertion's own `revoked` is not
    // read for a signed assertion.
    for name in [
        "ob2_list_array_entry_object",
        "ob2_list_entry_string",
        "ob2_revoked_array",
    ] {
        super::ob2_origin::validator(name, true);
    }
    super::ob2_origin::validator("ob2_list_empty_control", true);
}

#[tokio::test]
async fn a_creator_and_public_key_as_arrays_read_one_way() {
    // creator as an embedded key object, publicKey as a one-element array of objects: the same key.
    let mut i = issuer();
    i["publicKey"] = json!([{"id": KEY}]);
    let mut s = signed();
    s["verification"]["creator"] = json!({"id": KEY});
    verified(
        &jws(
            "ob2_creator_object_control",
            &s,
            &ISSUER_KEY,
            world(&[(ISSUER, i)]),
        )
        .await,
    );
    // Two different creators: not one key.
    let mut two = signed();
    two["verification"]["creator"] = json!([KEY, EVIL_KEY]);
    refused(
        &jws("ob2_two_creators", &two, &ISSUER_KEY, world(&[])).await,
        "proof",
        "several signing keys",
    );
    super::ob2_origin::validator("ob2_creator_object_control", true);
    // VERIFY_JWS raised: "TypeError: list indices must be integers or slices, not str".
    super::ob2_origin::validator("ob2_two_creators", false);
}
