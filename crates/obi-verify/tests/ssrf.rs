//! The fetch guard, end to end against counting servers on loopback (the only real targets allowed on
//! this machine): every spelling of loopback is refused and no server sees a request; the allow-list
//! admits exactly one host:port; limits end hostile responses with clear errors.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use obi_testkit::server::{Body, Reply, TestServer};
use obi_verify::{
    Fetch, FetchError, FetchPolicy, HttpFetch, OfflineFetch, Resource, StaticDns, SystemDns,
};

fn json_server(bind: &str) -> Option<TestServer> {
    TestServer::start(bind, |_| Reply::ok("application/json", r#"{"ok": true}"#))
}

fn dns() -> Arc<StaticDns> {
    let lo4: IpAddr = "127.0.0.1".parse().unwrap();
    let lo6: IpAddr = "::1".parse().unwrap();
    let meta: IpAddr = "169.254.169.254".parse().unwrap();
    Arc::new(
        StaticDns::new()
            .with("evil.example", &[lo4])
            .with("v6.example", &[lo6])
            .with("both.example", &[lo4, lo6])
            .with("metadata.example", &[meta])
            .with("localhost", &[lo4, lo6]),
    )
}

fn refused(r: Result<obi_verify::Fetched, FetchError>, url: &str) {
    match r {
        Err(FetchError::Refused { .. }) => {}
        other => panic!("{url}: expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn every_spelling_of_loopback_is_refused() {
    let v4 = json_server("127.0.0.1:0").expect("bind 127.0.0.1");
    let v6 = json_server("[::1]:0");
    assert!(
        v6.is_some(),
        "cannot bind [::1]: the IPv6 half of this test needs IPv6 loopback"
    );
    let p = v4.addr.port();
    let p6 = v6.as_ref().map_or(p, |s| s.addr.port());
    let fetch = HttpFetch::with_resolver(FetchPolicy::default(), dns()).unwrap();
    let system = HttpFetch::with_resolver(FetchPolicy::default(), Arc::new(SystemDns)).unwrap();
    let urls = [
        format!("http://127.0.0.1:{p}/"),
        format!("http://127.1:{p}/"),
        format!("http://127.0.1:{p}/"),
        format!("http://2130706433:{p}/"),
        format!("http://0x7f000001:{p}/"),
        format!("http://0x7f.0x0.0x0.0x1:{p}/"),
        format!("http://0177.0.0.1:{p}/"),
        format!("http://0177.0.0.01:{p}/"),
        format!("http://127.000.000.001:{p}/"),
        format!("http://127.0.0.1.:{p}/"),
        format!("http://127.0.0.2:{p}/"),
        format!("http://%31%32%37.0.0.1:{p}/"),
        format!("http://１２７.０.０.１:{p}/"),
        format!("http://public.example@127.0.0.1:{p}/"),
        format!("http://127.0.0.1:{p}#@public.example/"),
        format!("https://127.0.0.1:{p}/"),
        format!("http://0.0.0.0:{p}/"),
        format!("http://0:{p}/"),
        format!("http://[::ffff:127.0.0.1]:{p}/"),
        format!("http://[::ffff:7f00:1]:{p}/"),
        format!("http://[0:0:0:0:0:ffff:127.0.0.1]:{p}/"),
        format!("http://[::127.0.0.1]:{p}/"),
        format!("http://[64:ff9b::127.0.0.1]:{p}/"),
        format!("http://[2002:7f00:1::]:{p}/"),
        format!("http://[::1]:{p6}/"),
        format!("http://[0:0:0:0:0:0:0:1]:{p6}/"),
        format!("http://[::]:{p6}/"),
        format!("http://localhost:{p}/"),
        format!("http://LOCALHOST:{p}/"),
        format!("http://localhost.:{p}/"),
        format!("http://evil.example:{p}/"),
        format!("http://both.example:{p}/"),
        format!("http://v6.example:{p6}/"),
        format!("http://metadata.example:{p}/latest/meta-data/"),
    ];
    for url in &urls {
        refused(fetch.fetch(url, Resource::Document).await, url);
    }
    // The system resolver's answer for localhost is filtered the same way.
    for url in [
        format!("http://localhost:{p}/"),
        format!("http://localhost:{p6}/"),
    ] {
        refused(system.fetch(&url, Resource::Document).await, &url);
    }
    assert!(urls.len() >= 30);
    assert_eq!(v4.connections(), 0, "the IPv4 loopback server was reached");
    if let Some(v6) = &v6 {
        assert_eq!(v6.connections(), 0, "the IPv6 loopback server was reached");
    }
}

#[tokio::test]
async fn the_allow_list_admits_one_host_port_and_redirects_are_checked_again() {
    let target = json_server("127.0.0.1:0").unwrap();
    let target_url = format!("{}/secret", target.base());
    let redirector = {
        let target_url = target_url.clone();
        TestServer::start("127.0.0.1:0", move |path| match path {
            "/ok" => Reply::ok("application/json", "{}"),
            "/to-other-port" => Reply::redirect(302, &target_url),
            "/to-localhost" => Reply::redirect(301, &target_url.replace("127.0.0.1", "localhost")),
            "/to-v6" => Reply::redirect(307, "http://[::1]:1/"),
            "/to-metadata" => Reply::redirect(308, "http://169.254.169.254/latest/meta-data/"),
            "/to-file" => Reply::redirect(302, "file:///etc/passwd"),
            _ => Reply::status(404),
        })
        .unwrap()
    };
    let mut policy = FetchPolicy::default();
    policy
        .dangerous()
        .allow_host("127.0.0.1", redirector.addr.port());
    let fetch = HttpFetch::with_resolver(policy, dns()).unwrap();
    let ok = fetch
        .fetch(&format!("{}/ok", redirector.base()), Resource::Document)
        .await
        .unwrap();
    assert_eq!(ok.status, 200);
    for path in ["/to-other-port", "/to-localhost", "/to-v6", "/to-metadata"] {
        let url = format!("{}{path}", redirector.base());
        refused(fetch.fetch(&url, Resource::Document).await, &url);
    }
    let e = fetch
        .fetch(
            &format!("{}/to-file", redirector.base()),
            Resource::Document,
        )
        .await
        .unwrap_err();
    assert!(matches!(e, FetchError::BadUrl { .. }), "{e}");
    // A 404 is a response, not an error: the verifier decides what it means.
    let missing = fetch
        .fetch(&format!("{}/nope", redirector.base()), Resource::Document)
        .await
        .unwrap();
    assert_eq!(missing.status, 404);
    assert_eq!(
        target.connections(),
        0,
        "a redirect reached a host that was not allowed"
    );
}

#[tokio::test]
async fn allow_private_hosts_is_the_operator_switch() {
    let s = json_server("127.0.0.1:0").unwrap();
    let mut policy = FetchPolicy::default();
    policy.dangerous().allow_private_hosts();
    let fetch = HttpFetch::with_resolver(policy, dns()).unwrap();
    let r = fetch
        .fetch(
            &format!("http://evil.example:{}/x", s.addr.port()),
            Resource::Document,
        )
        .await
        .unwrap();
    assert_eq!(r.body, br#"{"ok": true}"#);
}

#[tokio::test]
async fn hostile_responses_end_in_clear_errors() {
    let s = TestServer::start("127.0.0.1:0", |path| match path {
        "/endless" => Reply {
            status: 200,
            headers: vec![],
            body: Body::Endless,
        },
        "/gigabyte.png" => Reply {
            status: 200,
            headers: vec![("Content-Type".into(), "image/png".into())],
            body: Body::Claims {
                claimed: 1 << 30,
                sent: 0,
            },
        },
        "/drip" => Reply {
            status: 200,
            headers: vec![],
            body: Body::Drip {
                n: 1000,
                every: Duration::from_millis(100),
            },
        },
        "/loop" => Reply::redirect(302, "/loop"),
        p if p.starts_with("/chain/") => {
            let n: u32 = p[7..].parse().unwrap_or(0);
            Reply::redirect(302, &format!("/chain/{}", n + 1))
        }
        _ => Reply::status(404),
    })
    .unwrap();
    let mut policy =
        FetchPolicy::default().with_timeouts(Duration::from_secs(2), Duration::from_secs(2));
    policy.dangerous().allow_host("127.0.0.1", s.addr.port());
    let fetch = HttpFetch::with_resolver(policy, dns()).unwrap();
    let base = s.base();

    let start = Instant::now();
    let e = fetch
        .fetch(&format!("{base}/endless"), Resource::Document)
        .await
        .unwrap_err();
    assert!(
        matches!(e, FetchError::TooLarge { limit, .. } if limit == 2 * 1024 * 1024),
        "{e}"
    );
    let e = fetch
        .fetch(&format!("{base}/endless"), Resource::Image)
        .await
        .unwrap_err();
    assert!(
        matches!(e, FetchError::TooLarge { limit, .. } if limit == 10 * 1024 * 1024),
        "{e}"
    );
    let e = fetch
        .fetch(&format!("{base}/gigabyte.png"), Resource::Image)
        .await
        .unwrap_err();
    assert!(matches!(e, FetchError::TooLarge { .. }), "{e}");
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );

    let start = Instant::now();
    let e = fetch
        .fetch(&format!("{base}/drip"), Resource::Document)
        .await
        .unwrap_err();
    assert!(matches!(e, FetchError::Timeout { .. }), "{e}");
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );

    let e = fetch
        .fetch(&format!("{base}/loop"), Resource::Document)
        .await
        .unwrap_err();
    assert!(
        matches!(e, FetchError::TooManyRedirects { limit: 5, .. }),
        "{e}"
    );
    let before = s.requests();
    let e = fetch
        .fetch(&format!("{base}/chain/0"), Resource::Document)
        .await
        .unwrap_err();
    assert!(matches!(e, FetchError::TooManyRedirects { .. }), "{e}");
    assert_eq!(
        s.requests() - before,
        6,
        "the first request and five redirects, no more"
    );
}

#[tokio::test]
async fn max_age_responses_are_cached() {
    let s = TestServer::start("127.0.0.1:0", |path| match path {
        "/cached" => {
            Reply::ok("application/json", "{}").header("Cache-Control", "public, max-age=60")
        }
        _ => Reply::ok("application/json", "{}").header("Cache-Control", "no-store"),
    })
    .unwrap();
    let mut policy = FetchPolicy::default();
    policy.dangerous().allow_host("127.0.0.1", s.addr.port());
    let fetch = HttpFetch::with_resolver(policy, dns()).unwrap();
    for _ in 0..3 {
        fetch
            .fetch(&format!("{}/cached", s.base()), Resource::Document)
            .await
            .unwrap();
        fetch
            .fetch(&format!("{}/fresh", s.base()), Resource::Document)
            .await
            .unwrap();
    }
    assert_eq!(
        s.requests(),
        4,
        "one request for the cached URL, three for the no-store one"
    );
}

#[tokio::test]
async fn offline_names_what_is_missing() {
    let f = OfflineFetch::new().with("https://example.org/a", b"{}".to_vec());
    assert_eq!(
        f.fetch("https://example.org/a", Resource::Document)
            .await
            .unwrap()
            .body,
        b"{}"
    );
    let e = f
        .fetch("https://example.org/b", Resource::Document)
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("--doc https://example.org/b=FILE"),
        "{e}"
    );
}
