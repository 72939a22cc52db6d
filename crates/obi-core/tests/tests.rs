//! Integration tests of obi-core: the shared test vectors and hostile input.

mod robustness;
mod v3;
mod vectors;
