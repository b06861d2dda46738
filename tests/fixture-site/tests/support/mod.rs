//! Helpers shared by the serving tests: a server on a loopback port and a plain HTTP client.
#![allow(dead_code)]

#[path = "../../../support/actix.rs"]
mod actix;
#[allow(unused_imports)] // only the serving matrix runs actix
pub use actix::actix_server;

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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = assets.into_router();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
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
