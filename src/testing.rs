//! Helpers for the library's unit tests.

/// How many random cases a randomised test draws: `everyday` in the everyday loop, the
/// `PROPTEST_CASES` count when it is set (CI sets 2,000, as for the property tests).
pub fn cases(everyday: usize) -> usize {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(everyday)
}
