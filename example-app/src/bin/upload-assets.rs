//! Uploads the assets this app was built with:
//! `cargo run --release --bin upload-assets -- s3://my-bucket/assets` (see `--help`).

assetlock::include_manifest!();

fn main() -> std::process::ExitCode {
    assetlock::upload::main(&MANIFEST)
}
