//! SVG extract (and bake over whatever parses) must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = obi_bake::svg::extract(data);
    if obi_bake::svg::extract(data).is_ok() {
        let p = obi_bake::Payload::new(obi_bake::Version::Ob2, "{\"a\": \"]]> &\"}");
        if let Ok(baked) = obi_bake::svg::bake(data, &p) {
            let found = obi_bake::svg::extract(&baked).expect("obi's own bake must extract");
            assert!(found.iter().any(|b| b.text == "{\"a\": \"]]> &\"}"));
        }
    }
});
