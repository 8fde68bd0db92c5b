//! Helpers for messages: values from tokens and key files are cut before they are shown.
//! The bottom of the crate: it imports nothing from it.

/// A value from a key file or token, cut to 80 characters for messages.
pub fn cut(text: &str) -> String {
    const MAX: usize = 80;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// Names (kids, claim names) quoted and joined for a message: `"a", "b"`.
pub fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `n` and a noun in its number: "1 character", "2 characters".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_keeps_80_characters() {
        assert_eq!(cut("abc"), "abc");
        let long = "é".repeat(100);
        assert_eq!(cut(&long).chars().count(), 81);
    }

    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(count(1, "character"), "1 character");
        assert_eq!(count(0, "character"), "0 characters");
        assert_eq!(count(33, "character"), "33 characters");
    }

    #[test]
    fn quoted_names() {
        assert_eq!(quoted(&["a".into(), "b\"".into()]), r#""a", "b\"""#);
    }
}
