//! The build's fingerprint: a rerun with nothing changed reads and hashes no asset; anything
//! changed (content, files added or removed, settings, outputs) is a full build.

mod support;

use std::time::Duration;

use assetlock_build::Output;
use support::Site;

const CSS: &str = "body { background: url(img/dot.svg); }\n";
const SVG: &str = "<svg xmlns='http://www.w3.org/2000/svg'/>";

fn site() -> Site {
    Site::new(&[
        ("app.css", CSS),
        ("img/dot.svg", SVG),
        ("app.js", "export {};\n"),
    ])
}

/// Sets the modification time of an asset to `seconds` after the current one.
fn touch(site: &Site, path: &str, seconds: u64) {
    let file = std::fs::File::options()
        .write(true)
        .open(site.assets().join(path))
        .unwrap();
    let now = file.metadata().unwrap().modified().unwrap();
    file.set_modified(now + Duration::from_secs(seconds))
        .unwrap();
}

fn urls(output: &Output) -> Vec<Option<String>> {
    ["app.css", "img/dot.svg", "app.js"]
        .iter()
        .map(|l| output.url(l).map(str::to_owned))
        .collect()
}

#[test]
fn a_rerun_with_nothing_changed_answers_from_the_fingerprint() {
    let site = site();
    let first = site.build().unwrap();
    assert!(!first.stats().unchanged);
    let second = site.build().unwrap();
    assert!(second.stats().unchanged, "{:?}", second.stats());
    assert_eq!(second.stats().transformed, 0);
    assert_eq!(second.stats().cache_hits, 0, "the cache was not even asked");
    assert_eq!(second.build_id(), first.build_id());
    assert_eq!(urls(&second), urls(&first));
    assert!(second.code_path().is_file() && second.manifest_path().is_file());
}

#[test]
fn a_touched_file_with_the_same_bytes_is_hashed_and_found_unchanged() {
    let site = site();
    let first = site.build().unwrap();
    touch(&site, "img/dot.svg", 5);
    let second = site.build().unwrap();
    assert!(second.stats().unchanged, "{:?}", second.stats());
    assert_eq!(second.build_id(), first.build_id());
    // The record took the new stamp: the next rerun is unchanged as well.
    assert!(site.build().unwrap().stats().unchanged);
}

#[test]
fn an_edit_of_the_same_size_right_after_a_build_is_a_full_build() {
    let site = site();
    let first = site.build().unwrap();
    // Same length, and written within the file system's modification-time tick of the
    // build: the stamp alone cannot tell, the content check does.
    site.write("app.css", CSS.replace("body", "main").as_bytes());
    let second = site.build().unwrap();
    assert!(!second.stats().unchanged);
    assert_ne!(second.url("app.css"), first.url("app.css"));
}

#[test]
fn added_and_removed_files_are_full_builds() {
    let site = site();
    site.build().unwrap();
    site.write("more.txt", b"more");
    let added = site.build().unwrap();
    assert!(!added.stats().unchanged);
    assert!(added.url("more.txt").is_some());
    std::fs::remove_file(site.assets().join("more.txt")).unwrap();
    let removed = site.build().unwrap();
    assert!(!removed.stats().unchanged);
    assert!(removed.url("more.txt").is_none());
}

#[test]
fn a_changed_setting_is_a_full_build() {
    let site = site();
    site.build().unwrap();
    let prefixed = site
        .config()
        .url_prefix("https://cdn.example.com/a/")
        .try_compile()
        .unwrap();
    assert!(!prefixed.stats().unchanged);
    assert!(prefixed.url("app.css").unwrap().starts_with("https://"));
}

#[test]
fn a_deleted_or_altered_output_is_rebuilt() {
    let site = site();
    let first = site.build().unwrap();
    let key = first
        .url("img/dot.svg")
        .unwrap()
        .trim_start_matches("/assets/");
    let artifact = first.dist_dir().join(key);
    std::fs::remove_file(&artifact).unwrap();
    let second = site.build().unwrap();
    assert!(!second.stats().unchanged);
    assert_eq!(std::fs::read_to_string(&artifact).unwrap(), SVG);

    std::fs::write(second.code_path(), "// edited by hand\n").unwrap();
    let third = site.build().unwrap();
    assert!(!third.stats().unchanged);
    assert!(
        std::fs::read_to_string(third.code_path())
            .unwrap()
            .contains("MANIFEST")
    );
}

#[test]
fn warnings_are_reported_again_by_an_unchanged_build() {
    let site = Site::new(&[("app.css", "a { background: url(missing.png); }\n")]);
    let build = || {
        site.config()
            .warn_dangling("app.css")
            .try_compile()
            .unwrap()
    };
    let first: Vec<String> = build().warnings().map(ToString::to_string).collect();
    assert_eq!(first.len(), 1, "{first:?}");
    let second = build();
    assert!(second.stats().unchanged);
    let again: Vec<String> = second.warnings().map(ToString::to_string).collect();
    assert_eq!(again, first);
}

#[test]
fn a_failed_build_leaves_no_shortcut_behind() {
    let site = site();
    site.build().unwrap();
    site.write("app.css", b"body { background: url(nope.svg); }");
    assert!(site.build().is_err());
    site.write("app.css", CSS.as_bytes());
    // Back to the first bytes, but the failed build removed the record: a full build.
    assert!(!site.build().unwrap().stats().unchanged);
    assert!(site.build().unwrap().stats().unchanged);
}
