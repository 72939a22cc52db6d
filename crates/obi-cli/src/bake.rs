//! `obi bake` and `obi extract`.

use std::io::{IsTerminal, Write};

use anyhow::Context;
use base64::Engine;
use obi_bake::{BakeError, Baked, ExtractError, Kind, Payload, Version};

use crate::output::{read_input, say};
use crate::{EXIT_CANNOT_CHECK, EXIT_INVALID, EXIT_OK, EXIT_USAGE};

#[derive(clap::Args)]
pub struct BakeArgs {
    /// The PNG or SVG image to bake into (`-` for standard input).
    image: String,
    /// The badge: an OB 2.0 assertion or OB 3.0 credential as JSON, a compact JWS, or (OB 1.0/2.0) a URL.
    #[arg(long, value_name = "FILE|-")]
    credential: String,
    /// Where to write the baked image (default: standard output, unless it is a terminal).
    #[arg(short = 'o', long, value_name = "OUT")]
    output: Option<String>,
    /// Treat the payload as Open Badges 2.0 (keyword `openbadges`), whatever it looks like.
    #[arg(long, conflicts_with = "ob3")]
    ob2: bool,
    /// Treat the payload as Open Badges 3.0 (keyword `openbadgecredential`), whatever it looks like.
    #[arg(long)]
    ob3: bool,
}

#[derive(clap::Args)]
pub struct ExtractArgs {
    /// The baked PNG or SVG image (`-` for standard input).
    image: String,
    /// Print JSON: every payload found, with its version, kind and byte offset.
    #[arg(long)]
    json: bool,
}

pub fn bake(args: BakeArgs) -> anyhow::Result<u8> {
    if args.image == "-" && args.credential == "-" {
        eprintln!("obi bake: the image and the credential cannot both come from standard input");
        return Ok(EXIT_USAGE);
    }
    let image = read_input(&args.image)?;
    let credential = read_input(&args.credential)?;
    let text = String::from_utf8(credential).map_err(|e| {
        anyhow::anyhow!(
            "{}: the credential is not UTF-8 text (byte {})",
            args.credential,
            e.utf8_error().valid_up_to()
        )
    })?;
    let text = text.trim().to_owned();
    let version = if args.ob2 {
        Version::Ob2
    } else if args.ob3 {
        Version::Ob3
    } else {
        detect_version(&text)
    };
    let baked = match obi_bake::bake(&image, &Payload::new(version, text)) {
        Ok(b) => b,
        Err(BakeError::Payload(p)) => {
            eprintln!(
                "obi bake: {}: cannot bake this payload: {p}",
                args.credential
            );
            return Ok(EXIT_CANNOT_CHECK);
        }
        Err(e) => {
            eprintln!("obi bake: {}: {e}", args.image);
            return Ok(EXIT_CANNOT_CHECK);
        }
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, &baked).with_context(|| format!("cannot write {path}"))?
        }
        None => {
            if std::io::stdout().is_terminal() {
                eprintln!(
                    "obi bake: refusing to write an image to a terminal; give -o OUT or redirect standard output"
                );
                return Ok(EXIT_USAGE);
            }
            std::io::stdout()
                .write_all(&baked)
                .context("cannot write standard output")?;
        }
    }
    Ok(EXIT_OK)
}

/// OB 3.0 when the payload is a Verifiable Credential (JSON, or a JWT whose claims are one); else OB 2.0.
pub(crate) fn detect_version(text: &str) -> Version {
    let json = match Kind::of(text) {
        Some(Kind::Json) => serde_json::from_str::<serde_json::Value>(text).ok(),
        Some(Kind::Jws) => text
            .split('.')
            .nth(1)
            .and_then(|p| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(p.trim_end_matches('='))
                    .ok()
            })
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok()),
        _ => None,
    };
    let Some(json) = json else {
        return Version::Ob2;
    };
    let is_vc = |v: &serde_json::Value| {
        let ctx = v.get("@context").map(|c| c.to_string()).unwrap_or_default();
        ctx.contains("www.w3.org/ns/credentials")
            || ctx.contains("www.w3.org/2018/credentials")
            || v.get("type")
                .is_some_and(|t| t.to_string().contains("VerifiableCredential"))
    };
    if is_vc(&json) || json.get("vc").is_some_and(is_vc) {
        Version::Ob3
    } else {
        Version::Ob2
    }
}

pub fn extract(args: ExtractArgs) -> anyhow::Result<u8> {
    let image = read_input(&args.image)?;
    let found = match obi_bake::extract_all(&image) {
        Ok(f) => f,
        Err(
            e @ (ExtractError::UnknownFormat | ExtractError::Png { .. } | ExtractError::Svg { .. }),
        ) => {
            eprintln!("obi extract: {}: {e}", args.image);
            return Ok(EXIT_CANNOT_CHECK);
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        let items: Vec<serde_json::Value> = found.iter().map(describe).collect();
        say(format_args!(
            "{}",
            serde_json::json!({"image": args.image, "found": items})
        ));
    } else if let Some(first) = found.first() {
        say(format_args!("{}", first.text));
        for other in &found[1..] {
            eprintln!(
                "obi extract: the image also carries an {} payload at byte {} (use --json to see all)",
                version_name(other.version),
                other.offset
            );
        }
    }
    if found.is_empty() {
        eprintln!("obi extract: {}: no badge in this image", args.image);
        return Ok(EXIT_INVALID);
    }
    Ok(EXIT_OK)
}

fn version_name(v: Version) -> &'static str {
    match v {
        Version::Ob3 => "Open Badges 3.0",
        Version::Ob2 => "Open Badges 2.0",
    }
}

fn describe(b: &Baked) -> serde_json::Value {
    serde_json::json!({
        "openBadgesVersion": match b.version { Version::Ob3 => "3.0", Version::Ob2 => "2.0" },
        "kind": match b.kind { Kind::Json => "json", Kind::Jws => "jws", Kind::Url => "url" },
        "format": match b.format { obi_bake::Format::Png => "png", obi_bake::Format::Svg => "svg" },
        "offset": b.offset,
        "payload": b.text,
    })
}
