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
#[proc_macro]
pub fn asset_url(input: TokenStream) -> TokenStream {
    expand(input, "asset_url", Field::Url, "url()")
}

/// The Subresource Integrity value (`sha384-...`) of an asset, checked at compile time:
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
    match lookup::find(&literal.value(), field) {
        Ok(url) => LitStr::new(&url, span).into_token_stream().into(),
        Err(message) => compile_error(span, &message),
    }
}

fn compile_error(span: Span, message: &str) -> TokenStream {
    quote_spanned!(span=> ::core::compile_error!(#message)).into()
}
