//! The OB 2.0 fixture set of the official validator's harness (`ob2-fixtures --serve`), served on 127.0.0.1.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The OB 2.0 fixture set of the official validator's harness, served on 127.0.0.1 while this lives.
pub struct Ob2Fixtures {
    /// The folder the fixtures were written to.
    pub dir: tempfile::TempDir,
    /// The base URL they are served under (`http://127.0.0.1:PORT`).
    pub base: String,
    server: Child,
}

impl Ob2Fixtures {
    /// Write and serve the fixtures; `None` when the peer is missing and OBI_PEERS_SKIP=1.
    pub fn serve(manifest_dir: &str) -> Option<Ob2Fixtures> {
        let dir = tempfile::tempdir().expect("tempdir");
        let out_dir = dir.path().join("fx");
        let mut server = Command::new(crate::peer_bin(manifest_dir, "ob2-fixtures"))
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
            if status.code() == Some(69) && crate::peers_skipped() {
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

/// The official validator's error task names in a `--report-only` report: ERROR-level messages that failed
/// (and `REPORT_MESSAGE` errors, which it marks `success: true`), without the "unmet prerequisites" echoes a
/// single failure spreads to the tasks depending on it.
pub fn peer_errors(report: &serde_json::Value) -> std::collections::BTreeSet<String> {
    report["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| {
            m["messageLevel"] == "ERROR" && (m["success"] != true || m["name"] == "REPORT_MESSAGE")
        })
        .filter(|m| {
            !m["result"]
                .as_str()
                .unwrap_or("")
                .contains("unmet prerequisites")
        })
        .filter_map(|m| m["name"].as_str().map(str::to_owned))
        .collect()
}
