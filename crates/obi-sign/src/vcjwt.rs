//! OB 3.0 VC-JWT: the credential as a JWT payload with `iss`, `jti`, `nbf`, `sub`, `exp` claims.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::jws::{self, Jws};
use crate::keys::{PublicKey, SecretKey};
use crate::resolve::KeyResolver;
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
    let s = obj.get("credentialSubject")?;
    let s = match s {
        Value::Array(a) => a.first()?,
        s => s,
    };
    s.get("id")?.as_str()
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
/// `resolver`. Signature, shape and key problems are `Err`; claim checks against `now` are findings.
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
    for (claim, want) in expected_claims(&credential)? {
        match payload.get(claim) {
            None if claim == "sub" => findings.push(Finding::warning(
                "JWT_SUB_MISSING",
                "no \"sub\" claim although the subject has an id".into(),
            )),
            None => findings.push(Finding::error(
                "JWT_CLAIM_MISSING",
                format!("no {claim:?} claim; expected {want}"),
            )),
            Some(got) if *got != want => findings.push(Finding::error(
                "JWT_CLAIM_MISMATCH",
                format!("claim {claim:?} is {got} but the credential says {want}"),
            )),
            Some(_) => {}
        }
    }
    let ts = now.timestamp();
    if let Some(nbf) = payload.get("nbf").and_then(Value::as_i64)
        && nbf > ts
    {
        findings.push(Finding::error(
            "JWT_NOT_YET_VALID",
            format!("not valid before {nbf} (nbf)"),
        ));
    }
    if let Some(exp) = payload.get("exp").and_then(Value::as_i64)
        && exp <= ts
    {
        findings.push(Finding::error(
            "JWT_EXPIRED",
            format!("expired at {exp} (exp)"),
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
