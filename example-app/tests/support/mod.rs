//! Starts the example app on an ephemeral loopback port.
#![allow(dead_code)]

use std::net::SocketAddr;

pub async fn start() -> SocketAddr {
    assetlock_test_support::loopback::serve(example_app::app()).await
}
