//! Integration tests of the `obi` binary (one test binary for the crate; modules below).

mod support;

mod bake_interop;
mod cli_validate;
mod ob2_differential;
