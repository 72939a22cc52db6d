//! `obi keygen` and `obi sign`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::ValueEnum;
use obi_sign::di::{self, ProofOptions, Suite};
use obi_sign::vcjwt::{self, HeaderKey};
use obi_sign::{KeyType, SecretKey};
use serde_json::{Value, json};

use crate::output::{read_input, say};
use crate::{EXIT_OK, EXIT_USAGE};

#[derive(Clone, Copy, ValueEnum)]
pub enum Alg {
    /// Ed25519: Data Integrity (eddsa-rdfc-2022, eddsa-jcs-2022) or VC-JWT EdDSA.
    Ed25519,
    /// NIST P-256: VC-JWT ES256.
    P256,
    /// RSA 2048: VC-JWT RS256 and OB 2.0 signed assertions.
    Rsa,
}

#[derive(clap::Args)]
pub struct KeygenArgs {
    /// Key algorithm.
    #[arg(long, value_enum, default_value = "ed25519")]
    alg: Alg,
    /// Use the key as a did:key: record its verification method as the JWK's `kid`, which `obi sign`
    /// then uses by default (Ed25519 and P-256 only).
    #[arg(long)]
    did_key: bool,
    /// Write the private key (a JWK, file mode 0600) here. Without it the private JWK goes to standard
    /// output, which must then not be a terminal.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

pub fn keygen(args: KeygenArgs) -> anyhow::Result<u8> {
    let kind = match args.alg {
        Alg::Ed25519 => KeyType::Ed25519,
        Alg::P256 => KeyType::P256,
        Alg::Rsa => KeyType::Rsa,
    };
    if args.did_key && kind == KeyType::Rsa {
        eprintln!("obi: did:key is defined here for Ed25519 and P-256 keys, not RSA");
        return Ok(EXIT_USAGE);
    }
    if args.output.is_none() && std::io::stdout().is_terminal() {
        eprintln!(
            "obi: refusing to print a private key to the terminal; use -o KEYFILE (or redirect standard output)"
        );
        return Ok(EXIT_USAGE);
    }
    let key = SecretKey::generate(kind)?;
    let public = key.public();
    let mut private = key.to_private_jwk();
    let vm = public.did_key_vm();
    if args.did_key
        && let (Some(o), Some(vm)) = (private.as_object_mut(), &vm)
    {
        o.insert("kid".into(), Value::String(vm.clone()));
    }
    // What an issuer publishes so that verifiers can tell its tokens from anyone else's: the public key
    // as a JWKS (served at the issuer's URL, or named by its /.well-known/jwt-vc-issuer metadata).
    let thumbprint = public.jwk_thumbprint();
    let mut published = public.to_jwk();
    published["kid"] = json!(thumbprint);
    let mut summary = json!({
        "publicJwk": public.to_jwk(),
        "jwkThumbprint": thumbprint,
        "jwks": {"keys": [published]},
    });
    if let (Some(did), Some(vm)) = (public.did_key(), vm) {
        summary["didKey"] = json!(did);
        summary["verificationMethod"] = json!(vm);
    }
    let private_text = serde_json::to_string_pretty(&private)? + "\n";
    match &args.output {
        Some(path) => {
            write_secret(path, private_text.as_bytes())?;
            say(serde_json::to_string_pretty(&summary)?);
            eprintln!("obi: private key written to {}", path.display());
        }
        None => {
            say(private_text.trim_end());
            eprintln!("{}", serde_json::to_string_pretty(&summary)?);
        }
    }
    Ok(EXIT_OK)
}

/// Create `path` with mode 0600; an existing file is never overwritten (it may be a key in use).
fn write_secret(path: &PathBuf, bytes: &[u8]) -> anyhow::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).with_context(|| {
        format!(
            "cannot create {} (an existing key file is never overwritten)",
            path.display()
        )
    })?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// A Data Integrity proof inside the credential (Ed25519 keys).
    Di,
    /// A compact VC-JWT.
    Jwt,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Cryptosuite {
    /// RDF Dataset Canonicalization (what most verifiers support).
    #[value(name = "eddsa-rdfc-2022")]
    EddsaRdfc2022,
    /// JSON Canonicalization Scheme (RFC 8785).
    #[value(name = "eddsa-jcs-2022")]
    EddsaJcs2022,
}

#[derive(clap::Args)]
pub struct SignArgs {
    /// The credential (OB 3.0) or assertion (OB 2.0) to sign; `-` for standard input.
    credential: String,
    /// The private key: a JWK file (as `obi keygen` writes), a key file holding `privateJwk` or
    /// `secretKeyMultibase`, or a PKCS#8 PEM file.
    #[arg(long)]
    key: PathBuf,
    /// Proof format (default: `di` for Ed25519 keys, `jwt` otherwise). OB 2.0 assertions always get an
    /// RS256 JWS.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Data Integrity cryptosuite.
    #[arg(long, value_enum, default_value = "eddsa-rdfc-2022")]
    cryptosuite: Cryptosuite,
    /// Verification method id (default: the key's did:key method, if it is a did:key key).
    #[arg(long)]
    vm: Option<String>,
    /// The proof's `created` time (default: now).
    #[arg(long)]
    created: Option<String>,
}

pub fn sign(args: SignArgs) -> anyhow::Result<u8> {
    let key_text = std::fs::read_to_string(&args.key)
        .with_context(|| format!("cannot read key file {}", args.key.display()))?;
    let (key, kid) = if key_text.trim_start().starts_with("-----BEGIN") {
        (SecretKey::from_pem(&key_text)?, None)
    } else {
        let jwk: Value = serde_json::from_str(&key_text)
            .with_context(|| format!("{} is neither a JWK (JSON) nor PEM", args.key.display()))?;
        let kid = jwk
            .get("kid")
            .or_else(|| jwk.get("verificationMethod"))
            .and_then(Value::as_str)
            .filter(|k| k.starts_with("did:key:"))
            .map(str::to_owned);
        (SecretKey::from_jwk(&jwk)?, kid)
    };
    let bytes = read_input(&args.credential)?;
    let text = String::from_utf8(bytes).context("the credential is not UTF-8")?;
    let doc = obi_core::parse_json(text.as_bytes())
        .with_context(|| format!("{} is not JSON", args.credential))?;
    if crate::bake::detect_version(&text) == obi_bake::Version::Ob2 {
        if args.format == Some(Format::Di) {
            eprintln!("obi: OB 2.0 assertions are signed as JWS, not with Data Integrity proofs");
            return Ok(EXIT_USAGE);
        }
        say(obi_sign::jws::sign_ob2_assertion(&doc, &key)?);
        return Ok(EXIT_OK);
    }
    let vm = args.vm.clone().or(kid);
    let format = args
        .format
        .unwrap_or(if key.key_type() == KeyType::Ed25519 {
            Format::Di
        } else {
            Format::Jwt
        });
    if let Some(vm) = &vm {
        warn_unbound_issuer(&doc, vm);
    }
    match format {
        Format::Di => {
            if key.key_type() != KeyType::Ed25519 {
                bail!(
                    "Data Integrity signing needs an Ed25519 key; sign {:?} keys with --format jwt",
                    key.key_type()
                );
            }
            let Some(vm) = vm else {
                bail!(
                    "give --vm: the verification method id the issuer publishes for this key (or use a did:key key: obi keygen --did-key)"
                );
            };
            #[allow(
                clippy::disallowed_methods,
                reason = "the CLI is where time comes from"
            )]
            // `created` is an XML Schema dateTime: an RFC 3339 date and time, written one way.
            let created = match &args.created {
                Some(t) => match chrono::DateTime::parse_from_rfc3339(t) {
                    Ok(t) => t.with_timezone(&chrono::Utc),
                    Err(e) => {
                        eprintln!(
                            "obi sign: --created {t:?} is not an RFC 3339 date and time ({e}); for example 2026-01-01T00:00:00Z"
                        );
                        return Ok(crate::EXIT_USAGE);
                    }
                },
                None => chrono::Utc::now(),
            }
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
            let suite = match args.cryptosuite {
                Cryptosuite::EddsaRdfc2022 => Suite::EddsaRdfc2022,
                Cryptosuite::EddsaJcs2022 => Suite::EddsaJcs2022,
            };
            let signed = di::sign(
                &doc,
                &key,
                &ProofOptions {
                    suite,
                    verification_method: vm,
                    created: Some(created),
                },
            )?;
            say(serde_json::to_string_pretty(&signed)?);
        }
        Format::Jwt => {
            let header = match vm {
                Some(vm) => HeaderKey::Kid(vm),
                None => {
                    let issuer = doc
                        .as_object()
                        .and_then(obi_sign::issuer_id)
                        .unwrap_or_default();
                    if !issuer.starts_with("did:key:") {
                        eprintln!(
                            "obi: note: the token carries its key in its header; a verifier that checks who signed \
                             (obi does) needs {issuer:?} to publish this key: serve the \"jwks\" that obi keygen \
                             printed at the issuer's URL, or name it in the issuer's /.well-known/jwt-vc-issuer metadata"
                        );
                    }
                    HeaderKey::Jwk
                }
            };
            say(vcjwt::sign(&doc, &key, header)?);
        }
    }
    Ok(EXIT_OK)
}

/// Verifiers require the issuer to control the signing key; say so before producing a badge that fails.
fn warn_unbound_issuer(doc: &Value, vm: &str) {
    let Some(obj) = doc.as_object() else { return };
    let issuer = obi_sign::issuer_id(obj).unwrap_or_default();
    if let Some(did) = vm
        .strip_prefix("did:key:")
        .map(|r| r.split('#').next().unwrap_or(r))
        && issuer != format!("did:key:{did}")
    {
        eprintln!(
            "obi: warning: the issuer is {issuer:?} but the key is did:key:{did}; verifiers (obi, Digital Bazaar) require the issuer to control the key"
        );
    }
}
