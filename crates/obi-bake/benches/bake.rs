//! Bake and extract a 100 KB PNG and a 100 KB SVG (targets: PNG bake at copy speed, extract independent of
//! image size; SVG bake and extract at least 200x faster than the Python bakery).

use criterion::{Criterion, criterion_group, criterion_main};
use obi_bake::png::tests_support::chunk_bytes;
use obi_bake::{Payload, Version, bake, extract};

const ASSERTION: &str = r#"{"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://example.org/assertions/1", "recipient": {"type": "email", "hashed": true, "salt": "pepper-1", "identity": "sha256$af2b445a2226504aff81a5a8d916f636d4924a0c91a5b6ecaa37e124b5257a80"}, "badge": "https://example.org/badges/1", "verification": {"type": "HostedBadge"}, "issuedOn": "2024-01-15T12:00:00Z"}"#;

/// A PNG of `n` 10 KB IDAT chunks (opaque bytes: never decoded) between IHDR and IEND.
fn png_with_idats(n: u8) -> Vec<u8> {
    let mut v = obi_bake::png::SIGNATURE.to_vec();
    v.extend(chunk_bytes(
        b"IHDR",
        &[0, 0, 1, 0, 0, 0, 1, 0, 8, 2, 0, 0, 0],
    ));
    for i in 0..n {
        v.extend(chunk_bytes(b"IDAT", &vec![i; 10_240]));
    }
    v.extend(chunk_bytes(b"IEND", &[]));
    v
}

/// A ~100 KB SVG with a DOCTYPE, as editors write them.
fn svg_100k() -> Vec<u8> {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"512\" height=\"512\">\n",
    );
    let mut i = 0;
    while s.len() < 100_000 {
        s.push_str(&format!(
            "  <path d=\"M{i} {i} L{} {} Q 10 20 30 40 Z\" fill=\"#a0b0c0\" stroke=\"black\"/>\n",
            i + 3,
            i + 7
        ));
        i += 1;
    }
    s.push_str("</svg>\n");
    s.into_bytes()
}

fn bench(c: &mut Criterion) {
    let payload = Payload::new(Version::Ob2, ASSERTION);
    let png = png_with_idats(10); // ~100 KB
    let svg = svg_100k();
    let baked_png = bake(&png, &payload).expect("bake png");
    let baked_svg = bake(&svg, &payload).expect("bake svg");
    let mut g = c.benchmark_group("bake");
    g.bench_function("png_100k_bake", |b| b.iter(|| bake(&png, &payload)));
    g.bench_function("png_100k_copy_baseline", |b| b.iter(|| png.clone()));
    g.bench_function("png_100k_extract", |b| b.iter(|| extract(&baked_png)));
    g.bench_function("svg_100k_bake", |b| b.iter(|| bake(&svg, &payload)));
    g.bench_function("svg_100k_extract", |b| b.iter(|| extract(&baked_svg)));
    g.finish();
    // Extract cost must not grow with the image: a 10x larger PNG.
    let big = png_with_idats(100); // ~1 MB
    let baked_big = bake(&big, &payload).expect("bake big");
    c.bench_function("bake/png_1m_extract", |b| b.iter(|| extract(&baked_big)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
