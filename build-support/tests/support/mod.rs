//! A temporary site: an asset dir, an out dir and a cache dir, built with the library directly.
#![allow(dead_code)]

pub mod cargo;
pub mod images;

use std::path::{Path, PathBuf};

use assetlock_build::{Config, Error, Output};
use serde_json::Value;

pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new(files: &[(&str, &str)]) -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        for (path, text) in files {
            site.write(path, text.as_bytes());
        }
        site
    }

    /// A site holding a copy of a directory tree.
    pub fn copy_of(source: &Path) -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        copy_tree(source, &site.assets());
        site
    }

    pub fn assets(&self) -> PathBuf {
        self.dir.path().join("assets")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    pub fn write(&self, path: &str, bytes: &[u8]) {
        let path = self.assets().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// The configuration tests start from: this site's dirs, one thread count fixed by the
    /// caller where it matters.
    pub fn config(&self) -> Config {
        let mut config = Config::new();
        config
            .asset_dir(self.assets())
            .out_dir(self.out())
            .cache_dir(self.dir.path().join("cache"));
        config
    }

    pub fn build(&self) -> Result<Output, Error> {
        self.config().try_compile()
    }
}

pub use assetlock_test_support::tree::copy as copy_tree;

pub fn manifest(output: &Output) -> Value {
    serde_json::from_str(&std::fs::read_to_string(output.manifest_path()).unwrap()).unwrap()
}

/// The served bytes of a logical path.
pub fn bytes(output: &Output, logical: &str) -> Vec<u8> {
    let manifest = manifest(output);
    let path = manifest["assets"][logical]["path"]
        .as_str()
        .unwrap_or_else(|| panic!("no asset {logical}"));
    std::fs::read(output.dist_dir().join(path)).unwrap()
}

pub fn text(output: &Output, logical: &str) -> String {
    String::from_utf8(bytes(output, logical)).unwrap()
}

/// The line of the generated code that holds the import map.
pub fn import_map_line(output: &Output) -> String {
    let code = std::fs::read_to_string(output.code_path()).unwrap();
    let line = code.lines().find(|l| l.contains("pub const IMPORT_MAP"));
    line.expect("an import map").to_string()
}

/// Runs Node.js with `args` and returns what it printed; a failure shows what it said.
pub fn run_node<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> String {
    output_of(std::process::Command::new("node").args(args))
}

/// What `command` printed; a failure shows what it said.
pub fn output_of(command: &mut std::process::Command) -> String {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Whether Node.js is there (see `assetlock_test_support::tools::available`).
pub fn node_available() -> bool {
    use assetlock_test_support::tools;
    tools::available("node", tools::program("node"), "apt-get install nodejs")
}

pub fn hashed_path(output: &Output, logical: &str) -> String {
    manifest(output)["assets"][logical]["path"]
        .as_str()
        .unwrap()
        .to_string()
}

/// `len` bytes of stylesheet, the same for the same `seed`: rules whose names, sizes and
/// colours are pseudo-random (xorshift), so that it compresses as CSS does (zstd: 4 to 6
/// times) without long repeats: what lies far back is found only inside a compressor's window.
pub fn generated_css(len: usize, seed: u64) -> String {
    use std::fmt::Write;
    const WORDS: [&str; 8] = [
        "header", "card", "button", "grid", "title", "modal", "panel", "badge",
    ];
    const PROPERTIES: [&str; 4] = ["margin", "padding", "font-size", "line-height"];
    let mut state = seed | 1;
    let mut css = String::with_capacity(len + 128);
    while css.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let r = state;
        writeln!(
            css,
            ".{}-{}__{} {{ {}: {}px; color: #{:06x}; }}",
            WORDS[(r & 7) as usize],
            (r >> 3) & 0xfff,
            WORDS[((r >> 15) & 7) as usize],
            PROPERTIES[((r >> 18) & 3) as usize],
            (r >> 20) % 400,
            (r >> 32) & 0xff_ffff,
        )
        .unwrap();
    }
    css.truncate(len);
    css
}

/// The workspace's fixture dir.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Every local reference in the output (CSS `url()`/`@import`, JS imports, `sourceMappingURL`)
/// names a file of the output: building the artifact dir itself as an asset dir must succeed
/// without a dangling reference or a warning.
pub fn assert_references_resolve(output: &Output) {
    let check = tempfile::tempdir().unwrap();
    let mut config = Config::new();
    config
        .asset_dir(output.dist_dir())
        .exclude("**/*.br")
        .exclude("**/*.gz")
        .exclude("**/*.zst")
        .out_dir(check.path().join("out"))
        .cache_dir(check.path().join("cache"))
        .minify(false)
        .precompress([]);
    match config.try_compile() {
        Ok(rebuilt) => {
            // A non-literal `import()` in a fixture is warned about in its own tests.
            let warnings: Vec<String> = rebuilt
                .warnings()
                .map(|w| w.to_string())
                .filter(|w| !w.contains("is not a literal"))
                .collect();
            assert!(warnings.is_empty(), "warnings: {warnings:#?}");
        }
        Err(e) => panic!("references in the output do not resolve:\n{e}"),
    }
}

/// The process's peak resident memory so far, in bytes (`VmHWM`): the memory tests run alone
/// in their test binaries, so it is their build's.
#[cfg(target_os = "linux")]
pub fn peak_memory() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}
