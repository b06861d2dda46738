//! Compile-time behaviour of `asset_url!`: pass cases compile and run, fail cases pin the error.
//!
//! trybuild compiles each case as a binary of its own project, which has no build script. The
//! cases read this crate's manifest: `OUT_DIR` is passed on to that build, as cargo passes it to
//! this crate's own targets.

#[test]
fn asset_url() {
    // SAFETY: set before trybuild starts any thread; the test binary has no other threads
    // reading the environment while this single test runs.
    unsafe { std::env::set_var("OUT_DIR", env!("OUT_DIR")) };
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
