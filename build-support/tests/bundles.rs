//! Bundles (`Config::bundle`) and `@import` inlining (`Config::inline_css_imports`).
#![allow(clippy::disallowed_methods)]

mod support;

use support::{Site, assert_references_resolve, manifest, text};

fn node(code: &str) -> Option<String> {
    support::node_available().then(|| support::run_node(&["-e", code]))
}

/// Two classic scripts: the first ends without a semicolon and with a line comment, the
/// second starts with a parenthesis, the classic concatenation trap.
fn scripts_site() -> Site {
    Site::new(&[
        (
            "vendor/one.js",
            "var log = [];\nvar one = function () { log.push('one') }\n// trailing comment",
        ),
        (
            "vendor/two.js",
            "(function () { log.push('two'); })();\none();\nglobalThis.result = log.join(',');\n",
        ),
        ("js/module.js", "export const x = 1;\n"),
    ])
}

#[test]
fn js_bundle_joins_scripts_safely_and_runs() {
    for minify in [false, true] {
        let site = scripts_site();
        let output = site
            .config()
            .minify(minify)
            .bundle("js/vendor.js", ["vendor/one.js", "vendor/two.js"])
            .try_compile()
            .unwrap();
        let bundle = text(&output, "js/vendor.js");
        assert!(
            manifest(&output)["assets"].get("vendor/one.js").is_some(),
            "inputs stay assets"
        );
        let code = bundle.replace("//# sourceMappingURL", "// map");
        if let Some(result) = node(&format!("{code}\nconsole.log(globalThis.result)")) {
            assert_eq!(result.trim(), "two,one", "minify={minify}");
        }
    }
}

#[test]
fn minified_bundle_has_a_map_with_every_input() {
    let site = scripts_site();
    let output = site
        .config()
        .minify(true)
        .bundle("js/vendor.js", ["vendor/one.js", "vendor/two.js"])
        .try_compile()
        .unwrap();
    let map: serde_json::Value = serde_json::from_str(&text(&output, "js/vendor.js.map")).unwrap();
    let sources: Vec<&str> = map["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(sources, ["../vendor/one.js", "../vendor/two.js"]);
    assert_references_resolve(&output);
}

#[test]
fn js_bundle_refuses_modules() {
    let site = scripts_site();
    let error = site
        .config()
        .bundle("js/all.js", ["vendor/one.js", "js/module.js"])
        .try_compile()
        .unwrap_err();
    let problems: Vec<String> = error.diagnostics().map(|d| d.to_string()).collect();
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].contains("js/module.js: has import/export syntax"),
        "{problems:?}"
    );
}

#[test]
fn css_bundle_rewrites_each_inputs_urls_relative_to_the_bundle() {
    let site = Site::new(&[
        (
            "css/reset.css",
            "html { background: url(../img/bg.png); }\n",
        ),
        (
            "widgets/deep/card.css",
            ".card { background: url(../../img/card.png); }\n",
        ),
        ("img/bg.png", "BG"),
        ("img/card.png", "CARD"),
    ]);
    let output = site
        .config()
        .bundle("css/all.css", ["css/reset.css", "widgets/deep/card.css"])
        .try_compile()
        .unwrap();
    let bundle = text(&output, "css/all.css");
    for image in ["img/bg.png", "img/card.png"] {
        let name = support::hashed_path(&output, image);
        assert!(
            bundle.contains(&format!("../{name}")),
            "{image} in\n{bundle}"
        );
    }
    assert_references_resolve(&output);
}

#[test]
fn css_bundle_input_with_import_needs_inlining() {
    let site = Site::new(&[
        ("css/a.css", "@import 'b.css';\n.a { color: red; }\n"),
        ("css/b.css", ".b { color: blue; }\n"),
    ]);
    let error = site
        .config()
        .bundle("css/all.css", ["css/a.css"])
        .try_compile()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("css/a.css:1:1: bundle inputs cannot use @import"),
        "{error}"
    );
    let output = site
        .config()
        .inline_css_imports(true)
        .bundle("css/all.css", ["css/a.css"])
        .try_compile()
        .unwrap();
    let bundle = text(&output, "css/all.css");
    assert!(
        bundle.contains(".b {") && bundle.contains(".a {") && !bundle.contains("@import"),
        "{bundle}"
    );
}

#[test]
fn bad_bundle_configurations_are_reported_together() {
    let site = scripts_site();
    let error = site
        .config()
        .bundle("js/x.js", ["vendor/missing.js"])
        .bundle("js/y.js", ["vendor/one.js", "img.png"])
        .bundle("vendor/one.js", ["vendor/two.js"])
        .bundle("all.txt", ["vendor/one.js"])
        .bundle("../up.js", ["vendor/one.js"])
        .try_compile()
        .unwrap_err();
    let text = error.to_string();
    for needle in [
        "bundle `js/x.js`: lists `vendor/missing.js`, which is not an asset",
        "bundle `js/y.js`: lists `img.png`, which is not an asset",
        "bundle `vendor/one.js`: is also the name of an asset",
        "bundle `all.txt`: a bundle's name must end in .js, .mjs or .css",
        "bundle `../up.js`: name has a `.` or `..` segment, which an asset's path may not",
    ] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
}

fn imports_site() -> Site {
    Site::new(&[
        (
            "css/site.css",
            "@import 'https://fonts.example.com/x.css';\n@import url(\"parts/print.css\") print;\n.site { background: url(../img/site.png); }\n",
        ),
        (
            "css/parts/print.css",
            "@import '../../shared/base.css';\n.print { background: url(../../img/print.png); }\n",
        ),
        (
            "shared/base.css",
            ".base { background: url(../img/base.png); }\n",
        ),
        ("img/site.png", "S"),
        ("img/print.png", "P"),
        ("img/base.png", "B"),
    ])
}

#[test]
fn inline_css_imports_inlines_with_conditions_and_rebased_urls() {
    let site = imports_site();
    let output = site
        .config()
        .inline_css_imports(true)
        .try_compile()
        .unwrap();
    let css = text(&output, "css/site.css");
    assert!(css.contains("@media print"), "{css}");
    assert!(
        !css.contains("parts/print"),
        "the local import is inlined:\n{css}"
    );
    assert!(
        css.contains("@import \"https://fonts.example.com/x.css\""),
        "remote imports stay:\n{css}"
    );
    for image in ["img/site.png", "img/print.png", "img/base.png"] {
        let name = support::hashed_path(&output, image);
        assert!(css.contains(&format!("../{name}")), "{image} in\n{css}");
    }
    assert_references_resolve(&output);
}

#[test]
fn editing_an_inlined_file_rebuilds_the_importer() {
    let site = imports_site();
    let before = site
        .config()
        .inline_css_imports(true)
        .try_compile()
        .unwrap();
    let before = support::hashed_path(&before, "css/site.css");
    site.write("shared/base.css", b".base { color: green; }\n");
    let after = site
        .config()
        .inline_css_imports(true)
        .try_compile()
        .unwrap();
    assert_ne!(before, support::hashed_path(&after, "css/site.css"));
    assert!(text(&after, "css/site.css").contains("green"));
}

#[test]
fn missing_inlined_import_is_a_dangling_reference() {
    let site = Site::new(&[("css/site.css", "@import 'nope.css';\n.a { color: red; }\n")]);
    let error = site
        .config()
        .inline_css_imports(true)
        .try_compile()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("css/site.css:1:1: `nope.css` refers to `css/nope.css`"),
        "{error}"
    );
}

#[test]
fn unchanged_bundle_parts_come_from_the_cache() {
    let site = scripts_site();
    let build = || {
        site.config()
            .minify(true)
            .bundle("js/vendor.js", ["vendor/one.js", "vendor/two.js"])
            .try_compile()
            .unwrap()
    };
    assert!(build().stats().transformed >= 2);
    assert_eq!(build().stats().transformed, 0);
}
