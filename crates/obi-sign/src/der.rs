//! The little DER reading RSA key export needs: PKCS#8 → the integers of PKCS#1 `RSAPrivateKey`.
//! Written by hand because aws-lc-rs exports keys only as DER and the RSA crates that parse it would
//! bring a second RSA implementation along; the structure read here is fixed (RFC 5208, RFC 8017 A.1.2).

use crate::SignError;
use crate::keys::RsaParts;

fn bad(what: &str) -> SignError {
    SignError::Key(format!("malformed RSA private key: {what}"))
}

/// One TLV: (tag, contents, rest).
fn tlv(input: &[u8]) -> Result<(u8, &[u8], &[u8]), SignError> {
    let (&tag, rest) = input.split_first().ok_or_else(|| bad("truncated"))?;
    let (&first, mut rest) = rest.split_first().ok_or_else(|| bad("truncated length"))?;
    let len = if first < 0x80 {
        first as usize
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return Err(bad("bad length"));
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | *b as usize);
        rest = &rest[n..];
        len
    };
    if rest.len() < len {
        return Err(bad("length past the end"));
    }
    Ok((tag, &rest[..len], &rest[len..]))
}

/// The RSA components of a PKCS#8 `PrivateKeyInfo` (or a bare PKCS#1 `RSAPrivateKey`).
pub(crate) fn rsa_from_pkcs8(der: &[u8]) -> Result<RsaParts, SignError> {
    let (tag, seq, _) = tlv(der)?;
    if tag != 0x30 {
        return Err(bad("not a SEQUENCE"));
    }
    // PKCS#8: INTEGER version, SEQUENCE algorithm, OCTET STRING privateKey.
    let (t0, _, rest) = tlv(seq)?;
    let (t1, _, rest2) = tlv(rest)?;
    let inner = if t0 == 0x02 && t1 == 0x30 {
        let (t2, octets, _) = tlv(rest2)?;
        if t2 != 0x04 {
            return Err(bad("no private key OCTET STRING"));
        }
        let (t, s, _) = tlv(octets)?;
        if t != 0x30 {
            return Err(bad("RSAPrivateKey is not a SEQUENCE"));
        }
        s
    } else {
        seq
    };
    let mut ints = Vec::new();
    let mut rest = inner;
    while !rest.is_empty() && ints.len() < 9 {
        let (t, v, r) = tlv(rest)?;
        if t != 0x02 {
            return Err(bad("expected an INTEGER"));
        }
        // DER integers are signed: drop the sign byte JWK does not carry.
        let v = match v {
            [0, tail @ ..] if !tail.is_empty() => tail,
            v => v,
        };
        ints.push(v.to_vec());
        rest = r;
    }
    RsaParts::from_ints(&ints)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for input in [
            &[][..],
            &[0x30],
            &[0x30, 0x85, 1, 2, 3, 4, 5],
            &[0x30, 0x02, 0x02, 0x05],
        ] {
            assert!(rsa_from_pkcs8(input).is_err());
        }
    }
}
