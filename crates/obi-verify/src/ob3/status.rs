//! The status step: Bitstring Status Lists (W3C v1.0, and StatusList2021) and 1EdTech revocation lists,
//! read as the specifications read them. Every entry of `credentialStatus` is checked; an entry that
//! cannot be read is "could not check", never "active".

use obi_core::id::same_id;
use obi_core::json::{has_type, one_or_many, strings};
use obi_core::{Finding, Severity};
use serde_json::Value;

use super::proof::proof;
use crate::fetch::{Fetch, Resource};
use crate::report::VerifyReport;
use crate::{VerifyOptions, text_of};

/// What one status entry says; ordered by what the report shows when entries disagree (the worst).
#[derive(Debug, PartialEq, Eq, Clone, Copy, PartialOrd, Ord)]
enum State {
    Active,
    /// Could not check.
    Unknown,
    Suspended,
    Revoked,
}

/// The state an entry gives, with what else it says (a status message, a mapped value).
struct Outcome {
    state: State,
    note: Option<String>,
}

impl Outcome {
    fn active() -> Self {
        Outcome {
            state: State::Active,
            note: None,
        }
    }
}

/// Check every `credentialStatus` entry of `credential`: a `status` check (passed, or one failed check per
/// entry that revokes, suspends or cannot be read) and `display.status`.
pub(super) async fn status<F: Fetch>(
    report: &mut VerifyReport,
    credential: &Value,
    opts: &VerifyOptions,
    fetch: &F,
) {
    let entries = one_or_many(credential.get("credentialStatus"));
    if entries.is_empty() {
        report.skip(
            "status",
            "no credentialStatus: the issuer publishes no revocation for it",
        );
        report.display.status = Some("unknown".into());
        return;
    }
    let id = credential
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let issuer = credential
        .as_object()
        .and_then(obi_sign::issuer_id)
        .unwrap_or_default()
        .to_owned();
    // The worst seen: revoked, then suspended, then unknown (could not check), then active.
    let mut worst = State::Active;
    let mut notes = Vec::new();
    for (n, entry) in entries.iter().enumerate() {
        let path = if entries.len() == 1 && !credential["credentialStatus"].is_array() {
            "/credentialStatus".to_owned()
        } else {
            format!("/credentialStatus/{n}")
        };
        // The entry's type, one or many: the one obi knows, else the first named.
        let ty = strings(entry.get("type"))
            .find(|t| {
                matches!(
                    *t,
                    "1EdTechRevocationList" | "BitstringStatusListEntry" | "StatusList2021Entry"
                )
            })
            .or_else(|| strings(entry.get("type")).next())
            .unwrap_or_default();
        let mark = opts.refused_requests();
        let outcome = match ty {
            "1EdTechRevocationList" => revocation_list(entry, id, fetch).await,
            "BitstringStatusListEntry" | "StatusList2021Entry" => {
                bitstring(entry, ty, &issuer, opts, fetch).await
            }
            "" => Err("the entry has no type".to_owned()),
            other => Err(format!("status type {other:?} is not supported")),
        };
        if opts.request_limit_hit(report, "status", mark) {
            worst = worst.max(State::Unknown);
            continue;
        }
        match outcome {
            Ok(Outcome { state, note }) => {
                if let Some(note) = &note {
                    notes.push(note.clone());
                    report.findings.push(Finding {
                        rule: "OB3_STATUS_MESSAGE",
                        severity: Severity::Info,
                        node: None,
                        path: path.clone(),
                        message: note.clone(),
                        hint: "the issuer's status list says this about the credential".into(),
                    });
                }
                if state < State::Suspended {
                    continue;
                }
                let word = if state == State::Revoked {
                    "revoked"
                } else {
                    "suspended"
                };
                worst = worst.max(state);
                report.finding(
                    if state == State::Revoked {
                        "OB3_REVOKED"
                    } else {
                        "OB3_SUSPENDED"
                    },
                    &path,
                    format!("the issuer has {word} this credential"),
                    "the holder should contact the issuer; the badge no longer counts",
                );
                let note = note.map(|n| format!(" ({n})")).unwrap_or_default();
                report.fail("status", format!("{word} by the issuer ({ty}){note}"));
            }
            Err(why) => {
                worst = worst.max(State::Unknown);
                let message = format!(
                    "could not check {}: {why}",
                    if ty.is_empty() { "the entry" } else { ty }
                );
                report.finding(
                    "OB3_STATUS_UNCHECKED",
                    &path,
                    message.clone(),
                    "a status that cannot be read is not \"active\"; the issuer must publish a readable list",
                );
                report.fail("status", message);
            }
        }
    }
    report.display.status = Some(
        match worst {
            State::Active => "active",
            State::Unknown => "unknown",
            State::Suspended => "suspended",
            State::Revoked => "revoked",
        }
        .into(),
    );
    if worst == State::Active {
        let mut detail = "not revoked or suspended".to_owned();
        if !notes.is_empty() {
            detail.push_str(&format!("; {}", notes.join("; ")));
        }
        report.pass("status", detail);
    }
}

/// A 1EdTechRevocationList entry: revoked when the list at its `id` names the credential (ids compared as
/// their schemes say).
async fn revocation_list<F: Fetch>(entry: &Value, id: &str, fetch: &F) -> Result<Outcome, String> {
    let url = entry
        .get("id")
        .and_then(Value::as_str)
        .ok_or("the entry has no id")?;
    if id.is_empty() {
        return Err("the credential has no id to look up in the list".into());
    }
    let f = fetch
        .fetch(url, Resource::Document)
        .await
        .map_err(|e| e.to_string())?;
    if f.status != 200 {
        return Err(format!("{url} answered HTTP {}", f.status));
    }
    let list: Value =
        serde_json::from_slice(&f.body).map_err(|e| format!("{url} is not JSON: {e}"))?;
    let Some(entries) = list.get("revokedCredentials") else {
        return Err(format!("{url} has no revokedCredentials list"));
    };
    let revoked = one_or_many(Some(entries));
    let hit = revoked.iter().find(|r| {
        r.as_str()
            .or_else(|| r.get("id").and_then(Value::as_str))
            .is_some_and(|r| same_id(r, id))
    });
    Ok(match hit {
        Some(r) => Outcome {
            state: State::Revoked,
            note: r
                .get("revocationReason")
                .and_then(Value::as_str)
                .map(|why| format!("reason: {why}")),
        },
        None => Outcome::active(),
    })
}

/// A non-negative base-10 integer, as a JSON number or a string of digits (nothing else: no sign, no
/// spaces, no fraction).
fn integer(v: &Value, name: &str) -> Result<u64, String> {
    match v {
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().map_err(|_| format!("{name} {s:?} is too large"))
        }
        Value::Number(n) => n
            .as_u64()
            .ok_or_else(|| format!("{name} {n} is not a non-negative integer")),
        other => Err(format!("{name} {other} is not a non-negative integer")),
    }
}

/// `statusMessage`: `[{"status": "0x1", "message": "…"}, …]`, as (value, message) pairs.
fn status_messages(v: &Value) -> Result<Vec<(u64, String)>, String> {
    let items = v.as_array().ok_or("statusMessage is not an array")?;
    items
        .iter()
        .map(|m| {
            let status = m
                .get("status")
                .and_then(Value::as_str)
                .ok_or("a statusMessage item has no status string")?;
            let hex = status
                .strip_prefix("0x")
                .or_else(|| status.strip_prefix("0X"))
                .ok_or_else(|| {
                    format!("statusMessage status {status:?} is not hexadecimal (0x…)")
                })?;
            let value = u64::from_str_radix(hex, 16)
                .map_err(|_| format!("statusMessage status {status:?} is not hexadecimal (0x…)"))?;
            let message = m
                .get("message")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("statusMessage {status} has no message"))?;
            Ok((value, message.to_owned()))
        })
        .collect()
}

/// A date property of the list credential, if present; an error if present and unreadable.
fn date(
    list: &Value,
    names: &[&str],
) -> Result<Option<(String, chrono::DateTime<chrono::Utc>)>, String> {
    for name in names {
        if let Some(v) = list.get(*name) {
            let s = v
                .as_str()
                .ok_or_else(|| format!("the status list's {name} is not a date"))?;
            let t = obi_core::time::parse_ob_datetime(s)
                .ok_or_else(|| format!("the status list's {name} {s:?} is not a date"))?;
            return Ok(Some((s.to_owned(), t.with_timezone(&chrono::Utc))));
        }
    }
    Ok(None)
}

/// A BitstringStatusListEntry (or StatusList2021Entry): the entry of `statusSize` bits at
/// `statusListIndex × statusSize` in the list its `statusListCredential` serves, that list being a
/// credential of the same issuer, with a proof that holds, within its validity period, for the same
/// purpose.
async fn bitstring<F: Fetch>(
    entry: &Value,
    ty: &str,
    issuer: &str,
    opts: &VerifyOptions,
    fetch: &F,
) -> Result<Outcome, String> {
    let legacy = ty == "StatusList2021Entry";
    let (list_type, subject_type) = if legacy {
        ("StatusList2021Credential", "StatusList2021")
    } else {
        ("BitstringStatusListCredential", "BitstringStatusList")
    };
    if !entry.is_object() {
        return Err("the entry is not an object".into());
    }
    let url = entry
        .get("statusListCredential")
        .and_then(Value::as_str)
        .ok_or("the entry has no statusListCredential")?;
    let index = integer(
        entry
            .get("statusListIndex")
            .ok_or("the entry has no statusListIndex")?,
        "statusListIndex",
    )?;
    let purpose = entry
        .get("statusPurpose")
        .and_then(Value::as_str)
        .ok_or("the entry has no statusPurpose")?;
    if !matches!(purpose, "revocation" | "suspension" | "refresh" | "message") {
        return Err(format!(
            "statusPurpose {purpose:?} is none of revocation, suspension, refresh, message"
        ));
    }

    // The list credential.
    let f = fetch
        .fetch(url, Resource::Credential)
        .await
        .map_err(|e| e.to_string())?;
    if f.status != 200 {
        return Err(format!("{url} answered HTTP {}", f.status));
    }
    let text = text_of(&f.body).ok_or_else(|| format!("{url} is not UTF-8"))?;
    let (list, jwt) = crate::credential_from_text(text).map_err(|e| format!("{url}: {e}"))?;
    let mut sub = VerifyReport::new(url);
    Box::pin(proof(&mut sub, &list, jwt.as_deref(), opts, fetch)).await;
    match sub.checks.iter().find(|c| c.name == "proof") {
        Some(c) if c.status == crate::CheckStatus::Passed => {}
        Some(c) => {
            return Err(format!(
                "the status list's proof does not hold: {}",
                c.detail
            ));
        }
        None => return Err("the status list's proof was not checked".into()),
    }
    if !has_type(&list, list_type) {
        return Err(format!("{url} is not a {list_type}"));
    }
    let list_issuer = list
        .as_object()
        .and_then(obi_sign::issuer_id)
        .unwrap_or_default();
    if list_issuer.is_empty() || issuer.is_empty() || !same_id(list_issuer, issuer) {
        return Err(format!(
            "the status list is issued by {list_issuer:?}, not by the credential's issuer {issuer:?}"
        ));
    }
    if let Some((from, t)) = date(&list, &["validFrom", "issuanceDate"])?
        && t > opts.now
    {
        return Err(format!("the status list is not valid before {from}"));
    }
    if let Some((until, t)) = date(&list, &["validUntil", "expirationDate"])?
        && t < opts.now
    {
        return Err(format!("the status list expired at {until}"));
    }
    let subject = match one_or_many(list.get("credentialSubject")) {
        [s] if s.is_object() => s,
        [] => return Err("the status list has no credentialSubject".into()),
        _ => return Err("the status list has more than one credentialSubject".into()),
    };
    if !has_type(subject, subject_type) {
        return Err(format!(
            "the status list's credentialSubject is not a {subject_type}"
        ));
    }
    let purposes: Vec<&str> = strings(subject.get("statusPurpose")).collect();
    if purposes.is_empty() {
        return Err("the status list has no statusPurpose".into());
    }
    if !purposes.contains(&purpose) {
        return Err(format!(
            "the list is for {}, the entry for {purpose}",
            purposes.join(", ")
        ));
    }

    // The entry: statusSize bits (1 unless given), mapped through statusMessage when given. The
    // entry's own statusSize / statusMessage, or (older drafts) the list's.
    let size = match entry
        .get("statusSize")
        .or_else(|| subject.get("statusSize"))
    {
        None => 1,
        Some(v) => {
            let n = integer(v, "statusSize")?;
            u32::try_from(n)
                .ok()
                .filter(|n| (1..=obi_core::status::MAX_STATUS_SIZE).contains(n))
                .ok_or_else(|| {
                    format!(
                        "statusSize {n} is not between 1 and {}",
                        obi_core::status::MAX_STATUS_SIZE
                    )
                })?
        }
    };
    let messages = match entry
        .get("statusMessage")
        .or_else(|| subject.get("statusMessage"))
    {
        Some(m) => status_messages(m)?,
        None if size > 1 => {
            return Err(format!(
                "statusSize is {size} but there is no statusMessage to say what the values mean"
            ));
        }
        None => Vec::new(),
    };
    let encoded = subject
        .get("encodedList")
        .and_then(Value::as_str)
        .ok_or("the status list has no encodedList")?;
    let bits = obi_core::status::decode(encoded).map_err(|e| e.to_string())?;
    if bits.len() * 8 < obi_core::status::MIN_BITS {
        return Err(format!(
            "the list is {} bits long, shorter than the {} the specification requires",
            bits.len() * 8,
            obi_core::status::MIN_BITS
        ));
    }
    let value = obi_core::status::entry(&bits, index, size).ok_or_else(|| {
        format!(
            "statusListIndex {index} is past the end of the list ({} entries of {size} bit(s))",
            bits.len() * 8 / size as usize
        )
    })?;
    let message = messages
        .iter()
        .find(|(v, _)| *v == value)
        .map(|(_, m)| m.clone());
    let described = || match &message {
        Some(m) => format!("{purpose} status 0x{value:x}: {m}"),
        None => format!("{purpose} status 0x{value:x}"),
    };
    Ok(match purpose {
        "revocation" | "suspension" if value == 0 => Outcome::active(),
        "revocation" => Outcome {
            state: State::Revoked,
            note: message.is_some().then(described),
        },
        "suspension" => Outcome {
            state: State::Suspended,
            note: message.is_some().then(described),
        },
        // A message is not a revocation: report it, do not fail.
        "message" => Outcome {
            state: State::Active,
            note: Some(described()),
        },
        // refresh: a set entry says a newer credential is available.
        _ => Outcome {
            state: State::Active,
            note: (value != 0)
                .then(|| format!("{}; a refreshed credential is available", described())),
        },
    })
}

/// `u` + base64url of a GZIP bitstring (older lists omit the multibase prefix), decompressed under a cap
/// ([`obi_core::status::decode`]).
pub fn decode_list(encoded: &str) -> Result<Vec<u8>, String> {
    obi_core::status::decode(encoded).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

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
        gz.write_all(&vec![0u8; obi_core::status::MAX_BYTES + 10])
            .unwrap();
        let encoded = format!(
            "u{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(gz.finish().unwrap())
        );
        assert!(decode_list(&encoded).unwrap_err().contains("inflates"));
    }
}
