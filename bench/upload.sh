#!/usr/bin/env bash
# Upload benchmark: assetlock's first upload and no-change re-upload of the real-corpus build,
# beside `aws s3 sync` of the same files, against a local S3 server process on loopback
# (bench/src/bin/s3-server.rs: s3s + s3s-fs, SigV4 checked, counting requests). Prints a
# markdown table of medians. Installs awscli from PyPI into bench/work/ when `aws` is missing.
#
#   bench/upload.sh             # 5 runs
#   bench/upload.sh --runs 9
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
work="$here/work/upload"
runs=5
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

"$here/fetch-corpus.sh"

echo "building the benchmark (release)"
(cd "$root" && cargo build --quiet --release -p assetlock-bench --bins)
target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
bin="$target_dir/release"

aws=aws
if ! command -v aws >/dev/null 2>&1; then
    if [ ! -x "$work/venv/bin/aws" ]; then
        echo "installing awscli from PyPI into $work/venv"
        python3 -m venv "$work/venv"
        "$work/venv/bin/pip" install --quiet --disable-pip-version-check awscli
    fi
    aws="$work/venv/bin/aws"
fi
echo "using $("$aws" --version 2>&1)"

rm -rf "$work/build" "$work/s3"
mkdir -p "$work"

# The corpus built as a release build script would: minified and precompressed.
echo "building the corpus"
PROFILE=release "$bin/assetlock-build-dir" "$here/corpus" "$work/build" --minify >"$work/build.log"

cat >"$work/aws-config" <<'EOF'
[default]
region = us-east-1
s3 =
    addressing_style = path
EOF
export AWS_CONFIG_FILE="$work/aws-config"
export AWS_SHARED_CREDENTIALS_FILE="$work/no-credentials"
export AWS_ACCESS_KEY_ID=AKIDBENCHMARK0000001
export AWS_SECRET_ACCESS_KEY=benchmarksecretkey000000000000000000000
export AWS_REGION=us-east-1
export AWS_ALLOW_HTTP=true
export AWS_EC2_METADATA_DISABLED=true
unset AWS_ENDPOINT_URL AWS_ENDPOINT AWS_SESSION_TOKEN AWS_PROFILE

# One empty bucket per tool and run, so no step lists another step's objects.
buckets=()
for i in $(seq 0 $((runs - 1))); do buckets+=(--bucket "assetlock-$i" --bucket "sync-$i"); done
"$bin/s3-server" "$work/s3" "${buckets[@]}" \
    --access-key "$AWS_ACCESS_KEY_ID" --secret-key "$AWS_SECRET_ACCESS_KEY" >"$work/server.out" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
endpoint=""
for _ in $(seq 1 100); do
    endpoint="$(head -n 1 "$work/server.out" 2>/dev/null || true)"
    [ -n "$endpoint" ] && break
    sleep 0.1
done
if [ -z "$endpoint" ]; then
    echo "the S3 server did not start" >&2
    exit 1
fi
echo "S3 server: $endpoint"
export AWS_ENDPOINT_URL="$endpoint"

"$bin/upload-bench" --endpoint "$endpoint" --runs "$runs" --aws "$aws" \
    --manifest "$work/build/assetlock/manifest.json" --dist "$work/build/assetlock/dist"
