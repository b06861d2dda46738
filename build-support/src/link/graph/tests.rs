use super::*;

fn node(logical: &str, text: &str, deps: &[(usize, &str)]) -> Node {
    Node {
        logical: logical.to_string(),
        bytes: text.as_bytes().to_vec(),
        deps: deps.iter().map(|&(i, m)| (i, m.to_string())).collect(),
        digest: None,
    }
}

#[test]
fn dependency_hash_is_substituted_before_hashing_the_referrer() {
    // 0: css referencing font 1 through marker "mmmmmmmm"
    let nodes = vec![
        node("app.css", "url(font.mmmmmmmm.woff)", &[(1, "mmmmmmmm")]),
        node("font.woff", "FONT", &[]),
    ];
    let hashed = hash_all(nodes, 8);
    let font_hash = &hashed[1].name_hash;
    assert_eq!(font_hash, &hash::hex(&hash::sha256(b"FONT"))[..8]);
    let css = String::from_utf8(hashed[0].bytes.clone()).unwrap();
    assert_eq!(css, format!("url(font.{font_hash}.woff)"));
    assert_eq!(
        hashed[0].name_hash,
        hash::hex(&hash::sha256(css.as_bytes()))[..8]
    );
}

#[test]
fn changing_a_dependency_changes_the_referrer_only() {
    let build = |font: &str| {
        hash_all(
            vec![
                node("app.css", "url(font.mmmmmmmm.woff)", &[(1, "mmmmmmmm")]),
                node("font.woff", font, &[]),
                node("other.css", "body{}", &[]),
            ],
            8,
        )
    };
    let (a, b) = (build("FONT1"), build("FONT2"));
    assert_ne!(a[0].name_hash, b[0].name_hash);
    assert_ne!(a[1].name_hash, b[1].name_hash);
    assert_eq!(a[2].name_hash, b[2].name_hash);
}

#[test]
fn cycle_members_reference_each_others_final_names() {
    let nodes = vec![
        node("a.js", "import './b.bbbbbbbb.js'", &[(1, "bbbbbbbb")]),
        node("b.js", "import './a.aaaaaaaa.js'", &[(0, "aaaaaaaa")]),
    ];
    let hashed = hash_all(nodes, 8);
    let a = String::from_utf8(hashed[0].bytes.clone()).unwrap();
    let b = String::from_utf8(hashed[1].bytes.clone()).unwrap();
    assert_eq!(a, format!("import './b.{}.js'", hashed[1].name_hash));
    assert_eq!(b, format!("import './a.{}.js'", hashed[0].name_hash));
    assert_ne!(hashed[0].name_hash, hashed[1].name_hash);
}

#[test]
fn cycle_hash_changes_when_any_member_changes() {
    let build = |extra: &str| {
        hash_all(
            vec![
                node("a.js", "import './b.bbbbbbbb.js'", &[(1, "bbbbbbbb")]),
                node(
                    "b.js",
                    &format!("import './a.aaaaaaaa.js'{extra}"),
                    &[(0, "aaaaaaaa")],
                ),
            ],
            8,
        )
    };
    let (x, y) = (build(""), build(";1"));
    assert_ne!(x[0].name_hash, y[0].name_hash);
    assert_ne!(x[1].name_hash, y[1].name_hash);
}

#[test]
fn components_come_out_dependencies_first() {
    // 0 -> 1 -> 2, 2 -> 1 (cycle {1,2}), 3 alone
    let nodes = vec![
        node("0", "", &[(1, "x")]),
        node("1", "", &[(2, "y")]),
        node("2", "", &[(1, "z")]),
        node("3", "", &[]),
    ];
    let components = strongly_connected(&nodes);
    let position = |n: usize| components.iter().position(|c| c.contains(&n)).unwrap();
    assert_eq!(position(1), position(2));
    assert!(position(1) < position(0));
    assert_eq!(components.len(), 3);
}

#[test]
fn self_reference_is_hashed_as_a_cycle() {
    let nodes = vec![node("a.css", "url(a.ssssssss.css)", &[(0, "ssssssss")])];
    let hashed = hash_all(nodes, 8);
    let text = String::from_utf8(hashed[0].bytes.clone()).unwrap();
    assert_eq!(text, format!("url(a.{}.css)", hashed[0].name_hash));
}

#[test]
fn deep_chains_do_not_overflow_the_stack() {
    let n = 20_000;
    let nodes: Vec<Node> = (0..n)
        .map(|i| {
            let deps: &[(usize, &str)] = if i + 1 < n {
                &[(i + 1, "dddddddd")]
            } else {
                &[]
            };
            node(&i.to_string(), "x", deps)
        })
        .collect();
    assert_eq!(strongly_connected(&nodes).len(), n);
}
