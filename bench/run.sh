#!/usr/bin/env bash
# The benchmark suite: assetlock beside its peers on the real-world corpus, in one run on one
# machine. Installs what it needs (Debian: hyperfine, wrk, brotli, zstd, gzip, time, npm; PyPI:
# Django; npm: esbuild; the Python and npm ones into bench/work/tools), builds the bench
# binaries in release, runs the rows, prints the summary and writes bench/RESULTS.md.
#
#   bench/run.sh                  # every row (about 15 minutes on 2 cores, once built)
#   bench/run.sh --quick          # fewer runs, shorter loads: to try the harness (~6 minutes)
#   bench/run.sh --rows 1,2,7     # only these rows; the others keep their last results
#   bench/run.sh --runs 9         # runs per timing (default 5, --quick 2)
#
# Rows: 1 hash+rename+rewrite vs Django; 2 minify vs esbuild; 3 cold release pipeline vs the
# sum of its stages, the compression CLIs, brotli across threads; 4 rebuild after a CSS edit;
# 5 compile-time cost of the generated code, rustc memory, embedding; 6 upload vs aws s3 sync
# (bench/upload.sh); 7 serving vs tower-http ServeDir; 8 growth at corpus scale 1, 4, 16;
# 9 the pipeline compiled unoptimised (cargo's default for build dependencies) vs optimised.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
work="$here/work/run"
tools="$here/work/tools"
results="$work/results"
trash="$here/work/trash"
django_version=5.2.19
esbuild_version=0.28.2

quick=0
runs=""
rows="1,2,3,4,5,6,7,8,9"
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1; shift ;;
        --runs) runs="$2"; shift 2 ;;
        --rows) rows="$2"; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
if [ -z "$runs" ]; then
    if [ "$quick" = 1 ]; then runs=2; else runs=5; fi
fi
# Slow measurements (a cold release build is ~20-40 s) get fewer runs.
slow_runs=$(( runs < 3 ? runs : 3 ))
[ "$quick" = 1 ] && slow_runs=1
threads="$(nproc)"

# The pipeline reads these; a benchmark must not inherit them from the shell.
unset PROFILE OPT_LEVEL NUM_JOBS OUT_DIR CARGO_MANIFEST_DIR \
    ASSETLOCK_MINIFY ASSETLOCK_PRECOMPRESS ASSETLOCK_CACHE_DIR ASSETLOCK_URL_PREFIX

# retire DIR: moves DIR into the trash, emptied when the suite ends. Nothing is deleted while
# measuring: ext4 (without a journal, as here) skips inodes freed in the last minute (six while
# their inode table block is dirty) when it allocates new ones, so creating files right after
# deleting thousands costs up to twice as much system time, which the timings would include.
retire() {
    if [ -e "$1" ] || [ -L "$1" ]; then mv "$1" "$(mktemp -d -p "$trash")/"; fi
}

# empty_trash: deletes the trash and notes when.
empty_trash() {
    rm -rf "$trash"
    touch "$here/work/.emptied"
}

# settle: flushes the file system and waits until the last mass deletion is a minute old.
settle() {
    sync
    local emptied since
    emptied="$(stat -c %Y "$here/work/.emptied" 2>/dev/null || echo 0)"
    since=$(( $(date +%s) - emptied ))
    if [ "$since" -lt 62 ]; then
        say "waiting $(( 62 - since )) s for the file system to forget deleted files"
        sleep $(( 62 - since ))
    fi
}

say() { printf '\n== %s\n' "$*" >&2; }
has_row() { [[ ",$rows," == *",$1,"* ]]; }
q() { printf '%q' "$1"; }

# --- tools ---------------------------------------------------------------------------------

install_tools() {
    local missing=()
    for tool in hyperfine wrk brotli zstd gzip curl npm; do
        command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
    done
    [ -x /usr/bin/time ] || missing+=(time)
    python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
    if [ ${#missing[@]} -gt 0 ]; then
        if ! command -v apt-get >/dev/null 2>&1; then
            echo "missing: ${missing[*]}; install them and run again" >&2
            exit 1
        fi
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        say "installing ${missing[*]} (Debian packages)"
        export DEBIAN_FRONTEND=noninteractive
        $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
            || { $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; }
    fi
    if ! "$tools/venv/bin/python" -c "import django; assert django.__version__ == '$django_version'" 2>/dev/null; then
        say "installing Django $django_version (PyPI) into $tools/venv"
        python3 -m venv "$tools/venv"
        "$tools/venv/bin/pip" install --quiet --disable-pip-version-check "django==$django_version"
    fi
    esbuild="$tools/npm/node_modules/.bin/esbuild"
    if [ "$("$esbuild" --version 2>/dev/null)" != "$esbuild_version" ]; then
        say "installing esbuild $esbuild_version (npm) into $tools/npm"
        mkdir -p "$tools/npm"
        npm install --silent --no-audit --no-fund --prefix "$tools/npm" "esbuild@$esbuild_version" >/dev/null
    fi
}

# hf NAME [hyperfine options and commands]: runs hyperfine, keeps its JSON as results/NAME.json.
# `hf_runs=N hf ...` changes the number of runs.
hf() {
    local name="$1"
    shift
    if ! hyperfine --style basic --runs "${hf_runs:-$runs}" --export-json "$results/$name.json" "$@" \
        >"$work/logs/$name.log" 2>&1; then
        cat "$work/logs/$name.log" >&2
        return 1
    fi
    grep -E '^  Time|^  Range' "$work/logs/$name.log" | sed "s/^/  $name: /" >&2 || true
}

# row N: when row N was measured and how loaded the machine was.
stamp() {
    printf '{"date": "%s", "load_before": "%s"}\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" \
        "$(cut -d' ' -f1-3 /proc/loadavg)" >"$results/r$1-meta.json"
}

# skip N MESSAGE: the row could not be measured; RESULTS.md says why.
skip() {
    echo "$2" >"$results/r$1-skipped.txt"
    echo "row $1 skipped: $2" >&2
}

# --- rows ----------------------------------------------------------------------------------

# django_settings DIR: writes DIR/bench_settings.py, a Django project that collects the tree
# BENCH_CORPUS names into BENCH_STATIC_ROOT with hashed names and rewritten references.
django_settings() {
    mkdir -p "$1"
    cat >"$1/bench_settings.py" <<'EOF'
import os

SECRET_KEY = "benchmark"
INSTALLED_APPS = ["django.contrib.staticfiles"]
STATIC_URL = "/static/"
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
STATICFILES_DIRS = [os.environ["BENCH_CORPUS"]]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}
EOF
}

row1() {
    local r="$work/r1"
    retire "$r" && mkdir -p "$r"
    django_settings "$r/django"
    # Every timed run writes into a new directory ($fresh replaces @OUT@, and points the
    # link given first at it).
    local django
    django="env PYTHONPATH=$(q "$r/django") DJANGO_SETTINGS_MODULE=bench_settings"
    django+=" BENCH_STATIC_ROOT=@OUT@ BENCH_CORPUS=$(q "$corpus")"
    django+=" $(q "$tools/venv/bin/django-admin")"
    say "row 1: hash + rename + url() rewrite: assetlock vs Django collectstatic"
    hf r1-assetlock --warmup 1 \
        "$fresh $(q "$r/out") $(q "$bin/assetlock-build-dir") $(q "$corpus") @OUT@ --no-precompress"
    hf r1-django --warmup 1 "$fresh $(q "$r/static") $django collectstatic --noinput -v 0"
    # Floors: copying the tree, and Django starting up without doing anything.
    hf r1-cp --warmup 1 "$fresh $(q "$r/copy") cp -r $(q "$corpus") @OUT@/corpus"
    hf r1-django-start --warmup 1 "$django check"
    printf '{"assetlock_files": %s, "django_files": %s}\n' \
        "$(find "$r/out/assetlock/dist" -type f | wc -l)" \
        "$(find "$r/static/" -type f ! -name staticfiles.json | wc -l)" >"$results/r1-files.json"
}

row2() {
    local r="$work/r2"
    retire "$r" && mkdir -p "$r/src"
    # The JS and CSS of the corpus, alone: what both tools minify.
    (cd "$corpus" && find . -type f \( -name '*.js' -o -name '*.mjs' -o -name '*.css' \) \
        -exec cp --parents {} "$r/src/" \;)
    (cd "$r/src" && find "$PWD" -type f | sort >"$r/files.txt")
    say "row 2: minify all JS+CSS: assetlock vs esbuild --minify"
    # Fonts and images are not in this tree, so references to them are allowed to dangle
    # (kept as written, as esbuild keeps them); neither tool writes source maps.
    hf r2-assetlock --warmup 1 \
        "$fresh $(q "$r/al") $(q "$bin/assetlock-build-dir") $(q "$r/src") @OUT@ --minify --no-precompress --no-source-maps --allow-dangling '**' 2>/dev/null"
    hf r2-esbuild --warmup 1 \
        "$fresh $(q "$r/esb") xargs -a $(q "$r/files.txt") $(q "$esbuild") --minify --outdir=@OUT@ --outbase=$(q "$r/src") '--entry-names=[dir]/[name].[hash]' --log-level=error"
    # The floor: the same minification, one file at a time on one thread, divided by threads.
    "$bin/pipeline-bench" stages "$r/src" "$r/al" --threads "$threads" --no-source-maps \
        >"$results/r2-stages.json"
    bytes() { find "$1" -type f \( -name "*.$2" -o -name "*.m$2" \) -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }
    printf '{"inputs": %s, "input_bytes": %s, "assetlock": {"js": %s, "css": %s, "files": %s}, "esbuild": {"js": %s, "css": %s, "files": %s}}\n' \
        "$(wc -l <"$r/files.txt")" "$(du -sb --apparent-size "$r/src" | cut -f1)" \
        "$(bytes "$r/al/assetlock/dist" js)" "$(bytes "$r/al/assetlock/dist" css)" \
        "$(find "$r/al/assetlock/dist" -type f ! -name '*.map' | wc -l)" \
        "$(bytes "$r/esb/" js)" "$(bytes "$r/esb/" css)" \
        "$(find "$r/esb/" -type f ! -name '*.map' | wc -l)" >"$results/r2-bytes.json"
}

row3() {
    local r="$work/r3"
    retire "$r" && mkdir -p "$r"
    say "row 3: cold release pipeline (minify, gzip 9, zstd 19, brotli 11, empty cache)"
    hf_runs=$slow_runs hf r3-cold \
        "$fresh $(q "$r/out") env PROFILE=release $(q "$bin/assetlock-build-dir") $(q "$corpus") @OUT@ --minify --stats > $(q "$results/r3-stats.txt")"
    say "row 3: the same stages, one file at a time on one thread"
    "$bin/pipeline-bench" stages "$corpus" "$r/out" --threads "$threads" >"$results/r3-stages.json"
    say "row 3: gzip -9, zstd -19, brotli -q 11 command-line tools over the same outputs"
    # Each tool gets the files the pipeline compresses with its coding (source maps: gzip only).
    mkdir -p "$r/cli"
    local coding
    for coding in gzip zstd brotli; do
        "$bin/pipeline-bench" compressible "$r/out" "$coding" >"$r/$coding.txt"
        (cd "$r/out/assetlock/dist" && xargs -a "$r/$coding.txt" cp --parents -t "$r/cli")
    done
    hf_runs=$slow_runs hf r3-cli-gzip "cd $(q "$r/cli") && xargs -a ../gzip.txt gzip -9 -k -f"
    hf_runs=$slow_runs hf r3-cli-zstd "cd $(q "$r/cli") && xargs -a ../zstd.txt zstd -19 -q -k -f"
    hf_runs=$slow_runs hf r3-cli-brotli "cd $(q "$r/cli") && xargs -a ../brotli.txt brotli -q 11 -k -f"
    retire "$r/cli"
    say "row 3: brotli 11 on 1 thread, $threads threads, $threads processes"
    local brotli_runs=3
    [ "$quick" = 1 ] && brotli_runs=1
    "$bin/pipeline-bench" brotli-scaling "$r/out" --runs "$brotli_runs" \
        --workers "$threads" >"$results/r3-brotli.json"
}

row4() {
    local r="$work/r4"
    retire "$r" && mkdir -p "$r"
    cp -r "$corpus" "$r/corpus"
    local build
    build="env PROFILE=release $(q "$bin/assetlock-build-dir") $(q "$r/corpus") $(q "$r/out") --minify"
    say "row 4: cold build to fill the cache"
    eval "$build" >/dev/null
    say "row 4: rebuild without changes, and after editing one CSS file"
    hf r4-unchanged --warmup 1 "$build"
    local name file
    for name in large small; do
        case "$name" in
            large) file="bootstrap/dist/css/bootstrap.css" ;;
            small) file="katex/dist/katex.css" ;;
        esac
        cp "$r/corpus/$file" "$r/$name.orig"
        # Each run adds a different rule, so the minified output (and every variant) is new.
        hf "r4-edit-$name" --prepare "cp $(q "$r/$name.orig") $(q "$r/corpus/$file") && printf '.bench-edit{order:%s}\n' \$(date +%N) >> $(q "$r/corpus/$file")" \
            "$build"
        printf '{"file": "%s", "bytes": %s}\n' "$file" "$(stat -c %s "$r/$name.orig")" \
            >"$results/r4-edit-$name-file.json"
        # What compressing the file's new output alone costs, the part of the rebuild that
        # cannot be cached: brotli 11 (the slowest coding) of the minified stylesheet.
        local minified
        minified="$r/out/assetlock/dist/$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["assets"][sys.argv[2]]["path"])' "$r/out/assetlock/manifest.json" "$file")"
        hf "r4-brotli-$name" --warmup 1 -N "brotli -q 11 -c $minified"
    done
}

row5() {
    local r="$work/r5"
    mkdir -p "$r"
    say "row 5: generating the compile-time crates"
    "$bin/pipeline-bench" gen-compile-crates "$r/crates" "$root" "$corpus"
    # Records time and peak memory of every rustc run on these crates (not their dependencies).
    cat >"$r/rustc-wrapper.sh" <<'EOF'
#!/bin/sh
name=$(printf '%s\n' "$@" | sed -n '/^--crate-name$/{n;p;q}')
exec /usr/bin/time -a -o "$BENCH_RUSTC_LOG" -f "${name:-rustc} %e %M" "$@"
EOF
    chmod +x "$r/rustc-wrapper.sh"
    export RUSTC_WORKSPACE_WRAPPER="$r/rustc-wrapper.sh" BENCH_RUSTC_LOG="$r/rustc.log"
    local cargo_build="env CARGO_TARGET_DIR=$(q "$r/target") cargo build --quiet --manifest-path $(q "$r/crates/Cargo.toml")"
    local crate
    say "row 5: building the crates and their dependencies (minutes the first time)"
    for crate in many-assets plain-consts example-embed example-dist corpus-embed corpus-dist; do
        eval "$cargo_build -p $crate"
    done
    : >"$BENCH_RUSTC_LOG"
    # Non-incremental: the whole crate is compiled again, as in CI or a release build.
    say "row 5: compiling each crate after touching its source"
    for crate in many-assets plain-consts example-embed example-dist corpus-embed corpus-dist; do
        hf "r5-$crate" --warmup 1 --prepare "touch $(q "$r/crates/$crate/src/lib.rs")" \
            "CARGO_INCREMENTAL=0 $cargo_build -p $crate"
    done
    cp "$BENCH_RUSTC_LOG" "$results/r5-rustc.log"
    say "row 5: the same with incremental compilation (an edit-compile loop)"
    for crate in many-assets plain-consts; do
        hf "r5-$crate-incremental" --warmup 1 --prepare "touch $(q "$r/crates/$crate/src/lib.rs")" \
            "CARGO_INCREMENTAL=1 $cargo_build -p $crate"
    done
    say "row 5: an asset changes: build script and crate"
    hf_runs=$slow_runs hf r5-many-assets-asset \
        --prepare "touch $(q "$r/crates/many-assets/assets/icons/000/i00000.svg")" \
        "CARGO_INCREMENTAL=0 $cargo_build -p many-assets"
    unset RUSTC_WORKSPACE_WRAPPER BENCH_RUSTC_LOG
}

row6() {
    say "row 6: upload vs aws s3 sync (bench/upload.sh)"
    if "$here/upload.sh" --runs "$slow_runs" >"$results/r6-upload.md" 2>"$work/logs/r6.log"; then
        rm -f "$results/r6-skipped.txt"
    else
        skip 6 "bench/upload.sh failed: $(tail -n 3 "$work/logs/r6.log" | tr '\n' ' ')"
    fi
}

row7() {
    local r="$work/r7" duration=10 rounds=3
    [ "$quick" = 1 ] && duration=3 && rounds=1
    retire "$r" && mkdir -p "$r"
    say "row 7: serving: assetlock::serve vs tower-http ServeDir vs a fallback cache hit (wrk, ${duration}s x $rounds)"
    # One core for the server, one for wrk.
    "$bin/serve-bench" --workers 1 >"$r/server.txt" &
    server=$!
    trap 'kill "$server" 2>/dev/null || true' EXIT
    for _ in $(seq 1 50); do
        [ "$(wc -l <"$r/server.txt")" -ge 5 ] && break
        sleep 0.1
    done
    local css font
    css="$(awk '$1 == "css" {print $2}' "$r/server.txt")"
    font="$(awk '$1 == "font" {print $2}' "$r/server.txt")"
    local round name base asset path header
    for name in assetlock servedir fallback; do
        base="$(awk -v n="$name" '$1 == n {print $2}' "$r/server.txt")"
        # All must answer the CSS brotli-encoded and the font as is.
        curl -sf -o /dev/null -D "$r/$name-css.headers" -H 'Accept-Encoding: br' "$base$css"
        grep -qi '^content-encoding: br' "$r/$name-css.headers"
        curl -sf -o /dev/null "$base$font"
    done
    for round in $(seq 1 "$rounds"); do
        for asset in css font; do
            for name in assetlock servedir fallback; do
                base="$(awk -v n="$name" '$1 == n {print $2}' "$r/server.txt")"
                if [ "$asset" = css ]; then
                    path="$css" header="Accept-Encoding: br"
                else
                    path="$font" header="Accept-Encoding: identity"
                fi
                wrk -t1 -c32 -d1s -H "$header" "$base$path" >/dev/null
                wrk -t1 -c32 "-d${duration}s" --latency -H "$header" "$base$path" \
                    >"$results/r7-$name-$asset-$round.txt"
            done
        done
    done
    kill "$server"
    # A fallback's first miss: one read of the object from the bucket and its SHA-256.
    "$bin/serve-bench" --first-miss 50 >"$results/r7-first-miss.txt"
    awk -v d="$duration" -v n="$rounds" '
        $1 == "css" {css = $3; br = $4} $1 == "font" {font = $3}
        END {printf "{\"css_bytes\": %s, \"css_br_bytes\": %s, \"font_bytes\": %s, \"duration\": %s, \"rounds\": %s, \"connections\": 32}\n", css, br, font, d, n}
    ' "$r/server.txt" >"$results/r7-setup.json"
}

row8() {
    local r="$work/r8" scale dir release_runs
    retire "$r" && mkdir -p "$r"
    for scale in 1 4 16; do
        dir="$corpus"
        [ "$scale" -gt 1 ] && dir="$here/corpus-x$scale"
        say "row 8: scale x$scale: rewrite only, and the cold release pipeline"
        hf_runs=$slow_runs hf "r8-x$scale-rewrite" \
            "$fresh $(q "$r/out") $(q "$bin/assetlock-build-dir") $(q "$dir") @OUT@ --no-precompress"
        # The floor: every byte read, hashed (SHA-256) and written, on as many threads.
        hf_runs=$slow_runs hf "r8-x$scale-floor" \
            "$fresh $(q "$r/floor") $(q "$bin/pipeline-bench") floor $(q "$dir") @OUT@ --threads $threads"
        if [ "$scale" = 16 ]; then
            # The same, plus the SHA-384 of every file that assetlock's integrity attributes need.
            hf_runs=$slow_runs hf "r8-x16-floor-sri" \
                "$fresh $(q "$r/floor") $(q "$bin/pipeline-bench") floor $(q "$dir") @OUT@ --threads $threads --also sha384"
            row8_scale16 "$r" "$dir"
        fi
        release_runs=1
        hf_runs=$release_runs hf "r8-x$scale-release" \
            "$fresh $(q "$r/out") env PROFILE=release $(q "$bin/assetlock-build-dir") $(q "$dir") @OUT@ --minify --stats > $(q "$results/r8-x$scale-stats.txt")"
        printf '{"files": %s, "bytes": %s}\n' "$(find "$dir" -type f ! -name '.*' | wc -l)" \
            "$(find "$dir" -type f ! -name '.*' -printf '%s\n' | awk '{s += $1} END {print s}')" \
            >"$results/r8-x$scale-size.json"
    done
}

# row8_scale16 DIR TREE: at the largest scale, Django beside assetlock, and the peak memory of
# a rewrite-only build of the tree, alone and with a 1 GB file of random bytes added.
row8_scale16() {
    local r="$1" dir="$2" django
    django_settings "$r/django"
    django="env PYTHONPATH=$(q "$r/django") DJANGO_SETTINGS_MODULE=bench_settings"
    django+=" BENCH_STATIC_ROOT=@OUT@ BENCH_CORPUS=$(q "$dir")"
    django+=" $(q "$tools/venv/bin/django-admin")"
    hf_runs=$slow_runs hf r8-x16-django --warmup 1 \
        "$fresh $(q "$r/static") $django collectstatic --noinput -v 0"
    # The lexers alone, inputs in memory: the part of the build that reads every byte of CSS
    # and JS.
    "$bin/pipeline-bench" scan "$dir" --runs 5 >"$results/r8-x16-scan.json"
    # Hard links: the tree with a large file costs the disk only that file.
    local big="$r/x16-big"
    cp -al "$dir" "$big"
    head -c $((1 << 30)) /dev/urandom >"$big/video.bin"
    local tree rss out
    for tree in x16 x16-big; do
        rss=()
        for _ in 1 2 3; do
            out="$(mktemp -d -p "$trash")"
            settle
            /usr/bin/time -f %M -o "$r/rss.txt" "$bin/assetlock-build-dir" \
                "$( [ "$tree" = x16 ] && echo "$dir" || echo "$big" )" "$out" --no-precompress \
                >/dev/null 2>&1
            rss+=("$(cat "$r/rss.txt")")
        done
        printf '{"max_rss_kb": [%s]}\n' "$(IFS=,; echo "${rss[*]}")" >"$results/r8-$tree-rss.json"
    done
    retire "$big"
}

row9() {
    local r="$work/r9" o0="$here/work/o0-target"
    retire "$r" && mkdir -p "$r"
    say "row 9: building the pipeline unoptimised, as cargo builds build dependencies by default"
    (cd "$root" && CARGO_TARGET_DIR="$o0" CARGO_PROFILE_RELEASE_OPT_LEVEL=0 \
        CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 CARGO_PROFILE_RELEASE_DEBUG=false \
        cargo build --quiet --release -p assetlock-bench --bin assetlock-build-dir)
    # A slice of the corpus, so the unoptimised run stays within a minute or two.
    mkdir -p "$r/assets"
    cp -r "$corpus/jquery" "$corpus/katex" "$corpus/lodash" "$corpus/d3" "$r/assets/"
    local exe
    for exe in o3 o0; do
        local path="$bin/assetlock-build-dir"
        [ "$exe" = o0 ] && path="$o0/release/assetlock-build-dir"
        say "row 9: cold release pipeline, pipeline compiled with $exe"
        hf_runs=1 hf "r9-$exe" \
            "$fresh $(q "$r/out") env PROFILE=release $(q "$path") $(q "$r/assets") @OUT@ --minify"
    done
    printf '{"files": %s, "bytes": %s}\n' "$(find "$r/assets" -type f | wc -l)" \
        "$(du -sb --apparent-size "$r/assets" | cut -f1)" >"$results/r9-size.json"
}

# --- main ----------------------------------------------------------------------------------

mkdir -p "$work/logs" "$results" "$tools"
# One run at a time: two would share the work dir, and the first would delete the second's
# trash as it ends.
exec 9>"$here/work/.lock"
if ! flock -n 9; then
    echo "another bench/run.sh is running (it holds bench/work/.lock)" >&2
    exit 1
fi
# A trash left by an interrupted run goes now, before anything is measured.
[ -d "$trash" ] && empty_trash
mkdir -p "$trash"
export BENCH_TRASH="$trash"
fresh="$work/fresh"
cat >"$fresh" <<'EOF'
#!/usr/bin/env bash
# fresh LINK COMMAND...: runs COMMAND with every @OUT@ replaced by a new empty directory in the
# trash, and points the symbolic link LINK at that directory.
set -euo pipefail
link="$1"
shift
out="$(mktemp -d -p "$BENCH_TRASH")"
ln -sfn "$out" "$link"
args=()
for arg in "$@"; do args+=("${arg//@OUT@/$out}"); done
exec "${args[@]}"
EOF
chmod +x "$fresh"
install_tools
say "building the bench binaries (release)"
(cd "$root" && cargo build --quiet --release -p assetlock-bench)
target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
bin="$target_dir/release"
say "fetching the corpus"
"$here/fetch-corpus.sh" >&2
corpus="$here/corpus"
if has_row 8; then
    "$here/fetch-corpus.sh" --scale 4 >&2
    "$here/fetch-corpus.sh" --scale 16 >&2
fi

{
    echo "cpus: $threads"
    echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
    echo "memory: $(free -g | awk '/^Mem:/ {print $2}') GiB"
    echo "kernel: $(uname -sr)"
    echo "rustc: $(rustc --version)"
    echo "django: $django_version"
    echo "esbuild: $("$esbuild" --version)"
    echo "hyperfine: $(hyperfine --version | cut -d' ' -f2)"
    echo "wrk: $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f2)"
    echo "gzip: $(gzip --version | head -n 1)"
    echo "zstd: $(zstd --version)"
    echo "brotli: $(brotli --version 2>&1)"
    echo "runs: $runs (slow measurements: $slow_runs)"
} >"$results/machine.txt"

for row in 1 2 3 4 5 6 7 8 9; do
    if has_row "$row"; then
        rm -f "$results/r$row"-*
        settle
        stamp "$row"
        # A subshell with errexit of its own: a failing row is reported and the others run.
        set +e
        (set -e; "row$row")
        status=$?
        set -e
        if [ "$status" -ne 0 ] && [ ! -f "$results/r$row-skipped.txt" ]; then
            skip "$row" "the row failed (exit $status); its log is in bench/work/run/logs"
        fi
        printf '"%s"\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >"$results/r$row-load-after.json"
    fi
done

python3 "$here/report.py" "$results" "$here/RESULTS.md"
empty_trash
