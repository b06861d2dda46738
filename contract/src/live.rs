//! Live dev mode's compiler: how a live server has the build script compile one TypeScript,
//! Sass or Tailwind CSS source when a page asks for it.
//!
//! A live build run by cargo describes its own build script as a [`Compiler`]: the program,
//! the environment cargo gave it, and the Tailwind entries. The generated code holds that
//! description. A server in live mode runs the program again with [`COMPILE`] naming one
//! source (a logical path) and [`OUTPUT`] a file, and reads a [`Compiled`] from that file:
//! the output or the error, and every file and folder it depends on, which the change stream
//! watches.
//!
//! Both are plain text, one field per line, so that neither side needs a parser:
//!
//! ```
//! use assetlock_contract::live::Compiled;
//!
//! let compiled = Compiled {
//!     output: Ok("a{color:red}\n".to_string()),
//!     inputs: vec!["/site/assets/css/site.scss".into(), "/site/assets/css/_x.scss".into()],
//!     dirs: Vec::new(),
//! };
//! assert_eq!(Compiled::parse(&compiled.render()), Ok(compiled));
//! ```

/// The variable naming the source to compile, as a logical path (`js/app.ts`).
pub const COMPILE: &str = "ASSETLOCK_LIVE_COMPILE";

/// The variable naming the file the build script writes its [`Compiled`] to.
pub const OUTPUT: &str = "ASSETLOCK_LIVE_OUTPUT";

/// The variable naming a folder that replaces the asset dirs for this compile (the server's
/// `ServeAssets::live_dir`).
pub const DIR: &str = "ASSETLOCK_LIVE_DIR";

/// The build script of a live build, as the server runs it again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Compiler {
    /// The build script's program.
    pub program: String,
    /// The variables cargo set for it (and the `ASSETLOCK_*` ones it read).
    pub env: Vec<(String, String)>,
    /// The logical paths of the Tailwind CSS entries: stylesheets that are compiled although
    /// their name says CSS.
    pub tailwind: Vec<String>,
}

impl Compiler {
    /// The text form, parsed back by [`Compiler::parse`].
    pub fn render(&self) -> String {
        let mut fields = vec![("program", self.program.clone())];
        fields.extend(self.env.iter().map(|(k, v)| ("env", format!("{k}={v}"))));
        fields.extend(self.tailwind.iter().map(|t| ("tailwind", t.clone())));
        render(&fields)
    }

    /// Reads the text [`Compiler::render`] wrote.
    ///
    /// # Errors
    ///
    /// A line that is not a known field, or an `env` field without `=`.
    pub fn parse(text: &str) -> Result<Compiler, String> {
        let mut compiler = Compiler::default();
        for (name, value) in parse(text)? {
            match name.as_str() {
                "program" => compiler.program = value,
                "env" => {
                    let (k, v) = value
                        .split_once('=')
                        .ok_or_else(|| format!("an env field without `=`: {value}"))?;
                    compiler.env.push((k.to_string(), v.to_string()));
                }
                "tailwind" => compiler.tailwind.push(value),
                other => return Err(format!("unknown field `{other}`")),
            }
        }
        Ok(compiler)
    }
}

/// What one compile gave: the output (JavaScript or CSS) or the build's error text, and what
/// it depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compiled {
    /// The compiled text, or every problem, one per line (`path:line:col: message`).
    pub output: Result<String, String>,
    /// The files read: the source, and each module, partial or map it took in.
    pub inputs: Vec<String>,
    /// Folders any of whose files may change the output (what the Tailwind CSS CLI scans).
    pub dirs: Vec<String>,
}

impl Compiled {
    /// The text form, parsed back by [`Compiled::parse`].
    pub fn render(&self) -> String {
        let mut fields = vec![match &self.output {
            Ok(output) => ("output", output.clone()),
            Err(error) => ("error", error.clone()),
        }];
        fields.extend(self.inputs.iter().map(|i| ("input", i.clone())));
        fields.extend(self.dirs.iter().map(|d| ("dir", d.clone())));
        render(&fields)
    }

    /// Reads the text [`Compiled::render`] wrote.
    ///
    /// # Errors
    ///
    /// A line that is not a known field, or neither an output nor an error.
    pub fn parse(text: &str) -> Result<Compiled, String> {
        let (mut output, mut inputs, mut dirs) = (None, Vec::new(), Vec::new());
        for (name, value) in parse(text)? {
            match name.as_str() {
                "output" => output = Some(Ok(value)),
                "error" => output = Some(Err(value)),
                "input" => inputs.push(value),
                "dir" => dirs.push(value),
                other => return Err(format!("unknown field `{other}`")),
            }
        }
        let output = output.ok_or("neither an output nor an error")?;
        Ok(Compiled {
            output,
            inputs,
            dirs,
        })
    }
}

/// One `name value` line per field, the value escaped so that it holds no line break.
fn render(fields: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (name, value) in fields {
        out.push_str(name);
        out.push(' ');
        for c in value.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
        out.push('\n');
    }
    out
}

fn parse(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut fields = Vec::new();
    for line in text.lines() {
        let (name, escaped) = line
            .split_once(' ')
            .ok_or_else(|| format!("a line without a value: {line}"))?;
        let mut value = String::with_capacity(escaped.len());
        let mut chars = escaped.chars();
        while let Some(c) = chars.next() {
            value.push(match (c, c == '\\') {
                (_, true) => match chars.next() {
                    Some('n') => '\n',
                    Some('r') => '\r',
                    Some('\\') => '\\',
                    other => return Err(format!("a bad escape `\\{}`", other.unwrap_or(' '))),
                },
                (c, false) => c,
            });
        }
        fields.push((name.to_string(), value));
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compiler_reads_back_with_any_characters_in_its_values() {
        let compiler = Compiler {
            program: "/t/build/app-1/build-script-build".into(),
            env: vec![
                ("OUT_DIR".into(), "/t/out".into()),
                (
                    "CARGO_ENCODED_RUSTFLAGS".into(),
                    "a\u{1f}b=c\\n\nd\r".into(),
                ),
            ],
            tailwind: vec!["css/app.css".into()],
        };
        assert_eq!(Compiler::parse(&compiler.render()), Ok(compiler));
    }

    #[test]
    fn an_error_reads_back_as_an_error() {
        let compiled = Compiled {
            output: Err("js/app.ts:1:5: Expected `;`\njs/b.ts:2:1: x".into()),
            inputs: vec!["/a/js/app.ts".into()],
            dirs: vec!["/a/src".into()],
        };
        let text = compiled.render();
        assert_eq!(text.lines().count(), 3, "{text}");
        assert_eq!(Compiled::parse(&text), Ok(compiled));
    }

    #[test]
    fn unknown_fields_and_bad_escapes_are_errors() {
        assert!(Compiled::parse("output x\nsize 3\n").is_err());
        assert!(Compiled::parse("output a\\q\n").is_err());
        assert!(Compiled::parse("input a\n").is_err());
        assert!(Compiler::parse("env NOVALUE\n").is_err());
    }
}
