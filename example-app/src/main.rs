//! Runs the example site on 127.0.0.1:3000 (`PORT` overrides the port).

use std::net::{Ipv4Addr, SocketAddr};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port = match std::env::var("PORT") {
        Ok(port) => port.parse().map_err(|_| {
            std::io::Error::other(format!("PORT must be a port number, got `{port}`"))
        })?,
        Err(_) => 3000,
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!(
        "assetlock example: http://{} (build {}, {} assets)",
        listener.local_addr()?,
        example_app::MANIFEST.build_id(),
        example_app::MANIFEST.len()
    );
    axum::serve(listener, example_app::app()).await
}
