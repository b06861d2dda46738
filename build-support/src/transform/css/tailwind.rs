//! Tailwind CSS: an entry built by the user's `tailwindcss` CLI (v4), run in the crate root,
//! where it finds the classes the project uses. Its output is what the CLI prints, byte for
//! byte; the stylesheet transform then rewrites and minifies it.

use std::process::{Command, Stdio};

use crate::error::Diagnostic;
use crate::transform::input::Input;

/// The CSS the CLI builds from the entry `input`.
pub(super) fn build(input: &Input) -> Result<String, Diagnostic> {
    let Some(tailwind) = input.options.tailwind_entry(input.logical) else {
        return Err(Diagnostic::new(input.display, "not a Tailwind entry"));
    };
    let Some(path) = input.files.path(input.logical) else {
        return Err(Diagnostic::new(
            input.display,
            "a Tailwind entry must be a file of an asset dir",
        ));
    };
    let output = Command::new(&tailwind.cli)
        .arg("--input")
        .arg(path)
        .arg("--cwd")
        .arg(&tailwind.cwd)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            let cli = tailwind.cli.display();
            Diagnostic::new(input.display, format!("cannot run `{cli}`")).caused_by(e)
        })?;
    if !output.status.success() {
        let said = plain(&String::from_utf8_lossy(&output.stderr));
        return Err(Diagnostic::new(
            input.display,
            format!("the Tailwind CSS CLI failed ({}): {said}", output.status),
        ));
    }
    String::from_utf8(output.stdout).map_err(|_| {
        Diagnostic::new(
            input.display,
            "the Tailwind CSS CLI printed text that is not UTF-8",
        )
    })
}

/// What the CLI said, without its terminal colours and box drawing, on one line.
fn plain(said: &str) -> String {
    let mut out = String::new();
    let mut chars = said.chars();
    while let Some(c) = chars.next() {
        match c {
            // An escape sequence: `ESC [` ... up to a letter.
            '\u{1b}' => {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            '┌' | '│' | '└' | '─' => {}
            c if c.is_whitespace() => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn what_the_cli_said_is_one_plain_line() {
        let said = "\u{1b}[2m┌\u{1b}[22m\n\u{1b}[2m│\u{1b}[22m Error: Can't resolve 'x'\n└\n";
        assert_eq!(super::plain(said), "Error: Can't resolve 'x'");
    }
}
