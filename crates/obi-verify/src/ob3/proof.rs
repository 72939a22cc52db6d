//! The proof step: Data Integrity proofs and VC-JWT signatures, with the key bound to the issuer.

use obi_core::Severity;
use obi_sign::{OfflineResolver, di, vcjwt};
use serde_json::Value;

use super::keys::{issuer_keys, resolver_for};
use crate::VerifyOptions;
use crate::fetch::Fetch;
use crate::report::VerifyReport;

pub(super) async fn proof<F: Fetch>(
    report: &mut VerifyReport,
    credential: &Value,
    jwt: Option<&str>,
    opts: &VerifyOptions,
    fetch: &F,
) {
    let mut notes = Vec::new();
    // What obi reads from the JSON must be what the proof covers: an RDFC proof expands the credential
    // in compacted form itself; for a VC-JWT or a JCS proof, the same expansion is made here.
    let has_proof = jwt.is_some() || credential.get("proof").is_some_and(|p| !p.is_null());
    if has_proof
        && (jwt.is_some() || !all_rdfc(credential))
        && let Err(e) = obi_jsonld::to_rdf_compacted_without(credential, Some("proof"))
    {
        let rule = match e {
            obi_jsonld::JsonLdError::NotCompacted { .. } => "OB3_NOT_COMPACTED",
            _ => "OB3_JSONLD",
        };
        report.finding(
            rule,
            "",
            e.to_string(),
            "write the credential in compacted form under the published contexts, then sign it",
        );
        report.fail(
            "proof",
            format!("the signed credential cannot be read one way: {e}"),
        );
        return;
    }
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
            if proofs_of(credential).is_empty() {
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
            let issuer = credential
                .as_object()
                .and_then(obi_sign::issuer_id)
                .unwrap_or_default();
            let docs = resolver_for(issuer, &methods, fetch, &mut notes).await;
            match di::verify(credential, &docs.resolver, opts.now) {
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
                            let rule = match e {
                                obi_sign::SignError::JsonLd(
                                    obi_jsonld::JsonLdError::NotCompacted { .. },
                                ) => "OB3_NOT_COMPACTED",
                                obi_sign::SignError::JsonLd(_) => "OB3_JSONLD",
                                _ => "OB3_PROOF",
                            };
                            report.finding(
                                rule,
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

    // 1. A kid naming a verification method: it counts only if the issuer's own document lists it.
    let kid_method: Vec<String> = kid
        .iter()
        .filter(|k| k.starts_with("did:") || k.starts_with("https://") || k.starts_with("http://"))
        .cloned()
        .collect();
    let docs = resolver_for(&issuer, &kid_method, fetch, &mut notes).await;
    let method = match kid_method.first() {
        Some(k) => match obi_sign::resolve::issuer_method(&docs.resolver, &issuer, k) {
            Ok(m) => Some(m),
            Err(e) => {
                notes.push(e.to_string());
                None
            }
        },
        None => None,
    };
    // 2. Otherwise the key in the header, or the issuer's published key with that kid.
    let (key, binding) = if let Some(m) = method {
        (m.key, format!("{}, a key of the issuer", m.id))
    } else {
        let published = issuer_keys(&issuer, &docs, fetch, &mut notes).await;
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

pub(super) fn with_notes(mut s: String, notes: &[String]) -> String {
    if !notes.is_empty() {
        s.push_str(&format!(" ({})", notes.join("; ")));
    }
    s
}

/// Whether the credential has proofs and each is of a suite that hashes its RDF graph (so checking any
/// of them expands the credential as JSON-LD).
pub(super) fn all_rdfc(c: &Value) -> bool {
    let proofs = proofs_of(c);
    !proofs.is_empty()
        && proofs
            .iter()
            .all(|p| di::Suite::of_proof(p).is_some_and(di::Suite::expands_document))
}

pub(super) fn proofs_of(c: &Value) -> &[Value] {
    obi_core::json::one_or_many(c.get("proof"))
}
