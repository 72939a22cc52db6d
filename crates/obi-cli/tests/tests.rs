//! Integration tests of the `obi` binary (one test binary for the crate; modules below).

#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

mod support;

mod bake_interop;
mod cli_sign;
mod cli_validate;
mod cli_verify;
mod ob2_differential;
