//! Whose key signed a VC-JWT. A token may carry its own key (header `jwk`); that proves only that the
//! token is intact, not that the issuer made it, so obi accepts a key only when the issuer publishes it:
//! a verification method of the issuer (did:key, did:web, controller document), a JWKS or controller
//! document at the issuer's URL, or the JWKS named by its `/.well-known/jwt-vc-issuer` metadata.
//!
//! The 1EdTech validator and the Digital Bazaar / DCC peers accept any key in the header (see the table in
//! `shared/spec/ob3/README.md`: `simple-jwt.png` is valid for them): with those, anyone can make a
//! "verified" badge from any issuer.

use obi_sign::vcjwt::{self, HeaderKey};
use obi_sign::{KeyType, SecretKey};
use obi_verify::{CheckStatus, Input, OfflineFetch, VerifyOptions, VerifyReport};
use serde_json::{Value, json};

const DIR: &str = env!("CARGO_MANIFEST_DIR");
const ISSUER: &str = "https://northbridge.example.edu/issuers/1";

fn opts() -> VerifyOptions {
    VerifyOptions::at("2026-11-28T00:00:00Z".parse().unwrap())
}

/// The peers' sample credential, issued by [`ISSUER`].
fn sample() -> Value {
    let mut c: Value = serde_json::from_str(&obi_testkit::shared_text(
        DIR,
        "peers/ob3-node/testdata/sample-ob3.json",
    ))
    .unwrap();
    c["issuer"]["id"] = json!(ISSUER);
    c
}

async fn verify(token: &[u8], fetch: &OfflineFetch) -> VerifyReport {
    obi_verify::verify(
        Input::Bytes {
            name: "token",
            bytes: token,
        },
        &opts(),
        fetch,
    )
    .await
    .unwrap()
}

fn proof(r: &VerifyReport) -> (CheckStatus, String) {
    let c = r.checks.iter().find(|c| c.name == "proof").unwrap();
    (c.status, c.detail.clone())
}

fn jwks(keys: &[Value]) -> Vec<u8> {
    json!({ "keys": keys }).to_string().into_bytes()
}

fn with_kid(jwk: Value, kid: &str) -> Value {
    let mut jwk = jwk;
    jwk["kid"] = json!(kid);
    jwk
}

#[tokio::test]
async fn a_key_only_the_token_carries_is_not_the_issuers() {
    // The peer's sample token: RS256, key in the header, issuer an https URL.
    let token = obi_testkit::shared_text(DIR, "peers/ob3-node/testdata/sample-ob3.rs256.jwt");
    let r = verify(token.trim().as_bytes(), &OfflineFetch::new()).await;
    assert!(!r.verified);
    let (status, detail) = proof(&r);
    assert_eq!(status, CheckStatus::Failed);
    assert!(detail.contains("the signature is intact"), "{detail}");
    assert!(
        detail.contains("anyone could have made this token"),
        "{detail}"
    );
    assert!(r.findings.iter().any(|f| f.rule == "OB3_PROOF_KEY_UNBOUND"));

    // The same token once the issuer publishes that key as a JWKS at its URL.
    let header = obi_sign::jws::Jws::decode(token.trim()).unwrap().header;
    let published = OfflineFetch::new().with(ISSUER, jwks(&[header["jwk"].clone()]));
    let r = verify(token.trim().as_bytes(), &published).await;
    assert!(r.verified, "{:#?}", r.checks);
    assert!(
        proof(&r).1.contains("published by the issuer"),
        "{:?}",
        proof(&r)
    );

    // Another key published there does not help.
    let other = SecretKey::generate(KeyType::Rsa).unwrap().public().to_jwk();
    let r = verify(
        token.trim().as_bytes(),
        &OfflineFetch::new().with(ISSUER, jwks(&[other])),
    )
    .await;
    assert_eq!(proof(&r).0, CheckStatus::Failed);
}

#[tokio::test]
async fn the_1edtech_jwt_fixtures_need_the_issuers_key() {
    // 1EdTech: valid (the key is in the header). obi: not without the issuer publishing it.
    let bytes = std::fs::read(obi_testkit::shared(
        DIR,
        "spec/ob3/validator-fixtures/ob30/simple-jwt.png",
    ))
    .unwrap();
    let r = verify(&bytes, &OfflineFetch::new()).await;
    assert!(!r.verified);
    assert_eq!(proof(&r).0, CheckStatus::Failed);
    // With the issuer's SD-JWT VC metadata naming a JWKS: verified.
    let baked = obi_bake::extract(&bytes).unwrap().unwrap().text;
    let header = obi_sign::jws::Jws::decode(baked.trim()).unwrap().header;
    let issuer = "https://1edtech.edu/issuers/565049";
    let fetch = OfflineFetch::new()
        .with(
            "https://1edtech.edu/.well-known/jwt-vc-issuer/issuers/565049",
            json!({"issuer": issuer, "jwks_uri": "https://1edtech.edu/keys.json"})
                .to_string()
                .into_bytes(),
        )
        .with(
            "https://1edtech.edu/keys.json",
            jwks(&[header["jwk"].clone()]),
        );
    let r = verify(&bytes, &fetch).await;
    assert!(r.verified, "{:#?}", r.checks);
    // Metadata that names another issuer is not the issuer's.
    let wrong = OfflineFetch::new().with(
        "https://1edtech.edu/.well-known/jwt-vc-issuer/issuers/565049",
        json!({"issuer": "https://1edtech.edu/issuers/1", "jwks": {"keys": [header["jwk"]]}})
            .to_string()
            .into_bytes(),
    );
    let r = verify(&bytes, &wrong).await;
    assert!(!r.verified);
    assert!(
        proof(&r).1.contains("metadata for another issuer"),
        "{:?}",
        proof(&r)
    );
}

#[tokio::test]
async fn a_plain_kid_is_looked_up_among_the_issuers_keys() {
    let key = SecretKey::generate(KeyType::P256).unwrap();
    let token = vcjwt::sign(&sample(), &key, HeaderKey::Kid("2026-key".into())).unwrap();
    // Published in the issuer's controller document? No: a JWKS at its URL, under that kid.
    let fetch =
        OfflineFetch::new().with(ISSUER, jwks(&[with_kid(key.public().to_jwk(), "2026-key")]));
    let r = verify(token.as_bytes(), &fetch).await;
    assert!(r.verified, "{:#?}", r.checks);
    // A kid URL into a JWKS: found among the issuer's keys by its fragment.
    let token = vcjwt::sign(
        &sample(),
        &key,
        HeaderKey::Kid("https://keys.example.net/jwks.json#2026-key".into()),
    )
    .unwrap();
    let r = verify(token.as_bytes(), &fetch).await;
    assert!(r.verified, "{:#?}", r.checks);
    let token = vcjwt::sign(&sample(), &key, HeaderKey::Kid("2026-key".into())).unwrap();
    // A kid the issuer does not list.
    let fetch =
        OfflineFetch::new().with(ISSUER, jwks(&[with_kid(key.public().to_jwk(), "2025-key")]));
    let r = verify(token.as_bytes(), &fetch).await;
    assert_eq!(proof(&r).0, CheckStatus::Failed);
    assert!(proof(&r).1.contains("no key with kid"), "{:?}", proof(&r));
    // Nothing reachable at the issuer: the reason is named.
    let r = verify(token.as_bytes(), &OfflineFetch::new()).await;
    assert_eq!(proof(&r).0, CheckStatus::Failed);
    assert!(proof(&r).1.contains(ISSUER), "{:?}", proof(&r));
}

#[tokio::test]
async fn a_verification_method_must_be_the_issuers() {
    let key = SecretKey::generate(KeyType::Ed25519).unwrap();
    // A did:key kid for an https issuer: the key belongs to the did:key, not to the issuer.
    let token = vcjwt::sign(
        &sample(),
        &key,
        HeaderKey::Kid(key.public().did_key_vm().unwrap()),
    )
    .unwrap();
    let r = verify(token.as_bytes(), &OfflineFetch::new()).await;
    assert_eq!(proof(&r).0, CheckStatus::Failed);
    assert!(
        proof(&r).1.contains("among the keys") && proof(&r).1.contains("own controller document"),
        "{:?}",
        proof(&r)
    );
    // The issuer's own controller document listing the method under assertionMethod: verified.
    let vm = format!("{ISSUER}#key-1");
    let controller = json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": ISSUER,
        "assertionMethod": [{"id": vm, "type": "Multikey", "controller": ISSUER,
                             "publicKeyMultibase": key.public().to_multikey().unwrap()}]
    });
    let token = vcjwt::sign(&sample(), &key, HeaderKey::Kid(vm.clone())).unwrap();
    let fetch = OfflineFetch::new().with(ISSUER, controller.to_string().into_bytes());
    let r = verify(token.as_bytes(), &fetch).await;
    assert!(r.verified, "{:#?}", r.checks);
    // Listed, but not for assertions: refused.
    let mut listed = controller.clone();
    listed["verificationMethod"] = listed["assertionMethod"].clone();
    listed.as_object_mut().unwrap().remove("assertionMethod");
    let fetch = OfflineFetch::new().with(ISSUER, listed.to_string().into_bytes());
    let r = verify(token.as_bytes(), &fetch).await;
    assert_eq!(proof(&r).0, CheckStatus::Failed);
    assert!(proof(&r).1.contains("assertionMethod"), "{:?}", proof(&r));
    // A did:key issuer signing with a header jwk of its own key: the key is the DID's, so bound.
    let mut c = sample();
    c["issuer"]["id"] = json!(key.public().did_key().unwrap());
    let token = vcjwt::sign(&c, &key, HeaderKey::Jwk).unwrap();
    let r = verify(token.as_bytes(), &OfflineFetch::new()).await;
    assert!(r.verified, "{:#?}", r.checks);
}
