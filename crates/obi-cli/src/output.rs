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

/// Read a file, or standard input for `-`.
pub fn read_input(path: &str) -> anyhow::Result<Vec<u8>> {
    use anyhow::Context;
    use std::io::Read;
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("cannot read standard input")?;
        Ok(buf)
    } else {
        std::fs::read(path).with_context(|| format!("cannot read {path}"))
    }
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
