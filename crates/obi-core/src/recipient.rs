//! Does a badge name this person? One module for OB 2.0 `recipient.identity` and OB 3.0
//! `identifier.identityHash`, used by validation and verification alike.
//!
//! A hashed identity is written as the specifications write it: the algorithm prefix in lower case
//! (`sha256$`, `md5$`; the 1EdTech validator's pattern requires it), then the hex digest (either case) of the
//! identity followed by the salt. A malformed hash is an error in validation and never matches in
//! verification.

use md5::Md5;
use sha2::{Digest, Sha256};

/// A hash algorithm the specifications allow for identities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashAlgorithm {
    /// `sha256$`, 64 hex digits.
    Sha256,
    /// `md5$`, 32 hex digits (OB 2.0 allows it; prefer SHA-256).
    Md5,
}

impl HashAlgorithm {
    /// The prefix, with its `$`.
    pub fn prefix(self) -> &'static str {
        match self {
            HashAlgorithm::Sha256 => "sha256$",
            HashAlgorithm::Md5 => "md5$",
        }
    }

    fn hex_len(self) -> usize {
        match self {
            HashAlgorithm::Sha256 => 64,
            HashAlgorithm::Md5 => 32,
        }
    }

    fn digest_hex(self, input: &[u8]) -> String {
        match self {
            HashAlgorithm::Sha256 => to_hex(&Sha256::digest(input)),
            HashAlgorithm::Md5 => to_hex(&Md5::digest(input)),
        }
    }
}

/// A well-formed hashed identity: its algorithm and its digest in lower-case hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashedIdentity {
    /// The algorithm.
    pub algorithm: HashAlgorithm,
    /// The digest, lower-case hex.
    pub hex: String,
}

/// `s` as a hashed identity, or `None` when it is not one (wrong or upper-case prefix, wrong length,
/// a character that is not a hex digit).
pub fn parse_hash(s: &str) -> Option<HashedIdentity> {
    [HashAlgorithm::Sha256, HashAlgorithm::Md5]
        .into_iter()
        .find_map(|algorithm| {
            let hex = s.strip_prefix(algorithm.prefix())?;
            (hex.len() == algorithm.hex_len() && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(
                || HashedIdentity {
                    algorithm,
                    hex: hex.to_ascii_lowercase(),
                },
            )
        })
}

/// Whether `s` is a well-formed hashed identity (see [`parse_hash`]).
pub fn well_formed_hash(s: &str) -> bool {
    parse_hash(s).is_some()
}

/// The hashed form of `identity` with `salt`: `sha256$<hex>` (what an issuer writes).
pub fn hash(identity: &str, salt: &str, algorithm: HashAlgorithm) -> String {
    format!(
        "{}{}",
        algorithm.prefix(),
        algorithm.digest_hex(format!("{identity}{salt}").as_bytes())
    )
}

/// Whether the hashed identity `stated` (from the badge) is the hash of `given` + `salt`. A malformed
/// `stated` never matches. Emails are tried as given and lower-cased, since issuers hash either; a
/// `mailto:` prefix on `given` is dropped.
pub fn hash_matches(stated: &str, given: &str, salt: &str) -> bool {
    let Some(h) = parse_hash(stated) else {
        return false;
    };
    let given = given.strip_prefix("mailto:").unwrap_or(given);
    let mut candidates = vec![given.to_owned()];
    if given.contains('@') && given.to_ascii_lowercase() != given {
        candidates.push(given.to_ascii_lowercase());
    }
    candidates
        .iter()
        .any(|c| h.algorithm.digest_hex(format!("{c}{salt}").as_bytes()) == h.hex)
}

/// Whether `stated` (from the badge) and `given` (from the holder) name the same plain identity: equal,
/// equal ignoring case for emails, or equal after dropping a `mailto:` / `tel:` scheme.
pub fn same_id(stated: &str, given: &str) -> bool {
    let norm = |s: &str| {
        let s = s.trim();
        let s = s
            .strip_prefix("mailto:")
            .or_else(|| s.strip_prefix("tel:"))
            .unwrap_or(s);
        if s.contains('@') {
            s.to_ascii_lowercase()
        } else {
            s.to_owned()
        }
    };
    norm(stated) == norm(given)
}

fn to_hex(b: &[u8]) -> String {
    use std::fmt::Write as _;
    b.iter()
        .fold(String::with_capacity(b.len() * 2), |mut s, x| {
            let _ = write!(s, "{x:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_example_hash_matches() {
        // OB 3.0 spec: SHA-256("a@example.com" + "Kosher").
        let h = "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399";
        assert!(hash_matches(h, "a@example.com", "Kosher"));
        assert_eq!(hash("a@example.com", "Kosher", HashAlgorithm::Sha256), h);
        // Hex digits in either case; the identity's case for emails.
        let upper_hex = format!("sha256${}", h[7..].to_ascii_uppercase());
        assert!(hash_matches(&upper_hex, "A@example.com", "Kosher"));
        assert!(!hash_matches(h, "b@example.com", "Kosher"));
        // MD5, as OB 2.0 allows (value computed with Python's hashlib).
        assert!(hash_matches(
            "md5$4db814360656665a8633fb1ba8d9276f",
            "learner@example.org",
            "pepper"
        ));
        assert!(!hash_matches(
            "md5$4db814360656665a8633fb1ba8d9276f",
            "learner@example.org",
            "salt"
        ));
    }

    /// The prefix is written as the specifications write it: an upper-case one is malformed, and a
    /// malformed hash never matches, even when its digest is right.
    #[test]
    fn an_upper_case_prefix_is_malformed_and_never_matches() {
        let h = "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399";
        let upper = h.replace("sha256$", "SHA256$");
        assert!(well_formed_hash(h));
        assert!(!well_formed_hash(&upper));
        assert!(!hash_matches(&upper, "a@example.com", "Kosher"));
        assert!(!well_formed_hash("sha256$abc"));
        assert!(!well_formed_hash(&format!("sha256${}", "g".repeat(64))));
        assert!(well_formed_hash(&format!("md5${}", "A".repeat(32))));
        assert!(!well_formed_hash(&format!("sha1${}", "a".repeat(40))));
    }

    #[test]
    fn plain_ids() {
        assert!(same_id("mailto:Ada@Example.org", "ada@example.org"));
        assert!(same_id("did:example:1", "did:example:1"));
        assert!(!same_id("did:example:1", "did:example:2"));
    }
}
