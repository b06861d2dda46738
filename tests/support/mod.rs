//! Helpers shared by the upload tests. Each test binary uses a part of them.
#![allow(dead_code)]

pub mod azurite;
pub mod deltas;
pub mod example_app;
pub mod fixture;
pub mod gcs;
pub mod moto;
pub mod pipeline;
pub mod s3;
pub mod stores;
pub mod synthetic;

use assetlock::upload::object_store::path::Path;
use assetlock::upload::object_store::{Attribute, Attributes, ObjectStore, ObjectStoreExt};
use assetlock::upload::{Options, Progress};

/// `options` without progress output.
pub fn quiet(options: Options) -> Options {
    options.progress(Progress::Hidden)
}

/// GETs `prefix/key`: its bytes and headers.
pub async fn get(store: &dyn ObjectStore, prefix: &str, key: &str) -> (Vec<u8>, Attributes) {
    let path = Path::parse(format!("{prefix}/{key}")).unwrap();
    let result = store.get(&path).await.unwrap();
    let attributes = result.attributes.clone();
    (result.bytes().await.unwrap().to_vec(), attributes)
}

/// One header of a GET's attributes.
pub fn header<'a>(attributes: &'a Attributes, name: &Attribute) -> Option<&'a str> {
    attributes.get(name).map(|v| v.as_ref())
}

/// The fixture site's server with `fallback`, on an ephemeral loopback port, for the rest of
/// the test.
#[cfg(feature = "fallback")]
pub async fn serve_with_fallback(fallback: assetlock::serve::Fallback) -> std::net::SocketAddr {
    serve_build_with_fallback(&fixture_site::MANIFEST, fallback).await
}

/// The server of the build `manifest` with `fallback`, on an ephemeral loopback port, for the
/// rest of the test.
#[cfg(feature = "fallback")]
pub async fn serve_build_with_fallback(
    manifest: &'static assetlock::Manifest,
    fallback: assetlock::serve::Fallback,
) -> std::net::SocketAddr {
    let app = assetlock::serve::ServeAssets::new(manifest)
        .fallback(fallback)
        .into_router();
    assetlock_test_support::loopback::serve(app).await
}
