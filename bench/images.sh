#!/usr/bin/env bash
# Images against the reference encoders, side by side in one process (bench/src/bin/
# images-bench.rs): six public-domain/CC0 photos (bench/fetch-photos.sh), each made an AVIF
# (quality 60, speed 6, 8-bit 4:4:4) and a WebP (quality 75, method 4) at its own width.
#
#   cold     Config::images from an empty cache, against avifenc (libaom, and rav1e) with
#            cwebp at the same settings, the same number of encodes at a time. Target: <= 1.2x.
#   rebuild  after editing one photo, against the cold build. Target: <= 5 %.
#   bytes    of each format against the sources, and SSIM (luma) against the source.
#
# Needs Debian's libavif-bin (avifenc, avifdec) and webp (cwebp). Prints medians and ratios.
#
#   bench/images.sh [--threads N] [--runs N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
for tool in avifenc avifdec cwebp; do
    command -v "$tool" >/dev/null || {
        echo "$tool is missing (apt-get install libavif-bin webp)" >&2
        exit 1
    }
done
"$here/fetch-photos.sh"
echo "building the benchmark (release)"
(cd "$root" && cargo build --quiet --release -p assetlock-bench --bin images-bench)
target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
"$target_dir/release/images-bench" "$here/corpus-images" "$here/work/images" "$@"
