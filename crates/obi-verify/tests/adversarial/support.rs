//! What the OB 3.0 attack cases share: issuers with keys, signing, verifying against given documents,
//! and the peers' stored answers.
//!
//! Each case can be exported (`OBI_ADVERSARIAL_EXPORT=DIR`) as `DIR/<case>/credential.json` (or
//! `credential.jwt`) with the documents it needs (`docs.json`: `[[url, file], ...]`), which is what
//! `tests/vectors/adversarial/regen-peers` hands to each peer. The answers it stores in
//! `tests/vectors/adversarial/peers.json` are read back by [`peer_answers`], so every case states what
//! the peers say.
//!
//! OB 2.0 cases ([`Ob2Case`]) are served from two loopback servers instead, so that the 1EdTech validator
//! (which fetches over HTTP) can be asked too; they are exported as `DIR/<case>/ob2.json`, with the
//! servers' origins written as placeholders that `ask_peers.py` fills in with its own.

use obi_sign::di::{self, ProofOptions, Suite};
use obi_sign::{KeyType, SecretKey};
use obi_verify::{Check, CheckStatus, Input, OfflineFetch, VerifyOptions, VerifyReport};
use serde_json::{Value, json};

pub const DIR: &str = env!("CARGO_MANIFEST_DIR");

pub fn now() -> chrono::DateTime<chrono::Utc> {
    "2026-11-28T00:00:00Z".parse().unwrap()
}

pub fn opts() -> VerifyOptions {
    VerifyOptions::at(now())
}

/// The peers' sample OpenBadgeCredential, issued by `issuer`.
pub fn sample(issuer: &str) -> Value {
    let mut c: Value = serde_json::from_str(&obi_testkit::shared_text(
        DIR,
        "peers/ob3-node/testdata/sample-ob3.json",
    ))
    .unwrap();
    c["issuer"]["id"] = json!(issuer);
    c
}

/// An issuer with one Ed25519 key, published as `{id}#key-1` in its own controller document (or a
/// did:key issuer, whose key is its id).
pub struct Issuer {
    pub id: String,
    pub key: SecretKey,
    pub vm: String,
}

impl Issuer {
    pub fn https(id: &str) -> Issuer {
        Issuer {
            id: id.to_owned(),
            key: SecretKey::generate(KeyType::Ed25519).unwrap(),
            vm: format!("{id}#key-1"),
        }
    }

    pub fn did_key() -> Issuer {
        let key = SecretKey::generate(KeyType::Ed25519).unwrap();
        let vm = key.public().did_key_vm().unwrap();
        Issuer {
            id: vm.split('#').next().unwrap().to_owned(),
            key,
            vm,
        }
    }

    /// The controller document published at the issuer's id, listing its key under `assertionMethod`.
    pub fn document(&self) -> Value {
        controller_document(&self.id, &[(&self.vm, &self.key)], &self.id)
    }

    /// `c` with an eddsa-rdfc-2022 proof by this issuer's key.
    pub fn sign(&self, c: &Value) -> Value {
        sign_with(c, &self.key, &self.vm)
    }
}

/// A controller document `id` listing `methods` (embedded Multikeys) under `assertionMethod`, each with
/// `controller` as its controller.
pub fn controller_document(id: &str, methods: &[(&str, &SecretKey)], controller: &str) -> Value {
    let methods: Vec<Value> = methods
        .iter()
        .map(|(vm, key)| {
            json!({"id": vm, "type": "Multikey", "controller": controller,
                   "publicKeyMultibase": key.public().to_multikey().unwrap()})
        })
        .collect();
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": id,
        "assertionMethod": methods,
    })
}

/// `c` with an eddsa-rdfc-2022 proof by `key`, naming `vm` as its verification method.
pub fn sign_with(c: &Value, key: &SecretKey, vm: &str) -> Value {
    di::sign(
        c,
        key,
        &ProofOptions {
            suite: Suite::EddsaRdfc2022,
            verification_method: vm.to_owned(),
            created: Some("2026-01-01T00:00:00Z".into()),
        },
    )
    .unwrap()
}

/// One attack (or control) case: what is presented, and the documents each URL serves.
pub struct Case {
    pub name: &'static str,
    /// A JSON credential, or a VC-JWT as a JSON string.
    pub presented: Value,
    pub docs: Vec<(String, Value)>,
}

impl Case {
    pub fn new(name: &'static str, presented: Value) -> Case {
        Case {
            name,
            presented,
            docs: Vec::new(),
        }
    }

    pub fn serve(mut self, url: &str, doc: Value) -> Case {
        self.docs.push((url.to_owned(), doc));
        self
    }

    fn bytes(&self) -> Vec<u8> {
        match &self.presented {
            Value::String(jwt) => jwt.clone().into_bytes(),
            v => v.to_string().into_bytes(),
        }
    }

    /// Verify the case offline, against its documents only; exports it first when asked to.
    pub async fn verify(&self) -> VerifyReport {
        self.verify_with(&opts()).await
    }

    pub async fn verify_with(&self, opts: &VerifyOptions) -> VerifyReport {
        let exporting = self.export();
        if !exporting {
            // Every case states what the peers say of it (an empty entry: no peer can judge it).
            peer_answers(self.name);
        }
        let fetch = self.docs.iter().fold(OfflineFetch::new(), |f, (url, doc)| {
            f.with(url, doc.to_string().into_bytes())
        });
        obi_verify::verify(
            Input::Bytes {
                name: self.name,
                bytes: &self.bytes(),
            },
            opts,
            &fetch,
        )
        .await
        .unwrap()
    }

    /// Write the case for `regen-peers` when `OBI_ADVERSARIAL_EXPORT` names a directory.
    pub fn export(&self) -> bool {
        let Some(root) = std::env::var_os("OBI_ADVERSARIAL_EXPORT") else {
            return false;
        };
        let dir = std::path::Path::new(&root).join(self.name);
        std::fs::create_dir_all(&dir).unwrap();
        self.write_to(&dir);
        true
    }

    /// The case's files in `dir`: `credential.json` or `credential.jwt`, `doc-N.json`, `docs.json`.
    pub fn write_to(&self, dir: &std::path::Path) {
        let file = match &self.presented {
            Value::String(_) => "credential.jwt",
            _ => "credential.json",
        };
        std::fs::write(dir.join(file), self.bytes()).unwrap();
        let mut list = Vec::new();
        for (i, (url, doc)) in self.docs.iter().enumerate() {
            let name = format!("doc-{i}.json");
            std::fs::write(dir.join(&name), doc.to_string()).unwrap();
            list.push(json!([url, name]));
        }
        std::fs::write(dir.join("docs.json"), Value::Array(list).to_string()).unwrap();
    }
}

pub fn check<'a>(r: &'a VerifyReport, name: &str) -> &'a Check {
    r.checks
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no {name} check in {:#?}", r.checks))
}

/// The report is not verified, and its `name` check failed saying `why`.
pub fn assert_refused(r: &VerifyReport, name: &str, why: &str) {
    assert!(!r.verified, "verified, but should not be: {:#?}", r.checks);
    let c = check(r, name);
    assert_eq!(c.status, CheckStatus::Failed, "{c:#?}");
    assert!(c.detail.contains(why), "expected {why:?} in {c:#?}");
}

pub fn assert_verified(r: &VerifyReport) {
    assert!(r.verified, "not verified: {:#?}", r.checks);
}

/// What the peers said of case `name` when `regen-peers` last ran: `{peer: {"verified": bool, "said":
/// "…"}}`. Every case the suite runs has an entry (a test checks that), so a new case needs a regen run.
pub fn peer_answers(name: &str) -> Value {
    stored_answers().get(name).cloned().unwrap_or_else(|| {
        panic!("no stored peer answers for {name}: run tests/vectors/adversarial/regen-peers")
    })
}

pub fn stored_answers() -> Value {
    let path = std::path::Path::new(DIR).join("../../tests/vectors/adversarial/peers.json");
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

/// Whether `peer` accepted case `name` (`None`: that peer has no opinion on it).
pub fn peer_verified(name: &str, peer: &str) -> Option<bool> {
    if std::env::var_os("OBI_ADVERSARIAL_EXPORT").is_some() {
        return None;
    }
    peer_answers(name)
        .get(peer)
        .and_then(|a| a.get("verified"))
        .and_then(Value::as_bool)
}

/// `peer` said `expected` of case `name` (`None`: it has no opinion) when the answers were stored.
pub fn assert_peer(name: &str, peer: &str, expected: Option<bool>) {
    if std::env::var_os("OBI_ADVERSARIAL_EXPORT").is_some() {
        return;
    }
    assert_eq!(
        peer_verified(name, peer),
        expected,
        "{peer} on {name}: {}",
        peer_answers(name)
    );
}

/// Ask `peer` about `case` now (the case written to a temporary directory, its documents given with
/// `--doc`): whether it verified. `None` when the peers are not installed and `OBI_PEERS_SKIP=1`.
pub fn ask_peer_now(case: &Case, peer: &str) -> Option<bool> {
    let dir = tempfile::tempdir().unwrap();
    case.write_to(dir.path());
    let presented = ["credential.json", "credential.jwt"]
        .iter()
        .map(|f| dir.path().join(f))
        .find(|p| p.exists())
        .unwrap();
    let mut args: Vec<String> = vec!["--now".into(), "2026-11-28T00:00:00Z".into()];
    for (i, (url, _)) in case.docs.iter().enumerate() {
        args.push("--doc".into());
        args.push(format!(
            "{url}={}",
            dir.path().join(format!("doc-{i}.json")).display()
        ));
    }
    args.push(presented.display().to_string());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = obi_testkit::run_peer(DIR, peer, &args)?;
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{peer}: {}", String::from_utf8_lossy(&out.stderr)));
    Some(v["verified"] == json!(true))
}

// --- OB 2.0 cases: documents served on loopback, so the 1EdTech validator can be asked too -------------

/// The first loopback origin of an OB 2.0 case (`http://127.0.0.1:PORT`), as written in its documents.
pub const BASE: &str = "{{BASE}}";
/// The second loopback origin (the attacker's, or a CDN's).
pub const BASE2: &str = "{{BASE2}}";
/// The authority (`127.0.0.1:PORT`) of [`BASE`], as written in an `allowedOrigins`.
pub const HOST: &str = "{{HOST}}";
/// The authority of [`BASE2`].
pub const HOST2: &str = "{{HOST2}}";

/// The time OB 2.0 cases are verified at.
pub fn ob2_now() -> chrono::DateTime<chrono::Utc> {
    "2025-06-01T00:00:00Z".parse().unwrap()
}

/// What an OB 2.0 case presents.
pub enum Ob2Input {
    /// The URL of a hosted assertion.
    Url(String),
    /// An assertion's JSON.
    Json(Value),
    /// An assertion signed (RS256 JWS) with this key once the origins are known.
    Jws(Value, &'static SecretKey),
}

/// An OB 2.0 attack (or control) case whose documents are served by two loopback servers. URLs and
/// documents are written with the placeholders [`BASE`], [`BASE2`], [`HOST`], [`HOST2`], filled in with
/// the servers' addresses when the case runs, so that `ask_peers.py` can serve the same case from its own
/// ports. Exported as `DIR/<case>/ob2.json`: `{"presented": {"url": U} | {"json": J} | {"jws": PAYLOAD,
/// "key": PRIVATE_JWK}, "docs": {URL: DOC}, "redirects": {URL: TARGET}}`.
pub struct Ob2Case {
    pub name: &'static str,
    pub presented: Ob2Input,
    pub docs: Vec<(String, Value)>,
    pub redirects: Vec<(String, String)>,
}

/// The two origins of a running OB 2.0 case, to fill in placeholders.
pub struct Origins(pub [String; 2]);

impl Origins {
    pub fn fill(&self, s: &str) -> String {
        let host = |b: &str| b.trim_start_matches("http://").to_owned();
        s.replace(BASE2, &self.0[1])
            .replace(BASE, &self.0[0])
            .replace(HOST2, &host(&self.0[1]))
            .replace(HOST, &host(&self.0[0]))
    }

    pub fn fill_json(&self, v: &Value) -> Value {
        serde_json::from_str(&self.fill(&v.to_string())).unwrap()
    }
}

impl Ob2Case {
    pub fn url(name: &'static str, url: &str) -> Ob2Case {
        Ob2Case::new(name, Ob2Input::Url(url.to_owned()))
    }

    pub fn jws(name: &'static str, assertion: Value, key: &'static SecretKey) -> Ob2Case {
        Ob2Case::new(name, Ob2Input::Jws(assertion, key))
    }

    fn new(name: &'static str, presented: Ob2Input) -> Ob2Case {
        Ob2Case {
            name,
            presented,
            docs: Vec::new(),
            redirects: Vec::new(),
        }
    }

    /// Serve `doc` at `url` (which starts with [`BASE`] or [`BASE2`]); a later one for the same URL wins.
    pub fn serve(mut self, url: &str, doc: Value) -> Ob2Case {
        self.docs.retain(|(u, _)| u != url);
        self.docs.push((url.to_owned(), doc));
        self
    }

    pub fn serve_all(self, docs: impl IntoIterator<Item = (String, Value)>) -> Ob2Case {
        docs.into_iter().fold(self, |c, (u, d)| c.serve(&u, d))
    }

    /// Answer `from` with a 302 to `to`.
    pub fn redirect(mut self, from: &str, to: &str) -> Ob2Case {
        self.redirects.push((from.to_owned(), to.to_owned()));
        self
    }

    /// Start the two servers, run obi on the case (exporting it first when asked to).
    pub async fn verify(&self) -> VerifyReport {
        if !self.export() {
            peer_answers(self.name);
        }
        let served = self.serve_now();
        let mut policy = obi_verify::FetchPolicy::default();
        policy
            .dangerous()
            .allow_host("127.0.0.1", served.servers[0].addr.port())
            .allow_host("127.0.0.1", served.servers[1].addr.port());
        let fetch = obi_verify::HttpFetch::with_resolver(
            policy,
            std::sync::Arc::new(obi_verify::StaticDns::new()),
        )
        .unwrap();
        let opts = VerifyOptions::at(ob2_now());
        let presented = served.presented(self);
        let input = match &self.presented {
            Ob2Input::Url(_) => Input::Url(&presented),
            _ => Input::Bytes {
                name: self.name,
                bytes: presented.as_bytes(),
            },
        };
        obi_verify::verify(input, &opts, &fetch).await.unwrap()
    }

    /// Ask the 1EdTech validator about the case now, its documents served from here: whether it said
    /// valid. `None` when the peers are not installed and `OBI_PEERS_SKIP=1`.
    pub fn ask_validator_now(&self) -> Option<bool> {
        let served = self.serve_now();
        let presented = served.presented(self);
        let out = obi_testkit::run_peer(
            DIR,
            "ob2-validate",
            &["--report-only", "--data", &presented],
        )?;
        let report: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("ob2-validate: {}", String::from_utf8_lossy(&out.stderr)));
        Some(report["valid"] == json!(true))
    }

    /// The case's documents and redirects, served by two loopback servers until the result is dropped.
    fn serve_now(&self) -> Served {
        type Routes = [std::collections::HashMap<String, obi_testkit::server::Reply>; 2];
        let routes: std::sync::Arc<std::sync::OnceLock<Routes>> = Default::default();
        let start = |i: usize| {
            let routes = routes.clone();
            obi_testkit::server::TestServer::start("127.0.0.1:0", move |path| {
                routes
                    .get()
                    .and_then(|r| r[i].get(&normal_path(path)).cloned())
                    .unwrap_or_else(|| obi_testkit::server::Reply::status(404))
            })
            .unwrap()
        };
        let servers = [start(0), start(1)];
        let origins = Origins([servers[0].base(), servers[1].base()]);
        let mut r: Routes = Default::default();
        let mut route = |url: &str, reply: obi_testkit::server::Reply| {
            let i = if url.starts_with(BASE2) {
                1
            } else if url.starts_with(BASE) {
                0
            } else {
                panic!("{}: {url} is not on a loopback origin", self.name)
            };
            let u = url::Url::parse(&origins.fill(url)).unwrap();
            r[i].insert(normal_path(&url_path(&u)), reply);
        };
        for (url, doc) in &self.docs {
            let body = origins.fill_json(doc).to_string();
            route(
                url,
                obi_testkit::server::Reply::ok("application/ld+json", body),
            );
        }
        for (from, to) in &self.redirects {
            route(
                from,
                obi_testkit::server::Reply::redirect(302, &origins.fill(to)),
            );
        }
        let _ = routes.set(r);
        Served { servers, origins }
    }

    /// Write `ob2.json` for `regen-peers` when `OBI_ADVERSARIAL_EXPORT` names a directory.
    pub fn export(&self) -> bool {
        let Some(root) = std::env::var_os("OBI_ADVERSARIAL_EXPORT") else {
            return false;
        };
        let dir = std::path::Path::new(&root).join(self.name);
        std::fs::create_dir_all(&dir).unwrap();
        let presented = match &self.presented {
            Ob2Input::Url(u) => json!({"url": u}),
            Ob2Input::Json(a) => json!({"json": a}),
            Ob2Input::Jws(a, key) => json!({"jws": a, "key": key.to_private_jwk()}),
        };
        let docs: serde_json::Map<String, Value> = self.docs.iter().cloned().collect();
        let redirects: serde_json::Map<String, Value> = self
            .redirects
            .iter()
            .map(|(f, t)| (f.clone(), json!(t)))
            .collect();
        let case = json!({"presented": presented, "docs": docs, "redirects": redirects});
        std::fs::write(dir.join("ob2.json"), case.to_string()).unwrap();
        true
    }
}

/// A running OB 2.0 case's servers.
struct Served {
    servers: [obi_testkit::server::TestServer; 2],
    origins: Origins,
}

impl Served {
    /// What the case presents, its origins filled in: the URL, the JSON, or the JWS signed now.
    fn presented(&self, case: &Ob2Case) -> String {
        let o = &self.origins;
        match &case.presented {
            Ob2Input::Url(u) => o.fill(u),
            Ob2Input::Json(a) => o.fill_json(a).to_string(),
            Ob2Input::Jws(a, key) => {
                obi_sign::jws::sign_ob2_assertion(&o.fill_json(a), key).unwrap()
            }
        }
    }
}

fn url_path(u: &url::Url) -> String {
    match u.query() {
        Some(q) => format!("{}?{q}", u.path()),
        None => u.path().to_owned(),
    }
}

/// A request path with its dot segments removed, as a client may or may not have done.
fn normal_path(path: &str) -> String {
    url::Url::parse(&format!("http://h{path}"))
        .map(|u| url_path(&u))
        .unwrap_or_else(|_| path.to_owned())
}
