//! A deterministic fuzz suite on stable Rust over the transforms and the reference rewriter:
//! mutations of the repo's CSS and JS (and of the real-world corpus when it was fetched),
//! deep nesting, long lines, odd URLs, random bytes and broken input source maps, from a fixed
//! seed.
//!
//! Properties: no build crashes or panics (a caught panic is reported, and fails this test);
//! every problem names its file; whenever an input parses, its output parses too, unless the
//! input nests deeper than the documented limits.
//!
//! The inputs are built in batches of one site each, with `warn_only` so that one malformed
//! file does not hide the outputs of the others. It all runs in a child process (this test
//! binary again), so a stack overflow fails the test instead of aborting the suite.
#![allow(clippy::disallowed_methods)] // the child is told apart by an env var

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use support::Site;

const CHILD: &str = "ASSETLOCK_TEST_FUZZ_CHILD";
const SEED: u64 = 0x5eed_a55e_7c0c_4b1d;
/// Rounds of every generator; each round is one batch per output mode.
const ROUNDS: usize = 12;

/// xorshift64*: small, fast and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// CSS and JS files of the repo's fixtures and example sites, and of the corpus if present.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![
        root.join("tests/fixtures"),
        root.join("../tests/fixture-site/assets"),
        root.join("../example-app/assets"),
    ];
    dirs.extend(assetlock_test_support::workspace::corpus());
    let mut seeds = Vec::new();
    for dir in dirs {
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.into_path())
            .filter(|p| kind(&p.to_string_lossy()).is_some())
            .collect();
        files.sort();
        for path in files {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            seeds.push((name, std::fs::read(&path).unwrap()));
        }
    }
    seeds
}

fn kind(name: &str) -> Option<&'static str> {
    if name.ends_with(".css") {
        Some("css")
    } else if name.ends_with(".js") || name.ends_with(".mjs") {
        Some("js")
    } else {
        None
    }
}

const CSS_TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    ":",
    ",",
    "\"",
    "'",
    "/*",
    "*/",
    "\\",
    "@media screen{",
    "@import url(a.css);",
    "url(",
    "url(../img/a.png)",
    "calc(1px + ",
    "var(--x)",
    "!important",
    "\n",
    " ",
    "&",
    ">",
    "#",
    ".",
    "@supports (display:grid){",
    "é",
    "\u{feff}",
];
const JS_TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    ",",
    "\"",
    "'",
    "`",
    "${",
    "/",
    "//",
    "/*",
    "*/",
    "\\",
    "import a from './a.js';",
    "import(\"./b.js\")",
    "new URL('./c.png', import.meta.url)",
    "export ",
    "function ",
    "=>",
    "?",
    ":",
    "+",
    "!",
    "\n",
    " ",
    "await ",
    "class ",
    "é",
    "//# sourceMappingURL=x.map\n",
];
const URLS: &[&str] = &[
    "../../../../x.png",
    "a.png?v=1#frag",
    "%ff%zz.png",
    "",
    "#",
    "?",
    "//host/x.png",
    "data:image/png;base64,AA",
    "./",
    ".",
    "..",
    "a\\b.png",
    "a b.png",
    "\u{0}.png",
    "é.png",
    "../img/a.png",
    "https://example.com/x.css",
    "/abs.png",
    "javascript:alert(1)",
];

/// One input: a seed mutated a few times, or one of the generators.
fn input(rng: &mut Rng, seeds: &[(String, Vec<u8>)], i: usize) -> (String, Vec<u8>) {
    let (name, bytes) = match i % 6 {
        0..=2 => {
            let (name, seed) = rng.pick(seeds);
            (name.clone(), mutate(rng, seed, seeds))
        }
        3 => deep(rng),
        4 => long_line(rng),
        _ => odd_urls_or_bytes(rng),
    };
    let stem = name
        .rsplit_once('.')
        .map_or("f", |(s, _)| s)
        .replace('/', "_");
    let ext = name.rsplit_once('.').map_or("js", |(_, e)| e);
    (format!("f{i}-{stem}.{ext}"), bytes)
}

fn mutate(rng: &mut Rng, seed: &[u8], seeds: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    let tokens = if std::str::from_utf8(seed).is_ok_and(|t| t.contains('{') && !t.contains("=>")) {
        CSS_TOKENS
    } else {
        JS_TOKENS
    };
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 => {
                let end = (at + rng.below(40)).min(bytes.len());
                bytes.drain(at..end);
            }
            1 => {
                let end = (at + rng.below(200)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
            2 => bytes.truncate(at),
            3 => {
                let (_, other) = rng.pick(seeds);
                let from = rng.below(other.len());
                let end = (from + rng.below(300)).min(other.len());
                bytes.splice(at..at, other[from..end].iter().copied());
            }
            4 => {
                let byte = rng.next() as u8;
                bytes.insert(at, byte);
            }
            _ => {
                let token = rng.pick(tokens).as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
        }
    }
    bytes
}

/// Nesting up to 20,000 levels of a random mix of brackets and constructs.
fn deep(rng: &mut Rng) -> (String, Vec<u8>) {
    let css = rng.below(2) == 0;
    let depth = *rng.pick(&[10, 99, 100, 101, 500, 2_000, 20_000]);
    let depth = if css { depth.min(2_000) } else { depth };
    let pairs: &[(&str, &str)] = if css {
        &[
            ("@media screen{", "}"),
            (".a{", "}"),
            ("x:calc(", ")"),
            (":is(", ")"),
        ]
    } else {
        &[
            ("[", "]"),
            ("(", ")"),
            ("{a:", "}"),
            ("function f(){", "}"),
            ("`${", "}`"),
        ]
    };
    let (mut open, mut close) = (String::new(), Vec::new());
    for _ in 0..depth {
        let (o, c) = rng.pick(pairs);
        open.push_str(o);
        close.push(*c);
    }
    close.reverse();
    let inner = if css { "color:red" } else { "1" };
    let text = if css {
        format!("{open}{inner}{}", close.concat())
    } else {
        format!("x = {open}{inner}{};", close.concat())
    };
    let name = if css { "deep.css" } else { "deep.js" };
    (name.to_string(), text.into_bytes())
}

/// One line of up to 60,000 characters.
fn long_line(rng: &mut Rng) -> (String, Vec<u8>) {
    let n = 1_000 + rng.below(5_000);
    let (name, text) = match rng.below(4) {
        0 => ("long.css", ".a{color:red}".repeat(n)),
        1 => (
            "long.css",
            format!(".a{{content:\"{}\"}}", "x".repeat(n * 10)),
        ),
        2 => ("long.js", "a=1;b=[a,2];".repeat(n)),
        _ => ("long.js", format!("x={};", "a?b:".repeat(n / 10) + "c")),
    };
    (name.to_string(), text.into_bytes())
}

fn odd_urls_or_bytes(rng: &mut Rng) -> (String, Vec<u8>) {
    match rng.below(3) {
        0 => {
            let url = rng.pick(URLS);
            let text = format!(".a{{background:url(\"{url}\")}}\n@import \"{url}\";\n");
            ("urls.css".into(), text.into_bytes())
        }
        1 => {
            let url = rng.pick(URLS);
            let text = format!(
                "import a from \"{url}\";\nimport(\"{url}\");\nnew URL(\"{url}\", import.meta.url);\n"
            );
            ("urls.js".into(), text.into_bytes())
        }
        _ => {
            let bytes = (0..rng.below(2_000)).map(|_| rng.next() as u8).collect();
            let name = if rng.below(2) == 0 {
                "bytes.css"
            } else {
                "bytes.js"
            };
            (name.into(), bytes)
        }
    }
}

fn parses(name: &str, bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    if kind(name) == Some("css") {
        let options = lightningcss::stylesheet::ParserOptions::default();
        lightningcss::stylesheet::StyleSheet::parse(text, options).is_ok()
    } else {
        let allocator = oxc::allocator::Allocator::default();
        let source_type = oxc::span::SourceType::unambiguous();
        let parsed = oxc::parser::Parser::new(&allocator, text, source_type).parse();
        !parsed.panicked && !parsed.diagnostics.has_errors()
    }
}

/// How many inputs ran, and what became of them.
#[derive(Default)]
struct Tally {
    inputs: usize,
    /// Parsed, and so did their output.
    valid: usize,
    /// Parsed, and rejected as nesting too deep.
    too_deep: usize,
}

/// The fuzz run itself.
fn run() -> Tally {
    let seeds = seeds();
    assert!(!seeds.is_empty());
    let mut rng = Rng(SEED);
    let mut tally = Tally::default();
    let mut i = 0;
    for round in 0..ROUNDS {
        for minify in [false, true] {
            let inputs: Vec<(String, Vec<u8>)> = (0..24)
                .map(|_| {
                    i += 1;
                    input(&mut rng, &seeds, i)
                })
                .collect();
            println!("round {round}, minify {minify}");
            let site = Site::new(&[]);
            for (name, bytes) in &inputs {
                site.write(name, bytes);
            }
            // The map that `sourceMappingURL=x.map` comments name: valid, or mutated.
            let map = br#"{"version":3,"sources":["a.ts"],"names":[],"mappings":"AAAA;AACA"}"#;
            let seed = [(String::new(), map.to_vec())];
            site.write("x.map", &mutate(&mut rng, map, &seed));
            let output = site
                .config()
                .minify(minify)
                .precompress([])
                .warn_only(true)
                .warn_dangling("**")
                .try_compile()
                .unwrap_or_else(|e| panic!("round {round}, minify {minify}:\n{e}"));
            let warnings: Vec<String> = output.warnings().map(|w| w.to_string()).collect();
            let assets = site.assets().display().to_string();
            for w in &warnings {
                assert!(!w.contains("panicked"), "round {round}: {w}");
                assert!(w.starts_with(&assets), "round {round}: names no file: {w}");
            }
            for (name, bytes) in &inputs {
                // Diagnostics start with the file's path, which ends in its name.
                let about = format!("/{name}:");
                let too_deep = warnings
                    .iter()
                    .any(|w| w.contains(&about) && w.contains("nesting deeper than"));
                if !parses(name, bytes) {
                    continue;
                }
                if too_deep {
                    tally.too_deep += 1;
                    continue;
                }
                let failed = warnings.iter().find(|w| w.contains(&about));
                let failed = failed.filter(|w| w.contains("warn_only"));
                assert!(failed.is_none(), "round {round}, {name} parsed: {failed:?}");
                let built = support::bytes(&output, name);
                assert!(
                    parses(name, &built),
                    "round {round}, minify {minify}: output of {name} does not parse:\n{}",
                    String::from_utf8_lossy(&built)
                );
                tally.valid += 1;
            }
            tally.inputs += inputs.len();
        }
    }
    tally
}

#[test]
fn hostile_inputs_never_crash_and_valid_ones_stay_valid() {
    if std::env::var_os(CHILD).is_some() {
        // As deep as the pipeline's threads, for the test's own parsing of deep inputs.
        let started = Instant::now();
        let tally = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(run)
            .unwrap()
            .join()
            .unwrap();
        println!(
            "fuzz: {} inputs in {:.1?}: {} parsed and built to output that parses, {} parsed \
             but nest too deep (a clear error), the rest malformed (no crash, no panic)",
            tally.inputs,
            started.elapsed(),
            tally.valid,
            tally.too_deep,
        );
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "hostile_inputs_never_crash_and_valid_ones_stay_valid",
            "--exact",
        ])
        .args(["--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "child {}:\n{stdout}\n{stderr}",
        out.status
    );
    for line in stdout
        .lines()
        .filter(|l| l.starts_with("fuzz:") || l.starts_with("skipping"))
    {
        // Shown with --nocapture, for quoting.
        println!("{line}");
    }
}
