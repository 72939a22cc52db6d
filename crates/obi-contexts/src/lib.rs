//! Bundled JSON-LD contexts and JSON Schemas for Open Badges 2.0 / 1.x and 3.0.
//!
//! What it does: carries, inside the binary, every context and schema an Open Badge may cite (the OB 2.0,
//! v1 and legacy-v1 contexts, the OB 2.0 extension contexts and schemas, the OB 3.0 contexts 3.0.0 to 3.0.3,
//! the W3C VC / Data Integrity / DID / Multikey / status-list contexts, the OB 3.0 JSON Schemas and the OB 3.0
//! extension files), each under the URLs it is published at, so that validation never needs a live fetch.
//!
//! What it does not do: parse or process anything. It is data only; `obi-jsonld` processes the contexts.
//! Sources and licences of every file are in `data/ob2/SOURCES.md` and `data/ob3/SOURCES.md`.
//!
//! ```
//! let v2 = obi_contexts::get("https://w3id.org/openbadges/v2").unwrap();
//! assert!(v2.text.contains("\"BadgeClass\""));
//! ```

mod table;

/// What a bundled document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// A JSON-LD context document (has a top-level `@context`).
    Context,
    /// A JSON Schema.
    JsonSchema,
}

/// One bundled document.
#[derive(Debug)]
pub struct Document {
    /// Whether it is a context or a schema.
    pub kind: Kind,
    /// Its path under this crate's `data/` folder.
    pub path: &'static str,
    /// The URLs it is published at; the first is the canonical one.
    pub urls: &'static [&'static str],
    /// The file's text, byte for byte as published.
    pub text: &'static str,
}

impl Document {
    /// The canonical URL of this document.
    pub fn url(&self) -> &'static str {
        self.urls[0]
    }
}

/// Well-known URLs.
pub mod urls {
    /// The Open Badges 2.0 context.
    pub const OB_V2: &str = "https://w3id.org/openbadges/v2";
    /// The Open Badges 1.1 context.
    pub const OB_V1: &str = "https://w3id.org/openbadges/v1";
    /// The legacy 1.0 context pulled in by the 1.1 context.
    pub const OB_LEGACY_V1: &str = "https://w3id.org/openbadges/legacy-v1";
    /// The OB 3.0 context, newest revision.
    pub const OB_V3_0_3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
    /// The W3C Verifiable Credentials 2.0 context.
    pub const VC_V2: &str = "https://www.w3.org/ns/credentials/v2";
    /// The W3C Verifiable Credentials 1.1 context.
    pub const VC_V1: &str = "https://www.w3.org/2018/credentials/v1";
}

/// The document published at `url`, if obi carries it.
///
/// For `context-3.0.3.json` this is the newer revision (with the top-level `jti` and `endorsementJwt`
/// terms, as 1EdTech's validator serves it); [`ob3_context_3_0_3_spec_repo`] gives the older one.
pub fn get(url: &str) -> Option<&'static Document> {
    let url = url.strip_suffix('#').unwrap_or(url);
    table::DOCUMENTS.iter().find(|d| d.urls.contains(&url))
}

/// Every bundled document (each once; the older 3.0.3 context revision is not in this list).
pub fn all() -> &'static [Document] {
    table::DOCUMENTS
}

/// The older revision of `context-3.0.3.json`, as in the specification repository (last changed
/// 2024-03-04; no top-level `jti` or `endorsementJwt`).
pub fn ob3_context_3_0_3_spec_repo() -> &'static Document {
    &SPEC_REPO_3_0_3
}

static SPEC_REPO_3_0_3: Document = Document {
    kind: Kind::Context,
    path: "ob3/context/context-3.0.3.json",
    urls: &["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    text: include_str!("../data/ob3/context/context-3.0.3.json"),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_is_json_of_its_kind() {
        for d in all().iter().chain([ob3_context_3_0_3_spec_repo()]) {
            let v: serde_json::Value =
                serde_json::from_str(d.text).unwrap_or_else(|e| panic!("{}: {e}", d.path));
            match d.kind {
                Kind::Context => assert!(v.get("@context").is_some(), "{} has no @context", d.path),
                Kind::JsonSchema => assert!(v.is_object(), "{} is not an object", d.path),
            }
        }
    }

    #[test]
    fn urls_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for d in all() {
            for u in d.urls {
                assert!(seen.insert(*u), "{u} listed twice");
            }
        }
    }

    #[test]
    fn newest_3_0_3_revision_is_the_default() {
        let d = get(urls::OB_V3_0_3).unwrap();
        assert!(d.text.contains("endorsementJwt"));
        assert!(
            !ob3_context_3_0_3_spec_repo()
                .text
                .contains("endorsementJwt")
        );
    }

    #[test]
    fn unknown_url_is_none() {
        assert!(get("https://example.org/context.json").is_none());
    }
}
