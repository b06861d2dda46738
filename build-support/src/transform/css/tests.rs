use crate::transform::testing::{options, parsing, run, run_with, targets, text};

fn css(text: &str) -> crate::transform::Transformed {
    run("css/app.css", text, &[], false).unwrap()
}

/// `text` unminified through lightningcss (`parse_unminified`).
fn lowered(text: &str) -> crate::transform::Transformed {
    run_with(&parsing(false), "css/app.css", text, &[]).unwrap()
}

#[test]
fn quoted_and_unquoted_urls_are_rewritten_relative_to_the_file() {
    let source = ".a{background:url(../img/a.png)}.b{background:url('../img/b.png')}";
    let (as_written, lowered) = (css(source), lowered(source));
    assert_eq!(targets(&as_written), ["img/a.png", "img/b.png"]);
    assert_eq!(targets(&lowered), targets(&as_written));
    assert_eq!(
        text(&as_written),
        ".a{background:url(../img/a.HASH.png)}.b{background:url('../img/b.HASH.png')}"
    );
    let text = text(&lowered);
    assert!(text.contains("url(\"../img/a.HASH.png\")"), "{text}");
    assert!(text.contains("url(\"../img/b.HASH.png\")"), "{text}");
}

#[test]
fn unminified_css_is_kept_as_written_unless_lowering_is_asked_for() {
    let source = "/* keep */\n.a {\n  user-select: none;\n  background: url(a.png);\n}\n";
    assert_eq!(
        text(&css(source)),
        "/* keep */\n.a {\n  user-select: none;\n  background: url(a.HASH.png);\n}\n"
    );
    // browserslist's `defaults` still include Safari, which needs the prefix.
    let text = text(&lowered(source));
    assert!(text.contains("-webkit-user-select: none"), "{text}");
    assert!(!text.contains("keep"), "{text}");
}

#[test]
fn query_and_fragment_survive_rewriting() {
    let out = css(
        "@font-face{font-family:x;src:url(../f/x.eot?#iefix) format('embedded-opentype'),\
         url(../f/x.woff?v=4.7.0) format('woff'),url(../f/x.svg#xregular) format('svg')}",
    );
    let text = text(&out);
    assert!(text.contains("../f/x.HASH.eot?#iefix"), "{text}");
    assert!(text.contains("../f/x.HASH.woff?v=4.7.0"), "{text}");
    assert!(text.contains("../f/x.HASH.svg#xregular"), "{text}");
}

#[test]
fn external_data_and_fragment_urls_are_left_alone() {
    let out = css(
        ".a{background:url(data:image/png;base64,iVBOR)}.b{background:url(https://x.test/a.png)}\
         .c{background:url(//cdn.test/b.png)}.d{filter:url(#blur)}",
    );
    assert!(out.refs.is_empty(), "{:?}", out.refs);
}

#[test]
fn urls_in_comments_are_ignored() {
    let out = css("/* url(../img/ghost.png) */ .a{color:red}");
    assert!(out.refs.is_empty());
}

#[test]
fn import_with_media_query_is_rewritten() {
    let source = "@import url(\"print.css\") print;\n@import 'base.css' screen;\n.a{color:red}";
    let out = css(source);
    assert_eq!(targets(&out), ["css/print.css", "css/base.css"]);
    assert_eq!(
        text(&out),
        "@import url(\"print.HASH.css\") print;\n@import 'base.HASH.css' screen;\n.a{color:red}"
    );
    let out = run_with(&parsing(false), "css/app.css", source, &[]).unwrap();
    assert_eq!(targets(&out), ["css/print.css", "css/base.css"]);
    let text = text(&out);
    assert!(text.contains("@import \"print.HASH.css\" print"), "{text}");
    assert!(text.contains("@import \"base.HASH.css\" screen"), "{text}");
}

#[test]
fn image_set_and_custom_properties_are_rewritten() {
    let out = css(
        ".a{background-image:image-set(url(a.png) 1x,url(a@2x.png) 2x)}:root{--icon:url(i.svg)}",
    );
    let mut found = targets(&out);
    found.sort();
    assert_eq!(found, ["css/a.png", "css/a@2x.png", "css/i.svg"]);
}

#[test]
fn names_with_spaces_are_percent_encoded() {
    let out = css(".a{background:url('../img/my image.png')}");
    assert_eq!(targets(&out), ["img/my image.png"]);
    assert!(
        text(&out).contains("../img/my%20image.HASH.png"),
        "{}",
        text(&out)
    );
}

#[test]
fn positions_are_one_based() {
    let out = css("\n\n.a {\n  background: url(x.png);\n}");
    assert_eq!((out.refs[0].line, out.refs[0].column), (4, 15));
}

#[test]
fn malformed_css_reports_file_line_and_column() {
    let problem = run("css/bad.css", ".a {\n  color: red;\n}\n}", &[], false).unwrap_err();
    assert_eq!(problem.path(), "css/bad.css");
    let (line, column) = problem.position().unwrap();
    assert_eq!(line, 4, "{problem}");
    assert!(column >= 1);
}

#[test]
fn minified_output_has_a_linked_source_map() {
    let out = run("css/app.css", ".a {\n  color: #ff0000;\n}\n", &[], true).unwrap();
    let text = text(&out);
    assert!(text.starts_with(".a{color:red}"), "{text}");
    assert!(
        text.ends_with("/*# sourceMappingURL=app.css.HASH.map */\n"),
        "{text}"
    );
    let map: serde_json::Value = serde_json::from_str(out.map.as_ref().unwrap()).unwrap();
    assert_eq!(map["sources"][0], "app.css");
    assert_eq!(map["sourcesContent"][0], ".a {\n  color: #ff0000;\n}\n");
}

#[test]
fn dangling_map_reference_warns_and_drops_the_comment() {
    let out = run(
        "css/app.css",
        ".a{color:red}\n/*# sourceMappingURL=gone.map */",
        &[],
        false,
    )
    .unwrap();
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    assert!(!text(&out).contains("sourceMappingURL"));
}

#[test]
fn input_map_is_chained_into_the_new_map() {
    let input_map = r#"{"version":3,"sources":["../scss/app.scss"],"names":[],"mappings":"AAAA"}"#;
    let out = run(
        "css/app.css",
        ".a{color:red}\n/*# sourceMappingURL=app.css.map */",
        &[("css/app.css.map", input_map)],
        true,
    )
    .unwrap();
    let map: serde_json::Value = serde_json::from_str(out.map.as_ref().unwrap()).unwrap();
    assert!(
        map["sources"]
            .as_array()
            .unwrap()
            .contains(&"../scss/app.scss".into()),
        "{map}"
    );
}

#[test]
fn without_source_maps_a_minified_file_has_no_map_and_skips_its_input_map() {
    let mut options = options(true);
    options.source_maps = false;
    let out = run_with(
        &options,
        "css/app.css",
        ".a { color: red }\n/*# sourceMappingURL=app.css.map */",
        &[("css/app.css.map", "{not json")],
    )
    .unwrap();
    assert_eq!(text(&out), ".a{color:red}");
    assert!(out.map.is_none());
    assert!(out.reads.is_empty(), "{:?}", out.reads);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

const SCSS_MAP: &str =
    r#"{"version":3,"sources":["../scss/app.scss"],"names":[],"mappings":"AAAA"}"#;

#[test]
fn malformed_input_map_is_a_warning_and_the_file_builds() {
    let source = ".a{color:red}\n/*# sourceMappingURL=app.css.map */";
    for (map, options) in [
        ("{}", options(true)),
        ("garbage", options(true)),
        ("[1]", parsing(false)),
        ("{}", parsing(false)),
    ] {
        let out = run_with(&options, "css/app.css", source, &[("css/app.css.map", map)]).unwrap();
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
        let warning = out.warnings[0].to_string();
        assert!(
            warning.starts_with("css/app.css:2:22: source map ignored: css/app.css.map: "),
            "{warning}"
        );
        let own: serde_json::Value = serde_json::from_str(out.map.as_ref().unwrap()).unwrap();
        assert_eq!(own["sources"], serde_json::json!(["app.css"]), "{own}");
    }
}

#[test]
fn map_comment_forms_browsers_accept_are_recognised() {
    for comment in [
        "/*# sourceMappingURL=app.css.map */",
        "/*@ sourceMappingURL=app.css.map */",
        "/*#\tsourceMappingURL=app.css.map\t*/",
        "/*#sourceMappingURL=app.css.map*/",
        "/*\n# sourceMappingURL=app.css.map\n*/",
    ] {
        let out = run(
            "css/app.css",
            &format!(".a{{color:red}}\n{comment}"),
            &[("css/app.css.map", SCSS_MAP)],
            true,
        )
        .unwrap();
        let map = out.map.as_deref().unwrap_or_default();
        assert!(map.contains("../scss/app.scss"), "{comment}: {map}");
        assert!(out.warnings.is_empty(), "{comment}: {:?}", out.warnings);
    }
}

#[test]
fn a_map_comment_inside_a_string_is_not_one() {
    let out = run(
        "css/app.css",
        ".a{content:\"/*# sourceMappingURL=app.css.map */\"}",
        &[("css/app.css.map", SCSS_MAP)],
        true,
    )
    .unwrap();
    assert!(!out.map.unwrap().contains("../scss/app.scss"));
}

#[test]
fn a_stylesheet_kept_as_written_keeps_its_input_map_even_a_malformed_one() {
    let source = ".a{color:red}\n/*# sourceMappingURL=app.css.map */";
    for map in [SCSS_MAP, "{}"] {
        let out = run("css/app.css", source, &[("css/app.css.map", map)], false).unwrap();
        assert_eq!(
            text(&out),
            ".a{color:red}\n/*# sourceMappingURL=app.css.HASH.map */"
        );
        assert_eq!(targets(&out), ["css/app.css.map"]);
        assert!(out.map.is_none());
        // The map ships as it is and is not read: nothing to warn about.
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    }
}
