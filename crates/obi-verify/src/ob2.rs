//! Open Badges 2.0 / 1.x verification: hosted (the assertion as served at its id) and signed (RS256 JWS
//! with the issuer's key), plus everything the assertion refers to fetched and validated with obi-core's
//! rules, revocation, dates, images and the recipient. Rule ids are the official validator's task names
//! where it has one.

use std::collections::BTreeSet;

use obi_core::Severity;
use obi_core::id::same_id;
use obi_core::json::{one_or_many, strings};
use obi_core::v2::{
    self as v2, Class, Docs, HostedScope, Untrusted, ValidateOptions, VerificationKind, intake,
};
use serde_json::{Map, Value};

use crate::fetch::{Fetch, Resource};
use crate::recipient;
use crate::report::VerifyReport;
use crate::{VerifyOptions, text_of};

/// Most documents fetched for one assertion (badge, issuer, keys, revocation list, endorsements, …).
pub const MAX_DOCUMENTS: usize = 24;

/// Reference properties followed to other JSON documents.
const REFERENCES: [&str; 8] = [
    "badge",
    "issuer",
    "creator",
    "revocationList",
    "publicKey",
    "endorsement",
    "claim",
    "owner",
];

/// Verify an OB 2.0 / 1.x assertion. `jws` is the compact JWS it came in (signed badges); `source` the final
/// URL (after redirects) it was fetched from, if it was.
///
/// Every branch (hosted or signed, which key, which revocation list) is decided from the assertion as
/// obi-core normalizes it for the rules (`intake::read`), so no alias, full IRI or one-element array reads
/// differently here than there; and every node trusted for a key, a verification policy or a revocation
/// list is one fetched from its own id (see [`crawl`]).
pub(crate) async fn verify<F: Fetch>(
    report: &mut VerifyReport,
    mut doc: Value,
    jws: Option<&str>,
    source: Option<&str>,
    opts: &VerifyOptions,
    fetch: &F,
) {
    let version = intake::detect_version(&doc);
    report.open_badges_version = Some(version.as_str().into());
    let own_id = doc.get("id").and_then(Value::as_str).map(str::to_owned);
    let Some(mut node) = intake::read(&doc, own_id.as_deref(), None) else {
        unreadable(report, &doc, opts);
        return;
    };
    let kind = v2::verification_kind(&node);
    let signed = jws.is_some() || kind == VerificationKind::Signed;
    report.format = if signed { "signed" } else { "hosted" };

    // 1. The assertion itself: for hosted badges, the one served at its id.
    let mut docs = Docs::new();
    let mut hosted_at: Option<String> = None;
    match (kind, jws) {
        (VerificationKind::Both, _) => report.fail(
            "proof",
            "the verification type is both HostedBadge and SignedBadge: the badge cannot be verified either way",
        ),
        (VerificationKind::Unknown, _) => report.fail(
            "proof",
            "the verification type cannot be determined (verification.type is neither HostedBadge nor SignedBadge)",
        ),
        (VerificationKind::Hosted, Some(_)) => report.fail(
            "proof",
            "given as a signed JWS, but its verification type is HostedBadge: neither check applies",
        ),
        (VerificationKind::Signed, None) => {
            report.finding(
                "VERIFY_JWS",
                "/verification",
                "a signed badge given without its signature (the JWS)",
                "verify the JWS (or the baked image) the issuer gave, not the decoded JSON",
            );
            report.fail(
                "proof",
                "signed badge without its JWS: the signature cannot be checked",
            );
        }
        (VerificationKind::Signed, Some(_)) => {}
        (VerificationKind::Hosted, None) => {
            match hosted(report, &doc, &node, source, fetch).await {
                Some((id, fetched)) => {
                    if let Some((d, n)) = fetched {
                        doc = d;
                        node = n;
                    }
                    docs.insert(id.clone(), doc.clone());
                    hosted_at = Some(id);
                }
                None => {
                    if v2::hosted_url(&node).is_none() {
                        report.graph.push(doc);
                        return;
                    }
                }
            }
        }
        _ => report.fail("proof", "unsupported verification type"),
    }

    // 2. Everything it refers to, each trusted only as fetched from its own id. A crawl the bound on
    // requests cut short fails (not a warning).
    let mark = opts.refused_requests();
    let images = crawl(&node, &mut docs, fetch, report, signed).await;
    opts.request_limit_hit(report, "references", mark);

    // 3. The rules.
    let validation = obi_core::v2::validate(&doc, &docs, &ValidateOptions::at(opts.now));
    // Dates and the hosted policy are their own checks (validity, proof), not conformance.
    let own_check = |rule: &str| matches!(rule, "ASSERTION_TIMESTAMP_CHECKS" | SCOPE);
    let dated: Vec<String> = validation
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.rule == "ASSERTION_TIMESTAMP_CHECKS")
        .map(|f| f.message.clone())
        .collect();
    let errors: Vec<String> = validation
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && !own_check(f.rule))
        .map(|f| format!("{} at {}", f.rule, f.path))
        .collect();
    report.graph = validation.graph.clone();
    report.findings.extend(validation.findings);
    if errors.is_empty() {
        report.pass("schema", "conforms to the Open Badges 2.0 rules");
    } else {
        report.fail("schema", format!("does not conform: {}", errors.join(", ")));
    }
    let badge = v2::badge_of(&node, &docs);
    let issuer = badge
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|b| v2::issuer_of(b, &docs));
    display(report, &node, badge.as_ref().ok(), issuer.as_ref().ok());

    // 4. The proof: the hosted policy of the issuer, or the signature and the key.
    if let Some(id) = &hosted_at {
        hosted_policy(report, &node, id, &issuer);
    }
    if let (Some(token), VerificationKind::Signed) = (jws, kind) {
        signature(report, token, &node, &issuer, &docs);
    }

    // 5. Revocation.
    revocation(report, &node, &issuer, &docs, signed);

    // 6. Dates.
    if dated.is_empty() {
        report.pass("validity", "issued in the past, not expired");
    } else {
        report.fail("validity", dated.join("; "));
    }

    // 7. Images.
    if images.is_empty() {
        report.pass("images", "images present and served");
    } else {
        for (url, why) in &images {
            report.finding(
                "IMAGE_VALIDATION",
                "/image",
                format!("{url}: {why}"),
                "serve the badge image at its URL (PNG or SVG), or embed it as a data URI",
            );
        }
        report.fail(
            "images",
            images
                .iter()
                .map(|(u, w)| format!("{u}: {w}"))
                .collect::<Vec<_>>()
                .join("; "),
        );
    }

    // 8. Recipient.
    recipient_check(report, &node, opts);
}

/// The rule of the hosted verification policy (the official validator's task name).
const SCOPE: &str = "HOSTED_ID_IN_VERIFICATION_SCOPE";

/// A document obi-core cannot read as an assertion (not an object, or a 1.x one that cannot be upgraded):
/// the rules say why; nothing is verified.
fn unreadable(report: &mut VerifyReport, doc: &Value, opts: &VerifyOptions) {
    let validation = obi_core::v2::validate(doc, &Docs::new(), &ValidateOptions::at(opts.now));
    report.graph = validation.graph.clone();
    report.findings.extend(validation.findings);
    report.fail(
        "schema",
        "cannot be read as an Open Badges 2.0 / 1.x assertion",
    );
    report.fail("proof", "nothing to verify");
}

/// The hosted copy: the document served at the assertion's URL. Returns that URL, and the fetched document
/// (raw and normalized) when it was fetched here; `None` when the assertion is not hosted where it says.
async fn hosted<F: Fetch>(
    report: &mut VerifyReport,
    given: &Value,
    node: &Map<String, Value>,
    source: Option<&str>,
    fetch: &F,
) -> Option<(String, Option<(Value, Map<String, Value>)>)> {
    let Some(id) = v2::hosted_url(node).map(str::to_owned) else {
        report.finding(
            "REPORT_MESSAGE",
            "/id",
            "a hosted assertion without an id URL cannot be checked against its host",
            "host the assertion at the URL in its id",
        );
        report.fail("proof", "no id to fetch the hosted assertion from");
        return None;
    };
    if let Some(src) = source {
        if same_id(src, &id) {
            return Some((id, None));
        }
        report.finding(
            "HOSTED_ID_MISMATCH",
            "/id",
            format!("the document at {src} says it is {id}"),
            "serve each assertion at the URL in its own id",
        );
        report.fail(
            "proof",
            format!("fetched from {src}, but its id is {id}: not the assertion hosted there"),
        );
        return None;
    }
    match fetch_json(fetch, &id).await {
        Ok(Got::Json { url, value }) => {
            let served = intake::read(&value, Some(&url), None);
            let served_id = served.as_ref().and_then(v2::hosted_url);
            if !same_id(&url, &id) || !served_id.is_some_and(|s| same_id(s, &id)) {
                let says = served_id.unwrap_or("no id");
                report.finding(
                    "HOSTED_ID_MISMATCH",
                    "/id",
                    format!("{id} is served from {url}, by a document whose id is {says}"),
                    "serve each assertion at the URL in its own id, without redirecting elsewhere",
                );
                report.fail(
                    "proof",
                    format!(
                        "not hosted at its id: {id} led to {url}, whose document says it is {says}"
                    ),
                );
                return None;
            }
            let served = served?;
            if v2::verification_kind(&served) != VerificationKind::Hosted {
                report.fail(
                    "proof",
                    format!("the copy hosted at {id} is not a HostedBadge"),
                );
                return None;
            }
            if &value != given {
                report.skip(
                    "input",
                    "the copy given differs from the one hosted; the hosted one is verified",
                );
            }
            Some((id, Some((value, served))))
        }
        Ok(Got::Status(410)) => {
            report.finding(
                "HOSTED_ASSERTION_GONE",
                "/id",
                format!("{id} answered 410 Gone"),
                "the issuer has withdrawn this badge",
            );
            report.display.status = Some("revoked".into());
            report.fail(
                "proof",
                format!("{id} is gone (HTTP 410): the issuer revoked it"),
            );
            None
        }
        Ok(Got::Status(status)) => {
            report.finding(
                "FETCH_HTTP_NODE",
                "/id",
                format!("{id} answered HTTP {status}"),
                "the issuer no longer hosts this badge at its id",
            );
            report.fail(
                "proof",
                format!("not hosted at its id ({id} answered HTTP {status})"),
            );
            None
        }
        Err(e) => {
            report.finding(
                "FETCH_HTTP_NODE",
                "/id",
                e.clone(),
                "the hosted assertion could not be fetched",
            );
            report.fail("proof", e);
            None
        }
    }
}

/// The proof of a hosted badge: served at its id (checked before), from a place its issuer — as published
/// at the issuer's own id — allows.
fn hosted_policy(
    report: &mut VerifyReport,
    node: &Map<String, Value>,
    id: &str,
    issuer: &Result<Map<String, Value>, Untrusted>,
) {
    let hint = "host the assertion where the issuer's verification policy (allowedOrigins, startsWith; by default the issuer id's domain) allows, and publish the issuer profile at its id";
    let issuer = match issuer {
        Ok(issuer) => issuer,
        Err(why) => {
            report.finding(
                SCOPE,
                "/badge",
                format!("the issuer's hosted verification policy cannot be checked: {why}"),
                hint,
            );
            report.fail(
                "proof",
                format!(
                    "hosted at {id}, but the issuer's verification policy cannot be checked: {why}"
                ),
            );
            return;
        }
    };
    let assertion_id = v2::hosted_url(node).unwrap_or(id);
    match v2::hosted_scope(assertion_id, issuer) {
        HostedScope::Allowed(why) => report.pass("proof", format!("hosted at {id}; {why}")),
        HostedScope::Violation(why) => {
            // The rules reported it (same function, same issuer).
            if !report
                .findings
                .iter()
                .any(|f| f.rule == SCOPE && f.severity == Severity::Error)
            {
                report.finding(SCOPE, "/id", why.clone(), hint);
            }
            report.fail(
                "proof",
                format!("hosted where its issuer does not allow: {why}"),
            );
        }
        HostedScope::Unenforceable(why) => {
            report.finding(SCOPE, "/id", why.clone(), hint);
            report.fail(
                "proof",
                format!("the issuer's hosted verification policy cannot be enforced: {why}"),
            );
        }
        _ => report.fail("proof", "unsupported hosted verification policy outcome"),
    }
}

/// What fetching a document gave.
enum Got {
    /// A 200 JSON response, with the final URL (after redirects).
    Json { url: String, value: Value },
    /// Another HTTP status.
    Status(u16),
}

async fn fetch_json<F: Fetch>(fetch: &F, url: &str) -> Result<Got, String> {
    let f = fetch
        .fetch(url, Resource::Document)
        .await
        .map_err(|e| e.to_string())?;
    if f.status != 200 {
        return Ok(Got::Status(f.status));
    }
    let text = text_of(&f.body).ok_or_else(|| format!("{url} is not UTF-8 text"))?;
    let v = obi_core::parse_json(text.as_bytes()).map_err(|_| {
        format!(
            "{url}: Unknown Content-Type (not JSON: {})",
            f.content_type.as_deref().unwrap_or("no Content-Type")
        )
    })?;
    Ok(Got::Json {
        url: f.url,
        value: v,
    })
}

/// What one fetch in the crawl was for.
enum Fetching {
    /// A document; `instead_of` is the URL whose document declared this id (a refetch, never repeated).
    Document {
        instead_of: Option<String>,
        result: Result<Got, String>,
    },
    Image(Result<crate::fetch::Fetched, crate::fetch::FetchError>),
}

/// Fetch the documents `node` refers to into `docs` (bounded), and check its image URLs. Each document's
/// references are requested as soon as it arrives, images alongside the documents, so the time taken is
/// the longest chain of references (assertion → badge → issuer → revocation list), not the sum of the
/// levels. Returns the images that could not be fetched as images.
///
/// A document is filed only under URLs it speaks for: the URL asked for and the final URL (after
/// redirects), when the id it declares is that final URL (or it declares none). One that declares another
/// id is discarded, and that id fetched instead, once, as the official validator does; if that copy too
/// is not at its own id, nothing is filed. References are read from the normalized documents, so every
/// spelling of a reference property is followed, and embedded nodes are fetched from their ids.
async fn crawl<F: Fetch>(
    node: &Map<String, Value>,
    docs: &mut Docs,
    fetch: &F,
    report: &mut VerifyReport,
    signed: bool,
) -> Vec<(String, String)> {
    use futures_util::future::Either;
    use futures_util::stream::{FuturesUnordered, StreamExt as _};

    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut seen_images: BTreeSet<String> = BTreeSet::new();
    let mut fetched = 0;
    let mut truncated = false;
    let mut pending = FuturesUnordered::new();
    let mut problems: Vec<String> = Vec::new();
    let mut bad = Vec::new();
    let mut unfetched_images = (0usize, 0usize);
    let mut aliases: Vec<(String, String)> = Vec::new();
    // Queue one document.
    let mut queue = |url: String,
                     instead_of: Option<String>,
                     docs: &Docs,
                     pending: &mut FuturesUnordered<_>,
                     fetched: &mut usize,
                     truncated: &mut bool| {
        if docs.get(&url).is_some() || !seen.insert(url.clone()) {
            return;
        }
        if *fetched >= MAX_DOCUMENTS {
            *truncated = true;
            return;
        }
        *fetched += 1;
        pending.push(Either::Left(async move {
            let result = fetch_json(fetch, &url).await;
            (url, Fetching::Document { instead_of, result })
        }));
    };
    let mut queue_image = |url: String, pending: &mut FuturesUnordered<_>| {
        if seen_images.insert(url.clone()) {
            pending.push(Either::Right(async move {
                let r = fetch.fetch(&url, Resource::Image).await;
                (url, Fetching::Image(r))
            }));
        }
    };
    let (mut refs, mut images) = (Vec::new(), BTreeSet::new());
    collect_refs(node, &mut refs, &mut images, 0, signed);
    for url in refs {
        queue(url, None, docs, &mut pending, &mut fetched, &mut truncated);
    }
    for url in images {
        queue_image(url, &mut pending);
    }
    while let Some((asked, result)) = pending.next().await {
        let (instead_of, result) = match result {
            Fetching::Document { instead_of, result } => (instead_of, result),
            Fetching::Image(Ok(f)) if f.status == 200 && obi_bake::sniff(&f.body).is_some() => {
                continue;
            }
            Fetching::Image(Ok(f)) if f.status == 200 => {
                bad.push((asked, "not a PNG or SVG image".to_owned()));
                continue;
            }
            Fetching::Image(Ok(f)) => {
                bad.push((asked, format!("HTTP {}", f.status)));
                continue;
            }
            // Counted, not listed: a badge with thousands of image URLs gets one line about them.
            Fetching::Image(Err(crate::fetch::FetchError::Budget { limit, .. })) => {
                unfetched_images.0 += 1;
                unfetched_images.1 = limit;
                continue;
            }
            Fetching::Image(Err(e)) => {
                bad.push((asked, e.to_string()));
                continue;
            }
        };
        let (url, value) = match result {
            Ok(Got::Json { url, value }) => (url, value),
            Ok(Got::Status(status)) => {
                problems.push(format!("{asked} answered HTTP {status}"));
                continue;
            }
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let Some(read) = intake::read(&value, Some(&url), None) else {
            // Not an object: filed as asked, for the rules to say what it is; it speaks for nothing.
            file(docs, &[&asked], &value);
            continue;
        };
        let declared = read.get("id").and_then(Value::as_str).map(str::to_owned);
        match declared {
            Some(d) if !same_id(&d, &url) => {
                let origin = if url == asked {
                    asked.clone()
                } else {
                    format!("{asked} (served from {url})")
                };
                match instead_of {
                    None if v2::fetchable(&d) => {
                        report.findings.push(warning(
                            "NODE_ID_MISMATCH",
                            format!("{origin} declares its id as {d}: discarded, and {d} fetched instead"),
                        ));
                        aliases.push((asked.clone(), d.clone()));
                        queue(d, Some(asked), docs, &mut pending, &mut fetched, &mut truncated);
                    }
                    _ => report.findings.push(warning(
                        "NODE_ID_MISMATCH",
                        format!("{origin} declares its id as {d}, which is not where it was fetched from: not trusted"),
                    )),
                }
            }
            _ => {
                let (mut refs, mut images) = (Vec::new(), BTreeSet::new());
                collect_refs(&read, &mut refs, &mut images, 0, signed);
                let mut keys = vec![asked.as_str(), url.as_str()];
                keys.extend(declared.as_deref());
                file(docs, &keys, &value);
                for r in refs {
                    queue(r, None, docs, &mut pending, &mut fetched, &mut truncated);
                }
                for i in images {
                    queue_image(i, &mut pending);
                }
            }
        }
    }
    // A URL whose document declared another id stands for that id's own document, if it was fetched
    // from there (whichever arrived first).
    for (asked, declared) in aliases {
        if let Some(doc) = docs.get(&declared).cloned() {
            file(docs, &[&asked], &doc);
        }
    }
    if unfetched_images.0 > 0 {
        bad.push((
            format!("{} image URL(s)", unfetched_images.0),
            format!(
                "not fetched: the verification reached its bound of {} requests",
                unfetched_images.1
            ),
        ));
    }
    if truncated {
        report.skip(
            "references",
            format!("stopped after {MAX_DOCUMENTS} documents"),
        );
    }
    // Completion order is the network's; the report's order is not.
    problems.sort();
    for problem in problems {
        report.findings.push(obi_core::Finding {
            rule: "FETCH_HTTP_NODE",
            severity: Severity::Warning,
            node: None,
            path: String::new(),
            message: problem,
            hint: "a document the badge refers to is not available".into(),
        });
    }
    bad.sort();
    bad
}

/// File `doc` under each of `keys` not filed yet.
fn file(docs: &mut Docs, keys: &[&str], doc: &Value) {
    for k in keys {
        if docs.get(k).is_none() {
            docs.insert(*k, doc.clone());
        }
    }
}

fn warning(rule: &'static str, message: String) -> obi_core::Finding {
    obi_core::Finding {
        rule,
        severity: Severity::Warning,
        node: None,
        path: String::new(),
        message,
        hint: "serve each document at the URL in its own id".into(),
    }
}

/// The fetchable references and image URLs of a normalized node. Keys are needed for signed badges only;
/// hosted ones are vouched for by their host.
fn collect_refs(
    o: &Map<String, Value>,
    refs: &mut Vec<String>,
    images: &mut BTreeSet<String>,
    depth: usize,
    signed: bool,
) {
    if depth > 8 {
        return;
    }
    for (k, val) in o {
        let follow = REFERENCES.contains(&k.as_str())
            && (signed || !matches!(k.as_str(), "publicKey" | "creator" | "owner"));
        for item in one_or_many(Some(val)) {
            if k == "image" {
                if let Some(url) = v2::reference_id(item).filter(|u| v2::fetchable(u)) {
                    images.insert(url.to_owned());
                }
                continue;
            }
            if follow
                && let Some(url) = v2::reference_id(item).filter(|u| v2::fetchable(u))
                && !refs.iter().any(|r| r == url)
            {
                refs.push(url.to_owned());
            }
            if let Value::Object(inner) = item {
                collect_refs(inner, refs, images, depth + 1, signed);
            }
        }
    }
}

fn display(
    report: &mut VerifyReport,
    node: &Map<String, Value>,
    badge: Option<&Map<String, Value>>,
    issuer: Option<&Map<String, Value>>,
) {
    let s = |v: Option<&Map<String, Value>>, k: &str| {
        v.and_then(|v| strings(v.get(k)).next()).map(str::to_owned)
    };
    let image = |v: Option<&Map<String, Value>>| {
        v.and_then(|v| one_or_many(v.get("image")).first())
            .and_then(v2::reference_id)
            .map(str::to_owned)
    };
    let d = &mut report.display;
    d.name = s(badge, "name");
    d.description = s(badge, "description");
    d.image = image(Some(node)).or_else(|| image(badge));
    d.issuer_name = s(issuer, "name");
    d.issuer = s(issuer, "id");
    d.issued_on = s(Some(node), "issuedOn");
    d.expires = s(Some(node), "expires");
}

/// The signature, and that its key is the issuer's: the key (`verification.creator`, else each key the
/// issuer lists) counts only when the issuer profile, as published at its own id, lists it in `publicKey`,
/// and the key document, as published at its own id, names that issuer as `owner`.
fn signature(
    report: &mut VerifyReport,
    token: &str,
    node: &Map<String, Value>,
    issuer: &Result<Map<String, Value>, Untrusted>,
    docs: &Docs,
) {
    let issuer = match issuer {
        Ok(i) => i,
        Err(why) => {
            report.finding(
                "VERIFY_KEY_OWNERSHIP",
                "/badge",
                format!("the signing key cannot be tied to the issuer: {why}"),
                "publish the issuer profile (listing its publicKey) at the https URL that is its id",
            );
            report.fail(
                "proof",
                format!("the key cannot be tied to the issuer: {why}"),
            );
            return;
        }
    };
    let mut creators: Vec<&str> = one_or_many(node.get("verification"))
        .iter()
        .flat_map(|v| one_or_many(v.get("creator")))
        .filter_map(v2::reference_id)
        .collect();
    creators.dedup();
    if creators.len() > 1 {
        report.finding(
            "VERIFY_JWS",
            "/verification/creator",
            format!("several signing keys named: {}", creators.join(", ")),
            "name the one signing key in verification.creator",
        );
        report.fail(
            "proof",
            "several signing keys named in verification.creator",
        );
        return;
    }
    let issuer_id = issuer.get("id").and_then(Value::as_str).unwrap_or_default();
    let issuer_keys: Vec<&str> = one_or_many(issuer.get("publicKey"))
        .iter()
        .filter_map(v2::reference_id)
        .collect();
    let candidates: Vec<&str> = match creators.first() {
        Some(c) => vec![c],
        None => issuer_keys.clone(),
    };
    if candidates.is_empty() {
        report.finding(
            "VERIFY_JWS",
            "/verification/creator",
            "no key: neither verification.creator nor the issuer's publicKey names one",
            "name the signing key in verification.creator",
        );
        report.fail("proof", "no signing key named");
        return;
    }
    let mut last = String::new();
    for key_url in candidates {
        let Some(key_doc) = v2::trusted_node(
            docs,
            &Value::String(key_url.to_owned()),
            Class::CryptographicKey,
        ) else {
            last = if v2::fetchable(key_url) {
                format!("the key {key_url} was not fetched from its own id")
            } else {
                format!("the key {key_url} cannot be fetched from its id, so it is not trusted")
            };
            continue;
        };
        let Some(pem) = strings(key_doc.get("publicKeyPem")).next() else {
            last = format!("{key_url} has no publicKeyPem");
            continue;
        };
        let key = match obi_sign::PublicKey::from_pem(pem) {
            Ok(k) => k,
            Err(e) => {
                last = format!("{key_url}: {e}");
                continue;
            }
        };
        match obi_sign::jws::verify_ob2_assertion(token, &key) {
            Ok(_) => {
                let owners: Vec<&str> = one_or_many(key_doc.get("owner"))
                    .iter()
                    .filter_map(v2::reference_id)
                    .collect();
                let listed = issuer_keys.iter().any(|k| same_id(k, key_url));
                let owned = owners.iter().any(|o| same_id(o, issuer_id));
                if !(listed && owned) {
                    report.finding("VERIFY_KEY_OWNERSHIP", "/verification/creator", format!("the key {key_url} is owned by {owners:?} and the issuer {issuer_id} lists {issuer_keys:?}"), "the issuer profile must list the key in publicKey, and the key's owner must be the issuer");
                    report.fail(
                        "proof",
                        format!(
                            "signature checks with {key_url}, but that key is not the issuer's"
                        ),
                    );
                } else {
                    report.pass(
                        "proof",
                        format!("RS256 signature verified with the issuer's key {key_url}"),
                    );
                }
                return;
            }
            Err(e) => last = format!("{key_url}: {e}"),
        }
    }
    report.finding(
        "VERIFY_JWS",
        "",
        last.clone(),
        "the assertion was altered after signing, or signed with another key",
    );
    report.fail("proof", last);
}

/// Revocation: the assertion's own `revoked`, then each revocation list its issuer (as published at its own
/// id) names, read as published at the list's own id, entries compared with `same_id`.
fn revocation(
    report: &mut VerifyReport,
    node: &Map<String, Value>,
    issuer: &Result<Map<String, Value>, Untrusted>,
    docs: &Docs,
    signed: bool,
) {
    let id = node.get("id").and_then(Value::as_str).unwrap_or_default();
    if one_or_many(node.get("revoked")).contains(&Value::Bool(true)) {
        let reason = strings(node.get("revocationReason"))
            .next()
            .unwrap_or("no reason given");
        report.finding(
            "ASSERTION_REVOKED",
            "/revoked",
            format!("the assertion says it is revoked ({reason})"),
            "the issuer has withdrawn this badge",
        );
        report.display.status = Some("revoked".into());
        report.fail("status", format!("revoked: {reason}"));
        return;
    }
    let issuer = match issuer {
        Ok(i) => i,
        Err(why) => {
            if report.display.status.is_none() {
                report.display.status = Some("unknown".into());
            }
            report.skip(
                "status",
                format!("the issuer is not trusted, so no revocation list was read: {why}"),
            );
            return;
        }
    };
    let lists = one_or_many(issuer.get("revocationList"));
    if lists.is_empty() {
        if report.display.status.is_none() {
            report.display.status = Some("unknown".into());
        }
        report.skip("status", "the issuer publishes no revocation list");
        return;
    }
    for reference in lists {
        let list_url = v2::reference_id(reference).unwrap_or("(no id)");
        let Some(list) = v2::trusted_node(docs, reference, Class::RevocationList) else {
            report.display.status = Some("unknown".into());
            report.fail(
                "status",
                format!(
                    "the issuer's revocation list {list_url} could not be fetched from its own id"
                ),
            );
            return;
        };
        let hit = one_or_many(list.get("revokedAssertions"))
            .iter()
            .find(|e| v2::reference_id(e).is_some_and(|r| same_id(r, id)));
        if let Some(e) = hit {
            let reason = strings(e.get("revocationReason"))
                .next()
                .unwrap_or("no reason given");
            let rule = if signed {
                "VERIFY_SIGNED_ASSERTION_NOT_REVOKED"
            } else {
                "HOSTED_ASSERTION_NOT_REVOKED"
            };
            report.finding(
                rule,
                "/id",
                format!("the issuer's revocation list revokes it ({reason})"),
                "the issuer has withdrawn this badge",
            );
            report.display.status = Some("revoked".into());
            report.fail("status", format!("revoked by the issuer: {reason}"));
            return;
        }
    }
    if report.display.status.is_none() {
        report.display.status = Some("active".into());
    }
    report.pass("status", "not in the issuer's revocation list");
}

fn recipient_check(report: &mut VerifyReport, node: &Map<String, Value>, opts: &VerifyOptions) {
    if opts.recipients.is_empty() {
        report.skip("recipient", "no recipient identity given (--recipient)");
        return;
    }
    let r = match one_or_many(node.get("recipient")) {
        [one] => one,
        _ => &Value::Null,
    };
    let identity = r
        .get("identity")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let hashed = r.get("hashed") == Some(&Value::Bool(true));
    let salt = r.get("salt").and_then(Value::as_str).unwrap_or_default();
    let matched = opts.recipients.iter().find(|who| {
        if hashed {
            recipient::hash_matches(identity, who, salt)
        } else {
            recipient::same_id(identity, who)
        }
    });
    report.recipient_outcome(
        matched.map(String::as_str),
        "VERIFY_RECIPIENT_IDENTIFIER",
        "/recipient",
        "check the email or URL you gave; the badge names another recipient",
    );
}
