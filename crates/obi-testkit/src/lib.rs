//! Test support for obi's crates (a dev-dependency only): finding `../shared` (the spec material and the
//! peers beside the project root) and running a peer so that a missing one fails the test, unless
//! `OBI_PEERS_SKIP=1` says otherwise.

pub mod ob2;
pub mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `shared/<rel>`, found above `manifest_dir` (pass `env!("CARGO_MANIFEST_DIR")`).
pub fn shared(manifest_dir: &str, rel: &str) -> PathBuf {
    let start = Path::new(manifest_dir);
    for dir in start.ancestors() {
        let p = dir.join("shared").join(rel);
        if p.exists() {
            return p;
        }
    }
    panic!("shared/{rel} not found above {}", start.display());
}

/// The text of `shared/<rel>`.
pub fn shared_text(manifest_dir: &str, rel: &str) -> String {
    let p = shared(manifest_dir, rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `shared/peers/bin/<name>`.
pub fn peer_bin(manifest_dir: &str, name: &str) -> PathBuf {
    shared(manifest_dir, &format!("peers/bin/{name}"))
}

/// Whether peers may be skipped (only with an explicit `OBI_PEERS_SKIP=1`).
pub fn peers_skipped() -> bool {
    std::env::var("OBI_PEERS_SKIP").as_deref() == Ok("1")
}

/// Run a peer. `None` only when it is not installed and `OBI_PEERS_SKIP=1`; a missing peer fails otherwise.
pub fn run_peer(manifest_dir: &str, name: &str, args: &[&str]) -> Option<Output> {
    let out = Command::new(peer_bin(manifest_dir, name))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot start peer {name}: {e}"));
    if out.status.code() == Some(69) {
        if peers_skipped() {
            eprintln!("SKIPPED: peer {name} not installed (OBI_PEERS_SKIP=1)");
            return None;
        }
        panic!(
            "peer {name} is not installed; run `bash ../shared/peers/install.sh`\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Some(out)
}

/// The ob3-node peer's `node_modules` (for tests that run Node scripts against the Digital Bazaar
/// modules). `None` only when it is missing and `OBI_PEERS_SKIP=1`; a missing peer fails otherwise.
pub fn ob3_node_modules() -> Option<PathBuf> {
    let home = std::env::var("OBI_PEERS_HOME").unwrap_or_else(|_| {
        format!(
            "{}/.cache/obi-peers",
            std::env::var("HOME").unwrap_or_default()
        )
    });
    let modules = Path::new(&home).join("ob3-node/node_modules");
    if modules.is_dir() {
        return Some(modules);
    }
    assert!(
        peers_skipped(),
        "the ob3-node peer is not installed at {home}; run `bash ../shared/peers/install.sh`"
    );
    None
}

/// The controller documents the `ob3-validator-fixtures` peer makes up for `https://…#z6Mk…` and
/// `did:web:…#z6Mk…` verification methods: the fragment is taken as the key (an assumption the signatures
/// verifying confirms). Returns (controller, controller document) for each proof of `credential` whose
/// method has that shape; never use this outside tests.
pub fn made_up_controllers(credential: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    let proofs: Vec<&serde_json::Value> = match &credential["proof"] {
        serde_json::Value::Array(a) => a.iter().collect(),
        p => vec![p],
    };
    proofs
        .into_iter()
        .filter_map(|p| {
            let vm = p["verificationMethod"].as_str()?;
            let (controller, fragment) = vm.split_once('#')?;
            // Ed25519 (z6Mk…) and P-256 (zDn…) Multikeys.
            if !(fragment.starts_with("z6Mk") || fragment.starts_with("zDn"))
                || controller.starts_with("did:key:")
            {
                return None;
            }
            let doc = serde_json::json!({
                "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
                "id": controller,
                "assertionMethod": [{"id": vm, "type": "Multikey", "controller": controller, "publicKeyMultibase": fragment}]
            });
            Some((controller.to_owned(), doc))
        })
        .collect()
}
