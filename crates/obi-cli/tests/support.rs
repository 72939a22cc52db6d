//! Helpers: the obi binary, the peers in `../shared/peers`, and a served OB 2.0 fixture set.

use std::path::PathBuf;
use std::process::{Command, Output};

/// Run the obi binary built for these tests.
pub fn obi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_obi"))
        .args(args)
        .output()
        .expect("cannot start obi")
}

/// `shared/peers/bin/<name>`, found above the crate directory (`shared/` sits beside the project root).
pub fn peer_bin(name: &str) -> PathBuf {
    let start = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for dir in start.ancestors() {
        let bin = dir.join("shared/peers/bin").join(name);
        if bin.is_file() {
            return bin;
        }
    }
    panic!(
        "shared/peers/bin/{name} not found above {}",
        start.display()
    );
}

/// Whether peers may be skipped (only with an explicit OBI_PEERS_SKIP=1).
pub fn peers_skipped() -> bool {
    std::env::var("OBI_PEERS_SKIP").as_deref() == Ok("1")
}

/// Run a peer. `None` only when it is not installed and OBI_PEERS_SKIP=1; a missing peer fails otherwise.
pub fn run_peer(name: &str, args: &[&str]) -> Option<Output> {
    let out = Command::new(peer_bin(name))
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

pub use obi_testkit::ob2::Ob2Fixtures;
