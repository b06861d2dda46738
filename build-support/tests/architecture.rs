//! The layering of assetlock-build, kept by a test: the library's top-level modules are the
//! stages a build runs through, in [`STAGES`] order, and the [`LEAVES`] below them all.
//!
//! - A stage imports only earlier stages and leaves, never a later stage.
//! - A leaf imports no stage (other leaves, yes).
//! - No modules import each other in a circle.
//! - Every module of `src/` is in one of the two lists.
//!
//! Imports are read from the source: every `crate::` path (in `use` lines, `use crate::{..}`
//! groups and inline paths) and every `super::` path that reaches the crate root, outside
//! comments, doc comments and string literals. Test code is left out: items under
//! `#[cfg(test)]` (a `mod tests { .. }` block, or a file declared as `#[cfg(test)] mod x;`),
//! as a test may build what it checks with a later stage.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The leaves: used by every stage, importing none.
const LEAVES: &[&str] = &[
    "cargo",
    "compress",
    "error",
    "fs",
    "hash",
    "integrity",
    "output",
    "reference",
];

/// The stages, in the order a build runs through them (README, "Layout").
const STAGES: &[&str] = &[
    "config",
    "settings",
    "discover",
    "fingerprint",
    "transform",
    "cache",
    "images",
    "link",
    "name",
    "precompress",
    "generate",
    "emit",
    "pipeline",
];

#[test]
fn every_import_points_to_an_earlier_stage_or_a_leaf() {
    let problems = check(&library(), LEAVES, STAGES);
    assert!(
        problems.is_empty(),
        "assetlock-build's layering is broken (see tests/architecture.rs):\n{}",
        problems.join("\n")
    );
}

/// The pipeline runs every stage, so it imports each one: a checker that missed one of those
/// imports would miss others too.
#[test]
fn the_checker_sees_the_pipeline_import_every_stage_it_runs() {
    let files = library();
    let imports = imports(&files, &modules(&files));
    let seen: BTreeSet<&str> = imports
        .iter()
        .filter(|i| i.from == "pipeline")
        .map(|i| i.to.as_str())
        .collect();
    for stage in &STAGES[..STAGES.len() - 1] {
        assert!(
            seen.contains(stage),
            "pipeline -> {stage} not seen: {seen:?}"
        );
    }
}

/// The files of the library: `src/` of this crate.
fn library() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    read_tree(&src, &src, &mut files);
    files
}

/// Every `.rs` file under `dir`, as (path relative to `src`, with `/`, and text).
fn read_tree(src: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_tree(src, &path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(src).unwrap();
            let parts: Vec<_> = relative.iter().map(|p| p.to_string_lossy()).collect();
            files.push((parts.join("/"), std::fs::read_to_string(&path).unwrap()));
        }
    }
}

/// One import of a top-level module: where it is written and what it names.
struct Import {
    file: String,
    line: usize,
    path: String,
    from: String,
    to: String,
}

/// The rules broken by the crate whose `src/` files are `files`, one line each.
fn check(files: &[(String, String)], leaves: &[&str], stages: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    let modules = modules(files);
    for module in &modules {
        if !leaves.contains(&module.as_str()) && !stages.contains(&module.as_str()) {
            problems.push(format!(
                "src/{module}: a module in neither list; add it to STAGES (in build order) or \
                 LEAVES in tests/architecture.rs"
            ));
        }
    }
    for listed in leaves.iter().chain(stages) {
        if !modules.contains(*listed) {
            problems.push(format!(
                "`{listed}` is listed in tests/architecture.rs but is no module of src/"
            ));
        }
    }
    let imports = imports(files, &modules);
    let stage = |m: &str| stages.iter().position(|s| *s == m);
    for import in &imports {
        let rule = match (stage(&import.from), stage(&import.to)) {
            (None, Some(_)) if leaves.contains(&import.from.as_str()) => format!(
                "`{}` is a leaf and imports the stage `{}`: a leaf imports no stage",
                import.from, import.to
            ),
            (Some(from), Some(to)) if to > from => format!(
                "the stage `{}` ({}) imports `{}` ({}), a later stage: a stage imports only \
                 earlier stages and leaves",
                import.from,
                from + 1,
                import.to,
                to + 1
            ),
            _ => continue,
        };
        problems.push(format!(
            "src/{}:{}: `{}`: {rule}",
            import.file, import.line, import.path
        ));
    }
    if let Some(cycle) = cycle(&imports) {
        let first = imports
            .iter()
            .find(|i| i.from == cycle[0] && i.to == cycle[1])
            .expect("a cycle is made of imports");
        problems.push(format!(
            "modules import each other in a circle: {} (e.g. src/{}:{}: `{}`)",
            cycle.join(" -> "),
            first.file,
            first.line,
            first.path
        ));
    }
    problems
}

/// The top-level modules: `src/x.rs` and `src/x/`.
fn modules(files: &[(String, String)]) -> BTreeSet<String> {
    files
        .iter()
        .filter(|(path, _)| path != "lib.rs")
        .map(|(path, _)| top_level(path))
        .collect()
}

/// The top-level module a file belongs to: `transform` for `transform/css/mod.rs`.
fn top_level(path: &str) -> String {
    let first = path.split('/').next().unwrap_or(path);
    first.strip_suffix(".rs").unwrap_or(first).to_string()
}

/// The module path of a file: `["transform", "css"]` for `transform/css/mod.rs` and for
/// `transform/css.rs`, none for `lib.rs`.
fn module_path(path: &str) -> Vec<String> {
    let mut parts: Vec<String> = path.split('/').map(str::to_string).collect();
    let last = parts.pop().unwrap_or_default();
    if last != "mod.rs" && last != "lib.rs" {
        parts.push(last.strip_suffix(".rs").unwrap_or(&last).to_string());
    }
    parts
}

/// Every import of one top-level module by another in non-test code.
fn imports(files: &[(String, String)], modules: &BTreeSet<String>) -> Vec<Import> {
    let stripped: Vec<(&str, Vec<String>, String)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), module_path(path), strip(text)))
        .collect();
    // Files declared `#[cfg(test)] mod x;`, and what is under them.
    let mut test_modules: Vec<Vec<String>> = Vec::new();
    for (_, module, code) in &stripped {
        for name in test_module_declarations(code) {
            let mut path = module.clone();
            path.push(name);
            test_modules.push(path);
        }
    }
    // What the crate root re-exports, by name: `Config` is `config`'s.
    let mut reexports = BTreeMap::new();
    if let Some((_, _, lib)) = stripped.iter().find(|(path, _, _)| *path == "lib.rs") {
        for (module, names) in root_uses(&without_test_items(lib)) {
            if modules.contains(&module) {
                for name in names {
                    reexports.insert(name, module.clone());
                }
            }
        }
    }
    let mut found = Vec::new();
    for (path, module, code) in &stripped {
        if module.is_empty() || test_modules.iter().any(|t| module.starts_with(t)) {
            continue;
        }
        let code = without_test_items(code);
        for (offset, written, first) in root_paths(&code, module) {
            let to = match reexports.get(&first) {
                Some(owner) => owner.clone(),
                None if modules.contains(&first) => first,
                None => continue,
            };
            if to != module[0] {
                found.push(Import {
                    file: path.to_string(),
                    line: code[..offset].matches('\n').count() + 1,
                    path: written,
                    from: module[0].clone(),
                    to,
                });
            }
        }
    }
    found
}

/// The code with comments, string and character literals blanked out (line breaks kept, so
/// offsets still tell the line).
fn strip(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let ident_before = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                blank(&mut out, chars[i]);
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
            }
        } else if let Some(hashes) = raw_string_start(&chars, i).filter(|_| !ident_before) {
            // r"..", r#".."#, br#".."#: ends at a quote followed by as many `#`.
            let open = chars[i..].iter().position(|&c| c == '"').unwrap() + 1;
            for &c in &chars[i..i + open] {
                blank(&mut out, c);
            }
            i += open;
            while i < chars.len() {
                let closes =
                    chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#'));
                if closes {
                    for _ in 0..=hashes {
                        out.push(' ');
                    }
                    i += hashes + 1;
                    break;
                }
                blank(&mut out, chars[i]);
                i += 1;
            }
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
                if i < chars.len() {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A character or byte literal ('x', b'\n', '\''), not a lifetime or a label ('a).
            let end = if next == Some('\\') {
                chars
                    .get(i + 3..)
                    .and_then(|rest| rest.iter().position(|&c| c == '\''))
                    .map(|p| i + 3 + p)
            } else {
                (chars.get(i + 2) == Some(&'\'')).then_some(i + 2)
            };
            match end {
                Some(end) => {
                    for &c in &chars[i..=end] {
                        blank(&mut out, c);
                    }
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The number of `#` of a raw string starting at `i` (`r"`, `r#"`, `br#"`), if one does.
fn raw_string_start(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    if chars.get(j) == Some(&'b') || chars.get(j) == Some(&'c') {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = chars[j..].iter().take_while(|&&c| c == '#').count();
    (chars.get(j + hashes) == Some(&'"')).then_some(hashes)
}

/// The code without the items under `#[cfg(test)]`: each blanked up to the `;` or the `}`
/// that ends it.
fn without_test_items(code: &str) -> String {
    let mut out: Vec<char> = code.chars().collect();
    let text: String = out.iter().collect();
    let mut starts = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("#[cfg(test)]") {
        starts.push(text[..from + found].chars().count());
        from += found + 1;
    }
    for start in starts {
        let mut depth = 0;
        let mut end = out.len();
        for (i, &c) in out.iter().enumerate().skip(start + "#[cfg(test)]".len()) {
            match c {
                '{' => depth += 1,
                '}' if depth == 1 => {
                    end = i + 1;
                    break;
                }
                '}' => depth -= 1,
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        for c in &mut out[start..end] {
            if *c != '\n' {
                *c = ' ';
            }
        }
    }
    out.into_iter().collect()
}

/// The names of the modules declared as `#[cfg(test)] mod name;` (files of their own).
fn test_module_declarations(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in code.match_indices("#[cfg(test)]") {
        let rest = code[at + "#[cfg(test)]".len()..].trim_start();
        let rest = rest.strip_prefix("pub(crate)").unwrap_or(rest).trim_start();
        let rest = rest.strip_prefix("pub").unwrap_or(rest).trim_start();
        if let Some(declared) = rest.strip_prefix("mod ").map(str::trim_start) {
            let name: String = declared.chars().take_while(|&c| is_ident(c)).collect();
            if declared[name.len()..].trim_start().starts_with(';') {
                names.push(name);
            }
        }
    }
    names
}

/// For each `use` of the crate root, the module it names first and the names it brings in:
/// `pub use config::{Config, JsImports};` gives `config` with `Config` and `JsImports`.
fn root_uses(code: &str) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices("use ") {
        if at > 0 && code[..at].chars().next_back().is_some_and(is_ident) {
            continue;
        }
        let end = code[at..].find(';').map_or(code.len(), |e| at + e);
        let Some((module, rest)) = code[at + 4..end].split_once("::") else {
            continue;
        };
        let items = match rest.find('{') {
            Some(open) => rest[open + 1..]
                .trim_end()
                .trim_end_matches('}')
                .to_string(),
            None => rest.to_string(),
        };
        let names = items
            .split(',')
            .map(|item| {
                let item = item.trim();
                let item = item.rsplit_once(" as ").map_or(item, |(_, alias)| alias);
                item.rsplit("::").next().unwrap_or(item).trim().to_string()
            })
            .filter(|name| !name.is_empty())
            .collect();
        found.push((module.trim().to_string(), names));
    }
    found
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every path from the crate root in `code`, the code of the module at `module`: `crate::x..`,
/// or `super::..` that climbs to the root. Gives (offset, the path as written, the first name
/// after the root), one per name of a `crate::{a, b::c}` group.
fn root_paths(code: &str, module: &[String]) -> Vec<(usize, String, String)> {
    let mut found = Vec::new();
    let chars: Vec<(usize, char)> = code.char_indices().collect();
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let starts_with = |k: usize, word: &str| {
        word.chars().enumerate().all(|(n, c)| at(k + n) == Some(c))
            && !at(k + word.chars().count()).is_some_and(is_ident)
            && (k == 0 || !at(k - 1).is_some_and(|c| is_ident(c) || c == '$'))
    };
    let skip_blank = |mut k: usize| {
        while at(k).is_some_and(char::is_whitespace) {
            k += 1;
        }
        k
    };
    let separator = |k: usize| {
        let k = skip_blank(k);
        (at(k) == Some(':') && at(k + 1) == Some(':')).then(|| skip_blank(k + 2))
    };
    let ident = |k: usize| {
        let name: String = (k..)
            .map_while(|n| at(n).filter(|&c| is_ident(c)))
            .collect();
        (!name.is_empty()).then_some(name)
    };
    let mut k = 0;
    while k < chars.len() {
        let (rest, climbed) = if starts_with(k, "crate") {
            (separator(k + 5), module.len())
        } else if starts_with(k, "super") {
            let mut climbed = 0;
            let mut next = Some(k);
            let mut after = None;
            while let Some(n) = next.filter(|&n| starts_with(n, "super")) {
                climbed += 1;
                after = separator(n + 5);
                next = after;
            }
            (after, climbed)
        } else {
            k += 1;
            continue;
        };
        let offset = chars[k].0;
        let Some(rest) = rest.filter(|_| climbed >= module.len()) else {
            k += 1;
            continue;
        };
        let end = (rest..)
            .take_while(|&n| at(n).is_some_and(|c| is_ident(c) || c == ':'))
            .last()
            .map_or(rest, |n| n + 1);
        if at(rest) == Some('{') {
            let mut depth = 0;
            let mut item_start = true;
            let mut n = rest;
            while let Some(c) = at(n) {
                match c {
                    '{' => {
                        depth += 1;
                        item_start = depth == 1;
                    }
                    '}' if depth == 1 => break,
                    '}' => depth -= 1,
                    ',' if depth == 1 => item_start = true,
                    c if is_ident(c) && item_start => {
                        let name = ident(n).unwrap();
                        n += name.chars().count() - 1;
                        item_start = false;
                        if name != "self" {
                            found.push((offset, format!("crate::{name}"), name));
                        }
                    }
                    c if !c.is_whitespace() => item_start = false,
                    _ => {}
                }
                n += 1;
            }
            k = n;
        } else if let Some(name) = ident(rest) {
            let written: String = chars[k..end].iter().map(|&(_, c)| c).collect();
            found.push((offset, written, name));
            k = end;
        } else {
            k += 1;
        }
    }
    found
}

/// A circle of imports between modules, if there is one: `[a, b, a]`.
fn cycle(imports: &[Import]) -> Option<Vec<String>> {
    let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for import in imports {
        edges.entry(&import.from).or_default().insert(&import.to);
    }
    fn visit<'a>(
        node: &'a str,
        edges: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|&n| n == node) {
            let mut cycle: Vec<String> = path[start..].iter().map(|n| n.to_string()).collect();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|node| visit(node, &edges, &mut Vec::new(), &mut done))
}

// The checker on small made-up crates: it must see what it is there to see, and only that.

fn crate_of(files: &[(&str, &str)]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

const LIB: &str = "mod first;\nmod second;\nmod leaf;\npub use first::Builder;\n";

fn problems_of(files: &[(&str, &str)]) -> Vec<String> {
    let mut all = vec![("lib.rs", LIB)];
    all.extend_from_slice(files);
    check(&crate_of(&all), &["leaf"], &["first", "second"])
}

#[test]
fn an_import_of_a_later_stage_is_reported_with_its_file_and_line() {
    let problems = problems_of(&[
        ("first/mod.rs", "//! A stage.\n\nuse crate::second::run;\n"),
        ("second.rs", "use crate::first::Builder;\n"),
        ("leaf.rs", ""),
    ]);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].starts_with("src/first/mod.rs:3: `crate::second::run`: the stage `first` (1)"),
        "{problems:#?}"
    );
    assert!(
        problems[1].contains("first -> second -> first"),
        "{problems:#?}"
    );
}

#[test]
fn groups_inline_paths_super_and_reexports_count() {
    for (file, text) in [
        ("first/mod.rs", "use crate::{leaf, second::Run};"),
        ("first/mod.rs", "fn f() { crate::second::run() }"),
        ("first/mod.rs", "use super::second::run;"),
        ("first/deep.rs", "use super::super::second::run;"),
        ("leaf.rs", "use crate::Builder;"),
    ] {
        let mut files = vec![("second.rs", ""), ("leaf.rs", ""), ("first/mod.rs", "")];
        files.retain(|(p, _)| *p != file);
        files.push((file, text));
        assert_eq!(problems_of(&files).len(), 1, "{file}: {text}");
    }
}

#[test]
fn comments_strings_tests_and_submodules_do_not_count() {
    let problems = problems_of(&[
        (
            "first/mod.rs",
            "/// See [`run`](crate::second::run).\n\
             // crate::second\n\
             /* crate::second /* nested */ crate::second */\n\
             const A: &str = \"crate::second\";\n\
             const B: &str = r#\"crate::second \" still\"#;\n\
             const C: char = '\"';\n\
             const D: (u8, char) = (b'\"', '\\'');\n\
             fn f<'a>(x: &'a str) -> &'a str { x }\n\
             use super::inner::Thing;\n\
             #[cfg(test)]\nmod tests;\n\
             #[cfg(test)]\nmod more {\n    use crate::second::run;\n}\n",
        ),
        ("first/tests.rs", "use crate::second::run;\n"),
        ("second.rs", ""),
        ("leaf.rs", ""),
    ]);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_leaf_importing_a_stage_and_a_module_in_no_list_are_reported() {
    let problems = problems_of(&[
        ("leaf.rs", "use crate::first::Builder;"),
        ("first/mod.rs", ""),
        ("second.rs", ""),
        ("stray.rs", ""),
    ]);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].starts_with("src/stray: a module in neither list"));
    assert!(problems[1].contains("`leaf` is a leaf and imports the stage `first`"));
}
