//! How JS modules name each other (rewritten hashed URLs, or logical URLs resolved by an
//! import map), and the settings of their imports.

use super::Config;

/// How JS modules import each other.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum JsImports {
    /// Relative specifiers are rewritten to the hashed names (`./greet.3f2a9c1b.js`). A changed
    /// module renames every module that imports it, directly or not. Needs nothing in the page.
    #[default]
    Rewrite,
    /// Specifiers stay as written and resolve, at run time, through the page's import map
    /// (`MANIFEST.import_map()`), which maps every module's logical URL to its hashed one. A
    /// changed module renames only itself; the page must carry the import map before any
    /// module script.
    ImportMap,
}

impl Config {
    /// How JS modules import each other (default [`JsImports::Rewrite`]).
    ///
    /// ```no_run
    /// // build.rs: a changed module renames only itself.
    /// fn main() {
    ///     assetlock_build::Config::new()
    ///         .asset_dir("assets")
    ///         .js_imports(assetlock_build::JsImports::ImportMap)
    ///         .compile();
    /// }
    /// ```
    pub fn js_imports(&mut self, mode: JsImports) -> &mut Self {
        self.js_imports = mode;
        self
    }

    /// Adds a bare specifier to the import map: `import { html } from "lit"` loads the asset
    /// `vendor/lit.js` under its hashed URL. An alias naming no JS asset fails the build.
    pub fn import_alias(
        &mut self,
        specifier: impl Into<String>,
        logical: impl Into<String>,
    ) -> &mut Self {
        self.import_aliases.push((specifier.into(), logical.into()));
        self
    }

    /// Makes `import(expr)` with a non-literal `expr` an error instead of a warning (without an
    /// import map, such an import 404s once its module has a hashed name).
    pub fn deny_non_literal_imports(&mut self, deny: bool) -> &mut Self {
        self.deny_non_literal_imports = deny;
        self
    }
}
