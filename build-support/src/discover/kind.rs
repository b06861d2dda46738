//! Which transform a file gets, from its name.

use assetlock_contract::naming::served_name;

/// Which transform a file gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Css,
    Js,
    /// TypeScript or JSX (`.ts`, `.mts`, `.tsx`, `.jsx`), compiled to JavaScript; declaration
    /// files (`.d.ts`) are [`Kind::Other`].
    Ts,
    /// Sass (`.scss`, `.sass`), compiled to CSS. A partial (`_name.scss`) is an input of the
    /// entries that use it, never an output ([`is_partial`]).
    Sass,
    Other,
}

impl Kind {
    pub fn of(logical: &str) -> Kind {
        let extension = logical
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase());
        // Compiled kinds are the names the contract serves under another name: lower-case,
        // not declarations.
        let compiled = || served_name(logical) != logical;
        match extension.as_deref() {
            Some("css") => Kind::Css,
            Some("js" | "mjs") => Kind::Js,
            Some("ts" | "mts" | "tsx" | "jsx") if compiled() => Kind::Ts,
            Some("scss" | "sass") if compiled() => Kind::Sass,
            _ => Kind::Other,
        }
    }

    /// A script: JavaScript, or TypeScript compiled to it.
    pub fn is_script(self) -> bool {
        matches!(self, Kind::Js | Kind::Ts)
    }
}

/// A Sass partial (`_name.scss`): read by the stylesheets that `@use` or `@import` it, never
/// compiled alone or served.
pub(crate) fn is_partial(logical: &str) -> bool {
    let name = logical.rsplit('/').next().unwrap_or(logical);
    name.starts_with('_') && Kind::of(logical) == Kind::Sass
}
