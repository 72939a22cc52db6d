//! The HTTP cache behind [`crate::HttpFetch`]: what may be reused, and for how long, is decided by RFC 9111
//! (the `http-cache-semantics` crate, as a private cache), in memory and optionally on disk.
//!
//! - Only explicit freshness counts (`max-age`, `Expires`): the heuristic freshness RFC 9111 allows for
//!   responses with just a `Last-Modified` is turned off, because a verifier that guesses a revocation
//!   list is still current could call a revoked badge good.
//! - A stale entry with a validator (`ETag`, `Last-Modified`) is revalidated with a conditional request; a
//!   `304 Not Modified` reuses the stored body.
//! - On disk, each entry is one JSON file named by the SHA-256 of the resource kind and URL, written to a
//!   temporary file and renamed, so concurrent verifiers never read half an entry. A file that does not
//!   parse is a miss (and is replaced), never an error. The directory is kept under a number of entries
//!   and of bytes (10,000 and 512 MiB by default): past either, the least recently written entries go
//!   until it is at three quarters of both.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use http_cache_semantics::{CacheOptions, CachePolicy};
use serde::{Deserialize, Serialize};
use sha2::Digest as _;

use crate::fetch::{Fetched, Resource};

/// Entries kept in memory before the memory cache starts over.
const MEMORY_ENTRIES: usize = 1024;
/// Bytes of bodies kept in memory before the memory cache starts over.
const MEMORY_BYTES: usize = 64 * 1024 * 1024;
/// Entries kept on disk by default.
pub const DISK_ENTRIES: usize = 10_000;
/// Bytes kept on disk by default.
pub const DISK_BYTES: u64 = 512 * 1024 * 1024;
/// The directory is measured once every this many writes.
const TRIM_EVERY: usize = 64;

/// A stored response and the policy that says when it may be reused.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub(crate) policy: CachePolicy,
    pub(crate) fetched: StoredResponse,
}

/// [`Fetched`], with the body as base64 on disk.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct StoredResponse {
    url: String,
    status: u16,
    content_type: Option<String>,
    #[serde(with = "base64_body")]
    body: Vec<u8>,
}

impl From<&Fetched> for StoredResponse {
    fn from(f: &Fetched) -> Self {
        StoredResponse {
            url: f.url.clone(),
            status: f.status,
            content_type: f.content_type.clone(),
            body: f.body.clone(),
        }
    }
}

impl From<StoredResponse> for Fetched {
    fn from(s: StoredResponse) -> Self {
        Fetched {
            url: s.url,
            status: s.status,
            content_type: s.content_type,
            body: s.body,
        }
    }
}

mod base64_body {
    use base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(body: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(body))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(serde::de::Error::custom)
    }
}

/// The policy options: a private (single-user) cache without heuristic freshness.
pub(crate) fn options() -> CacheOptions {
    CacheOptions {
        shared: false,
        cache_heuristic: 0.0,
        immutable_min_time_to_live: Duration::ZERO,
        ..CacheOptions::default()
    }
}

#[derive(Default)]
struct Memory {
    entries: HashMap<(String, Resource), Entry>,
    bytes: usize,
}

/// Memory, and a directory if one is given.
#[derive(Default)]
pub(crate) struct HttpCache {
    memory: Mutex<Memory>,
    disk: Option<PathBuf>,
    /// Largest body stored on disk (the resource limits bound it already; this bounds reading back).
    disk_limit: usize,
    /// Most entries and bytes on disk.
    disk_bounds: (usize, u64),
    writes: std::sync::atomic::AtomicUsize,
}

impl HttpCache {
    pub(crate) fn new(disk: Option<PathBuf>, disk_limit: usize) -> Self {
        HttpCache {
            memory: Mutex::default(),
            disk,
            disk_limit,
            disk_bounds: (DISK_ENTRIES, DISK_BYTES),
            writes: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Keep the directory under `entries` files and `bytes` bytes.
    pub(crate) fn disk_bounds(&self) -> (usize, u64) {
        self.disk_bounds
    }

    pub(crate) fn bound_disk(&mut self, entries: usize, bytes: u64) {
        self.disk_bounds = (entries.max(1), bytes.max(1));
    }

    /// Past either bound, remove the least recently written entries down to three quarters of both. The
    /// entry just written (`keep`) stays whatever the clock says: file times are coarse (a few ms), so
    /// entries written together tie.
    fn trim(&self, dir: &std::path::Path, keep: &std::path::Path) {
        let Ok(list) = std::fs::read_dir(dir) else {
            return;
        };
        let mut files: Vec<(SystemTime, u64, PathBuf)> = list
            .filter_map(Result::ok)
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                let path = e.path();
                (meta.is_file() && path.extension().is_some_and(|x| x == "json") && path != keep)
                    .then(|| {
                        (
                            meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                            meta.len(),
                            path,
                        )
                    })
            })
            .collect();
        let (max_entries, max_bytes) = self.disk_bounds;
        // The kept entry counts too.
        let kept = std::fs::metadata(keep).map_or(0, |m| m.len());
        let mut total: u64 = files.iter().map(|f| f.1).sum::<u64>() + kept;
        let mut count = files.len() + 1;
        if count <= max_entries && total <= max_bytes {
            return;
        }
        files.sort_unstable_by_key(|f| f.0);
        for (_, size, path) in files {
            if count <= max_entries / 4 * 3 && total <= max_bytes / 4 * 3 {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                count -= 1;
                total = total.saturating_sub(size);
            }
        }
    }

    pub(crate) fn get(&self, url: &str, resource: Resource) -> Option<Entry> {
        let key = (url.to_owned(), resource);
        if let Some(e) = self.memory.lock().ok()?.entries.get(&key) {
            return Some(e.clone());
        }
        let path = self.path(url, resource)?;
        let meta = std::fs::metadata(&path).ok()?;
        // Base64 and the JSON around it: at most 4/3 of the body plus headers.
        if meta.len() as usize > self.disk_limit / 3 * 4 + 64 * 1024 {
            return None;
        }
        let entry: Entry = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
        if entry.fetched.url.is_empty() {
            return None;
        }
        self.remember(key, entry.clone());
        Some(entry)
    }

    pub(crate) fn put(&self, url: &str, resource: Resource, entry: Entry) {
        if let Some(path) = self.path(url, resource)
            && let Ok(json) = serde_json::to_vec(&entry)
        {
            // Written beside its final name and renamed: readers see the old entry or the new one.
            let tmp = path.with_extension(format!("tmp{}", std::process::id()));
            if std::fs::write(&tmp, json).is_ok() && std::fs::rename(&tmp, &path).is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            let n = self
                .writes
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if n.is_multiple_of(TRIM_EVERY)
                && let Some(dir) = path.parent()
            {
                self.trim(dir, &path);
            }
        }
        self.remember((url.to_owned(), resource), entry);
    }

    fn remember(&self, key: (String, Resource), entry: Entry) {
        let Ok(mut m) = self.memory.lock() else {
            return;
        };
        let size = entry.fetched.body.len();
        if m.entries.len() >= MEMORY_ENTRIES || m.bytes + size > MEMORY_BYTES {
            m.entries.clear();
            m.bytes = 0;
        }
        if let Some(old) = m.entries.insert(key, entry) {
            m.bytes = m.bytes.saturating_sub(old.fetched.body.len());
        }
        m.bytes += size;
    }

    fn path(&self, url: &str, resource: Resource) -> Option<PathBuf> {
        let dir = self.disk.as_ref()?;
        let mut h = sha2::Sha256::new();
        h.update(format!("{resource:?}\n{url}"));
        let name = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(h.finalize());
        Some(dir.join(format!("{name}.json")))
    }
}

/// The wall clock, for freshness (the server's `Date`, `Expires` and `Age` are wall-clock times).
#[allow(
    clippy::disallowed_methods,
    reason = "HTTP freshness is defined against the wall clock; HttpFetch::with_clock replaces it in tests"
)]
pub(crate) fn system_clock() -> SystemTime {
    SystemTime::now()
}
