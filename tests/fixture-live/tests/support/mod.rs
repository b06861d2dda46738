//! A live server over a temporary copy of the fixture's assets, so tests edit the copy and
//! never the repository's files.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// A served copy of the assets: the server's address and the copy's dir (removed on drop).
pub struct Live {
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
}

impl Live {
    /// Copies `assets/` and serves the page and the copy on 127.0.0.1:0.
    pub async fn start() -> Live {
        let dir = copy_of_assets();
        let app = fixture_live::app(Some(dir.path().to_path_buf()));
        let addr = assetlock_test_support::loopback::serve(app).await;
        Live { addr, dir }
    }

    /// A file of the copy.
    pub fn file(&self, logical: &str) -> PathBuf {
        self.dir.path().join(logical)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

/// A temporary copy of the fixture's `assets/`.
pub fn copy_of_assets() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    assetlock_test_support::tree::copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("assets"),
        dir.path(),
    );
    dir
}
