//! Class 9: Status lists read as the spec reads them (W3C Bitstring Status List v1.0): entries of `statusSize`
//! bits at `statusListIndex × statusSize`, the first bit the most significant bit of the first byte;
//! `statusPurpose` as given (`message` does not revoke; `statusMessage` maps values); the list
//! credential's own proof, issuer, type, purpose and validity period; anything unreadable is "could not
//! check", never "active". Also the shared helpers of classes 7–9 (`fan_out`, `endorsements`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use obi_sign::di::{self, ProofOptions, Suite};
use obi_sign::{KeyType, SecretKey};
use obi_testkit::server::{Reply, TestServer};
use obi_verify::{
    CheckStatus, FetchPolicy, HttpFetch, Input, StaticDns, VerifyOptions, VerifyReport,
};
use serde_json::{Value, json};

const DIR: &str = env!("CARGO_MANIFEST_DIR");

pub(super) fn opts() -> VerifyOptions {
    VerifyOptions::at("2026-11-28T00:00:00Z".parse().unwrap())
}

/// The peers' sample OpenBadgeCredential, issued by `key`'s did:key.
pub(super) fn sample(key: &SecretKey) -> Value {
    let mut c: Value = serde_json::from_str(&obi_testkit::shared_text(
        DIR,
        "peers/ob3-node/testdata/sample-ob3.json",
    ))
    .unwrap();
    c["issuer"]["id"] = json!(key.public().did_key().unwrap());
    c
}

/// A Data Integrity proof (eddsa-rdfc-2022) by `key`'s did:key.
pub(super) fn sign(doc: &Value, key: &SecretKey) -> Value {
    di::sign(
        doc,
        key,
        &ProofOptions {
            suite: Suite::EddsaRdfc2022,
            verification_method: key.public().did_key_vm().unwrap(),
            created: None,
        },
    )
    .unwrap()
}

pub(super) fn key() -> SecretKey {
    SecretKey::generate(KeyType::Ed25519).unwrap()
}

/// A loopback server serving documents put on it (404 otherwise; queries ignored), and a fetcher allowed to reach it.
pub(super) struct Site {
    pub(super) server: TestServer,
    pub(super) fetch: HttpFetch,
    docs: Arc<Mutex<HashMap<String, Vec<u8>>>>,
}

impl Site {
    pub(super) fn start() -> Site {
        let docs: Arc<Mutex<HashMap<String, Vec<u8>>>> = Arc::default();
        let d = docs.clone();
        let server = TestServer::start("127.0.0.1:0", move |path| {
            // The query is not part of the name: `/img.png?1` and `/img.png?2` are one document.
            let path = path.split('?').next().unwrap_or(path);
            match d.lock().unwrap().get(path) {
                Some(body) => Reply::ok("application/json", body.clone()),
                None => Reply::status(404),
            }
        })
        .unwrap();
        let mut policy = FetchPolicy::default();
        policy
            .dangerous()
            .allow_host("127.0.0.1", server.addr.port());
        let fetch = HttpFetch::with_resolver(policy, Arc::new(StaticDns::new())).unwrap();
        Site {
            server,
            fetch,
            docs,
        }
    }

    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base())
    }

    /// Serve `body` at `path`; its URL.
    pub(super) fn put(&self, path: &str, body: impl Into<Vec<u8>>) -> String {
        self.docs
            .lock()
            .unwrap()
            .insert(path.to_owned(), body.into());
        self.url(path)
    }
}

pub(super) async fn verify_with<F: obi_verify::Fetch>(
    doc: &Value,
    opts: &VerifyOptions,
    fetch: &F,
) -> VerifyReport {
    let bytes = doc.to_string();
    obi_verify::verify(
        Input::Bytes {
            name: "c.json",
            bytes: bytes.as_bytes(),
        },
        opts,
        fetch,
    )
    .await
    .unwrap()
}

/// The details of the failed checks called `name`.
pub(super) fn failed(r: &VerifyReport, name: &str) -> Vec<String> {
    r.checks
        .iter()
        .filter(|c| c.name == name && c.status == CheckStatus::Failed)
        .map(|c| c.detail.clone())
        .collect()
}

/// The names of all failed checks.
pub(super) fn failed_checks(r: &VerifyReport) -> Vec<&'static str> {
    r.checks
        .iter()
        .filter(|c| c.status == CheckStatus::Failed)
        .map(|c| c.name)
        .collect()
}

/// An `encodedList` of `bytes` bytes with the entries `(index, size, value)` set.
pub(super) fn encoded(bytes: usize, entries: &[(u64, u32, u64)]) -> String {
    let mut bits = vec![0u8; bytes];
    for (i, size, v) in entries {
        assert!(obi_core::status::set_entry(&mut bits, *i, *size, *v));
    }
    obi_core::status::encode(&bits).unwrap()
}

/// The minimum list length in bytes.
pub(super) const MIN: usize = obi_core::status::MIN_BITS / 8;

/// A BitstringStatusListCredential by `key` (signed), for `purpose` (a string or an array), with
/// `encoded_list`; `edit` changes it before signing.
pub(super) fn list(
    key: &SecretKey,
    url: &str,
    purpose: Value,
    encoded_list: String,
    edit: impl FnOnce(&mut Value),
) -> String {
    let mut l = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": key.public().did_key().unwrap(), "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": format!("{url}#list"), "type": "BitstringStatusList",
            "statusPurpose": purpose, "encodedList": encoded_list}
    });
    edit(&mut l);
    sign(&l, key).to_string()
}

/// [`list`], signed with eddsa-jcs-2022, which does not expand the list (so a list that is not in
/// compacted form can carry a valid signature).
pub(super) fn list_jcs(
    key: &SecretKey,
    url: &str,
    purpose: Value,
    encoded_list: String,
    edit: impl FnOnce(&mut Value),
) -> String {
    let l: Value = serde_json::from_str(&list(key, url, purpose, encoded_list, |_| {})).unwrap();
    let mut l = l;
    l.as_object_mut().unwrap().remove("proof");
    edit(&mut l);
    di::sign(
        &l,
        key,
        &ProofOptions {
            suite: Suite::EddsaJcs2022,
            verification_method: key.public().did_key_vm().unwrap(),
            created: None,
        },
    )
    .unwrap()
    .to_string()
}

/// A BitstringStatusListEntry.
pub(super) fn entry(list_url: &str, purpose: &str, index: u64) -> Value {
    json!({"id": format!("{list_url}#{index}"), "type": "BitstringStatusListEntry",
        "statusPurpose": purpose, "statusListIndex": index.to_string(), "statusListCredential": list_url})
}

/// The sample credential of `key` with `status` as its credentialStatus, signed.
pub(super) fn with_status(key: &SecretKey, status: Value) -> Value {
    let mut c = sample(key);
    c["@context"]
        .as_array_mut()
        .unwrap()
        .push(json!("https://www.w3.org/ns/credentials/status/v1"));
    c["credentialStatus"] = status;
    sign(&c, key)
}

/// Verified and active.
fn assert_active(r: &VerifyReport, case: &str) {
    assert!(r.verified, "{case}: {:#?}", r.checks);
    assert_eq!(r.display.status.as_deref(), Some("active"), "{case}");
}

/// Not verified: the status check failed with "could not check" and `why`, and the display says unknown.
fn assert_unchecked(r: &VerifyReport, why: &str, case: &str) {
    assert!(!r.verified, "{case}: {:#?}", r.checks);
    assert_eq!(failed_checks(r), ["status"], "{case}: {:#?}", r.checks);
    let d = failed(r, "status").join(" | ");
    assert!(
        d.contains("could not check") && d.contains(why),
        "{case}: {d}"
    );
    assert_eq!(r.display.status.as_deref(), Some("unknown"), "{case}");
    assert!(
        r.findings.iter().any(|f| f.rule == "OB3_STATUS_UNCHECKED"),
        "{case}"
    );
}

/// Not verified: revoked (or suspended) by the status check.
fn assert_state(r: &VerifyReport, state: &str, case: &str) {
    assert!(!r.verified, "{case}: {:#?}", r.checks);
    assert_eq!(failed_checks(r), ["status"], "{case}: {:#?}", r.checks);
    assert_eq!(r.display.status.as_deref(), Some(state), "{case}");
    assert!(failed(r, "status")[0].starts_with(state), "{case}");
}

/// Bit order: entry 0 is the most significant bit of the first byte. A reader taking the least
/// significant bit first sees entry 0 set in a list where only entry 7 is.
#[tokio::test]
async fn the_first_bit_is_the_most_significant() {
    let site = Site::start();
    let issuer = key();
    let url = site.put(
        "/list",
        list(
            &issuer,
            &site.url("/list"),
            json!("revocation"),
            encoded(MIN, &[(7, 1, 1)]),
            |_| {},
        ),
    );
    // Control: entry 0 (the bit an LSB-first reader would take for entry 7's) is not set.
    let r = verify_with(
        &with_status(&issuer, entry(&url, "revocation", 0)),
        &opts(),
        &site.fetch,
    )
    .await;
    assert_active(&r, "entry 0");
    let r = verify_with(
        &with_status(&issuer, entry(&url, "revocation", 7)),
        &opts(),
        &site.fetch,
    )
    .await;
    assert_state(&r, "revoked", "entry 7");
    assert!(r.findings.iter().any(|f| f.rule == "OB3_REVOKED"));
}

/// statusSize 2: entry 3 is bits 6 and 7. A reader ignoring statusSize reads bit 3 (clear here) and says
/// "active"; the list says 0b10 there.
#[tokio::test]
async fn entries_of_status_size_bits() {
    let site = Site::start();
    let issuer = key();
    let url = site.put(
        "/list",
        list(
            &issuer,
            &site.url("/list"),
            json!("revocation"),
            encoded(MIN, &[(3, 2, 0b10), (1, 1, 1)]),
            |_| {},
        ),
    );
    let messages = json!([{"status": "0x0", "message": "valid"}, {"status": "0x1", "message": "revoked: error"},
        {"status": "0x2", "message": "revoked: misconduct"}, {"status": "0x3", "message": "revoked: other"}]);
    let sized = |index: u64| {
        let mut e = entry(&url, "revocation", index);
        e["statusSize"] = json!(2);
        e["statusMessage"] = messages.clone();
        e
    };
    // Control: entry 2 of 2-bit entries (bits 4, 5) is 0; bit 2 (a one-bit reader's entry 2) is clear too.
    let r = verify_with(&with_status(&issuer, sized(2)), &opts(), &site.fetch).await;
    assert_active(&r, "2-bit entry 2");
    let r = verify_with(&with_status(&issuer, sized(3)), &opts(), &site.fetch).await;
    assert_state(&r, "revoked", "2-bit entry 3");
    assert!(
        failed(&r, "status")[0].contains("misconduct"),
        "{:?}",
        failed(&r, "status")
    );
    // Entry 0 of 2-bit entries is bits 0 and 1: bit 1 set gives the value 1.
    let r = verify_with(&with_status(&issuer, sized(0)), &opts(), &site.fetch).await;
    assert_state(&r, "revoked", "2-bit entry 0");
    assert!(failed(&r, "status")[0].contains("revoked: error"));
    // statusSize above 1 without statusMessage: the spec requires one; could not check.
    let mut bare = sized(3);
    bare.as_object_mut().unwrap().remove("statusMessage");
    let r = verify_with(&with_status(&issuer, bare), &opts(), &site.fetch).await;
    assert_unchecked(&r, "no statusMessage", "statusSize 2 without statusMessage");
}

/// A `message` entry does not revoke: its message (mapped through statusMessage) is reported and the badge
/// verifies, whatever the value.
#[tokio::test]
async fn a_message_is_not_a_revocation() {
    let site = Site::start();
    let issuer = key();
    let url = site.put(
        "/messages",
        list(
            &issuer,
            &site.url("/messages"),
            json!("message"),
            encoded(MIN, &[(5, 2, 0b01)]),
            |_| {},
        ),
    );
    let mut e = entry(&url, "message", 5);
    e["statusSize"] = json!(2);
    e["statusMessage"] = json!([{"status": "0x0", "message": "pending review"}, {"status": "0x1", "message": "accepted"},
        {"status": "0x2", "message": "rejected"}, {"status": "0x3", "message": "undefined"}]);
    let r = verify_with(&with_status(&issuer, e), &opts(), &site.fetch).await;
    assert_active(&r, "message");
    let status = r.checks.iter().find(|c| c.name == "status").unwrap();
    assert!(status.detail.contains("accepted"), "{}", status.detail);
    let note = r
        .findings
        .iter()
        .find(|f| f.rule == "OB3_STATUS_MESSAGE")
        .unwrap();
    assert_eq!(note.severity, obi_core::Severity::Info);
    assert!(note.message.contains("accepted"));
}

/// The list credential's validity period: a list past its validUntil, or before its validFrom, is not a
/// list to read.
#[tokio::test]
async fn the_lists_validity_period_is_honoured() {
    let site = Site::start();
    let issuer = key();
    for (path, from, until, why) in [
        (
            "/current",
            "2025-01-01T00:00:00Z",
            Some("2027-01-01T00:00:00Z"),
            None,
        ),
        (
            "/expired",
            "2025-01-01T00:00:00Z",
            Some("2026-01-01T00:00:00Z"),
            Some("expired"),
        ),
        (
            "/future",
            "2027-01-01T00:00:00Z",
            None,
            Some("not valid before"),
        ),
    ] {
        let url = site.put(
            path,
            list(
                &issuer,
                &site.url(path),
                json!("revocation"),
                encoded(MIN, &[]),
                |l| {
                    l["validFrom"] = json!(from);
                    if let Some(u) = until {
                        l["validUntil"] = json!(u);
                    }
                },
            ),
        );
        let r = verify_with(
            &with_status(&issuer, entry(&url, "revocation", 1)),
            &opts(),
            &site.fetch,
        )
        .await;
        match why {
            None => assert_active(&r, path),
            Some(why) => assert_unchecked(&r, why, path),
        }
    }
}

/// The list must be the issuer's, a BitstringStatusList, for the entry's purpose (one or many).
#[tokio::test]
async fn the_list_must_be_the_issuers_and_for_this_purpose() {
    let site = Site::start();
    let issuer = key();
    let stranger = key();
    let both = site.put(
        "/both",
        list(
            &issuer,
            &site.url("/both"),
            json!(["revocation", "suspension"]),
            encoded(MIN, &[(4, 1, 1)]),
            |_| {},
        ),
    );
    // Control: a list for both purposes, read for either.
    let r = verify_with(
        &with_status(&issuer, entry(&both, "suspension", 3)),
        &opts(),
        &site.fetch,
    )
    .await;
    assert_active(&r, "both, suspension");
    let r = verify_with(
        &with_status(&issuer, entry(&both, "suspension", 4)),
        &opts(),
        &site.fetch,
    )
    .await;
    assert_state(&r, "suspended", "both, suspension, set");
    let cases = [
        // A genuine list of another issuer, signed by it: says nothing about this credential.
        (
            list(
                &stranger,
                &site.url("/x"),
                json!("revocation"),
                encoded(MIN, &[]),
                |_| {},
            ),
            "revocation",
            "not by the credential's issuer",
        ),
        (
            list(
                &issuer,
                &site.url("/x"),
                json!("revocation"),
                encoded(MIN, &[]),
                |_| {},
            ),
            "suspension",
            "the list is for revocation, the entry for suspension",
        ),
        (
            // Another subject type (with a vocabulary for the list's terms, which only the
            // BitstringStatusList type defines): refused, as a list not in compacted form.
            list_jcs(
                &issuer,
                &site.url("/x"),
                json!("revocation"),
                encoded(MIN, &[]),
                |l| {
                    l["@context"] = json!(["https://www.w3.org/ns/credentials/v2", {"@vocab": "https://example.org/vocab#"}]);
                    l["credentialSubject"]["type"] = json!("OtherList");
                },
            ),
            "revocation",
            "not in compacted JSON-LD form",
        ),
        (
            list(
                &issuer,
                &site.url("/x"),
                json!("revocation"),
                encoded(MIN, &[]),
                |l| {
                    l["credentialSubject"]
                        .as_object_mut()
                        .unwrap()
                        .remove("statusPurpose");
                },
            ),
            "revocation",
            "no statusPurpose",
        ),
        (
            list(
                &issuer,
                &site.url("/x"),
                json!("revocation"),
                encoded(MIN, &[]),
                |l| {
                    l["type"] = json!(["VerifiableCredential"]);
                },
            ),
            "revocation",
            "not a BitstringStatusListCredential",
        ),
    ];
    for (i, (body, purpose, why)) in cases.into_iter().enumerate() {
        let path = format!("/case{i}");
        let url = site.put(&path, body);
        let r = verify_with(
            &with_status(&issuer, entry(&url, purpose, 3)),
            &opts(),
            &site.fetch,
        )
        .await;
        assert_unchecked(&r, why, why);
    }
    // A list whose proof no longer holds (edited after signing: the set bit cleared).
    let mut edited: Value = serde_json::from_str(&list(
        &issuer,
        &site.url("/edited"),
        json!("revocation"),
        encoded(MIN, &[(2, 1, 1)]),
        |_| {},
    ))
    .unwrap();
    edited["credentialSubject"]["encodedList"] = json!(encoded(MIN, &[]));
    let url = site.put("/edited", edited.to_string());
    let r = verify_with(
        &with_status(&issuer, entry(&url, "revocation", 2)),
        &opts(),
        &site.fetch,
    )
    .await;
    assert_unchecked(&r, "proof does not hold", "edited list");
}

/// Entries that cannot be read are "could not check", never "active".
#[tokio::test]
async fn an_unreadable_entry_is_never_active() {
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
    let short = site.put(
        "/short",
        list(
            &issuer,
            &site.url("/short"),
            json!("revocation"),
            encoded(1024, &[]),
            |_| {},
        ),
    );
    // Control: the same list, an index inside it.
    let r = verify_with(
        &with_status(&issuer, entry(&url, "revocation", 131_071)),
        &opts(),
        &site.fetch,
    )
    .await;
    assert_active(&r, "last entry");
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut e = entry(&url, "revocation", 3);
        f(&mut e);
        e
    };
    let cases: Vec<(Value, &str)> = vec![
        (entry(&url, "revocation", 131_072), "past the end"),
        (entry(&short, "revocation", 3), "shorter than the 131072"),
        (
            edit(&|e| {
                e.as_object_mut().unwrap().remove("statusListIndex");
            }),
            "no statusListIndex",
        ),
        (
            edit(&|e| e["statusListIndex"] = json!("+3")),
            "not a non-negative integer",
        ),
        (
            edit(&|e| e["statusListIndex"] = json!("3.0")),
            "not a non-negative integer",
        ),
        (
            edit(&|e| e["statusListIndex"] = json!(-3)),
            "not a non-negative integer",
        ),
        (
            edit(&|e| {
                e.as_object_mut().unwrap().remove("statusPurpose");
            }),
            "no statusPurpose",
        ),
        (
            edit(&|e| e["statusPurpose"] = json!("revoked")),
            "none of revocation",
        ),
        (edit(&|e| e["statusSize"] = json!(0)), "statusSize 0"),
        (
            edit(&|e| e["statusListCredential"] = json!(site.url("/missing"))),
            "HTTP 404",
        ),
        (
            json!({"id": "urn:x", "type": "https://example.org/vocab#OtherStatus"}),
            "not supported",
        ),
    ];
    for (e, why) in cases {
        let r = verify_with(&with_status(&issuer, e), &opts(), &site.fetch).await;
        assert_unchecked(&r, why, why);
    }
}

/// `credentialStatus` as an array (VC 2.0 allows it): every entry is checked, not only the first. OB 3.0
/// allows at most one, so such a credential fails the schema check anyway; the control here is the status
/// check passing, the only other failure being the schema's.
#[tokio::test]
async fn every_entry_of_an_array_is_checked() {
    let site = Site::start();
    let issuer = key();
    let rev = site.put(
        "/rev",
        list(
            &issuer,
            &site.url("/rev"),
            json!("revocation"),
            encoded(MIN, &[(9, 1, 1)]),
            |_| {},
        ),
    );
    let sus = site.put(
        "/sus",
        list(
            &issuer,
            &site.url("/sus"),
            json!("suspension"),
            encoded(MIN, &[]),
            |_| {},
        ),
    );
    let status_of = |r: &VerifyReport| {
        r.checks
            .iter()
            .filter(|c| c.name == "status")
            .map(|c| (c.status, c.detail.clone()))
            .collect::<Vec<_>>()
    };
    // Control: two entries, both clear.
    let both = json!([entry(&sus, "suspension", 9), entry(&rev, "revocation", 8)]);
    let r = verify_with(&with_status(&issuer, both), &opts(), &site.fetch).await;
    assert_eq!(failed_checks(&r), ["schema"], "{:#?}", r.checks);
    assert_eq!(status_of(&r)[0].0, CheckStatus::Passed);
    assert_eq!(r.display.status.as_deref(), Some("active"));
    let second_revoked = json!([entry(&sus, "suspension", 9), entry(&rev, "revocation", 9)]);
    let r = verify_with(&with_status(&issuer, second_revoked), &opts(), &site.fetch).await;
    assert!(!r.verified);
    assert_eq!(failed_checks(&r), ["schema", "status"], "{:#?}", r.checks);
    assert!(
        status_of(&r)[0].1.starts_with("revoked"),
        "{:?}",
        status_of(&r)
    );
    assert_eq!(r.display.status.as_deref(), Some("revoked"));
    let second_unreadable = json!([
        entry(&sus, "suspension", 9),
        entry(&site.url("/gone"), "revocation", 9)
    ]);
    let r = verify_with(
        &with_status(&issuer, second_unreadable),
        &opts(),
        &site.fetch,
    )
    .await;
    assert_eq!(failed_checks(&r), ["schema", "status"], "{:#?}", r.checks);
    assert!(
        status_of(&r)[0].1.contains("could not check"),
        "{:?}",
        status_of(&r)
    );
    assert_eq!(r.display.status.as_deref(), Some("unknown"));
}

/// 1EdTechRevocationList: the credential's id is looked up as its scheme compares (urn:uuid ignores
/// case), so an upper-case spelling in the list still revokes.
#[tokio::test]
async fn revocation_list_ids_compare_as_their_schemes_say() {
    let site = Site::start();
    let issuer = key();
    let c = sample(&issuer);
    let id = c["id"].as_str().unwrap().to_owned();
    let status = |path: &str| json!({"id": site.url(path), "type": "1EdTechRevocationList"});
    site.put(
        "/other",
        json!({"revokedCredentials": ["urn:uuid:00000000-0000-4000-8000-000000000000"]})
            .to_string(),
    );
    site.put("/upper", json!({"revokedCredentials": [{"id": id.to_uppercase(), "revocationReason": "awarded in error"}]}).to_string());
    let signed = |path: &str| {
        let mut c = sample(&issuer);
        c["credentialStatus"] = status(path);
        sign(&c, &issuer)
    };
    let r = verify_with(&signed("/other"), &opts(), &site.fetch).await;
    assert_active(&r, "another id listed");
    let r = verify_with(&signed("/upper"), &opts(), &site.fetch).await;
    assert_state(&r, "revoked", "the id in upper case");
    assert!(failed(&r, "status")[0].contains("awarded in error"));
}
