//! Sass entries as sources: compiled to CSS by the build, partials read and never served,
//! `url()`s resolved relative to the entry, errors at the partial's line and column, rebuilt
//! when a partial changes.
#![allow(clippy::disallowed_methods)]

mod support;

use support::{Site, assert_references_resolve, hashed_path, manifest, text};

fn site() -> Site {
    Site::new(&[
        (
            "css/site.scss",
            "@use 'sass:math';\n@use 'theme/colors' as c;\n@import 'mixins';\n\n\
             .card {\n  color: c.$ink;\n  padding: math.div(24px, 2);\n  \
             @include rounded;\n  .title { background: url(../img/dot.svg); }\n}\n",
        ),
        ("css/theme/_colors.scss", "$ink: #123456 !default;\n"),
        (
            "css/_mixins.scss",
            "@mixin rounded { border-radius: 4px; }\n",
        ),
        ("css/print.sass", ".page\n  margin: 0\n"),
        ("img/dot.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
    ])
}

#[test]
fn a_sass_entry_compiles_and_its_partials_are_never_served() {
    for minify in [false, true] {
        let site = site();
        let output = site.config().minify(minify).try_compile().unwrap();
        let path = hashed_path(&output, "css/site.scss");
        assert!(
            path.starts_with("css/site.") && path.ends_with(".css"),
            "{path}"
        );
        let css = text(&output, "css/site.scss");
        for expected in ["#123456", "12px", "border-radius:", ".card .title"] {
            assert!(css.contains(expected), "{expected} in {css}");
        }
        // The `url()` is the entry's, resolved from its folder and hashed.
        let dot = hashed_path(&output, "img/dot.svg");
        let dot_name = dot.rsplit('/').next().unwrap();
        assert!(css.contains(&format!("../img/{dot_name}")), "{css}");
        assert!(
            text(&output, "css/print.sass").contains("margin:"),
            "minify={minify}"
        );

        let assets = &manifest(&output)["assets"];
        assert!(assets.get("css/_mixins.scss").is_none(), "{assets}");
        assert!(assets.get("css/theme/_colors.scss").is_none(), "{assets}");
        assert_references_resolve(&output);
    }
}

#[test]
fn an_edited_partial_rebuilds_the_entries_that_use_it() {
    let site = site();
    // One out dir: read what the first build wrote before the second replaces it.
    let before = site.build().unwrap();
    let (css_before, site_before, print_before) = (
        text(&before, "css/site.scss"),
        hashed_path(&before, "css/site.scss"),
        hashed_path(&before, "css/print.sass"),
    );
    site.write("css/theme/_colors.scss", b"$ink: #abcdef !default;\n");
    let after = site.build().unwrap();
    let css_after = text(&after, "css/site.scss");
    assert!(css_after.contains("#abcdef"), "{css_after}");
    assert_ne!(css_before, css_after);
    assert_ne!(site_before, hashed_path(&after, "css/site.scss"));
    // The stylesheet that uses no partial keeps its name.
    assert_eq!(print_before, hashed_path(&after, "css/print.sass"));
}

#[test]
fn an_error_in_a_partial_names_the_partial_line_and_column() {
    let site = site();
    site.write(
        "css/_mixins.scss",
        b"@mixin rounded {\n  border-radius: ;\n}\n",
    );
    let error = site.config().try_compile().unwrap_err().to_string();
    // Named as the entry is, by its path on disk.
    assert!(error.contains("/assets/css/_mixins.scss:2:"), "{error}");
}

#[test]
fn every_broken_entry_is_reported_at_once() {
    let site = site();
    site.write("css/a.scss", b".a {\n  color: $missing;\n}\n");
    site.write("css/b.scss", b"@use 'nowhere';\n");
    let error = site.config().try_compile().unwrap_err().to_string();
    assert!(error.contains("css/a.scss:2:"), "{error}");
    assert!(error.contains("css/b.scss:1:"), "{error}");
}

#[test]
fn warnings_of_the_stylesheet_are_build_warnings() {
    let site = site();
    site.write(
        "css/warn.scss",
        b".w { color: red; }\n@warn \"old theme\";\n",
    );
    let output = site.config().try_compile().unwrap();
    let warnings: Vec<String> = output.warnings().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("css/warn.scss:2:") && w.contains("old theme")),
        "{warnings:?}"
    );
}

#[test]
fn a_load_path_supplies_what_the_assets_do_not() {
    let site = Site::new(&[("css/app.scss", "@use 'kit/buttons';\n.x { color: blue; }\n")]);
    let library = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(library.path().join("kit")).unwrap();
    std::fs::write(
        library.path().join("kit/_buttons.scss"),
        ".btn { padding: 1px; }\n",
    )
    .unwrap();
    let build = || {
        site.config()
            .sass_load_path(library.path())
            .try_compile()
            .unwrap()
    };
    let output = build();
    assert!(text(&output, "css/app.scss").contains(".btn"));
    assert!(
        manifest(&output)["assets"]
            .get("kit/_buttons.scss")
            .is_none()
    );

    // A change in the load path is a change of the build.
    std::fs::write(
        library.path().join("kit/_buttons.scss"),
        ".btn { padding: 2px; }\n",
    )
    .unwrap();
    assert!(text(&build(), "css/app.scss").contains("2px"));
}

/// Bootstrap 5's own Sass, compiled by the build (grass) and by dart-sass (the reference
/// compiler), each then minified by the build: the same rules, in the same order. The two
/// compilers differ in two ways, both the same colour:
/// - dart-sass mixes colours at full precision and rounds once, grass rounds channel by
///   channel, so a mixed colour may differ by 1 in a channel (`#a5b5cc` and `#a6b5cc`);
/// - inside SVG data URLs dart-sass writes such a colour as `rgb(52.549%, ...)`, grass as
///   `#86b7fe`.
#[test]
fn bootstrap_compiles_as_dart_sass_compiles_it() {
    use assetlock_test_support::{tools, workspace};
    let Some(sources) = workspace::corpus_sources() else {
        return;
    };
    if !tools::available("dart-sass", tools::program("sass"), "npm install -g sass") {
        return;
    }
    let scss = sources.join("bootstrap-scss/scss");
    let reference = tempfile::tempdir().unwrap();
    let dart = std::process::Command::new("sass")
        .args(["--no-source-map", "--style=expanded", "--quiet"])
        .arg(scss.join("bootstrap.scss"))
        .arg(reference.path().join("bootstrap.css"))
        .output()
        .unwrap();
    assert!(
        dart.status.success(),
        "{}",
        String::from_utf8_lossy(&dart.stderr)
    );

    let minified = |site: &Site, logical: &str| {
        let mut config = site.config();
        config.minify(true).source_maps(false);
        text(&config.try_compile().unwrap(), logical)
    };
    let ours = minified(&Site::copy_of(&scss), "bootstrap.scss");
    let theirs = minified(&Site::copy_of(reference.path()), "bootstrap.css");
    let (ours, theirs) = (rules(&ours), rules(&theirs));
    assert_eq!(ours.len(), theirs.len());
    assert!(ours.len() > 2000, "{}", ours.len());
    let mut rounded = 0;
    for (a, b) in ours.iter().zip(&theirs) {
        match same_but_rounding(&percent_colours_as_hex(a), &percent_colours_as_hex(b)) {
            Some(n) => rounded += n,
            None => panic!("rules differ:\n ours:   {a}\n theirs: {b}"),
        }
    }
    // Measured with Bootstrap 5.3.8 and dart-sass 1.108.2: 2,677 rules, 13 mixed colours
    // (of the table variants) differ by rounding.
    eprintln!("{} rules, {rounded} colours differ by rounding", ours.len());
    assert!(rounded <= 13, "{rounded} colours differ by rounding");
}

/// A minified stylesheet's rules, a `}` ending each.
fn rules(css: &str) -> Vec<String> {
    css.split_inclusive('}').map(str::to_owned).collect()
}

/// `rgb(r%, g%, b%)` as dart-sass writes it in a data URL (`rgb%28...%%29`), as `#rrggbb`.
fn percent_colours_as_hex(rule: &str) -> String {
    let mut out = String::new();
    let mut rest = rule;
    while let Some(start) = rest.find("rgb%28") {
        let Some(len) = rest[start..].find("%%29") else {
            break;
        };
        let inner = &rest[start + 6..start + len];
        let channels: Vec<u8> = inner
            .split("%, ")
            .map(|c| (c.trim_end_matches('%').parse::<f64>().unwrap() * 2.55).round() as u8)
            .collect();
        out.push_str(&rest[..start]);
        out.push_str("%23");
        for c in channels {
            out.push_str(&format!("{c:02x}"));
        }
        rest = &rest[start + len + 4..];
    }
    out.push_str(rest);
    out
}

/// How many colours of `a` and `b` differ by at most 1 in each channel, when that is all
/// that differs; `None` when anything else does.
fn same_but_rounding(a: &str, b: &str) -> Option<usize> {
    if a.len() != b.len() {
        return None;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut differing = 0;
    let mut i = 0;
    while i < a.len() {
        if a[i] == b[i] {
            i += 1;
            continue;
        }
        // Inside a 6-digit hex colour: find its start and compare channel by channel.
        let start = (i.saturating_sub(5)..=i)
            .find(|&s| s > 0 && a[s - 1] == b'#' || s > 2 && &a[s - 3..s] == b"%23")?;
        let hex = |x: &[u8]| u32::from_str_radix(std::str::from_utf8(x).ok()?, 16).ok();
        let (x, y) = (
            hex(a.get(start..start + 6)?)?,
            hex(b.get(start..start + 6)?)?,
        );
        let close = (0..3).all(|k| ((x >> (8 * k)) & 255).abs_diff((y >> (8 * k)) & 255) <= 1);
        if !close {
            return None;
        }
        differing += 1;
        i = start + 6;
    }
    Some(differing)
}

/// In a build script run by cargo, live mode compiles them on request instead
/// (`tests/fixture-live/tests/compiled.rs`).
#[test]
fn a_live_build_with_sass_outside_a_build_script_is_built_locked() {
    let site = site();
    let output = site.config().live(true).try_compile().unwrap();
    assert!(manifest(&output)["live"].as_bool() != Some(true));
    assert!(hashed_path(&output, "css/site.scss").ends_with(".css"));
    assert!(
        output
            .warnings()
            .any(|w| w.to_string().contains("live mode is off"))
    );
}
