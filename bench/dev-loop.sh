#!/usr/bin/env bash
# The dev loop rows: what an edit costs in the dev profile. Prints medians (ms) and ratios.
#
#   bench/dev-loop.sh [--runs N] [--build-override]
#
#   dev-1  a crate whose asset dir is the corpus (bench/fetch-corpus.sh), with the README's
#          build.rs, built with `cargo build` (dev profile, live mode by default) after:
#          `touch src/main.rs`; `touch` of one asset (content unchanged); one rule appended to
#          bootstrap.css. Target: edit <= 1.3 x touch main.rs.
#   dev-2  the build script's rerun with no change, over the corpus, as a dev build runs it
#          (PROFILE=debug, dependencies unoptimised): the `assetlock-build-dir` binary in the
#          debug profile. Target: <= 50 ms.
#   dev-3  edit -> visible in the open page in live mode, no rebuild: the example app's live
#          browser test (headless Chromium). Target: <= 300 ms.
#
# --build-override builds dev-1's crate with `profile.dev.build-override.opt-level = 3` (the
# README's advice) and prints how long that first build took.
# The crate is built in target/tests/e2e (shared with the cargo-level tests). Needs the corpus
# for dev-1 and dev-2, chromium and chromium-driver for dev-3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
runs=5
override=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --build-override) override=(--config 'profile.dev.build-override.opt-level=3'); shift ;;
        -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
unset PROFILE OPT_LEVEL NUM_JOBS OUT_DIR CARGO_MANIFEST_DIR ASSETLOCK_MINIFY \
    ASSETLOCK_PRECOMPRESS ASSETLOCK_CACHE_DIR ASSETLOCK_URL_PREFIX ASSETLOCK_LIVE RUSTFLAGS
cd "$root"
corpus="$here/corpus"
if [ ! -d "$corpus" ]; then
    echo "no corpus: run bench/fetch-corpus.sh first" >&2
    exit 1
fi

now_ms() { date +%s%3N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# dev-1: a user's crate, the corpus as its asset dir.
app="$root/target/bench/dev-loop/app"
rm -rf "$app"
mkdir -p "$app/src"
cp -r "$corpus" "$app/assets"
cat >"$app/Cargo.toml" <<EOF
[package]
name = "dev-loop-app"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
assetlock = { path = "$root" }

[build-dependencies]
assetlock-build = { path = "$root/build-support" }

[workspace]
EOF
cp Cargo.lock "$app/"
cat >"$app/build.rs" <<'EOF'
fn main() {
    assetlock_build::Config::new().asset_dir("assets").compile();
}
EOF
cat >"$app/src/main.rs" <<'EOF'
assetlock::include_manifest!();

fn main() {
    println!("{} assets, build {}", MANIFEST.len(), MANIFEST.build_id());
}
EOF
export CARGO_TARGET_DIR="$root/target/tests/e2e"
build() { (cd "$app" && cargo build -q --offline "${override[@]}"); }
t0=$(now_ms); build; first_ms=$(( $(now_ms) - t0 ))
echo "dev-1 first build of the crate: ${first_ms} ms${override:+ (with build-override opt-level 3)}"
css="$app/assets/bootstrap/dist/css/bootstrap.css"
touches=() assets=() edits=()
for i in $(seq "$runs"); do
    sleep 1
    touch "$app/src/main.rs"
    t0=$(now_ms); build; touches+=($(( $(now_ms) - t0 )))
    touch "$app/assets/three/build/three.module.js"
    t0=$(now_ms); build; assets+=($(( $(now_ms) - t0 )))
    printf '\n.dev-loop-edit-%s { order: %s; }\n' "$i" "$i" >>"$css"
    t0=$(now_ms); build; edits+=($(( $(now_ms) - t0 )))
done
touch_ms=$(printf '%s\n' "${touches[@]}" | median)
asset_ms=$(printf '%s\n' "${assets[@]}" | median)
edit_ms=$(printf '%s\n' "${edits[@]}" | median)
echo "dev-1 touch src/main.rs -> cargo build:     median ${touch_ms} ms (${touches[*]})"
echo "dev-1 touch one asset -> cargo build:       median ${asset_ms} ms (${assets[*]})"
echo "dev-1 edit bootstrap.css -> cargo build:    median ${edit_ms} ms (${edits[*]})"
awk -v e="$edit_ms" -v a="$asset_ms" -v t="$touch_ms" 'BEGIN {
    printf "dev-1 ratio touch asset / touch main.rs: %.2f\n", a / t
    printf "dev-1 ratio edit CSS / touch main.rs: %.2f (target <= 1.3)\n", e / t }'
unset CARGO_TARGET_DIR

# dev-2: the build script's work alone, unoptimised as in a dev build.
cargo build -q -p assetlock-bench --bin assetlock-build-dir
bin="$root/target/debug/assetlock-build-dir"
out="$(mktemp -d)"
cp -r "$corpus" "$out/assets"
PROFILE=debug "$bin" "$out/assets" "$out/out" --cache "$out/cache" >/dev/null
sleep 3 # past the racy window: a file modified during the last second is checked by content
PROFILE=debug "$bin" "$out/assets" "$out/out" --cache "$out/cache" >/dev/null
reruns=()
for _ in $(seq "$runs"); do
    t0=$(now_ms)
    PROFILE=debug "$bin" "$out/assets" "$out/out" --cache "$out/cache" >/dev/null
    reruns+=($(( $(now_ms) - t0 )))
done
rm -rf "$out"
echo "dev-2 no-change build-script rerun over the corpus: median $(printf '%s\n' "${reruns[@]}" | median) ms (${reruns[*]}) (target <= 50)"

# dev-3: live mode in a real browser.
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    visible=()
    for _ in $(seq "$runs"); do
        ms=$(cargo test -q --features upload --test live_example -- --nocapture 2>&1 |
            sed -n 's/^edit -> visible: \([0-9]*\) ms$/\1/p')
        visible+=("$ms")
    done
    echo "dev-3 live edit -> visible in the page: median $(printf '%s\n' "${visible[@]}" | median) ms (${visible[*]}) (target <= 300)"
else
    echo "dev-3 skipped: chromium or chromedriver missing"
fi
