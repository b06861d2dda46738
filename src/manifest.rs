//! The compiled-in map from logical paths and hashed URLs to assets.

use assetlock_contract::{path_key, url};

use crate::Asset;

/// The assets of one build, defined as `MANIFEST` by [`include_manifest!`](crate::include_manifest).
///
/// Lookups are perfect-hash maps compiled into the binary: no allocation, no I/O.
///
/// ```
/// # mod demo { assetlock::__doc_manifest!(); }
/// # use demo::MANIFEST;
/// let css = MANIFEST.get("css/app.css").unwrap();
/// assert!(std::ptr::eq(MANIFEST.by_url(css.url()).unwrap(), css));
/// assert!(std::ptr::eq(MANIFEST.by_url(css.hashed_path()).unwrap(), css));
/// assert!(MANIFEST.get("css/missing.css").is_none());
/// assert_eq!(MANIFEST.iter().count(), MANIFEST.len());
/// assert_eq!(MANIFEST.build_id().len(), 16);
/// ```
#[derive(Debug)]
pub struct Manifest {
    build_id: &'static str,
    url_prefix: &'static str,
    assets: &'static [Asset],
    /// `path_key` of each logical path -> index in `assets`.
    by_logical: &'static phf::Map<u64, u32>,
    /// `path_key` of each hashed path -> index in `assets`.
    by_path: &'static phf::Map<u64, u32>,
    /// The page's import map (JSON).
    import_map: &'static str,
    /// For each asset (by index), the modules it loads at once; empty when none does.
    preloads: &'static [&'static [&'static Asset]],
    /// Live dev mode: the source dirs whose current bytes are served; empty when locked.
    live: &'static [&'static str],
    /// Live dev mode: the build script that compiles TypeScript, Sass and Tailwind CSS
    /// sources, as `assetlock_contract::live::Compiler` text; empty when there is none.
    live_compiler: &'static str,
    /// The deploy keys whose signed release records this build trusts.
    trusted_keys: &'static [&'static str],
}

impl Manifest {
    #[doc(hidden)]
    pub const fn __new(
        build_id: &'static str,
        url_prefix: &'static str,
        assets: &'static [Asset],
        by_logical: &'static phf::Map<u64, u32>,
        by_path: &'static phf::Map<u64, u32>,
    ) -> Manifest {
        Manifest {
            build_id,
            url_prefix,
            assets,
            by_logical,
            by_path,
            import_map: r#"{"imports":{},"integrity":{}}"#,
            preloads: &[],
            live: &[],
            live_compiler: "",
            trusted_keys: &[],
        }
    }

    /// Live dev mode (`Config::live` in a debug profile): each asset is served from the first
    /// of these source dirs that holds it. Generated code calls it only in live builds.
    #[doc(hidden)]
    pub const fn __with_live(self, roots: &'static [&'static str]) -> Manifest {
        Manifest {
            live: roots,
            ..self
        }
    }

    /// Live dev mode: the build script that compiles the sources a browser cannot read as
    /// they are (`assetlock_contract::live::Compiler` text). Generated code calls it only in
    /// live builds run by cargo.
    #[doc(hidden)]
    pub const fn __with_live_compiler(self, compiler: &'static str) -> Manifest {
        Manifest {
            live_compiler: compiler,
            ..self
        }
    }

    /// The live build's compiler (empty when locked or when there is none).
    #[doc(hidden)]
    pub fn __live_compiler(&self) -> &'static str {
        if self.is_live() {
            self.live_compiler
        } else {
            ""
        }
    }

    /// Whether this build serves the current bytes of its assets from the source tree
    /// (`Config::live` in a debug profile). URLs are then logical paths under the prefix and
    /// integrity values are empty; a release build is always locked and returns `false`.
    ///
    /// ```
    /// # mod demo { assetlock::__doc_manifest!(); }
    /// # use demo::MANIFEST;
    /// assert!(!MANIFEST.is_live());
    /// ```
    pub fn is_live(&self) -> bool {
        cfg!(debug_assertions) && !self.live.is_empty()
    }

    /// The deploy keys the build was told to trust (`Config::trusted_release_keys`). Generated
    /// code calls it only when there are some.
    #[doc(hidden)]
    pub const fn __with_trusted_keys(self, keys: &'static [&'static str]) -> Manifest {
        Manifest {
            trusted_keys: keys,
            ..self
        }
    }

    /// The public deploy keys (`ed25519:...`) whose signed release records this build trusts,
    /// compiled in at build time (`Config::trusted_release_keys`,
    /// `ASSETLOCK_TRUSTED_RELEASE_KEYS`); empty when it trusts whatever the bucket holds.
    ///
    /// ```
    /// # mod demo { assetlock::__doc_manifest!(); }
    /// # use demo::MANIFEST;
    /// assert!(MANIFEST.trusted_release_keys().is_empty());
    /// ```
    pub fn trusted_release_keys(&self) -> &'static [&'static str] {
        self.trusted_keys
    }

    /// Whether the build generated a live manifest (logical URLs, bytes from the source
    /// tree), whether or not this binary serves it live.
    #[cfg(feature = "upload")]
    pub(crate) fn built_live(&self) -> bool {
        !self.live.is_empty()
    }

    /// The `<script>` tag of the live-reload client for a page's `<head>` in a live build
    /// (it swaps an edited stylesheet in place and reloads the page on other edits); `None`
    /// when the build is locked, so a release page never carries it.
    ///
    /// ```
    /// # mod demo { assetlock::__doc_manifest!(); }
    /// # use demo::MANIFEST;
    /// let head = format!("<title>x</title>{}", MANIFEST.live_script().unwrap_or_default());
    /// assert_eq!(head, "<title>x</title>");
    /// ```
    pub fn live_script(&self) -> Option<String> {
        self.is_live().then(|| {
            format!(
                r#"<script src="{}__assetlock/live.js"></script>"#,
                self.mount_path()
            )
        })
    }

    /// Whether `asset` is a public file of this manifest. In a live build every asset keeps
    /// its logical path, as public files do; only a public file's URL is outside the prefix
    /// (it is served from the site root, and the build refuses public files under the mount).
    #[doc(hidden)]
    pub fn __is_public(&self, asset: &Asset) -> bool {
        asset.is_public() && !asset.url().starts_with(self.url_prefix)
    }

    /// The source dirs of a live build (empty when locked).
    #[doc(hidden)]
    pub fn __live_roots(&self) -> &'static [&'static str] {
        if self.is_live() { self.live } else { &[] }
    }

    #[doc(hidden)]
    pub const fn __with_modules(
        self,
        import_map: &'static str,
        preloads: &'static [&'static [&'static Asset]],
    ) -> Manifest {
        Manifest {
            import_map,
            preloads,
            ..self
        }
    }

    /// The import map of the build's JS modules, as JSON for a `<script type="importmap">`
    /// (see [`html::import_map`](crate::html::import_map)): `imports` maps each module's
    /// logical URL (`/assets/js/app.js`) and each alias set with `Config::import_alias` to the
    /// hashed URL, `integrity` each hashed URL to its SRI value, so that modules loaded with
    /// `import()` are integrity-checked too. The text never contains `<`.
    ///
    /// ```
    /// # mod demo { assetlock::__doc_manifest!(); }
    /// # use demo::MANIFEST;
    /// let js = MANIFEST.get("js/app.js").unwrap();
    /// let map = MANIFEST.import_map();
    /// assert!(map.contains(&format!(r#""/assets/js/app.js":"{}""#, js.url())));
    /// assert!(map.contains(&format!(r#""{}":"{}""#, js.url(), js.integrity())));
    /// ```
    pub const fn import_map(&self) -> &'static str {
        self.import_map
    }

    /// The JS modules `entry` loads at once: its static imports, theirs, and so on, each once,
    /// in the order the browser meets them; computed at build time. Preload them with
    /// [`html::modulepreload`](crate::html::modulepreload) tags or a `Link` header
    /// ([`html::link_header`](crate::html::link_header)) so the browser fetches the whole
    /// graph in parallel instead of one level at a time.
    pub fn preloads(&self, entry: &Asset) -> &'static [&'static Asset] {
        self.by_logical
            .get(&path_key(entry.logical_path()))
            .and_then(|&i| self.preloads.get(i as usize))
            .copied()
            .unwrap_or_default()
    }

    /// The asset with this logical path (relative to its asset dir, `/`-separated).
    pub fn get(&self, logical_path: &str) -> Option<&'static Asset> {
        let asset = self
            .assets
            .get(*self.by_logical.get(&path_key(logical_path))? as usize)?;
        (asset.logical_path() == logical_path).then_some(asset)
    }

    /// The intrinsic size, variants and placeholder of the image at this logical path
    /// ([`Asset::image`]); `None` for a path that is no asset or no image with a size.
    ///
    /// ```
    /// # mod demo { assetlock::__doc_manifest!(); }
    /// # use demo::MANIFEST;
    /// let photo = MANIFEST.image("img/photo.png").unwrap();
    /// let style = format!("aspect-ratio: {} / {}", photo.width(), photo.height());
    /// assert_eq!(style, "aspect-ratio: 64 / 48");
    /// ```
    pub fn image(&self, logical_path: &str) -> Option<&'static crate::Image> {
        self.get(logical_path)?.image()
    }

    /// The asset served at `url`: a full URL as [`Asset::url`] gives it, the same URL's path
    /// (without a CDN host), or a hashed path. Percent-encoded and plain forms both match.
    pub fn by_url(&self, url: &str) -> Option<&'static Asset> {
        let path = self.strip_prefix(url);
        self.by_hashed_path(path)
            .or_else(|| self.by_hashed_path(&url::decode_path(path)?))
            .or_else(|| self.public_by_url(url))
    }

    /// The public file served at `url` (`/favicon.ico`): public files live at the site root,
    /// outside the URL prefix.
    fn public_by_url(&self, url: &str) -> Option<&'static Asset> {
        let path = url.strip_prefix('/')?;
        let asset = self
            .by_hashed_path(path)
            .or_else(|| self.by_hashed_path(&url::decode_path(path)?))?;
        self.__is_public(asset).then_some(asset)
    }

    /// The asset whose hashed path is exactly `hashed_path` (not percent-encoded).
    pub fn by_hashed_path(&self, hashed_path: &str) -> Option<&'static Asset> {
        let asset = self
            .assets
            .get(*self.by_path.get(&path_key(hashed_path))? as usize)?;
        (asset.hashed_path() == hashed_path).then_some(asset)
    }

    /// All assets, sorted by logical path.
    pub fn iter(&self) -> std::slice::Iter<'static, Asset> {
        self.assets.iter()
    }

    /// The number of assets.
    pub const fn len(&self) -> usize {
        self.assets.len()
    }

    /// Whether the build has no assets.
    pub const fn is_empty(&self) -> bool {
        self.assets.is_empty()
    }

    /// The build's identity: a hash of its asset set, the same for the same inputs on any
    /// machine. The uploader names the release record after it.
    pub const fn build_id(&self) -> &'static str {
        self.build_id
    }

    /// The prefix every [`Asset::url`] starts with, e.g. `/assets/` or
    /// `https://cdn.example.com/assets/`.
    pub const fn url_prefix(&self) -> &'static str {
        self.url_prefix
    }

    /// The path part of the URL prefix: `/assets/` for both `/assets/` and
    /// `https://cdn.example.com/assets/`. This is where a server mounts the assets.
    pub fn mount_path(&self) -> &'static str {
        url::mount_path(self.url_prefix)
    }

    fn strip_prefix<'a>(&self, url: &'a str) -> &'a str {
        url.strip_prefix(self.url_prefix)
            .or_else(|| url.strip_prefix(self.mount_path()))
            .unwrap_or(url)
    }
}

impl IntoIterator for &'static Manifest {
    type Item = &'static Asset;
    type IntoIter = std::slice::Iter<'static, Asset>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}
