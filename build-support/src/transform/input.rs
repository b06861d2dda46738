//! What a transform reads and what it returns, shared by the dispatcher and the CSS and JS
//! transforms: this module imports none of them. [`Entry`] is what the stage hands on to
//! linking: a file after its transform, or after the streaming lane.

use crate::error::Diagnostic;
use crate::reference::{Ref, Resolver, Syntax};
use crate::transform::options::TransformOptions;

use crate::discover::{Files, Kind, Streamed};

/// The result of transforming one file.
#[derive(Clone, Debug, Default)]
pub(crate) struct Transformed {
    /// The output, with markers where hashes of referenced assets go; empty when `as_read`.
    pub bytes: Vec<u8>,
    pub refs: Vec<Ref>,
    /// A source map for `bytes`, to be published as `<logical>.map`.
    pub map: Option<String>,
    pub warnings: Vec<Diagnostic>,
    /// Other files the transform read, with their SHA-256 (`None`: looked for, absent). A
    /// cached result is only valid while these are unchanged.
    pub reads: Vec<(String, Option<[u8; 32]>)>,
    /// The output is the input, byte for byte, and `bytes` was left empty: the caller holds
    /// the input already (see `transform::transform_kept`). Only the unminified paths, which
    /// splice into the input, set it, when they have nothing to splice.
    pub as_read: bool,
}

impl Transformed {
    /// This result with `bytes` filled from `input` when it is the input as read.
    pub fn filled(mut self, input: &[u8]) -> Transformed {
        if std::mem::take(&mut self.as_read) {
            self.bytes = input.to_vec();
        }
        self
    }
}

/// A file after its transform.
pub(crate) struct Entry {
    pub logical: String,
    pub display: String,
    pub out: Transformed,
    /// A file of the streaming lane: its output is this file, unread (`out` is empty).
    pub stream: Option<Streamed>,
    /// The SHA-256 of the output when it is known already: a file of the streaming lane, or
    /// one whose output has no reference and is the file as read, hashed when reading it.
    pub digest: Option<[u8; 32]>,
}

/// What a transform reads: one file, the transform options, and the other files (for input
/// maps).
pub(crate) struct Input<'a> {
    /// The file being read.
    pub logical: &'a str,
    /// Where the output lives: `logical`, or the bundle a part is joined into.
    pub location: &'a str,
    pub display: &'a str,
    pub options: &'a TransformOptions,
    pub files: &'a Files,
    pub salt: u32,
    /// A part of a bundle: no `@import` (CSS), no module syntax (JS), map comments dropped.
    pub part: bool,
}

/// An input source map the file's `sourceMappingURL` names.
pub(crate) struct InputMap {
    pub reference: Ref,
    /// The map, when it is one that output maps can be chained through.
    pub json: Option<String>,
}

impl InputMap {
    /// A warning that the map is not chained, and why.
    pub fn ignored(&self, display: &str, why: &str) -> Diagnostic {
        Diagnostic::new(
            display,
            format!("source map ignored: {}: {why}", self.reference.target),
        )
        .at(self.reference.line, self.reference.column)
    }
}

impl<'a> Input<'a> {
    /// A file read and written in place.
    pub fn new(
        logical: &'a str,
        display: &'a str,
        options: &'a TransformOptions,
        files: &'a Files,
    ) -> Self {
        Input {
            logical,
            location: logical,
            display,
            options,
            files,
            salt: 0,
            part: false,
        }
    }

    pub fn resolver(&self) -> Resolver<'a> {
        Resolver::new(
            self.logical,
            &self.options.mount_path,
            self.options.hash_len,
            self.salt,
        )
        .located_at(self.location)
    }

    /// The file name of the output.
    pub fn file_name(&self) -> &'a str {
        self.location.rsplit('/').next().unwrap_or(self.location)
    }

    /// How source maps name the file read: relative to the output's location.
    pub fn source_name(&self) -> String {
        crate::reference::relative_path(self.location, self.logical)
    }

    /// The input map a `sourceMappingURL` names, if it is an asset of this build. A local map
    /// that does not exist is a warning (the comment is dropped); one that is not a source map
    /// is a warning too, and stays an asset as it is, not chained; inline `data:` maps and
    /// remote maps are not chained.
    pub fn input_map(
        &self,
        url: &str,
        line: u32,
        column: u32,
        out: &mut Transformed,
    ) -> Option<InputMap> {
        let reference = self.resolver().resolve(url, Syntax::Url, line, column)?;
        let found = self.files.get(&reference.target);
        out.reads.push((
            reference.target.clone(),
            found.as_deref().map(crate::hash::sha256),
        ));
        let Some(bytes) = found else {
            out.warnings.push(self.missing_map(url, line, column));
            return None;
        };
        let json = String::from_utf8_lossy(&bytes).into_owned();
        let mut map = InputMap {
            json: None,
            reference,
        };
        match crate::transform::sourcemap::parse(&json) {
            Ok(_) => map.json = Some(json),
            Err(why) => out.warnings.push(map.ignored(self.display, &why)),
        }
        Some(map)
    }

    /// The asset a `sourceMappingURL` names, for a file kept as written: its comment is pointed
    /// at the map's hashed name, and the map ships as it is, so it is neither read nor parsed
    /// here. One that is not an asset is a warning, as in [`Input::input_map`].
    pub fn map_asset(
        &self,
        url: &str,
        line: u32,
        column: u32,
        out: &mut Transformed,
    ) -> Option<Ref> {
        let reference = self.resolver().resolve(url, Syntax::Url, line, column)?;
        if self.files.contains_key(&reference.target) {
            return Some(reference);
        }
        out.warnings.push(self.missing_map(url, line, column));
        None
    }

    fn missing_map(&self, url: &str, line: u32, column: u32) -> Diagnostic {
        Diagnostic::new(
            self.display,
            format!(
                "sourceMappingURL names `{url}`, which is not an asset; the comment is removed"
            ),
        )
        .at(line, column)
    }

    /// Links the map a transform made, published as `<location>.map`, from the end of the
    /// output with a `sourceMappingURL` comment. Drops the map when source maps are off.
    pub fn link_map(&self, out: &mut Transformed, kind: Kind) {
        if !self.options.source_maps {
            out.map = None;
        }
        if out.map.is_none() {
            return;
        }
        let name = format!("{}.map", self.file_name());
        let resolver = Resolver::new(
            self.location,
            &self.options.mount_path,
            self.options.hash_len,
            self.salt,
        );
        let Some(reference) = resolver.resolve(&name, Syntax::Url, 1, 1) else {
            return;
        };
        let (open, close) = match kind {
            Kind::Css | Kind::Sass => ("\n/*# sourceMappingURL=", " */\n"),
            _ => ("\n//# sourceMappingURL=", "\n"),
        };
        out.bytes.extend_from_slice(open.as_bytes());
        out.bytes.extend_from_slice(reference.marker_url.as_bytes());
        out.bytes.extend_from_slice(close.as_bytes());
        out.refs.push(reference);
    }
}
