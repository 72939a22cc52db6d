//! Open Badges 3.0 verification (spec §9.1): conformance, proof, refresh, status, validity period,
//! recipient, endorsements.

use std::io::Read as _;

use base64::Engine as _;
use obi_core::Severity;
use obi_sign::{OfflineResolver, di, vcjwt};
use serde_json::{Map, Value};

use crate::fetch::{Fetch, Resource};
use crate::recipient;
use crate::report::VerifyReport;
use crate::{VerifyOptions, text_of};

/// Largest decompressed Bitstring Status List accepted (the spec's minimum is 16 KB; 16 MB is 134 M entries).
pub const MAX_STATUS_LIST_BYTES: usize = 16 * 1024 * 1024;

/// Most controller documents fetched for one credential's proofs (a credential with thousands of proofs
/// must not turn the verifier into a request generator).
pub const MAX_CONTROLLERS: usize = 8;

/// Rules whose findings belong to the validity-period check rather than conformance.
const DATE_RULES: [&str; 2] = ["OB3_EXPIRED", "OB3_NOT_YET_VALID"];

/// Verify an OB 3.0 credential (`jwt` is the token it came in, for VC-JWT).
pub(crate) async fn verify<F: Fetch>(
    report: &mut VerifyReport,
    credential: Value,
    jwt: Option<&str>,
    opts: &VerifyOptions,
    fetch: &F,
) {
    report.open_badges_version = Some("3.0".into());
    report.format = if jwt.is_some() {
        "vc-jwt"
    } else {
        "data-integrity"
    };
    display(report, &credential);

    // 1. Conformance.
    // A Data Integrity proof check expands the credential in safe mode itself; a VC-JWT needs the check here.
    let jsonld_here = jwt.is_some() || credential.get("proof").is_none();
    let validation = obi_core::v3::validate_with(&credential, opts.now, jsonld_here);
    let conformance_errors: Vec<_> = validation
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && !DATE_RULES.contains(&f.rule))
        .map(|f| {
            format!(
                "{} at {}",
                f.rule,
                if f.path.is_empty() { "/" } else { &f.path }
            )
        })
        .collect();
    let date_errors: Vec<String> = validation
        .findings
        .iter()
        .filter(|f| DATE_RULES.contains(&f.rule))
        .map(|f| f.message.clone())
        .collect();
    report.findings.extend(validation.findings);
    if conformance_errors.is_empty() {
        report.pass("schema", "conforms to the OB 3.0 schema and rules");
    } else {
        report.fail(
            "schema",
            format!("does not conform: {}", conformance_errors.join(", ")),
        );
    }

    // 2. Proof.
    proof(report, &credential, jwt, opts, fetch).await;

    // 3. Refresh: verify the refreshed credential instead, when the issuer serves one.
    if let Some(refreshed) = refresh(report, &credential, opts, fetch).await {
        *report = refreshed;
        return;
    }

    // 4. Status and validity period.
    status(report, &credential, opts, fetch).await;
    if date_errors.is_empty() {
        report.pass("validity", "within validFrom / validUntil");
    } else {
        report.fail("validity", date_errors.join("; "));
    }

    // 5. Recipient.
    recipient_check(report, &credential, opts);

    // 6. Endorsements.
    endorsements(report, &credential, opts, fetch).await;
    report.graph.push(credential);
}

/// The 1EdTech Credential Refresh step (OB 3.0 §9.1 step 3): GET the `refreshService` URL of type
/// `1EdTechCredentialRefresh`; what it serves (JSON or VC-JWT) replaces the credential if it is an
/// OpenBadgeCredential of the same issuer and, when the original names one, the same subject, and its own
/// proof verifies. The replacement is verified from the start without refreshing again. Anything else
/// (no service, offline, an error, a credential that is not a refresh of this one) leaves the credential
/// as presented, and the `refresh` check says why.
async fn refresh<F: Fetch>(
    report: &mut VerifyReport,
    credential: &Value,
    opts: &VerifyOptions,
    fetch: &F,
) -> Option<VerifyReport> {
    let Some(service) = credential.get("refreshService") else {
        report.skip("refresh", "no refreshService");
        return None;
    };
    let kind = service.get("type").and_then(Value::as_str).unwrap_or("?");
    let url = service
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if kind != "1EdTechCredentialRefresh" {
        report.skip(
            "refresh",
            format!(
                "refreshService of type {kind} not followed (obi follows 1EdTechCredentialRefresh)"
            ),
        );
        return None;
    }
    if !opts.refresh {
        report.skip("refresh", format!("refreshing turned off; {url} not asked"));
        return None;
    }
    let skip = |report: &mut VerifyReport, why: String| {
        report.skip(
            "refresh",
            format!("{why}; the credential is verified as presented"),
        );
        None
    };
    let fetched = match fetch.fetch(url, Resource::Credential).await {
        Ok(f) if f.status == 200 => f,
        Ok(f) => return skip(report, format!("{url} answered HTTP {}", f.status)),
        Err(e) => return skip(report, e.to_string()),
    };
    let Some(text) = text_of(&fetched.body) else {
        return skip(report, format!("{url} did not serve text"));
    };
    let (fresh, jwt) = match crate::credential_from_text(text) {
        Ok(c) => c,
        Err(e) => return skip(report, format!("{url} did not serve a credential: {e}")),
    };
    let issuer_of = |c: &Value| {
        c.as_object()
            .and_then(obi_sign::issuer_id)
            .map(str::to_owned)
    };
    let subject_of = |c: &Value| {
        c.get("credentialSubject")
            .and_then(|s| s.get("id"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    if !obi_core::v3::is_credential(&fresh) {
        return skip(
            report,
            format!("{url} served something other than an OB 3.0 credential"),
        );
    }
    if issuer_of(&fresh) != issuer_of(credential) {
        return skip(
            report,
            format!("{url} served a credential of another issuer, not a refresh of this one"),
        );
    }
    if subject_of(credential).is_some() && subject_of(&fresh) != subject_of(credential) {
        return skip(
            report,
            format!("{url} served a credential for another subject, not a refresh of this one"),
        );
    }
    let mut sub = VerifyReport::new(&report.input);
    let once = opts.clone().refresh(false);
    Box::pin(verify(&mut sub, fresh, jwt.as_deref(), &once, fetch)).await;
    let proof_ok = sub
        .checks
        .iter()
        .any(|c| c.name == "proof" && c.status == crate::CheckStatus::Passed);
    if !proof_ok {
        return skip(
            report,
            format!("the credential {url} served does not carry a valid proof of its issuer"),
        );
    }
    // The refreshed credential's report, with the refresh recorded where the step happens.
    let detail = format!("refreshed from {url}: this report is about the credential it served");
    match sub.checks.iter_mut().find(|c| c.name == "refresh") {
        Some(c) => {
            c.status = crate::CheckStatus::Passed;
            c.detail = detail;
        }
        None => sub.pass("refresh", detail),
    }
    if let Some(input_checks) = report.checks.iter().find(|c| c.name == "input").cloned() {
        sub.checks.insert(0, input_checks);
    }
    Some(sub)
}

fn display(report: &mut VerifyReport, c: &Value) {
    let achievement = &c["credentialSubject"]["achievement"];
    let issuer = &c["issuer"];
    let d = &mut report.display;
    d.name = achievement["name"]
        .as_str()
        .or(c["name"].as_str())
        .map(str::to_owned);
    d.description = achievement["description"]
        .as_str()
        .or(c["description"].as_str())
        .map(str::to_owned);
    d.image = image_of(&achievement["image"]).or_else(|| image_of(&c["image"]));
    d.issuer_name = issuer["name"].as_str().map(str::to_owned);
    d.issuer = issuer.as_str().or(issuer["id"].as_str()).map(str::to_owned);
    d.issued_on = c["validFrom"]
        .as_str()
        .or(c["issuanceDate"].as_str())
        .or(c["awardedDate"].as_str())
        .map(str::to_owned);
    d.expires = c["validUntil"]
        .as_str()
        .or(c["expirationDate"].as_str())
        .map(str::to_owned);
}

fn image_of(v: &Value) -> Option<String> {
    v.as_str().or(v["id"].as_str()).map(str::to_owned)
}

/// Controller documents for the verification methods named, fetched (did:web, https); did:key needs none.
async fn resolver_for<F: Fetch>(
    methods: &[String],
    fetch: &F,
    notes: &mut Vec<String>,
) -> OfflineResolver {
    let mut r = OfflineResolver::new();
    let mut bases: Vec<&str> = methods
        .iter()
        .map(|vm| vm.split('#').next().unwrap_or(vm))
        .collect();
    bases.sort_unstable();
    bases.dedup();
    if bases.len() > MAX_CONTROLLERS {
        notes.push(format!(
            "only the first {MAX_CONTROLLERS} controller documents were fetched"
        ));
        bases.truncate(MAX_CONTROLLERS);
    }
    for base in bases {
        let Some(url) = controller_url(base) else {
            continue;
        };
        if let Some(doc) = json_document(fetch, &url, notes).await {
            r = r.with_document(base, doc);
        }
    }
    r
}

/// Where the document of a DID or URL controller lives: did:web → its did.json, http(s) → itself.
fn controller_url(id: &str) -> Option<String> {
    if let Some(rest) = id.strip_prefix("did:web:") {
        did_web_url(rest)
    } else if id.starts_with("https://") || id.starts_with("http://") {
        Some(id.to_owned())
    } else {
        None
    }
}

/// A JSON document fetched from `url`, or why not in `notes`.
async fn json_document<F: Fetch>(fetch: &F, url: &str, notes: &mut Vec<String>) -> Option<Value> {
    match fetch.fetch(url, Resource::Document).await {
        Ok(f) if f.status == 200 => match serde_json::from_slice::<Value>(&f.body) {
            Ok(doc) => Some(doc),
            Err(e) => {
                notes.push(format!("{url} is not JSON: {e}"));
                None
            }
        },
        Ok(f) => {
            notes.push(format!("{url}: HTTP {}", f.status));
            None
        }
        Err(e) => {
            notes.push(e.to_string());
            None
        }
    }
}

/// did:web → the URL of its DID document.
pub fn did_web_url(method_specific: &str) -> Option<String> {
    let mut parts = method_specific.split(':');
    let host = parts.next()?.replace("%3A", ":").replace("%3a", ":");
    if host.is_empty() || host.contains('/') {
        return None;
    }
    let path: Vec<&str> = parts.collect();
    Some(if path.is_empty() {
        format!("https://{host}/.well-known/did.json")
    } else {
        format!("https://{host}/{}/did.json", path.join("/"))
    })
}

async fn proof<F: Fetch>(
    report: &mut VerifyReport,
    credential: &Value,
    jwt: Option<&str>,
    opts: &VerifyOptions,
    fetch: &F,
) {
    let mut notes = Vec::new();
    match jwt {
        Some(token) => jwt_proof(report, credential, token, opts, fetch).await,
        None => {
            let methods: Vec<String> = proofs_of(credential)
                .iter()
                .filter_map(|p| {
                    p.get("verificationMethod")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                })
                .collect();
            if credential.get("proof").is_none() {
                report.finding(
                    "OB3_PROOF",
                    "/proof",
                    "the credential has no proof",
                    "a credential must be signed (Data Integrity proof or VC-JWT)",
                );
                report.fail(
                    "proof",
                    "no proof: anyone could have written this credential",
                );
                return;
            }
            let resolver = resolver_for(&methods, fetch, &mut notes).await;
            match di::verify(credential, &resolver) {
                Ok(checks) => {
                    let good: Vec<&di::ProofCheck> =
                        checks.iter().filter(|c| c.result.is_ok()).collect();
                    let bad: Vec<String> = checks
                        .iter()
                        .filter_map(|c| {
                            c.result.as_ref().err().map(|e| format!("{}: {e}", c.suite))
                        })
                        .collect();
                    if let Some(g) = good.first() {
                        let mut detail =
                            format!("{} proof by {} verified", g.suite, g.verification_method);
                        if !bad.is_empty() {
                            detail.push_str(&format!(" (other proofs failed: {})", bad.join("; ")));
                        }
                        report.pass("proof", detail);
                    } else {
                        for c in &checks {
                            let Err(e) = &c.result else { continue };
                            let jsonld = matches!(e, obi_sign::SignError::JsonLd(_));
                            report.finding(
                                if jsonld { "OB3_JSONLD" } else { "OB3_PROOF" },
                                "/proof",
                                format!("{}: {e}", c.suite),
                                "the credential is not what its issuer signed, or its key cannot be found",
                            );
                        }
                        report.fail("proof", with_notes(bad.join("; "), &notes));
                    }
                }
                Err(e) => report.fail("proof", e.to_string()),
            }
        }
    }
}

/// A VC-JWT's proof. The signature is checked with the key the header names, and that key must be the
/// issuer's: a `kid` naming a verification method whose controller is the issuer (did:key, did:web, an
/// https controller document), or a key the issuer publishes (its DID document's `assertionMethod`, a
/// controller document or JWKS at its URL, or the JWKS its `/.well-known/jwt-vc-issuer` metadata names).
/// A key that only the token itself carries (header `jwk`) proves nothing about who signed: anyone can
/// make such a token for any issuer, so it fails, however intact the signature.
async fn jwt_proof<F: Fetch>(
    report: &mut VerifyReport,
    credential: &Value,
    token: &str,
    opts: &VerifyOptions,
    fetch: &F,
) {
    let mut notes = Vec::new();
    let fail = |report: &mut VerifyReport, message: String, notes: &[String]| {
        report.finding(
            "OB3_PROOF",
            "",
            message.clone(),
            "the credential is not what its issuer signed, or its key is not the issuer's",
        );
        report.fail("proof", with_notes(message, notes));
    };
    let jws = match obi_sign::jws::Jws::decode(token) {
        Ok(j) => j,
        Err(e) => return fail(report, e.to_string(), &notes),
    };
    let issuer = credential
        .as_object()
        .and_then(obi_sign::issuer_id)
        .unwrap_or_default()
        .to_owned();
    let kid = jws
        .header
        .get("kid")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let header_jwk = jws.header_jwk();

    // 1. A kid naming a verification method.
    let method = match kid.as_deref() {
        Some(k)
            if k.starts_with("did:") || k.starts_with("https://") || k.starts_with("http://") =>
        {
            let resolver = resolver_for(&[k.to_owned()], fetch, &mut notes).await;
            match obi_sign::KeyResolver::resolve(&resolver, k) {
                Ok(m) => Some(m),
                Err(e) => {
                    notes.push(e.to_string());
                    None
                }
            }
        }
        _ => None,
    };
    // 2. Otherwise the key in the header, or the issuer's published key with that kid.
    let (key, binding) = if let Some(m) = method {
        if m.controller != issuer {
            return fail(
                report,
                format!(
                    "signed with {}, a key of {}, not of the issuer {issuer}",
                    m.id, m.controller
                ),
                &notes,
            );
        }
        if !m.assertion_method {
            return fail(
                report,
                format!("{} is not one of the issuer's assertionMethod keys", m.id),
                &notes,
            );
        }
        (m.key, format!("{}, a key of the issuer", m.id))
    } else {
        let published = issuer_keys(&issuer, fetch, &mut notes).await;
        let key = match header_jwk {
            Some(Ok(k)) => k,
            Some(Err(e)) => return fail(report, e.to_string(), &notes),
            None => {
                let Some(k) = kid.as_deref() else {
                    return fail(
                        report,
                        "the JWT header names no key (neither \"kid\" nor \"jwk\")".into(),
                        &notes,
                    );
                };
                // The kid may be the key's own id, a fragment of it, or a URL whose fragment names it
                // (`https://issuer.example/jwks.json#key-1`); only the issuer's keys are looked at.
                let fragment = |s: &str| s.rsplit_once('#').map(|(_, f)| f.to_owned());
                match published.iter().find(|p| {
                    p.id.as_deref().is_some_and(|id| {
                        id == k
                            || fragment(id).as_deref() == Some(k)
                            || fragment(k).as_deref() == Some(id)
                    })
                }) {
                    Some(p) => p.key.clone(),
                    None => {
                        return fail(
                            report,
                            format!("no key with kid {k:?} among the keys {issuer} publishes"),
                            &notes,
                        );
                    }
                }
            }
        };
        let thumbprint = key.jwk_thumbprint();
        match published
            .iter()
            .find(|p| p.key.jwk_thumbprint() == thumbprint)
        {
            Some(p) => (
                key,
                format!(
                    "{}, published by the issuer",
                    p.id.as_deref().unwrap_or(thumbprint.as_str())
                ),
            ),
            None => {
                // Check the signature anyway, to say which of the two things is wrong.
                let intact = jws.verify(&key).is_ok();
                report.finding(
                    "OB3_PROOF_KEY_UNBOUND",
                    "",
                    format!(
                        "the token carries its own key (JWK thumbprint {thumbprint}), and {} does not publish it",
                        if issuer.is_empty() { "the issuer" } else { &issuer }
                    ),
                    "an issuer publishes its keys: a DID, a controller document or JWKS at its id URL, or \
                     /.well-known/jwt-vc-issuer; sign with a kid that names one of them",
                );
                report.fail(
                    "proof",
                    with_notes(
                        format!(
                            "{}, but with a key that only the token carries: the issuer does not publish it, \
                             so anyone could have made this token",
                            if intact {
                                "the signature is intact"
                            } else {
                                "the signature does not verify either"
                            }
                        ),
                        &notes,
                    ),
                );
                return;
            }
        }
    };

    // 3. The signature and the claims.
    let resolver = OfflineResolver::new();
    match vcjwt::verify(token, Some(&key), &resolver, opts.now) {
        Ok(v) => {
            let errors: Vec<String> = v
                .findings
                .iter()
                .filter(|f| f.severity == obi_sign::Severity::Error)
                .map(|f| f.message.clone())
                .collect();
            for f in &v.findings {
                report.findings.push(obi_core::Finding {
                    rule: f.rule,
                    severity: match f.severity {
                        obi_sign::Severity::Error => Severity::Error,
                        obi_sign::Severity::Warning => Severity::Warning,
                    },
                    node: None,
                    path: String::new(),
                    message: f.message.clone(),
                    hint: "re-sign the credential with claims that match it".into(),
                });
            }
            if errors.is_empty() {
                report.pass(
                    "proof",
                    format!(
                        "VC-JWT {} signature verified with {binding}",
                        v.header.get("alg").and_then(Value::as_str).unwrap_or("?")
                    ),
                );
            } else {
                report.fail(
                    "proof",
                    format!(
                        "the signature holds but the JWT claims do not: {}",
                        errors.join("; ")
                    ),
                );
            }
        }
        Err(e) => fail(report, e.to_string(), &notes),
    }
}

/// Most documents read to find an issuer's published keys: its id (DID document, controller document or
/// JWKS), its `/.well-known/jwt-vc-issuer` metadata, and the JWKS that names.
const MAX_KEY_DOCUMENTS: usize = 3;

/// The keys the issuer publishes (see [`jwt_proof`]); why none were found goes to `notes`.
async fn issuer_keys<F: Fetch>(
    issuer: &str,
    fetch: &F,
    notes: &mut Vec<String>,
) -> Vec<obi_sign::PublishedKey> {
    let mut keys = Vec::new();
    if issuer.starts_with("did:key:") {
        match obi_sign::resolve::resolve_did_key(issuer) {
            Ok(m) => keys.push(obi_sign::PublishedKey {
                id: Some(m.id),
                key: m.key,
            }),
            Err(e) => notes.push(e.to_string()),
        }
        return keys;
    }
    let Some(first) = controller_url(issuer) else {
        notes.push(format!(
            "the issuer {issuer:?} is neither a did:web DID nor a URL, so it publishes no keys"
        ));
        return keys;
    };
    let mut read = 0;
    if let Some(doc) = key_document(fetch, &first, notes, &mut read).await {
        take_keys(&doc, &first, &mut keys, notes);
    }
    if !keys.is_empty() || issuer.starts_with("did:") {
        return keys;
    }
    // SD-JWT VC issuer metadata: {"issuer": ISS, "jwks": {...}} or {"issuer": ISS, "jwks_uri": URL}.
    let Some(meta_url) = jwt_vc_issuer_url(issuer) else {
        return keys;
    };
    let Some(meta) = key_document(fetch, &meta_url, notes, &mut read).await else {
        return keys;
    };
    if meta.get("issuer").and_then(Value::as_str) != Some(issuer) {
        notes.push(format!("{meta_url} is metadata for another issuer"));
        return keys;
    }
    if let Some(jwks) = meta.get("jwks") {
        take_keys(jwks, &meta_url, &mut keys, notes);
    } else if let Some(uri) = meta.get("jwks_uri").and_then(Value::as_str)
        && let Some(jwks) = key_document(fetch, uri, notes, &mut read).await
    {
        take_keys(&jwks, uri, &mut keys, notes);
    }
    keys
}

fn take_keys(
    doc: &Value,
    url: &str,
    keys: &mut Vec<obi_sign::PublishedKey>,
    notes: &mut Vec<String>,
) {
    let (found, skipped) = obi_sign::published_keys(doc);
    notes.extend(skipped.into_iter().map(|s| format!("{url}: {s}")));
    keys.extend(found);
}

/// `https://host/.well-known/jwt-vc-issuer/path` for issuer `https://host/path`.
fn jwt_vc_issuer_url(issuer: &str) -> Option<String> {
    let url = url::Url::parse(issuer).ok()?;
    let path = url.path().trim_end_matches('/');
    Some(format!(
        "{}/.well-known/jwt-vc-issuer{path}",
        url.origin().ascii_serialization()
    ))
}

async fn key_document<F: Fetch>(
    fetch: &F,
    url: &str,
    notes: &mut Vec<String>,
    read: &mut usize,
) -> Option<Value> {
    if *read >= MAX_KEY_DOCUMENTS {
        return None;
    }
    *read += 1;
    json_document(fetch, url, notes).await
}

fn with_notes(mut s: String, notes: &[String]) -> String {
    if !notes.is_empty() {
        s.push_str(&format!(" ({})", notes.join("; ")));
    }
    s
}

fn proofs_of(c: &Value) -> Vec<&Value> {
    match c.get("proof") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(p) => vec![p],
        None => vec![],
    }
}

async fn status<F: Fetch>(
    report: &mut VerifyReport,
    credential: &Value,
    opts: &VerifyOptions,
    fetch: &F,
) {
    let entries: Vec<&Value> = match credential.get("credentialStatus") {
        None => {
            report.skip(
                "status",
                "no credentialStatus: the issuer publishes no revocation for it",
            );
            report.display.status = Some("unknown".into());
            return;
        }
        Some(Value::Array(a)) => a.iter().collect(),
        Some(s) => vec![s],
    };
    let id = credential
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let issuer = credential
        .as_object()
        .and_then(obi_sign::issuer_id)
        .unwrap_or_default()
        .to_owned();
    let mut all_active = true;
    for entry in entries {
        let ty = entry
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let outcome = match ty {
            "1EdTechRevocationList" => revocation_list(entry, id, fetch).await,
            "BitstringStatusListEntry" | "StatusList2021Entry" => {
                bitstring(entry, &issuer, opts, fetch).await
            }
            other => Err(format!("status type {other:?} is not supported")),
        };
        match outcome {
            Ok(None) => {}
            Ok(Some(state)) => {
                all_active = false;
                report.display.status = Some(state.into());
                report.finding(
                    if state == "revoked" {
                        "OB3_REVOKED"
                    } else {
                        "OB3_SUSPENDED"
                    },
                    "/credentialStatus",
                    format!("the issuer has {state} this credential"),
                    "the holder should contact the issuer; the badge no longer counts",
                );
                report.fail("status", format!("{state} by the issuer ({ty})"));
            }
            Err(why) => {
                all_active = false;
                report.display.status = Some("unknown".into());
                report.fail("status", format!("could not check {ty}: {why}"));
            }
        }
    }
    if all_active {
        report.display.status = Some("active".into());
        report.pass("status", "not revoked or suspended");
    }
}

/// `Ok(None)` active, `Ok(Some("revoked"))`, or why the list could not be read.
async fn revocation_list<F: Fetch>(
    entry: &Value,
    id: &str,
    fetch: &F,
) -> Result<Option<&'static str>, String> {
    let url = entry
        .get("id")
        .and_then(Value::as_str)
        .ok_or("the entry has no id")?;
    let f = fetch
        .fetch(url, Resource::Document)
        .await
        .map_err(|e| e.to_string())?;
    if f.status != 200 {
        return Err(format!("{url} answered HTTP {}", f.status));
    }
    let list: Value =
        serde_json::from_slice(&f.body).map_err(|e| format!("{url} is not JSON: {e}"))?;
    let revoked = list
        .get("revokedCredentials")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{url} has no revokedCredentials list"))?;
    let listed = revoked
        .iter()
        .any(|r| r.as_str() == Some(id) || r.get("id").and_then(Value::as_str) == Some(id));
    Ok(listed.then_some("revoked"))
}

async fn bitstring<F: Fetch>(
    entry: &Value,
    issuer: &str,
    opts: &VerifyOptions,
    fetch: &F,
) -> Result<Option<&'static str>, String> {
    let url = entry
        .get("statusListCredential")
        .and_then(Value::as_str)
        .ok_or("the entry has no statusListCredential")?;
    let index: u64 = match entry.get("statusListIndex") {
        Some(Value::String(s)) => s
            .parse()
            .map_err(|_| format!("statusListIndex {s:?} is not a number"))?,
        Some(Value::Number(n)) => n
            .as_u64()
            .ok_or("statusListIndex is not a non-negative integer")?,
        _ => return Err("the entry has no statusListIndex".into()),
    };
    let purpose = entry
        .get("statusPurpose")
        .and_then(Value::as_str)
        .unwrap_or("revocation");
    let f = fetch
        .fetch(url, Resource::Credential)
        .await
        .map_err(|e| e.to_string())?;
    if f.status != 200 {
        return Err(format!("{url} answered HTTP {}", f.status));
    }
    let text = text_of(&f.body).ok_or_else(|| format!("{url} is not UTF-8"))?;
    // The list is a credential itself: its proof must hold, its issuer must be the credential's.
    let (list, jwt) = crate::credential_from_text(text).map_err(|e| format!("{url}: {e}"))?;
    let mut sub = VerifyReport::new(url);
    Box::pin(proof(&mut sub, &list, jwt.as_deref(), opts, fetch)).await;
    if let Some(c) = sub.checks.iter().find(|c| c.name == "proof")
        && c.status != crate::CheckStatus::Passed
    {
        return Err(format!(
            "the status list's proof does not hold: {}",
            c.detail
        ));
    }
    let list_issuer = list
        .as_object()
        .and_then(obi_sign::issuer_id)
        .unwrap_or_default();
    if list_issuer != issuer {
        return Err(format!(
            "the status list is issued by {list_issuer}, not by the credential's issuer {issuer}"
        ));
    }
    if let Some(until) = list.get("validUntil").and_then(Value::as_str)
        && chrono::DateTime::parse_from_rfc3339(until).is_ok_and(|t| t < opts.now)
    {
        return Err(format!("the status list expired at {until}"));
    }
    let subject = &list["credentialSubject"];
    if let Some(p) = subject.get("statusPurpose").and_then(Value::as_str)
        && p != purpose
    {
        return Err(format!("the list is for {p}, the entry for {purpose}"));
    }
    let encoded = subject
        .get("encodedList")
        .and_then(Value::as_str)
        .ok_or("the status list has no encodedList")?;
    let bits = decode_list(encoded)?;
    let byte = usize::try_from(index / 8).map_err(|_| "index too large")?;
    let set = bits
        .get(byte)
        .map(|b| b & (0x80 >> (index % 8)) != 0)
        .ok_or_else(|| {
            format!(
                "statusListIndex {index} is past the end of the list ({} entries)",
                bits.len() * 8
            )
        })?;
    Ok(set.then_some(if purpose == "suspension" {
        "suspended"
    } else {
        "revoked"
    }))
}

/// `u` + base64url of a GZIP bitstring (older lists omit the multibase prefix), decompressed under a cap.
pub fn decode_list(encoded: &str) -> Result<Vec<u8>, String> {
    let b64 = encoded.strip_prefix('u').unwrap_or(encoded);
    let gz = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(b64.trim_end_matches('='))
        .map_err(|_| "encodedList is not base64url")?;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .take(MAX_STATUS_LIST_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("encodedList is not GZIP: {e}"))?;
    if out.len() > MAX_STATUS_LIST_BYTES {
        return Err(format!(
            "the status list inflates past {MAX_STATUS_LIST_BYTES} bytes"
        ));
    }
    Ok(out)
}

fn recipient_check(report: &mut VerifyReport, credential: &Value, opts: &VerifyOptions) {
    if opts.recipients.is_empty() {
        report.skip("recipient", "no recipient identity given (--recipient)");
        return;
    }
    let subject = &credential["credentialSubject"];
    let mut matched = None;
    for who in &opts.recipients {
        if subject
            .get("id")
            .and_then(Value::as_str)
            .is_some_and(|id| recipient::same_id(id, who))
        {
            matched = Some(who.clone());
        }
        let ids: Vec<&Value> = match subject.get("identifier") {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(v) => vec![v],
            None => vec![],
        };
        for idv in ids {
            let Some(o) = idv.as_object() else { continue };
            if identity_matches(o, who) {
                matched = Some(who.clone());
            }
        }
    }
    report.recipient_outcome(
        matched.as_deref(),
        "RECIPIENT_MISMATCH",
        "/credentialSubject",
        "check that you hold this badge under another email or identifier",
    );
}

fn identity_matches(o: &Map<String, Value>, who: &str) -> bool {
    let Some(hash) = o.get("identityHash").and_then(Value::as_str) else {
        return false;
    };
    let salt = o.get("salt").and_then(Value::as_str).unwrap_or_default();
    if o.get("hashed") == Some(&Value::Bool(true)) {
        recipient::hash_matches(hash, who, salt)
    } else {
        hash == who || recipient::same_id(hash, who)
    }
}

async fn endorsements<F: Fetch>(
    report: &mut VerifyReport,
    credential: &Value,
    opts: &VerifyOptions,
    fetch: &F,
) {
    let mut found = Vec::new();
    for holder in [
        credential,
        &credential["credentialSubject"]["achievement"],
        &credential["issuer"],
    ] {
        match holder.get("endorsement") {
            Some(Value::Array(a)) => found.extend(a.iter().cloned().map(|e| (e, None))),
            Some(e @ Value::Object(_)) => found.push((e.clone(), None)),
            _ => {}
        }
        if let Some(jwts) = holder.get("endorsementJwt") {
            let list: Vec<&Value> = match jwts {
                Value::Array(a) => a.iter().collect(),
                v => vec![v],
            };
            for j in list.into_iter().filter_map(Value::as_str) {
                if let Ok(c) = vcjwt::dangerous_decode_unverified(j) {
                    found.push((c, Some(j.to_owned())));
                }
            }
        }
    }
    if found.is_empty() {
        report.skip("endorsements", "no endorsements");
        return;
    }
    let mut failed = Vec::new();
    for (e, jwt) in &found {
        let mut sub = VerifyReport::new("endorsement");
        Box::pin(proof(&mut sub, e, jwt.as_deref(), opts, fetch)).await;
        let v = obi_core::v3::validate(e, opts.now);
        let dated = v.findings.iter().any(|f| DATE_RULES.contains(&f.rule));
        let ok = sub
            .checks
            .iter()
            .all(|c| c.status != crate::CheckStatus::Failed)
            && !dated;
        if !ok {
            let id = e.get("id").and_then(Value::as_str).unwrap_or("(no id)");
            let why: Vec<String> = sub
                .checks
                .iter()
                .filter(|c| c.status == crate::CheckStatus::Failed)
                .map(|c| c.detail.clone())
                .chain(dated.then(|| "outside its validity period".to_owned()))
                .collect();
            failed.push(format!("{id}: {}", why.join("; ")));
        }
    }
    if failed.is_empty() {
        report.pass(
            "endorsements",
            format!("{} endorsement(s) verified", found.len()),
        );
    } else {
        for f in &failed {
            report.finding(
                "OB3_ENDORSEMENT",
                "",
                f.clone(),
                "an endorsement that does not verify says nothing; ask the endorser to re-issue it",
            );
        }
        report.fail("endorsements", failed.join(" | "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_web_urls() {
        assert_eq!(
            did_web_url("example.com").unwrap(),
            "https://example.com/.well-known/did.json"
        );
        assert_eq!(
            did_web_url("example.com%3A8443:users:alice").unwrap(),
            "https://example.com:8443/users/alice/did.json"
        );
        assert!(did_web_url("").is_none());
    }

    #[test]
    fn the_1edtech_test_list_decodes() {
        let bits =
            decode_list("uH4sIAAAAAAAA_-3BMQEAAAzDoMy_6cnoA9QFAAAAAAAAAAAAAAAAAAAAbD3uPa2cAEAAAA")
                .unwrap();
        assert_eq!(bits.len(), 16 * 1024);
        let set: Vec<usize> = (0..bits.len() * 8)
            .filter(|i| bits[i / 8] & (0x80 >> (i % 8)) != 0)
            .collect();
        assert!(!set.is_empty());
    }

    #[test]
    fn a_gzip_bomb_is_refused() {
        use std::io::Write as _;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&vec![0u8; MAX_STATUS_LIST_BYTES + 10])
            .unwrap();
        let encoded = format!(
            "u{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(gz.finish().unwrap())
        );
        assert!(decode_list(&encoded).unwrap_err().contains("inflates"));
    }
}
