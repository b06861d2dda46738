// Generates the serving benchmark's assets, a ~30 KB stylesheet and a ~2 MB font, with
// deterministic contents, and compiles them into the bench binaries with assetlock-build like
// any app would (`assetlock::include_manifest!()` in bench/src/bin/serve-bench.rs).
#![allow(clippy::disallowed_methods)] // a build script reads its own environment

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, SystemTime};

fn main() {
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let assets = Path::new(&out).join("serve-assets");
    std::fs::create_dir_all(&assets).expect("create the asset dir");
    write_if_changed(&assets.join("bench.css"), stylesheet().as_bytes());
    write_if_changed(&assets.join("bench.woff2"), &font(2 << 20));
    // The dir's own time counts too: creating files in it moved it to now.
    date_in_the_past(&assets);
    println!("cargo::rerun-if-changed=build.rs");
    assetlock_build::Config::new().asset_dir(&assets).compile();

    // A second, unrelated site whose server answers for bench.css only through its fallback
    // to a bucket holding the first build (serve-bench's `fallback` server).
    let other = Path::new(&out).join("other-assets");
    std::fs::create_dir_all(&other).expect("create the other asset dir");
    write_if_changed(&other.join("other.css"), b"body { margin: 0 }\n");
    date_in_the_past(&other);
    assetlock_build::Config::new()
        .asset_dir(&other)
        .out_dir(Path::new(&out).join("other-site"))
        .compile();
}

/// Rules in the shape of a component library: ~30 KB once minified.
fn stylesheet() -> String {
    let mut css = String::from(
        "@font-face {\n  font-family: Bench;\n  src: url(\"bench.woff2\") format(\"woff2\");\n}\n",
    );
    let mut random = XorShift(0x5eed_0001);
    for i in 0..200 {
        let (r, g, b) = (random.byte(), random.byte(), random.byte());
        let pad = random.next() % 24;
        let _ = write!(
            css,
            ".bench-card-{i} {{\n  color: #{r:02x}{g:02x}{b:02x};\n  padding: {pad}px {}px;\n  \
             border: 1px solid rgba({g}, {b}, {r}, 0.{});\n  font-family: Bench, sans-serif;\n}}\n\
             .bench-card-{i}:hover {{\n  background-color: #{b:02x}{r:02x}{g:02x};\n}}\n",
            pad * 2,
            random.next() % 10,
        );
    }
    css
}

/// Incompressible bytes, as a real woff2 font is.
fn font(len: usize) -> Vec<u8> {
    let mut random = XorShift(0x5eed_0002);
    (0..len).map(|_| random.byte()).collect()
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn byte(&mut self) -> u8 {
        (self.next() >> 32) as u8
    }
}

/// Writes only when the contents differ and dates the file in the past, so that cargo's
/// `rerun-if-changed` on the asset dir does not rerun this script after every build.
fn write_if_changed(path: &Path, bytes: &[u8]) {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return;
    }
    std::fs::write(path, bytes).expect("write a generated asset");
    date_in_the_past(path);
}

fn date_in_the_past(path: &Path) {
    let past = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    std::fs::File::open(path)
        .and_then(|f| f.set_modified(past))
        .expect("date a generated asset");
}
