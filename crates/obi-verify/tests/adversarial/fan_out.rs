//! Class 7: Bounded fan-out: one verification makes at most `VerifyOptions::max_requests` (32 by default)
//! outgoing requests in all — controller documents, endorsements, images, status lists, references. The
//! step that hits the bound fails with a VERIFY_REQUEST_LIMIT finding, so the badge is not verified. Once,
//! a badge with 300 endorsements or 2,000 image URLs made that many requests.

use obi_sign::SecretKey;
use obi_sign::vcjwt::{self, HeaderKey};
use obi_verify::{CheckStatus, VerifyReport};
use serde_json::{Value, json};

use super::status_lists::{
    MIN, Site, encoded, entry, failed, failed_checks, key, list, opts, sample, sign, verify_with,
};

const ACHIEVEMENT: &str = "https://northbridge.example.edu/achievements/rust-safe-concurrency";

/// The bound hit: not verified, `check` failed naming the bound, a VERIFY_REQUEST_LIMIT finding, and no
/// more than `limit` requests at the server.
fn assert_bounded(r: &VerifyReport, check: &str, requests: usize, limit: usize) {
    assert!(!r.verified, "{:#?}", r.checks);
    assert!(requests <= limit, "{requests} requests, bound {limit}");
    let d = failed(r, check).join(" | ");
    assert!(
        d.contains(&format!("more requests than the {limit}")),
        "{check}: {d} / {:#?}",
        r.checks
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "VERIFY_REQUEST_LIMIT")
        .expect("a VERIFY_REQUEST_LIMIT finding");
    assert!(f.hint.contains("VerifyOptions::max_requests"), "{}", f.hint);
}

/// An endorsement of the achievement by `endorser` as a VC-JWT, with a status entry on `list_url`.
fn jwt_endorsement(endorser: &SecretKey, list_url: &str) -> String {
    let e = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            "https://www.w3.org/ns/credentials/status/v1"],
        "id": "urn:uuid:0b5f8c2e-3c1d-4e8a-9f6b-7a2d1e0c9b8a",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "issuer": {"id": endorser.public().did_key().unwrap(), "type": ["Profile"], "name": "Board"},
        "validFrom": "2025-01-01T00:00:00Z",
        "name": "Endorsement",
        "credentialSubject": {"id": ACHIEVEMENT, "type": ["EndorsementSubject"]},
        "credentialStatus": entry(list_url, "revocation", 1)
    });
    vcjwt::sign(
        &e,
        endorser,
        HeaderKey::Kid(endorser.public().did_key_vm().unwrap()),
    )
    .unwrap()
}

/// 300 endorsements, each with a status list to fetch: at most 32 requests, and the endorsements check
/// fails. Control: 3 of them verify, with 3 requests.
#[tokio::test]
async fn three_hundred_endorsements() {
    let site = Site::start();
    let issuer = key();
    let endorser = key();
    let url = site.put(
        "/list",
        list(
            &endorser,
            &site.url("/list"),
            json!("revocation"),
            encoded(MIN, &[]),
            |_| {},
        ),
    );
    let token = jwt_endorsement(&endorser, &url);
    let badge = |n: usize| {
        let mut c = sample(&issuer);
        c["credentialSubject"]["achievement"]["endorsementJwt"] = json!(vec![token.clone(); n]);
        sign(&c, &issuer)
    };
    let r = verify_with(&badge(3), &opts(), &site.fetch).await;
    assert!(r.verified, "{:#?}", r.checks);
    assert_eq!(site.server.requests(), 3);

    let before = site.server.requests();
    let r = verify_with(&badge(300), &opts(), &site.fetch).await;
    let made = site.server.requests() - before;
    assert_bounded(&r, "endorsements", made, 32);
    let mut names = failed_checks(&r);
    names.dedup();
    assert_eq!(names, ["endorsements"], "{:#?}", r.checks);
    assert!(
        failed(&r, "endorsements")
            .iter()
            .any(|d| d.contains("not checked")),
        "{:?}",
        failed(&r, "endorsements")
    );

    // The bound is the library's option: 40 endorsements pass the default bound, not a raised one.
    let r = verify_with(&badge(40), &opts(), &site.fetch).await;
    assert!(!r.verified);
    let before = site.server.requests();
    let r = verify_with(&badge(40), &opts().max_requests(40), &site.fetch).await;
    assert!(r.verified, "{:#?}", r.checks);
    assert_eq!(site.server.requests() - before, 40);
}

/// Many status entries: each one is a request; the bound stops them, and the status check fails rather
/// than passing on the entries it read. (OB 3.0 allows one credentialStatus, so the schema check fails
/// too; the control's only failure is the schema's.)
#[tokio::test]
async fn many_status_entries() {
    let site = Site::start();
    let issuer = key();
    let url = site.put(
        "/list",
        list(
            &issuer,
            &site.url("/list"),
            json!("revocation"),
            encoded(MIN, &[]),
            |_| {},
        ),
    );
    let badge = |n: u64| {
        let mut c = sample(&issuer);
        c["@context"]
            .as_array_mut()
            .unwrap()
            .push(json!("https://www.w3.org/ns/credentials/status/v1"));
        c["credentialStatus"] =
            Value::Array((0..n).map(|i| entry(&url, "revocation", i)).collect());
        sign(&c, &issuer)
    };
    let r = verify_with(&badge(3), &opts(), &site.fetch).await;
    assert_eq!(failed_checks(&r), ["schema"], "{:#?}", r.checks);
    assert_eq!(site.server.requests(), 3);

    let before = site.server.requests();
    let r = verify_with(&badge(100), &opts(), &site.fetch).await;
    assert_bounded(&r, "status", site.server.requests() - before, 32);
    assert!(
        !r.checks
            .iter()
            .any(|c| c.name == "status" && c.status == CheckStatus::Passed)
    );
    assert_eq!(r.display.status.as_deref(), Some("unknown"));

    // A smaller bound stops the control too.
    let before = site.server.requests();
    let r = verify_with(&badge(3), &opts().max_requests(2), &site.fetch).await;
    assert_bounded(&r, "status", site.server.requests() - before, 2);
}

/// The bound covers the refresh step too: a refresh that cannot be fetched for the bound fails the
/// refresh check (rather than verifying the credential as presented).
#[tokio::test]
async fn refresh_past_the_bound_fails() {
    let site = Site::start();
    let issuer = key();
    let mut c = sample(&issuer);
    c["refreshService"] = json!({"id": site.url("/fresh"), "type": "1EdTechCredentialRefresh"});
    let doc = sign(&c, &issuer);
    // Control: the refresh answers 404, and the credential is verified as presented.
    let r = verify_with(&doc, &opts(), &site.fetch).await;
    assert!(r.verified, "{:#?}", r.checks);
    let r = verify_with(&doc, &opts().max_requests(0), &site.fetch).await;
    assert_bounded(&r, "refresh", 0, 0);
    assert_eq!(failed_checks(&r), ["refresh"], "{:#?}", r.checks);
}

/// A hosted OB 2.0 assertion on `site` whose badge class carries `n` embedded endorsements, each with its
/// endorser's image URL (all different): the crawl checks every image it finds.
fn ob2_badge(site: &Site, n: usize) -> String {
    const V2: &str = "https://w3id.org/openbadges/v2";
    let (a, b, i) = (
        site.url("/assertion"),
        site.url("/badge"),
        site.url("/issuer"),
    );
    site.put("/img.png", obi_bake::png::tests_support::tiny_png());
    let endorsements: Vec<Value> = (0..n)
        .map(|k| {
            json!({"type": "Endorsement", "id": format!("urn:uuid:00000000-0000-4000-8000-{k:012}"),
                "claim": {"id": b, "endorsementComment": "good"},
                "issuer": {"id": i, "type": "Profile", "name": "Endorser",
                    "image": site.url(&format!("/img.png?{k}"))},
                "issuedOn": "2025-01-01T00:00:00Z", "verification": {"type": "hosted"}})
        })
        .collect();
    site.put(
        "/assertion",
        json!({"@context": V2, "type": "Assertion", "id": a,
        "recipient": {"type": "email", "hashed": false, "identity": "ada@example.org"},
        "badge": b, "verification": {"type": "hosted"}, "issuedOn": "2025-01-01T00:00:00Z"})
        .to_string(),
    );
    site.put(
        "/badge",
        json!({"@context": V2, "type": "BadgeClass", "id": b, "name": "Rust",
        "description": "Safe concurrency", "image": site.url("/img.png"),
        "criteria": {"narrative": "Pass the capstone."}, "issuer": i, "endorsement": endorsements})
        .to_string(),
    );
    site.put(
        "/issuer",
        json!({"@context": V2, "type": "Profile", "id": i, "name": "Northbridge",
        "url": "https://northbridge.example.edu", "email": "badges@northbridge.example.edu"})
        .to_string(),
    );
    a
}

/// OB 2.0, 2,000 image URLs: at most 32 requests, and the crawl fails (not a warning). Control: the same
/// badge with 2 of them verifies.
#[tokio::test]
async fn two_thousand_image_urls() {
    let site = Site::start();
    let url = ob2_badge(&site, 2);
    let r = obi_verify::verify(obi_verify::Input::Url(&url), &opts(), &site.fetch)
        .await
        .unwrap();
    assert!(r.verified, "{:#?}", r.checks);
    let before = site.server.requests();
    let url = ob2_badge(&site, 2_000);
    let r = obi_verify::verify(obi_verify::Input::Url(&url), &opts(), &site.fetch)
        .await
        .unwrap();
    assert_bounded(&r, "references", site.server.requests() - before, 32);
    assert!(
        failed(&r, "images").join(" ").contains("image URL(s)"),
        "{:#?}",
        r.checks
    );
}
