//! Class 4 for OB 3.0: every property the specs allow as one value or an array (`credentialSubject`,
//! `type`, `@context`, `issuer`, `proof`, `credentialStatus`) is read one way by validation and
//! verification alike, and which path a document takes (OB 3.0 or OB 2.0) is decided from the same
//! reading, so no spelling makes obi skip the OB 3.0 proof. A one-element array is the value it holds
//! (JSON-LD compacted form); several values where OB 3.0 wants one are refused, never read as the first.

use obi_verify::VerifyReport;
use serde_json::{Value, json};

use super::support::{
    Case, Issuer, assert_peer, assert_refused, assert_verified, check, opts, sample,
};

const ISSUER: &str = "https://issuer.example/issuer";
const HOLDER: &str = "did:example:learner:ada-lovelace-2025";
const VICTIM: &str = "did:example:learner:victim";

async fn signed(name: &'static str, issuer: &Issuer, c: &Value) -> VerifyReport {
    Case::new(name, issuer.sign(c))
        .serve(ISSUER, issuer.document())
        .verify_with(&opts().recipient(HOLDER))
        .await
}

#[tokio::test]
async fn control_the_sample_verifies_for_its_holder() {
    let issuer = Issuer::https(ISSUER);
    let r = signed("om3_control", &issuer, &sample(ISSUER)).await;
    assert_verified(&r);
    assert_eq!(r.recipient_matched, Some(true));
}

#[tokio::test]
async fn a_subject_as_a_one_element_array_reads_like_the_object() {
    let issuer = Issuer::https(ISSUER);
    let mut c = sample(ISSUER);
    c["credentialSubject"] = json!([c["credentialSubject"].clone()]);
    let r = signed("om3_subject_array", &issuer, &c).await;
    assert_verified(&r);
    assert_eq!(r.recipient_matched, Some(true));
    assert_eq!(r.display.name.as_deref(), Some("Safe Concurrency in Rust"));
    // And someone else is not its recipient.
    let r = Case::new("om3_subject_array", issuer.sign(&c))
        .serve(ISSUER, issuer.document())
        .verify_with(&opts().recipient("did:example:mallory"))
        .await;
    assert_refused(&r, "recipient", "not awarded");
}

/// Two subjects, the second the holder's: the first is not read as the subject, nor is either matched.
#[tokio::test]
async fn two_subjects_one_the_holders_do_not_make_a_recipient() {
    let issuer = Issuer::https(ISSUER);
    let mut c = sample(ISSUER);
    let mut victim = c["credentialSubject"].clone();
    victim["id"] = json!(VICTIM);
    c["credentialSubject"] = json!([victim, c["credentialSubject"].clone()]);
    let r = signed("om3_two_subjects", &issuer, &c).await;
    assert_refused(&r, "recipient", "2 credentialSubjects");
    assert_refused(&r, "schema", "OB3_SUBJECT_COUNT");
    assert_eq!(r.recipient_matched, Some(false));
    // peers: ob3-verify accepts (it checks the proof, not how many subjects there are).
    assert_peer("om3_two_subjects", "ob3-verify", Some(true));
    assert_peer("om3_subject_array", "ob3-verify", Some(true));
}

/// `type` as a single string reads as the one-element array: both lack VerifiableCredential, refused
/// alike by the rules (unsigned: without VerifiableCredential's scoped context it cannot even be signed);
/// the full array passes them.
#[tokio::test]
async fn type_as_a_string_reads_like_the_one_element_array() {
    let mut string = sample(ISSUER);
    string["type"] = json!("OpenBadgeCredential");
    let a = Case::new("om3_type_string", string).verify().await;
    assert_refused(&a, "schema", "OB3_SCHEMA at /type");
    let mut array = sample(ISSUER);
    array["type"] = json!(["OpenBadgeCredential"]);
    let b = Case::new("om3_type_array", array).verify().await;
    assert_refused(&b, "schema", "OB3_SCHEMA at /type");
    assert_eq!(check(&a, "schema").detail, check(&b, "schema").detail);
    assert_eq!(a.open_badges_version.as_deref(), Some("3.0"));
    // Control: the type array as the spec writes it passes the rules (and fails only for want of a proof).
    let c = Case::new("om3_type_control", sample(ISSUER)).verify().await;
    assert_eq!(check(&c, "schema").status, obi_verify::CheckStatus::Passed);
    assert_refused(&c, "proof", "no proof");
}

/// `@context` as one string where OB 3.0 wants the VC and OB contexts in an array: still OB 3.0, refused
/// by the context rule (not sent down the OB 2.0 path).
#[tokio::test]
async fn context_as_a_single_string_is_still_ob3_and_refused() {
    let issuer = Issuer::https(ISSUER);
    let mut c = issuer.sign(&sample(ISSUER));
    c["@context"] = json!("https://www.w3.org/ns/credentials/v2");
    let r = Case::new("om3_context_string", c)
        .serve(ISSUER, issuer.document())
        .verify()
        .await;
    assert_eq!(r.open_badges_version.as_deref(), Some("3.0"));
    assert_refused(&r, "schema", "OB3_CONTEXT");
}

/// An unsigned OB 3.0 credential dressed as an OB 2.0 hosted assertion: an OB 2.0 context first, a
/// type as a full IRI, `verification: hosted`. Were it sent down the OB 2.0 path, no OB 3.0 proof would be
/// asked for; it is OB 3.0, and has none.
#[tokio::test]
async fn an_ob3_credential_spelled_like_ob2_is_not_sent_down_the_ob2_path() {
    let mut c = sample(ISSUER);
    c["@context"] = json!(["https://w3id.org/openbadges/v2"]);
    c["type"] = json!("https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential");
    c["verification"] = json!({"type": "hosted"});
    let r = Case::new("om3_spelled_as_ob2", c).verify().await;
    assert_eq!(r.open_badges_version.as_deref(), Some("3.0"));
    assert_refused(&r, "proof", "no proof");

    // The VC context in capitals, an OB 2.0 type: still read as a VC context.
    let mut c = sample(ISSUER);
    c["@context"] = json!([
        "HTTPS://WWW.W3.ORG/ns/credentials/v2",
        "https://w3id.org/openbadges/v2"
    ]);
    c["type"] = json!("Assertion");
    let r = Case::new("om3_vc_context_capitals", c).verify().await;
    assert_eq!(r.open_badges_version.as_deref(), Some("3.0"));
    assert_refused(&r, "proof", "no proof");
}

/// `issuer` as a string, as `{"id": ...}`, or either in a one-element array: the same issuer to key
/// binding (its document is fetched from the same id) and to the rules.
#[tokio::test]
async fn issuer_as_string_object_or_array_reads_alike() {
    let issuer = Issuer::https(ISSUER);
    for (name, spelled) in [
        ("om3_issuer_string", json!(ISSUER)),
        (
            "om3_issuer_object",
            json!({"id": ISSUER, "type": ["Profile"], "name": "Northbridge"}),
        ),
        (
            "om3_issuer_array",
            json!([{"id": ISSUER, "type": ["Profile"], "name": "Northbridge"}]),
        ),
    ] {
        let mut c = sample(ISSUER);
        c["issuer"] = spelled;
        let r = signed(name, &issuer, &c).await;
        assert_verified(&r);
        assert_eq!(r.display.issuer.as_deref(), Some(ISSUER), "{name}");
    }
    // Two issuers, the real one second: no single issuer, so no key speaks for it.
    let mut c = sample(ISSUER);
    c["issuer"] = json!(["https://attacker.example/issuer", ISSUER]);
    let r = signed("om3_two_issuers", &issuer, &c).await;
    assert!(!r.verified, "{:#?}", r.checks);
    assert_refused(&r, "schema", "OB3_SCHEMA at /issuer");
    assert_refused(&r, "proof", "names no issuer");
    // peers: ob3-verify refuses ("\"issuer\" property can only have one value."), and also refuses the
    // one-element array ("\"issuer\" id is required.": it reads the array as no issuer), where obi reads
    // the issuer it holds, as JSON-LD does; string and object it accepts, like obi.
    assert_peer("om3_two_issuers", "ob3-verify", Some(false));
    assert_peer("om3_issuer_array", "ob3-verify", Some(false));
    assert_peer("om3_issuer_object", "ob3-verify", Some(true));
    assert_peer("om3_issuer_string", "ob3-verify", Some(true));
}

/// A single proof object and a one-element proof array: the same proof.
#[tokio::test]
async fn proof_as_object_or_array_reads_alike() {
    let issuer = Issuer::https(ISSUER);
    let mut c = issuer.sign(&sample(ISSUER));
    c["proof"] = json!([c["proof"].clone()]);
    let r = Case::new("om3_proof_array", c.clone())
        .serve(ISSUER, issuer.document())
        .verify()
        .await;
    assert_verified(&r);
    // The same, tampered: the array's proof is checked, not skipped.
    c["credentialSubject"]["id"] = json!("did:example:mallory");
    let r = Case::new("om3_proof_array_tampered", c)
        .serve(ISSUER, issuer.document())
        .verify()
        .await;
    assert_refused(&r, "proof", "eddsa-rdfc-2022");
}

/// `credentialStatus` as a one-element array: the list is still consulted, and the revocation counts.
#[tokio::test]
async fn credential_status_as_a_one_element_array_is_still_checked() {
    const LIST: &str = "https://issuer.example/revocations";
    let issuer = Issuer::https(ISSUER);
    let mut c = sample(ISSUER);
    c["credentialStatus"] = json!([{"id": LIST, "type": "1EdTechRevocationList"}]);
    let id = c["id"].clone();
    let revoked = Case::new("om3_status_array_revoked", issuer.sign(&c))
        .serve(ISSUER, issuer.document())
        .serve(LIST, json!({"id": LIST, "revokedCredentials": [id]}));
    assert_refused(&revoked.verify().await, "status", "revoked");
    let active = Case::new("om3_status_array_active", issuer.sign(&c))
        .serve(ISSUER, issuer.document())
        .serve(LIST, json!({"id": LIST, "revokedCredentials": []}));
    assert_verified(&active.verify().await);
    // peers: ob3-verify accepts the revoked one: it does not consult 1EdTechRevocationList.
    assert_peer("om3_status_array_revoked", "ob3-verify", Some(true));
}
