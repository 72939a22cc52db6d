//! Class 8: Endorsements are about this badge: one counts only if what it endorses (`credentialSubject.id`) is
//! the credential, achievement or issuer it is shown on, and only if it holds as any credential must (an
//! EndorsementCredential, its proof by its own issuer, its status, its validity period). Once, a genuine
//! endorsement of someone else, or one its endorser revoked, was reported as verified.

use obi_sign::SecretKey;
use serde_json::{Value, json};

use super::status_lists::{
    MIN, Site, encoded, entry, failed, failed_checks, key, list, opts, sample, sign, verify_with,
};

const ACHIEVEMENT: &str = "https://northbridge.example.edu/achievements/rust-safe-concurrency";

/// An EndorsementCredential by `endorser` about `subject`, signed; `edit` changes it before signing.
fn endorsement(endorser: &SecretKey, subject: &str, edit: impl FnOnce(&mut Value)) -> Value {
    let mut e = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:0b5f8c2e-3c1d-4e8a-9f6b-7a2d1e0c9b8a",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "issuer": {"id": endorser.public().did_key().unwrap(), "type": ["Profile"], "name": "Rust Accreditation Board"},
        "validFrom": "2025-01-01T00:00:00Z",
        "name": "Endorsement",
        "credentialSubject": {"id": subject, "type": ["EndorsementSubject"],
            "endorsementComment": "A rigorous course."}
    });
    edit(&mut e);
    sign(&e, endorser)
}

/// The sample credential of `issuer` carrying `on_credential`, `on_achievement` and `on_issuer` as the
/// endorsements of each, signed.
fn endorsed(
    issuer: &SecretKey,
    on_credential: &[Value],
    on_achievement: &[Value],
    on_issuer: &[Value],
) -> Value {
    let mut c = sample(issuer);
    if !on_credential.is_empty() {
        c["endorsement"] = json!(on_credential);
    }
    if !on_achievement.is_empty() {
        c["credentialSubject"]["achievement"]["endorsement"] = json!(on_achievement);
    }
    if !on_issuer.is_empty() {
        c["issuer"]["endorsement"] = json!(on_issuer);
    }
    sign(&c, issuer)
}

/// The credential is not verified, the endorsements check failed saying `why`, with an OB3_ENDORSEMENT
/// finding, and no other check failed.
fn assert_refused(r: &obi_verify::VerifyReport, why: &str, case: &str) {
    assert!(!r.verified, "{case}: {:#?}", r.checks);
    assert_eq!(
        failed_checks(r),
        ["endorsements"],
        "{case}: {:#?}",
        r.checks
    );
    let d = failed(r, "endorsements").join(" | ");
    assert!(d.contains(why), "{case}: {d}");
    assert!(
        r.findings
            .iter()
            .any(|f| f.rule == "OB3_ENDORSEMENT" && f.message.contains(why)),
        "{case}"
    );
}

fn assert_counts(r: &obi_verify::VerifyReport, n: usize, case: &str) {
    assert!(r.verified, "{case}: {:#?}", r.checks);
    let c = r.checks.iter().find(|c| c.name == "endorsements").unwrap();
    assert_eq!(c.detail, format!("{n} endorsement(s) verified"), "{case}");
}

/// Control: an endorsement of the credential, of the achievement and of the issuer, each shown on what
/// it endorses, all count.
#[tokio::test]
async fn endorsements_of_what_they_are_shown_on_count() {
    let issuer = key();
    let endorser = key();
    let c = sample(&issuer);
    let (id, iss) = (
        c["id"].as_str().unwrap().to_owned(),
        c["issuer"]["id"].as_str().unwrap().to_owned(),
    );
    let doc = endorsed(
        &issuer,
        &[endorsement(&endorser, &id, |_| {})],
        &[endorsement(&endorser, ACHIEVEMENT, |_| {})],
        &[endorsement(&endorser, &iss, |_| {})],
    );
    let r = verify_with(&doc, &opts(), &obi_verify::OfflineFetch::new()).await;
    assert_counts(&r, 3, "each about its own target");
}

/// A genuine endorsement of another achievement (or of the issuer, or of another credential), copied onto
/// this one: about something else, so it does not count.
// peers: ob3-verify and ob3-py do not check embedded endorsements at all (README: "Not checked: …
// embedded endorsements").
#[tokio::test]
async fn a_genuine_endorsement_of_something_else_does_not_count() {
    let issuer = key();
    let endorser = key();
    let c = sample(&issuer);
    let iss = c["issuer"]["id"].as_str().unwrap().to_owned();
    let other = "https://northbridge.example.edu/achievements/intro-to-python";
    let r = verify_with(
        &endorsed(&issuer, &[], &[endorsement(&endorser, other, |_| {})], &[]),
        &opts(),
        &obi_verify::OfflineFetch::new(),
    )
    .await;
    assert_refused(
        &r,
        &format!("it endorses {other}, not the achievement"),
        "another achievement",
    );
    // The issuer's endorsement, shown on the credential.
    let r = verify_with(
        &endorsed(&issuer, &[endorsement(&endorser, &iss, |_| {})], &[], &[]),
        &opts(),
        &obi_verify::OfflineFetch::new(),
    )
    .await;
    assert_refused(&r, "not the credential", "the issuer's, on the credential");
    // The achievement's endorsement, shown on the issuer.
    let r = verify_with(
        &endorsed(
            &issuer,
            &[],
            &[],
            &[endorsement(&endorser, ACHIEVEMENT, |_| {})],
        ),
        &opts(),
        &obi_verify::OfflineFetch::new(),
    )
    .await;
    assert_refused(&r, "not the issuer", "the achievement's, on the issuer");
}

/// URLs compare after normalization: a subject id differing only in the case of its host is the same
/// achievement (counts); differing in the case of its path, another one (does not).
#[tokio::test]
async fn subject_ids_compare_as_urls() {
    let issuer = key();
    let endorser = key();
    let host = "https://NorthBridge.Example.EDU/achievements/rust-safe-concurrency";
    let r = verify_with(
        &endorsed(&issuer, &[], &[endorsement(&endorser, host, |_| {})], &[]),
        &opts(),
        &obi_verify::OfflineFetch::new(),
    )
    .await;
    assert_counts(&r, 1, "host in capitals");
    let path = "https://northbridge.example.edu/achievements/Rust-Safe-Concurrency";
    let r = verify_with(
        &endorsed(&issuer, &[], &[endorsement(&endorser, path, |_| {})], &[]),
        &opts(),
        &obi_verify::OfflineFetch::new(),
    )
    .await;
    assert_refused(&r, "not the achievement", "path in capitals");
}

/// An endorsement its endorser revoked (Bitstring Status List of the endorser, bit set) does not count;
/// the same endorsement with its bit clear does.
#[tokio::test]
async fn a_revoked_endorsement_does_not_count() {
    let site = Site::start();
    let issuer = key();
    let endorser = key();
    let url = site.put(
        "/endorser-list",
        list(
            &endorser,
            &site.url("/endorser-list"),
            json!("revocation"),
            encoded(MIN, &[(12, 1, 1)]),
            |_| {},
        ),
    );
    let with_entry = |index: u64| {
        endorsement(&endorser, ACHIEVEMENT, |e| {
            e["@context"]
                .as_array_mut()
                .unwrap()
                .push(json!("https://www.w3.org/ns/credentials/status/v1"));
            e["credentialStatus"] = entry(&url, "revocation", index);
        })
    };
    let r = verify_with(
        &endorsed(&issuer, &[], &[with_entry(11)], &[]),
        &opts(),
        &site.fetch,
    )
    .await;
    assert_counts(&r, 1, "bit clear");
    let r = verify_with(
        &endorsed(&issuer, &[], &[with_entry(12)], &[]),
        &opts(),
        &site.fetch,
    )
    .await;
    assert_refused(&r, "status: revoked by the issuer", "revoked");
    // Its status list unreachable: not checked, so it does not count either.
    site.put("/endorser-list", "gone");
    let r = verify_with(
        &endorsed(&issuer, &[], &[with_entry(11)], &[]),
        &opts(),
        &site.fetch,
    )
    .await;
    assert_refused(&r, "status: could not check", "list unreadable");
}

/// An expired endorsement, or one not yet valid, does not count.
#[tokio::test]
async fn an_endorsement_outside_its_validity_period_does_not_count() {
    let issuer = key();
    let endorser = key();
    for (case, edit) in [
        ("expired", json!({"validUntil": "2026-01-01T00:00:00Z"})),
        (
            "not yet valid",
            json!({"validFrom": "2027-01-01T00:00:00Z"}),
        ),
    ] {
        let e = endorsement(&endorser, ACHIEVEMENT, |e| {
            for (k, v) in edit.as_object().unwrap() {
                e[k] = v.clone();
            }
        });
        let r = verify_with(
            &endorsed(&issuer, &[], &[e], &[]),
            &opts(),
            &obi_verify::OfflineFetch::new(),
        )
        .await;
        assert!(!r.verified, "{case}");
        assert!(
            failed(&r, "endorsements")
                .join(" ")
                .contains("outside its validity period"),
            "{case}: {:#?}",
            r.checks
        );
    }
}

/// Not an EndorsementCredential, a proof by a key that is not the endorser's, an endorsementJwt that is
/// no VC-JWT: none counts.
#[tokio::test]
async fn an_endorsement_must_hold_as_a_credential() {
    let issuer = key();
    let endorser = key();
    let impostor = key();
    let untyped = endorsement(&endorser, ACHIEVEMENT, |e| {
        e["type"] = json!(["VerifiableCredential"]);
    });
    let r = verify_with(
        &endorsed(&issuer, &[], &[untyped], &[]),
        &opts(),
        &obi_verify::OfflineFetch::new(),
    )
    .await;
    // The OB 3.0 schema says so too.
    assert!(!r.verified);
    assert_eq!(
        failed_checks(&r),
        ["schema", "endorsements"],
        "{:#?}",
        r.checks
    );
    assert!(failed(&r, "endorsements")[0].contains("not an EndorsementCredential"));
    // Signed by the impostor, in the endorser's name.
    let mut forged = endorsement(&endorser, ACHIEVEMENT, |_| {});
    forged.as_object_mut().unwrap().remove("proof");
    let forged = sign(&forged, &impostor);
    let r = verify_with(
        &endorsed(&issuer, &[], &[forged], &[]),
        &opts(),
        &obi_verify::OfflineFetch::new(),
    )
    .await;
    assert!(!r.verified);
    assert_eq!(failed_checks(&r), ["endorsements"], "{:#?}", r.checks);
    let mut c = sample(&issuer);
    c["endorsementJwt"] = json!(["not.a.jwt"]);
    let r = verify_with(
        &sign(&c, &issuer),
        &opts(),
        &obi_verify::OfflineFetch::new(),
    )
    .await;
    assert_refused(&r, "not a VC-JWT", "garbage endorsementJwt");
}
