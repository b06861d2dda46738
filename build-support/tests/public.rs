//! `Config::public`: files served at their own path (favicon.ico, robots.txt, sw.js), shipped
//! as they are, never renamed.

mod support;

use support::Site;

const SW: &str =
    "// A service worker, shipped as written.\nself.addEventListener('fetch', () => {});\n";

fn site() -> Site {
    Site::new(&[
        ("favicon.ico", "\0\0\x01\0icon"),
        (
            "robots.txt",
            &"User-agent: *\nDisallow: /admin/\n".repeat(20),
        ),
        ("sw.js", SW),
        ("css/app.css", "body { background: url(/favicon.ico) }\n"),
    ])
}

#[test]
fn public_files_keep_their_path_and_bytes_and_are_served_from_the_root() {
    let site = site();
    let output = site
        .config()
        .public("favicon.ico")
        .public("*.txt")
        .public("sw.js")
        .minify(true)
        .try_compile()
        .unwrap();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(output.manifest_path()).unwrap()).unwrap();
    let assets = &manifest["assets"];
    for (logical, url) in [
        ("favicon.ico", "/favicon.ico"),
        ("robots.txt", "/robots.txt"),
        ("sw.js", "/sw.js"),
    ] {
        assert_eq!(assets[logical]["url"], url, "{logical}");
        assert_eq!(assets[logical]["path"], logical, "{logical}");
    }
    // Not minified: the service worker is byte for byte the file in the asset dir.
    let sw = std::fs::read(output.dist_dir().join("sw.js")).unwrap();
    assert_eq!(sw, SW.as_bytes());
    // Precompressed like any asset.
    assert!(
        assets["robots.txt"]["encodings"]
            .as_object()
            .unwrap()
            .contains_key("gzip"),
        "{assets:#}"
    );
    // Everything else is still content-addressed, and a root URL to a public file is kept.
    let css_path = assets["css/app.css"]["path"].as_str().unwrap();
    assert_ne!(css_path, "css/app.css");
    let css = std::fs::read_to_string(output.dist_dir().join(css_path)).unwrap();
    assert!(css.contains("/favicon.ico"), "{css}");
}

/// The problems of a build of `site` with its favicon and every text file public.
fn problems_of(site: &Site) -> Vec<String> {
    let error = site
        .config()
        .public("favicon.ico")
        .public("**/*.txt")
        .try_compile()
        .unwrap_err();
    error.diagnostics().map(|d| d.to_string()).collect()
}

#[test]
fn a_relative_reference_to_a_public_file_and_odd_public_paths_are_errors() {
    let site = site();
    site.write("css/rel.css", b".a { background: url(../favicon.ico) }\n");
    site.write("assets/x.txt", b"under the mount\n");
    site.write("with space.txt", b"odd\n");
    let problems = problems_of(&site);
    let expected = [
        "css/rel.css:1:18: `../favicon.ico` refers to `favicon.ico`, a public file served at \
         `/favicon.ico`: refer to it by that URL",
    ];
    for expected in expected {
        assert!(
            problems.iter().any(|p| p.ends_with(expected)),
            "missing {expected} in {problems:#?}"
        );
    }
    // Names are checked once the references are sound.
    std::fs::remove_file(site.assets().join("css/rel.css")).unwrap();
    let problems = problems_of(&site);
    assert!(
        problems.iter().any(|p| p.ends_with(
            "x.txt: a public file cannot live under the mount path of the hashed assets"
        )),
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("with space.txt: a public file's path may use only")),
        "{problems:#?}"
    );
}
