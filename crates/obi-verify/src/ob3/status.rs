//! The status step: Bitstring Status Lists and 1EdTech revocation lists.

use std::io::Read as _;

use base64::Engine as _;
use serde_json::Value;

use super::proof::proof;
use crate::fetch::{Fetch, Resource};
use crate::report::VerifyReport;
use crate::{VerifyOptions, text_of};

/// Largest decompressed Bitstring Status List accepted (the spec's minimum is 16 KB; 16 MB is 134 M entries).
pub const MAX_STATUS_LIST_BYTES: usize = 16 * 1024 * 1024;

pub(super) async fn status<F: Fetch>(
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

#[cfg(test)]
mod tests {
    use super::*;

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
