//! Integration tests of obi-verify (one test binary; modules below).

#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

mod adversarial;
mod cache;
mod jwt_keys;
mod ob2_differential;
mod ob3;
mod ssrf;
