//! JSON-LD expansion and RDFC-1.0 on arbitrary input: never a panic, bounded work, and the canonical form
//! does not depend on the order of the quads.
#![no_main]

use libfuzzer_sys::fuzz_target;
use obi_jsonld::{CanonLimits, canonicalize_with, to_rdf};

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let Ok(mut quads) = to_rdf(&doc) else {
        return;
    };
    let limits = CanonLimits { max_steps: 2_000, max_depth: 16 };
    let first = canonicalize_with(&quads, limits);
    quads.reverse();
    let second = canonicalize_with(&quads, limits);
    if let (Ok(a), Ok(b)) = (&first, &second) {
        assert_eq!(a, b, "canonical form depends on quad order");
    }
});
