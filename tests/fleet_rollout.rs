//! A rolling deploy of the example app behind a real load balancer, with a real browser.
//!
//! Three release builds of the example app (their stylesheets, a module and the stylesheet that
//! references the web font differ) are uploaded to an S3 server (s3s, SigV4 checked) with their
//! own `upload-assets`, and run as separate processes with `ASSETLOCK_FALLBACK` pointing at the
//! bucket. nginx balances round-robin over the fleet while headless Chromium (cache disabled)
//! loads the page again and again as the fleet goes old -> old+new -> new. Every asset request
//! nginx sees must succeed, every page's modules must run, and the console must show no
//! integrity error. Then a third release and `--prune --keep 2`: the pruned release's URLs get
//! 404 `no-store` or, for objects a kept release shares, the very same bytes.
//!
//! Signing is on: the builds trust deploy key A, and their uploaders sign with it; a record
//! forged into the bucket meanwhile is never served.
//!
//! Needs nginx, chromium and chromium-driver (CI installs them); skips with a message when
//! they are absent. The app builds go to `target/tests/e2e` and are reused across runs.
#![cfg(feature = "fallback")]
#![allow(clippy::disallowed_methods)] // the test sets up child environments

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use assetlock_test_support::loopback::free_port;
use assetlock_test_support::webdriver::{self, Driver};
use fixture_site::keys::KEY_A;
use serde_json::Value;
use sha2::{Digest, Sha256};
use support::example_app::{self, Running, wait_until_up};
use support::s3::{ACCESS_KEY, BUCKET, PREFIX, S3Server, SECRET_KEY};

const NGINX: &str = "/usr/sbin/nginx";
/// Page loads per phase of the rollout.
const PAGES: usize = 12;

/// One release build: its server and its uploader.
struct Release {
    server: PathBuf,
    uploader: PathBuf,
}

/// Edits (file, from, to) that make release 2 and 3 differ from release 1.
const EDITS: [&[(&str, &str, &str)]; 3] = [
    &[],
    &[
        // The stylesheet that references the web font, and the entry module's import.
        ("css/site.css", "--accent: #0b7285;", "--accent: #c92a2a;"),
        (
            "js/greet.js",
            "by its hashed URL.",
            "by its hashed URL (release 2).",
        ),
    ],
    &[
        ("css/site.css", "--accent: #0b7285;", "--accent: #5f3dc4;"),
        ("css/theme.css", "color: #1864ab;", "color: #2b8a3e;"),
        (
            "js/greet.js",
            "by its hashed URL.",
            "by its hashed URL (release 3).",
        ),
        ("js/lazy.js", "loaded too;", "loaded as well;"),
    ],
];

/// Builds the example app with release `n`'s edits (a copy of the crate outside this
/// workspace, sharing the e2e target dir with the other cargo-level tests).
fn build_release(n: usize) -> Release {
    let app = example_app::workspace().join("target/tests/fleet/app");
    example_app::copy(&app, "example-app", EDITS[n - 1]);
    // The three builds share one OUT_DIR, and a dev build reads its artifact dir by default:
    // each binary must carry its own bytes.
    example_app::edit(
        &app.join("build.rs"),
        ".compile()",
        ".embed(true).compile()",
    );
    let trust = [("ASSETLOCK_TRUSTED_RELEASE_KEYS", KEY_A.1)];
    example_app::build(&app, &["--bins"], &trust);
    let out = example_app::workspace().join(format!("target/tests/fleet/release-{n}"));
    std::fs::create_dir_all(&out).unwrap();
    let release = Release {
        server: out.join("example-app"),
        uploader: out.join("upload-assets"),
    };
    for (name, to) in [
        ("example-app", &release.server),
        ("upload-assets", &release.uploader),
    ] {
        std::fs::copy(example_app::binary(name), to).unwrap();
    }
    release
}

/// The AWS environment of the fleet and the uploader: the test's S3 server.
fn aws_env(command: &mut Command, s3: &S3Server) {
    command
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", &s3.endpoint)
        .env("AWS_ALLOW_HTTP", "true")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE");
}

fn dest() -> String {
    format!("s3://{BUCKET}/{PREFIX}")
}

/// Runs a release's `upload-assets` with `args`; panics unless it succeeds.
async fn upload(release: &Release, s3: &S3Server, args: &[&str]) -> String {
    let mut command = Command::new(&release.uploader);
    command
        .arg(dest())
        .args(args)
        .env("ASSETLOCK_SIGNING_KEY", KEY_A.0);
    aws_env(&mut command, s3);
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "upload-assets {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// A server of the fleet.
struct Server {
    addr: SocketAddr,
    _process: Running,
}

async fn start_server(release: &Release, s3: &S3Server) -> Server {
    let port = free_port();
    let mut command = Command::new(&release.server);
    command
        .env("PORT", port.to_string())
        .env("ASSETLOCK_FALLBACK", dest())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    aws_env(&mut command, s3);
    let process = Running(command.spawn().unwrap());
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    wait_until_up(&format!("http://{addr}/")).await;
    Server {
        addr,
        _process: process,
    }
}

/// nginx balancing round-robin over some servers, logging every request it passes on.
struct Balancer {
    addr: SocketAddr,
    dir: tempfile::TempDir,
    _process: Running,
}

impl Balancer {
    async fn start(servers: &[&Server]) -> Balancer {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let upstreams: String = servers
            .iter()
            .map(|s| format!("    server {};\n", s.addr))
            .collect();
        let d = dir.path().display();
        let config = format!(
            "daemon off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n  log_format fleet '$status $request_uri $upstream_addr';\n\
               access_log {d}/access.log fleet;\n\
               client_body_temp_path {d}/body; proxy_temp_path {d}/proxy;\n\
               fastcgi_temp_path {d}/fastcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;\n\
               upstream fleet {{\n{upstreams}  }}\n\
               server {{\n    listen 127.0.0.1:{port};\n    location / {{\n\
                   proxy_pass http://fleet;\n      proxy_http_version 1.1;\n\
                   proxy_set_header Connection \"\";\n      proxy_next_upstream off;\n    }}\n  }}\n}}\n"
        );
        let conf = dir.path().join("nginx.conf");
        std::fs::write(&conf, config).unwrap();
        let process = Running(
            Command::new(NGINX)
                .arg("-c")
                .arg(&conf)
                .arg("-p")
                .arg(dir.path())
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .unwrap(),
        );
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        wait_until_up(&format!("http://{addr}/")).await;
        Balancer {
            addr,
            dir,
            _process: process,
        }
    }

    /// (status, URI, upstream) of every asset request passed on so far.
    fn asset_requests(&self) -> Vec<(u16, String, String)> {
        let log = std::fs::read_to_string(self.dir.path().join("access.log")).unwrap_or_default();
        log.lines()
            .filter_map(|line| {
                let mut parts = line.split(' ');
                let status = parts.next()?.parse().ok()?;
                let uri = parts.next()?.to_owned();
                let upstream = parts.next().unwrap_or("").to_owned();
                uri.starts_with("/assets/")
                    .then_some((status, uri, upstream))
            })
            .collect()
    }
}

/// What the browser saw of one page load.
#[derive(Debug)]
struct PageLoad {
    modules_ran: bool,
    build: String,
    /// URL -> HTTP status of every resource the page loaded.
    resources: BTreeMap<String, u64>,
    console_errors: Vec<Value>,
}

async fn load_page(driver: &Driver, session: &str, url: &str) -> PageLoad {
    driver.open(session, url).await;
    let lazy_loaded = "return document.body.dataset.lazyLoaded === 'yes';";
    let modules_ran = driver
        .wait_for(session, lazy_loaded, Duration::from_secs(10))
        .await;
    let report = driver
        .run_async(
            session,
            r#"const done = arguments[arguments.length - 1];
               document.fonts.ready.then(() => done({
                 build: document.querySelector('main p:last-of-type code')?.textContent ?? '',
                 resources: performance.getEntriesByType('resource')
                   .map(r => [r.name, r.responseStatus]),
               }));"#,
        )
        .await;
    let resources = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap().to_owned(),
                r[1].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let console_errors = driver
        .console(session)
        .await
        .into_iter()
        .filter(|e| e["level"] == "SEVERE")
        .collect();
    PageLoad {
        modules_ran,
        build: report["build"].as_str().unwrap_or("").to_owned(),
        resources,
        console_errors,
    }
}

/// Loads the page through `balancer` PAGES times; returns the builds that rendered the pages
/// and the path of every asset loaded. Panics on any failed request, integrity error or module that did
/// not run.
async fn phase(
    name: &str,
    driver: &Driver,
    session: &str,
    balancer: &Balancer,
) -> (Vec<String>, BTreeSet<String>) {
    let url = format!("http://{}/", balancer.addr);
    let mut builds = Vec::new();
    let mut paths = BTreeSet::new();
    for _ in 0..PAGES {
        let page = load_page(driver, session, &url).await;
        assert!(
            page.modules_ran,
            "{name}: the page's modules did not run: {page:#?}"
        );
        assert!(
            page.console_errors.is_empty(),
            "{name}: console errors: {page:#?}"
        );
        for (url, status) in &page.resources {
            assert_eq!(*status, 200, "{name}: {url} failed: {page:#?}");
        }
        assert!(
            page.resources.len() >= 8,
            "{name}: too few resources: {page:#?}"
        );
        builds.push(page.build);
        let assets = page.resources.into_keys();
        paths.extend(
            assets.filter_map(|url| Some(format!("/assets/{}", url.split_once("/assets/")?.1))),
        );
    }
    // The ui-kit crate's stylesheet, module and font, served with the app's own.
    let shipped = paths.iter().filter(|p| p.starts_with("/assets/_/ui-kit/"));
    assert!(
        shipped.count() >= 3,
        "{name}: ui-kit's assets not loaded: {paths:#?}"
    );
    let requests = balancer.asset_requests();
    let failed: Vec<_> = requests
        .iter()
        .filter(|(status, ..)| *status >= 400)
        .collect();
    let upstreams: BTreeSet<_> = requests.iter().map(|r| &r.2).collect();
    eprintln!(
        "{name}: {PAGES} pages, {} asset requests through nginx over {} servers, {} failed",
        requests.len(),
        upstreams.len(),
        failed.len()
    );
    assert!(
        failed.is_empty(),
        "{name}: failed asset requests: {failed:#?}"
    );
    (builds, paths)
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rolling_deploy_behind_nginx_serves_every_page_fully() {
    let nginx = Path::new(NGINX).exists();
    if !assetlock_test_support::tools::available(NGINX, nginx, "apt-get install nginx-light") {
        return;
    }
    if !webdriver::available() {
        return;
    }
    let releases: Vec<Release> =
        tokio::task::spawn_blocking(|| (1..=3).map(build_release).collect())
            .await
            .unwrap();
    let s3 = S3Server::start().await;
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let session = driver.new_session(profile.path()).await;
    driver
        .cdp(&session, "Network.enable", serde_json::json!({}))
        .await;
    driver
        .cdp(
            &session,
            "Network.setCacheDisabled",
            serde_json::json!({ "cacheDisabled": true }),
        )
        .await;

    // A record forged into the bucket before the rollout.
    let forged = support::synthetic::forge_page(s3.store().as_ref(), PREFIX).await;

    // Release 1 everywhere.
    upload(&releases[0], &s3, &[]).await;
    upload(&releases[0], &s3, &["--verify"]).await;
    let old = [
        start_server(&releases[0], &s3).await,
        start_server(&releases[0], &s3).await,
    ];
    let balancer = Balancer::start(&[&old[0], &old[1]]).await;
    let (builds, old_paths) = phase("old", &driver, &session, &balancer).await;
    let old_build = builds[0].clone();
    // The bytes release 1 serves at each of its URLs, straight from an old server.
    let mut old_bytes = BTreeMap::new();
    for path in &old_paths {
        let body = reqwest::get(format!("http://{}{path}", old[0].addr))
            .await
            .unwrap();
        old_bytes.insert(path.clone(), sha256_hex(&body.bytes().await.unwrap()));
    }

    // Upload, verify, then roll: one old and one new server behind the balancer.
    upload(&releases[1], &s3, &[]).await;
    upload(&releases[1], &s3, &["--verify"]).await;
    let new = [
        start_server(&releases[1], &s3).await,
        start_server(&releases[1], &s3).await,
    ];
    drop(balancer);
    let balancer = Balancer::start(&[&old[0], &new[0]]).await;
    let (builds, _) = phase("old+new", &driver, &session, &balancer).await;
    assert!(
        builds.contains(&old_build),
        "no page of the old release: {builds:?}"
    );
    let new_build = builds.iter().find(|b| **b != old_build).cloned();
    let new_build = new_build.unwrap_or_else(|| panic!("no page of the new release: {builds:?}"));
    let mixed = balancer.asset_requests();

    // Only new servers.
    drop(balancer);
    let balancer = Balancer::start(&[&new[0], &new[1]]).await;
    let (builds, new_paths) = phase("new", &driver, &session, &balancer).await;
    assert!(builds.iter().all(|b| *b == new_build), "{builds:?}");
    drop(old);
    // In the mixed fleet, requests for an asset only the other release has: what failed
    // before servers had a fallback.
    let new_server = new[0].addr.to_string();
    let crossed = mixed
        .iter()
        .filter(|(_, path, upstream)| match *upstream == new_server {
            true => old_paths.contains(path) && !new_paths.contains(path),
            false => new_paths.contains(path) && !old_paths.contains(path),
        })
        .count();
    eprintln!(
        "old+new: {crossed} of {} asset requests named an asset only the other release has",
        mixed.len()
    );
    assert!(crossed > 0, "the mixed fleet never needed the fallback");

    // A third release, and a prune that keeps the two newest: release 1 goes.
    upload(&releases[2], &s3, &[]).await;
    upload(&releases[2], &s3, &["--verify"]).await;
    let third = start_server(&releases[2], &s3).await;
    drop(balancer);
    let balancer = Balancer::start(&[&new[0], &third]).await;
    phase("new+third", &driver, &session, &balancer).await;
    let pruned = upload(
        &releases[2],
        &s3,
        &["--prune", "--keep", "2", "--grace", "0s"],
    )
    .await;
    eprintln!("{pruned}");
    // Past the refresh interval, every server has seen the records go.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let (mut gone, mut shared) = (0, 0);
    for (path, sha) in &old_bytes {
        for _ in 0..2 {
            let response = reqwest::get(format!("http://{}{path}", balancer.addr))
                .await
                .unwrap();
            match response.status().as_u16() {
                404 => {
                    let cache = response.headers().get("cache-control").unwrap();
                    assert_eq!(cache, "no-store", "{path}");
                    gone += 1;
                }
                200 => {
                    let body = response.bytes().await.unwrap();
                    assert_eq!(&sha256_hex(&body), sha, "{path}: wrong bytes");
                    shared += 1;
                }
                status => panic!("{path}: {status}"),
            }
        }
    }
    eprintln!(
        "pruned release: {gone} requests 404 no-store, {shared} served bytes a kept release shares"
    );
    assert!(gone > 0, "nothing of the pruned release was gone");
    // No server of the fleet serves the page a forged record lists.
    for _ in 0..4 {
        let url = format!("http://{}/assets/{forged}", balancer.addr);
        assert_eq!(reqwest::get(url).await.unwrap().status(), 404, "{forged}");
    }
    driver.end(&session).await;
}
