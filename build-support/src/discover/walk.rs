//! Discovery: the files of the asset dirs, in a deterministic order, with their logical paths;
//! and reading them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assetlock_contract::layout;
use globset::GlobSet;
use walkdir::WalkDir;

use crate::discover::Files;
use crate::error::Diagnostic;
use crate::settings::Settings;
use crate::settings::crates::NAMESPACE;

/// A file found in an asset dir.
#[derive(Clone, Debug)]
pub(crate) struct Source {
    /// Path relative to its asset dir, `/`-separated.
    pub logical: String,
    /// Where to read it.
    pub path: PathBuf,
    /// How diagnostics name it: relative to the crate root where possible.
    pub display: String,
}

/// Walks every asset dir. Returns the sources sorted by logical path, and every problem found.
pub(crate) fn discover(settings: &Settings) -> (Vec<Source>, Vec<Diagnostic>) {
    let mut found: BTreeMap<String, Source> = BTreeMap::new();
    let mut problems = Vec::new();
    let own = settings.asset_dirs.iter().map(|dir| (dir, ""));
    let mounted = (settings.crates.mounts.iter()).map(|m| (&m.dir, m.prefix.as_str()));
    for (dir, prefix) in own.chain(mounted) {
        for source in walk_dir(settings, dir, prefix, &mut problems) {
            if prefix.is_empty() && source.logical.starts_with(NAMESPACE) {
                problems.push(Diagnostic::new(
                    &source.display,
                    format!(
                        "`{NAMESPACE}` is the folder of dependency crates' assets \
                         (Config::dependency_assets): move this file elsewhere"
                    ),
                ));
                continue;
            }
            if let Some(first) = found.get(&source.logical) {
                problems.push(Diagnostic::new(
                    &source.display,
                    format!(
                        "logical path `{}` is also provided by {}; each asset path must come \
                         from one asset dir",
                        source.logical, first.display
                    ),
                ));
                continue;
            }
            found.insert(source.logical.clone(), source);
        }
    }
    (found.into_values().collect(), problems)
}

/// Reads every discovered file, in parallel.
pub(crate) fn index_all(sources: &[(Source, u64)]) -> Files {
    let mut files = Files::new();
    for (source, size) in sources {
        files.insert_file(source.logical.clone(), source.path.clone(), *size);
    }
    files
}

/// The files of `dir`, their logical paths under `prefix` (a dependency crate's namespace, or
/// nothing).
fn walk_dir(
    settings: &Settings,
    dir: &Path,
    prefix: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Source> {
    let display_dir = settings.display(dir);
    let root = match dir.canonicalize() {
        Ok(root) if root.is_dir() => root,
        Ok(_) => {
            problems.push(Diagnostic::new(display_dir, "asset dir is not a directory"));
            return Vec::new();
        }
        Err(e) => {
            problems.push(Diagnostic::new(display_dir, "asset dir not found").caused_by(e));
            return Vec::new();
        }
    };
    let mut sources = Vec::new();
    let mut walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_dotfile(entry.file_name()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map_or(display_dir.clone(), |p| settings.display(p));
                let message = if e.loop_ancestor().is_some() {
                    "symlink loop"
                } else {
                    "cannot read"
                };
                problems.push(Diagnostic::new(path, message).caused_by(e));
                continue;
            }
        };
        let display = settings.display(entry.path());
        if entry.path_is_symlink() && !stays_inside(entry.path(), &root) {
            let target = std::fs::read_link(entry.path()).unwrap_or_default();
            problems.push(Diagnostic::new(
                display,
                format!(
                    "symlink points outside the asset dir (to {}); copy the file in or add its \
                     directory as another asset dir",
                    target.display()
                ),
            ));
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_dir() {
            continue;
        }
        if !entry.file_type().is_file() {
            problems.push(Diagnostic::new(
                display,
                "not a regular file (a device, socket or pipe); remove it from the asset dir",
            ));
            continue;
        }
        let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let Some(logical) = logical_path(relative).map(|l| format!("{prefix}{l}")) else {
            problems.push(Diagnostic::new(
                display,
                "file name is not valid UTF-8; rename it so it can appear in a URL",
            ));
            continue;
        };
        if settings.excludes.is_match(&logical) || is_excluded(&settings.excludes, &logical) {
            continue;
        }
        // Checking the logical path is enough: its hashed path, variants and deltas add only
        // `.`, hex digits and a coding's letters to its last segment (`contract::naming`).
        if let Err(rule) = layout::check_artifact_path(&logical) {
            problems.push(Diagnostic::new(
                display,
                format!("path {rule}, which an asset's path may not; rename the file"),
            ));
            continue;
        }
        sources.push(Source {
            logical,
            path: entry.path().to_path_buf(),
            display,
        });
    }
    sources
}

/// Whether a symlink's final target lies inside the canonical asset dir `root`.
fn stays_inside(link: &Path, root: &Path) -> bool {
    link.canonicalize()
        .is_ok_and(|target| target.starts_with(root))
}

fn is_dotfile(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// A glob like `vendor/**` also excludes when matched against a parent directory.
fn is_excluded(excludes: &GlobSet, logical: &str) -> bool {
    logical
        .match_indices('/')
        .any(|(i, _)| excludes.is_match(&logical[..i]))
}

/// The `/`-separated path, or `None` when a component is not UTF-8.
fn logical_path(relative: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = relative.iter().map(|c| c.to_str()).collect();
    Some(parts?.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn discover_in(files: &[&str], configure: impl FnOnce(&mut crate::Config)) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join("assets").join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let mut config = crate::Config::new();
        config
            .asset_dir(dir.path().join("assets"))
            .out_dir(dir.path().join("out"));
        configure(&mut config);
        let settings = Settings::resolve(&config).unwrap();
        let (sources, problems) = discover(&settings);
        assert!(problems.is_empty(), "{problems:?}");
        sources.into_iter().map(|s| s.logical).collect()
    }

    #[test]
    fn discovery_is_sorted_by_logical_path() {
        let found = discover_in(&["b.css", "a/z.js", "a/b/c.txt", "A.txt"], |_| {});
        assert_eq!(found, ["A.txt", "a/b/c.txt", "a/z.js", "b.css"]);
    }

    #[test]
    fn dotfiles_and_dot_directories_are_skipped() {
        let found = discover_in(
            &[".DS_Store", ".git/config", "ok.css", "dir/.hidden"],
            |_| {},
        );
        assert_eq!(found, ["ok.css"]);
    }

    #[test]
    fn exclude_globs_match_files_and_directories() {
        let found = discover_in(&["a.psd", "img/b.psd", "drafts/x.css", "keep.css"], |c| {
            c.exclude("**/*.psd").exclude("drafts");
        });
        assert_eq!(found, ["keep.css"]);
    }

    #[test]
    fn symlinks_inside_the_asset_dir_are_followed() {
        let dir = tempfile::tempdir().unwrap();
        let assets = dir.path().join("assets");
        std::fs::create_dir_all(assets.join("real")).unwrap();
        std::fs::write(assets.join("real/a.css"), "a{}").unwrap();
        std::os::unix::fs::symlink(assets.join("real"), assets.join("alias")).unwrap();
        let mut config = crate::Config::new();
        config.asset_dir(&assets).out_dir(dir.path().join("out"));
        let settings = Settings::resolve(&config).unwrap();
        let (sources, problems) = discover(&settings);
        assert!(problems.is_empty(), "{problems:?}");
        let found: Vec<_> = sources.iter().map(|s| s.logical.as_str()).collect();
        assert_eq!(found, ["alias/a.css", "real/a.css"]);
    }
}
