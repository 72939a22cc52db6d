//! SVG: `<openbadges:assertion>` (OB 2.0, namespace `http://openbadges.org`) and `<openbadges:credential>`
//! (OB 3.0, namespace `https://purl.imsglobal.org/ob/v3p0`).
//!
//! The document is read with quick-xml's streaming reader and edited as bytes: bake splices the element in
//! after the root start tag and cuts earlier badge elements out, so everything else stays byte for byte.
//! A DOCTYPE with an external identifier is accepted and never fetched; internal `<!ENTITY` declarations and
//! entity references other than the five predefined ones and character references are refused.

use std::borrow::Cow;
use std::rc::Rc;

use quick_xml::events::{BytesStart, Event};

use crate::{BakeError, Baked, ExtractError, Format, Kind, Payload, Version, check_payload};

/// The OB 2.0 baking namespace.
pub const NS_OB2: &str = "http://openbadges.org";
/// The OB 3.0 baking namespace.
pub const NS_OB3: &str = "https://purl.imsglobal.org/ob/v3p0";

/// The most nested elements obi reads.
const MAX_DEPTH: usize = 256;

struct Found {
    baked: Baked,
    /// The `verify` attribute, when the element has content that it does not name.
    verify: Option<Baked>,
    start: usize,
    end: usize,
}

struct Scan {
    found: Vec<Found>,
    /// Byte offset just after the root `<svg ...>` start tag, and whether the root is empty (`<svg/>`).
    root_end: usize,
    root_empty: bool,
    /// The namespace the root binds the `openbadges` prefix to, if any.
    root_prefix_ns: Option<String>,
}

fn err(offset: u64, message: impl Into<String>) -> ExtractError {
    ExtractError::Svg {
        offset,
        message: message.into(),
    }
}

/// Every badge payload in an SVG, one element of each version at most: a second element of one version
/// is an error (see [`extract_all`] for a list of them all).
pub fn extract(svg: &[u8]) -> Result<Vec<Baked>, ExtractError> {
    let scan = scan(svg)?;
    let mut out: Vec<Baked> = Vec::new();
    for f in scan.found {
        if out.iter().any(|b| b.version == f.baked.version) {
            return Err(err(
                f.start as u64,
                format!(
                    "a second {} element: an image must carry one badge of each version, since a verifier and a viewer could otherwise see different badges",
                    f.baked.container
                ),
            ));
        }
        out.push(f.baked);
    }
    Ok(out)
}

/// Every badge payload in an SVG, in document order: each badge element, two of one version included, and
/// an element's `verify` attribute as a payload of its own when the element also has content and the
/// attribute is neither that content nor its `id` (some readers take the attribute, obi the content).
pub fn extract_all(svg: &[u8]) -> Result<Vec<Baked>, ExtractError> {
    let scan = scan(svg)?;
    let mut out = Vec::new();
    for f in scan.found {
        out.push(f.baked);
        out.extend(f.verify);
    }
    Ok(out)
}

/// Bake into an SVG: the badge element becomes the first child of `<svg>`; earlier badge elements of either
/// version are removed; every other byte is kept.
pub fn bake(svg: &[u8], payload: &Payload) -> Result<Vec<u8>, BakeError> {
    let kind = check_payload(payload)?;
    let scan = scan(svg)?;
    let ns = match payload.version {
        Version::Ob3 => NS_OB3,
        Version::Ob2 => NS_OB2,
    };
    let local = match payload.version {
        Version::Ob3 => "credential",
        Version::Ob2 => "assertion",
    };
    // Declare the namespace on <svg> unless the prefix there is bound to something else.
    let (root_attr, element_xmlns) = match scan.root_prefix_ns.as_deref() {
        Some(bound) if bound == ns => (String::new(), String::new()),
        Some(_) => (String::new(), format!(" xmlns:openbadges=\"{ns}\"")),
        None => (format!(" xmlns:openbadges=\"{ns}\""), String::new()),
    };
    let mut element = format!("<openbadges:{local}{element_xmlns}");
    match kind {
        Kind::Json => {
            if payload.version == Version::Ob2
                && let Some(id) = json_id(&payload.text)
            {
                element.push_str(&format!(" verify=\"{}\"", escape_attr(&id)));
            }
            element.push_str("><![CDATA[");
            element.push_str(&payload.text.replace("]]>", "]]]]><![CDATA[>"));
            element.push_str(&format!("]]></openbadges:{local}>"));
        }
        Kind::Jws | Kind::Url => {
            element.push_str(&format!(
                " verify=\"{}\"></openbadges:{local}>",
                escape_attr(payload.text.trim())
            ));
        }
    }
    let mut out = Vec::with_capacity(svg.len() + element.len() + root_attr.len() + 16);
    // The root start tag, with the namespace declaration added before its closing '>' (or '/>').
    let close = if scan.root_empty {
        scan.root_end - 2
    } else {
        scan.root_end - 1
    };
    out.extend_from_slice(&svg[..close]);
    out.extend_from_slice(root_attr.as_bytes());
    out.push(b'>');
    out.extend_from_slice(element.as_bytes());
    if scan.root_empty {
        out.extend_from_slice(b"</svg>");
    }
    let mut pos = scan.root_end;
    for f in &scan.found {
        out.extend_from_slice(&svg[pos..f.start]);
        pos = f.end;
    }
    out.extend_from_slice(&svg[pos..]);
    Ok(out)
}

/// The `id` of a JSON payload, found without a JSON parser (obi-bake has no badge semantics): the first
/// top-level-looking `"id": "..."`; used only for the OB 2.0 `verify` attribute that hosted badges carry.
fn json_id(json: &str) -> Option<String> {
    let i = json.find("\"id\"")?;
    let rest = json[i + 4..]
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    let end = rest.find('"')?;
    let id = &rest[..end];
    (id.starts_with("http://") || id.starts_with("https://")).then(|| id.to_owned())
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Walk the document once: where the root start tag ends, and every badge element with its byte range.
fn scan(svg: &[u8]) -> Result<Scan, ExtractError> {
    let mut reader = quick_xml::Reader::from_reader(svg);
    reader.config_mut().check_end_names = true;
    // Namespace bindings of the `openbadges` prefix (and the default namespace) per open element.
    let mut stack: Vec<Bindings> = Vec::new();
    let mut root: Option<(usize, bool, Option<String>)> = None;
    let mut found = Vec::new();
    // An open badge element: (version, start offset, verify attribute, text so far, depth).
    let mut open: Option<(Version, usize, Option<String>, String, usize)> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| err(reader.error_position(), e.to_string()))?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::DocType(d) => {
                let text = String::from_utf8_lossy(raw(&d)).into_owned();
                if text.contains("<!ENTITY") || text.contains('[') {
                    return Err(err(
                        before as u64,
                        "the DOCTYPE declares entities or an internal subset; obi refuses them (no XXE, no entity expansion)",
                    ));
                }
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                if stack.len() >= MAX_DEPTH {
                    return Err(err(
                        before as u64,
                        format!("elements nest more than {MAX_DEPTH} deep"),
                    ));
                }
                let (parent_ob, parent_default) = stack.last().cloned().unwrap_or((None, None));
                let (ob, default) = bindings(e, parent_ob, parent_default, before)?;
                if root.is_none() {
                    if raw(&e.local_name()) != b"svg" {
                        return Err(err(
                            before as u64,
                            format!(
                                "the root element is <{}>, not <svg>",
                                String::from_utf8_lossy(raw(&e.name()))
                            ),
                        ));
                    }
                    root = Some((after, empty, ob.as_deref().map(str::to_owned)));
                }
                if open.is_none() {
                    let name = e.name();
                    let name = raw(&name);
                    let (prefix, local) = match name.iter().position(|&b| b == b':') {
                        Some(i) => (Some(&name[..i]), &name[i + 1..]),
                        None => (None, name),
                    };
                    let ns = if prefix == Some(b"openbadges".as_slice()) {
                        ob.as_deref()
                    } else if prefix.is_none() {
                        default.as_deref()
                    } else {
                        None
                    };
                    let version = if ns == Some(NS_OB3) && local == b"credential" {
                        Some(Version::Ob3)
                    } else if ns == Some(NS_OB2) && local == b"assertion" {
                        Some(Version::Ob2)
                    } else {
                        None
                    };
                    if let Some(version) = version {
                        let verify = attr(e, b"verify", before)?;
                        if empty {
                            found.push(finish(version, before, after, verify, String::new())?);
                        } else {
                            open = Some((version, before, verify, String::new(), stack.len() + 1));
                        }
                    }
                }
                if !empty {
                    stack.push((ob, default));
                }
            }
            Event::End(_) => {
                if let Some((version, start, verify, text, depth)) = open.take() {
                    if depth == stack.len() {
                        found.push(finish(version, start, after, verify, text)?);
                    } else {
                        open = Some((version, start, verify, text, depth));
                    }
                }
                stack.pop();
            }
            Event::Text(t) => {
                if let Some((_, _, _, text, _)) = open.as_mut() {
                    text.push_str(&String::from_utf8_lossy(raw(&t)));
                }
            }
            Event::CData(c) => {
                if let Some((_, _, _, text, _)) = open.as_mut() {
                    text.push_str(&String::from_utf8_lossy(raw(&c)));
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match raw(&r) {
                    b"amp" => Some('&'),
                    b"lt" => Some('<'),
                    b"gt" => Some('>'),
                    b"quot" => Some('"'),
                    b"apos" => Some('\''),
                    _ if r.is_char_ref() => r.resolve_char_ref().ok().flatten(),
                    _ => None,
                };
                let Some(c) = resolved else {
                    return Err(err(
                        before as u64,
                        format!(
                            "entity reference &{}; is not one of XML's predefined entities; obi refuses it",
                            String::from_utf8_lossy(raw(&r))
                        ),
                    ));
                };
                if let Some((_, _, _, text, _)) = open.as_mut() {
                    text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let Some((root_end, root_empty, root_prefix_ns)) = root else {
        return Err(err(0, "no <svg> element"));
    };
    if !stack.is_empty() {
        return Err(err(svg.len() as u64, "the document ends inside an element"));
    }
    Ok(Scan {
        found,
        root_end,
        root_empty,
        root_prefix_ns,
    })
}

/// The raw bytes of a quick-xml value (several `AsRef` impls make plain `.as_ref()` ambiguous).
fn raw<T: AsRef<str> + ?Sized>(t: &T) -> &[u8] {
    t.as_ref().as_bytes()
}

fn finish(
    version: Version,
    start: usize,
    end: usize,
    verify: Option<String>,
    text: String,
) -> Result<Found, ExtractError> {
    let container = match version {
        Version::Ob3 => "openbadges:credential",
        Version::Ob2 => "openbadges:assertion",
    };
    let text = text.trim();
    let verify = verify
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    // The content (JSON) is the badge itself; the verify attribute is a URL or a JWS.
    let (payload, other) = if !text.is_empty() {
        // A verify attribute naming the content (an OB 2.0 hosted badge's URL is its id) is the same badge.
        let other = verify.filter(|v| v != text && json_id(text).as_deref() != Some(v.as_str()));
        (text.to_owned(), other)
    } else {
        (verify.unwrap_or_default(), None)
    };
    if payload.is_empty() {
        return Err(err(
            start as u64,
            "the badge element is empty: no content and no verify attribute",
        ));
    }
    let kind = Kind::of(&payload).ok_or_else(|| {
        err(
            start as u64,
            "the badge element holds neither JSON, a JWS nor a URL",
        )
    })?;
    // An attribute that is no payload at all is not a second badge.
    let verify = other
        .and_then(|v| Kind::of(&v).map(|k| (k, v)))
        .map(|(kind, v)| Baked {
            version,
            kind,
            text: v,
            format: Format::Svg,
            offset: start as u64,
            container: match version {
                Version::Ob3 => "openbadges:credential verify",
                Version::Ob2 => "openbadges:assertion verify",
            },
        });
    Ok(Found {
        baked: Baked {
            version,
            kind,
            text: payload,
            format: Format::Svg,
            offset: start as u64,
            container,
        },
        verify,
        start,
        end,
    })
}

/// The `openbadges` prefix and default namespace in scope for element `e`.
/// The namespaces bound to the `openbadges` prefix and to the default namespace.
type Bindings = (Option<Rc<str>>, Option<Rc<str>>);

fn bindings(
    e: &BytesStart<'_>,
    mut ob: Option<Rc<str>>,
    mut default: Option<Rc<str>>,
    at: usize,
) -> Result<Bindings, ExtractError> {
    // Most elements declare no namespace: skip attribute parsing for them.
    if !e.attributes_raw().contains("xmlns") {
        return Ok((ob, default));
    }
    for a in e.attributes().with_checks(true) {
        let a = a.map_err(|x| err(at as u64, x.to_string()))?;
        match raw(&a.key) {
            b"xmlns:openbadges" => ob = Some(Rc::from(unescape(a.value.as_bytes(), at)?.as_ref())),
            b"xmlns" => default = Some(Rc::from(unescape(a.value.as_bytes(), at)?.as_ref())),
            _ => {}
        }
    }
    Ok((ob, default))
}

fn attr(e: &BytesStart<'_>, name: &[u8], at: usize) -> Result<Option<String>, ExtractError> {
    for a in e.attributes().with_checks(true) {
        let a = a.map_err(|x| err(at as u64, x.to_string()))?;
        if raw(&a.key) == name {
            return Ok(Some(unescape(a.value.as_bytes(), at)?.into_owned()));
        }
    }
    Ok(None)
}

/// Resolve the predefined entities and character references of an attribute value; refuse any other.
fn unescape<'a>(raw: &'a [u8], at: usize) -> Result<Cow<'a, str>, ExtractError> {
    let s = std::str::from_utf8(raw).map_err(|_| err(at as u64, "attribute value is not UTF-8"))?;
    if !s.contains('&') {
        return Ok(Cow::Borrowed(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let end = tail
            .find(';')
            .ok_or_else(|| err(at as u64, "unterminated entity reference in an attribute"))?;
        let name = &tail[..end];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| err(at as u64, format!("bad character reference &{n};")))?,
            n if n.starts_with('#') => n[1..]
                .parse::<u32>()
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| err(at as u64, format!("bad character reference &{n};")))?,
            n => {
                return Err(err(
                    at as u64,
                    format!(
                        "entity reference &{n}; is not one of XML's predefined entities; obi refuses it"
                    ),
                ));
            }
        };
        out.push(c);
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{bake as bake_any, extract as extract_one};

    const SVG: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\n  <circle cx=\"5\" cy=\"5\" r=\"4\"/>\n</svg>\n";
    const JSON: &str = r#"{"@context": "https://w3id.org/openbadges/v2", "id": "https://x.org/a", "note": "a]]>b & <c>"}"#;

    #[test]
    fn bake_inserts_first_child_and_keeps_the_rest() {
        let baked = bake_any(SVG.as_bytes(), &Payload::new(Version::Ob2, JSON)).unwrap();
        let s = String::from_utf8(baked.clone()).unwrap();
        assert!(s.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\" xmlns:openbadges=\"http://openbadges.org\"><openbadges:assertion verify=\"https://x.org/a\"><![CDATA["), "{s}");
        assert!(s.ends_with("\n  <circle cx=\"5\" cy=\"5\" r=\"4\"/>\n</svg>\n"));
        let b = extract_one(&baked).unwrap().unwrap();
        assert_eq!(
            (b.version, b.kind, b.text.as_str()),
            (Version::Ob2, Kind::Json, JSON)
        );
    }

    #[test]
    fn jws_goes_in_verify() {
        let jws = "eyJhbGciOiJFZERTQSJ9.eyJhIjoxfQ.c2ln";
        let baked = bake_any(SVG.as_bytes(), &Payload::new(Version::Ob3, jws)).unwrap();
        assert!(String::from_utf8_lossy(&baked).contains(&format!(
            "<openbadges:credential verify=\"{jws}\"></openbadges:credential>"
        )));
        let b = extract_one(&baked).unwrap().unwrap();
        assert_eq!(
            (b.version, b.kind, b.text.as_str()),
            (Version::Ob3, Kind::Jws, jws)
        );
    }

    #[test]
    fn rebake_across_versions_keeps_one_badge() {
        let ob2 = bake_any(SVG.as_bytes(), &Payload::new(Version::Ob2, JSON)).unwrap();
        let ob3 = bake_any(&ob2, &Payload::new(Version::Ob3, "{\"v\": 3}")).unwrap();
        let all = extract(&ob3).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].version, Version::Ob3);
        // the root still binds openbadges to the OB 2.0 namespace, so the element declares its own
        assert!(String::from_utf8_lossy(&ob3).contains(
            "<openbadges:credential xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\">"
        ));
        let back = bake_any(&ob3, &Payload::new(Version::Ob2, JSON)).unwrap();
        assert_eq!(back, ob2);
    }

    #[test]
    fn appended_element_with_escaped_text_is_read() {
        // openbadgeslib's layout: at the end, namespace on the element, JSON as escaped text.
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/><openbadges:credential xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\">{&quot;a&quot;: &quot;x &amp; y&quot;}</openbadges:credential></svg>";
        let b = extract_one(svg.as_bytes()).unwrap().unwrap();
        assert_eq!(b.text, "{\"a\": \"x & y\"}");
        assert_eq!(b.version, Version::Ob3);
    }

    #[test]
    fn legacy_verify_url_is_read() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://openbadges.org\"><openbadges:assertion verify=\"https://x.org/a?b=1&amp;c=2\"/></svg>";
        let b = extract_one(svg.as_bytes()).unwrap().unwrap();
        assert_eq!(
            (b.kind, b.text.as_str()),
            (Kind::Url, "https://x.org/a?b=1&c=2")
        );
    }

    #[test]
    fn internal_entities_are_refused() {
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><svg xmlns=\"http://www.w3.org/2000/svg\">&b;</svg>";
        let e = extract(bomb.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("DOCTYPE"), "{e}");
        let xxe = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://openbadges.org\"><openbadges:assertion>&xxe;</openbadges:assertion></svg>";
        assert!(
            extract(xxe.as_bytes())
                .unwrap_err()
                .to_string()
                .contains("&xxe;")
        );
        assert!(bake_any(bomb.as_bytes(), &Payload::new(Version::Ob2, JSON)).is_err());
    }

    #[test]
    fn two_credential_elements_are_refused() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\"><openbadges:credential>{\"a\":1}</openbadges:credential><openbadges:credential>{\"a\":2}</openbadges:credential></svg>";
        let e = extract(svg.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("second"), "{e}");
        // baking over it removes both
        let baked = bake_any(svg.as_bytes(), &Payload::new(Version::Ob3, "{\"a\":3}")).unwrap();
        assert_eq!(extract(&baked).unwrap().len(), 1);
    }

    #[test]
    fn extract_all_lists_every_element_and_a_differing_verify() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\"><openbadges:credential>{\"a\":1}</openbadges:credential><g><openbadges:credential>{\"a\":2}</openbadges:credential></g></svg>";
        let all = extract_all(svg.as_bytes()).unwrap();
        assert_eq!(
            all.iter().map(|b| b.text.as_str()).collect::<Vec<_>>(),
            ["{\"a\":1}", "{\"a\":2}"]
        );
        assert!(all.iter().all(|b| b.container == "openbadges:credential"));
        // content and a verify attribute naming another badge: both are listed
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://openbadges.org\"><openbadges:assertion verify=\"https://x.org/other\">{\"id\": \"https://x.org/a\"}</openbadges:assertion></svg>";
        let all = extract_all(svg.as_bytes()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].container, "openbadges:assertion verify");
        assert_eq!(
            (all[1].kind, all[1].text.as_str()),
            (Kind::Url, "https://x.org/other")
        );
        assert_eq!(extract(svg.as_bytes()).unwrap().len(), 1);
        // obi's own OB 2.0 bake (verify = the JSON's id) is one badge, and so is a junk attribute
        let baked = bake_any(SVG.as_bytes(), &Payload::new(Version::Ob2, JSON)).unwrap();
        assert_eq!(extract_all(&baked).unwrap().len(), 1);
        let junk = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://openbadges.org\"><openbadges:assertion verify=\"yes\">{\"a\": 1}</openbadges:assertion></svg>";
        assert_eq!(extract_all(junk.as_bytes()).unwrap().len(), 1);
    }

    #[test]
    fn wrong_namespace_is_not_a_badge() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://example.org\"><openbadges:credential>{}</openbadges:credential></svg>";
        assert!(extract(svg.as_bytes()).unwrap().is_empty());
    }

    #[test]
    fn self_closing_root_and_broken_documents() {
        let baked = bake_any(
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            &Payload::new(Version::Ob3, "{}"),
        )
        .unwrap();
        assert_eq!(extract(&baked).unwrap().len(), 1);
        assert!(extract(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><g></svg>").is_err());
        assert!(extract(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><g>").is_err());
        assert!(extract(b"<html><svg/></html>").is_err());
        assert!(extract("<svg><openbadges:assertion xmlns:openbadges=\"http://openbadges.org\">\u{fffd}</openbadges:assertion></svg>".as_bytes()).is_err());
    }
}
