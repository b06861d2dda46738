//! Starts the example app on an ephemeral loopback port.
#![allow(dead_code)]

use std::net::SocketAddr;

pub async fn start() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, example_app::app()).await.unwrap() });
    addr
}
