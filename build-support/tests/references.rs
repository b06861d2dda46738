//! References between assets end to end: rewriting, hashing order, cycles, cascades.

mod support;

use support::{Site, assert_references_resolve, fixture, hashed_path, manifest, text};

fn build(minify: bool) -> (Site, assetlock_build::Output) {
    let site = Site::copy_of(&fixture("refs"));
    let output = site.config().minify(minify).try_compile().unwrap();
    (site, output)
}

/// The file name of an asset's hashed path, as a relative reference from a sibling shows it.
fn name(output: &assetlock_build::Output, logical: &str) -> String {
    hashed_path(output, logical)
        .rsplit('/')
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn every_reference_in_the_output_resolves() {
    for minify in [false, true] {
        let (_site, output) = build(minify);
        assert_references_resolve(&output);
    }
}

#[test]
fn css_references_keep_query_and_fragment() {
    let (_site, output) = build(false);
    let css = text(&output, "css/site.css");
    for (logical, suffix) in [
        ("fonts/fixture.eot", "?#iefix"),
        ("fonts/fixture.woff2", "?v=4.7.0"),
        ("fonts/fixture.svg", "#fixtureregular"),
    ] {
        let expected = format!("../fonts/{}{suffix}", name(&output, logical));
        assert!(css.contains(&expected), "missing {expected} in\n{css}");
    }
}

#[test]
fn css_urls_in_every_position_are_rewritten() {
    let (_site, output) = build(false);
    let css = text(&output, "css/site.css");
    let hero = format!("../img/{}", name(&output, "img/hero.png"));
    // custom property, unquoted, image-set and the root-relative form
    assert!(css.matches(hero.as_str()).count() >= 4, "{css}");
    let hero2x = format!("../img/{}", name(&output, "img/hero@2x.png"));
    assert!(css.contains(&hero2x), "{css}");
    let spaced = format!(
        "../img/with%20space/{}",
        name(&output, "img/with space/a b.png").replace(' ', "%20")
    );
    // Both spellings (a space, `%20`) resolve to the one file.
    assert!(css.contains(spaced.as_str()), "{css}");
    assert!(
        !css.contains("a b.png") && !css.contains("a%20b.png"),
        "{css}"
    );
    // An unminified stylesheet is kept as written, so the `url()` form stays.
    let import = format!("@import url(\"{}\") screen", name(&output, "css/base.css"));
    assert!(css.contains(&import), "{css}");
    assert!(
        css.contains(&format!("vendor/{}", name(&output, "css/vendor/reset.css"))),
        "{css}"
    );
}

#[test]
fn css_external_urls_and_comments_are_left_alone() {
    let (_site, output) = build(false);
    let css = text(&output, "css/site.css");
    for kept in [
        "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
        "https://example.com/remote.png",
        "//cdn.example.com/x.png",
        "url(#blur)",
    ] {
        assert!(css.contains(kept), "missing {kept} in\n{css}");
    }
    // The build would have failed on a dangling reference had the comment been parsed; it is
    // kept as written.
    assert!(css.contains("url(../img/in-a-comment.png) must be ignored"));
}

#[test]
fn nested_relative_references_climb_out_correctly() {
    let (_site, output) = build(false);
    let reset = text(&output, "css/vendor/reset.css");
    assert!(
        reset.contains(&format!("../../img/{}", name(&output, "img/hero.png"))),
        "{reset}"
    );
}

#[test]
fn js_references_are_rewritten_and_bare_specifiers_kept() {
    let (_site, output) = build(false);
    let js = text(&output, "js/app.js");
    for expected in [
        format!("\"./cycle/{}\"", name(&output, "js/cycle/a.js")),
        format!("\"./lib/{}\"", name(&output, "js/lib/helper.js")),
        format!("\"./lib/{}\"", name(&output, "js/lib/all.js")),
        format!("import(\"./lib/{}\")", name(&output, "js/lib/lazy.js")),
        format!(
            "new URL(\"../img/{}\", import.meta.url)",
            name(&output, "img/hero.png")
        ),
    ] {
        assert!(js.contains(&expected), "missing {expected} in\n{js}");
    }
    assert!(js.contains("from \"lodash\""));
    assert!(js.contains("import \"three/addons/controls/OrbitControls.js\""));
    assert!(js.contains("import(name)"));
}

#[test]
fn import_cycle_members_name_each_other() {
    for minify in [false, true] {
        let (_site, output) = build(minify);
        let a = text(&output, "js/cycle/a.js");
        let b = text(&output, "js/cycle/b.js");
        assert!(a.contains(&name(&output, "js/cycle/b.js")), "{a}");
        assert!(b.contains(&name(&output, "js/cycle/a.js")), "{b}");
    }
}

/// Hashed paths of every asset, to compare two builds.
fn paths(output: &assetlock_build::Output) -> std::collections::BTreeMap<String, String> {
    manifest(output)["assets"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["path"].as_str().unwrap().to_string()))
        .collect()
}

fn changed_after(edit: &str, bytes: &[u8]) -> Vec<String> {
    let site = Site::copy_of(&fixture("refs"));
    let before = paths(&site.build().unwrap());
    site.write(edit, bytes);
    let after = paths(&site.build().unwrap());
    before
        .keys()
        .filter(|k| before[*k] != after[*k])
        .cloned()
        .collect()
}

#[test]
fn changing_a_font_changes_the_css_that_uses_it_and_nothing_unrelated() {
    let changed = changed_after("fonts/fixture.woff2", b"NEW-WOFF2-BYTES");
    assert_eq!(changed, ["css/site.css", "fonts/fixture.woff2"]);
}

#[test]
fn changing_an_image_cascades_through_imports() {
    let mut changed = changed_after("img/hero.png", b"NEW-HERO");
    changed.sort();
    assert_eq!(
        changed,
        [
            "css/base.css",
            "css/site.css",
            "css/vendor/reset.css",
            "img/hero.png",
            "js/app.js"
        ]
    );
}

#[test]
fn changing_one_cycle_member_renames_the_whole_cycle_and_its_importers() {
    let changed = changed_after(
        "js/cycle/b.js",
        b"import { a } from \"./a.js\";\nexport const b = 2;\n",
    );
    assert_eq!(changed, ["js/app.js", "js/cycle/a.js", "js/cycle/b.js"]);
}

#[test]
fn classic_scripts_keep_globals_and_legal_comments_when_minified() {
    let (_site, output) = build(true);
    let legacy = text(&output, "js/legacy.js");
    assert!(legacy.contains("LegacyWidget"), "{legacy}");
    assert!(legacy.contains("/*! legacy.js v1.0 | MIT */"), "{legacy}");
    let code = legacy.split("//# sourceMappingURL").next().unwrap();
    let original = std::fs::read_to_string(fixture("refs/js/legacy.js")).unwrap();
    assert!(code.len() < original.len(), "{code}");
}

#[test]
fn minified_files_link_their_hashed_source_maps() {
    let (_site, output) = build(true);
    let js = text(&output, "js/app.js");
    let map_name = name(&output, "js/app.js.map");
    assert!(
        js.ends_with(&format!("//# sourceMappingURL={map_name}\n")),
        "{js}"
    );
    let map: serde_json::Value = serde_json::from_str(&text(&output, "js/app.js.map")).unwrap();
    assert_eq!(map["sources"][0], "app.js");
    let css = text(&output, "css/site.css");
    assert!(css.contains(&name(&output, "css/site.css.map")), "{css}");
}

#[test]
fn debug_builds_do_not_minify_but_still_hash() {
    let (_site, output) = build(false);
    let js = text(&output, "js/app.js");
    assert!(js.starts_with("// Edge cases of JS references."), "{js}");
    assert!(manifest(&output)["assets"].get("js/app.js.map").is_none());
}
