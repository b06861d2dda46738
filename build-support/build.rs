// Records the optimisation level this crate is compiled with, so a build script that links it
// unoptimised (cargo's default for build dependencies) can say how to fix that.
#[allow(clippy::disallowed_methods)] // the build script of the crate itself, not of its users
fn main() {
    let level = std::env::var("OPT_LEVEL").unwrap_or_default();
    println!("cargo::rustc-env=ASSETLOCK_BUILD_OPT_LEVEL={level}");
    println!("cargo::rerun-if-env-changed=OPT_LEVEL");
}
