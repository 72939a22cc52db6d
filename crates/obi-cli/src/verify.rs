//! `obi verify`: any badge, from a file, a directory, standard input or a URL.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context;
use chrono::{DateTime, Utc};
use obi_verify::{
    CheckStatus, Fetch, FetchPolicy, HttpFetch, Input, Layered, OfflineFetch, VerifyOptions,
    VerifyReport,
};

use crate::output::{Style, read_input, say};
use crate::{EXIT_CANNOT_CHECK, EXIT_INVALID, EXIT_OK, EXIT_USAGE};

#[derive(clap::Args)]
pub struct Args {
    /// Badges: files (JSON, JWS, PNG, SVG), directories (searched for those), URLs, or `-` for standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,
    /// An identity the badge should be awarded to (email, URL, phone, DID); repeatable, one match is enough.
    #[arg(long = "recipient", value_name = "ID")]
    recipients: Vec<String>,
    /// Print a JSON report (JSON Lines with several inputs).
    #[arg(long)]
    json: bool,
    /// Judge dates as of this moment (RFC 3339) instead of now.
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// Fetch nothing: everything referenced must be given with --doc.
    #[arg(long)]
    offline: bool,
    /// A document to use for a URL instead of fetching it, as URL=FILE (repeatable).
    #[arg(long = "doc", value_name = "URL=FILE")]
    docs: Vec<String>,
    /// How many badges to verify at once.
    #[arg(long, default_value_t = 4, value_name = "N")]
    jobs: usize,
    /// Allow fetching from private, loopback and link-local addresses (closed networks and tests only).
    #[arg(long)]
    allow_private_hosts: bool,
    /// Verify an OB 3.0 credential as presented, without asking its refreshService for a newer one.
    #[arg(long)]
    no_refresh: bool,
    /// Keep fetched documents in this directory between runs, for as long as HTTP caching allows.
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<std::path::PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let now = match &args.now {
        Some(t) => match DateTime::parse_from_rfc3339(t) {
            Ok(t) => t.with_timezone(&Utc),
            Err(e) => {
                eprintln!("obi verify: --now {t:?} is not an RFC 3339 date and time ({e})");
                return Ok(EXIT_USAGE);
            }
        },
        #[allow(
            clippy::disallowed_methods,
            reason = "the binary is where the clock is read"
        )]
        None => Utc::now(),
    };
    let mut given = OfflineFetch::new();
    for d in &args.docs {
        let Some((url, file)) = d.split_once('=') else {
            eprintln!("obi verify: --doc {d:?} must be URL=FILE");
            return Ok(EXIT_USAGE);
        };
        let body =
            std::fs::read(file).with_context(|| format!("--doc {url}: cannot read {file}"))?;
        given = given.with(url, body);
    }
    let mut opts = VerifyOptions::at(now).refresh(!args.no_refresh);
    for r in &args.recipients {
        opts = opts.recipient(r.clone());
    }
    let inputs = expand_inputs(&args.inputs)?;
    // As many workers as there is work for: one badge needs one thread, and threads cost start-up time.
    // One worker: the current thread (no hand-offs between threads on each network event).
    let workers = args.jobs.clamp(1, 64).min(inputs.len().max(1));
    let runtime = if workers == 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .enable_all()
            .build()
    }
    .context("cannot start the async runtime")?;
    let jobs = args.jobs.max(1);
    let json = args.json;
    if args.offline {
        runtime.block_on(run_all(inputs, opts, Arc::new(given), jobs, json))
    } else {
        let mut policy = FetchPolicy::default();
        if args.allow_private_hosts {
            policy.dangerous().allow_private_hosts();
        }
        let mut network = HttpFetch::new(policy)?;
        if let Some(dir) = &args.cache_dir {
            network = network.with_disk_cache(dir)?;
        }
        runtime.block_on(run_all(
            inputs,
            opts,
            Arc::new(Layered::new(given, network)),
            jobs,
            json,
        ))
    }
}

/// Files of directories, recursively (JSON, JWS/JWT, PNG, SVG), in name order; other inputs as given.
fn expand_inputs(inputs: &[String]) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for i in inputs {
        let p = Path::new(i);
        if !i.contains("://") && p.is_dir() {
            let mut files = Vec::new();
            walk(p, &mut files)?;
            files.sort();
            out.extend(files.into_iter().map(|f| f.to_string_lossy().into_owned()));
        } else {
            out.push(i.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir)
        .with_context(|| format!("cannot read directory {}", dir.display()))?
    {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "json" | "jws" | "jwt" | "png" | "svg"
            )
        }) {
            out.push(path);
        }
    }
    Ok(())
}

async fn run_all<F: Fetch + 'static>(
    inputs: Vec<String>,
    opts: VerifyOptions,
    fetch: Arc<F>,
    jobs: usize,
    json: bool,
) -> anyhow::Result<u8> {
    let total = inputs.len();
    let progress = total > 1 && std::io::stderr().is_terminal() && !json;
    let done = Arc::new(AtomicUsize::new(0));
    let opts = Arc::new(opts);
    let semaphore = Arc::new(tokio::sync::Semaphore::new(jobs));
    let mut tasks = tokio::task::JoinSet::new();
    for (index, input) in inputs.into_iter().enumerate() {
        let (fetch, opts, semaphore, done) =
            (fetch.clone(), opts.clone(), semaphore.clone(), done.clone());
        tasks.spawn(async move {
            let _permit = semaphore.acquire_owned().await;
            let result = verify_one(&input, &opts, &*fetch).await;
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if progress {
                eprint!("\r{}", progress_bar(n, total));
            }
            (index, input, result)
        });
    }
    // Print in input order as results arrive: only results that finished ahead of an earlier input wait,
    // so memory stays bounded however many badges there are.
    let style = Style::for_stdout();
    let (mut ok, mut not, mut cannot) = (0, 0, 0);
    let mut waiting = std::collections::BTreeMap::new();
    let mut next = 0;
    while let Some(r) = tasks.join_next().await {
        let (index, input, result) = r.context("a verification task failed")?;
        waiting.insert(index, (input, result));
        while let Some((input, result)) = waiting.remove(&next) {
            next += 1;
            if progress {
                eprint!("\r\x1b[K");
            }
            match result {
                Ok(report) => {
                    if report.verified {
                        ok += 1;
                    } else {
                        not += 1;
                    }
                    if json {
                        say(serde_json::to_string(&report)?);
                    } else {
                        print_human(&report, &style);
                    }
                }
                Err(e) => {
                    cannot += 1;
                    if json {
                        say(
                            serde_json::json!({"input": input, "verified": false, "error": format!("{e:#}")}),
                        );
                    }
                    eprintln!("obi verify: {input}: {e:#}");
                }
            }
        }
    }
    if progress {
        eprintln!();
    }
    if !json && total > 1 {
        say(format_args!(
            "{ok} verified, {not} not verified, {cannot} could not be checked ({total} in all)"
        ));
    }
    Ok(if cannot > 0 {
        EXIT_CANNOT_CHECK
    } else if not > 0 {
        EXIT_INVALID
    } else {
        EXIT_OK
    })
}

/// `  [##########----------]  50/100 badges`: 30 cells, whole cells only.
fn progress_bar(done: usize, total: usize) -> String {
    const CELLS: usize = 30;
    let filled = (done.min(total) * CELLS).checked_div(total).unwrap_or(0);
    format!(
        "  [{}{}] {done:>w$}/{total} badges",
        "#".repeat(filled),
        "-".repeat(CELLS - filled),
        w = total.to_string().len()
    )
}

async fn verify_one<F: Fetch>(
    input: &str,
    opts: &VerifyOptions,
    fetch: &F,
) -> anyhow::Result<VerifyReport> {
    if input.starts_with("https://") || input.starts_with("http://") {
        return Ok(obi_verify::verify(Input::Url(input), opts, fetch).await?);
    }
    let bytes = read_input(input)?;
    Ok(obi_verify::verify(
        Input::Bytes {
            name: input,
            bytes: &bytes,
        },
        opts,
        fetch,
    )
    .await?)
}

fn print_human(r: &VerifyReport, s: &Style) {
    let d = &r.display;
    let what = match (&d.name, &d.issuer_name) {
        (Some(n), Some(i)) => format!("\"{n}\" from {i}"),
        (Some(n), None) => format!("\"{n}\""),
        _ => "a badge".to_owned(),
    };
    let version = r.open_badges_version.as_deref().unwrap_or("?");
    if r.verified {
        say(format_args!(
            "{}{}verified{} {}: {what} (Open Badges {version}, {})",
            s.bold, s.green, s.reset, r.input, r.format
        ));
    } else {
        say(format_args!(
            "{}{}NOT verified{} {}: {what} (Open Badges {version}, {})",
            s.bold, s.red, s.reset, r.input, r.format
        ));
    }
    let mut facts = Vec::new();
    if let Some(t) = &d.issued_on {
        facts.push(format!("issued {t}"));
    }
    if let Some(t) = &d.expires {
        facts.push(format!("expires {t}"));
    }
    if let Some(st) = &d.status {
        facts.push(format!("status {st}"));
    }
    if let Some(m) = r.recipient_matched {
        facts.push(if m {
            "awarded to you".into()
        } else {
            "NOT awarded to the identity given".into()
        });
    }
    if !facts.is_empty() {
        say(format_args!("  {}", facts.join(", ")));
    }
    for c in &r.checks {
        let (colour, word) = match c.status {
            CheckStatus::Passed => (s.green, "ok  "),
            CheckStatus::Failed => (s.red, "FAIL"),
            CheckStatus::Skipped => (s.dim, "skip"),
        };
        say(format_args!(
            "  {colour}{word}{} {:<12} {}",
            s.reset, c.name, c.detail
        ));
    }
    if !r.verified {
        say(format_args!("  what it means: {}", meaning(r)));
    }
}

/// One sentence for the holder about the first failed step.
fn meaning(r: &VerifyReport) -> &'static str {
    let failed = r
        .checks
        .iter()
        .find(|c| c.status == CheckStatus::Failed)
        .map(|c| c.name);
    match failed {
        Some("proof") => {
            "the badge cannot be shown to come from its issuer unaltered; do not rely on it"
        }
        Some("status") => {
            "the issuer has withdrawn this badge, or its status could not be confirmed"
        }
        Some("validity") => "the badge is outside its validity period (expired or not yet valid)",
        Some("recipient") => {
            "the badge was awarded to someone else, as far as the identities given show"
        }
        Some("schema") => "the badge is malformed; a verifier cannot tell what it claims",
        Some("input") => "there is no badge to check here",
        Some("endorsements") => "an endorsement on the badge does not verify",
        _ => "a check failed; see above",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn progress_bar_fills_in_whole_cells() {
        assert_eq!(
            super::progress_bar(0, 3),
            "  [------------------------------] 0/3 badges"
        );
        assert_eq!(
            super::progress_bar(50, 100),
            "  [###############---------------]  50/100 badges"
        );
        assert_eq!(
            super::progress_bar(3, 3),
            "  [##############################] 3/3 badges"
        );
        assert!(super::progress_bar(1, 0).contains("1/0"));
    }
}
