//! JSX: how `.jsx` and `.tsx` modules compile their elements.

use serde::Serialize;

use super::Config;

/// How JSX elements compile, for [`Config::jsx`].
///
/// ```
/// use assetlock_build::Jsx;
///
/// // `<p>hi</p>` becomes `h("p", null, "hi")`, with `h` in scope in each module.
/// let classic = Jsx::classic("h", "Fragment");
/// // `<p>hi</p>` becomes `jsx("p", { children: "hi" })`, imported from `preact/jsx-runtime`.
/// let automatic = Jsx::automatic("preact");
/// # let _ = (classic, automatic);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Jsx {
    /// Each element calls a function the module brings into scope itself.
    Classic {
        /// What an element calls: `h`, `React.createElement`.
        pragma: String,
        /// What a fragment (`<>...</>`) is: `Fragment`, `React.Fragment`.
        pragma_frag: String,
    },
    /// Elements call the functions of `<import_source>/jsx-runtime`, which the compiled module
    /// imports: a bare specifier, for the page's import map to resolve
    /// ([`Config::import_alias`]).
    Automatic {
        /// The package of the runtime: `react`, `preact`.
        import_source: String,
    },
}

impl Jsx {
    /// The classic runtime: `pragma` for elements, `pragma_frag` for fragments.
    pub fn classic(pragma: impl Into<String>, pragma_frag: impl Into<String>) -> Jsx {
        Jsx::Classic {
            pragma: pragma.into(),
            pragma_frag: pragma_frag.into(),
        }
    }

    /// The automatic runtime of `import_source` (`react`, `preact`, `solid-js/h`).
    pub fn automatic(import_source: impl Into<String>) -> Jsx {
        Jsx::Automatic {
            import_source: import_source.into(),
        }
    }
}

impl Config {
    /// Compiles `.jsx` and `.tsx` modules with this JSX runtime (default: none, and such a
    /// module is an error that asks for one). They are served as JavaScript, as `.ts` is.
    ///
    /// ```no_run
    /// use assetlock_build::{Config, Jsx};
    ///
    /// Config::new()
    ///     .asset_dir("assets")
    ///     .jsx(Jsx::automatic("preact"))
    ///     .import_alias("preact/jsx-runtime", "vendor/preact/jsx-runtime.js")
    ///     .compile();
    /// ```
    pub fn jsx(&mut self, jsx: Jsx) -> &mut Self {
        self.jsx = Some(jsx);
        self
    }
}
