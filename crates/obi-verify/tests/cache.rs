//! The HTTP cache of `HttpFetch`: explicit freshness only, revalidation with validators, a disk cache
//! shared between runs, and nothing cached that should not be.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use obi_testkit::server::{Reply, TestServer};
use obi_verify::{Fetch, FetchPolicy, HttpFetch, Resource, StaticDns};

/// A clock the test moves: seconds added to the system time.
static AHEAD: AtomicU64 = AtomicU64::new(0);

#[allow(
    clippy::disallowed_methods,
    reason = "a test clock built on the real one"
)]
fn clock() -> SystemTime {
    SystemTime::now() + Duration::from_secs(AHEAD.load(Ordering::SeqCst))
}

/// `/max-age` (fresh for 60 s), `/etag` (always revalidated; 304 when the client has "v1"),
/// `/last-modified` (only a Last-Modified: no heuristic freshness), `/gone` (410, max-age).
fn server() -> TestServer {
    TestServer::start_with_head("127.0.0.1:0", |path, head| {
        let head = head.to_ascii_lowercase();
        match path {
            "/max-age" => {
                Reply::ok("application/json", r#"{"n":1}"#).header("Cache-Control", "max-age=60")
            }
            "/etag" if head.contains("if-none-match: \"v1\"") => {
                Reply::status(304).header("ETag", "\"v1\"")
            }
            "/etag" => Reply::ok("application/json", r#"{"etag":1}"#)
                .header("ETag", "\"v1\"")
                .header("Cache-Control", "no-cache"),
            // As Python's http.server answers: a 304 without any validator.
            "/python" if head.contains("if-modified-since:") => Reply::status(304),
            "/python" => Reply::ok("application/json", r#"{"py":1}"#)
                .header("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT"),
            // A 304 naming another version than the one stored: asked again without conditions.
            "/other" if head.contains("if-none-match:") => {
                Reply::status(304).header("ETag", "\"v2\"")
            }
            "/other" => Reply::ok("application/json", r#"{"v":1}"#)
                .header("ETag", "\"v1\"")
                .header("Cache-Control", "no-cache"),
            "/last-modified" => Reply::ok("application/json", "{}")
                .header("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT"),
            "/gone" => Reply::status(410).header("Cache-Control", "max-age=60"),
            p if p.starts_with("/n/") => {
                Reply::ok("application/json", "{}").header("Cache-Control", "max-age=60")
            }
            "/no-store" => {
                Reply::ok("application/json", "{}").header("Cache-Control", "max-age=60, no-store")
            }
            _ => Reply::status(404),
        }
    })
    .unwrap()
}

fn client(s: &TestServer) -> HttpFetch {
    let mut policy = FetchPolicy::default();
    policy.dangerous().allow_host("127.0.0.1", s.addr.port());
    HttpFetch::with_resolver(policy, Arc::new(StaticDns::new()))
        .unwrap()
        .with_clock(clock)
}

async fn get(f: &HttpFetch, s: &TestServer, path: &str) -> (u16, Vec<u8>) {
    let r = f
        .fetch(&format!("{}{path}", s.base()), Resource::Document)
        .await
        .unwrap();
    (r.status, r.body)
}

/// One test, because the clock is shared.
#[tokio::test]
async fn cache_follows_http_semantics() {
    AHEAD.store(0, Ordering::SeqCst);
    let s = server();
    let f = client(&s);
    let requests = |s: &TestServer| s.requests();

    // Fresh for 60 s: one request, until the clock passes 60 s.
    for _ in 0..3 {
        assert_eq!(get(&f, &s, "/max-age").await.0, 200);
    }
    assert_eq!(requests(&s), 1);
    AHEAD.store(61, Ordering::SeqCst);
    get(&f, &s, "/max-age").await;
    assert_eq!(requests(&s), 2, "stale after max-age");
    AHEAD.store(0, Ordering::SeqCst);

    // Revalidated every time; the 304 reuses the stored body.
    let before = requests(&s);
    for _ in 0..3 {
        assert_eq!(get(&f, &s, "/etag").await, (200, br#"{"etag":1}"#.to_vec()));
    }
    assert_eq!(requests(&s) - before, 3, "no-cache: asked every time");

    // A validator-less 304 confirms the stored body; a 304 for another version is not trusted.
    let before = requests(&s);
    for _ in 0..2 {
        assert_eq!(get(&f, &s, "/python").await, (200, br#"{"py":1}"#.to_vec()));
    }
    assert_eq!(requests(&s) - before, 2);
    let before = requests(&s);
    assert_eq!(get(&f, &s, "/other").await, (200, br#"{"v":1}"#.to_vec()));
    assert_eq!(get(&f, &s, "/other").await, (200, br#"{"v":1}"#.to_vec()));
    assert_eq!(
        requests(&s) - before,
        3,
        "first, then conditional, then unconditional"
    );

    // No explicit freshness: not reused (no heuristic guess for a revocation list).
    let before = requests(&s);
    get(&f, &s, "/last-modified").await;
    get(&f, &s, "/last-modified").await;
    assert_eq!(requests(&s) - before, 2);

    // no-store is never kept; a 410 with max-age is (gone stays gone).
    let before = requests(&s);
    for _ in 0..2 {
        get(&f, &s, "/no-store").await;
        assert_eq!(get(&f, &s, "/gone").await.0, 410);
    }
    assert_eq!(requests(&s) - before, 3);

    // On disk: a second client (a later run) reuses what is fresh; a damaged file is a miss.
    let dir = tempfile::tempdir().unwrap();
    let a = client(&s).with_disk_cache(dir.path().join("http")).unwrap();
    let before = requests(&s);
    get(&a, &s, "/max-age").await;
    let b = client(&s).with_disk_cache(dir.path().join("http")).unwrap();
    assert_eq!(get(&b, &s, "/max-age").await, (200, br#"{"n":1}"#.to_vec()));
    assert_eq!(requests(&s) - before, 1, "the second run read the disk");
    for entry in std::fs::read_dir(dir.path().join("http")).unwrap() {
        std::fs::write(entry.unwrap().path(), b"{ not json").unwrap();
    }
    let c = client(&s).with_disk_cache(dir.path().join("http")).unwrap();
    assert_eq!(get(&c, &s, "/max-age").await.0, 200);
    assert_eq!(requests(&s) - before, 2, "a damaged entry is fetched again");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.path().join("http"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the cache directory is its owner's only");
        // A directory others can write to is refused: they could plant documents.
        let shared = dir.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
        let refused = client(&s).with_disk_cache(&shared).err().unwrap();
        assert!(
            refused.to_string().contains("other users can write"),
            "{refused}"
        );
    }
}

/// The disk cache stays under its bounds: the oldest entries go, the newest stay.
#[tokio::test]
async fn disk_cache_is_bounded() {
    let s = server();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("http");
    let f = client(&s)
        .with_disk_cache_bounds(4, 1 << 20)
        .with_disk_cache(&cache)
        .unwrap();
    // The directory is measured on the first write and every 64th: 65 writes end with a trim.
    for i in 0..65 {
        get(&f, &s, &format!("/n/{i}")).await;
    }
    let entries = std::fs::read_dir(&cache).unwrap().count();
    assert!(entries <= 3, "{entries} entries left");
    let before = s.requests();
    let later = client(&s).with_disk_cache(&cache).unwrap();
    get(&later, &s, "/n/64").await;
    assert_eq!(s.requests(), before, "the newest entry is kept");
    get(&later, &s, "/n/0").await;
    assert_eq!(s.requests(), before + 1, "the oldest entry is gone");
}
