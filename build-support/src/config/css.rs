//! The settings of how stylesheets are transformed, besides minification and targets.

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

    /// Whether unminified stylesheets are lowered and prefixed for the
    /// [`targets`](Config::targets) as minified ones are (default `false`).
    ///
    /// By default an unminified build (debug profiles, unless
    /// [`minify`](Config::minify) says otherwise) keeps each stylesheet byte for byte as
    /// written, comments included, with only its references replaced by hashed names: a
    /// tokenizer finds them, which costs a fraction of parsing and printing the stylesheet.
    /// Malformed tokens (an unterminated string or `url()`, an unmatched bracket) are still
    /// errors; selectors and values are checked by the minifying build.
    ///
    /// `true` sends unminified stylesheets through lightningcss as well: parsed in full,
    /// lowered and prefixed for the targets and printed readable, so a debug build styles a
    /// page exactly as the release build will, older browsers included.
    ///
    /// ```no_run
    /// assetlock_build::Config::new()
    ///     .asset_dir("assets")
    ///     .targets("defaults, safari >= 13")
    ///     .lower_unminified_css(true)
    ///     .compile();
    /// ```
    pub fn lower_unminified_css(&mut self, lower: bool) -> &mut Self {
        self.lower_unminified_css = lower;
        self
    }
}
