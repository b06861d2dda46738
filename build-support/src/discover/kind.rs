//! Which transform a file gets, from its name.

/// Which transform a file gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Css,
    Js,
    /// TypeScript (`.ts`, `.mts`), compiled to JavaScript; declaration files (`.d.ts`) are
    /// [`Kind::Other`].
    Ts,
    Other,
}

impl Kind {
    pub fn of(logical: &str) -> Kind {
        let extension = logical
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase());
        match extension.as_deref() {
            Some("css") => Kind::Css,
            Some("js" | "mjs") => Kind::Js,
            // The names the contract serves as JavaScript: lower-case, not declarations.
            Some("ts" | "mts") if assetlock_contract::naming::served_name(logical) != logical => {
                Kind::Ts
            }
            _ => Kind::Other,
        }
    }

    /// A script: JavaScript, or TypeScript compiled to it.
    pub fn is_script(self) -> bool {
        matches!(self, Kind::Js | Kind::Ts)
    }
}
