//! `obi verify` as a user runs it: exit codes, JSON Lines, directories, offline documents, the guard.

use crate::support::{Ob2Fixtures, obi};

fn shared(rel: &str) -> String {
    obi_testkit::shared(env!("CARGO_MANIFEST_DIR"), rel)
        .to_string_lossy()
        .into_owned()
}

const NOW: &str = "2026-11-28T00:00:00Z";

#[test]
fn verified_badges_exit_0_and_json_has_no_valid_field() {
    let signed = shared("peers/ob3-node/testdata/sample-ob3.signed.json");
    let jwt = shared("peers/ob3-node/testdata/sample-ob3.rs256.jwt");
    // The token carries its key; its issuer publishes the same key as a JWKS at its URL.
    let header = obi_sign::jws::Jws::decode(std::fs::read_to_string(&jwt).unwrap().trim())
        .unwrap()
        .header;
    let dir = tempfile::tempdir().unwrap();
    let jwks = dir.path().join("jwks.json");
    std::fs::write(
        &jwks,
        serde_json::json!({"keys": [header["jwk"]]}).to_string(),
    )
    .unwrap();
    let doc = format!(
        "https://northbridge.example.edu/issuers/1={}",
        jwks.display()
    );
    let out = obi(&[
        "verify",
        "--offline",
        "--json",
        "--now",
        NOW,
        "--doc",
        &doc,
        &signed,
        &jwt,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    for r in &lines {
        assert_eq!(r["verified"], true);
        assert!(r.get("valid").is_none(), "a report must not carry `valid`");
        assert_eq!(r["display"]["name"], "Safe Concurrency in Rust");
        assert!(
            r["checks"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["name"] == "proof" && c["status"] == "passed")
        );
    }
}

#[test]
fn a_directory_with_one_bad_badge_exits_1_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let signed =
        std::fs::read_to_string(shared("peers/ob3-node/testdata/sample-ob3.signed.json")).unwrap();
    std::fs::write(dir.path().join("good.json"), &signed).unwrap();
    std::fs::write(
        dir.path().join("tampered.json"),
        signed.replace("Safe Concurrency in Rust", "Unsafe Concurrency"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("notes.txt"),
        "not a badge, and not looked at",
    )
    .unwrap();
    let out = obi(&[
        "verify",
        "--offline",
        "--now",
        NOW,
        dir.path().to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("1 verified, 1 not verified, 0 could not be checked (2 in all)"),
        "{text}"
    );
    assert!(text.contains("what it means:"), "{text}");
}

#[test]
fn unreadable_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.json");
    std::fs::write(&f, "hello").unwrap();
    assert_eq!(
        obi(&["verify", "--offline", f.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        obi(&["verify", "--offline", "/nonexistent/badge.json"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        obi(&["verify", "--now", "yesterday", f.to_str().unwrap()])
            .status
            .code(),
        Some(64)
    );
}

#[test]
fn offline_documents_stand_in_for_the_network() {
    // The 1EdTech fixture's issuer publishes its key at https://example.com/issuers/876543; given offline.
    let simple = shared("spec/ob3/validator-fixtures/ob30/simple.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&simple).unwrap()).unwrap();
    let vm = doc["proof"][0]["verificationMethod"].as_str().unwrap();
    let (controller, key) = vm.split_once('#').unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cdoc = dir.path().join("controller.json");
    std::fs::write(&cdoc, serde_json::json!({"id": controller, "assertionMethod": [{"id": vm, "type": "Multikey", "controller": controller, "publicKeyMultibase": key}]}).to_string()).unwrap();
    let without = obi(&["verify", "--offline", "--now", NOW, &simple]);
    assert_eq!(without.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&without.stdout).contains("issuer's own controller document"));
    let with = obi(&[
        "verify",
        "--offline",
        "--now",
        NOW,
        "--doc",
        &format!("{controller}={}", cdoc.display()),
        &simple,
    ]);
    assert_eq!(
        with.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&with.stdout)
    );
}

#[test]
fn loopback_urls_need_the_operator_switch() {
    let Some(fx) = Ob2Fixtures::serve(env!("CARGO_MANIFEST_DIR")) else {
        return;
    };
    let url = format!("{}/assertions/valid.json", fx.base);
    let refused = obi(&["verify", &url]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("refused to fetch"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let allowed = obi(&[
        "verify",
        "--allow-private-hosts",
        "--recipient",
        "alice@example.org",
        &url,
    ]);
    let text = String::from_utf8_lossy(&allowed.stdout);
    assert_eq!(allowed.status.code(), Some(0), "{text}");
    assert!(
        text.contains("\"Peer Test Badge\" from Peer Test Issuer")
            && text.contains("awarded to you"),
        "{text}"
    );
}
