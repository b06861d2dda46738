//! The in-process half of assetlock's benchmark suite (`bench/run.sh` drives it): per-stage
//! costs of the pipeline's libraries, the copy-and-hash floor of a rewrite-only build, the
//! reference scans of its unminified path, brotli's scaling across threads and processes, and
//! the generated crates of the compile-time benchmark.

pub mod brotli_threads;
pub mod built;
pub mod compile_crates;
pub mod floor;
pub mod scan;
pub mod ssim;
pub mod stages;
pub mod timing;
