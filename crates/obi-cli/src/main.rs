//! `obi`: validate, sign, bake and extract Open Badges from the command line.
//!
//! Exit codes, shared by every command: 0 valid / done, 1 invalid / nothing found, 2 could not check
//! (unreadable file, not JSON, malformed image), 64 usage error. With several inputs the worst wins.

mod bake;
mod keys;
mod output;
mod validate;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status: everything checked out.
pub const EXIT_OK: u8 = 0;
/// Exit status: checked, and found invalid (or nothing to extract).
pub const EXIT_INVALID: u8 = 1;
/// Exit status: could not check.
pub const EXIT_CANNOT_CHECK: u8 = 2;
/// Exit status: the command line was wrong.
pub const EXIT_USAGE: u8 = 64;

#[derive(Parser)]
#[command(
    name = "obi",
    version,
    about = "Open Badges infrastructure: validate, verify, sign, bake and extract badges"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate Open Badges documents (3.0 JSON or VC-JWT; 2.0, with 1.x and 0.5 upgraded) without fetching anything.
    Validate(validate::Args),
    /// Verify badges: proof, status, validity period, recipient (files, directories, URLs; any version).
    Verify(verify::Args),
    /// Bake a badge (OB 2.0 assertion or OB 3.0 credential) into a PNG or SVG image.
    Bake(bake::BakeArgs),
    /// Print the badge baked into a PNG or SVG image.
    Extract(bake::ExtractArgs),
    /// Generate a signing key (Ed25519, P-256 or RSA) as a JWK.
    Keygen(keys::KeygenArgs),
    /// Sign a credential: Data Integrity proof or VC-JWT (OB 3.0), RS256 JWS (OB 2.0).
    Sign(keys::SignArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Validate(args) => validate::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Bake(args) => bake::bake(args),
        Command::Extract(args) => bake::extract(args),
        Command::Keygen(args) => keys::keygen(args),
        Command::Sign(args) => keys::sign(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("obi: {e:#}");
            ExitCode::from(EXIT_CANNOT_CHECK)
        }
    }
}
