//! The verifier on arbitrary bytes, offline: whatever a file holds (JSON, JWS, PNG, SVG, garbage), the
//! answer is a report or an error, never a panic, and never a verified badge without a valid proof.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use obi_verify::{Input, OfflineFetch, VerifyOptions};

fuzz_target!(|data: &[u8]| {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    let runtime = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
    });
    let opts = VerifyOptions::at("2026-11-28T00:00:00Z".parse().expect("a date"));
    let fetch = OfflineFetch::new();
    if let Ok(report) = runtime.block_on(obi_verify::verify(
        Input::Bytes {
            name: "fuzz",
            bytes: data,
        },
        &opts,
        &fetch,
    )) {
        if report.verified {
            assert!(
                report
                    .checks
                    .iter()
                    .any(|c| c.name == "proof" && c.status == obi_verify::CheckStatus::Passed),
                "verified without a proof: {:?}",
                report.checks
            );
        }
    }
});
