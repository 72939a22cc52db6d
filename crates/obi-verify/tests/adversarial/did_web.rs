//! Class 11: did:web parsed strictly. The host in a did:web DID is the host obi fetches the DID document
//! from, so the DID is read by DID Core's grammar and the did:web rules, and anything a lax parser would
//! turn into a different host or path (userinfo, escaped slashes, dot segments, empty segments, a port with
//! no host, IP literals, upper case) is refused before anything is fetched.
//!
//! Each attack serves the attacker's DID document at every URL a lax parser could derive from the DID
//! (obi's own old mapping, a percent-decoding one like DIF's web-did-resolver, and the WHATWG-normalized
//! forms of both), so the only thing that can make it fail is the parse itself.
//!
//! peers: none resolves did:web offline (ob3-verify resolves did:key and documents given with `--doc`
//! only; ob3-py and dcc-verify refuse the network), so there is no peer opinion to record.

use obi_sign::SecretKey;
use obi_sign::di::{self, ProofOptions, Suite};
use obi_sign::vcjwt::{self, HeaderKey};
use obi_verify::{CheckStatus, Input, OfflineFetch, VerifyOptions, VerifyReport};
use serde_json::{Value, json};

const DIR: &str = env!("CARGO_MANIFEST_DIR");

fn opts() -> VerifyOptions {
    VerifyOptions::at("2026-11-28T00:00:00Z".parse().unwrap())
}

fn key() -> SecretKey {
    SecretKey::from_ed25519_seed(&[0x11; 32])
}

/// The peers' sample credential, issued by `did`.
fn credential(did: &str) -> Value {
    let mut c: Value = serde_json::from_str(&obi_testkit::shared_text(
        DIR,
        "peers/ob3-node/testdata/sample-ob3.json",
    ))
    .unwrap();
    c["issuer"]["id"] = json!(did);
    c
}

fn signed_di(did: &str) -> Vec<u8> {
    di::sign(
        &credential(did),
        &key(),
        &ProofOptions {
            suite: Suite::EddsaRdfc2022,
            verification_method: format!("{did}#key-1"),
            created: Some("2026-11-01T00:00:00Z".into()),
        },
    )
    .unwrap()
    .to_string()
    .into_bytes()
}

fn signed_jwt(did: &str) -> Vec<u8> {
    vcjwt::sign(
        &credential(did),
        &key(),
        HeaderKey::Kid(format!("{did}#key-1")),
    )
    .unwrap()
    .into_bytes()
}

/// The DID document of `did`, with the test key as `#key-1`, listed for assertions.
fn did_document(did: &str) -> Vec<u8> {
    let vm = format!("{did}#key-1");
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [{
            "id": vm, "type": "Multikey", "controller": did,
            "publicKeyMultibase": key().public().to_multikey().unwrap()
        }],
        "assertionMethod": [vm]
    })
    .to_string()
    .into_bytes()
}

/// obi's did:web mapping before the strict parse: `:` → `/`, `%3A` → `:`, only `/` refused in the host.
fn lax_url(msid: &str) -> Option<String> {
    let mut parts = msid.split(':');
    let host = parts.next()?.replace("%3A", ":").replace("%3a", ":");
    let path: Vec<&str> = parts.collect();
    Some(if path.is_empty() {
        format!("https://{host}/.well-known/did.json")
    } else {
        format!("https://{host}/{}/did.json", path.join("/"))
    })
}

/// Every URL a lax resolver could fetch for `did`.
fn lax_urls(did: &str) -> Vec<String> {
    let msid = did.strip_prefix("did:web:").unwrap();
    let decoded = percent_decode(msid);
    let mut urls: Vec<String> = [lax_url(msid), lax_url(&decoded)]
        .into_iter()
        .flatten()
        .collect();
    let normalized: Vec<String> = urls
        .iter()
        .filter_map(|u| url::Url::parse(u).ok().map(|u| u.to_string()))
        .collect();
    urls.extend(normalized);
    urls.sort();
    urls.dedup();
    urls
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The attacker's document for `did` at every lax URL.
fn served_everywhere(did: &str) -> OfflineFetch {
    lax_urls(did)
        .iter()
        .fold(OfflineFetch::new(), |f, u| f.with(u, did_document(did)))
}

async fn verify(bytes: &[u8], fetch: &OfflineFetch) -> VerifyReport {
    obi_verify::verify(
        Input::Bytes {
            name: "credential",
            bytes,
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

/// The malformed DIDs, each with words the refusal must contain.
const ATTACKS: &[(&str, &str)] = &[
    // userinfo: a lax URL https://evil.example@victim.example/… connects to victim.example.
    ("did:web:evil.example@victim.example", "'@'"),
    ("did:web:evil.example%40victim.example", "escape"),
    // an escaped slash: decoded, the "host" grows a path on another host.
    ("did:web:victim.example%2Fevil", "escape"),
    ("did:web:a..b", "empty label"),
    ("did:web:victim.example:..:x", "dot segment"),
    ("did:web:victim.example:%2e%2e:x", "escapes '.'"),
    ("did:web:victim.example::x", "empty"),
    ("did:web:%3A443", "the host \"\" is empty"),
    ("did:web:victim.example%3A443%3A80", "port"),
    ("did:web:Victim.example", "upper-case"),
    ("did:web:127.0.0.1", "IP address"),
    ("did:web:0x7f.1", "IP address"),
    // own: a second DID for the document of did:web:victim.example.
    ("did:web:victim.example:.well-known", ".well-known"),
    // own: an escaped backslash, which WHATWG URL parsers treat as a slash.
    ("did:web:victim.example:a%5Cb", "escapes '\\\\'"),
];

#[tokio::test]
async fn a_well_formed_did_web_verifies() {
    // Control: the same credential, key and document, from a DID that parses.
    for did in [
        "did:web:victim.example",
        "did:web:victim.example%3A8443:issuers:1",
    ] {
        let fetch = OfflineFetch::new().with(
            &obi_sign::resolve::did_web_url(did).unwrap(),
            did_document(did),
        );
        let r = verify(&signed_di(did), &fetch).await;
        assert!(r.verified, "{did}: {:#?}", r.checks);
        let r = verify(&signed_jwt(did), &fetch).await;
        assert!(r.verified, "{did} (VC-JWT): {:#?}", r.checks);
    }
}

#[tokio::test]
async fn malformed_did_webs_sign_nothing() {
    for (did, says) in ATTACKS {
        let fetch = served_everywhere(did);
        let r = verify(&signed_di(did), &fetch).await;
        assert!(!r.verified, "{did} verified: {:#?}", r.checks);
        let (status, detail) = proof(&r);
        assert_eq!(status, CheckStatus::Failed, "{did}");
        assert!(
            detail.contains("did:web") && detail.contains(says),
            "{did}: the proof failure {detail:?} does not say {says:?}"
        );
    }
}

#[tokio::test]
async fn malformed_did_web_kids_sign_nothing() {
    for (did, says) in ATTACKS {
        let fetch = served_everywhere(did);
        let r = verify(&signed_jwt(did), &fetch).await;
        assert!(!r.verified, "{did} verified: {:#?}", r.checks);
        let (status, detail) = proof(&r);
        assert_eq!(status, CheckStatus::Failed, "{did}");
        assert!(
            detail.contains("did:web") && detail.contains(says),
            "{did}: the proof failure {detail:?} does not say {says:?}"
        );
    }
}

#[test]
fn the_url_host_is_the_did_host() {
    for (did, host, port) in [
        ("did:web:victim.example", "victim.example", None),
        (
            "did:web:victim.example%3A8443",
            "victim.example",
            Some(8443),
        ),
        ("did:web:victim.example:a:b", "victim.example", None),
        ("did:web:victim.example:a%40b:c%3Fd", "victim.example", None),
        ("did:web:victim.example:caf%C3%A9", "victim.example", None),
        (
            "did:web:xn--bcher-kva.example",
            "xn--bcher-kva.example",
            None,
        ),
    ] {
        let url = obi_sign::resolve::did_web_url(did).unwrap();
        let parsed = url::Url::parse(&url).unwrap();
        assert_eq!(parsed.host_str(), Some(host), "{did} → {url}");
        assert_eq!(parsed.port(), port, "{did} → {url}");
        assert_eq!(parsed.username(), "", "{did} → {url}");
        assert!(parsed.password().is_none(), "{did} → {url}");
        assert_eq!(parsed.as_str(), url, "{did}: {url} is already normal");
        assert!(parsed.path().ends_with("/did.json"));
        assert_eq!(obi_sign::resolve::did_web_for_url(&url).as_deref(), Ok(did));
        // The thin wrapper obi-verify keeps for its callers agrees.
        assert_eq!(
            obi_verify::did_web_url(did.strip_prefix("did:web:").unwrap()).as_deref(),
            Some(url.as_str())
        );
    }
    for (did, _) in ATTACKS {
        assert!(obi_sign::resolve::did_web_url(did).is_err(), "{did}");
        assert_eq!(
            obi_verify::did_web_url(did.strip_prefix("did:web:").unwrap()),
            None
        );
    }
}
