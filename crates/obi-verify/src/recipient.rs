//! Does a badge name this person? Plain identities, `mailto:` forms, and salted hashes
//! (`sha256$hex` / `md5$hex` of identity + salt), as OB 2.0 `recipient` and OB 3.0 `identifier` use.

use md5::Md5;
use sha2::{Digest, Sha256};

/// Whether `stated` (from the badge) and `given` (from the holder) name the same identity: equal, equal
/// ignoring case for emails, or equal after dropping a `mailto:` / `tel:` scheme.
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

/// Whether `hash` (`sha256$…` or `md5$…`, hex in either case) is the hash of `given` + `salt`. Emails are
/// tried as given and lower-cased, since issuers hash either.
pub fn hash_matches(hash: &str, given: &str, salt: &str) -> bool {
    let Some((alg, hex)) = hash.split_once('$') else {
        return false;
    };
    let hex = hex.to_ascii_lowercase();
    let given = given.strip_prefix("mailto:").unwrap_or(given);
    let mut candidates = vec![given.to_owned()];
    if given.contains('@') && given.to_ascii_lowercase() != given {
        candidates.push(given.to_ascii_lowercase());
    }
    candidates.iter().any(|c| {
        let input = format!("{c}{salt}");
        let digest = match alg.to_ascii_lowercase().as_str() {
            "sha256" => to_hex(&Sha256::digest(input.as_bytes())),
            "md5" => to_hex(&Md5::digest(input.as_bytes())),
            _ => return false,
        };
        digest == hex
    })
}

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_example_hash_matches() {
        // OB 3.0 spec: SHA-256("a@example.com" + "Kosher").
        let h = "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399";
        assert!(hash_matches(h, "a@example.com", "Kosher"));
        assert!(hash_matches(
            &h.to_ascii_uppercase().replace("SHA256", "sha256"),
            "A@example.com",
            "Kosher"
        ));
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

    #[test]
    fn plain_ids() {
        assert!(same_id("mailto:Ada@Example.org", "ada@example.org"));
        assert!(same_id("did:example:1", "did:example:1"));
        assert!(!same_id("did:example:1", "did:example:2"));
    }
}
