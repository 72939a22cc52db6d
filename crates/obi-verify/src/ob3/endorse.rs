//! The endorsement step.

use obi_sign::vcjwt;
use serde_json::Value;

use super::DATE_RULES;
use super::proof::proof;
use crate::VerifyOptions;
use crate::fetch::Fetch;
use crate::report::VerifyReport;

pub(super) async fn endorsements<F: Fetch>(
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
