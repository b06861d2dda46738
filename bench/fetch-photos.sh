#!/usr/bin/env bash
# Fetches the photos of the image benchmark: public-domain and CC0 photos from scikit-image's
# sample data (a pinned, checksum-verified wheel from PyPI), into bench/corpus-images/.
#
#   astronaut.png         512 x 512    NASA, public domain
#   chelsea.png           451 x 300    Stefan van der Walt, CC0
#   coffee.png            600 x 400    Rachel Michetti, CC0
#   hubble_deep_field.jpg 1000 x 872   NASA, public domain
#   retina.jpg            1411 x 1411  Mikael Häggström, CC0
#   rocket.jpg            640 x 427    SpaceX, public domain (CC0)
#
#   bench/fetch-photos.sh    # skips the download when the photos are there
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/corpus-images"
cache="$here/.pip-cache"
wheel="scikit_image-0.26.0-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl"
sum="74aa5518ccea28121f57a95374581d3b979839adc25bb03f289b1bc9b99c58af"
photos="astronaut.png chelsea.png coffee.png hubble_deep_field.jpg retina.jpg rocket.jpg"
if [ -d "$dest" ] && [ "$(ls "$dest" | wc -l)" -eq 6 ]; then
    exit 0
fi
mkdir -p "$cache"
if ! echo "$sum  $cache/$wheel" | sha256sum --check --status 2>/dev/null; then
    python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary :all: \
        --platform manylinux_2_28_x86_64 --python-version 3.11 scikit-image==0.26.0 -d "$cache"
fi
echo "$sum  $cache/$wheel" | sha256sum --check --status || {
    echo "checksum mismatch for $wheel" >&2
    exit 1
}
staging="$dest.partial"
rm -rf "$staging" && mkdir -p "$staging"
for photo in $photos; do
    unzip -q -j -o "$cache/$wheel" "skimage/data/$photo" -d "$staging"
done
rm -rf "$dest" && mv "$staging" "$dest"
