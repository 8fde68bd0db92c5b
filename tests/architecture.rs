//! The library's module graph has no cycles: every file imports only from files below it, so
//! the crate reads from the bottom (`text`, `json`, `alg`, `error` …) up (`verify`, `remote`,
//! `classify`). This test reads `src/` (the binary in `src/bin/` aside) as text, resolves every
//! `crate::…` and `super::…` path to the file that defines it — through a folder's `mod.rs`
//! re-exports to the child that really defines the name — and fails naming the files of any
//! cycle. A folder's `mod.rs` declaring or re-exporting its own children is structure, not an
//! import.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path (`["keys", "format"]`) and the file that holds it.
type Modules = BTreeMap<Vec<String>, PathBuf>;

#[test]
fn the_library_has_no_import_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = modules(&src);
    assert!(modules.len() > 30, "found only {} modules", modules.len());
    let graph = graph(&modules);
    let cycles = cycles(&graph);
    assert!(
        cycles.is_empty(),
        "import cycles between the library's files:\n{}",
        cycles
            .iter()
            .map(|c| c.join(" -> "))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The checker itself finds a cycle (so the test above can fail).
#[test]
fn a_cycle_is_found() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("c".into());
    graph.entry("c".into()).or_default().insert("a".into());
    graph.entry("d".into()).or_default().insert("a".into());
    assert_eq!(cycles(&graph), vec![vec!["a", "b", "c", "a"]]);
    let paths = ["crate::{a::{B, c}, d::E}", "super::x::Y"];
    let mut found = Vec::new();
    for p in paths {
        expand(p, &mut found);
    }
    assert_eq!(
        found,
        vec!["crate::a::B", "crate::a::c", "crate::d::E", "super::x::Y"]
    );
}

fn modules(src: &Path) -> Modules {
    let mut out = Modules::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(src).unwrap();
            if rel.starts_with("bin") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let mut segments: Vec<String> = rel
                    .with_extension("")
                    .iter()
                    .map(|s| s.to_string_lossy().into_owned())
                    .collect();
                if matches!(segments.last().map(String::as_str), Some("mod" | "lib")) {
                    segments.pop();
                }
                out.insert(segments, path);
            }
        }
    }
    out
}

/// The code without comments, string literals (whose text may look like paths) and unit-test
/// modules (`#[cfg(test)] mod …`: a test may use any part of the crate).
fn code(text: &str) -> String {
    let code = strip(text);
    let mut out = String::with_capacity(code.len());
    let mut rest = code.as_str();
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let Some(open) = after.find(['{', ';']) else {
            rest = "";
            break;
        };
        if after.as_bytes()[open] == b';' {
            rest = &after[open + 1..];
            continue;
        }
        let mut depth = 0;
        let mut end = after.len();
        for (i, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn strip(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if text[i..].starts_with("//") {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if bytes[i] == b'"' {
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if bytes[i] == b'\''
            && i + 2 < bytes.len()
            && (bytes[i + 2] == b'\'' || bytes[i + 1] == b'\\')
        {
            // a char literal such as '"' or '\''
            i += 1;
            while i < bytes.len() && bytes[i] != b'\'' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Every path starting `crate::` or `super::` in `code`, brace groups expanded.
fn paths(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(start) {
            let at = from + at;
            from = at + start.len();
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            // the path: identifiers, `::`, and balanced braces with commas and spaces
            let mut depth = 0;
            let mut end = at;
            for (offset, c) in code[at..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    c if c.is_alphanumeric() || c == '_' || c == ':' || c == '*' => {}
                    ',' | ' ' | '\n' | '\r' | '\t' if depth > 0 => {}
                    _ if depth > 0 && code[at + offset..].starts_with(" as ") => {}
                    _ => break,
                }
                end = at + offset + c.len_utf8();
            }
            expand(&code[at..end], &mut found);
        }
    }
    found
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e` (`self` names the prefix itself).
fn expand(path: &str, out: &mut Vec<String>) {
    let path: String = path.split_whitespace().collect::<Vec<_>>().join(" ");
    match path.find('{') {
        None => {
            let path = path
                .split(" as ")
                .next()
                .unwrap()
                .trim()
                .trim_end_matches("::");
            let path = path.strip_suffix("::self").unwrap_or(path);
            out.push(path.to_string());
        }
        Some(open) => {
            let prefix = &path[..open];
            let inner = &path[open + 1..path.rfind('}').unwrap_or(path.len())];
            let mut depth = 0;
            let mut part = String::new();
            for c in inner.chars().chain(std::iter::once(',')) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        let part_trim = part.trim();
                        if !part_trim.is_empty() {
                            expand(&format!("{prefix}{part_trim}"), out);
                        }
                        part.clear();
                        continue;
                    }
                    _ => {}
                }
                part.push(c);
            }
        }
    }
}

/// The file a path (module segments, then item names) leads to, following `mod.rs`
/// re-exports (`pub use child::Name`, `pub use child::*`) into the child that defines the name.
fn resolve(modules: &Modules, segments: &[String], depth: usize) -> Option<Vec<String>> {
    let mut best = None;
    for len in (0..=segments.len()).rev() {
        if modules.contains_key(&segments[..len]) {
            best = Some(len);
            break;
        }
    }
    let len = best?;
    let module = segments[..len].to_vec();
    let Some(name) = segments.get(len) else {
        return Some(module);
    };
    if depth > 8 {
        return Some(module);
    }
    let text = code(&std::fs::read_to_string(&modules[&module]).unwrap());
    if defines(&text, name) {
        return Some(module);
    }
    // a re-export: find which `pub use` brings `name`
    for statement in text.split(';') {
        let statement = statement.trim();
        let Some(used) = statement.strip_prefix("pub use ") else {
            continue;
        };
        let mut expanded = Vec::new();
        expand(used, &mut expanded);
        for path in expanded {
            let (target, glob) = match path.strip_suffix("::*") {
                Some(prefix) => (prefix.to_string(), true),
                None => (path.clone(), false),
            };
            let alias = used
                .split(" as ")
                .nth(1)
                .map(|a| a.trim_matches(|c: char| !c.is_alphanumeric() && c != '_'));
            let last = target.rsplit("::").next().unwrap_or("");
            if !glob && last != name && alias != Some(name) {
                continue;
            }
            let mut full: Vec<String> = absolute(&module, &target, false)?;
            if glob {
                full.push(name.clone());
            }
            if let Some(found) = resolve(modules, &full, depth + 1) {
                if glob
                    && !defines(
                        &code(&std::fs::read_to_string(&modules[&found]).unwrap()),
                        name,
                    )
                {
                    continue;
                }
                return Some(found);
            }
        }
    }
    Some(module)
}

fn defines(code: &str, name: &str) -> bool {
    [
        "fn ",
        "struct ",
        "enum ",
        "trait ",
        "const ",
        "type ",
        "static ",
        "mod ",
        "macro_rules! ",
    ]
    .iter()
    .any(|kind| {
        code.match_indices(&format!("{kind}{name}")).any(|(at, _)| {
            code[at + kind.len() + name.len()..]
                .chars()
                .next()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        })
    })
}

/// `crate::a::b` or `super::b` (from `module`) or `child::b` (relative, in a `mod.rs`) as
/// absolute segments.
fn absolute(module: &[String], path: &str, in_file: bool) -> Option<Vec<String>> {
    let mut parts = path.split("::").filter(|s| !s.is_empty()).peekable();
    let mut out: Vec<String> = match parts.peek().copied() {
        Some("crate") => {
            parts.next();
            Vec::new()
        }
        Some("super") => {
            // in a file `a/b.rs` (module a::b), super is a; in `a/mod.rs` (module a), also its
            // parent; `in_file` tells the two apart for the caller
            let mut base = module.to_vec();
            while parts.peek() == Some(&"super") {
                parts.next();
                base.pop()?;
            }
            let _ = in_file;
            base
        }
        _ => module.to_vec(),
    };
    out.extend(parts.map(str::to_string));
    Some(out)
}

fn graph(modules: &Modules) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let name = |m: &[String]| {
        modules[m]
            .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .display()
            .to_string()
    };
    for (module, file) in modules {
        let text = code(&std::fs::read_to_string(file).unwrap());
        let is_folder = file.ends_with("mod.rs") || file.ends_with("lib.rs");
        for path in paths(&text) {
            // `super` in a/b.rs is module a; in a/mod.rs it is a's parent
            let base: Vec<String> = if is_folder && path.starts_with("super") {
                let mut m = module.clone();
                m.push(String::new());
                m
            } else {
                module.clone()
            };
            let Some(segments) = absolute(&base, &path, true) else {
                continue;
            };
            let Some(target) = resolve(modules, &segments, 0) else {
                continue;
            };
            if &target == module {
                continue;
            }
            // a folder's front door and its own children are one unit
            if is_folder && target.starts_with(module) {
                continue;
            }
            graph.entry(name(module)).or_default().insert(name(&target));
        }
    }
    graph
}

/// Every cycle found by a depth-first search, each once, as the files around it.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        found: &mut Vec<Vec<String>>,
    ) {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_string());
            found.push(cycle);
            return;
        }
        if done.contains(node) {
            return;
        }
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, stack, done, found);
        }
        stack.pop();
        done.insert(node.to_string());
    }
    let mut found = Vec::new();
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, graph, &mut Vec::new(), &mut done, &mut found);
    }
    found
}
