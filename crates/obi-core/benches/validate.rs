//! Validate an assertion + badge class + issuer graph already in memory (target: 50,000 graphs/s on one core),
//! and an OB 3.0 credential.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use obi_core::v2::{Docs, ValidateOptions, validate};

fn load(name: &str) -> serde_json::Value {
    let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("example")).expect("JSON")
}

fn bench(c: &mut Criterion) {
    let assertion = load("assertion.json");
    let mut docs = Docs::new();
    docs.insert("https://example.org/badges/1", load("badgeclass.json"));
    docs.insert("https://example.org/issuer", load("issuer.json"));
    let opts = ValidateOptions::at("2026-01-01T00:00:00Z".parse().expect("date"));
    assert!(validate(&assertion, &docs, &opts).valid);
    let mut g = c.benchmark_group("ob2");
    g.throughput(Throughput::Elements(1));
    g.bench_function("validate_assertion_badgeclass_issuer", |b| {
        b.iter(|| validate(&assertion, &docs, &opts))
    });
    g.finish();

    // OB 3.0: the peers' 4.4 KB sample credential (schemas, rules, safe-mode JSON-LD).
    let sample: serde_json::Value = serde_json::from_str(&obi_testkit::shared_text(
        env!("CARGO_MANIFEST_DIR"),
        "peers/ob3-node/testdata/sample-ob3.signed.json",
    ))
    .expect("JSON");
    let now = "2026-11-28T00:00:00Z".parse().expect("date");
    assert!(obi_core::v3::validate(&sample, now).valid);
    let mut g = c.benchmark_group("ob3");
    g.throughput(Throughput::Elements(1));
    g.bench_function("validate_credential", |b| {
        b.iter(|| obi_core::v3::validate(&sample, now))
    });
    g.bench_function("validate_credential_without_body_jsonld", |b| {
        b.iter(|| obi_core::v3::validate_with(&sample, now, false))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
