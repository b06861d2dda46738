//! moto's server on a loopback port: a second S3 implementation (and an STS), started per
//! test, one at a time.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use assetlock::upload::Destination;
use assetlock::upload::object_store::aws::AmazonS3Builder;

pub const BUCKET: &str = "moto-assets";

/// A `moto_server` child process, killed when dropped.
/// One moto server at a time: a port found free can be handed to a parallel test before its
/// server binds it, and two servers on one port would answer each other's tests.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

pub struct Moto {
    child: Child,
    pub endpoint: String,
    _alone: MutexGuard<'static, ()>,
}

impl Moto {
    /// Starts moto on a free loopback port; `None` when it is not installed.
    fn start() -> Option<Moto> {
        let alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let spawned = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            // moto reads the AWS environment too: a profile a test set up is not its own.
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_DEFAULT_PROFILE")
            .env_remove("AWS_CONFIG_FILE")
            .env_remove("AWS_SHARED_CREDENTIALS_FILE")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = match spawned {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => panic!("cannot start moto_server: {e}"),
        };
        let moto = Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            _alone: alone,
        };
        for _ in 0..300 {
            if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
                return Some(moto);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("moto_server did not listen on port {port} within 30 s");
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `s3://moto-assets/assets` on a fresh bucket.
pub async fn destination(moto: &Moto) -> Destination {
    let created = reqwest::Client::new()
        .put(format!("{}/{BUCKET}", moto.endpoint))
        .send()
        .await
        .unwrap();
    assert!(
        created.status().is_success(),
        "creating the bucket: {}",
        created.status()
    );
    let builder = AmazonS3Builder::new()
        .with_endpoint(&moto.endpoint)
        .with_bucket_name(BUCKET)
        .with_region("us-east-1")
        .with_access_key_id("testing")
        .with_secret_access_key("testing")
        .with_allow_http(true);
    Destination::s3(builder, "assets").unwrap()
}

/// Moto, or `None` after saying why the test is skipped.
pub fn moto_or_skip() -> Option<Moto> {
    let moto = Moto::start();
    let install = "pip install 'moto[server]'";
    let present = assetlock_test_support::tools::available("moto_server", moto.is_some(), install);
    moto.filter(|_| present)
}
