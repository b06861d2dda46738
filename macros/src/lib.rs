//! Procedural macros of [assetlock](https://docs.rs/assetlock). Use them through the
//! `assetlock` crate, which re-exports them.
#![deny(missing_docs)]

mod lookup;

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::{ToTokens, quote_spanned};
use syn::LitStr;

use lookup::Field;

/// The hashed URL of an asset, checked at compile time: expands to a `&'static str` literal.
///
/// The argument is the asset's logical path, relative to its asset dir. An unknown path does
/// not compile, and the error names the closest existing path. The crate's `build.rs` must run
/// `assetlock_build::Config::compile()`, which writes the table this macro reads.
///
/// ```ignore
/// use assetlock::asset_url;
///
/// const STYLESHEET: &str = asset_url!("css/app.css"); // "/assets/css/app.3f2a9c1b7e04d5a6.css"
/// // asset_url!("css/ap.css")
/// // error: no asset named `css/ap.css`; did you mean `css/app.css`?
/// ```
///
/// For a path known only at run time, use `MANIFEST.get(path)`.
///
/// In a library crate that ships its assets (`Config::library`), the name is checked the same
/// way, and the macro expands to an expression (not `const`) that gives, at run time, the URL
/// the app serves the asset at (see `Config::dependency_assets`).
#[proc_macro]
pub fn asset_url(input: TokenStream) -> TokenStream {
    expand(input, "asset_url", Field::Url, "url()")
}

/// The Subresource Integrity value (`sha256-...` by default) of an asset, checked at compile time:
/// expands to a `&'static str` literal, for `integrity="..."` attributes.
///
/// Takes the same argument as [`asset_url!`] and fails to compile the same way.
///
/// ```ignore
/// use assetlock::{asset_integrity, asset_url};
///
/// let tag = format!(
///     r#"<link rel="stylesheet" href="{}" integrity="{}" crossorigin="anonymous">"#,
///     asset_url!("css/app.css"),
///     asset_integrity!("css/app.css"),
/// );
/// ```
///
/// For a path known only at run time, use `MANIFEST.get(path)` and `Asset::integrity()`.
#[proc_macro]
pub fn asset_integrity(input: TokenStream) -> TokenStream {
    expand(input, "asset_integrity", Field::Integrity, "integrity()")
}

/// The width and height of an image asset, checked at compile time: a `(u32, u32)` of the
/// size browsers show it at (EXIF orientation applied; an SVG's from its root element).
///
/// ```ignore
/// const HERO: (u32, u32) = assetlock::asset_dimensions!("img/hero.jpg"); // (1600, 900)
/// ```
///
/// An asset that is no image, or an SVG whose root element gives no size, does not compile.
#[proc_macro]
pub fn asset_dimensions(input: TokenStream) -> TokenStream {
    let Ok(literal) = syn::parse::<LitStr>(input) else {
        return compile_error(
            Span::call_site(),
            "asset_dimensions! takes one string literal naming an image, like \
             `asset_dimensions!(\"img/hero.jpg\")`; at run time use `MANIFEST.image(path)`",
        );
    };
    let span = literal.span();
    let found = lookup::find(&literal.value(), Field::Dimensions);
    let dimensions = found.and_then(|d| {
        let (w, h) = d.split_once(',').ok_or_else(|| {
            format!(
                "`{}` has no dimensions: it is not an image, or an SVG whose root element \
                 gives no size (`width`/`height` in pixels or a `viewBox`)",
                literal.value()
            )
        })?;
        Ok((w.parse::<u32>().unwrap_or(0), h.parse::<u32>().unwrap_or(0)))
    });
    match dimensions {
        Ok((width, height)) => quote_spanned!(span=> (#width, #height)).into(),
        Err(message) => compile_error(span, &message),
    }
}

/// Exports this crate's assets to the other crates of a workspace: defines `asset_url!` and
/// `asset_integrity!` at this crate's root, bound to this crate's manifest, with the same
/// compile-time check.
///
/// Call it once, at the root of the crate whose `build.rs` builds the assets. Another crate
/// of the workspace that depends on it writes `site::asset_url!("css/app.css")`: an unknown
/// name fails to compile there too, with the same message, and the assets are built once, by
/// the owning crate. (In the owning crate itself, call assetlock's own macros by path,
/// `assetlock::asset_url!`, or import them in a module: a `use assetlock::asset_url;` at its
/// root would clash with the exported name.)
///
/// ```ignore
/// // site/src/lib.rs (site/build.rs runs assetlock_build)
/// assetlock::include_manifest!();
/// assetlock::export_asset_macros!();
///
/// // ui/src/lib.rs (depends on `site`)
/// pub fn stylesheet() -> &'static str {
///     site::asset_url!("css/app.css")
/// }
/// ```
#[proc_macro]
pub fn export_asset_macros(input: TokenStream) -> TokenStream {
    if !input.is_empty() {
        return compile_error(Span::call_site(), "export_asset_macros! takes no arguments");
    }
    let manifest = match lookup::own_manifest() {
        Ok(path) => path.to_string_lossy().into_owned(),
        Err(message) => return compile_error(Span::call_site(), &message),
    };
    quote::quote!(
        #[doc(hidden)]
        pub use ::assetlock as __assetlock_exported;

        /// The hashed URL of one of this crate's assets, checked at compile time (see
        /// `assetlock::asset_url!`).
        #[macro_export]
        macro_rules! asset_url {
            ($path:literal) => {
                $crate::__assetlock_exported::__asset_url_in!(#manifest, $path)
            };
        }

        /// The Subresource Integrity value of one of this crate's assets, checked at compile
        /// time (see `assetlock::asset_integrity!`).
        #[macro_export]
        macro_rules! asset_integrity {
            ($path:literal) => {
                $crate::__assetlock_exported::__asset_integrity_in!(#manifest, $path)
            };
        }
    )
    .into()
}

/// `asset_url!` against the manifest at a given path: what `export_asset_macros!` expands to.
#[doc(hidden)]
#[proc_macro]
pub fn __asset_url_in(input: TokenStream) -> TokenStream {
    expand_in(input, Field::Url)
}

/// `asset_integrity!` against the manifest at a given path.
#[doc(hidden)]
#[proc_macro]
pub fn __asset_integrity_in(input: TokenStream) -> TokenStream {
    expand_in(input, Field::Integrity)
}

fn expand_in(input: TokenStream, field: Field) -> TokenStream {
    let parser = syn::punctuated::Punctuated::<LitStr, syn::Token![,]>::parse_terminated;
    let args = match syn::parse::Parser::parse(parser, input) {
        Ok(args) if args.len() == 2 => args,
        _ => {
            return compile_error(
                Span::call_site(),
                "takes one string literal naming an asset, like `asset_url!(\"css/app.css\")`",
            );
        }
    };
    let (manifest, literal) = (&args[0], &args[1]);
    let span = literal.span();
    match lookup::find_in(
        std::path::Path::new(&manifest.value()),
        &literal.value(),
        field,
    ) {
        Ok(value) => LitStr::new(&value, span).into_token_stream().into(),
        Err(message) => compile_error(span, &message),
    }
}

fn expand(input: TokenStream, name: &str, field: Field, accessor: &str) -> TokenStream {
    let literal = match syn::parse::<LitStr>(input) {
        Ok(literal) => literal,
        Err(e) => {
            let message = format!(
                "{name}! takes one string literal naming an asset, like \
                 `{name}!(\"css/app.css\")`; for a path known only at run time use \
                 `MANIFEST.get(path)` and `.{accessor}`"
            );
            return compile_error(e.span(), &message);
        }
    };
    let span = literal.span();
    match (lookup::find(&literal.value(), field), lookup::library()) {
        (Ok(own), Some((name, version))) => library_lookup(&name, &version, &literal, &own, field),
        (Ok(url), None) => LitStr::new(&url, span).into_token_stream().into(),
        (Err(message), _) => compile_error(span, &message),
    }
}

/// In a library crate (`Config::library`): the value in the app's manifest, looked up once at
/// run time, or `own` (the library's own build's) without an app.
fn library_lookup(
    name: &str,
    version: &str,
    literal: &LitStr,
    own: &str,
    field: Field,
) -> TokenStream {
    let span = literal.span();
    let integrity = field == Field::Integrity;
    quote_spanned!(span=> {
        static VALUE: ::std::sync::OnceLock<&'static str> = ::std::sync::OnceLock::new();
        *VALUE.get_or_init(|| {
            ::assetlock::__private::library_asset(#name, #version, #literal, #own, #integrity)
        })
    })
    .into()
}

fn compile_error(span: Span, message: &str) -> TokenStream {
    quote_spanned!(span=> ::core::compile_error!(#message)).into()
}
