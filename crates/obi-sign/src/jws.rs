//! Compact JWS (RFC 7515): OB 2.0 signed assertions and the envelope of VC-JWT.
//!
//! Why not `jsonwebtoken` (CRATES.md's pick): OB 2.0 payloads are not JWT claim sets, VC-JWT needs every header
//! member and claim reported as findings rather than accepted or rejected wholesale, and the algorithm must be
//! bound to the key type before any cryptography runs. What is left is base64url and three dots; the
//! cryptography itself comes from ed25519-dalek, p256 and aws-lc-rs.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Map, Value};

use crate::SignError;
use crate::keys::{KeyType, PublicKey, SecretKey};

/// Largest compact JWS accepted (a credential with an embedded image can be large, but not this large).
pub const MAX_JWS_BYTES: usize = 16 * 1024 * 1024;

/// A decoded compact JWS. Nothing in it is trusted until [`Jws::verify`] succeeds.
#[derive(Debug, Clone)]
pub struct Jws {
    /// The protected header.
    pub header: Map<String, Value>,
    /// The payload bytes.
    pub payload: Vec<u8>,
    signing_input_len: usize,
    token: String,
    signature: Vec<u8>,
}

impl Jws {
    /// Split and decode a compact JWS; checks its shape only.
    pub fn decode(token: &str) -> Result<Jws, SignError> {
        let token = token.trim();
        if token.len() > MAX_JWS_BYTES {
            return Err(SignError::Jws(format!(
                "the token is {} bytes; the limit is {MAX_JWS_BYTES}",
                token.len()
            )));
        }
        let parts: Vec<&str> = token.split('.').collect();
        let [h, p, s] = parts[..] else {
            return Err(SignError::Jws(format!(
                "a compact JWS has three base64url parts separated by dots; this has {}",
                parts.len()
            )));
        };
        let part = |name: &str, v: &str| {
            B64.decode(v)
                .map_err(|_| SignError::Jws(format!("the {name} is not unpadded base64url")))
        };
        let header_bytes = part("header", h)?;
        let header: Map<String, Value> = serde_json::from_slice(&header_bytes)
            .map_err(|e| SignError::Jws(format!("the header is not a JSON object: {e}")))?;
        if !header.get("alg").is_some_and(Value::is_string) {
            return Err(SignError::Jws("the header has no \"alg\"".into()));
        }
        if let Some(crit) = header.get("crit") {
            return Err(SignError::Jws(format!(
                "the header marks {crit} critical; obi understands no JWS extensions"
            )));
        }
        Ok(Jws {
            header,
            payload: part("payload", p)?,
            signing_input_len: h.len() + 1 + p.len(),
            signature: part("signature", s)?,
            token: token.to_owned(),
        })
    }

    /// The header's `alg`.
    pub fn alg(&self) -> &str {
        self.header
            .get("alg")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// The payload as a JSON object.
    pub fn payload_json(&self) -> Result<Map<String, Value>, SignError> {
        serde_json::from_slice(&self.payload)
            .map_err(|e| SignError::Jws(format!("the payload is not a JSON object: {e}")))
    }

    /// Check the signature with `key`. The header's `alg` must be the one `key` signs with: `none`,
    /// HMAC algorithms and any mismatch (say RS256 header, Ed25519 key) are refused before any
    /// cryptography runs, which closes the classic algorithm-confusion attacks.
    pub fn verify(&self, key: &PublicKey) -> Result<(), SignError> {
        let alg = self.alg();
        let expected = key.key_type().jws_alg();
        if alg != expected {
            return Err(SignError::Algorithm(match alg {
                "none" => "alg \"none\" (an unsigned token) is never accepted".to_owned(),
                a if a.starts_with("HS") => {
                    format!(
                        "{a} is a shared-secret algorithm; credentials are signed with public keys"
                    )
                }
                a => format!(
                    "the header says {a:?} but the key is {:?} ({expected})",
                    key.key_type()
                ),
            }));
        }
        key.verify(
            &self.token.as_bytes()[..self.signing_input_len],
            &self.signature,
        )
    }

    /// The header's public `jwk`, if any (refused when it carries a private part).
    pub fn header_jwk(&self) -> Option<Result<PublicKey, SignError>> {
        self.header.get("jwk").map(PublicKey::from_jwk)
    }
}

/// Sign `payload` as a compact JWS. `header` gets `alg` set for `key` first; other members are kept in
/// the order given.
pub fn sign(
    header: Map<String, Value>,
    payload: &[u8],
    key: &SecretKey,
) -> Result<String, SignError> {
    let mut full = Map::new();
    full.insert("alg".into(), Value::String(key.key_type().jws_alg().into()));
    for (k, v) in header {
        if k != "alg" {
            full.insert(k, v);
        }
    }
    let h = B64.encode(
        serde_json::to_vec(&Value::Object(full)).map_err(|e| SignError::Jws(e.to_string()))?,
    );
    let p = B64.encode(payload);
    let input = format!("{h}.{p}");
    let sig = key.sign(input.as_bytes())?;
    Ok(format!("{input}.{}", B64.encode(sig)))
}

/// An OB 2.0 signed assertion: the assertion JSON as the payload of an RS256 JWS (the only algorithm the
/// OB 2.0 specification names).
pub fn sign_ob2_assertion(assertion: &Value, key: &SecretKey) -> Result<String, SignError> {
    if key.key_type() != KeyType::Rsa {
        return Err(SignError::Key(format!(
            "OB 2.0 signed assertions use RS256: give an RSA key, not {:?}",
            key.key_type()
        )));
    }
    let mut header = Map::new();
    header.insert("typ".into(), "JWT".into());
    let payload = serde_json::to_vec(assertion).map_err(|e| SignError::Jws(e.to_string()))?;
    sign(header, &payload, key)
}

/// Verify an OB 2.0 signed assertion with the issuer's key (its `publicKeyPem`); returns the assertion.
pub fn verify_ob2_assertion(token: &str, key: &PublicKey) -> Result<Value, SignError> {
    let jws = Jws::decode(token)?;
    if jws.alg() != "RS256" {
        return Err(SignError::Algorithm(format!(
            "OB 2.0 signed assertions use RS256, not {:?}",
            jws.alg()
        )));
    }
    jws.verify(key)?;
    jws.payload_json().map(Value::Object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn confusion_and_junk_are_refused() {
        let k = SecretKey::generate(KeyType::Ed25519).unwrap();
        let t = sign(Map::new(), b"{}", &k).unwrap();
        Jws::decode(&t).unwrap().verify(&k.public()).unwrap();
        // alg none with the signature stripped
        let (_, rest) = t.split_once('.').unwrap();
        let none = format!("{}.{}", B64.encode(br#"{"alg":"none"}"#), rest);
        let e = Jws::decode(&none).unwrap().verify(&k.public()).unwrap_err();
        assert!(e.to_string().contains("none"), "{e}");
        let hs = format!("{}.{}", B64.encode(br#"{"alg":"HS256"}"#), rest);
        let e = Jws::decode(&hs).unwrap().verify(&k.public()).unwrap_err();
        assert!(e.to_string().contains("shared-secret"), "{e}");
        for bad in ["", "a.b", "a.b.c.d", "!!.e30.AA", "e30.e30.AA"] {
            assert!(Jws::decode(bad).is_err(), "{bad}");
        }
        let jwk_d = format!(
            "{}.{}",
            B64.encode(
                serde_json::to_vec(&json!({"alg": "EdDSA", "jwk": k.to_private_jwk()})).unwrap()
            ),
            rest
        );
        assert!(Jws::decode(&jwk_d).unwrap().header_jwk().unwrap().is_err());
    }
}
