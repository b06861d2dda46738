//! One deploy step (upload, verify or prune of a build on disk) run in another process: this
//! test binary again, under `faketime` when the step needs another clock. A test binary that
//! uses it declares the child's entry point:
//!
//! ```ignore
//! #[test]
//! #[ignore = "run by the tests of this file, in a child process"]
//! fn pipeline_child() {
//!     support::pipeline::child();
//! }
//! ```

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use assetlock::upload::{Destination, Options, Source, run};

use super::s3::{PREFIX, SECRET_KEY, client};

/// A deploy step.
#[derive(Clone, Copy, Debug)]
pub enum Step {
    Upload,
    Verify,
    Prune { keep: usize, grace: Duration },
}

impl Step {
    fn encode(self) -> String {
        match self {
            Step::Upload => "upload".into(),
            Step::Verify => "verify".into(),
            Step::Prune { keep, grace } => format!("prune:{keep}:{}", grace.as_millis()),
        }
    }

    fn decode(text: &str) -> Step {
        match text.split(':').collect::<Vec<_>>()[..] {
            ["upload"] => Step::Upload,
            ["verify"] => Step::Verify,
            ["prune", keep, millis] => Step::Prune {
                keep: keep.parse().unwrap(),
                grace: Duration::from_millis(millis.parse().unwrap()),
            },
            _ => panic!("unknown step {text}"),
        }
    }

    /// The options of the step, without progress output.
    pub fn options(self) -> Options {
        let options = match self {
            Step::Upload => Options::upload(),
            Step::Verify => Options::verify(),
            Step::Prune { keep, grace } => Options::prune(keep, grace),
        };
        super::quiet(options)
    }
}

/// Whether `faketime` is installed (see `assetlock_test_support::tools::available`).
pub fn faketime_installed() -> bool {
    use assetlock_test_support::tools;
    tools::available(
        "faketime",
        tools::program("faketime"),
        "apt-get install faketime",
    )
}

/// Runs `step` for the build at `manifest`/`dist` against `s3://BUCKET/PREFIX` of the server
/// at `endpoint`, in a child process whose clock is off by `offset` (a `faketime` offset such
/// as `-3d`, or `None` for the real clock). Returns whether it succeeded, and what it printed.
pub fn run_in_child(
    endpoint: &str,
    (manifest, dist): (&Path, &Path),
    step: Step,
    offset: Option<&str>,
) -> (bool, String) {
    let exe = std::env::current_exe().unwrap();
    let mut command = match offset {
        Some(offset) => {
            let mut command = Command::new("faketime");
            command.args(["-f", offset]).arg(exe);
            command
        }
        None => Command::new(exe),
    };
    let output = command
        .args(["--exact", "pipeline_child", "--ignored", "--nocapture"])
        // Only the wall clock moves: the monotonic clock stays as the kernel keeps it.
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .env("PIPELINE_CHILD_ENDPOINT", endpoint)
        .env("PIPELINE_CHILD_MANIFEST", manifest)
        .env("PIPELINE_CHILD_DIST", dist)
        .env("PIPELINE_CHILD_STEP", step.encode())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

/// The child's side: runs the step its environment names, prints the report, and fails the
/// (ignored) test when the step fails. Without that environment it does nothing.
pub fn child() {
    let Some(endpoint) = std::env::var_os("PIPELINE_CHILD_ENDPOINT") else {
        return;
    };
    let var = |name: &str| std::env::var(name).unwrap();
    let source =
        Source::from_manifest_json(var("PIPELINE_CHILD_MANIFEST"), var("PIPELINE_CHILD_DIST"))
            .unwrap();
    let endpoint = endpoint.into_string().unwrap();
    let dest = Destination::s3(client(&endpoint, SECRET_KEY), PREFIX).unwrap();
    let step = Step::decode(&var("PIPELINE_CHILD_STEP"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    match runtime.block_on(run(&source, &dest, &step.options())) {
        Ok(report) => println!("{report}"),
        Err(error) => panic!("{step:?} failed: {error}"),
    }
}
