//! Write N signed (eddsa-rdfc-2022, did:key issuer) OB 3.0 credentials baked into small PNGs, for timing
//! `obi verify --offline --jobs 2 DIR` on a batch. Usage: `cargo run --release -p obi-verify --example
//! make_batch -- DIR N`.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    reason = "a benchmark helper"
)]

use obi_sign::di::{self, ProofOptions, Suite};
use obi_sign::{KeyType, SecretKey};
use serde_json::json;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("DIR"));
    let n: usize = args.next().expect("N").parse().expect("a number");
    std::fs::create_dir_all(&dir).unwrap();
    let key = SecretKey::generate(KeyType::Ed25519).unwrap();
    let did = key.public().did_key().unwrap();
    let opts = ProofOptions {
        suite: Suite::EddsaRdfc2022,
        verification_method: key.public().did_key_vm().unwrap(),
        created: Some("2026-11-01T00:00:00Z".into()),
    };
    let png = obi_bake::png::tests_support::tiny_png();
    for i in 0..n {
        let c = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": format!("urn:uuid:00000000-0000-4000-8000-{i:012}"),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": did, "type": ["Profile"], "name": "Batch Issuer"},
            "validFrom": "2026-11-01T00:00:00Z",
            "name": format!("Batch badge {i}"),
            "credentialSubject": {"id": format!("did:example:learner-{i}"), "type": ["AchievementSubject"],
                "achievement": {"id": "https://example.org/achievements/batch", "type": ["Achievement"], "name": "Batch",
                    "description": "A badge for timing.", "criteria": {"narrative": "Exist."}}}
        });
        let signed = di::sign(&c, &key, &opts).unwrap();
        let baked = obi_bake::bake(
            &png,
            &obi_bake::Payload::new(obi_bake::Version::Ob3, signed.to_string()),
        )
        .unwrap();
        std::fs::write(dir.join(format!("badge-{i:05}.png")), baked).unwrap();
    }
}
