//! One table of serving cases, run over real HTTP against both frameworks: `ServeAssets` in an
//! axum router and in an actix-web app must give the same status, headers and bytes, and the
//! ones the table expects.

mod support;

use std::net::SocketAddr;

use assetlock::Asset;
use assetlock::serve::ServeAssets;
use fixture_site::MANIFEST;
use reqwest::Method;

/// One request and what must come back (`None`: the header must be absent).
struct Case {
    name: &'static str,
    method: Method,
    path: fn() -> String,
    headers: &'static [(&'static str, &'static str)],
    status: u16,
    expect: &'static [(&'static str, Option<&'static str>)],
    body: Body,
}

/// What the body must be.
enum Body {
    Identity,
    Range(usize, usize),
    Empty,
    Text(&'static str),
    /// The build's delta against the earlier release's version.
    Delta,
    Any,
}

fn large() -> &'static Asset {
    MANIFEST.get("css/large.css").unwrap()
}

fn url() -> String {
    large().url().to_owned()
}

const IMMUTABLE: Option<&str> = Some("public, max-age=31536000, immutable");
const NO_STORE: Option<&str> = Some("no-store");

/// `Use-As-Dictionary` of the large stylesheet: every hashed name of `css/large.css`.
const LARGE_MATCH: Option<&str> = Some("match=\"/assets/css/large.*.css\"");

/// `Available-Dictionary` naming the earlier release's `css/large.css`
/// (`releases/css/large.772659b9493488a8.css`), which the build made a delta against.
const EARLIER_LARGE: &str = ":dyZZuUk0iKh9z5wzKOOUvNcjeR1hVRxOpKF2tRnEGDM=:";

/// What Chromium sends once it has a dictionary for the URL.
const DICTIONARY_CODINGS: &str = "gzip, deflate, br, zstd, dcb, dcz";

const CASES: &[Case] = &[
    Case {
        name: "the delta against the dictionary the client has",
        method: Method::GET,
        path: url,
        headers: &[
            ("accept-encoding", DICTIONARY_CODINGS),
            ("available-dictionary", EARLIER_LARGE),
        ],
        status: 200,
        expect: &[
            ("vary", Some("accept-encoding, available-dictionary")),
            ("use-as-dictionary", LARGE_MATCH),
            ("accept-ranges", None),
            ("cache-control", IMMUTABLE),
        ],
        body: Body::Delta,
    },
    Case {
        name: "only dcb accepted: the dcb delta",
        method: Method::GET,
        path: url,
        headers: &[
            ("accept-encoding", "br, dcb"),
            ("available-dictionary", EARLIER_LARGE),
        ],
        status: 200,
        expect: &[("content-encoding", Some("dcb"))],
        body: Body::Delta,
    },
    Case {
        name: "only dcz accepted: the dcz delta",
        method: Method::GET,
        path: url,
        headers: &[
            ("accept-encoding", "br, dcz"),
            ("available-dictionary", EARLIER_LARGE),
        ],
        status: 200,
        expect: &[("content-encoding", Some("dcz"))],
        body: Body::Delta,
    },
    Case {
        name: "an unknown dictionary gets the usual negotiation",
        method: Method::GET,
        path: url,
        headers: &[
            ("accept-encoding", DICTIONARY_CODINGS),
            (
                "available-dictionary",
                ":AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:",
            ),
        ],
        status: 200,
        expect: &[
            ("content-encoding", Some("br")),
            ("vary", Some("accept-encoding, available-dictionary")),
        ],
        body: Body::Any,
    },
    Case {
        name: "a malformed dictionary header gets the usual negotiation",
        method: Method::GET,
        path: url,
        headers: &[
            ("accept-encoding", DICTIONARY_CODINGS),
            (
                "available-dictionary",
                "dyZZuUk0iKh9z5wzKOOUvNcjeR1hVRxOpKF2tRnEGDM=",
            ),
        ],
        status: 200,
        expect: &[("content-encoding", Some("br"))],
        body: Body::Any,
    },
    Case {
        name: "no delta without dcz in Accept-Encoding",
        method: Method::GET,
        path: url,
        headers: &[
            ("accept-encoding", "gzip, br, zstd, dcz;q=0"),
            ("available-dictionary", EARLIER_LARGE),
        ],
        status: 200,
        expect: &[("content-encoding", Some("br"))],
        body: Body::Any,
    },
    Case {
        name: "a range gets the identity bytes, dictionary or not",
        method: Method::GET,
        path: url,
        headers: &[
            ("accept-encoding", DICTIONARY_CODINGS),
            ("available-dictionary", EARLIER_LARGE),
            ("range", "bytes=10-19"),
        ],
        status: 206,
        expect: &[("content-encoding", None)],
        body: Body::Range(10, 20),
    },
    Case {
        name: "HEAD of a delta: its headers, no body",
        method: Method::HEAD,
        path: url,
        headers: &[
            ("accept-encoding", DICTIONARY_CODINGS),
            ("available-dictionary", EARLIER_LARGE),
        ],
        status: 200,
        expect: &[("accept-ranges", None)],
        body: Body::Empty,
    },
    Case {
        name: "plain GET: identity, immutable, rangeable",
        method: Method::GET,
        path: url,
        headers: &[],
        status: 200,
        expect: &[
            ("cache-control", IMMUTABLE),
            ("content-encoding", None),
            ("accept-ranges", Some("bytes")),
            ("vary", Some("accept-encoding, available-dictionary")),
            ("use-as-dictionary", LARGE_MATCH),
            ("access-control-allow-origin", Some("*")),
            ("content-type", Some("text/css; charset=utf-8")),
        ],
        body: Body::Identity,
    },
    Case {
        name: "brotli preferred when accepted",
        method: Method::GET,
        path: url,
        headers: &[("accept-encoding", "gzip, br, zstd")],
        status: 200,
        expect: &[("content-encoding", Some("br")), ("accept-ranges", None)],
        body: Body::Any,
    },
    Case {
        name: "q=0 refuses a coding",
        method: Method::GET,
        path: url,
        headers: &[("accept-encoding", "br;q=0, gzip")],
        status: 200,
        expect: &[("content-encoding", Some("gzip"))],
        body: Body::Any,
    },
    Case {
        name: "two Accept-Encoding lines are one list",
        method: Method::GET,
        path: url,
        headers: &[
            ("accept-encoding", "identity;q=0"),
            ("accept-encoding", "gzip"),
        ],
        status: 200,
        expect: &[("content-encoding", Some("gzip"))],
        body: Body::Any,
    },
    Case {
        name: "nothing acceptable",
        method: Method::GET,
        path: url,
        headers: &[("accept-encoding", "identity;q=0")],
        status: 406,
        expect: &[("cache-control", NO_STORE)],
        body: Body::Text("no acceptable content coding\n"),
    },
    Case {
        name: "If-None-Match with the current tag",
        method: Method::GET,
        path: url,
        headers: &[("if-none-match", "*")],
        status: 304,
        expect: &[("cache-control", IMMUTABLE)],
        body: Body::Empty,
    },
    Case {
        name: "If-Match with another tag",
        method: Method::GET,
        path: url,
        headers: &[("if-match", "\"0000\"")],
        status: 412,
        expect: &[("cache-control", NO_STORE)],
        body: Body::Text("precondition failed\n"),
    },
    Case {
        name: "a byte range",
        method: Method::GET,
        path: url,
        headers: &[("range", "bytes=10-19")],
        status: 206,
        expect: &[("content-encoding", None), ("content-length", Some("10"))],
        body: Body::Range(10, 20),
    },
    Case {
        name: "an unsatisfiable range",
        method: Method::GET,
        path: url,
        headers: &[("range", "bytes=99999999-")],
        status: 416,
        expect: &[("cache-control", NO_STORE)],
        body: Body::Text("range not satisfiable\n"),
    },
    Case {
        name: "HEAD: the length, no body",
        method: Method::HEAD,
        path: url,
        headers: &[],
        status: 200,
        expect: &[
            ("cache-control", IMMUTABLE),
            ("accept-ranges", Some("bytes")),
        ],
        body: Body::Empty,
    },
    Case {
        name: "HEAD ignores Range",
        method: Method::HEAD,
        path: url,
        headers: &[("range", "bytes=0-9")],
        status: 200,
        expect: &[("content-range", None)],
        body: Body::Empty,
    },
    Case {
        name: "POST is not allowed",
        method: Method::POST,
        path: url,
        headers: &[],
        status: 405,
        expect: &[("allow", Some("GET, HEAD")), ("cache-control", NO_STORE)],
        body: Body::Text("method not allowed\n"),
    },
    Case {
        name: "an unknown hash",
        method: Method::GET,
        path: || "/assets/css/large.0000000000000000.css".to_owned(),
        headers: &[],
        status: 404,
        expect: &[("cache-control", NO_STORE)],
        body: Body::Text("not found\n"),
    },
    Case {
        name: "a percent-encoded name",
        method: Method::GET,
        path: || {
            MANIFEST
                .get("names/with space.txt")
                .unwrap()
                .url()
                .to_owned()
        },
        headers: &[],
        status: 200,
        expect: &[("cache-control", IMMUTABLE)],
        body: Body::Any,
    },
    Case {
        name: "a path longer than any asset's",
        method: Method::GET,
        path: || format!("/assets/{}", "a".repeat(3000)),
        headers: &[],
        status: 404,
        expect: &[("cache-control", NO_STORE)],
        body: Body::Text("not found\n"),
    },
    Case {
        name: "a public file, at the root",
        method: Method::GET,
        path: || "/robots.txt".to_owned(),
        headers: &[],
        status: 200,
        expect: &[
            ("cache-control", Some("no-cache")),
            ("content-type", Some("text/plain; charset=utf-8")),
        ],
        body: Body::Any,
    },
    Case {
        name: "a public file, revalidated",
        method: Method::GET,
        path: || "/robots.txt".to_owned(),
        headers: &[("if-none-match", "*")],
        status: 304,
        expect: &[("cache-control", Some("no-cache"))],
        body: Body::Empty,
    },
    Case {
        name: "a public file is not under the mount",
        method: Method::GET,
        path: || "/assets/robots.txt".to_owned(),
        headers: &[],
        status: 404,
        expect: &[("cache-control", NO_STORE)],
        body: Body::Text("not found\n"),
    },
];

/// The headers compared between the two frameworks.
const COMPARED: &[&str] = &[
    "cache-control",
    "content-encoding",
    "content-length",
    "content-range",
    "content-type",
    "etag",
    "accept-ranges",
    "allow",
    "vary",
    "use-as-dictionary",
    "access-control-allow-origin",
    "x-content-type-options",
];

struct Answer {
    status: u16,
    headers: Vec<(&'static str, Option<String>)>,
    body: Vec<u8>,
}

async fn ask(addr: SocketAddr, case: &Case) -> Answer {
    let mut request = support::client().request(
        case.method.clone(),
        format!("http://{addr}{}", (case.path)()),
    );
    for (name, value) in case.headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let headers = COMPARED
        .iter()
        .map(|name| {
            let values: Vec<&str> = response
                .headers()
                .get_all(*name)
                .iter()
                .map(|v| v.to_str().unwrap())
                .collect();
            (*name, (!values.is_empty()).then(|| values.join(", ")))
        })
        .collect();
    Answer {
        status: response.status().as_u16(),
        headers,
        body: response.bytes().await.unwrap().to_vec(),
    }
}

fn check(framework: &str, case: &Case, answer: &Answer) {
    let what = format!("{framework}: {}", case.name);
    assert_eq!(answer.status, case.status, "{what}");
    // Every answer, success or error, forbids sniffing its type.
    let nosniff = answer
        .headers
        .iter()
        .find(|(n, _)| *n == "x-content-type-options");
    assert_eq!(nosniff.unwrap().1.as_deref(), Some("nosniff"), "{what}");
    for (name, expected) in case.expect {
        let got = answer.headers.iter().find(|(n, _)| n == name).unwrap();
        assert_eq!(got.1.as_deref(), *expected, "{what}: {name}");
    }
    let bytes = large().bytes().unwrap();
    // The delta in the coding the response names, if it is one.
    let coding = answer
        .headers
        .iter()
        .find(|(n, _)| *n == "content-encoding");
    let delta = large()
        .deltas()
        .iter()
        .find(|d| coding.is_some_and(|(_, c)| c.as_deref() == Some(d.coding().as_str())));
    let is_delta = delta.is_some();
    if case.status == 200 && matches!(case.body, Body::Identity | Body::Empty) && !is_delta {
        // The length of the identity bytes, whether or not they are sent (HEAD).
        let length = answer.headers.iter().find(|(n, _)| *n == "content-length");
        let expected = bytes.len().to_string();
        assert_eq!(
            length.unwrap().1.as_deref(),
            Some(expected.as_str()),
            "{what}"
        );
    }
    match case.body {
        Body::Identity => assert_eq!(answer.body, bytes, "{what}"),
        Body::Range(start, end) => assert_eq!(answer.body, &bytes[start..end], "{what}"),
        Body::Empty => assert!(answer.body.is_empty(), "{what}"),
        Body::Text(text) => assert_eq!(answer.body, text.as_bytes(), "{what}"),
        Body::Delta => {
            let delta = delta.unwrap_or_else(|| panic!("{what}: not a delta"));
            assert_eq!(answer.body, delta.bytes().unwrap(), "{what}");
            // Of the codings accepted, the smallest delta is sent.
            let smallest = large().deltas().iter().map(|d| d.size()).min();
            if case.headers.iter().any(|(_, v)| *v == DICTIONARY_CODINGS) {
                assert_eq!(Some(delta.size()), smallest, "{what}");
            }
        }
        Body::Any => assert!(!answer.body.is_empty(), "{what}"),
    }
}

#[tokio::test]
async fn axum_and_actix_answer_every_case_the_same_and_as_expected() {
    let axum = support::server().await;
    let actix = support::actix_server(ServeAssets::new(&MANIFEST));
    for case in CASES {
        let from_axum = ask(axum, case).await;
        let from_actix = ask(actix, case).await;
        check("axum", case, &from_axum);
        check("actix", case, &from_actix);
        assert_eq!(from_axum.headers, from_actix.headers, "{}", case.name);
        assert_eq!(from_axum.body, from_actix.body, "{}", case.name);
    }
}
