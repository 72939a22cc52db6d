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
use serde_json::Value;

use crate::VerifyOptions;
use crate::fetch::Fetch;
use crate::report::VerifyReport;

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

    // 1. Conformance.
    // A Data Integrity proof check expands the credential in safe mode itself; a VC-JWT needs the check here.
    // The proof step expands every signed credential (in compacted form, in safe mode); an unsigned
    // one is expanded here, for its findings.
    let jsonld_here = jwt.is_none() && credential.get("proof").is_none();
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
    proof::proof(report, &credential, jwt, opts, fetch).await;

    // 3. Refresh: verify the refreshed credential instead, when the issuer serves one.
    if let Some(refreshed) = refresh::refresh(report, &credential, opts, fetch).await {
        *report = refreshed;
        return;
    }

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
    report.graph.push(credential);
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
