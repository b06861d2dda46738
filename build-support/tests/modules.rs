//! JS modules: the import map, the preload closure in the generated code, the import-map mode
//! that ends the hash cascade, and non-literal `import()`.

mod support;

use assetlock_build::JsImports;
use support::Site;

const MAIN: &str = "import { a } from './a.js';\nexport * from './c.js';\n\
                    const lazy = await import('./lazy.js');\nconsole.log(a, lazy);\n";

fn site() -> Site {
    Site::new(&[
        ("js/main.js", MAIN),
        (
            "js/a.js",
            "import { b } from './b.js';\nexport const a = b + 1;\n",
        ),
        ("js/b.js", "export const b = 1;\n"),
        ("js/c.js", "export const c = 3;\n"),
        ("js/lazy.js", "export default 'lazy';\n"),
        ("vendor/lit.js", "export const html = 1;\n"),
    ])
}

fn urls(output: &assetlock_build::Output) -> Vec<(String, String)> {
    ["js/main.js", "js/a.js", "js/b.js", "js/c.js", "js/lazy.js"]
        .iter()
        .map(|l| (l.to_string(), output.url(l).unwrap().to_owned()))
        .collect()
}

#[test]
fn the_generated_code_lists_each_entrys_static_imports_depth_first_and_the_import_map() {
    let site = site();
    let output = site
        .config()
        .import_alias("lit", "vendor/lit.js")
        .try_compile()
        .unwrap();
    let code = std::fs::read_to_string(output.code_path()).unwrap();
    // ASSETS are sorted by logical path: a, b, c, lazy, main, then vendor/lit.
    assert!(
        code.contains("&[&ASSETS[0], &ASSETS[1], &ASSETS[2]],"),
        "main.js preloads a, b (a's import), c; not lazy:\n{code}"
    );
    assert!(
        code.contains("        &[&ASSETS[1]],"),
        "a.js preloads b:\n{code}"
    );
    let map_line = support::import_map_line(&output);
    for (logical, url) in urls(&output) {
        assert!(
            map_line.contains(&format!(r#"\"/assets/{logical}\":\"{url}\""#)),
            "{logical} missing from {map_line}"
        );
    }
    let lit = output.url("vendor/lit.js").unwrap();
    assert!(
        map_line.contains(&format!(r#"\"lit\":\"{lit}\""#)),
        "{map_line}"
    );
    assert!(map_line.contains(r#"\"integrity\":{"#), "{map_line}");
}

#[test]
fn a_changed_leaf_renames_its_importers_in_rewrite_mode_and_only_itself_with_an_import_map() {
    for (mode, renamed) in [
        (JsImports::Rewrite, vec!["js/main.js", "js/a.js", "js/b.js"]),
        (JsImports::ImportMap, vec!["js/b.js"]),
    ] {
        let site = site();
        let before = urls(&site.config().js_imports(mode).try_compile().unwrap());
        site.write("js/b.js", b"export const b = 2;\n");
        let after = urls(&site.config().js_imports(mode).try_compile().unwrap());
        let changed: Vec<&str> = before
            .iter()
            .zip(&after)
            .filter(|(b, a)| b.1 != a.1)
            .map(|(b, _)| b.0.as_str())
            .collect();
        assert_eq!(changed, renamed, "{mode:?}");
    }
}

#[test]
fn in_import_map_mode_specifiers_stay_as_written_and_still_must_exist() {
    let site = site();
    let output = site
        .config()
        .js_imports(JsImports::ImportMap)
        .try_compile()
        .unwrap();
    let main_url = output.url("js/main.js").unwrap();
    let main_path = main_url.trim_start_matches("/assets/");
    let main = std::fs::read_to_string(output.dist_dir().join(main_path)).unwrap();
    assert!(
        main.contains("from './a.js'") && main.contains("import('./lazy.js')"),
        "{main}"
    );

    site.write("js/broken.js", b"import './missing.js';\n");
    let error = site
        .config()
        .js_imports(JsImports::ImportMap)
        .try_compile()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("`./missing.js` refers to `js/missing.js`"),
        "{error}"
    );
}

#[test]
fn a_non_literal_import_is_a_warning_an_error_when_denied_and_fine_with_an_import_map() {
    let site = site();
    site.write(
        "js/dyn.js",
        b"export async function load(name) {\n  return import(`./pages/${name}.js`);\n}\n",
    );
    let output = site.config().try_compile().unwrap();
    let warnings: Vec<String> = output.warnings().map(|w| w.to_string()).collect();
    assert!(
        warnings.iter().any(|w| w.ends_with(
            "js/dyn.js:2:17: import(`./pages/${name}.js`) is not a literal: the build cannot hash \
             or rewrite the module it loads, which 404s under its hashed name; import a literal \
             path, or resolve modules through the import map (JsImports::ImportMap)"
        )),
        "{warnings:#?}"
    );

    let error = site
        .config()
        .deny_non_literal_imports(true)
        .try_compile()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("js/dyn.js:2:17: import(`./pages/${name}.js`)"),
        "{error}"
    );

    let mapped = site
        .config()
        .js_imports(JsImports::ImportMap)
        .deny_non_literal_imports(true)
        .try_compile()
        .unwrap();
    assert_eq!(mapped.warnings().count(), 0);
}

#[test]
fn an_alias_to_no_module_fails_the_build_with_a_suggestion() {
    let site = site();
    let error = site
        .config()
        .import_alias("lit", "vendor/lt.js")
        .try_compile()
        .unwrap_err();
    assert!(
        error.to_string().contains(
            "import_alias `lit`: no asset named `vendor/lt.js`; did you mean `vendor/lit.js`? among the JS modules"
        ),
        "{error}"
    );
}
