//! Class 10: identifiers compared as their schemes say, by one function (`obi_core::id::same_id`) for
//! issuer binding, revocation lists and ids. Spellings of one URL are one issuer; different URLs never are.
//! (Revocation-list spellings are in `ob2_origin` and `status_lists`; colliding issuer spellings in
//! `attack_probe`.)

use obi_verify::{Input, OfflineFetch};
use serde_json::json;

use super::support::{Issuer, assert_verified, opts, sample};

async fn verify(presented: &serde_json::Value, fetch: &OfflineFetch) -> obi_verify::VerifyReport {
    let bytes = presented.to_string().into_bytes();
    obi_verify::verify(
        Input::Bytes {
            name: "c",
            bytes: &bytes,
        },
        &opts(),
        fetch,
    )
    .await
    .unwrap()
}

/// The credential names its issuer with another case of scheme and host and the default port; the
/// issuer's document, fetched from that URL (normalized), declares the canonical spelling: the same issuer.
#[tokio::test]
async fn one_url_spelled_two_ways_is_one_issuer() {
    let canonical = "https://issuer.example/profile";
    let spelled = "HTTPS://Issuer.Example:443/profile";
    let issuer = Issuer::https(canonical);
    let credential = issuer.sign(&sample(spelled));
    // obi fetches the normalized URL.
    let fetch = OfflineFetch::new().with(canonical, issuer.document().to_string().into_bytes());
    assert_verified(&verify(&credential, &fetch).await);
}

/// Path case, another port, plain http: other URLs, so the document does not stand for the issuer.
#[tokio::test]
async fn other_urls_are_other_issuers() {
    let canonical = "https://issuer.example/profile";
    for spelled in [
        "https://issuer.example/Profile",
        "https://issuer.example:8443/profile",
        "http://issuer.example/profile",
        "https://issuer.example/profile/",
    ] {
        let issuer = Issuer::https(canonical);
        let mut c = sample(spelled);
        c["issuer"] = json!({"id": spelled, "type": ["Profile"], "name": "x"});
        let credential = issuer.sign(&c);
        let fetch = OfflineFetch::new().with(spelled, issuer.document().to_string().into_bytes());
        let r = verify(&credential, &fetch).await;
        assert!(!r.verified, "{spelled}: {:#?}", r.checks);
        let proof = r.checks.iter().find(|c| c.name == "proof").unwrap();
        assert!(
            proof
                .detail
                .contains("says it is https://issuer.example/profile"),
            "{spelled}: {proof:#?}"
        );
    }
}

/// One recipient rule on both sides: a hashed identity whose algorithm prefix is not written as the
/// specifications write it (`SHA256$`) is an error in validation and never matches in verification, even
/// when its digest is right (validate and verify disagreed on it before).
#[tokio::test]
async fn a_malformed_identity_hash_is_invalid_and_never_matches() {
    let issuer = Issuer::did_key();
    let mut c = sample(&issuer.id);
    let good = "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399";
    c["credentialSubject"]["identifier"] = json!([{"type": "IdentityObject", "hashed": true,
        "identityType": "emailAddress", "identityHash": good, "salt": "Kosher"}]);
    let control = issuer.sign(&c);
    let holder = opts().recipient("a@example.com");
    let bytes = control.to_string().into_bytes();
    let r = obi_verify::verify(
        Input::Bytes {
            name: "c",
            bytes: &bytes,
        },
        &holder,
        &OfflineFetch::new(),
    )
    .await
    .unwrap();
    assert_verified(&r);
    assert_eq!(r.recipient_matched, Some(true));

    c["credentialSubject"]["identifier"][0]["identityHash"] =
        json!(good.replace("sha256$", "SHA256$"));
    let bad = issuer.sign(&c);
    let findings = obi_core::v3::validate(&bad, super::support::now()).findings;
    assert!(
        findings.iter().any(|f| f.rule == "OB3_IDENTITY_HASH"),
        "{findings:#?}"
    );
    let bytes = bad.to_string().into_bytes();
    let r = obi_verify::verify(
        Input::Bytes {
            name: "c",
            bytes: &bytes,
        },
        &holder,
        &OfflineFetch::new(),
    )
    .await
    .unwrap();
    assert!(!r.verified);
    assert_eq!(r.recipient_matched, Some(false), "{:#?}", r.checks);
}
