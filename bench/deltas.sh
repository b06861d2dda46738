#!/usr/bin/env bash
# Deltas between releases (RFC 9842) on the real-world corpus: bytes on the wire for a
# returning visitor after a one-line edit to three.module.js and to bootstrap.css (dcz delta vs
# brotli-11 of the new file), and the cost of a release's deltas vs its cold pipeline.
#
#   bench/deltas.sh            # 3 cold builds (about 2 minutes on 2 cores, once built)
#   bench/deltas.sh --runs 5
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
[ -d "$here/corpus/three" ] || "$here/fetch-corpus.sh"
unset PROFILE OPT_LEVEL NUM_JOBS OUT_DIR CARGO_MANIFEST_DIR \
    ASSETLOCK_MINIFY ASSETLOCK_PRECOMPRESS ASSETLOCK_CACHE_DIR ASSETLOCK_URL_PREFIX \
    ASSETLOCK_PREVIOUS_RELEASES
(cd "$root" && cargo build --quiet --release -p assetlock-bench --bin delta-bench)
# Release compression levels, as in a release build script. The table also goes to
# bench/RESULTS-deltas.md, with the machine it came from.
table="$(PROFILE=release "$root/target/release/delta-bench" "$here/corpus" "$here/work/deltas" "$@")"
echo "$table"
{
    echo "# Deltas between releases (RFC 9842)"
    echo
    echo "Produced by \`bench/deltas.sh $*\` on $(nproc) cores ($(uname -sr), $(rustc --version))."
    echo "Release 1 is the corpus built minified with release compression levels and uploaded to a"
    echo "\`file://\` destination; release 2 changes one line of \`three.module.js\` (\`REVISION\`) and"
    echo "one of \`bootstrap.css\` (\`--bs-blue\`) and is built against release 1. Sizes in bytes;"
    echo "timings are medians of the runs, the deltas recomputed by the pipeline's own encoder."
    echo
    echo "$table"
} > "$here/RESULTS-deltas.md"
