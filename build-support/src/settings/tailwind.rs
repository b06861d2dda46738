//! Tailwind CSS: the entries the user's `tailwindcss` CLI builds, the CLI found, and what it
//! scans.

use std::path::PathBuf;

use super::CONFIG;
use crate::Config;
use crate::cargo;
use crate::error::Diagnostic;

/// What the build needs to run the Tailwind CSS CLI over its entries.
#[derive(Clone, Debug)]
pub(crate) struct Tailwind {
    /// The `tailwindcss` program: `ASSETLOCK_TAILWIND`, else `Config::tailwind_cli`, else the
    /// first on `PATH`.
    pub cli: PathBuf,
    /// Where the CLI runs (`--cwd`): the crate root, whose files it detects classes in.
    pub cwd: PathBuf,
    /// The logical paths of the stylesheets it builds.
    pub entries: Vec<String>,
    /// Folders whose files it scans for classes beside the asset and template dirs: the
    /// crate's `src/`. A change in one is a change of the build.
    pub sources: Vec<PathBuf>,
}

/// The Tailwind set-up of a build, `None` without entries. A CLI that cannot be found is a
/// problem that says how to install one: the build never downloads it.
pub(super) fn resolve(
    config: &Config,
    crate_root: &std::path::Path,
    problems: &mut Vec<Diagnostic>,
) -> Option<Tailwind> {
    if config.tailwind_entries.is_empty() {
        return None;
    }
    let named = cargo::user_var("ASSETLOCK_TAILWIND")
        .map(|path| (PathBuf::from(path), "ASSETLOCK_TAILWIND"))
        .or_else(|| Some((config.tailwind_cli.clone()?, CONFIG)));
    let cli = match named {
        Some((path, origin)) => {
            let path = crate_root.join(path);
            if !path.is_file() {
                problems.push(missing(
                    origin,
                    &format!("`{}` is not a file", path.display()),
                ));
                return None;
            }
            path
        }
        None => match cargo::program_on_path("tailwindcss") {
            Some(path) => path,
            None => {
                problems.push(missing(CONFIG, "no `tailwindcss` on PATH"));
                return None;
            }
        },
    };
    Some(Tailwind {
        cli,
        cwd: crate_root.to_path_buf(),
        entries: config.tailwind_entries.clone(),
        sources: vec![crate_root.join("src")],
    })
}

fn missing(origin: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        origin,
        format!(
            "Config::tailwind needs the Tailwind CSS CLI (v4), and {why}: install it with \
             `npm install --save-dev tailwindcss @tailwindcss/cli` and name it with \
             `ASSETLOCK_TAILWIND=node_modules/.bin/tailwindcss` (or \
             `Config::tailwind_cli`), or put `tailwindcss` on PATH; the build never downloads \
             it"
        ),
    )
}
