//! The bitstrings of W3C Bitstring Status Lists (v1.0): `encodedList` is the multibase (`u`, base64url
//! without padding) of the GZIP of the bitstring; entry `i` of a list of `statusSize`-bit entries is the
//! `statusSize` bits from bit `i × statusSize`, bit 0 being the most significant bit of the first byte.
//! No I/O: the verifier fetches the list credential, this reads and writes its bits.

use std::io::{Read as _, Write as _};

use base64::Engine as _;

use crate::CoreError;

/// The shortest bitstring a list may have: 131,072 bits (16 KiB), so that one credential's entry does not
/// stand out (herd privacy).
pub const MIN_BITS: usize = 131_072;

/// The largest decompressed bitstring read (16 MiB, 134 M one-bit entries): a GZIP bomb stops here.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// The largest `statusSize` read: an entry is returned as a `u64`.
pub const MAX_STATUS_SIZE: u32 = 64;

/// `encodedList` for `bits`: `u` + base64url (no padding) of their GZIP. `bits` is used as given; pad it
/// to [`MIN_BITS`] for a list others will accept.
pub fn encode(bits: &[u8]) -> Result<String, CoreError> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bits)
        .map_err(|e| CoreError::StatusList(e.to_string()))?;
    let gz = gz
        .finish()
        .map_err(|e| CoreError::StatusList(e.to_string()))?;
    Ok(format!(
        "u{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(gz)
    ))
}

/// The bitstring of `encodedList` (older lists omit the multibase `u`), decompressed under [`MAX_BYTES`].
/// Its length is not checked here (see [`MIN_BITS`]).
pub fn decode(encoded: &str) -> Result<Vec<u8>, CoreError> {
    let b64 = encoded.strip_prefix('u').unwrap_or(encoded);
    let gz = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(b64.trim_end_matches('='))
        .map_err(|_| CoreError::StatusList("encodedList is not base64url".into()))?;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .take(MAX_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| CoreError::StatusList(format!("encodedList is not GZIP: {e}")))?;
    if out.len() > MAX_BYTES {
        return Err(CoreError::StatusList(format!(
            "the status list inflates past {MAX_BYTES} bytes"
        )));
    }
    Ok(out)
}

/// The value of entry `index` of `size` bits (most significant bit first), or `None` when the entry does
/// not lie wholly inside `bits` or `size` is not 1..=[`MAX_STATUS_SIZE`].
pub fn entry(bits: &[u8], index: u64, size: u32) -> Option<u64> {
    let (start, len) = span(bits, index, size)?;
    let mut value = 0u64;
    for bit in start..start + len {
        let set = bits.get(bit / 8)? & (0x80 >> (bit % 8)) != 0;
        value = (value << 1) | u64::from(set);
    }
    Some(value)
}

/// Set entry `index` of `size` bits to `value` (its low `size` bits); false when the entry does not lie
/// wholly inside `bits` or `size` is out of range. For issuers and tests.
pub fn set_entry(bits: &mut [u8], index: u64, size: u32, value: u64) -> bool {
    let Some((start, len)) = span(bits, index, size) else {
        return false;
    };
    for (k, bit) in (start..start + len).enumerate() {
        let on = (value >> (len - 1 - k)) & 1 == 1;
        let Some(byte) = bits.get_mut(bit / 8) else {
            return false;
        };
        let mask = 0x80u8 >> (bit % 8);
        if on {
            *byte |= mask;
        } else {
            *byte &= !mask;
        }
    }
    true
}

/// The first bit and the length of an entry, if it fits.
fn span(bits: &[u8], index: u64, size: u32) -> Option<(usize, usize)> {
    if size == 0 || size > MAX_STATUS_SIZE {
        return None;
    }
    let start = index.checked_mul(u64::from(size))?;
    let end = start.checked_add(u64::from(size))?;
    let total = u64::try_from(bits.len()).ok()?.checked_mul(8)?;
    if end > total {
        return None;
    }
    Some((usize::try_from(start).ok()?, size as usize))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bit_is_the_most_significant_bit_of_the_first_byte() {
        let mut bits = vec![0u8; 4];
        assert!(set_entry(&mut bits, 0, 1, 1));
        assert_eq!(bits[0], 0x80);
        assert!(set_entry(&mut bits, 9, 1, 1));
        assert_eq!(bits[1], 0x40);
        assert_eq!(entry(&bits, 9, 1), Some(1));
        assert_eq!(entry(&bits, 8, 1), Some(0));
    }

    #[test]
    fn entries_of_several_bits() {
        let mut bits = vec![0u8; 2];
        // Entry 1 of 2-bit entries is bits 2 and 3.
        assert!(set_entry(&mut bits, 1, 2, 0b10));
        assert_eq!(bits[0], 0b0010_0000);
        assert_eq!(entry(&bits, 1, 2), Some(2));
        assert_eq!(entry(&bits, 0, 2), Some(0));
        assert_eq!(entry(&bits, 7, 2), Some(0));
        assert_eq!(entry(&bits, 8, 2), None, "past the end");
        assert_eq!(entry(&bits, 0, 0), None);
        assert_eq!(entry(&bits, u64::MAX, 8), None, "no overflow");
    }

    #[test]
    fn round_trip() {
        let mut bits = vec![0u8; MIN_BITS / 8];
        set_entry(&mut bits, 4242, 1, 1);
        let back = decode(&encode(&bits).unwrap()).unwrap();
        assert_eq!(back, bits);
        assert!(decode("u!!").is_err());
    }
}
