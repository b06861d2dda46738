use super::candidates;
use crate::settings::Targets;
use crate::transform::Transformed;
use crate::transform::testing::{options, run, run_with, text};

/// What the output references, but for its own source map.
fn targets(out: &Transformed) -> Vec<&str> {
    let all = crate::transform::testing::targets(out);
    all.into_iter().filter(|t| !t.ends_with(".map")).collect()
}

const UTIL: (&str, &str) = ("js/util.ts", "export const x: number = 1;\n");

#[test]
fn typescript_looks_for_sources_of_what_it_imports() {
    assert_eq!(candidates("js/util.js"), ["js/util.ts", "js/util.tsx"]);
    assert_eq!(candidates("js/w.mjs"), ["js/w.mts"]);
    assert_eq!(candidates("ui/c.jsx"), ["ui/c.tsx"]);
    assert_eq!(
        candidates("js/util"),
        [
            "js/util.ts",
            "js/util.tsx",
            "js/util.js",
            "js/util.jsx",
            "js/util/index.ts",
            "js/util/index.tsx",
            "js/util/index.js",
            "js/util/index.jsx"
        ]
    );
    assert_eq!(candidates("")[..2], ["index.ts", "index.tsx"]);
}

#[test]
fn types_go_and_enums_and_namespaces_compile() {
    let source = "import type { T } from './types.ts';\n\
                  import { x } from './util.js';\n\
                  enum Color { Red, Green }\n\
                  namespace N { export const y = 2; }\n\
                  interface Shape { side: number }\n\
                  const size: T = x as number;\n\
                  export function area(s: Shape): number { return s.side ** 2 + size + N.y; }\n\
                  export { Color };\n";
    let types = ("js/types.ts", "export type T = number;\n");
    let out = run("js/app.ts", source, &[UTIL, types], false).unwrap();
    assert_eq!(targets(&out), ["js/util.ts"]);
    let text = text(&out);
    assert!(text.contains("from \"./util.HASH.js\""), "{text}");
    for gone in ["types", "interface", ": number", " as number", ": Shape"] {
        assert!(!text.contains(gone), "{gone} in {text}");
    }
    assert!(
        text.contains("Color[Color[\"Red\"] = 0] = \"Red\""),
        "{text}"
    );
    assert!(text.contains("N.y"), "{text}");
}

#[test]
fn an_import_finds_the_file_typescript_would() {
    let source = "import { x } from './util';\nimport { y } from './lib';\nimport './plain';\n\
                  export default x + y;\n";
    let lib = ("js/lib/index.ts", "export const y = 2;\n");
    let plain = ("js/plain.js", "console.log(1);\n");
    let out = run("js/app.ts", source, &[UTIL, lib, plain], false).unwrap();
    assert_eq!(
        targets(&out),
        ["js/util.ts", "js/lib/index.ts", "js/plain.js"]
    );
    let text = text(&out);
    assert!(text.contains("\"./util.HASH.js\""), "{text}");
    assert!(text.contains("\"./lib/index.HASH.js\""), "{text}");
    assert!(text.contains("\"./plain.HASH.js\""), "{text}");
    // What the lookup saw keeps a cached result honest when the files change.
    let read: Vec<_> = out
        .reads
        .iter()
        .map(|(p, d)| (p.as_str(), d.is_some()))
        .collect();
    assert!(read.contains(&("js/util", false)), "{read:?}");
    assert!(read.contains(&("js/util.ts", true)), "{read:?}");
}

#[test]
fn a_missing_import_stays_a_reference_to_what_it_names() {
    let out = run("js/app.ts", "import './gone.js';\n", &[], false).unwrap();
    assert_eq!(targets(&out), ["js/gone.js"]);
}

#[test]
fn minified_typescript_is_javascript() {
    let source =
        "import { x } from './util.ts';\nexport const twice = (n: number): number => n * x;\n";
    let out = run("js/app.ts", source, &[UTIL], true).unwrap();
    let text = text(&out);
    assert!(text.contains("\"./util.HASH.js\""), "{text}");
    assert!(!text.contains("number"), "{text}");
    assert!(!text.contains('\n') || text.lines().count() <= 2, "{text}");
}

#[test]
fn an_import_left_to_the_import_map_names_the_served_file() {
    let mut options = options(false);
    options.import_map_mode = true;
    let source = "import { x } from './util.ts';\nexport default x;\n";
    let out = run_with(&options, "js/app.ts", source, &[UTIL]).unwrap();
    assert!(out.refs[0].via_map);
    let text = String::from_utf8(out.bytes).unwrap();
    assert!(text.contains("from \"./util.js\""), "{text}");
}

#[test]
fn the_source_map_leads_back_to_the_typescript() {
    let source = "const a: number = 1;\n\nexport function f(): number {\n  return a;\n}\n";
    let out = run("js/app.ts", source, &[], false).unwrap();
    let map = out.map.as_deref().expect("a map");
    assert!(map.contains("\"sources\":[\"app.ts\"]"), "{map}");
    let text = text(&out);
    assert!(
        text.ends_with("//# sourceMappingURL=app.ts.HASH.map\n"),
        "{text}"
    );
}

#[test]
fn a_syntax_error_names_the_line_and_column() {
    let problem = run("js/app.ts", "const a = 1;\nlet b: = 2;\n", &[], false).unwrap_err();
    let text = problem.to_string();
    assert!(text.starts_with("js/app.ts:2:"), "{text}");
}

#[test]
fn syntax_that_would_need_a_runtime_helper_is_kept_as_written() {
    let mut options = options(false);
    options.targets = Targets::resolve("chrome 50").unwrap();
    let source = "export class A { #n = 1; static s = 2; get n(): number { return this.#n; } }\n\
                  export async function f(o: object): Promise<object> { return { ...o, a: await 1 }; }\n";
    let out = run_with(&options, "js/app.ts", source, &[]).unwrap();
    let text = String::from_utf8(out.bytes).unwrap();
    assert!(!text.contains("@oxc-project"), "{text}");
    for kept in ["#n = 1", "static s = 2", "async function f", "...o"] {
        assert!(text.contains(kept), "{kept} in {text}");
    }
}

#[test]
fn syntax_the_targets_lack_is_lowered() {
    let mut options = options(false);
    options.targets = Targets::resolve("chrome 70").unwrap();
    let out = run_with(
        &options,
        "js/app.ts",
        "export const a = (b?: { c: number }) => b?.c ?? 0;\n",
        &[],
    )
    .unwrap();
    let text = String::from_utf8(out.bytes).unwrap();
    assert!(!text.contains("?."), "{text}");
    assert!(!text.contains("??"), "{text}");
}
