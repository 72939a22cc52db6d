//! Differential test against the official 1EdTech validator (openbadges-validator-core 1.1.2): its 39-case
//! fixture set served on 127.0.0.1, each document case run through the official validator and through
//! `obi validate` with the same documents given as `--doc`. Valid/invalid and the set of error rules must be
//! the same, except where the peer is known to be wrong; each of those is listed with the reason.

use std::collections::BTreeSet;

use obi_testkit::ob2::peer_errors;

use crate::support::{Ob2Fixtures, obi, run_peer};

/// What obi must answer for a case.
enum Expect {
    /// The same verdict and error rules as the official validator.
    SameAsPeer,
    /// The peer is wrong here: obi gives these error rules instead, for this reason.
    PeerDefect(&'static [&'static str], &'static str),
}

use Expect::*;

/// Cases about the documents themselves: they belong to `obi validate`.
const DOCUMENT_CASES: &[(&str, Expect)] = &[
    ("valid", SameAsPeer),
    ("missing-issuedOn", SameAsPeer),
    ("missing-recipient", SameAsPeer),
    ("badgeclass-missing-name", SameAsPeer),
    (
        "issuer-missing-email",
        PeerDefect(
            &["VALIDATE_PROPERTY"],
            "the spec and the peer's own rules require a Profile email, but EMAIL is not in its PRIMITIVES list, so the rule never runs",
        ),
    ),
    (
        "issuer-bad-email",
        PeerDefect(
            &["VALIDATE_PROPERTY"],
            "EMAIL-typed rules never run in the peer, so 'not-an-email' passes",
        ),
    ),
    (
        "badgeclass-wrong-type",
        PeerDefect(
            &["VALIDATE_RDF_TYPE_PROPERTY"],
            "the peer builds but never queues type rules, so a BadgeClass typed Issuer passes",
        ),
    ),
    ("bad-recipient-hash-format", SameAsPeer),
    ("wrong-recipient-no-profile", SameAsPeer),
    ("expired", SameAsPeer),
    ("issued-in-future", SameAsPeer),
    ("issuedOn-without-timezone", SameAsPeer),
    ("hosted-origin-not-allowed", SameAsPeer),
    ("extension-valid", SameAsPeer),
    ("extension-invalid", SameAsPeer),
    ("id-mismatch", SameAsPeer),
    ("inline-json-valid", SameAsPeer),
    ("v1.0-hosted", SameAsPeer),
    ("v1.0-missing-issuedOn", SameAsPeer),
    ("v1.0-expired", SameAsPeer),
    ("v1.0-bad-hash", SameAsPeer),
    ("v1.1-hosted", SameAsPeer),
];

/// Cases that need signatures, revocation, images, HTTP behaviour or recipient matching: the verifier's.
const VERIFIER_CASES: &[&str] = &[
    "valid+recipient",
    "badgeclass-image-404",
    "wrong-recipient-vs-profile",
    "hosted-revoked-flag",
    "url-returns-text",
    "url-404",
    "inline-json-no-id",
    "signed-valid",
    "signed-revoked",
    "signed-bad-signature",
    "baked-png-valid",
    "baked-svg-valid",
    "baked-png-expired",
    "baked-png-by-url",
    "unbaked-png",
    "baked-svg-signed",
    "baked-png-signed",
];

#[test]
#[allow(clippy::disallowed_methods)] // the official validator judges dates against the real clock
fn obi_validate_agrees_with_the_official_validator() {
    let Some(fx) = Ob2Fixtures::serve(env!("CARGO_MANIFEST_DIR")) else {
        return;
    };
    let manifest = fx.manifest();
    let cases = manifest["cases"].as_array().expect("cases");
    assert_eq!(
        cases.len(),
        DOCUMENT_CASES.len() + VERIFIER_CASES.len(),
        "every fixture case is classified"
    );
    let now = chrono::Utc::now().to_rfc3339();
    let docs = fx.doc_args();
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let Some((_, expect)) = DOCUMENT_CASES.iter().find(|(n, _)| *n == name) else {
            assert!(VERIFIER_CASES.contains(&name), "unclassified case {name}");
            continue;
        };
        let input = case["input"].as_str().expect("input");
        let file = if case["kind"] == "url" {
            fx.file_for(input)
        } else {
            fx.root().join(input)
        };
        let peer_input = if case["kind"] == "url" {
            input.to_owned()
        } else {
            file.display().to_string()
        };
        let Some(peer) = run_peer("ob2-validate", &[&peer_input, "--report-only"]) else {
            return;
        };
        let peer_report: serde_json::Value =
            serde_json::from_slice(&peer.stdout).unwrap_or_else(|e| {
                panic!(
                    "{name}: peer output is not JSON ({e}): {}",
                    String::from_utf8_lossy(&peer.stderr)
                )
            });
        let peer_set = peer_errors(&peer_report);

        let mut args: Vec<String> = vec![
            "validate".into(),
            "--json".into(),
            "--now".into(),
            now.clone(),
        ];
        args.extend(docs.iter().cloned());
        args.push(file.display().to_string());
        let out = obi(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{name}: obi output is not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let obi_set: BTreeSet<String> = report["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| f["severity"] == "error")
            .filter_map(|f| f["rule"].as_str().map(str::to_owned))
            .collect();
        let obi_valid = report["valid"] == true;
        assert_eq!(
            out.status.code(),
            Some(if obi_valid { 0 } else { 1 }),
            "{name}: exit code"
        );
        let expected: BTreeSet<String> = match expect {
            SameAsPeer => {
                if peer_report["valid"].as_bool() != Some(obi_valid) {
                    failures.push(format!(
                        "{name}: peer valid={} obi valid={obi_valid}",
                        peer_report["valid"]
                    ));
                }
                peer_set.clone()
            }
            PeerDefect(rules, reason) => {
                assert!(
                    peer_set.is_empty() && peer_report["valid"] == true,
                    "{name}: the peer defect ({reason}) seems fixed: peer now says {peer_set:?}"
                );
                rules.iter().map(|s| (*s).to_owned()).collect()
            }
        };
        if obi_set != expected {
            failures.push(format!("{name}: peer errors {peer_set:?}, obi errors {obi_set:?}, expected {expected:?}\n{}",
                serde_json::to_string_pretty(&report["findings"]).unwrap_or_default()));
        }
    }
    assert!(
        failures.is_empty(),
        "disagreements with the official validator:\n{}",
        failures.join("\n")
    );
}
