//! Terminal styling: colour only on a terminal, and never with NO_COLOR set.

use std::io::IsTerminal;

/// ANSI styles, empty when colour is off.
pub struct Style {
    pub red: &'static str,
    pub yellow: &'static str,
    pub green: &'static str,
    pub dim: &'static str,
    pub bold: &'static str,
    pub reset: &'static str,
}

impl Style {
    /// Colour if stdout is a terminal and NO_COLOR is unset.
    pub fn for_stdout() -> Style {
        let on = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        if on {
            Style {
                red: "\x1b[31m",
                yellow: "\x1b[33m",
                green: "\x1b[32m",
                dim: "\x1b[2m",
                bold: "\x1b[1m",
                reset: "\x1b[0m",
            }
        } else {
            Style {
                red: "",
                yellow: "",
                green: "",
                dim: "",
                bold: "",
                reset: "",
            }
        }
    }
}

/// The largest input file (or standard input) obi reads: 32 MiB. Badges are a few kilobytes and baked
/// images a few megabytes; a larger file is refused before it is read, so memory stays bounded.
pub const MAX_INPUT_BYTES: u64 = 32 * 1024 * 1024;

/// Read a file, or standard input for `-`, refusing more than [`MAX_INPUT_BYTES`] before reading it.
pub fn read_input(path: &str) -> anyhow::Result<Vec<u8>> {
    use anyhow::Context;
    use std::io::Read;
    let too_large = |size: String| {
        anyhow::anyhow!(
            "{path} is {size} bytes, more than obi reads ({} MiB): a badge is a few kilobytes, a baked image a few megabytes",
            MAX_INPUT_BYTES / (1024 * 1024)
        )
    };
    let mut buf = Vec::new();
    if path == "-" {
        std::io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)
            .context("cannot read standard input")?;
        if buf.len() as u64 > MAX_INPUT_BYTES {
            return Err(too_large("over".into()));
        }
    } else {
        let file = std::fs::File::open(path).with_context(|| format!("cannot read {path}"))?;
        let size = file
            .metadata()
            .with_context(|| format!("cannot read {path}"))?
            .len();
        if size > MAX_INPUT_BYTES {
            return Err(too_large(size.to_string()));
        }
        // A file that grows while it is read is cut at the limit too.
        file.take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)
            .with_context(|| format!("cannot read {path}"))?;
        if buf.len() as u64 > MAX_INPUT_BYTES {
            return Err(too_large("over".into()));
        }
    }
    Ok(buf)
}

/// Print a line to standard output; a closed pipe (`obi extract x | head`) ends quietly instead of panicking.
pub fn say(line: impl std::fmt::Display) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{line}")
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}
