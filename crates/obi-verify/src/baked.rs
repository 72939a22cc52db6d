//! The badge in an image: exactly one. An image whose badge payloads differ (an OB 2.0 and an OB 3.0
//! chunk, two credentials of one kind, a chunk after `IDAT` or `IEND`, content and a `verify` attribute
//! that disagree) is not verified: other tools show people a different one than obi would verify.

use obi_bake::{Baked, Format, Kind, Version};

use crate::VerifyError;
use crate::report::VerifyReport;

/// How many characters of each payload the report quotes.
const QUOTE_CHARS: usize = 60;

/// The one payload of a baked image, with the `input` check passed; or `None` with the `input` check
/// failed (no badge, or badges that differ, each named in a finding).
pub(crate) fn the_one_badge(
    report: &mut VerifyReport,
    bytes: &[u8],
) -> Result<Option<String>, VerifyError> {
    let all = obi_bake::extract_all(bytes)?;
    let mut distinct: Vec<&Baked> = Vec::new();
    for b in &all {
        if !distinct.iter().any(|d| same_badge(d, b)) {
            distinct.push(b);
        }
    }
    match distinct.as_slice() {
        [] => {
            report.finding(
                "NO_BADGE_IN_IMAGE",
                "",
                "no badge in this image",
                "this image carries no baked badge; ask the issuer for the badge itself",
            );
            report.fail("input", "no badge in this image");
            Ok(None)
        }
        [one] => {
            let mut detail = format!("badge baked in a {:?} image", one.format);
            if all.len() > 1 {
                detail.push_str(&format!(
                    " ({} identical copies: {})",
                    all.len(),
                    all.iter()
                        .map(Baked::location)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            report.pass("input", detail);
            Ok(Some(one.text.clone()))
        }
        many => {
            for b in many {
                report.finding(
                    "MULTIPLE_BADGES_IN_IMAGE",
                    "",
                    describe(b),
                    "an image must carry one badge: other tools may show a different one than obi would \
                     verify; re-bake the image with the one badge it is for",
                );
            }
            report.fail(
                "input",
                format!(
                    "the {} image carries {} different badges, so which one it shows depends on the tool: {}",
                    match many[0].format {
                        Format::Png => "PNG",
                        Format::Svg => "SVG",
                    },
                    many.len(),
                    many.iter().map(|b| describe(b)).collect::<Vec<_>>().join("; ")
                ),
            );
            Ok(None)
        }
    }
}

/// Two payloads are one badge when they are the same text, or when one is the URL of a hosted badge and
/// the other that badge's JSON with this URL as its `id`, both OB 2.0 (verifying either fetches the same
/// hosted assertion).
fn same_badge(a: &Baked, b: &Baked) -> bool {
    let url_and_json = |u: &Baked, j: &Baked| {
        u.version == Version::Ob2
            && j.version == Version::Ob2
            && u.kind == Kind::Url
            && j.kind == Kind::Json
            && serde_json::from_str::<serde_json::Value>(&j.text)
                .ok()
                .and_then(|v| {
                    v.get("id")?
                        .as_str()
                        .map(|id| obi_core::id::same_id(id, &u.text))
                })
                .unwrap_or(false)
    };
    a.text == b.text || url_and_json(a, b) || url_and_json(b, a)
}

/// `Open Badges 3.0 JSON in the PNG iTXt chunk "openbadgecredential" at byte 33 (2345 bytes, SHA-256
/// 3f2a…): {"@context": …`: where, what, and enough to tell two payloads apart.
fn describe(b: &Baked) -> String {
    let mut quote: String = b.text.chars().take(QUOTE_CHARS).collect();
    if b.text.chars().nth(QUOTE_CHARS).is_some() {
        quote.push('…');
    }
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(b.text.as_bytes());
    let short: String = digest[..6].iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "Open Badges {} {} in the {} ({} bytes, SHA-256 {short}…): {quote}",
        match b.version {
            Version::Ob3 => "3.0",
            Version::Ob2 => "2.0",
        },
        match b.kind {
            Kind::Json => "JSON",
            Kind::Jws => "JWS",
            Kind::Url => "URL",
        },
        b.location(),
        b.text.len()
    )
}
