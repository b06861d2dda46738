//! Bad input: every problem of a build is reported at once, with file, line and column.

mod support;

use std::os::unix::ffi::OsStrExt;

use support::Site;

fn problems(site: &Site, configure: impl FnOnce(&mut assetlock_build::Config)) -> Vec<String> {
    let mut config = site.config();
    configure(&mut config);
    let error = config.try_compile().unwrap_err();
    error.diagnostics().map(|d| d.to_string()).collect()
}

fn has(problems: &[String], needle: &str) -> bool {
    problems.iter().any(|p| p.contains(needle))
}

#[test]
fn all_problems_of_a_build_are_reported_together() {
    let site = Site::new(&[
        ("css/bad.css", ".a { color: red; }\n.b] { color: blue; }\n"),
        ("js/bad.js", "const ok = 1;\nconst = 2;\n"),
        (
            "css/dangle.css",
            ".a {\n  background: url(../img/missing.png);\n}\n",
        ),
        ("dup.txt", "first"),
    ]);
    let more = site.dir.path().join("more");
    std::fs::create_dir_all(&more).unwrap();
    std::fs::write(more.join("dup.txt"), "second").unwrap();
    std::os::unix::fs::symlink("/etc/hostname", site.assets().join("escape.txt")).unwrap();
    std::os::unix::fs::symlink(site.assets().join("gone"), site.assets().join("broken.txt"))
        .unwrap();
    let bad_name = std::ffi::OsStr::from_bytes(b"bad\xffname.txt");
    std::fs::write(site.assets().join(bad_name), "x").unwrap();
    // `parse_unminified`: the full parsers check the JS syntax the lexer leaves alone.
    let problems = problems(&site, |c| {
        c.asset_dir(&more)
            .asset_dir(site.dir.path().join("nope"))
            .parse_unminified(true);
    });
    let expected = [
        "css/bad.css:2:3: Unexpected token CloseSquareBracket",
        "js/bad.js:2:",
        "css/dangle.css:2:15: `../img/missing.png` refers to `img/missing.png`, which is not an asset",
        "dup.txt: logical path `dup.txt` is also provided by",
        "escape.txt: symlink points outside the asset dir",
        "broken.txt: cannot read",
        "file name is not valid UTF-8",
        "nope: asset dir not found",
    ];
    for needle in expected {
        assert!(
            has(&problems, needle),
            "missing `{needle}` in {problems:#?}"
        );
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
}

#[test]
fn paths_are_reported_relative_to_the_crate_root() {
    let site = Site::new(&[("css/bad.css", ".b] {}")]);
    let problems = problems(&site, |_| {});
    // Outside cargo the crate root is the current dir, so the temp dir shows whole.
    let expected = format!(
        "{}/css/bad.css:1:3: Unexpected token CloseSquareBracket",
        site.assets().display()
    );
    assert_eq!(problems, [expected]);
}

#[test]
fn special_files_are_an_error_not_skipped() {
    let site = Site::new(&[("ok.txt", "ok")]);
    let fifo = site.assets().join("pipe");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let problems = problems(&site, |_| {});
    assert!(has(&problems, "pipe: not a regular file"), "{problems:?}");
}

#[test]
fn a_name_no_release_record_may_hold_is_an_error_at_its_file() {
    // Legal names on Unix, but the contract refuses them in a release record: read back, the
    // whole record would be dropped by the server's fallback, prune and the next build.
    let site = Site::new(&[
        (r"css/a\b.css", "a { color: red }"),
        ("js/line\nbreak.js", "let a = 1;"),
        ("ok.css", "a { color: blue }"),
    ]);
    let problems = problems(&site, |_| {});
    let assets = site.assets().display().to_string();
    assert_eq!(
        problems,
        [
            format!(
                r"{assets}/css/a\b.css: path contains `\`, which an asset's path may not; rename the file"
            ),
            format!(
                r"{assets}/js/line\nbreak.js: path contains a control character, which an asset's path may not; rename the file"
            ),
        ]
    );
}

#[test]
fn invalid_settings_are_reported() {
    let site = Site::new(&[("ok.txt", "ok")]);
    let problems = problems(&site, |c| {
        c.hash_len(4)
            .url_prefix("assets/")
            .exclude("[")
            .targets("not a browser 99");
    });
    for needle in [
        "hash_len must be within 8..=64",
        "url_prefix must start with",
        "invalid exclude glob",
        "invalid targets",
    ] {
        assert!(has(&problems, needle), "missing {needle} in {problems:?}");
    }
}

#[test]
fn allow_dangling_keeps_the_reference_silently() {
    let site = Site::new(&[("vendor/x.css", ".a{background:url(missing.png)}")]);
    let output = site
        .config()
        .allow_dangling("vendor/**")
        .try_compile()
        .unwrap();
    assert_eq!(output.warnings().count(), 0);
    assert!(support::text(&output, "vendor/x.css").contains("url(missing.png)"));
}

#[test]
fn warn_dangling_keeps_the_reference_with_a_warning() {
    let site = Site::new(&[("vendor/x.css", ".a{background:url(missing.png)}")]);
    let output = site
        .config()
        .warn_dangling("vendor/*.css")
        .try_compile()
        .unwrap();
    let warnings: Vec<String> = output.warnings().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("vendor/x.css:1:15:"), "{warnings:?}");
}

#[test]
fn dangling_policy_applies_only_to_matching_referrers() {
    let site = Site::new(&[
        ("vendor/x.css", ".a{background:url(missing.png)}"),
        ("app.css", ".a{background:url(missing.png)}"),
    ]);
    let problems = problems(&site, |c| {
        c.allow_dangling("vendor/**");
    });
    assert_eq!(problems.len(), 1);
    assert!(problems[0].contains("app.css:1:15:"), "{problems:?}");
}

#[test]
fn warn_only_ships_malformed_files_with_warnings() {
    let site = Site::new(&[
        ("bad.css", ".b] {}"),
        ("bad.js", "let = ;"),
        ("ok.css", "a{color:red}"),
    ]);
    for minify in [false, true] {
        let output = site
            .config()
            .warn_only(true)
            .minify(minify)
            .parse_unminified(true)
            .try_compile()
            .unwrap();
        assert_eq!(output.warnings().count(), 2);
        assert_eq!(support::text(&output, "bad.js"), "let = ;");
    }
}

#[test]
fn malformed_input_map_is_a_warning_and_the_file_builds() {
    let site = Site::new(&[
        (
            "js/app.js",
            "console.log(1);\n//# sourceMappingURL=input.map\n",
        ),
        ("js/input.map", "{}"),
        (
            "css/app.css",
            ".a { color: red }\n/*# sourceMappingURL=input.map */\n",
        ),
        ("css/input.map", "not a map"),
    ]);
    // Minified or parsed, the outputs' maps would be chained through the input maps. Kept as
    // written (the unminified default), they link the maps as they are, unread: no warning.
    for (minify, parse, warned) in [
        (true, false, true),
        (false, true, true),
        (false, false, false),
    ] {
        let output = site
            .config()
            .minify(minify)
            .parse_unminified(parse)
            .try_compile()
            .unwrap();
        let warnings: Vec<String> = output.warnings().map(|w| w.to_string()).collect();
        if !warned {
            assert!(warnings.is_empty(), "{warnings:?}");
            let css = support::text(&output, "css/app.css");
            assert!(css.contains("sourceMappingURL=input."), "{css}");
            continue;
        }
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].contains("css/app.css:2:22: source map ignored: css/input.map: "),
            "{warnings:?}"
        );
        assert!(
            warnings[1].contains("js/app.js:2:22: source map ignored: js/input.map: "),
            "{warnings:?}"
        );
        // The maps ship as they are; the outputs have maps of their own.
        assert_eq!(support::text(&output, "js/input.map"), "{}");
        assert_eq!(support::text(&output, "css/input.map"), "not a map");
    }
}
