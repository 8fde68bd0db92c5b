//! Rendering: where output goes, whether each stream gets colour, terminal-safe text, and
//! the pretty and machine JSON forms. Nothing here knows about tokens.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};

use anstyle::{AnsiColor as Color, Effects, Style};
use serde_json::{Map, Value};

use crate::args::ColorChoice;

/// The two output streams a command writes to, each with its own colour decision.
pub struct Console {
    /// Results: tokens, decoded views, JSON. Cut to the terminal's width only once a human
    /// view asks for it ([`Fitted::fit`]): tokens, keys and JSON are never cut.
    pub out: Fitted,
    /// Diagnostics: errors, warnings, notes, progress; cut to the terminal's width.
    pub err: Fitted,
    /// Styling for `out`.
    pub out_style: Palette,
    /// Styling for `err`.
    pub err_style: Palette,
    /// Whether stderr is an interactive terminal (for spinners).
    pub err_is_terminal: bool,
    /// Leave out warnings and notes (`--quiet`); errors are still printed.
    pub quiet: bool,
}

impl Console {
    /// The process's stdout and stderr, colour decided per stream.
    pub fn stdio(choice: Option<ColorChoice>) -> Self {
        let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let (no_color, force) = (
            env("NO_COLOR").is_some(),
            env("CLICOLOR_FORCE").is_some_and(|v| v != "0"),
        );
        let decide = |is_terminal: bool| Palette {
            enabled: color_enabled(choice, no_color, force, is_terminal),
        };
        Console {
            out_style: decide(io::stdout().is_terminal()),
            err_style: decide(io::stderr().is_terminal()),
            err_is_terminal: io::stderr().is_terminal(),
            out: Fitted::new(
                Box::new(io::BufWriter::new(io::stdout())),
                terminal_width(&io::stdout()),
            ),
            err: {
                let mut err = Fitted::new(Box::new(io::stderr()), terminal_width(&io::stderr()));
                err.fit(true);
                err
            },
            quiet: false,
        }
    }

    /// Print `jwtk: warning: …` on stderr, escaped for the terminal.
    pub fn warn(&mut self, message: &str) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        let label = self.err_style.paint("warning:", Color::Yellow);
        writeln!(self.err, "jwtk: {label} {}", one_line(message))
    }

    /// Print `jwtk: note: …` on stderr, escaped for the terminal.
    pub fn note(&mut self, message: &str) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        let label = self.err_style.paint("note:", Color::Cyan);
        writeln!(self.err, "jwtk: {label} {}", one_line(message))
    }

    /// Ask for input on stderr: `jwtk: <message>`, flushed (shown even with `--quiet`).
    pub fn prompt(&mut self, message: &str) -> io::Result<()> {
        writeln!(self.err, "jwtk: {message}")?;
        self.err.flush()
    }

    /// Print one compact JSON document and a newline on stdout.
    pub fn json(&mut self, value: &impl serde::Serialize) -> io::Result<()> {
        let text = serde_json::to_string(value).map_err(io::Error::other)?;
        writeln!(self.out, "{}", json_safe(&text))
    }
}

/// The width lines on `stream` must fit: `COLUMNS` when set, else the terminal's own; `None`
/// when the stream is not a terminal (pipes and files are never cut).
pub fn terminal_width(stream: &(impl IsTerminal + std::os::fd::AsFd)) -> Option<usize> {
    if !stream.is_terminal() {
        return None;
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok());
    columns
        .or_else(|| terminal_size::terminal_size_of(stream).map(|(w, _)| usize::from(w.0)))
        .filter(|&w| w > 0)
}

/// An output stream that can cut every line to a width with `…`, so nothing wraps on a
/// terminal. Colour sequences take no room, wide characters two columns; `\r` starts over.
pub struct Fitted {
    inner: Box<dyn Write + Send>,
    /// The terminal's width, when the stream is one.
    terminal: Option<usize>,
    /// Whether lines are cut now.
    active: bool,
    /// The part of a line not yet written.
    pending: Vec<u8>,
}

impl Fitted {
    /// Wrap `inner`, a terminal `terminal` columns wide (`None`: not a terminal). Lines are
    /// not cut until [`Fitted::fit`] says so.
    pub fn new(inner: Box<dyn Write + Send>, terminal: Option<usize>) -> Self {
        Fitted {
            inner,
            terminal,
            active: false,
            pending: Vec::new(),
        }
    }

    /// Start (or stop) cutting lines; a human view turns this on, JSON and tokens never do.
    pub fn fit(&mut self, on: bool) {
        let _ = self.write_pending();
        self.active = on;
    }

    /// The width lines are cut to now, if any.
    pub fn width(&self) -> Option<usize> {
        self.terminal.filter(|_| self.active)
    }

    fn write_pending(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let line = std::mem::take(&mut self.pending);
            let width = self.width().unwrap_or(usize::MAX);
            self.inner.write_all(&fit_line(&line, width))?;
        }
        Ok(())
    }
}

impl Write for Fitted {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some(width) = self.width() else {
            return self.inner.write(buf);
        };
        self.pending.extend_from_slice(buf);
        while let Some(end) = self.pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            self.inner.write_all(&fit_line(&line[..end], width))?;
            self.inner.write_all(b"\n")?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.write_pending()?;
        self.inner.flush()
    }
}

/// One line cut to `width` columns, each `\r`-separated piece on its own.
fn fit_line(line: &[u8], width: usize) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(line) else {
        return line.to_vec();
    };
    let pieces: Vec<String> = text.split('\r').map(|p| cut(p, width)).collect();
    pieces.join("\r").into_bytes()
}

/// How many columns `text` takes on a terminal (colour sequences take none).
pub fn display_width(text: &str) -> usize {
    let mut width = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            skip_escape(&mut chars);
        } else {
            width += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
    }
    width
}

fn skip_escape(chars: &mut std::str::Chars) -> String {
    let mut sequence = String::from('\x1b');
    if chars.clone().next() == Some('[') {
        for c in chars.by_ref() {
            sequence.push(c);
            if c != '[' && ('\x40'..='\x7e').contains(&c) {
                break;
            }
        }
    }
    sequence
}

/// `text` cut to `width` columns with `…` at the end when it is wider; colour is reset after
/// a cut.
pub fn cut(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_string();
    }
    let room = width.saturating_sub(1);
    let (mut out, mut used, mut coloured) = (String::new(), 0, false);
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            out.push_str(&skip_escape(&mut chars));
            coloured = true;
            continue;
        }
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    if coloured {
        out.push_str("\x1b[0m");
    }
    out
}

/// Parts joined by `sep` on as few lines as fit `width` (one line when `width` is `None`);
/// lines after the first are indented by two spaces.
pub fn pack(parts: &[String], sep: &str, width: Option<usize>) -> Vec<String> {
    let width = width.unwrap_or(usize::MAX);
    let mut lines: Vec<String> = Vec::new();
    for part in parts {
        match lines.last_mut() {
            Some(line) if display_width(line) + sep.len() + display_width(part) <= width => {
                line.push_str(sep);
                line.push_str(part);
            }
            Some(_) => lines.push(format!("  {part}")),
            None => lines.push(part.clone()),
        }
    }
    lines
}

/// The colour precedence of the contract: `--color`, then a non-empty `NO_COLOR` (off), then
/// `CLICOLOR_FORCE` (on), then whether the stream is a terminal.
pub fn color_enabled(
    choice: Option<ColorChoice>,
    no_color: bool,
    force: bool,
    is_terminal: bool,
) -> bool {
    match choice {
        Some(ColorChoice::Always) => true,
        Some(ColorChoice::Never) => false,
        Some(ColorChoice::Auto) | None if no_color => false,
        Some(ColorChoice::Auto) | None => force || is_terminal,
    }
}

/// Whether one stream gets colour, and the painting that follows from it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Palette {
    /// Colour on or off.
    pub enabled: bool,
}

impl Palette {
    /// `text` in `color`, or as it is when colour is off.
    pub fn paint(&self, text: &str, color: Color) -> String {
        self.styled(text, Style::new().fg_color(Some(color.into())))
    }

    /// `text` in bold.
    pub fn bold(&self, text: &str) -> String {
        self.styled(text, Style::new().effects(Effects::BOLD))
    }

    /// `text` dimmed.
    pub fn dim(&self, text: &str) -> String {
        self.styled(text, Style::new().effects(Effects::DIMMED))
    }

    /// `text` in `style` (its escape sequences, then a reset), or as it is when colour is off.
    fn styled(&self, text: &str, style: Style) -> String {
        if self.enabled {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

/// Characters that must not reach a terminal raw: controls (C0, DEL, C1), bidi marks,
/// overrides and isolates, the Unicode line and paragraph separators, and the invisible
/// (default-ignorable) code points that make two different values look alike: zero-width
/// characters, word joiners and invisible operators, the byte-order mark, the soft hyphen,
/// fillers, variation selectors and tag characters.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}')
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}'
        )
        || matches!(
            c,
            '\u{00AD}' | '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        )
        || matches!(c, '\u{180B}'..='\u{180F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FFA0}')
        || matches!(c, '\u{FFF0}'..='\u{FFFB}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}')
        || matches!(c, '\u{E0000}'..='\u{E0FFF}')
}

/// Text from an untrusted source made safe for a terminal, on one line: every control,
/// bidi or separator character (newlines included) becomes `\u{…}`.
pub fn one_line(text: &str) -> Cow<'_, str> {
    escape_where(text, is_unsafe)
}

/// Like [`one_line`], but keeps newlines and tabs (for multi-line text such as a payload).
pub fn multi_line(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| c != '\n' && c != '\t' && is_unsafe(c))
}

fn escape_where(text: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON text with the characters serde_json leaves raw but a terminal would act on (DEL, C1
/// controls, bidi, separators) written as `\uXXXX` escapes. Still the same JSON value: outside
/// strings JSON text is ASCII, so every such character is inside a string.
pub fn json_safe(json: &str) -> Cow<'_, str> {
    // Fast path (this runs once per token in --batch): printable ASCII is always safe.
    if printable_ascii(json.as_bytes()) || !json.chars().any(is_unsafe) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether every byte is printable ASCII (space to `~`): text nothing in it can act on a
/// terminal or break a line. Checked in blocks without stopping early, so that the compiler
/// can test many bytes at once (this runs over every `--batch` line).
pub fn printable_ascii(bytes: &[u8]) -> bool {
    bytes.chunks(64).all(|block| {
        block
            .iter()
            .fold(true, |ok, &b| ok & (0x20..0x7f).contains(&b))
    })
}

/// An object as indented, coloured JSON. `note` may add a `// comment` after a top-level
/// member (used for dates beside time claims).
pub fn pretty_object(
    map: &Map<String, Value>,
    palette: Palette,
    note: impl Fn(&str) -> Option<String>,
) -> String {
    if map.is_empty() {
        return "{}".to_string();
    }
    let mut out = String::from("{\n");
    let last = map.len() - 1;
    for (i, (name, value)) in map.iter().enumerate() {
        out.push_str("  ");
        out.push_str(&palette.paint(&json_string(name), Color::Blue));
        out.push_str(": ");
        pretty_value(&mut out, value, palette, 1);
        if i != last {
            out.push(',');
        }
        if let Some(comment) = note(name) {
            let _ = write!(
                out,
                "  {}",
                palette.dim(&format!("// {}", one_line(&comment)))
            );
        }
        out.push('\n');
    }
    out.push('}');
    out
}

fn pretty_value(out: &mut String, value: &Value, palette: Palette, depth: usize) {
    let indent = |n: usize| "  ".repeat(n);
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            for (i, (name, item)) in map.iter().enumerate() {
                out.push_str(&indent(depth + 1));
                out.push_str(&palette.paint(&json_string(name), Color::Blue));
                out.push_str(": ");
                pretty_value(out, item, palette, depth + 1);
                out.push_str(if i + 1 == map.len() { "\n" } else { ",\n" });
            }
            out.push_str(&indent(depth));
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&indent(depth + 1));
                pretty_value(out, item, palette, depth + 1);
                out.push_str(if i + 1 == items.len() { "\n" } else { ",\n" });
            }
            out.push_str(&indent(depth));
            out.push(']');
        }
        Value::String(s) => out.push_str(&palette.paint(&json_string(s), Color::Green)),
        Value::Number(n) => out.push_str(&palette.paint(&n.to_string(), Color::Cyan)),
        Value::Bool(b) => out.push_str(&palette.paint(&b.to_string(), Color::Yellow)),
        Value::Null => out.push_str(&palette.dim("null")),
        empty => out.push_str(&empty.to_string()),
    }
}

/// A JSON string for the human view: what a terminal would act on or hide is `\u{…}`.
fn json_string(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string());
    one_line(&quoted).into_owned()
}

/// A bar of `width` cells, `fraction` of them full.
pub fn bar(fraction: f64, width: usize) -> String {
    let full = ((fraction.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    format!("{}{}", "█".repeat(full), "░".repeat(width - full))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fit_their_width() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abcd", 4), "abcd");
        assert_eq!(cut("日本語です", 5), "日本…");
        assert_eq!(cut("\x1b[1mabcdef\x1b[0m", 4), "\x1b[1mabc…\x1b[0m");
        assert_eq!(display_width("\x1b[31mab\x1b[0m"), 2);
        let mut sink = Fitted::new(Box::new(Vec::new()), Some(5));
        sink.fit(true);
        assert_eq!(sink.width(), Some(5));
        let parts = ["one".to_string(), "two".to_string(), "three".to_string()];
        assert_eq!(pack(&parts, " · ", Some(10)), ["one · two", "  three"]);
        assert_eq!(pack(&parts, " · ", None), ["one · two · three"]);
    }

    #[test]
    fn color_precedence() {
        use ColorChoice::*;
        assert!(color_enabled(Some(Always), true, false, false));
        assert!(!color_enabled(Some(Never), false, true, true));
        assert!(!color_enabled(None, true, true, true));
        assert!(color_enabled(None, false, true, false));
        assert!(color_enabled(Some(Auto), false, false, true));
        assert!(!color_enabled(None, false, false, false));
    }

    #[test]
    fn escapes_terminal_controls_and_bidi() {
        assert_eq!(one_line("a\x1b[31mb\x07"), "a\\u{1b}[31mb\\u{7}");
        assert_eq!(one_line("x\u{202E}y\nz"), "x\\u{202e}y\\u{a}z");
        assert_eq!(multi_line("a\nb\u{9b}"), "a\nb\\u{9b}");
        assert!(matches!(one_line("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn printable_ascii_is_space_to_tilde() {
        assert!(printable_ascii(b""));
        assert!(printable_ascii(" ~".repeat(100).as_bytes()));
        for bad in [b'\x1f', b'\x7f', b'\n', 0x80, 0xff] {
            let mut text = vec![b'a'; 130];
            text[97] = bad;
            assert!(!printable_ascii(&text), "{bad:#x}");
        }
    }

    #[test]
    fn json_stays_json_and_safe() {
        let value = serde_json::json!({"a": "\u{202E}\u{7f}\u{85}\u{1F600}"});
        let text = serde_json::to_string(&value).unwrap();
        let safe = json_safe(&text);
        assert!(safe.is_ascii() || !safe.chars().any(is_unsafe));
        let back: Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn pretty_prints_with_notes() {
        let value = serde_json::json!({"exp": 1, "a": {"b": [1, "x", null]}, "e": []});
        let text = pretty_object(value.as_object().unwrap(), Palette::default(), |n| {
            (n == "exp").then(|| "soon".to_string())
        });
        let expected = "{\n  \"exp\": 1,  // soon\n  \"a\": {\n    \"b\": [\n      1,\n      \"x\",\n      null\n    ]\n  },\n  \"e\": []\n}";
        assert_eq!(text, expected);
    }
}
