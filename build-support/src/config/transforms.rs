//! The settings of how stylesheets and scripts are transformed, besides minification and
//! targets.

use super::Config;

impl Config {
    /// Replaces each local `@import` in a stylesheet with the imported rules (lightningcss's
    /// bundler, keeping `media`, `supports` and `layer` conditions), so the browser makes one
    /// request instead of a chain. `url()`s of imported files are rewritten relative to the
    /// importing stylesheet. Default `false`.
    pub fn inline_css_imports(&mut self, inline: bool) -> &mut Self {
        self.inline_css_imports = inline;
        self
    }

    /// Adds a folder, relative to the crate root, where Sass looks for what `@use`, `@forward`
    /// and `@import` name when it is not among the assets: a library's Sass sources, say
    /// (`node_modules/bootstrap/scss`). The files read there are inputs of the build (a change
    /// rebuilds), never outputs.
    ///
    /// ```no_run
    /// // assets/css/site.scss: @use "bootstrap" with ($primary: #0a7);
    /// assetlock_build::Config::new()
    ///     .asset_dir("assets")
    ///     .sass_load_path("node_modules/bootstrap/scss")
    ///     .compile();
    /// ```
    pub fn sass_load_path(&mut self, dir: impl Into<std::path::PathBuf>) -> &mut Self {
        self.sass_load_paths.push(dir.into());
        self
    }

    /// Builds the stylesheet `entry` (a logical path, e.g. `css/app.css` holding
    /// `@import "tailwindcss";`) with the Tailwind CSS CLI (v4) that the project installed:
    /// the CLI runs in the crate root and finds the classes used there (templates, Rust
    /// sources, scripts; `@source` in the entry adds more), and its output goes through the
    /// build as any stylesheet does (minified, hashed, with integrity). The CLI is
    /// `ASSETLOCK_TAILWIND`, else [`tailwind_cli`](Config::tailwind_cli), else `tailwindcss`
    /// on `PATH`; without one, the build fails saying how to install it. It is never
    /// downloaded.
    ///
    /// ```no_run
    /// assetlock_build::Config::new()
    ///     .asset_dir("assets")
    ///     .tailwind("css/app.css")
    ///     .tailwind_cli("node_modules/.bin/tailwindcss")
    ///     .compile();
    /// ```
    pub fn tailwind(&mut self, entry: impl Into<String>) -> &mut Self {
        self.tailwind_entries.push(entry.into());
        self
    }

    /// The Tailwind CSS CLI to run for [`tailwind`](Config::tailwind) entries, relative to
    /// the crate root (`ASSETLOCK_TAILWIND` takes precedence).
    pub fn tailwind_cli(&mut self, cli: impl Into<std::path::PathBuf>) -> &mut Self {
        self.tailwind_cli = Some(cli.into());
        self
    }

    /// Whether unminified CSS and JS go through the full parsers, lightningcss and oxc, as
    /// minified files do (default `false`).
    ///
    /// By default an unminified build (debug profiles, unless [`minify`](Config::minify) says
    /// otherwise) keeps each stylesheet and script byte for byte as written, comments
    /// included, with only its references replaced by hashed names. Tokenizers find them
    /// (cssparser's for CSS, a lexer for JS, which tells a regular expression from a division
    /// as es-module-lexer does), at a fraction of the cost of building a syntax tree; tests
    /// check on the real-world corpus that they find exactly what the parsers find. A file the
    /// tokenizer is unsure of (an unterminated string, unbalanced brackets) goes to the full
    /// parser, which reports the error or recovers from it.
    ///
    /// What the default gives up, and `true` restores at the cost of a full parse:
    /// - CSS is not lowered or prefixed for the [`targets`](Config::targets): with `true` it is,
    ///   and printed readable, so a debug build styles a page exactly as the release build
    ///   will, older browsers included.
    /// - JS syntax errors are not reported (the browser reports them when it runs the file;
    ///   the minifying build reports them with file, line and column): with `true` they are.
    ///
    /// ```no_run
    /// assetlock_build::Config::new()
    ///     .asset_dir("assets")
    ///     .targets("defaults, safari >= 13")
    ///     .parse_unminified(true)
    ///     .compile();
    /// ```
    pub fn parse_unminified(&mut self, parse: bool) -> &mut Self {
        self.parse_unminified = parse;
        self
    }
}
