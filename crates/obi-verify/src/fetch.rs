//! Fetching what a badge refers to: the [`Fetch`] trait, its policy, and the offline and layered
//! implementations. The network implementation is [`crate::http::HttpFetch`].

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// What is being fetched: decides the `Accept` header and the size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    /// A JSON / JSON-LD document (assertion, profile, controller document, status list).
    Document,
    /// A credential: JSON, or a compact VC-JWT served as text.
    Credential,
    /// An image (a baked badge, or a badge's picture).
    Image,
}

impl Resource {
    /// The `Accept` header sent for it.
    pub fn accept(self) -> &'static str {
        match self {
            Resource::Document => "application/ld+json, application/json;q=0.9, */*;q=0.1",
            Resource::Credential => {
                "application/vc+ld+json, application/ld+json, application/json;q=0.9, application/vc+jwt, application/jwt, text/plain;q=0.8, */*;q=0.1"
            }
            Resource::Image => "image/png, image/svg+xml, image/*;q=0.8, */*;q=0.1",
        }
    }
}

/// A response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The URL finally answered (after redirects).
    pub url: String,
    /// The HTTP status (200 for documents given offline).
    pub status: u16,
    /// The `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

/// Why a fetch did not produce a response.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum FetchError {
    /// The fetcher itself cannot be set up (the HTTP client, the cache directory).
    #[error("{0}")]
    Setup(String),
    /// The URL cannot be fetched at all (not http(s), malformed).
    #[error("cannot fetch {url}: {reason}")]
    BadUrl {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// The target is not a public address (SSRF guard).
    #[error(
        "refused to fetch {url}: {host} is {reason}; obi only contacts public addresses (an operator can allow private hosts)"
    )]
    Refused {
        /// The URL.
        url: String,
        /// The host or address refused.
        host: String,
        /// Which kind of address it is.
        reason: &'static str,
    },
    /// More redirects than allowed (or a loop).
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects {
        /// The URL first asked for.
        url: String,
        /// The limit.
        limit: usize,
    },
    /// The body is larger than allowed for its kind.
    #[error("{url}: the response is larger than {limit} bytes")]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit.
        limit: usize,
    },
    /// Connecting or reading took too long.
    #[error("{url}: no complete response within {seconds} s")]
    Timeout {
        /// The URL.
        url: String,
        /// The time allowed.
        seconds: u64,
    },
    /// DNS, connection or protocol failure.
    #[error("{url}: {reason}")]
    Network {
        /// The URL.
        url: String,
        /// What failed.
        reason: String,
    },
    /// Not fetched: this verification already made the most requests it may make (its fan-out bound).
    #[error(
        "{url} not fetched: one verification makes at most {limit} requests and this one has made them all \
         (VerifyOptions::max_requests raises the bound)"
    )]
    Budget {
        /// The bound (`VerifyOptions::max_requests`).
        limit: usize,
        /// The URL not fetched.
        url: String,
    },
    /// Offline, and the document was not given.
    #[error("offline: {url} was not given (add --doc {url}=FILE)")]
    Offline {
        /// The URL.
        url: String,
    },
}

/// Fetches a URL. Implementations must apply the [`FetchPolicy`] they were built with.
pub trait Fetch: Send + Sync {
    /// Fetch `url` as `resource`. An HTTP error status is a response (`status`), not an error: a 410 on a
    /// hosted assertion means "revoked", which the verifier needs to see.
    fn fetch(
        &self,
        url: &str,
        resource: Resource,
    ) -> impl Future<Output = Result<Fetched, FetchError>> + Send;
}

/// Limits and permissions of fetching. Safe by default: public addresses only, 5 redirects, 2 MB
/// documents, 10 MB images, 5 s to connect, 20 s in all.
#[derive(Debug, Clone)]
pub struct FetchPolicy {
    pub(crate) max_redirects: usize,
    pub(crate) max_document_bytes: usize,
    pub(crate) max_image_bytes: usize,
    pub(crate) connect_timeout: Duration,
    pub(crate) total_timeout: Duration,
    pub(crate) allow_private: bool,
    pub(crate) allowed_hosts: Vec<(String, u16)>,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        FetchPolicy {
            max_redirects: 5,
            max_document_bytes: 2 * 1024 * 1024,
            max_image_bytes: 10 * 1024 * 1024,
            connect_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(20),
            allow_private: false,
            allowed_hosts: Vec::new(),
        }
    }
}

impl FetchPolicy {
    /// The byte limit for a resource kind.
    pub fn limit(&self, resource: Resource) -> usize {
        match resource {
            Resource::Image => self.max_image_bytes,
            _ => self.max_document_bytes,
        }
    }

    /// Set the byte limits (documents and credentials, images).
    pub fn with_limits(mut self, document_bytes: usize, image_bytes: usize) -> Self {
        self.max_document_bytes = document_bytes;
        self.max_image_bytes = image_bytes;
        self
    }

    /// Set the timeouts (connect, whole response).
    pub fn with_timeouts(mut self, connect: Duration, total: Duration) -> Self {
        self.connect_timeout = connect;
        self.total_timeout = total;
        self
    }

    /// Set the most redirects followed.
    pub fn with_max_redirects(mut self, n: usize) -> Self {
        self.max_redirects = n;
        self
    }

    /// Switches that weaken the guard, for tests and for operators on closed networks.
    pub fn dangerous(&mut self) -> DangerousPolicy<'_> {
        DangerousPolicy(self)
    }

    /// Whether `host:port` was allowed one by one.
    pub(crate) fn host_allowed(&self, host: &str, port: u16) -> bool {
        self.allowed_hosts
            .iter()
            .any(|(h, p)| *p == port && h.eq_ignore_ascii_case(host))
    }

    /// Whether `host` is allowed on some port (its DNS answers may then be private).
    pub(crate) fn host_named(&self, host: &str) -> bool {
        self.allowed_hosts
            .iter()
            .any(|(h, _)| h.eq_ignore_ascii_case(host))
    }
}

/// The weakening switches of a [`FetchPolicy`]; see [`FetchPolicy::dangerous`].
pub struct DangerousPolicy<'a>(&'a mut FetchPolicy);

impl DangerousPolicy<'_> {
    /// Allow private, loopback and link-local addresses (`--allow-private-hosts`).
    pub fn allow_private_hosts(self) -> Self {
        self.0.allow_private = true;
        self
    }

    /// Allow exactly one `host:port` (e.g. `127.0.0.1:8080`), whatever its address: a test can serve on
    /// loopback and still prove that a redirect to another loopback port is refused.
    pub fn allow_host(self, host: &str, port: u16) -> Self {
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        self.0.allowed_hosts.push((host, port));
        self
    }
}

/// Documents given by the caller (`--doc URL=FILE`), nothing else: air-gapped verification.
#[derive(Debug, Default, Clone)]
pub struct OfflineFetch {
    docs: HashMap<String, Vec<u8>>,
}

impl OfflineFetch {
    /// No documents.
    pub fn new() -> Self {
        Self::default()
    }

    /// Serve `body` for `url`.
    pub fn with(mut self, url: &str, body: Vec<u8>) -> Self {
        self.docs.insert(url.to_owned(), body);
        self
    }

    /// Whether a document was given for `url`.
    pub fn has(&self, url: &str) -> bool {
        self.docs.contains_key(url)
    }

    fn get(&self, url: &str) -> Option<Fetched> {
        self.docs.get(url).map(|body| Fetched {
            url: url.to_owned(),
            status: 200,
            content_type: None,
            body: body.clone(),
        })
    }
}

impl Fetch for OfflineFetch {
    async fn fetch(&self, url: &str, _resource: Resource) -> Result<Fetched, FetchError> {
        self.get(url).ok_or_else(|| FetchError::Offline {
            url: url.to_owned(),
        })
    }
}

/// Given documents first, then the network (`--doc` without `--offline`).
pub struct Layered<F> {
    given: OfflineFetch,
    network: F,
}

impl<F: Fetch> Layered<F> {
    /// `given` overrides `network`.
    pub fn new(given: OfflineFetch, network: F) -> Self {
        Layered { given, network }
    }
}

impl<F: Fetch> Fetch for Layered<F> {
    async fn fetch(&self, url: &str, resource: Resource) -> Result<Fetched, FetchError> {
        match self.given.get(url) {
            Some(f) => Ok(f),
            None => self.network.fetch(url, resource).await,
        }
    }
}

/// The request budget of one verification: how many `fetch()` calls it may make, how many it made, and
/// how many were refused. Shared by everything that verification fetches (see [`Budgeted`]).
#[derive(Debug)]
pub(crate) struct Budget {
    limit: usize,
    made: AtomicUsize,
    refused: AtomicUsize,
    first_refused: Mutex<Option<String>>,
}

impl Budget {
    /// A budget of `limit` requests.
    pub(crate) fn new(limit: usize) -> Self {
        Budget {
            limit,
            made: AtomicUsize::new(0),
            refused: AtomicUsize::new(0),
            first_refused: Mutex::new(None),
        }
    }

    /// The bound.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    /// How many requests were refused so far.
    pub(crate) fn refused(&self) -> usize {
        self.refused.load(Ordering::SeqCst)
    }

    /// The first URL refused, if any was.
    pub(crate) fn first_refused(&self) -> Option<String> {
        self.first_refused
            .lock()
            .map_or(None, |g| g.as_ref().cloned())
    }

    /// Take one request from the budget: `Err` when none is left.
    fn take(&self, url: &str) -> Result<(), FetchError> {
        let allowed = self
            .made
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < self.limit).then_some(n + 1)
            })
            .is_ok();
        if allowed {
            return Ok(());
        }
        if self.refused.fetch_add(1, Ordering::SeqCst) == 0
            && let Ok(mut first) = self.first_refused.lock()
        {
            first.get_or_insert_with(|| url.to_owned());
        }
        Err(FetchError::Budget {
            limit: self.limit,
            url: url.to_owned(),
        })
    }
}

/// The caller's fetcher with the request budget of one verification in front: every `fetch()` call takes
/// one request from the budget (given documents and cache hits included: the wrapper cannot tell them
/// apart, and counting them too keeps the bound simple and safe); past the bound, it answers
/// [`FetchError::Budget`] without asking the fetcher.
pub(crate) struct Budgeted<'a, F> {
    inner: &'a F,
    budget: std::sync::Arc<Budget>,
}

impl<'a, F: Fetch> Budgeted<'a, F> {
    /// `inner`, limited by `budget`.
    pub(crate) fn new(inner: &'a F, budget: std::sync::Arc<Budget>) -> Self {
        Budgeted { inner, budget }
    }
}

impl<F: Fetch> Fetch for Budgeted<'_, F> {
    async fn fetch(&self, url: &str, resource: Resource) -> Result<Fetched, FetchError> {
        self.budget.take(url)?;
        self.inner.fetch(url, resource).await
    }
}
