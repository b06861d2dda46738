//! A WebDriver client for Debian's headless Chromium (`chromium` + `chromium-driver`), shared by
//! the browser tests of the example app and the fleet rollout test.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver, killed when dropped.
pub struct Driver {
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
    pub async fn start() -> Driver {
        let port = crate::loopback::free_port();
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

    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
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

    pub async fn new_session(&self, profile: &Path) -> String {
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

    pub async fn run(&self, session: &str, script: &str) -> Value {
        let body = json!({ "script": script, "args": [] });
        self.call(
            reqwest::Method::POST,
            &format!("/session/{session}/execute/sync"),
            Some(body),
        )
        .await
    }

    pub async fn run_async(&self, session: &str, script: &str) -> Value {
        let body = json!({ "script": script, "args": [] });
        self.call(
            reqwest::Method::POST,
            &format!("/session/{session}/execute/async"),
            Some(body),
        )
        .await
    }
}

/// Whether the browser and its driver are installed (see [`crate::tools::available`]).
pub fn available() -> bool {
    let found = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    let what = format!("{CHROMIUM} or {CHROMEDRIVER}");
    crate::tools::available(&what, found, "apt-get install chromium chromium-driver")
}

impl Driver {
    /// Navigates the session to `url`.
    pub async fn open(&self, session: &str, url: &str) -> Value {
        let path = format!("/session/{session}/url");
        self.call(reqwest::Method::POST, &path, Some(json!({ "url": url })))
            .await
    }

    /// Runs a Chrome DevTools Protocol command in the session.
    pub async fn cdp(&self, session: &str, cmd: &str, params: Value) -> Value {
        let path = format!("/session/{session}/goog/cdp/execute");
        let body = json!({ "cmd": cmd, "params": params });
        self.call(reqwest::Method::POST, &path, Some(body)).await
    }

    /// The browser console entries logged since the last call.
    pub async fn console(&self, session: &str) -> Vec<Value> {
        let path = format!("/session/{session}/se/log");
        let logs = self
            .call(
                reqwest::Method::POST,
                &path,
                Some(json!({ "type": "browser" })),
            )
            .await;
        logs.as_array().cloned().unwrap_or_default()
    }

    /// Waits up to `timeout` for `script` to return `true`.
    pub async fn wait_for(&self, session: &str, script: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.run(session, script).await == Value::Bool(true) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    /// Ends the session.
    pub async fn end(&self, session: &str) {
        let path = format!("/session/{session}");
        self.call(reqwest::Method::DELETE, &path, None).await;
    }
}

/// A page open in a fresh session of its own chromedriver, with a throwaway profile.
pub struct Page {
    pub driver: Driver,
    pub session: String,
    _profile: tempfile::TempDir,
}

impl Page {
    /// Opens `url` and waits up to 20 s for `ready` (a script returning `true`); panics with
    /// `what` if it never does.
    pub async fn open(url: &str, ready: &str, what: &str) -> Page {
        let driver = Driver::start().await;
        let profile = tempfile::tempdir().unwrap();
        let session = driver.new_session(profile.path()).await;
        driver.open(&session, url).await;
        assert!(
            driver
                .wait_for(&session, ready, Duration::from_secs(20))
                .await,
            "{what}"
        );
        Page {
            driver,
            session,
            _profile: profile,
        }
    }

    /// Runs `script` in the page; see [`Driver::run`].
    pub async fn run(&self, script: &str) -> Value {
        self.driver.run(&self.session, script).await
    }

    /// Runs `script` in the page; see [`Driver::run_async`].
    pub async fn run_async(&self, script: &str) -> Value {
        self.driver.run_async(&self.session, script).await
    }

    /// The console's entries so far.
    pub async fn console(&self) -> Vec<Value> {
        self.driver.console(&self.session).await
    }

    /// The console's errors so far (entries of level `SEVERE`).
    pub async fn errors(&self) -> Vec<Value> {
        let entries = self.console().await;
        entries
            .into_iter()
            .filter(|e| e["level"] == "SEVERE")
            .collect()
    }

    /// Ends the session.
    pub async fn close(self) {
        self.driver.end(&self.session).await;
    }
}
