//! Keys: Ed25519, P-256 and RSA, as JWK, Multikey and `did:key`.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeyPairComponents, KeySize, PublicKeyComponents};
use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ed25519_dalek::{Signer as _, Verifier as _};
use serde_json::{Map, Value, json};

use crate::SignError;
use crate::der;

/// Multicodec prefixes (varint) of the key types did:key and Multikey carry.
const ED25519_PUB: [u8; 2] = [0xed, 0x01];
const P256_PUB: [u8; 2] = [0x80, 0x24];
const ED25519_PRIV: [u8; 2] = [0x80, 0x26];

/// A key type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// Ed25519 (EdDSA, eddsa-* cryptosuites).
    Ed25519,
    /// NIST P-256 (ES256, ecdsa-rdfc-2019).
    P256,
    /// RSA, 2048 bits or more (RS256).
    Rsa,
}

impl KeyType {
    /// The JWS `alg` this key signs with.
    pub fn jws_alg(self) -> &'static str {
        match self {
            KeyType::Ed25519 => "EdDSA",
            KeyType::P256 => "ES256",
            KeyType::Rsa => "RS256",
        }
    }
}

/// A public key.
#[derive(Clone, Debug)]
pub enum PublicKey {
    /// Ed25519.
    Ed25519(ed25519_dalek::VerifyingKey),
    /// P-256.
    P256(p256::ecdsa::VerifyingKey),
    /// RSA modulus and exponent, big-endian.
    Rsa {
        /// Modulus.
        n: Vec<u8>,
        /// Public exponent.
        e: Vec<u8>,
    },
}

/// A private key (with its public half).
pub struct SecretKey {
    inner: Secret,
}

enum Secret {
    /// Ed25519: dalek for key handling, aws-lc-rs to sign (about twice as fast here).
    Ed25519(
        ed25519_dalek::SigningKey,
        Box<aws_lc_rs::signature::Ed25519KeyPair>,
    ),
    P256(p256::ecdsa::SigningKey),
    Rsa(Box<RsaKeyPair>, Box<RsaParts>),
}

/// RSA private components, kept to write the key back out as a JWK.
pub(crate) struct RsaParts {
    n: Vec<u8>,
    e: Vec<u8>,
    d: Vec<u8>,
    p: Vec<u8>,
    q: Vec<u8>,
    dp: Vec<u8>,
    dq: Vec<u8>,
    qi: Vec<u8>,
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKey({:?}, private part hidden)", self.key_type())
    }
}

impl SecretKey {
    /// A new random key from the operating system's generator.
    pub fn generate(kind: KeyType) -> Result<SecretKey, SignError> {
        match kind {
            KeyType::Ed25519 => {
                let mut seed = [0u8; 32];
                getrandom::fill(&mut seed).map_err(|e| SignError::Random(e.to_string()))?;
                Ok(SecretKey::from_ed25519_seed(&seed))
            }
            KeyType::P256 => loop {
                let mut seed = [0u8; 32];
                getrandom::fill(&mut seed).map_err(|e| SignError::Random(e.to_string()))?;
                // A random 32-byte string is a valid scalar except with negligible probability: retry.
                if let Ok(k) = p256::ecdsa::SigningKey::from_slice(&seed) {
                    return Ok(SecretKey {
                        inner: Secret::P256(k),
                    });
                }
            },
            KeyType::Rsa => {
                let pair = RsaKeyPair::generate(KeySize::Rsa2048)
                    .map_err(|_| SignError::Random("RSA key generation failed".into()))?;
                let pkcs8 = pair
                    .as_der()
                    .map_err(|_| SignError::Random("RSA key export failed".into()))?;
                let parts = der::rsa_from_pkcs8(pkcs8.as_ref())?;
                Ok(SecretKey {
                    inner: Secret::Rsa(Box::new(pair), Box::new(parts)),
                })
            }
        }
    }

    /// The Ed25519 key with this 32-byte seed.
    pub fn from_ed25519_seed(seed: &[u8; 32]) -> SecretKey {
        let dalek = ed25519_dalek::SigningKey::from_bytes(seed);
        SecretKey::ed25519(dalek)
    }

    fn ed25519(dalek: ed25519_dalek::SigningKey) -> SecretKey {
        // Any 32-byte seed is a valid Ed25519 private key, so aws-lc-rs cannot refuse it.
        let fast = aws_lc_rs::signature::Ed25519KeyPair::from_seed_unchecked(&dalek.to_bytes())
            .expect("a 32-byte seed is a valid Ed25519 key");
        SecretKey {
            inner: Secret::Ed25519(dalek, Box::new(fast)),
        }
    }

    /// The key type.
    pub fn key_type(&self) -> KeyType {
        match self.inner {
            Secret::Ed25519(..) => KeyType::Ed25519,
            Secret::P256(_) => KeyType::P256,
            Secret::Rsa(..) => KeyType::Rsa,
        }
    }

    /// The public half.
    pub fn public(&self) -> PublicKey {
        match &self.inner {
            Secret::Ed25519(k, _) => PublicKey::Ed25519(k.verifying_key()),
            Secret::P256(k) => PublicKey::P256(*k.verifying_key()),
            Secret::Rsa(_, p) => PublicKey::Rsa {
                n: p.n.clone(),
                e: p.e.clone(),
            },
        }
    }

    /// Sign `msg`: Ed25519 (64 bytes), ES256 (`r‖s`, 64 bytes) or RS256 (PKCS#1 v1.5 with SHA-256).
    pub fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, SignError> {
        match &self.inner {
            Secret::Ed25519(_, fast) => Ok(fast.sign(msg).as_ref().to_vec()),
            Secret::P256(k) => {
                let sig: p256::ecdsa::Signature = k.sign(msg);
                Ok(sig.to_bytes().to_vec())
            }
            Secret::Rsa(pair, _) => {
                let mut sig = vec![0u8; pair.public_modulus_len()];
                let rng = aws_lc_rs::rand::SystemRandom::new();
                pair.sign(&RSA_PKCS1_SHA256, &rng, msg, &mut sig)
                    .map_err(|_| SignError::Random("RSA signing failed".into()))?;
                Ok(sig)
            }
        }
    }

    /// Read a private key from a JWK (`kty` OKP/Ed25519, EC/P-256 or RSA, with `d`). Also accepts obi's and
    /// the peers' key files, which hold the JWK under `privateJwk`, and a Multikey `secretKeyMultibase`.
    pub fn from_jwk(jwk: &Value) -> Result<SecretKey, SignError> {
        if let Some(inner) = jwk.get("privateJwk") {
            return SecretKey::from_jwk(inner);
        }
        if let Some(Value::String(m)) = jwk.get("secretKeyMultibase") {
            return SecretKey::from_multikey_secret(m);
        }
        let o = jwk
            .as_object()
            .ok_or_else(|| SignError::Key("a JWK must be a JSON object".into()))?;
        if !o.contains_key("d") {
            return Err(SignError::Key(
                "this JWK has no private part (\"d\"): give the private key file".into(),
            ));
        }
        let kty = str_member(o, "kty")?;
        match kty {
            "OKP" => {
                expect_member(o, "crv", "Ed25519")?;
                let d: [u8; 32] = b64_member(o, "d")?
                    .try_into()
                    .map_err(|_| SignError::Key("Ed25519 \"d\" must be 32 bytes".into()))?;
                let key = SecretKey::from_ed25519_seed(&d);
                if let Ok(x) = b64_member(o, "x")
                    && Some(x.as_slice()) != key.public().raw_bytes().as_deref()
                {
                    return Err(SignError::Key(
                        "the JWK's \"x\" does not match its \"d\"".into(),
                    ));
                }
                Ok(key)
            }
            "EC" => {
                expect_member(o, "crv", "P-256")?;
                let d = b64_member(o, "d")?;
                let k = p256::ecdsa::SigningKey::from_slice(&d)
                    .map_err(|_| SignError::Key("P-256 \"d\" is not a valid scalar".into()))?;
                Ok(SecretKey {
                    inner: Secret::P256(k),
                })
            }
            "RSA" => {
                let parts = RsaParts {
                    n: b64_member(o, "n")?,
                    e: b64_member(o, "e")?,
                    d: b64_member(o, "d")?,
                    p: b64_member(o, "p")?,
                    q: b64_member(o, "q")?,
                    dp: b64_member(o, "dp")?,
                    dq: b64_member(o, "dq")?,
                    qi: b64_member(o, "qi")?,
                };
                if parts.n.len() < 256 {
                    return Err(SignError::Key(format!(
                        "RSA keys must be 2048 bits or more; this one has {}",
                        parts.n.len() * 8
                    )));
                }
                let pair = RsaKeyPair::from_components(&KeyPairComponents {
                    public_key: PublicKeyComponents {
                        n: parts.n.as_slice(),
                        e: parts.e.as_slice(),
                    },
                    d: parts.d.as_slice(),
                    p: parts.p.as_slice(),
                    q: parts.q.as_slice(),
                    dP: parts.dp.as_slice(),
                    dQ: parts.dq.as_slice(),
                    qInv: parts.qi.as_slice(),
                })
                .map_err(|e| SignError::Key(format!("RSA key rejected: {e}")))?;
                Ok(SecretKey {
                    inner: Secret::Rsa(Box::new(pair), Box::new(parts)),
                })
            }
            other => Err(SignError::Key(format!(
                "unsupported key type {other:?}: obi signs with OKP (Ed25519), EC (P-256) or RSA keys"
            ))),
        }
    }

    /// An Ed25519 secret key in Multikey form (`z` + base58btc of 0x8026 ‖ seed).
    pub fn from_multikey_secret(m: &str) -> Result<SecretKey, SignError> {
        let bytes = multibase_decode(m)?;
        match bytes.strip_prefix(&ED25519_PRIV[..]) {
            Some(seed) => {
                let seed: [u8; 32] =
                    seed.get(..32)
                        .and_then(|s| s.try_into().ok())
                        .ok_or_else(|| {
                            SignError::Key("an Ed25519 secret Multikey holds 32 bytes".into())
                        })?;
                Ok(SecretKey::from_ed25519_seed(&seed))
            }
            None => Err(SignError::Key(
                "unsupported secret Multikey: obi reads Ed25519 (0x8026) secret keys".into(),
            )),
        }
    }

    /// Read a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`): Ed25519, P-256 or RSA.
    pub fn from_pem(pem: &str) -> Result<SecretKey, SignError> {
        use ed25519_dalek::pkcs8::DecodePrivateKey as _;
        if let Ok(k) = ed25519_dalek::SigningKey::from_pkcs8_pem(pem) {
            return Ok(SecretKey::ed25519(k));
        }
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_pem(pem) {
            return Ok(SecretKey {
                inner: Secret::P256(k),
            });
        }
        let der = pem_body(pem, "PRIVATE KEY")?;
        let pair = RsaKeyPair::from_pkcs8(&der).map_err(|e| {
            SignError::Key(format!(
                "not an Ed25519, P-256 or RSA PKCS#8 private key ({e})"
            ))
        })?;
        let parts = der::rsa_from_pkcs8(&der)?;
        if parts.n.len() < 256 {
            return Err(SignError::Key("RSA keys must be 2048 bits or more".into()));
        }
        Ok(SecretKey {
            inner: Secret::Rsa(Box::new(pair), Box::new(parts)),
        })
    }

    /// The private key as PKCS#8 PEM.
    pub fn to_pem(&self) -> Result<String, SignError> {
        use ed25519_dalek::pkcs8::EncodePrivateKey as _;
        let fail = |e: String| SignError::Key(format!("PEM export failed: {e}"));
        match &self.inner {
            Secret::Ed25519(k, _) => k
                .to_pkcs8_pem(Default::default())
                .map(|z| z.to_string())
                .map_err(|e| fail(e.to_string())),
            Secret::P256(k) => k
                .to_pkcs8_pem(Default::default())
                .map(|z| z.to_string())
                .map_err(|e| fail(e.to_string())),
            Secret::Rsa(pair, _) => {
                let der = pair.as_der().map_err(|e| fail(e.to_string()))?;
                Ok(pem_encode("PRIVATE KEY", der.as_ref()))
            }
        }
    }

    /// The private JWK (holds `d`: keep it secret).
    pub fn to_private_jwk(&self) -> Value {
        let mut jwk = self.public().to_jwk();
        let d = match &self.inner {
            Secret::Ed25519(k, _) => B64.encode(k.to_bytes()),
            Secret::P256(k) => B64.encode(k.to_bytes()),
            Secret::Rsa(_, p) => {
                if let Some(o) = jwk.as_object_mut() {
                    for (name, v) in [
                        ("p", &p.p),
                        ("q", &p.q),
                        ("dp", &p.dp),
                        ("dq", &p.dq),
                        ("qi", &p.qi),
                    ] {
                        o.insert(name.into(), Value::String(B64.encode(v)));
                    }
                }
                B64.encode(&p.d)
            }
        };
        if let Some(o) = jwk.as_object_mut() {
            o.insert("d".into(), Value::String(d));
        }
        jwk
    }
}

impl PublicKey {
    /// The key type.
    pub fn key_type(&self) -> KeyType {
        match self {
            PublicKey::Ed25519(_) => KeyType::Ed25519,
            PublicKey::P256(_) => KeyType::P256,
            PublicKey::Rsa { .. } => KeyType::Rsa,
        }
    }

    /// Raw public key bytes for Ed25519 (32) and compressed P-256 (33).
    pub fn raw_bytes(&self) -> Option<Vec<u8>> {
        match self {
            PublicKey::Ed25519(k) => Some(k.to_bytes().to_vec()),
            PublicKey::P256(k) => Some(k.to_sec1_bytes_compressed()),
            PublicKey::Rsa { .. } => None,
        }
    }

    /// Verify a signature made by [`SecretKey::sign`].
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> Result<(), SignError> {
        let ok = match self {
            PublicKey::Ed25519(k) => ed25519_dalek::Signature::from_slice(sig)
                .ok()
                .is_some_and(|s| k.verify(msg, &s).is_ok()),
            PublicKey::P256(k) => p256::ecdsa::Signature::from_slice(sig)
                .ok()
                .is_some_and(|s| k.verify(msg, &s).is_ok()),
            PublicKey::Rsa { n, e } => PublicKeyComponents {
                n: n.as_slice(),
                e: e.as_slice(),
            }
            .verify(&RSA_PKCS1_2048_8192_SHA256, msg, sig)
            .is_ok(),
        };
        if ok {
            Ok(())
        } else {
            Err(SignError::BadSignature)
        }
    }

    /// Read a public JWK. A JWK holding a private part (`d`) is refused: public keys travel in headers
    /// and documents, and one that carries its secret is a leak, not a key to trust.
    pub fn from_jwk(jwk: &Value) -> Result<PublicKey, SignError> {
        if let Some(inner) = jwk.get("publicJwk") {
            return PublicKey::from_jwk(inner);
        }
        let o = jwk
            .as_object()
            .ok_or_else(|| SignError::Key("a JWK must be a JSON object".into()))?;
        if o.contains_key("d") {
            return Err(SignError::Key(
                "this public JWK contains a private key (\"d\"); refusing it".into(),
            ));
        }
        match str_member(o, "kty")? {
            "OKP" => {
                expect_member(o, "crv", "Ed25519")?;
                let x: [u8; 32] = b64_member(o, "x")?
                    .try_into()
                    .map_err(|_| SignError::Key("Ed25519 \"x\" must be 32 bytes".into()))?;
                ed25519_dalek::VerifyingKey::from_bytes(&x)
                    .map(PublicKey::Ed25519)
                    .map_err(|_| SignError::Key("not an Ed25519 public key".into()))
            }
            "EC" => {
                expect_member(o, "crv", "P-256")?;
                let (x, y) = (b64_member(o, "x")?, b64_member(o, "y")?);
                if x.len() != 32 || y.len() != 32 {
                    return Err(SignError::Key(
                        "P-256 \"x\" and \"y\" must be 32 bytes".into(),
                    ));
                }
                let mut sec1 = vec![4u8];
                sec1.extend_from_slice(&x);
                sec1.extend_from_slice(&y);
                p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
                    .map(PublicKey::P256)
                    .map_err(|_| SignError::Key("not a point on P-256".into()))
            }
            "RSA" => {
                let n = b64_member(o, "n")?;
                if n.len() < 256 {
                    return Err(SignError::Key(format!(
                        "RSA keys must be 2048 bits or more; this one has {}",
                        n.len() * 8
                    )));
                }
                Ok(PublicKey::Rsa {
                    n,
                    e: b64_member(o, "e")?,
                })
            }
            other => Err(SignError::Key(format!("unsupported key type {other:?}"))),
        }
    }

    /// Read a public key in PEM: SubjectPublicKeyInfo (`PUBLIC KEY`, as OB 2.0 `publicKeyPem` holds) for
    /// Ed25519, P-256 or RSA, or PKCS#1 `RSA PUBLIC KEY`.
    pub fn from_pem(pem: &str) -> Result<PublicKey, SignError> {
        use ed25519_dalek::pkcs8::DecodePublicKey as _;
        if let Ok(k) = ed25519_dalek::VerifyingKey::from_public_key_pem(pem) {
            return Ok(PublicKey::Ed25519(k));
        }
        if let Ok(k) = p256::ecdsa::VerifyingKey::from_public_key_pem(pem) {
            return Ok(PublicKey::P256(k));
        }
        let der = pem_body(pem, "PUBLIC KEY")?;
        let rsa = aws_lc_rs::rsa::PublicKey::from_der(&der).map_err(|e| {
            SignError::Key(format!("not an Ed25519, P-256 or RSA public key ({e})"))
        })?;
        let n = rsa.modulus().big_endian_without_leading_zero().to_vec();
        if n.len() < 256 {
            return Err(SignError::Key(format!(
                "RSA keys must be 2048 bits or more; this one has {}",
                n.len() * 8
            )));
        }
        Ok(PublicKey::Rsa {
            n,
            e: rsa.exponent().big_endian_without_leading_zero().to_vec(),
        })
    }

    /// The public key as SubjectPublicKeyInfo PEM.
    pub fn to_pem(&self) -> Result<String, SignError> {
        use ed25519_dalek::pkcs8::EncodePublicKey as _;
        use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
        let fail = |e: String| SignError::Key(format!("PEM export failed: {e}"));
        match self {
            PublicKey::Ed25519(k) => k
                .to_public_key_pem(LineEnding::LF)
                .map_err(|e| fail(e.to_string())),
            PublicKey::P256(k) => k
                .to_public_key_pem(LineEnding::LF)
                .map_err(|e| fail(e.to_string())),
            PublicKey::Rsa { n, e } => {
                let der = PublicKeyComponents {
                    n: n.as_slice(),
                    e: e.as_slice(),
                }
                .as_der()
                .map_err(|e| fail(e.to_string()))?;
                Ok(pem_encode("PUBLIC KEY", der.as_ref()))
            }
        }
    }

    /// The public JWK.
    pub fn to_jwk(&self) -> Value {
        match self {
            PublicKey::Ed25519(k) => {
                json!({"kty": "OKP", "crv": "Ed25519", "x": B64.encode(k.to_bytes())})
            }
            PublicKey::P256(k) => {
                let point = k.to_sec1_bytes_uncompressed();
                json!({"kty": "EC", "crv": "P-256", "x": B64.encode(&point[1..33]), "y": B64.encode(&point[33..65])})
            }
            PublicKey::Rsa { n, e } => {
                json!({"kty": "RSA", "n": B64.encode(n), "e": B64.encode(e)})
            }
        }
    }

    /// The RFC 7638 JWK thumbprint: base64url of the SHA-256 of the key's required JWK members in
    /// lexicographic order. Two keys are the same key exactly when their thumbprints are equal.
    pub fn jwk_thumbprint(&self) -> String {
        use sha2::Digest as _;
        let jwk = self.to_jwk();
        let member = |k: &str| jwk.get(k).and_then(Value::as_str).unwrap_or_default();
        // Members in lexicographic order, no whitespace (RFC 7638 §3.2).
        let canonical = match self {
            PublicKey::Ed25519(_) => format!(
                r#"{{"crv":"{}","kty":"OKP","x":"{}"}}"#,
                member("crv"),
                member("x")
            ),
            PublicKey::P256(_) => format!(
                r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
                member("crv"),
                member("x"),
                member("y")
            ),
            PublicKey::Rsa { .. } => format!(
                r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
                member("e"),
                member("n")
            ),
        };
        B64.encode(sha2::Sha256::digest(canonical.as_bytes()))
    }

    /// The Multikey form (`publicKeyMultibase`): `z` + base58btc of the multicodec prefix and key.
    pub fn to_multikey(&self) -> Option<String> {
        let prefix = match self {
            PublicKey::Ed25519(_) => ED25519_PUB,
            PublicKey::P256(_) => P256_PUB,
            PublicKey::Rsa { .. } => return None,
        };
        let mut bytes = prefix.to_vec();
        bytes.extend(self.raw_bytes()?);
        Some(format!("z{}", bs58::encode(bytes).into_string()))
    }

    /// Read a Multikey `publicKeyMultibase` (Ed25519 or P-256).
    pub fn from_multikey(m: &str) -> Result<PublicKey, SignError> {
        let bytes = multibase_decode(m)?;
        if let Some(raw) = bytes.strip_prefix(&ED25519_PUB[..]) {
            let raw: [u8; 32] = raw
                .try_into()
                .map_err(|_| SignError::Key("an Ed25519 Multikey holds 32 bytes".into()))?;
            return ed25519_dalek::VerifyingKey::from_bytes(&raw)
                .map(PublicKey::Ed25519)
                .map_err(|_| SignError::Key("not an Ed25519 public key".into()));
        }
        if let Some(raw) = bytes.strip_prefix(&P256_PUB[..]) {
            return p256::ecdsa::VerifyingKey::from_sec1_bytes(raw)
                .map(PublicKey::P256)
                .map_err(|_| SignError::Key("not a P-256 public key".into()));
        }
        Err(SignError::Key(
            "unsupported Multikey: obi reads Ed25519 (0xed01) and P-256 (0x1200) keys".into(),
        ))
    }

    /// `did:key:z…` for Ed25519 and P-256 keys.
    pub fn did_key(&self) -> Option<String> {
        self.to_multikey().map(|m| format!("did:key:{m}"))
    }

    /// The verification method id of the did:key: `did:key:z…#z…`.
    pub fn did_key_vm(&self) -> Option<String> {
        self.to_multikey().map(|m| format!("did:key:{m}#{m}"))
    }
}

trait Sec1 {
    fn to_sec1_bytes_compressed(&self) -> Vec<u8>;
    fn to_sec1_bytes_uncompressed(&self) -> Vec<u8>;
}

impl Sec1 for p256::ecdsa::VerifyingKey {
    fn to_sec1_bytes_compressed(&self) -> Vec<u8> {
        self.to_sec1_point(true).as_bytes().to_vec()
    }
    fn to_sec1_bytes_uncompressed(&self) -> Vec<u8> {
        self.to_sec1_point(false).as_bytes().to_vec()
    }
}

/// The DER inside a PEM block labelled `label` (`PUBLIC KEY` also accepts `RSA PUBLIC KEY`).
fn pem_body(pem: &str, label: &str) -> Result<Vec<u8>, SignError> {
    let begin = pem
        .find("-----BEGIN ")
        .ok_or_else(|| SignError::Key("not a PEM file (no -----BEGIN line)".into()))?;
    let rest = &pem[begin + 11..];
    let (found, rest) = rest
        .split_once("-----")
        .ok_or_else(|| SignError::Key("malformed PEM header".into()))?;
    if found != label && !(label == "PUBLIC KEY" && found == "RSA PUBLIC KEY") {
        return Err(SignError::Key(format!(
            "expected a PEM {label}, found {found}"
        )));
    }
    let end = rest
        .find("-----END")
        .ok_or_else(|| SignError::Key("PEM without an -----END line".into()))?;
    let body: String = rest[..end].split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .map_err(|_| SignError::Key("PEM body is not base64".into()))
}

fn pem_encode(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn multibase_decode(m: &str) -> Result<Vec<u8>, SignError> {
    let b58 = m.strip_prefix('z').ok_or_else(|| {
        SignError::Key(format!(
            "{m:?} is not base58btc multibase (it must start with \"z\")"
        ))
    })?;
    if b58.len() > 200 {
        return Err(SignError::Key("multibase key too long".into()));
    }
    bs58::decode(b58)
        .into_vec()
        .map_err(|e| SignError::Key(format!("bad base58btc: {e}")))
}

fn str_member<'a>(o: &'a Map<String, Value>, name: &str) -> Result<&'a str, SignError> {
    o.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| SignError::Key(format!("the JWK has no {name:?} string")))
}

fn expect_member(o: &Map<String, Value>, name: &str, want: &str) -> Result<(), SignError> {
    let got = str_member(o, name)?;
    if got == want {
        Ok(())
    } else {
        Err(SignError::Key(format!(
            "unsupported JWK {name} {got:?}: obi supports {want:?} here"
        )))
    }
}

fn b64_member(o: &Map<String, Value>, name: &str) -> Result<Vec<u8>, SignError> {
    let s = str_member(o, name)?;
    if s.len() > 4096 {
        return Err(SignError::Key(format!("JWK member {name:?} is too long")));
    }
    B64.decode(s.trim_end_matches('='))
        .map_err(|_| SignError::Key(format!("JWK member {name:?} is not base64url")))
}

impl RsaParts {
    pub(crate) fn from_ints(ints: &[Vec<u8>]) -> Result<RsaParts, SignError> {
        let [_, n, e, d, p, q, dp, dq, qi, ..] = ints else {
            return Err(SignError::Key("RSA private key: too few integers".into()));
        };
        Ok(RsaParts {
            n: n.clone(),
            e: e.clone(),
            d: d.clone(),
            p: p.clone(),
            q: q.clone(),
            dp: dp.clone(),
            dq: dq.clone(),
            qi: qi.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_key_of_the_peer_seed() {
        let seed: [u8; 32] = core::array::from_fn(|i| i as u8);
        let k = SecretKey::from_ed25519_seed(&seed);
        assert_eq!(
            k.public().did_key().unwrap(),
            "did:key:z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd"
        );
    }

    /// RFC 7638 §3.1's example key and thumbprint.
    #[test]
    fn jwk_thumbprint_of_the_rfc_example() {
        let jwk = json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB",
            "alg": "RS256",
            "kid": "2011-04-29"
        });
        assert_eq!(
            PublicKey::from_jwk(&jwk).unwrap().jwk_thumbprint(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn jwk_round_trips() {
        for kind in [KeyType::Ed25519, KeyType::P256, KeyType::Rsa] {
            let k = SecretKey::generate(kind).unwrap();
            let back = SecretKey::from_jwk(&k.to_private_jwk()).unwrap();
            let sig = back.sign(b"msg").unwrap();
            let public = PublicKey::from_jwk(&k.public().to_jwk()).unwrap();
            public.verify(b"msg", &sig).unwrap();
            assert!(public.verify(b"msh", &sig).is_err());
            let pem = SecretKey::from_pem(&k.to_pem().unwrap()).unwrap();
            assert_eq!(pem.to_private_jwk(), k.to_private_jwk());
            let public_pem = PublicKey::from_pem(&public.to_pem().unwrap()).unwrap();
            public_pem.verify(b"msg", &sig).unwrap();
            if kind != KeyType::Rsa {
                let m = public.to_multikey().unwrap();
                PublicKey::from_multikey(&m)
                    .unwrap()
                    .verify(b"msg", &sig)
                    .unwrap();
            }
        }
    }

    #[test]
    fn public_jwk_with_d_is_refused() {
        let k = SecretKey::generate(KeyType::Ed25519).unwrap();
        let e = PublicKey::from_jwk(&k.to_private_jwk()).unwrap_err();
        assert!(e.to_string().contains("private"), "{e}");
    }
}
