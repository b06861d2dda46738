use super::*;
use crate::transform::css::scan as walk;

/// The lexer's scan, checked against cssparser's walk: when the lexer is sure, both agree.
fn lexed(text: &str) -> Option<Scan> {
    let lexed = scan(text);
    if let Some(lexed) = &lexed {
        assert_eq!(Some(lexed), walk::scan(text).as_ref(), "{text:?}");
    }
    lexed
}

fn urls(text: &str) -> Vec<String> {
    lexed(text)
        .unwrap()
        .refs
        .into_iter()
        .map(|f| f.url)
        .collect()
}

#[test]
fn every_kind_of_reference_is_found_as_the_walk_finds_it() {
    let text = "@import 'a.css' print;\n@import url(b.css);\n\
                .x{background:url( \"c.png\" ) , url(d.png)}\n\
                .y{background-image:image-set('e.png' 1x, \"f.png\" 2x)}\n\
                :root{--i:url(g.svg)}@media print{.z{background:url(h.png)}}\n\
                @import url(\"i.css\") screen;@font-face{src:url(j.woff2)format('woff2')}\n\
                .k{mask:-webkit-image-set(url(k.png) 1x, 'l.png' 2x)}";
    assert_eq!(
        urls(text),
        [
            "a.css", "b.css", "c.png", "d.png", "e.png", "f.png", "g.svg", "h.png", "i.css",
            "j.woff2", "k.png", "l.png"
        ]
    );
    let scan = lexed(text).unwrap();
    assert_eq!(&text[scan.refs[1].span.clone()], "url(b.css)");
    assert_eq!(&text[scan.refs[2].span.clone()], "\"c.png\"");
    assert_eq!(scan.import_at, Some((1, 1)));
}

#[test]
fn names_end_where_css_syntax_ends_them() {
    // A hash, a dimension, an at-keyword or a longer name before `(` is no `url(`; `<!--`
    // and `-->` are tokens of their own.
    let text = "#url(a.png) 1.5url(b.png) @url(c.png) xurl(d.png) -url(e.png) \
                <!--url(f.png) -->url(g.png) 5%url(h.png) .url(i.png) +url(j.png)";
    assert_eq!(urls(text), ["f.png", "g.png", "h.png", "i.png", "j.png"]);
    // Names are compared without regard to case.
    assert_eq!(
        urls(".a{b:URL(k.png) Image-Set('l.png' 1x)}"),
        ["k.png", "l.png"]
    );
}

#[test]
fn comments_strings_and_namespaces_hold_no_references() {
    let text = "/* url(a.png) */ @namespace svg url(http://www.w3.org/2000/svg);\n\
                @namespace x url(\"local-name\");\n\
                .a::after{content:\"url(b.png)\"}\n\
                .b{font-family:'c.png'}\n\
                .c{background:image-set('d.png' 1x)}";
    assert_eq!(urls(text), ["d.png"]);
}

#[test]
fn positions_count_lines_and_columns_as_cssparser_does() {
    // Line ends of every kind, and characters outside the BMP (two UTF-16 units).
    for text in [
        "\n\n.a {\n  background: url(x.png);\n}",
        "\r\n\r\n.a {\r\n  background: url(x.png);\r\n}",
        "\r\x0c.a{}\n.b::before{content:'😀é'; background: url(x.png)}",
        "/* 😀\n😀 */ .a{b:url( 'x.png' )}",
    ] {
        let found = &lexed(text).unwrap().refs[0];
        assert_eq!(found.url, "x.png");
    }
    let found = &lexed("\n\n.a {\n  background: url(x.png);\n}")
        .unwrap()
        .refs[0];
    assert_eq!((found.line, found.column), (4, 15));
}

#[test]
fn escapes_are_followed_where_they_name_nothing() {
    // Escaped names that are no function, and escapes in strings that are no reference.
    assert_eq!(
        urls(".md\\:flex{x:url(a.png)} .\\31 0{content:'\\'x'} #\\!id{y:url(b.png)}"),
        ["a.png", "b.png"]
    );
    // A hex escape takes one blank after it: the name goes on past it, and is no `url`.
    let text = ".a{b:\\31 url(c.png)}";
    assert!(scan(text).is_none() || urls(text).is_empty());
    assert_eq!(walk::scan(text).unwrap().refs.len(), 0);
}

#[test]
fn the_lexer_is_unsure_where_cssparser_reads_more() {
    for text in [
        // Cut short: strings, comments, `url()`, blocks.
        ".a{content:'x}",
        ".a{content:\"x\ny\"}",
        ".a{} /* open",
        ".a{b:url(x.png}",
        ".a{b:url(x.png",
        ".a{",
        // Closers that close nothing or the wrong thing.
        ".a{}}",
        ".a{b:c)}",
        // Malformed `url()`s.
        ".a{b:url(a b.png)}",
        ".a{b:url(a(b).png)}",
        // Escapes in what would be reported, or in a function's name.
        "@import 'a\\2e css';",
        ".a{b:url(a\\2e png)}",
        ".a{b:u\\72l(x.png)}",
        "@\\69mport 'a.css';",
        // A NUL byte; a backslash before a line end.
        ".a{b:c}\0",
        ".a{b:\\\nc}",
    ] {
        assert!(scan(text).is_none(), "{text:?}");
    }
    let deep = format!(".a{{b:{}x{}}}", "(".repeat(CSS_MAX), ")".repeat(CSS_MAX));
    assert!(scan(&deep).is_none());
    let shallow = format!(".a{{b:{}url(x.png){}}}", "(".repeat(50), ")".repeat(50));
    assert_eq!(urls(&shallow), ["x.png"]);
}

#[test]
fn the_last_map_comment_is_reported() {
    let text = ".a{}/*# sourceMappingURL=old.map */\n.b{}/*# sourceMappingURL=app.css.map */\n";
    let comment = lexed(text).unwrap().map_comment.unwrap();
    assert_eq!(comment.url, "app.css.map");
}

/// Pieces of stylesheets, chosen to meet at every boundary the lexer decides on.
const PIECES: &[&str] = &[
    "url(",
    "URL(",
    "url( ",
    "a.png",
    "'b.png'",
    "\"c.css\"",
    ")",
    "(",
    "{",
    "}",
    "[",
    "]",
    ",",
    ";",
    ":",
    " ",
    "\n",
    "\r\n",
    "\r",
    "\x0c",
    "/*",
    "*/",
    "/*# sourceMappingURL=m.map */",
    "@import ",
    "@namespace ",
    "@media ",
    "@",
    "#",
    "-",
    "--",
    "<!--",
    "-->",
    ".",
    "+",
    "1",
    "1.5x",
    "e",
    "u",
    "image-set(",
    "-webkit-image-set(",
    "\\",
    "\\31 ",
    "\\:",
    "é",
    "😀",
    "x",
    "'",
    "\"",
    "%",
    "!",
    "\t",
    "url(d.png)",
    "url('e.png')",
    "url( \"f.png\" )",
    "@import 'g.css';",
    "image-set('h.png' 1x, \"i.png\" 2x)",
    "url(j.png) ",
];

/// A xorshift generator: the same texts on every run.
fn random() -> impl FnMut() -> u64 {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// Random stylesheets made of [`PIECES`].
#[test]
fn on_random_stylesheets_the_lexer_agrees_with_the_walk_or_leaves_them_to_it() {
    let mut next = random();
    let (mut sure, mut found) = (0, 0);
    for _ in 0..30_000 {
        let len = 1 + next() % 24;
        let text: String = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        if let Some(scan) = lexed(&text) {
            sure += 1;
            found += scan.refs.len();
        }
    }
    // Enough texts are read, with references in them, for the agreement to mean something.
    eprintln!("the lexer read {sure} of 30,000 texts, {found} references");
    assert!(sure > 3_000, "{sure}");
    assert!(found > 1_500, "{found}");
}

/// The stylesheets of the corpus, the fixtures and the example app.
fn stylesheets() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut paths = Vec::new();
    for tree in crate::transform::agreement::TREES {
        let kind = crate::discover::Kind::Css;
        crate::transform::agreement::files(&root.join(tree), kind, &mut paths);
    }
    paths
}

/// Every stylesheet of the corpus, the fixtures and the example app: the lexer reads each
/// one, and finds what cssparser's walk finds.
#[test]
fn the_lexer_reads_every_stylesheet_of_the_corpus_as_the_walk_does() {
    let paths = stylesheets();
    let mut unsure = Vec::new();
    for path in &paths {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        if lexed(&text).is_none() && walk::scan(&text).is_some() {
            unsure.push(path.display().to_string());
        }
    }
    eprintln!(
        "{} stylesheets; the lexer left {unsure:?} to the walk",
        paths.len()
    );
    assert!(paths.len() >= 10, "{}", paths.len());
    assert!(
        unsure.is_empty(),
        "the lexer should read every stylesheet: {unsure:?}"
    );
}

/// Stylesheets of the corpus with a piece put in at random places: inside strings, comments,
/// names and `url()`s.
#[test]
fn on_broken_corpus_stylesheets_the_lexer_agrees_with_the_walk_or_leaves_them_to_it() {
    let paths = stylesheets();
    let mut next = random();
    for path in &paths {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        for _ in 0..4 {
            let mut at = (next() % (text.len() as u64 + 1)) as usize;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let piece = PIECES[(next() % PIECES.len() as u64) as usize];
            lexed(&format!("{}{piece}{}", &text[..at], &text[at..]));
        }
    }
}
