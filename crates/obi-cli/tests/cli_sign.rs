//! `obi keygen` and `obi sign`, checked by the Digital Bazaar verifier.

use std::path::Path;

use crate::support::{obi, run_peer};

fn sample_issued_by(did: &str, dir: &Path) -> String {
    let start = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let sample = start
        .ancestors()
        .map(|d| d.join("shared/peers/ob3-node/testdata/sample-ob3.json"))
        .find(|p| p.exists())
        .expect("sample-ob3.json");
    let mut c: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample).unwrap()).unwrap();
    c["issuer"]["id"] = serde_json::json!(did);
    let path = dir.join("credential.json");
    std::fs::write(&path, c.to_string()).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn keygen_writes_a_private_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k.json");
    let k = key.to_str().unwrap();
    let out = obi(&["keygen", "--did-key", "-o", k]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        summary["didKey"]
            .as_str()
            .unwrap()
            .starts_with("did:key:z6Mk")
    );
    assert!(
        summary["publicJwk"].get("d").is_none(),
        "public output leaks d"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let before = std::fs::read(&key).unwrap();
    let again = obi(&["keygen", "-o", k]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        std::fs::read(&key).unwrap(),
        before,
        "existing key overwritten"
    );
    let rsa_did = obi(&[
        "keygen",
        "--alg",
        "rsa",
        "--did-key",
        "-o",
        dir.path().join("r.json").to_str().unwrap(),
    ]);
    assert_eq!(rsa_did.status.code(), Some(64));
}

#[test]
fn signed_credentials_verify_in_digital_bazaar() {
    let dir = tempfile::tempdir().unwrap();
    for (alg, formats) in [
        ("ed25519", &["di", "jwt"][..]),
        ("p256", &["jwt"][..]),
        ("rsa", &["jwt"][..]),
    ] {
        let key = dir.path().join(format!("{alg}.json"));
        let mut args = vec!["keygen", "--alg", alg, "-o", key.to_str().unwrap()];
        if alg != "rsa" {
            args.push("--did-key");
        }
        let out = obi(&args);
        assert_eq!(out.status.code(), Some(0));
        let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let issuer = summary["didKey"]
            .as_str()
            .unwrap_or("https://example.edu/issuers/1")
            .to_owned();
        let credential = sample_issued_by(&issuer, dir.path());
        for format in formats {
            let out = obi(&[
                "sign",
                &credential,
                "--key",
                key.to_str().unwrap(),
                "--format",
                format,
            ]);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{alg} {format}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let signed = dir.path().join(format!("{alg}.{format}"));
            std::fs::write(&signed, &out.stdout).unwrap();
            let Some(v) = run_peer("ob3-verify", &[signed.to_str().unwrap()]) else {
                return;
            };
            assert!(
                v.status.success(),
                "{alg} {format}: {}",
                String::from_utf8_lossy(&v.stdout)
            );
        }
    }
}

#[test]
fn ob2_assertions_get_an_rs256_jws() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("rsa.json");
    assert_eq!(
        obi(&["keygen", "--alg", "rsa", "-o", key.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let assertion = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/assertion.json");
    let out = obi(&["sign", assertion, "--key", key.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap();
    let jwk: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&key).unwrap()).unwrap();
    let secret = obi_sign::SecretKey::from_jwk(&jwk).unwrap();
    let payload = obi_sign::jws::verify_ob2_assertion(token.trim(), &secret.public()).unwrap();
    assert_eq!(payload["type"], "Assertion");
    // An Ed25519 key cannot sign OB 2.0.
    let ed = dir.path().join("ed.json");
    obi(&["keygen", "-o", ed.to_str().unwrap()]);
    let out = obi(&["sign", assertion, "--key", ed.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("RS256"));
}

/// The workflow of an https issuer signing VC-JWTs: keygen prints the JWKS to publish; obi verify refuses
/// the token while the issuer does not publish the key, and verifies it once it does.
#[test]
fn an_https_issuer_publishes_the_jwks_keygen_prints() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("p256.json");
    let out = obi(&["keygen", "--alg", "p256", "-o", key.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let jwks = dir.path().join("jwks.json");
    std::fs::write(&jwks, summary["jwks"].to_string()).unwrap();
    let issuer = "https://example.edu/issuers/1";
    let credential = sample_issued_by(issuer, dir.path());
    let out = obi(&["sign", &credential, "--key", key.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("needs \"https://example.edu/issuers/1\" to publish this key")
    );
    let token = dir.path().join("badge.jwt");
    std::fs::write(&token, &out.stdout).unwrap();
    let verify = |docs: &[&str]| {
        let mut args = vec!["verify", "--offline", "--now", "2026-11-28T00:00:00Z"];
        args.extend_from_slice(docs);
        args.push(token.to_str().unwrap());
        obi(&args)
    };
    let unpublished = verify(&[]);
    assert_eq!(unpublished.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&unpublished.stdout).contains("anyone could have made this token"),
        "{}",
        String::from_utf8_lossy(&unpublished.stdout)
    );
    let doc = format!("{issuer}={}", jwks.display());
    let published = verify(&["--doc", &doc]);
    assert_eq!(
        published.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&published.stdout)
    );
}

/// Dates are dates: `--created tomorrow` is a usage error (it was written into the proof as given), and a
/// date and time is written one way (RFC 3339, seconds, UTC).
#[test]
fn sign_refuses_a_created_that_is_not_a_date() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k.json");
    let out = obi(&["keygen", "--did-key", "-o", key.to_str().unwrap()]);
    let did = serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["didKey"]
        .as_str()
        .unwrap()
        .to_owned();
    let credential = sample_issued_by(&did, dir.path());
    let k = key.to_str().unwrap();
    let bad = obi(&["sign", &credential, "--key", k, "--created", "tomorrow"]);
    assert_eq!(bad.status.code(), Some(64));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("--created \"tomorrow\" is not an RFC 3339")
    );
    assert!(bad.stdout.is_empty());
    let good = obi(&[
        "sign",
        &credential,
        "--key",
        k,
        "--created",
        "2026-01-02T03:04:05+01:00",
    ]);
    assert_eq!(
        good.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let signed: serde_json::Value = serde_json::from_slice(&good.stdout).unwrap();
    assert_eq!(signed["proof"]["created"], "2026-01-02T02:04:05Z");
}
