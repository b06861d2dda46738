//! Sources a browser cannot read as they are (TypeScript, Sass, Tailwind CSS entries),
//! compiled when a page asks for them by the live build's own build script, run again
//! (`assetlock_contract::live`): the same compilers and settings as the build, nothing more
//! linked into the server.
//!
//! Each answer is kept with the state of every file it read when the compile started, and
//! reused until one of them changes; the change stream watches the same files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use assetlock_contract::live::{self as contract, Compiled, Compiler};
use assetlock_contract::naming::served_name;

use crate::{Asset, Manifest};

/// A file's modification time and length; `None` when it cannot be read.
pub(super) type Stamp = Option<(SystemTime, u64)>;

/// The current stamp of `path`.
pub(super) fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// One compile's answer, and the stamps of what it depends on from before it ran.
struct Done {
    compiled: Compiled,
    stamps: Vec<(PathBuf, Stamp)>,
}

/// The last answer for one source of one manifest, served from one dir; locked while a
/// compile of it runs, so that a page asking twice compiles once.
type Slot = Arc<Mutex<Option<Done>>>;

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    manifest: usize,
    dir: Option<PathBuf>,
    logical: &'static str,
}

static SLOTS: Mutex<Option<HashMap<Key, Slot>>> = Mutex::new(None);

fn slot(key: Key) -> Slot {
    let mut slots = SLOTS.lock().unwrap_or_else(PoisonError::into_inner);
    let slots = slots.get_or_insert_with(HashMap::new);
    Arc::clone(slots.entry(key).or_default())
}

fn key(manifest: &'static Manifest, dir: Option<&Path>, asset: &Asset) -> Key {
    Key {
        manifest: std::ptr::from_ref(manifest) as usize,
        dir: dir.map(Path::to_path_buf),
        logical: asset.logical_path(),
    }
}

/// The live build's compiler, when it has one: parsed once per manifest, as the change stream
/// asks for it on every poll.
fn compiler(manifest: &Manifest) -> Option<Arc<Compiler>> {
    type Parsed = HashMap<usize, Option<Arc<Compiler>>>;
    static PARSED: Mutex<Option<Parsed>> = Mutex::new(None);
    let text = manifest.__live_compiler();
    if text.is_empty() {
        return None;
    }
    let mut parsed = PARSED.lock().unwrap_or_else(PoisonError::into_inner);
    let parsed = parsed.get_or_insert_with(HashMap::new);
    let entry = parsed.entry(text.as_ptr() as usize);
    entry
        .or_insert_with(|| Compiler::parse(text).ok().map(Arc::new))
        .clone()
}

/// Whether `asset` is compiled before it is served: a TypeScript or Sass source (its served
/// name is not its own), or a Tailwind CSS entry.
pub(super) fn is_compiled(manifest: &Manifest, asset: &Asset) -> bool {
    let logical = asset.logical_path();
    compiler(manifest)
        .is_some_and(|c| served_name(logical) != logical || c.tailwind.iter().any(|t| t == logical))
}

/// The compiled source: the last answer while nothing it read has changed, else a new one.
/// A failed compile is an answer too (`Err`, every problem), and is printed once on stderr.
pub(super) fn output(
    manifest: &'static Manifest,
    dir: Option<&Path>,
    asset: &Asset,
) -> Result<String, String> {
    let Some(compiler) = compiler(manifest) else {
        return Err(format!("{}: no live compiler", asset.logical_path()));
    };
    let slot = slot(key(manifest, dir, asset));
    let mut last = slot.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(done) = &*last
        && done.stamps.iter().all(|(path, was)| stamp(path) == *was)
    {
        return done.compiled.output.clone();
    }
    // What the last answer read, stamped before this compile reads it: an edit made while
    // it runs makes the next request compile again.
    let before: HashMap<PathBuf, Stamp> = last
        .iter()
        .flat_map(|done| &done.stamps)
        .map(|(path, _)| (path.clone(), stamp(path)))
        .collect();
    let started = SystemTime::now();
    let compiled = run(&compiler, asset.logical_path(), dir);
    if let Err(error) = &compiled.output {
        eprintln!(
            "assetlock live: cannot compile {}:\n{error}",
            asset.logical_path()
        );
    }
    let stamps = watched(&compiled)
        .into_iter()
        .map(|path| {
            let stamp = match before.get(&path) {
                Some(was) => *was,
                // Read for the first time: unknown when it changed relative to the compile.
                None => stamp(&path).filter(|(modified, _)| *modified < started),
            };
            (path, stamp)
        })
        .collect();
    let output = compiled.output.clone();
    *last = Some(Done { compiled, stamps });
    output
}

/// The files the last answer for `asset` depends on (empty before its first compile): what
/// the change stream watches beside the source.
pub(super) fn depends(
    manifest: &'static Manifest,
    dir: Option<&Path>,
    asset: &Asset,
) -> Vec<PathBuf> {
    if !is_compiled(manifest, asset) {
        return Vec::new();
    }
    let slot = slot(key(manifest, dir, asset));
    let last = slot.lock().unwrap_or_else(PoisonError::into_inner);
    last.as_ref()
        .map(|done| watched(&done.compiled))
        .unwrap_or_default()
}

/// The inputs of an answer, and every file and folder under its dirs (a folder's stamp
/// changes when a file is added to it or removed).
fn watched(compiled: &Compiled) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = compiled.inputs.iter().map(PathBuf::from).collect();
    for dir in &compiled.dirs {
        walk(Path::new(dir), &mut paths);
    }
    // The dirs may nest (the crate root holds the asset dirs).
    paths.sort();
    paths.dedup();
    paths
}

fn walk(dir: &Path, paths: &mut Vec<PathBuf>) {
    paths.push(dir.to_path_buf());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        // Hidden files, build outputs and installed packages are never sources.
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => walk(&entry.path(), paths),
            Ok(_) => paths.push(entry.path()),
            Err(_) => {}
        }
    }
}

/// Runs the build script for one source and reads its answer.
fn run(compiler: &Compiler, logical: &str, dir: Option<&Path>) -> Compiled {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let output = std::env::temp_dir().join(format!(
        "assetlock-live-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let mut command = Command::new(&compiler.program);
    command
        .envs(compiler.env.iter().map(|(k, v)| (k, v)))
        .env(contract::COMPILE, logical)
        .env(contract::OUTPUT, &output)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(dir) = dir {
        command.env(contract::DIR, dir);
    }
    // Cargo runs a build script in its crate's root.
    if let Some((_, root)) = compiler.env.iter().find(|(k, _)| k == "CARGO_MANIFEST_DIR") {
        command.current_dir(root);
    }
    let ran = command.output();
    let answer = std::fs::read_to_string(&output);
    let _ = std::fs::remove_file(&output);
    let program = &compiler.program;
    let error = match (ran, answer) {
        (_, Ok(text)) => {
            return Compiled::parse(&text).unwrap_or_else(|why| {
                failed(format!(
                    "{logical}: the build script's answer does not read ({why}): build again"
                ))
            });
        }
        (Ok(ran), Err(_)) => format!(
            "{logical}: the build script `{program}` gave no answer ({}): {}",
            ran.status,
            String::from_utf8_lossy(&ran.stderr).trim()
        ),
        (Err(e), _) => {
            format!("{logical}: cannot run the build script `{program}` ({e}): build again")
        }
    };
    failed(error)
}

fn failed(error: String) -> Compiled {
    Compiled {
        output: Err(error),
        inputs: Vec::new(),
        dirs: Vec::new(),
    }
}

/// What a page gets for a source that does not compile: a stylesheet that shows the problems
/// over the page, or a module that throws them.
pub(super) fn error_body(content_type: &str, error: &str) -> String {
    let message = format!("assetlock live: cannot compile\n{error}");
    if content_type.starts_with("text/css") {
        let mut quoted = String::new();
        for c in message.chars() {
            match c {
                '"' | '\\' => quoted.extend(['\\', c]),
                '\n' => quoted.push_str("\\a "),
                c if c.is_control() => quoted.push_str(&format!("\\{:x} ", u32::from(c))),
                c => quoted.push(c),
            }
        }
        format!(
            "html::before {{ content: \"{quoted}\"; display: block; white-space: pre-wrap; \
             position: fixed; inset: 0 0 auto 0; z-index: 2147483647; padding: 1em; \
             background: #fff0f0; color: #900; font: 14px/1.4 monospace; }}\n"
        )
    } else {
        let mut quoted = String::new();
        for c in message.chars() {
            match c {
                '"' | '\\' => quoted.extend(['\\', c]),
                '\n' => quoted.push_str("\\n"),
                c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                    quoted.push_str(&format!("\\u{:04x}", u32::from(c)));
                }
                c => quoted.push(c),
            }
        }
        format!("throw new Error(\"{quoted}\");\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_stylesheet_quotes_every_character() {
        let css = error_body("text/css; charset=utf-8", "a.scss:1:2: \"x\" \\ y\nz\u{7}");
        assert!(css.contains(r#"a.scss:1:2: \"x\" \\ y\a z\7 "#), "{css}");
        assert_eq!(css.lines().count(), 1, "{css}");
    }

    #[test]
    fn an_error_module_throws_one_string() {
        let js = error_body("text/javascript", "a.ts:1:2: \"x\"\n\u{2028}</script>");
        assert_eq!(
            js,
            "throw new Error(\"assetlock live: cannot compile\\na.ts:1:2: \\\"x\\\"\\n\\u2028</script>\");\n"
        );
    }
}
