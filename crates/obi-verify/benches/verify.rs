//! End-to-end verification, in-process. Compare with the peers in the same run:
//! `shared/peers/bin/ob2-bench` (official validator, hosted assertion over loopback) and
//! `shared/peers/bin/ob3-bench 200` (Digital Bazaar, eddsa-rdfc-2022 verify). Targets (issue 5): OB 2.0 hosted
//! verify ≥100× the official validator; OB 3.0 eddsa-rdfc-2022 end to end ≥50× the Digital Bazaar peer.

#![allow(missing_docs, clippy::unwrap_used, reason = "benchmark setup")]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use obi_testkit::ob2::Ob2Fixtures;
use obi_verify::{FetchPolicy, HttpFetch, Input, OfflineFetch, StaticDns, VerifyOptions};

const DIR: &str = env!("CARGO_MANIFEST_DIR");

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let opts = VerifyOptions::at("2026-11-28T00:00:00Z".parse().unwrap());

    let signed = obi_testkit::shared_text(DIR, "peers/ob3-node/testdata/sample-ob3.signed.json");
    let offline = OfflineFetch::new();
    c.bench_function(
        "OB 3.0 eddsa-rdfc-2022 credential, end to end (parse, validate, proof)",
        |b| {
            b.iter(|| {
                let r = rt
                    .block_on(obi_verify::verify(
                        Input::Bytes {
                            name: "c",
                            bytes: black_box(signed.as_bytes()),
                        },
                        &opts,
                        &offline,
                    ))
                    .unwrap();
                assert!(r.verified);
            })
        },
    );

    // The same credential from an https issuer whose controller document (at the issuer's id) lists the
    // key: the binding "verified means verified" requires, with the document given from memory.
    let issuer = "https://northbridge.example.edu/issuers/1";
    let key = obi_sign::SecretKey::from_ed25519_seed(&core::array::from_fn(|i| i as u8));
    let mut doc: serde_json::Value = serde_json::from_str(&signed).unwrap();
    doc.as_object_mut().unwrap().remove("proof");
    doc["issuer"]["id"] = serde_json::json!(issuer);
    let vm = format!("{issuer}#key-1");
    let https_signed = obi_sign::di::sign(
        &doc,
        &key,
        &obi_sign::di::ProofOptions {
            suite: obi_sign::di::Suite::EddsaRdfc2022,
            verification_method: vm.clone(),
            created: Some("2026-01-01T00:00:00Z".into()),
        },
    )
    .unwrap()
    .to_string();
    let controller = serde_json::json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": issuer,
        "assertionMethod": [{"id": vm, "type": "Multikey", "controller": issuer,
                             "publicKeyMultibase": key.public().to_multikey().unwrap()}]
    });
    let with_issuer = OfflineFetch::new().with(issuer, controller.to_string().into_bytes());
    c.bench_function(
        "OB 3.0 eddsa-rdfc-2022, https issuer, its controller document from memory",
        |b| {
            b.iter(|| {
                let r = rt
                    .block_on(obi_verify::verify(
                        Input::Bytes {
                            name: "c",
                            bytes: black_box(https_signed.as_bytes()),
                        },
                        &opts,
                        &with_issuer,
                    ))
                    .unwrap();
                assert!(r.verified, "{:#?}", r.checks);
            })
        },
    );

    // The same fixture set served by a Rust server, to see obi's own cost without Python's per-request time.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("fx");
    let root2 = root.clone();
    // Files are read once and then served from memory, as a production server's cache would.
    let files = std::sync::Mutex::new(std::collections::HashMap::<String, Vec<u8>>::new());
    let server = obi_testkit::server::TestServer::start("127.0.0.1:0", move |path| {
        let file = root2.join(path.trim_start_matches('/'));
        let mut files = files.lock().unwrap();
        let body = match files.get(path) {
            Some(b) => Ok(b.clone()),
            None => std::fs::read(&file).inspect(|b| {
                files.insert(path.to_owned(), b.clone());
            }),
        };
        match body {
            Ok(body) => obi_testkit::server::Reply::ok(
                if path.ends_with(".png") {
                    "image/png"
                } else {
                    "application/ld+json"
                },
                body,
            ),
            Err(_) => obi_testkit::server::Reply::status(404),
        }
    })
    .unwrap();
    let made = std::process::Command::new(obi_testkit::peer_bin(DIR, "ob2-fixtures"))
        .args(["--base", &server.base(), root.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(made.status.success());
    let mut policy = FetchPolicy::default();
    policy
        .dangerous()
        .allow_host("127.0.0.1", server.addr.port());
    let fast =
        HttpFetch::with_resolver(policy.clone(), std::sync::Arc::new(StaticDns::new())).unwrap();
    let fast_url = format!("{}/assertions/valid.json", server.base());
    hosted(
        c,
        "OB 2.0 hosted assertion, Rust test server (5 documents fetched, no cache)",
        &rt,
        &fast_url,
        &opts,
        &fast,
    );

    // The same five documents from memory: the verifier's own work, without the network.
    let mut memory = OfflineFetch::new();
    for entry in walk(&root) {
        let rel = entry
            .strip_prefix(&root)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        memory = memory.with(
            &format!("{}/{rel}", server.base()),
            std::fs::read(&entry).unwrap(),
        );
    }
    hosted(
        c,
        "OB 2.0 hosted assertion, the same documents from memory (no network)",
        &rt,
        &fast_url,
        &opts,
        &memory,
    );

    // A client's pooled connections belong to the runtime that opened them: one client per runtime.
    let fast_single =
        HttpFetch::with_resolver(policy.clone(), std::sync::Arc::new(StaticDns::new())).unwrap();
    let single = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    hosted(
        c,
        "OB 2.0 hosted assertion, Rust test server, current-thread runtime",
        &single,
        &fast_url,
        &opts,
        &fast_single,
    );

    let one = format!("{}/issuer.json", server.base());
    c.bench_function("one fetch from the Rust test server", |b| {
        b.iter(|| {
            rt.block_on(obi_verify::Fetch::fetch(
                &fast,
                black_box(&one),
                obi_verify::Resource::Document,
            ))
            .unwrap()
        })
    });

    let addr = server.addr;
    c.bench_function("one raw HTTP/1.1 exchange with the Rust test server", |b| {
        b.iter(|| {
            use std::io::{Read, Write};
            let mut s = std::net::TcpStream::connect(addr).unwrap();
            s.set_nodelay(true).unwrap();
            s.write_all(b"GET /issuer.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut buf = Vec::new();
            s.read_to_end(&mut buf).unwrap();
            buf
        })
    });

    let mut kept = std::net::TcpStream::connect(addr).unwrap();
    kept.set_nodelay(true).unwrap();
    c.bench_function(
        "one raw HTTP/1.1 exchange on a kept-alive connection",
        |b| {
            b.iter(|| {
                use std::io::{Read, Write};
                kept.write_all(b"GET /issuer.json HTTP/1.1\r\nHost: x\r\n\r\n")
                    .unwrap();
                let mut buf = vec![0u8; 64 * 1024];
                let mut got = 0;
                // Head and body come in one segment from this server.
                while got == 0 || !buf[..got].windows(4).any(|w| w == b"\r\n\r\n") {
                    got += kept.read(&mut buf[got..]).unwrap();
                }
                got
            })
        },
    );

    // The official validator against the same Rust server, in one process, for a ratio on equal terms.
    if let Some(out) = obi_testkit::run_peer(
        DIR,
        "ob2-validate",
        &[&fast_url, "--report-only", "--repeat", "20"],
    ) {
        eprintln!(
            "official validator, same Rust server: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }

    let Some(fx) = Ob2Fixtures::serve(DIR) else {
        return;
    };
    let port: u16 = fx.base.rsplit(':').next().unwrap().parse().unwrap();
    let mut policy = FetchPolicy::default();
    policy.dangerous().allow_host("127.0.0.1", port);
    let fetch = HttpFetch::with_resolver(policy, std::sync::Arc::new(StaticDns::new())).unwrap();
    let url = format!("{}/assertions/valid.json", fx.base);
    hosted(
        c,
        "OB 2.0 hosted assertion, the peers' Python fixture server (no cache)",
        &rt,
        &url,
        &opts,
        &fetch,
    );
}

/// Verify the hosted assertion at `url` with `fetch` on `rt`, as one benchmark.
fn hosted<F: obi_verify::Fetch>(
    c: &mut Criterion,
    name: &str,
    rt: &tokio::runtime::Runtime,
    url: &str,
    opts: &VerifyOptions,
    fetch: &F,
) {
    c.bench_function(name, |b| {
        b.iter(|| {
            let r = rt
                .block_on(obi_verify::verify(Input::Url(black_box(url)), opts, fetch))
                .unwrap();
            assert!(r.verified, "{:#?}", r.checks);
        })
    });
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

criterion_group!(benches, bench);
criterion_main!(benches);
