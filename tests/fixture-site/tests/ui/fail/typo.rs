use assetlock::asset_url;

fn main() {
    let _ = asset_url!("css/ap.css");
}
