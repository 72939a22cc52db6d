//! The recipient step: does the credential name the holder?

use serde_json::{Map, Value};

use crate::VerifyOptions;
use crate::recipient;
use crate::report::VerifyReport;

pub(super) fn recipient_check(report: &mut VerifyReport, credential: &Value, opts: &VerifyOptions) {
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
