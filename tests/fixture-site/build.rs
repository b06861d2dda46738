use assetlock_build::DeltaCoding;

fn main() {
    // Locked in every profile: its tests check what a release serves (hashed URLs, integrity,
    // `immutable`), in the dev profile the tests build in.
    assetlock_build::Config::new()
        .asset_dir("assets")
        .public("robots.txt")
        .live(false)
        // An earlier release whose `css/large.css` differed by one line: the build makes a
        // delta against it, which the dictionary tests serve.
        .previous_releases("releases")
        .delta_codings([DeltaCoding::Dcz, DeltaCoding::Dcb])
        .compile();
}
