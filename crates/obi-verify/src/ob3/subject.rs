//! The recipient step: does the credential name the holder?

use obi_core::json::one_or_many;
use serde_json::{Map, Value};

use crate::VerifyOptions;
use crate::recipient;
use crate::report::VerifyReport;

pub(super) fn recipient_check(report: &mut VerifyReport, credential: &Value, opts: &VerifyOptions) {
    if opts.recipients.is_empty() {
        report.skip("recipient", "no recipient identity given (--recipient)");
        return;
    }
    // The one subject: of several, none is the holder's (the schema refuses them too), and the first of
    // them is not read as the subject.
    let subjects = one_or_many(credential.get("credentialSubject")).len();
    let Some(subject) = obi_core::v3::subject(credential) else {
        report.recipient_matched = Some(false);
        let why = if subjects > 1 {
            format!(
                "{subjects} credentialSubjects: an OB 3.0 credential names one recipient, so none of them is"
            )
        } else {
            "no credentialSubject object: the credential names no recipient".to_owned()
        };
        report.finding(
            "RECIPIENT_MISMATCH",
            "/credentialSubject",
            why.clone(),
            "a badge is awarded to the one credentialSubject it names",
        );
        report.fail("recipient", why);
        return;
    };
    let mut matched = None;
    for who in &opts.recipients {
        if subject
            .get("id")
            .and_then(Value::as_str)
            .is_some_and(|id| recipient::same_id(id, who))
        {
            matched = Some(who.clone());
        }
        for idv in one_or_many(subject.get("identifier")) {
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
