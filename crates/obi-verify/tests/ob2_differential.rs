//! `obi verify` against the official 1EdTech validator (openbadges 1.1.2) on its 39-case fixture set
//! served on 127.0.0.1: same verdict and the same error rules, except where the peer is known to be wrong;
//! each of those cases says what obi answers instead, and why.

use std::collections::BTreeSet;
use std::sync::Arc;

use obi_testkit::ob2::{Ob2Fixtures, peer_errors};
use obi_verify::{FetchPolicy, HttpFetch, Input, StaticDns, VerifyOptions};

const DIR: &str = env!("CARGO_MANIFEST_DIR");

/// Cases where the peer is wrong: (case, obi's error rules, obi verified?, why).
const PEER_DEFECTS: &[(&str, &[&str], bool, &str)] = &[
    (
        "badgeclass-image-404",
        &["IMAGE_VALIDATION"],
        false,
        "openbadges 1.1.2 never looks at the image response status, so a 404 image passes",
    ),
    (
        "issuer-missing-email",
        &["VALIDATE_PROPERTY"],
        false,
        "EMAIL is not in the peer's PRIMITIVES, so the required-email rule never runs",
    ),
    (
        "issuer-bad-email",
        &["VALIDATE_PROPERTY"],
        false,
        "EMAIL-typed rules never run in the peer",
    ),
    (
        "badgeclass-wrong-type",
        &["VALIDATE_RDF_TYPE_PROPERTY"],
        false,
        "the peer builds type rules but never queues them",
    ),
    (
        "hosted-revoked-flag",
        &["ASSERTION_REVOKED"],
        false,
        "the peer checks revocation for signed assertions only; a hosted one marked revoked=true is revoked",
    ),
    (
        "id-mismatch",
        &["HOSTED_ID_MISMATCH"],
        false,
        "the peer re-fetches the declared id and verifies that other document; the one served at the URL given is not the assertion it claims to be",
    ),
    (
        "baked-svg-valid",
        &[],
        true,
        "the peer's SVG unbake returns the assertion URL as bytes its input detection rejects",
    ),
    (
        "unbaked-png",
        &["NO_BADGE_IN_IMAGE"],
        false,
        "the peer raises AttributeError instead of reporting that the image carries no badge",
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(
    clippy::disallowed_methods,
    reason = "the official validator judges dates against the real clock"
)]
async fn obi_verify_agrees_with_the_official_validator() {
    let Some(fx) = Ob2Fixtures::serve(DIR) else {
        return;
    };
    let port: u16 = fx.base.rsplit(':').next().unwrap().parse().unwrap();
    let mut policy = FetchPolicy::default();
    policy.dangerous().allow_host("127.0.0.1", port);
    let fetch = HttpFetch::with_resolver(policy, Arc::new(StaticDns::new())).unwrap();
    let manifest = fx.manifest();
    let now = chrono::Utc::now();
    let mut failures = Vec::new();
    let mut agreed = 0;
    for case in manifest["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let input = case["input"].as_str().unwrap();
        let url = case["kind"] == "url";
        let path = fx.root().join(input);
        let mut opts = VerifyOptions::at(now);
        let mut peer_args: Vec<String> = vec![
            if url {
                input.to_owned()
            } else {
                path.display().to_string()
            },
            "--report-only".into(),
        ];
        if let Some(email) = case["recipient"]["email"].as_str() {
            opts = opts.recipient(email);
            peer_args.extend(["--recipient-email".into(), email.into()]);
        }
        let bytes;
        let obi_input = if url {
            Input::Url(input)
        } else {
            bytes = std::fs::read(&path).unwrap();
            Input::Bytes {
                name,
                bytes: &bytes,
            }
        };
        let report = obi_verify::verify(obi_input, &opts, &fetch)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let obi_set: BTreeSet<String> = report
            .findings
            .iter()
            .filter(|f| f.severity == obi_core::Severity::Error)
            .map(|f| f.rule.to_owned())
            .collect();
        let args: Vec<&str> = peer_args.iter().map(String::as_str).collect();
        let Some(peer) = obi_testkit::run_peer(DIR, "ob2-validate", &args) else {
            return;
        };
        let peer_report: Option<serde_json::Value> = serde_json::from_slice(&peer.stdout).ok();
        let peer_valid = peer_report.as_ref().and_then(|r| r["valid"].as_bool());
        let peer_set = peer_report.as_ref().map(peer_errors).unwrap_or_default();
        match PEER_DEFECTS.iter().find(|(n, ..)| *n == name) {
            Some((_, rules, verified, why)) => {
                let expected: BTreeSet<String> = rules.iter().map(|r| (*r).to_owned()).collect();
                if obi_set != expected || report.verified != *verified {
                    failures.push(format!("{name} (peer defect: {why}): obi verified={} errors {obi_set:?}, expected {verified} {expected:?}", report.verified));
                }
                if peer_valid == Some(report.verified) && peer_set == obi_set {
                    failures.push(format!("{name}: the peer now agrees with obi; the defect ({why}) is fixed, update this test"));
                }
            }
            None => {
                if peer_valid != Some(report.verified) || peer_set != obi_set {
                    failures.push(format!(
                        "{name}: peer valid={peer_valid:?} errors {peer_set:?}; obi verified={} errors {obi_set:?}\n{:#?}",
                        report.verified, report.checks
                    ));
                } else {
                    agreed += 1;
                }
            }
        }
    }
    eprintln!(
        "official validator: {agreed} cases agree, {} known peer defects",
        PEER_DEFECTS.len()
    );
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
