//! `obi validate`.

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use obi_core::v2::{self, Docs, ValidateOptions};
use obi_core::v3;
use obi_core::{Report, Severity};

use crate::output::{Style, read_input, say};
use crate::{EXIT_CANNOT_CHECK, EXIT_INVALID, EXIT_OK, EXIT_USAGE};

#[derive(clap::Args)]
pub struct Args {
    /// Files to validate: OB 2.0 / 1.x JSON, OB 3.0 credentials as JSON or compact VC-JWT (`-` for
    /// standard input).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,
    /// Print a JSON report (JSON Lines with several inputs).
    #[arg(long)]
    json: bool,
    /// A document that references may point to, as URL=FILE (repeatable). Nothing is ever fetched.
    #[arg(long = "doc", value_name = "URL=FILE")]
    docs: Vec<String>,
    /// Judge dates as of this moment (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let now = match &args.now {
        Some(t) => match DateTime::parse_from_rfc3339(t) {
            Ok(t) => t.with_timezone(&Utc),
            Err(e) => {
                eprintln!(
                    "obi validate: --now {t:?} is not an RFC 3339 date and time ({e}); for example 2026-01-01T00:00:00Z"
                );
                return Ok(EXIT_USAGE);
            }
        },
        #[allow(clippy::disallowed_methods)] // the binary is where the clock is read
        None => Utc::now(),
    };
    let mut docs = Docs::new();
    for d in &args.docs {
        let Some((url, file)) = d.split_once('=') else {
            eprintln!("obi validate: --doc {d:?} must be URL=FILE");
            return Ok(EXIT_USAGE);
        };
        let value = load_json(file).with_context(|| format!("--doc {url}"))?;
        obi_jsonld::register_context(url, value.clone());
        docs.insert(url, value);
    }
    let opts = ValidateOptions::at(now);
    let style = Style::for_stdout();
    let mut worst = EXIT_OK;
    for input in &args.inputs {
        let code = match load_json(input) {
            Ok(doc) => {
                let report = if v3::is_credential(&doc) {
                    v3::validate(&doc, now)
                } else {
                    v2::validate(&doc, &docs, &opts)
                };
                if args.json {
                    say(format_args!("{}", serde_json::to_string(&report)?));
                } else {
                    print_human(input, &report, &style);
                }
                if report.valid { EXIT_OK } else { EXIT_INVALID }
            }
            Err(e) => {
                if args.json {
                    let err = serde_json::json!({"input": input, "error": format!("{e:#}")});
                    say(format_args!("{err}"));
                }
                eprintln!("obi validate: {e:#}");
                EXIT_CANNOT_CHECK
            }
        };
        worst = worst.max(code);
    }
    Ok(worst)
}

/// A JSON document, or the credential inside a compact VC-JWT (its signature is `obi verify`'s business).
fn load_json(path: &str) -> anyhow::Result<serde_json::Value> {
    let bytes = read_input(path)?;
    let trimmed = bytes.trim_ascii();
    if trimmed.starts_with(b"ey") && trimmed.iter().filter(|b| **b == b'.').count() == 2 {
        let token = std::str::from_utf8(trimmed).context("the token is not UTF-8")?;
        return obi_sign::vcjwt::dangerous_decode_unverified(token)
            .with_context(|| format!("{path}: not a readable VC-JWT"));
    }
    match obi_core::parse_json(&bytes) {
        Ok(v) => Ok(v),
        Err(e) => bail!("{path}: {e}"),
    }
}

fn print_human(input: &str, r: &Report, s: &Style) {
    let version = r.open_badges_version.as_deref().unwrap_or("?");
    let subject = r.subject.as_deref().unwrap_or("(no id)");
    if r.valid {
        say(format_args!(
            "{}{}valid{} {input}: Open Badges {version} {subject}",
            s.bold, s.green, s.reset
        ));
    } else {
        say(format_args!(
            "{}{}invalid{} {input}: Open Badges {version} {subject}",
            s.bold, s.red, s.reset
        ));
    }
    for f in &r.findings {
        let (colour, word) = match f.severity {
            Severity::Error => (s.red, "error"),
            Severity::Warning => (s.yellow, "warning"),
            Severity::Info => (s.dim, "info"),
        };
        let at = match (&f.node, f.path.is_empty()) {
            (Some(n), false) => format!("{n} {}", f.path),
            (Some(n), true) => n.clone(),
            (None, _) => f.path.clone(),
        };
        say(format_args!(
            "  {colour}{word}{} [{}] {}",
            s.reset, f.rule, f.message
        ));
        say(format_args!("    {}at {at}{}", s.dim, s.reset));
        say(format_args!("    fix: {}", f.hint));
    }
    say(format_args!(
        "  {} error(s), {} warning(s)",
        r.error_count, r.warning_count
    ));
}
