//! The 1EdTech Credential Refresh step. A refresh never rescues: it is followed only when the presented
//! credential's own proof held, and what it serves replaces the presented credential only when it passes
//! conformance and proof itself and is a credential of the same issuer about the same subject.

use obi_core::id::same_id;
use obi_core::json::{has_type, one_or_many};
use serde_json::{Map, Value};

use super::{conform_and_prove, display, passed};
use crate::fetch::{Fetch, FetchError, Resource};
use crate::report::{About, RefreshedFrom, VerifyReport};
use crate::{VerifyOptions, text_of};

/// The credential that replaces the presented one, with its validity-period problems (for step 4).
pub(super) struct Refreshed {
    pub(super) credential: Value,
    pub(super) date_errors: Vec<String>,
}

/// The 1EdTech Credential Refresh step (OB 3.0 §9.1 step 3): GET the `refreshService` URL of type
/// `1EdTechCredentialRefresh` — only when the presented credential's proof passed (step 2), since until
/// then nothing it says is its issuer's. What the service serves (JSON or VC-JWT) replaces the credential
/// if it is an OpenBadgeCredential of the same issuer about the same subject, and passes conformance and
/// proof itself; its checks are then recorded on `report` marked [`About::Refreshed`], and
/// `report.refreshed_from` names both. A refreshed credential is never refreshed again. Anything else (no
/// service, offline, an error, a credential that is not a refresh of this one or does not hold) leaves
/// the credential as presented, and the `refresh` check says why.
pub(super) async fn refresh<F: Fetch>(
    report: &mut VerifyReport,
    credential: &Value,
    opts: &VerifyOptions,
    fetch: &F,
) -> Option<Refreshed> {
    let services = one_or_many(credential.get("refreshService"));
    if services.is_empty() {
        report.skip("refresh", "no refreshService");
        return None;
    }
    let Some(service) = services
        .iter()
        .find(|s| has_type(s, "1EdTechCredentialRefresh"))
    else {
        let kinds: Vec<String> = services
            .iter()
            .map(|s| {
                let t: Vec<&str> = obi_core::json::strings(s.get("type")).collect();
                if t.is_empty() {
                    "?".to_owned()
                } else {
                    t.join("/")
                }
            })
            .collect();
        report.skip(
            "refresh",
            format!(
                "refreshService of type {} not followed (obi follows 1EdTechCredentialRefresh)",
                kinds.join(", ")
            ),
        );
        return None;
    };
    let Some(url) = service.get("id").and_then(Value::as_str) else {
        report.skip("refresh", "the refreshService names no URL (id)");
        return None;
    };
    if !opts.refresh {
        report.skip("refresh", format!("refreshing turned off; {url} not asked"));
        return None;
    }
    if !passed(report, "proof") {
        report.skip(
            "refresh",
            format!(
                "{url} not asked: the presented credential's own proof did not verify, so nothing it \
                 says (its refreshService included) is its issuer's, and a refresh cannot stand in for it"
            ),
        );
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
    if !obi_core::v3::is_credential(&fresh)
        || !(has_type(&fresh, "OpenBadgeCredential") || has_type(&fresh, "AchievementCredential"))
    {
        return skip(
            report,
            format!("{url} served something other than an OB 3.0 OpenBadgeCredential"),
        );
    }
    match (issuer_of(credential), issuer_of(&fresh)) {
        (Some(a), Some(b)) if same_id(a, b) => {}
        _ => {
            return skip(
                report,
                format!("{url} served a credential of another issuer, not a refresh of this one"),
            );
        }
    }
    if let Err(why) = same_subject(credential, &fresh) {
        return skip(report, format!("{url} {why}, not a refresh of this one"));
    }

    // Steps 1–2 of the served credential, on their own report: it replaces the presented one only if both
    // pass.
    let mut sub = VerifyReport::new(&report.input);
    let date_errors = Box::pin(conform_and_prove(
        &mut sub,
        &fresh,
        jwt.as_deref(),
        opts,
        fetch,
    ))
    .await;
    if opts.request_limit_hit(report, "refresh", mark) {
        return None;
    }
    let detail_of = |name: &str| {
        sub.checks
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.detail.clone())
            .unwrap_or_default()
    };
    if !passed(&sub, "schema") {
        return skip(
            report,
            format!(
                "the credential {url} served is not a conforming OB 3.0 credential ({})",
                detail_of("schema")
            ),
        );
    }
    if !passed(&sub, "proof") {
        return skip(
            report,
            format!(
                "the credential {url} served does not carry a valid proof of its issuer ({})",
                detail_of("proof")
            ),
        );
    }

    let id_of = |c: &Value| {
        c.get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let again = if one_or_many(fresh.get("refreshService")).is_empty() {
        ""
    } else {
        "; its own refreshService is not followed"
    };
    report.pass(
        "refresh",
        format!(
            "refreshed from {url}: the credential it served ({}) replaces the presented one ({}); the \
             checks marked refreshed are about it{again}",
            display_id(&id_of(&fresh)),
            display_id(&id_of(credential)),
        ),
    );
    for mut c in sub.checks {
        c.about = About::Refreshed;
        report.checks.push(c);
    }
    report.findings.extend(sub.findings);
    report.refreshed_from = Some(RefreshedFrom {
        presented: id_of(credential),
        refreshed: id_of(&fresh),
        url: url.to_owned(),
    });
    display(report, &fresh);
    Some(Refreshed {
        credential: fresh,
        date_errors,
    })
}

fn issuer_of(c: &Value) -> Option<&str> {
    c.as_object().and_then(obi_sign::issuer_id)
}

fn display_id(id: &str) -> &str {
    if id.is_empty() { "no id" } else { id }
}

/// Whether `fresh` is about the subject `presented` is about: the same `credentialSubject.id`, or when
/// the presented subject has none, the same `identifier` entries. A subject that cannot be compared (none,
/// several, neither id nor identifier) makes `fresh` no refresh of `presented`. `Err` says why.
fn same_subject(presented: &Value, fresh: &Value) -> Result<(), String> {
    let cannot = "served a credential whose subject cannot be compared with the presented one's";
    let Some(a) = obi_core::v3::subject(presented) else {
        return Err(format!(
            "{cannot} (the presented credential has no single credentialSubject)"
        ));
    };
    let Some(b) = obi_core::v3::subject(fresh) else {
        return Err(format!("{cannot} (it has no single credentialSubject)"));
    };
    let id = |s: &Map<String, Value>| s.get("id").and_then(Value::as_str).map(str::to_owned);
    let other = "served a credential for another subject".to_owned();
    if let Some(ida) = id(a) {
        return match id(b) {
            Some(idb) if same_id(&ida, &idb) => Ok(()),
            _ => Err(other),
        };
    }
    let ia = one_or_many(a.get("identifier"));
    let ib = one_or_many(b.get("identifier"));
    if ia.is_empty() {
        return Err(format!(
            "{cannot} (the presented subject has neither id nor identifier)"
        ));
    }
    let same = ia.len() == ib.len()
        && ia.iter().all(|x| ib.contains(x))
        && ib.iter().all(|x| ia.contains(x));
    if same { Ok(()) } else { Err(other) }
}
