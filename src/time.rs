//! Time: the clock, NumericDate claims (RFC 7519 §2), the `WHEN` and `DURATION` syntaxes of
//! the command line, and human renderings ("2011-03-22T18:43:00Z", "expired 3h ago").

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

/// Seconds since the Unix epoch, as a float: NumericDates may be non-integer, and an
/// out-of-range value must stay out of range rather than wrap.
pub type Seconds = f64;

/// The time claims jwtk annotates and judges.
pub const TIME_CLAIMS: [&str; 4] = ["exp", "nbf", "iat", "auth_time"];

/// The system clock, in epoch seconds. (The command lets `JWTK_NOW` pin its clock; the
/// library never reads the environment: callers pass the instant they judge at.)
pub fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// How a time claim's value reads as a NumericDate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumericDate {
    /// A finite number of seconds since the epoch (possibly negative, huge or fractional).
    At(Seconds),
    /// Not a number: a string, `null`, a boolean, an array or an object.
    NotANumber(&'static str),
}

impl NumericDate {
    /// Read a claim value as a NumericDate.
    pub fn read(value: &Value) -> Self {
        match value.as_f64() {
            Some(secs) if value.is_number() => NumericDate::At(secs),
            _ => NumericDate::NotANumber(crate::json::kind_of(value)),
        }
    }

    /// [`NumericDate::read`] for a value read in place.
    pub fn read_lite(value: &crate::json::Lite) -> Self {
        match value.as_f64() {
            Some(secs) => NumericDate::At(secs),
            None => NumericDate::NotANumber(value.kind()),
        }
    }
}

/// A point in time given on the command line: `now`, `+15m`, `-2h`, an RFC 3339 time, or
/// epoch seconds (at least 10^9, so `--exp 3600` is never read as a date in 1970).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Relative to now, in seconds (negative for the past).
    Offset(i64),
    /// An absolute time, in epoch seconds.
    At(i64),
}

impl When {
    /// The instant this names, given the current time.
    pub fn resolve(self, now: i64) -> i64 {
        match self {
            When::Offset(secs) => now.saturating_add(secs),
            When::At(secs) => secs,
        }
    }
}

/// Why a `WHEN` or `DURATION` could not be read; the message is for clap's usage error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeSyntaxError(pub String);

impl fmt::Display for TimeSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TimeSyntaxError {}

/// Smallest bare integer read as epoch seconds: 10^9 is 2001-09-09.
pub const MIN_EPOCH: i64 = 1_000_000_000;

impl FromStr for When {
    type Err = TimeSyntaxError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("now") {
            return Ok(When::Offset(0));
        }
        if let Some(rest) = text.strip_prefix('+') {
            return parse_duration(rest).map(When::Offset);
        }
        if let Some(rest) = text.strip_prefix('-') {
            return parse_duration(rest).map(|secs| When::Offset(-secs));
        }
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return match text.parse::<i64>() {
                Ok(secs) if secs >= MIN_EPOCH => Ok(When::At(secs)),
                _ => Err(TimeSyntaxError(format!(
                    "{text} is not a time: a bare number must be epoch seconds \
                     (at least {MIN_EPOCH}, 2001-09-09); for a time from now write +{text}s \
                     or +1h, or give an epoch time such as $(date -d '+1 hour' +%s)"
                ))),
            };
        }
        jiff::Timestamp::from_str(text)
            .map(|ts| When::At(ts.as_second()))
            .map_err(|_| {
                TimeSyntaxError(format!(
                    "cannot read {text:?} as a time: use now, +15m, -2h, +7d, an RFC 3339 time \
                 (2026-01-31T12:00:00Z) or epoch seconds"
                ))
            })
    }
}

/// A length of time: `90s`, `15m`, `2h`, `7d` or plain seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration(pub i64);

impl FromStr for Duration {
    type Err = TimeSyntaxError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_duration(text.trim()).map(Duration)
    }
}

fn parse_duration(text: &str) -> Result<i64, TimeSyntaxError> {
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => 0,
    };
    match digits.parse::<i64>() {
        Ok(n) if scale > 0 => n
            .checked_mul(scale)
            .ok_or_else(|| TimeSyntaxError(format!("{text} is too long a time"))),
        _ => Err(TimeSyntaxError(format!(
            "cannot read {text:?} as a duration: use a number with s, m, h, d or w (90s, 15m, 2h, 7d)"
        ))),
    }
}

/// An epoch time as `2011-03-22T18:43:00Z`, or a description when it is out of range.
pub fn format_utc(secs: Seconds) -> String {
    let whole = secs.floor();
    if !(-9_000_000_000_000.0..=9_000_000_000_000.0).contains(&whole) {
        return out_of_range(secs);
    }
    if (0.0..=LATEST).contains(&whole) {
        return format_utc_fast(whole as i64);
    }
    // RFC 3339 in UTC, through jiff's Display (cheaper than a strftime per call).
    match jiff::Timestamp::from_second(whole as i64) {
        Ok(ts) => ts.to_string(),
        Err(_) => out_of_range(secs),
    }
}

/// The latest instant jiff represents (9999-12-30T22:00:00Z); later ones are out of range.
const LATEST: Seconds = 253_402_207_200.0;

/// `format_utc` for 1970 to 9999 without a calendar library (`--batch` formats a date per
/// token): the proleptic Gregorian date of a day count (H. Hinnant's `civil_from_days`).
fn format_utc_fast(secs: i64) -> String {
    utc_fast(secs).iter().map(|&b| char::from(b)).collect()
}

/// The ASCII text of [`format_utc_fast`], on the stack.
fn utc_fast(secs: i64) -> [u8; 20] {
    let (days, time) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let (era, doe) = (z.div_euclid(146_097), z.rem_euclid(146_097));
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let mut text = *b"0000-00-00T00:00:00Z";
    let fields = [
        (0, 4, year),
        (5, 2, month),
        (8, 2, day),
        (11, 2, time / 3600),
        (14, 2, time / 60 % 60),
        (17, 2, time % 60),
    ];
    for (at, width, mut value) in fields {
        for slot in text[at..at + width].iter_mut().rev() {
            *slot = b'0' + (value % 10) as u8;
            value /= 10;
        }
    }
    text
}

/// [`format_utc`] as a `Display`: written without allocating from 1970 to 9999 (`--batch`
/// writes a date per token).
pub struct Utc(pub Seconds);

impl fmt::Display for Utc {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let whole = self.0.floor();
        if (0.0..=LATEST).contains(&whole) {
            let text = utc_fast(whole as i64);
            return f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?);
        }
        f.write_str(&format_utc(self.0))
    }
}

/// An epoch time in the local time zone (`TZ`, else the system's), as
/// `2011-03-22 19:43:00 CET`; `None` when out of range or no zone can be found.
pub fn format_local(secs: Seconds) -> Option<String> {
    let zone = jiff::tz::TimeZone::try_system().ok()?;
    let whole = secs.floor();
    if !(-9_000_000_000_000.0..=9_000_000_000_000.0).contains(&whole) {
        return None;
    }
    let zoned = jiff::Timestamp::from_second(whole as i64)
        .ok()?
        .to_zoned(zone);
    Some(zoned.strftime("%Y-%m-%d %H:%M:%S %Z").to_string())
}

/// `2011-03-22T18:43:00Z`, with the local time beside it when `local` is asked for.
pub fn format_at(secs: Seconds, local: bool) -> String {
    At { secs, local }.to_string()
}

/// [`format_at`] as a `Display`.
pub struct At {
    /// The instant.
    pub secs: Seconds,
    /// Whether the local time is added.
    pub local: bool,
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        Utc(self.secs).fmt(f)?;
        // The zone is looked up only when asked for: `--batch` formats a date per token.
        match self.local.then(|| format_local(self.secs)).flatten() {
            Some(here) => write!(f, " = {here}"),
            None => Ok(()),
        }
    }
}

fn out_of_range(secs: Seconds) -> String {
    if secs > 0.0 {
        "after the year 9999".into()
    } else {
        "before the year -9999".into()
    }
}

/// A span of seconds as at most two units: `45s`, `14m`, `3h 12m`, `2d 4h`, `15y 245d`.
pub fn format_span(secs: Seconds) -> String {
    Span(secs).to_string()
}

/// [`format_span`] as a `Display`, written without allocating.
pub struct Span(pub Seconds);

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let secs = self.0.abs();
        if secs >= 1e6 * 365.0 * 86_400.0 {
            return write!(f, "{:.0e}y", secs / (365.0 * 86_400.0));
        }
        const UNITS: [(u64, &str); 5] = [
            (365 * 86_400, "y"),
            (86_400, "d"),
            (3600, "h"),
            (60, "m"),
            (1, "s"),
        ];
        let mut parts = 0;
        let mut rest = secs.round() as u64;
        for (size, name) in UNITS {
            if rest >= size || (parts == 0 && size == 1) {
                if parts > 0 {
                    f.write_str(" ")?;
                }
                f.write_str(itoa::Buffer::new().format(rest / size))?;
                f.write_str(name)?;
                rest %= size;
                parts += 1;
            } else if parts > 0 {
                break;
            }
            if parts == 2 {
                break;
            }
        }
        Ok(())
    }
}

/// "in 14m" or "3h ago", for `at` seen from `now`.
pub fn relative(at: Seconds, now: i64) -> String {
    Relative { at, now }.to_string()
}

/// [`relative`] as a `Display`, written without allocating.
pub struct Relative {
    /// The instant described.
    pub at: Seconds,
    /// The instant it is seen from.
    pub now: i64,
}

impl fmt::Display for Relative {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let delta = self.at - self.now as f64;
        if delta.abs() < 1.0 {
            f.write_str("now")
        } else if delta > 0.0 {
            f.write_str("in ")?;
            Span(delta).fmt(f)
        } else {
            Span(delta).fmt(f)?;
            f.write_str(" ago")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The calendar arithmetic agrees with jiff's, second by second around the edges and
    /// day by day across the range.
    #[test]
    fn fast_dates_match_jiff() {
        let jiff = |secs: i64| jiff::Timestamp::from_second(secs).unwrap().to_string();
        let edges = [
            0,
            1,
            59,
            86_399,
            951_782_400,
            4_107_542_400,
            253_402_207_200,
        ];
        let days = (0..2_932_896).step_by(7).map(|d| d * 86_400 + d % 86_400);
        let days = days.filter(|&secs| secs as Seconds <= LATEST);
        for secs in edges.into_iter().chain(days) {
            assert_eq!(format_utc_fast(secs), jiff(secs), "{secs}");
        }
        assert_eq!(format_utc(253_402_207_200.5), "9999-12-30T22:00:00Z");
        assert_eq!(format_utc(253_402_207_201.0), "after the year 9999");
        assert_eq!(format_utc(-1.0), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn when_accepts_the_contract_forms() {
        assert_eq!("now".parse(), Ok(When::Offset(0)));
        assert_eq!("+90s".parse(), Ok(When::Offset(90)));
        assert_eq!("+15m".parse(), Ok(When::Offset(900)));
        assert_eq!("-2h".parse(), Ok(When::Offset(-7200)));
        assert_eq!("+7d".parse(), Ok(When::Offset(604_800)));
        assert_eq!("1300819380".parse(), Ok(When::At(1_300_819_380)));
        assert_eq!("2011-03-22T18:43:00Z".parse(), Ok(When::At(1_300_819_380)));
    }

    #[test]
    fn when_refuses_small_bare_integers() {
        let err = "3600".parse::<When>().unwrap_err();
        assert!(err.0.contains("+3600s"), "{err}");
        assert!("999999999".parse::<When>().is_err());
        assert!("tomorrow".parse::<When>().is_err());
        assert!("+5x".parse::<When>().is_err());
    }

    #[test]
    fn durations() {
        assert_eq!("60".parse(), Ok(Duration(60)));
        assert_eq!("90s".parse(), Ok(Duration(90)));
        assert_eq!("2h".parse(), Ok(Duration(7200)));
        assert!("h".parse::<Duration>().is_err());
        assert!("99999999999999999d".parse::<Duration>().is_err());
    }

    #[test]
    fn spans_and_dates() {
        assert_eq!(format_span(45.0), "45s");
        assert_eq!(format_span(840.0), "14m");
        assert_eq!(format_span(3.0 * 3600.0 + 720.0), "3h 12m");
        assert_eq!(format_span(-90_000.0), "1d 1h");
        assert_eq!(format_span(0.2), "0s");
        assert_eq!(format_utc(1_300_819_380.0), "2011-03-22T18:43:00Z");
        assert_eq!(format_utc(1e300), "after the year 9999");
        assert_eq!(format_utc(-1e300), "before the year -9999");
        assert_eq!(relative(100.0, 200), "1m 40s ago");
        assert_eq!(format_at(1_300_819_380.0, false), "2011-03-22T18:43:00Z");
        assert!(relative(1e300, 0).starts_with("in "));
    }

    #[test]
    fn numeric_dates() {
        assert_eq!(
            NumericDate::read(&serde_json::json!(1.5)),
            NumericDate::At(1.5)
        );
        assert_eq!(
            NumericDate::read(&serde_json::json!("1")),
            NumericDate::NotANumber("a string")
        );
        assert_eq!(
            NumericDate::read(&Value::Null),
            NumericDate::NotANumber("null")
        );
    }
}
