//! Verify any Open Badge: is it real, current, and the holder's?
//!
//! What it does: fetching what a badge refers to through the [`Fetch`] trait, safely by default
//! ([`HttpFetch`]: public addresses only after DNS, every redirect re-checked, size and time limits),
//! offline from given documents ([`OfflineFetch`]), or both ([`Layered`]).
//!
//! What it does not do (yet): the verification pipeline itself lands in the following slices.

pub mod fetch;
pub mod guard;
pub mod http;

pub use fetch::{
    DangerousPolicy, Fetch, FetchError, FetchPolicy, Fetched, Layered, OfflineFetch, Resource,
};
pub use http::{DnsResolver, HttpFetch, StaticDns, SystemDns};
