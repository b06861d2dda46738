//! The fleet fallback at production scale, against a real S3-compatible server over HTTP
//! (the bench's `s3-server`, or moto), driven by `bench/fallback.sh`.
//!
//! `fallback-bench fill <endpoint> <records>` stores that many synthetic releases under
//! `s3://bench/assets` (each a record, one asset of its own and three shared with the others).
//!
//! `fallback-bench catalog <endpoint> <n>` uploads release `n` with the uploader (its objects,
//! record and deploy event), which also writes the catalog of every record in the bucket.
//!
//! `fallback-bench cold <endpoint> <records>` starts a server with a `Fallback` to that bucket,
//! as a process just started would, and prints `first-newest <ms>` (its first request, for the
//! newest release's asset), `first-oldest <ms>` (then the oldest's: every record read) and
//! `index-rss <bytes>` (resident memory grown by the index of every record).
//!
//! `fallback-bench warm <endpoint> <records>` starts such a server, leaves it idle for 10 s,
//! then prints the p50 and p99 of 100 requests each: `head-*` (HEAD of random releases' assets:
//! the index alone), `get-*` (GET of the same: index and first fetch), `recent-*` (GET of the
//! newest 100 releases' assets).
//!
//! An endpoint `file:///dir` reads a local directory instead of a bucket, to show the server's
//! own cost without a bucket's.
//!
//! `fallback-bench flood <endpoint> <stats url> <mib> <requests>` stores one object of that
//! size, then sends the requests at once (half HEAD, half `Range: bytes=0-0`) to a fresh
//! server and prints `status-ok <n>`, `bucket-gets <n>` (object GETs the bucket's stats
//! counted during the flood),
//! `peak-rss <bytes>` and `peak-temp <bytes>` (the largest total of deleted temporary files
//! the process held open, sampled every 5 ms).
//!
//! The server of another build answers (this crate's bench manifest), so every asset request
//! is a fallback request. Credentials: the `s3-server` defaults, `bench`/`benchsecret`.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use assetlock::serve::{Fallback, ServeAssets};
use assetlock::upload::object_store::aws::AmazonS3Builder;
use assetlock::upload::object_store::path::Path;
use assetlock::upload::object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use assetlock::upload::{Destination, Options, Progress, Source};
use futures::StreamExt;
use sha2::{Digest, Sha256};

assetlock::include_manifest!();

const BUCKET: &str = "bench";
const PREFIX: &str = "assets";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("start the runtime");
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["fill", endpoint, records] => runtime.block_on(fill(endpoint, parse(records))),
        ["catalog", endpoint, n] => runtime.block_on(catalog(endpoint, parse(n))),
        ["cold", endpoint, records] => runtime.block_on(cold(endpoint, parse(records))),
        ["warm", endpoint, records] => runtime.block_on(warm(endpoint, parse(records))),
        ["flood", endpoint, stats, mib, requests] => {
            runtime.block_on(flood(endpoint, stats, parse(mib), parse(requests)))
        }
        _ => Err(
            "usage: fallback-bench fill|catalog|cold|warm <endpoint> <n> | flood <endpoint> \
                  <stats url> <mib> <requests>"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("fallback-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn parse(n: &str) -> usize {
    n.parse().expect("a number")
}

fn builder(endpoint: &str) -> AmazonS3Builder {
    AmazonS3Builder::new()
        .with_endpoint(endpoint)
        .with_bucket_name(BUCKET)
        .with_region("us-east-1")
        .with_access_key_id("bench")
        .with_secret_access_key("benchsecret")
        .with_allow_http(true)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hashed path and record entry of one asset.
fn asset(logical: &str, bytes: &[u8]) -> (String, serde_json::Value) {
    let sha = hex(&Sha256::digest(bytes));
    let (stem, ext) = logical.rsplit_once('.').expect("an extension");
    let path = format!("{stem}.{}.{ext}", &sha[..16]);
    let entry = serde_json::json!({
        "url": format!("/assets/{path}"), "path": path, "size": bytes.len(), "sha256": sha,
        "integrity": "sha256-x", "content_type": "text/css; charset=utf-8", "encodings": {},
    });
    (path, entry)
}

/// The own asset of release `n`: its logical path's bytes.
fn own_bytes(n: usize) -> Vec<u8> {
    format!(".release-{n} {{ color: red }}\n").into_bytes()
}

/// The bucket (or local directory) an endpoint names.
fn destination(endpoint: &str) -> Destination {
    match endpoint.starts_with("file://") {
        true => Destination::from_url(endpoint).expect("a file:// URL"),
        false => Destination::s3(builder(endpoint), PREFIX).expect("destination"),
    }
}

/// A client of the bucket, at its root.
fn store(endpoint: &str) -> Result<Arc<dyn ObjectStore>, String> {
    match endpoint.strip_prefix("file://") {
        Some(dir) => {
            let root = std::path::Path::new(dir).parent().ok_or("a directory")?;
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            let store =
                assetlock::upload::object_store::local::LocalFileSystem::new_with_prefix(root)
                    .map_err(|e| e.to_string())?;
            Ok(Arc::new(store))
        }
        None => Ok(Arc::new(
            builder(endpoint).build().map_err(|e| e.to_string())?,
        )),
    }
}

async fn put(store: &dyn ObjectStore, key: &str, bytes: Vec<u8>) -> Result<(), String> {
    let path = Path::parse(format!("{PREFIX}/{key}")).map_err(|e| e.to_string())?;
    store
        .put(&path, PutPayload::from(bytes))
        .await
        .map(|_| ())
        .map_err(|e| format!("{key}: {e}"))
}

async fn fill(endpoint: &str, records: usize) -> Result<(), String> {
    let store = store(endpoint)?;
    let shared = shared();
    for (logical, bytes) in &shared {
        put(store.as_ref(), &asset(logical, bytes).0, bytes.clone()).await?;
    }
    let started = Instant::now();
    let store = &store;
    let shared = &shared;
    let tasks = (0..records).map(|n| async move {
        let own = own_bytes(n);
        let (path, entry) = asset("css/own.css", &own);
        put(store.as_ref(), &path, own).await?;
        let mut assets = serde_json::Map::new();
        assets.insert("css/own.css".into(), entry);
        for (logical, bytes) in shared {
            assets.insert(logical.clone(), asset(logical, bytes).1);
        }
        let record = serde_json::json!({
            "format": 1, "build_id": format!("r{n:06}"), "url_prefix": "/assets/",
            "uploaded_at": "2026-01-01T00:00:00.000000Z", "assets": assets,
        });
        let key = format!(".assetlock/releases/r{n:06}.json");
        put(store.as_ref(), &key, record.to_string().into_bytes()).await
    });
    for result in join_all(tasks, 32).await {
        result?;
    }
    eprintln!("filled {records} releases in {:.1?}", started.elapsed());
    Ok(())
}

/// The shared assets of every release: (logical path, bytes).
fn shared() -> Vec<(String, Vec<u8>)> {
    (0..3)
        .map(|k| {
            (
                format!("js/shared-{k}.css"),
                format!(".k{k} {{}}\n").into_bytes(),
            )
        })
        .collect()
}

async fn catalog(endpoint: &str, n: usize) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let dist = dir.path().join("dist");
    let mut assets = serde_json::Map::new();
    let files = std::iter::once(("css/own.css".to_owned(), own_bytes(n))).chain(shared());
    for (logical, bytes) in files {
        let (path, entry) = asset(&logical, &bytes);
        let file = dist.join(&path);
        std::fs::create_dir_all(file.parent().ok_or("a parent")?).map_err(|e| e.to_string())?;
        std::fs::write(file, &bytes).map_err(|e| e.to_string())?;
        assets.insert(logical, entry);
    }
    let manifest = serde_json::json!({
        "format": 1, "build_id": format!("r{n:06}"), "url_prefix": "/assets/", "assets": assets,
    });
    let manifest_path = dir.path().join("manifest.json");
    std::fs::write(&manifest_path, manifest.to_string()).map_err(|e| e.to_string())?;
    let source = Source::from_manifest_json(&manifest_path, &dist).map_err(|e| e.to_string())?;
    let options = Options::upload().progress(Progress::Hidden);
    let started = Instant::now();
    let report = assetlock::upload::run(&source, &destination(endpoint), &options)
        .await
        .map_err(|e| e.to_string())?;
    let catalog = report.catalog().ok_or("no catalog written")?;
    eprintln!(
        "uploaded release {n} and wrote {catalog} in {:.1?}",
        started.elapsed()
    );
    Ok(())
}

/// A server with a fresh fallback, on a free loopback port.
async fn server(endpoint: &str, fallback: impl FnOnce(Fallback) -> Fallback) -> SocketAddr {
    let app = ServeAssets::new(&MANIFEST)
        .fallback(fallback(Fallback::new(destination(endpoint))))
        .into_router();
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// One request's time to its answer, which must be 200.
async fn timed(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
) -> Result<Duration, String> {
    let started = Instant::now();
    let response = client
        .request(method, url)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    response.bytes().await.map_err(|e| e.to_string())?;
    match status.as_u16() {
        200 => Ok(started.elapsed()),
        other => Err(format!("{url}: {other}")),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// The URL of release `n`'s own asset on the server at `addr`.
fn own_url(addr: SocketAddr, n: usize) -> String {
    let (path, _) = asset("css/own.css", &own_bytes(n));
    format!("http://{addr}/assets/{path}")
}

async fn cold(endpoint: &str, records: usize) -> Result<(), String> {
    let client = reqwest::Client::new();
    let rss_before = rss("VmRSS");
    let addr = server(endpoint, |f| f.timeout(Duration::from_secs(120))).await;
    let newest = timed(&client, reqwest::Method::GET, &own_url(addr, records - 1)).await?;
    println!("first-newest {}", ms(newest));
    let oldest = timed(&client, reqwest::Method::GET, &own_url(addr, 0)).await?;
    println!("first-oldest {}", ms(oldest + newest));
    println!("index-rss {}", rss("VmRSS").saturating_sub(rss_before));
    Ok(())
}

async fn warm(endpoint: &str, records: usize) -> Result<(), String> {
    let client = reqwest::Client::new();
    let addr = server(endpoint, |f| f.timeout(Duration::from_secs(120))).await;
    tokio::time::sleep(Duration::from_secs(10)).await;
    let random: Vec<usize> = (0..100).map(|i| (i * 7919 + 13) % records).collect();
    let recent: Vec<usize> = (0..100.min(records)).map(|i| records - 1 - i).collect();
    let measures = [
        ("head", reqwest::Method::HEAD, &random),
        ("get", reqwest::Method::GET, &random),
        ("recent", reqwest::Method::GET, &recent),
    ];
    for (name, method, releases) in measures {
        let mut times = Vec::new();
        for &n in releases {
            times.push(timed(&client, method.clone(), &own_url(addr, n)).await?);
        }
        times.sort();
        println!("{name}-p50 {}", ms(times[times.len() / 2]));
        println!("{name}-p99 {}", ms(times[times.len() * 99 / 100]));
    }
    Ok(())
}

async fn flood(endpoint: &str, stats: &str, mib: usize, requests: usize) -> Result<(), String> {
    let store = store(endpoint)?;
    let bytes: Vec<u8> = (0..mib << 20)
        .map(|i| ((i * 2_654_435_761usize) >> 13) as u8)
        .collect();
    let (path, mut entry) = asset("video/clip.mp4", &bytes);
    entry["content_type"] = "video/mp4".into();
    put(store.as_ref(), &path, bytes).await?;
    let record = serde_json::json!({
        "format": 1, "build_id": "flood", "url_prefix": "/assets/",
        "uploaded_at": "2026-01-01T00:00:00.000000Z", "assets": {"video/clip.mp4": entry},
    });
    put(
        &store,
        ".assetlock/releases/flood.json",
        record.to_string().into_bytes(),
    )
    .await?;

    let client = reqwest::Client::new();
    let addr = server(endpoint, |f| f.timeout(Duration::from_secs(120))).await;
    let url = format!("http://{addr}/assets/{path}");
    // The record read (a HEAD needs no object): from now on, GETs are of the object.
    let head = client.head(&url).send().await.map_err(|e| e.to_string())?;
    if head.status() != 200 {
        return Err(format!("HEAD {url}: {}", head.status()));
    }
    client
        .post(format!("{stats}/__reset"))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let sampling = Arc::new(AtomicBool::new(true));
    let peak_temp = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (sampling, peak_temp) = (Arc::clone(&sampling), Arc::clone(&peak_temp));
        std::thread::spawn(move || {
            while sampling.load(Ordering::Relaxed) {
                peak_temp.fetch_max(deleted_files_held(), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    let sends = (0..requests).map(|i| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            let request = match i % 2 {
                0 => client.head(&url),
                _ => client.get(&url).header("range", "bytes=0-0"),
            };
            let response = request.send().await.map_err(|e| e.to_string())?;
            let status = response.status().as_u16();
            response.bytes().await.map_err(|e| e.to_string())?;
            Ok::<_, String>(status)
        }
    });
    let statuses = join_all(sends, requests).await;
    sampling.store(false, Ordering::Relaxed);
    sampler.join().expect("sampler");
    let ok = statuses
        .iter()
        .filter(|s| matches!(s, Ok(200 | 206)))
        .count();
    let stats = client
        .get(format!("{stats}/__stats"))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .bytes()
        .await
        .map_err(|e| e.to_string())?;
    let stats: serde_json::Value = serde_json::from_slice(&stats).map_err(|e| e.to_string())?;
    println!("status-ok {ok}");
    println!("bucket-gets {}", stats["gets"]);
    println!("peak-rss {}", rss("VmHWM"));
    println!("peak-temp {}", peak_temp.load(Ordering::Relaxed));
    Ok(())
}

/// A line of `/proc/self/status`, in bytes.
fn rss(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches(" kB").parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// The total size of the deleted files this process holds open: its unnamed temporary files.
fn deleted_files_held() -> u64 {
    let Ok(fds) = std::fs::read_dir("/proc/self/fd") else {
        return 0;
    };
    fds.filter_map(Result::ok)
        .filter(|fd| {
            std::fs::read_link(fd.path())
                .is_ok_and(|target| target.to_string_lossy().ends_with("(deleted)"))
        })
        .filter_map(|fd| std::fs::metadata(fd.path()).ok())
        .map(|meta| meta.len())
        .sum()
}

/// The outputs of `tasks`, at most `limit` in flight, in order.
async fn join_all<T>(tasks: impl Iterator<Item = impl Future<Output = T>>, limit: usize) -> Vec<T> {
    futures::stream::iter(tasks).buffered(limit).collect().await
}
