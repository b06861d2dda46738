//! Which transform a file gets, from its name.

/// Which transform a file gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Css,
    Js,
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
            _ => Kind::Other,
        }
    }
}
