//! The 1EdTech Credential Refresh step.

use serde_json::Value;

use super::verify;
use crate::fetch::{Fetch, FetchError, Resource};
use crate::report::VerifyReport;
use crate::{VerifyOptions, text_of};

/// The 1EdTech Credential Refresh step (OB 3.0 §9.1 step 3): GET the `refreshService` URL of type
/// `1EdTechCredentialRefresh`; what it serves (JSON or VC-JWT) replaces the credential if it is an
/// OpenBadgeCredential of the same issuer and, when the original names one, the same subject, and its own
/// proof verifies. The replacement is verified from the start without refreshing again. Anything else
/// (no service, offline, an error, a credential that is not a refresh of this one) leaves the credential
/// as presented, and the `refresh` check says why.
pub(super) async fn refresh<F: Fetch>(
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
    let mark = opts.refused_requests();
    let fetched = match fetch.fetch(url, Resource::Credential).await {
        Ok(f) if f.status == 200 => f,
        Ok(f) => return skip(report, format!("{url} answered HTTP {}", f.status)),
        // The bound on requests is no reason to verify the credential as presented: the refresh fails.
        Err(FetchError::Budget { .. }) => {
            opts.request_limit_hit(report, "refresh", mark);
            return None;
        }
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
    if opts.request_limit_hit(report, "refresh", mark) {
        return None;
    }
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
