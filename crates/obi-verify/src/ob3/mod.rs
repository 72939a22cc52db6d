//! Open Badges 3.0 verification (spec §9.1): conformance, proof, refresh, status, validity period,
//! recipient, endorsements. One module per step.

mod endorse;
mod keys;
mod proof;
mod refresh;
mod status;
mod subject;

pub use keys::{MAX_CONTROLLERS, did_web_url};
pub use status::decode_list;

use obi_core::Severity;
use obi_core::json::one_or_many;
use serde_json::Value;

use crate::VerifyOptions;
use crate::fetch::Fetch;
use crate::report::{About, CheckStatus, VerifyReport};

/// Rules whose findings belong to the validity-period check rather than conformance.
pub(super) const DATE_RULES: [&str; 2] = ["OB3_EXPIRED", "OB3_NOT_YET_VALID"];

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

    // 1–2. Conformance and proof.
    let date_errors = conform_and_prove(report, &credential, jwt, opts, fetch).await;

    // 3. Refresh: the credential the issuer's refresh service serves replaces the presented one, but only
    // after the presented one's own proof held, and only if the served one passes steps 1–2 itself and is
    // of the same issuer and subject. It is never refreshed again.
    let presented = credential;
    let (credential, date_errors, refreshed) =
        match refresh::refresh(report, &presented, opts, fetch).await {
            Some(r) => (r.credential, r.date_errors, true),
            None => (presented.clone(), date_errors, false),
        };
    let first = report.checks.len();

    // 4. Status and validity period.
    status::status(report, &credential, opts, fetch).await;
    if date_errors.is_empty() {
        report.pass("validity", "within validFrom / validUntil");
    } else {
        report.fail("validity", date_errors.join("; "));
    }

    // 5. Recipient.
    subject::recipient_check(report, &credential, opts);

    // 6. Endorsements.
    endorse::endorsements(report, &credential, opts, fetch).await;
    if refreshed {
        for c in &mut report.checks[first..] {
            c.about = About::Refreshed;
        }
        report.graph.push(credential);
    }
    report.graph.push(presented);
}

/// Steps 1 (conformance) and 2 (proof) of `credential`, recorded on `report`. Returns the validity-period
/// problems, which step 4 reports.
pub(super) async fn conform_and_prove<F: Fetch>(
    report: &mut VerifyReport,
    credential: &Value,
    jwt: Option<&str>,
    opts: &VerifyOptions,
    fetch: &F,
) -> Vec<String> {
    // 1. Conformance.
    // A Data Integrity proof check expands the credential in safe mode itself; a VC-JWT needs the check here.
    // The proof step expands every signed credential (in compacted form, in safe mode); an unsigned
    // one is expanded here, for its findings.
    let jsonld_here = jwt.is_none() && one_or_many(credential.get("proof")).is_empty();
    let validation = obi_core::v3::validate_with(credential, opts.now, jsonld_here);
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
    proof::proof(report, credential, jwt, opts, fetch).await;
    date_errors
}

/// Whether `report`'s check `name` ran and passed.
pub(super) fn passed(report: &VerifyReport, name: &str) -> bool {
    report
        .checks
        .iter()
        .any(|c| c.name == name && c.status == CheckStatus::Passed)
}

pub(super) fn display(report: &mut VerifyReport, c: &Value) {
    let achievement = obi_core::v3::subject(c)
        .and_then(|s| s.get("achievement"))
        .unwrap_or(&Value::Null);
    let issuer = one_or_many(c.get("issuer")).first().unwrap_or(&Value::Null);
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
    d.issuer = c
        .as_object()
        .and_then(obi_sign::issuer_id)
        .map(str::to_owned);
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
