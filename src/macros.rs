//! `include_manifest!` and the hidden macro behind the documentation examples.

/// Defines `MANIFEST`, this build's [`Manifest`](crate::Manifest), from the code that
/// `assetlock-build` wrote to `$OUT_DIR` in the crate's build script.
///
/// Invoke it once, at module level, in a crate whose `build.rs` runs
/// `assetlock_build::Config::new().asset_dir("assets").compile()`. It expands to
/// `pub static MANIFEST: assetlock::Manifest`.
///
/// ```ignore
/// assetlock::include_manifest!();
///
/// fn stylesheet() -> &'static str {
///     MANIFEST.get("css/app.css").unwrap().url()
/// }
/// ```
#[macro_export]
macro_rules! include_manifest {
    () => {
        ::core::include!(::core::concat!(::core::env!("OUT_DIR"), "/assetlock.rs"));
    };
}

/// The manifest of a small demo build, for this crate's documentation examples.
#[doc(hidden)]
#[macro_export]
macro_rules! __doc_manifest {
    () => {
        ::core::include!(::core::concat!(
            ::core::env!("CARGO_MANIFEST_DIR"),
            "/src/doc/assetlock.rs"
        ));
    };
}
