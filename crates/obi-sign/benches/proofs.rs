//! Proofs on the peers' 4.4 KB sample credential (`shared/peers/ob3-node/testdata`), in-process, to compare
//! with `shared/peers/bin/ob3-bench 200` (Digital Bazaar, also in-process). Targets (issue 4):
//! eddsa-rdfc-2022 verify and sign at least 50x faster than the peer; VC-JWT verify within 3x of a bare
//! signature check.

#![allow(clippy::unwrap_used, reason = "benchmark setup")]

use std::hint::black_box;

use chrono::{DateTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use obi_sign::di::{self, ProofOptions, Suite};
use obi_sign::vcjwt::{self, HeaderKey};
use obi_sign::{OfflineResolver, SecretKey};
use serde_json::Value;

const DIR: &str = env!("CARGO_MANIFEST_DIR");

fn bench(c: &mut Criterion) {
    let signed: Value = serde_json::from_str(&obi_testkit::shared_text(
        DIR,
        "peers/ob3-node/testdata/sample-ob3.signed.json",
    ))
    .unwrap();
    let mut unsigned = signed.clone();
    let proof = unsigned.as_object_mut().unwrap().remove("proof").unwrap();
    let key = SecretKey::from_ed25519_seed(&core::array::from_fn(|i| i as u8));
    let resolver = OfflineResolver::new();
    let opts = ProofOptions {
        suite: Suite::EddsaRdfc2022,
        verification_method: proof["verificationMethod"].as_str().unwrap().into(),
        created: Some(proof["created"].as_str().unwrap().into()),
    };
    let token = vcjwt::sign(
        &unsigned,
        &key,
        HeaderKey::Kid(opts.verification_method.clone()),
    )
    .unwrap();
    let now: DateTime<Utc> = "2026-11-28T00:00:00Z".parse().unwrap();
    let public = key.public();
    // The floor for VC-JWT verify: one Ed25519 check of this token's signature over its signing input.
    let (input, sig_b64) = token.rsplit_once('.').unwrap();
    let sig =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, sig_b64).unwrap();
    let text = signed.to_string();

    // The cost of reading only compacted form (what "verified means verified" added): the same expansion,
    // with the extra checks on every member, context and value.
    c.bench_function("JSON-LD to RDF, lenient", |b| {
        b.iter(|| obi_jsonld::to_rdf_without(black_box(&signed), "proof").unwrap())
    });
    c.bench_function("JSON-LD to RDF, compacted form only", |b| {
        b.iter(|| obi_jsonld::to_rdf_compacted_without(black_box(&signed), Some("proof")).unwrap())
    });
    c.bench_function("eddsa-rdfc-2022 verify (parsed JSON)", |b| {
        b.iter(|| {
            assert!(
                di::verify(black_box(&signed), &resolver, now).unwrap()[0]
                    .result
                    .is_ok()
            )
        })
    });
    c.bench_function("eddsa-rdfc-2022 verify (from JSON text)", |b| {
        b.iter(|| {
            let doc: Value = serde_json::from_str(black_box(&text)).unwrap();
            assert!(di::verify(&doc, &resolver, now).unwrap()[0].result.is_ok())
        })
    });
    c.bench_function("eddsa-rdfc-2022 sign", |b| {
        b.iter(|| di::sign(black_box(&unsigned), &key, &opts).unwrap())
    });
    c.bench_function("eddsa-jcs-2022 sign", |b| {
        let jcs = ProofOptions {
            suite: Suite::EddsaJcs2022,
            ..opts.clone()
        };
        b.iter(|| di::sign(black_box(&unsigned), &key, &jcs).unwrap())
    });
    c.bench_function("RDFC-1.0 canonicalize (to RDF + canonical N-Quads)", |b| {
        b.iter(|| {
            obi_jsonld::canonicalize(&obi_jsonld::to_rdf(black_box(&unsigned)).unwrap()).unwrap()
        })
    });
    c.bench_function("VC-JWT EdDSA verify", |b| {
        b.iter(|| vcjwt::verify(black_box(&token), None, &resolver, now).unwrap())
    });
    c.bench_function("bare Ed25519 verify of the VC-JWT signature", |b| {
        b.iter(|| public.verify(black_box(input.as_bytes()), &sig).unwrap())
    });
    // aws-lc-rs is within 10% of ed25519-dalek here: not worth a second Ed25519 implementation.
    let raw = public.raw_bytes().unwrap();
    c.bench_function("bare Ed25519 verify, aws-lc-rs (for comparison)", |b| {
        b.iter(|| {
            aws_lc_rs::signature::UnparsedPublicKey::new(&aws_lc_rs::signature::ED25519, &raw)
                .verify(black_box(input.as_bytes()), &sig)
                .unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
