//! OB 3.0 verification on the 1EdTech validator's fixtures (offline: their issuers and lists live on
//! public hosts, so the controller documents are given, made the way `ob3-validator-fixtures` makes them:
//! the key is the URL fragment — an assumption the signatures verifying confirms), on credentials signed
//! and baked by the peers, and with status lists served on loopback.

use std::path::PathBuf;
use std::sync::Arc;

use obi_sign::di::{self, ProofOptions, Suite};
use obi_sign::{KeyType, SecretKey};
use obi_testkit::server::{Reply, TestServer};
use obi_verify::{
    CheckStatus, FetchPolicy, HttpFetch, Input, OfflineFetch, StaticDns, VerifyOptions,
    VerifyReport,
};
use serde_json::{Value, json};

const DIR: &str = env!("CARGO_MANIFEST_DIR");

fn opts() -> VerifyOptions {
    VerifyOptions::at("2026-11-28T00:00:00Z".parse().unwrap())
}

fn fixture_path(name: &str) -> PathBuf {
    obi_testkit::shared(DIR, &format!("spec/ob3/validator-fixtures/ob30/{name}"))
}

/// Controller documents for every `https://…#z6Mk…` / `did:web:…#z6Mk…` method in `doc`, keyed by URL.
fn made_up_controllers(doc: &Value, f: OfflineFetch) -> OfflineFetch {
    obi_testkit::made_up_controllers(doc)
        .into_iter()
        .fold(f, |f, (controller, cdoc)| {
            let url = match controller.strip_prefix("did:web:") {
                Some(rest) => obi_verify::did_web_url(rest).unwrap(),
                None if controller.starts_with("http") => controller.clone(),
                None => return f,
            };
            f.with(&url, cdoc.to_string().into_bytes())
        })
}

async fn verify_fixture(
    name: &str,
    extra: impl FnOnce(OfflineFetch) -> OfflineFetch,
) -> VerifyReport {
    let bytes = std::fs::read(fixture_path(name)).unwrap();
    let mut fetch = OfflineFetch::new();
    let text = match obi_bake::extract(&bytes) {
        Ok(Some(baked)) => baked.text.into_bytes(),
        _ => bytes.clone(),
    };
    if let Ok(doc) = serde_json::from_slice::<Value>(&text) {
        fetch = made_up_controllers(&doc, fetch);
    }
    let fetch = extra(fetch);
    obi_verify::verify(
        Input::Bytes {
            name,
            bytes: &bytes,
        },
        &opts(),
        &fetch,
    )
    .await
    .unwrap()
}

async fn verify_bytes<F: obi_verify::Fetch>(name: &str, bytes: &[u8], fetch: &F) -> VerifyReport {
    obi_verify::verify(Input::Bytes { name, bytes }, &opts(), fetch)
        .await
        .unwrap()
}

fn failed(r: &VerifyReport) -> Vec<&'static str> {
    r.checks
        .iter()
        .filter(|c| c.status == CheckStatus::Failed)
        .map(|c| c.name)
        .collect()
}

/// (fixture, verified, the failed checks) with the reason where obi differs from 1EdTech's expectation.
#[tokio::test]
async fn validator_fixtures_offline() {
    let cases: &[(&str, bool, &[&str])] = &[
        ("simple.json", true, &[]),
        ("simple-context-alias.json", true, &[]),
        ("simple-context-version.json", true, &[]),
        ("simple-did-web-method.json", true, &[]),
        ("simple_v1.json", true, &[]),
        // Draft name of eddsa-rdfc-2022: valid with a warning for 1EdTech; both peers refuse it.
        ("simple-eddsa-2022.json", true, &[]),
        ("simple-json.png", true, &[]),
        ("simple-json.svg", true, &[]),
        // 1EdTech: valid. obi: the key is only in the token's header; the issuer does not publish it, so
        // anyone could have made it (tests/jwt_keys.rs: verified once the issuer publishes the key).
        ("simple-jwt.png", false, &["proof"]),
        ("simple-jwt.svg", false, &["proof"]),
        ("simple-jwt_v1.png", false, &["proof"]),
        ("simple-jwt_v1.svg", false, &["proof"]),
        ("endorsement-valid.json", true, &[]),
        // 1EdTech: valid. obi: a bare did:key for a urn:uuid issuer binds no key to the issuer.
        ("simple-did-key-method.json", false, &["proof"]),
        ("simple-multiple-proofs.json", false, &["schema"]),
        ("simple-noproof.json", false, &["schema", "proof"]),
        ("simple-err-proof-value.json", false, &["proof"]),
        ("simple-err-proof-method.json", false, &["proof"]),
        (
            "simple-err-proof-method-no-scheme.json",
            false,
            &["schema", "proof"],
        ),
        (
            "simple-err-proof-method-unknown-did-method.json",
            false,
            &["proof"],
        ),
        (
            "simple-err-proof-method-unknown-scheme.json",
            false,
            &["proof"],
        ),
        ("simple-err-expired.json", false, &["validity"]),
        // An undefined type also breaks the proof: safe-mode canonicalization refuses it, as the peers do.
        ("simple-err-type.json", false, &["schema", "proof"]),
        ("simple-err-context.json", false, &["schema", "proof"]),
        ("simple-err-issuer-type.json", false, &["schema", "proof"]),
        // A selectively disclosed credential (ecdsa-sd-2023 derived proof, P-256).
        ("sd/derivedcredential.json", true, &[]),
        // did:velocity cannot be resolved; its revocation list type is not a standard one.
        // The Velocity context is not one obi carries: the proof step, which reads a signed credential as
        // JSON-LD in compacted form, cannot (before: the schema step did).
        ("velocity.jwt", false, &["proof", "status"]),
        // Neither kid nor jwk: no key to check the signature with.
        ("simple.jwt", false, &["schema", "proof"]),
        ("simple.1ob", true, &[]),
        // 1EdTech: invalid (its schema test trips on an inline schema reference). obi: conforms, proof
        // good; its 1EdTechRevocationList lives on a public host (not given here), and its endorsement
        // names the cryptosuite "eddsa-rdf-2022", which does not exist.
        ("complete.json", false, &["status", "endorsements"]),
        // VC 1.1 era: identityType values the 3.0 schema does not list, an https key without its
        // controller document, expired in 2020.
        (
            "complete_v1.json",
            false,
            &["schema", "proof", "status", "validity", "endorsements"],
        ),
        // Edited after signing (the errors were put in afterwards): the signature no longer matches.
        (
            "endorsement-err-schema-status-refresh.json",
            false,
            &["proof", "status"],
        ),
        // Each has a type the contexts do not define: a schema error, and safe-mode canonicalization
        // refuses to sign or verify what it would have to drop.
        (
            "simple-err-credential-subject-achievement-result-description-type.json",
            false,
            &["schema", "proof"],
        ),
        (
            "simple-err-credential-subject-identifier-type.json",
            false,
            &["schema", "proof"],
        ),
        (
            "simple-err-credential-subject-profile-type.json",
            false,
            &["schema", "proof"],
        ),
        (
            "simple-err-credential-subject-result-type.json",
            false,
            &["schema", "proof"],
        ),
        (
            "simple-err-credential-subject-type.json",
            false,
            &["schema", "proof"],
        ),
        ("simple-err-evidence-type.json", false, &["schema", "proof"]),
        (
            "simple-err-issuer-otheridentifier-type.json",
            false,
            &["schema", "proof"],
        ),
        (
            "simple-err-issuer-parentorg-type.json",
            false,
            &["schema", "proof"],
        ),
        // Valid from 2040; and its subject has no achievement.
        ("simple-err-issued.json", false, &["schema", "validity"]),
        // No issuer: nobody to own the key.
        ("simple-err-issuer.json", false, &["schema", "proof"]),
    ];
    for (name, verified, fails) in cases {
        let r = verify_fixture(name, |f| f).await;
        assert_eq!(r.verified, *verified, "{name}: {:#?}", r.checks);
        assert_eq!(&failed(&r), fails, "{name}: {:#?}", r.checks);
    }
}

/// A key taken from a URL fragment is never trusted: without the controller document the proof fails.
#[tokio::test]
async fn no_key_from_a_fragment_without_a_controller_document() {
    let bytes = std::fs::read(fixture_path("simple.json")).unwrap();
    let r = verify_bytes("simple.json", &bytes, &OfflineFetch::new()).await;
    assert!(!r.verified);
    assert!(failed(&r).contains(&"proof"));
}

/// The Bitstring Status List fixture: its list (given offline) revokes index 23.
#[tokio::test]
async fn bitstring_status_list_revokes() {
    let list = std::fs::read(fixture_path("bit-string-list/testlist")).unwrap();
    let list_json: Value = serde_json::from_slice(&list).unwrap();
    let url = "https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist";
    for name in [
        "bit-string-list/credential-status-revoked.json",
        "bit-string-list/credential-status-revoked-blank-nodes.json",
    ] {
        let r = verify_fixture(name, |f| {
            made_up_controllers(&list_json, f).with(url, list.clone())
        })
        .await;
        assert!(!r.verified, "{name}");
        assert_eq!(failed(&r), ["status"], "{name}: {:#?}", r.checks);
        assert_eq!(r.display.status.as_deref(), Some("revoked"));
        assert!(r.findings.iter().any(|f| f.rule == "OB3_REVOKED"));
    }
}

/// 1EdTechRevocationList: a list (made up here: the fixture's list lives on a public host) naming the
/// credential revokes it; one that does not, leaves it active.
#[tokio::test]
async fn revocation_list() {
    let doc: Value = serde_json::from_slice(
        &std::fs::read(fixture_path("credential-status-revoked.json")).unwrap(),
    )
    .unwrap();
    let list_url = doc["credentialStatus"]["id"].as_str().unwrap().to_owned();
    let id = doc["id"].as_str().unwrap().to_owned();
    let listed =
        json!({"revokedCredentials": [{"id": id, "revocationReason": "awarded in error"}]})
            .to_string();
    let r = verify_fixture("credential-status-revoked.json", |f| {
        f.with(&list_url, listed.into_bytes())
    })
    .await;
    assert_eq!(failed(&r), ["status"], "{:#?}", r.checks);
    assert_eq!(r.display.status.as_deref(), Some("revoked"));
    let other = json!({"revokedCredentials": ["urn:uuid:someone-else"]}).to_string();
    let r = verify_fixture("credential-status-revoked.json", |f| {
        f.with(&list_url, other.into_bytes())
    })
    .await;
    assert!(r.verified, "{:#?}", r.checks);
    assert_eq!(r.display.status.as_deref(), Some("active"));
}

fn sample() -> Value {
    serde_json::from_str(&obi_testkit::shared_text(
        DIR,
        "peers/ob3-node/testdata/sample-ob3.json",
    ))
    .unwrap()
}

/// `encodedList` of a minimum-length list with the entries `set` set, as obi's issuer writes it.
fn encoded_list(set: &[usize]) -> String {
    let mut bits = vec![0u8; obi_core::status::MIN_BITS / 8];
    for &i in set {
        assert!(obi_core::status::set_entry(&mut bits, i as u64, 1, 1));
    }
    obi_core::status::encode(&bits).unwrap()
}

/// The issuer writes what the verifiers read: a Bitstring Status List encoded by obi (obi_core::status),
/// in a list credential obi signs, read by the Digital Bazaar peer and by obi alike.
#[tokio::test]
async fn a_list_obi_encodes_is_read_by_the_digital_bazaar_peer() {
    let key = SecretKey::generate(KeyType::Ed25519).unwrap();
    let did = key.public().did_key().unwrap();
    let vm = key.public().did_key_vm().unwrap();
    let sign = |doc: &Value| {
        di::sign(
            doc,
            &key,
            &ProofOptions {
                suite: Suite::EddsaRdfc2022,
                verification_method: vm.clone(),
                created: Some("2026-01-01T00:00:00Z".into()),
            },
        )
        .unwrap()
    };
    const LIST: &str = "https://issuer.example/status/1";
    let list = sign(&json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": LIST, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did, "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": format!("{LIST}#list"), "type": "BitstringStatusList",
                              "statusPurpose": "revocation", "encodedList": encoded_list(&[3])}
    }));
    let dir = tempfile::tempdir().unwrap();
    let list_file = dir.path().join("list.json");
    std::fs::write(&list_file, list.to_string()).unwrap();
    for (index, revoked) in [(3, true), (4, false)] {
        let mut c = sample();
        c["issuer"]["id"] = json!(did);
        c["credentialStatus"] = json!({"id": format!("{LIST}#{index}"), "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": index.to_string(), "statusListCredential": LIST});
        let signed = sign(&c);
        let file = dir.path().join(format!("c{index}.json"));
        std::fs::write(&file, signed.to_string()).unwrap();
        let doc = format!("{LIST}={}", list_file.display());
        let Some(out) = obi_testkit::run_peer(
            DIR,
            "ob3-verify",
            &[
                "--now",
                "2026-11-28T00:00:00Z",
                "--doc",
                &doc,
                file.to_str().unwrap(),
            ],
        ) else {
            return;
        };
        let peer: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
        assert_eq!(peer["verified"], json!(!revoked), "index {index}: {peer:#}");
        let fetch = OfflineFetch::new().with(LIST, list.to_string().into_bytes());
        let bytes = signed.to_string().into_bytes();
        let r = verify_bytes("c", &bytes, &fetch).await;
        assert_eq!(r.verified, !revoked, "index {index}: {:#?}", r.checks);
        assert_eq!(
            r.display.status.as_deref(),
            Some(if revoked { "revoked" } else { "active" })
        );
    }
}

fn sign(doc: &Value, key: &SecretKey) -> Value {
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

/// A credential revoked, suspended or active through a Bitstring Status List served on loopback, the list
/// signed by the issuer; a list signed by someone else is refused.
#[tokio::test]
async fn status_list_on_loopback() {
    let issuer = SecretKey::generate(KeyType::Ed25519).unwrap();
    let did = issuer.public().did_key().unwrap();
    let stranger = SecretKey::generate(KeyType::Ed25519).unwrap();
    let list_for = |purpose: &str, set: &[usize], key: &SecretKey| {
        let mut l = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": "https://example.org/status/1", "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": key.public().did_key().unwrap(), "validFrom": "2025-01-01T00:00:00Z",
            "credentialSubject": {"id": "https://example.org/status/1#list", "type": "BitstringStatusList", "statusPurpose": purpose, "encodedList": encoded_list(set)}
        });
        l = sign(&l, key);
        l.to_string()
    };
    let lists = [
        ("/revocation", list_for("revocation", &[7], &issuer)),
        ("/suspension", list_for("suspension", &[8], &issuer)),
        ("/forged", list_for("revocation", &[], &stranger)),
    ];
    let server = TestServer::start("127.0.0.1:0", move |path| {
        lists
            .iter()
            .find(|(p, _)| *p == path)
            .map_or(Reply::status(404), |(_, body)| {
                Reply::ok("application/vc+ld+json", body.clone())
            })
    })
    .unwrap();
    let mut policy = FetchPolicy::default();
    policy
        .dangerous()
        .allow_host("127.0.0.1", server.addr.port());
    let fetch = HttpFetch::with_resolver(policy, Arc::new(StaticDns::new())).unwrap();
    let check = |path: &str, purpose: &str, index: usize| {
        let mut c = sample();
        c["issuer"]["id"] = json!(did);
        c["@context"]
            .as_array_mut()
            .unwrap()
            .push(json!("https://www.w3.org/ns/credentials/status/v1"));
        c["credentialStatus"] = json!({"id": format!("{}{path}#{index}", server.base()), "type": "BitstringStatusListEntry",
            "statusPurpose": purpose, "statusListIndex": index.to_string(), "statusListCredential": format!("{}{path}", server.base())});
        sign(&c, &issuer).to_string()
    };
    let cases = [
        (
            check("/revocation", "revocation", 7),
            false,
            Some("revoked"),
        ),
        (check("/revocation", "revocation", 6), true, Some("active")),
        (
            check("/suspension", "suspension", 8),
            false,
            Some("suspended"),
        ),
        (check("/forged", "revocation", 1), false, Some("unknown")),
        (check("/missing", "revocation", 1), false, Some("unknown")),
    ];
    for (i, (doc, verified, status)) in cases.iter().enumerate() {
        let r = verify_bytes("c.json", doc.as_bytes(), &fetch).await;
        assert_eq!(r.verified, *verified, "case {i}: {:#?}", r.checks);
        assert_eq!(r.display.status.as_deref(), *status, "case {i}");
    }
}

#[tokio::test]
async fn recipient_by_hashed_identifier() {
    let key = SecretKey::generate(KeyType::Ed25519).unwrap();
    let mut c = sample();
    c["issuer"]["id"] = json!(key.public().did_key().unwrap());
    c["credentialSubject"].as_object_mut().unwrap().remove("id");
    c["credentialSubject"]["identifier"] = json!([{"type": "IdentityObject", "identityType": "emailAddress", "hashed": true,
        "identityHash": "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399", "salt": "Kosher"}]);
    let doc = sign(&c, &key).to_string();
    let fetch = OfflineFetch::new();
    let me = obi_verify::verify(
        Input::Bytes {
            name: "c",
            bytes: doc.as_bytes(),
        },
        &opts().recipient("a@example.com"),
        &fetch,
    )
    .await
    .unwrap();
    assert!(
        me.verified && me.recipient_matched == Some(true),
        "{:#?}",
        me.checks
    );
    let other = obi_verify::verify(
        Input::Bytes {
            name: "c",
            bytes: doc.as_bytes(),
        },
        &opts().recipient("b@example.com"),
        &fetch,
    )
    .await
    .unwrap();
    assert!(!other.verified && other.recipient_matched == Some(false));
}

/// Badges baked by openbadgeslib (PNG and SVG), and signed by the Digital Bazaar peer, verify.
#[tokio::test]
async fn peer_signed_and_baked_badges() {
    let dir = tempfile::tempdir().unwrap();
    let key = SecretKey::generate(KeyType::Ed25519).unwrap();
    let mut c = sample();
    c["issuer"]["id"] = json!(key.public().did_key().unwrap());
    let signed = dir.path().join("signed.json");
    std::fs::write(&signed, sign(&c, &key).to_string()).unwrap();
    let png = dir.path().join("plain.png");
    std::fs::write(&png, obi_bake::png::tests_support::tiny_png()).unwrap();
    let svg = dir.path().join("plain.svg");
    std::fs::write(&svg, r#"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><rect width="1" height="1"/></svg>"#).unwrap();
    for (image, out) in [(png.clone(), "baked.png"), (svg.clone(), "baked.svg")] {
        let out = dir.path().join(out);
        let Some(o) = obi_testkit::run_peer(
            DIR,
            "ob3-py",
            &[
                "bake",
                image.to_str().unwrap(),
                signed.to_str().unwrap(),
                out.to_str().unwrap(),
            ],
        ) else {
            return;
        };
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let bytes = std::fs::read(&out).unwrap();
        let r = verify_bytes("baked", &bytes, &OfflineFetch::new()).await;
        assert!(r.verified, "{out:?}: {:#?}", r.checks);
    }
    let unsigned = dir.path().join("unsigned.json");
    std::fs::write(&unsigned, sample().to_string()).unwrap();
    // A fixed created time: ob3-sign's default is the wall clock, a future the fixed `opts()` refuses.
    let o = obi_testkit::run_peer(
        DIR,
        "ob3-sign",
        &[
            "--created",
            "2026-11-27T00:00:00Z",
            unsigned.to_str().unwrap(),
        ],
    )
    .unwrap();
    let r = verify_bytes("db", &o.stdout, &OfflineFetch::new()).await;
    assert!(r.verified, "{:#?}", r.checks);
    // An image with nothing baked in is a result, not a crash.
    let plain = obi_bake::png::tests_support::tiny_png();
    let r = verify_bytes("plain.png", &plain, &OfflineFetch::new()).await;
    assert!(!r.verified);
    assert_eq!(r.checks[0].detail, "no badge in this image");
}

/// Counts fetches and answers 404.
struct Counting(std::sync::atomic::AtomicUsize);

impl obi_verify::Fetch for Counting {
    async fn fetch(
        &self,
        url: &str,
        _: obi_verify::Resource,
    ) -> Result<obi_verify::Fetched, obi_verify::FetchError> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(obi_verify::Fetched {
            url: url.to_owned(),
            status: 404,
            content_type: None,
            body: Vec::new(),
        })
    }
}

/// A credential cannot make the verifier fetch without bound: many proofs naming many controllers lead to
/// a handful of requests; too many proofs are refused outright.
#[tokio::test]
async fn many_proofs_do_not_mean_many_requests() {
    let mut c = sample();
    let proofs: Vec<Value> = (0..20)
        .map(|i| json!({"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "assertionMethod",
            "verificationMethod": format!("https://issuer{i}.example/keys#k"), "proofValue": "z3"}))
        .collect();
    c["proof"] = json!(proofs);
    let doc = c.to_string();
    let counting = Counting(std::sync::atomic::AtomicUsize::new(0));
    let r = verify_bytes("c", doc.as_bytes(), &counting).await;
    assert!(!r.verified);
    assert!(counting.0.load(std::sync::atomic::Ordering::SeqCst) <= obi_verify::MAX_CONTROLLERS);
    let many: Vec<Value> = (0..40).map(|_| proofs[0].clone()).collect();
    c["proof"] = json!(many);
    let doc = c.to_string();
    let r = verify_bytes("c", doc.as_bytes(), &counting).await;
    assert!(
        r.checks
            .iter()
            .any(|k| k.name == "proof" && k.detail.contains("at most 32")),
        "{:#?}",
        r.checks
    );
}

/// The refresh step: a credential whose `refreshService` serves a newer credential of the same issuer and
/// subject is verified as that credential, once; anything else leaves the credential as presented.
#[tokio::test]
async fn refresh_service_is_followed_once() {
    let issuer = Arc::new(SecretKey::generate(KeyType::Ed25519).unwrap());
    let did = issuer.public().did_key().unwrap();
    let stranger = Arc::new(SecretKey::generate(KeyType::Ed25519).unwrap());
    let credential = |name: &str, refresh: Option<&str>, key: &SecretKey, issuer_id: &str| {
        let mut c = sample();
        c["issuer"]["id"] = json!(issuer_id);
        c["credentialSubject"]["achievement"]["name"] = json!(name);
        if let Some(url) = refresh {
            c["refreshService"] = json!({"id": url, "type": "1EdTechCredentialRefresh"});
        }
        sign(&c, key).to_string()
    };
    // Served on loopback: /fresh (a refresh that itself names /again), /stranger (another issuer),
    // /forged (this issuer's id, someone else's signature), /again (must never be asked).
    let base = std::sync::Arc::new(std::sync::OnceLock::<String>::new());
    let b = base.clone();
    let (d, i, s) = (did.clone(), issuer.clone(), stranger.clone());
    let server = TestServer::start("127.0.0.1:0", move |path| {
        let base = b.get().unwrap();
        let again = format!("{base}/again");
        let body = match path {
            "/fresh" => credential("Refreshed", Some(&again), &i, &d),
            "/again" => credential("Refreshed twice", None, &i, &d),
            "/stranger" => credential("Stranger", None, &s, &s.public().did_key().unwrap()),
            "/forged" => {
                let mut c: Value =
                    serde_json::from_str(&credential("Forged", None, &s, &d)).unwrap();
                c["proof"]["verificationMethod"] = json!(i.public().did_key_vm().unwrap());
                c.to_string()
            }
            "/text" => "not a credential".into(),
            _ => return Reply::status(404),
        };
        Reply::ok("application/vc+ld+json", body)
    })
    .unwrap();
    base.set(server.base()).unwrap();
    let mut policy = FetchPolicy::default();
    policy
        .dangerous()
        .allow_host("127.0.0.1", server.addr.port());
    let fetch = HttpFetch::with_resolver(policy, Arc::new(StaticDns::new())).unwrap();
    let run = |doc: String, opts: VerifyOptions| {
        let fetch = &fetch;
        async move {
            obi_verify::verify(
                Input::Bytes {
                    name: "c.json",
                    bytes: doc.as_bytes(),
                },
                &opts,
                fetch,
            )
            .await
            .unwrap()
        }
    };
    let refresh = |r: &VerifyReport| {
        let c = r.checks.iter().find(|c| c.name == "refresh").unwrap();
        (c.status, c.detail.clone())
    };
    let url = |p: &str| format!("{}{p}", server.base());

    let r = run(
        credential("Original", Some(&url("/fresh")), &issuer, &did),
        opts(),
    )
    .await;
    assert!(r.verified, "{:#?}", r.checks);
    assert_eq!(r.display.name.as_deref(), Some("Refreshed"));
    assert_eq!(refresh(&r).0, CheckStatus::Passed, "{:?}", refresh(&r));
    assert_eq!(
        server.requests(),
        1,
        "a refreshed credential is not refreshed again"
    );

    for (path, why) in [
        ("/stranger", "another issuer"),
        ("/forged", "valid proof"),
        ("/text", "did not serve a credential"),
        ("/missing", "HTTP 404"),
    ] {
        let r = run(
            credential("Original", Some(&url(path)), &issuer, &did),
            opts(),
        )
        .await;
        assert!(r.verified, "{path}: {:#?}", r.checks);
        assert_eq!(r.display.name.as_deref(), Some("Original"), "{path}");
        let (status, detail) = refresh(&r);
        assert_eq!(status, CheckStatus::Skipped, "{path}");
        assert!(detail.contains(why), "{path}: {detail}");
    }

    let before = server.requests();
    let r = run(
        credential("Original", Some(&url("/fresh")), &issuer, &did),
        opts().refresh(false),
    )
    .await;
    assert_eq!(r.display.name.as_deref(), Some("Original"));
    assert_eq!(
        server.requests(),
        before,
        "refreshing turned off asks nothing"
    );
}

/// Credentials signed by the Digital Bazaar peer (Data Integrity and VC-JWT), baked by openbadgeslib, with
/// a Bitstring Status List the same peer signed, served on loopback: the revoked one is revoked, the other
/// verified.
#[tokio::test]
async fn peer_signed_baked_and_revoked_on_loopback() {
    const SEED: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    let did = SecretKey::from_ed25519_seed(&core::array::from_fn(|i| i as u8))
        .public()
        .did_key()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let peer_sign = |doc: &Value, extra: &[&str]| -> Option<Vec<u8>> {
        let file = dir.path().join("unsigned.json");
        std::fs::write(&file, doc.to_string()).unwrap();
        let mut args = vec!["--seed", SEED, "--created", "2025-06-13T09:00:05Z"];
        args.extend_from_slice(extra);
        args.push(file.to_str().unwrap());
        let out = obi_testkit::run_peer(DIR, "ob3-sign", &args)?;
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(out.stdout)
    };
    let list = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "https://example.org/status/1", "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did, "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": "https://example.org/status/1#list", "type": "BitstringStatusList",
                              "statusPurpose": "revocation", "encodedList": encoded_list(&[3])}
    });
    let Some(signed_list) = peer_sign(&list, &[]) else {
        return;
    };
    let server = TestServer::start("127.0.0.1:0", move |path| match path {
        "/list" => Reply::ok("application/vc+ld+json", signed_list.clone()),
        _ => Reply::status(404),
    })
    .unwrap();
    let mut policy = FetchPolicy::default();
    policy
        .dangerous()
        .allow_host("127.0.0.1", server.addr.port());
    let png = dir.path().join("plain.png");
    std::fs::write(&png, obi_bake::png::tests_support::tiny_png()).unwrap();
    // Sign and bake everything first (each peer call takes a second or more; a loaded machine, more), then
    // verify: a pooled connection left idle across those calls could meet the test server closing it.
    let mut baked_badges = Vec::new();
    for format in ["di", "jwt"] {
        for (index, revoked) in [(3, true), (4, false)] {
            let mut c = sample();
            c["issuer"]["id"] = json!(did);
            c["credentialStatus"] = json!({"id": format!("{}/list#{index}", server.base()),
                "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                "statusListIndex": index.to_string(), "statusListCredential": format!("{}/list", server.base())});
            let signed = peer_sign(&c, &["--format", format]).unwrap();
            let token = dir.path().join(format!("{format}-{index}"));
            std::fs::write(&token, &signed).unwrap();
            let baked = dir.path().join(format!("{format}-{index}.png"));
            let o = obi_testkit::run_peer(
                DIR,
                "ob3-py",
                &[
                    "bake",
                    png.to_str().unwrap(),
                    token.to_str().unwrap(),
                    baked.to_str().unwrap(),
                ],
            )
            .unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            baked_badges.push((format!("{format}, index {index}"), revoked, baked));
        }
    }
    let fetch = HttpFetch::with_resolver(policy, Arc::new(StaticDns::new())).unwrap();
    for (case, revoked, baked) in baked_badges {
        let bytes = std::fs::read(&baked).unwrap();
        let r = verify_bytes("baked.png", &bytes, &fetch).await;
        assert_eq!(r.verified, !revoked, "{case}: {:#?}", r.checks);
        assert_eq!(
            r.display.status.as_deref(),
            Some(if revoked { "revoked" } else { "active" }),
            "{case}: {:#?}",
            r.checks
        );
        assert_eq!(
            failed(&r),
            if revoked { vec!["status"] } else { vec![] },
            "{case}"
        );
    }
}

/// ecdsa-sd-2023: 1EdTech's derived credential verifies; any change to what it reveals, to its proof
/// value or to the key does not.
#[tokio::test]
async fn selective_disclosure_proofs_detect_changes() {
    let original: Value =
        serde_json::from_slice(&std::fs::read(fixture_path("sd/derivedcredential.json")).unwrap())
            .unwrap();
    let check = |doc: Value| async move {
        let fetch = made_up_controllers(&doc, OfflineFetch::new());
        let r = verify_bytes("sd.json", doc.to_string().as_bytes(), &fetch).await;
        let proof = r.checks.iter().find(|c| c.name == "proof").unwrap();
        (r.verified, proof.detail.clone())
    };
    assert!(check(original.clone()).await.0);
    let proof_value = original["proof"][0]["proofValue"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut renamed = original.clone();
    renamed["credentialSubject"]["achievement"]["name"] = json!("Leadership");
    let mut dropped = original.clone();
    dropped["issuer"].as_object_mut().unwrap().remove("url");
    let mut added = original.clone();
    added["credentialSubject"]["achievement"]["description"] = json!("Something else entirely.");
    let mut base = original.clone();
    // The same CBOR behind the base-proof header: a holder's material, not a credential to accept.
    {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let mut raw = b64.decode(&proof_value[1..]).unwrap();
        raw[2] = 0x00;
        base["proof"][0]["proofValue"] = json!(format!("u{}", b64.encode(raw)));
    }
    let mut garbage = original.clone();
    garbage["proof"][0]["proofValue"] = json!("u2V0BhQ");
    let mut other_key = original.clone();
    let stranger = SecretKey::generate(KeyType::P256).unwrap();
    other_key["proof"][0]["verificationMethod"] = json!(format!(
        "https://1edtech.edu/issuers/565049#{}",
        stranger.public().to_multikey().unwrap()
    ));
    for (name, doc, why) in [
        ("renamed", renamed, "does not match"),
        ("dropped", dropped, "ecdsa-sd-2023"),
        ("changed", added, "does not match"),
        ("base proof", base, "base proof"),
        ("garbage", garbage, "ecdsa-sd-2023 proofValue"),
        ("another key", other_key, "base signature"),
    ] {
        let (verified, detail) = check(doc).await;
        assert!(!verified, "{name}");
        assert!(detail.contains(why), "{name}: {detail}");
    }
}
