use super::*;
use crate::Config;
use crate::discover::Files;
use crate::settings::Settings;

/// A configuration that fixes every setting the environment could otherwise decide.
fn base() -> Config {
    let mut config = Config::new();
    config
        .asset_dir("assets")
        .out_dir(std::env::temp_dir())
        .minify(false);
    config
}

fn options(config: &Config) -> TransformOptions {
    TransformOptions::new(&Settings::resolve(config).expect("test settings"))
}

fn transform_key(config: &Config) -> [u8; 32] {
    let files = Files::new();
    let options = options(config);
    transform(
        &Input::new("css/app.css", "assets/css/app.css", &options, &files),
        crate::hash::sha256(b"a { color: red }"),
    )
}

type Change = (&'static str, fn(&mut Config));

/// The settings that change what a transform writes, each changed from its default.
const SHAPING: &[Change] = &[
    ("minify", |c| {
        c.minify(true);
    }),
    ("source_maps", |c| {
        c.source_maps(false);
    }),
    ("hash_len", |c| {
        c.hash_len(20);
    }),
    ("url_prefix mount path", |c| {
        c.url_prefix("/static/");
    }),
    ("targets", |c| {
        c.targets("ie 11");
    }),
    ("warn_only", |c| {
        c.warn_only(true);
    }),
    ("inline_css_imports", |c| {
        c.inline_css_imports(true);
    }),
    ("jsx", |c| {
        c.jsx(crate::Jsx::classic("h", "Fragment"));
    }),
    ("sass_load_paths", |c| {
        c.sass_load_path("node_modules/bootstrap/scss");
    }),
    ("parse_unminified", |c| {
        c.parse_unminified(true);
    }),
    ("js_imports", |c| {
        c.js_imports(crate::JsImports::ImportMap);
    }),
    ("deny_non_literal_imports", |c| {
        c.deny_non_literal_imports(true);
    }),
];

/// The settings that act before or after the transforms, each changed from its default.
const NOT_SHAPING: &[Change] = &[
    ("asset_dirs", |c| {
        c.asset_dir("vendor");
    }),
    // A Tailwind entry's transform is never cached; no other file's depends on it.
    ("tailwind_entries", |c| {
        c.tailwind("css/app.css");
    }),
    ("tailwind_cli", |c| {
        c.tailwind_cli("node_modules/.bin/tailwindcss");
    }),
    // Integrity values are taken of the final bytes, after the transforms.
    ("integrity", |c| {
        c.integrity(crate::Integrity::Sha384);
    }),
    // Public files skip the transform altogether.
    ("public", |c| {
        c.public("favicon.ico");
    }),
    // The import map is generated after the transforms.
    ("import_aliases", |c| {
        c.import_alias("lit", "vendor/lit.js");
    }),
    ("template_dirs", |c| {
        c.templates("templates");
    }),
    ("url_prefix origin", |c| {
        c.url_prefix("https://cdn.example.com/assets/");
    }),
    ("excludes", |c| {
        c.exclude("**/*.psd");
    }),
    ("out_dir", |c| {
        c.out_dir(std::env::temp_dir().join("elsewhere"));
    }),
    ("embed", |c| {
        c.embed(false);
    }),
    // Live mode renames assets after the transforms, at emit time.
    ("live", |c| {
        c.live(true);
    }),
    ("allow_dangling", |c| {
        c.allow_dangling("vendor/**");
    }),
    ("warn_dangling", |c| {
        c.warn_dangling("vendor/**");
    }),
    ("threads", |c| {
        c.threads(3);
    }),
    ("precompress", |c| {
        c.precompress([Compression::Gzip]);
    }),
    ("levels", |c| {
        c.compression_level(Compression::Brotli, 5);
    }),
    ("cache_dir", |c| {
        c.cache_dir(std::env::temp_dir().join("other-cache"));
    }),
    ("cache_size", |c| {
        c.cache_size(1 << 20);
    }),
    // A bundle's parts are keyed by their location and `part` flag instead.
    ("bundles", |c| {
        c.bundle("all.css", ["css/app.css"]);
    }),
    // Deltas are keyed by the pair of digests they join.
    ("previous_releases", |c| {
        c.previous_releases("releases");
    }),
    ("delta_releases", |c| {
        c.delta_releases(1);
    }),
    ("delta_codings", |c| {
        c.delta_codings([crate::DeltaCoding::Dcb]);
    }),
    // Which releases the binary trusts: compiled in, never in an asset's bytes.
    ("trusted_release_keys", |c| {
        c.trusted_release_keys(["ed25519:WfJaAlTu5EPDTg0kCba5Br0S8fZZC7s-rUCXiUHy99M"]);
    }),
];

#[test]
fn every_config_field_is_classified() {
    // Names every field: a new `Config` field does not compile until it is sorted into
    // `SHAPING` or `NOT_SHAPING` below.
    let Config {
        minify: _,
        source_maps: _,
        hash_len: _,
        url_prefix: _,
        targets: _,
        warn_only: _,
        inline_css_imports: _,
        parse_unminified: _,
        js_imports: _,
        import_aliases: _,
        deny_non_literal_imports: _,
        asset_dirs: _,
        template_dirs: _,
        excludes: _,
        out_dir: _,
        embed: _,
        live: _,
        allow_dangling: _,
        public: _,
        warn_dangling: _,
        threads: _,
        precompress: _,
        levels: _,
        cache_dir: _,
        cache_size: _,
        bundles: _,
        previous_releases: _,
        delta_releases: _,
        delta_codings: _,
        integrity: _,
        trusted_release_keys: _,
        sass_load_paths: _,
        tailwind_entries: _,
        tailwind_cli: _,
        jsx: _,
        // Both need cargo (`cargo metadata`): tested by tests/crates.rs. A library's URL prefix
        // reaches the transforms as `mount_path`, which is in the key.
        library: _,
        dependency_assets: _,
        // Shapes the images stage's results, whose key covers the rule (images.rs).
        images: _,
    } = Config::new();
    // `url_prefix` is in both lists: its path shapes output, its origin does not.
    assert_eq!(SHAPING.len() + NOT_SHAPING.len(), 35 + 1);
}

#[test]
fn every_setting_that_shapes_transform_output_changes_the_transform_key() {
    let base_key = transform_key(&base());
    for (name, change) in SHAPING {
        let mut config = base();
        change(&mut config);
        assert_ne!(transform_key(&config), base_key, "changing {name}");
    }
}

#[test]
fn settings_that_do_not_shape_transform_output_keep_the_transform_key() {
    let base_key = transform_key(&base());
    for (name, change) in NOT_SHAPING {
        let mut config = base();
        change(&mut config);
        assert_eq!(transform_key(&config), base_key, "changing {name}");
    }
}

#[test]
fn transform_key_depends_on_location_part_and_bytes() {
    let options = options(&base());
    let files = Files::new();
    let input = Input::new("css/app.css", "assets/css/app.css", &options, &files);
    let key = transform(&input, crate::hash::sha256(b"a{}"));
    let located = Input {
        location: "all.css",
        ..Input::new("css/app.css", "assets/css/app.css", &options, &files)
    };
    let part = Input {
        part: true,
        ..Input::new("css/app.css", "assets/css/app.css", &options, &files)
    };
    assert_ne!(transform(&located, crate::hash::sha256(b"a{}")), key);
    assert_ne!(transform(&part, crate::hash::sha256(b"a{}")), key);
    assert_ne!(transform(&input, crate::hash::sha256(b"b{}")), key);
}

#[test]
fn transform_key_does_not_depend_on_how_diagnostics_name_the_file() {
    let options = options(&base());
    let files = Files::new();
    let here = Input::new("css/app.css", "assets/css/app.css", &options, &files);
    let there = Input::new(
        "css/app.css",
        "/elsewhere/assets/css/app.css",
        &options,
        &files,
    );
    assert_eq!(
        transform(&here, crate::hash::sha256(b"a{}")),
        transform(&there, crate::hash::sha256(b"a{}"))
    );
}

#[test]
fn compression_keys_depend_on_coding_level_and_input() {
    let input = hash::sha256(b"x");
    let base = compress(Compression::Brotli, 11, input);
    assert_ne!(base, compress(Compression::Gzip, 11, input));
    assert_ne!(base, compress(Compression::Zstd, 11, input));
    assert_ne!(base, compress(Compression::Brotli, 9, input));
    assert_ne!(base, compress(Compression::Brotli, 11, hash::sha256(b"y")));
}

#[test]
fn keys_depend_on_every_library_version() {
    let input = hash::sha256(b"x");
    for coding in Compression::ALL {
        let libraries = compression_libraries(coding);
        let base = derive(coding.token(), libraries, "11", input);
        assert_eq!(base, compress(coding, 11, input));
        for i in 0..libraries.len() {
            let mut upgraded = libraries.to_vec();
            upgraded[i].version = "999.0.0";
            assert_ne!(
                derive(coding.token(), &upgraded, "11", input),
                base,
                "{} version",
                libraries[i].name
            );
        }
    }
    let base = derive("transform", TRANSFORM_LIBRARIES, "{}", input);
    for i in 0..TRANSFORM_LIBRARIES.len() {
        let mut upgraded = TRANSFORM_LIBRARIES.to_vec();
        upgraded[i].version = "999.0.0";
        assert_ne!(derive("transform", &upgraded, "{}", input), base);
    }
}

#[test]
fn every_key_covers_this_crate_and_its_version() {
    let all = [TRANSFORM_LIBRARIES, IMAGE_LIBRARIES]
        .into_iter()
        .chain(Compression::ALL.map(compression_libraries));
    for libraries in all {
        assert!(libraries.contains(&THIS_CRATE));
    }
    assert_eq!(THIS_CRATE.version, env!("CARGO_PKG_VERSION"));
}

/// The `(name, version)` of every package in a `Cargo.lock`.
fn locked_packages(lock: &str) -> Vec<(String, String)> {
    let mut packages = Vec::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(value) = line.strip_prefix("name = ") {
            name = Some(value.trim_matches('"').to_string());
        } else if let (Some(value), Some(n)) = (line.strip_prefix("version = "), name.take()) {
            packages.push((n, value.trim_matches('"').to_string()));
        }
    }
    packages
}

#[test]
fn library_versions_match_the_lockfile() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock");
    let Ok(lock) = std::fs::read_to_string(path) else {
        // A published copy of the crate has no workspace lockfile to compare with.
        eprintln!("skipping: no workspace Cargo.lock");
        return;
    };
    let packages = locked_packages(&lock);
    let all = [TRANSFORM_LIBRARIES, IMAGE_LIBRARIES]
        .into_iter()
        .chain(Compression::ALL.map(compression_libraries));
    for library in all.flatten() {
        let locked: Vec<&str> = packages
            .iter()
            .filter(|(name, _)| name == library.name)
            .map(|(_, version)| version.as_str())
            .collect();
        // Another crate may lock its own version beside it (png's miniz_oxide, next to
        // flate2's): the listed one must be among them.
        assert!(
            locked.contains(&library.version),
            "{} {:?} in Cargo.lock, {} listed; update cache/key.rs",
            library.name,
            locked,
            library.version
        );
    }
}
