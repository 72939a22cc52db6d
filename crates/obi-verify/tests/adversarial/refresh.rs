//! Class 3: a refresh never rescues. `refreshService` is followed only when the presented credential's own
//! proof passed; what it serves replaces the presented credential only if it passes conformance and proof
//! itself and has the same issuer and subject (else the original is verified as presented); the report
//! names both (`refreshed_from`) and says which one each check looked at (`Check::about`). A refreshed
//! credential is never refreshed again.
//!
//! Before this, the service was asked even when the presented credential had no valid proof, so an
//! unsigned document naming a genuine credential's URL as its refresh service verified.

use obi_verify::{About, CheckStatus, VerifyReport};
use serde_json::{Value, json};

use super::support::{Case, Issuer, assert_peer, assert_refused, assert_verified, check, sample};

const ISSUER: &str = "https://issuer.example/issuer";
const OTHER: &str = "https://other.example/issuer";
const REFRESH: &str = "https://issuer.example/refresh/1";
const REFRESH_AGAIN: &str = "https://issuer.example/refresh/2";
const LIST: &str = "https://issuer.example/revocations";
const FRESH_ID: &str = "urn:uuid:0e8a5d5c-7b1e-4f0b-9d55-4b1f3c7a2e10";

/// The credential as presented: the peers' sample by `issuer`, named "Presented", with a refresh service.
fn presented(issuer: &str) -> Value {
    let mut c = sample(issuer);
    c["name"] = json!("Presented");
    c["credentialSubject"]["achievement"]["name"] = json!("Presented");
    c["refreshService"] = json!({"id": REFRESH, "type": "1EdTechCredentialRefresh"});
    c
}

/// What the refresh service serves: the same badge, newer, named "Refreshed", under another id.
fn fresh(issuer: &str) -> Value {
    let mut c = sample(issuer);
    c["id"] = json!(FRESH_ID);
    c["name"] = json!("Refreshed");
    c["credentialSubject"]["achievement"]["name"] = json!("Refreshed");
    c
}

fn refresh_check(r: &VerifyReport) -> (CheckStatus, String) {
    let c = check(r, "refresh");
    (c.status, c.detail.clone())
}

/// The original was verified as presented, and the refresh check says why the service's answer was not
/// taken.
fn kept_original(r: &VerifyReport, why: &str) {
    assert_verified(r);
    assert_eq!(
        r.display.name.as_deref(),
        Some("Presented"),
        "{:#?}",
        r.checks
    );
    assert!(r.refreshed_from.is_none());
    assert!(r.checks.iter().all(|c| c.about == About::Presented));
    let (status, detail) = refresh_check(r);
    assert_eq!(status, CheckStatus::Skipped, "{detail}");
    assert!(detail.contains(why), "expected {why:?} in {detail:?}");
}

#[tokio::test]
async fn control_a_signed_credential_is_refreshed() {
    let issuer = Issuer::https(ISSUER);
    let case = Case::new("rf_control", issuer.sign(&presented(ISSUER)))
        .serve(ISSUER, issuer.document())
        .serve(REFRESH, issuer.sign(&fresh(ISSUER)));
    let r = case.verify().await;
    assert_verified(&r);
    assert_eq!(r.display.name.as_deref(), Some("Refreshed"));
    let from = r.refreshed_from.as_ref().expect("refreshed_from");
    assert_eq!(from.url, REFRESH);
    assert_eq!(from.refreshed, FRESH_ID);
    assert_eq!(from.presented, sample(ISSUER)["id"].as_str().unwrap());
    assert_eq!(refresh_check(&r).0, CheckStatus::Passed);
    // The presented credential's own schema and proof checks, then the refreshed one's, then the rest.
    let about = |name: &str| -> Vec<About> {
        r.checks
            .iter()
            .filter(|c| c.name == name)
            .map(|c| c.about)
            .collect()
    };
    assert_eq!(about("proof"), [About::Presented, About::Refreshed]);
    assert_eq!(about("schema"), [About::Presented, About::Refreshed]);
    assert_eq!(about("status"), [About::Refreshed]);
    assert_eq!(about("validity"), [About::Refreshed]);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["refreshedFrom"]["url"], REFRESH);
    assert_eq!(json["checks"][1].get("about"), None, "presented: left out");
    assert!(
        json["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["about"] == "refreshed")
    );
}

/// An unsigned document naming the genuine credential's URL as its refresh service.
#[tokio::test]
async fn an_unsigned_credential_is_not_rescued_by_its_refresh() {
    let issuer = Issuer::https(ISSUER);
    let case = Case::new("rf_unsigned_presented", presented(ISSUER))
        .serve(ISSUER, issuer.document())
        .serve(REFRESH, issuer.sign(&fresh(ISSUER)));
    let r = case.verify().await;
    assert_refused(&r, "proof", "no proof");
    let (status, detail) = refresh_check(&r);
    assert_eq!(status, CheckStatus::Skipped);
    assert!(detail.contains("own proof did not verify"), "{detail}");
    assert!(r.refreshed_from.is_none());
    assert_eq!(r.display.name.as_deref(), Some("Presented"));
    // peers: ob3-verify refuses ("no \"proof\" in the credential"); it never follows refreshService, so
    // it verifies every rf_ case whose presented credential is signed.
    assert_peer("rf_unsigned_presented", "ob3-verify", Some(false));
    assert_peer("rf_control", "ob3-verify", Some(true));
}

#[tokio::test]
async fn a_tampered_credential_is_not_rescued_by_its_refresh() {
    let issuer = Issuer::https(ISSUER);
    let mut tampered = issuer.sign(&presented(ISSUER));
    tampered["credentialSubject"]["id"] = json!("did:example:mallory");
    let case = Case::new("rf_tampered_presented", tampered)
        .serve(ISSUER, issuer.document())
        .serve(REFRESH, issuer.sign(&fresh(ISSUER)));
    let r = case.verify().await;
    assert_refused(&r, "proof", "eddsa-rdfc-2022");
    assert!(refresh_check(&r).1.contains("own proof did not verify"));
    assert!(r.refreshed_from.is_none());
    // peers: ob3-verify refuses ("Invalid signature.").
    assert_peer("rf_tampered_presented", "ob3-verify", Some(false));
}

#[tokio::test]
async fn a_refresh_serving_another_issuers_credential_is_not_taken() {
    let issuer = Issuer::https(ISSUER);
    let other = Issuer::https(OTHER);
    let case = Case::new("rf_other_issuer", issuer.sign(&presented(ISSUER)))
        .serve(ISSUER, issuer.document())
        .serve(OTHER, other.document())
        .serve(REFRESH, other.sign(&fresh(OTHER)));
    kept_original(&case.verify().await, "another issuer");
}

#[tokio::test]
async fn a_refresh_serving_another_subjects_credential_is_not_taken() {
    let issuer = Issuer::https(ISSUER);
    let mut theirs = fresh(ISSUER);
    theirs["credentialSubject"]["id"] = json!("did:example:learner:someone-else");
    let case = Case::new("rf_other_subject", issuer.sign(&presented(ISSUER)))
        .serve(ISSUER, issuer.document())
        .serve(REFRESH, issuer.sign(&theirs));
    kept_original(&case.verify().await, "another subject");
}

/// No subject id: the identifier entries are compared instead.
#[tokio::test]
async fn without_a_subject_id_the_identifiers_are_compared() {
    let issuer = Issuer::https(ISSUER);
    let mut p = presented(ISSUER);
    p["credentialSubject"].as_object_mut().unwrap().remove("id");
    let mut same = fresh(ISSUER);
    same["credentialSubject"]
        .as_object_mut()
        .unwrap()
        .remove("id");
    let case = Case::new("rf_identifier_same", issuer.sign(&p))
        .serve(ISSUER, issuer.document())
        .serve(REFRESH, issuer.sign(&same));
    let r = case.verify().await;
    assert_verified(&r);
    assert_eq!(r.display.name.as_deref(), Some("Refreshed"));

    let mut other = same.clone();
    other["credentialSubject"]["identifier"][0]["identityHash"] =
        json!("sha256$0000000000000000000000000000000000000000000000000000000000000000");
    let case = Case::new("rf_identifier_other", issuer.sign(&p))
        .serve(ISSUER, issuer.document())
        .serve(REFRESH, issuer.sign(&other));
    let r = case.verify().await;
    assert_eq!(r.display.name.as_deref(), Some("Presented"));
    assert!(refresh_check(&r).1.contains("another subject"));
}

/// The served credential names two subjects, one of them the presented one's: not comparable.
#[tokio::test]
async fn a_refresh_with_two_subjects_is_not_taken() {
    let issuer = Issuer::https(ISSUER);
    let mut two = fresh(ISSUER);
    let mut stranger = two["credentialSubject"].clone();
    stranger["id"] = json!("did:example:learner:someone-else");
    two["credentialSubject"] = json!([stranger, two["credentialSubject"].clone()]);
    let case = Case::new("rf_two_subjects", issuer.sign(&presented(ISSUER)))
        .serve(ISSUER, issuer.document())
        .serve(REFRESH, issuer.sign(&two));
    kept_original(&case.verify().await, "subject cannot be compared");
}

#[tokio::test]
async fn a_refresh_serving_an_unsigned_credential_is_not_taken() {
    let issuer = Issuer::https(ISSUER);
    let case = Case::new("rf_unsigned_refresh", issuer.sign(&presented(ISSUER)))
        .serve(ISSUER, issuer.document())
        .serve(REFRESH, fresh(ISSUER));
    kept_original(&case.verify().await, "does not carry a valid proof");
}

#[tokio::test]
async fn a_refresh_serving_a_non_conforming_credential_is_not_taken() {
    let issuer = Issuer::https(ISSUER);
    let mut bad = fresh(ISSUER);
    bad.as_object_mut().unwrap().remove("validFrom");
    let case = Case::new("rf_nonconforming_refresh", issuer.sign(&presented(ISSUER)))
        .serve(ISSUER, issuer.document())
        .serve(REFRESH, issuer.sign(&bad));
    kept_original(&case.verify().await, "not a conforming OB 3.0 credential");
}

/// The served credential replaces the presented one, and is revoked: not verified.
#[tokio::test]
async fn a_refreshed_credential_that_is_revoked_is_not_verified() {
    let issuer = Issuer::https(ISSUER);
    let mut revoked = fresh(ISSUER);
    revoked["credentialStatus"] = json!({"id": LIST, "type": "1EdTechRevocationList"});
    let list = json!({"id": LIST, "revokedCredentials": [{"id": FRESH_ID, "revocationReason": "withdrawn"}]});
    let case = Case::new("rf_revoked_refresh", issuer.sign(&presented(ISSUER)))
        .serve(ISSUER, issuer.document())
        .serve(REFRESH, issuer.sign(&revoked))
        .serve(LIST, list);
    let r = case.verify().await;
    assert_refused(&r, "status", "revoked");
    assert_eq!(check(&r, "status").about, About::Refreshed);
    assert_eq!(refresh_check(&r).0, CheckStatus::Passed);
    assert_eq!(r.display.status.as_deref(), Some("revoked"));
    // peers: ob3-verify accepts: it verifies the presented credential and never asks the refresh service.
    assert_peer("rf_revoked_refresh", "ob3-verify", Some(true));
}

/// The refreshed credential has a refresh service of its own: never followed.
#[tokio::test]
async fn a_refreshed_credential_is_not_refreshed_again() {
    let issuer = Issuer::https(ISSUER);
    let mut first = fresh(ISSUER);
    first["refreshService"] = json!({"id": REFRESH_AGAIN, "type": "1EdTechCredentialRefresh"});
    let mut second = fresh(ISSUER);
    second["name"] = json!("Refreshed twice");
    second["credentialSubject"]["achievement"]["name"] = json!("Refreshed twice");
    let case = Case::new("rf_loop", issuer.sign(&presented(ISSUER)))
        .serve(ISSUER, issuer.document())
        .serve(REFRESH, issuer.sign(&first))
        .serve(REFRESH_AGAIN, issuer.sign(&second));
    let r = case.verify().await;
    assert_verified(&r);
    assert_eq!(r.display.name.as_deref(), Some("Refreshed"));
    assert_eq!(r.checks.iter().filter(|c| c.name == "refresh").count(), 1);
    assert!(
        refresh_check(&r)
            .1
            .contains("its own refreshService is not followed")
    );
}

/// `refreshService` as a one-element array reads like the object.
#[tokio::test]
async fn a_refresh_service_in_an_array_reads_like_the_object() {
    let issuer = Issuer::https(ISSUER);
    let mut p = presented(ISSUER);
    p["refreshService"] = json!([p["refreshService"].clone()]);
    let case = Case::new("rf_service_array", issuer.sign(&p))
        .serve(ISSUER, issuer.document())
        .serve(REFRESH, issuer.sign(&fresh(ISSUER)));
    let r = case.verify().await;
    assert_verified(&r);
    assert_eq!(r.display.name.as_deref(), Some("Refreshed"));
}
