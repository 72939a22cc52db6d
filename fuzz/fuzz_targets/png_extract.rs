//! PNG extract (and bake over whatever parses) must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut png = obi_bake::png::SIGNATURE.to_vec();
    png.extend_from_slice(data);
    let _ = obi_bake::png::extract_stream(&png[..]);
    if obi_bake::extract(&png).is_ok() {
        let p = obi_bake::Payload::new(obi_bake::Version::Ob3, "{\"a\": 1}");
        if let Ok(baked) = obi_bake::bake(&png, &p) {
            let found = obi_bake::extract(&baked).expect("obi's own bake must extract");
            assert_eq!(found.map(|b| b.text), Some("{\"a\": 1}".to_owned()));
        }
    }
});
