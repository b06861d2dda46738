//! Assets across crates in the generated code: the marker of a library's build, which its
//! macros read, and the registration of an app's manifest, which a library's code looks its
//! assets up in at run time.

use crate::settings::crates::Library;

/// The library marker's text: the crate's name and version, one per line.
pub(crate) fn marker(library: &Library) -> String {
    format!("{}\n{}\n", library.name, library.version)
}

/// Registers `MANIFEST` where the dependency crates' code finds it (not on WebAssembly,
/// which has no linker sections; a library there gives the URLs of its own build).
pub(crate) const REGISTER: &str = "
#[cfg(not(target_family = \"wasm\"))]
#[::assetlock::__private::linkme::distributed_slice(::assetlock::__private::MANIFESTS)]
#[linkme(crate = ::assetlock::__private::linkme)]
static __ASSETLOCK_REGISTERED: &::assetlock::Manifest = &MANIFEST;
";
