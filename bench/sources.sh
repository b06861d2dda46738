#!/usr/bin/env bash
# Compiled sources against their usual tools, side by side, wall time of whole runs:
#
#   ts    TanStack Query's core (23 TypeScript modules): assetlock-build (compiled, references
#         rewritten, minified, hashed) against esbuild compiling and minifying each module
#         (`esbuild src/*.ts --outdir --minify --target=es2020`). Target: faster.
#   sass  Bootstrap 5's Sass (4 entries, 43 partials): assetlock-build (grass, then minified
#         and hashed) against dart-sass (`sass --style=compressed scss:out`).
#
# Each run starts from an empty out dir and build cache. Prints medians (ms) and ratios and
# writes bench/RESULTS-sources.md. Needs the corpus (bench/fetch-corpus.sh), esbuild and sass.
#
#   bench/sources.sh [--runs N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
runs=7
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
for tool in esbuild sass; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (npm install -g $tool)" >&2; exit 1; }
done
"$here/fetch-corpus.sh" >/dev/null
sources="$here/corpus-sources"

echo "building the benchmark (release)"
(cd "$root" && cargo build --quiet --release -p assetlock-bench --bin assetlock-build-dir)
target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
build_dir="$target_dir/release/assetlock-build-dir"
work="$here/work/sources"

# time_ms COMMAND...: the wall time of one run, in ms, from an empty $work/run.
time_ms() {
    rm -rf "$work/run"
    mkdir -p "$work/run"
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>"$work/run.err" || { cat "$work/run.err" >&2; exit 1; }
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

assetlock() {
    "$build_dir" "$1" "$work/run/out" --minify --no-precompress --no-source-maps \
        --cache "$work/run/cache"
}
esbuild_ts() { esbuild "$sources"/query-core/src/*.ts --outdir="$work/run/out" --minify --target=es2020; }
dart_sass() { sass --style=compressed --no-source-map --quiet "$sources/bootstrap-scss/scss:$work/run/out"; }

rows=()
for row in ts sass; do
    ours=() theirs=()
    for _ in $(seq "$runs"); do
        # Alternated, so that a slow moment of the machine falls on both.
        if [ "$row" = ts ]; then
            ours+=("$(time_ms assetlock "$sources/query-core/src")")
            theirs+=("$(time_ms esbuild_ts)")
        else
            ours+=("$(time_ms assetlock "$sources/bootstrap-scss/scss")")
            theirs+=("$(time_ms dart_sass)")
        fi
    done
    a=$(printf '%s\n' "${ours[@]}" | median)
    b=$(printf '%s\n' "${theirs[@]}" | median)
    ratio=$(python3 -c "print(f'{$a / $b:.2f}')")
    peer=$([ "$row" = ts ] && echo "esbuild $(esbuild --version)" || echo "dart-sass $(sass --version | cut -d' ' -f1)")
    rows+=("| $row | $a | $peer | $b | $ratio |")
    echo "$row: assetlock $a ms, $peer $b ms, ratio $ratio"
done

{
    echo "# Compiled sources against their usual tools"
    echo
    echo "Measured by \`bench/sources.sh --runs $runs\` on $(date -u +%Y-%m-%d), $(nproc) cores."
    echo "Medians of $runs runs of each, alternated, each from an empty out dir and cache; wall"
    echo "time of the whole command, in ms. ratio: assetlock / peer (below 1: assetlock is faster)."
    echo
    echo "| row | assetlock-build | peer | peer ms | ratio |"
    echo "|---|---:|---|---:|---:|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "- ts: TanStack Query's core, 23 modules; assetlock compiles, rewrites imports to hashed"
    echo "  names, minifies and writes the build; esbuild compiles and minifies each module."
    echo "- sass: Bootstrap 5.3.8's 4 entries; assetlock compiles with grass, then minifies with"
    echo "  lightningcss and writes the build; dart-sass compiles to compressed CSS. The sass"
    echo "  package from npm is dart-sass compiled to JavaScript, run by Node.js: the native"
    echo "  dart-sass binary is faster, but is not on npm."
    echo "- Both rows include each tool's process start (\`esbuild --version\` takes about 7 ms"
    echo "  here, \`sass --version\` about 0.56 s)."
} >"$here/RESULTS-sources.md"
echo "wrote $here/RESULTS-sources.md"
