//! JSON-LD for Open Badges against the contexts pinned in `obi-contexts`: context processing, expansion
//! to RDF, and RDFC-1.0 canonical N-Quads.
//!
//! - [`ActiveContext`] turns a document's `@context` into term definitions (JSON-LD 1.1 context processing,
//!   with protected terms and scoped contexts). Remote contexts resolve only to the bundled documents; any
//!   other URL is an error that names it. Processed contexts are cached for the life of the process.
//! - [`to_rdf`] expands a document straight to RDF quads in "safe mode": a property or type that does not
//!   expand to an absolute IRI, a relative `@id`, or a JSON-LD feature outside what the Open Badges and
//!   W3C contexts use is an error, never a silently dropped statement (the Digital Bazaar stack signs and
//!   verifies in safe mode too).
//! - [`canonicalize`] is RDFC-1.0 with a work limit, so a crafted graph fails in bounded time.
//!
//! Why by hand: the Rust JSON-LD crates re-process every context on every call (about 0.3 ms for a 3 KB
//! context; the VC and OB 3.0 contexts are 10–14 KB), have no safe mode, and the fast canonicalizer has no
//! work limit (CRATES.md). Here contexts, and the scoped contexts derived from them, are processed once, so
//! a credential goes from JSON to canonical N-Quads in tens of microseconds. Correctness is pinned by the
//! W3C RDFC-1.0 test suite and by byte comparison with jsonld.js + rdf-canonize (the `rdfc` peer).

mod canon;
mod context;
mod rdf;
mod to_rdf;

pub use canon::{CanonLimits, canonicalize, canonicalize_relabeled, canonicalize_with};
pub use context::{ActiveContext, MAX_CONTEXT_DEPTH, TermDefinition, register_context};
pub use rdf::{Literal, Quad, Term, nquads, xsd};
pub use to_rdf::{MAX_NESTING, to_rdf, to_rdf_compacted_without, to_rdf_without};

/// Why a document could not be processed.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonLdError {
    /// A remote context that obi does not carry. obi never fetches contexts.
    #[error(
        "unknown JSON-LD context {0}: obi only uses the contexts it carries (give the document with --doc)"
    )]
    UnknownContext(String),
    /// The context is not shaped as JSON-LD requires.
    #[error("invalid JSON-LD context: {0}")]
    InvalidContext(String),
    /// Contexts nest or import each other too deeply (or in a cycle).
    #[error("JSON-LD contexts nest more than {0} levels deep (cycle?)")]
    TooDeep(usize),
    /// A protected term was redefined differently.
    #[error(
        "the context redefines the protected term {0:?}; remove the redefinition or use another name"
    )]
    ProtectedTermRedefinition(String),
    /// Safe mode: something in the document would be dropped or cannot be turned into RDF.
    #[error("{path}: {message}")]
    Expansion {
        /// JSON pointer to the offending place.
        path: String,
        /// What is wrong, and how to fix it.
        message: String,
    },
    /// The document is not in compacted form under its contexts (see [`to_rdf_compacted_without`]).
    #[error("{path}: not in compacted JSON-LD form: {message}")]
    NotCompacted {
        /// JSON pointer to the offending place.
        path: String,
        /// What is written there, and how to write it instead.
        message: String,
    },
    /// A JSON-LD feature obi does not implement (none of the Open Badges or W3C contexts use it).
    #[error("unsupported JSON-LD feature: {0}")]
    Unsupported(String),
    /// Canonicalization gave up: the graph needs more work than the limit allows (a crafted graph).
    #[error(
        "RDF canonicalization stopped after {0} steps: the document's blank nodes are too interlinked to canonicalize safely"
    )]
    CanonicalizationLimit(u64),
}
