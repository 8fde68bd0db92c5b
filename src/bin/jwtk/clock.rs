//! The clock the command judges at: the system's, or the instant `JWTK_NOW` pins (for
//! reproducible output; `main` notes it on stderr, so a leftover variable never makes an
//! expired token pass silently).

use jwtk::error::{EnvProblem, Error};

/// The environment variable that pins the clock.
pub const PIN_VAR: &str = "JWTK_NOW";

/// The instant `JWTK_NOW` pins the clock at, if it is set; an error when it is set to
/// anything but epoch seconds (a typo must not fall back to the real clock unnoticed).
pub fn pinned() -> Result<Option<i64>, Error> {
    match std::env::var_os(PIN_VAR) {
        None => Ok(None),
        Some(value) => value
            .to_str()
            .and_then(|v| v.trim().parse::<i64>().ok())
            .map(Some)
            .ok_or_else(|| EnvProblem::BadClock { var: PIN_VAR }.into()),
    }
}

/// Now: the pinned instant, else the system clock (`main` has already refused a bad pin).
pub fn now() -> i64 {
    match pinned() {
        Ok(Some(pinned)) => pinned,
        _ => jwtk::time::now(),
    }
}
