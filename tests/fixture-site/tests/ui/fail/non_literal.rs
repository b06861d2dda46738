use assetlock::asset_url;

fn main() {
    let name = "css/app.css";
    let _ = asset_url!(name);
}
