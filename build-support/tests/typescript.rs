//! TypeScript modules as sources: compiled to JavaScript, served under `.js` names, imported by
//! TypeScript's own conventions, and run by Node.js as the browser would load them.
#![allow(clippy::disallowed_methods)]

mod support;

use std::path::Path;
use std::process::Command;

use assetlock_build::{JsImports, Jsx};
use support::{
    Site, assert_references_resolve, hashed_path, import_map_line, manifest, run_node, text,
};

/// A small module graph: TypeScript importing TypeScript by `.js` name, extensionless and by
/// folder, a type-only module, and a JavaScript entry importing a TypeScript module.
fn site() -> Site {
    Site::new(&[
        (
            "js/main.js",
            "import { report } from './app.ts';\nglobalThis.report = report;\n",
        ),
        (
            "js/app.ts",
            "import type { Sized } from './types';\n\
             import { twice } from './util.js';\n\
             import { Square, Kind } from './shapes';\n\
             namespace Units { export const suffix: string = 'px'; }\n\
             const shapes: Sized[] = [new Square(3)];\n\
             export function report(extra?: { by: number }): string {\n\
             \x20 const total = shapes.reduce((sum, s) => sum + s.size(), 0);\n\
             \x20 return `${Kind[Kind.Square]}:${twice(total) + (extra?.by ?? 0)}${Units.suffix}`;\n\
             }\n",
        ),
        (
            "js/util.ts",
            "export const twice = (n: number): number => n * 2;\n",
        ),
        (
            "js/shapes/index.ts",
            "import type { Sized } from '../types.ts';\n\
             export enum Kind { Circle, Square }\n\
             export class Square implements Sized {\n\
             \x20 constructor(private readonly side: number) {}\n\
             \x20 size(): number { return this.side * this.side; }\n\
             }\n",
        ),
        ("js/types.ts", "export interface Sized { size(): number }\n"),
    ])
}

/// Runs `code` as an ES module in Node.js, or `None` when Node.js is missing (outside strict
/// mode).
fn node_module(code: &str) -> Option<String> {
    support::node_available().then(|| run_node(&["--input-type=module", "-e", code]))
}

#[test]
fn a_typescript_module_graph_compiles_and_runs() {
    for minify in [false, true] {
        let site = site();
        let output = site.config().minify(minify).try_compile().unwrap();
        let manifest = manifest(&output);
        let app = &manifest["assets"]["js/app.ts"];
        let path = app["path"].as_str().unwrap();
        assert!(
            path.starts_with("js/app.") && path.ends_with(".js"),
            "{path}"
        );
        let index = hashed_path(&output, "js/shapes/index.ts");
        assert!(index.ends_with(".js"), "{index}");

        let app_text = text(&output, "js/app.ts");
        for gone in ["import type", "interface", ": number", "namespace"] {
            assert!(!app_text.contains(gone), "{gone} in {app_text}");
        }
        assert_references_resolve(&output);

        let main = output.dist_dir().join(hashed_path(&output, "js/main.js"));
        let code = format!(
            "await import({:?});\nconsole.log(globalThis.report({{ by: 1 }}));",
            format!("file://{}", main.display())
        );
        if let Some(printed) = node_module(&code) {
            assert_eq!(printed.trim(), "Square:19px", "minify={minify}");
        }
    }
}

#[test]
fn the_import_map_lists_a_typescript_module_under_the_name_it_is_served_as() {
    let site = site();
    let output = site
        .config()
        .js_imports(JsImports::ImportMap)
        .try_compile()
        .unwrap();
    let map_line = import_map_line(&output);
    let util = output.url("js/util.ts").unwrap();
    assert!(
        map_line.contains(&format!(r#"\"/assets/js/util.js\":\"{util}\""#)),
        "{map_line}"
    );
    // Specifiers stay for the map to resolve, written as the served names it lists.
    let app = text(&output, "js/app.ts");
    assert!(app.contains("from \"./util.js\""), "{app}");
    assert!(app.contains("from \"./shapes/index.js\""), "{app}");
}

#[test]
fn every_broken_typescript_file_is_reported_with_its_line_and_column() {
    let site = site();
    site.write("js/bad.ts", b"export const a = 1;\nlet b: = 2;\n");
    site.write("js/worse.mts", b"export enum {\n");
    let error = site.config().try_compile().unwrap_err().to_string();
    assert!(error.contains("js/bad.ts:2:"), "{error}");
    assert!(error.contains("js/worse.mts:1:"), "{error}");
}

#[test]
fn a_typescript_source_beside_the_javascript_it_would_become_is_an_error() {
    let site = site();
    site.write("js/util.js", b"export const twice = (n) => n * 2;\n");
    let error = site.config().try_compile().unwrap_err().to_string();
    assert!(
        error.contains("js/util.ts: is served as `js/util.js`, and so is `js/util.js`"),
        "{error}"
    );
}

#[test]
fn a_declaration_file_is_not_compiled() {
    let site = site();
    site.write("js/globals.d.ts", b"declare const VERSION: string;\n");
    let output = site.config().try_compile().unwrap();
    let path = hashed_path(&output, "js/globals.d.ts");
    assert!(path.ends_with(".ts"), "{path}");
}

/// In a build script run by cargo, live mode compiles them on request instead
/// (`tests/fixture-live/tests/compiled.rs`).
#[test]
fn a_live_build_with_typescript_outside_a_build_script_is_built_locked_and_says_so() {
    let site = site();
    let output = site.config().live(true).try_compile().unwrap();
    let live = |output: &assetlock_build::Output| manifest(output)["live"].as_bool() == Some(true);
    assert!(!live(&output));
    assert!(hashed_path(&output, "js/util.ts").ends_with(".js"));
    let warnings: Vec<String> = output.warnings().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("live mode is off for this build: TypeScript, Sass")),
        "{warnings:?}"
    );

    // Without TypeScript, the same build is live.
    let plain = Site::new(&[("js/main.js", "export const a = 1;\n")]);
    let output = plain.config().live(true).try_compile().unwrap();
    assert!(live(&output));
}

/// What a scenario over TanStack Query's core prints, given the module to import: its export
/// names, then a query fetched, cached, hashed and matched.
const QUERY_SCENARIO: &str = r#"
const m = await import(process.argv[1]);
const client = new m.QueryClient();
client.mount();
const value = await client.fetchQuery({ queryKey: ['a', 1], queryFn: async () => 42 });
const query = client.getQueryCache().find({ queryKey: ['a', 1] });
console.log(JSON.stringify({
  exports: Object.keys(m).sort(),
  value,
  cached: client.getQueryData(['a', 1]),
  status: query.state.status,
  hash: m.hashKey(['x', { b: 1, a: 2 }]),
  matched: m.matchQuery({ queryKey: ['a'] }, query),
  replaced: m.replaceEqualDeep({ a: [1, 2] }, { a: [1, 2] }),
}));
client.unmount();
"#;

/// Runs [`QUERY_SCENARIO`] over `module` in Node.js.
fn query_scenario(module: &Path) -> String {
    let module = format!("file://{}", module.display());
    run_node(&["--input-type=module", "-e", QUERY_SCENARIO, &module])
}

#[test]
fn a_real_typescript_code_base_behaves_as_esbuilds_build_of_it() {
    use assetlock_test_support::{tools, workspace};
    let Some(sources) = workspace::corpus_sources() else {
        return;
    };
    let has_tools = tools::program("node") && tools::program("esbuild");
    if !tools::available(
        "node and esbuild",
        has_tools,
        "apt-get install nodejs; npm install -g esbuild",
    ) {
        return;
    }
    let src = sources.join("query-core/src");
    let reference = tempfile::tempdir().unwrap();
    let bundle = reference.path().join("query-core.mjs");
    let esbuild = Command::new("esbuild")
        .arg(src.join("index.ts"))
        .args([
            "--bundle",
            "--format=esm",
            "--target=es2020",
            "--log-level=warning",
        ])
        .arg(format!("--outfile={}", bundle.display()))
        .output()
        .unwrap();
    assert!(
        esbuild.status.success(),
        "{}",
        String::from_utf8_lossy(&esbuild.stderr)
    );
    let expected = query_scenario(&bundle);
    assert!(expected.contains("\"value\":42"), "{expected}");

    let site = Site::copy_of(&src);
    for minify in [false, true] {
        let output = site
            .config()
            .minify(minify)
            .targets("chrome >= 90, firefox >= 90, safari >= 15")
            .try_compile()
            .unwrap();
        assert_references_resolve(&output);
        let index = output.dist_dir().join(hashed_path(&output, "index.ts"));
        assert_eq!(query_scenario(&index), expected, "minify={minify}");
    }
}

#[test]
fn a_broken_module_is_reported_once_not_again_by_its_importers() {
    let site = site();
    site.write(
        "js/util.ts",
        b"export const twice = (n: number): number => n *;\n",
    );
    let error = site.config().try_compile().unwrap_err().to_string();
    assert!(error.contains("js/util.ts:1:"), "{error}");
    assert!(!error.contains("refers to `js/util.ts`"), "{error}");
    assert_eq!(
        error.lines().filter(|l| l.contains("js/")).count(),
        1,
        "{error}"
    );
}

/// A TSX component and a JSX page with the classic runtime, and a tiny `h` that renders
/// elements to HTML text.
fn jsx_site() -> Site {
    Site::new(&[
        (
            "ui/h.js",
            "export const Fragment = 'fragment';\n\
             export function h(tag, props, ...children) {\n\
             \x20 if (typeof tag === 'function') return tag({ ...props, children });\n\
             \x20 const inner = children.flat().join('');\n\
             \x20 return tag === Fragment ? inner : `<${tag}>${inner}</${tag}>`;\n\
             }\n",
        ),
        (
            "ui/card.tsx",
            "import { h } from './h.js';\n\
             export function Card({ title }: { title: string }): string {\n\
             \x20 return <section><h2>{title}</h2></section>;\n\
             }\n",
        ),
        (
            "ui/page.jsx",
            "import { h, Fragment } from './h.js';\n\
             import { Card } from './card';\n\
             export const page = <><Card title=\"Hi\" /><p>done</p></>;\n",
        ),
    ])
}

#[test]
fn jsx_and_tsx_compile_with_the_configured_runtime_and_run() {
    let site = jsx_site();
    for minify in [false, true] {
        let output = site
            .config()
            .minify(minify)
            .jsx(Jsx::classic("h", "Fragment"))
            .try_compile()
            .unwrap();
        let page = hashed_path(&output, "ui/page.jsx");
        assert!(page.ends_with(".js"), "{page}");
        assert!(hashed_path(&output, "ui/card.tsx").ends_with(".js"));
        let module = output.dist_dir().join(page);
        let code = format!(
            "const m = await import({:?});\nconsole.log(m.page);",
            format!("file://{}", module.display())
        );
        if let Some(printed) = node_module(&code) {
            assert_eq!(printed.trim(), "<section><h2>Hi</h2></section><p>done</p>");
        }
    }
}

#[test]
fn the_automatic_runtime_imports_its_package_by_name() {
    let site = jsx_site();
    let output = site
        .config()
        .jsx(Jsx::automatic("preact"))
        .try_compile()
        .unwrap();
    let card = text(&output, "ui/card.tsx");
    assert!(card.contains("from \"preact/jsx-runtime\""), "{card}");
}

#[test]
fn a_jsx_module_without_a_runtime_is_an_error_that_names_one() {
    let error = jsx_site().config().try_compile().unwrap_err().to_string();
    assert!(
        error.contains("ui/card.tsx: a JSX module needs a runtime"),
        "{error}"
    );
    assert!(error.contains("Jsx::automatic"), "{error}");
}
