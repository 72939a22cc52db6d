//! Verify any Open Badge: is it real, current, and the holder's?
//!
//! What it does: takes a URL or bytes (JSON, compact JWS, PNG, SVG; OB 3.0 credentials, OB 2.0 / 1.x
//! assertions), works out what it is, fetches what it refers to through the [`Fetch`] trait, checks the
//! proof, status, validity period and recipient, and returns a [`VerifyReport`] whose only verdict is
//! `verified`. Fetching is safe by default ([`HttpFetch`]: public addresses only after DNS, every
//! redirect re-checked, size and time limits), offline from given documents ([`OfflineFetch`]), or both
//! ([`Layered`]).
//!
//! What it does not do: set up an async runtime (the caller does), read the clock (`now` is an option),
//! or trust a key taken from a URL fragment without the controller document that lists it.

mod baked;
pub mod cache;
pub mod fetch;
pub mod guard;
pub mod http;
mod ob2;
mod ob3;
pub mod recipient;
mod report;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value;

use fetch::{Budget, Budgeted};

pub use fetch::{
    DangerousPolicy, Fetch, FetchError, FetchPolicy, Fetched, Layered, OfflineFetch, Resource,
};
pub use http::{DnsResolver, HttpFetch, StaticDns, SystemDns};
pub use ob3::{MAX_CONTROLLERS, decode_list, did_web_url};
pub use report::{About, Check, CheckStatus, Display, RefreshedFrom, VerifyReport};

/// Why a badge could not be checked at all (as opposed to checked and found wanting).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The input is none of the forms a badge comes in.
    #[error("{0}")]
    Input(String),
    /// The image is malformed.
    #[error("{0}")]
    Image(#[from] obi_bake::ExtractError),
    /// The badge itself could not be fetched.
    #[error("{0}")]
    Fetch(#[from] FetchError),
}

/// The most requests one [`verify`] call makes by default (see [`VerifyOptions::max_requests`]).
pub const DEFAULT_MAX_REQUESTS: usize = 32;

/// What verification needs besides the badge: the time, and who the holder says they are.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    pub(crate) now: DateTime<Utc>,
    pub(crate) recipients: Vec<String>,
    pub(crate) refresh: bool,
    pub(crate) max_requests: usize,
    /// The budget of the verification under way (set by [`verify`], shared by its steps).
    pub(crate) budget: Option<Arc<Budget>>,
}

impl VerifyOptions {
    /// Judge dates as of `now`.
    pub fn at(now: DateTime<Utc>) -> Self {
        VerifyOptions {
            now,
            recipients: Vec::new(),
            refresh: true,
            max_requests: DEFAULT_MAX_REQUESTS,
            budget: None,
        }
    }

    /// The most requests one verification makes in all ([`DEFAULT_MAX_REQUESTS`] by default): the badge
    /// itself, controller documents and keys, status lists, refresh, endorsements, and for OB 2.0 the
    /// documents and images it refers to. Every call of the [`Fetch`] given to [`verify`] counts, whether
    /// the fetcher answers from the network, a cache or given documents. A step that needs a request past
    /// the bound fails (finding `VERIFY_REQUEST_LIMIT`), so the badge is not verified.
    pub fn max_requests(mut self, n: usize) -> Self {
        self.max_requests = n;
        self
    }

    /// How many requests this verification's budget has refused so far (0 outside [`verify`]).
    pub(crate) fn refused_requests(&self) -> usize {
        self.budget.as_ref().map_or(0, |b| b.refused())
    }

    /// Record on `report` that `check` was stopped by the bound on requests, if a request was refused
    /// since `mark` (an earlier [`VerifyOptions::refused_requests`]). True if it was.
    pub(crate) fn request_limit_hit(
        &self,
        report: &mut VerifyReport,
        check: &'static str,
        mark: usize,
    ) -> bool {
        let Some(b) = &self.budget else { return false };
        if b.refused() <= mark {
            return false;
        }
        report.request_limit(check, b.limit(), b.first_refused().as_deref());
        true
    }

    /// Whether to follow an OB 3.0 credential's `refreshService` (1EdTechCredentialRefresh) and verify the
    /// credential it serves in its place, as the specification's verification steps say to (on by
    /// default; once per credential, never a refreshed credential's own service).
    pub fn refresh(mut self, on: bool) -> Self {
        self.refresh = on;
        self
    }

    /// Also check that the badge was awarded to `identity` (an email, URL, phone number, DID, …). Several
    /// identities may be given; one match is enough.
    pub fn recipient(mut self, identity: impl Into<String>) -> Self {
        self.recipients.push(identity.into());
        self
    }
}

/// A badge to verify.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// A URL (a hosted assertion or credential).
    Url(&'a str),
    /// Bytes from a file: JSON, a compact JWS, a URL, a PNG or an SVG. `name` labels the report.
    Bytes {
        /// The label (file name).
        name: &'a str,
        /// The content.
        bytes: &'a [u8],
    },
}

/// Verify one badge. Everything fetched goes through `fetch`, at most [`VerifyOptions::max_requests`]
/// times in all.
pub async fn verify<F: Fetch>(
    input: Input<'_>,
    opts: &VerifyOptions,
    fetch: &F,
) -> Result<VerifyReport, VerifyError> {
    let budget = Arc::new(Budget::new(opts.max_requests));
    let opts = &VerifyOptions {
        budget: Some(budget.clone()),
        ..opts.clone()
    };
    let fetch = &Budgeted::new(fetch, budget);
    let mut report = match input {
        Input::Url(url) => verify_url(VerifyReport::new(url), url, opts, fetch, 0).await,
        Input::Bytes { name, bytes } => {
            verify_text_or_bytes(VerifyReport::new(name), bytes, None, opts, fetch, 0).await
        }
    }?;
    // Each step records the bound where it stopped that step; should a refused request have gone
    // unrecorded, the verification still does not pass: it did not see everything it needed.
    if !report
        .findings
        .iter()
        .any(|f| f.rule == report::REQUEST_LIMIT_RULE)
    {
        opts.request_limit_hit(&mut report, "requests", 0);
    }
    Ok(report.finish())
}

/// Fetch a badge URL (a hosted assertion or credential, or a baked image) and verify what it serves.
async fn verify_url<F: Fetch>(
    mut report: VerifyReport,
    url: &str,
    opts: &VerifyOptions,
    fetch: &F,
    depth: usize,
) -> Result<VerifyReport, VerifyError> {
    let f = fetch.fetch(url, Resource::Credential).await?;
    if f.status != 200 {
        let (rule, what) = if f.status == 410 {
            ("HOSTED_ASSERTION_GONE", "gone: the issuer has withdrawn it")
        } else {
            ("FETCH_HTTP_NODE", "not available")
        };
        report.finding(
            rule,
            "",
            format!("{url} answered HTTP {}", f.status),
            "the badge is not served at this URL",
        );
        report.fail(
            "input",
            format!("{url} answered HTTP {} ({what})", f.status),
        );
        if f.status == 410 {
            report.display.status = Some("revoked".into());
        }
        return Ok(report.finish());
    }
    let is_image = obi_bake::sniff(&f.body).is_some();
    let label = report.input.clone();
    // A baked image's assertion was not fetched from this URL: only a document served here has it as source,
    // and its source is where it was finally served from (after redirects), not the URL asked for.
    let source = (!is_image).then_some(f.url.as_str());
    match Box::pin(verify_text_or_bytes(
        report,
        &f.body,
        source,
        opts,
        fetch,
        depth + 1,
    ))
    .await
    {
        Err(VerifyError::Input(why)) if !is_image => {
            let mut report = VerifyReport::new(&label);
            report.finding(
                "FETCH_HTTP_NODE",
                "",
                format!("{url}: {why}"),
                "the URL does not serve a badge (JSON, JWS or baked image)",
            );
            report.fail(
                "input",
                format!(
                    "{url} does not serve a badge ({})",
                    f.content_type.as_deref().unwrap_or("no Content-Type")
                ),
            );
            Ok(report.finish())
        }
        other => other,
    }
}

async fn verify_text_or_bytes<F: Fetch>(
    mut report: VerifyReport,
    bytes: &[u8],
    source: Option<&str>,
    opts: &VerifyOptions,
    fetch: &F,
    depth: usize,
) -> Result<VerifyReport, VerifyError> {
    let baked;
    let text = if obi_bake::sniff(bytes).is_some() {
        match baked::the_one_badge(&mut report, bytes)? {
            Some(text) => {
                baked = text;
                baked.as_str()
            }
            None => return Ok(report.finish()),
        }
    } else {
        text_of(bytes)
            .ok_or_else(|| VerifyError::Input("the input is not UTF-8 text or an image".into()))?
    };
    let t = text.trim();
    if (t.starts_with("https://") || t.starts_with("http://")) && !t.contains(char::is_whitespace) {
        if depth > 2 {
            return Err(VerifyError::Input(
                "a badge URL leads to another badge URL, again and again".into(),
            ));
        }
        // A baked hosted badge: the image carries the assertion's URL.
        return Box::pin(verify_url(report, t, opts, fetch, depth + 1)).await;
    }
    let (doc, jwt) = credential_from_text(t).map_err(VerifyError::Input)?;
    if obi_core::v3::is_credential(&doc) {
        ob3::verify(&mut report, doc, jwt.as_deref(), opts, fetch).await;
        return Ok(report.finish());
    }
    ob2::verify(&mut report, doc, jwt.as_deref(), source, opts, fetch).await;
    Ok(report.finish())
}

/// The text of `bytes`, without a UTF-8 byte-order mark.
pub(crate) fn text_of(bytes: &[u8]) -> Option<&str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).ok()
}

/// A JSON document, or the payload of a compact JWS (with the token, for the proof check).
pub(crate) fn credential_from_text(t: &str) -> Result<(Value, Option<String>), String> {
    let t = t.trim();
    if t.starts_with('{') {
        return obi_core::parse_json(t.as_bytes())
            .map(|v| (v, None))
            .map_err(|e| e.to_string());
    }
    if t.split('.').count() == 3 && !t.contains(char::is_whitespace) {
        let jws = obi_sign::jws::Jws::decode(t).map_err(|e| e.to_string())?;
        let payload = Value::Object(jws.payload_json().map_err(|e| e.to_string())?);
        let doc = if obi_core::v3::is_credential(&payload) || payload.get("vc").is_some() {
            obi_sign::vcjwt::dangerous_decode_unverified(t).map_err(|e| e.to_string())?
        } else {
            payload
        };
        return Ok((doc, Some(t.to_owned())));
    }
    Err("not a badge: expected JSON, a compact JWS, a URL, or a PNG/SVG image".into())
}
