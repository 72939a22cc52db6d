//! Does a badge name this person? The one answer lives in [`obi_core::recipient`]; re-exported here for
//! the verifier's callers.

pub use obi_core::recipient::{hash_matches, same_id};
