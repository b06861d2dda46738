// Deploy keys of the signed-release tests, made from fixed seeds: for tests only, never for a
// bucket anyone serves. Included by the build script too, which compiles the public halves in.

/// Deploy key A: (secret, public).
pub const KEY_A: (&str, &str) = (
    "ed25519-secret:oaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaE",
    "ed25519:vHy8tWNjdfodgkNNRmck2SN39TuYBpXdSdJtDOEiBaU",
);

/// Deploy key B: (secret, public).
pub const KEY_B: (&str, &str) = (
    "ed25519-secret:srKysrKysrKysrKysrKysrKysrKysrKysrKysrKysrI",
    "ed25519:VRVPQgZepaG-oFRjgmviaE65LfksEAAnqrquV8pVQgc",
);

/// A deploy key no build trusts: (secret, public).
#[allow(dead_code)] // the build script has no use for it
pub const KEY_C: (&str, &str) = (
    "ed25519-secret:w8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8M",
    "ed25519:1AS8RFZa7buJkVDlsLOzK5RBvwy3iEwzEw2o28J90s8",
);
