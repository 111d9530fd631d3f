//! Time: `--now` (Unix seconds or RFC 3339), NumericDate claims, RFC 3339
//! formatting and relative phrases ("in 4m 12s", "expired 3h ago").
//!
//! NumericDates are taken as whole seconds (RFC 7519 §2 allows fractions),
//! rounded so that a fraction never lets a token in: `exp: 1700000000.9`
//! expires at 1700000000, `nbf: 1700000000.1` starts at 1700000001.

use serde_json::Value;

use crate::error::{Error, Result};

/// Current Unix time in seconds.
pub fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Parses `--now`: Unix seconds, or an RFC 3339 timestamp.
pub fn parse_now(s: &str) -> Result<i64> {
    let s = s.trim();
    if let Ok(n) = s.parse::<i64>() {
        return Ok(n);
    }
    s.parse::<jiff::Timestamp>()
        .map(|t| t.as_second())
        .map_err(|e| {
            Error::usage(format!(
                "--now {s:?}: expected Unix seconds or an RFC 3339 time like 2030-01-01T00:00:00Z ({e})"
            ))
        })
}

/// A NumericDate claim value: `Ok(None)` when absent or null, `Err` when present
/// but not a JSON number. Rounds down and saturates: the lenient reading
/// `decode` and `serve`'s logs use to show a time. Verification uses
/// [`time_claim`].
pub fn numeric_date(v: Option<&Value>) -> std::result::Result<Option<i64>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64() {
                Ok(Some(i))
            } else if n.as_u64().is_some() {
                Ok(Some(i64::MAX))
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                if !f.is_finite() {
                    return Err("is not a finite number".into());
                }
                // `as` saturates at the i64 range.
                Ok(Some(f.floor() as i64))
            }
        }
        Some(other) => Err(format!(
            "is {}, not a number (NumericDate)",
            crate::jwt::json_type(other)
        )),
    }
}

/// The earliest time claim accepted: 0001-01-01T00:00:00Z.
pub const MIN_TIME: i64 = -62_135_596_800;
/// The latest time claim accepted: 9999-12-31T23:59:59Z (RFC 3339 writes
/// four-digit years).
pub const MAX_TIME: i64 = 253_402_300_799;

/// Which way a fractional NumericDate is taken to whole seconds. A fraction
/// never lets a token in: an end (`exp`) rounds down, a start (`nbf`, `iat`,
/// `auth_time`) rounds up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Round {
    Down,
    Up,
}

/// A time claim as verification reads it (docs/differences.md#claim-types):
/// `Ok(None)` only when the member is absent; `null`, a non-number and a
/// number outside [`MIN_TIME`]..=[`MAX_TIME`] (years 1 to 9999) are errors,
/// never "absent" nor "valid for ever". `Err` is the phrase after the claim's
/// name ("is null, not a number").
pub fn time_claim(v: Option<&Value>, round: Round) -> std::result::Result<Option<i64>, String> {
    let n = match v {
        None => return Ok(None),
        Some(Value::Number(n)) => n,
        Some(Value::Null) => return Err("is null, not a number (NumericDate)".into()),
        Some(other) => {
            return Err(format!(
                "is {}, not a number (NumericDate)",
                crate::jwt::json_type(other)
            ));
        }
    };
    let secs = if let Some(i) = n.as_i64() {
        Some(i)
    } else if n.as_u64().is_some() {
        None // above i64::MAX: out of range
    } else {
        let f = n.as_f64().unwrap_or(f64::NAN);
        let whole = match round {
            Round::Down => f.floor(),
            Round::Up => f.ceil(),
        };
        // Compared as floats first: `as` would saturate 1e300 into range.
        (whole.is_finite() && whole >= MIN_TIME as f64 && whole <= MAX_TIME as f64)
            .then_some(whole as i64)
    };
    match secs {
        Some(s) if (MIN_TIME..=MAX_TIME).contains(&s) => Ok(Some(s)),
        _ => Err(format!(
            "is {}, outside the years 1 to 9999 ({MIN_TIME} to {MAX_TIME})",
            crate::sanitize::truncate(&n.to_string(), 40)
        )),
    }
}

/// RFC 3339 UTC, e.g. `2023-01-23T18:36:18Z`; out-of-range values say so.
pub fn rfc3339(secs: i64) -> String {
    let mut out = String::with_capacity(20);
    push_rfc3339(&mut out, secs);
    out
}

/// [`rfc3339`] appended to `out` (the checks of a verification write their
/// details into one buffer each).
pub fn push_rfc3339(out: &mut String, secs: i64) {
    match jiff::Timestamp::from_second(secs) {
        Ok(t) => {
            // Written digit by digit (verify formats up to three per token);
            // the same text as `strftime("%Y-%m-%dT%H:%M:%SZ")`, which still
            // handles years of other than four digits.
            let dt = jiff::tz::Offset::UTC.to_datetime(t);
            if !(1000..=9999).contains(&dt.year()) {
                out.push_str(&t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
                return;
            }
            let mut b = *b"0000-00-00T00:00:00Z";
            let mut put = |at: usize, width: usize, mut v: u32| {
                for i in (at..at + width).rev() {
                    b[i] = b'0' + (v % 10) as u8;
                    v /= 10;
                }
            };
            put(0, 4, dt.year() as u32);
            put(5, 2, dt.month() as u32);
            put(8, 2, dt.day() as u32);
            put(11, 2, dt.hour() as u32);
            put(14, 2, dt.minute() as u32);
            put(17, 2, dt.second() as u32);
            // Only ASCII digits and separators were written.
            out.push_str(std::str::from_utf8(&b).unwrap_or_default());
        }
        Err(_) => {
            use std::fmt::Write;
            let _ = write!(out, "{secs} (beyond year 9999)");
        }
    }
}

/// A duration in at most two units: `4m 12s`, `3h`, `2d 5h`, `0s`.
///
/// ```
/// assert_eq!(oidcat::clock::human_duration(252), "4m 12s");
/// assert_eq!(oidcat::clock::human_duration(3 * 3600 + 5), "3h");
/// ```
pub fn human_duration(secs: u64) -> String {
    let mut out = String::with_capacity(12);
    push_duration(&mut out, secs);
    out
}

/// [`human_duration`] appended to `out`.
fn push_duration(out: &mut String, secs: u64) {
    use std::fmt::Write;
    const UNITS: [(u64, &str); 5] = [
        (365 * 86400, "y"),
        (86400, "d"),
        (3600, "h"),
        (60, "m"),
        (1, "s"),
    ];
    if secs == 0 {
        out.push_str("0s");
        return;
    }
    let mut parts = 0;
    let mut rest = secs;
    for (size, unit) in UNITS {
        if rest >= size {
            if parts > 0 {
                out.push(' ');
            }
            let _ = write!(out, "{}{unit}", rest / size);
            parts += 1;
            rest %= size;
        } else if parts > 0 {
            // keep the two units adjacent: "1h 0m" is shown as "1h"
            break;
        }
        if parts == 2 {
            break;
        }
    }
}

/// "in 4m 12s" or "4m 12s ago".
pub fn relative(at: i64, now: i64) -> String {
    let mut out = String::with_capacity(16);
    push_relative(&mut out, at, now);
    out
}

/// [`relative`] appended to `out`.
pub fn push_relative(out: &mut String, at: i64, now: i64) {
    let diff = at as i128 - now as i128;
    let secs = diff.unsigned_abs().min(u64::MAX as u128) as u64;
    if diff > 0 {
        out.push_str("in ");
        push_duration(out, secs);
    } else {
        push_duration(out, secs);
        out.push_str(" ago");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formats_rfc3339() {
        assert_eq!(rfc3339(1674498978), "2023-01-23T18:36:18Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert!(rfc3339(i64::MAX).contains("beyond"));
    }

    #[test]
    fn parses_now() {
        assert_eq!(parse_now("1674498700").unwrap(), 1674498700);
        assert_eq!(parse_now("2023-01-23T18:36:18Z").unwrap(), 1674498978);
        assert_eq!(parse_now("2023-01-23T19:36:18+01:00").unwrap(), 1674498978);
        assert!(parse_now("yesterday").is_err());
    }

    #[test]
    fn rfc3339_matches_strftime() {
        let max = jiff::Timestamp::MAX.as_second();
        let min = jiff::Timestamp::MIN.as_second();
        let mut secs: Vec<i64> = vec![
            0,
            1,
            59,
            60,
            86399,
            86400,
            951782400,
            951868800,
            1674498978,
            4102444800,
            32503680000,
            -1,
            -62135596800,
            -30610224000,
            -30610224001,
            max,
            max - 1,
            min,
            min + 1,
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            secs.push(min + (x % (max - min) as u64) as i64);
        }
        for s in secs {
            let want = jiff::Timestamp::from_second(s)
                .unwrap()
                .strftime("%Y-%m-%dT%H:%M:%SZ")
                .to_string();
            assert_eq!(rfc3339(s), want, "{s}");
        }
        assert!(rfc3339(max + 1).contains("beyond"));
    }

    #[test]
    fn human_durations() {
        assert_eq!(human_duration(252), "4m 12s");
        assert_eq!(human_duration(3 * 3600), "3h");
        assert_eq!(human_duration(3 * 3600 + 5), "3h");
        assert_eq!(human_duration(182), "3m 2s");
        assert_eq!(human_duration(86400 + 7200), "1d 2h");
        assert_eq!(relative(100, 352), "4m 12s ago");
        assert_eq!(relative(352, 100), "in 4m 12s");
        assert_eq!(relative(5, 5), "0s ago");
    }

    #[test]
    fn numeric_dates_floor_and_type_check() {
        assert_eq!(numeric_date(Some(&json!(10))).unwrap(), Some(10));
        assert_eq!(numeric_date(Some(&json!(10.9))).unwrap(), Some(10));
        assert_eq!(numeric_date(Some(&json!(-0.0))).unwrap(), Some(0));
        assert_eq!(
            numeric_date(Some(&json!(u64::MAX))).unwrap(),
            Some(i64::MAX)
        );
        assert_eq!(numeric_date(Some(&json!(1e300))).unwrap(), Some(i64::MAX));
        assert_eq!(numeric_date(None).unwrap(), None);
        assert_eq!(numeric_date(Some(&Value::Null)).unwrap(), None);
        assert!(numeric_date(Some(&json!("9999999999"))).is_err());
        assert!(numeric_date(Some(&json!(true))).is_err());
    }

    #[test]
    fn time_claims_round_against_the_token_and_stay_in_range() {
        use Round::*;
        let t = |v: Value, r| time_claim(Some(&v), r);
        assert_eq!(t(json!(10), Down), Ok(Some(10)));
        assert_eq!(t(json!(10.9), Down), Ok(Some(10)));
        assert_eq!(t(json!(10.1), Up), Ok(Some(11)));
        assert_eq!(t(json!(10.0), Up), Ok(Some(10)));
        assert_eq!(t(json!(-0.5), Up), Ok(Some(0)));
        assert_eq!(t(json!(-0.5), Down), Ok(Some(-1)));
        assert_eq!(time_claim(None, Down), Ok(None));
        assert!(t(Value::Null, Down).unwrap_err().contains("null"));
        assert!(t(json!("10"), Up).unwrap_err().contains("string"));
        // the edges of years 1 and 9999, as integers and as floats
        assert_eq!(t(json!(MAX_TIME), Down), Ok(Some(MAX_TIME)));
        assert_eq!(t(json!(MIN_TIME), Up), Ok(Some(MIN_TIME)));
        assert_eq!(t(json!(MAX_TIME as f64 + 0.5), Down), Ok(Some(MAX_TIME)));
        assert!(t(json!(MAX_TIME as f64 + 0.5), Up).is_err());
        assert!(t(json!(MIN_TIME as f64 - 0.5), Up).is_ok());
        assert!(t(json!(MIN_TIME as f64 - 0.5), Down).is_err());
        for far in [
            json!(MAX_TIME + 1),
            json!(MIN_TIME - 1),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(1e300),
            json!(-1e300),
            json!(9.3e18),
        ] {
            let e = t(far.clone(), Down).unwrap_err();
            assert!(e.contains("years 1 to 9999"), "{far}: {e}");
        }
    }
}
