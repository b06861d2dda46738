//! The example app in headless Chromium, driven over WebDriver (chromedriver): no failed
//! request, no integrity or other console error, the web font loaded, the ES modules ran.
//! Saves a screenshot to `target/example-app.png`.
//!
//! Needs Debian's `chromium` and `chromium-driver` (CI installs them); skips with a message
//! when they are absent.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver, killed when dropped.
struct Driver {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let status = driver
                .http
                .get(format!("{}/status", driver.base))
                .send()
                .await;
            if status.is_ok_and(|r| r.status().is_success()) {
                return driver;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not become ready");
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().await.unwrap();
        let text = response.text().await.unwrap();
        let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        value["value"].clone()
    }

    async fn new_session(&self, profile: &Path) -> String {
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:loggingPrefs": { "browser": "ALL" },
                "goog:chromeOptions": {
                    "binary": CHROMIUM,
                    "args": [
                        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--window-size=1100,900",
                        format!("--user-data-dir={}", profile.display()),
                    ]
                }
            }}
        });
        let value = self
            .call(reqwest::Method::POST, "/session", Some(capabilities))
            .await;
        value["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {value}"))
            .to_string()
    }

    async fn run(&self, session: &str, script: &str) -> Value {
        let body = json!({ "script": script, "args": [] });
        self.call(
            reqwest::Method::POST,
            &format!("/session/{session}/execute/sync"),
            Some(body),
        )
        .await
    }

    async fn run_async(&self, session: &str, script: &str) -> Value {
        let body = json!({ "script": script, "args": [] });
        self.call(
            reqwest::Method::POST,
            &format!("/session/{session}/execute/async"),
            Some(body),
        )
        .await
    }
}

fn screenshot_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("target/example-app.png")
}

#[tokio::test]
async fn page_loads_cleanly_in_headless_chromium() {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        eprintln!(
            "skipping: {CHROMIUM} or {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver)"
        );
        return;
    }
    let addr = support::start().await;
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let session = driver.new_session(profile.path()).await;
    let url = format!("http://{addr}/");
    driver
        .call(
            reqwest::Method::POST,
            &format!("/session/{session}/url"),
            Some(json!({ "url": url })),
        )
        .await;

    // Both modules ran: main.js sets data-module-ran, its dynamic import sets data-lazy-loaded.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let done = driver
            .run(
                &session,
                "return document.body.dataset.lazyLoaded === 'yes';",
            )
            .await;
        if done == Value::Bool(true) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the page's modules did not finish"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let report = driver
        .run_async(
            &session,
            r#"const done = arguments[arguments.length - 1];
               document.fonts.ready.then(() => done({
                 fontLoaded: [...document.fonts].some(f => f.family.includes('KaTeX Main') && f.status === 'loaded'),
                 fontCheck: document.fonts.check('16px "KaTeX Main"'),
                 bodyFont: getComputedStyle(document.body).fontFamily,
                 moduleRan: document.body.dataset.moduleRan,
                 status: document.getElementById('status').textContent,
                 moduleLogo: document.getElementById('module-logo').complete && document.getElementById('module-logo').naturalWidth > 0,
                 resources: performance.getEntriesByType('resource').map(r => ({ name: r.name, status: r.responseStatus })),
               }));"#,
        )
        .await;
    assert_eq!(report["fontLoaded"], true, "{report:#}");
    assert_eq!(report["fontCheck"], true, "{report:#}");
    assert!(
        report["bodyFont"].as_str().unwrap().contains("KaTeX Main"),
        "{report:#}"
    );
    assert_eq!(report["moduleRan"], "yes", "{report:#}");
    assert!(
        report["status"]
            .as_str()
            .unwrap()
            .contains("dynamic import() loaded"),
        "{report:#}"
    );
    assert_eq!(report["moduleLogo"], true, "{report:#}");

    let resources = report["resources"].as_array().unwrap();
    for expected in [
        "css/site.",
        "css/theme.",
        "fonts/katex-main-regular.",
        "img/grid.",
        "img/logo.",
        "js/main.",
        "js/greet.",
        "js/lazy.",
    ] {
        assert!(
            resources
                .iter()
                .any(|r| r["name"].as_str().unwrap().contains(expected)),
            "{expected} was not requested: {resources:#?}"
        );
    }
    for resource in resources {
        assert_eq!(resource["status"], 200, "failed request: {resource}");
    }

    let logs = driver
        .call(
            reqwest::Method::POST,
            &format!("/session/{session}/se/log"),
            Some(json!({ "type": "browser" })),
        )
        .await;
    let entries = logs.as_array().cloned().unwrap_or_default();
    let errors: Vec<&Value> = entries.iter().filter(|e| e["level"] == "SEVERE").collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");

    let png = driver
        .call(
            reqwest::Method::GET,
            &format!("/session/{session}/screenshot"),
            None,
        )
        .await;
    let png = base64_decode(png.as_str().unwrap());
    assert!(png.starts_with(b"\x89PNG"));
    std::fs::create_dir_all(screenshot_path().parent().unwrap()).unwrap();
    std::fs::write(screenshot_path(), png).unwrap();
    eprintln!("screenshot: {}", screenshot_path().display());

    driver
        .call(
            reqwest::Method::DELETE,
            &format!("/session/{session}"),
            None,
        )
        .await;
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0);
    for c in text
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
    {
        let value = ALPHABET.iter().position(|&a| a == c).expect("base64") as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}
