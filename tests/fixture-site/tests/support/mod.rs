//! Helpers shared by the serving tests: a server on a loopback port and a plain HTTP client.
#![allow(dead_code)]

#[allow(unused_imports)] // only the serving matrix runs actix
pub use assetlock_test_support::actix_server;

use std::net::SocketAddr;

use assetlock::Asset;
use assetlock::serve::ServeAssets;
use fixture_site::MANIFEST;
use reqwest::header::{self, HeaderMap, HeaderValue};

/// Serves the fixture's assets on an ephemeral loopback port for the rest of the test.
pub async fn server() -> SocketAddr {
    serve(ServeAssets::new(&MANIFEST)).await
}

/// Serves `assets` on an ephemeral loopback port for the rest of the test.
pub async fn serve(assets: ServeAssets) -> SocketAddr {
    assetlock_test_support::loopback::serve(assets.into_router()).await
}

pub fn client() -> reqwest::Client {
    // No automatic decompression: the tests look at the bytes on the wire.
    reqwest::Client::builder().build().unwrap()
}

pub fn large() -> &'static Asset {
    MANIFEST.get("css/large.css").unwrap()
}

pub async fn get(
    addr: SocketAddr,
    path: &str,
    headers: &[(header::HeaderName, &str)],
) -> reqwest::Response {
    let mut request = client().get(format!("http://{addr}{path}"));
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    request.send().await.unwrap()
}

pub fn header(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers
        .get(name)
        .and_then(|v: &HeaderValue| v.to_str().ok())
}
