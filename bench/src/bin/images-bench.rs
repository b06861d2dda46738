//! The image benchmark: assetlock-build's image variants against the reference encoders, in
//! one process on one set of photos.
//!
//! ```text
//! images-bench <photo dir> <work dir> [--threads N] [--runs N] [--copies N]
//! ```
//!
//! `--copies N` makes a larger site of N copies of each photo, each with other bytes (zeros
//! appended after the image data, which decoders ignore): N times the work, and one edit a
//! smaller share of it.
//!
//! Each photo gets an AVIF (quality 60, speed 6, 8-bit 4:4:4) and a WebP (quality 75, method
//! 4) at its own width. Rows, medians of `--runs`:
//!
//! - cold: `Config::images` with an empty cache, against `avifenc` (libaom, then rav1e) and
//!   `cwebp` on the same photos with the same settings, `--threads` encodes at a time, each
//!   encoder on one thread (assetlock's builds use the same number of threads);
//! - rebuild: the same build after editing one photo, against the cold build;
//! - bytes per format against the sources, and SSIM of each against its source.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use assetlock_bench::ssim::ssim;
use assetlock_bench::timing::{Summary, timed};
use assetlock_build::{ImageFormat, Images};

/// ravif's quality 60 is rav1e's quantizer 147 of 255: `--min 36 --max 36` in avifenc's 0-63.
const AVIF_QUANTIZER: &str = "36";

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(photos), Some(work)) = (args.next(), args.next()) else {
        eprintln!("usage: images-bench <photo dir> <work dir> [--threads N] [--runs N]");
        std::process::exit(2);
    };
    let (mut threads, mut runs, mut copies) = (2usize, 3usize, 1usize);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse().ok()).expect("a number");
        match arg.as_str() {
            "--threads" => threads = value,
            "--runs" => runs = value,
            "--copies" => copies = value,
            other => panic!("unknown argument {other}"),
        }
    }
    let (photos, work) = (PathBuf::from(photos), PathBuf::from(work));
    let _ = std::fs::remove_dir_all(&work);
    let originals: Vec<PathBuf> = {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&photos)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
    };
    let assets = work.join("assets/img");
    std::fs::create_dir_all(&assets).unwrap();
    let mut sources = Vec::new();
    for original in &originals {
        let bytes = std::fs::read(original).unwrap();
        let (stem, extension) = (original.file_stem().unwrap(), original.extension().unwrap());
        for copy in 0..copies {
            let name = format!("{}-{copy}", stem.to_str().unwrap());
            let path = assets.join(name).with_extension(extension);
            std::fs::write(&path, [&bytes[..], &vec![0; copy]].concat()).unwrap();
            sources.push(path);
        }
    }
    sources.sort();
    let source_bytes: u64 = sources.iter().map(|s| s.metadata().unwrap().len()).sum();
    let pixels: u64 = sources
        .iter()
        .map(|s| {
            let (w, h) = image::image_dimensions(s).unwrap();
            u64::from(w) * u64::from(h)
        })
        .sum();
    println!(
        "{} photos, {:.1} megapixels, {:.1} MB; {threads} threads, {runs} runs",
        sources.len(),
        pixels as f64 / 1e6,
        source_bytes as f64 / 1e6
    );

    let build = |out: &str, cache: &str| {
        assetlock_build::Config::new()
            .asset_dir(work.join("assets"))
            .out_dir(work.join(out))
            .cache_dir(work.join(cache))
            .threads(threads)
            .precompress([])
            .images(
                Images::new("img/*")
                    .widths([16_383])
                    .formats([ImageFormat::Avif, ImageFormat::Webp]),
            )
            .try_compile()
            .unwrap()
    };
    let cold: Vec<f64> = (0..runs)
        .map(|i| {
            let _ = std::fs::remove_dir_all(work.join("cache-cold"));
            let _ = std::fs::remove_dir_all(work.join("out-cold"));
            let (output, seconds) = timed(|| build("out-cold", "cache-cold"));
            assert_eq!(output.stats().images_encoded, sources.len(), "run {i}");
            seconds
        })
        .collect();
    let cold = Summary::of(&cold);
    // An edit of one photo: a byte appended after its end (0xA5, which no copy ends with),
    // which decoders ignore but which is new input for the cache.
    let edited = assets.join(sources[0].file_name().unwrap());
    let rebuild: Vec<f64> = (0..runs)
        .map(|_| {
            let mut bytes = std::fs::read(&edited).unwrap();
            bytes.push(0xA5);
            std::fs::write(&edited, bytes).unwrap();
            let (output, seconds) = timed(|| build("out-cold", "cache-cold"));
            assert_eq!(output.stats().images_encoded, 1);
            seconds
        })
        .collect();
    let rebuild = Summary::of(&rebuild);
    // Nothing changed since the last rebuild: answered from its fingerprint.
    let output = build("out-cold", "cache-cold");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(output.manifest_path()).unwrap()).unwrap();

    let reference = work.join("reference");
    let mut rows = vec![("assetlock-build", cold.median)];
    for codec in ["aom", "rav1e"] {
        let seconds: Vec<f64> = (0..runs)
            .map(|_| timed(|| encode_all(&sources, &reference, codec, threads)).1)
            .collect();
        rows.push((
            if codec == "aom" {
                "avifenc (aom) + cwebp"
            } else {
                "avifenc (rav1e) + cwebp"
            },
            Summary::of(&seconds).median,
        ));
    }
    println!(
        "\n| cold build, {} photos | median | vs assetlock-build |",
        sources.len()
    );
    println!("| --- | --- | --- |");
    for (name, seconds) in &rows {
        println!(
            "| {name} | {:.2} s | {:.2}x |",
            seconds,
            seconds / cold.median
        );
    }
    println!(
        "\nrebuild after editing one photo: {:.3} s, {:.1} % of the cold build\n",
        rebuild.median,
        100.0 * rebuild.median / cold.median
    );

    // Bytes and quality, per format and encoder.
    let mut table = Vec::new();
    for (label, file_of) in [
        ("AVIF, assetlock-build (rav1e)", Output::Ours("avif")),
        ("AVIF, avifenc (rav1e)", Output::Reference("rav1e.avif")),
        ("AVIF, avifenc (aom)", Output::Reference("aom.avif")),
        ("WebP, assetlock-build (libwebp)", Output::Ours("webp")),
        ("WebP, cwebp", Output::Reference("webp")),
    ] {
        let mut bytes = 0u64;
        let mut quality = 0.0;
        for source in &sources {
            let name = source.file_name().unwrap().to_str().unwrap();
            let file = match file_of {
                Output::Ours(extension) => {
                    let (w, _) = image::image_dimensions(source).unwrap();
                    let logical = format!("img/{name}@{w}w.{extension}");
                    let path = manifest["assets"][&logical]["path"].as_str().unwrap();
                    output.dist_dir().join(path)
                }
                Output::Reference(suffix) => reference.join(format!("{name}.{suffix}")),
            };
            bytes += file.metadata().unwrap().len();
            quality += score(source, &file, &work);
        }
        table.push((label, bytes, quality / sources.len() as f64));
    }
    println!("| format, encoder | bytes | vs sources | SSIM vs source (mean) |");
    println!("| --- | --- | --- | --- |");
    println!("| sources (JPEG, PNG) | {source_bytes} | 1.00 | 1.0000 |");
    for (label, bytes, quality) in table {
        println!(
            "| {label} | {bytes} | {:.3} | {quality:.4} |",
            bytes as f64 / source_bytes as f64
        );
    }
}

#[derive(Clone, Copy)]
enum Output {
    Ours(&'static str),
    Reference(&'static str),
}

/// Every photo through `avifenc -c codec` and `cwebp`, `threads` commands at a time.
fn encode_all(sources: &[PathBuf], out: &Path, codec: &str, threads: usize) {
    std::fs::create_dir_all(out).unwrap();
    let mut jobs: Vec<Command> = Vec::new();
    for source in sources {
        let name = source.file_name().unwrap().to_str().unwrap();
        let mut avif = Command::new("avifenc");
        avif.args(["-c", codec, "-s", "6", "-j", "1", "-d", "8", "-y", "444"])
            .args(["--min", AVIF_QUANTIZER, "--max", AVIF_QUANTIZER])
            .arg(source)
            .arg(out.join(format!("{name}.{codec}.avif")));
        jobs.push(avif);
        let mut webp = Command::new("cwebp");
        webp.args(["-quiet", "-q", "75", "-m", "4"])
            .arg(source)
            .arg("-o")
            .arg(out.join(format!("{name}.webp")));
        jobs.push(webp);
    }
    let queue = Mutex::new(jobs);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(mut job) = queue.lock().unwrap().pop() {
                    let status = (job.stdout(std::process::Stdio::null()))
                        .stderr(std::process::Stdio::null())
                        .status()
                        .unwrap();
                    assert!(status.success(), "{job:?}");
                }
            });
        }
    });
}

/// SSIM of an encoded file against its source; AVIF is decoded with `avifdec`.
fn score(source: &Path, encoded: &Path, work: &Path) -> f64 {
    let original = image::open(source).unwrap().to_rgb8();
    let decoded = if encoded.extension().is_some_and(|e| e == "avif") {
        let png = work.join("decoded.png");
        let status = Command::new("avifdec")
            .arg(encoded)
            .arg(&png)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        image::open(&png).unwrap().to_rgb8()
    } else {
        image::open(encoded).unwrap().to_rgb8()
    };
    assert_eq!(
        original.dimensions(),
        decoded.dimensions(),
        "{}",
        encoded.display()
    );
    let (w, h) = original.dimensions();
    ssim(original.as_raw(), decoded.as_raw(), w as usize, h as usize)
}
