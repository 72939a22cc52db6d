//! OB 3.0 VC-JWT: the credential as a JWT payload with `iss`, `jti`, `nbf`, `sub`, `exp` claims.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::jws::{self, Jws};
use crate::keys::{PublicKey, SecretKey};
use crate::resolve::KeyResolver;
use crate::time::NumericDate;
use crate::{Finding, SignError, issuer_id};

/// How the header names the key.
#[derive(Debug, Clone)]
pub enum HeaderKey {
    /// `kid`: a verification method id (obi's default for DID issuers).
    Kid(String),
    /// `jwk`: the public key itself (the default otherwise).
    Jwk,
}

const CLAIMS: [&str; 7] = ["iss", "jti", "nbf", "sub", "exp", "iat", "aud"];
/// The NumericDate claims, in the order `verify` reads them.
const DATE_CLAIMS: [&str; 3] = ["exp", "nbf", "iat"];
const HEADER_MEMBERS: [&str; 5] = ["alg", "kid", "jwk", "typ", "cty"];

/// Sign `credential` as a compact VC-JWT.
pub fn sign(
    credential: &Value,
    key: &SecretKey,
    header_key: HeaderKey,
) -> Result<String, SignError> {
    let obj = credential
        .as_object()
        .ok_or_else(|| SignError::Jws("the credential must be a JSON object".into()))?;
    let mut header = Map::new();
    match header_key {
        HeaderKey::Kid(k) => {
            header.insert("kid".into(), k.into());
        }
        HeaderKey::Jwk => {
            header.insert("jwk".into(), key.public().to_jwk());
        }
    }
    header.insert("typ".into(), "JWT".into());
    let mut payload = obj.clone();
    for (claim, v) in expected_claims(obj)? {
        payload.insert(claim.into(), v);
    }
    let bytes = serde_json::to_vec(&payload).map_err(|e| SignError::Jws(e.to_string()))?;
    jws::sign(header, &bytes, key)
}

/// The registered claims a credential implies: `iss`, `jti`, `nbf`, `sub` (when the subject has an id),
/// `exp` (when it has `validUntil`).
fn expected_claims(obj: &Map<String, Value>) -> Result<Vec<(&'static str, Value)>, SignError> {
    let mut claims = Vec::new();
    if let Some(i) = issuer_id(obj) {
        claims.push(("iss", Value::String(i.to_owned())));
    }
    if let Some(Value::String(id)) = obj.get("id") {
        claims.push(("jti", Value::String(id.clone())));
    }
    for (field, claim) in [
        ("validFrom", "nbf"),
        ("issuanceDate", "nbf"),
        ("validUntil", "exp"),
        ("expirationDate", "exp"),
    ] {
        if claims.iter().any(|(c, _)| *c == claim) {
            continue;
        }
        if let Some(Value::String(t)) = obj.get(field) {
            let when = DateTime::parse_from_rfc3339(t).map_err(|_| {
                SignError::Jws(format!("{field} {t:?} is not an RFC 3339 date-time"))
            })?;
            claims.push((claim, Value::from(when.timestamp())));
        }
    }
    if let Some(sub) = subject_id(obj) {
        claims.push(("sub", Value::String(sub.to_owned())));
    }
    Ok(claims)
}

fn subject_id(obj: &Map<String, Value>) -> Option<&str> {
    // The one subject (an object or a one-element array); of several, none is *the* subject.
    match obi_core::json::one_or_many(obj.get("credentialSubject")) {
        [s] => s.get("id")?.as_str(),
        _ => None,
    }
}

/// The credential inside a VC-JWT, **without checking the signature**: for validating its data model
/// (`obi validate`), never for trusting it.
pub fn dangerous_decode_unverified(token: &str) -> Result<Value, SignError> {
    let jws = Jws::decode(token)?;
    Ok(Value::Object(credential_of(&jws.payload_json()?)))
}

/// The credential in a payload: the `vc` claim (VC 1.1 tokens), or the payload without JWT claims.
fn credential_of(payload: &Map<String, Value>) -> Map<String, Value> {
    match payload.get("vc") {
        Some(Value::Object(vc)) => vc.clone(),
        _ => {
            let mut c = payload.clone();
            for claim in CLAIMS {
                c.remove(claim);
            }
            c
        }
    }
}

/// A VC-JWT whose signature checked out.
#[derive(Debug)]
pub struct Verified {
    /// The credential (the payload without JWT claims, or the `vc` claim of a VC 1.1 token).
    pub credential: Value,
    /// The protected header.
    pub header: Map<String, Value>,
    /// The key that verified it.
    pub key: PublicKey,
    /// Claim and header checks: errors make the credential invalid, warnings do not.
    pub findings: Vec<Finding>,
}

/// Verify a VC-JWT: the key comes from `key` if given, else the header's `jwk`, else its `kid` through
/// `resolver`. Signature, shape and key problems are `Err`, and so is an `exp`, `nbf` or `iat` that is not
/// a NumericDate (a JSON number); claim checks against `now` are findings: `exp` passed, `nbf` or `iat`
/// ahead (with [`crate::CLOCK_LEEWAY`]), and `exp` / `nbf` not the credential's `validUntil` /
/// `validFrom` (so when both are given, the earlier end counts).
pub fn verify(
    token: &str,
    key: Option<&PublicKey>,
    resolver: &dyn KeyResolver,
    now: DateTime<Utc>,
) -> Result<Verified, SignError> {
    let jws = Jws::decode(token)?;
    let mut findings = Vec::new();
    let mut controller = None;
    let key = match (
        key,
        jws.header_jwk(),
        jws.header.get("kid").and_then(Value::as_str),
    ) {
        (Some(k), _, _) => k.clone(),
        (None, Some(jwk), _) => jwk?,
        (None, None, Some(kid)) => {
            // The key must be one the issuer's own document lists (the issuer as the token's payload
            // names it; `iss` is checked against it below).
            let payload = jws.payload_json()?;
            let credential = credential_of(&payload);
            let vm = crate::resolve::issuer_method(
                resolver,
                issuer_id(&credential).unwrap_or_default(),
                kid,
            )?;
            controller = Some(vm.controller);
            vm.key
        }
        (None, None, None) => {
            return Err(SignError::Jws(
                "the header names no key (neither \"kid\" nor \"jwk\"); give the issuer's key"
                    .into(),
            ));
        }
    };
    jws.verify(&key)?;
    for member in jws.header.keys() {
        if !HEADER_MEMBERS.contains(&member.as_str()) {
            findings.push(Finding::warning(
                "JWT_HEADER_MEMBER",
                format!("unexpected header member {member:?}"),
            ));
        }
    }
    if let Some(typ) = jws.header.get("typ").and_then(Value::as_str)
        && !matches!(typ, "JWT" | "vc+jwt" | "vc+ld+json+jwt")
    {
        findings.push(Finding::warning(
            "JWT_TYP",
            format!("header typ is {typ:?}, expected \"JWT\""),
        ));
    }
    let payload = jws.payload_json()?;
    if payload.get("vc").is_some_and(Value::is_object) {
        findings.push(Finding::warning(
            "JWT_VC_CLAIM",
            "VC 1.1-style token: the credential is in the \"vc\" claim".into(),
        ));
    }
    let credential = credential_of(&payload);
    // exp, nbf and iat are NumericDates (RFC 7519 §2): a JSON number, possibly fractional. Any other type
    // makes the token malformed; it is never read as "no such claim".
    let mut dates: [Option<NumericDate>; 3] = [None; 3];
    for (slot, claim) in dates.iter_mut().zip(DATE_CLAIMS) {
        if let Some(v) = payload.get(claim) {
            *slot = Some(NumericDate::from_json(v).map_err(|e| {
                SignError::Jws(format!(
                    "the {claim:?} claim is malformed: {}; the token is refused",
                    e.0
                ))
            })?);
        }
    }
    let [exp, nbf, iat] = dates;
    for (claim, want) in expected_claims(&credential)? {
        let got = payload.get(claim);
        let same = match (claim, got) {
            (_, None) => true,
            // Dates are compared to the second: validFrom / validUntil may carry fractions of one.
            ("exp", Some(_)) => exp.map(NumericDate::whole_seconds) == want.as_i64(),
            ("nbf", Some(_)) => nbf.map(NumericDate::whole_seconds) == want.as_i64(),
            (_, Some(g)) => *g == want,
        };
        match got {
            None if claim == "sub" => findings.push(Finding::warning(
                "JWT_SUB_MISSING",
                "no \"sub\" claim although the subject has an id".into(),
            )),
            None => findings.push(Finding::error(
                "JWT_CLAIM_MISSING",
                format!("no {claim:?} claim; expected {want}"),
            )),
            Some(got) if !same => findings.push(Finding::error(
                "JWT_CLAIM_MISMATCH",
                format!("claim {claim:?} is {got} but the credential says {want}"),
            )),
            Some(_) => {}
        }
    }
    let subjects = obi_core::json::one_or_many(credential.get("credentialSubject")).len();
    if subjects > 1 && payload.get("sub").is_some() {
        findings.push(Finding::error(
            "JWT_CLAIM_MISMATCH",
            format!("claim \"sub\" names one subject, but the credential has {subjects}"),
        ));
    }
    let leeway = crate::CLOCK_LEEWAY.num_seconds();
    if let Some(nbf) = nbf
        && nbf.is_ahead(now)
    {
        findings.push(Finding::error(
            "JWT_NOT_YET_VALID",
            format!("not valid before {nbf} (nbf; clocks may differ by {leeway} s at most)"),
        ));
    }
    if let Some(iat) = iat
        && iat.is_ahead(now)
    {
        findings.push(Finding::error(
            "JWT_ISSUED_IN_FUTURE",
            format!(
                "issued at {iat} (iat), in the future; clocks may differ by {leeway} s at most"
            ),
        ));
    }
    if let Some(exp) = exp
        && exp.has_passed(now)
    {
        findings.push(Finding::error(
            "JWT_EXPIRED",
            format!("expired at {exp} (exp; clocks may differ by {leeway} s at most)"),
        ));
    }
    if let Some(c) = controller
        && Some(c.as_str()) != issuer_id(&credential)
    {
        findings.push(Finding::error(
            "JWT_ISSUER_KEY",
            format!("the key's controller {c} is not the issuer"),
        ));
    }
    Ok(Verified {
        credential: Value::Object(credential),
        header: jws.header,
        key,
        findings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::OfflineResolver;
    use serde_json::json;

    const NOW: i64 = 1_780_000_000; // 2026-05-28T20:26:40Z

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(NOW, 0).unwrap()
    }

    fn key() -> SecretKey {
        SecretKey::from_ed25519_seed(&[9; 32])
    }

    /// A token with these claims and a credential without dates (so only the claims speak).
    fn token(claims: Value) -> String {
        let mut payload = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "issuer": "https://issuer.example/",
        });
        for (k, v) in claims.as_object().unwrap() {
            payload[k] = v.clone();
        }
        payload["iss"] = json!("https://issuer.example/");
        jws::sign(Map::new(), payload.to_string().as_bytes(), &key()).unwrap()
    }

    fn check(t: &str) -> Result<Vec<&'static str>, SignError> {
        let k = key().public();
        verify(t, Some(&k), &OfflineResolver::new(), now()).map(|v| {
            v.findings
                .iter()
                .filter(|f| f.severity == crate::Severity::Error)
                .map(|f| f.rule)
                .collect()
        })
    }

    #[test]
    fn current_claims_pass_including_fractions() {
        let ok =
            token(json!({"nbf": NOW - 10, "iat": NOW as f64 - 10.25, "exp": NOW as f64 + 0.5}));
        assert_eq!(check(&ok).unwrap(), Vec::<&str>::new());
    }

    #[test]
    fn passed_and_future_dates_are_errors() {
        assert_eq!(
            check(&token(json!({"exp": NOW - 3600}))).unwrap(),
            ["JWT_EXPIRED"]
        );
        assert_eq!(
            check(&token(json!({"nbf": NOW + 3600}))).unwrap(),
            ["JWT_NOT_YET_VALID"]
        );
        assert_eq!(
            check(&token(json!({"iat": NOW + 3600}))).unwrap(),
            ["JWT_ISSUED_IN_FUTURE"]
        );
        // Within the leeway.
        let near = token(json!({"exp": NOW - 60, "nbf": NOW + 60, "iat": NOW as f64 + 60.5}));
        assert_eq!(check(&near).unwrap(), Vec::<&str>::new());
    }

    #[test]
    fn non_numeric_dates_make_the_token_malformed() {
        for claim in ["exp", "nbf", "iat"] {
            for v in [
                json!("2020-01-01"),
                json!("1780000000"),
                json!(true),
                json!({}),
                json!(null),
                json!([NOW]),
            ] {
                match check(&token(json!({ claim: v }))) {
                    Err(SignError::Jws(m)) => {
                        assert!(m.contains(claim) && m.contains("malformed"), "{m}")
                    }
                    other => panic!("{claim} = {v}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn huge_dates_do_not_panic() {
        assert_eq!(
            check(&token(json!({"exp": u64::MAX}))).unwrap(),
            Vec::<&str>::new()
        );
        assert_eq!(
            check(&token(json!({"exp": -1e300}))).unwrap(),
            ["JWT_EXPIRED"]
        );
        assert_eq!(
            check(&token(json!({"nbf": 1e300, "iat": i64::MAX}))).unwrap(),
            ["JWT_NOT_YET_VALID", "JWT_ISSUED_IN_FUTURE"]
        );
        // A number beyond f64 is not JSON serde_json reads: the token is malformed, not a panic.
        let header = B64.encode(br#"{"alg":"EdDSA"}"#);
        let body = B64.encode(br#"{"iss":"x","exp":1e999}"#);
        assert!(check(&format!("{header}.{body}.AAAA")).is_err());
    }

    #[test]
    fn exp_must_be_the_credentials_valid_until() {
        let c = json!({"validUntil": "2026-05-28T20:26:40.750Z"});
        // Compared to the second: a fractional exp in the same second matches.
        let mut claims = c.clone();
        claims["exp"] = json!(NOW as f64 + 0.75);
        assert_eq!(check(&token(claims)).unwrap(), Vec::<&str>::new());
        // A later exp than validUntil does not extend it.
        let mut later = c.clone();
        later["exp"] = json!(NOW + 86_400);
        assert_eq!(check(&token(later)).unwrap(), ["JWT_CLAIM_MISMATCH"]);
        // validUntil without exp.
        assert_eq!(check(&token(c)).unwrap(), ["JWT_CLAIM_MISSING"]);
    }

    use base64::Engine as _;
    const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;
}
