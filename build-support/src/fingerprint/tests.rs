use super::*;
use std::path::Path;

#[test]
fn a_record_reads_back_as_written() {
    let stamp = Stamp::of(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("Cargo.toml")
            .as_path(),
    )
    .unwrap();
    let record = Record {
        identity: "abc".into(),
        stamped_at: 1_700_000_000_123_456_789,
        inputs: vec![Input {
            path: PathBuf::from("/site/assets/a b\tc.css"),
            stamp,
            digest: "00ff".into(),
        }],
        outputs: [("assetlock/dist/a.1234.css".to_owned(), stamp)].into(),
        build_id: "0123456789abcdef".into(),
        urls: vec![("a b\tc.css".into(), "/assets/a%20b%09c.1234.css".into())],
        warnings: vec![("assets/a.css".into(), Some((1, 2)), "dangling \"x\"".into())],
    };
    assert_eq!(Record::parse(&record.render()), Some(record));
}

#[test]
fn anything_unrecognised_is_no_record() {
    assert_eq!(Record::parse(""), None);
    assert_eq!(Record::parse("assetlock fingerprint 0\n"), None);
    let text = "assetlock fingerprint 1\nidentity\tx\nstamped\t1\nbuild\ty\nin\tnot a stamp\n";
    assert_eq!(Record::parse(text), None);
}
