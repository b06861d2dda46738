use crate::transform::testing::{options, parsing, run, run_with, targets, text};

fn js(logical: &str, text: &str, minify: bool) -> crate::transform::Transformed {
    run(logical, text, &[], minify).unwrap()
}

#[test]
fn static_imports_and_exports_are_rewritten() {
    let out = js(
        "js/app.js",
        "import a from './a.js';\nimport './side.js';\nexport * from '../lib/b.js';\nexport { c } from './c.js';\n",
        false,
    );
    assert_eq!(
        targets(&out),
        ["js/a.js", "js/side.js", "lib/b.js", "js/c.js"]
    );
    let text = text(&out);
    assert!(text.contains("from './a.HASH.js'"), "{text}");
    assert!(text.contains("import './side.HASH.js'"), "{text}");
    assert!(text.contains("from '../lib/b.HASH.js'"), "{text}");
    assert!(text.contains("from './c.HASH.js'"), "{text}");
}

#[test]
fn bare_specifiers_are_left_alone() {
    let out = js(
        "js/app.js",
        "import _ from 'lodash';\nimport 'three/addons/x.js';\n",
        false,
    );
    assert!(out.refs.is_empty());
}

#[test]
fn dynamic_import_and_new_url_are_rewritten() {
    let out = js(
        "js/app.js",
        "const m = await import('./lazy.js');\nconst t = await import(`./tpl.js`);\n\
         const u = new URL('../img/logo.svg', import.meta.url);\nconst v = new URL('x.png', 'https://e.test/');\n",
        false,
    );
    assert_eq!(targets(&out), ["js/lazy.js", "js/tpl.js", "img/logo.svg"]);
    let text = text(&out);
    assert!(text.contains("import('./lazy.HASH.js')"), "{text}");
    assert!(text.contains("import(`./tpl.HASH.js`)"), "{text}");
    assert!(
        text.contains("new URL('../img/logo.HASH.svg', import.meta.url)"),
        "{text}"
    );
}

#[test]
fn unminified_output_keeps_formatting_and_comments() {
    let source = "// a comment\nimport a from './a.js'; // trailing\n\nconsole.log(a);\n";
    let out = js("js/app.js", source, false);
    assert_eq!(text(&out), source.replace("./a.js", "./a.HASH.js"));
}

#[test]
fn classic_scripts_keep_their_top_level_names() {
    let out = js(
        "js/legacy.js",
        "var myGlobalLibrary = { version: 1 };\nfunction helperFunction() { return myGlobalLibrary; }\n",
        true,
    );
    let text = text(&out);
    assert!(text.contains("myGlobalLibrary"), "{text}");
    assert!(text.contains("helperFunction"), "{text}");
}

#[test]
fn modules_are_minified_with_mangling() {
    let out = js(
        "js/mod.mjs",
        "export function add(firstNumber, secondNumber) {\n  const totalValue = firstNumber + secondNumber;\n  return totalValue;\n}\n",
        true,
    );
    let text = text(&out);
    assert!(!text.contains("firstNumber"), "{text}");
    assert!(text.contains("export"), "{text}");
}

#[test]
fn legal_comments_survive_minification() {
    let out = js(
        "js/vendor.js",
        "/*! vendor v1 | MIT */\n/** @license Apache-2.0 */\n/* plain comment */\nvar x = 1 + 2;\nwindow.x = x;\n",
        true,
    );
    let text = text(&out);
    assert!(text.contains("/*! vendor v1 | MIT */"), "{text}");
    assert!(text.contains("@license Apache-2.0"), "{text}");
    assert!(!text.contains("plain comment"), "{text}");
}

#[test]
fn minified_imports_point_at_markers() {
    let out = js(
        "js/app.js",
        "import { a } from './a.js';\nconsole.log(a);\n",
        true,
    );
    let text = text(&out);
    assert!(text.contains("./a.HASH.js"), "{text}");
    assert!(
        text.ends_with("//# sourceMappingURL=app.js.HASH.map\n"),
        "{text}"
    );
}

#[test]
fn source_map_comment_is_rewritten_when_not_minifying() {
    let out = run(
        "js/app.js",
        "console.log(1);\n//# sourceMappingURL=app.js.map\n",
        &[(
            "js/app.js.map",
            "{\"version\":3,\"sources\":[],\"names\":[],\"mappings\":\"\"}",
        )],
        false,
    )
    .unwrap();
    assert!(
        text(&out).contains("//# sourceMappingURL=app.js.HASH.map"),
        "{}",
        text(&out)
    );
    assert_eq!(targets(&out), ["js/app.js.map"]);
}

#[test]
fn dangling_source_map_comment_is_removed_with_a_warning() {
    let out = js(
        "js/app.js",
        "console.log(1);\n//# sourceMappingURL=missing.map\n",
        false,
    );
    assert_eq!(out.warnings.len(), 1);
    assert!(!text(&out).contains("sourceMappingURL"));
}

#[test]
fn syntax_error_reports_line_and_column() {
    let text = "let ok = 1;\nlet = = 2;\n";
    for options in [options(true), parsing(false)] {
        let problem = run_with(&options, "js/bad.js", text, &[]).unwrap_err();
        assert_eq!(problem.path(), "js/bad.js");
        assert_eq!(problem.position().map(|p| p.0), Some(2), "{problem}");
    }
    // Unminified, the lexer keeps the file as written and leaves its syntax to the browser.
    let out = run("js/bad.js", text, &[], false).unwrap();
    assert_eq!(out.bytes, text.as_bytes());
}

#[test]
fn warn_only_ships_a_broken_file_as_is() {
    let mut options = parsing(false);
    options.warn_only = true;
    let files = crate::discover::Files::new();
    let input = crate::transform::Input::new("js/bad.js", "assets/js/bad.js", &options, &files);
    let out = crate::transform::transform(&input, b"let = = 2;").unwrap();
    assert_eq!(out.bytes, b"let = = 2;");
    assert_eq!(out.warnings.len(), 1);
    assert!(
        out.warnings[0]
            .to_string()
            .starts_with("assets/js/bad.js:1:"),
        "{}",
        out.warnings[0]
    );
}

#[test]
fn without_source_maps_a_minified_file_has_no_map_and_skips_its_input_map() {
    let mut options = options(true);
    options.source_maps = false;
    let out = run_with(
        &options,
        "js/app.js",
        "export const answer = 42;\n//# sourceMappingURL=app.js.map\n",
        &[("js/app.js.map", "{not json")],
    )
    .unwrap();
    assert_eq!(text(&out), "export const answer=42;");
    assert!(out.map.is_none());
    assert!(out.reads.is_empty(), "{:?}", out.reads);
}

const TS_MAP: &str = r#"{"version":3,"sources":["../src/app.ts"],"names":[],"mappings":"AAAA"}"#;

#[test]
fn malformed_input_map_is_a_warning_and_the_file_builds() {
    for map in ["{}", "garbage", "[1]"] {
        let others = [("js/app.js.map", map)];
        let text = "console.log(1);\n//# sourceMappingURL=app.js.map\n";
        let minified = run("js/app.js", text, &others, true).unwrap();
        assert_eq!(minified.warnings.len(), 1, "{:?}", minified.warnings);
        let warning = minified.warnings[0].to_string();
        assert!(
            warning.starts_with("js/app.js:2:22: source map ignored: js/app.js.map: "),
            "{warning}"
        );
        let own: serde_json::Value = serde_json::from_str(minified.map.as_ref().unwrap()).unwrap();
        assert_eq!(own["sources"], serde_json::json!(["app.js"]), "{own}");
        // Not minified, the file is kept as written: its comment still names the map, which
        // ships as it is and is not read, so there is nothing to warn about.
        let kept = run("js/app.js", text, &others, false).unwrap();
        assert!(kept.warnings.is_empty(), "{:?}", kept.warnings);
        assert!(
            crate::transform::testing::text(&kept).contains("//# sourceMappingURL=app.js.HASH.map")
        );
        assert_eq!(targets(&kept), ["js/app.js.map"]);
    }
}

#[test]
fn map_comment_forms_browsers_accept_are_recognised() {
    for comment in [
        "//# sourceMappingURL=app.js.map",
        "//@ sourceMappingURL=app.js.map",
        "//#\tsourceMappingURL=app.js.map",
        "/*# sourceMappingURL=app.js.map */",
    ] {
        let out = run(
            "js/app.js",
            &format!("console.log(1);\n{comment}\n"),
            &[("js/app.js.map", TS_MAP)],
            true,
        )
        .unwrap();
        let map = out.map.as_deref().unwrap_or_default();
        assert!(map.contains("../src/app.ts"), "{comment}: {map}");
        assert!(out.warnings.is_empty(), "{comment}: {:?}", out.warnings);
    }
}
