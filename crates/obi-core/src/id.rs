//! Identifiers compared as their schemes say: one function for revocation lists, issuer binding, subject
//! and endorsement targets, so no two places disagree on whether two spellings name the same thing.
//!
//! - `urn:uuid:` ids compare case-insensitively (RFC 9562 §4: UUIDs are case-insensitive on input).
//! - `http(s)` URLs compare after RFC 3986 §6.2.2 normalization: scheme and host lower-cased, the default
//!   port dropped, percent-encoded unreserved characters decoded, other percent-encodings upper-cased, an
//!   empty path as `/`, dot segments removed.
//! - Anything else (DIDs, other URNs, emails) compares byte for byte: DID method-specific ids are case
//!   sensitive, and a verifier must not merge what the issuer kept apart.

use std::borrow::Cow;

/// Whether `a` and `b` are the same identifier (see the module docs).
pub fn same_id(a: &str, b: &str) -> bool {
    a == b || normalize(a) == normalize(b)
}

/// The form of `id` that [`same_id`] compares: the normalized URL or `urn:uuid:`, or `id` unchanged.
pub fn normalize(id: &str) -> Cow<'_, str> {
    // `get`, not slicing: the prefix length may fall inside a multi-byte character of outside input.
    let lower_prefix = |p: &str| id.get(..p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p));
    if lower_prefix("urn:uuid:") {
        return Cow::Owned(id.to_ascii_lowercase());
    }
    if (lower_prefix("https://") || lower_prefix("http://"))
        && let Ok(url) = url::Url::parse(&decode_unreserved(id))
    {
        // `url` lower-cases scheme and host, drops the default port, resolves dot segments and
        // gives an empty path as "/".
        return Cow::Owned(url.to_string());
    }
    Cow::Borrowed(id)
}

/// `%41` → `A` for unreserved characters (ALPHA / DIGIT / `-` `.` `_` `~`); other escapes upper-cased.
fn decode_unreserved(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() && s.is_char_boundary(i + 3) {
            let hex = &s[i + 1..i + 3];
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                if v.is_ascii_alphanumeric() || matches!(v, b'-' | b'.' | b'_' | b'~') {
                    out.push(v as char);
                } else {
                    out.push('%');
                    out.push_str(&hex.to_ascii_uppercase());
                }
                i += 3;
                continue;
            }
        }
        // Copy one UTF-8 character.
        let ch = s[i..].chars().next().unwrap_or('\u{fffd}');
        out.push(ch);
        i += ch.len_utf8().max(1);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_ignore_case() {
        assert!(same_id(
            "urn:uuid:A1B2C3D4-0000-4000-8000-000000000001",
            "URN:UUID:a1b2c3d4-0000-4000-8000-000000000001"
        ));
        assert!(!same_id(
            "urn:uuid:a1b2c3d4-0000-4000-8000-000000000001",
            "urn:uuid:a1b2c3d4-0000-4000-8000-000000000002"
        ));
    }

    #[test]
    fn urls_normalize() {
        assert!(same_id(
            "HTTPS://Issuer.Example:443/a/%7Euser/../b",
            "https://issuer.example/a/b"
        ));
        assert!(same_id("https://issuer.example", "https://issuer.example/"));
        assert!(same_id(
            "https://issuer.example/%61ssertion",
            "https://issuer.example/assertion"
        ));
        assert!(same_id(
            "https://e.example/a%2fb",
            "https://e.example/a%2Fb"
        ));
        assert!(!same_id("https://e.example/a%2Fb", "https://e.example/a/b"));
        assert!(!same_id("https://e.example:8443/", "https://e.example/"));
        assert!(!same_id("https://e.example/A", "https://e.example/a"));
        assert!(!same_id("http://e.example/", "https://e.example/"));
    }

    #[test]
    fn multi_byte_characters_at_the_prefix_length_do_not_panic() {
        assert!(!same_id("1234567€x", "urn:uuid:x"));
        assert!(!same_id("htt€p://x", "http://x"));
    }

    #[test]
    fn others_byte_for_byte() {
        assert!(!same_id("did:web:Example.com", "did:web:example.com"));
        assert!(same_id("did:key:z6Mk", "did:key:z6Mk"));
        assert!(!same_id("https://e.example/%", "https://e.example/%25"));
    }
}
