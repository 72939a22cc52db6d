//! The Open Badges standard: data models, upgrade of old documents, and validation into findings.
//!
//! [`v3`] holds the Open Badges 3.0 (Verifiable Credentials) model and validation. For 2.0, it reads
//! Open Badges 2.0 documents (and 1.1, 1.0 and 0.5 ones, upgraded to 2.0 as the official
//! 1EdTech validator does), interprets them through JSON-LD against the pinned contexts, and validates them
//! against every rule of the specification and of the official validator, collecting every finding with a rule
//! id, the node, a JSON pointer and a hint on how to fix it.
//!
//! What it does not do: I/O, fetching, cryptography, baking. Referenced documents come in as data
//! ([`v2::Docs`]); time comes in as a parameter ([`v2::ValidateOptions`]). Signatures, revocation and
//! recipient matching belong to the verifier.

pub mod id;
pub mod json;
pub mod recipient;
pub mod report;
pub mod status;
pub mod time;
pub mod v2;
pub mod v3;

pub use report::{Finding, Report, Severity};

/// Why a document could not be read at all (as opposed to findings about what it says).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    /// The bytes are not JSON.
    #[error("not JSON: {message} at line {line}, column {column}")]
    NotJson {
        /// What the parser said.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The bytes are not UTF-8.
    #[error("not UTF-8 text: invalid byte at offset {0}")]
    NotUtf8(usize),
    /// The document is larger than obi reads.
    #[error("document is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A Bitstring Status List's `encodedList` cannot be read.
    #[error("{0}")]
    StatusList(String),
    /// A node does not fit the typed model.
    #[error("not a well-formed {class}: {message}")]
    Model {
        /// The class.
        class: &'static str,
        /// What serde said.
        message: String,
    },
}

/// The largest document [`parse_json`] reads: 16 MiB. Badges are a few kilobytes.
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;

/// Parse bytes as a JSON document, with errors that say where. Nesting deeper than 128 levels is refused by
/// the parser (no stack overflow), as is anything over [`MAX_DOCUMENT_BYTES`].
pub fn parse_json(bytes: &[u8]) -> Result<serde_json::Value, CoreError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(CoreError::TooLarge {
            size: bytes.len(),
            limit: MAX_DOCUMENT_BYTES,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| CoreError::NotUtf8(e.valid_up_to()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).map_err(|e| CoreError::NotJson {
        message: strip_position(&e.to_string()),
        line: e.line(),
        column: e.column(),
    })
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_say_where() {
        let e = parse_json(b"{\n  \"a\": }").unwrap_err();
        assert!(matches!(e, CoreError::NotJson { line: 2, .. }), "{e}");
        assert!(matches!(
            parse_json(b"\xff\xfe"),
            Err(CoreError::NotUtf8(0))
        ));
        let deep = "[".repeat(100_000);
        assert!(matches!(
            parse_json(deep.as_bytes()),
            Err(CoreError::NotJson { .. })
        ));
    }
}
