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
//! - Responses with `Cache-Control: max-age` are kept in memory until they expire.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use reqwest::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use url::{Host, Url};

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
    cache: Mutex<HashMap<(String, Resource), (Instant, Fetched)>>,
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
        let http = client(&policy, &resolver, false).map_err(|reason| FetchError::Network {
            url: String::new(),
            reason,
        })?;
        Ok(HttpFetch {
            http,
            https: std::sync::OnceLock::new(),
            resolver,
            policy,
            cache: Mutex::new(HashMap::new()),
        })
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

    fn cached(&self, url: &str, resource: Resource) -> Option<Fetched> {
        let cache = self.cache.lock().ok()?;
        let (until, f) = cache.get(&(url.to_owned(), resource))?;
        (Instant::now() < *until).then(|| f.clone())
    }

    fn remember(&self, url: &str, resource: Resource, f: &Fetched, cache_control: Option<&str>) {
        let Some(cc) = cache_control else { return };
        let cc = cc.to_ascii_lowercase();
        if f.status != 200 || cc.contains("no-store") || cc.contains("no-cache") {
            return;
        }
        let max_age = cc
            .split(',')
            .filter_map(|d| d.trim().strip_prefix("max-age="))
            .find_map(|v| v.trim().parse::<u64>().ok());
        if let Some(secs) = max_age.filter(|s| *s > 0)
            && let Ok(mut cache) = self.cache.lock()
        {
            if cache.len() > 1024 {
                cache.clear();
            }
            let until = Instant::now() + std::time::Duration::from_secs(secs.min(86_400));
            cache.insert((url.to_owned(), resource), (until, f.clone()));
        }
    }

    async fn fetch_uncached(&self, first: &str, resource: Resource) -> Result<Fetched, FetchError> {
        let mut url = Url::parse(first).map_err(|e| FetchError::BadUrl {
            url: first.to_owned(),
            reason: e.to_string(),
        })?;
        let limit = self.policy.limit(resource);
        for _hop in 0..=self.policy.max_redirects {
            self.check(&url, first)?;
            let mut resp = self
                .client_for(&url)?
                .get(url.clone())
                .header(ACCEPT, resource.accept())
                .send()
                .await
                .map_err(|e| network_error(&url, &e))?;
            let status = resp.status();
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
            let cache_control = header(&resp, CACHE_CONTROL);
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
            self.remember(first, resource, &fetched, cache_control.as_deref());
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
        if let Some(hit) = self.cached(url, resource) {
            return Ok(hit);
        }
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
