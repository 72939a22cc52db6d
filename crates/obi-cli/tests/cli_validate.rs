//! `obi validate` as a user runs it: exit codes, human and JSON output, bad input.

use std::io::Write;

use crate::support::obi;

fn write_temp(content: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(content).expect("write");
    f
}

const VALID_BADGECLASS: &str = r#"{"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass",
  "id": "https://example.org/badge", "name": "B", "description": "D", "image": "https://example.org/b.png",
  "criteria": {"narrative": "Do it."}, "issuer": "https://example.org/issuer"}"#;

#[test]
fn valid_document_exits_0_and_says_valid() {
    let f = write_temp(VALID_BADGECLASS.as_bytes());
    let out = obi(&["validate", f.path().to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("valid "));
}

#[test]
fn invalid_document_exits_1_with_rule_and_hint() {
    let f = write_temp(br#"{"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass", "id": "https://example.org/b"}"#);
    let out = obi(&["validate", "--json", f.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["valid"], false);
    assert_eq!(r["openBadgesVersion"], "2.0");
    let name = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "/name")
        .expect("finding for /name");
    assert_eq!(name["rule"], "VALIDATE_PROPERTY");
    assert_eq!(name["severity"], "error");
    assert!(!name["hint"].as_str().unwrap().is_empty());
    for key in ["subject", "errorCount", "warningCount", "graph"] {
        assert!(r.get(key).is_some(), "{key} missing");
    }
}

#[test]
fn not_json_exits_2_naming_the_place() {
    let f = write_temp(b"{\n  \"a\": ]\n}");
    let out = obi(&["validate", f.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn invalid_utf8_and_missing_file_exit_2() {
    let f = write_temp(b"\xff\xfe\x00");
    assert_eq!(
        obi(&["validate", f.path().to_str().unwrap()]).status.code(),
        Some(2)
    );
    let out = obi(&["validate", "/nonexistent/badge.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/badge.json"));
}

#[test]
fn usage_errors_exit_64() {
    assert_eq!(obi(&["validate"]).status.code(), Some(64));
    assert_eq!(obi(&["frobnicate"]).status.code(), Some(64));
    let f = write_temp(VALID_BADGECLASS.as_bytes());
    assert_eq!(
        obi(&["validate", "--now", "yesterday", f.path().to_str().unwrap()])
            .status
            .code(),
        Some(64)
    );
    assert_eq!(
        obi(&["validate", "--doc", "nofile", f.path().to_str().unwrap()])
            .status
            .code(),
        Some(64)
    );
}

#[test]
fn several_inputs_print_json_lines_and_the_worst_exit_wins() {
    let good = write_temp(VALID_BADGECLASS.as_bytes());
    let bad = write_temp(b"[1, 2]");
    let out = obi(&[
        "validate",
        "--json",
        good.path().to_str().unwrap(),
        bad.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(lines[1]["valid"], false);
}

#[test]
fn referenced_documents_are_checked_when_given() {
    let badge = write_temp(VALID_BADGECLASS.as_bytes());
    let issuer = write_temp(br#"{"@context": "https://w3id.org/openbadges/v2", "type": "Issuer", "id": "https://example.org/issuer",
        "name": "I", "url": "https://example.org"}"#);
    let doc = format!("https://example.org/issuer={}", issuer.path().display());
    let out = obi(&[
        "validate",
        "--json",
        "--doc",
        &doc,
        badge.path().to_str().unwrap(),
    ]);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["valid"], false, "issuer without email is invalid");
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["node"] == "https://example.org/issuer" && f["path"] == "/email")
    );
}

fn shared_file(rel: &str) -> String {
    let start = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    start
        .ancestors()
        .map(|d| d.join("shared").join(rel))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("shared/{rel}"))
        .to_string_lossy()
        .into_owned()
}

#[test]
fn ob3_json_and_vc_jwt_are_validated() {
    let json = shared_file("spec/ob3/validator-fixtures/ob30/simple.json");
    let jwt = shared_file("peers/ob3-node/testdata/sample-ob3.rs256.jwt");
    let out = obi(&[
        "validate",
        "--json",
        "--now",
        "2026-11-28T00:00:00Z",
        &json,
        &jwt,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let r: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        assert_eq!(r["openBadgesVersion"], "3.0");
        assert_eq!(r["valid"], true);
    }
    let bad = shared_file("spec/ob3/validator-fixtures/ob30/simple-err-expired.json");
    let out = obi(&["validate", "--now", "2026-11-28T00:00:00Z", &bad]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("OB3_EXPIRED"));
}

/// Bounded memory: a 300 MB file (sparse, so the test writes nothing) is refused before it is read, by
/// every command that reads a badge.
#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.json");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(300 * 1024 * 1024)
        .unwrap();
    let f = big.to_str().unwrap();
    for args in [
        vec!["validate", f],
        vec!["verify", "--offline", f],
        vec!["extract", f],
    ] {
        let out = obi(&args);
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("314572800 bytes, more than obi reads (32 MiB)"),
            "{args:?}: {err}"
        );
    }
}
