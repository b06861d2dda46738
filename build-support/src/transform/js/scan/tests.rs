use super::*;

fn values(text: &str) -> Vec<(String, Syntax, bool)> {
    scan(text)
        .unwrap()
        .refs
        .into_iter()
        .map(|f| (f.value, f.syntax, f.static_import))
        .collect()
}

fn names(text: &str) -> Vec<String> {
    values(text).into_iter().map(|(v, _, _)| v).collect()
}

#[test]
fn every_kind_of_reference_is_found() {
    let text = "import a from './a.js';\nimport './b.js';\nimport { c, d as e } from \"./c.js\";\n\
                import * as f from './f.js';\nexport * from './g.js';\nexport { h } from './h.js';\n\
                export * as i from './i.js';\nconst j = await import('./j.js');\n\
                const k = new URL('./k.png', import.meta.url);\nconst l = import(`./l.js`);\n";
    let found = values(text);
    let expected = [
        ("./a.js", Syntax::Specifier, true),
        ("./b.js", Syntax::Specifier, true),
        ("./c.js", Syntax::Specifier, true),
        ("./f.js", Syntax::Specifier, true),
        ("./g.js", Syntax::Specifier, true),
        ("./h.js", Syntax::Specifier, true),
        ("./i.js", Syntax::Specifier, true),
        ("./j.js", Syntax::Specifier, false),
        ("./k.png", Syntax::Url, false),
        ("./l.js", Syntax::Specifier, false),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(v, s, i)| (v.to_string(), *s, *i))
        .collect();
    assert_eq!(found, expected);
    let scan = scan(text).unwrap();
    assert!(scan.module);
    assert_eq!(&text[scan.refs[0].span.clone()], "./a.js");
    assert_eq!(&text[scan.refs[0].at..scan.refs[0].at + 1], "'");
}

#[test]
fn strings_comments_regexes_and_properties_hold_no_references() {
    let text = "// import x from './no1.js'\n/* import('./no2.js') */\n\
                const s = \"import './no3.js'\";\nconst r = /import('.\\/no4.js')/g;\n\
                const t = `import('./no5.js')`;\nobj.import('./no6.js');\n\
                const o = { import: './no7.js', export: 1, export() {} };\nconst d = a / b / import('./yes.js');\n";
    assert_eq!(names(text), ["./yes.js"]);
    assert!(!scan(text).unwrap().module);
}

#[test]
fn a_slash_after_a_value_divides_and_after_an_operator_starts_a_regex() {
    // Were the first `/` taken for a regex, `'` in it would open a string and hide the import.
    let text = "x = a / 2 + \"'\";\nif (x) /'/.test(y);\ny = z++ / 2; import('./a.js');\n";
    assert_eq!(names(text), ["./a.js"]);
    let text = "return /'/.test(x) }\n";
    assert!(scan(&format!("function f() {{ {text}")).is_some());
}

#[test]
fn templates_with_substitutions_nest() {
    let text = "const a = `x ${ `y ${ {a: 1}.a } z` } w`;\nimport('./a.js');\n";
    assert_eq!(names(text), ["./a.js"]);
}

#[test]
fn a_non_literal_import_is_reported_with_its_argument() {
    let text = "import(`./${name}.js`);\nimport('./a' + b, { with: {} });\nimport(c);\n";
    let scan = scan(text).unwrap();
    assert!(scan.refs.is_empty());
    let args: Vec<_> = scan.non_literal.iter().map(|r| &text[r.clone()]).collect();
    assert_eq!(args, ["`./${name}.js`", "'./a' + b", "c"]);
}

#[test]
fn the_last_map_comment_is_kept() {
    let text = "a();\n//# sourceMappingURL=old.map\nb();\n//# sourceMappingURL=app.js.map\n";
    let comment = scan(text).unwrap().map_comment.unwrap();
    assert_eq!(comment.url, "app.js.map");
    assert_eq!(&text[comment.span], "//# sourceMappingURL=app.js.map");
}

#[test]
fn anything_the_lexer_is_unsure_of_gives_no_scan() {
    for text in [
        "const a = 'unterminated;\n",
        "const a = `unterminated;\n",
        "/* unterminated",
        "f(a;\n",
        "f(a));\n",
        "import './a\\u0062.js';\n",
    ] {
        assert!(scan(text).is_none(), "{text}");
    }
}

#[test]
fn a_text_nested_deeper_than_the_parsers_follow_is_left_to_them() {
    use crate::transform::nesting::JS_MAX;
    let nested = |levels| format!("x = {}1{};", "[".repeat(levels), "]".repeat(levels));
    assert!(scan(&nested(JS_MAX)).is_some());
    assert!(scan(&nested(JS_MAX + 1)).is_none());
}
