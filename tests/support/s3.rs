//! A real S3 server in the test process: s3s + s3s-fs on 127.0.0.1:0, checking SigV4, with
//! request counters and an optional fault (PUTs failing after the K-th).

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assetlock::upload::object_store::aws::AmazonS3Builder;
use assetlock::upload::object_store::path::Path;
use assetlock::upload::object_store::{BackoffConfig, ObjectStore, RetryConfig};
use assetlock::upload::{Destination, Error, Options, Report, run};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;

use super::fixture::Build;
use super::quiet;

pub const BUCKET: &str = "site-assets";
/// The key prefix the tests upload under.
pub const PREFIX: &str = "assets";
pub const ACCESS_KEY: &str = "AKIDUPLOADTEST0001";
pub const SECRET_KEY: &str = "uploadtestsecretkey0000000000000000000001";

/// What the server saw, and the fault it injects.
#[derive(Default)]
struct State {
    lists: AtomicUsize,
    /// Object PUTs, parts of multipart uploads included.
    puts: AtomicUsize,
    /// Requests completing a multipart upload.
    completions: AtomicUsize,
    /// Keys of the objects stored (PUTs and multipart completions that succeeded), in order.
    put_keys: Mutex<Vec<String>>,
    /// Object PUTs arriving after this many answer 503.
    fail_after: Mutex<Option<usize>>,
    /// An object another uploader stores right after the next LIST is answered: the race
    /// between an uploader's LIST and its PUTs.
    racer: Mutex<Option<(Path, Vec<u8>)>>,
    /// The client the racer uses.
    racer_store: Mutex<Option<Arc<dyn ObjectStore>>>,
    /// Keys of object GETs (not LISTs), in order, percent-decoded.
    get_keys: Mutex<Vec<String>>,
    /// Every request is dropped without an answer.
    down: std::sync::atomic::AtomicBool,
    /// Object GETs wait this long before they are answered.
    get_delay: Mutex<Option<Duration>>,
    /// Where s3s-fs keeps the objects, when the server ignores `If-None-Match`: a conditional
    /// PUT of a key that exists replaces it, as some S3-compatible servers do.
    overwrites: Mutex<Option<std::path::PathBuf>>,
}

/// The server; stops when dropped.
pub struct S3Server {
    pub endpoint: String,
    pub root: tempfile::TempDir,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl S3Server {
    /// Starts a server with one empty bucket, [`BUCKET`]; call from a tokio runtime.
    pub async fn start() -> S3Server {
        S3Server::start_with(None).await
    }

    /// A server that accepts requests signed at any time, as moto and some S3-compatible
    /// servers do (AWS refuses a signature more than 15 minutes off its clock): for clients
    /// whose clock is days off.
    pub async fn start_any_clock() -> S3Server {
        let mut config = s3s::config::S3Config::default();
        config.presigned_url_max_skew_time_secs = u32::MAX;
        let config = s3s::config::StaticConfigProvider::new(Arc::new(config));
        S3Server::start_with(Some(Arc::new(config))).await
    }

    async fn start_with(config: Option<Arc<dyn s3s::config::S3ConfigProvider>>) -> S3Server {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join(BUCKET)).unwrap();
        let mut builder = S3ServiceBuilder::new(s3s_fs::FileSystem::new(root.path()).unwrap());
        builder.set_auth(SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
        if let Some(config) = config {
            builder.set_config(config);
        }
        let s3 = builder.build();

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(State::default());
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (s3, state) = (s3.clone(), Arc::clone(&shared));
                let service = service_fn(move |req: hyper::Request<Incoming>| {
                    let (s3, state) = (s3.clone(), Arc::clone(&state));
                    async move {
                        // Down: close the connection without an answer.
                        if state.down.load(Ordering::SeqCst) {
                            return Err(std::io::Error::other("server down"));
                        }
                        Ok(handle(&s3, &state, req).await)
                    }
                });
                tokio::spawn(async move {
                    let io = TokioIo::new(socket);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
        let server = S3Server {
            endpoint,
            root,
            state,
            task,
        };
        *server.state.racer_store.lock().unwrap() = Some(server.store());
        server
    }

    /// A client with the right credentials.
    pub fn store(&self) -> Arc<dyn ObjectStore> {
        self.store_with_secret(SECRET_KEY)
    }

    /// A client signing with `secret`.
    pub fn store_with_secret(&self, secret: &str) -> Arc<dyn ObjectStore> {
        Arc::new(self.builder_with_secret(secret).build().unwrap())
    }

    /// The configuration of a client signing with `secret`.
    pub fn builder_with_secret(&self, secret: &str) -> AmazonS3Builder {
        client(&self.endpoint, secret)
    }

    /// `s3://BUCKET/<prefix>` with the right credentials, as the CLI builds it.
    pub fn destination(&self, prefix: &str) -> Destination {
        Destination::s3(self.builder_with_secret(SECRET_KEY), prefix).unwrap()
    }

    /// Runs `options` (quietly) for `build` against `s3://BUCKET/PREFIX`.
    pub async fn run(&self, build: &Build, options: Options) -> Result<Report, Error> {
        run(&build.source(), &self.destination(PREFIX), &quiet(options)).await
    }

    /// Multipart uploads started and neither completed nor aborted (s3s-fs keeps a
    /// `.upload-<id>.json` file for each).
    pub fn unfinished_uploads(&self) -> usize {
        std::fs::read_dir(self.root.path())
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                let name = name.to_string_lossy();
                name.starts_with(".upload-") && name.ends_with(".json")
            })
            .count()
    }

    /// Multipart uploads completed (or refused) so far.
    pub fn completions(&self) -> usize {
        self.state.completions.load(Ordering::SeqCst)
    }

    /// LIST requests so far.
    pub fn lists(&self) -> usize {
        self.state.lists.load(Ordering::SeqCst)
    }

    /// Object PUT requests so far, failed ones included.
    pub fn puts(&self) -> usize {
        self.state.puts.load(Ordering::SeqCst)
    }

    /// Keys of the objects stored (single PUTs and multipart completions accepted), in order.
    pub fn stored_keys(&self) -> Vec<String> {
        self.state.put_keys.lock().unwrap().clone()
    }

    /// From now on, the next `k` object PUTs go through and every later one fails with 503.
    pub fn fail_puts_after(&self, k: usize) {
        *self.state.fail_after.lock().unwrap() = Some(self.puts() + k);
    }

    /// Right after answering the next LIST, another writer stores `bytes` at `prefix/key`.
    pub fn race_after_next_list(&self, prefix: &str, key: &str, bytes: &[u8]) {
        let path = Path::parse(format!("{prefix}/{key}")).unwrap();
        *self.state.racer.lock().unwrap() = Some((path, bytes.to_vec()));
    }

    /// Stops injecting faults.
    pub fn heal(&self) {
        *self.state.fail_after.lock().unwrap() = None;
        *self.state.get_delay.lock().unwrap() = None;
    }

    /// Keys of the object GETs so far (relative to the bucket), in order.
    pub fn get_keys(&self) -> Vec<String> {
        self.state.get_keys.lock().unwrap().clone()
    }

    /// From now on, a create-only PUT of a key that exists replaces it: the server ignores
    /// `If-None-Match`, as some S3-compatible servers do.
    pub fn ignore_if_none_match(&self) {
        *self.state.overwrites.lock().unwrap() = Some(self.root.path().join(BUCKET));
    }

    /// From now on, object GETs are answered after `delay`.
    pub fn slow_gets(&self, delay: Duration) {
        *self.state.get_delay.lock().unwrap() = Some(delay);
    }

    /// Stops answering: new connections are refused, open ones closed at the next request.
    pub fn stop(&self) {
        self.state.down.store(true, Ordering::SeqCst);
        self.task.abort();
    }

    /// The file s3s-fs keeps the object `prefix/key` in.
    pub fn object_file(&self, prefix: &str, key: &str) -> std::path::PathBuf {
        self.root.path().join(BUCKET).join(prefix).join(key)
    }

    /// Every key in the bucket under `prefix`, relative to it.
    pub async fn keys(&self, prefix: &str) -> BTreeSet<String> {
        use futures::TryStreamExt;
        let prefix = Path::from(prefix);
        let listed: Vec<_> = self
            .store()
            .list(Some(&prefix))
            .try_collect()
            .await
            .unwrap();
        let strip = format!("{prefix}/");
        listed
            .into_iter()
            .map(|meta| {
                meta.location
                    .as_ref()
                    .strip_prefix(&strip)
                    .unwrap()
                    .to_owned()
            })
            .collect()
    }
}

/// The configuration of a client of the server at `endpoint` signing with `secret`, quick to
/// retry.
pub fn client(endpoint: &str, secret: &str) -> AmazonS3Builder {
    AmazonS3Builder::new()
        .with_endpoint(endpoint)
        .with_bucket_name(BUCKET)
        .with_region("us-east-1")
        .with_access_key_id(ACCESS_KEY)
        .with_secret_access_key(secret)
        .with_allow_http(true)
        .with_retry(RetryConfig {
            backoff: BackoffConfig {
                init_backoff: Duration::from_millis(5),
                max_backoff: Duration::from_millis(20),
                base: 2.0,
            },
            max_retries: 2,
            retry_timeout: Duration::from_secs(10),
        })
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn handle(
    s3: &s3s::service::S3Service,
    state: &State,
    req: hyper::Request<Incoming>,
) -> hyper::Response<s3s::Body> {
    use assetlock::upload::object_store::ObjectStoreExt;

    let method = req.method().clone();
    let query = req.uri().query().unwrap_or("").to_owned();
    // Path-style: /bucket/key...
    let key = req
        .uri()
        .path()
        .trim_start_matches('/')
        .split_once('/')
        .map(|(_, k)| k.to_owned());
    let object_put = method == hyper::Method::PUT && key.as_deref().is_some_and(|k| !k.is_empty());
    let conditional = req.headers().contains_key("if-none-match");
    let overwrites = state.overwrites.lock().unwrap().clone();
    if let (true, true, Some(root), Some(key)) = (object_put, conditional, overwrites, &key) {
        // The key is taken no longer: the condition holds, and the PUT replaces the object.
        let _ = std::fs::remove_file(root.join(percent_decode(key)));
    }
    if method == hyper::Method::GET && query.contains("list-type=2") {
        state.lists.fetch_add(1, Ordering::SeqCst);
    } else if method == hyper::Method::GET && key.as_deref().is_some_and(|k| !k.is_empty()) {
        let key = percent_decode(key.as_deref().unwrap_or(""));
        state.get_keys.lock().unwrap().push(key);
        let delay = *state.get_delay.lock().unwrap();
        if let Some(delay) = delay {
            tokio::time::sleep(delay).await;
        }
    }
    if method == hyper::Method::POST && query.contains("uploadId=") {
        state.completions.fetch_add(1, Ordering::SeqCst);
    }
    if object_put {
        let arrived_before = state.puts.fetch_add(1, Ordering::SeqCst);
        if state
            .fail_after
            .lock()
            .unwrap()
            .is_some_and(|k| arrived_before >= k)
        {
            return hyper::Response::builder()
                .status(503)
                .body(s3s::Body::from(
                    "<Error><Code>SlowDown</Code><Message>injected fault</Message></Error>"
                        .to_owned(),
                ))
                .unwrap();
        }
    }
    let response = match hyper::service::Service::call(s3, req).await {
        Ok(response) => response,
        Err(_) => hyper::Response::builder()
            .status(500)
            .body(s3s::Body::from(String::new()))
            .unwrap(),
    };
    let racer = match method == hyper::Method::GET && query.contains("list-type=2") {
        true => state.racer.lock().unwrap().take(),
        false => None,
    };
    if let Some((path, bytes)) = racer {
        let store = state.racer_store.lock().unwrap().clone().unwrap();
        store.put(&path, bytes.into()).await.unwrap();
    }
    let part = query.contains("uploadId=");
    let completion = method == hyper::Method::POST && part;
    // A completion's errors may come with 200 (S3 does that too): 412 is the one to skip.
    if ((object_put && !part) || completion) && response.status().is_success() {
        let key = percent_decode(key.as_deref().unwrap_or(""));
        state.put_keys.lock().unwrap().push(key);
    }
    response
}

fn percent_decode(s: &str) -> String {
    Path::from_url_path(s).map_or_else(|_| s.to_owned(), |p| p.to_string())
}
