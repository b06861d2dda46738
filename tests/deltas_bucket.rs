//! Deltas between releases through the whole chain: a release uploaded to a `file://`
//! destination is the dictionary source of the next build; `upload-assets` stores that build's
//! deltas create-only with their headers in a real S3 server (SigV4 checked), `--verify`
//! checks them, the release record lists them, `--prune` keeps them with their release, and a
//! server falls back to the bucket to send them.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use assetlock::serve::Fallback;
use assetlock::upload::{Destination, Options};
use reqwest::StatusCode;
use reqwest::header::{self, HeaderName};
use support::deltas::{ACCEPT, available_dictionary, release};
use support::quiet;
use support::s3::{PREFIX, S3Server};

async fn serve(s3: &S3Server) -> SocketAddr {
    let fallback = Fallback::new(s3.destination(PREFIX))
        .refresh_interval(Duration::from_secs(60))
        .timeout(Duration::from_secs(5));
    support::serve_with_fallback(fallback).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_release_built_against_the_last_one_uploads_verifies_and_serves_its_deltas() {
    let releases = tempfile::tempdir().unwrap();
    let local = Destination::from_url(&format!("file://{}", releases.path().display())).unwrap();
    let s3 = S3Server::start().await;

    let v1 = release("", None);
    for dest in [&local, &s3.destination(PREFIX)] {
        assetlock::upload::run(&v1.source(), dest, &quiet(Options::upload()))
            .await
            .unwrap();
    }
    let v2 = release(".added { color: red; }\n", Some(releases.path()));
    let old = v1.asset("css/big.css");
    let deltas = v2.asset("css/big.css")["deltas"].clone();
    assert_eq!(deltas.as_array().map(Vec::len), Some(1), "{deltas}");
    let delta = &deltas[0];
    assert_eq!(delta["dictionary"], old["sha256"]);
    let delta_key = delta["path"].as_str().unwrap().to_owned();

    let report = s3.run(&v2, quiet(Options::upload())).await.unwrap();
    assert!(report.uploaded().contains(&delta_key), "{report}");
    s3.run(&v2, quiet(Options::verify())).await.unwrap();
    let record = s3.object_file(PREFIX, &v2.record_key());
    let record = std::fs::read_to_string(record).unwrap();
    assert!(
        record.contains(&delta_key),
        "the release record lists the delta"
    );
    let (_, attributes) = support::get(&*s3.store(), PREFIX, &delta_key).await;
    let encoding = attributes.get(&assetlock::upload::object_store::Attribute::ContentEncoding);
    assert_eq!(encoding.map(|v| v.as_ref()), Some("dcz"));

    // A server of another build sends v2's delta through the bucket.
    let addr = serve(&s3).await;
    let available = available_dictionary(old["sha256"].as_str().unwrap());
    let response = reqwest::Client::new()
        .get(format!(
            "http://{addr}{}",
            v2.asset("css/big.css")["url"].as_str().unwrap()
        ))
        .header(header::ACCEPT_ENCODING, ACCEPT)
        .header(HeaderName::from_static("available-dictionary"), &available)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers[header::CONTENT_ENCODING], "dcz");
    assert_eq!(
        headers[header::VARY],
        "accept-encoding, available-dictionary"
    );
    assert_eq!(
        headers["use-as-dictionary"],
        "match=\"/assets/css/big.*.css\""
    );
    let body = response.bytes().await.unwrap();
    assert_eq!(
        body.as_ref(),
        std::fs::read(v2.dist_dir.join(&delta_key)).unwrap()
    );
    let old_file = releases.path().join(old["path"].as_str().unwrap());
    if let Some(decoded) = assetlock_test_support::decode::dcz(&body, &old_file) {
        let new_key = v2.key("css/big.css");
        assert_eq!(decoded, std::fs::read(v2.dist_dir.join(new_key)).unwrap());
    }

    // Without the dictionary: the usual negotiation, from the same record.
    let response = reqwest::Client::new()
        .get(format!(
            "http://{addr}{}",
            v2.asset("css/big.css")["url"].as_str().unwrap()
        ))
        .header(header::ACCEPT_ENCODING, "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");

    // Pruning down to the newest release keeps its deltas.
    s3.run(&v2, quiet(Options::prune(1, Duration::ZERO)))
        .await
        .unwrap();
    let keys = s3.keys(PREFIX).await;
    assert!(keys.contains(&delta_key), "{keys:?}");
    assert!(
        !keys.contains(old["path"].as_str().unwrap()),
        "v1 was pruned"
    );
}
