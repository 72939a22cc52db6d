//! The dates proofs carry, read strictly: XML Schema `dateTimeStamp` (Data Integrity `created` and
//! `expires`) and RFC 7519 NumericDate (VC-JWT `exp`, `nbf`, `iat`), and the one clock leeway obi allows
//! when comparing them with the verifier's `now`.
//!
//! A date that is not in its format is malformed, never "absent": an `"exp": "2020-01-01"` is a broken
//! token, not one that never expires.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;

/// How far the signer's clock and the verifier's may disagree: **5 minutes** (300 seconds), the default of
/// the Digital Bazaar stack (`maxClockSkew`) and the usual JWT library leeway.
///
/// Applied in the holder's favour and nowhere else: a proof or token stays valid until `expires` / `exp`
/// plus the leeway, and is refused when `created`, `nbf` or `iat` lies more than the leeway after `now`.
/// The same constant serves Data Integrity proofs ([`crate::di`]) and VC-JWT ([`crate::vcjwt`]).
pub const CLOCK_LEEWAY: TimeDelta = TimeDelta::seconds(300);

/// [`CLOCK_LEEWAY`] in seconds, for comparing NumericDates.
const LEEWAY_SECONDS: f64 = 300.0;

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadDate(pub String);

/// Parse an XML Schema 1.1 `dateTimeStamp` (a `dateTime` with a time zone), as Data Integrity requires
/// of `created` and `expires`: `YYYY-MM-DDThh:mm:ss(.s+)?(Z|±hh:mm)`, an upper-case `T` and `Z`, and
/// nothing around it. Years outside 0001–9999 and `24:00:00` are refused (no signer writes them, and chrono
/// cannot represent every XML Schema year).
pub fn xsd_date_time_stamp(s: &str) -> Result<DateTime<Utc>, BadDate> {
    let bad = |why: &str| BadDate(format!("{s:?} is not an XML Schema dateTimeStamp: {why}"));
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if !(digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
        && b.get(10) == Some(&b'T')
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19))
    {
        return Err(bad("expected YYYY-MM-DDThh:mm:ss"));
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return Err(bad("a decimal point without digits"));
        }
    }
    match &b[i..] {
        b"Z" => {}
        [sign, h1, h2, b':', m1, m2]
            if matches!(sign, b'+' | b'-')
                && [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()) => {}
        [] => return Err(bad("no time zone (a dateTimeStamp needs Z or ±hh:mm)")),
        _ => return Err(bad("the time zone is not Z or ±hh:mm")),
    }
    // The lexical form is right; chrono checks the ranges (month 13, 25:00, 2023-02-30, zone ±14:00).
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| bad(&format!("out of range ({e})")))
}

/// An RFC 7519 NumericDate: seconds since the epoch as a JSON number, which may be fractional.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct NumericDate(f64);

impl NumericDate {
    /// Read a claim's value. Anything but a JSON number (a string, `true`, an object, `null`) is malformed.
    /// Every JSON number serde_json yields is finite; values far outside any calendar are kept as they are
    /// and compared as numbers, so they never overflow.
    pub fn from_json(v: &Value) -> Result<NumericDate, BadDate> {
        match v {
            Value::Number(n) => n
                .as_f64()
                .filter(|f| f.is_finite())
                .map(NumericDate)
                .ok_or_else(|| BadDate(format!("{n} is not a finite number"))),
            other => Err(BadDate(format!(
                "{other} is a JSON {}, not a NumericDate (a number of seconds since 1970)",
                json_type(other)
            ))),
        }
    }

    /// Seconds since the epoch.
    pub fn seconds(self) -> f64 {
        self.0
    }

    /// The whole second it falls in (rounded down), saturating for values outside `i64`.
    pub fn whole_seconds(self) -> i64 {
        // `as` saturates for floats out of range (and maps NaN, which from_json refuses, to 0).
        self.0.floor() as i64
    }

    /// Whether the time has passed at `now`, allowing [`CLOCK_LEEWAY`] (for `exp`).
    pub fn has_passed(self, now: DateTime<Utc>) -> bool {
        epoch_seconds(now) >= self.0 + LEEWAY_SECONDS
    }

    /// Whether the time is still ahead at `now`, beyond [`CLOCK_LEEWAY`] (for `nbf` and `iat`).
    pub fn is_ahead(self, now: DateTime<Utc>) -> bool {
        self.0 > epoch_seconds(now) + LEEWAY_SECONDS
    }
}

impl std::fmt::Display for NumericDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match DateTime::from_timestamp(self.whole_seconds(), 0) {
            Some(d) if self.0.abs() < 1e15 => write!(f, "{} ({})", self.0, d.to_rfc3339()),
            _ => write!(f, "{}", self.0),
        }
    }
}

/// `now` is at or past `expires` plus [`CLOCK_LEEWAY`] (saturating: a date at the end of time never passes).
pub fn expired(expires: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    expires
        .checked_add_signed(CLOCK_LEEWAY)
        .is_some_and(|limit| now >= limit)
}

/// `t` lies more than [`CLOCK_LEEWAY`] after `now`.
pub fn in_future(t: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now.checked_add_signed(CLOCK_LEEWAY)
        .is_some_and(|limit| t > limit)
}

fn epoch_seconds(now: DateTime<Utc>) -> f64 {
    now.timestamp() as f64 + f64::from(now.timestamp_subsec_nanos()) / 1e9
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn leeway_is_at_most_five_minutes() {
        assert!(CLOCK_LEEWAY <= TimeDelta::minutes(5));
        assert_eq!(LEEWAY_SECONDS, CLOCK_LEEWAY.num_seconds() as f64);
    }

    #[test]
    fn date_time_stamps() {
        for ok in [
            "2024-03-20T14:53:19Z",
            "2024-03-20T14:53:19.123456Z",
            "2024-03-20T14:53:19+02:00",
            "2024-03-20T14:53:19-00:00",
        ] {
            assert!(xsd_date_time_stamp(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "2024-03-20",
            "2024-03-20T14:53:19",
            "2024-03-20 14:53:19Z",
            "2024-03-20t14:53:19z",
            "2024-03-20T14:53Z",
            "2024-03-20T14:53:19.Z",
            "2024-03-20T14:53:19+0200",
            "2024-13-20T14:53:19Z",
            "2024-02-30T14:53:19Z",
            "2024-03-20T25:53:19Z",
            " 2024-03-20T14:53:19Z",
            "2024-03-20T14:53:19Z ",
            "yesterday",
            "2024-03-20T14:53:19ZZ",
            "２０２４-03-20T14:53:19Z",
        ] {
            assert!(xsd_date_time_stamp(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numeric_dates_are_numbers_only() {
        assert_eq!(
            NumericDate::from_json(&json!(1700000000))
                .unwrap()
                .seconds(),
            1.7e9
        );
        assert_eq!(
            NumericDate::from_json(&json!(1700000000.5))
                .unwrap()
                .whole_seconds(),
            1700000000
        );
        for bad in [
            json!("2020-01-01"),
            json!("1700000000"),
            json!(true),
            json!({}),
            json!([1]),
            json!(null),
        ] {
            assert!(NumericDate::from_json(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn huge_values_compare_without_overflow() {
        let now = at("2026-01-01T00:00:00Z");
        for (v, passed) in [
            (json!(u64::MAX), false),
            (json!(i64::MIN), true),
            (json!(1e300), false),
            (json!(-1e300), true),
        ] {
            let d = NumericDate::from_json(&v).unwrap();
            assert_eq!(d.has_passed(now), passed, "{v}");
            assert_eq!(d.is_ahead(now), !passed, "{v}");
            let _ = d.to_string();
            let _ = d.whole_seconds();
        }
        let big: Value = serde_json::from_str("1e308").unwrap();
        assert!(NumericDate::from_json(&big).is_ok());
    }

    #[test]
    fn leeway_in_the_holders_favour() {
        let now = at("2026-01-01T00:00:00Z");
        let t = now.timestamp() as f64;
        let d = |s: f64| NumericDate::from_json(&json!(s)).unwrap();
        assert!(!d(t - 299.0).has_passed(now));
        assert!(d(t - 300.0).has_passed(now));
        assert!(!d(t + 300.0).is_ahead(now));
        assert!(d(t + 300.5).is_ahead(now));
        assert!(!expired(now - TimeDelta::seconds(299), now));
        assert!(expired(now - TimeDelta::seconds(300), now));
        assert!(!in_future(now + TimeDelta::seconds(300), now));
        assert!(in_future(now + TimeDelta::seconds(301), now));
        assert!(!expired(DateTime::<Utc>::MAX_UTC, now));
        assert!(!in_future(
            DateTime::<Utc>::MAX_UTC,
            DateTime::<Utc>::MAX_UTC
        ));
    }
}
