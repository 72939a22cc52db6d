//! Class 6: every expiry honoured. A Data Integrity proof's own `expires` and `created`, and a VC-JWT's
//! `exp`, `nbf` and `iat`, count as much as the credential's `validUntil`; a date in the wrong format
//! (an `"exp": "2020-01-01"`, a `created` that is no dateTimeStamp) is a broken proof, never "no date".
//! Clocks may differ by `obi_sign::CLOCK_LEEWAY` (5 minutes), in the holder's favour only.
//!
//! Each attack has its control next to it: the same credential with a date that holds verifies.

use chrono::{DateTime, Utc};
use obi_sign::di::{self, ProofOptions, Suite};
use obi_sign::{CLOCK_LEEWAY, SecretKey};
use obi_verify::{CheckStatus, Input, OfflineFetch, VerifyOptions, VerifyReport};
use serde_json::{Map, Value, json};

const DIR: &str = env!("CARGO_MANIFEST_DIR");
const NOW: &str = "2026-11-28T00:00:00Z";

fn now() -> DateTime<Utc> {
    NOW.parse().unwrap()
}

fn ts() -> i64 {
    now().timestamp()
}

fn key() -> SecretKey {
    SecretKey::from_ed25519_seed(&[0x06; 32])
}

/// The peers' sample credential (valid 2025-06-13 to 2030-06-13), issued by the test key's did:key.
fn credential() -> Value {
    let mut c: Value = serde_json::from_str(&obi_testkit::shared_text(
        DIR,
        "peers/ob3-node/testdata/sample-ob3.json",
    ))
    .unwrap();
    c["issuer"]["id"] = json!(key().public().did_key().unwrap());
    c
}

/// The credential with an eddsa-rdfc-2022 proof created at `created`, with more proof members.
fn with_proof(created: Option<&str>, fields: Value) -> Vec<u8> {
    di::sign_with_fields(
        &credential(),
        &key(),
        &ProofOptions {
            suite: Suite::EddsaRdfc2022,
            verification_method: key().public().did_key_vm().unwrap(),
            created: created.map(Into::into),
        },
        fields.as_object().unwrap(),
    )
    .unwrap()
    .to_string()
    .into_bytes()
}

/// A VC-JWT of `credential` (kid: the did:key method) with the registered claims it implies, then
/// `claims` set over them (`null` removes one).
fn jwt(credential: &Value, claims: Value) -> Vec<u8> {
    let c = credential.as_object().unwrap();
    let mut payload: Map<String, Value> = c.clone();
    payload.insert("iss".into(), c["issuer"]["id"].clone());
    payload.insert("jti".into(), c["id"].clone());
    payload.insert("sub".into(), c["credentialSubject"]["id"].clone());
    let secs = |field: &str| {
        c.get(field)
            .and_then(Value::as_str)
            .map(|t| json!(DateTime::parse_from_rfc3339(t).unwrap().timestamp()))
    };
    if let Some(nbf) = secs("validFrom") {
        payload.insert("nbf".into(), nbf);
    }
    if let Some(exp) = secs("validUntil") {
        payload.insert("exp".into(), exp);
    }
    for (k, v) in claims.as_object().unwrap() {
        if v.is_null() {
            payload.remove(k);
        } else {
            payload.insert(k.clone(), v.clone());
        }
    }
    let mut header = Map::new();
    header.insert("kid".into(), key().public().did_key_vm().unwrap().into());
    header.insert("typ".into(), "JWT".into());
    obi_sign::jws::sign(
        header,
        Value::Object(payload).to_string().as_bytes(),
        &key(),
    )
    .unwrap()
    .into_bytes()
}

/// The credential without `validUntil`, so that only the token's own claims speak.
fn open_ended() -> Value {
    let mut c = credential();
    c.as_object_mut().unwrap().remove("validUntil");
    c
}

async fn verify(bytes: &[u8]) -> VerifyReport {
    obi_verify::verify(
        Input::Bytes {
            name: "credential",
            bytes,
        },
        &VerifyOptions::at(now()),
        &OfflineFetch::new(),
    )
    .await
    .unwrap()
}

fn check(r: &VerifyReport, name: &str) -> (CheckStatus, String) {
    let c = r
        .checks
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no {name} check: {:#?}", r.checks));
    (c.status, c.detail.clone())
}

/// Not verified, and the `name` check failed saying `says`.
async fn refused(bytes: &[u8], name: &str, says: &str) -> VerifyReport {
    let r = verify(bytes).await;
    assert!(!r.verified, "verified although {says:?}: {:#?}", r.checks);
    let (status, detail) = check(&r, name);
    assert_eq!(status, CheckStatus::Failed, "{name}: {detail}");
    assert!(
        detail.contains(says),
        "the {name} check says {detail:?}, not {says:?}"
    );
    r
}

async fn verified(bytes: &[u8]) {
    let r = verify(bytes).await;
    assert!(r.verified, "{:#?}", r.checks);
}

#[tokio::test]
async fn data_integrity_proof_expires() {
    // peers: ob3-verify (Digital Bazaar) and dcc-verify accept this credential (they do not read the
    // proof's expires); ob3-py refuses ("the Data Integrity proof has expired").
    refused(
        &with_proof(
            Some("2026-01-01T00:00:00Z"),
            json!({"expires": "2026-11-27T00:00:00Z"}),
        ),
        "proof",
        "the proof expired at 2026-11-27T00:00:00+00:00",
    )
    .await;
    // Control: the same proof expiring later, and one that expired within the leeway.
    verified(&with_proof(
        Some("2026-01-01T00:00:00Z"),
        json!({"expires": "2026-12-01T00:00:00Z"}),
    ))
    .await;
    verified(&with_proof(
        Some("2026-01-01T00:00:00Z"),
        json!({"expires": "2026-11-27T23:57:00Z"}),
    ))
    .await;
}

#[tokio::test]
async fn data_integrity_proof_created_in_the_future() {
    // peers: ob3-verify, ob3-py and dcc-verify all accept a proof created a month after their clock.
    refused(
        &with_proof(Some("2026-11-28T01:00:00Z"), json!({})),
        "proof",
        "the proof was created at 2026-11-28T01:00:00+00:00, in the future",
    )
    .await;
    // Control: created within the leeway, and long ago.
    verified(&with_proof(Some("2026-11-28T00:04:00Z"), json!({}))).await;
    verified(&with_proof(Some("2025-06-13T09:00:05Z"), json!({}))).await;
}

#[tokio::test]
async fn data_integrity_malformed_proof_dates() {
    // peers: ob3-verify refuses a date-only created ("must be an XSD dateTimeStamp"), dcc-verify too
    // ("invalid_signature").
    for (created, fields, says) in [
        (
            Some("2026-11-01"),
            json!({}),
            "the proof's created: \"2026-11-01\" is not an XML Schema dateTimeStamp",
        ),
        (Some("2026-11-01T00:00:00"), json!({}), "no time zone"),
        (Some("next tuesday"), json!({}), "the proof's created"),
        (
            None,
            json!({"expires": "2020-01-01"}),
            "the proof's expires: \"2020-01-01\" is not an XML Schema dateTimeStamp",
        ),
        (
            None,
            json!({"expires": 1577836800}),
            "the proof's expires is 1577836800, not an XML Schema dateTimeStamp string",
        ),
        (
            None,
            json!({"expires": true}),
            "the proof's expires is true",
        ),
    ] {
        refused(&with_proof(created, fields), "proof", says).await;
    }
}

#[tokio::test]
async fn vc_jwt_dates_of_the_wrong_type_break_the_token() {
    // peers: for "exp": "2020-01-01" ob3-verify refuses ("Invalid time value"), ob3-py too ("Expiration
    // Time claim (exp) must be an integer").
    let c = open_ended();
    for claim in ["exp", "nbf", "iat"] {
        for v in [
            json!("2020-01-01"),
            json!("1577836800"),
            json!(true),
            json!({"t": 1}),
            json!([ts()]),
        ] {
            let token = jwt(&c, json!({ claim: v }));
            let r = refused(
                &token,
                "proof",
                &format!("the \"{claim}\" claim is malformed"),
            )
            .await;
            assert!(
                check(&r, "proof").1.contains("not a NumericDate"),
                "{claim} = {v}: {:?}",
                check(&r, "proof")
            );
        }
    }
    // Control: the same token with numeric claims.
    verified(&jwt(&c, json!({"exp": ts() + 3600, "iat": ts() - 60}))).await;
}

#[tokio::test]
async fn vc_jwt_expired_not_yet_valid_issued_in_the_future() {
    // peers: an iat ten days ahead: ob3-verify accepts, ob3-py refuses ("The token is not yet valid (iat)").
    let c = open_ended();
    let leeway = CLOCK_LEEWAY.num_seconds();
    assert!(leeway <= 300, "the leeway is at most 5 minutes");
    for (claims, says) in [
        (json!({"exp": ts() - 3600}), "expired at"),
        (json!({"exp": (ts() - leeway) as f64 - 0.5}), "expired at"),
        (json!({"exp": -1e300}), "expired at"),
        (json!({"iat": ts() + 3600}), "(iat), in the future"),
        (json!({"iat": 1e300}), "(iat), in the future"),
    ] {
        refused(&jwt(&c, claims), "proof", says).await;
    }
    // nbf must be the credential's validFrom: a later nbf is a mismatch as well as not yet valid.
    let mut future = open_ended();
    future["validFrom"] = json!("2026-11-28T01:00:00Z");
    let r = refused(&jwt(&future, json!({})), "proof", "not valid before").await;
    assert!(r.findings.iter().any(|f| f.rule == "JWT_NOT_YET_VALID"));
    // Controls: fractional dates that hold, dates within the leeway, a far-future exp that overflows
    // nothing.
    for claims in [
        json!({"exp": ts() as f64 + 0.25, "iat": ts() as f64 - 0.75}),
        json!({"exp": ts() - leeway + 5, "iat": ts() + leeway - 5}),
        json!({"exp": u64::MAX}),
        json!({"exp": 1e300}),
        json!({"iat": null}),
    ] {
        verified(&jwt(&c, claims)).await;
    }
}

#[tokio::test]
async fn vc_jwt_exp_and_valid_until_the_earlier_counts() {
    let c = credential(); // validUntil 2030-06-13T09:00:00Z
    let until = DateTime::parse_from_rfc3339("2030-06-13T09:00:00Z")
        .unwrap()
        .timestamp();
    // An exp that passed while validUntil has not: exp counts (and disagrees with validUntil).
    let r = refused(&jwt(&c, json!({"exp": ts() - 3600})), "proof", "expired at").await;
    assert!(r.findings.iter().any(|f| f.rule == "JWT_CLAIM_MISMATCH"));
    // An exp later than validUntil does not extend it.
    let mut ended = c.clone();
    ended["validUntil"] = json!("2026-11-27T00:00:00Z");
    refused(
        &jwt(&ended, json!({"exp": until})),
        "proof",
        "claim \"exp\" is",
    )
    .await;
    // validUntil passed, exp matching it: the validity check fails.
    refused(&jwt(&ended, json!({})), "validity", "").await;
    // An exp that leaves validUntil out: the token claims no end its credential states.
    refused(&jwt(&c, json!({"exp": null})), "proof", "no \"exp\" claim").await;
    // Control: exp is validUntil, to the second.
    verified(&jwt(&c, json!({"exp": until as f64 + 0.5}))).await;
    verified(&jwt(&c, json!({}))).await;
}
