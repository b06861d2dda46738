fn main() {
    // The asset dirs come from `[package.metadata.assetlock]` in Cargo.toml.
    assetlock_build::Config::new().library().compile();
}
