//! Azurite, Azure Blob Storage's emulator (npm `azurite`), on a loopback port: one per test
//! binary, shared by its tests, each test in a container of its own. It stops when the test
//! process ends.
//!
//! Stores reach it as `upload-assets` does, from the environment: starting it sets
//! `AZURE_STORAGE_USE_EMULATOR=true` and `AZURITE_BLOB_STORAGE_URL` for the whole process, once,
//! before any test of the binary builds a store.

use std::net::{Ipv4Addr, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use assetlock::upload::Destination;
use assetlock::upload::object_store::ObjectStore;
use assetlock::upload::object_store::azure::MicrosoftAzureBuilder;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The emulator's account and its well-known key.
pub const ACCOUNT: &str = "devstoreaccount1";
pub const KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// The emulator's blob endpoint, started on first use; `None` when `azurite-blob` is not
/// installed (see `assetlock_test_support::tools`).
pub fn endpoint() -> Option<&'static str> {
    static ENDPOINT: OnceLock<Option<String>> = OnceLock::new();
    let found = ENDPOINT.get_or_init(start).as_deref();
    let install = "npm install -g azurite";
    assetlock_test_support::tools::available("azurite-blob", found.is_some(), install)
        .then_some(found)
        .flatten()
}

fn start() -> Option<String> {
    if !assetlock_test_support::tools::program("azurite-blob") {
        return None;
    }
    let port = assetlock_test_support::loopback::free_port();
    let dir = std::env::temp_dir().join(format!("azurite-{}-{port}", std::process::id()));
    // Azurite ends when this process does: the shell kills it once its stdin (our pipe) closes.
    let script = format!(
        "azurite-blob --blobHost 127.0.0.1 --blobPort {port} --location '{}' --silent \
         --skipApiVersionCheck & pid=$!; cat >/dev/null; kill $pid; rm -rf '{}'",
        dir.display(),
        dir.display()
    );
    let child = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    // The pipe stays open for the life of the process.
    std::mem::forget(child);
    for _ in 0..300 {
        if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
            let url = format!("http://127.0.0.1:{port}");
            // SAFETY: set once, inside the OnceLock every test of the binary waits on before it
            // reads the environment, to the values every test uses.
            unsafe {
                std::env::set_var("AZURITE_BLOB_STORAGE_URL", &url);
                std::env::set_var("AZURE_STORAGE_USE_EMULATOR", "true");
            }
            return Some(url);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("azurite-blob did not listen on port {port} within 30 s");
}

/// A new empty container on the emulator, `None` (the test skips) when Azurite is not installed.
pub async fn container_or_skip() -> Option<String> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let endpoint = endpoint()?;
    let id = NEXT.fetch_add(1, Ordering::SeqCst);
    let container = format!("c{}-{id}", std::process::id());
    create_container(endpoint, &container).await;
    Some(container)
}

/// Creates `container` (a Shared Key request, as Azure's clients sign it).
async fn create_container(endpoint: &str, container: &str) {
    let date = httpdate(std::time::SystemTime::now());
    let version = "2021-08-06";
    let resource = format!("/{ACCOUNT}/{ACCOUNT}/{container}\nrestype:container");
    let headers = format!("x-ms-date:{date}\nx-ms-version:{version}");
    let to_sign = format!("PUT\n\n\n\n\n\n\n\n\n\n\n\n{headers}\n{resource}");
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &STANDARD.decode(KEY).unwrap());
    let signature = STANDARD.encode(ring::hmac::sign(&key, to_sign.as_bytes()));
    let response = reqwest::Client::new()
        .put(format!(
            "{endpoint}/{ACCOUNT}/{container}?restype=container"
        ))
        .header("x-ms-date", date)
        .header("x-ms-version", version)
        .header("authorization", format!("SharedKey {ACCOUNT}:{signature}"))
        .header("content-length", "0")
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "creating container {container}: {} {}",
        response.status(),
        response.text().await.unwrap_or_default()
    );
}

/// `az://<container>/<prefix>`, read from the environment as `upload-assets` reads it.
pub fn destination(container: &str, prefix: &str) -> Destination {
    Destination::from_url(&format!("az://{container}/{prefix}")).unwrap()
}

/// The container's store, configured by hand, for what a test does behind the uploader's
/// back.
pub fn store(container: &str) -> Arc<dyn ObjectStore> {
    let store = MicrosoftAzureBuilder::new()
        .with_use_emulator(true)
        .with_account(ACCOUNT)
        .with_access_key(KEY)
        .with_container_name(container)
        .build()
        .unwrap();
    Arc::new(store)
}

/// An HTTP date (RFC 9110 IMF-fixdate), as Shared Key signs it.
fn httpdate(time: std::time::SystemTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = time
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (h, m, s) = (rest / 3600, rest % 3600 / 60, rest % 60);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {day:02} {} {year} {h:02}:{m:02}:{s:02} GMT",
        DAYS[(days % 7) as usize],
        MONTHS[(month - 1) as usize]
    )
}
