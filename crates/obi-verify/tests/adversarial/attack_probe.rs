//! Attack probes: inputs an adversary (who controls the badge bytes and any host but the issuer's) would
//! try against `verified: true`. Each probe asserts the attack FAILS; a probe that obi does not hold is a
//! finding until its fix landed (a refresh rescued a forged credential: class 3), with a control next to it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use obi_sign::vcjwt::{self, HeaderKey};
use obi_sign::{KeyType, SecretKey};
use obi_verify::{Input, OfflineFetch, VerifyReport};
use serde_json::{Value, json};

use super::support::{
    Issuer, assert_refused, assert_verified, controller_document, opts, sample, sign_with,
};

const VICTIM: &str = "https://victim.example/issuer";
const ATTACKER_DOC: &str = "https://attacker.example/keys";
const ATTACKER_VM: &str = "https://attacker.example/keys#1";
const REFRESH: &str = "https://attacker.example/refresh";

/// Verify `presented` (a JSON credential, or a VC-JWT as a JSON string) offline against `docs` only.
async fn run(presented: &Value, docs: &[(&str, Value)]) -> VerifyReport {
    let fetch = docs.iter().fold(OfflineFetch::new(), |f, (url, doc)| {
        let bytes = match doc {
            Value::String(s) => s.clone().into_bytes(),
            d => d.to_string().into_bytes(),
        };
        f.with(url, bytes)
    });
    let bytes = match presented {
        Value::String(s) => s.clone().into_bytes(),
        v => v.to_string().into_bytes(),
    };
    obi_verify::verify(
        Input::Bytes {
            name: "probe",
            bytes: &bytes,
        },
        &opts(),
        &fetch,
    )
    .await
    .unwrap()
}

fn attacker_key() -> SecretKey {
    SecretKey::generate(KeyType::Ed25519).unwrap()
}

// ---------------------------------------------------------------------------------------------------
// Refresh: "a 1EdTechCredentialRefresh service is asked only when the presented credential's own proof
// passed" (SECURITY.md 7).

/// A genuine credential of the victim, issued to someone (copied from anywhere).
fn genuine(victim: &Issuer) -> Value {
    victim.sign(&sample(VICTIM))
}

#[tokio::test]
async fn control_a_genuine_credential_verifies() {
    let victim = Issuer::https(VICTIM);
    let r = run(&genuine(&victim), &[(VICTIM, victim.document())]).await;
    assert_verified(&r);
}

/// A credential the attacker signed with its own key in the victim's name, whose refreshService (the
/// attacker's URL) serves a genuine credential of the victim. The presented credential's proof fails, but
/// obi asks the refresh service anyway and reports the served credential instead.
#[tokio::test]

async fn a_forged_credential_is_not_rescued_by_its_refresh_service() {
    let victim = Issuer::https(VICTIM);
    let key = attacker_key();
    let mut forged = sample(VICTIM);
    forged["refreshService"] = json!({"id": REFRESH, "type": "1EdTechCredentialRefresh"});
    forged["credentialSubject"]["achievement"]["name"] = json!("Anything the attacker likes");
    let forged = sign_with(&forged, &key, ATTACKER_VM);
    let docs = [
        (VICTIM, victim.document()),
        (
            ATTACKER_DOC,
            controller_document(ATTACKER_DOC, &[(ATTACKER_VM, &key)], ATTACKER_DOC),
        ),
        (REFRESH, genuine(&victim)),
    ];
    let r = run(&forged, &docs).await;
    assert_refused(&r, "proof", "is not listed under assertionMethod");
    assert!(
        r.checks
            .iter()
            .all(|c| c.name != "refresh" || !c.detail.contains("refreshed from")),
        "refreshed a credential whose own proof failed: {:#?}",
        r.checks
    );
}

/// The same with no proof at all, and no credentialSubject.id (so the "same subject" rule is skipped): an
/// unsigned JSON document the attacker wrote becomes `verified: true`.
#[tokio::test]

async fn an_unsigned_credential_is_not_rescued_by_its_refresh_service() {
    let victim = Issuer::https(VICTIM);
    let mut unsigned = sample(VICTIM);
    unsigned["refreshService"] = json!({"id": REFRESH, "type": "1EdTechCredentialRefresh"});
    if let Some(s) = unsigned["credentialSubject"].as_object_mut() {
        s.remove("id");
    }
    let docs = [(VICTIM, victim.document()), (REFRESH, genuine(&victim))];
    let r = run(&unsigned, &docs).await;
    assert_refused(&r, "proof", "no proof");
}

// ---------------------------------------------------------------------------------------------------
// VC-JWT algorithm confusion: HS256 "signed" with the issuer's published public key as the secret.

#[tokio::test]
async fn a_vc_jwt_with_a_shared_secret_algorithm_is_refused() {
    let victim = Issuer::https(VICTIM);
    let good = vcjwt::sign(
        &sample(VICTIM),
        &victim.key,
        HeaderKey::Kid(victim.vm.clone()),
    )
    .unwrap();
    let control = run(&Value::String(good.clone()), &[(VICTIM, victim.document())]).await;
    assert_verified(&control);
    // Same payload, header alg HS256 with the issuer's kid; the "MAC" is made with the public key bytes.
    let payload = good.split('.').nth(1).unwrap();
    let header = B64.encode(json!({"alg": "HS256", "kid": victim.vm}).to_string());
    let mac = B64.encode(victim.key.public().to_multikey().unwrap());
    let token = format!("{header}.{payload}.{mac}");
    let r = run(&Value::String(token), &[(VICTIM, victim.document())]).await;
    assert_refused(&r, "proof", "shared-secret");
}

// ---------------------------------------------------------------------------------------------------
// Identifiers: no two issuers normalize equal, so one's document cannot count for the other.

#[test]
fn distinct_issuers_never_compare_equal() {
    use obi_core::id::same_id;
    for (a, b) in [
        (VICTIM, "https://victim.example@attacker.example/issuer"),
        (
            VICTIM,
            "https://attacker.example/issuer#https://victim.example/issuer",
        ),
        (VICTIM, "https://victim.example.attacker.example/issuer"),
        (VICTIM, "https://victim.example/issuer/"),
        (VICTIM, "https://victim.example/issuer?"),
        (VICTIM, "https://victim.example/issuer#"),
        (VICTIM, "https://victim.example./issuer"),
        (VICTIM, "http://victim.example/issuer"),
        (VICTIM, "https://victim.example:8443/issuer"),
        (VICTIM, "https://victim.example/Issuer"),
        (VICTIM, "https://victim.example/issuer%2F"),
        (VICTIM, "https://victim.example%2Fattacker.example/issuer"),
        (VICTIM, "https://attacker.example\\@victim.example/issuer"),
        ("did:web:victim.example", "did:web:Victim.example"),
        ("did:web:victim.example", "did:web:victim.example%3A443"),
    ] {
        assert!(!same_id(a, b), "{a} and {b} compare as the same issuer");
    }
    // Spellings of the same URL (the url parser fetches them from the same host and path) are the same.
    for (a, b) in [
        (VICTIM, "HTTPS://VICTIM.EXAMPLE/issuer"),
        (VICTIM, "https://victim.example:443/issuer"),
        (VICTIM, "https://victim.example/x/../issuer"),
        (VICTIM, "https://victim.example/x/%2e%2e/issuer"),
        (VICTIM, "https://victim%2Eexample/issuer"),
        (VICTIM, "https://victim.example/%69ssuer"),
    ] {
        assert!(same_id(a, b), "{a} and {b} should be the same issuer");
    }
}

// ---------------------------------------------------------------------------------------------------
// Re-spelling a genuine, expired credential so the JSON reader misses the date while the signed graph
// stays the same: a one-element array is the same RDF as the value it holds.

#[tokio::test]
async fn an_expired_credential_respelled_with_an_array_date_stays_expired() {
    let victim = Issuer::https(VICTIM);
    let mut c = sample(VICTIM);
    c["validUntil"] = json!("2026-06-01T00:00:00Z");
    let expired = victim.sign(&c);
    let docs = [(VICTIM, victim.document())];
    // Control: as signed, it is refused for its date only.
    let control = run(&expired, &docs).await;
    assert_refused(&control, "validity", "2026-06-01");
    assert!(
        control
            .checks
            .iter()
            .any(|c| c.name == "proof" && c.status == obi_verify::CheckStatus::Passed)
    );
    let mut respelled = expired.clone();
    respelled["validUntil"] = json!(["2026-06-01T00:00:00Z"]);
    let r = run(&respelled, &docs).await;
    // The proof still holds (same graph): the date must be what refuses it.
    assert!(!r.verified, "verified: {:#?}", r.checks);
    assert!(
        r.checks
            .iter()
            .any(|c| c.status == obi_verify::CheckStatus::Failed
                && (c.detail.contains("validUntil") || c.detail.contains("OB3_DATE"))),
        "{:#?}",
        r.checks
    );
}
