#!/usr/bin/env bash
# The dev loop rows: what an edit costs in the debug profile. Prints medians (ms) and ratios.
#
#   bench/dev-loop.sh [--runs N]     # default 5 runs per timing
#
#   dev-1  `cargo build -p example-app` after `touch example-app/src/main.rs`, and after an
#          edit to one stylesheet (example-app/assets/css/site.css, restored on exit);
#          target: edit <= 1.3 x touch.
#   dev-2  a rerun of the build script with no change, over the corpus (bench/fetch-corpus.sh),
#          as a dev build runs it (PROFILE=debug, unoptimised); target: <= 50 ms.
#   dev-3  edit -> visible in the running page in live mode, no rebuild (headless Chromium, the
#          fixture-live browser test); target: <= 300 ms.
#
# Uses CARGO_TARGET_DIR when set, like cargo. Needs chromium and chromium-driver for dev-3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
runs=5
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
unset PROFILE OPT_LEVEL NUM_JOBS OUT_DIR CARGO_MANIFEST_DIR ASSETLOCK_MINIFY \
    ASSETLOCK_PRECOMPRESS ASSETLOCK_CACHE_DIR ASSETLOCK_URL_PREFIX ASSETLOCK_LIVE
cd "$root"

now_ms() { date +%s%3N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

css="example-app/assets/css/site.css"
saved="$(mktemp)"
cp "$css" "$saved"
trap 'cp "$saved" "$css"; rm -f "$saved"' EXIT

cargo build -q -p example-app
touches=() edits=()
for i in $(seq "$runs"); do
    touch example-app/src/main.rs
    t0=$(now_ms); cargo build -q -p example-app; touches+=($(( $(now_ms) - t0 )))
    printf '\n.dev-loop-edit-%s { order: %s; }\n' "$i" "$i" >>"$css"
    t0=$(now_ms); cargo build -q -p example-app; edits+=($(( $(now_ms) - t0 )))
done
cp "$saved" "$css"
cargo build -q -p example-app
touch_ms=$(printf '%s\n' "${touches[@]}" | median)
edit_ms=$(printf '%s\n' "${edits[@]}" | median)
echo "dev-1 touch main.rs -> cargo build: median ${touch_ms} ms (${touches[*]})"
echo "dev-1 edit one CSS -> cargo build:  median ${edit_ms} ms (${edits[*]})"
awk -v e="$edit_ms" -v t="$touch_ms" 'BEGIN { printf "dev-1 ratio edit / touch: %.2f (target <= 1.3)\n", e / t }'

corpus="$here/corpus"
if [ -d "$corpus" ]; then
    cargo build -q -p assetlock-bench --bin assetlock-build-dir
    bin="${CARGO_TARGET_DIR:-$root/target}/debug/assetlock-build-dir"
    out="$(mktemp -d)"
    PROFILE=debug "$bin" "$corpus" "$out/out" --cache "$out/cache" >/dev/null
    reruns=()
    for _ in $(seq "$runs"); do
        t0=$(now_ms)
        PROFILE=debug "$bin" "$corpus" "$out/out" --cache "$out/cache" >/dev/null
        reruns+=($(( $(now_ms) - t0 )))
    done
    rm -rf "$out"
    echo "dev-2 no-change build-script rerun over the corpus: median $(printf '%s\n' "${reruns[@]}" | median) ms (${reruns[*]}) (target <= 50)"
else
    echo "dev-2 skipped: no corpus (run bench/fetch-corpus.sh)"
fi

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    visible=()
    for _ in $(seq "$runs"); do
        ms=$(cargo test -q -p fixture-live --test browser_live -- --nocapture 2>&1 |
            sed -n 's/^edit -> visible: \([0-9]*\) ms$/\1/p')
        visible+=("$ms")
    done
    echo "dev-3 live edit -> visible in the page: median $(printf '%s\n' "${visible[@]}" | median) ms (${visible[*]}) (target <= 300)"
else
    echo "dev-3 skipped: chromium or chromedriver missing"
fi
