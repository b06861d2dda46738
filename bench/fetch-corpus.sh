#!/usr/bin/env bash
# Fetches the real-world corpus: pinned npm packages, checksum-verified, unpacked into
# bench/corpus/<package>/ (only the files a site would serve). Used by the real-world tests and
# by the benchmarks. Sources that the build compiles (TypeScript) go to bench/corpus-sources/,
# apart from the served corpus.
#
#   bench/fetch-corpus.sh              # bench/corpus (skips the download when already there)
#   bench/fetch-corpus.sh --scale 4    # also bench/corpus-x4: 4 copies in subfolders
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
corpus="$here/corpus"
cache="$here/.npm-cache"
scale=1
while [ $# -gt 0 ]; do
    case "$1" in
        --scale) scale="$2"; shift 2 ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

# name  npm spec  sha256 of the tarball  paths inside package/ to keep
packages=(
    "bootstrap|bootstrap@5.3.8|8b02d4a7482e0f0a2b1da58f1c9c86830e96cc2f77f094f89e4681b19886bc38|dist"
    "jquery|jquery@3.7.1|68a9f787516da47c680e09c187bcbac4536b6f85d90eb882844e12919e583f53|dist"
    "three|three@0.170.0|4a608a355dcaba72e0e5383cdc814303f5b6060b43c238cdf6932dceb699238d|build/three.module.js examples/jsm/controls examples/jsm/postprocessing examples/jsm/shaders examples/jsm/utils examples/jsm/math examples/jsm/curves examples/jsm/geometries examples/jsm/lines examples/jsm/objects examples/jsm/helpers"
    "d3|d3@7.9.0|7e36605710a2ba54846797c8c6d888911341b215ae53257dc32a49a0b824355e|dist"
    "lodash|lodash@4.17.21|6a087ac9e5702a0c9d60fbcd48696012646ec8df1491dea472b150e79fcaf804|lodash.js lodash.min.js core.js core.min.js"
    "fontawesome|@fortawesome/fontawesome-free@6.7.2|794284b4ac7f3e30825bbeea1a073f542c45dff83f8146625f600f1015c9d52b|css webfonts"
    "katex|katex@0.16.11|8c5494c5f7d8e8bf73ff3fe64d4bd09a340e4878b7eec9bbd9ef8d8f3e24193f|dist"
    "bootstrap-icons|bootstrap-icons@1.11.3|c68c68dc483cc06c897873d2452e23d33f21865d205edc51349332313bdfdae5|font icons/a*.svg"
)

# The same, for source code bases: a TypeScript library with many modules, Bootstrap's Sass.
sources=(
    "query-core|@tanstack/query-core@5.108.4|7660b37f747ce33f1e5456299009dbe217a08514f402c13e633ae95727e361e0|src"
    "bootstrap-scss|bootstrap@5.3.8|8b02d4a7482e0f0a2b1da58f1c9c86830e96cc2f77f094f89e4681b19886bc38|scss"
)

# fetch DEST EXCLUDES ENTRY...: each entry's tarball, checksum-verified, unpacked into
# DEST/<name> without the files EXCLUDES (tar options) names.
fetch() {
    local dest="$1"
    local excludes="$2"
    shift 2
    mkdir -p "$cache"
    local staging="$dest.partial"
    rm -rf "$staging"
    mkdir -p "$staging"
    for entry in "$@"; do
        IFS='|' read -r name spec sum paths <<<"$entry"
        local tarball
        tarball="$cache/$(echo "$spec" | tr '@/' '--').tgz"
        if ! echo "$sum  $tarball" | sha256sum --check --status 2>/dev/null; then
            local packed
            packed=$(cd "$cache" && npm pack --silent "$spec" | tail -n 1)
            [ "$cache/$packed" -ef "$tarball" ] || mv "$cache/$packed" "$tarball"
        fi
        if ! echo "$sum  $tarball" | sha256sum --check --status; then
            echo "checksum mismatch for $spec: expected $sum, got $(sha256sum "$tarball" | cut -d' ' -f1)" >&2
            exit 1
        fi
        mkdir -p "$staging/$name"
        local members=()
        for p in $paths; do members+=("package/$p"); done
        # Served files only: right-to-left variants and, in the served corpus, the Sass
        # sources a package ships beside the CSS built from them are left out.
        tar -xzf "$tarball" -C "$staging/$name" --strip-components=1 --wildcards \
            --exclude='*.rtl.*' $excludes "${members[@]}"
        echo "  $spec"
    done
    rm -rf "$dest"
    mv "$staging" "$dest"
    touch "$dest/.complete"
}

if [ -f "$corpus/.complete" ]; then
    echo "corpus present: $corpus"
else
    echo "fetching corpus into $corpus"
    fetch "$corpus" "--exclude=*.scss" "${packages[@]}"
fi
if [ ! -f "$corpus-sources/.complete" ]; then
    echo "fetching sources into $corpus-sources"
    fetch "$corpus-sources" "" "${sources[@]}"
fi
echo "  $(find "$corpus" -type f ! -name .complete | wc -l) files, $(du -sb --exclude=.complete "$corpus" | cut -f1) bytes"

if [ "$scale" -gt 1 ]; then
    scaled="$here/corpus-x$scale"
    if [ ! -f "$scaled/.complete" ]; then
        rm -rf "$scaled"
        for i in $(seq 1 "$scale"); do
            mkdir -p "$scaled/copy-$i"
            cp -r "$corpus"/. "$scaled/copy-$i/"
            rm -f "$scaled/copy-$i/.complete"
        done
        touch "$scaled/.complete"
    fi
    echo "scaled x$scale: $scaled ($(find "$scaled" -type f ! -name .complete | wc -l) files)"
fi
