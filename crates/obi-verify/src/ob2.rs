//! Open Badges 2.0 / 1.x verification: hosted (the assertion as served at its id) and signed (RS256 JWS
//! with the issuer's key), plus everything the assertion refers to fetched and validated with obi-core's
//! rules, revocation, dates, images and the recipient. Rule ids are the official validator's task names
//! where it has one.

use std::collections::BTreeSet;

use obi_core::Severity;
use obi_core::v2::{Docs, ValidateOptions};
use serde_json::Value;

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

/// Verify an OB 2.0 / 1.x assertion. `jws` is the compact JWS it came in (signed badges); `source` the URL
/// it was fetched from, if it was.
pub(crate) async fn verify<F: Fetch>(
    report: &mut VerifyReport,
    mut doc: Value,
    jws: Option<&str>,
    source: Option<&str>,
    opts: &VerifyOptions,
    fetch: &F,
) {
    let version = obi_core::v2::intake::detect_version(&doc);
    report.open_badges_version = Some(version.as_str().into());
    let signed = jws.is_some() || verification_type(&doc).is_some_and(|t| t.contains("signed"));
    report.format = if signed { "signed" } else { "hosted" };

    // 1. The assertion itself: for hosted badges, the one served at its id.
    let mut docs = Docs::new();
    if signed {
        if jws.is_none() {
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
    } else {
        let Some(id) = hosted_url(&doc) else {
            report.finding(
                "REPORT_MESSAGE",
                "/id",
                "a hosted assertion without an id URL cannot be checked against its host",
                "host the assertion at the URL in its id",
            );
            report.fail("proof", "no id to fetch the hosted assertion from");
            report.graph.push(doc);
            return;
        };
        if let Some(src) = source
            && src != id
        {
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
        } else if source.is_none() {
            match fetch_json(fetch, &id).await {
                Ok((200, fetched)) => {
                    if fetched != doc {
                        report.skip("input", "the copy given differs from the one hosted; the hosted one is verified");
                    }
                    doc = fetched;
                    report.pass("proof", format!("hosted at {id}"));
                }
                Ok((410, _)) => {
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
                }
                Ok((status, _)) => {
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
                }
                Err(e) => {
                    report.finding(
                        "FETCH_HTTP_NODE",
                        "/id",
                        e.clone(),
                        "the hosted assertion could not be fetched",
                    );
                    report.fail("proof", e);
                }
            }
        } else {
            report.pass("proof", format!("hosted at {id}"));
        }
        docs.insert(id.clone(), doc.clone());
    }

    // 2. Everything it refers to. A crawl the bound on requests cut short fails (not a warning).
    let mark = opts.refused_requests();
    let images = crawl(&doc, &mut docs, fetch, report, signed).await;
    opts.request_limit_hit(report, "references", mark);

    // 3. The rules.
    let validation = obi_core::v2::validate(&doc, &docs, &ValidateOptions::at(opts.now));
    let dated: Vec<String> = validation
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.rule == "ASSERTION_TIMESTAMP_CHECKS")
        .map(|f| f.message.clone())
        .collect();
    let errors: Vec<String> = validation
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.rule != "ASSERTION_TIMESTAMP_CHECKS")
        .map(|f| format!("{} at {}", f.rule, f.path))
        .collect();
    report.graph = validation.graph.clone();
    report.findings.extend(validation.findings);
    if errors.is_empty() {
        report.pass("schema", "conforms to the Open Badges 2.0 rules");
    } else {
        report.fail("schema", format!("does not conform: {}", errors.join(", ")));
    }
    let node = report.graph.first().cloned().unwrap_or_else(|| doc.clone());
    let badge = resolve(&node, "badge", &report.graph, &docs);
    let issuer = badge
        .as_ref()
        .and_then(|b| resolve(b, "issuer", &report.graph, &docs));
    display(report, &node, badge.as_ref(), issuer.as_ref());

    // 4. Signature and key.
    if let Some(token) = jws {
        signature(report, token, &node, issuer.as_ref(), &docs);
    }

    // 5. Revocation.
    revocation(report, &node, issuer.as_ref(), &docs, signed);

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

fn verification_type(doc: &Value) -> Option<String> {
    doc.get("verification")
        .or_else(|| doc.get("verify"))
        .and_then(|v| v.get("type"))
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
}

/// The URL a hosted assertion lives at: `id` (2.0), or `verify.url` (1.x).
fn hosted_url(doc: &Value) -> Option<String> {
    let id = doc
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| s.starts_with("http"));
    let legacy = doc
        .get("verify")
        .and_then(|v| v.get("url"))
        .and_then(Value::as_str);
    id.or(legacy).map(str::to_owned)
}

async fn fetch_json<F: Fetch>(fetch: &F, url: &str) -> Result<(u16, Value), String> {
    let f = fetch
        .fetch(url, Resource::Document)
        .await
        .map_err(|e| e.to_string())?;
    if f.status != 200 {
        return Ok((f.status, Value::Null));
    }
    let text = text_of(&f.body).ok_or_else(|| format!("{url} is not UTF-8 text"))?;
    let v = obi_core::parse_json(text.as_bytes()).map_err(|_| {
        format!(
            "{url}: Unknown Content-Type (not JSON: {})",
            f.content_type.as_deref().unwrap_or("no Content-Type")
        )
    })?;
    Ok((200, v))
}

/// What one fetch in the crawl was for.
enum Fetching {
    Document(Result<(u16, Value), String>),
    Image(Result<crate::fetch::Fetched, crate::fetch::FetchError>),
}

/// Fetch the documents `doc` refers to into `docs` (bounded), and check its image URLs. Each document's
/// references are requested as soon as it arrives, images alongside the documents, so the time taken is
/// the longest chain of references (assertion → badge → issuer → revocation list), not the sum of the
/// levels. Returns the images that could not be fetched as images.
async fn crawl<F: Fetch>(
    doc: &Value,
    docs: &mut Docs,
    fetch: &F,
    report: &mut VerifyReport,
    signed: bool,
) -> Vec<(String, String)> {
    use futures_util::stream::{FuturesUnordered, StreamExt as _};

    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut seen_images: BTreeSet<String> = BTreeSet::new();
    let mut fetched = 0;
    let mut truncated = false;
    let mut pending = FuturesUnordered::new();
    let mut problems: Vec<String> = Vec::new();
    let mut bad = Vec::new();
    let mut unfetched_images = (0usize, 0usize);
    // Queue the references and images of one node.
    let mut follow = |node: &Value,
                      docs: &Docs,
                      pending: &mut FuturesUnordered<_>,
                      fetched: &mut usize,
                      truncated: &mut bool| {
        let (mut refs, mut images) = (Vec::new(), BTreeSet::new());
        collect_refs(node, &mut refs, &mut images, 0, signed);
        for url in refs {
            if docs.get(&url).is_some() || !seen.insert(url.clone()) {
                continue;
            }
            if *fetched >= MAX_DOCUMENTS {
                *truncated = true;
                continue;
            }
            *fetched += 1;
            pending.push(futures_util::future::Either::Left(async move {
                let r = fetch_json(fetch, &url).await;
                (url, Fetching::Document(r))
            }));
        }
        for url in images {
            if seen_images.insert(url.clone()) {
                pending.push(futures_util::future::Either::Right(async move {
                    let r = fetch.fetch(&url, Resource::Image).await;
                    (url, Fetching::Image(r))
                }));
            }
        }
    };
    follow(doc, docs, &mut pending, &mut fetched, &mut truncated);
    while let Some((url, result)) = pending.next().await {
        match result {
            Fetching::Document(Ok((200, v))) => {
                follow(&v, docs, &mut pending, &mut fetched, &mut truncated);
                docs.insert(url, v);
            }
            Fetching::Document(Ok((status, _))) => {
                problems.push(format!("{url} answered HTTP {status}"))
            }
            Fetching::Document(Err(e)) => problems.push(e),
            Fetching::Image(Ok(f)) if f.status == 200 && obi_bake::sniff(&f.body).is_some() => {}
            Fetching::Image(Ok(f)) if f.status == 200 => {
                bad.push((url, "not a PNG or SVG image".to_owned()))
            }
            Fetching::Image(Ok(f)) => bad.push((url, format!("HTTP {}", f.status))),
            // Counted, not listed: a badge with thousands of image URLs gets one line about them.
            Fetching::Image(Err(crate::fetch::FetchError::Budget { limit, .. })) => {
                unfetched_images.0 += 1;
                unfetched_images.1 = limit;
            }
            Fetching::Image(Err(e)) => bad.push((url, e.to_string())),
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

/// Keys are needed for signed badges only; hosted ones are vouched for by their host.
fn collect_refs(
    v: &Value,
    refs: &mut Vec<String>,
    images: &mut BTreeSet<String>,
    depth: usize,
    signed: bool,
) {
    if depth > 8 {
        return;
    }
    let Value::Object(o) = v else { return };
    for (k, val) in o {
        let follow = (REFERENCES.contains(&k.as_str())
            && (signed || !matches!(k.as_str(), "publicKey" | "creator" | "owner")))
            || k == "verify"
            || k == "verification";
        match val {
            Value::String(s) if k == "image" && s.starts_with("http") => {
                images.insert(s.clone());
            }
            Value::String(s) if follow && s.starts_with("http") => refs.push(s.clone()),
            Value::Array(items) if follow => {
                for i in items {
                    match i {
                        Value::String(s) if s.starts_with("http") => refs.push(s.clone()),
                        obj @ Value::Object(_) => {
                            collect_refs(obj, refs, images, depth + 1, signed)
                        }
                        _ => {}
                    }
                }
            }
            Value::Object(_) => collect_refs(val, refs, images, depth + 1, signed),
            _ => {}
        }
    }
    // An embedded image object: {"id": URL}.
    if let Some(Value::Object(img)) = o.get("image")
        && let Some(Value::String(s)) = img.get("id")
        && s.starts_with("http")
    {
        images.insert(s.clone());
    }
}

/// A referenced node: embedded, in the validated graph, or among the fetched documents.
fn resolve(node: &Value, key: &str, graph: &[Value], docs: &Docs) -> Option<Value> {
    match node.get(key)? {
        Value::Object(o) => Some(Value::Object(o.clone())),
        Value::String(id) => graph
            .iter()
            .find(|n| n.get("id").and_then(Value::as_str) == Some(id))
            .cloned()
            .or_else(|| docs.get(id).cloned()),
        _ => None,
    }
}

fn display(report: &mut VerifyReport, node: &Value, badge: Option<&Value>, issuer: Option<&Value>) {
    let s = |v: Option<&Value>, k: &str| {
        v.and_then(|v| v.get(k))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let d = &mut report.display;
    d.name = s(badge, "name");
    d.description = s(badge, "description");
    d.image = s(Some(node), "image")
        .or_else(|| s(badge, "image"))
        .or_else(|| {
            badge
                .and_then(|b| b.get("image"))
                .and_then(|i| i.get("id"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
    d.issuer_name = s(issuer, "name");
    d.issuer = s(issuer, "id");
    d.issued_on = s(Some(node), "issuedOn");
    d.expires = s(Some(node), "expires");
}

fn signature(
    report: &mut VerifyReport,
    token: &str,
    node: &Value,
    issuer: Option<&Value>,
    docs: &Docs,
) {
    let creator = node
        .get("verification")
        .and_then(|v| v.get("creator"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let issuer_keys: Vec<String> = match issuer.and_then(|i| i.get("publicKey")) {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|k| {
                k.as_str()
                    .or(k.get("id").and_then(Value::as_str))
                    .map(str::to_owned)
            })
            .collect(),
        Some(Value::Object(o)) => o
            .get("id")
            .and_then(Value::as_str)
            .map(|s| vec![s.to_owned()])
            .unwrap_or_default(),
        _ => vec![],
    };
    let candidates: Vec<String> = match &creator {
        Some(c) => vec![c.clone()],
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
    let issuer_id = issuer
        .and_then(|i| i.get("id"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut last = String::new();
    for key_url in &candidates {
        let Some(key_doc) = docs.get(key_url) else {
            last = format!("the key {key_url} could not be fetched");
            continue;
        };
        let Some(pem) = key_doc.get("publicKeyPem").and_then(Value::as_str) else {
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
                let owner = key_doc
                    .get("owner")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if owner != issuer_id || !issuer_keys.iter().any(|k| k == key_url) {
                    report.finding("VERIFY_KEY_OWNERSHIP", "/verification/creator", format!("the key {key_url} is owned by {owner:?} and the issuer {issuer_id} lists {issuer_keys:?}"), "the issuer profile must list the key in publicKey, and the key's owner must be the issuer");
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

fn revocation(
    report: &mut VerifyReport,
    node: &Value,
    issuer: Option<&Value>,
    docs: &Docs,
    signed: bool,
) {
    let id = node.get("id").and_then(Value::as_str).unwrap_or_default();
    if node.get("revoked") == Some(&Value::Bool(true)) {
        let reason = node
            .get("revocationReason")
            .and_then(Value::as_str)
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
    let list_url = issuer
        .and_then(|i| i.get("revocationList"))
        .and_then(Value::as_str);
    let Some(list_url) = list_url else {
        if report.display.status.is_none() {
            report.display.status = Some("unknown".into());
        }
        report.skip("status", "the issuer publishes no revocation list");
        return;
    };
    let Some(list) = docs.get(list_url) else {
        report.display.status = Some("unknown".into());
        report.fail(
            "status",
            format!("the issuer's revocation list {list_url} could not be fetched"),
        );
        return;
    };
    let entries = list
        .get("revokedAssertions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let hit = entries
        .iter()
        .find(|e| e.as_str() == Some(id) || e.get("id").and_then(Value::as_str) == Some(id));
    match hit {
        Some(e) => {
            let reason = e
                .get("revocationReason")
                .and_then(Value::as_str)
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
        }
        None => {
            if report.display.status.is_none() {
                report.display.status = Some("active".into());
            }
            report.pass("status", "not in the issuer's revocation list");
        }
    }
}

fn recipient_check(report: &mut VerifyReport, node: &Value, opts: &VerifyOptions) {
    if opts.recipients.is_empty() {
        report.skip("recipient", "no recipient identity given (--recipient)");
        return;
    }
    let r = &node["recipient"];
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
