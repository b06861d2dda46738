//! A local S3 server for the upload benchmark: s3s + s3s-fs on 127.0.0.1, checking SigV4, and
//! counting requests.
//!
//! `s3-server <root dir> --access-key K --secret-key S [--port N] [--bucket NAME]...`
//!
//! Prints its endpoint (`http://127.0.0.1:PORT`) on the first line of stdout. `GET /__stats`
//! answers `{"lists": n, "puts": n, "gets": n, "requests": n}` (LISTs, object PUTs and object
//! GETs since the last reset), `POST /__reset` zeroes the counters. Runs until killed.

use std::convert::Infallible;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use s3s::auth::SimpleAuth;
use s3s::service::{S3Service, S3ServiceBuilder};

#[derive(Default)]
struct Counters {
    lists: AtomicU64,
    puts: AtomicU64,
    gets: AtomicU64,
    requests: AtomicU64,
}

struct Args {
    root: PathBuf,
    port: u16,
    access_key: String,
    secret_key: String,
    buckets: Vec<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut root, mut port, mut access_key, mut secret_key) = (None, 0, None, None);
    let mut buckets = Vec::new();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--port" => {
                port = value("--port")?
                    .parse()
                    .map_err(|e| format!("--port: {e}"))?
            }
            "--access-key" => access_key = Some(value("--access-key")?),
            "--secret-key" => secret_key = Some(value("--secret-key")?),
            "--bucket" => buckets.push(value("--bucket")?),
            _ if arg.starts_with("--") => return Err(format!("unknown option {arg}")),
            _ => root = Some(PathBuf::from(arg)),
        }
    }
    Ok(Args {
        root: root.ok_or("missing <root dir>")?,
        port,
        access_key: access_key.ok_or("missing --access-key")?,
        secret_key: secret_key.ok_or("missing --secret-key")?,
        buckets,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!(
                "{message}\nusage: s3-server <root dir> --access-key K --secret-key S [--port N] [--bucket NAME]..."
            );
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    match runtime.block_on(serve(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("s3-server: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: Args) -> Result<(), String> {
    for bucket in &args.buckets {
        std::fs::create_dir_all(args.root.join(bucket)).map_err(|e| e.to_string())?;
    }
    let fs = s3s_fs::FileSystem::new(&args.root).map_err(|e| format!("{e:?}"))?;
    let mut builder = S3ServiceBuilder::new(fs);
    builder.set_auth(SimpleAuth::from_single(args.access_key, args.secret_key));
    let s3 = builder.build();
    let counters = Arc::new(Counters::default());

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("http://{addr}");
    let _ = std::io::stdout().flush();

    while let Ok((socket, _)) = listener.accept().await {
        // Small answers go out at once, as S3's do, not after a 40 ms delayed ACK.
        let _ = socket.set_nodelay(true);
        let (s3, counters) = (s3.clone(), Arc::clone(&counters));
        let service = service_fn(move |req| {
            let (s3, counters) = (s3.clone(), Arc::clone(&counters));
            async move { Ok::<_, Infallible>(handle(&s3, &counters, req).await) }
        });
        tokio::spawn(async move {
            let io = TokioIo::new(socket);
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(io, service)
                .await;
        });
    }
    Ok(())
}

async fn handle(
    s3: &S3Service,
    counters: &Counters,
    req: Request<Incoming>,
) -> Response<s3s::Body> {
    let path = req.uri().path().to_owned();
    let query = req.uri().query().unwrap_or("").to_owned();
    match (req.method(), path.as_str()) {
        (&Method::GET, "/__stats") => {
            let stats = serde_json::json!({
                "lists": counters.lists.load(Ordering::SeqCst),
                "puts": counters.puts.load(Ordering::SeqCst),
                "gets": counters.gets.load(Ordering::SeqCst),
                "requests": counters.requests.load(Ordering::SeqCst),
            });
            return Response::new(s3s::Body::from(stats.to_string()));
        }
        (&Method::POST, "/__reset") => {
            let all = [
                &counters.lists,
                &counters.puts,
                &counters.gets,
                &counters.requests,
            ];
            for counter in all {
                counter.store(0, Ordering::SeqCst);
            }
            return Response::new(s3s::Body::from(String::new()));
        }
        _ => {}
    }
    counters.requests.fetch_add(1, Ordering::SeqCst);
    let has_key = path
        .trim_start_matches('/')
        .split_once('/')
        .is_some_and(|(_, key)| !key.is_empty());
    if req.method() == Method::GET && !has_key && !query.contains("location") {
        counters.lists.fetch_add(1, Ordering::SeqCst);
    }
    if req.method() == Method::PUT && has_key {
        counters.puts.fetch_add(1, Ordering::SeqCst);
    }
    if req.method() == Method::GET && has_key {
        counters.gets.fetch_add(1, Ordering::SeqCst);
    }
    match hyper::service::Service::call(s3, req).await {
        Ok(response) => response,
        Err(_) => {
            let mut response = Response::new(s3s::Body::from(String::new()));
            *response.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
            response
        }
    }
}
