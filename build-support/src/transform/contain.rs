//! Panics inside a parser, minifier or printer, caught and turned into a message about the
//! file, so one hostile file cannot take the build down with a panic dump.
//!
//! Build scripts ignore the profile's `panic = "abort"`, so unwinding is always available.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::Once;

thread_local! {
    /// Whether this thread is inside [`catch_panic`].
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    /// The message of the panic being caught, as the hook saw it.
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `work`; a panic becomes `Err` with its message and where it happened. The panic hook
/// stays quiet about panics caught here (cargo shows a failed build script's stderr, and the
/// diagnostic already says it all) and reports every other panic as before.
pub(crate) fn catch_panic<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    let outer = CATCHING.replace(true);
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    CATCHING.set(outer);
    result.map_err(|payload| {
        CAUGHT.take().unwrap_or_else(|| {
            payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panicked".to_string())
        })
    })
}

fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.get() {
                CAUGHT.set(Some(describe(info)));
            } else {
                previous(info);
            }
        }));
    });
}

/// `message at crate-1.0/src/file.rs:12:5`, without the machine's registry path.
fn describe(info: &PanicHookInfo) -> String {
    let message = info.payload_as_str().unwrap_or("panicked");
    match info.location() {
        Some(at) => {
            let file = at.file();
            let file = file
                .split_once("/registry/src/")
                .and_then(|(_, rest)| rest.split_once('/'))
                .map_or(file, |(_, path)| path);
            format!("{message} at {file}:{}:{}", at.line(), at.column())
        }
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_location() {
        let caught = catch_panic(|| -> u32 { panic!("boom {}", 1) }).unwrap_err();
        assert!(caught.starts_with("boom 1 at "), "{caught}");
        assert!(caught.contains("contain.rs:"), "{caught}");
        assert_eq!(catch_panic(|| 7), Ok(7));
    }
}
