//! A Cloud Storage server in the test process, speaking the XML API that object_store's GCS
//! client uses, on a loopback port: one per test binary, shared by its tests, each test in a
//! bucket of its own.
//!
//! No Cloud Storage emulator in the registries the tests install from honours generation
//! preconditions, which create-only rests on, so this one follows the service's documented
//! behaviour where the deploy path depends on it:
//! - every request carries a service account's self-signed JWT, checked against its RSA key
//!   ([`auth`]);
//! - `x-goog-if-generation-match` on PUT and DELETE, `If-Match`/`If-None-Match`/dates and
//!   ranges on GET, decompressive transcoding of gzip objects without `no-transform`
//!   ([`objects`]);
//! - listings with prefix, delimiter and pages ([`listing`]).
//!
//! Multipart (XML API) uploads and copies are answered 501 and counted: the uploader never
//! needs them. A bucket made by [`Server::bucket_ignoring_preconditions`] behaves like the
//! emulators that ignore `x-goog-if-generation-match` and store every PUT.
//!
//! Stores reach it as `upload-assets` does, from the environment: starting it sets
//! `GOOGLE_SERVICE_ACCOUNT_KEY`, `GOOGLE_BASE_URL` and `GOOGLE_ALLOW_HTTP` for the whole
//! process, once, before any test of the binary builds a store.

pub mod auth;
mod listing;
mod objects;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use assetlock::upload::Destination;
use assetlock::upload::object_store::gcp::GoogleCloudStorageBuilder;
use assetlock::upload::object_store::{ClientOptions, ObjectStore};
use axum::body::{Body, Bytes};
use axum::extract::State as Extract;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;

use auth::Account;
use objects::{Object, error, header_str};

/// The server's buckets and what it saw.
pub struct Server {
    pub endpoint: String,
    account: Account,
    buckets: Mutex<HashMap<String, Bucket>>,
    generations: AtomicU64,
    /// Object PUTs that stored an object.
    pub stored: AtomicUsize,
    /// Object PUTs refused by a generation precondition.
    pub refused: AtomicUsize,
    /// Requests for multipart uploads or copies, which the uploader must not need.
    pub unsupported: AtomicUsize,
}

#[derive(Default)]
struct Bucket {
    objects: BTreeMap<String, Object>,
    /// PUTs ignore `x-goog-if-generation-match`.
    ignores_preconditions: bool,
}

/// The server of this test binary, started on first use; `None` when `openssl`, which makes
/// the service account's key, is missing.
pub fn server() -> Option<&'static Arc<Server>> {
    static SERVER: OnceLock<Option<Arc<Server>>> = OnceLock::new();
    let found = SERVER.get_or_init(start).as_ref();
    let install = "apt-get install openssl";
    assetlock_test_support::tools::available("openssl", found.is_some(), install)
        .then_some(found)
        .flatten()
}

fn start() -> Option<Arc<Server>> {
    let account = Account::generate()?;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros();
    let server = Arc::new(Server {
        endpoint: endpoint.clone(),
        account,
        buckets: Mutex::default(),
        generations: AtomicU64::new(micros as u64),
        stored: AtomicUsize::new(0),
        refused: AtomicUsize::new(0),
        unsupported: AtomicUsize::new(0),
    });
    // One PUT takes up to 5 TiB there: no body limit here.
    let app = axum::Router::new()
        .fallback(handle)
        .layer(axum::extract::DefaultBodyLimit::disable())
        .with_state(Arc::clone(&server));
    // Its own runtime, so that tests blocking theirs (child processes, builds) never stall it.
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    // SAFETY: set once, inside the OnceLock every test of the binary waits on before it reads
    // the environment, to the values every test uses.
    unsafe {
        std::env::set_var("GOOGLE_SERVICE_ACCOUNT_KEY", &server.account.key_file);
        std::env::set_var("GOOGLE_BASE_URL", &endpoint);
        std::env::set_var("GOOGLE_ALLOW_HTTP", "true");
    }
    Some(server)
}

impl Server {
    /// A new empty bucket.
    pub fn bucket(&self) -> String {
        self.new_bucket(false)
    }

    /// A new empty bucket whose PUTs ignore generation preconditions.
    pub fn bucket_ignoring_preconditions(&self) -> String {
        self.new_bucket(true)
    }

    fn new_bucket(&self, ignores_preconditions: bool) -> String {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let id = NEXT.fetch_add(1, Ordering::SeqCst);
        let name = format!("b{}-{id}", std::process::id());
        let bucket = Bucket {
            objects: BTreeMap::new(),
            ignores_preconditions,
        };
        self.buckets.lock().unwrap().insert(name.clone(), bucket);
        name
    }

    /// The service account's key file.
    pub fn key_file(&self) -> &str {
        &self.account.key_file
    }
}

/// A new empty bucket on the server, `None` (the test skips) when it cannot start.
pub fn bucket_or_skip() -> Option<String> {
    Some(server()?.bucket())
}

/// `gs://<bucket>/<prefix>`, read from the environment as `upload-assets` reads it.
pub fn destination(bucket: &str, prefix: &str) -> Destination {
    Destination::from_url(&format!("gs://{bucket}/{prefix}")).unwrap()
}

/// The bucket's store, configured by hand, for what a test does behind the uploader's back.
pub fn store(bucket: &str) -> Arc<dyn ObjectStore> {
    let server = server().unwrap();
    let store = GoogleCloudStorageBuilder::new()
        .with_bucket_name(bucket)
        .with_service_account_key(server.key_file())
        .with_base_url(&server.endpoint)
        .with_client_options(ClientOptions::new().with_allow_http(true))
        .build()
        .unwrap();
    Arc::new(store)
}

async fn handle(
    Extract(server): Extract<Arc<Server>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(why) = server.account.refuse(header_str(&headers, "authorization")) {
        return error(StatusCode::UNAUTHORIZED, "AuthenticationRequired", &why);
    }
    let path = uri.path().trim_start_matches('/');
    let (bucket, name) = path.split_once('/').unwrap_or((path, ""));
    let (bucket, name) = (listing::decode_path(bucket), listing::decode_path(name));
    let query = uri.query().unwrap_or("");
    let mut buckets = server.buckets.lock().unwrap();
    let Some(Bucket {
        objects,
        ignores_preconditions,
    }) = buckets.get_mut(&bucket)
    else {
        let message = format!("bucket {bucket} does not exist");
        return error(StatusCode::NOT_FOUND, "NoSuchBucket", &message);
    };
    let multipart = query.split('&').any(|p| p.starts_with("upload"));
    if multipart || headers.contains_key("x-goog-copy-source") || method == Method::POST {
        server.unsupported.fetch_add(1, Ordering::SeqCst);
        let message = "multipart uploads and copies are not served here";
        return error(StatusCode::NOT_IMPLEMENTED, "NotImplemented", message);
    }
    if name.is_empty() {
        return match method {
            Method::GET => Response::builder()
                .header("content-type", "application/xml; charset=UTF-8")
                .body(Body::from(listing::page(
                    &bucket,
                    objects,
                    &listing::Query::parse(query),
                )))
                .unwrap(),
            _ => error(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed", "bucket"),
        };
    }
    let missing = || error(StatusCode::NOT_FOUND, "NoSuchKey", "no such object");
    match method {
        Method::PUT => {
            let generation = server.generations.fetch_add(1, Ordering::SeqCst);
            let mut headers = headers;
            if *ignores_preconditions {
                headers.remove("x-goog-if-generation-match");
            }
            match objects::put(objects.get(&name), generation, &headers, body) {
                Ok(object) => {
                    server.stored.fetch_add(1, Ordering::SeqCst);
                    let response = objects::stored(&object);
                    objects.insert(name, object);
                    response
                }
                Err(message) => {
                    server.refused.fetch_add(1, Ordering::SeqCst);
                    error(
                        StatusCode::PRECONDITION_FAILED,
                        "PreconditionFailed",
                        &message,
                    )
                }
            }
        }
        Method::GET | Method::HEAD => {
            let wanted = query.split('&').find_map(|p| p.strip_prefix("generation="));
            match objects.get(&name) {
                Some(o) if wanted.is_none_or(|g| g == o.generation.to_string()) => {
                    objects::read(o, &method, &headers)
                }
                _ => missing(),
            }
        }
        Method::DELETE => {
            let current = objects.get(&name).map(|o| o.generation);
            let wanted = header_str(&headers, "x-goog-if-generation-match");
            if wanted.is_some_and(|w| Some(w) != current.map(|c| c.to_string()).as_deref()) {
                let message = "the live generation is another";
                return error(
                    StatusCode::PRECONDITION_FAILED,
                    "PreconditionFailed",
                    message,
                );
            }
            match objects.remove(&name) {
                Some(_) => Response::builder()
                    .status(StatusCode::NO_CONTENT)
                    .body(Body::empty())
                    .unwrap(),
                None => missing(),
            }
        }
        _ => error(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed", "object"),
    }
}
