//! Validate an assertion + badge class + issuer graph already in memory (target: 50,000 graphs/s on one core).

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
}

criterion_group!(benches, bench);
criterion_main!(benches);
