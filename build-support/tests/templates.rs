//! `Config::templates`: literal asset names in runtime templates are checked when the crate
//! builds, with the same message as `asset_url!`.

mod support;

use support::Site;

fn with_templates(site: &Site, files: &[(&str, &str)]) -> assetlock_build::Config {
    let dir = site.dir.path().join("templates");
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let mut config = site.config();
    config.templates(&dir).bundle("js/all.js", ["js/app.js"]);
    config
}

fn site() -> Site {
    Site::new(&[
        ("css/app.css", "body { margin: 0 }\n"),
        ("js/app.js", "console.log(1);\n"),
        (
            "img/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ])
}

#[test]
fn every_unknown_literal_name_fails_the_build_with_its_position_and_a_suggestion() {
    let site = site();
    let config = with_templates(
        &site,
        &[
            (
                "page.html",
                "<head>\n{{ stylesheet(\"css/app.css\") }}\n<link href=\"{{ asset_url('css/ap.css') }}\">\n\
                 {{ module_script(\"js/all.js\") }}\n",
            ),
            (
                "parts/footer.html",
                "<img src=\"{{ 'img/logo.svg' | asset_url }}\">\n\
                 <img src=\"{{ 'img/logo.png' | asset_url }}\">\n{{ asset_url(\"fonts/none.woff2\") }}",
            ),
        ],
    );
    let error = config.try_compile().unwrap_err();
    let problems: Vec<String> = error.diagnostics().map(|d| d.to_string()).collect();
    assert_eq!(problems.len(), 3, "{problems:?}");
    let expected = [
        "templates/page.html:3:26: no asset named `css/ap.css`; did you mean `css/app.css`?",
        "templates/parts/footer.html:2:14: no asset named `img/logo.png`; did you mean `img/logo.svg`?",
        "templates/parts/footer.html:3:14: no asset named `fonts/none.woff2`",
    ];
    for (problem, expected) in problems.iter().zip(expected) {
        assert!(
            problem.ends_with(expected),
            "{problem}\n  expected: {expected}"
        );
    }
}

#[test]
fn templates_that_name_only_known_assets_build() {
    let site = site();
    let config = with_templates(
        &site,
        &[(
            "page.html",
            "{{ stylesheet('css/app.css') }}{{ 'js/all.js' | module_script }}\
             {# {{ asset_url('not/checked.css') }} #}{{ asset_url(theme ~ '.css') }}",
        )],
    );
    config.try_compile().unwrap();
}

#[test]
fn a_missing_dir_and_a_template_that_does_not_lex_are_errors() {
    let site = site();
    let mut config = with_templates(&site, &[("bad.html", "ok\n{{ asset_url('css/app.css) }}")]);
    config.templates(site.dir.path().join("nope"));
    let error = config.try_compile().unwrap_err();
    let problems: Vec<String> = error.diagnostics().map(|d| d.to_string()).collect();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("templates/bad.html:2:1: template does not parse")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.ends_with("nope: template dir not found")),
        "{problems:?}"
    );
}
