//! Helpers: the obi binary, and the peers in `../shared/peers` (through obi-testkit).

use std::path::PathBuf;
use std::process::{Command, Output};

pub use obi_testkit::ob2::Ob2Fixtures;

/// Run the obi binary built for these tests.
pub fn obi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_obi"))
        .args(args)
        .output()
        .expect("cannot start obi")
}

/// `shared/peers/bin/<name>`.
pub fn peer_bin(name: &str) -> PathBuf {
    obi_testkit::peer_bin(env!("CARGO_MANIFEST_DIR"), name)
}

/// Whether peers may be skipped (only with an explicit OBI_PEERS_SKIP=1).
pub fn peers_skipped() -> bool {
    obi_testkit::peers_skipped()
}

/// Run a peer. `None` only when it is not installed and OBI_PEERS_SKIP=1; a missing peer fails otherwise.
pub fn run_peer(name: &str, args: &[&str]) -> Option<Output> {
    obi_testkit::run_peer(env!("CARGO_MANIFEST_DIR"), name, args)
}
