//! Hostile input: deep nesting and huge expressions end in a build or in a diagnostic naming
//! the file, never in a crash. Each build runs in a child process (this test binary again), so
//! a stack overflow, which aborts the process, fails its own test instead of the whole suite.
#![allow(clippy::disallowed_methods)] // the child is told apart by an env var

mod support;

use std::process::Command;

use support::Site;

const CHILD: &str = "ASSETLOCK_TEST_HOSTILE_CHILD";

/// Runs `body` in a child process running only the test `name`; fails when the child does.
fn isolated(name: &str, body: impl FnOnce()) {
    if std::env::var_os(CHILD).is_some() {
        body();
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "child {}:\n{}\n{stderr}",
        out.status,
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// The problems of a build of one file, minified (release) or not (debug).
fn build(logical: &str, text: &str, minify: bool) -> Vec<String> {
    let site = Site::new(&[(logical, text)]);
    match site.config().minify(minify).precompress([]).try_compile() {
        Ok(_) => Vec::new(),
        Err(e) => e.diagnostics().map(|d| d.to_string()).collect(),
    }
}

fn minified(logical: &str, text: &str) -> Vec<String> {
    build(logical, text, true)
}

fn nested(open: &str, inner: &str, close: &str, depth: usize) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn deeply_nested_css_is_an_error_naming_the_file_not_a_crash() {
    isolated(
        "deeply_nested_css_is_an_error_naming_the_file_not_a_crash",
        || {
            let text = nested("@media screen{", ".a{color:red}", "}", 1_000);
            let problems = minified("css/deep.css", &text);
            assert_eq!(problems.len(), 1, "{problems:?}");
            // The 101st `{` is the last character of the 101st `@media screen{`.
            assert!(
            problems[0].ends_with("css/deep.css:1:1414: nesting deeper than 100 levels; split or flatten this part of the file"),
            "{problems:?}"
        );
        },
    );
}

#[test]
fn css_nested_100_deep_builds() {
    isolated("css_nested_100_deep_builds", || {
        let text = nested("@media screen{", ".a{color:red}", "}", 99);
        assert_eq!(minified("deep.css", &text), Vec::<String>::new());
    });
}

#[test]
fn deeply_nested_js_is_an_error_naming_the_file_not_a_crash() {
    isolated(
        "deeply_nested_js_is_an_error_naming_the_file_not_a_crash",
        || {
            let text = format!("x = {};", nested("[", "", "]", 100_000));
            let problems = minified("js/deep.js", &text);
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(
            problems[0].ends_with("js/deep.js:1:10005: nesting deeper than 10000 levels; split or flatten this part of the file"),
            "{problems:?}"
        );
        },
    );
}

#[test]
fn five_thousand_nested_arrays_build() {
    isolated("five_thousand_nested_arrays_build", || {
        let text = format!("export const x = {};", nested("[", "", "]", 5_000));
        assert_eq!(minified("deep.js", &text), Vec::<String>::new());
    });
}

#[test]
fn a_valid_100000_term_expression_builds() {
    isolated("a_valid_100000_term_expression_builds", || {
        // Not minified: oxc's minifier takes time quadratic in the length of such a chain
        // (20 s for 16,000 terms in the debug profile).
        let text = format!("export const x = a{};", "+a".repeat(99_999));
        assert_eq!(build("sum.js", &text, false), Vec::<String>::new());
    });
}

#[test]
fn an_expression_deeper_than_the_limit_is_an_error_not_a_crash() {
    isolated(
        "an_expression_deeper_than_the_limit_is_an_error_not_a_crash",
        || {
            let text = format!("export const x = a{};", ".b".repeat(1_000_000));
            let problems = minified("js/chain.js", &text);
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(
                problems[0].contains("js/chain.js:1:")
                    && problems[0].contains("nesting deeper than 150000"),
                "{problems:?}"
            );
        },
    );
}

#[test]
fn a_deep_stylesheet_inlined_by_import_is_an_error_naming_it() {
    isolated(
        "a_deep_stylesheet_inlined_by_import_is_an_error_naming_it",
        || {
            let deep = nested("@media screen{", ".a{color:red}", "}", 1_000);
            let site = Site::new(&[
                ("app.css", "@import \"deep.css\";\n.b{color:blue}\n"),
                ("deep.css", &deep),
            ]);
            let error = site
                .config()
                .inline_css_imports(true)
                .try_compile()
                .unwrap_err();
            let problems: Vec<String> = error.diagnostics().map(|d| d.to_string()).collect();
            assert!(!problems.is_empty());
            for problem in &problems {
                assert!(
                problem.ends_with("deep.css:1:1414: nesting deeper than 100 levels; split or flatten this part of the file"),
                "{problems:?}"
            );
            }
        },
    );
}
