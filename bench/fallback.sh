#!/usr/bin/env bash
# The fleet fallback at production scale: a server started against a bucket of 1,000 and
# 10,000 release records (time to its first fallback answer, to the oldest release's, latency
# once it has been up 10 s, memory of the index), and 200 concurrent HEAD and Range requests
# for one 64 MiB object of another release (bucket GETs, peak RSS, peak temporary space).
# Buckets: the bench's s3-server (s3s + s3s-fs, counting requests) and, when `moto[server]` is
# installed, moto, both on loopback. Writes bench/RESULTS-fallback.md.
#
#   bench/fallback.sh                       # 3 runs of each index measure
#   bench/fallback.sh --runs 5 --records "1000 10000"
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
work="$here/work/fallback"
runs=3
records="1000 10000"
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --records) records="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

echo "building the benchmark (release)"
(cd "$root" && cargo build --quiet --release -p assetlock-bench --bin fallback-bench --bin s3-server)
target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
bin="$target_dir/release"
rm -rf "$work"
mkdir -p "$work"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

# A fresh bucket `bench` on the bench's S3 server; prints its endpoint.
start_s3s() {
    local dir="$work/s3s-$1"
    mkdir -p "$dir"
    "$bin/s3-server" "$dir" --access-key bench --secret-key benchsecret --bucket bench \
        >"$dir.out" 2>"$dir.err" &
    pids+=($!)
    for _ in $(seq 100); do
        [ -s "$dir.out" ] && break
        sleep 0.05
    done
    head -n 1 "$dir.out"
}

# A fresh moto server with a bucket `bench`; prints its endpoint.
start_moto() {
    local port
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    python3 -m moto.server -H 127.0.0.1 -p "$port" >"$work/moto-$1.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 200); do
        curl -s -o /dev/null "http://127.0.0.1:$port/" && break
        sleep 0.05
    done
    curl -s -X PUT "http://127.0.0.1:$port/bench" >/dev/null
    echo "http://127.0.0.1:$port"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# A local directory as the bucket; prints its file:// URL.
start_file() {
    mkdir -p "$work/file-$1/assets"
    echo "file://$work/file-$1/assets"
}

# measure <bucket kind> <endpoint> <records> <label>: the cold and the warm measure, $runs
# times each; prints a table row.
measure() {
    local kind="$1" endpoint="$2" n="$3" label="$4"
    for run in $(seq "$runs"); do
        "$bin/fallback-bench" cold "$endpoint" "$n" >"$work/cold-$kind-$label-$run.txt"
        "$bin/fallback-bench" warm "$endpoint" "$n" >"$work/warm-$kind-$label-$run.txt"
    done
    local row="| $kind | $n | ${label#*-} |"
    for measure in first-newest first-oldest head-p50 head-p99 get-p50 get-p99 recent-p50; do
        row+=" $(cat "$work"/*-"$kind"-"$label"-*.txt | awk -v m="$measure" '$1 == m { print $2 }' | median) |"
    done
    local rss
    rss="$(cat "$work"/cold-"$kind"-"$label"-*.txt | awk '$1 == "index-rss" { print $2 }' | median)"
    row+=" $((rss / 1024 / 1024)) MiB ($((rss / n)) B per release) |"
    echo "$row"
}

# index <bucket kind> <records>: fills a fresh bucket and measures it with records alone, then
# uploads one more release (which writes the catalog) and measures again; prints two rows.
index() {
    local kind="$1" n="$2" endpoint
    endpoint="$("start_$kind" "$n")"
    echo "$kind: filling $n releases" >&2
    "$bin/fallback-bench" fill "$endpoint" "$n" 2>>"$work/fill.log"
    measure "$kind" "$endpoint" "$n" "$n-records"
    "$bin/fallback-bench" catalog "$endpoint" "$n" 2>>"$work/fill.log"
    measure "$kind" "$endpoint" "$((n + 1))" "$n-catalog"
}

kinds="file s3s"
if python3 -c 'import moto.server' 2>/dev/null; then
    kinds="file s3s moto"
else
    echo "moto[server] is not installed: the moto rows are left out" >&2
fi
rows=()
for kind in $kinds; do
    for n in $records; do
        while IFS= read -r row; do rows+=("$row"); done < <(index "$kind" "$n")
    done
done

endpoint="$(start_s3s flood)"
"$bin/fallback-bench" flood "$endpoint" "$endpoint" 64 200 >"$work/flood.txt"
flood() { awk -v m="$1" '$1 == m { print $2 }' "$work/flood.txt"; }

{
    echo "# Fleet fallback at production scale"
    echo
    echo "Measured by \`bench/fallback.sh --runs $runs\` on $(date -u +%Y-%m-%d), $(nproc) cores,"
    echo "$(uname -sr). Medians of $runs runs, each a fresh server process; times in ms."
    echo
    echo "## A bucket of many releases"
    echo
    echo "Each release: a record, one asset of its own, three shared with every other release."
    echo "Buckets: \`file\` a local directory (the server's own cost), \`s3s\` the bench's"
    echo "s3-server (s3s + s3s-fs), \`moto\` moto's server, both over HTTP on loopback."
    echo
    echo "- first-newest: the first fallback request of a server just started, for the newest"
    echo "  release's asset; first-oldest: then the oldest's, answered once every record is read."
    echo "- A server idle for 10 s after its start, then 100 requests each: HEAD of random"
    echo "  releases' assets (answered from the index alone), GET of the same (index and a first"
    echo "  fetch from the bucket), GET of the newest 100 releases' assets."
    echo "- index: resident memory the cold server grew by once every record was read."
    echo "- read from: \`records\` every record one by one; \`catalog\` the bucket as one upload"
    echo "  left it, with the catalog of every record (then the records written since, here none)."
    echo
    echo "| bucket | releases | read from | first-newest | first-oldest | HEAD p50 | HEAD p99 | GET p50 | GET p99 | newest GET p50 | index |"
    echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Targets: first answer within 3 s at 1,000 records; within 50 ms once up 10 s, at either size."
    echo
    echo "## 200 concurrent HEAD and Range requests for one 64 MiB object"
    echo
    echo "| answered | bucket GETs of the object | peak RSS of the server | peak temporary files |"
    echo "|---:|---:|---:|---:|"
    echo "| $(flood status-ok) / 200 | $(flood bucket-gets) | $(( $(flood peak-rss) / 1024 / 1024 )) MiB | $(( $(flood peak-temp) / 1024 / 1024 )) MiB |"
    echo
    echo "Target: at most 1 GET of the object."
} >"$here/RESULTS-fallback.md"
cat "$here/RESULTS-fallback.md"
