//! [`HttpFetch`]: the network [`Fetch`], guarded.
//!
//! - Every URL (the first and each redirect target) is checked before a request: http(s) only, and an IP
//!   literal host (in any spelling the URL standard accepts: `127.1`, `2130706433`, `0x7f000001`,
//!   `0177.0.0.1`, `[::ffff:127.0.0.1]`) is classified directly, since no resolver sees it.
//! - Names resolve through an injectable [`DnsResolver`]; the answers are filtered by [`crate::guard`]
//!   before reqwest sees them, and reqwest connects to exactly those addresses: there is no second lookup,
//!   so no DNS-rebinding window.
//! - Redirects are followed by hand (at most 5 by default), bodies are read as a stream and cut at the
//!   resource's limit, and the whole exchange has a deadline. No proxy is ever used.
//! - Responses are cached as RFC 9111 says a private cache may (see [`crate::cache`]): in memory, and on
//!   disk with [`HttpFetch::with_disk_cache`].

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use http_cache_semantics::{AfterResponse, BeforeRequest, CachePolicy};
use reqwest::header::{ACCEPT, CONTENT_TYPE, IF_MODIFIED_SINCE, IF_NONE_MATCH, LOCATION};
use url::{Host, Url};

use crate::cache::{self, Entry, HttpCache};
use crate::fetch::{Fetch, FetchError, FetchPolicy, Fetched, Resource};
use crate::guard::non_public;

/// Resolves host names to addresses. The default is the system resolver; tests inject their own.
pub trait DnsResolver: Send + Sync + 'static {
    /// The addresses of `host`.
    fn lookup(&self, host: &str) -> Pin<Box<dyn Future<Output = io::Result<Vec<IpAddr>>> + Send>>;
}

/// The operating system's resolver.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemDns;

impl DnsResolver for SystemDns {
    fn lookup(&self, host: &str) -> Pin<Box<dyn Future<Output = io::Result<Vec<IpAddr>>> + Send>> {
        let host = host.to_owned();
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((host.as_str(), 0)).await?;
            Ok(addrs.map(|a| a.ip()).collect())
        })
    }
}

/// A fixed name → addresses table (names not in it do not resolve).
#[derive(Debug, Default, Clone)]
pub struct StaticDns(HashMap<String, Vec<IpAddr>>);

impl StaticDns {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// `host` resolves to `addrs`.
    pub fn with(mut self, host: &str, addrs: &[IpAddr]) -> Self {
        self.0.insert(host.to_ascii_lowercase(), addrs.to_vec());
        self
    }
}

impl DnsResolver for StaticDns {
    fn lookup(&self, host: &str) -> Pin<Box<dyn Future<Output = io::Result<Vec<IpAddr>>> + Send>> {
        // A fully qualified name (`localhost.`) is the same name.
        let key = host.trim_end_matches('.').to_ascii_lowercase();
        let answer = self.0.get(&key).cloned();
        let host = host.to_owned();
        Box::pin(async move {
            answer.ok_or_else(|| {
                io::Error::new(io::ErrorKind::NotFound, format!("{host} does not resolve"))
            })
        })
    }
}

/// The guard's verdict on a name, carried through reqwest's error chain.
#[derive(Debug)]
struct Refusal {
    host: String,
    reason: &'static str,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} resolves only to {}", self.host, self.reason)
    }
}

impl std::error::Error for Refusal {}

struct GuardedDns {
    inner: Arc<dyn DnsResolver>,
    policy: Arc<FetchPolicy>,
}

impl reqwest::dns::Resolve for GuardedDns {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        let inner = self.inner.clone();
        let policy = self.policy.clone();
        Box::pin(async move {
            let addrs = inner.lookup(&host).await?;
            let trusted = policy.allow_private || policy.host_named(&host);
            let mut refused = None;
            let ok: Vec<SocketAddr> = addrs
                .into_iter()
                .filter(|ip| match non_public(*ip) {
                    Some(reason) if !trusted => {
                        refused = Some(reason);
                        false
                    }
                    _ => true,
                })
                .map(|ip| SocketAddr::new(ip, 0))
                .collect();
            if ok.is_empty() {
                let reason = refused.unwrap_or("no address");
                return Err(
                    Box::new(Refusal { host, reason }) as Box<dyn std::error::Error + Send + Sync>
                );
            }
            Ok(Box::new(ok.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Fetching over HTTP(S) under a [`FetchPolicy`].
pub struct HttpFetch {
    /// For `http:` URLs: built without TLS roots, so starting up costs nothing.
    http: reqwest::Client,
    /// For `https:` URLs: the platform's roots, loaded on the first https request (parsing the system
    /// certificate store is most of a short verification's run time otherwise).
    https: std::sync::OnceLock<Result<reqwest::Client, String>>,
    resolver: Arc<dyn DnsResolver>,
    policy: Arc<FetchPolicy>,
    cache: HttpCache,
    clock: fn() -> SystemTime,
}

impl HttpFetch {
    /// With the system resolver.
    pub fn new(policy: FetchPolicy) -> Result<HttpFetch, FetchError> {
        HttpFetch::with_resolver(policy, Arc::new(SystemDns))
    }

    /// With `resolver` for host names (tests map names to loopback without touching the system).
    pub fn with_resolver(
        policy: FetchPolicy,
        resolver: Arc<dyn DnsResolver>,
    ) -> Result<HttpFetch, FetchError> {
        let policy = Arc::new(policy);
        let http = client(&policy, &resolver, false).map_err(FetchError::Setup)?;
        Ok(HttpFetch {
            http,
            https: std::sync::OnceLock::new(),
            cache: HttpCache::new(None, 0),
            resolver,
            policy,
            clock: cache::system_clock,
        })
    }

    /// Also keep cached responses in `dir` (created if missing, readable by its owner only), so that
    /// later runs reuse what is still fresh and revalidate what is not.
    pub fn with_disk_cache(mut self, dir: impl Into<PathBuf>) -> Result<HttpFetch, FetchError> {
        let dir = dir.into();
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        let refuse = |why: String| {
            FetchError::Setup(format!(
                "cannot use {} as the HTTP cache: {why}",
                dir.display()
            ))
        };
        builder.create(&dir).map_err(|e| refuse(e.to_string()))?;
        // Whoever can write the cache decides what obi believes an issuer published.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&dir)
                .map_err(|e| refuse(e.to_string()))?
                .permissions()
                .mode();
            if mode & 0o022 != 0 {
                return Err(refuse(format!(
                    "other users can write to it (mode {:o}); use a directory only you can write",
                    mode & 0o777
                )));
            }
        }
        let limit = self
            .policy
            .limit(Resource::Image)
            .max(self.policy.limit(Resource::Document));
        let (entries, bytes) = self.cache.disk_bounds();
        self.cache = HttpCache::new(Some(dir), limit);
        self.cache.bound_disk(entries, bytes);
        Ok(self)
    }

    /// Keep the disk cache under `entries` files and `bytes` bytes (defaults: [`crate::cache::DISK_ENTRIES`],
    /// [`crate::cache::DISK_BYTES`]); past either, the least recently written entries are removed.
    pub fn with_disk_cache_bounds(mut self, entries: usize, bytes: u64) -> HttpFetch {
        self.cache.bound_disk(entries, bytes);
        self
    }

    /// Judge cache freshness by this clock instead of the system's (tests).
    pub fn with_clock(mut self, clock: fn() -> SystemTime) -> HttpFetch {
        self.clock = clock;
        self
    }

    fn client_for(&self, url: &Url) -> Result<&reqwest::Client, FetchError> {
        if url.scheme() == "http" {
            return Ok(&self.http);
        }
        self.https
            .get_or_init(|| client(&self.policy, &self.resolver, true))
            .as_ref()
            .map_err(|reason| FetchError::Network {
                url: url.to_string(),
                reason: reason.clone(),
            })
    }

    /// Refuse a URL before any request: scheme, and the host when it is an address.
    fn check(&self, url: &Url, first: &str) -> Result<(), FetchError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::BadUrl {
                url: first.to_owned(),
                reason: format!("{} is not http or https", url.scheme()),
            });
        }
        let port = url.port_or_known_default().unwrap_or(0);
        let (host_text, ip) = match url.host() {
            Some(Host::Ipv4(a)) => (a.to_string(), Some(IpAddr::V4(a))),
            Some(Host::Ipv6(a)) => (a.to_string(), Some(IpAddr::V6(a))),
            Some(Host::Domain(d)) => (d.to_owned(), None),
            None => {
                return Err(FetchError::BadUrl {
                    url: first.to_owned(),
                    reason: "no host".into(),
                });
            }
        };
        if self.policy.host_allowed(&host_text, port) || self.policy.allow_private {
            return Ok(());
        }
        if self.policy.host_named(&host_text) {
            return Err(FetchError::Refused {
                url: url.to_string(),
                host: format!("{host_text}:{port}"),
                reason: "a host allowed on another port only",
            });
        }
        if let Some(ip) = ip
            && let Some(reason) = non_public(ip)
        {
            return Err(FetchError::Refused {
                url: url.to_string(),
                host: host_text,
                reason,
            });
        }
        Ok(())
    }

    async fn fetch_uncached(&self, first: &str, resource: Resource) -> Result<Fetched, FetchError> {
        let mut url = Url::parse(first).map_err(|e| FetchError::BadUrl {
            url: first.to_owned(),
            reason: e.to_string(),
        })?;
        let limit = self.policy.limit(resource);
        let mut bypass_cache = false;
        for _hop in 0..=self.policy.max_redirects {
            self.check(&url, first)?;
            // The request as the cache policy sees it (what varies between requests is Accept).
            let request = http::Request::get(url.as_str())
                .header(ACCEPT, resource.accept())
                .body(())
                .map_err(|e| FetchError::BadUrl {
                    url: url.to_string(),
                    reason: e.to_string(),
                })?;
            let cached = if bypass_cache {
                None
            } else {
                self.cache.get(url.as_str(), resource)
            };
            let mut conditional = None;
            if let Some(entry) = &cached {
                match entry.policy.before_request(&request, (self.clock)()) {
                    BeforeRequest::Fresh(_) => return Ok(entry.fetched.clone().into()),
                    BeforeRequest::Stale {
                        request: revalidate,
                        matches: true,
                    } => conditional = Some(revalidate.headers),
                    BeforeRequest::Stale { .. } => {}
                }
            }
            let mut send = self
                .client_for(&url)?
                .get(url.clone())
                .header(ACCEPT, resource.accept());
            if let Some(headers) = &conditional {
                for name in [IF_NONE_MATCH, IF_MODIFIED_SINCE] {
                    if let Some(v) = headers.get(&name) {
                        send = send.header(name, v.clone());
                    }
                }
            }
            let mut resp = send.send().await.map_err(|e| network_error(&url, &e))?;
            let status = resp.status();
            let response_time = (self.clock)();
            let mut head = http::Response::new(());
            *head.status_mut() = status;
            *head.headers_mut() = resp.headers().clone();
            let (head, ()) = head.into_parts();
            if status == reqwest::StatusCode::NOT_MODIFIED
                && conditional.is_some()
                && let Some(entry) = cached
            {
                match entry.policy.after_response(&request, &head, response_time) {
                    AfterResponse::NotModified(policy, _) => {
                        let entry = Entry {
                            policy,
                            fetched: entry.fetched,
                        };
                        self.cache.put(url.as_str(), resource, entry.clone());
                        return Ok(entry.fetched.into());
                    }
                    // A 304 without validators (common: Python's http.server sends none) answers the
                    // conditional request made from the one stored response: that response is current.
                    AfterResponse::Modified(..)
                        if !head.headers.contains_key(reqwest::header::ETAG)
                            && !head.headers.contains_key(reqwest::header::LAST_MODIFIED) =>
                    {
                        return Ok(entry.fetched.into());
                    }
                    // Validators for another version than the stored one: ask again, unconditionally.
                    AfterResponse::Modified(..) => {
                        bypass_cache = true;
                        continue;
                    }
                }
            }
            if status.is_redirection()
                && let Some(location) = resp.headers().get(LOCATION)
            {
                let location = location.to_str().unwrap_or_default();
                url = url.join(location).map_err(|e| FetchError::BadUrl {
                    url: url.to_string(),
                    reason: format!("bad redirect target {location:?}: {e}"),
                })?;
                continue;
            }
            if resp.content_length().is_some_and(|n| n > limit as u64) {
                return Err(FetchError::TooLarge {
                    url: url.to_string(),
                    limit,
                });
            }
            let content_type = header(&resp, CONTENT_TYPE);
            let mut body = Vec::new();
            while let Some(chunk) = resp.chunk().await.map_err(|e| network_error(&url, &e))? {
                if body.len() + chunk.len() > limit {
                    return Err(FetchError::TooLarge {
                        url: url.to_string(),
                        limit,
                    });
                }
                body.extend_from_slice(&chunk);
            }
            let fetched = Fetched {
                url: url.to_string(),
                status: status.as_u16(),
                content_type,
                body,
            };
            let policy = CachePolicy::new_options(&request, &head, response_time, cache::options());
            // Only outcomes a verifier acts on: a document, or its absence (404) or withdrawal (410).
            if policy.is_storable() && matches!(fetched.status, 200 | 404 | 410) {
                self.cache.put(
                    url.as_str(),
                    resource,
                    Entry {
                        policy,
                        fetched: (&fetched).into(),
                    },
                );
            }
            return Ok(fetched);
        }
        Err(FetchError::TooManyRedirects {
            url: first.to_owned(),
            limit: self.policy.max_redirects,
        })
    }
}

impl Fetch for HttpFetch {
    async fn fetch(&self, url: &str, resource: Resource) -> Result<Fetched, FetchError> {
        let total = self.policy.total_timeout;
        match tokio::time::timeout(total, self.fetch_uncached(url, resource)).await {
            Ok(r) => r,
            Err(_) => Err(FetchError::Timeout {
                url: url.to_owned(),
                seconds: total.as_secs().max(1),
            }),
        }
    }
}

/// A client under `policy`: no proxy, no automatic redirects, the guarded resolver; `tls` loads the
/// platform's root certificates (otherwise none: for plain-http use only).
fn client(
    policy: &Arc<FetchPolicy>,
    resolver: &Arc<dyn DnsResolver>,
    tls: bool,
) -> Result<reqwest::Client, String> {
    let mut b = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(policy.connect_timeout)
        .dns_resolver(Arc::new(GuardedDns {
            inner: resolver.clone(),
            policy: policy.clone(),
        }))
        .user_agent(concat!(
            "obi/",
            env!("CARGO_PKG_VERSION"),
            " (Open Badges verifier)"
        ));
    if !tls {
        b = b.tls_certs_only(Vec::<reqwest::Certificate>::new());
    }
    b.build()
        .map_err(|e| format!("cannot set up the HTTP client: {e}"))
}

fn header(resp: &reqwest::Response, name: reqwest::header::HeaderName) -> Option<String> {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Map a reqwest error, finding the guard's refusal in its chain.
fn network_error(url: &Url, e: &reqwest::Error) -> FetchError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(r) = s.downcast_ref::<Refusal>() {
            return FetchError::Refused {
                url: url.to_string(),
                host: r.host.clone(),
                reason: r.reason,
            };
        }
        source = s.source();
    }
    if e.is_timeout() {
        return FetchError::Timeout {
            url: url.to_string(),
            seconds: 0,
        };
    }
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        reason.push_str(": ");
        reason.push_str(&s.to_string());
        source = s.source();
    }
    FetchError::Network {
        url: url.to_string(),
        reason,
    }
}
