//! Dates as Open Badges write them.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;

/// Parse an OB 2.0 `DateTime`: ISO 8601 with a time and a time zone (`Z`, `±hh:mm`, `±hhmm` or `±hh`).
/// Returns `None` for anything else, including a date or time without a zone.
pub fn parse_ob_datetime(s: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    let t = s.find('T')?;
    let (date, rest) = s.split_at(t);
    let rest = &rest[1..];
    // Split the zone off the time.
    let (time, zone) = if let Some(time) = rest.strip_suffix('Z').or_else(|| rest.strip_suffix('z'))
    {
        (time, "+00:00".to_owned())
    } else {
        let idx = rest.rfind(['+', '-'])?;
        let (time, zone) = rest.split_at(idx);
        let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let (hh, mm) = match digits.len() {
            2 => (&digits[..2], "00"),
            4 => (&digits[..2], &digits[2..]),
            _ => return None,
        };
        (time, format!("{}{hh}:{mm}", &zone[..1]))
    };
    let time = match time.len() {
        5 => format!("{time}:00"),
        _ => time.to_owned(),
    };
    DateTime::parse_from_rfc3339(&format!("{date}T{time}{zone}")).ok()
}

/// The official validator's upgrade of a 1.x date: a Unix timestamp (number or numeric string), an ISO 8601
/// datetime without a zone (taken as UTC), or a plain `YYYY-MM-DD` date (midnight UTC). Written as
/// `YYYY-MM-DDThh:mm:ss+00:00`.
pub fn upgrade_legacy_datetime(v: &Value) -> Option<String> {
    let fmt = |d: DateTime<Utc>| d.format("%Y-%m-%dT%H:%M:%S%:z").to_string();
    let as_ts = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    if let Some(ts) = as_ts {
        if !ts.is_finite() || ts.abs() > 1e13 {
            return None;
        }
        let secs = ts.trunc() as i64;
        let nanos = ((ts.fract().abs()) * 1e9) as u32;
        return Utc.timestamp_opt(secs, nanos).single().map(fmt);
    }
    let s = v.as_str()?.trim();
    if let Some(d) = parse_ob_datetime(s) {
        return Some(d.to_rfc3339());
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            return Some(fmt(Utc.from_utc_datetime(&n)));
        }
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(fmt(Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn zones_are_required() {
        for ok in [
            "2024-01-15T12:00:00Z",
            "2024-01-15T12:00:00+02:00",
            "2024-01-15T12:00:00+0200",
            "2024-01-15T12:00:00-05",
            "2024-01-15T12:00:00.123Z",
            "2024-01-15T12:00Z",
        ] {
            assert!(parse_ob_datetime(ok).is_some(), "{ok}");
        }
        for bad in [
            "2024-01-15",
            "2024-01-15T12:00:00",
            "yesterday",
            "2024-13-01T00:00:00Z",
            "",
            "T+",
            "2024-01-15T12:00:00+2",
        ] {
            assert!(parse_ob_datetime(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn legacy_dates_upgrade() {
        assert_eq!(
            upgrade_legacy_datetime(&json!("2016-01-01")).unwrap(),
            "2016-01-01T00:00:00+00:00"
        );
        assert_eq!(
            upgrade_legacy_datetime(&json!(1400000000)).unwrap(),
            "2014-05-13T16:53:20+00:00"
        );
        assert_eq!(
            upgrade_legacy_datetime(&json!("1400000000")).unwrap(),
            "2014-05-13T16:53:20+00:00"
        );
        assert_eq!(
            upgrade_legacy_datetime(&json!("2016-01-01T10:00:00")).unwrap(),
            "2016-01-01T10:00:00+00:00"
        );
        assert!(upgrade_legacy_datetime(&json!("soon")).is_none());
        assert!(upgrade_legacy_datetime(&json!(1e300)).is_none());
    }
}
