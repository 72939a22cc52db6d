//! Helpers: the obi binary, the peers in `../shared/peers`, and a served OB 2.0 fixture set.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

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

/// The OB 2.0 fixture set of the official validator's harness, served on 127.0.0.1 while this lives.
pub struct Ob2Fixtures {
    pub dir: tempfile::TempDir,
    pub base: String,
    server: Child,
}

impl Ob2Fixtures {
    /// Write and serve the fixtures; `None` when the peer is missing and OBI_PEERS_SKIP=1.
    pub fn serve() -> Option<Ob2Fixtures> {
        let dir = tempfile::tempdir().expect("tempdir");
        let out_dir = dir.path().join("fx");
        let mut server = Command::new(peer_bin("ob2-fixtures"))
            .args(["--serve", "--max-seconds", "900"])
            .arg(&out_dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("cannot start ob2-fixtures");
        let mut line = String::new();
        BufReader::new(server.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read base URL");
        if line.trim().is_empty() {
            let status = server.wait().expect("wait");
            if status.code() == Some(69) && peers_skipped() {
                eprintln!("SKIPPED: ob2-fixtures not installed (OBI_PEERS_SKIP=1)");
                return None;
            }
            panic!(
                "ob2-fixtures printed no base URL (exit {status}); run `bash ../shared/peers/install.sh`"
            );
        }
        Some(Ob2Fixtures {
            dir,
            base: line.trim().to_owned(),
            server,
        })
    }

    /// The fixture folder.
    pub fn root(&self) -> PathBuf {
        self.dir.path().join("fx")
    }

    /// The manifest.
    pub fn manifest(&self) -> serde_json::Value {
        let text =
            std::fs::read_to_string(self.root().join("MANIFEST.json")).expect("MANIFEST.json");
        serde_json::from_str(&text).expect("manifest JSON")
    }

    /// `--doc URL=FILE` arguments for every JSON document of the set.
    pub fn doc_args(&self) -> Vec<String> {
        let mut docs = Vec::new();
        collect_json(&self.root(), &self.root(), &self.base, &mut docs);
        docs.sort();
        docs.into_iter()
            .flat_map(|d| ["--doc".to_owned(), d])
            .collect()
    }

    /// The local file served at `url`.
    pub fn file_for(&self, url: &str) -> PathBuf {
        self.root().join(
            url.strip_prefix(&self.base)
                .expect("fixture URL")
                .trim_start_matches('/'),
        )
    }
}

fn collect_json(root: &Path, dir: &Path, base: &str, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_json(root, &path, base, out);
        } else if path.extension().is_some_and(|e| e == "json")
            && path.file_name().is_some_and(|n| n != "MANIFEST.json")
        {
            let rel = path
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            out.push(format!("{base}/{rel}={}", path.display()));
        }
    }
}

impl Drop for Ob2Fixtures {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}
