//! Bake Open Badges into PNG and SVG images, and extract them.
//!
//! What it does: puts a badge payload (an OB 2.0 assertion or an OB 3.0 credential, as JSON, a compact JWS or,
//! for legacy OB 1.0, a URL) into an image the way the specifications say — a PNG `iTXt` chunk right after
//! `IHDR`, or an `<openbadges:assertion>` / `<openbadges:credential>` element first inside `<svg>` — and takes it
//! out again, including the layouts other bakers write. Images are never decoded or re-encoded: PNG chunks and
//! SVG bytes are copied as they are. Hostile files end in an error that names the problem and the byte offset.
//!
//! What it does not do: interpret the payload. It knows JSON from a JWS from a URL by their syntax only; which
//! Open Badges version a payload is, and whether it is valid, is the caller's business.
//!
//! ```
//! use obi_bake::{bake, extract, Payload, Version};
//! # let png = obi_bake::png::tests_support::tiny_png();
//! let baked = bake(&png, &Payload::new(Version::Ob3, r#"{"type": ["VerifiableCredential"]}"#)).unwrap();
//! let found = extract(&baked).unwrap().unwrap();
//! assert_eq!(found.version, Version::Ob3);
//! ```

pub mod png;
pub mod svg;

/// The largest payload obi bakes or extracts (after decompression): 16 MiB. Badges are a few kilobytes.
pub const MAX_PAYLOAD_BYTES: usize = 16 * 1024 * 1024;

/// Which Open Badges version a payload belongs to (it decides the PNG keyword and the SVG element).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    /// Open Badges 3.0: keyword `openbadgecredential`, element `<openbadges:credential>`.
    Ob3,
    /// Open Badges 2.0 (and 1.x): keyword `openbadges`, element `<openbadges:assertion>`.
    Ob2,
}

/// What a payload is, by its syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A JSON document.
    Json,
    /// A compact JWS (three base64url parts).
    Jws,
    /// A URL (OB 1.0 / 2.0 hosted assertion).
    Url,
}

impl Kind {
    /// Classify a payload by its syntax.
    pub fn of(text: &str) -> Option<Kind> {
        let t = text.trim();
        if t.starts_with('{') {
            Some(Kind::Json)
        } else if t.starts_with("http://") || t.starts_with("https://") {
            Some(Kind::Url)
        } else {
            let parts: Vec<&str> = t.split('.').collect();
            let b64url = |s: &str| {
                s.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'=')
            };
            (parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && b64url(p)))
                .then_some(Kind::Jws)
        }
    }
}

/// A payload to bake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    /// The Open Badges version.
    pub version: Version,
    /// The text: JSON, compact JWS or URL.
    pub text: String,
}

impl Payload {
    /// A payload of the given version.
    pub fn new(version: Version, text: impl Into<String>) -> Self {
        Payload {
            version,
            text: text.into(),
        }
    }
}

/// The image formats obi bakes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// PNG.
    Png,
    /// SVG.
    Svg,
}

/// A payload found in an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baked {
    /// The version, from the PNG keyword or SVG element.
    pub version: Version,
    /// What the text is.
    pub kind: Kind,
    /// The payload text.
    pub text: String,
    /// The image format it was found in.
    pub format: Format,
    /// Byte offset of the chunk or element that held it.
    pub offset: u64,
    /// What held it: the PNG chunk type (`iTXt`, `tEXt`, `zTXt`), or the SVG element
    /// (`openbadges:credential`, `openbadges:assertion`, or `… verify` for its `verify` attribute when the
    /// element also has different content).
    pub container: &'static str,
}

impl Baked {
    /// Where it was found, for people: `PNG iTXt chunk "openbadgecredential" at byte 33`.
    pub fn location(&self) -> String {
        match self.format {
            Format::Png => format!(
                "PNG {} chunk {:?} at byte {}",
                self.container,
                match self.version {
                    Version::Ob3 => png::KEYWORD_OB3,
                    Version::Ob2 => png::KEYWORD_OB2,
                },
                self.offset
            ),
            Format::Svg => format!("SVG <{}> at byte {}", self.container, self.offset),
        }
    }
}

/// Why a payload could not be baked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BakeError {
    /// The image could not be read.
    #[error(transparent)]
    Image(#[from] ExtractError),
    /// The payload is empty, too large, or of a kind the version does not allow.
    #[error("cannot bake this payload: {0}")]
    Payload(String),
    /// Writing the output failed.
    #[error("cannot write the baked image: {0}")]
    Io(#[from] std::io::Error),
}

/// Why an image could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExtractError {
    /// Neither a PNG nor an SVG.
    #[error(
        "not a PNG or SVG image (the first bytes are neither the PNG signature nor XML with an <svg> root)"
    )]
    UnknownFormat,
    /// A PNG that breaks the format.
    #[error("malformed PNG at byte {offset}: {message}")]
    Png {
        /// Byte offset of the problem.
        offset: u64,
        /// What is wrong.
        message: String,
    },
    /// An SVG that breaks the format, or uses what obi refuses (entity declarations).
    #[error("malformed SVG at byte {offset}: {message}")]
    Svg {
        /// Byte offset of the problem.
        offset: u64,
        /// What is wrong.
        message: String,
    },
    /// Reading failed.
    #[error("cannot read the image: {0}")]
    Io(#[from] std::io::Error),
}

/// Decide PNG or SVG from the bytes (never from a file name).
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(&png::SIGNATURE) {
        return Some(Format::Png);
    }
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    (t.starts_with('<') && t.contains("<svg")).then_some(Format::Svg)
}

/// Bake `payload` into a PNG or SVG image. Every badge payload already in the image (of either version) is
/// removed first, so exactly one remains.
pub fn bake(image: &[u8], payload: &Payload) -> Result<Vec<u8>, BakeError> {
    check_payload(payload)?;
    match sniff(image).ok_or(ExtractError::UnknownFormat)? {
        Format::Png => {
            let mut out = Vec::with_capacity(image.len() + payload.text.len() + 64);
            png::bake_stream(image, &mut out, payload)?;
            Ok(out)
        }
        Format::Svg => svg::bake(image, payload),
    }
}

/// The badge baked into a PNG or SVG image: the OB 3.0 one when there are payloads of both versions.
/// `Ok(None)` when the image holds none. Quick: a PNG is read only up to its first `IDAT` once a payload
/// was found, and an SVG with two elements of one version is an error. A verifier that must know the
/// image carries one badge only uses [`extract_all`].
pub fn extract(image: &[u8]) -> Result<Option<Baked>, ExtractError> {
    let mut found = match sniff(image).ok_or(ExtractError::UnknownFormat)? {
        Format::Png => png::extract_stream(image)?,
        Format::Svg => svg::extract(image)?,
    };
    found.sort_by_key(|b| b.version);
    Ok(found.into_iter().next())
}

/// Every badge payload in the image, OB 3.0 first (in file order within a version): every text chunk of a
/// PNG to its end (after `IDAT`, and chunks that follow `IEND`), every badge element of an SVG (two of one
/// version included, and an element's `verify` attribute when it differs from its content). Other tools
/// read different ones of these, so a verifier should accept an image only when they all agree.
pub fn extract_all(image: &[u8]) -> Result<Vec<Baked>, ExtractError> {
    let mut found = match sniff(image).ok_or(ExtractError::UnknownFormat)? {
        Format::Png => png::extract_stream_all(image)?,
        Format::Svg => svg::extract_all(image)?,
    };
    found.sort_by_key(|b| b.version);
    Ok(found)
}

pub(crate) fn check_payload(payload: &Payload) -> Result<Kind, BakeError> {
    if payload.text.len() > MAX_PAYLOAD_BYTES {
        return Err(BakeError::Payload(format!(
            "it is {} bytes; the limit is {MAX_PAYLOAD_BYTES}",
            payload.text.len()
        )));
    }
    let kind = Kind::of(&payload.text).ok_or_else(|| {
        BakeError::Payload("it is neither JSON, nor a compact JWS, nor an http(s) URL".into())
    })?;
    if kind == Kind::Url && payload.version == Version::Ob3 {
        return Err(BakeError::Payload(
            "an Open Badges 3.0 image carries the credential itself, not a URL".into(),
        ));
    }
    Ok(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(Kind::of("{\"a\":1}"), Some(Kind::Json));
        assert_eq!(Kind::of("https://x.org/a"), Some(Kind::Url));
        assert_eq!(
            Kind::of("eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.c2ln"),
            Some(Kind::Jws)
        );
        assert_eq!(Kind::of("hello"), None);
        assert_eq!(Kind::of("a..b"), None);
    }

    #[test]
    fn sniffing_uses_bytes_not_names() {
        assert_eq!(sniff(&png::tests_support::tiny_png()), Some(Format::Png));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Some(Format::Svg)
        );
        assert_eq!(sniff(b"GIF89a"), None);
    }

    #[test]
    fn ob3_url_payload_is_refused() {
        let e = bake(
            &png::tests_support::tiny_png(),
            &Payload::new(Version::Ob3, "https://x.org/a"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("3.0"), "{e}");
    }
}
