//! Live dev mode: the current bytes of each asset, read from the source tree on every request.
//!
//! Compiled only with `debug_assertions`, and used only when the build generated a live
//! manifest (`Config::live` in a debug profile): a release binary holds none of it. Request
//! paths are looked up in the manifest first, so only files the build knew are ever read, and
//! a path can never leave the source dirs. TypeScript, Sass and Tailwind CSS sources are
//! [`compile`]d by the build script first.

mod compile;
mod events;
mod service;

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, Response, StatusCode};
use sha2::{Digest, Sha256};

use super::REVALIDATE;
use super::response::{self, Plan, Policy, Representations};
use crate::{Asset, Manifest};

/// The path, under the mount, of the live-reload client script.
pub(super) const CLIENT: &str = "__assetlock/live.js";
/// The path, under the mount, of the server-sent events stream of changes.
pub(super) const EVENTS: &str = "__assetlock/events";

const CLIENT_JS: &str = include_str!("client.js");

/// The answer for a path relative to the mount, if live mode has one.
pub(super) fn respond(
    manifest: &'static Manifest,
    policy: &Policy,
    method: &Method,
    relative: &str,
    headers: &HeaderMap,
    dir: Option<&Arc<Path>>,
) -> Option<Response<Body>> {
    if !manifest.is_live() {
        return None;
    }
    let policy = Policy {
        cache_control: HeaderValue::from_static(REVALIDATE),
        ..policy.clone()
    };
    match relative {
        CLIENT => Some(client(&policy)),
        EVENTS => Some(events::stream(manifest, dir.cloned())),
        _ => {
            let asset = manifest
                .by_url(relative)
                .filter(|a| !manifest.__is_public(a))?;
            Some(asset_response(
                manifest,
                dir.map(|d| &**d),
                asset,
                &policy,
                method,
                headers,
            ))
        }
    }
}

/// The file an asset's current bytes come from: in `dir` when the server names one
/// ([`ServeAssets::live_dir`](super::ServeAssets::live_dir)), else in the first of the build's
/// source dirs that holds it.
pub(super) fn source(manifest: &Manifest, dir: Option<&Path>, asset: &Asset) -> Option<PathBuf> {
    match dir {
        Some(dir) => Some(dir.join(asset.logical_path())),
        None => manifest
            .__live_roots()
            .iter()
            .map(|root| PathBuf::from(root).join(asset.logical_path()))
            .find(|path| path.is_file()),
    }
}

fn asset_response(
    manifest: &'static Manifest,
    dir: Option<&Path>,
    asset: &Asset,
    policy: &Policy,
    method: &Method,
    headers: &HeaderMap,
) -> Response<Body> {
    let bytes = if compile::is_compiled(manifest, asset) {
        match compile::output(manifest, dir, asset) {
            Ok(output) => output.into_bytes(),
            Err(error) => compile::error_body(asset.content_type(), &error).into_bytes(),
        }
    } else {
        match source(manifest, dir, asset).and_then(|path| std::fs::read(path).ok()) {
            Some(bytes) => bytes,
            None => return response::plain(policy, StatusCode::NOT_FOUND, "not found\n"),
        }
    };
    let sha256 = Sha256::digest(&bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        });
    let representations = Representations::new(asset.content_type(), &sha256);
    match response::plan(policy, method, headers, &representations) {
        Plan::Done(response) => response,
        Plan::Send(send) => send.finish(Bytes::from(bytes), policy),
    }
}

fn client(policy: &Policy) -> Response<Body> {
    let mut response = Response::new(Body::from(CLIENT_JS));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, policy.cache_control.clone());
    h.insert(header::X_CONTENT_TYPE_OPTIONS, response::NOSNIFF);
    response
}
