//! Assets across crates: a library crate ships its assets to the apps that depend on it, and
//! an app takes them in.

use super::Config;

impl Config {
    /// Builds the assets of a library crate for the apps that depend on it.
    ///
    /// The asset dirs are the ones the crate's `Cargo.toml` publishes, which is where an app
    /// finds them, in a path, git or registry dependency alike:
    ///
    /// ```toml
    /// [package.metadata.assetlock]
    /// assets = ["assets"]
    /// ```
    ///
    /// The library's code names its assets with `asset_url!` and `asset_integrity!`, checked
    /// at compile time as in an app; at run time they give the URL the app serves the asset
    /// at (`/assets/_/ui-kit/css/picker.<hash>.css`), found in the manifest of the app
    /// (`Config::dependency_assets`). In the library's own tests, with no app, they give the
    /// URL of the library's own build.
    ///
    /// ```no_run
    /// // build.rs of the library crate `ui-kit`
    /// assetlock_build::Config::new().library().compile();
    /// ```
    pub fn library(&mut self) -> &mut Self {
        self.library = true;
        self
    }

    /// Takes in the assets the dependency crate `name` publishes (see [`Config::library`]),
    /// under `_/<name>/` among this crate's own: `_/ui-kit/css/picker.css` is served at
    /// `/assets/_/ui-kit/css/picker.<hash>.css`, and this crate's stylesheets, scripts and
    /// templates may refer to it (`url(../_/ui-kit/fonts/icons.woff2)`,
    /// `import "../_/ui-kit/js/picker.js"`, `asset_url!("_/ui-kit/css/picker.css")`), checked
    /// as any reference. They are part of this build's manifest, release record, upload,
    /// verification and pruning like the crate's own.
    ///
    /// When the dependency graph holds several versions of the crate, each version's assets
    /// are under `_/<name>@<version>/`, and each version's code finds its own. A crate is
    /// taken in only when named: a new dependency never adds files to a release unasked.
    /// Files of this crate under `_/` are an error.
    ///
    /// ```no_run
    /// // build.rs of the app
    /// assetlock_build::Config::new()
    ///     .asset_dir("assets")
    ///     .dependency_assets("ui-kit")
    ///     .compile();
    /// ```
    pub fn dependency_assets(&mut self, name: impl Into<String>) -> &mut Self {
        self.dependency_assets.push(name.into());
        self
    }
}
