//! The settings that shape a transform's output, as one value. The transforms read their
//! settings from it and the cache key of a transform is it serialized, so a setting cannot
//! change the output without also changing the key.

use serde::Serialize;

use crate::discover::Kind;
use crate::settings::Settings;
use crate::settings::Targets;
use crate::settings::tailwind::Tailwind;

/// Every setting that changes what a transform produces; built once per build from
/// [`Settings`]. A new field is part of the cache key by construction.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct TransformOptions {
    /// Minify CSS (lightningcss) and JS (oxc, with name mangling).
    pub minify: bool,
    /// Make source maps and link them from the output.
    pub source_maps: bool,
    /// Hex characters of hash in hashed names, and so the length of markers.
    pub hash_len: usize,
    /// The path part of the URL prefix: root-relative references under it are local. The
    /// rest of the prefix (a CDN origin) never reaches a transform's output.
    pub mount_path: String,
    /// Browser targets for CSS and JS, resolved from the browserslist query.
    pub targets: Targets,
    /// Ship a CSS or JS file that does not parse as it is, with a warning.
    pub warn_only: bool,
    /// Replace local `@import`s with the imported rules.
    pub inline_css_imports: bool,
    /// Unminified CSS and JS go through the full parsers too (CSS lowered, prefixed and
    /// printed; JS checked for syntax errors), instead of being scanned by tokenizers.
    pub parse_unminified: bool,
    /// JS module specifiers stay as written, for the import map to resolve.
    pub import_map_mode: bool,
    /// A non-literal `import()` is an error, not a warning.
    pub deny_non_literal_imports: bool,
    /// Where Sass looks for what `@use` and `@import` name outside the asset dirs.
    pub sass_load_paths: Vec<std::path::PathBuf>,
    /// How `.jsx` and `.tsx` compile their elements.
    pub jsx: Option<crate::config::Jsx>,
    /// The Tailwind CSS CLI and its entries. Not part of the key: an entry's output depends
    /// on every file the CLI scans, so it is never cached.
    #[serde(skip)]
    pub tailwind: Option<Tailwind>,
}

impl TransformOptions {
    /// The transform settings of a build.
    pub fn new(settings: &Settings) -> TransformOptions {
        TransformOptions {
            minify: settings.minify,
            source_maps: settings.source_maps,
            hash_len: settings.hash_len,
            mount_path: settings.mount_path().to_string(),
            targets: settings.targets.clone(),
            warn_only: settings.warn_only,
            inline_css_imports: settings.inline_css_imports,
            parse_unminified: settings.parse_unminified,
            import_map_mode: settings.js_imports == crate::config::JsImports::ImportMap,
            deny_non_literal_imports: settings.deny_non_literal_imports,
            sass_load_paths: settings.sass_load_paths.clone(),
            tailwind: settings.tailwind.clone(),
            jsx: settings.jsx.clone(),
        }
    }

    /// Whether a stylesheet is kept as written, with only its references replaced: when it is
    /// not minified, not lowered and its imports are not inlined (which needs lightningcss's
    /// bundler).
    pub fn css_as_written(&self) -> bool {
        !self.minify && !self.parse_unminified && !self.inline_css_imports
    }

    /// Whether a script is scanned by the lexer and kept as written: when it is not minified
    /// and the full parser is not asked for.
    pub fn js_as_written(&self) -> bool {
        !self.minify && !self.parse_unminified
    }

    /// The Tailwind set-up, when `logical` is one of its entries.
    pub fn tailwind_entry(&self, logical: &str) -> Option<&Tailwind> {
        let tailwind = self.tailwind.as_ref()?;
        tailwind
            .entries
            .iter()
            .any(|e| e == logical)
            .then_some(tailwind)
    }

    /// Whether a file of `kind` is kept as written: scanned, not parsed. Its transform then
    /// costs about what reading it back from the cache would, so it is not cached.
    pub fn as_written(&self, kind: Kind) -> bool {
        match kind {
            Kind::Css => self.css_as_written(),
            Kind::Js => self.js_as_written(),
            // TypeScript and Sass are always compiled.
            Kind::Ts | Kind::Sass | Kind::Other => false,
        }
    }
}
