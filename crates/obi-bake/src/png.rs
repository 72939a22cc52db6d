//! PNG: badge payloads in `iTXt` (and legacy `tEXt` / `zTXt`) chunks.
//!
//! Written by hand on `crc32fast` and `flate2` rather than with `img-parts` or `png`: baking must stream
//! (`Read` in, `Write` out, bounded memory), extraction must stop once the badge is found instead of reading
//! the whole image, and every error must carry the byte offset. Chunk data is copied, never decoded.

use std::io::{self, Read, Write};

use crate::{
    BakeError, Baked, ExtractError, Format, Kind, MAX_PAYLOAD_BYTES, Payload, Version,
    check_payload,
};

/// The 8-byte PNG signature.
pub const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
/// The `iTXt` / `tEXt` keyword for Open Badges 2.0 (and 1.x).
pub const KEYWORD_OB2: &str = "openbadges";
/// The `iTXt` keyword for Open Badges 3.0.
pub const KEYWORD_OB3: &str = "openbadgecredential";
/// The largest chunk length the PNG specification allows (2^31 - 1).
pub const MAX_CHUNK_LEN: u32 = 0x7fff_ffff;

struct ChunkHeader {
    offset: u64,
    len: u32,
    ty: [u8; 4],
}

struct Chunks<R> {
    r: R,
    pos: u64,
}

impl<R: Read> Chunks<R> {
    fn new(mut r: R) -> Result<Self, ExtractError> {
        let mut sig = [0u8; 8];
        read_exact_at(&mut r, &mut sig, 0, "the PNG signature")?;
        if sig != SIGNATURE {
            return Err(err(0, "not the PNG signature"));
        }
        Ok(Chunks { r, pos: 8 })
    }

    /// The next chunk header, or None at a clean end of file.
    fn next_header(&mut self) -> Result<Option<ChunkHeader>, ExtractError> {
        let mut h = [0u8; 8];
        let mut got = 0;
        while got < 8 {
            match self.r.read(&mut h[got..]) {
                Ok(0) if got == 0 => return Ok(None),
                Ok(0) => {
                    return Err(err(
                        self.pos + got as u64,
                        "file ends inside a chunk header",
                    ));
                }
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
        let len = u32::from_be_bytes([h[0], h[1], h[2], h[3]]);
        let ty = [h[4], h[5], h[6], h[7]];
        if len > MAX_CHUNK_LEN {
            return Err(err(
                self.pos,
                &format!("chunk length {len} is over the PNG limit of 2^31-1"),
            ));
        }
        if !ty.iter().all(u8::is_ascii_alphabetic) {
            return Err(err(
                self.pos + 4,
                &format!(
                    "chunk type {:?} is not four ASCII letters",
                    String::from_utf8_lossy(&ty)
                ),
            ));
        }
        let hdr = ChunkHeader {
            offset: self.pos,
            len,
            ty,
        };
        self.pos += 8;
        Ok(Some(hdr))
    }

    /// Read a chunk's data and check its CRC. Refuses chunks larger than `limit`.
    fn read_data(&mut self, h: &ChunkHeader, limit: usize) -> Result<Vec<u8>, ExtractError> {
        if h.len as usize > limit {
            return Err(err(
                h.offset,
                &format!(
                    "{} chunk of {} bytes is larger than obi reads ({limit})",
                    name(&h.ty),
                    h.len
                ),
            ));
        }
        let mut data = Vec::new();
        let got = (&mut self.r)
            .take(u64::from(h.len))
            .read_to_end(&mut data)?;
        if got < h.len as usize {
            return Err(err(
                self.pos + got as u64,
                &format!(
                    "file ends inside the {} chunk that starts at byte {}",
                    name(&h.ty),
                    h.offset
                ),
            ));
        }
        self.pos += u64::from(h.len);
        let mut crc = [0u8; 4];
        read_exact_at(&mut self.r, &mut crc, self.pos, "a chunk CRC")?;
        let mut hasher = crc32fast::Hasher::new();
        hasher.update(&h.ty);
        hasher.update(&data);
        if hasher.finalize() != u32::from_be_bytes(crc) {
            return Err(err(
                self.pos,
                &format!(
                    "CRC of the {} chunk that starts at byte {} is wrong",
                    name(&h.ty),
                    h.offset
                ),
            ));
        }
        self.pos += 4;
        Ok(data)
    }

    /// Copy a chunk's data and CRC to `w` (or skip them when `w` is None) without looking at them.
    fn pass(&mut self, h: &ChunkHeader, w: Option<&mut dyn Write>) -> Result<(), BakeError> {
        let total = u64::from(h.len) + 4;
        let copied = match w {
            Some(w) => io::copy(&mut (&mut self.r).take(total), w)?,
            None => io::copy(&mut (&mut self.r).take(total), &mut io::sink())?,
        };
        if copied < total {
            return Err(err(
                self.pos + copied,
                &format!(
                    "file ends inside the {} chunk that starts at byte {}",
                    name(&h.ty),
                    h.offset
                ),
            )
            .into());
        }
        self.pos += total;
        Ok(())
    }
}

fn read_exact_at(
    r: &mut impl Read,
    buf: &mut [u8],
    pos: u64,
    what: &str,
) -> Result<(), ExtractError> {
    r.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => err(pos, &format!("file ends inside {what}")),
        _ => ExtractError::Io(e),
    })
}

fn err(offset: u64, message: &str) -> ExtractError {
    ExtractError::Png {
        offset,
        message: message.to_owned(),
    }
}

fn name(ty: &[u8; 4]) -> String {
    String::from_utf8_lossy(ty).into_owned()
}

fn is_text_chunk(ty: &[u8; 4]) -> bool {
    matches!(ty, b"iTXt" | b"tEXt" | b"zTXt")
}

/// Extract every badge payload from a PNG read as a stream. Stops at the first `IDAT` when a payload has
/// been found before it (bakers put it right after `IHDR`), so the cost does not grow with the image;
/// otherwise reads to the end, for bakers that append. Memory stays bounded by [`MAX_PAYLOAD_BYTES`].
/// [`extract_stream_all`] reads every chunk instead.
pub fn extract_stream(r: impl Read) -> Result<Vec<Baked>, ExtractError> {
    scan(r, true)
}

/// Every badge payload in a PNG: every text chunk to `IEND`, and then any well-formed chunks that follow
/// `IEND` (some readers go on past it; trailing bytes that are not chunks are ignored, as PNG decoders
/// ignore them). The cost grows with the image, but non-text chunks are skipped unread.
pub fn extract_stream_all(r: impl Read) -> Result<Vec<Baked>, ExtractError> {
    scan(r, false)
}

fn scan(r: impl Read, stop_early: bool) -> Result<Vec<Baked>, ExtractError> {
    let mut chunks = Chunks::new(r)?;
    let mut found = Vec::new();
    let mut first = true;
    while let Some(h) = chunks.next_header()? {
        if first && &h.ty != b"IHDR" {
            return Err(err(
                h.offset,
                &format!("the first chunk is {}, not IHDR", name(&h.ty)),
            ));
        }
        first = false;
        if is_text_chunk(&h.ty) {
            // A text chunk's keyword comes first; non-badge text chunks are skipped unread when large.
            let data = chunks.read_data(&h, MAX_PAYLOAD_BYTES + 1024)?;
            if let Some(b) = parse_text_chunk(&h, &data)? {
                found.push(b);
            }
            continue;
        }
        if &h.ty == b"IDAT" && !found.is_empty() && stop_early {
            break;
        }
        if &h.ty == b"IEND" {
            if !stop_early && chunks.pass(&h, None).is_ok() {
                trailing(&mut chunks, &mut found);
            }
            break;
        }
        chunks.pass(&h, None).map_err(|e| match e {
            BakeError::Image(e) => e,
            BakeError::Io(e) => ExtractError::Io(e),
            other => ExtractError::Png {
                offset: h.offset,
                message: other.to_string(),
            },
        })?;
    }
    if first {
        return Err(err(8, "no chunks after the signature"));
    }
    Ok(found)
}

/// Badge chunks after `IEND`, for readers that do not stop there. Best effort: the first thing that is
/// not a well-formed chunk ends the search without an error.
fn trailing<R: Read>(chunks: &mut Chunks<R>, found: &mut Vec<Baked>) {
    while let Ok(Some(h)) = chunks.next_header() {
        if is_text_chunk(&h.ty) {
            match chunks.read_data(&h, MAX_PAYLOAD_BYTES + 1024) {
                Ok(data) => {
                    if let Ok(Some(b)) = parse_text_chunk(&h, &data) {
                        found.push(b);
                    }
                }
                Err(_) => return,
            }
        } else if chunks.pass(&h, None).is_err() {
            return;
        }
    }
}

fn parse_text_chunk(h: &ChunkHeader, data: &[u8]) -> Result<Option<Baked>, ExtractError> {
    let Some(nul) = data.iter().position(|&b| b == 0) else {
        return Err(err(
            h.offset + 8,
            &format!("{} chunk has no keyword terminator", name(&h.ty)),
        ));
    };
    let version = match &data[..nul] {
        k if k == KEYWORD_OB3.as_bytes() => Version::Ob3,
        k if k == KEYWORD_OB2.as_bytes() => Version::Ob2,
        _ => return Ok(None),
    };
    let rest = &data[nul + 1..];
    let data_offset = h.offset + 8 + nul as u64 + 1;
    let text = match &h.ty {
        b"tEXt" => rest.iter().map(|&b| b as char).collect::<String>(), // Latin-1
        b"zTXt" => {
            let Some((&0, compressed)) = rest.split_first() else {
                return Err(err(
                    data_offset,
                    "zTXt chunk with an unknown compression method",
                ));
            };
            latin1(&inflate(compressed, data_offset + 1)?)
        }
        _ => {
            // iTXt: compression flag, method, language tag \0, translated keyword \0, text
            if rest.len() < 2 {
                return Err(err(data_offset, "iTXt chunk is too short"));
            }
            let (flag, method) = (rest[0], rest[1]);
            let after = &rest[2..];
            let lang_end = after
                .iter()
                .position(|&b| b == 0)
                .ok_or_else(|| err(data_offset + 2, "iTXt language tag is not terminated"))?;
            let after_lang = &after[lang_end + 1..];
            let tk_end = after_lang.iter().position(|&b| b == 0).ok_or_else(|| {
                err(
                    data_offset + 3 + lang_end as u64,
                    "iTXt translated keyword is not terminated",
                )
            })?;
            let body = &after_lang[tk_end + 1..];
            let body_offset = data_offset + 2 + lang_end as u64 + 1 + tk_end as u64 + 1;
            let bytes = match (flag, method) {
                (0, _) => body.to_vec(),
                (1, 0) => inflate(body, body_offset)?,
                _ => {
                    return Err(err(
                        data_offset,
                        &format!("iTXt compression flag {flag} / method {method} is not defined"),
                    ));
                }
            };
            String::from_utf8(bytes).map_err(|e| {
                err(
                    body_offset + e.utf8_error().valid_up_to() as u64,
                    "iTXt text is not UTF-8",
                )
            })?
        }
    };
    let text = text.trim().to_owned();
    let kind = Kind::of(&text).ok_or_else(|| {
        err(
            h.offset,
            &format!(
                "the {} chunk's payload is neither JSON, a JWS nor a URL",
                name(&h.ty)
            ),
        )
    })?;
    Ok(Some(Baked {
        version,
        kind,
        text,
        format: Format::Png,
        offset: h.offset,
        container: match &h.ty {
            b"tEXt" => "tEXt",
            b"zTXt" => "zTXt",
            _ => "iTXt",
        },
    }))
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

/// Inflate zlib data, refusing output beyond [`MAX_PAYLOAD_BYTES`] (a decompression bomb stops there).
fn inflate(compressed: &[u8], offset: u64) -> Result<Vec<u8>, ExtractError> {
    let mut out = Vec::new();
    let mut dec = flate2::read::ZlibDecoder::new(compressed).take(MAX_PAYLOAD_BYTES as u64 + 1);
    dec.read_to_end(&mut out)
        .map_err(|e| err(offset, &format!("compressed text does not inflate: {e}")))?;
    if out.len() > MAX_PAYLOAD_BYTES {
        return Err(err(
            offset,
            &format!("compressed text inflates to more than {MAX_PAYLOAD_BYTES} bytes"),
        ));
    }
    Ok(out)
}

/// Bake into a PNG read as a stream, writing the result to `w`: the signature and `IHDR`, then the badge
/// chunk, then every other chunk byte for byte, minus any earlier badge payload of either version.
pub fn bake_stream(r: impl Read, mut w: impl Write, payload: &Payload) -> Result<(), BakeError> {
    let kind = check_payload(payload)?;
    let mut chunks = Chunks::new(r)?;
    w.write_all(&SIGNATURE)?;
    let Some(ihdr) = chunks.next_header()? else {
        return Err(err(8, "no chunks after the signature").into());
    };
    if &ihdr.ty != b"IHDR" {
        return Err(err(
            ihdr.offset,
            &format!("the first chunk is {}, not IHDR", name(&ihdr.ty)),
        )
        .into());
    }
    let data = chunks.read_data(&ihdr, 64)?;
    write_chunk(&mut w, b"IHDR", &data)?;
    write_chunk(
        &mut w,
        if kind == Kind::Url { b"tEXt" } else { b"iTXt" },
        &badge_chunk_data(payload, kind),
    )?;
    let mut ended = false;
    while let Some(h) = chunks.next_header()? {
        if is_text_chunk(&h.ty) {
            let data = chunks.read_data(&h, MAX_CHUNK_LEN as usize)?;
            let keyword = data.split(|&b| b == 0).next().unwrap_or(&[]);
            if keyword == KEYWORD_OB2.as_bytes() || keyword == KEYWORD_OB3.as_bytes() {
                continue; // an earlier badge: replaced
            }
            write_chunk(&mut w, &h.ty, &data)?;
            continue;
        }
        w.write_all(&h.len.to_be_bytes())?;
        w.write_all(&h.ty)?;
        chunks.pass(&h, Some(&mut w))?;
        if &h.ty == b"IEND" {
            ended = true;
            break;
        }
    }
    if !ended {
        return Err(err(chunks.pos, "the PNG has no IEND chunk (truncated?)").into());
    }
    Ok(())
}

/// The data of the badge chunk: uncompressed `iTXt` (or legacy `tEXt` for a bare URL).
fn badge_chunk_data(payload: &Payload, kind: Kind) -> Vec<u8> {
    let keyword = match payload.version {
        Version::Ob3 => KEYWORD_OB3,
        Version::Ob2 => KEYWORD_OB2,
    };
    let mut d = Vec::with_capacity(payload.text.len() + keyword.len() + 5);
    d.extend_from_slice(keyword.as_bytes());
    d.push(0);
    if kind != Kind::Url {
        d.extend_from_slice(&[0, 0, 0, 0]); // not compressed, method 0, no language tag, no translated keyword
    }
    d.extend_from_slice(payload.text.as_bytes());
    d
}

fn write_chunk(w: &mut impl Write, ty: &[u8; 4], data: &[u8]) -> io::Result<()> {
    let len = u32::try_from(data.len()).map_err(|_| io::Error::other("chunk too large"))?;
    w.write_all(&len.to_be_bytes())?;
    w.write_all(ty)?;
    w.write_all(data)?;
    let mut h = crc32fast::Hasher::new();
    h.update(ty);
    h.update(data);
    w.write_all(&h.finalize().to_be_bytes())
}

/// Small PNGs for tests and examples.
#[doc(hidden)]
pub mod tests_support {
    /// A valid 1×1 PNG.
    pub fn tiny_png() -> Vec<u8> {
        // zlib stream of one scanline: filter byte 0 + one grey pixel 0
        png_with(&[(
            b"IDAT",
            vec![0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01],
        )])
    }

    /// A PNG with an arbitrary chunk list after IHDR (each `(type, data)`), then IEND.
    pub fn png_with(chunks: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
        let mut v = super::SIGNATURE.to_vec();
        super::write_chunk(&mut v, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]).expect("vec");
        for (ty, data) in chunks {
            super::write_chunk(&mut v, ty, data).expect("vec");
        }
        super::write_chunk(&mut v, b"IEND", &[]).expect("vec");
        v
    }

    /// Raw chunk bytes (length, type, data, CRC).
    pub fn chunk_bytes(ty: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        super::write_chunk(&mut v, ty, data).expect("vec");
        v
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::*;
    use super::*;
    use crate::{bake, extract, extract_all};

    const JSON: &str = r#"{"@context": "https://w3id.org/openbadges/v2", "id": "https://x.org/a"}"#;

    fn chunk_types(png: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        let mut i = 8;
        while i + 8 <= png.len() {
            let len = u32::from_be_bytes(png[i..i + 4].try_into().unwrap()) as usize;
            out.push(String::from_utf8_lossy(&png[i + 4..i + 8]).into_owned());
            i += 12 + len;
        }
        out
    }

    #[test]
    fn bake_puts_itxt_after_ihdr_and_keeps_image_data() {
        let png = tiny_png();
        let baked = bake(&png, &Payload::new(Version::Ob2, JSON)).unwrap();
        assert_eq!(chunk_types(&baked), ["IHDR", "iTXt", "IDAT", "IEND"]);
        let idat = |p: &[u8]| {
            p.windows(4)
                .position(|w| w == b"IDAT")
                .map(|i| p[i - 4..].to_vec())
                .unwrap()
        };
        assert_eq!(idat(&png), idat(&baked), "IDAT and IEND byte-identical");
        let b = extract(&baked).unwrap().unwrap();
        assert_eq!(
            (b.version, b.kind, b.text.as_str()),
            (Version::Ob2, Kind::Json, JSON)
        );
    }

    #[test]
    fn rebake_replaces_both_versions() {
        let png = tiny_png();
        let once = bake(&png, &Payload::new(Version::Ob2, JSON)).unwrap();
        let twice = bake(&once, &Payload::new(Version::Ob3, "{\"v\": 3}")).unwrap();
        let all = extract_all(&twice).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].version, Version::Ob3);
        let back = bake(&twice, &Payload::new(Version::Ob2, JSON)).unwrap();
        assert_eq!(
            extract_all(&back)
                .unwrap()
                .iter()
                .map(|b| b.version)
                .collect::<Vec<_>>(),
            [Version::Ob2]
        );
        assert_eq!(back, once, "baking is deterministic and leaves no residue");
    }

    #[test]
    fn both_versions_are_reported_ob3_first() {
        let mut ob2 = b"openbadges\0\0\0\0\0".to_vec();
        ob2.extend_from_slice(JSON.as_bytes());
        let mut ob3 = b"openbadgecredential\0\0\0\0\0".to_vec();
        ob3.extend_from_slice(b"{\"v\": 3}");
        let png = png_with(&[(b"iTXt", ob2), (b"iTXt", ob3)]);
        let all = extract_all(&png).unwrap();
        assert_eq!(
            all.iter().map(|b| b.version).collect::<Vec<_>>(),
            [Version::Ob3, Version::Ob2]
        );
    }

    #[test]
    fn url_goes_in_legacy_text_and_legacy_text_is_read() {
        let baked = bake(&tiny_png(), &Payload::new(Version::Ob2, "https://x.org/a")).unwrap();
        assert_eq!(chunk_types(&baked)[1], "tEXt");
        let b = extract(&baked).unwrap().unwrap();
        assert_eq!((b.kind, b.text.as_str()), (Kind::Url, "https://x.org/a"));
    }

    #[test]
    fn compressed_itxt_and_ztxt_are_read() {
        use std::io::Write as _;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(JSON.as_bytes()).unwrap();
        let compressed = z.finish().unwrap();
        let mut itxt = b"openbadges\0\x01\x00en\0\0".to_vec();
        itxt.extend_from_slice(&compressed);
        assert_eq!(
            extract(&png_with(&[(b"iTXt", itxt)]))
                .unwrap()
                .unwrap()
                .text,
            JSON
        );
        let mut ztxt = b"openbadges\0\x00".to_vec();
        ztxt.extend_from_slice(&compressed);
        assert_eq!(
            extract(&png_with(&[(b"zTXt", ztxt)]))
                .unwrap()
                .unwrap()
                .text,
            JSON
        );
    }

    #[test]
    fn nothing_baked_is_none() {
        assert_eq!(extract(&tiny_png()).unwrap(), None);
        let other = png_with(&[(b"tEXt", b"Comment\0hello".to_vec())]);
        assert_eq!(extract(&other).unwrap(), None);
    }

    fn offset_of(e: ExtractError) -> u64 {
        match e {
            ExtractError::Png { offset, .. } => offset,
            other => panic!("not a PNG error: {other}"),
        }
    }

    #[test]
    fn truncated_chunk_names_the_offset() {
        let mut png = png_with(&[(b"iTXt", b"openbadges\0\0\0\0\0{\"a\": 1}".to_vec())]);
        png.truncate(8 + 25 + 10);
        assert!(offset_of(extract(&png).unwrap_err()) > 8);
        assert!(bake(&png, &Payload::new(Version::Ob2, JSON)).is_err());
    }

    #[test]
    fn wrong_crc_is_refused() {
        let data = b"openbadges\0\0\0\0\0{\"a\": 1}".to_vec();
        let crc_at = 8 + 25 + 8 + data.len();
        let mut png = png_with(&[(b"iTXt", data)]);
        png[crc_at] ^= 0xff;
        let e = extract(&png).unwrap_err();
        assert!(e.to_string().contains("CRC"), "{e}");
        assert_eq!(offset_of(e), crc_at as u64);
    }

    #[test]
    fn huge_declared_lengths_are_refused_without_allocating() {
        for len in [0x8000_0000u32, 0xffff_ffff, 1 << 30] {
            let mut png = tiny_png()[..33].to_vec();
            png.extend_from_slice(&len.to_be_bytes());
            png.extend_from_slice(b"iTXt");
            png.extend_from_slice(b"openbadges\0");
            let e = extract(&png).unwrap_err();
            assert_eq!(offset_of(e), 33, "length {len}");
        }
        // A 1 GB IDAT that is not there: skipping it ends in a truncation error, not an allocation.
        let mut png = tiny_png()[..33].to_vec();
        png.extend_from_slice(&(1u32 << 30).to_be_bytes());
        png.extend_from_slice(b"IDAT");
        assert!(extract(&png).is_err());
    }

    #[test]
    fn ten_thousand_chunks() {
        let many: Vec<(&[u8; 4], Vec<u8>)> = (0..10_000)
            .map(|_| (b"tEXt", b"Comment\0x".to_vec()))
            .collect();
        let png = png_with(&many);
        assert_eq!(extract(&png).unwrap(), None);
        let baked = bake(&png, &Payload::new(Version::Ob2, JSON)).unwrap();
        assert_eq!(extract(&baked).unwrap().unwrap().text, JSON);
        assert_eq!(baked.len(), png.len() + 12 + 15 + JSON.len());
    }

    #[test]
    fn inflate_bomb_is_refused_in_bounded_memory() {
        use std::io::Write as _;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let block = vec![b' '; 1 << 20];
        for _ in 0..1024 {
            z.write_all(&block).unwrap(); // 1 GiB of spaces, about 1 MB compressed
        }
        let compressed = z.finish().unwrap();
        let mut itxt = b"openbadges\0\x01\x00\0\0".to_vec();
        itxt.extend_from_slice(&compressed);
        let e = extract(&png_with(&[(b"iTXt", itxt)])).unwrap_err();
        assert!(e.to_string().contains("inflates to more than"), "{e}");
    }

    #[test]
    fn non_utf8_itxt_is_an_error_and_latin1_text_is_read() {
        let e = extract(&png_with(&[(
            b"iTXt",
            b"openbadges\0\0\0\0\0{\"a\": \"\xff\"}".to_vec(),
        )]))
        .unwrap_err();
        assert!(e.to_string().contains("UTF-8"), "{e}");
        let b = extract(&png_with(&[(
            b"tEXt",
            b"openbadges\0{\"a\": \"\xe9\"}".to_vec(),
        )]))
        .unwrap()
        .unwrap();
        assert_eq!(b.text, "{\"a\": \"\u{e9}\"}");
    }

    #[test]
    fn not_png_and_bad_first_chunk() {
        assert!(matches!(
            extract(b"\x89PNG\r\n\x1a\x0b"),
            Err(ExtractError::UnknownFormat)
        ));
        let mut png = SIGNATURE.to_vec();
        png.extend(chunk_bytes(b"IDAT", b""));
        assert_eq!(offset_of(extract(&png).unwrap_err()), 8);
    }

    #[test]
    fn extract_all_reads_past_idat_and_iend() {
        let text = |kw: &str, body: &str| {
            let mut d = format!("{kw}\0\0\0\0\0").into_bytes();
            d.extend_from_slice(body.as_bytes());
            d
        };
        let mut png = png_with(&[
            (b"iTXt", text(KEYWORD_OB3, "{\"v\": 1}")),
            (b"IDAT", Vec::new()),
        ]);
        // a second credential after IDAT, a third after IEND
        let iend = png.len() - 12;
        let tail = png.split_off(iend);
        png.extend(chunk_bytes(b"iTXt", &text(KEYWORD_OB3, "{\"v\": 2}")));
        png.extend(tail);
        png.extend(chunk_bytes(b"tEXt", b"openbadges\0{\"v\": 3}"));
        png.extend_from_slice(b"trailing junk that is no chunk");
        let all = extract_all(&png).unwrap();
        assert_eq!(
            all.iter()
                .map(|b| (b.container, b.text.as_str()))
                .collect::<Vec<_>>(),
            [
                ("iTXt", "{\"v\": 1}"),
                ("iTXt", "{\"v\": 2}"),
                ("tEXt", "{\"v\": 3}")
            ]
        );
        assert!(
            all[0]
                .location()
                .contains("iTXt chunk \"openbadgecredential\" at byte 33")
        );
        // the quick extract still stops at the first IDAT
        assert_eq!(extract(&png).unwrap().unwrap().text, "{\"v\": 1}");
    }

    #[test]
    fn extraction_stops_at_idat_once_found() {
        let baked = bake(&tiny_png(), &Payload::new(Version::Ob2, JSON)).unwrap();
        // Corrupt everything after the first IDAT header: extraction does not read it.
        let idat = baked.windows(4).position(|w| w == b"IDAT").unwrap();
        let mut cut = baked[..idat + 4].to_vec();
        cut.extend_from_slice(&[0xff; 3]);
        assert_eq!(extract(&cut).unwrap().unwrap().text, JSON);
    }
}
