//! `@import` inlining with lightningcss's bundler, over the build's files in memory.
//!
//! The bundler only moves rules around; it does not know that a `url()` in an imported file is
//! relative to that file. So every stylesheet reachable through `@import` is first rewritten on
//! its own, its references resolved against itself and written relative to the entry, and the
//! bundler is given those texts.

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::io;
use std::path::{Path, PathBuf};

use lightningcss::bundler::{ResolveResult, SourceProvider};
use lightningcss::rules::CssRule;
use lightningcss::stylesheet::{ParserOptions, PrinterOptions, StyleSheet};
use lightningcss::values::url::Url;
use lightningcss::visitor::{Visit, VisitTypes, Visitor};

use crate::discover::Kind;
use crate::error::Diagnostic;
use crate::reference::{Ref, Resolver, Syntax};
use crate::transform::input::Input;
use crate::transform::nesting;
use crate::transform::position::LineIndex;

/// The rewritten stylesheets, by logical path, for the bundler.
pub(super) struct Provider {
    texts: HashMap<PathBuf, String>,
    mount_path: String,
    hash_len: usize,
}

impl SourceProvider for Provider {
    type Error = io::Error;

    fn read<'a>(&'a self, file: &Path) -> Result<&'a str, io::Error> {
        self.texts
            .get(file)
            .map(String::as_str)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, file.display().to_string()))
    }

    fn resolve(&self, specifier: &str, originating: &Path) -> Result<ResolveResult, io::Error> {
        let from = originating.to_string_lossy();
        let resolver = Resolver::new(&from, &self.mount_path, self.hash_len, 0);
        Ok(match resolver.resolve(specifier, Syntax::Url, 1, 1) {
            Some(r) if self.texts.contains_key(Path::new(&r.target)) => {
                ResolveResult::File(PathBuf::from(r.target))
            }
            // Remote and missing imports stay `@import`s; missing ones are reported as
            // dangling references.
            _ => ResolveResult::External(specifier.to_string()),
        })
    }
}

/// What [`prepare`] found: the texts for the bundler, the references of all of them, and the
/// files read besides the entry (for the cache).
pub(super) struct Prepared {
    pub provider: Provider,
    pub refs: Vec<Ref>,
    pub reads: Vec<(String, Option<[u8; 32]>)>,
}

/// Rewrites the entry and every stylesheet it imports, transitively.
pub(super) fn prepare(input: &Input, entry_text: &str) -> Result<Prepared, Diagnostic> {
    let mut texts = HashMap::new();
    let mut refs = Vec::new();
    let mut reads = Vec::new();
    let mut queue: BTreeMap<String, String> = BTreeMap::new();
    queue.insert(input.logical.to_string(), entry_text.to_string());
    while let Some((logical, text)) = queue.pop_first() {
        let display = if logical == input.logical {
            input.display.to_string()
        } else {
            logical.clone()
        };
        let options = ParserOptions {
            filename: logical.clone(),
            ..ParserOptions::default()
        };
        if let Some(offset) = nesting::css_too_deep(&text, nesting::CSS_MAX) {
            let (line, column) = LineIndex::new(&text).position(offset);
            return Err(
                Diagnostic::new(&display, nesting::message(nesting::CSS_MAX)).at(line, column),
            );
        }
        let mut sheet = StyleSheet::parse(&text, options).map_err(|e| {
            let d = Diagnostic::new(&display, e.kind.to_string());
            match &e.loc {
                Some(l) => d.at(l.line + 1, l.column),
                None => d,
            }
        })?;
        let resolver = Resolver::new(
            &logical,
            &input.options.mount_path,
            input.options.hash_len,
            input.salt,
        )
        .located_at(input.location);
        let mut rewriter = UrlsOnly {
            resolver: &resolver,
            refs: Vec::new(),
            imports: Vec::new(),
        };
        let _ = sheet.visit(&mut rewriter);
        for import in rewriter.imports {
            let seen =
                texts.contains_key(Path::new(&import.target)) || queue.contains_key(&import.target);
            let found = input.files.get(&import.target);
            if !seen {
                reads.push((
                    import.target.clone(),
                    found.as_deref().map(crate::hash::sha256),
                ));
            }
            match found {
                Some(bytes) if !seen && Kind::of(&import.target) == Kind::Css => {
                    queue.insert(
                        import.target.clone(),
                        String::from_utf8_lossy(&bytes).into_owned(),
                    );
                }
                Some(_) => {}
                None => refs.push(Ref {
                    origin: Some(display.clone()),
                    ..import
                }),
            }
        }
        for mut r in rewriter.refs {
            if logical != input.logical {
                r.origin = Some(display.clone());
            }
            refs.push(r);
        }
        let printed = sheet
            .to_css(PrinterOptions::default())
            .map_err(|e| Diagnostic::new(&display, e.kind.to_string()))?;
        texts.insert(PathBuf::from(&logical), printed.code);
    }
    let provider = Provider {
        texts,
        mount_path: input.options.mount_path.clone(),
        hash_len: input.options.hash_len,
    };
    Ok(Prepared {
        provider,
        refs,
        reads,
    })
}

/// Rewrites `url()`s; records `@import`s without touching them (the bundler follows them).
struct UrlsOnly<'r> {
    resolver: &'r Resolver<'r>,
    refs: Vec<Ref>,
    imports: Vec<Ref>,
}

impl<'i> Visitor<'i> for UrlsOnly<'_> {
    type Error = Infallible;

    fn visit_types(&self) -> VisitTypes {
        VisitTypes::all()
    }

    fn visit_url(&mut self, url: &mut Url<'i>) -> Result<(), Infallible> {
        if let Some(r) = self
            .resolver
            .resolve(&url.url, Syntax::Url, url.loc.line, url.loc.column)
        {
            url.url = r.marker_url.clone().into();
            self.refs.push(r);
        }
        Ok(())
    }

    fn visit_rule(&mut self, rule: &mut CssRule<'i>) -> Result<(), Infallible> {
        if let CssRule::Import(import) = rule {
            let (line, column) = (import.loc.line + 1, import.loc.column);
            if let Some(r) = self
                .resolver
                .resolve(&import.url, Syntax::Url, line, column)
            {
                self.imports.push(r);
            }
        }
        rule.visit_children(self)
    }
}
