//! Live mode's compiler: the build script itself, run again by the server for one source.

use assetlock_contract::live::Compiler;

use crate::Config;
use crate::cargo;

/// The build script as a live server runs it again; `None` outside a build script run by
/// cargo (a tool calling `try_compile` has no script to run).
pub(super) fn compiler(config: &Config) -> Option<Compiler> {
    let (program, env) = cargo::build_script()?;
    Some(Compiler {
        program: program.to_string_lossy().into_owned(),
        env,
        tailwind: config.tailwind_entries.clone(),
    })
}
