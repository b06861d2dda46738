//! Runs the example site on 127.0.0.1:3000 (`PORT` overrides the port).
//!
//! With `ASSETLOCK_FALLBACK=s3://bucket/prefix` (or `file:///dir`: where `upload-assets`
//! uploads), the server also answers for the assets of every other release in that bucket, as
//! each server of a fleet should during a rolling deploy. Log lines go to stderr (`RUST_LOG`
//! sets the level, `info` by default).

use std::net::{Ipv4Addr, SocketAddr};

use assetlock::serve::{FALLBACK_ENV, Fallback};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port = match std::env::var("PORT") {
        Ok(port) => port.parse().map_err(|_| {
            std::io::Error::other(format!("PORT must be a port number, got `{port}`"))
        })?,
        Err(_) => 3000,
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let fallback = Fallback::from_env().map_err(|e| std::io::Error::other(e.to_string()))?;
    let fallback_note = match &fallback {
        Some(_) => format!(
            ", other releases from {}",
            std::env::var(FALLBACK_ENV).unwrap_or_default()
        ),
        None => String::new(),
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!(
        "assetlock example: http://{} (build {}, {} assets{fallback_note})",
        listener.local_addr()?,
        example_app::MANIFEST.build_id(),
        example_app::MANIFEST.len()
    );
    axum::serve(listener, example_app::app_with(fallback)).await
}
