//! Tailwind CSS entries: built by the user's `tailwindcss` CLI (v4), never downloaded, then
//! minified and hashed as any stylesheet; a class added to a template shows after a rebuild.
#![allow(clippy::disallowed_methods)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{Site, hashed_path, text};

/// The entry: Tailwind, scanning only the site's templates (the tests' crate root is this
/// crate, whose sources are full of words that look like classes).
const ENTRY: &str = "@import \"tailwindcss\" source(none);\n@source \"../../templates\";\n";

const PAGE: &str = "<main class=\"p-4 text-[#bada55] md:hover:underline \
                    grid-cols-[1fr_2fr] dark:bg-slate-900\">hi</main>\n";

/// The CLI, and the `node_modules` its `@import "tailwindcss"` resolves in (the global
/// install's own), or `None` when the CLI is missing (outside strict mode).
fn cli() -> Option<(PathBuf, PathBuf)> {
    use assetlock_test_support::tools;
    let present = tools::program("tailwindcss") && tools::program("npm");
    if !tools::available("tailwindcss", present, "npm install -g @tailwindcss/cli") {
        return None;
    }
    let root = Command::new("npm").args(["root", "-g"]).output().unwrap();
    let root = PathBuf::from(String::from_utf8(root.stdout).unwrap().trim());
    let which = Command::new("sh")
        .args(["-c", "command -v tailwindcss"])
        .output()
        .unwrap();
    let cli = PathBuf::from(String::from_utf8(which.stdout).unwrap().trim());
    Some((cli, root.join("@tailwindcss/cli/node_modules")))
}

/// A site with the entry, a template, and the Tailwind packages where a project installs
/// them (`node_modules` beside the assets).
fn site(modules: &Path) -> Site {
    let site = Site::new(&[
        ("css/app.css", ENTRY),
        ("css/plain.css", ".plain{color:red}"),
    ]);
    let templates = site.dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("index.html"), PAGE).unwrap();
    std::os::unix::fs::symlink(modules, site.dir.path().join("node_modules")).unwrap();
    site
}

fn build(site: &Site, cli: &Path, minify: bool) -> assetlock_build::Output {
    site.config()
        .minify(minify)
        .tailwind("css/app.css")
        .tailwind_cli(cli)
        .try_compile()
        .unwrap()
}

#[test]
fn the_output_is_the_clis_own_with_arbitrary_values_and_variants() {
    let Some((cli, modules)) = cli() else { return };
    let site = site(&modules);
    let own = Command::new(&cli)
        .arg("--input")
        .arg(site.assets().join("css/app.css"))
        .arg("--cwd")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        own.status.success(),
        "{}",
        String::from_utf8_lossy(&own.stderr)
    );
    let own = String::from_utf8(own.stdout).unwrap();
    for class in [
        "text-\\[\\#bada55\\]",
        "grid-cols-\\[1fr_2fr\\]",
        "md\\:hover\\:underline",
        "dark\\:bg-slate-900",
    ] {
        assert!(own.contains(class), "{class} not in the CLI's output");
    }

    // Unminified, the build ships the CLI's output as it printed it.
    let output = build(&site, &cli, false);
    assert_eq!(text(&output, "css/app.css"), own);
    // Minified and hashed as any stylesheet, with the same classes.
    let output = build(&site, &cli, true);
    let minified = text(&output, "css/app.css");
    assert!(!minified.contains("\n  "), "not minified: {minified}");
    assert!(minified.contains("#bada55"), "{minified}");
    assert!(hashed_path(&output, "css/app.css").ends_with(".css"));
    // Other stylesheets are not Tailwind entries.
    assert!(text(&output, "css/plain.css").starts_with(".plain{color:red}\n"));
}

#[test]
fn a_class_added_to_a_template_shows_after_a_rebuild() {
    let Some((cli, modules)) = cli() else { return };
    let site = site(&modules);
    let before = text(&build(&site, &cli, false), "css/app.css");
    assert!(!before.contains("tracking-widest"));
    let page = site.dir.path().join("templates/index.html");
    std::fs::write(&page, PAGE.replace("p-4", "p-4 tracking-widest")).unwrap();
    let after = text(&build(&site, &cli, false), "css/app.css");
    assert!(after.contains("tracking-widest"), "{after}");
}

#[test]
fn a_missing_cli_is_one_error_that_says_how_to_install_it() {
    let site = Site::new(&[("css/app.css", ENTRY)]);
    let error = site
        .config()
        .tailwind("css/app.css")
        .tailwind_cli("/nowhere/tailwindcss")
        .try_compile()
        .unwrap_err()
        .to_string();
    assert!(error.contains("needs the Tailwind CSS CLI (v4)"), "{error}");
    assert!(
        error.contains("npm install --save-dev tailwindcss @tailwindcss/cli"),
        "{error}"
    );
    assert!(error.contains("never downloads"), "{error}");
    assert_eq!(error.matches("Tailwind CSS CLI").count(), 1, "{error}");
}

#[test]
fn what_the_cli_reports_is_the_entrys_error() {
    let Some((cli, modules)) = cli() else { return };
    let site = site(&modules);
    site.write("css/app.css", b"@import \"no-such-package\";\n");
    let error = site
        .config()
        .tailwind("css/app.css")
        .tailwind_cli(&cli)
        .try_compile()
        .unwrap_err()
        .to_string();
    assert!(error.contains("css/app.css"), "{error}");
    assert!(error.contains("the Tailwind CSS CLI failed"), "{error}");
    assert!(error.contains("no-such-package"), "{error}");
}

#[test]
fn an_entry_that_is_not_a_stylesheet_of_the_build_is_an_error() {
    let Some((cli, modules)) = cli() else { return };
    let site = site(&modules);
    site.write("js/app.js", b"export {};\n");
    let error = site
        .config()
        .tailwind("css/typo.css")
        .tailwind("js/app.js")
        .tailwind_cli(&cli)
        .try_compile()
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("Config::tailwind names `css/typo.css`, which is not an asset"),
        "{error}"
    );
    assert!(
        error.contains("`js/app.js`, which is not a stylesheet"),
        "{error}"
    );
}
