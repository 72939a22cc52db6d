//! The endorsement step. An endorsement counts only if it is about what it is shown for (its
//! `credentialSubject.id` is the credential's id on the credential, the achievement's on the achievement,
//! the issuer's on the issuer profile), is an `EndorsementCredential`, and holds as any credential must:
//! its proof (by its own issuer's key), its status, its validity period. One that does not fails the step.

use obi_core::id::same_id;
use obi_core::json::{has_type, one_or_many};
use obi_sign::vcjwt;
use serde_json::Value;

use super::DATE_RULES;
use super::proof::proof;
use super::status::status;
use crate::VerifyOptions;
use crate::fetch::Fetch;
use crate::report::{CheckStatus, VerifyReport};

/// An endorsement found, with what it must be about.
struct Found<'a> {
    /// The endorsement (or why it could not be read).
    credential: Result<Value, String>,
    /// The compact VC-JWT it came in, for `endorsementJwt`.
    jwt: Option<String>,
    /// "the credential", "the achievement", "the issuer".
    shown_on: &'static str,
    /// The id of what it is shown for.
    target: Option<&'a str>,
}

pub(super) async fn endorsements<F: Fetch>(
    report: &mut VerifyReport,
    credential: &Value,
    opts: &VerifyOptions,
    fetch: &F,
) {
    let achievement = obi_core::v3::subject(credential)
        .and_then(|s| s.get("achievement"))
        .unwrap_or(&Value::Null);
    let issuer = one_or_many(credential.get("issuer"))
        .first()
        .unwrap_or(&Value::Null);
    let issuer_id = credential.as_object().and_then(obi_sign::issuer_id);
    let mut found = Vec::new();
    for (holder, shown_on, target) in [
        (
            credential,
            "the credential",
            credential.get("id").and_then(Value::as_str),
        ),
        (
            achievement,
            "the achievement",
            achievement.get("id").and_then(Value::as_str),
        ),
        (issuer, "the issuer", issuer_id),
    ] {
        for e in one_or_many(holder.get("endorsement")) {
            found.push(Found {
                credential: if e.is_object() {
                    Ok(e.clone())
                } else {
                    Err("not an endorsement credential (an object)".into())
                },
                jwt: None,
                shown_on,
                target,
            });
        }
        for j in one_or_many(holder.get("endorsementJwt")) {
            let (credential, jwt) = match j.as_str() {
                Some(t) => (
                    vcjwt::dangerous_decode_unverified(t).map_err(|e| format!("not a VC-JWT: {e}")),
                    Some(t.to_owned()),
                ),
                None => (Err("endorsementJwt is not a string".to_owned()), None),
            };
            found.push(Found {
                credential,
                jwt,
                shown_on,
                target,
            });
        }
    }
    if found.is_empty() {
        report.skip("endorsements", "no endorsements");
        return;
    }
    let start = opts.refused_requests();
    let mut failed = Vec::new();
    let mut checked = 0;
    for f in &found {
        // Past the bound on requests, the rest cannot be checked: stop (recorded below).
        if opts.refused_requests() > start {
            break;
        }
        checked += 1;
        let e = match &f.credential {
            Ok(e) => e,
            Err(why) => {
                failed.push(format!("an endorsement on {}: {why}", f.shown_on));
                continue;
            }
        };
        let why = check_one(e, f, opts, fetch).await;
        if !why.is_empty() {
            let id = e.get("id").and_then(Value::as_str).unwrap_or("(no id)");
            failed.push(format!("{id} (on {}): {}", f.shown_on, why.join("; ")));
        }
    }
    let limited = opts.refused_requests() > start;
    if limited && checked < found.len() {
        failed.push(format!(
            "{} of {} endorsement(s) not checked: the bound on requests was reached",
            found.len() - checked,
            found.len()
        ));
    }
    for f in &failed {
        report.finding(
            "OB3_ENDORSEMENT",
            "",
            f.clone(),
            "an endorsement that does not verify, or is about something else, says nothing; ask the \
             endorser to re-issue it",
        );
    }
    if !opts.request_limit_hit(report, "endorsements", start) && failed.is_empty() {
        report.pass(
            "endorsements",
            format!("{} endorsement(s) verified", found.len()),
        );
    }
    if !failed.is_empty() {
        report.fail("endorsements", failed.join(" | "));
    }
}

/// Why one endorsement does not count (empty: it counts).
async fn check_one<F: Fetch>(
    e: &Value,
    f: &Found<'_>,
    opts: &VerifyOptions,
    fetch: &F,
) -> Vec<String> {
    let mut why = Vec::new();
    if !has_type(e, "EndorsementCredential") {
        why.push("not an EndorsementCredential".to_owned());
    }
    // The one subject: an endorsement of several things is not read as an endorsement of the first.
    let subject = obi_core::v3::subject(e)
        .and_then(|s| s.get("id"))
        .and_then(Value::as_str);
    match (subject, f.target) {
        (None, _) => why.push(
            "it names nothing it endorses (no single credentialSubject with an id)".to_owned(),
        ),
        (Some(_), None) => why.push(format!(
            "{} has no id, so no endorsement can be about it",
            f.shown_on
        )),
        (Some(s), Some(t)) if !same_id(s, t) => {
            why.push(format!("it endorses {s}, not {} ({t})", f.shown_on));
        }
        _ => {}
    }
    if !why.is_empty() {
        // About something else: nothing more to fetch for it.
        return why;
    }
    let mut sub = VerifyReport::new("endorsement");
    Box::pin(proof(&mut sub, e, f.jwt.as_deref(), opts, fetch)).await;
    match sub.checks.iter().find(|c| c.name == "proof") {
        Some(c) if c.status == CheckStatus::Passed => {}
        Some(c) => why.push(c.detail.clone()),
        None => why.push("its proof was not checked".to_owned()),
    }
    let v = obi_core::v3::validate(e, opts.now);
    for d in v.findings.iter().filter(|d| DATE_RULES.contains(&d.rule)) {
        why.push(format!("outside its validity period: {}", d.message));
    }
    if e.get("credentialStatus").is_some() {
        let mut sub = VerifyReport::new("endorsement");
        Box::pin(status(&mut sub, e, opts, fetch)).await;
        why.extend(
            sub.checks
                .iter()
                .filter(|c| c.name == "status" && c.status == CheckStatus::Failed)
                .map(|c| format!("status: {}", c.detail)),
        );
    }
    why
}
