//! Progress while objects are uploaded, checked or deleted: a bar on a terminal, plain lines
//! otherwise.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use super::Progress;

/// The display of one batch of work.
pub(crate) struct Meter {
    bar: Option<ProgressBar>,
    lines: bool,
}

impl Meter {
    /// Starts showing `total` steps of work described by `label` ("uploading").
    pub(crate) fn start(progress: Progress, total: usize, label: &'static str) -> Meter {
        let terminal = std::io::stderr().is_terminal();
        match progress {
            Progress::Hidden => Meter {
                bar: None,
                lines: false,
            },
            Progress::Auto if terminal && total > 0 => {
                let style = ProgressStyle::with_template(
                    "{prefix} [{bar:30}] {pos}/{len} {wide_msg} ({elapsed})",
                )
                .map(|s| s.progress_chars("=> "))
                .unwrap_or_else(|_| ProgressStyle::default_bar());
                let bar = ProgressBar::new(total as u64)
                    .with_style(style)
                    .with_prefix(label);
                Meter {
                    bar: Some(bar),
                    lines: false,
                }
            }
            Progress::Auto | Progress::Lines => Meter {
                bar: None,
                lines: true,
            },
        }
    }

    /// One step done; `line` describes it ("uploaded css/app.1234.css (2.1 KiB)").
    pub(crate) fn step(&self, line: impl FnOnce() -> String) {
        if let Some(bar) = &self.bar {
            bar.set_message(line());
            bar.inc(1);
        } else if self.lines {
            eprintln!("{}", line());
        }
    }

    /// Removes the bar; the caller prints the summary.
    pub(crate) fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
