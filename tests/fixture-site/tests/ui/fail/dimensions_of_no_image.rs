use assetlock::asset_dimensions;

fn main() {
    let _ = asset_dimensions!("css/app.css");
    let _ = asset_dimensions!("img/logo.svgg");
}
