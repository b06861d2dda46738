//! An actix-web server for `ServeAssets`, on a thread of its own: actix runs its own
//! single-threaded runtime, beside the test's tokio one.

use std::net::SocketAddr;

use assetlock::serve::ServeAssets;

/// Serves `assets` with actix-web on an ephemeral loopback port, for the rest of the test
/// process.
pub fn actix_server(assets: ServeAssets) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            actix_web::HttpServer::new(move || {
                actix_web::App::new().configure(assets.clone().into_actix())
            })
            .workers(1)
            .disable_signals()
            .listen(listener)
            .unwrap()
            .run()
            .await
            .unwrap();
        });
    });
    addr
}
